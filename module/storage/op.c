// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and decoding of metadata operations (see op.h). Decoding treats
 * the buffer as untrusted: every read goes through a bounds-checked cursor
 * and every count is checked against the format's limits before it is used
 * to size anything. Encoding and sizing share one writer, which only counts
 * when it has no buffer, so the two cannot disagree.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "op.h"

/* Bounds-checked reader over an operation's payload. */
struct ks3_rd {
	const u8 *p;
	size_t len;
	size_t off;
	bool bad;
};

static const void *ks3_rd_take(struct ks3_rd *r, size_t n)
{
	const void *at;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	at = r->p + r->off;
	r->off += n;
	return at;
}

/* Skips to the next 8-byte boundary; the padding must be zero. */
static void ks3_rd_align(struct ks3_rd *r)
{
	size_t pad = ALIGN(r->off, KS3_OP_ALIGN) - r->off;
	const u8 *z = ks3_rd_take(r, pad);
	size_t i;

	for (i = 0; z && i < pad; i++)
		if (z[i])
			r->bad = true;
}

/* Array of @n elements of @size bytes, @n already bounded by the caller. */
static const void *ks3_rd_array(struct ks3_rd *r, size_t n, size_t size)
{
	return ks3_rd_take(r, n * size);
}

/* Writer: counts only when @p is NULL. */
struct ks3_wr {
	u8 *p;
	size_t room;
	size_t off;
	bool full;
};

static void ks3_wr_put(struct ks3_wr *w, const void *src, size_t n)
{
	if (w->p && !w->full) {
		if (n > w->room - w->off) {
			w->full = true;
			return;
		}
		if (n)
			memcpy(w->p + w->off, src, n);
	}
	w->off += n;
}

static void ks3_wr_align(struct ks3_wr *w)
{
	static const u8 zero[KS3_OP_ALIGN];

	ks3_wr_put(w, zero, ALIGN(w->off, KS3_OP_ALIGN) - w->off);
}

