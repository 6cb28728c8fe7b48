// SPDX-License-Identifier: GPL-2.0
/*
 * The object data cache (cache.h). Why a cache of our own and not the
 * block device's page cache: a chunk's crc32c is checked once when it is
 * read and the verified pages are then sent as they are, with no per-GET
 * checksum pass, no buffer heads, and no readahead that could read blocks
 * of free space into the cache; invalidation is exact because ks3 knows
 * when blocks are freed. Reclaim works as for the page cache: a shrinker
 * gives pages back under memory pressure.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "compat.h"
#include "storage/cache.h"
#include "storage/store.h"

unsigned int ks3_cache_limit_mb;

struct ks3_cache_pcpu {
	u64 hits;
	u64 misses;
};

struct ks3_cache {
	/* block -> struct ks3_chunk; xa_lock also guards the LRU and @pages */
	struct xarray chunks;
	struct list_head lru;		/* oldest first */
	unsigned long pages;		/* in cached chunks */
	unsigned long limit;		/* pages */
	u64 evictions;
	struct ks3_cache_pcpu __percpu *pcpu;
	struct shrinker *shrinker;
};

static void ks3_chunk_free_rcu(struct rcu_head *h)
{
	struct ks3_chunk *ch = container_of(h, struct ks3_chunk, rcu);
	unsigned int i;

	for (i = 0; i < ch->nr_pages; i++)
		put_page(ch->bv[i].bv_page);
	kfree(ch);
}

/* Lookups find chunks under RCU: the memory goes after a grace period. */
static void ks3_chunk_release(struct ks3_chunk *ch)
{
	/* Never with reads in flight: the filler waits before it lets go. */
	WARN_ON_ONCE(READ_ONCE(ch->state) == KS3_CHUNK_FILLING);
	call_rcu(&ch->rcu, ks3_chunk_free_rcu);
}

void ks3_chunk_put(struct ks3_store *s, struct ks3_chunk *ch)
{
	/* A chunk still filling is settled by its last users first. */
	if (smp_load_acquire(&ch->state) == KS3_CHUNK_FILLING)
		ks3_chunk_wait(s, ch);
	if (refcount_dec_and_test(&ch->ref))
		ks3_chunk_release(ch);
}

/* Takes @ch out of the cache, under xa_lock; its reference is the caller's. */
static void ks3_cache_unlink(struct ks3_cache *c, struct ks3_chunk *ch)
{
	__xa_cmpxchg(&c->chunks, ch->block, ch, NULL, GFP_ATOMIC);
	list_del_init(&ch->lru);
	c->pages -= ch->nr_pages;
	ch->cached = false;
}

/* Takes @ch out of the cache if it is still there. */
static void ks3_cache_drop(struct ks3_store *s, struct ks3_chunk *ch)
{
	struct ks3_cache *c = s->cache;
	bool was;

	xa_lock(&c->chunks);
	was = ch->cached;
	if (was)
		ks3_cache_unlink(c, ch);
	xa_unlock(&c->chunks);
	if (was && refcount_dec_and_test(&ch->ref))
		ks3_chunk_release(ch);
}

/*
 * Evicts up to @want pages, oldest first, giving recently hit chunks a
 * second chance; chunks still filling stay. Returns the pages freed.
 */
static unsigned long ks3_cache_evict(struct ks3_cache *c, unsigned long want)
{
	unsigned long freed = 0, scanned = 0, nr = 0, limit;
	struct ks3_chunk *ch, *tmp;
	LIST_HEAD(dead);

	/* Bounded: each chunk is passed over at most about twice. */
	limit = 2 * (min(want, c->pages) / (KS3_CHUNK_SIZE / PAGE_SIZE) + 64);
	xa_lock(&c->chunks);
	list_for_each_entry_safe(ch, tmp, &c->lru, lru) {
		if (freed >= want || scanned++ >= limit)
			break;
		if (READ_ONCE(ch->state) == KS3_CHUNK_FILLING)
			continue;
		if (READ_ONCE(ch->referenced)) {
			WRITE_ONCE(ch->referenced, false);
			list_move_tail(&ch->lru, &c->lru);
			continue;
		}
		ks3_cache_unlink(c, ch);
		list_add(&ch->lru, &dead);
		freed += ch->nr_pages;
		nr++;
	}
	c->evictions += nr;
	xa_unlock(&c->chunks);

	list_for_each_entry_safe(ch, tmp, &dead, lru) {
		list_del(&ch->lru);
		if (refcount_dec_and_test(&ch->ref))
			ks3_chunk_release(ch);
	}
	return freed;
}

static unsigned long ks3_cache_count(struct shrinker *sh,
				     struct shrink_control *sc)
{
	struct ks3_cache *c = ks3_shrinker_priv(sh);

	return READ_ONCE(c->pages) ?: SHRINK_EMPTY;
}

static unsigned long ks3_cache_scan(struct shrinker *sh,
				    struct shrink_control *sc)
{
	struct ks3_cache *c = ks3_shrinker_priv(sh);

	return ks3_cache_evict(c, sc->nr_to_scan) ?: SHRINK_STOP;
}

