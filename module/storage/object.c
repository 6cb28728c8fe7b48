// SPDX-License-Identifier: GPL-2.0
/*
 * Object data: streaming writes to fresh extents with MD5 and per-MiB
 * crc32c computed on the way, publication through the journal, verified
 * reads, deletes.
 *
 * Write: data is copied into 1 MiB buffers; a full buffer is written
 * asynchronously (ks3_dev_submit_async) to extents taken from free space
 * (never over live data) while the next one fills, so receiving and
 * writing overlap. The same buffer is hashed (MD5 for the ETag, crc32c of
 * each 1 MiB chunk) by a work item on the store's hash_wq, in the order the
 * buffers filled, so MD5, which has no SIMD driver, runs on another CPU
 * than the one receiving. A buffer's batch counts its writes and its
 * hashing: it is filled again only when both are done. At most
 * KS3_WRITE_BUFS buffers exist per writer: one filling, the others being
 * hashed or written, so a writer holds at most KS3_WRITE_BUFS MiB of data.
 * Buffers come from the store's pool (ks3_wbuf_pool): a PUT allocates
 * nothing large once the pool holds enough idle buffers, and a small
 * object of known size that finds the pool empty allocates only its size
 * rounded up to 4 KiB. Seal writes the tail and waits for every data
 * write and all hashing: if one failed, the write fails (its blocks go
 * back to free space, nothing is published) and the store goes on.
 * Commit then queues an OBJECT_PUT under meta_lock after checking the
 * bucket, its quota and the write's preconditions against committed and
 * queued state, and waits for the journal, whose record carries the
 * pre-flush that makes the completed data durable first. The old
 * version's blocks return to free space when the record is durable and
 * its last reader is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "cache.h"
#include "object.h"
#include "store.h"

/* Each of the KS3_WRITE_BUFS data buffers of a writer: see the top. */
#define KS3_WRITE_BUF_SIZE	KS3_CHUNK_SIZE
/* Extent grant when the final size is unknown. */
#define KS3_GROW_BLOCKS		(KS3_CHUNK_SIZE >> KS3_BLOCK_SHIFT)

/* Memory of a data buffer; idle ones wait in the store's pool. */
struct ks3_wbuf {
	struct list_head node;		/* in ks3_wbuf_pool.idle */
	u8 *data;			/* page aligned, @cap bytes */
	size_t cap;			/* a multiple of KS3_BLOCK_SIZE */
	struct bio_vec *bv;		/* one per block of @data */
};

#define KS3_NO_CHUNK		U32_MAX

/* A data buffer of a writer and the writes and hashing of it in flight. */
struct ks3_write_buf {
	struct ks3_wbuf *mem;		/* NULL until first filled */
	/* Its writes, plus one for its hashing (ks3_writer_hash_work). */
	struct ks3_io_batch batch;
	struct list_head hash_node;	/* in the writer's hash_queue */
	u64 start;			/* object offset of its first byte */
	size_t len;			/* bytes of data in it */
	/*
	 * Set by the hashing: a chunk that ended in this buffer (at most one:
	 * a buffer holds at most a chunk's bytes) and its crc32c.
	 */
	u32 end_chunk;			/* KS3_NO_CHUNK if none */
	u32 end_crc;
	bool busy;			/* submitted, not waited for yet */
};

struct ks3_object_writer {
	struct ks3_store *s;
	u32 bucket_id;
	/* A multipart part: its upload and number; else 0. */
	u64 upload_id;
	u32 part_number;
	u16 key_len;
	char key[KS3_OBJECT_KEY_MAX];
	u64 size;			/* bytes appended so far */
	/* Extents granted; blocks [0, written) of them hold data. */
	struct ks3_extent *ext;
	u32 nr_ext;
	u32 cap_ext;
	u64 granted;			/* blocks in ext[] */
	u64 written;			/* blocks written */
	u64 size_hint;
	u64 charged;			/* in the bucket's writing_bytes */
	/*
	 * buf[cur] fills while the others may be on their way to the
	 * device. Data goes out in whole buffers, so blocks [0, written)
	 * are submitted and staged bytes follow them.
	 */
	struct ks3_write_buf buf[KS3_WRITE_BUFS];
	unsigned int cur;
	size_t staged;			/* bytes in buf[cur] */
	int error;			/* the write failed: every call fails */
	/* Checksums, collected as buffers are waited for. */
	u32 *crcs;
	u32 nr_chunks;
	u32 cap_chunks;
	/*
	 * Hashing: submitted buffers queue on @hash_queue and @hash_work
	 * hashes them in order. Only the work touches @hash_crc (the crc32c
	 * of the chunk in progress) and @md5 until seal has waited for every
	 * buffer.
	 */
	spinlock_t hash_lock;
	struct list_head hash_queue;
	struct work_struct hash_work;
	u32 hash_crc;
	struct shash_desc *md5;
};

u64 ks3_object_blocks(const struct ks3_object *obj)
{
	u64 blocks = 0;
	u32 i, j;

	for (i = 0; i < obj->nr_segments; i++)
		for (j = 0; j < obj->seg[i].nr_extents; j++)
			blocks += obj->seg[i].extents[j].blocks;
	return blocks;
}

