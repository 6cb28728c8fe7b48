/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building ks3 store images in memory with the module's own code, for
 * s3ctl fsck's unit tests and fuzz target: a formatted image, journal
 * records and checkpoints of any operations, object data with its crcs,
 * and the damage a test wants (any byte can be changed afterwards).
 * Compile with the module's shims (userland/s3ctl.mk S3CTL_DISK_CFLAGS)
 * and link module/storage/{super,op,record}.c.
 */
#ifndef KS3_TEST_IMAGE_H
#define KS3_TEST_IMAGE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/crc32c.h>
#include <linux/kernel.h>
#include <asm/byteorder.h>

#include "fsck.h"
#include "storage/op.h"
#include "storage/record.h"
#include "storage/super.h"

struct ks3_image {
	u8 *data;
	u64 size;			/* bytes */
	struct ks3_layout l;
	u8 uuid[16];
	u32 seed;
	u64 next_seq;			/* of the next journal record */
	u64 head;			/* journal block it goes to */
	u64 rec_at[64];			/* journal block of record seq n */
};

static inline struct ks3_disk_super *ks3_image_super(struct ks3_image *im,
						     int copy)
{
	return (struct ks3_disk_super *)(im->data +
					 ((size_t)copy << KS3_BLOCK_SHIFT));
}

/* Seals and writes the superblock @sb to both copies. */
static inline void ks3_image_write_super(struct ks3_image *im,
					 struct ks3_disk_super *sb)
{
	ks3_super_seal(sb);
	memcpy(ks3_image_super(im, 0), sb, sizeof(*sb));
	memcpy(ks3_image_super(im, 1), sb, sizeof(*sb));
}

/* A freshly formatted store of @blocks blocks; false when too small. */
static inline bool ks3_image_init(struct ks3_image *im, u64 blocks)
{
	struct ks3_disk_super sb;
	unsigned int i;

	memset(im, 0, sizeof(*im));
	if (ks3_layout_compute(blocks, &im->l))
		return false;
	im->size = blocks << KS3_BLOCK_SHIFT;
	im->data = calloc(1, im->size);
	if (!im->data)
		abort();
	for (i = 0; i < 16; i++)
		im->uuid[i] = (u8)(0x11 * (i + 1));
	im->seed = ks3_crc_seed(im->uuid);
	im->next_seq = 1;
	ks3_super_init(&sb, &im->l, im->uuid, 1700000000);
	ks3_image_write_super(im, &sb);
	return true;
}

static inline void ks3_image_free(struct ks3_image *im)
{
	free(im->data);
	im->data = NULL;
}

/* @n ops encoded back to back into a malloc'd buffer of *@len bytes. */
static inline u8 *ks3_image_encode(const struct ks3_op *ops, unsigned int n,
				   size_t *len)
{
	size_t total = 0, off = 0, sz;
	unsigned int i;
	u8 *buf;

	for (i = 0; i < n; i++)
		total += ks3_op_size(&ops[i]);
	buf = calloc(1, total ? total : 1);
	if (!buf)
		abort();
	for (i = 0; i < n; i++) {
		sz = ks3_op_encode(buf + off, total - off, &ops[i]);
		if (!sz)
			abort();	/* the test built an invalid op */
		off += sz;
	}
	*len = total;
	return buf;
}

/* Writes @len bytes at journal block @at, wrapping at the journal's end. */
static inline void ks3_image_journal_write(struct ks3_image *im, u64 at,
					   const u8 *buf, size_t len)
{
	u64 jbytes = im->l.journal_blocks << KS3_BLOCK_SHIFT;
	u64 pos = at << KS3_BLOCK_SHIFT;
	size_t i;

	for (i = 0; i < len; i++)
		im->data[(im->l.journal_start << KS3_BLOCK_SHIFT) +
			 (pos + i) % jbytes] = buf[i];
}

/* A journal record holding @ops, the next in sequence. */
static inline void ks3_image_record(struct ks3_image *im,
				    const struct ks3_op *ops, unsigned int n)
{
	size_t len, total;
	u8 *payload, *rec;
	u64 blocks;

	payload = ks3_image_encode(ops, n, &len);
	blocks = ks3_jrec_blocks(len);
	total = blocks << KS3_BLOCK_SHIFT;
	rec = calloc(1, total);
	if (!rec)
		abort();
	ks3_jrec_init((struct ks3_disk_jrec *)rec, im->next_seq, (u32)len, n,
		      1700000000);
	memcpy(rec + sizeof(struct ks3_disk_jrec), payload, len);
	ks3_jrec_seal((struct ks3_disk_jrec *)rec, im->seed);
	ks3_image_journal_write(im, im->head, rec, total);
	if (im->next_seq < 64)
		im->rec_at[im->next_seq] = im->head;
	im->head = (im->head + blocks) % im->l.journal_blocks;
	im->next_seq++;
	free(rec);
	free(payload);
}

/*
 * A checkpoint of @ops in @slot, and the superblock switched to it: replay
 * then starts after the records written so far.
 */
