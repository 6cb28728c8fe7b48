// SPDX-License-Identifier: GPL-2.0
/*
 * ks3_kunit_selftest.ko: proves the KUnit runner can fail. Loaded after the
 * real suites; the runner expects this suite to fail and a KASAN report to
 * appear. If either goes unnoticed, tests/kunit/run.sh fails make check.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/slab.h>

static void ks3_selftest_failed_assertion(struct kunit *test)
{
	KUNIT_EXPECT_EQ_MSG(test, 1, 2, "deliberate failure (runner self-test)");
}

static void ks3_selftest_kasan_report(struct kunit *test)
{
	size_t size = 13;
	char *buf = kmalloc(size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	OPTIMIZER_HIDE_VAR(buf);
	OPTIMIZER_HIDE_VAR(size);
	/* One byte past the object: KASAN must report it. */
	pr_info("ks3 selftest: reading past a kmalloc object: %d\n",
		READ_ONCE(buf[size]));
	kfree(buf);
}

static struct kunit_case ks3_selftest_cases[] = {
	KUNIT_CASE(ks3_selftest_failed_assertion),
	KUNIT_CASE(ks3_selftest_kasan_report),
	{}
};

static struct kunit_suite ks3_selftest_suite = {
	.name = "ks3_runner_selftest",
	.test_cases = ks3_selftest_cases,
};

kunit_test_suite(ks3_selftest_suite);

MODULE_DESCRIPTION("ks3 KUnit runner self-test: must fail");
MODULE_LICENSE("GPL");
