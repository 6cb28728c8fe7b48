/* SPDX-License-Identifier: GPL-2.0 */
/*
 * s3ctl: the ks3 admin CLI. `s3ctl [OPTIONS] OBJECT [VERB] [ARGS]`, in the
 * style of iproute2: every command that prints takes -j for JSON, and the
 * exit status is 0 (done), 1 (the operation failed) or 2 (usage error).
 */
#ifndef S3CTL_H
#define S3CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "genl.h"

#define S3CTL_EXIT_OK		0
#define S3CTL_EXIT_FAIL		1
#define S3CTL_EXIT_USAGE	2

/* One invocation: where output goes and what was asked. */
struct s3ctl {
	FILE *out;			/* command output (stdout) */
	FILE *err;			/* error lines (stderr) */
	bool json;			/* -j: output is one JSON document */
	const char *cmd;		/* "status", "key create": error prefix */
	struct s3ctl_genl *genl;	/* opened on first use, see s3ctl_connect() */
};

/*
 * A verb handler gets the arguments after the verb, with the common options
 * (-j, -h) already taken out. It returns an S3CTL_EXIT_* status and has
 * printed exactly one line on ctx->err for any failure.
 */
typedef int (*s3ctl_handler_t)(struct s3ctl *ctx, int argc, char **argv);

struct s3ctl_verb {
	const char *name;
	s3ctl_handler_t run;
	const char *args;		/* synopsis after the verb, "" if none */
	const char *summary;
};

struct s3ctl_object {
	const char *name;
	const struct s3ctl_verb *verbs;	/* ends with a zeroed entry */
	const char *default_verb;	/* run when no verb is given, or NULL */
	const char *summary;
};

/* commands.c: the command table, ends with a zeroed entry. */
extern const struct s3ctl_object s3ctl_objects[];

/* cli.c */
int s3ctl_main(int argc, char **argv, FILE *out, FILE *err);
const struct s3ctl_object *s3ctl_find_object(const char *name);
const struct s3ctl_verb *s3ctl_find_verb(const struct s3ctl_object *obj,
					 const char *name);
void s3ctl_error(struct s3ctl *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int s3ctl_usage_error(struct s3ctl *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int s3ctl_expect_no_args(struct s3ctl *ctx, int argc, char **argv);
/* The ks3 family, opened on first use; NULL after reporting why not. */
struct s3ctl_genl *s3ctl_connect(struct s3ctl *ctx);
/* Prints the one error line for @e; returns S3CTL_EXIT_FAIL. */
int s3ctl_report_nlerr(struct s3ctl *ctx, const struct s3ctl_nlerr *e);
/*
 * Sends ks3 command @cmd without attributes and hands its one reply to @cb.
 * Returns an S3CTL_EXIT_* status, the error already reported.
 */
int s3ctl_query(struct s3ctl *ctx, uint8_t cmd, s3ctl_genl_cb_t cb,
		void *data);

/* cmd_*.c: verb handlers */
int s3ctl_cmd_version_show(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_status_show(struct s3ctl *ctx, int argc, char **argv);

#endif /* S3CTL_H */
