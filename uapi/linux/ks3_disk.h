/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ks3 on-disk format, shared by ks3.ko and s3ctl (format, fsck). Every field
 * is little-endian; every structure carries a crc32c. docs/on-disk-format.md
 * explains the layout and the rules for changing it.
 *
 * Device layout, in 4 KiB blocks:
 *
 *   0            superblock copy 0
 *   1            superblock copy 1
 *   2 ..         journal: a circular run of journal_blocks blocks
 *   ..           checkpoint slot 0, then slot 1 (ckpt_blocks each)
 *   data_start.. data: object extents, allocated in whole blocks
 *
 * A device whose logical sector is 512 or 4096 bytes works the same way:
 * all I/O is in whole, aligned 4 KiB blocks.
 */
#ifndef _UAPI_LINUX_KS3_DISK_H
#define _UAPI_LINUX_KS3_DISK_H

#include <linux/types.h>

#define KS3_BLOCK_SHIFT		12
#define KS3_BLOCK_SIZE		4096U	/* 1 << KS3_BLOCK_SHIFT */

#define KS3_SUPER_MAGIC		0x5333534bU	/* "KS3S" */
#define KS3_JREC_MAGIC		0x4a33534bU	/* "KS3J" */
#define KS3_CKPT_MAGIC		0x4333534bU	/* "KS3C" */

#define KS3_FORMAT_VERSION	1

/*
 * Feature flags, as in ext4: an unknown compat flag is ignored, an unknown
 * ro_compat flag allows only a read-only attach, an unknown incompat flag
 * refuses the attach.
 */
#define KS3_FEATURE_COMPAT_SUPP		0U
#define KS3_FEATURE_RO_COMPAT_SUPP	0U
/* UPLOAD_PART records may carry the part's S3 checksum (cksum_len != 0). */
#define KS3_FEATURE_INCOMPAT_PART_CKSUM	0x1U
#define KS3_FEATURE_INCOMPAT_SUPP	KS3_FEATURE_INCOMPAT_PART_CKSUM

#define KS3_SUPER_BLOCKS	2	/* copies at blocks 0 and 1 */
#define KS3_JOURNAL_START	KS3_SUPER_BLOCKS
#define KS3_NO_CHECKPOINT	0xffffffffU

/*
 * The superblock. Both copies are written on every change, copy 0 first,
 * each with FUA; attach takes the valid copy with the highest generation.
 */
struct ks3_disk_super {
	__le32 magic;		/* KS3_SUPER_MAGIC */
	__le32 crc;		/* crc32c(~0) of the struct, this field zero */
	__le32 version;		/* KS3_FORMAT_VERSION */
	__le32 struct_size;	/* sizeof(struct ks3_disk_super) */
	__le32 feature_compat;
	__le32 feature_ro_compat;
	__le32 feature_incompat;
	__le32 block_size;	/* KS3_BLOCK_SIZE */
	__u8 uuid[16];		/* seeds every other crc on the device */
	__le64 generation;	/* +1 on every superblock write */
	__le64 total_blocks;	/* device size when formatted */
	__le64 journal_start;	/* first journal block */
	__le64 journal_blocks;
	__le64 ckpt_start[2];	/* first block of each checkpoint slot */
	__le64 ckpt_blocks;	/* blocks per checkpoint slot */
	__le64 data_start;
	__le64 data_blocks;
	__le64 format_time;	/* seconds since the epoch */
	/* Where attach starts: the active checkpoint, then the journal. */
	__le32 ckpt_slot;	/* 0, 1 or KS3_NO_CHECKPOINT */
	__le32 reserved0;
	__le64 ckpt_seq;	/* sequence of the checkpoint in ckpt_slot */
	__le64 replay_seq;	/* first journal record to replay */
	__le64 replay_block;	/* its offset in the journal, in blocks */
	__u8 reserved[128];	/* zero */
};

/*
 * A journal record: one group commit, a header then the operations,
 * padded with zeroes to whole blocks. Records follow each other in the
 * circular journal and may wrap at its end. Replay stops at the first
 * record whose magic, sequence (previous + 1) or crc does not check.
 */
struct ks3_disk_jrec {
	__le32 magic;		/* KS3_JREC_MAGIC */
	__le32 crc;		/* crc32c(uuid seed) of header + payload */
	__le64 seq;
	__le32 payload_len;	/* bytes of operations after the header */
	__le32 nr_ops;
	__le64 commit_time;	/* seconds since the epoch */
};

/*
 * A checkpoint: the whole metadata state as a stream of operations that
 * recreate it, in the same encoding as journal records, written to the
 * inactive slot; the superblock then switches to it.
 */
struct ks3_disk_ckpt {
	__le32 magic;		/* KS3_CKPT_MAGIC */
	__le32 crc;		/* crc32c(uuid seed) of header + payload */
	__le64 seq;		/* checkpoint sequence, +1 each time */
	__le64 replay_seq;	/* first journal record not in the image */
	__le64 payload_len;
	__le64 nr_ops;
};

/*
 * Operations, each an 8-byte aligned header and payload. The payload of
 * each type is a fixed structure followed by its variable parts, in the
 * order listed for that structure; every length is bounded below.
 */
