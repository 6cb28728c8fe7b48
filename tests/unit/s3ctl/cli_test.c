// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl's command line (userland/s3ctl/cli.c, commands.c): options,
 * dispatch, help, usage errors and exit statuses, run in-process with
 * captured output.
 */
#include <errno.h>

#include <linux/ks3.h>

#include "capture.h"
#include "s3ctl.h"
#include "unit.h"

struct result {
	int status;
	struct capture out, err;
};

static void run_argv(struct result *r, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	r->status = s3ctl_main(argc, argv, capture_start(&r->out),
			       capture_start(&r->err));
	capture_text(&r->out);
	capture_text(&r->err);
}

static void result_free(struct result *r)
{
	capture_free(&r->out);
	capture_free(&r->err);
}

#define RUN(r, ...) run_argv(r, (char *[]){ "s3ctl", __VA_ARGS__, NULL })

/* A usage error: exit 2, nothing on stdout, exactly @line on stderr. */
#define EXPECT_USAGE(line, ...) do {					\
	struct result r_;						\
	RUN(&r_, __VA_ARGS__);						\
	EXPECT_EQ(r_.status, S3CTL_EXIT_USAGE);				\
	EXPECT_STREQ(r_.out.buf, "");					\
	EXPECT_STREQ(r_.err.buf, line "\n");				\
	result_free(&r_);						\
} while (0)

static bool ks3_loaded(void)
{
	struct s3ctl_genl *g;
	struct s3ctl_nlerr e;

	if (s3ctl_genl_open(KS3_GENL_NAME, KS3_GENL_VERSION, &g, &e))
		return false;
	s3ctl_genl_close(g);
	return true;
}

TEST(no_arguments_is_a_usage_error)
{
	struct result r;

	run_argv(&r, (char *[]){ "s3ctl", NULL });
	EXPECT_EQ(r.status, S3CTL_EXIT_USAGE);
	EXPECT_STREQ(r.out.buf, "");
	EXPECT_STREQ(r.err.buf, "s3ctl: missing OBJECT (try 's3ctl help')\n");
	result_free(&r);
}

TEST(usage_errors_are_one_precise_line)
{
	EXPECT_USAGE("s3ctl: unknown object 'bogus' (try 's3ctl help')", "bogus");
	EXPECT_USAGE("s3ctl: unknown option '-x' (try 's3ctl help')", "-x", "status");
	EXPECT_USAGE("s3ctl: unknown option '--jsn' (try 's3ctl help')", "--jsn");
	EXPECT_USAGE("s3ctl: missing OBJECT (try 's3ctl help')", "-j");
	EXPECT_USAGE("s3ctl: status: unknown verb 'bogus' (try 's3ctl status help')",
		     "status", "bogus");
	EXPECT_USAGE("s3ctl: status: unexpected argument 'extra'",
		     "status", "show", "extra");
	EXPECT_USAGE("s3ctl: status: unknown option '-q'", "status", "-q");
	EXPECT_USAGE("s3ctl: version: unknown option '--pretty'",
		     "version", "--pretty");
	EXPECT_USAGE("s3ctl: help: unknown object 'bogus'", "help", "bogus");
	EXPECT_USAGE("s3ctl: help: unexpected argument 'show'",
		     "help", "status", "show");
	/* object names are exact: no prefixes, no case folding */
	EXPECT_USAGE("s3ctl: unknown object 'stat' (try 's3ctl help')", "stat");
	EXPECT_USAGE("s3ctl: unknown object 'Status' (try 's3ctl help')", "Status");
}

TEST(common_options_are_taken_out_before_the_handler)
{
	/* -j is consumed wherever it is; the stray word is what is reported */
	EXPECT_USAGE("s3ctl: status: unexpected argument 'extra'",
		     "status", "-j", "extra");
	EXPECT_USAGE("s3ctl: status: unexpected argument 'extra'",
		     "-j", "status", "show", "--json", "extra");
	/* after "--" nothing is an option */
	EXPECT_USAGE("s3ctl: status: unexpected argument '-j'",
		     "status", "show", "--", "-j");
	EXPECT_USAGE("s3ctl: status: unexpected argument '-j'",
		     "status", "--", "-j");
	EXPECT_USAGE("s3ctl: status: unexpected argument '-'", "status", "-");
	/* an unknown option is reported before a stray argument */
	EXPECT_USAGE("s3ctl: status: unknown option '-q'",
		     "status", "show", "extra", "-q");
}