static bool ks3_all_zero(const void *p, size_t n)
{
	const u8 *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

u64 ks3_size_blocks(u64 size)
{
	return (size >> KS3_BLOCK_SHIFT) + !!(size & (KS3_BLOCK_SIZE - 1));
}

u32 ks3_size_chunks(u64 size)
{
	return (size >> KS3_CHUNK_SHIFT) +
	       !!(size & ((1ULL << KS3_CHUNK_SHIFT) - 1));
}

/* Extents of an object or part: non-empty, no overflow, covering @size. */
static bool ks3_extents_valid(const struct ks3_disk_extent *ext, u32 n,
			      u64 size)
{
	u64 total = 0, end;
	u32 i;

	for (i = 0; i < n; i++) {
		u64 start = le64_to_cpu(ext[i].start);
		u32 blocks = le32_to_cpu(ext[i].blocks);

		if (!blocks || ext[i].reserved ||
		    check_add_overflow(start, (u64)blocks, &end))
			return false;
		total += blocks;
	}
	return total == ks3_size_blocks(size);
}

/* The data layout shared by objects and parts. */
static bool ks3_data_valid(u64 size, u32 nr_extents, u32 nr_chunks)
{
	/* A 5 TiB object is the most S3 allows; the chunk count follows. */
	if (size > (5ULL << 40) || nr_extents > KS3_OP_EXTENTS_MAX)
		return false;
	if (nr_chunks != ks3_size_chunks(size))
		return false;
	return !size == !nr_extents;
}

static int ks3_decode_bucket(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_bucket *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_bucket *v = &op->bucket;

	if (!d || !ks3_all_zero(d->reserved, sizeof(d->reserved)))
		return -EINVAL;
	v->bucket_id = le32_to_cpu(d->bucket_id);
	v->owner_key = le32_to_cpu(d->owner_key);
	v->create_time = le64_to_cpu(d->create_time);
	v->quota_bytes = le64_to_cpu(d->quota_bytes);
	v->quota_objects = le64_to_cpu(d->quota_objects);
	v->name_len = le16_to_cpu(d->name_len);
	if (op->type == KS3_OP_BUCKET_DELETE) {
		v->name = NULL;
		return v->name_len ? -EINVAL : 0;
	}
	if (!v->name_len || v->name_len > KS3_BUCKET_NAME_LEN_MAX)
		return -EINVAL;
	v->name = ks3_rd_take(r, v->name_len);
	return v->name ? 0 : -EINVAL;
}

static int ks3_decode_key(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_key *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_key *v = &op->key;

	if (!d || !ks3_all_zero(d->reserved, sizeof(d->reserved)))
		return -EINVAL;
	v->key_id = le32_to_cpu(d->key_id);
	v->flags = le32_to_cpu(d->flags);
	v->create_time = le64_to_cpu(d->create_time);
	v->access_key = d->access_key;
	v->secret_key = d->secret_key;
	v->name_len = le16_to_cpu(d->name_len);
	if (v->flags & ~KS3_KEY_ENABLED || v->name_len > KS3_KEY_NAME_LEN_MAX)
		return -EINVAL;
	v->name = ks3_rd_take(r, v->name_len);
	return v->name ? 0 : -EINVAL;
}

static int ks3_decode_grant(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_grant *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_grant *v = &op->grant;

	if (!d || d->reserved)
		return -EINVAL;
	v->key_id = le32_to_cpu(d->key_id);
	v->bucket_id = le32_to_cpu(d->bucket_id);
	v->caps = le32_to_cpu(d->caps);
	return v->caps & ~KS3_CAP_ALL ? -EINVAL : 0;
}

static int ks3_decode_object(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_object *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_object *v = &op->object;

	if (!d || d->reserved)
		return -EINVAL;
	v->bucket_id = le32_to_cpu(d->bucket_id);
	v->key_len = le16_to_cpu(d->key_len);
	v->meta_len = le16_to_cpu(d->meta_len);
	v->size = le64_to_cpu(d->size);
	v->mtime = le64_to_cpu(d->mtime);
	v->etag = d->etag;
	v->nr_parts = le32_to_cpu(d->nr_parts);
	v->nr_extents = le32_to_cpu(d->nr_extents);
	v->nr_chunks = le32_to_cpu(d->nr_chunks);
	if (!v->key_len || v->key_len > KS3_OBJECT_KEY_MAX ||
	    v->meta_len > KS3_OBJECT_META_MAX || v->nr_parts > KS3_PARTS_MAX)
		return -EINVAL;
	if (op->type == KS3_OP_OBJECT_DELETE &&
	    (v->meta_len || v->size || v->mtime || v->nr_parts ||
	     v->nr_extents || v->nr_chunks ||
	     !ks3_all_zero(d->etag, sizeof(d->etag))))
		return -EINVAL;
	if (!ks3_data_valid(v->size, v->nr_extents, v->nr_chunks))
		return -EINVAL;
	v->key = ks3_rd_take(r, v->key_len);
	v->meta = ks3_rd_take(r, v->meta_len);
	ks3_rd_align(r);
	v->extents = ks3_rd_array(r, v->nr_extents, sizeof(*v->extents));
	v->crcs = ks3_rd_array(r, v->nr_chunks, sizeof(*v->crcs));
	if (r->bad || !ks3_extents_valid(v->extents, v->nr_extents, v->size))
		return -EINVAL;
	return 0;
}

static int ks3_decode_config(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_config *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_config *v = &op->config;

	if (!d || d->reserved)
		return -EINVAL;
	v->name_len = le16_to_cpu(d->name_len);
	v->value_len = le16_to_cpu(d->value_len);
	if (!v->name_len || v->name_len > KS3_CONFIG_NAME_MAX ||
	    v->value_len > KS3_CONFIG_VALUE_MAX)
		return -EINVAL;
	v->name = ks3_rd_take(r, v->name_len);
	v->value = ks3_rd_take(r, v->value_len);
	return r->bad ? -EINVAL : 0;
}

static int ks3_decode_upload(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_upload *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_upload *v = &op->upload;

	if (!d)
		return -EINVAL;
	v->upload_id = le64_to_cpu(d->upload_id);
	v->bucket_id = le32_to_cpu(d->bucket_id);
	v->key_len = le16_to_cpu(d->key_len);
	v->meta_len = le16_to_cpu(d->meta_len);
	v->create_time = le64_to_cpu(d->create_time);
	if (op->type == KS3_OP_UPLOAD_ABORT) {
		v->key = NULL;
		v->meta = NULL;
		return v->bucket_id || v->key_len || v->meta_len ||
		       v->create_time ? -EINVAL : 0;
	}
	if (!v->key_len || v->key_len > KS3_OBJECT_KEY_MAX ||
	    v->meta_len > KS3_OBJECT_META_MAX)
		return -EINVAL;
	v->key = ks3_rd_take(r, v->key_len);
	v->meta = ks3_rd_take(r, v->meta_len);
	return r->bad ? -EINVAL : 0;
}

static int ks3_decode_part(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_part *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_part *v = &op->part;

	if (!d || d->reserved)
		return -EINVAL;
	v->cksum_algo = d->cksum_algo;
	v->cksum_len = d->cksum_len;
	if (v->cksum_len > KS3_PART_CKSUM_MAX || !v->cksum_algo != !v->cksum_len)
		return -EINVAL;
	v->upload_id = le64_to_cpu(d->upload_id);
	v->part_number = le32_to_cpu(d->part_number);
	v->nr_extents = le32_to_cpu(d->nr_extents);
	v->size = le64_to_cpu(d->size);
	v->mtime = le64_to_cpu(d->mtime);
	v->etag = d->etag;
	v->nr_chunks = le32_to_cpu(d->nr_chunks);
	if (!v->part_number || v->part_number > KS3_PARTS_MAX ||
	    !ks3_data_valid(v->size, v->nr_extents, v->nr_chunks))
		return -EINVAL;
	v->extents = ks3_rd_array(r, v->nr_extents, sizeof(*v->extents));
	v->crcs = ks3_rd_array(r, v->nr_chunks, sizeof(*v->crcs));
	v->cksum = v->cksum_len ? ks3_rd_take(r, v->cksum_len) : NULL;
	if (r->bad || !ks3_extents_valid(v->extents, v->nr_extents, v->size))
		return -EINVAL;
	return 0;
}

static int ks3_decode_complete(struct ks3_rd *r, struct ks3_op *op)
{
	const struct ks3_disk_op_complete *d = ks3_rd_take(r, sizeof(*d));
	struct ks3_op_complete *v = &op->complete;
	u32 i, prev = 0;

	if (!d || d->reserved)
		return -EINVAL;
	v->upload_id = le64_to_cpu(d->upload_id);
	v->mtime = le64_to_cpu(d->mtime);
	v->etag = d->etag;
	v->nr_parts = le32_to_cpu(d->nr_parts);
	if (!v->nr_parts || v->nr_parts > KS3_PARTS_MAX)
		return -EINVAL;
	v->parts = ks3_rd_array(r, v->nr_parts, sizeof(*v->parts));
	if (!v->parts)
		return -EINVAL;
	for (i = 0; i < v->nr_parts; i++) {
		u32 part = le32_to_cpu(v->parts[i]);

		if (part <= prev || part > KS3_PARTS_MAX)
			return -EINVAL;
		prev = part;
	}
	return 0;
}

int ks3_op_decode(const void *buf, size_t len, size_t *pos,
		  struct ks3_op *op)
{
	struct ks3_disk_op head;
	struct ks3_rd r;
	size_t next;
	int ret;

	if (*pos > len || len - *pos < sizeof(head) ||
	    !IS_ALIGNED(*pos, KS3_OP_ALIGN))
		return -EINVAL;
	memcpy(&head, (const u8 *)buf + *pos, sizeof(head));
	if (head.flags || le32_to_cpu(head.len) > KS3_OP_PAYLOAD_MAX)
		return -EINVAL;
	r.p = (const u8 *)buf + *pos + sizeof(head);
	r.len = le32_to_cpu(head.len);
	r.off = 0;
	r.bad = false;
	if (r.len > len - *pos - sizeof(head))
		return -EINVAL;
	next = *pos + sizeof(head) + ALIGN(r.len, KS3_OP_ALIGN);
	if (next > len || !ks3_all_zero(r.p + r.len, next - *pos -
					sizeof(head) - r.len))
		return -EINVAL;

	memset(op, 0, sizeof(*op));
	op->type = le16_to_cpu(head.type);
	switch (op->type) {
	case KS3_OP_BUCKET_PUT:
	case KS3_OP_BUCKET_DELETE:
		ret = ks3_decode_bucket(&r, op);
		break;
	case KS3_OP_KEY_PUT:
	case KS3_OP_KEY_DELETE:
		ret = ks3_decode_key(&r, op);
		break;
	case KS3_OP_GRANT:
		ret = ks3_decode_grant(&r, op);
		break;
	case KS3_OP_OBJECT_PUT:
	case KS3_OP_OBJECT_DELETE:
		ret = ks3_decode_object(&r, op);
		break;
	case KS3_OP_CONFIG_SET:
		ret = ks3_decode_config(&r, op);
		break;
	case KS3_OP_UPLOAD_CREATE:
	case KS3_OP_UPLOAD_ABORT:
		ret = ks3_decode_upload(&r, op);
		break;
	case KS3_OP_UPLOAD_PART:
		ret = ks3_decode_part(&r, op);
		break;
	case KS3_OP_UPLOAD_COMPLETE:
		ret = ks3_decode_complete(&r, op);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	/* The variable parts must account for the whole payload. */
	if (ret || r.bad || r.off != r.len)
		return -EINVAL;
	*pos = next;
	return 0;
}

static void ks3_encode_bucket(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_bucket *v = &op->bucket;
	struct ks3_disk_op_bucket d = {
		.bucket_id = cpu_to_le32(v->bucket_id),
		.owner_key = cpu_to_le32(v->owner_key),
		.create_time = cpu_to_le64(v->create_time),
		.quota_bytes = cpu_to_le64(v->quota_bytes),
		.quota_objects = cpu_to_le64(v->quota_objects),
		.name_len = cpu_to_le16(v->name_len),
	};

	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->name, v->name_len);
}

static void ks3_encode_key(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_key *v = &op->key;
	struct ks3_disk_op_key d = {
		.key_id = cpu_to_le32(v->key_id),
		.flags = cpu_to_le32(v->flags),
		.create_time = cpu_to_le64(v->create_time),
		.name_len = cpu_to_le16(v->name_len),
	};

	if (v->access_key)
		memcpy(d.access_key, v->access_key, sizeof(d.access_key));
	if (v->secret_key)
		memcpy(d.secret_key, v->secret_key, sizeof(d.secret_key));
	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->name, v->name_len);
}

