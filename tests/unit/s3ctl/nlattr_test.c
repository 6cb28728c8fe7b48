// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl's policy-checked attribute parsing (userland/s3ctl/nlattr.c,
 * ks3_policy.c) on crafted replies.
 */
#include <errno.h>

#include "ks3_policy.h"
#include "nlmsg.h"
#include "unit.h"

static int parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		 struct s3ctl_nlerr *e)
{
	s3ctl_nlerr_init(e);
	return s3ctl_ks3_parse(nlh, tb, e);
}

TEST(status_reply_parses)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_status(&b, "/dev/vdb");

	ASSERT_EQ(parse(nlh, tb, &e), 0);
	EXPECT_EQ(e.code, 0);
	ASSERT_NOT_NULL(tb[KS3_A_VERSION]);
	EXPECT_STREQ(mnl_attr_get_str(tb[KS3_A_VERSION]), "0.1.0");
	ASSERT_NOT_NULL(tb[KS3_A_STATE]);
	EXPECT_EQ(mnl_attr_get_u32(tb[KS3_A_STATE]), KS3_STATE_ATTACHED);
	ASSERT_NOT_NULL(tb[KS3_A_UPTIME_MS]);
	EXPECT_EQ(mnl_attr_get_u64(tb[KS3_A_UPTIME_MS]), 90061000);
	ASSERT_NOT_NULL(tb[KS3_A_DEVICE]);
	EXPECT_STREQ(mnl_attr_get_str(tb[KS3_A_DEVICE]), "/dev/vdb");
	EXPECT_NULL(tb[KS3_A_GENL_VERSION]);
	EXPECT_NULL(tb[KS3_A_PAD]);		/* padding is never handed out */
}

TEST(u32_of_wrong_length_rejected)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);

	mnl_attr_put_u64(nlh, KS3_A_STATE, 1);
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_EQ(e.code, EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'state' has 8 bytes, expected 4");
}

TEST(short_u64_rejected)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);

	mnl_attr_put_u32(nlh, KS3_A_UPTIME_MS, 1);
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'uptime_ms' has 4 bytes, expected 8");
}

TEST(string_checks)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	char longest[S3CTL_VERSION_MAX + 2];
	struct nlbuf b;
	struct nlmsghdr *nlh;

	b.len = 0;
	nlh = nlbuf_genl(&b, KS3_CMD_GET_VERSION);
	mnl_attr_put(nlh, KS3_A_VERSION, 5, "0.1.0");		/* no NUL */
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'version' is not a NUL-terminated string");

	b.len = 0;
	nlh = nlbuf_genl(&b, KS3_CMD_GET_VERSION);
	mnl_attr_put(nlh, KS3_A_VERSION, 0, NULL);		/* empty */
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'version' is not a NUL-terminated string");

	b.len = 0;
	nlh = nlbuf_genl(&b, KS3_CMD_GET_VERSION);
	mnl_attr_put(nlh, KS3_A_KERNEL_RELEASE, 6, "6.1\0x");	/* NUL inside */
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'kernel_release' has a NUL inside the string");

	/* S3CTL_VERSION_MAX characters pass, one more does not. */
	memset(longest, 'v', sizeof(longest));
	longest[S3CTL_VERSION_MAX] = '\0';
	b.len = 0;
	nlh = nlbuf_genl(&b, KS3_CMD_GET_VERSION);
	mnl_attr_put_strz(nlh, KS3_A_VERSION, longest);
	EXPECT_EQ(parse(nlh, tb, &e), 0);

	longest[S3CTL_VERSION_MAX] = 'v';
	longest[S3CTL_VERSION_MAX + 1] = '\0';
	b.len = 0;
	nlh = nlbuf_genl(&b, KS3_CMD_GET_VERSION);
	mnl_attr_put_strz(nlh, KS3_A_VERSION, longest);
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'version' is longer than 64 characters");
}

TEST(unknown_attributes_from_newer_module_skipped)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_status(&b, NULL);

	/* any shape at all: s3ctl does not know what it is */
	mnl_attr_put(nlh, KS3_A_MAX + 1, 3, "abc");
	mnl_attr_put_u64(nlh, 1000, 5);
	ASSERT_EQ(parse(nlh, tb, &e), 0);
	EXPECT_NOT_NULL(tb[KS3_A_STATE]);
}