struct ks3_entry *ks3_entry_alloc(const char *key, size_t len)
{
	struct ks3_entry *e = kmalloc(struct_size(e, key, len), GFP_KERNEL);

	if (!e)
		return NULL;
	memcpy(e->key, key, len);
	e->obj = NULL;
	if (ks3_index_node_init(&e->node, e->key, len)) {
		kfree(e);
		return NULL;
	}
	e->node.flags = 0;
	return e;
}

void ks3_entry_free(struct ks3_entry *e)
{
	kfree(e);
}

/*
 * One allocation: header, segments, then each segment's extents, all the
 * crcs, and the metadata. Segment sizes and offsets are the caller's.
 */
struct ks3_object *ks3_object_alloc(u16 nr_segments, const u32 *nr_extents,
				    const u32 *nr_chunks, u16 meta_len)
{
	size_t off, total_ext = 0, total_crc = 0, ext_off, crc_off;
	struct ks3_object *obj;
	u16 i;

	for (i = 0; i < nr_segments; i++) {
		total_ext += nr_extents[i];
		total_crc += nr_chunks[i];
	}
	ext_off = ALIGN(struct_size(obj, seg, nr_segments), 8);
	crc_off = ext_off + total_ext * sizeof(struct ks3_extent);
	obj = kvzalloc(crc_off + total_crc * sizeof(u32) + meta_len,
		       GFP_KERNEL);
	if (!obj)
		return NULL;
	refcount_set(&obj->ref, 1);
	obj->nr_segments = nr_segments;
	obj->meta_len = meta_len;
	for (i = 0; i < nr_segments; i++) {
		obj->seg[i].nr_extents = nr_extents[i];
		obj->seg[i].nr_chunks = nr_chunks[i];
		obj->seg[i].extents = (void *)((u8 *)obj + ext_off);
		obj->seg[i].crcs = (void *)((u8 *)obj + crc_off);
		ext_off += (size_t)nr_extents[i] * sizeof(struct ks3_extent);
		crc_off += (size_t)nr_chunks[i] * sizeof(u32);
	}
	off = crc_off;
	obj->meta = (u8 *)obj + off;
	return obj;
}

struct ks3_object *ks3_object_from_op(const struct ks3_op_object *v)
{
	struct ks3_object *obj;
	u32 i;

	obj = ks3_object_alloc(1, &v->nr_extents, &v->nr_chunks, v->meta_len);
	if (!obj)
		return NULL;
	obj->size = v->size;
	obj->mtime = v->mtime;
	obj->nr_parts = v->nr_parts;
	memcpy(obj->etag, v->etag, sizeof(obj->etag));
	memcpy(obj->meta, v->meta, v->meta_len);
	obj->seg[0].size = v->size;
	for (i = 0; i < v->nr_extents; i++) {
		obj->seg[0].extents[i].start = le64_to_cpu(v->extents[i].start);
		obj->seg[0].extents[i].blocks =
			le32_to_cpu(v->extents[i].blocks);
	}
	for (i = 0; i < v->nr_chunks; i++)
		obj->seg[0].crcs[i] = le32_to_cpu(v->crcs[i]);
	return obj;
}

/* @ext and @crcs are the caller's arrays, sized from the object. */
void ks3_object_to_op(const struct ks3_object *obj, u32 bucket_id,
		      const struct ks3_entry *e, struct ks3_op_object *v,
		      struct ks3_disk_extent *ext, __le32 *crcs)
{
	const struct ks3_segment *seg = &obj->seg[0];
	u32 i;

	memset(v, 0, sizeof(*v));
	v->bucket_id = bucket_id;
	v->key = e->key;
	v->key_len = e->node.key_len;
	v->meta = obj->meta;
	v->meta_len = obj->meta_len;
	v->size = obj->size;
	v->mtime = obj->mtime;
	v->etag = obj->etag;
	v->nr_parts = obj->nr_parts;
	v->nr_extents = seg->nr_extents;
	v->nr_chunks = seg->nr_chunks;
	for (i = 0; i < seg->nr_extents; i++) {
		ext[i].start = cpu_to_le64(seg->extents[i].start);
		ext[i].blocks = cpu_to_le32(seg->extents[i].blocks);
		ext[i].reserved = 0;
	}
	for (i = 0; i < seg->nr_chunks; i++)
		crcs[i] = cpu_to_le32(seg->crcs[i]);
	v->extents = ext;
	v->crcs = crcs;
}

void ks3_object_put(struct ks3_store *s, struct ks3_object *obj)
{
	u32 i, j;

	if (!refcount_dec_and_test(&obj->ref))
		return;
	/* During replay free space is not built yet: nothing to return. */
	if (s->alloc_ready)
		for (i = 0; i < obj->nr_segments; i++)
			for (j = 0; j < obj->seg[i].nr_extents; j++) {
				const struct ks3_extent *e =
					&obj->seg[i].extents[j];

				/* Cached data goes before the blocks can. */
				ks3_cache_invalidate(s, e->start, e->blocks);
				ks3_alloc_put(&s->alloc, e->start, e->blocks);
			}
	kvfree(obj);
}

