// SPDX-License-Identifier: GPL-2.0
/*
 * Command line: global options, dispatch through the object/verb table,
 * help, and the one-line error reports every command shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "genl.h"
#include "ks3_policy.h"
#include "s3ctl.h"

static bool s3ctl_is_json_opt(const char *a)
{
	return !strcmp(a, "-j") || !strcmp(a, "--json");
}

static bool s3ctl_is_help_opt(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "--help");
}

static void s3ctl_verror(struct s3ctl *ctx, const char *cmd, const char *fmt,
			 va_list ap)
{
	fputs("s3ctl: ", ctx->err);
	if (cmd)
		fprintf(ctx->err, "%s: ", cmd);
	vfprintf(ctx->err, fmt, ap);
	fputc('\n', ctx->err);
}

/* "s3ctl: CMD: message": a failure of the command being run. */
void s3ctl_error(struct s3ctl *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	s3ctl_verror(ctx, ctx->cmd, fmt, ap);
	va_end(ap);
}

/* "s3ctl: message": a failure that is not about one command. */
static void s3ctl_error_global(struct s3ctl *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void s3ctl_error_global(struct s3ctl *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	s3ctl_verror(ctx, NULL, fmt, ap);
	va_end(ap);
}

int s3ctl_usage_error(struct s3ctl *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	s3ctl_verror(ctx, ctx->cmd, fmt, ap);
	va_end(ap);
	return S3CTL_EXIT_USAGE;
}

int s3ctl_expect_no_args(struct s3ctl *ctx, int argc, char **argv)
{
	if (argc == 0)
		return S3CTL_EXIT_OK;
	return s3ctl_usage_error(ctx, "unexpected argument '%s'", argv[0]);
}

int s3ctl_expect_args(struct s3ctl *ctx, int argc, char **argv, int n,
		      const char *what)
{
	if (argc < n)
		return s3ctl_usage_error(ctx, "missing %s", what);
	if (argc > n)
		return s3ctl_usage_error(ctx, "unexpected argument '%s'",
					 argv[n]);
	return S3CTL_EXIT_OK;
}

const char *s3ctl_opt(const struct s3ctl *ctx, const char *name)
{
	const struct s3ctl_option *o;
	unsigned int i;

	if (!ctx->verb || !ctx->verb->opts)
		return NULL;
	for (i = 0, o = ctx->verb->opts; o->name; i++, o++)
		if (!strcmp(o->name, name))
			return ctx->optval[i];
	return NULL;
}

struct s3ctl_genl *s3ctl_connect(struct s3ctl *ctx)
{
	struct s3ctl_nlerr e;
	int ret;

	if (ctx->genl)
		return ctx->genl;
	ret = s3ctl_genl_open(KS3_GENL_NAME, KS3_GENL_VERSION, &ctx->genl, &e);
	if (ret == -ENOENT) {
		s3ctl_error_global(ctx,
			"ks3 module is not loaded (modprobe ks3 or insmod ks3.ko)");
		return NULL;
	}
	if (ret) {
		s3ctl_report_nlerr(ctx, &e);
		return NULL;
	}
	return ctx->genl;
}

int s3ctl_report_nlerr(struct s3ctl *ctx, const struct s3ctl_nlerr *e)
{
	char buf[16];

	if (e->msg[0])
		s3ctl_error(ctx, "%s", e->msg);
	else if (e->code == EPERM || e->code == EACCES)
		s3ctl_error_global(ctx,
			"permission denied: ks3 administration needs CAP_NET_ADMIN");
	else if (e->miss_type >= 0)
		s3ctl_error(ctx, "request lacks attribute '%s'",
			    s3ctl_attr_name(s3ctl_ks3_policy, KS3_A_MAX,
					    (unsigned int)e->miss_type,
					    buf, sizeof(buf)));
	else
		s3ctl_error(ctx, "%s", strerror(e->code));
	return S3CTL_EXIT_FAIL;
}

struct s3ctl_query {
	s3ctl_genl_cb_t cb;
	void *data;
	unsigned int replies;
};

static int s3ctl_query_cb(const struct nlmsghdr *nlh, void *data,
			  struct s3ctl_nlerr *e)
{
	struct s3ctl_query *q = data;

	if (q->replies++)
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: more than one reply message");
	return q->cb(nlh, q->data, e);
}

static int s3ctl_no_reply_cb(const struct nlmsghdr *nlh, void *data,
			     struct s3ctl_nlerr *e)
{
	(void)nlh;
	(void)data;
	return s3ctl_nlerr_set(e, EPROTO,
			       "malformed netlink reply: unexpected reply message");
}

struct nlmsghdr *s3ctl_start(struct s3ctl *ctx, uint8_t cmd)
{
	struct s3ctl_genl *g = s3ctl_connect(ctx);

	return g ? s3ctl_genl_request(g, cmd) : NULL;
}

int s3ctl_exec_err(struct s3ctl *ctx, struct nlmsghdr *req, bool dump,
		   s3ctl_genl_cb_t cb, void *data, struct s3ctl_nlerr *e)
{
	struct s3ctl_query q = { .cb = cb, .data = data };
	int ret;

	if (dump)
		req->nlmsg_flags |= NLM_F_DUMP;
	ret = s3ctl_genl_call(ctx->genl, req,
			      !cb ? s3ctl_no_reply_cb :
			      dump ? cb : s3ctl_query_cb,
			      dump || !cb ? data : &q, e);
	if (!ret && cb && !dump && !q.replies)
		ret = s3ctl_nlerr_set(e, EPROTO,
				      "malformed netlink reply: no reply message");
	return ret;
}

int s3ctl_exec(struct s3ctl *ctx, struct nlmsghdr *req, bool dump,
	       s3ctl_genl_cb_t cb, void *data)
{
	struct s3ctl_nlerr e;

	if (s3ctl_exec_err(ctx, req, dump, cb, data, &e))
		return s3ctl_report_nlerr(ctx, &e);
	return S3CTL_EXIT_OK;
}

int s3ctl_query(struct s3ctl *ctx, uint8_t cmd, s3ctl_genl_cb_t cb,
		void *data)
{
	struct nlmsghdr *req = s3ctl_start(ctx, cmd);

	if (!req)
		return S3CTL_EXIT_FAIL;
	return s3ctl_exec(ctx, req, false, cb, data);
}

const struct s3ctl_object *s3ctl_find_object(const char *name)
{
	const struct s3ctl_object *obj;

	for (obj = s3ctl_objects; obj->name; obj++)
		if (!strcmp(obj->name, name))
			return obj;
	return NULL;
}

const struct s3ctl_verb *s3ctl_find_verb(const struct s3ctl_object *obj,
					 const char *name)
{
	const struct s3ctl_verb *verb;

	for (verb = obj->verbs; verb->name; verb++)
		if (!strcmp(verb->name, name))
			return verb;
	return NULL;
}

static void s3ctl_print_usage(FILE *f)
{
	const struct s3ctl_object *obj;

	fputs("Usage: s3ctl [OPTIONS] OBJECT [VERB] [ARGS]\n"
	      "       s3ctl help [OBJECT]\n"
	      "       s3ctl OBJECT help\n"
	      "\n"
	      "Objects:\n", f);
	for (obj = s3ctl_objects; obj->name; obj++)
		fprintf(f, "  %-12s %s\n", obj->name, obj->summary);
	fputs("\n"
	      "Options:\n"
	      "  -j, --json     print one JSON document\n"
	      "  -h, --help     print help and exit\n"
	      "  -V, --version  print the s3ctl version and exit\n"
	      "\n"
	      "Exit status: 0 done, 1 operation failed, 2 usage error.\n", f);
}

static void s3ctl_print_object_usage(FILE *f, const struct s3ctl_object *obj)
{
	const struct s3ctl_verb *verb;

	fprintf(f, "Usage: s3ctl %s %s [ARGS] [-j]\n\nVerbs:\n", obj->name,
		obj->default_verb ? "[VERB]" : "VERB");
	for (verb = obj->verbs; verb->name; verb++)
		fprintf(f, "  s3ctl %s %s%s%s [-j]\n      %s%s\n", obj->name,
			verb->name, verb->args[0] ? " " : "", verb->args,
			verb->summary,
			obj->default_verb && !strcmp(obj->default_verb, verb->name) ?
				" (the default)" : "");
}

/* `s3ctl help [OBJECT]` */
static int s3ctl_help(struct s3ctl *ctx, int argc, char **argv)
{
	const struct s3ctl_object *obj;

	ctx->cmd = "help";
	if (argc == 0) {
		s3ctl_print_usage(ctx->out);
		return S3CTL_EXIT_OK;
	}
	if (argc > 1)
		return s3ctl_usage_error(ctx, "unexpected argument '%s'",
					 argv[1]);
	obj = s3ctl_find_object(argv[0]);
	if (!obj)
		return s3ctl_usage_error(ctx, "unknown object '%s'", argv[0]);
	s3ctl_print_object_usage(ctx->out, obj);
	return S3CTL_EXIT_OK;
}

/*
 * Takes option argv[*i] of the verb into ctx->optval: 1 if it is one,
 * 0 if the verb has no such option, or a usage error's exit status.
 */
static int s3ctl_take_opt(struct s3ctl *ctx, int argc, char **argv, int *i)
{
	const struct s3ctl_option *o;
	const char *arg = argv[*i], *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	unsigned int k;

	if (!ctx->verb->opts)
		return 0;
	for (k = 0, o = ctx->verb->opts; o->name; k++, o++)
		if (strlen(o->name) == len && !strncmp(o->name, arg, len))
			break;
	if (!o->name)
		return 0;
	if (ctx->optval[k])
		return -s3ctl_usage_error(ctx, "option '%s' given twice",
					  o->name);
	if (!o->has_arg) {
		if (eq)
			return -s3ctl_usage_error(ctx,
				"option '%s' takes no value", o->name);
		ctx->optval[k] = "";
	} else if (eq) {
		ctx->optval[k] = eq + 1;
	} else if (*i + 1 < argc) {
		ctx->optval[k] = argv[++*i];
	} else {
		return -s3ctl_usage_error(ctx, "option '%s' needs a value",
					  o->name);
	}
	return 1;
}

/*
 * Runs @verb with @argv minus the common options and the verb's own;
 * "--" ends them, so a later argument may begin with '-'. Any other
 * option is unknown ("-" alone is an argument, as for stdin).
 */
static int s3ctl_run_verb(struct s3ctl *ctx, const struct s3ctl_object *obj,
			  const struct s3ctl_verb *verb, int argc, char **argv)
{
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	bool opts = true;
	int i, n = 0, ret;

	if (!args) {
		s3ctl_error(ctx, "out of memory");
		return S3CTL_EXIT_FAIL;
	}
	ctx->verb = verb;
	for (i = 0; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = false;
		} else if (opts && s3ctl_is_json_opt(argv[i])) {
			ctx->json = true;
		} else if (opts && s3ctl_is_help_opt(argv[i])) {
			s3ctl_print_object_usage(ctx->out, obj);
			free(args);
			return S3CTL_EXIT_OK;
		} else if (opts && argv[i][0] == '-' && argv[i][1]) {
			ret = s3ctl_take_opt(ctx, argc, argv, &i);
			if (ret < 0) {
				free(args);
				return -ret;
			}
			if (ret == 0) {
				free(args);
				return s3ctl_usage_error(ctx,
					"unknown option '%s'", argv[i]);
			}
		} else {
			args[n++] = argv[i];
		}
	}
	ret = verb->run(ctx, n, args);
	free(args);
	return ret;
}

