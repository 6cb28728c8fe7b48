/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Multipart uploads: parts are written as extents like objects; Complete
 * stitches the listed parts' extents, unchanged, into one object (one
 * segment per part), Abort frees them. Uploads and parts survive restarts
 * through the journal and checkpoints like every other metadata.
 */
#ifndef _KS3_STORAGE_MULTIPART_H
#define _KS3_STORAGE_MULTIPART_H

#include <linux/rbtree.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include "object.h"
#include "op.h"

struct ks3_part {
	u64 size;
	u64 mtime;
	u8 etag[16];
	u32 nr_extents;
	u32 nr_chunks;
	u8 cksum_algo;			/* the S3 layer's, opaque here */
	u8 cksum_len;
	u8 cksum[KS3_PART_CKSUM_MAX];
	struct ks3_extent *extents;	/* in the same allocation */
	u32 *crcs;
};

struct ks3_upload {
	struct rb_node by_id;
	struct rb_node by_key;		/* in its bucket's uploads */
	u64 id;
	u32 bucket_id;
	u64 create_time;		/* ns since the epoch */
	struct xarray parts;		/* part number -> struct ks3_part */
	u32 pending_parts;		/* part commits queued */
	bool pending_end;		/* complete or abort queued */
	u16 meta_len;
	u16 key_len;
	u8 *meta;			/* in the same allocation */
	char key[];
};

int ks3_upload_create(struct ks3_store *s, const char *bucket,
		      size_t bucket_len, const char *key, size_t key_len,
		      const void *meta, size_t meta_len, u64 *upload_id);
int ks3_part_write_begin(struct ks3_store *s, const char *bucket,
			 size_t bucket_len, u64 upload_id, u32 part_number,
			 u64 size_hint, struct ks3_object_writer **out);
/* Durable on success; frees @w either way. */
int ks3_part_write_commit(struct ks3_object_writer *w,
			  struct ks3_object_info *info);
/*
 * Completes with parts @parts[0..n) (ascending part numbers): the ETag is
 * the MD5 of their MD5s, "-n" being the S3 layer's to add.
 */
int ks3_upload_complete(struct ks3_store *s, const char *bucket,
			size_t bucket_len, u64 upload_id, const u32 *parts,
			u32 n, const struct ks3_put_cond *cond,
			struct ks3_object_info *info);
int ks3_upload_abort(struct ks3_store *s, const char *bucket,
		     size_t bucket_len, u64 upload_id);

/*
 * What the S3 layer adds on top of the calls above: checksums of parts,
 * Complete's per-part checks, and the listings.
 */
struct ks3_part_opts {
	u8 cksum_algo;			/* 0: none */
	u8 cksum_len;
	const u8 *cksum;
	const u8 *content_md5;		/* the part's MD5 must be this: -EILSEQ */
};

/* ks3_part_write_commit() with @o (NULL: none of it). */
int ks3_part_write_commit_opts(struct ks3_object_writer *w,
			       const struct ks3_part_opts *o,
			       struct ks3_object_info *info);

/*
 * One part of a Complete. In: the number, and optionally the ETag and the
 * checksum the request gives for it (checked under the lock). Out: the
 * part's size and stored checksum, for the composite checksum.
 */
struct ks3_complete_part {
	u32 number;
	bool check_etag;
	u8 etag[16];
	u8 want_cksum_len;		/* 0: not checked */
	u8 want_cksum[KS3_PART_CKSUM_MAX];
	u64 size;
	u8 cksum_algo;
	u8 cksum_len;
	u8 cksum[KS3_PART_CKSUM_MAX];
};

/*
 * Completes @upload_id of @key with @parts[0..n), ascending. Checked under
 * meta_lock against the committed parts, so a part replaced meanwhile
 * cannot slip in: -ENOENT no such upload (or another key's), -EINVAL a
 * part missing or not matching its ETag or checksum (*@bad its index),
 * -ERANGE a part other than the last smaller than @min_part_size (*@bad),
 * -EEXIST/-ESTALE the preconditions of @cond, -EAGAIN never (waited).
 */
int ks3_upload_complete_parts(struct ks3_store *s, const char *bucket,
			      size_t bucket_len, const char *key,
			      size_t key_len, u64 upload_id,
			      struct ks3_complete_part *parts, u32 n,
			      u64 min_part_size,
			      const struct ks3_put_cond *cond,
			      struct ks3_object_info *info, u32 *bad);

/*
 * Upload @upload_id of @key in @bucket: 0 and its metadata blob copied to
 * @meta (@size bytes, *@meta_len its length) and creation time; -ENOENT.
 */
int ks3_upload_lookup(struct ks3_store *s, const char *bucket,
		      size_t bucket_len, const char *key, size_t key_len,
		      u64 upload_id, u8 *meta, size_t size, u16 *meta_len,
		      u64 *create_time);

/* ListParts: @fn gets each part after @marker, at most @max of them. */
struct ks3_part_view {
	u32 number;
	u64 size;
	u64 mtime;
	const u8 *etag;
	u8 cksum_algo;
	u8 cksum_len;
	const u8 *cksum;
};

int ks3_upload_list_parts(struct ks3_store *s, const char *bucket,
			  size_t bucket_len, const char *key, size_t key_len,
			  u64 upload_id, u32 marker, u32 max,
			  int (*fn)(void *arg, const struct ks3_part_view *p),
			  void *arg, bool *truncated, u32 *next_marker);

/*
 * ListMultipartUploads over a bucket's uploads in (key, upload id) order,
 * under meta_lock (read): @upload gets each upload after the marker
 * (key-marker alone: after every upload of that key; with
 * @id_marker_set: after (key_marker, id_marker)), @prefix gets each common
 * prefix once; both count toward @max. @truncated says whether more
 * follow. Callbacks must not sleep for long; they may allocate.
 */
struct ks3_upload_list_params {
	const char *prefix;
	size_t prefix_len;
	const char *delim;
	size_t delim_len;
	const char *key_marker;
	size_t key_marker_len;
	bool id_marker_set;
	u64 id_marker;
	u32 max;
};

struct ks3_upload_list_ops {
	int (*upload)(void *arg, const struct ks3_upload *u);
	int (*prefix)(void *arg, const char *p, size_t len);
};

int ks3_upload_list(struct ks3_store *s, const char *bucket,
		    size_t bucket_len, const struct ks3_upload_list_params *p,
		    const struct ks3_upload_list_ops *ops, void *arg,
		    bool *truncated);

/* For apply.c, checkpoint.c and attach */
struct ks3_upload *ks3_upload_find(struct ks3_store *s, u64 id);
int ks3_apply_upload_create(struct ks3_store *s,
			    const struct ks3_op_upload *v);
int ks3_apply_upload_part(struct ks3_store *s, const struct ks3_op_part *v);
int ks3_apply_upload_complete(struct ks3_store *s,
			      const struct ks3_op_complete *v);
int ks3_apply_upload_abort(struct ks3_store *s, const struct ks3_op_upload *v);
void ks3_uploads_destroy(struct ks3_store *s);
int ks3_uploads_claim_extents(struct ks3_store *s);
u64 ks3_uploads_blocks(struct ks3_store *s);

#endif /* _KS3_STORAGE_MULTIPART_H */
