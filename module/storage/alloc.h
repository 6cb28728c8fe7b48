/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Free space of the data region, in 4 KiB blocks. Rebuilt at attach as the
 * complement of every extent the metadata references; never persisted.
 */
#ifndef _KS3_STORAGE_ALLOC_H
#define _KS3_STORAGE_ALLOC_H

#include <linux/bits.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/types.h>

/* Longest extent handed out, so it fits struct ks3_disk_extent. */
#define KS3_EXTENT_BLOCKS_MAX	BIT(30)

struct ks3_extent {
	u64 start;		/* absolute block number */
	u32 blocks;
};

struct ks3_alloc {
	struct mutex lock;		/* protects all below */
	struct rb_root by_start;	/* free extents by start block */
	struct rb_root by_size;		/* the same, by (blocks, start) */
	u64 region_start;
	u64 region_blocks;
	u64 free_blocks;
	u64 nr_extents;			/* free extents in the trees */
};

int ks3_alloc_init(struct ks3_alloc *a, u64 start, u64 blocks);
void ks3_alloc_destroy(struct ks3_alloc *a);

/*
 * Marks [start, start + blocks) as in use while attaching. -ERANGE if it
 * leaves the region, -EEXIST if any of it is already in use (two objects
 * claim the same block: the metadata is corrupt).
 */
int ks3_alloc_take(struct ks3_alloc *a, u64 start, u64 blocks);

/*
 * Allocates up to @want blocks as one extent: the smallest free extent that
 * holds all of them, else the largest there is (fewer blocks; call again for
 * the rest). -ENOSPC when nothing is free.
 */
int ks3_alloc_get(struct ks3_alloc *a, u64 want, struct ks3_extent *out);

/* Returns an extent; it merges with free neighbours. */
void ks3_alloc_put(struct ks3_alloc *a, u64 start, u64 blocks);

u64 ks3_alloc_free_blocks(struct ks3_alloc *a);

/* Calls @fn on each free extent in block order, under the lock. */
int ks3_alloc_for_each(struct ks3_alloc *a,
		       int (*fn)(void *arg, u64 start, u64 blocks), void *arg);

#endif /* _KS3_STORAGE_ALLOC_H */
