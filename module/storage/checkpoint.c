// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoints: the whole metadata state written as the operations that
 * recreate it, into the slot the superblock does not point at; then the
 * superblock switches to it (after a flush, with FUA) and the journal
 * space before that point is free again. A power cut anywhere leaves the
 * old superblock, the old checkpoint and the journal records after it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "record.h"
#include "store.h"

/* Appends ops to a buffer sized up front; counts only when buf is NULL. */
struct ks3_ckpt_writer {
	u8 *buf;
	size_t len;
	size_t cap;
	u64 nr_ops;
	int err;
};

static void ks3_ckpt_put(struct ks3_ckpt_writer *w, const struct ks3_op *op)
{
	size_t n;

	if (w->err)
		return;
	if (!w->buf)
		n = ks3_op_size(op);
	else
		n = ks3_op_encode(w->buf + w->len, w->cap - w->len, op);
	if (!n) {
		w->err = -EINVAL;
		return;
	}
	w->len += n;
	w->nr_ops++;
}

/* Extents and crcs converted to disk order, in buffers reused per op. */
struct ks3_ckpt_scratch {
	struct ks3_dev *dev;		/* for KUnit's fault injection */
	struct ks3_disk_extent *ext;
	u32 cap_ext;
	__le32 *crcs;
	u32 cap_crcs;
	__le32 *parts;
	u32 cap_parts;
};

static void *ks3_ckpt_room(struct ks3_ckpt_scratch *sc, void *buf, u32 *cap,
			   u32 need, size_t elem, int *err)
{
	if (*err || need <= *cap)
		return buf;
	kvfree(buf);
	*cap = 0;
	buf = NULL;
	if (!ks3_fault(sc->dev, KS3_FAULT_CKPT_NOMEM))
		buf = kvmalloc_array(need, elem, GFP_KERNEL);
	if (!buf) {
		*err = -ENOMEM;
		return NULL;
	}
	*cap = need;
	return buf;
}

/* Fills the scratch with @nr_ext extents and @nr_crcs crcs. */
static void ks3_ckpt_convert(struct ks3_ckpt_writer *w,
			     struct ks3_ckpt_scratch *sc,
			     const struct ks3_extent *ext, u32 nr_ext,
			     const u32 *crcs, u32 nr_crcs)
{
	u32 i;

	sc->ext = ks3_ckpt_room(sc, sc->ext, &sc->cap_ext, nr_ext,
				sizeof(*sc->ext), &w->err);
	sc->crcs = ks3_ckpt_room(sc, sc->crcs, &sc->cap_crcs, nr_crcs,
				 sizeof(*sc->crcs), &w->err);
	if (w->err)
		return;
	for (i = 0; i < nr_ext; i++) {
		sc->ext[i].start = cpu_to_le64(ext[i].start);
		sc->ext[i].blocks = cpu_to_le32(ext[i].blocks);
		sc->ext[i].reserved = 0;
	}
	for (i = 0; i < nr_crcs; i++)
		sc->crcs[i] = cpu_to_le32(crcs[i]);
}

static void ks3_ckpt_put_part(struct ks3_ckpt_writer *w,
			      struct ks3_ckpt_scratch *sc, u64 upload_id,
			      u32 number, u64 size, u64 mtime, const u8 *etag,
			      const struct ks3_extent *ext, u32 nr_ext,
			      const u32 *crcs, u32 nr_crcs,
			      const struct ks3_part *p)
{
	struct ks3_op op = { .type = KS3_OP_UPLOAD_PART };

	ks3_ckpt_convert(w, sc, ext, nr_ext, crcs, nr_crcs);
	if (w->err)
		return;
	op.part = (struct ks3_op_part){
		.upload_id = upload_id, .part_number = number, .size = size,
		.mtime = mtime, .etag = etag, .nr_extents = nr_ext,
		.extents = sc->ext, .nr_chunks = nr_crcs, .crcs = sc->crcs,
	};
	/* A part's S3 checksum (PART_CKSUM feature) goes with it. */
	if (p && p->cksum_len) {
		op.part.cksum_algo = p->cksum_algo;
		op.part.cksum_len = p->cksum_len;
		op.part.cksum = p->cksum;
	}
	ks3_ckpt_put(w, &op);
}

/*
 * A completed multipart object (one segment per part) is written as the
 * upload that makes it: create, parts, complete, under upload id 0, which
 * live uploads never use.
 */