int ks3_cache_create(struct ks3_store *s)
{
	struct ks3_cache *c;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	xa_init(&c->chunks);
	INIT_LIST_HEAD(&c->lru);
	c->limit = ks3_cache_limit_mb ?
		   (unsigned long)ks3_cache_limit_mb << (20 - PAGE_SHIFT) :
		   totalram_pages() / 4;
	c->pcpu = alloc_percpu(struct ks3_cache_pcpu);
	if (!c->pcpu)
		goto err;
	c->shrinker = ks3_shrinker_create("ks3-cache", ks3_cache_count,
					  ks3_cache_scan, c);
	if (!c->shrinker)
		goto err;
	s->cache = c;
	return 0;
err:
	free_percpu(c->pcpu);
	kfree(c);
	return -ENOMEM;
}

void ks3_cache_destroy(struct ks3_store *s)
{
	struct ks3_cache *c = s->cache;

	if (!c)
		return;
	ks3_shrinker_destroy(c->shrinker);
	/* No request is left: every chunk is held by the cache alone. */
	ks3_cache_invalidate(s, 0, U64_MAX);
	WARN_ON_ONCE(!list_empty(&c->lru) || !xa_empty(&c->chunks));
	xa_destroy(&c->chunks);
	free_percpu(c->pcpu);
	/* Chunks are freed after a grace period; wait for them. */
	rcu_barrier();
	kfree(c);
	s->cache = NULL;
}

static struct ks3_chunk *ks3_chunk_alloc(u64 block, u32 len, u32 crc)
{
	unsigned int nr = DIV_ROUND_UP(len, PAGE_SIZE), i;
	struct ks3_chunk *ch;

	ch = kmalloc(struct_size(ch, bv, nr), GFP_KERNEL);
	if (!ch)
		return NULL;
	ch->block = block;
	ch->len = len;
	ch->crc = crc;
	refcount_set(&ch->ref, 1);
	ch->state = KS3_CHUNK_FILLING;
	ch->error = 0;
	ch->referenced = false;
	ch->cached = false;
	mutex_init(&ch->fill_lock);
	ks3_io_batch_init(&ch->batch);
	INIT_LIST_HEAD(&ch->lru);
	ch->nr_pages = 0;
	for (i = 0; i < nr; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			goto err;
		bvec_set_page(&ch->bv[i], page, PAGE_SIZE, 0);
		ch->nr_pages++;
	}
	return ch;
err:
	for (i = 0; i < ch->nr_pages; i++)
		put_page(ch->bv[i].bv_page);
	kfree(ch);
	return NULL;
}

/* Starts the reads of @ch's blocks (chunk @c of @seg). */
static void ks3_chunk_start_fill(struct ks3_store *s, struct ks3_chunk *ch,
				 const struct ks3_segment *seg, u32 c)
{
	u64 off = (u64)c << KS3_CHUNK_SHIFT, done = 0, run, block;
	unsigned int bv = 0;

	while (done < ch->len) {
		struct ks3_io io = { .op = KS3_IO_READ };

		block = ks3_seg_block(seg, off + done, &run);
		if (!run) {
			ks3_io_batch_error(&ch->batch, -EUCLEAN);
			return;
		}
		run = min_t(u64, run,
			    DIV_ROUND_UP(ch->len - done, KS3_BLOCK_SIZE));
		io.block = block;
		io.bvec = &ch->bv[bv];
		io.nr_bvec = run;
		/* Errors land in the batch; the waiter sees them. */
		if (ks3_dev_submit_async(s->dev, &io, &ch->batch))
			return;
		bv += run;
		done += run << KS3_BLOCK_SHIFT;
	}
}

/* crc32c of @ch's data, page by page. */
static u32 ks3_chunk_crc(const struct ks3_chunk *ch)
{
	u32 crc = ~0U, left = ch->len, i;

	for (i = 0; left; i++) {
		u32 n = min_t(u32, left, PAGE_SIZE);
		void *p = kmap_local_page(ch->bv[i].bv_page);

		crc = crc32c(crc, p, n);
		kunmap_local(p);
		left -= n;
	}
	return crc;
}

void ks3_chunk_copy(const struct ks3_chunk *ch, size_t off, void *to,
		    size_t len)
{
	const struct bio_vec *bv = &ch->bv[off >> PAGE_SHIFT];
	size_t in = off & ~PAGE_MASK;
	u8 *p = to;

	while (len) {
		size_t n = min_t(size_t, len, PAGE_SIZE - in);

		memcpy_from_page(p, bv->bv_page, in, n);
		p += n;
		len -= n;
		in = 0;
		bv++;
	}
}

