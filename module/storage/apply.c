// SPDX-License-Identifier: GPL-2.0
/*
 * Applying metadata operations to the in-memory state. The one place that
 * defines what an operation does: journal replay, checkpoint load and live
 * commits all come here, so the state after a crash and replay is the state
 * the live store had. An operation that does not fit the state (a bucket
 * that does not exist, a duplicate id) is refused with -EUCLEAN; live
 * commits never produce one, as they were checked when queued.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "store.h"

static int ks3_name_cmp(const char *a, size_t alen, const char *b,
			size_t blen)
{
	int c = memcmp(a, b, min(alen, blen));

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

struct ks3_bucket *ks3_bucket_find(struct ks3_store *s, const char *name,
				   size_t len)
{
	struct rb_node *n = s->buckets.rb_node;

	while (n) {
		struct ks3_bucket *b = rb_entry(n, struct ks3_bucket, by_name);
		int c = ks3_name_cmp(name, len, b->name, b->name_len);

		if (!c)
			return b;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

static bool ks3_bucket_less(struct rb_node *a, const struct rb_node *b)
{
	const struct ks3_bucket *x = rb_entry(a, struct ks3_bucket, by_name);
	const struct ks3_bucket *y = rb_entry(b, struct ks3_bucket, by_name);

	return ks3_name_cmp(x->name, x->name_len, y->name, y->name_len) < 0;
}

/* Inserts a new bucket in both lookups; the caller checked uniqueness. */
int ks3_bucket_insert(struct ks3_store *s, struct ks3_bucket *b)
{
	int ret = xa_insert(&s->buckets_by_id, b->id, b, GFP_KERNEL);

	if (ret)
		return ret == -EBUSY ? -EUCLEAN : ret;
	rb_add(&b->by_name, &s->buckets, ks3_bucket_less);
	if (b->id >= s->next_bucket_id)
		s->next_bucket_id = b->id + 1;
	return 0;
}

void ks3_bucket_remove(struct ks3_store *s, struct ks3_bucket *b)
{
	struct ks3_key *k;
	unsigned long id;

	xa_for_each(&s->keys_by_id, id, k)
		xa_erase(&k->grants, b->id);
	xa_erase(&s->buckets_by_id, b->id);
	rb_erase(&b->by_name, &s->buckets);
	kfree(b);
}

/* Creates a bucket, or updates the quota of the bucket with that id. */
static int ks3_apply_bucket_put(struct ks3_store *s,
				const struct ks3_op_bucket *v)
{
	struct ks3_bucket *b = ks3_bucket_find(s, v->name, v->name_len);
	int ret;

	if (b && b->id != v->bucket_id)
		return -EUCLEAN;
	if (!b) {
		b = kzalloc(sizeof(*b), GFP_KERNEL);
		if (!b)
			return -ENOMEM;
		b->id = v->bucket_id;
		b->owner_key = v->owner_key;
		/*
		 * The owner may be a deleted key: its id is never given
		 * again, or the next key made would own this bucket.
		 */
		if (v->owner_key >= s->next_key_id)
			s->next_key_id = v->owner_key + 1;
		b->create_time = v->create_time;
		b->name_len = v->name_len;
		memcpy(b->name, v->name, v->name_len);
		ks3_index_init(&b->index);
		ret = ks3_bucket_insert(s, b);
		if (ret) {
			kfree(b);
			return ret;
		}
	}
	b->quota_bytes = v->quota_bytes;
	b->quota_objects = v->quota_objects;
	return 0;
}

static int ks3_apply_bucket_delete(struct ks3_store *s,
				   const struct ks3_op_bucket *v)
{
	struct ks3_bucket *b = xa_load(&s->buckets_by_id, v->bucket_id);

	if (!b || b->index.nr || b->nr_uploads)
		return -EUCLEAN;
	ks3_bucket_remove(s, b);
	return 0;
}

static struct ks3_entry *ks3_entry_find(struct ks3_bucket *b,
					const char *key, size_t len)
{
	struct ks3_index_node *n = ks3_index_lookup(&b->index, key, len);

	return n ? ks3_entry_of(n) : NULL;
}

/*
 * A put replaces the entry's version. Live, the writer inserted the entry
 * when it queued the put; in replay it may not exist yet.
 */