TEST(help_goes_to_stdout_and_exits_0)
{
	const char *const forms[][3] = {
		{ "help", NULL }, { "-h", NULL }, { "--help", NULL },
		{ "-j", "--help", NULL },
	};
	const struct s3ctl_object *obj;
	unsigned int i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct result r;

		run_argv(&r, (char *[]){ "s3ctl", (char *)forms[i][0],
					 (char *)forms[i][1], NULL });
		EXPECT_EQ(r.status, S3CTL_EXIT_OK);
		EXPECT_STREQ(r.err.buf, "");
		EXPECT_NOT_NULL(strstr(r.out.buf,
			"Usage: s3ctl [OPTIONS] OBJECT [VERB] [ARGS]\n"));
		for (obj = s3ctl_objects; obj->name; obj++) {
			char line[128];

			snprintf(line, sizeof(line), "  %-12s %s\n", obj->name,
				 obj->summary);
			EXPECT_NOT_NULL(strstr(r.out.buf, line));
		}
		result_free(&r);
	}
}

TEST(object_help)
{
	const char *const forms[][3] = {
		{ "help", "status" }, { "status", "help" }, { "status", "-h" },
		{ "status", "show", "--help" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct result r;

		run_argv(&r, (char *[]){ "s3ctl", (char *)forms[i][0],
					 (char *)forms[i][1],
					 (char *)forms[i][2], NULL });
		EXPECT_EQ(r.status, S3CTL_EXIT_OK);
		EXPECT_STREQ(r.err.buf, "");
		EXPECT_STREQ(r.out.buf,
			"Usage: s3ctl status [VERB] [ARGS] [-j]\n"
			"\n"
			"Verbs:\n"
			"  s3ctl status show [-j]\n"
			"      show the module's state, uptime, listeners, connections and store (the default)\n");
		result_free(&r);
	}
}

TEST(version_option_needs_no_module)
{
	struct result r;

	RUN(&r, "-V");
	EXPECT_EQ(r.status, S3CTL_EXIT_OK);
	EXPECT_STREQ(r.out.buf, "s3ctl " KS3_VERSION "\n");
	EXPECT_STREQ(r.err.buf, "");
	result_free(&r);

	RUN(&r, "--version");
	EXPECT_STREQ(r.out.buf, "s3ctl " KS3_VERSION "\n");
	result_free(&r);
}

TEST(version_string_comes_from_module_version_file)
{
	/* -DKS3_VERSION from module/VERSION: a release, not "unknown" */
	EXPECT_GT(strlen(KS3_VERSION), 0);
	EXPECT_STREQ(strstr(KS3_VERSION, "unknown"), NULL);
	EXPECT_TRUE(KS3_VERSION[0] >= '0' && KS3_VERSION[0] <= '9');
}

TEST(command_table_is_consistent)
{
	const struct s3ctl_object *obj, *o2;
	const struct s3ctl_verb *verb, *v2;

	for (obj = s3ctl_objects; obj->name; obj++) {
		EXPECT_PTR_EQ(s3ctl_find_object(obj->name), obj);
		EXPECT_NE(strcmp(obj->name, "help"), 0);
		EXPECT_NOT_NULL(obj->summary);
		ASSERT_NOT_NULL(obj->verbs);
		EXPECT_NOT_NULL(obj->verbs[0].name);
		if (obj->default_verb)
			EXPECT_NOT_NULL(s3ctl_find_verb(obj, obj->default_verb));
		for (o2 = obj + 1; o2->name; o2++)
			EXPECT_NE(strcmp(obj->name, o2->name), 0);
		for (verb = obj->verbs; verb->name; verb++) {
			EXPECT_NOT_NULL(verb->run);
			EXPECT_NOT_NULL(verb->args);
			EXPECT_NOT_NULL(verb->summary);
			EXPECT_NE(verb->name[0], '-');
			EXPECT_NE(strcmp(verb->name, "help"), 0);
			for (v2 = verb + 1; v2->name; v2++)
				EXPECT_NE(strcmp(verb->name, v2->name), 0);
		}
	}
	EXPECT_NULL(s3ctl_find_object("nonesuch"));
	ASSERT_NOT_NULL(s3ctl_find_object("status"));
	EXPECT_NULL(s3ctl_find_verb(s3ctl_find_object("status"), "nonesuch"));
	EXPECT_NOT_NULL(s3ctl_find_object("version"));
}

TEST(module_not_loaded_is_one_line_and_exit_1)
{
	const char *const cmds[][3] = {
		{ "status" }, { "status", "-j" }, { "-j", "status", "show" },
		{ "version" }, { "version", "show", "--json" },
	};
	unsigned int i;

	if (ks3_loaded()) {
		unit_diag("ks3 is loaded here: checking the commands succeed");
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			struct result r;

			run_argv(&r, (char *[]){ "s3ctl", (char *)cmds[i][0],
						 (char *)cmds[i][1],
						 (char *)cmds[i][2], NULL });
			EXPECT_EQ(r.status, S3CTL_EXIT_OK);
			EXPECT_STREQ(r.err.buf, "");
			result_free(&r);
		}
		return;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct result r;

		run_argv(&r, (char *[]){ "s3ctl", (char *)cmds[i][0],
					 (char *)cmds[i][1],
					 (char *)cmds[i][2], NULL });
		EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
		EXPECT_STREQ(r.out.buf, "");
		EXPECT_STREQ(r.err.buf,
			"s3ctl: ks3 module is not loaded (modprobe ks3 or insmod ks3.ko)\n");
		result_free(&r);
	}
}