static inline void ks3_image_checkpoint(struct ks3_image *im, u32 slot,
					const struct ks3_op *ops,
					unsigned int n)
{
	struct ks3_disk_super sb = *ks3_image_super(im, 0);
	struct ks3_disk_ckpt *h;
	size_t len;
	u8 *payload;

	payload = ks3_image_encode(ops, n, &len);
	h = (struct ks3_disk_ckpt *)(im->data +
				     (im->l.ckpt_start[slot] << KS3_BLOCK_SHIFT));
	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le32(KS3_CKPT_MAGIC);
	h->seq = cpu_to_le64(le64_to_cpu(sb.ckpt_seq) + 1);
	h->replay_seq = cpu_to_le64(im->next_seq);
	h->payload_len = cpu_to_le64(len);
	h->nr_ops = cpu_to_le64(n);
	memcpy(h + 1, payload, len);
	h->crc = cpu_to_le32(ks3_rec_crc(im->seed, h, sizeof(*h) + len));
	free(payload);

	sb.ckpt_slot = cpu_to_le32(slot);
	sb.ckpt_seq = h->seq;
	sb.replay_seq = cpu_to_le64(im->next_seq);
	sb.replay_block = cpu_to_le64(im->head);
	ks3_image_write_super(im, &sb);
}

/*
 * @size bytes of data (byte i is @seed + i) at data block @block, their
 * per-MiB crcs into @crcs (room for every chunk).
 */
static inline void ks3_image_data(struct ks3_image *im, u64 block, u64 size,
				  u8 seed, __le32 *crcs)
{
	u8 *p = im->data + (block << KS3_BLOCK_SHIFT);
	u64 i, off, n;

	for (i = 0; i < size; i++)
		p[i] = (u8)(seed + i);
	for (off = 0, i = 0; off < size; off += n, i++) {
		n = min_t(u64, size - off, 1ULL << KS3_CHUNK_SHIFT);
		crcs[i] = cpu_to_le32(crc32c(~0U, p + off, (unsigned int)n));
	}
}

/* Operation builders: the views point at the caller's strings. */
static inline struct ks3_op ks3_op_bucket_put(u32 id, const char *name)
{
	struct ks3_op op = { .type = KS3_OP_BUCKET_PUT };

	op.bucket.bucket_id = id;
	op.bucket.name = name;
	op.bucket.name_len = (u16)strlen(name);
	op.bucket.create_time = 1700000000;
	return op;
}

static inline struct ks3_op ks3_op_bucket_del(u32 id)
{
	struct ks3_op op = { .type = KS3_OP_BUCKET_DELETE };

	op.bucket.bucket_id = id;
	return op;
}

/* @access: 20 characters. */
static inline struct ks3_op ks3_op_key_put(u32 id, const char *access,
					   const char *name)
{
	static const char secret[KS3_SECRET_KEY_LEN + 1] =
		"0123456789012345678901234567890123456789";
	struct ks3_op op = { .type = KS3_OP_KEY_PUT };

	op.key.key_id = id;
	op.key.flags = KS3_KEY_ENABLED;
	op.key.access_key = access;
	op.key.secret_key = secret;
	op.key.name = name;
	op.key.name_len = (u16)strlen(name);
	return op;
}

static inline struct ks3_op ks3_op_key_del(u32 id)
{
	struct ks3_op op = { .type = KS3_OP_KEY_DELETE };

	op.key.key_id = id;
	return op;
}

static inline struct ks3_op ks3_op_grant(u32 key, u32 bucket, u32 caps)
{
	struct ks3_op op = { .type = KS3_OP_GRANT };

	op.grant.key_id = key;
	op.grant.bucket_id = bucket;
	op.grant.caps = caps;
	return op;
}

/* An object of @size bytes in the @n extents @ext with crcs @crcs. */
static inline struct ks3_op ks3_op_object_put(u32 bucket, const char *key,
					      u64 size,
					      const struct ks3_disk_extent *ext,
					      u32 n, const __le32 *crcs)
{
	static const u8 etag[16];
	struct ks3_op op = { .type = KS3_OP_OBJECT_PUT };

	op.object.bucket_id = bucket;
	op.object.key = key;
	op.object.key_len = (u16)strlen(key);
	op.object.size = size;
	op.object.mtime = 1700000000000000000ULL;
	op.object.etag = etag;
	op.object.nr_extents = n;
	op.object.extents = ext;
	op.object.nr_chunks = ks3_size_chunks(size);
	op.object.crcs = crcs;
	return op;
}

static inline struct ks3_op ks3_op_object_del(u32 bucket, const char *key)
{
	struct ks3_op op = { .type = KS3_OP_OBJECT_DELETE };

	op.object.bucket_id = bucket;
	op.object.key = key;
	op.object.key_len = (u16)strlen(key);
	return op;
}

static inline struct ks3_disk_extent ks3_ext(u64 start, u32 blocks)
{
	return (struct ks3_disk_extent){ .start = cpu_to_le64(start),
					 .blocks = cpu_to_le32(blocks) };
}

/* fsck's read callback over the image. */
static inline int ks3_image_read(void *ctx, struct s3ctl_img_io *ios,
				 unsigned int n)
{
	struct ks3_image *im = ctx;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (ios[i].off > im->size || ios[i].len > im->size - ios[i].off)
			return -EIO;
		memcpy(ios[i].buf, im->data + ios[i].off, ios[i].len);
	}
	return 0;
}

static inline int ks3_image_fsck(struct ks3_image *im, struct s3ctl_fsck *r)
{
	struct s3ctl_img img = { .size = im->size, .read = ks3_image_read,
				 .ctx = im };

	return s3ctl_fsck_run(&img, r);
}

#endif /* KS3_TEST_IMAGE_H */
