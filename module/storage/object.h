/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects: immutable versions of data, held in RAM as metadata (extents,
 * per-MiB crc32c, MD5 ETag, opaque standard and user metadata), reached
 * through each bucket's index. Writers stream data to fresh extents and
 * publish through the journal; readers hold a reference, so a version that
 * is replaced or deleted keeps its blocks until the last reader is done.
 */
#ifndef _KS3_STORAGE_OBJECT_H
#define _KS3_STORAGE_OBJECT_H

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/ks3_disk.h>

#include "alloc.h"
#include "index.h"

struct ks3_store;
struct ks3_bucket;

#define KS3_CHUNK_SIZE		BIT(KS3_CHUNK_SHIFT)
/*
 * A writer's data buffers of 1 MiB: one fills while the others are written
 * asynchronously, so a writer holds at most this many MiB of data.
 */
#define KS3_WRITE_BUFS		3

/*
 * Writer data buffers are reused across writers: a store keeps up to
 * @max_idle idle 1 MiB buffers (with their bio_vecs) so that a PUT does
 * not allocate, and have the page allocator zero, a MiB of memory.
 */
struct ks3_wbuf_pool {
	spinlock_t lock;		/* guards idle and nr_idle */
	struct list_head idle;		/* struct ks3_wbuf, most recent first */
	unsigned int nr_idle;
	unsigned int max_idle;
	atomic64_t nr_allocs;		/* buffers allocated, for tests/stats */
};

void ks3_wbuf_pool_init(struct ks3_wbuf_pool *p);
void ks3_wbuf_pool_destroy(struct ks3_wbuf_pool *p);

/* A run of the object's data: one for a PUT, one per part for multipart. */
struct ks3_segment {
	u64 offset;			/* in the object */
	u64 size;
	u32 nr_extents;
	u32 nr_chunks;
	struct ks3_extent *extents;
	u32 *crcs;			/* crc32c(~0) of each 1 MiB chunk */
};

struct ks3_object {
	refcount_t ref;
	u16 meta_len;
	u16 nr_segments;
	u32 nr_parts;			/* 0, or N of the "-N" multipart ETag */
	u64 size;
	u64 mtime;			/* ns since the epoch */
	u8 etag[16];
	u8 *meta;			/* opaque to storage: the S3 layer's */
	struct ks3_segment seg[];	/* then extents, crcs and meta */
};

/* An index entry: a key and its committed version. */
struct ks3_entry {
	struct ks3_index_node node;	/* node.flags: KS3_ENTRY_* */
	struct ks3_object *obj;		/* NULL until the first put commits */
	char key[];
};

#define KS3_ENTRY_PENDING	0x1U	/* a put or delete of it is queued */

static inline struct ks3_entry *ks3_entry_of(struct ks3_index_node *n)
{
	return container_of(n, struct ks3_entry, node);
}

/* What a committed write produced. */
struct ks3_object_info {
	u64 size;
	u64 mtime;
	u8 etag[16];
};

/* Preconditions of a write (S3 conditional writes). */
struct ks3_put_cond {
	bool if_none_match;		/* If-None-Match: * */
	const u8 *if_match;		/* If-Match: this MD5 ETag, or NULL */
	/* Content-MD5: the data's MD5 must be this (-EILSEQ if not), or NULL */
	const u8 *content_md5;
};

struct ks3_object_writer;

/*
 * Starts writing @key in bucket @bucket. @size_hint is the final size when
 * known (Content-Length), else 0; it lets the data land in one extent.
 */
int ks3_object_write_begin(struct ks3_store *s, const char *bucket,
			   size_t bucket_len, const char *key, size_t key_len,
			   u64 size_hint, struct ks3_object_writer **out);
/* Appends @len bytes of data; kernel memory. */
int ks3_object_write(struct ks3_object_writer *w, const void *data,
		     size_t len);
/*
 * Appending without a copy: ks3_object_write_space() sets *@buf and *@len
 * to room for the next bytes of data inside the writer's buffer; the
 * caller puts up to *@len bytes there (a socket receive) and appends the
 * @n it put with ks3_object_write_done(). Room offered and not used is
 * simply offered again.
 */
int ks3_object_write_space(struct ks3_object_writer *w, void **buf,
			   size_t *len);
