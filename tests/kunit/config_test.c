// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the settings table (control/config.c). Every name is found and
 * its default reads back as text config set takes; values in and out of
 * range, names, domains and the rule between max_url_bytes and
 * max_header_bytes; a refused value leaves the message the admin sees.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ks3.h"
#include "control/config.h"

static struct ks3_config *ks3_test_config(struct kunit *test)
{
	struct ks3_config *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	ks3_config_defaults(c);
	return c;
}

static int ks3_test_set(struct ks3_config *c, const char *name,
			const char *value, const char **msg)
{
	int i = ks3_config_lookup(name);

	if (i < 0)
		return i;
	return ks3_config_parse(c, i, value, msg);
}

static void ks3_config_defaults_round_trip_test(struct kunit *test)
{
	struct ks3_config *c = ks3_test_config(test);
	struct ks3_config *d = ks3_test_config(test);
	char buf[KS3_CONFIG_TEXT_MAX];
	const char *msg;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, ks3_config_count(), 15U);
	for (i = 0; i < ks3_config_count(); i++) {
		KUNIT_EXPECT_EQ(test, ks3_config_lookup(ks3_config_name(i)),
				(int)i);
		ks3_config_format(d, i, buf, sizeof(buf));
		/* vhost_domain's default is empty, which parses too */
		KUNIT_EXPECT_EQ(test, ks3_config_parse(c, i, buf, &msg), 0);
	}
	KUNIT_EXPECT_EQ(test, memcmp(c, d, sizeof(*c)), 0);
	KUNIT_EXPECT_NULL(test, ks3_config_name(ks3_config_count()));
	KUNIT_EXPECT_EQ(test, ks3_config_lookup("colour"), -ENOENT);
	KUNIT_EXPECT_EQ(test, ks3_config_lookup("Region"), -ENOENT);
	KUNIT_EXPECT_EQ(test, ks3_config_lookup(""), -ENOENT);
}

static void ks3_config_numbers_test(struct kunit *test)
{
	struct ks3_config *c = ks3_test_config(test);
	char buf[KS3_CONFIG_TEXT_MAX];
	const char *msg;

	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "1", &msg),
			0);
	KUNIT_EXPECT_EQ(test, c->http.max_connections, 1U);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "65536",
					   &msg), 0);
	KUNIT_EXPECT_EQ(test, c->http.max_connections, 65536U);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "0100",
					   &msg), 0);
	ks3_config_format(c, ks3_config_lookup("max_connections"), buf,
			  sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "100");

	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "0", &msg),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, msg, "max_connections must be 1..65536");
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "65537",
					   &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "", &msg),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "+5", &msg),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "5\n",
					   &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", " 5", &msg),
			-EINVAL);
	/* past u64 and past u32 */
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections",
					   "18446744073709551617", &msg),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_connections", "4294967297",
					   &msg), -EINVAL);
	KUNIT_EXPECT_EQ(test, c->http.max_connections, 100U);

	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "global_buffer_bytes",
					   "1099511627776", &msg), 0);
	KUNIT_EXPECT_EQ(test, c->http.global_buffer, 1ULL << 40);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "global_buffer_bytes",
					   "1099511627777", &msg), -EINVAL);
	KUNIT_EXPECT_STREQ(test, msg,
			   "global_buffer_bytes must be 4194304..1099511627776");
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_header_count", "7", &msg),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_header_count", "128", &msg),
			0);
	KUNIT_EXPECT_EQ(test, c->http.max_fields, 128U);
}

static void ks3_config_url_within_head_test(struct kunit *test)
{
	struct ks3_config *c = ks3_test_config(test);
	const char *msg;

	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_url_bytes", "16384", &msg),
			0);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_header_bytes", "8192",
					   &msg), -EINVAL);
	KUNIT_EXPECT_STREQ(test, msg,
			   "max_url_bytes must not exceed max_header_bytes");
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_url_bytes", "1024", &msg),
			0);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_header_bytes", "1024",
					   &msg), 0);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "max_url_bytes", "1025", &msg),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, msg,
			   "max_url_bytes must not exceed max_header_bytes");
}

static void ks3_config_region_test(struct kunit *test)
{
	static const char *const good[] = {
		"us-east-1", "eu-west-3", "a", "local", "0", "-",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk",
	};
	static const char *const bad[] = {
		"", "US-EAST-1", "us_east_1", "us east", "us.east",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
	};
	struct ks3_config *c = ks3_test_config(test);
	const char *msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ks3_test_set(c, "region", good[i],
						       &msg), 0, "%s", good[i]);
		KUNIT_EXPECT_STREQ(test, c->region, good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ks3_test_set(c, "region", bad[i],
						       &msg), -EINVAL, "%s",
				    bad[i]);
		KUNIT_EXPECT_STREQ(test, msg,
				   "region must be 1 to 63 characters of a-z, 0-9 and '-'");
	}
}

static void ks3_config_domain_test(struct kunit *test)
{
	static const char *const good[] = {
		"", "localhost", "s3.example.com", "a.b.c", "x-1.y2",
		"0.example", "s3.amazonaws.com",
	};
	static const char *const bad[] = {
		".", "a..b", "a.", ".a", "-a.b", "a-.b", "a.-b", "A.b",
		"a_b.c", "a b", "a.b:9000", "*.example.com",
		/* a 64-character label */
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl.com",
	};
	struct ks3_config *c = ks3_test_config(test);
	char *longest;
	const char *msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ_MSG(test, ks3_test_set(c, "vhost_domain",
						       good[i], &msg), 0,
				    "%s", good[i]);
		KUNIT_EXPECT_STREQ(test, c->vhost_domain, good[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, ks3_test_set(c, "vhost_domain",
						       bad[i], &msg), -EINVAL,
				    "%s", bad[i]);

	/* 253 characters is the longest name: three labels of 63, one of 61 */
	longest = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, longest);
	for (i = 0; i < 3; i++) {
		memset(longest + i * 64, 'a', 63);
		longest[i * 64 + 63] = '.';
	}
	memset(longest + 192, 'a', 61);
	KUNIT_EXPECT_EQ(test, strlen(longest), 253U);
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "vhost_domain", longest, &msg),
			0);
	KUNIT_EXPECT_STREQ(test, c->vhost_domain, longest);
	longest[253] = 'a';
	KUNIT_EXPECT_EQ(test, ks3_test_set(c, "vhost_domain", longest, &msg),
			-EINVAL);
}

static struct kunit_case ks3_config_cases[] = {
	KUNIT_CASE(ks3_config_defaults_round_trip_test),
	KUNIT_CASE(ks3_config_numbers_test),
	KUNIT_CASE(ks3_config_url_within_head_test),
	KUNIT_CASE(ks3_config_region_test),
	KUNIT_CASE(ks3_config_domain_test),
	{}
};

static struct kunit_suite ks3_config_suite = {
	.name = "ks3_config",
	.test_cases = ks3_config_cases,
};

kunit_test_suite(ks3_config_suite);