static void ks3_ckpt_emit_multipart(struct ks3_ckpt_writer *w,
				    struct ks3_ckpt_scratch *sc,
				    struct ks3_bucket *b, struct ks3_entry *e)
{
	static const u8 no_etag[16];
	struct ks3_object *obj = e->obj;
	struct ks3_op op;
	u32 i;

	op = (struct ks3_op){ .type = KS3_OP_UPLOAD_CREATE };
	op.upload = (struct ks3_op_upload){
		.upload_id = 0, .bucket_id = b->id, .key = e->key,
		.key_len = e->node.key_len, .meta = obj->meta,
		.meta_len = obj->meta_len, .create_time = obj->mtime,
	};
	ks3_ckpt_put(w, &op);
	for (i = 0; i < obj->nr_segments; i++)
		ks3_ckpt_put_part(w, sc, 0, i + 1, obj->seg[i].size,
				  obj->mtime, no_etag, obj->seg[i].extents,
				  obj->seg[i].nr_extents, obj->seg[i].crcs,
				  obj->seg[i].nr_chunks, NULL);
	sc->parts = ks3_ckpt_room(sc, sc->parts, &sc->cap_parts,
				  obj->nr_segments, sizeof(*sc->parts),
				  &w->err);
	if (w->err)
		return;
	for (i = 0; i < obj->nr_segments; i++)
		sc->parts[i] = cpu_to_le32(i + 1);
	op = (struct ks3_op){ .type = KS3_OP_UPLOAD_COMPLETE };
	op.complete = (struct ks3_op_complete){
		.upload_id = 0, .mtime = obj->mtime, .etag = obj->etag,
		.nr_parts = obj->nr_segments, .parts = sc->parts,
	};
	ks3_ckpt_put(w, &op);
}

static void ks3_ckpt_emit_objects(struct ks3_ckpt_writer *w,
				  struct ks3_ckpt_scratch *sc,
				  struct ks3_bucket *b)
{
	struct ks3_index_node *n;
	struct ks3_op op;

	for (n = ks3_index_first(&b->index); n && !w->err;
	     n = ks3_index_next(n)) {
		struct ks3_entry *e = ks3_entry_of(n);
		struct ks3_object *obj = e->obj;

		if (!obj)
			continue;	/* a first put still queued */
		if (obj->nr_segments > 1) {
			ks3_ckpt_emit_multipart(w, sc, b, e);
			continue;
		}
		sc->ext = ks3_ckpt_room(sc, sc->ext, &sc->cap_ext,
					obj->seg[0].nr_extents,
					sizeof(*sc->ext), &w->err);
		sc->crcs = ks3_ckpt_room(sc, sc->crcs, &sc->cap_crcs,
					 obj->seg[0].nr_chunks,
					 sizeof(*sc->crcs), &w->err);
		if (w->err)
			break;
		op.type = KS3_OP_OBJECT_PUT;
		ks3_object_to_op(obj, b->id, e, &op.object, sc->ext, sc->crcs);
		ks3_ckpt_put(w, &op);
	}
}

/* Uploads in progress and their parts. */
static void ks3_ckpt_emit_uploads(struct ks3_store *s,
				  struct ks3_ckpt_writer *w,
				  struct ks3_ckpt_scratch *sc)
{
	struct ks3_upload *u;
	struct ks3_part *p;
	struct rb_node *n;
	unsigned long nr;
	struct ks3_op op;

	for (n = rb_first(&s->uploads); n && !w->err; n = rb_next(n)) {
		u = rb_entry(n, struct ks3_upload, by_id);
		op = (struct ks3_op){ .type = KS3_OP_UPLOAD_CREATE };
		op.upload = (struct ks3_op_upload){
			.upload_id = u->id, .bucket_id = u->bucket_id,
			.key = u->key, .key_len = u->key_len, .meta = u->meta,
			.meta_len = u->meta_len, .create_time = u->create_time,
		};
		ks3_ckpt_put(w, &op);
		xa_for_each(&u->parts, nr, p)
			ks3_ckpt_put_part(w, sc, u->id, nr, p->size, p->mtime,
					  p->etag, p->extents, p->nr_extents,
					  p->crcs, p->nr_chunks, p);
	}
}