int ks3_object_write_done(struct ks3_object_writer *w, size_t n);
/*
 * Makes the object durable and visible: 0 only once the journal record is
 * on stable storage. Frees @w whatever happens.
 */
int ks3_object_write_commit(struct ks3_object_writer *w, const void *meta,
			    size_t meta_len, const struct ks3_put_cond *cond,
			    struct ks3_object_info *info);
void ks3_object_write_abort(struct ks3_object_writer *w);

/* The committed version of @key, referenced; ERR_PTR(-ENOENT) if none. */
struct ks3_object *ks3_object_get(struct ks3_store *s, const char *bucket,
				  size_t bucket_len, const char *key,
				  size_t key_len);
void ks3_object_put(struct ks3_store *s, struct ks3_object *obj);

/* Device block of byte @off of segment @seg, and blocks left in its run. */
u64 ks3_seg_block(const struct ks3_segment *seg, u64 off, u64 *run);

/*
 * Reads @len bytes at @off of @obj into @buf, through the data cache
 * (storage/cache.h), verifying the crc32c of
 * every chunk it touches (whole chunks are read for that): -EBADMSG on a
 * mismatch, which must never reach a client as data.
 */
int ks3_object_read(struct ks3_store *s, struct ks3_object *obj, u64 off,
		    void *buf, size_t len);

/*
 * Lists bucket @bucket with S3's semantics (index.h): only committed
 * objects, under meta_lock; @caller_ops->content gets index nodes
 * (ks3_entry_of()). @res->next is copied to @next (@next_size bytes), so a
 * page can resume after the lock is gone, however writers change the
 * bucket between pages.
 */
int ks3_object_list(struct ks3_store *s, const char *bucket,
		    size_t bucket_len, const struct ks3_list_params *p,
		    const struct ks3_list_ops *caller_ops, void *arg,
		    struct ks3_list_result *res, char *next, size_t next_size);

/* Deletes @key; -ENOENT if it does not exist (S3 still answers 204). */
int ks3_object_delete(struct ks3_store *s, const char *bucket,
		      size_t bucket_len, const char *key, size_t key_len);

/* Data a writer sealed: what an OBJECT_PUT or UPLOAD_PART records. */
struct ks3_sealed {
	u32 bucket_id;
	u64 upload_id;
	u32 part_number;
	u64 size;
	u64 mtime;
	u8 etag[16];
	u32 nr_extents;
	u32 nr_chunks;
	struct ks3_disk_extent *ext;
	__le32 *crcs;
};

/* The writer underneath objects and multipart parts (multipart.c). */
int ks3_writer_begin(struct ks3_store *s, const char *bucket,
		     size_t bucket_len, const char *key, size_t key_len,
		     u64 upload_id, u32 part_number, u64 size_hint,
		     struct ks3_object_writer **out);
int ks3_writer_seal(struct ks3_object_writer *w, struct ks3_sealed *out);
void ks3_sealed_release(struct ks3_sealed *sd);
u64 ks3_writer_size(const struct ks3_object_writer *w);
struct ks3_store *ks3_writer_store(const struct ks3_object_writer *w);
/* Frees @w, returning its blocks to free space unless they were committed. */
void ks3_writer_free(struct ks3_object_writer *w, bool return_blocks);
/* Its declared size no longer counts as being written; meta_lock held. */
void ks3_writer_uncharge_locked(struct ks3_store *s,
				struct ks3_object_writer *w);

/* For apply.c, multipart.c and checkpoint.c */
struct ks3_object *ks3_object_alloc(u16 nr_segments, const u32 *nr_extents,
				    const u32 *nr_chunks, u16 meta_len);
struct ks3_op_object;
struct ks3_disk_extent;
struct ks3_object *ks3_object_from_op(const struct ks3_op_object *v);
void ks3_object_to_op(const struct ks3_object *obj, u32 bucket_id,
		      const struct ks3_entry *e, struct ks3_op_object *v,
		      struct ks3_disk_extent *ext, __le32 *crcs);
u64 ks3_object_blocks(const struct ks3_object *obj);
struct ks3_entry *ks3_entry_alloc(const char *key, size_t len);
void ks3_entry_free(struct ks3_entry *e);

#endif /* _KS3_STORAGE_OBJECT_H */
