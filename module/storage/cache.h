/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The object data cache: verified 1 MiB chunks of object data in pages,
 * keyed by the device block the chunk starts at. GETs send these pages to
 * the socket without copying them; a chunk read again is served from RAM.
 *
 * A chunk is filled once (read bios straight into its pages, crc32c checked
 * against the object's metadata) and never written again: TCP may still
 * hold its pages after the chunk left the cache, which is safe because
 * nobody changes them. Entries leave the cache when the blocks under them
 * are freed (ks3_cache_invalidate(), before the allocator can hand them out
 * again), under the size limit (second-chance LRU), and under memory
 * pressure (a shrinker). A lookup also checks length and crc, so a stale
 * entry could never be served even if an invalidation were missed.
 *
 * Hits take no lock: an RCU xarray lookup and a reference.
 */
#ifndef _KS3_STORAGE_CACHE_H
#define _KS3_STORAGE_CACHE_H

#include <linux/bvec.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include "dev.h"

struct ks3_store;
struct ks3_segment;
struct ks3_cache;

/* Size limit of each store's cache in MiB; 0: a quarter of RAM. */
extern unsigned int ks3_cache_limit_mb;

enum ks3_chunk_state {
	KS3_CHUNK_FILLING,	/* reads in flight or not yet checked */
	KS3_CHUNK_READY,	/* verified: the pages hold the chunk */
	KS3_CHUNK_BAD,		/* I/O error or crc mismatch: never sent */
};

struct ks3_chunk {
	u64 block;		/* key: device block of the chunk's first byte */
	u32 len;		/* bytes of data */
	u32 crc;		/* crc32c(~0) the metadata expects */
	refcount_t ref;		/* holders, +1 while in the cache */
	int state;		/* enum ks3_chunk_state, read with acquire */
	int error;		/* why it is BAD */
	bool referenced;	/* hit since the LRU last passed it */
	bool cached;		/* in the xarray and on the LRU */
	struct mutex fill_lock;	/* the first waiter checks the fill */
	struct ks3_io_batch batch;
	struct list_head lru;
	struct rcu_head rcu;
	unsigned int nr_pages;
	struct bio_vec bv[];	/* one whole page each */
};

int ks3_cache_create(struct ks3_store *s);
void ks3_cache_destroy(struct ks3_store *s);

/*
 * The chunk @c of segment @seg, referenced. A hit returns at once; a miss
 * starts the reads and returns the chunk still FILLING. Either way,
 * ks3_chunk_wait() says whether its pages can be used.
 */
struct ks3_chunk *ks3_cache_get(struct ks3_store *s,
				const struct ks3_segment *seg, u32 c);
/* Waits for the fill: 0 when READY, else the error (-EBADMSG for crc). */
int ks3_chunk_wait(struct ks3_store *s, struct ks3_chunk *ch);
void ks3_chunk_put(struct ks3_store *s, struct ks3_chunk *ch);
/* Copies @len bytes at @off of a READY chunk to @to (CopyObject). */
void ks3_chunk_copy(const struct ks3_chunk *ch, size_t off, void *to,
		    size_t len);

/* Drops cached chunks starting in blocks [@start, @start + @blocks). */
void ks3_cache_invalidate(struct ks3_store *s, u64 start, u64 blocks);

struct ks3_cache_stats {
	u64 pages;		/* cached now */
	u64 limit_pages;
	u64 hits;
	u64 misses;
	u64 evictions;
};

void ks3_cache_stats(struct ks3_store *s, struct ks3_cache_stats *st);

#endif /* _KS3_STORAGE_CACHE_H */