static int ks3_grow(void **arr, u32 *cap, u32 need, size_t elem)
{
	u32 ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = max(need, *cap ? *cap * 2 : 4U);
	n = kvmalloc_array(ncap, elem, GFP_KERNEL);
	if (!n)
		return -ENOMEM;
	if (*cap)
		memcpy(n, *arr, (size_t)*cap * elem);
	kvfree(*arr);
	*arr = n;
	*cap = ncap;
	return 0;
}

/* ---- the pool of writer buffers ---- */

void ks3_wbuf_pool_init(struct ks3_wbuf_pool *p)
{
	/* Idle buffers: about 3% of RAM at most, 16 to 256 of them. */
	unsigned long mib = totalram_pages() >> (20 - PAGE_SHIFT);

	spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->idle);
	p->nr_idle = 0;
	p->max_idle = clamp_t(unsigned long, mib / 32, 16, 256);
	atomic64_set(&p->nr_allocs, 0);
}

static void ks3_wbuf_free(struct ks3_wbuf *m)
{
	kvfree(m->data);
	kvfree(m->bv);
	kfree(m);
}

void ks3_wbuf_pool_destroy(struct ks3_wbuf_pool *p)
{
	struct ks3_wbuf *m, *t;

	list_for_each_entry_safe(m, t, &p->idle, node)
		ks3_wbuf_free(m);
	INIT_LIST_HEAD(&p->idle);
	p->nr_idle = 0;
}

/*
 * A buffer of at least @want bytes (a multiple of KS3_BLOCK_SIZE, at most
 * KS3_WRITE_BUF_SIZE): an idle one of the pool, else a new one of @want
 * bytes. Only full-size buffers go back to the pool.
 */
static struct ks3_wbuf *ks3_wbuf_get(struct ks3_wbuf_pool *p, size_t want)
{
	struct ks3_wbuf *m;

	spin_lock(&p->lock);
	m = list_first_entry_or_null(&p->idle, struct ks3_wbuf, node);
	if (m) {
		list_del(&m->node);
		p->nr_idle--;
	}
	spin_unlock(&p->lock);
	if (m)
		return m;
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return NULL;
	m->data = kvmalloc(want, GFP_KERNEL);
	m->bv = kvmalloc_array(want >> KS3_BLOCK_SHIFT, sizeof(*m->bv),
			       GFP_KERNEL);
	if (!m->data || !m->bv) {
		ks3_wbuf_free(m);
		return NULL;
	}
	m->cap = want;
	ks3_dev_buf_bvecs(m->data, want, m->bv);
	atomic64_inc(&p->nr_allocs);
	return m;
}

static void ks3_wbuf_put(struct ks3_wbuf_pool *p, struct ks3_wbuf *m)
{
	if (m->cap == KS3_WRITE_BUF_SIZE) {
		spin_lock(&p->lock);
		if (p->nr_idle < p->max_idle) {
			list_add(&m->node, &p->idle);
			p->nr_idle++;
			m = NULL;
		}
		spin_unlock(&p->lock);
	}
	if (m)
		ks3_wbuf_free(m);
}

/* ---- writing ---- */

/*
 * Hashes the submitted buffers in the order they were queued: MD5 over
 * the object's bytes, and the crc32c of each 1 MiB chunk, whose value is
 * left in the buffer in which the chunk ends. Ends each buffer's batch.
 */
static void ks3_writer_hash_work(struct work_struct *work)
{
	struct ks3_object_writer *w = container_of(work,
						   struct ks3_object_writer,
						   hash_work);
	struct ks3_write_buf *b;
	size_t left, n;
	const u8 *p;
	u64 off;
	int err;

	for (;;) {
		spin_lock(&w->hash_lock);
		b = list_first_entry_or_null(&w->hash_queue,
					     struct ks3_write_buf, hash_node);
		if (b)
			list_del(&b->hash_node);
		spin_unlock(&w->hash_lock);
		if (!b)
			return;
		p = b->mem->data;
		off = b->start;
		left = b->len;
		err = 0;
		while (left) {
			n = min_t(size_t, left, KS3_CHUNK_SIZE -
				  (off & (KS3_CHUNK_SIZE - 1)));
			w->hash_crc = crc32c(w->hash_crc, p, n);
			if (!err)
				err = crypto_shash_update(w->md5, p, n);
			p += n;
			off += n;
			left -= n;
			if (!(off & (KS3_CHUNK_SIZE - 1))) {
				b->end_chunk = (off >> KS3_CHUNK_SHIFT) - 1;
				b->end_crc = w->hash_crc;
				w->hash_crc = ~0U;
			}
		}
		/* The last touch of @b: the writer may reuse it from here. */
		ks3_io_batch_end(&b->batch, err);
	}
}

/* Records chunk @idx's crc32c. */
static int ks3_writer_set_crc(struct ks3_object_writer *w, u32 idx, u32 crc)
{
	int ret = ks3_grow((void **)&w->crcs, &w->cap_chunks, idx + 1,
			   sizeof(*w->crcs));

	if (ret)
		return ret;
	w->crcs[idx] = crc;
	w->nr_chunks = max(w->nr_chunks, idx + 1);
	return 0;
}

/*
 * Waits for the writes and the hashing of @b and takes the crc of a chunk
 * that ended in it; an error fails the writer.
 */