int ks3_chunk_wait(struct ks3_store *s, struct ks3_chunk *ch)
{
	/* Pairs with the release below: READY means the pages are filled. */
	int state = smp_load_acquire(&ch->state);
	int ret;

	if (state == KS3_CHUNK_FILLING) {
		mutex_lock(&ch->fill_lock);
		state = ch->state;
		if (state == KS3_CHUNK_FILLING) {
			ret = ks3_io_batch_wait(&ch->batch);
			if (!ret && ks3_chunk_crc(ch) != ch->crc) {
				pr_err_ratelimited("data checksum mismatch in the chunk at block %llu\n",
						   ch->block);
				ret = -EBADMSG;
			}
			ch->error = ret;
			state = ret ? KS3_CHUNK_BAD : KS3_CHUNK_READY;
			/* The pages' contents before the state, for lockless hits. */
			smp_store_release(&ch->state, state);
			/* A bad chunk is read again by the next request. */
			if (ret)
				ks3_cache_drop(s, ch);
		}
		mutex_unlock(&ch->fill_lock);
	}
	return state == KS3_CHUNK_READY ? 0 : ch->error;
}

/* Adds @ch (one reference for the cache), or returns the chunk there. */
static struct ks3_chunk *ks3_cache_insert(struct ks3_cache *c,
					  struct ks3_chunk *ch)
{
	struct ks3_chunk *old;
	unsigned long over = 0;

	refcount_inc(&ch->ref);
	xa_lock(&c->chunks);
	old = __xa_cmpxchg(&c->chunks, ch->block, NULL, ch, GFP_ATOMIC);
	if (!old) {
		ch->cached = true;
		list_add_tail(&ch->lru, &c->lru);
		c->pages += ch->nr_pages;
		if (c->pages > c->limit)
			over = c->pages - c->limit;
	} else if (!xa_is_err(old) && refcount_inc_not_zero(&old->ref)) {
		xa_unlock(&c->chunks);
		refcount_dec(&ch->ref);
		return old;
	}
	xa_unlock(&c->chunks);
	if (old) {
		/* No memory for the xarray, or a dying entry: uncached. */
		refcount_dec(&ch->ref);
		return ch;
	}
	if (over)
		ks3_cache_evict(c, over);
	return ch;
}

struct ks3_chunk *ks3_cache_get(struct ks3_store *s,
				const struct ks3_segment *seg, u32 c)
{
	struct ks3_cache *cache = s->cache;
	u64 off = (u64)c << KS3_CHUNK_SHIFT, run, block;
	u32 len = min_t(u64, KS3_CHUNK_SIZE, seg->size - off);
	struct ks3_chunk *ch, *got;

	block = ks3_seg_block(seg, off, &run);
	if (!run)
		return ERR_PTR(-EUCLEAN);

	rcu_read_lock();
	ch = xa_load(&cache->chunks, block);
	if (ch && !refcount_inc_not_zero(&ch->ref))
		ch = NULL;
	rcu_read_unlock();
	if (ch) {
		if (ch->len == len && ch->crc == seg->crcs[c] &&
		    READ_ONCE(ch->state) != KS3_CHUNK_BAD) {
			if (!READ_ONCE(ch->referenced))
				WRITE_ONCE(ch->referenced, true);
			this_cpu_inc(cache->pcpu->hits);
			return ch;
		}
		/* Not this chunk (cannot happen while invalidation works). */
		ks3_cache_drop(s, ch);
		ks3_chunk_put(s, ch);
	}

	this_cpu_inc(cache->pcpu->misses);
	ch = ks3_chunk_alloc(block, len, seg->crcs[c]);
	if (!ch)
		return ERR_PTR(-ENOMEM);
	got = ks3_cache_insert(cache, ch);
	if (got != ch) {
		/* Another request is filling it (or filled it) already. */
		ch->state = KS3_CHUNK_BAD;
		ks3_chunk_put(s, ch);
		return got;
	}
	ks3_chunk_start_fill(s, ch, seg, c);
	return ch;
}

void ks3_cache_invalidate(struct ks3_store *s, u64 start, u64 blocks)
{
	struct ks3_cache *c = s->cache;
	struct ks3_chunk *ch;
	unsigned long idx;
	LIST_HEAD(dead);

	if (!c || !blocks || xa_empty(&c->chunks))
		return;
	xa_lock(&c->chunks);
	xa_for_each_range(&c->chunks, idx, ch, start,
			  min_t(u64, start + blocks - 1, ULONG_MAX)) {
		ks3_cache_unlink(c, ch);
		list_add(&ch->lru, &dead);
	}
	xa_unlock(&c->chunks);
	while (!list_empty(&dead)) {
		ch = list_first_entry(&dead, struct ks3_chunk, lru);
		list_del_init(&ch->lru);
		ks3_chunk_put(s, ch);
	}
}

void ks3_cache_stats(struct ks3_store *s, struct ks3_cache_stats *st)
{
	struct ks3_cache *c = s->cache;
	int cpu;

	memset(st, 0, sizeof(*st));
	if (!c)
		return;
	for_each_possible_cpu(cpu) {
		st->hits += per_cpu_ptr(c->pcpu, cpu)->hits;
		st->misses += per_cpu_ptr(c->pcpu, cpu)->misses;
	}
	xa_lock(&c->chunks);
	st->pages = c->pages;
	st->evictions = c->evictions;
	xa_unlock(&c->chunks);
	st->limit_pages = c->limit;
}
