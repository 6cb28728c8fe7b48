// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl status` and `s3ctl version` from reply to output
 * (userland/s3ctl/cmd_status.c, cmd_version.c), without a kernel.
 */
#include <errno.h>

#include <jansson.h>

#include "capture.h"
#include "cmd_status.h"
#include "cmd_version.h"
#include "nlmsg.h"
#include "unit.h"

static struct nlmsghdr *version_reply(struct nlbuf *b)
{
	struct nlmsghdr *nlh = nlbuf_genl(b, KS3_CMD_GET_VERSION);

	mnl_attr_put_strz(nlh, KS3_A_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, KS3_A_GENL_VERSION, 1);
	mnl_attr_put_strz(nlh, KS3_A_KERNEL_RELEASE, "6.1.0-18-amd64");
	return nlh;
}

/* Runs @print for @json into a captured stream; returns its exit status. */
static int show_status(const struct s3ctl_status *st, bool json,
		       struct capture *out, struct capture *err)
{
	struct s3ctl ctx = {
		.out = capture_start(out), .err = capture_start(err),
		.json = json, .cmd = "status",
	};

	return s3ctl_status_print(&ctx, st);
}

TEST(status_parse)
{
	struct s3ctl_status st;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };

	s3ctl_nlerr_init(&e);
	ASSERT_EQ(s3ctl_status_parse(nlbuf_status(&b, "/dev/vdb"), &st, &e), 0);
	EXPECT_STREQ(st.version, "0.1.0");
	EXPECT_EQ(st.state, KS3_STATE_ATTACHED);
	EXPECT_EQ(st.uptime_ms, 90061000);
	EXPECT_EQ(st.listeners, 2);
	EXPECT_EQ(st.connections, 17);
	EXPECT_STREQ(st.device, "/dev/vdb");

	b.len = 0;
	ASSERT_EQ(s3ctl_status_parse(nlbuf_status(&b, NULL), &st, &e), 0);
	EXPECT_STREQ(st.device, "");
}

/* KS3_A_DIGESTS as ks3_genl_fill_digests() builds it. */
static void put_digest(struct nlmsghdr *nlh, const char *alg,
		       const char *driver)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, KS3_A_DIGEST);

	if (alg)
		mnl_attr_put_strz(nlh, KS3_A_DIGEST_ALG, alg);
	if (driver)
		mnl_attr_put_strz(nlh, KS3_A_DIGEST_DRIVER, driver);
	mnl_attr_nest_end(nlh, nest);
}

TEST(status_parse_digests)
{
	struct s3ctl_status st;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_status(&b, NULL);
	struct nlattr *nest;
	unsigned int i;

	nest = mnl_attr_nest_start(nlh, KS3_A_DIGESTS);
	put_digest(nlh, "md5", "md5-generic");
	put_digest(nlh, "sha256", "sha256-avx2");
	/* unknown attributes inside the list are skipped */
	mnl_attr_put_u32(nlh, KS3_A_STATE, 1);
	put_digest(nlh, "crc32c", "crc32c-intel");
	mnl_attr_nest_end(nlh, nest);
	s3ctl_nlerr_init(&e);
	ASSERT_EQ(s3ctl_status_parse(nlh, &st, &e), 0);
	ASSERT_EQ(st.nr_digests, 3);
	EXPECT_STREQ(st.digests[0].alg, "md5");
	EXPECT_STREQ(st.digests[0].driver, "md5-generic");
	EXPECT_STREQ(st.digests[1].alg, "sha256");
	EXPECT_STREQ(st.digests[1].driver, "sha256-avx2");
	EXPECT_STREQ(st.digests[2].alg, "crc32c");
	EXPECT_STREQ(st.digests[2].driver, "crc32c-intel");

	/* an older module: none */
	b.len = 0;
	ASSERT_EQ(s3ctl_status_parse(nlbuf_status(&b, NULL), &st, &e), 0);
	EXPECT_EQ(st.nr_digests, 0);

	/* more than s3ctl keeps: the first S3CTL_DIGESTS_MAX */
	b.len = 0;
	nlh = nlbuf_status(&b, NULL);
	nest = mnl_attr_nest_start(nlh, KS3_A_DIGESTS);
	for (i = 0; i < S3CTL_DIGESTS_MAX + 2; i++)
		put_digest(nlh, i ? "x" : "first", "x-generic");
	mnl_attr_nest_end(nlh, nest);
	ASSERT_EQ(s3ctl_status_parse(nlh, &st, &e), 0);
	EXPECT_EQ(st.nr_digests, S3CTL_DIGESTS_MAX);
	EXPECT_STREQ(st.digests[0].alg, "first");
}