TEST(nla_type_flags_masked)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);

	mnl_attr_put_u32(nlh, KS3_A_STATE | NLA_F_NET_BYTEORDER, 2);
	ASSERT_EQ(parse(nlh, tb, &e), 0);
	ASSERT_NOT_NULL(tb[KS3_A_STATE]);
	EXPECT_EQ(mnl_attr_get_u32(tb[KS3_A_STATE]), 2);
}

TEST(truncated_attribute_rejected)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);
	struct nlattr *last;

	mnl_attr_put_u32(nlh, KS3_A_LISTENERS, 2);
	last = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, KS3_A_STATE, 1);
	last->nla_len += 4;	/* claims more than the message holds */
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: 8 bytes after the last attribute");
}

TEST(trailing_bytes_rejected)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);

	mnl_attr_put_u32(nlh, KS3_A_STATE, 1);
	memset(mnl_nlmsg_get_payload_tail(nlh), 0, 4);
	nlh->nlmsg_len += 3;	/* too short to be an attribute header */
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: 3 bytes after the last attribute");
}

TEST(last_attribute_without_padding_accepted)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);

	mnl_attr_put_strz(nlh, KS3_A_VERSION, "0.1");	/* 4 + 4 bytes */
	mnl_attr_put_strz(nlh, KS3_A_DEVICE, "/dev/sda");	/* 4 + 9 -> 16 */
	nlh->nlmsg_len -= 3;	/* drop the final padding */
	ASSERT_EQ(parse(nlh, tb, &e), 0);
	EXPECT_STREQ(mnl_attr_get_str(tb[KS3_A_DEVICE]), "/dev/sda");
}

TEST(message_shorter_than_genl_header)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_msg(&b, TEST_FAMILY, 0);

	nlh->nlmsg_len += 2;
	EXPECT_EQ(parse(nlh, tb, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: message of 18 bytes is shorter than its headers");
}

TEST(require_names_the_missing_attribute)
{
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_nlerr e;
	struct nlbuf b = { .len = 0 };
	struct nlmsghdr *nlh = nlbuf_genl(&b, KS3_CMD_GET_STATUS);

	mnl_attr_put_strz(nlh, KS3_A_VERSION, "0.1.0");
	ASSERT_EQ(parse(nlh, tb, &e), 0);
	EXPECT_EQ(s3ctl_attr_require(tb, s3ctl_ks3_policy, KS3_A_VERSION, &e), 0);
	EXPECT_EQ(s3ctl_attr_require(tb, s3ctl_ks3_policy, KS3_A_STATE, &e), -EPROTO);
	EXPECT_STREQ(e.msg, "malformed netlink reply: attribute 'state' is missing");
}

TEST(attr_names)
{
	char buf[16];

	EXPECT_STREQ(s3ctl_attr_name(s3ctl_ks3_policy, KS3_A_MAX, KS3_A_DEVICE,
				     buf, sizeof(buf)), "device");
	EXPECT_STREQ(s3ctl_attr_name(s3ctl_ks3_policy, KS3_A_MAX, 200,
				     buf, sizeof(buf)), "#200");
}

/* Fails when uapi/linux/ks3.h grows an attribute s3ctl has no policy for. */
TEST(policy_covers_every_uapi_attribute)
{
	unsigned int type;

	EXPECT_EQ(s3ctl_ks3_policy[KS3_A_UNSPEC].type, S3CTL_ATTR_IGNORE);
	for (type = KS3_A_UNSPEC + 1; type <= KS3_A_MAX; type++) {
		EXPECT_NOT_NULL(s3ctl_ks3_policy[type].name);
		if (type != KS3_A_PAD)
			EXPECT_NE(s3ctl_ks3_policy[type].type,
				  S3CTL_ATTR_IGNORE);
	}
	EXPECT_EQ(s3ctl_ks3_policy[KS3_A_PAD].type, S3CTL_ATTR_IGNORE);
}
