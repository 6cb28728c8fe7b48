// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the object data cache (storage/cache.c) on a memory device: a
 * second read comes from RAM, freed blocks reused by another object never
 * serve the old data, a chunk that fails its crc is neither sent nor kept,
 * and the size limit evicts old chunks.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "memdev.h"
#include "store_util.h"
#include "storage/cache.h"

#define CACHE_BLOCKS	8192	/* 32 MiB */

static const u8 ks3_cache_uuid[16] = "ks3-cache-uuid!";

struct ks3_cache_env {
	struct ks3_memdev *m;
	struct ks3_store *s;
};

static void ks3_cache_setup(struct kunit *test, struct ks3_cache_env *env)
{
	const char *why;

	env->m = ks3_memdev_create(CACHE_BLOCKS);
	KUNIT_ASSERT_NOT_NULL(test, env->m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&env->m->dev, ks3_cache_uuid, 1),
			0);
	env->s = ks3_store_attach(&env->m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->s));
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(env->s, "data", 4, 1), 0);
}

static void ks3_cache_teardown(struct ks3_cache_env *env)
{
	ks3_store_detach(env->s);
	ks3_memdev_destroy(env->m);
}

static struct ks3_object *ks3_cache_obj(struct kunit *test,
					struct ks3_store *s, const char *key)
{
	struct ks3_object *obj = ks3_object_get(s, "data", 4, key,
						strlen(key));

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(obj), "get %s: %ld", key,
			       PTR_ERR(obj));
	return obj;
}

/* The second read of an object costs no device read. */
static void ks3_cache_hit_test(struct kunit *test)
{
	struct ks3_cache_stats st;
	struct ks3_cache_env env;
	struct ks3_object *obj;
	u64 reads;

	ks3_cache_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "big",
					   (3 << 20) + 5, 4), 0);
	obj = ks3_cache_obj(test, env.s, "big");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 4), 0);
	ks3_cache_stats(env.s, &st);
	KUNIT_EXPECT_EQ(test, st.misses, 4ULL);
	KUNIT_EXPECT_EQ(test, st.pages, (u64)(3 * 256 + 1));

	reads = atomic64_read(&env.m->dev.nr_reads);
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 4), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&env.m->dev.nr_reads), reads);
	ks3_cache_stats(env.s, &st);
	KUNIT_EXPECT_EQ(test, st.misses, 4ULL);
	KUNIT_EXPECT_GE(test, st.hits, 4ULL);
	ks3_object_put(env.s, obj);

	/* Deleting the object drops its chunks. */
	KUNIT_EXPECT_EQ(test, ks3_object_delete(env.s, "data", 4, "big", 3), 0);
	ks3_cache_stats(env.s, &st);
	KUNIT_EXPECT_EQ(test, st.pages, 0ULL);
	ks3_cache_teardown(&env);
}

/* Blocks freed and reused by another object never serve the old data. */
static void ks3_cache_reuse_test(struct kunit *test)
{
	struct ks3_cache_env env;
	struct ks3_object *obj;
	u64 start;

	ks3_cache_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "a", 20000, 1), 0);
	obj = ks3_cache_obj(test, env.s, "a");
	start = obj->seg[0].extents[0].start;
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 1), 0);
	ks3_object_put(env.s, obj);

	/* Replaced by the same key: the old blocks are freed... */
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "a", 20000, 2), 0);
	/* ...and taken by the next object of that size. */
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "b", 20000, 3), 0);
	obj = ks3_cache_obj(test, env.s, "b");
	KUNIT_EXPECT_EQ_MSG(test, obj->seg[0].extents[0].start, start,
			    "the allocator did not reuse the freed blocks");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 3), 0);
	ks3_object_put(env.s, obj);
	obj = ks3_cache_obj(test, env.s, "a");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 2), 0);
	ks3_object_put(env.s, obj);
	ks3_cache_teardown(&env);
}

/* A chunk that fails its crc check is refused every time, and not kept. */
static void ks3_cache_corrupt_test(struct kunit *test)
{
	struct ks3_cache_stats st;
	struct ks3_cache_env env;
	struct ks3_object *obj;
	u8 *blk, *buf;

	ks3_cache_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "c", 10000, 5), 0);
	obj = ks3_cache_obj(test, env.s, "c");
	buf = kunit_kmalloc(test, 10, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	blk = env.m->blocks[obj->seg[0].extents[0].start + 1];
	blk[17] ^= 0x10;
	KUNIT_EXPECT_EQ(test, ks3_object_read(env.s, obj, 0, buf, 10),
			-EBADMSG);
	KUNIT_EXPECT_EQ(test, ks3_object_read(env.s, obj, 0, buf, 10),
			-EBADMSG);
	ks3_cache_stats(env.s, &st);
	KUNIT_EXPECT_EQ(test, st.pages, 0ULL);
	KUNIT_EXPECT_EQ(test, st.misses, 2ULL);
	/* Repaired on the device: read again, and good. */
	blk[17] ^= 0x10;
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 5), 0);
	ks3_object_put(env.s, obj);
	ks3_cache_teardown(&env);
}

/* Over the limit, old chunks go; what is read is still right. */
static void ks3_cache_limit_test(struct kunit *test)
{
	unsigned int saved = ks3_cache_limit_mb;
	struct ks3_cache_stats st;
	struct ks3_cache_env env;
	struct ks3_object *obj;
	char key[4];
	int i, round;

	ks3_cache_limit_mb = 2;
	ks3_cache_setup(test, &env);
	ks3_cache_limit_mb = saved;
	for (i = 0; i < 6; i++) {
		snprintf(key, sizeof(key), "o%d", i);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", key,
						   1 << 20, 10 + i), 0);
	}
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 6; i++) {
			snprintf(key, sizeof(key), "o%d", i);
			obj = ks3_cache_obj(test, env.s, key);
			KUNIT_EXPECT_EQ(test,
					ks3_test_check_data(env.s, obj, 10 + i),
					0);
			ks3_object_put(env.s, obj);
			ks3_cache_stats(env.s, &st);
			/* At most one chunk over while it fills. */
			KUNIT_EXPECT_LE(test, st.pages, st.limit_pages + 256);
		}
	}
	ks3_cache_stats(env.s, &st);
	KUNIT_EXPECT_EQ(test, st.limit_pages, 512ULL);
	KUNIT_EXPECT_GE(test, st.evictions, 4ULL);
	ks3_cache_teardown(&env);
}

static struct kunit_case ks3_cache_cases[] = {
	KUNIT_CASE(ks3_cache_hit_test),
	KUNIT_CASE(ks3_cache_reuse_test),
	KUNIT_CASE(ks3_cache_corrupt_test),
	KUNIT_CASE(ks3_cache_limit_test),
	{}
};

static struct kunit_suite ks3_cache_suite = {
	.name = "ks3_cache",
	.test_cases = ks3_cache_cases,
};

kunit_test_suite(ks3_cache_suite);
