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
	struct ks3_extent *extents;	/* in the same allocation */
	u32 *crcs;
};

struct ks3_upload {
	struct rb_node by_id;
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