int ks3_object_publish(struct ks3_store *s, struct ks3_bucket *b,
		       const char *key, size_t key_len, struct ks3_object *obj)
{
	struct ks3_entry *e = ks3_entry_find(b, key, key_len);
	struct ks3_object *old;

	if (!e) {
		e = ks3_entry_alloc(key, key_len);
		if (!e)
			return -ENOMEM;
		ks3_index_insert(&b->index, &e->node);
	}
	old = e->obj;
	e->obj = obj;
	if (old) {
		b->bytes -= old->size;
		ks3_object_put(s, old);
	} else {
		b->nr_objects++;
	}
	b->bytes += obj->size;
	return 0;
}

static int ks3_apply_object_put(struct ks3_store *s,
				const struct ks3_op_object *v)
{
	struct ks3_bucket *b = xa_load(&s->buckets_by_id, v->bucket_id);
	struct ks3_object *obj;
	int ret;

	if (!b)
		return -EUCLEAN;
	obj = ks3_object_from_op(v);
	if (!obj)
		return -ENOMEM;
	ret = ks3_object_publish(s, b, v->key, v->key_len, obj);
	if (ret)
		kvfree(obj);
	return ret;
}

static int ks3_apply_object_delete(struct ks3_store *s,
				   const struct ks3_op_object *v)
{
	struct ks3_bucket *b = xa_load(&s->buckets_by_id, v->bucket_id);
	struct ks3_entry *e = b ? ks3_entry_find(b, v->key, v->key_len) : NULL;

	if (!e || !e->obj)
		return -EUCLEAN;
	ks3_index_erase(&b->index, &e->node);
	b->nr_objects--;
	b->bytes -= e->obj->size;
	ks3_object_put(s, e->obj);
	ks3_entry_free(e);
	return 0;
}

static int ks3_apply_key_put(struct ks3_store *s, const struct ks3_op_key *v)
{
	struct ks3_key *k = xa_load(&s->keys_by_id, v->key_id);
	struct ks3_key *other;
	int ret;

	other = ks3_key_find_n(s, v->access_key, KS3_ACCESS_KEY_LEN);
	if (other && other != k)
		return -EUCLEAN;
	if (k) {
		/* An update: same key, new flags or name. */
		if (memcmp(k->access_key, v->access_key, KS3_ACCESS_KEY_LEN))
			return -EUCLEAN;
	} else {
		k = kzalloc(sizeof(*k), GFP_KERNEL);
		if (!k)
			return -ENOMEM;
		k->id = v->key_id;
		memcpy(k->access_key, v->access_key, KS3_ACCESS_KEY_LEN);
		xa_init(&k->grants);
		ret = ks3_key_insert(s, k);
		if (ret) {
			kfree(k);
			return ret;
		}
	}
	k->flags = v->flags;
	k->create_time = v->create_time;
	memcpy(k->secret_key, v->secret_key, KS3_SECRET_KEY_LEN);
	memset(k->name, 0, sizeof(k->name));
	memcpy(k->name, v->name, v->name_len);
	return 0;
}

static int ks3_apply_key_delete(struct ks3_store *s,
				const struct ks3_op_key *v)
{
	struct ks3_key *k = xa_load(&s->keys_by_id, v->key_id);

	if (!k)
		return -EUCLEAN;
	ks3_key_remove(s, k);
	return 0;
}

static int ks3_apply_grant(struct ks3_store *s, const struct ks3_op_grant *v)
{
	struct ks3_key *k = xa_load(&s->keys_by_id, v->key_id);

	if (!k || !xa_load(&s->buckets_by_id, v->bucket_id))
		return -EUCLEAN;
	if (!v->caps) {
		xa_erase(&k->grants, v->bucket_id);
		return 0;
	}
	return xa_err(xa_store(&k->grants, v->bucket_id,
			       xa_mk_value(v->caps), GFP_KERNEL));
}

static int ks3_apply_config(struct ks3_store *s,
			    const struct ks3_op_config *v)
{
	struct ks3_setting *set;

	list_for_each_entry(set, &s->settings, node)
		if (strlen(set->name) == v->name_len &&
		    !memcmp(set->name, v->name, v->name_len))
			goto found;
	set = kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return -ENOMEM;
	memcpy(set->name, v->name, v->name_len);
	list_add_tail(&set->node, &s->settings);
found:
	memset(set->value, 0, sizeof(set->value));
	memcpy(set->value, v->value, v->value_len);
	return 0;
}