static int ks3_buf_wait(struct ks3_object_writer *w, struct ks3_write_buf *b)
{
	int ret;

	if (!b->busy)
		return 0;
	ret = ks3_io_batch_wait(&b->batch);
	b->busy = false;
	if (!ret && b->end_chunk != KS3_NO_CHUNK)
		ret = ks3_writer_set_crc(w, b->end_chunk, b->end_crc);
	b->end_chunk = KS3_NO_CHUNK;
	if (ret && !w->error)
		w->error = ret;
	return ret;
}

/* Waits for every data write in flight; the writer's error, if any. */
static int ks3_writer_wait_all(struct ks3_object_writer *w)
{
	unsigned int i;

	for (i = 0; i < KS3_WRITE_BUFS; i++)
		ks3_buf_wait(w, &w->buf[i]);
	return w->error;
}

/*
 * The writer's declared size leaves the bucket's writing_bytes: when its
 * commit is queued (then it counts as pending) or when it ends.
 */
void ks3_writer_uncharge_locked(struct ks3_store *s,
				struct ks3_object_writer *w)
{
	struct ks3_bucket *b;

	if (!w->charged)
		return;
	b = xa_load(&s->buckets_by_id, w->bucket_id);
	if (b)
		atomic64_sub(w->charged, &b->writing_bytes);
	w->charged = 0;
}

static void ks3_writer_uncharge(struct ks3_object_writer *w)
{
	if (!w->charged)
		return;
	down_read(&w->s->meta_lock);
	ks3_writer_uncharge_locked(w->s, w);
	up_read(&w->s->meta_lock);
}

/*
 * Byte quota at the start of a write, so that a client cannot fill the
 * device past it before the commit refuses: what the bucket uses, the
 * sizes of other writers in progress and this one's @size_hint, less
 * the object it replaces. Charges @size_hint; meta_lock held (read).
 */
static int ks3_writer_charge(struct ks3_store *s, struct ks3_bucket *b,
			     struct ks3_object_writer *w)
{
	struct ks3_index_node *n;
	u64 replaced = 0;

	if (b->quota_bytes) {
		if (!w->upload_id) {
			n = ks3_index_lookup(&b->index, w->key, w->key_len);
			if (n && ks3_entry_of(n)->obj)
				replaced = ks3_entry_of(n)->obj->size;
		}
		if (ks3_bucket_bytes_used(b) +
		    atomic64_read(&b->writing_bytes) + w->size_hint >
		    b->quota_bytes + replaced)
			return -EDQUOT;
	}
	atomic64_add(w->size_hint, &b->writing_bytes);
	w->charged = w->size_hint;
	return 0;
}

void ks3_writer_free(struct ks3_object_writer *w, bool return_blocks)
{
	u32 i;

	/*
	 * Nothing may still be writing to the blocks when another writer
	 * can take them, nor reading the buffers once they are reused; the
	 * hashing work may still be on its way out after its last buffer.
	 */
	ks3_writer_wait_all(w);
	flush_work(&w->hash_work);
	ks3_writer_uncharge(w);
	if (return_blocks)
		for (i = 0; i < w->nr_ext; i++)
			ks3_alloc_put(&w->s->alloc, w->ext[i].start,
				      w->ext[i].blocks);
	kfree(w->md5);
	for (i = 0; i < KS3_WRITE_BUFS; i++)
		if (w->buf[i].mem)
			ks3_wbuf_put(&w->s->wbufs, w->buf[i].mem);
	kvfree(w->ext);
	kvfree(w->crcs);
	kfree(w);
}

int ks3_object_write_begin(struct ks3_store *s, const char *bucket,
			   size_t bucket_len, const char *key, size_t key_len,
			   u64 size_hint, struct ks3_object_writer **out)
{
	if (!key_len || key_len > KS3_OBJECT_KEY_MAX)
		return -ENAMETOOLONG;
	return ks3_writer_begin(s, bucket, bucket_len, key, key_len, 0, 0,
				size_hint, out);
}

int ks3_writer_begin(struct ks3_store *s, const char *bucket,
		     size_t bucket_len, const char *key, size_t key_len,
		     u64 upload_id, u32 part_number, u64 size_hint,
		     struct ks3_object_writer **out)
{
	struct ks3_object_writer *w;
	struct ks3_bucket *b;
	unsigned int i;
	int ret;

	if (s->read_only)
		return -EROFS;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->s = s;
	w->key_len = key_len;
	memcpy(w->key, key, key_len);
	w->upload_id = upload_id;
	w->part_number = part_number;
	w->size_hint = size_hint;
	w->hash_crc = ~0U;
	spin_lock_init(&w->hash_lock);
	INIT_LIST_HEAD(&w->hash_queue);
	INIT_WORK(&w->hash_work, ks3_writer_hash_work);
	for (i = 0; i < KS3_WRITE_BUFS; i++) {
		ks3_io_batch_init(&w->buf[i].batch);
		w->buf[i].end_chunk = KS3_NO_CHUNK;
	}
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	ret = -ENOENT;
	if (b) {
		w->bucket_id = b->id;
		ret = ks3_writer_charge(s, b, w);
	}
	up_read(&s->meta_lock);
	if (ret)
		goto err;
	ret = -ENOMEM;
	w->md5 = kmalloc(sizeof(*w->md5) + crypto_shash_descsize(s->md5),
			 GFP_KERNEL);
	if (!w->md5)
		goto err;
	w->md5->tfm = s->md5;
	ret = crypto_shash_init(w->md5);
	if (ret)
		goto err;
	*out = w;
	return 0;
err:
	ks3_writer_free(w, false);
	return ret;
}

