// SPDX-License-Identifier: GPL-2.0
/*
 * Multipart uploads (see multipart.h). The live paths follow the commit
 * protocol of object.c: data first, checks and pending marks under
 * meta_lock, the journal, then the same apply functions replay runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "multipart.h"
#include "store.h"

struct ks3_upload *ks3_upload_find(struct ks3_store *s, u64 id)
{
	struct rb_node *n = s->uploads.rb_node;

	while (n) {
		struct ks3_upload *u = rb_entry(n, struct ks3_upload, by_id);

		if (id == u->id)
			return u;
		n = id < u->id ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static bool ks3_upload_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct ks3_upload, by_id)->id <
	       rb_entry(b, struct ks3_upload, by_id)->id;
}

/* A bucket's uploads: by key in memcmp() order, then by upload id. */
static int ks3_upload_cmp_key(const char *key, size_t len, u64 id,
			      const struct ks3_upload *u)
{
	int c = ks3_key_cmp(key, len, u->key, u->key_len);

	if (c)
		return c;
	return id < u->id ? -1 : id > u->id;
}

static bool ks3_upload_key_less(struct rb_node *a, const struct rb_node *b)
{
	const struct ks3_upload *ua = rb_entry(a, struct ks3_upload, by_key);

	return ks3_upload_cmp_key(ua->key, ua->key_len, ua->id,
				  rb_entry(b, struct ks3_upload, by_key)) < 0;
}

static void ks3_part_free(struct ks3_store *s, struct ks3_part *p,
			  bool return_blocks)
{
	u32 i;

	if (return_blocks && s->alloc_ready)
		for (i = 0; i < p->nr_extents; i++)
			ks3_alloc_put(&s->alloc, p->extents[i].start,
				      p->extents[i].blocks);
	kvfree(p);
}

/* Removes @u, freeing its parts (their blocks too, unless @keep_blocks). */
static void ks3_upload_remove(struct ks3_store *s, struct ks3_upload *u)
{
	struct ks3_bucket *b = xa_load(&s->buckets_by_id, u->bucket_id);
	struct ks3_part *p;
	unsigned long nr;

	xa_for_each(&u->parts, nr, p) {
		if (b)
			b->upload_bytes -= p->size;
		ks3_part_free(s, p, true);
	}
	xa_destroy(&u->parts);
	rb_erase(&u->by_id, &s->uploads);
	if (b) {
		rb_erase(&u->by_key, &b->uploads);
		b->nr_uploads--;
	}
	kfree(u);
}

/* Bytes of @u's parts. */
static u64 ks3_upload_bytes(struct ks3_upload *u)
{
	struct ks3_part *p;
	unsigned long nr;
	u64 n = 0;

	xa_for_each(&u->parts, nr, p)
		n += p->size;
	return n;
}