static void ks3_encode_grant(struct ks3_wr *w, const struct ks3_op *op)
{
	struct ks3_disk_op_grant d = {
		.key_id = cpu_to_le32(op->grant.key_id),
		.bucket_id = cpu_to_le32(op->grant.bucket_id),
		.caps = cpu_to_le32(op->grant.caps),
	};

	ks3_wr_put(w, &d, sizeof(d));
}

static void ks3_encode_object(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_object *v = &op->object;
	struct ks3_disk_op_object d = {
		.bucket_id = cpu_to_le32(v->bucket_id),
		.key_len = cpu_to_le16(v->key_len),
		.meta_len = cpu_to_le16(v->meta_len),
		.size = cpu_to_le64(v->size),
		.mtime = cpu_to_le64(v->mtime),
		.nr_parts = cpu_to_le32(v->nr_parts),
		.nr_extents = cpu_to_le32(v->nr_extents),
		.nr_chunks = cpu_to_le32(v->nr_chunks),
	};

	if (v->etag)
		memcpy(d.etag, v->etag, sizeof(d.etag));
	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->key, v->key_len);
	ks3_wr_put(w, v->meta, v->meta_len);
	ks3_wr_align(w);
	ks3_wr_put(w, v->extents, (size_t)v->nr_extents * sizeof(*v->extents));
	ks3_wr_put(w, v->crcs, (size_t)v->nr_chunks * sizeof(*v->crcs));
}