int ks3_meta_apply(struct ks3_store *s, const struct ks3_op *op,
		   enum ks3_apply_mode mode)
{
	switch (op->type) {
	case KS3_OP_BUCKET_PUT:
		return ks3_apply_bucket_put(s, &op->bucket);
	case KS3_OP_BUCKET_DELETE:
		return ks3_apply_bucket_delete(s, &op->bucket);
	case KS3_OP_KEY_PUT:
		return ks3_apply_key_put(s, &op->key);
	case KS3_OP_KEY_DELETE:
		return ks3_apply_key_delete(s, &op->key);
	case KS3_OP_GRANT:
		return ks3_apply_grant(s, &op->grant);
	case KS3_OP_CONFIG_SET:
		return ks3_apply_config(s, &op->config);
	case KS3_OP_OBJECT_PUT:
		return ks3_apply_object_put(s, &op->object);
	case KS3_OP_OBJECT_DELETE:
		return ks3_apply_object_delete(s, &op->object);
	case KS3_OP_UPLOAD_CREATE:
		return ks3_apply_upload_create(s, &op->upload);
	case KS3_OP_UPLOAD_PART:
		return ks3_apply_upload_part(s, &op->part);
	case KS3_OP_UPLOAD_COMPLETE:
		return ks3_apply_upload_complete(s, &op->complete);
	case KS3_OP_UPLOAD_ABORT:
		return ks3_apply_upload_abort(s, &op->upload);
	default:
		return -EUCLEAN;
	}
}

int ks3_meta_apply_buf(struct ks3_store *s, const void *buf, size_t len,
		       u64 nr_ops, enum ks3_apply_mode mode)
{
	struct ks3_op *op;
	size_t pos = 0;
	u64 i;
	int ret = 0;

	op = kmalloc(sizeof(*op), GFP_KERNEL);
	if (!op)
		return -ENOMEM;
	for (i = 0; i < nr_ops && !ret; i++) {
		ret = ks3_op_decode(buf, len, &pos, op);
		if (ret)
			ret = -EUCLEAN;
		else if (ks3_fault(s->dev, KS3_FAULT_APPLY_NOMEM))
			ret = -ENOMEM;	/* as if the op's allocation failed */
		else
			ret = ks3_meta_apply(s, op, mode);
	}
	/* The count and the bytes must agree exactly. */
	if (!ret && pos != len)
		ret = -EUCLEAN;
	kfree(op);
	return ret;
}

/* Teardown of a bucket's index: no readers are left. */
static void ks3_bucket_clear(struct ks3_store *s, struct ks3_bucket *b)
{
	struct ks3_index_node *n;

	while ((n = ks3_index_first(&b->index))) {
		struct ks3_entry *e = ks3_entry_of(n);

		ks3_index_erase(&b->index, n);
		if (e->obj)
			ks3_object_put(s, e->obj);
		ks3_entry_free(e);
	}
}

void ks3_meta_destroy(struct ks3_store *s)
{
	struct ks3_setting *set, *tmp;
	struct ks3_bucket *b;
	struct ks3_key *k;
	unsigned long id;

	xa_for_each(&s->keys_by_id, id, k)
		ks3_key_remove(s, k);
	/* The store goes away: its blocks need not go back to free space. */
	s->alloc_ready = false;
	ks3_uploads_destroy(s);
	xa_for_each(&s->buckets_by_id, id, b) {
		ks3_bucket_clear(s, b);
		ks3_bucket_remove(s, b);
	}
	list_for_each_entry_safe(set, tmp, &s->settings, node) {
		list_del(&set->node);
		kfree(set);
	}
}

int ks3_meta_claim_extents(struct ks3_store *s)
{
	struct ks3_index_node *n;
	struct ks3_bucket *b;
	unsigned long id;
	u32 i, j;
	int ret;

	xa_for_each(&s->buckets_by_id, id, b) {
		for (n = ks3_index_first(&b->index); n; n = ks3_index_next(n)) {
			struct ks3_object *obj =
				ks3_entry_of(n)->obj;

			for (i = 0; obj && i < obj->nr_segments; i++) {
				for (j = 0; j < obj->seg[i].nr_extents; j++) {
					struct ks3_extent *e =
						&obj->seg[i].extents[j];

					ret = ks3_alloc_take(&s->alloc, e->start,
							     e->blocks);
					if (ret)
						return ret;
				}
			}
		}
	}
	ret = ks3_uploads_claim_extents(s);
	if (ret)
		return ret;
	s->alloc_ready = true;
	return 0;
}
