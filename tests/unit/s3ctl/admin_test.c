// SPDX-License-Identifier: GPL-2.0
/*
 * The key and bucket commands without a kernel (userland/s3ctl/cmd_key.c,
 * cmd_bucket.c, cli.c): permission and size arguments, per-verb options,
 * dump messages as module/control/genl.c sends them (a key continued over
 * two messages included), and their output.
 */
#include <errno.h>

#include <jansson.h>

#include "capture.h"
#include "cmd_bucket.h"
#include "cmd_key.h"
#include "nlmsg.h"
#include "unit.h"

TEST(permissions_parse)
{
	uint32_t caps;

	EXPECT_EQ(s3ctl_caps_parse("read", &caps), 0);
	EXPECT_EQ(caps, KS3_CAP_READ);
	EXPECT_EQ(s3ctl_caps_parse("read,write,list,owner", &caps), 0);
	EXPECT_EQ(caps, KS3_CAP_ALL);
	EXPECT_EQ(s3ctl_caps_parse("all", &caps), 0);
	EXPECT_EQ(caps, KS3_CAP_ALL);
	EXPECT_EQ(s3ctl_caps_parse("list,read,list", &caps), 0);
	EXPECT_EQ(caps, KS3_CAP_READ | KS3_CAP_LIST);
	EXPECT_EQ(s3ctl_caps_parse("", &caps), -EINVAL);
	EXPECT_EQ(s3ctl_caps_parse("read,", &caps), -EINVAL);
	EXPECT_EQ(s3ctl_caps_parse(",read", &caps), -EINVAL);
	EXPECT_EQ(s3ctl_caps_parse("Read", &caps), -EINVAL);
	EXPECT_EQ(s3ctl_caps_parse("readwrite", &caps), -EINVAL);
	EXPECT_EQ(s3ctl_caps_parse("all,read", &caps), -EINVAL);
}

TEST(permissions_format)
{
	char buf[64];
	json_t *j;
	char *s;

	s3ctl_caps_format(buf, sizeof(buf), 0);
	EXPECT_STREQ(buf, "none");
	s3ctl_caps_format(buf, sizeof(buf), KS3_CAP_LIST | KS3_CAP_READ);
	EXPECT_STREQ(buf, "read,list");
	s3ctl_caps_format(buf, sizeof(buf), KS3_CAP_ALL);
	EXPECT_STREQ(buf, "read,write,list,owner");
	j = s3ctl_caps_json(KS3_CAP_WRITE | KS3_CAP_OWNER);
	s = json_dumps(j, JSON_COMPACT);
	EXPECT_STREQ(s, "[\"write\",\"owner\"]");
	free(s);
	json_decref(j);
}

TEST(size_parse)
{
	uint64_t v;

	EXPECT_EQ(s3ctl_size_parse("0", &v), 0);
	EXPECT_EQ(v, 0);
	EXPECT_EQ(s3ctl_size_parse("1000", &v), 0);
	EXPECT_EQ(v, 1000);
	EXPECT_EQ(s3ctl_size_parse("10G", &v), 0);
	EXPECT_EQ(v, 10ULL << 30);
	EXPECT_EQ(s3ctl_size_parse("3k", &v), 0);
	EXPECT_EQ(v, 3072);
	EXPECT_EQ(s3ctl_size_parse("16777215T", &v), 0);
	EXPECT_EQ(v, 16777215ULL << 40);
	EXPECT_EQ(s3ctl_size_parse("16777216T", &v), -ERANGE);
	EXPECT_EQ(s3ctl_size_parse("18446744073709551615", &v), 0);
	EXPECT_EQ(v, UINT64_MAX);
	EXPECT_EQ(s3ctl_size_parse("18446744073709551616", &v), -ERANGE);
	EXPECT_EQ(s3ctl_size_parse("", &v), -EINVAL);
	EXPECT_EQ(s3ctl_size_parse("G", &v), -EINVAL);
	EXPECT_EQ(s3ctl_size_parse("-1", &v), -EINVAL);
	EXPECT_EQ(s3ctl_size_parse("1GB", &v), -EINVAL);
	EXPECT_EQ(s3ctl_size_parse("1.5G", &v), -EINVAL);
	EXPECT_EQ(s3ctl_size_parse(" 1", &v), -EINVAL);
}

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

/* A usage error: exit 2, nothing on stdout, exactly @line on stderr. */
#define EXPECT_USAGE(line, ...) do {					\
	struct result r_;						\
	run_argv(&r_, (char *[]){ "s3ctl", __VA_ARGS__, NULL });	\
	EXPECT_EQ(r_.status, S3CTL_EXIT_USAGE);				\
	EXPECT_STREQ(r_.out.buf, "");					\
	EXPECT_STREQ(r_.err.buf, line "\n");				\
	capture_free(&r_.out);						\
	capture_free(&r_.err);						\
} while (0)

