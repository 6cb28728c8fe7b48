/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Metadata operations: the one encoding shared by journal records and
 * checkpoints (uapi/linux/ks3_disk.h). Decoding validates every length
 * against the buffer and the format's limits and yields views that point
 * into the buffer; encoding writes into a buffer the caller sized with the
 * matching *_size() helper. Pure code: also built in userland for unit
 * tests, fuzzing and s3ctl fsck.
 */
#ifndef _KS3_STORAGE_OP_H
#define _KS3_STORAGE_OP_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/ks3_disk.h>

/* Largest payload of one operation: a 5 GiB PUT's crcs plus extents. */
#define KS3_OP_PAYLOAD_MAX	BIT(20)

struct ks3_op_bucket {
	u32 bucket_id;
	u32 owner_key;
	u64 create_time;
	u64 quota_bytes;
	u64 quota_objects;
	const char *name;
	u16 name_len;
};

struct ks3_op_key {
	u32 key_id;
	u32 flags;
	u64 create_time;
	const char *access_key;		/* KS3_ACCESS_KEY_LEN bytes */
	const char *secret_key;		/* KS3_SECRET_KEY_LEN bytes */
	const char *name;
	u16 name_len;
};

struct ks3_op_grant {
	u32 key_id;
	u32 bucket_id;
	u32 caps;
};

struct ks3_op_object {
	u32 bucket_id;
	const char *key;
	u16 key_len;
	const u8 *meta;
	u16 meta_len;
	u64 size;
	u64 mtime;
	const u8 *etag;			/* 16 bytes */
	u32 nr_parts;
	u32 nr_extents;
	u32 nr_chunks;
	const struct ks3_disk_extent *extents;
	const __le32 *crcs;
};

struct ks3_op_config {
	const char *name;
	u16 name_len;
	const char *value;
	u16 value_len;
};

struct ks3_op_upload {
	u64 upload_id;
	u32 bucket_id;
	const char *key;
	u16 key_len;
	const u8 *meta;
	u16 meta_len;
	u64 create_time;
};

struct ks3_op_part {
	u64 upload_id;
	u32 part_number;
	u32 nr_extents;
	u32 nr_chunks;
	u64 size;
	u64 mtime;
	const u8 *etag;			/* 16 bytes */
	const struct ks3_disk_extent *extents;
	const __le32 *crcs;
	u8 cksum_algo;			/* 0: none */
	u8 cksum_len;			/* <= KS3_PART_CKSUM_MAX */
	const u8 *cksum;
};

struct ks3_op_complete {
	u64 upload_id;
	u64 mtime;
	const u8 *etag;			/* 16 bytes */
	u32 nr_parts;
	const __le32 *parts;
};

/* One decoded operation: its type and a view of the matching kind. */
struct ks3_op {
	enum ks3_op_type type;
	union {
		struct ks3_op_bucket bucket;
		struct ks3_op_key key;
		struct ks3_op_grant grant;
		struct ks3_op_object object;
		struct ks3_op_config config;
		struct ks3_op_upload upload;
		struct ks3_op_part part;
		struct ks3_op_complete complete;
	};
};

/*
 * Decodes the operation at *@pos of @buf (@len bytes) into @op and moves
 * *@pos past it. Returns 0, or -EINVAL (with *@pos unchanged) for anything
 * malformed: truncated, unknown type, a length over its limit, variable
 * parts that do not add up to the payload, non-zero reserved fields.
 */
int ks3_op_decode(const void *buf, size_t len, size_t *pos,
		  struct ks3_op *op);

/* Bytes the encoding of @op takes, header and padding included. */
size_t ks3_op_size(const struct ks3_op *op);

/*
 * Encodes @op at @dst, which has @room bytes. Returns the bytes written
 * (ks3_op_size()), or 0 if @op is invalid or does not fit.
 */
size_t ks3_op_encode(void *dst, size_t room, const struct ks3_op *op);

/* Blocks an object of @size bytes occupies, and its 1 MiB chunk count. */
u64 ks3_size_blocks(u64 size);
u32 ks3_size_chunks(u64 size);

#endif /* _KS3_STORAGE_OP_H */
