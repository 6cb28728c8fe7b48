// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: S3 bucket naming rules (storage/bucket_name.c), in the kernel that
 * runs them; the same file is also tested natively in tools/testing.
 */
#include <kunit/test.h>

#include "storage/bucket_name.h"

static bool ks3_test_name_ok(const char *name)
{
	return !ks3_bucket_name_problem(name, strlen(name));
}

static void ks3_bucket_name_valid_test(struct kunit *test)
{
	static const char *const valid[] = {
		"abc", "my-bucket", "my.bucket.example", "a1b2c3",
		"0123456789", "bucket-1.logs", "192.168.5.4a", "1.2.3",
		"1.2.3.4.5",
		/* 63 characters */
		"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid); i++)
		KUNIT_EXPECT_TRUE_MSG(test, ks3_test_name_ok(valid[i]),
				      "rejected %s", valid[i]);
}

static void ks3_bucket_name_invalid_test(struct kunit *test)
{
	static const char *const invalid[] = {
		"", "ab", "Abc", "my_bucket", "-abc", "abc-", ".abc", "abc.",
		"a..b", "192.168.5.4", "10.0.0.1", "xn--abc", "sthree-abc",
		"amzn-s3-demo-x", "abc-s3alias", "abc--ol-s3", "abc.mrap",
		"abc--x-s3", "abc--table-s3", "my bucket", "caf\xc3\xa9",
		/* 64 characters */
		"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(invalid); i++)
		KUNIT_EXPECT_FALSE_MSG(test, ks3_test_name_ok(invalid[i]),
				       "accepted %s", invalid[i]);
}

/* The length is explicit: bytes past it, and embedded NULs, count. */
static void ks3_bucket_name_length_test(struct kunit *test)
{
	KUNIT_EXPECT_NULL(test, ks3_bucket_name_problem("abcdef", 3));
	KUNIT_EXPECT_NOT_NULL(test, ks3_bucket_name_problem("ab\0cd", 5));
	KUNIT_EXPECT_NOT_NULL(test, ks3_bucket_name_problem("abc", 0));
}

static void ks3_bucket_name_reason_test(struct kunit *test)
{
	const char *why = ks3_bucket_name_problem("a..b", 4);

	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_NOT_NULL(test, strstr(why, "adjacent dots"));
}

static struct kunit_case ks3_bucket_name_cases[] = {
	KUNIT_CASE(ks3_bucket_name_valid_test),
	KUNIT_CASE(ks3_bucket_name_invalid_test),
	KUNIT_CASE(ks3_bucket_name_length_test),
	KUNIT_CASE(ks3_bucket_name_reason_test),
	{}
};

static struct kunit_suite ks3_bucket_name_suite = {
	.name = "ks3_bucket_name",
	.test_cases = ks3_bucket_name_cases,
};

kunit_test_suite(ks3_bucket_name_suite);