/* Every one is refused before anything is sent to the kernel. */
TEST(usage_errors_of_the_admin_verbs)
{
	EXPECT_USAGE("s3ctl: dev: missing VERB (try 's3ctl dev help')", "dev");
	EXPECT_USAGE("s3ctl: dev attach: missing DEV", "dev", "attach");
	EXPECT_USAGE("s3ctl: dev attach: unexpected argument 'b'",
		     "dev", "attach", "a", "b");
	EXPECT_USAGE("s3ctl: dev attach: unknown option '--force'",
		     "dev", "attach", "--force", "/dev/vda");
	EXPECT_USAGE("s3ctl: dev detach: unexpected argument '/dev/vda'",
		     "dev", "detach", "/dev/vda");
	EXPECT_USAGE("s3ctl: key create: missing NAME", "key", "create");
	EXPECT_USAGE("s3ctl: key create: a key name is 1 to 64 characters",
		     "key", "create",
		     "12345678901234567890123456789012345678901234567890123456789012345");
	EXPECT_USAGE("s3ctl: key delete: invalid access key 'short' (20 characters)",
		     "key", "delete", "short");
	EXPECT_USAGE("s3ctl: key allow: missing ACCESS_KEY BUCKET PERMS",
		     "key", "allow");
	EXPECT_USAGE("s3ctl: key allow: missing PERMS",
		     "key", "allow", "KS3AAAAAAAAAAAAAAAAA", "photos");
	EXPECT_USAGE("s3ctl: key deny: invalid permissions 'rw' (a comma list of read, write, list, owner; or all)",
		     "key", "deny", "KS3AAAAAAAAAAAAAAAAA", "photos", "rw");
	EXPECT_USAGE("s3ctl: bucket create: option '--owner' needs a value",
		     "bucket", "create", "photos", "--owner");
	EXPECT_USAGE("s3ctl: bucket create: invalid access key 'x' for --owner (20 characters)",
		     "bucket", "create", "photos", "--owner=x");
	EXPECT_USAGE("s3ctl: bucket create: option '--owner' given twice",
		     "bucket", "create", "--owner", "a", "--owner", "b", "x");
	EXPECT_USAGE("s3ctl: bucket create: unknown option '--bytes'",
		     "bucket", "create", "photos", "--bytes", "1");
	EXPECT_USAGE("s3ctl: bucket quota: give --bytes N[KMGT], --objects N or both (0: no quota)",
		     "bucket", "quota", "photos");
	EXPECT_USAGE("s3ctl: bucket quota: invalid size '1X' for --bytes (N[KMGT])",
		     "bucket", "quota", "photos", "--bytes", "1X");
	EXPECT_USAGE("s3ctl: bucket quota: invalid number '-5' for --objects",
		     "bucket", "quota", "photos", "--objects=-5");
	EXPECT_USAGE("s3ctl: bucket delete: a bucket name is 3 to 63 characters",
		     "bucket", "delete", "");
	/* fsck takes DEV directly, but a verb-like word is still checked */
	EXPECT_USAGE("s3ctl: fsck: unexpected argument 'b'", "fsck", "a", "b");
}

/* A KEY_LIST message as genl.c fills it, with @n grants from @first. */
static struct nlmsghdr *key_msg(struct nlbuf *b, uint32_t id,
				const char *access, const char *name,
				unsigned int first, unsigned int n)
{
	struct nlmsghdr *nlh = nlbuf_genl(b, KS3_CMD_KEY_LIST);
	struct nlattr *grants, *g;
	char bucket[16];
	unsigned int i;

	mnl_attr_put_u32(nlh, KS3_A_KEY_ID, id);
	mnl_attr_put_strz(nlh, KS3_A_ACCESS_KEY, access);
	mnl_attr_put_strz(nlh, KS3_A_KEY_NAME, name);
	mnl_attr_put_u8(nlh, KS3_A_KEY_ENABLED, 1);
	mnl_attr_put(nlh, KS3_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, KS3_A_CREATE_TIME, 1700000000);
	grants = mnl_attr_nest_start(nlh, KS3_A_GRANTS);
	for (i = first; i < first + n; i++) {
		snprintf(bucket, sizeof(bucket), "bucket-%u", i);
		g = mnl_attr_nest_start(nlh, KS3_A_GRANT);
		mnl_attr_put_strz(nlh, KS3_A_BUCKET_NAME, bucket);
		mnl_attr_put_u32(nlh, KS3_A_BUCKET_ID, i);
		mnl_attr_put_u32(nlh, KS3_A_CAPS, i % 2 ? KS3_CAP_READ : KS3_CAP_ALL);
		mnl_attr_nest_end(nlh, g);
	}
	mnl_attr_nest_end(nlh, grants);
	return nlh;
}

