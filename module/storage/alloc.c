// SPDX-License-Identifier: GPL-2.0
/*
 * Extent allocator for the data region. Free space lives in two rbtrees over
 * the same nodes, as XFS keeps its bnobt and cntbt: by start block, to merge
 * a returned extent with its neighbours, and by size, to find the best fit.
 * Blocks are only ever handed out from free space; what the metadata
 * references was taken out at attach (ks3_alloc_take).
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>

#include "alloc.h"

struct ks3_free_extent {
	struct rb_node by_start;
	struct rb_node by_size;
	u64 start;
	u64 blocks;
};

static struct ks3_free_extent *ks3_fe_of_start(const struct rb_node *n)
{
	return rb_entry(n, struct ks3_free_extent, by_start);
}

static struct ks3_free_extent *ks3_fe_of_size(const struct rb_node *n)
{
	return rb_entry(n, struct ks3_free_extent, by_size);
}

static bool ks3_fe_start_less(struct rb_node *a, const struct rb_node *b)
{
	return ks3_fe_of_start(a)->start < ks3_fe_of_start(b)->start;
}

static bool ks3_fe_size_less(struct rb_node *a, const struct rb_node *b)
{
	const struct ks3_free_extent *x = ks3_fe_of_size(a);
	const struct ks3_free_extent *y = ks3_fe_of_size(b);

	if (x->blocks != y->blocks)
		return x->blocks < y->blocks;
	return x->start < y->start;
}

static void ks3_fe_insert(struct ks3_alloc *a, struct ks3_free_extent *fe)
{
	rb_add(&fe->by_start, &a->by_start, ks3_fe_start_less);
	rb_add(&fe->by_size, &a->by_size, ks3_fe_size_less);
	a->nr_extents++;
}

static void ks3_fe_erase(struct ks3_alloc *a, struct ks3_free_extent *fe)
{
	rb_erase(&fe->by_start, &a->by_start);
	rb_erase(&fe->by_size, &a->by_size);
	a->nr_extents--;
}

/* The size key changes: re-sort the node in the by-size tree. */
static void ks3_fe_resize(struct ks3_alloc *a, struct ks3_free_extent *fe,
			  u64 start, u64 blocks)
{
	rb_erase(&fe->by_size, &a->by_size);
	fe->start = start;
	fe->blocks = blocks;
	rb_add(&fe->by_size, &a->by_size, ks3_fe_size_less);
}

/* The free extent with the highest start <= @block, or NULL. */
static struct ks3_free_extent *ks3_fe_at_or_before(struct ks3_alloc *a,
						   u64 block)
{
	struct rb_node *n = a->by_start.rb_node;
	struct ks3_free_extent *best = NULL;

	while (n) {
		struct ks3_free_extent *fe = ks3_fe_of_start(n);

		if (fe->start <= block) {
			best = fe;
			n = n->rb_right;
		} else {
			n = n->rb_left;
		}
	}
	return best;
}

static struct ks3_free_extent *ks3_fe_alloc(u64 start, u64 blocks, gfp_t gfp)
{
	struct ks3_free_extent *fe = kmalloc(sizeof(*fe), gfp);

	if (fe) {
		fe->start = start;
		fe->blocks = blocks;
	}
	return fe;
}

int ks3_alloc_init(struct ks3_alloc *a, u64 start, u64 blocks)
{
	struct ks3_free_extent *fe;

	mutex_init(&a->lock);
	a->by_start = RB_ROOT;
	a->by_size = RB_ROOT;
	a->region_start = start;
	a->region_blocks = blocks;
	a->free_blocks = 0;
	a->nr_extents = 0;
	if (!blocks)
		return 0;
	fe = ks3_fe_alloc(start, blocks, GFP_KERNEL);
	if (!fe)
		return -ENOMEM;
	ks3_fe_insert(a, fe);
	a->free_blocks = blocks;
	return 0;
}

void ks3_alloc_destroy(struct ks3_alloc *a)
{
	struct ks3_free_extent *fe, *next;

	rbtree_postorder_for_each_entry_safe(fe, next, &a->by_start, by_start)
		kfree(fe);
	a->by_start = RB_ROOT;
	a->by_size = RB_ROOT;
	a->free_blocks = 0;
	a->nr_extents = 0;
	mutex_destroy(&a->lock);
}

static bool ks3_alloc_in_region(struct ks3_alloc *a, u64 start, u64 blocks)
{
	u64 end;

	if (!blocks || check_add_overflow(start, blocks, &end))
		return false;
	return start >= a->region_start &&
	       end <= a->region_start + a->region_blocks;
}

