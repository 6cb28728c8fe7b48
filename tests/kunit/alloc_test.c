// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the extent allocator (storage/alloc.c), against a bitmap model.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "storage/alloc.h"

#define REGION_START	100
#define REGION_BLOCKS	512

struct ks3_alloc_walk {
	u64 prev_end;
	u64 sum;
	u64 count;
	bool ok;
	unsigned long *model;	/* set bit: block in use */
};

/* Free extents are sorted, disjoint, merged, and match the model. */
static int ks3_alloc_walk_fn(void *arg, u64 start, u64 blocks)
{
	struct ks3_alloc_walk *w = arg;
	u64 b;

	if (w->count && start <= w->prev_end)
		w->ok = false;	/* overlapping or adjacent: not merged */
	for (b = start; b < start + blocks; b++)
		if (w->model && test_bit(b - REGION_START, w->model))
			w->ok = false;
	w->prev_end = start + blocks;
	w->sum += blocks;
	w->count++;
	return 0;
}

static void ks3_alloc_check(struct kunit *test, struct ks3_alloc *a,
			    unsigned long *model)
{
	struct ks3_alloc_walk w = { .ok = true, .model = model };

	ks3_alloc_for_each(a, ks3_alloc_walk_fn, &w);
	KUNIT_EXPECT_TRUE(test, w.ok);
	KUNIT_EXPECT_EQ(test, w.sum, ks3_alloc_free_blocks(a));
	KUNIT_EXPECT_EQ(test, w.count, a->nr_extents);
	if (model)
		KUNIT_EXPECT_EQ(test, w.sum, (u64)(REGION_BLOCKS -
			bitmap_weight(model, REGION_BLOCKS)));
}

static void ks3_alloc_basic_test(struct kunit *test)
{
	struct ks3_alloc a;
	struct ks3_extent e;

	KUNIT_ASSERT_EQ(test, ks3_alloc_init(&a, REGION_START, REGION_BLOCKS),
			0);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&a), (u64)REGION_BLOCKS);
	KUNIT_ASSERT_EQ(test, ks3_alloc_get(&a, 10, &e), 0);
	KUNIT_EXPECT_EQ(test, e.start, (u64)REGION_START);
	KUNIT_EXPECT_EQ(test, e.blocks, 10U);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&a),
			(u64)REGION_BLOCKS - 10);
	ks3_alloc_put(&a, e.start, e.blocks);
	KUNIT_EXPECT_EQ(test, a.nr_extents, 1ULL);
	KUNIT_EXPECT_EQ(test, ks3_alloc_get(&a, 0, &e), -EINVAL);
	ks3_alloc_check(test, &a, NULL);
	ks3_alloc_destroy(&a);
}

static void ks3_alloc_take_test(struct kunit *test)
{
	struct ks3_alloc a;

	KUNIT_ASSERT_EQ(test, ks3_alloc_init(&a, REGION_START, REGION_BLOCKS),
			0);
	/* Middle, head, tail and whole-extent cases. */
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 200, 10), 0);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 100, 5), 0);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 602, 10), 0);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 105, 95), 0);
	KUNIT_EXPECT_EQ(test, a.nr_extents, 1ULL);
	/* Overlap with used blocks, and outside the region. */
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 205, 10), -EEXIST);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 99, 1), -ERANGE);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 611, 2), -ERANGE);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, 300, 0), -ERANGE);
	KUNIT_EXPECT_EQ(test, ks3_alloc_take(&a, U64_MAX, 2), -ERANGE);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&a),
			(u64)REGION_BLOCKS - 120);
	ks3_alloc_check(test, &a, NULL);
	ks3_alloc_destroy(&a);
}

/* Best fit: the smallest hole that holds the request. */
static void ks3_alloc_best_fit_test(struct kunit *test)
{
	struct ks3_alloc a;
	struct ks3_extent e;

	KUNIT_ASSERT_EQ(test, ks3_alloc_init(&a, REGION_START, REGION_BLOCKS),
			0);
	/* Holes: [100,110) [120,125) [200,612) */
	KUNIT_ASSERT_EQ(test, ks3_alloc_take(&a, 110, 10), 0);
	KUNIT_ASSERT_EQ(test, ks3_alloc_take(&a, 125, 75), 0);
	KUNIT_ASSERT_EQ(test, ks3_alloc_get(&a, 4, &e), 0);
	KUNIT_EXPECT_EQ(test, e.start, 120ULL);
	KUNIT_ASSERT_EQ(test, ks3_alloc_get(&a, 8, &e), 0);
	KUNIT_EXPECT_EQ(test, e.start, 100ULL);
	/* Nothing holds 1000: the largest extent, partially. */
	KUNIT_ASSERT_EQ(test, ks3_alloc_get(&a, 1000, &e), 0);
	KUNIT_EXPECT_EQ(test, e.start, 200ULL);
	KUNIT_EXPECT_EQ(test, e.blocks, 412U);
	ks3_alloc_check(test, &a, NULL);
	ks3_alloc_destroy(&a);
}

