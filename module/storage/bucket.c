// SPDX-License-Identifier: GPL-2.0
/*
 * Buckets: create, delete (only when empty), quotas. Creation and deletion
 * run under admin_mutex end to end, so they never race each other; a
 * delete marks the bucket pending_delete when queued, which object writers
 * check under meta_lock, so a bucket never loses an object to a delete.
 */
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "bucket_name.h"
#include "store.h"

static void ks3_bucket_op(struct ks3_op *op, const struct ks3_bucket *b)
{
	op->type = KS3_OP_BUCKET_PUT;
	op->bucket.bucket_id = b->id;
	op->bucket.owner_key = b->owner_key;
	op->bucket.create_time = b->create_time;
	op->bucket.quota_bytes = b->quota_bytes;
	op->bucket.quota_objects = b->quota_objects;
	op->bucket.name = b->name;
	op->bucket.name_len = b->name_len;
}

int ks3_bucket_create(struct ks3_store *s, const char *name, size_t len,
		      u32 owner_key)
{
	struct ks3_bucket nb = { .owner_key = owner_key };
	struct ks3_op op;
	int ret;

	if (ks3_bucket_name_problem(name, len))
		return -EINVAL;
	mutex_lock(&s->admin_mutex);
	down_read(&s->meta_lock);
	if (ks3_bucket_find(s, name, len)) {
		ret = -EEXIST;
	} else {
		nb.id = s->next_bucket_id;
		ret = nb.id == U32_MAX ? -ENOSPC : 0;
	}
	up_read(&s->meta_lock);
	if (!ret) {
		nb.create_time = ktime_get_real_seconds();
		nb.name_len = len;
		memcpy(nb.name, name, len);
		ks3_bucket_op(&op, &nb);
		ret = ks3_store_commit_op(s, &op);
	}
	mutex_unlock(&s->admin_mutex);
	return ret;
}

static void ks3_bucket_delete_finish(struct ks3_store *s, struct ks3_txn *t,
				     int status)
{
	struct ks3_bucket *b = t->priv;

	/* On success the bucket is gone already. */
	if (status)
		b->pending_delete = false;
}

int ks3_bucket_delete(struct ks3_store *s, const char *name, size_t len)
{
	struct ks3_op op = { .type = KS3_OP_BUCKET_DELETE };
	struct ks3_bucket *b;
	struct ks3_txn t;
	int ret;

	if (s->read_only)
		return -EROFS;
	mutex_lock(&s->admin_mutex);
	ks3_txn_init(&t);
	down_write(&s->meta_lock);
	b = ks3_bucket_find(s, name, len);
	if (!b) {
		ret = -ENOENT;
	} else if (b->nr_objects || b->pending_objects || b->nr_uploads ||
		   b->pending_uploads) {
		ret = -ENOTEMPTY;
	} else {
		op.bucket.bucket_id = b->id;
		ret = ks3_txn_add(&t, &op);
	}
	if (!ret) {
		b->pending_delete = true;
		t.finish = ks3_bucket_delete_finish;
		t.priv = b;
		ks3_txn_queue(s, &t);
	}
	up_write(&s->meta_lock);
	if (!ret)
		ret = ks3_txn_commit_wait(s, &t);
	ks3_txn_release(&t);
	mutex_unlock(&s->admin_mutex);
	return ret;
}

int ks3_bucket_set_quota(struct ks3_store *s, const char *name, size_t len,
			 u64 bytes, u64 objects)
{
	struct ks3_bucket *b, nb;
	struct ks3_op op;
	int ret = 0;

	mutex_lock(&s->admin_mutex);
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, name, len);
	if (b)
		nb = *b;
	else
		ret = -ENOENT;
	up_read(&s->meta_lock);
	if (!ret) {
		nb.quota_bytes = bytes;
		nb.quota_objects = objects;
		ks3_bucket_op(&op, &nb);
		ret = ks3_store_commit_op(s, &op);
	}
	mutex_unlock(&s->admin_mutex);
	return ret;
}

int ks3_bucket_for_each(struct ks3_store *s, u32 *pos,
			int (*fn)(void *arg, const struct ks3_bucket *b,
				  const struct ks3_key *owner),
			void *arg)
{
	struct ks3_bucket *b;
	unsigned long id;
	int ret = 0;

	down_read(&s->meta_lock);
	xa_for_each_start(&s->buckets_by_id, id, b, *pos) {
		ret = fn(arg, b, b->owner_key ?
			 xa_load(&s->keys_by_id, b->owner_key) : NULL);
		if (ret) {
			*pos = id;
			break;
		}
		*pos = id == U32_MAX ? U32_MAX : id + 1;
	}
	up_read(&s->meta_lock);
	return ret;
}

int ks3_bucket_change_quota(struct ks3_store *s, const char *name,
			    size_t len, const u64 *bytes, const u64 *objects)
{
	struct ks3_bucket *b, nb;
	struct ks3_op op;
	int ret = 0;

	mutex_lock(&s->admin_mutex);
	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, name, len);
	if (b)
		nb = *b;
	else
		ret = -ENOENT;
	up_read(&s->meta_lock);
	if (!ret && ((bytes && *bytes != nb.quota_bytes) ||
		     (objects && *objects != nb.quota_objects))) {
		if (bytes)
			nb.quota_bytes = *bytes;
		if (objects)
			nb.quota_objects = *objects;
		ks3_bucket_op(&op, &nb);
		ret = ks3_store_commit_op(s, &op);
	}
	mutex_unlock(&s->admin_mutex);
	return ret;
}