int ks3_alloc_take(struct ks3_alloc *a, u64 start, u64 blocks)
{
	struct ks3_free_extent *fe, *tail;
	u64 fe_end, end = start + blocks;
	int ret = 0;

	if (!ks3_alloc_in_region(a, start, blocks))
		return -ERANGE;

	mutex_lock(&a->lock);
	fe = ks3_fe_at_or_before(a, start);
	if (!fe || fe->start + fe->blocks < end) {
		ret = -EEXIST;
		goto out;
	}
	fe_end = fe->start + fe->blocks;
	if (fe->start == start && fe_end == end) {
		ks3_fe_erase(a, fe);
		kfree(fe);
	} else if (fe->start == start) {
		ks3_fe_resize(a, fe, end, fe_end - end);
	} else if (fe_end == end) {
		ks3_fe_resize(a, fe, fe->start, start - fe->start);
	} else {
		/* In the middle: keep the head, add the tail. */
		tail = ks3_fe_alloc(end, fe_end - end, GFP_KERNEL);
		if (!tail) {
			ret = -ENOMEM;
			goto out;
		}
		ks3_fe_resize(a, fe, fe->start, start - fe->start);
		ks3_fe_insert(a, tail);
	}
	a->free_blocks -= blocks;
out:
	mutex_unlock(&a->lock);
	return ret;
}

/* Smallest free extent with at least @want blocks, or NULL. */
static struct ks3_free_extent *ks3_fe_best_fit(struct ks3_alloc *a, u64 want)
{
	struct rb_node *n = a->by_size.rb_node;
	struct ks3_free_extent *best = NULL;

	while (n) {
		struct ks3_free_extent *fe = ks3_fe_of_size(n);

		if (fe->blocks >= want) {
			best = fe;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

int ks3_alloc_get(struct ks3_alloc *a, u64 want, struct ks3_extent *out)
{
	struct ks3_free_extent *fe;
	struct rb_node *largest;
	u64 got;

	if (!want)
		return -EINVAL;
	want = min_t(u64, want, KS3_EXTENT_BLOCKS_MAX);

	mutex_lock(&a->lock);
	fe = ks3_fe_best_fit(a, want);
	if (!fe) {
		largest = rb_last(&a->by_size);
		if (!largest) {
			mutex_unlock(&a->lock);
			return -ENOSPC;
		}
		fe = ks3_fe_of_size(largest);
	}
	got = min(want, fe->blocks);
	out->start = fe->start;
	out->blocks = got;
	if (got == fe->blocks) {
		ks3_fe_erase(a, fe);
		kfree(fe);
	} else {
		ks3_fe_resize(a, fe, fe->start + got, fe->blocks - got);
	}
	a->free_blocks -= got;
	mutex_unlock(&a->lock);
	return 0;
}

void ks3_alloc_put(struct ks3_alloc *a, u64 start, u64 blocks)
{
	struct ks3_free_extent *prev, *next = NULL;
	struct rb_node *n;
	u64 end = start + blocks;

	if (WARN_ON_ONCE(!ks3_alloc_in_region(a, start, blocks)))
		return;

	mutex_lock(&a->lock);
	prev = ks3_fe_at_or_before(a, start);
	if (prev) {
		n = rb_next(&prev->by_start);
		next = n ? ks3_fe_of_start(n) : NULL;
	} else {
		n = rb_first(&a->by_start);
		next = n ? ks3_fe_of_start(n) : NULL;
	}
	/* Freeing a block that is already free means the caller is broken. */
	if (WARN_ON_ONCE((prev && prev->start + prev->blocks > start) ||
			 (next && next->start < end)))
		goto out;

	if (prev && prev->start + prev->blocks == start) {
		if (next && next->start == end) {
			ks3_fe_erase(a, next);
			ks3_fe_resize(a, prev, prev->start,
				      prev->blocks + blocks + next->blocks);
			kfree(next);
		} else {
			ks3_fe_resize(a, prev, prev->start,
				      prev->blocks + blocks);
		}
	} else if (next && next->start == end) {
		/* by_start order is unchanged: next stays after prev. */
		ks3_fe_resize(a, next, start, blocks + next->blocks);
	} else {
		/* Must not fail: the blocks would leak until next attach. */
		ks3_fe_insert(a, ks3_fe_alloc(start, blocks,
					      GFP_NOIO | __GFP_NOFAIL));
	}
	a->free_blocks += blocks;
out:
	mutex_unlock(&a->lock);
}

u64 ks3_alloc_free_blocks(struct ks3_alloc *a)
{
	u64 free;

	mutex_lock(&a->lock);
	free = a->free_blocks;
	mutex_unlock(&a->lock);
	return free;
}

int ks3_alloc_for_each(struct ks3_alloc *a,
		       int (*fn)(void *arg, u64 start, u64 blocks), void *arg)
{
	struct rb_node *n;
	int ret = 0;

	mutex_lock(&a->lock);
	for (n = rb_first(&a->by_start); n && !ret; n = rb_next(n))
		ret = fn(arg, ks3_fe_of_start(n)->start,
			 ks3_fe_of_start(n)->blocks);
	mutex_unlock(&a->lock);
	return ret;
}