/* Dependencies first: settings, keys, buckets, grants, objects, uploads. */
static void ks3_ckpt_emit(struct ks3_store *s, struct ks3_ckpt_writer *w)
{
	struct ks3_ckpt_scratch sc = { .dev = s->dev };
	struct ks3_setting *set;
	struct ks3_bucket *b;
	struct ks3_key *k;
	unsigned long id, bid;
	struct ks3_op op;
	void *caps;

	list_for_each_entry(set, &s->settings, node) {
		op = (struct ks3_op){ .type = KS3_OP_CONFIG_SET };
		op.config.name = set->name;
		op.config.name_len = strlen(set->name);
		op.config.value = set->value;
		op.config.value_len = strlen(set->value);
		ks3_ckpt_put(w, &op);
	}
	xa_for_each(&s->keys_by_id, id, k) {
		op = (struct ks3_op){ .type = KS3_OP_KEY_PUT };
		op.key.key_id = k->id;
		op.key.flags = k->flags;
		op.key.create_time = k->create_time;
		op.key.access_key = k->access_key;
		op.key.secret_key = k->secret_key;
		op.key.name = k->name;
		op.key.name_len = strlen(k->name);
		ks3_ckpt_put(w, &op);
	}
	xa_for_each(&s->buckets_by_id, id, b) {
		op = (struct ks3_op){ .type = KS3_OP_BUCKET_PUT };
		op.bucket.bucket_id = b->id;
		op.bucket.owner_key = b->owner_key;
		op.bucket.create_time = b->create_time;
		op.bucket.quota_bytes = b->quota_bytes;
		op.bucket.quota_objects = b->quota_objects;
		op.bucket.name = b->name;
		op.bucket.name_len = b->name_len;
		ks3_ckpt_put(w, &op);
	}
	xa_for_each(&s->keys_by_id, id, k) {
		xa_for_each(&k->grants, bid, caps) {
			op = (struct ks3_op){ .type = KS3_OP_GRANT };
			op.grant.key_id = k->id;
			op.grant.bucket_id = bid;
			op.grant.caps = xa_to_value(caps);
			ks3_ckpt_put(w, &op);
		}
	}
	xa_for_each(&s->buckets_by_id, id, b)
		ks3_ckpt_emit_objects(w, &sc, b);
	ks3_ckpt_emit_uploads(s, w, &sc);
	kvfree(sc.ext);
	kvfree(sc.crcs);
	kvfree(sc.parts);
}

int ks3_meta_dump(struct ks3_store *s, void **buf, size_t *len)
{
	struct ks3_ckpt_writer w = { };

	down_read(&s->meta_lock);
	ks3_ckpt_emit(s, &w);
	if (!w.err) {
		w.cap = w.len;
		w.buf = vmalloc(max_t(size_t, w.cap, 1));
		w.len = 0;
		w.err = w.buf ? 0 : -ENOMEM;
		if (w.buf)
			ks3_ckpt_emit(s, &w);
	}
	up_read(&s->meta_lock);
	if (w.err) {
		vfree(w.buf);
		return w.err;
	}
	*buf = w.buf;
	*len = w.len;
	return 0;
}

/* Header and payload, framed as journal records are (record.c). */
static u32 ks3_ckpt_crc(struct ks3_store *s, const struct ks3_disk_ckpt *h,
			u64 payload_len)
{
	return ks3_rec_crc(s->crc_seed, h, sizeof(*h) + payload_len);
}