/*
 * Takes at least @need more blocks of free space, asking for up to @want
 * (>= @need) so the data lands in as few extents as it can; a full device
 * fails only when @need itself cannot be had.
 */
static int ks3_writer_grant(struct ks3_object_writer *w, u64 need, u64 want)
{
	struct ks3_extent e;
	u64 got = 0;
	int ret;

	while (got < need) {
		if (w->nr_ext >= KS3_OP_EXTENTS_MAX)
			return -EFBIG;
		ret = ks3_grow((void **)&w->ext, &w->cap_ext, w->nr_ext + 1,
			       sizeof(*w->ext));
		if (ret)
			return ret;
		ret = ks3_alloc_get(&w->s->alloc, want - got, &e);
		if (ret)
			return ret;
		/* Contiguous with the last one: extend it. */
		if (w->nr_ext &&
		    w->ext[w->nr_ext - 1].start + w->ext[w->nr_ext - 1].blocks ==
		    e.start &&
		    (u64)w->ext[w->nr_ext - 1].blocks + e.blocks <=
		    KS3_EXTENT_BLOCKS_MAX)
			w->ext[w->nr_ext - 1].blocks += e.blocks;
		else
			w->ext[w->nr_ext++] = e;
		w->granted += e.blocks;
		got += e.blocks;
	}
	return 0;
}

/* Block @n (counted over all extents) of the writer, as a device block. */
static u64 ks3_writer_block(struct ks3_object_writer *w, u64 n, u64 *run)
{
	u32 i;

	for (i = 0; i < w->nr_ext; i++) {
		if (n < w->ext[i].blocks) {
			*run = w->ext[i].blocks - n;
			return w->ext[i].start + n;
		}
		n -= w->ext[i].blocks;
	}
	*run = 0;
	return 0;
}

/*
 * Starts writing buf[cur], its last block zero-padded, and moves on to the
 * next buffer. Only whole buffers go out, but for the tail at seal.
 */
static int ks3_writer_submit(struct ks3_object_writer *w)
{
	struct ks3_write_buf *b = &w->buf[w->cur];
	size_t bytes = ALIGN(w->staged, KS3_BLOCK_SIZE);
	u64 blocks = bytes >> KS3_BLOCK_SHIFT, done = 0, run, dev_block;
	struct ks3_io io;
	int ret;

	if (!blocks)
		return 0;
	/*
	 * A read-only store takes no more data: the writer would fail at
	 * queue anyway, and after a journal write error the device is
	 * failing, so more writes only add to what recovery must face.
	 */
	if (READ_ONCE(w->s->read_only))
		return -EROFS;
	memset(b->mem->data + w->staged, 0, bytes - w->staged);
	if (w->written + blocks > w->granted) {
		u64 need = w->written + blocks - w->granted, want;

		/* The rest of a known size, or a chunk more when unknown. */
		if (w->size_hint >= w->size &&
		    ks3_size_blocks(w->size_hint) > w->granted)
			want = max(need, ks3_size_blocks(w->size_hint) -
					 w->granted);
		else
			want = max_t(u64, need, KS3_GROW_BLOCKS);
		ret = ks3_writer_grant(w, need, want);
		if (ret)
			return ret;
	}
	if (is_vmalloc_addr(b->mem->data))
		flush_kernel_vmap_range(b->mem->data, bytes);
	b->busy = true;
	/* Hashing first: it runs on another CPU while the bios are built. */
	b->start = w->size - w->staged;
	b->len = w->staged;
	ks3_io_batch_add(&b->batch);
	spin_lock(&w->hash_lock);
	list_add_tail(&b->hash_node, &w->hash_queue);
	spin_unlock(&w->hash_lock);
	queue_work(w->s->hash_wq, &w->hash_work);
	while (done < blocks) {
		dev_block = ks3_writer_block(w, w->written + done, &run);
		run = min(run, blocks - done);
		io = (struct ks3_io){
			.op = KS3_IO_WRITE, .block = dev_block,
			.bvec = b->mem->bv + done, .nr_bvec = run,
		};
		/* An error is in the batch too: the buffer is waited for. */
		ret = ks3_dev_submit_async(w->s->dev, &io, &b->batch);
		if (ret)
			return ret;
		done += run;
	}
	w->written += blocks;
	w->staged = 0;
	w->cur = (w->cur + 1) % KS3_WRITE_BUFS;
	return 0;
}

/*
 * Makes buf[cur] ready to fill: waits for its last writes and hashing, or
 * takes it from the pool (a new one no larger than the rest of a known
 * size needs if the pool has none).
 */
static int ks3_writer_buf(struct ks3_object_writer *w)
{
	struct ks3_write_buf *b = &w->buf[w->cur];
	size_t want = KS3_WRITE_BUF_SIZE;
	int ret;

	ret = ks3_buf_wait(w, b);
	if (ret || b->mem)
		return ret;
	if (w->size_hint > w->size &&
	    w->size_hint - w->size < KS3_WRITE_BUF_SIZE)
		want = ALIGN(w->size_hint - w->size, KS3_BLOCK_SIZE);
	b->mem = ks3_wbuf_get(&w->s->wbufs, want);
	return b->mem ? 0 : -ENOMEM;
}