TEST(key_list_merges_a_key_continued_in_the_next_message)
{
	struct s3ctl_key_list l = { 0 };
	struct s3ctl_nlerr e;
	struct nlbuf b;

	s3ctl_nlerr_init(&e);
	b.len = 0;
	ASSERT_EQ(s3ctl_key_list_parse(key_msg(&b, 1, "KS3AAAAAAAAAAAAAAAA1",
					       "alice", 1, 3), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_key_list_parse(key_msg(&b, 1, "KS3AAAAAAAAAAAAAAAA1",
					       "alice", 4, 2), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_key_list_parse(key_msg(&b, 2, "KS3AAAAAAAAAAAAAAAA2",
					       "bob", 0, 0), &l, &e), 0);
	ASSERT_EQ(l.n, 2);
	EXPECT_EQ(l.keys[0].id, 1);
	EXPECT_STREQ(l.keys[0].name, "alice");
	ASSERT_EQ(l.keys[0].nr_grants, 5);
	EXPECT_STREQ(l.keys[0].grants[0].bucket, "bucket-1");
	EXPECT_STREQ(l.keys[0].grants[4].bucket, "bucket-5");
	EXPECT_EQ(l.keys[0].grants[3].caps, KS3_CAP_ALL);
	EXPECT_EQ(l.keys[1].nr_grants, 0);
	EXPECT_TRUE(l.keys[1].enabled);
	s3ctl_key_list_free(&l);
}

TEST(key_list_refuses_malformed_grants)
{
	struct s3ctl_key_list l = { 0 };
	struct nlmsghdr *nlh;
	struct s3ctl_nlerr e;
	struct nlattr *gs, *g;
	struct nlbuf b = { .len = 0 };

	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_KEY_LIST);
	mnl_attr_put_u32(nlh, KS3_A_KEY_ID, 1);
	mnl_attr_put_strz(nlh, KS3_A_ACCESS_KEY, "KS3AAAAAAAAAAAAAAAA1");
	mnl_attr_put_strz(nlh, KS3_A_KEY_NAME, "alice");
	mnl_attr_put_u8(nlh, KS3_A_KEY_ENABLED, 0);
	mnl_attr_put_u64(nlh, KS3_A_CREATE_TIME, 1);
	gs = mnl_attr_nest_start(nlh, KS3_A_GRANTS);
	g = mnl_attr_nest_start(nlh, KS3_A_GRANT);
	mnl_attr_put_strz(nlh, KS3_A_BUCKET_NAME, "photos");
	mnl_attr_nest_end(nlh, g);
	mnl_attr_nest_end(nlh, gs);
	EXPECT_EQ(s3ctl_key_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'bucket_id' is missing");
	s3ctl_key_list_free(&l);

	/* the access key is at most 20 characters */
	b.len = 0;
	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_KEY_LIST);
	mnl_attr_put_u32(nlh, KS3_A_KEY_ID, 1);
	mnl_attr_put_strz(nlh, KS3_A_ACCESS_KEY, "KS3AAAAAAAAAAAAAAAAAAAAA");
	EXPECT_EQ(s3ctl_key_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'access_key' is longer than 20 characters");
	s3ctl_key_list_free(&l);
}

TEST(key_list_output)
{
	struct s3ctl_key_list l = { 0 };
	struct capture out, err;
	struct s3ctl_nlerr e;
	struct s3ctl ctx;
	struct nlbuf b;

	s3ctl_nlerr_init(&e);
	b.len = 0;
	ASSERT_EQ(s3ctl_key_list_parse(key_msg(&b, 1, "KS3AAAAAAAAAAAAAAAA1",
					       "alice", 1, 2), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_key_list_parse(key_msg(&b, 12, "KS3AAAAAAAAAAAAAAAA2",
					       "bob", 0, 0), &l, &e), 0);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err) };
	EXPECT_EQ(s3ctl_key_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"ACCESS KEY            ID  NAME   ENABLED  CREATED               PERMISSIONS\n"
		"KS3AAAAAAAAAAAAAAAA1  1   alice  yes      2023-11-14T22:13:20Z  bucket-1:read bucket-2:read,write,list,owner\n"
		"KS3AAAAAAAAAAAAAAAA2  12  bob    yes      2023-11-14T22:13:20Z  -\n");
	capture_free(&out);
	capture_free(&err);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_key_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"[{\"id\":1,\"access_key\":\"KS3AAAAAAAAAAAAAAAA1\",\"name\":\"alice\","
		"\"enabled\":true,\"create_time\":1700000000,\"grants\":["
		"{\"bucket\":\"bucket-1\",\"bucket_id\":1,\"permissions\":[\"read\"]},"
		"{\"bucket\":\"bucket-2\",\"bucket_id\":2,\"permissions\":[\"read\",\"write\",\"list\",\"owner\"]}]},"
		"{\"id\":12,\"access_key\":\"KS3AAAAAAAAAAAAAAAA2\",\"name\":\"bob\","
		"\"enabled\":true,\"create_time\":1700000000,\"grants\":[]}]\n");
	capture_free(&out);
	capture_free(&err);
	s3ctl_key_list_free(&l);

	/* no keys: a header, or an empty array */
	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_key_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out), "[]\n");
	capture_free(&out);
	capture_free(&err);
}

