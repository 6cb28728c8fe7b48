// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the attributes ks3's netlink replies carry (control/genl.c). The
 * fill functions write into a plain skb, which is parsed back with the
 * same rules s3ctl relies on.
 */
#include <kunit/test.h>
#include <linux/utsname.h>
#include <net/netlink.h>

#include "ks3.h"

static struct sk_buff *ks3_test_skb(struct kunit *test)
{
	struct sk_buff *skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	return skb;
}

static void ks3_test_parse(struct kunit *test, struct sk_buff *skb,
			   struct nlattr **tb)
{
	int ret = nla_parse(tb, KS3_A_MAX, (struct nlattr *)skb->data,
			    skb->len, NULL, NULL);

	KUNIT_ASSERT_EQ(test, ret, 0);
}

static void ks3_genl_version_test(struct kunit *test)
{
	struct sk_buff *skb = ks3_test_skb(test);
	struct nlattr *tb[KS3_A_MAX + 1];

	KUNIT_ASSERT_EQ(test, ks3_genl_fill_version(skb), 0);
	ks3_test_parse(test, skb, tb);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_VERSION]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[KS3_A_VERSION]),
			   KS3_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_GENL_VERSION]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KS3_A_GENL_VERSION]),
			KS3_GENL_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_KERNEL_RELEASE]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[KS3_A_KERNEL_RELEASE]),
			   init_utsname()->release);
	kfree_skb(skb);
}

static void ks3_genl_status_test(struct kunit *test)
{
	struct sk_buff *skb = ks3_test_skb(test);
	struct nlattr *tb[KS3_A_MAX + 1];
	struct ks3_server srv;

	KUNIT_ASSERT_EQ(test, ks3_server_init(&srv), 0);
	atomic_set(&srv.listeners, 2);
	atomic_set(&srv.connections, 5);

	KUNIT_ASSERT_EQ(test, ks3_genl_fill_status(skb, &srv), 0);
	ks3_test_parse(test, skb, tb);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_STATE]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KS3_A_STATE]),
			(u32)KS3_STATE_NO_DEVICE);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_UPTIME_MS]);
	KUNIT_EXPECT_LT(test, nla_get_u64(tb[KS3_A_UPTIME_MS]), 60000ULL);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_LISTENERS]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KS3_A_LISTENERS]), 2U);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_CONNECTIONS]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KS3_A_CONNECTIONS]), 5U);
	/* No device attached: the attribute is absent, not empty. */
	KUNIT_EXPECT_NULL(test, tb[KS3_A_DEVICE]);
	kfree_skb(skb);
	ks3_server_destroy(&srv);
}

static void ks3_genl_status_device_test(struct kunit *test)
{
	struct sk_buff *skb = ks3_test_skb(test);
	struct nlattr *tb[KS3_A_MAX + 1];
	struct ks3_server srv;

	KUNIT_ASSERT_EQ(test, ks3_server_init(&srv), 0);
	srv.state = KS3_STATE_READ_ONLY;
	strscpy(srv.device, "/dev/vdb", sizeof(srv.device));

	KUNIT_ASSERT_EQ(test, ks3_genl_fill_status(skb, &srv), 0);
	ks3_test_parse(test, skb, tb);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[KS3_A_STATE]),
			(u32)KS3_STATE_READ_ONLY);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_DEVICE]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[KS3_A_DEVICE]),
			   "/dev/vdb");
	kfree_skb(skb);
	ks3_server_destroy(&srv);
}

/* The digests nest: one KS3_A_DIGEST per algorithm, each named. */
static void ks3_genl_status_digests_test(struct kunit *test)
{
	struct sk_buff *skb = ks3_test_skb(test);
	struct nlattr *tb[KS3_A_MAX + 1], *a;
	struct ks3_server srv;
	unsigned int n = 0;
	int rem;

	ks3_server_init(&srv);
	KUNIT_ASSERT_EQ(test, ks3_genl_fill_status(skb, &srv), 0);
	ks3_test_parse(test, skb, tb);
	KUNIT_ASSERT_NOT_NULL(test, tb[KS3_A_DIGESTS]);
	nla_for_each_nested(a, tb[KS3_A_DIGESTS], rem) {
		KUNIT_EXPECT_EQ(test, nla_type(a), KS3_A_DIGEST);
		KUNIT_EXPECT_NOT_NULL(test,
				      nla_find_nested(a, KS3_A_DIGEST_ALG));
		KUNIT_EXPECT_NOT_NULL(test,
				      nla_find_nested(a, KS3_A_DIGEST_DRIVER));
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 6U);
	kfree_skb(skb);
	ks3_server_destroy(&srv);
}

/* A reply that does not fit must fail cleanly, not write past the skb. */
static void ks3_genl_status_too_small_test(struct kunit *test)
{
	struct sk_buff *skb = ks3_test_skb(test);
	struct ks3_server srv;

	/* Leave room for the version attribute and little more. */
	skb_put(skb, skb_tailroom(skb) - 16);
	KUNIT_ASSERT_EQ(test, ks3_server_init(&srv), 0);
	KUNIT_EXPECT_EQ(test, ks3_genl_fill_status(skb, &srv), -EMSGSIZE);
	kfree_skb(skb);
	ks3_server_destroy(&srv);
}

static struct kunit_case ks3_genl_cases[] = {
	KUNIT_CASE(ks3_genl_version_test),
	KUNIT_CASE(ks3_genl_status_test),
	KUNIT_CASE(ks3_genl_status_device_test),
	KUNIT_CASE(ks3_genl_status_digests_test),
	KUNIT_CASE(ks3_genl_status_too_small_test),
	{}
};

static struct kunit_suite ks3_genl_suite = {
	.name = "ks3_genl",
	.test_cases = ks3_genl_cases,
};

kunit_test_suite(ks3_genl_suite);