int ks3_object_write_space(struct ks3_object_writer *w, void **buf,
			   size_t *len)
{
	struct ks3_write_buf *b;
	int ret;

	if (w->error)
		return w->error;
	if (!w->staged) {
		ret = ks3_writer_buf(w);
		if (ret) {
			w->error = ret;
			return ret;
		}
	}
	b = &w->buf[w->cur];
	*buf = b->mem->data + w->staged;
	*len = b->mem->cap - w->staged;
	return 0;
}

int ks3_object_write_done(struct ks3_object_writer *w, size_t n)
{
	struct ks3_write_buf *b = &w->buf[w->cur];
	int ret;

	if (w->error)
		return w->error;
	if (!n)
		return 0;
	/* S3 allows 5 TiB per object; extents and chunks follow from it. */
	if (n > (5ULL << 40) - w->size)
		return -EFBIG;
	if (WARN_ON_ONCE(!b->mem || n > b->mem->cap - w->staged)) {
		w->error = -EINVAL;
		return -EINVAL;
	}
	w->staged += n;
	w->size += n;
	if (w->staged < b->mem->cap)
		return 0;
	ret = ks3_writer_submit(w);
	/* Data may be half staged or half written: the writer is done. */
	if (ret)
		w->error = ret;
	return ret;
}

int ks3_object_write(struct ks3_object_writer *w, const void *data,
		     size_t len)
{
	const u8 *p = data;
	size_t room, n;
	void *buf;
	int ret;

	if (w->error)
		return w->error;
	if (len > (5ULL << 40) - w->size)
		return -EFBIG;
	while (len) {
		ret = ks3_object_write_space(w, &buf, &room);
		if (ret)
			return ret;
		n = min(len, room);
		memcpy(buf, p, n);
		ret = ks3_object_write_done(w, n);
		if (ret)
			return ret;
		p += n;
		len -= n;
	}
	return 0;
}

/* Returns granted blocks past the data to free space. */
static void ks3_writer_trim(struct ks3_object_writer *w)
{
	u64 keep = w->written, n = 0;
	u32 i;

	for (i = 0; i < w->nr_ext; i++) {
		struct ks3_extent *e = &w->ext[i];

		if (n + e->blocks <= keep) {
			n += e->blocks;
			continue;
		}
		if (n < keep) {
			u64 used = keep - n;

			ks3_alloc_put(&w->s->alloc, e->start + used,
				      e->blocks - used);
			n += e->blocks;
			e->blocks = used;
			continue;
		}
		ks3_alloc_put(&w->s->alloc, e->start, e->blocks);
		n += e->blocks;
		e->blocks = 0;
	}
	while (w->nr_ext && !w->ext[w->nr_ext - 1].blocks)
		w->nr_ext--;
	w->granted = w->written;
}

struct ks3_put_pending {
	struct ks3_object_writer *w;
	const struct ks3_put_cond *cond;
	struct ks3_bucket *b;
	struct ks3_entry *e;
	bool new_object;
};

/* After the commit, success or not: drop the marks the queue set. */
static void ks3_put_finish(struct ks3_store *s, struct ks3_txn *t, int status)
{
	struct ks3_put_pending *p = t->priv;

	p->e->node.flags &= ~KS3_ENTRY_PENDING;
	p->b->pending_objects -= p->new_object;
	p->b->pending_bytes -= p->w->size;
	/* A first put that failed leaves no entry behind. */
	if (status && !p->e->obj) {
		ks3_index_erase(&p->b->index, &p->e->node);
		ks3_entry_free(p->e);
	}
}

/* Checks the put against the bucket and queues it; meta_lock held. */
static int ks3_put_queue(struct ks3_store *s, struct ks3_txn *t, void *arg)
{
	struct ks3_put_pending *p = arg;
	const struct ks3_put_cond *cond = p->cond;
	struct ks3_object_writer *w = p->w;
	struct ks3_index_node *n;
	struct ks3_bucket *b;
	struct ks3_entry *e;

	b = xa_load(&s->buckets_by_id, w->bucket_id);
	if (!b || b->pending_delete)
		return -ENOENT;
	n = ks3_index_lookup(&b->index, w->key, w->key_len);
	e = n ? ks3_entry_of(n) : NULL;
	if (e && (e->node.flags & KS3_ENTRY_PENDING))
		return -EAGAIN;
	if (cond && cond->if_none_match && e && e->obj)
		return -EEXIST;
	if (cond && cond->if_match &&
	    (!e || !e->obj || memcmp(e->obj->etag, cond->if_match, 16)))
		return -ESTALE;
	p->new_object = !e || !e->obj;
	if (b->quota_objects && p->new_object &&
	    b->nr_objects + b->pending_objects + 1 > b->quota_objects)
		return -EDQUOT;
	if (b->quota_bytes &&
	    ks3_bucket_bytes_used(b) + w->size >
	    b->quota_bytes + (e && e->obj ? e->obj->size : 0))
		return -EDQUOT;
	if (!e) {
		e = ks3_entry_alloc(w->key, w->key_len);
		if (!e)
			return -ENOMEM;
		ks3_index_insert(&b->index, &e->node);
	}
	e->node.flags |= KS3_ENTRY_PENDING;
	b->pending_objects += p->new_object;
	b->pending_bytes += w->size;
	ks3_writer_uncharge_locked(s, w);
	p->b = b;
	p->e = e;
	t->finish = ks3_put_finish;
	t->priv = p;
	ks3_txn_queue(s, t);
	return 0;
}