int ks3_checkpoint_write(struct ks3_store *s)
{
	struct ks3_journal *j = &s->journal;
	struct ks3_ckpt_writer w = { };
	u64 slot_bytes = s->layout.ckpt_blocks << KS3_BLOCK_SHIFT;
	u32 cur = le32_to_cpu(s->sb.ckpt_slot), slot = cur == 0 ? 1 : 0;
	struct ks3_disk_ckpt *h;
	size_t total;
	int ret;

	lockdep_assert_held(&j->commit_mutex);
	/*
	 * No commit runs (we hold commit_mutex), so the state is exactly
	 * what the records before next_seq made it; meta_lock keeps queuing
	 * writers from changing pending marks while we read.
	 */
	down_read(&s->meta_lock);
	ks3_ckpt_emit(s, &w);
	total = ALIGN(sizeof(*h) + w.len, KS3_BLOCK_SIZE);
	/*
	 * Out of memory is for the caller to retry later (the journal
	 * goes on meanwhile); metadata too big for a slot will not shrink.
	 */
	if (w.err == -ENOMEM) {
		up_read(&s->meta_lock);
		return -ENOMEM;
	}
	if (w.err || total > slot_bytes) {
		up_read(&s->meta_lock);
		ks3_store_set_read_only(s, "metadata no longer fits a checkpoint slot");
		return w.err ?: -ENOSPC;
	}
	h = ks3_fault(s->dev, KS3_FAULT_CKPT_NOMEM) ? NULL : vzalloc(total);
	if (!h) {
		up_read(&s->meta_lock);
		return -ENOMEM;
	}
	w = (struct ks3_ckpt_writer){ .buf = (u8 *)(h + 1),
				      .cap = total - sizeof(*h) };
	ks3_ckpt_emit(s, &w);
	up_read(&s->meta_lock);
	if (w.err) {
		vfree(h);
		return w.err;
	}

	h->magic = cpu_to_le32(KS3_CKPT_MAGIC);
	h->seq = cpu_to_le64(le64_to_cpu(s->sb.ckpt_seq) + 1);
	h->replay_seq = cpu_to_le64(j->next_seq);
	h->payload_len = cpu_to_le64(w.len);
	h->nr_ops = cpu_to_le64(w.nr_ops);
	h->crc = cpu_to_le32(ks3_ckpt_crc(s, h, w.len));
	ret = ks3_dev_rw_buf(s->dev, KS3_IO_WRITE, 0,
			     s->layout.ckpt_start[slot], h, total);
	vfree(h);
	if (ret)
		goto err_ro;

	/* The superblock write flushes the checkpoint ahead of itself. */
	s->sb.ckpt_slot = cpu_to_le32(slot);
	s->sb.ckpt_seq = cpu_to_le64(le64_to_cpu(s->sb.ckpt_seq) + 1);
	s->sb.replay_seq = cpu_to_le64(j->next_seq);
	s->sb.replay_block = cpu_to_le64(j->head);
	ret = ks3_store_write_super(s);
	if (ret)
		goto err_ro;
	j->tail = j->head;
	j->tail_seq = j->next_seq;
	j->used = 0;
	j->nr_checkpoints++;
	return 0;

err_ro:
	ks3_store_set_read_only(s, "checkpoint write failed");
	return ret;
}

int ks3_checkpoint_load(struct ks3_store *s)
{
	u32 slot = le32_to_cpu(s->sb.ckpt_slot);
	u64 slot_bytes = s->layout.ckpt_blocks << KS3_BLOCK_SHIFT;
	struct ks3_disk_ckpt *h;
	u64 payload_len;
	size_t total;
	int ret;

	if (slot == KS3_NO_CHECKPOINT)
		return 0;
	h = kmalloc(KS3_BLOCK_SIZE, GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	ret = ks3_dev_rw_buf(s->dev, KS3_IO_READ, 0,
			     s->layout.ckpt_start[slot], h, KS3_BLOCK_SIZE);
	payload_len = le64_to_cpu(h->payload_len);
	if (!ret && (le32_to_cpu(h->magic) != KS3_CKPT_MAGIC ||
		     le64_to_cpu(h->seq) != le64_to_cpu(s->sb.ckpt_seq) ||
		     le64_to_cpu(h->replay_seq) !=
		     le64_to_cpu(s->sb.replay_seq) ||
		     payload_len > slot_bytes - sizeof(*h)))
		ret = -EUCLEAN;
	kfree(h);
	if (ret)
		return ret;

	total = ALIGN(sizeof(*h) + payload_len, KS3_BLOCK_SIZE);
	h = vmalloc(total);
	if (!h)
		return -ENOMEM;
	ret = ks3_dev_rw_buf(s->dev, KS3_IO_READ, 0,
			     s->layout.ckpt_start[slot], h, total);
	if (!ret && le32_to_cpu(h->crc) != ks3_ckpt_crc(s, h, payload_len))
		ret = -EUCLEAN;
	if (!ret)
		ret = ks3_meta_apply_buf(s, h + 1, payload_len,
					 le64_to_cpu(h->nr_ops),
					 KS3_APPLY_REPLAY);
	vfree(h);
	/* Out of memory says nothing about the checkpoint. */
	if (ret && ret != -ENOMEM)
		pr_err("checkpoint %llu in slot %u is unusable: %d\n",
		       le64_to_cpu(s->sb.ckpt_seq), slot, ret);
	return ret;
}