TEST(status_parse_rejects_bad_digests)
{
	struct s3ctl_status st;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_status(&b, NULL);
	struct nlattr *nest, *inner;

	nest = mnl_attr_nest_start(nlh, KS3_A_DIGESTS);
	put_digest(nlh, "sha256", NULL);
	mnl_attr_nest_end(nlh, nest);
	s3ctl_nlerr_init(&e);
	EXPECT_EQ(s3ctl_status_parse(nlh, &st, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'digest_driver' is missing");

	/* a driver name that is not a string */
	b.len = 0;
	nlh = nlbuf_status(&b, NULL);
	nest = mnl_attr_nest_start(nlh, KS3_A_DIGESTS);
	inner = mnl_attr_nest_start(nlh, KS3_A_DIGEST);
	mnl_attr_put_strz(nlh, KS3_A_DIGEST_ALG, "sha256");
	mnl_attr_put_u32(nlh, KS3_A_DIGEST_DRIVER, 0x41414141);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	EXPECT_EQ(s3ctl_status_parse(nlh, &st, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'digest_driver' is not a NUL-terminated string");
}

TEST(status_digests_human_and_json)
{
	struct s3ctl_status st = {
		.version = "0.1.0", .state = KS3_STATE_NO_DEVICE,
		.uptime_ms = 5000, .nr_digests = 3,
		.digests = {
			{ "md5", "md5-generic" },
			{ "sha256", "sha256-avx2" },
			{ "crc32c", "crc32c-intel" },
		},
	};
	struct capture out, err;

	EXPECT_EQ(show_status(&st, false, &out, &err), 0);
	EXPECT_STREQ(capture_text(&out),
		     "version:     0.1.0\n"
		     "state:       no-device\n"
		     "uptime:      5s\n"
		     "listeners:   0\n"
		     "connections: 0\n"
		     "digests:     md5-generic, sha256-avx2, crc32c-intel\n");
	capture_free(&out);
	capture_free(&err);

	EXPECT_EQ(show_status(&st, true, &out, &err), 0);
	EXPECT_STREQ(capture_text(&out),
		     "{\"version\":\"0.1.0\",\"state\":\"no-device\","
		     "\"uptime_ms\":5000,\"listeners\":0,"
		     "\"connections\":0,\"device\":null,"
		     "\"digests\":{\"md5\":\"md5-generic\","
		     "\"sha256\":\"sha256-avx2\",\"crc32c\":\"crc32c-intel\"}}\n");
	EXPECT_STREQ(capture_text(&err), "");
	capture_free(&out);
	capture_free(&err);
}

TEST(status_parse_requires_the_core_attributes)
{
	static const unsigned int required[] = {
		KS3_A_VERSION, KS3_A_STATE, KS3_A_UPTIME_MS, KS3_A_LISTENERS,
		KS3_A_CONNECTIONS,
	};
	struct s3ctl_status st;
	struct s3ctl_nlerr e;
	unsigned int i, type;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		struct nlbuf b = { .len = 0 };
		struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);
		char want[128];

		/* every attribute of a good reply but one */
		for (type = 1; type <= KS3_A_MAX; type++) {
			if (type == required[i] || type == KS3_A_PAD)
				continue;
			switch (s3ctl_ks3_policy[type].type) {
			case S3CTL_ATTR_STRING:
				mnl_attr_put_strz(nlh, type, "x");
				break;
			case S3CTL_ATTR_U64:
				mnl_attr_put_u64(nlh, type, 1);
				break;
			case S3CTL_ATTR_U8:
				mnl_attr_put_u8(nlh, type, 1);
				break;
			case S3CTL_ATTR_U16:
				mnl_attr_put_u16(nlh, type, 1);
				break;
			case S3CTL_ATTR_FLAG:
			case S3CTL_ATTR_NESTED:
				mnl_attr_put(nlh, type, 0, NULL);
				break;
			case S3CTL_ATTR_BINARY:
				mnl_attr_put(nlh, type, 16, "0123456789abcdef");
				break;
			default:
				mnl_attr_put_u32(nlh, type, 1);
				break;
			}
		}
		s3ctl_nlerr_init(&e);
		EXPECT_EQ(s3ctl_status_parse(nlh, &st, &e), -EPROTO);
		snprintf(want, sizeof(want),
			 "malformed netlink reply: attribute '%s' is missing",
			 s3ctl_ks3_policy[required[i]].name);
		EXPECT_STREQ(e.msg, want);
	}
}

TEST(status_human)
{
	struct s3ctl_status st = {
		.version = "0.1.0", .state = KS3_STATE_ATTACHED,
		.uptime_ms = 90061000, .listeners = 2, .connections = 17,
		.device = "/dev/vdb",
	};
	struct capture out, err;

	EXPECT_EQ(show_status(&st, false, &out, &err), 0);
	EXPECT_STREQ(capture_text(&out),
		     "version:     0.1.0\n"
		     "state:       attached\n"
		     "uptime:      1d 1h 1m 1s\n"
		     "listeners:   2\n"
		     "connections: 17\n"
		     "device:      /dev/vdb\n");
	EXPECT_STREQ(capture_text(&err), "");
	capture_free(&out);
	capture_free(&err);
}

TEST(status_human_without_device)
{
	struct s3ctl_status st = {
		.version = "0.1.0", .state = KS3_STATE_NO_DEVICE,
		.uptime_ms = 5000,
	};
	struct capture out, err;

	EXPECT_EQ(show_status(&st, false, &out, &err), 0);
	EXPECT_STREQ(capture_text(&out),
		     "version:     0.1.0\n"
		     "state:       no-device\n"
		     "uptime:      5s\n"
		     "listeners:   0\n"
		     "connections: 0\n");
	capture_free(&out);
	capture_free(&err);
}

TEST(status_json)
{
	struct s3ctl_status st = {
		.version = "0.1.0", .state = KS3_STATE_READ_ONLY,
		.uptime_ms = 90061000, .listeners = 2, .connections = 17,
		.device = "/dev/vdb",
	};
	struct capture out, err;
	json_error_t jerr;
	json_t *j;

	EXPECT_EQ(show_status(&st, true, &out, &err), 0);
	EXPECT_STREQ(capture_text(&out),
		     "{\"version\":\"0.1.0\",\"state\":\"read-only\","
		     "\"uptime_ms\":90061000,\"listeners\":2,"
		     "\"connections\":17,\"device\":\"/dev/vdb\","
		     "\"digests\":null}\n");
	j = json_loads(capture_text(&out), 0, &jerr);
	ASSERT_NOT_NULL(j);
	EXPECT_TRUE(json_is_integer(json_object_get(j, "uptime_ms")));
	json_decref(j);
	capture_free(&out);
	capture_free(&err);

	st.device[0] = '\0';
	EXPECT_EQ(show_status(&st, true, &out, &err), 0);
	j = json_loads(capture_text(&out), 0, &jerr);
	ASSERT_NOT_NULL(j);
	EXPECT_TRUE(json_is_null(json_object_get(j, "device")));
	EXPECT_TRUE(json_is_null(json_object_get(j, "digests")));
	EXPECT_EQ(json_object_size(j), 7);
	json_decref(j);
	capture_free(&out);
	capture_free(&err);
}

TEST(status_unknown_state_from_newer_module)
{
	struct s3ctl_status st = { .version = "9.0", .state = 7 };
	struct capture out, err;

	EXPECT_EQ(show_status(&st, false, &out, &err), 0);
	EXPECT_NOT_NULL(strstr(capture_text(&out), "state:       unknown (7)\n"));
	capture_free(&out);
	capture_free(&err);
	EXPECT_EQ(show_status(&st, true, &out, &err), 0);
	EXPECT_NOT_NULL(strstr(capture_text(&out), "\"state\":\"unknown\""));
	capture_free(&out);
	capture_free(&err);
}

TEST(state_names)
{
	EXPECT_STREQ(s3ctl_state_name(KS3_STATE_NO_DEVICE), "no-device");
	EXPECT_STREQ(s3ctl_state_name(KS3_STATE_ATTACHED), "attached");
	EXPECT_STREQ(s3ctl_state_name(KS3_STATE_READ_ONLY), "read-only");
	EXPECT_NULL(s3ctl_state_name(__KS3_STATE_MAX));
	EXPECT_NULL(s3ctl_state_name(UINT32_MAX));
}

TEST(version_parse_and_print)
{
	struct s3ctl_version v;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct capture out, err;
	struct s3ctl ctx = { .cmd = "version" };

	s3ctl_nlerr_init(&e);
	ASSERT_EQ(s3ctl_version_parse(version_reply(&b), &v, &e), 0);
	EXPECT_STREQ(v.version, "0.1.0");
	EXPECT_EQ(v.genl_version, 1);
	EXPECT_STREQ(v.kernel_release, "6.1.0-18-amd64");

	ctx.out = capture_start(&out);
	ctx.err = capture_start(&err);
	EXPECT_EQ(s3ctl_version_print(&ctx, &v), 0);
	EXPECT_STREQ(capture_text(&out),
		     "s3ctl:        " KS3_VERSION "\n"
		     "ks3.ko:       0.1.0\n"
		     "genl version: 1\n"
		     "kernel:       6.1.0-18-amd64\n");
	capture_free(&out);

	ctx.json = true;
	ctx.out = capture_start(&out);
	EXPECT_EQ(s3ctl_version_print(&ctx, &v), 0);
	EXPECT_STREQ(capture_text(&out),
		     "{\"s3ctl_version\":\"" KS3_VERSION "\","
		     "\"module_version\":\"0.1.0\",\"genl_version\":1,"
		     "\"kernel_release\":\"6.1.0-18-amd64\"}\n");
	EXPECT_STREQ(capture_text(&err), "");
	capture_free(&out);
	capture_free(&err);
}

TEST(version_parse_rejects_bad_replies)
{
	struct s3ctl_version v;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_VERSION);

	mnl_attr_put_strz(nlh, KS3_A_VERSION, "0.1.0");
	mnl_attr_put_u32(nlh, KS3_A_GENL_VERSION, 1);
	s3ctl_nlerr_init(&e);
	EXPECT_EQ(s3ctl_version_parse(nlh, &v, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'kernel_release' is missing");

	mnl_attr_put_u32(nlh, KS3_A_KERNEL_RELEASE, 0x41414141);  /* "AAAA" */
	EXPECT_EQ(s3ctl_version_parse(nlh, &v, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'kernel_release' is not a NUL-terminated string");
}
