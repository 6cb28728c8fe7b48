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

/* Most options a verb can have. */
#define S3CTL_OPTS_MAX		8

/* An option of one verb: "--force", or "--owner KEY" / "--owner=KEY". */
struct s3ctl_option {
	const char *name;		/* with its dashes: "--force" */
	bool has_arg;
};

struct s3ctl_verb;

/* One invocation: where output goes and what was asked. */
struct s3ctl {
	FILE *out;			/* command output (stdout) */
	FILE *err;			/* error lines (stderr) */
	bool json;			/* -j: output is one JSON document */
	const char *cmd;		/* "status", "key create": error prefix */
	struct s3ctl_genl *genl;	/* opened on first use, see s3ctl_connect() */
	const struct s3ctl_verb *verb;	/* being run */
	/* The verb's options as given: a value, "" for a flag, NULL if absent. */
	const char *optval[S3CTL_OPTS_MAX];
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
	/* Options of this verb, ends with a zeroed entry; NULL: none. */
	const struct s3ctl_option *opts;
};

struct s3ctl_object {
	const char *name;
	const struct s3ctl_verb *verbs;	/* ends with a zeroed entry */
	const char *default_verb;	/* run when no verb is given, or NULL */
	const char *summary;
	/*
	 * A first word that is not a verb is the default verb's argument
	 * (`s3ctl fsck DEV`) rather than an unknown verb.
	 */
	bool verb_optional;
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
/* Exactly @n arguments, else a usage error naming what is missing. */
int s3ctl_expect_args(struct s3ctl *ctx, int argc, char **argv, int n,
		      const char *what);
/* The value of option @name of the running verb; "" for a flag; or NULL. */
const char *s3ctl_opt(const struct s3ctl *ctx, const char *name);
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
/*
 * A request with attributes: s3ctl_start() begins it (NULL after
 * reporting why not), mnl_attr_put_*() add to it, s3ctl_exec() sends it.
 * @cb gets the one reply (@dump: each message of the dump); NULL when the
 * command replies with its ack only. Returns an S3CTL_EXIT_* status, the
 * error already reported.
 */
struct nlmsghdr *s3ctl_start(struct s3ctl *ctx, uint8_t cmd);
int s3ctl_exec(struct s3ctl *ctx, struct nlmsghdr *req, bool dump,
	       s3ctl_genl_cb_t cb, void *data);
/* The same, leaving the error in @e to the caller: 0 or -errno. */
int s3ctl_exec_err(struct s3ctl *ctx, struct nlmsghdr *req, bool dump,
		   s3ctl_genl_cb_t cb, void *data, struct s3ctl_nlerr *e);

/* cmd_*.c: verb handlers */
int s3ctl_cmd_version_show(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_status_show(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_dev_format(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_dev_attach(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_dev_detach(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_key_create(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_key_list(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_key_delete(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_key_allow(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_key_deny(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_bucket_create(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_bucket_delete(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_bucket_list(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_bucket_quota(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_fsck(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_listen_add(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_listen_del(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_listen_list(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_config_get(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_config_set(struct s3ctl *ctx, int argc, char **argv);
int s3ctl_cmd_config_unset(struct s3ctl *ctx, int argc, char **argv);

#endif /* S3CTL_H */