static struct nlmsghdr *bucket_msg(struct nlbuf *b, const char *name,
				   uint32_t id, const char *owner)
{
	struct nlmsghdr *nlh = nlbuf_genl(b, KS3_CMD_BUCKET_LIST);

	mnl_attr_put_strz(nlh, KS3_A_BUCKET_NAME, name);
	mnl_attr_put_u32(nlh, KS3_A_BUCKET_ID, id);
	mnl_attr_put_u32(nlh, KS3_A_OWNER_ID, owner ? 3 : 0);
	if (owner)
		mnl_attr_put_strz(nlh, KS3_A_OWNER, owner);
	mnl_attr_put_u64(nlh, KS3_A_CREATE_TIME, 1700000000);
	mnl_attr_put_u64(nlh, KS3_A_NR_OBJECTS, 12);
	mnl_attr_put_u64(nlh, KS3_A_BYTES, 3 << 20);
	mnl_attr_put_u64(nlh, KS3_A_QUOTA_BYTES, owner ? 10ULL << 30 : 0);
	mnl_attr_put_u64(nlh, KS3_A_QUOTA_OBJECTS, owner ? 1000 : 0);
	return nlh;
}

TEST(bucket_list_parse_and_output)
{
	struct s3ctl_bucket_list l = { 0 };
	struct capture out, err;
	struct s3ctl_nlerr e;
	struct s3ctl ctx;
	struct nlbuf b;

	s3ctl_nlerr_init(&e);
	b.len = 0;
	ASSERT_EQ(s3ctl_bucket_list_parse(bucket_msg(&b, "photos", 1,
			"KS3AAAAAAAAAAAAAAAA1"), &l, &e), 0);
	b.len = 0;
	ASSERT_EQ(s3ctl_bucket_list_parse(bucket_msg(&b, "logs", 2, NULL), &l,
					  &e), 0);
	ASSERT_EQ(l.n, 2);
	EXPECT_STREQ(l.buckets[0].owner, "KS3AAAAAAAAAAAAAAAA1");
	EXPECT_STREQ(l.buckets[1].owner, "");

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err) };
	EXPECT_EQ(s3ctl_bucket_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"NAME    ID  OWNER                 OBJECTS  BYTES    QUOTA BYTES  QUOTA OBJECTS  CREATED\n"
		"photos  1   KS3AAAAAAAAAAAAAAAA1  12       3.0 MiB  10.0 GiB     1000           2023-11-14T22:13:20Z\n"
		"logs    2   -                     12       3.0 MiB  -            -              2023-11-14T22:13:20Z\n");
	capture_free(&out);
	capture_free(&err);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true };
	EXPECT_EQ(s3ctl_bucket_list_print(&ctx, &l), S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&out),
		"[{\"name\":\"photos\",\"id\":1,\"owner\":\"KS3AAAAAAAAAAAAAAAA1\",\"owner_id\":3,"
		"\"create_time\":1700000000,\"objects\":12,\"bytes\":3145728,"
		"\"quota_bytes\":10737418240,\"quota_objects\":1000},"
		"{\"name\":\"logs\",\"id\":2,\"owner\":null,\"owner_id\":0,"
		"\"create_time\":1700000000,\"objects\":12,\"bytes\":3145728,"
		"\"quota_bytes\":0,\"quota_objects\":0}]\n");
	capture_free(&out);
	capture_free(&err);
	s3ctl_bucket_list_free(&l);
}

TEST(bucket_list_requires_every_field)
{
	struct s3ctl_bucket_list l = { 0 };
	struct nlmsghdr *nlh;
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };

	s3ctl_nlerr_init(&e);
	nlh = nlbuf_genl(&b, KS3_CMD_BUCKET_LIST);
	mnl_attr_put_strz(nlh, KS3_A_BUCKET_NAME, "photos");
	mnl_attr_put_u32(nlh, KS3_A_BUCKET_ID, 1);
	EXPECT_EQ(s3ctl_bucket_list_parse(nlh, &l, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'owner_id' is missing");
	EXPECT_EQ(l.n, 0);
	s3ctl_bucket_list_free(&l);
}