static void ks3_encode_config(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_config *v = &op->config;
	struct ks3_disk_op_config d = {
		.name_len = cpu_to_le16(v->name_len),
		.value_len = cpu_to_le16(v->value_len),
	};

	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->name, v->name_len);
	ks3_wr_put(w, v->value, v->value_len);
}

static void ks3_encode_upload(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_upload *v = &op->upload;
	struct ks3_disk_op_upload d = {
		.upload_id = cpu_to_le64(v->upload_id),
		.bucket_id = cpu_to_le32(v->bucket_id),
		.key_len = cpu_to_le16(v->key_len),
		.meta_len = cpu_to_le16(v->meta_len),
		.create_time = cpu_to_le64(v->create_time),
	};

	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->key, v->key_len);
	ks3_wr_put(w, v->meta, v->meta_len);
}

static void ks3_encode_part(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_part *v = &op->part;
	struct ks3_disk_op_part d = {
		.upload_id = cpu_to_le64(v->upload_id),
		.part_number = cpu_to_le32(v->part_number),
		.nr_extents = cpu_to_le32(v->nr_extents),
		.size = cpu_to_le64(v->size),
		.mtime = cpu_to_le64(v->mtime),
		.nr_chunks = cpu_to_le32(v->nr_chunks),
		.cksum_algo = v->cksum_len ? v->cksum_algo : 0,
		.cksum_len = v->cksum_algo ? v->cksum_len : 0,
	};

	if (v->etag)
		memcpy(d.etag, v->etag, sizeof(d.etag));
	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->extents, (size_t)v->nr_extents * sizeof(*v->extents));
	ks3_wr_put(w, v->crcs, (size_t)v->nr_chunks * sizeof(*v->crcs));
	if (d.cksum_len)
		ks3_wr_put(w, v->cksum, d.cksum_len);
}