int ks3_writer_seal(struct ks3_object_writer *w, struct ks3_sealed *out)
{
	u32 i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = w->error;
	if (!ret)
		ret = ks3_writer_submit(w);
	if (ret)
		w->error = ret;
	/*
	 * Every data write must have completed before the journal record's
	 * pre-flush is issued, or the flush would not cover it.
	 */
	ret = ks3_writer_wait_all(w);
	if (ret)
		return ret;
	/* The hashing is done: its state is ours now. */
	if (w->size & (KS3_CHUNK_SIZE - 1)) {
		ret = ks3_writer_set_crc(w, w->size >> KS3_CHUNK_SHIFT,
					 w->hash_crc);
		if (ret)
			return ret;
	}
	ret = crypto_shash_final(w->md5, out->etag);
	if (ret)
		return ret;
	ks3_writer_trim(w);

	out->ext = kvmalloc_array(max(w->nr_ext, 1U), sizeof(*out->ext),
				  GFP_KERNEL);
	out->crcs = kvmalloc_array(max(w->nr_chunks, 1U), sizeof(*out->crcs),
				   GFP_KERNEL);
	if (!out->ext || !out->crcs) {
		ks3_sealed_release(out);
		return -ENOMEM;
	}
	for (i = 0; i < w->nr_ext; i++) {
		out->ext[i].start = cpu_to_le64(w->ext[i].start);
		out->ext[i].blocks = cpu_to_le32(w->ext[i].blocks);
		out->ext[i].reserved = 0;
	}
	for (i = 0; i < w->nr_chunks; i++)
		out->crcs[i] = cpu_to_le32(w->crcs[i]);
	out->nr_extents = w->nr_ext;
	out->nr_chunks = w->nr_chunks;
	out->size = w->size;
	out->mtime = ktime_get_real_ns();
	out->bucket_id = w->bucket_id;
	out->upload_id = w->upload_id;
	out->part_number = w->part_number;
	return 0;
}

void ks3_sealed_release(struct ks3_sealed *sd)
{
	kvfree(sd->ext);
	kvfree(sd->crcs);
	sd->ext = NULL;
	sd->crcs = NULL;
}

u64 ks3_writer_size(const struct ks3_object_writer *w)
{
	return w->size;
}

struct ks3_store *ks3_writer_store(const struct ks3_object_writer *w)
{
	return w->s;
}

int ks3_object_write_commit(struct ks3_object_writer *w, const void *meta,
			    size_t meta_len, const struct ks3_put_cond *cond,
			    struct ks3_object_info *info)
{
	struct ks3_store *s = w->s;
	struct ks3_put_pending p = { .w = w, .cond = cond };
	struct ks3_op op = { .type = KS3_OP_OBJECT_PUT };
	struct ks3_sealed sd = { };
	struct ks3_txn t;
	int ret;

	ks3_txn_init(&t);
	if (meta_len > KS3_OBJECT_META_MAX) {
		ret = -E2BIG;
		goto out;
	}
	ret = ks3_writer_seal(w, &sd);
	if (ret)
		goto out;
	/* The MD5 is the ETag's: checking Content-MD5 costs no second pass. */
	if (cond && cond->content_md5 &&
	    memcmp(sd.etag, cond->content_md5, sizeof(sd.etag))) {
		ret = -EILSEQ;
		goto out;
	}
	op.object = (struct ks3_op_object){
		.bucket_id = w->bucket_id, .key = w->key,
		.key_len = w->key_len, .meta = meta, .meta_len = meta_len,
		.size = sd.size, .mtime = sd.mtime, .etag = sd.etag,
		.nr_extents = sd.nr_extents, .extents = sd.ext,
		.nr_chunks = sd.nr_chunks, .crcs = sd.crcs,
	};
	ret = ks3_txn_add(&t, &op);
	if (ret)
		goto out;

	ret = ks3_txn_queue_commit(s, &t, ks3_put_queue, &p);
	if (!ret && info) {
		info->size = sd.size;
		info->mtime = sd.mtime;
		memcpy(info->etag, sd.etag, sizeof(sd.etag));
	}
out:
	ks3_sealed_release(&sd);
	ks3_txn_release(&t);
	/*
	 * Committed, or perhaps committed (a journal write error): the
	 * blocks belong to the object, now or after the next attach.
	 */
	ks3_writer_free(w, ret && !t.maybe_committed);
	return ret;
}

void ks3_object_write_abort(struct ks3_object_writer *w)
{
	ks3_writer_free(w, true);
}

/* ---- reading and deleting ---- */