static void ks3_alloc_enospc_test(struct kunit *test)
{
	struct ks3_alloc a;
	struct ks3_extent e;

	KUNIT_ASSERT_EQ(test, ks3_alloc_init(&a, REGION_START, 8), 0);
	KUNIT_ASSERT_EQ(test, ks3_alloc_get(&a, 8, &e), 0);
	KUNIT_EXPECT_EQ(test, ks3_alloc_get(&a, 1, &e), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&a), 0ULL);
	ks3_alloc_put(&a, 104, 2);
	KUNIT_ASSERT_EQ(test, ks3_alloc_get(&a, 5, &e), 0);
	KUNIT_EXPECT_EQ(test, e.start, 104ULL);
	KUNIT_EXPECT_EQ(test, e.blocks, 2U);
	ks3_alloc_destroy(&a);
}

/* Frees merge with the previous, the next, both, or neither neighbour. */
static void ks3_alloc_merge_test(struct kunit *test)
{
	struct ks3_alloc a;

	KUNIT_ASSERT_EQ(test, ks3_alloc_init(&a, REGION_START, REGION_BLOCKS),
			0);
	KUNIT_ASSERT_EQ(test, ks3_alloc_take(&a, 100, 100), 0);
	ks3_alloc_put(&a, 150, 10);	/* neither */
	KUNIT_EXPECT_EQ(test, a.nr_extents, 2ULL);
	ks3_alloc_put(&a, 160, 5);	/* previous */
	KUNIT_EXPECT_EQ(test, a.nr_extents, 2ULL);
	ks3_alloc_put(&a, 145, 5);	/* next */
	KUNIT_EXPECT_EQ(test, a.nr_extents, 2ULL);
	ks3_alloc_put(&a, 165, 35);	/* both */
	KUNIT_EXPECT_EQ(test, a.nr_extents, 1ULL);
	ks3_alloc_put(&a, 100, 45);
	KUNIT_EXPECT_EQ(test, a.nr_extents, 1ULL);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&a), (u64)REGION_BLOCKS);
	ks3_alloc_check(test, &a, NULL);
	ks3_alloc_destroy(&a);
}

/* Random gets and puts against a bitmap of what is in use. */
static void ks3_alloc_random_test(struct kunit *test)
{
	struct ks3_extent *held;
	unsigned long *model;
	struct rnd_state rnd;
	struct ks3_alloc a;
	int nheld = 0, i, j;
	u64 b;

	held = kunit_kcalloc(test, REGION_BLOCKS, sizeof(*held), GFP_KERNEL);
	model = kunit_kcalloc(test, BITS_TO_LONGS(REGION_BLOCKS),
			      sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, held);
	KUNIT_ASSERT_NOT_NULL(test, model);
	KUNIT_ASSERT_EQ(test, ks3_alloc_init(&a, REGION_START, REGION_BLOCKS),
			0);
	prandom_seed_state(&rnd, 3);

	for (i = 0; i < 4000; i++) {
		if (nheld && (prandom_u32_state(&rnd) % 3 == 0 ||
			      nheld == REGION_BLOCKS)) {
			j = prandom_u32_state(&rnd) % nheld;
			for (b = held[j].start;
			     b < held[j].start + held[j].blocks; b++)
				clear_bit(b - REGION_START, model);
			ks3_alloc_put(&a, held[j].start, held[j].blocks);
			held[j] = held[--nheld];
		} else {
			struct ks3_extent e;
			u64 want = 1 + prandom_u32_state(&rnd) % 24;
			int ret = ks3_alloc_get(&a, want, &e);

			if (ret) {
				KUNIT_ASSERT_EQ(test, ret, -ENOSPC);
				KUNIT_ASSERT_EQ(test, ks3_alloc_free_blocks(&a),
						0ULL);
				continue;
			}
			KUNIT_ASSERT_LE(test, (u64)e.blocks, want);
			for (b = e.start; b < e.start + e.blocks; b++) {
				unsigned long bit = b - REGION_START;

				KUNIT_ASSERT_FALSE(test, test_bit(bit, model));
				set_bit(bit, model);
			}
			held[nheld++] = e;
		}
		if (i % 100 == 0)
			ks3_alloc_check(test, &a, model);
	}
	ks3_alloc_check(test, &a, model);
	ks3_alloc_destroy(&a);
}

static struct kunit_case ks3_alloc_cases[] = {
	KUNIT_CASE(ks3_alloc_basic_test),
	KUNIT_CASE(ks3_alloc_take_test),
	KUNIT_CASE(ks3_alloc_best_fit_test),
	KUNIT_CASE(ks3_alloc_enospc_test),
	KUNIT_CASE(ks3_alloc_merge_test),
	KUNIT_CASE(ks3_alloc_random_test),
	{}
};

static struct kunit_suite ks3_alloc_suite = {
	.name = "ks3_alloc",
	.test_cases = ks3_alloc_cases,
};

kunit_test_suite(ks3_alloc_suite);