static void ks3_encode_complete(struct ks3_wr *w, const struct ks3_op *op)
{
	const struct ks3_op_complete *v = &op->complete;
	struct ks3_disk_op_complete d = {
		.upload_id = cpu_to_le64(v->upload_id),
		.mtime = cpu_to_le64(v->mtime),
		.nr_parts = cpu_to_le32(v->nr_parts),
	};

	if (v->etag)
		memcpy(d.etag, v->etag, sizeof(d.etag));
	ks3_wr_put(w, &d, sizeof(d));
	ks3_wr_put(w, v->parts, (size_t)v->nr_parts * sizeof(*v->parts));
}

/* Writes header and payload; the header's length is patched at the end. */
static size_t ks3_op_write(struct ks3_wr *w, const struct ks3_op *op)
{
	struct ks3_disk_op head = { .type = cpu_to_le16(op->type) };
	size_t start = w->off, payload;

	ks3_wr_put(w, &head, sizeof(head));
	switch (op->type) {
	case KS3_OP_BUCKET_PUT:
	case KS3_OP_BUCKET_DELETE:
		ks3_encode_bucket(w, op);
		break;
	case KS3_OP_KEY_PUT:
	case KS3_OP_KEY_DELETE:
		ks3_encode_key(w, op);
		break;
	case KS3_OP_GRANT:
		ks3_encode_grant(w, op);
		break;
	case KS3_OP_OBJECT_PUT:
	case KS3_OP_OBJECT_DELETE:
		ks3_encode_object(w, op);
		break;
	case KS3_OP_CONFIG_SET:
		ks3_encode_config(w, op);
		break;
	case KS3_OP_UPLOAD_CREATE:
	case KS3_OP_UPLOAD_ABORT:
		ks3_encode_upload(w, op);
		break;
	case KS3_OP_UPLOAD_PART:
		ks3_encode_part(w, op);
		break;
	case KS3_OP_UPLOAD_COMPLETE:
		ks3_encode_complete(w, op);
		break;
	default:
		return 0;
	}
	payload = w->off - start - sizeof(head);
	if (payload > KS3_OP_PAYLOAD_MAX)
		return 0;
	ks3_wr_align(w);
	if (w->p && !w->full) {
		head.len = cpu_to_le32(payload);
		memcpy(w->p + start, &head, sizeof(head));
	}
	return w->full ? 0 : w->off - start;
}

size_t ks3_op_size(const struct ks3_op *op)
{
	struct ks3_wr w = { };

	return ks3_op_write(&w, op);
}

size_t ks3_op_encode(void *dst, size_t room, const struct ks3_op *op)
{
	struct ks3_wr w = { .p = dst, .room = room };
	size_t pos = 0, n;
	struct ks3_op check;

	n = ks3_op_write(&w, op);
	/* Never write what replay would refuse. */
	if (!n || ks3_op_decode(dst, n, &pos, &check))
		return 0;
	return n;
}