TEST(kernel_errors_are_reported_in_one_line)
{
	struct s3ctl ctx = { .cmd = "status" };
	struct s3ctl_nlerr e;
	struct capture err;

	ctx.err = capture_start(&err);
	s3ctl_nlerr_init(&e);
	e.code = EPERM;
	EXPECT_EQ(s3ctl_report_nlerr(&ctx, &e), S3CTL_EXIT_FAIL);
	EXPECT_STREQ(capture_text(&err),
		"s3ctl: permission denied: ks3 administration needs CAP_NET_ADMIN\n");
	capture_free(&err);

	/* the kernel's own words win */
	ctx.err = capture_start(&err);
	e.code = EPERM;
	snprintf(e.msg, sizeof(e.msg), "store is read-only");
	s3ctl_report_nlerr(&ctx, &e);
	EXPECT_STREQ(capture_text(&err), "s3ctl: status: store is read-only\n");
	capture_free(&err);

	ctx.err = capture_start(&err);
	s3ctl_nlerr_init(&e);
	e.code = EINVAL;
	e.miss_type = KS3_A_DEVICE;
	s3ctl_report_nlerr(&ctx, &e);
	EXPECT_STREQ(capture_text(&err),
		"s3ctl: status: request lacks attribute 'device'\n");
	capture_free(&err);

	ctx.err = capture_start(&err);
	s3ctl_nlerr_init(&e);
	e.code = EOPNOTSUPP;
	s3ctl_report_nlerr(&ctx, &e);
	EXPECT_STREQ(capture_text(&err), "s3ctl: status: Operation not supported\n");
	capture_free(&err);
}

TEST(write_error_fails_the_command)
{
	struct capture err;
	FILE *full = fopen("/dev/full", "w");
	int status;

	ASSERT_NOT_NULL(full);
	status = s3ctl_main(2, (char *[]){ "s3ctl", "-V", NULL }, full,
			    capture_start(&err));
	EXPECT_EQ(status, S3CTL_EXIT_FAIL);
	EXPECT_STREQ(capture_text(&err),
		"s3ctl: cannot write output: No space left on device\n");
	fclose(full);
	capture_free(&err);
}