struct ks3_object *ks3_object_get(struct ks3_store *s, const char *bucket,
				  size_t bucket_len, const char *key,
				  size_t key_len)
{
	struct ks3_object *obj = ERR_PTR(-ENOENT);
	struct ks3_index_node *n;
	struct ks3_bucket *b;

	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	n = b ? ks3_index_lookup(&b->index, key, key_len) : NULL;
	if (n && ks3_entry_of(n)->obj) {
		obj = ks3_entry_of(n)->obj;
		refcount_inc(&obj->ref);
	}
	up_read(&s->meta_lock);
	return obj;
}

u64 ks3_seg_block(const struct ks3_segment *seg, u64 off, u64 *run)
{
	u64 n = off >> KS3_BLOCK_SHIFT;
	u32 i;

	for (i = 0; i < seg->nr_extents; i++) {
		if (n < seg->extents[i].blocks) {
			*run = seg->extents[i].blocks - n;
			return seg->extents[i].start + n;
		}
		n -= seg->extents[i].blocks;
	}
	*run = 0;
	return 0;
}

int ks3_object_read(struct ks3_store *s, struct ks3_object *obj, u64 off,
		    void *buf, size_t len)
{
	u8 *out = buf;
	u32 i = 0;
	int ret = 0;

	if (off > obj->size || len > obj->size - off)
		return -EINVAL;
	while (len && !ret) {
		const struct ks3_segment *seg;
		struct ks3_chunk *ch;
		u64 in, n;

		while (off >= obj->seg[i].offset + obj->seg[i].size)
			i++;
		seg = &obj->seg[i];
		in = off - seg->offset;
		ch = ks3_cache_get(s, seg, in >> KS3_CHUNK_SHIFT);
		if (IS_ERR(ch))
			return PTR_ERR(ch);
		ret = ks3_chunk_wait(s, ch);
		in &= KS3_CHUNK_SIZE - 1;
		n = min_t(u64, len, ch->len - in);
		if (!ret)
			ks3_chunk_copy(ch, in, out, n);
		ks3_chunk_put(s, ch);
		out += n;
		off += n;
		len -= n;
	}
	return ret;
}

struct ks3_del_pending {
	const char *bucket;
	size_t bucket_len;
	const char *key;
	size_t key_len;
	struct ks3_entry *e;
};

static void ks3_del_finish(struct ks3_store *s, struct ks3_txn *t, int status)
{
	struct ks3_del_pending *p = t->priv;

	/* On success apply.c freed the entry; only a failure finds it. */
	if (status)
		p->e->node.flags &= ~KS3_ENTRY_PENDING;
}

static int ks3_del_queue(struct ks3_store *s, struct ks3_txn *t, void *arg)
{
	struct ks3_op op = { .type = KS3_OP_OBJECT_DELETE };
	struct ks3_del_pending *p = arg;
	struct ks3_index_node *n;
	struct ks3_bucket *b;
	int ret;

	b = ks3_bucket_find(s, p->bucket, p->bucket_len);
	n = b ? ks3_index_lookup(&b->index, p->key, p->key_len) : NULL;
	p->e = n ? ks3_entry_of(n) : NULL;
	if (!b)
		return -ENXIO;
	if (p->e && (p->e->node.flags & KS3_ENTRY_PENDING))
		return -EAGAIN;
	if (!p->e || !p->e->obj)
		return -ENOENT;
	op.object.bucket_id = b->id;
	op.object.key = p->e->key;
	op.object.key_len = p->e->node.key_len;
	ret = ks3_txn_add(t, &op);
	if (ret)
		return ret;
	p->e->node.flags |= KS3_ENTRY_PENDING;
	t->finish = ks3_del_finish;
	t->priv = p;
	ks3_txn_queue(s, t);
	return 0;
}

/* Only committed versions are listed; queued first puts are not. */
static bool ks3_entry_visible(void *arg, struct ks3_index_node *n)
{
	return ks3_entry_of(n)->obj;
}

int ks3_object_list(struct ks3_store *s, const char *bucket,
		    size_t bucket_len, const struct ks3_list_params *p,
		    const struct ks3_list_ops *caller_ops, void *arg,
		    struct ks3_list_result *res, char *next, size_t next_size)
{
	struct ks3_list_ops ops = *caller_ops;
	struct ks3_bucket *b;
	int ret;

	ops.visible = ks3_entry_visible;
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	if (!b) {
		ret = -ENOENT;
	} else {
		ret = ks3_index_list(&b->index, p, &ops, arg, res);
		/* res->next points into the index: copy it under the lock. */
		if (!ret && res->next) {
			if (res->next_len > next_size) {
				ret = -E2BIG;
			} else {
				memcpy(next, res->next, res->next_len);
				res->next = next;
			}
		}
	}
	up_read(&s->meta_lock);
	return ret;
}

int ks3_object_delete(struct ks3_store *s, const char *bucket,
		      size_t bucket_len, const char *key, size_t key_len)
{
	struct ks3_del_pending p = {
		.bucket = bucket, .bucket_len = bucket_len,
		.key = key, .key_len = key_len,
	};
	struct ks3_txn t;
	int ret;

	if (!key_len || key_len > KS3_OBJECT_KEY_MAX)
		return -ENOENT;
	ks3_txn_init(&t);
	ret = ks3_txn_queue_commit(s, &t, ks3_del_queue, &p);
	ks3_txn_release(&t);
	return ret;
}