enum ks3_op_type {
	KS3_OP_NONE,
	KS3_OP_BUCKET_PUT,	/* ks3_disk_op_bucket + name: create or update */
	KS3_OP_BUCKET_DELETE,	/* ks3_disk_op_bucket (id only) */
	KS3_OP_KEY_PUT,		/* ks3_disk_op_key + name */
	KS3_OP_KEY_DELETE,	/* ks3_disk_op_key (id only) */
	KS3_OP_GRANT,		/* ks3_disk_op_grant */
	KS3_OP_OBJECT_PUT,	/* ks3_disk_op_object + key + meta + extents + crcs */
	KS3_OP_OBJECT_DELETE,	/* ks3_disk_op_object (bucket_id, key) */
	KS3_OP_CONFIG_SET,	/* ks3_disk_op_config + name + value */
	KS3_OP_UPLOAD_CREATE,	/* ks3_disk_op_upload + key + meta */
	KS3_OP_UPLOAD_PART,	/* ks3_disk_op_part + extents + crcs */
	KS3_OP_UPLOAD_COMPLETE,	/* ks3_disk_op_complete + part numbers */
	KS3_OP_UPLOAD_ABORT,	/* ks3_disk_op_upload (upload_id only) */
	__KS3_OP_MAX,
};

struct ks3_disk_op {
	__le16 type;		/* enum ks3_op_type */
	__le16 flags;		/* zero */
	__le32 len;		/* payload bytes, not counting padding */
};

#define KS3_OP_ALIGN		8

#define KS3_BUCKET_NAME_LEN_MAX	63
#define KS3_KEY_NAME_LEN_MAX	64
#define KS3_ACCESS_KEY_LEN	20
#define KS3_SECRET_KEY_LEN	40
#define KS3_OBJECT_KEY_MAX	1024
#define KS3_OBJECT_META_MAX	8192	/* encoded standard + user metadata */
#define KS3_CHUNK_SHIFT		20	/* crc32c per 1 MiB of object data */
#define KS3_OP_EXTENTS_MAX	8192	/* extents per object */
#define KS3_CONFIG_NAME_MAX	32
#define KS3_CONFIG_VALUE_MAX	256

struct ks3_disk_op_bucket {
	__le32 bucket_id;
	__le32 owner_key;	/* key id of the owner */
	__le64 create_time;	/* seconds since the epoch */
	__le64 quota_bytes;	/* 0: none */
	__le64 quota_objects;	/* 0: none */
	__le16 name_len;
	__u8 reserved[6];
	/* name */
};

/* Bucket capabilities of a key (KS3_OP_GRANT). */
#define KS3_CAP_READ		0x1U
#define KS3_CAP_WRITE		0x2U
#define KS3_CAP_LIST		0x4U
#define KS3_CAP_OWNER		0x8U
#define KS3_CAP_ALL		0xfU

struct ks3_disk_op_key {
	__le32 key_id;
	__le32 flags;		/* KS3_KEY_ENABLED */
	__le64 create_time;
	char access_key[KS3_ACCESS_KEY_LEN];
	char secret_key[KS3_SECRET_KEY_LEN];
	__le16 name_len;
	__u8 reserved[6];
	/* name */
};

#define KS3_KEY_ENABLED		0x1U

struct ks3_disk_op_grant {
	__le32 key_id;
	__le32 bucket_id;
	__le32 caps;		/* KS3_CAP_*; 0 revokes */
	__le32 reserved;
};

struct ks3_disk_extent {
	__le64 start;		/* data block, absolute on the device */
	__le32 blocks;
	__le32 reserved;
};

struct ks3_disk_op_object {
	__le32 bucket_id;
	__le16 key_len;
	__le16 meta_len;
	__le64 size;		/* bytes */
	__le64 mtime;		/* ns since the epoch */
	__u8 etag[16];		/* md5 of the data, or of the part md5s */
	__le32 nr_parts;	/* 0: plain PUT; N: multipart ETag "-N" */
	__le32 nr_extents;
	__le32 nr_chunks;	/* == DIV_ROUND_UP(size, 1 << KS3_CHUNK_SHIFT) */
	__le32 reserved;
	/* key, meta, extents (ks3_disk_extent, 8-aligned), crcs (__le32) */
};

/* Multipart uploads: parts are extents; Complete stitches them unchanged. */
#define KS3_PARTS_MAX		10000

struct ks3_disk_op_upload {
	__le64 upload_id;
	__le32 bucket_id;
	__le16 key_len;
	__le16 meta_len;
	__le64 create_time;	/* ns since the epoch */
	/* key, meta */
};

struct ks3_disk_op_part {
	__le64 upload_id;
	__le32 part_number;	/* 1..KS3_PARTS_MAX */
	__le32 nr_extents;
	__le64 size;
	__le64 mtime;		/* ns since the epoch */
	__u8 etag[16];		/* md5 of the part */
	__le32 nr_chunks;
	/*
	 * The part's S3 checksum (opaque to storage: an algorithm number and
	 * up to KS3_PART_CKSUM_MAX raw bytes after the crcs), or both zero.
	 * Non-zero only with KS3_FEATURE_INCOMPAT_PART_CKSUM set.
	 */
	__u8 cksum_algo;
	__u8 cksum_len;
	__le16 reserved;
	/* extents (ks3_disk_extent), crcs (__le32), cksum (cksum_len bytes) */
};

#define KS3_PART_CKSUM_MAX	32

/* The object keeps the listed parts' extents in order; others are freed. */
struct ks3_disk_op_complete {
	__le64 upload_id;
	__le64 mtime;		/* ns since the epoch */
	__u8 etag[16];		/* md5 of the part md5s */
	__le32 nr_parts;
	__le32 reserved;
	/* part numbers (__le32), ascending */
};

struct ks3_disk_op_config {
	__le16 name_len;
	__le16 value_len;
	__le32 reserved;
	/* name, value */
};

#endif /* _UAPI_LINUX_KS3_DISK_H */