int ks3_apply_upload_create(struct ks3_store *s,
			    const struct ks3_op_upload *v)
{
	struct ks3_bucket *b = xa_load(&s->buckets_by_id, v->bucket_id);
	struct ks3_upload *u;

	if (!b || ks3_upload_find(s, v->upload_id))
		return -EUCLEAN;
	u = kzalloc(struct_size(u, key, v->key_len) + v->meta_len,
		    GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->id = v->upload_id;
	u->bucket_id = v->bucket_id;
	u->create_time = v->create_time;
	u->key_len = v->key_len;
	memcpy(u->key, v->key, v->key_len);
	u->meta_len = v->meta_len;
	u->meta = (u8 *)u->key + v->key_len;
	memcpy(u->meta, v->meta, v->meta_len);
	xa_init(&u->parts);
	rb_add(&u->by_id, &s->uploads, ks3_upload_less);
	rb_add(&u->by_key, &b->uploads, ks3_upload_key_less);
	b->nr_uploads++;
	return 0;
}

int ks3_apply_upload_part(struct ks3_store *s, const struct ks3_op_part *v)
{
	struct ks3_upload *u = ks3_upload_find(s, v->upload_id);
	struct ks3_bucket *b;
	struct ks3_part *p, *old;
	size_t ext_off;
	u32 i;

	if (!u)
		return -EUCLEAN;
	ext_off = ALIGN(sizeof(*p), 8);
	p = kvzalloc(ext_off + (size_t)v->nr_extents * sizeof(*p->extents) +
		     (size_t)v->nr_chunks * sizeof(*p->crcs), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->size = v->size;
	p->mtime = v->mtime;
	memcpy(p->etag, v->etag, sizeof(p->etag));
	p->nr_extents = v->nr_extents;
	p->nr_chunks = v->nr_chunks;
	if (v->cksum_len && v->cksum_len <= sizeof(p->cksum)) {
		p->cksum_algo = v->cksum_algo;
		p->cksum_len = v->cksum_len;
		memcpy(p->cksum, v->cksum, v->cksum_len);
	}
	p->extents = (void *)((u8 *)p + ext_off);
	p->crcs = (void *)(p->extents + v->nr_extents);
	for (i = 0; i < v->nr_extents; i++) {
		p->extents[i].start = le64_to_cpu(v->extents[i].start);
		p->extents[i].blocks = le32_to_cpu(v->extents[i].blocks);
	}
	for (i = 0; i < v->nr_chunks; i++)
		p->crcs[i] = le32_to_cpu(v->crcs[i]);
	/* A part uploaded again replaces the earlier one. */
	old = xa_store(&u->parts, v->part_number, p, GFP_KERNEL);
	if (xa_is_err(old)) {
		kvfree(p);
		return xa_err(old);
	}
	b = xa_load(&s->buckets_by_id, u->bucket_id);
	if (b)
		b->upload_bytes += p->size - (old ? old->size : 0);
	if (old)
		ks3_part_free(s, old, true);
	return 0;
}

int ks3_apply_upload_complete(struct ks3_store *s,
			      const struct ks3_op_complete *v)
{
	struct ks3_upload *u = ks3_upload_find(s, v->upload_id);
	u32 *nr_ext = NULL, *nr_chunks = NULL, i;
	struct ks3_object *obj = NULL;
	struct ks3_bucket *b;
	struct ks3_part *p;
	u64 off = 0;
	int ret = -EUCLEAN;

	if (!u || v->nr_parts > U16_MAX)
		return -EUCLEAN;
	b = xa_load(&s->buckets_by_id, u->bucket_id);
	nr_ext = kvmalloc_array(v->nr_parts, sizeof(u32), GFP_KERNEL);
	nr_chunks = kvmalloc_array(v->nr_parts, sizeof(u32), GFP_KERNEL);
	if (!nr_ext || !nr_chunks) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < v->nr_parts; i++) {
		p = xa_load(&u->parts, le32_to_cpu(v->parts[i]));
		if (!p || !b)
			goto out;
		nr_ext[i] = p->nr_extents;
		nr_chunks[i] = p->nr_chunks;
	}
	ret = -ENOMEM;
	obj = ks3_object_alloc(v->nr_parts, nr_ext, nr_chunks, u->meta_len);
	if (!obj)
		goto out;
	/* Each listed part becomes a segment; its blocks move, unchanged. */
	for (i = 0; i < v->nr_parts; i++) {
		p = xa_erase(&u->parts, le32_to_cpu(v->parts[i]));
		b->upload_bytes -= p->size;	/* now the object's */
		obj->seg[i].offset = off;
		obj->seg[i].size = p->size;
		memcpy(obj->seg[i].extents, p->extents,
		       p->nr_extents * sizeof(*p->extents));
		memcpy(obj->seg[i].crcs, p->crcs,
		       p->nr_chunks * sizeof(*p->crcs));
		off += p->size;
		ks3_part_free(s, p, false);
	}
	obj->size = off;
	obj->mtime = v->mtime;
	obj->nr_parts = v->nr_parts;
	memcpy(obj->etag, v->etag, sizeof(obj->etag));
	memcpy(obj->meta, u->meta, u->meta_len);
	ret = ks3_object_publish(s, b, u->key, u->key_len, obj);
	if (ret) {
		kvfree(obj);
		goto out;
	}
	/* Parts not listed are freed with the upload. */
	ks3_upload_remove(s, u);
out:
	kvfree(nr_ext);
	kvfree(nr_chunks);
	return ret;
}

int ks3_apply_upload_abort(struct ks3_store *s, const struct ks3_op_upload *v)
{
	struct ks3_upload *u = ks3_upload_find(s, v->upload_id);

	if (!u)
		return -EUCLEAN;
	ks3_upload_remove(s, u);
	return 0;
}

void ks3_uploads_destroy(struct ks3_store *s)
{
	struct rb_node *n;

	while ((n = rb_first(&s->uploads)))
		ks3_upload_remove(s, rb_entry(n, struct ks3_upload, by_id));
}

int ks3_uploads_claim_extents(struct ks3_store *s)
{
	struct ks3_upload *u;
	struct ks3_part *p;
	struct rb_node *n;
	unsigned long nr;
	u32 i;
	int ret;

	for (n = rb_first(&s->uploads); n; n = rb_next(n)) {
		u = rb_entry(n, struct ks3_upload, by_id);
		xa_for_each(&u->parts, nr, p) {
			for (i = 0; i < p->nr_extents; i++) {
				ret = ks3_alloc_take(&s->alloc,
						     p->extents[i].start,
						     p->extents[i].blocks);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

u64 ks3_uploads_blocks(struct ks3_store *s)
{
	struct ks3_upload *u;
	struct ks3_part *p;
	struct rb_node *n;
	unsigned long nr;
	u64 blocks = 0;
	u32 i;

	for (n = rb_first(&s->uploads); n; n = rb_next(n)) {
		u = rb_entry(n, struct ks3_upload, by_id);
		xa_for_each(&u->parts, nr, p)
			for (i = 0; i < p->nr_extents; i++)
				blocks += p->extents[i].blocks;
	}
	return blocks;
}

/* ---- live operations ---- */

static void ks3_create_finish(struct ks3_store *s, struct ks3_txn *t,
			      int status)
{
	struct ks3_bucket *b = t->priv;

	b->pending_uploads--;
}

static int ks3_create_queue(struct ks3_store *s, struct ks3_txn *t,
			    void *arg)
{
	const struct ks3_op_upload *v = arg;
	struct ks3_bucket *b = xa_load(&s->buckets_by_id, v->bucket_id);

	if (!b || b->pending_delete)
		return -ENOENT;
	if (ks3_upload_find(s, v->upload_id))
		return -EEXIST;
	b->pending_uploads++;
	t->finish = ks3_create_finish;
	t->priv = b;
	ks3_txn_queue(s, t);
	return 0;
}

int ks3_upload_create(struct ks3_store *s, const char *bucket,
		      size_t bucket_len, const char *key, size_t key_len,
		      const void *meta, size_t meta_len, u64 *upload_id)
{
	struct ks3_op op = { .type = KS3_OP_UPLOAD_CREATE };
	struct ks3_bucket *b;
	struct ks3_txn t;
	int ret, tries = 0;

	if (!key_len || key_len > KS3_OBJECT_KEY_MAX)
		return -ENAMETOOLONG;
	if (meta_len > KS3_OBJECT_META_MAX)
		return -E2BIG;
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	op.upload.bucket_id = b ? b->id : 0;
	up_read(&s->meta_lock);
	if (!b)
		return -ENOENT;
	op.upload.key = key;
	op.upload.key_len = key_len;
	op.upload.meta = meta;
	op.upload.meta_len = meta_len;
	op.upload.create_time = ktime_get_real_ns();
	do {
		/* Upload id 0 is the checkpoint's own; ids are never reused. */
		op.upload.upload_id = get_random_u64() | 1;
		ks3_txn_init(&t);
		ret = ks3_txn_add(&t, &op);
		if (!ret)
			ret = ks3_txn_queue_commit(s, &t, ks3_create_queue,
						   &op.upload);
		ks3_txn_release(&t);
	} while (ret == -EEXIST && ++tries < 4);
	if (!ret)
		*upload_id = op.upload.upload_id;
	return ret;
}

int ks3_part_write_begin(struct ks3_store *s, const char *bucket,
			 size_t bucket_len, u64 upload_id, u32 part_number,
			 u64 size_hint, struct ks3_object_writer **out)
{
	struct ks3_bucket *b;
	struct ks3_upload *u;
	bool ok;

	if (!part_number || part_number > KS3_PARTS_MAX)
		return -EINVAL;
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	u = ks3_upload_find(s, upload_id);
	ok = b && u && u->bucket_id == b->id && !u->pending_end;
	up_read(&s->meta_lock);
	if (!ok)
		return -ENOENT;
	return ks3_writer_begin(s, bucket, bucket_len, "", 0, upload_id,
				part_number, size_hint, out);
}

struct ks3_part_pending {
	const struct ks3_sealed *sd;
	struct ks3_object_writer *w;
	struct ks3_upload *u;
	struct ks3_bucket *b;
};

static void ks3_part_finish(struct ks3_store *s, struct ks3_txn *t,
			    int status)
{
	struct ks3_part_pending *pp = t->priv;

	pp->u->pending_parts--;
	pp->b->pending_part_bytes -= pp->sd->size;
}

/* The upload is still open and the part fits the byte quota: queue it. */
static int ks3_part_queue(struct ks3_store *s, struct ks3_txn *t, void *arg)
{
	struct ks3_part_pending *pp = arg;
	const struct ks3_sealed *sd = pp->sd;
	struct ks3_upload *u = ks3_upload_find(s, sd->upload_id);
	struct ks3_part *old;
	struct ks3_bucket *b;

	/* Aborted or completed meanwhile: S3's NoSuchUpload. */
	if (!u || u->pending_end || u->bucket_id != sd->bucket_id)
		return -ENOENT;
	b = xa_load(&s->buckets_by_id, u->bucket_id);
	if (!b)
		return -ENOENT;
	old = xa_load(&u->parts, sd->part_number);
	if (b->quota_bytes &&
	    ks3_bucket_bytes_used(b) + sd->size >
	    b->quota_bytes + (old ? old->size : 0))
		return -EDQUOT;
	u->pending_parts++;
	b->pending_part_bytes += sd->size;
	ks3_writer_uncharge_locked(s, pp->w);
	pp->u = u;
	pp->b = b;
	t->finish = ks3_part_finish;
	t->priv = pp;
	ks3_txn_queue(s, t);
	return 0;
}

/*
 * A part record with a checksum is unknown to earlier versions: mark the
 * store before writing the first one, so that they refuse to attach it
 * rather than stop replay at that record.
 */
static int ks3_part_cksum_feature(struct ks3_store *s)
{
	int ret = 0;

	if (le32_to_cpu(READ_ONCE(s->sb.feature_incompat)) &
	    KS3_FEATURE_INCOMPAT_PART_CKSUM)
		return 0;
	mutex_lock(&s->journal.commit_mutex);
	if (!(le32_to_cpu(s->sb.feature_incompat) &
	      KS3_FEATURE_INCOMPAT_PART_CKSUM)) {
		s->sb.feature_incompat |=
			cpu_to_le32(KS3_FEATURE_INCOMPAT_PART_CKSUM);
		ret = ks3_store_write_super(s);
		if (ret) {
			s->sb.feature_incompat &=
				~cpu_to_le32(KS3_FEATURE_INCOMPAT_PART_CKSUM);
			ks3_store_set_read_only(s, "superblock write failed");
		}
	}
	mutex_unlock(&s->journal.commit_mutex);
	return ret;
}

int ks3_part_write_commit(struct ks3_object_writer *w,
			  struct ks3_object_info *info)
{
	return ks3_part_write_commit_opts(w, NULL, info);
}

int ks3_part_write_commit_opts(struct ks3_object_writer *w,
			       const struct ks3_part_opts *o,
			       struct ks3_object_info *info)
{
	struct ks3_store *s = ks3_writer_store(w);
	struct ks3_op op = { .type = KS3_OP_UPLOAD_PART };
	struct ks3_sealed sd = { };
	struct ks3_part_pending pp = { .sd = &sd, .w = w };
	struct ks3_txn t;
	int ret;

	ks3_txn_init(&t);
	ret = ks3_writer_seal(w, &sd);
	if (ret)
		goto out;
	if (o && o->content_md5 &&
	    memcmp(sd.etag, o->content_md5, sizeof(sd.etag))) {
		ret = -EILSEQ;
		goto out;
	}
	op.part = (struct ks3_op_part){
		.upload_id = sd.upload_id, .part_number = sd.part_number,
		.size = sd.size, .mtime = sd.mtime, .etag = sd.etag,
		.nr_extents = sd.nr_extents, .extents = sd.ext,
		.nr_chunks = sd.nr_chunks, .crcs = sd.crcs,
	};
	if (o && o->cksum_algo && o->cksum_len &&
	    o->cksum_len <= KS3_PART_CKSUM_MAX) {
		ret = ks3_part_cksum_feature(s);
		if (ret)
			goto out;
		op.part.cksum_algo = o->cksum_algo;
		op.part.cksum_len = o->cksum_len;
		op.part.cksum = o->cksum;
	}
	ret = ks3_txn_add(&t, &op);
	if (!ret)
		ret = ks3_txn_queue_commit(s, &t, ks3_part_queue, &pp);
	if (!ret && info) {
		info->size = sd.size;
		info->mtime = sd.mtime;
		memcpy(info->etag, sd.etag, sizeof(sd.etag));
	}
out:
	ks3_sealed_release(&sd);
	ks3_txn_release(&t);
	/* As for an object: a part that may be committed keeps its blocks. */
	ks3_writer_free(w, ret && !t.maybe_committed);
	return ret;
}

struct ks3_complete_args {
	u64 upload_id;
	const char *key;		/* NULL: any key */
	size_t key_len;
	struct ks3_complete_part *parts;
	u32 n;
	u64 min_part_size;
	u32 bad;
	const struct ks3_put_cond *cond;
	struct ks3_op *op;		/* its etag is filled in here */
	u8 etag[16];
	__le32 *le_parts;
	u64 size;
	/* Pending marks, for the finish callback. */
	struct ks3_upload *u;
	struct ks3_bucket *b;
	struct ks3_entry *e;
	bool new_object;
};

static void ks3_complete_finish(struct ks3_store *s, struct ks3_txn *t,
				int status)
{
	struct ks3_complete_args *a = t->priv;

	a->e->node.flags &= ~KS3_ENTRY_PENDING;
	a->b->pending_objects -= a->new_object;
	a->b->pending_bytes -= a->size;
	if (status) {
		a->u->pending_end = false;
		if (!a->e->obj) {
			ks3_index_erase(&a->b->index, &a->e->node);
			ks3_entry_free(a->e);
		}
	}
}

/* Checks parts, preconditions and quota; marks and queues. */
static int ks3_complete_queue(struct ks3_store *s, struct ks3_txn *t,
			      void *arg)
{
	struct ks3_complete_args *a = arg;
	SHASH_DESC_ON_STACK(md5, s->md5);
	struct ks3_index_node *n;
	struct ks3_upload *u;
	struct ks3_bucket *b;
	struct ks3_entry *e;
	struct ks3_part *p;
	u32 i;
	int ret;

	u = ks3_upload_find(s, a->upload_id);
	b = u ? xa_load(&s->buckets_by_id, u->bucket_id) : NULL;
	if (!u || !b || u->pending_end || b->pending_delete)
		return -ENOENT;
	if (a->key && ks3_key_cmp(a->key, a->key_len, u->key, u->key_len))
		return -ENOENT;
	if (u->pending_parts)
		return -EAGAIN;
	md5->tfm = s->md5;
	ret = crypto_shash_init(md5);
	a->size = 0;
	for (i = 0; i < a->n && !ret; i++) {
		struct ks3_complete_part *cp = &a->parts[i];

		a->bad = i;
		p = xa_load(&u->parts, cp->number);
		if (!p)
			return -EINVAL;
		if (cp->check_etag && memcmp(cp->etag, p->etag, 16))
			return -EINVAL;
		if (cp->want_cksum_len &&
		    (cp->want_cksum_len != p->cksum_len ||
		     memcmp(cp->want_cksum, p->cksum, p->cksum_len)))
			return -EINVAL;
		if (i + 1 < a->n && p->size < a->min_part_size)
			return -ERANGE;
		cp->size = p->size;
		cp->cksum_algo = p->cksum_algo;
		cp->cksum_len = p->cksum_len;
		memcpy(cp->cksum, p->cksum, p->cksum_len);
		a->size += p->size;
		ret = crypto_shash_update(md5, p->etag, sizeof(p->etag));
	}
	if (!ret)
		ret = crypto_shash_final(md5, a->etag);
	if (ret)
		return ret;
	/* S3's largest object: 5 TiB. */
	if (a->size > (5ULL << 40))
		return -EFBIG;
	n = ks3_index_lookup(&b->index, u->key, u->key_len);
	e = n ? ks3_entry_of(n) : NULL;
	if (e && (e->node.flags & KS3_ENTRY_PENDING))
		return -EAGAIN;
	if (a->cond && a->cond->if_none_match && e && e->obj)
		return -EEXIST;
	if (a->cond && a->cond->if_match &&
	    (!e || !e->obj || memcmp(e->obj->etag, a->cond->if_match, 16)))
		return -ESTALE;
	a->new_object = !e || !e->obj;
	if (b->quota_objects && a->new_object &&
	    b->nr_objects + b->pending_objects + 1 > b->quota_objects)
		return -EDQUOT;
	/*
	 * The parts count already (upload_bytes): the object they make
	 * must fit with the others, as a PUT of its size would, in case
	 * the quota went down since they were uploaded.
	 */
	if (b->quota_bytes &&
	    ks3_bucket_bytes_used(b) - ks3_upload_bytes(u) + a->size >
	    b->quota_bytes + (e && e->obj ? e->obj->size : 0))
		return -EDQUOT;
	if (!e) {
		e = ks3_entry_alloc(u->key, u->key_len);
		if (!e)
			return -ENOMEM;
		ks3_index_insert(&b->index, &e->node);
	}
	e->node.flags |= KS3_ENTRY_PENDING;
	u->pending_end = true;
	b->pending_objects += a->new_object;
	b->pending_bytes += a->size;
	a->u = u;
	a->b = b;
	a->e = e;
	t->finish = ks3_complete_finish;
	t->priv = a;
	ret = ks3_txn_add(t, a->op);
	if (ret) {
		ks3_complete_finish(s, t, ret);
		return ret;
	}
	ks3_txn_queue(s, t);
	return 0;
}

int ks3_upload_complete(struct ks3_store *s, const char *bucket,
			size_t bucket_len, u64 upload_id, const u32 *parts,
			u32 n, const struct ks3_put_cond *cond,
			struct ks3_object_info *info)
{
	struct ks3_complete_part *cp;
	u32 i;
	int ret;

	if (!n || n > KS3_PARTS_MAX)
		return -EINVAL;
	cp = kvcalloc(n, sizeof(*cp), GFP_KERNEL);
	if (!cp)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		cp[i].number = parts[i];
	ret = ks3_upload_complete_parts(s, bucket, bucket_len, NULL, 0,
					upload_id, cp, n, 0, cond, info, &i);
	kvfree(cp);
	return ret;
}

int ks3_upload_complete_parts(struct ks3_store *s, const char *bucket,
			      size_t bucket_len, const char *key,
			      size_t key_len, u64 upload_id,
			      struct ks3_complete_part *parts, u32 n,
			      u64 min_part_size,
			      const struct ks3_put_cond *cond,
			      struct ks3_object_info *info, u32 *bad)
{
	struct ks3_complete_args a = {
		.upload_id = upload_id, .key = key, .key_len = key_len,
		.parts = parts, .n = n, .min_part_size = min_part_size,
		.cond = cond,
	};
	struct ks3_op op = { .type = KS3_OP_UPLOAD_COMPLETE };
	struct ks3_bucket *b;
	struct ks3_txn t;
	bool ok;
	u32 i;
	int ret;

	*bad = 0;
	if (!n || n > KS3_PARTS_MAX)
		return -EINVAL;
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	ok = b && ks3_upload_find(s, upload_id) &&
	     ks3_upload_find(s, upload_id)->bucket_id == b->id;
	up_read(&s->meta_lock);
	if (!ok)
		return -ENOENT;
	a.le_parts = kvmalloc_array(n, sizeof(*a.le_parts), GFP_KERNEL);
	if (!a.le_parts)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (!parts[i].number || parts[i].number > KS3_PARTS_MAX ||
		    (i && parts[i].number <= parts[i - 1].number)) {
			kvfree(a.le_parts);
			*bad = i;
			return -EINVAL;
		}
		a.le_parts[i] = cpu_to_le32(parts[i].number);
	}
	op.complete.upload_id = upload_id;
	op.complete.mtime = ktime_get_real_ns();
	op.complete.etag = a.etag;
	op.complete.nr_parts = n;
	op.complete.parts = a.le_parts;
	a.op = &op;
	ks3_txn_init(&t);
	/* The op is encoded under meta_lock, once the ETag is known. */
	ret = ks3_txn_queue_commit(s, &t, ks3_complete_queue, &a);
	if (ret == -EINVAL || ret == -ERANGE)
		*bad = a.bad;
	if (!ret && info) {
		info->size = a.size;
		info->mtime = op.complete.mtime;
		memcpy(info->etag, a.etag, 16);
	}
	ks3_txn_release(&t);
	kvfree(a.le_parts);
	return ret;
}

static void ks3_abort_finish(struct ks3_store *s, struct ks3_txn *t,
			     int status)
{
	struct ks3_upload *u = t->priv;

	if (status)
		u->pending_end = false;
}

static int ks3_abort_queue(struct ks3_store *s, struct ks3_txn *t, void *arg)
{
	const u64 *id = arg;
	struct ks3_upload *u = ks3_upload_find(s, *id);

	if (!u || u->pending_end)
		return -ENOENT;
	if (u->pending_parts)
		return -EAGAIN;
	u->pending_end = true;
	t->finish = ks3_abort_finish;
	t->priv = u;
	ks3_txn_queue(s, t);
	return 0;
}

int ks3_upload_abort(struct ks3_store *s, const char *bucket,
		     size_t bucket_len, u64 upload_id)
{
	struct ks3_op op = { .type = KS3_OP_UPLOAD_ABORT };
	struct ks3_bucket *b;
	struct ks3_upload *u;
	struct ks3_txn t;
	bool ok;
	int ret;

	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	u = ks3_upload_find(s, upload_id);
	ok = b && u && u->bucket_id == b->id;
	up_read(&s->meta_lock);
	if (!ok)
		return -ENOENT;
	op.upload.upload_id = upload_id;
	ks3_txn_init(&t);
	ret = ks3_txn_add(&t, &op);
	if (!ret)
		ret = ks3_txn_queue_commit(s, &t, ks3_abort_queue, &upload_id);
	ks3_txn_release(&t);
	return ret;
}

/* ---- lookups and listings for the S3 layer ---- */

/* @upload_id of @key in @bucket, under meta_lock; NULL if there is none. */
static struct ks3_upload *ks3_upload_of(struct ks3_store *s,
					const char *bucket, size_t bucket_len,
					const char *key, size_t key_len,
					u64 upload_id)
{
	struct ks3_bucket *b = ks3_bucket_find(s, bucket, bucket_len);
	struct ks3_upload *u = ks3_upload_find(s, upload_id);

	if (!b || !u || u->bucket_id != b->id || u->pending_end ||
	    ks3_key_cmp(key, key_len, u->key, u->key_len))
		return NULL;
	return u;
}

int ks3_upload_lookup(struct ks3_store *s, const char *bucket,
		      size_t bucket_len, const char *key, size_t key_len,
		      u64 upload_id, u8 *meta, size_t size, u16 *meta_len,
		      u64 *create_time)
{
	struct ks3_upload *u;
	int ret = -ENOENT;

	down_read(&s->meta_lock);
	u = ks3_upload_of(s, bucket, bucket_len, key, key_len, upload_id);
	if (u && u->meta_len > size) {
		ret = -E2BIG;
	} else if (u) {
		if (meta)
			memcpy(meta, u->meta, u->meta_len);
		if (meta_len)
			*meta_len = u->meta_len;
		if (create_time)
			*create_time = u->create_time;
		ret = 0;
	}
	up_read(&s->meta_lock);
	return ret;
}

int ks3_upload_list_parts(struct ks3_store *s, const char *bucket,
			  size_t bucket_len, const char *key, size_t key_len,
			  u64 upload_id, u32 marker, u32 max,
			  int (*fn)(void *arg, const struct ks3_part_view *p),
			  void *arg, bool *truncated, u32 *next_marker)
{
	struct ks3_part_view v;
	struct ks3_upload *u;
	struct ks3_part *p;
	unsigned long nr;
	u32 count = 0;
	int ret = 0;

	*truncated = false;
	*next_marker = 0;
	down_read(&s->meta_lock);
	u = ks3_upload_of(s, bucket, bucket_len, key, key_len, upload_id);
	if (!u) {
		ret = -ENOENT;
		goto out;
	}
	/* Part numbers are at most KS3_PARTS_MAX: the walk is bounded. */
	nr = (unsigned long)marker + 1;
	xa_for_each_start(&u->parts, nr, p, nr) {
		if (count == max) {
			*truncated = true;
			break;
		}
		v = (struct ks3_part_view){
			.number = nr, .size = p->size, .mtime = p->mtime,
			.etag = p->etag, .cksum_algo = p->cksum_algo,
			.cksum_len = p->cksum_len, .cksum = p->cksum,
		};
		ret = fn(arg, &v);
		if (ret)
			break;
		count++;
		*next_marker = nr;
	}
out:
	up_read(&s->meta_lock);
	return ret;
}

/* The first upload of @b at or after (key, id) (or strictly after). */
static struct ks3_upload *ks3_upload_seek(struct ks3_bucket *b,
					  const char *key, size_t len, u64 id,
					  bool after)
{
	struct rb_node *n = b->uploads.rb_node;
	struct ks3_upload *best = NULL;

	while (n) {
		struct ks3_upload *u = rb_entry(n, struct ks3_upload, by_key);
		int c = ks3_upload_cmp_key(key, len, id, u);

		if (c < 0 || (!c && !after)) {
			best = u;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

/* The first upload whose key sorts after every key starting with @p. */
static struct ks3_upload *ks3_upload_seek_past(struct ks3_bucket *b,
					       const char *p, size_t len)
{
	struct rb_node *n = b->uploads.rb_node;
	struct ks3_upload *best = NULL;

	while (n) {
		struct ks3_upload *u = rb_entry(n, struct ks3_upload, by_key);
		bool under = u->key_len >= len && !memcmp(u->key, p, len);

		if (!under && ks3_key_cmp(u->key, u->key_len, p, len) > 0) {
			best = u;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return best;
}

static struct ks3_upload *ks3_upload_next(struct ks3_upload *u)
{
	struct rb_node *n = rb_next(&u->by_key);

	return n ? rb_entry(n, struct ks3_upload, by_key) : NULL;
}

/* Length of the common prefix of @u's key under @p, or 0 if it has none. */
static size_t ks3_upload_common_prefix(const struct ks3_upload *u,
				       const struct ks3_upload_list_params *p)
{
	size_t i;

	if (!p->delim_len)
		return 0;
	for (i = p->prefix_len; i + p->delim_len <= u->key_len; i++)
		if (!memcmp(u->key + i, p->delim, p->delim_len))
			return i + p->delim_len;
	return 0;
}

int ks3_upload_list(struct ks3_store *s, const char *bucket,
		    size_t bucket_len, const struct ks3_upload_list_params *p,
		    const struct ks3_upload_list_ops *ops, void *arg,
		    bool *truncated)
{
	struct ks3_bucket *b;
	struct ks3_upload *u;
	u32 count = 0;
	size_t cp;
	int ret = 0;

	*truncated = false;
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, bucket, bucket_len);
	if (!b) {
		ret = -ENOENT;
		goto out;
	}
	if (p->key_marker_len && p->id_marker_set)
		u = ks3_upload_seek(b, p->key_marker, p->key_marker_len,
				    p->id_marker, true);
	else if (p->key_marker_len)
		u = ks3_upload_seek(b, p->key_marker, p->key_marker_len,
				    U64_MAX, true);
	else
		u = rb_first(&b->uploads) ?
		    rb_entry(rb_first(&b->uploads), struct ks3_upload, by_key) :
		    NULL;
	if (u && p->prefix_len &&
	    ks3_key_cmp(u->key, u->key_len, p->prefix, p->prefix_len) < 0)
		u = ks3_upload_seek(b, p->prefix, p->prefix_len, 0, false);
	/* Each step lists an item or skips a common prefix by one seek. */
	while (u) {
		if (u->key_len < p->prefix_len ||
		    memcmp(u->key, p->prefix, p->prefix_len))
			break;		/* past the prefix: done */
		cp = ks3_upload_common_prefix(u, p);
		/* A prefix the marker lies in was listed by an earlier page. */
		if (cp && p->key_marker_len >= cp &&
		    !memcmp(p->key_marker, u->key, cp)) {
			u = ks3_upload_seek_past(b, u->key, cp);
			continue;
		}
		if (count == p->max) {
			*truncated = true;
			break;
		}
		if (cp) {
			ret = ops->prefix(arg, u->key, cp);
			if (ret)
				break;
			count++;
			u = ks3_upload_seek_past(b, u->key, cp);
			continue;
		}
		ret = ops->upload(arg, u);
		if (ret)
			break;
		count++;
		u = ks3_upload_next(u);
	}
out:
	up_read(&s->meta_lock);
	return ret;
}