static int s3ctl_dispatch(struct s3ctl *ctx, int argc, char **argv)
{
	const struct s3ctl_object *obj;
	const struct s3ctl_verb *verb;
	char cmd[64];
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (s3ctl_is_json_opt(argv[i])) {
			ctx->json = true;
		} else if (s3ctl_is_help_opt(argv[i])) {
			s3ctl_print_usage(ctx->out);
			return S3CTL_EXIT_OK;
		} else if (!strcmp(argv[i], "-V") ||
			   !strcmp(argv[i], "--version")) {
			fprintf(ctx->out, "s3ctl %s\n", KS3_VERSION);
			return S3CTL_EXIT_OK;
		} else {
			return s3ctl_usage_error(ctx,
				"unknown option '%s' (try 's3ctl help')",
				argv[i]);
		}
	}
	if (i == argc)
		return s3ctl_usage_error(ctx,
			"missing OBJECT (try 's3ctl help')");
	if (!strcmp(argv[i], "help"))
		return s3ctl_help(ctx, argc - i - 1, argv + i + 1);
	obj = s3ctl_find_object(argv[i]);
	if (!obj)
		return s3ctl_usage_error(ctx,
			"unknown object '%s' (try 's3ctl help')", argv[i]);
	ctx->cmd = obj->name;
	i++;

	if (i < argc && !strcmp(argv[i], "help")) {
		s3ctl_print_object_usage(ctx->out, obj);
		return S3CTL_EXIT_OK;
	}
	verb = i < argc ? s3ctl_find_verb(obj, argv[i]) : NULL;
	/* `s3ctl fsck DEV`: the word is the default verb's argument. */
	if (!verb && obj->verb_optional && obj->default_verb) {
		verb = s3ctl_find_verb(obj, obj->default_verb);
	} else if (i < argc && argv[i][0] != '-') {
		if (!verb)
			return s3ctl_usage_error(ctx,
				"unknown verb '%s' (try 's3ctl %s help')",
				argv[i], obj->name);
		i++;
		if (!obj->default_verb || strcmp(verb->name, obj->default_verb)) {
			snprintf(cmd, sizeof(cmd), "%s %s", obj->name,
				 verb->name);
			ctx->cmd = cmd;
		}
	} else if (obj->default_verb) {
		verb = s3ctl_find_verb(obj, obj->default_verb);
	} else {
		return s3ctl_usage_error(ctx,
			"missing VERB (try 's3ctl %s help')", obj->name);
	}
	return s3ctl_run_verb(ctx, obj, verb, argc - i, argv + i);
}

int s3ctl_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct s3ctl ctx = { .out = out, .err = err };
	int ret;

	ret = s3ctl_dispatch(&ctx, argc, argv);
	s3ctl_genl_close(ctx.genl);
	ctx.cmd = NULL;
	if (fflush(out) || ferror(out)) {
		s3ctl_error(&ctx, "cannot write output: %s", strerror(errno));
		if (ret == S3CTL_EXIT_OK)
			ret = S3CTL_EXIT_FAIL;
	}
	return ret;
}
