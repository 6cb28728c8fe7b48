// SPDX-License-Identifier: GPL-2.0
/*
 * Access keys: an id, an access key id and secret for SigV4, a name, an
 * enabled flag and per-bucket capabilities. Persisted through the journal
 * like every other metadata change; the device holding them must be
 * readable by root only, since SigV4 needs the secrets themselves.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>

#include "store.h"

static int ks3_access_cmp(const char *a, const char *b)
{
	return memcmp(a, b, KS3_ACCESS_KEY_LEN);
}

struct ks3_key *ks3_key_find_n(struct ks3_store *s, const char *access_key,
			       size_t len)
{
	struct rb_node *n = s->keys.rb_node;

	if (len != KS3_ACCESS_KEY_LEN)
		return NULL;
	while (n) {
		struct ks3_key *k = rb_entry(n, struct ks3_key, by_access);
		int c = ks3_access_cmp(access_key, k->access_key);

		if (!c)
			return k;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

struct ks3_key *ks3_key_find(struct ks3_store *s, const char *access_key)
{
	return ks3_key_find_n(s, access_key, strlen(access_key));
}

static bool ks3_key_less(struct rb_node *a, const struct rb_node *b)
{
	return ks3_access_cmp(rb_entry(a, struct ks3_key, by_access)->access_key,
			      rb_entry(b, struct ks3_key, by_access)->access_key)
	       < 0;
}

int ks3_key_insert(struct ks3_store *s, struct ks3_key *k)
{
	int ret = xa_insert(&s->keys_by_id, k->id, k, GFP_KERNEL);

	if (ret)
		return ret == -EBUSY ? -EUCLEAN : ret;
	rb_add(&k->by_access, &s->keys, ks3_key_less);
	if (k->id >= s->next_key_id)
		s->next_key_id = k->id + 1;
	return 0;
}

void ks3_key_remove(struct ks3_store *s, struct ks3_key *k)
{
	xa_erase(&s->keys_by_id, k->id);
	rb_erase(&k->by_access, &s->keys);
	xa_destroy(&k->grants);
	memzero_explicit(k->secret_key, sizeof(k->secret_key));
	kfree(k);
}

/* Uppercase letters and digits 2-7 (base32), as AWS key ids look. */
static void ks3_random_chars(char *out, size_t n, const char *alphabet,
			     size_t alen)
{
	u8 rnd[KS3_SECRET_KEY_LEN];
	size_t i;

	get_random_bytes(rnd, n);
	for (i = 0; i < n; i++)
		out[i] = alphabet[rnd[i] % alen];
	memzero_explicit(rnd, sizeof(rnd));
}

static const char ks3_id_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char ks3_secret_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int ks3_key_create(struct ks3_store *s, const char *name, size_t len,
		   struct ks3_key *out)
{
	struct ks3_op op = { .type = KS3_OP_KEY_PUT };
	char access[KS3_ACCESS_KEY_LEN], secret[KS3_SECRET_KEY_LEN];
	int ret, tries = 0;

	if (len > KS3_KEY_NAME_LEN_MAX)
		return -ENAMETOOLONG;
	mutex_lock(&s->admin_mutex);
	do {
		memcpy(access, "KS3", 3);
		ks3_random_chars(access + 3, sizeof(access) - 3,
				 ks3_id_alphabet, 32);
		down_read(&s->meta_lock);
		ret = ks3_key_find_n(s, access, sizeof(access)) ? -EEXIST : 0;
		up_read(&s->meta_lock);
	} while (ret && ++tries < 8);
	if (ret)
		goto out;
	ks3_random_chars(secret, sizeof(secret), ks3_secret_alphabet, 64);

	down_read(&s->meta_lock);
	op.key.key_id = s->next_key_id;
	up_read(&s->meta_lock);
	op.key.flags = KS3_KEY_ENABLED;
	op.key.create_time = ktime_get_real_seconds();
	op.key.access_key = access;
	op.key.secret_key = secret;
	op.key.name = name;
	op.key.name_len = len;
	ret = ks3_store_commit_op(s, &op);
	if (!ret && out) {
		memset(out, 0, sizeof(*out));
		out->id = op.key.key_id;
		out->flags = op.key.flags;
		out->create_time = op.key.create_time;
		memcpy(out->access_key, access, sizeof(access));
		memcpy(out->secret_key, secret, sizeof(secret));
		memcpy(out->name, name, len);
	}
out:
	memzero_explicit(secret, sizeof(secret));
	mutex_unlock(&s->admin_mutex);
	return ret;
}

int ks3_key_delete(struct ks3_store *s, const char *access_key)
{
	struct ks3_op op = { .type = KS3_OP_KEY_DELETE };
	struct ks3_key *k;
	int ret;

	mutex_lock(&s->admin_mutex);
	down_read(&s->meta_lock);
	k = ks3_key_find(s, access_key);
	if (k)
		op.key.key_id = k->id;
	up_read(&s->meta_lock);
	ret = k ? ks3_store_commit_op(s, &op) : -ENOENT;
	mutex_unlock(&s->admin_mutex);
	return ret;
}

int ks3_key_grant(struct ks3_store *s, const char *access_key,
		  const char *bucket, size_t bucket_len, u32 caps)
{
	struct ks3_op op = { .type = KS3_OP_GRANT };
	struct ks3_bucket *b;
	struct ks3_key *k;
	int ret = 0;

	if (caps & ~KS3_CAP_ALL)
		return -EINVAL;
	mutex_lock(&s->admin_mutex);
	down_read(&s->meta_lock);
	k = ks3_key_find(s, access_key);
	b = ks3_bucket_find(s, bucket, bucket_len);
	if (!k || !b) {
		ret = -ENOENT;
	} else {
		op.grant.key_id = k->id;
		op.grant.bucket_id = b->id;
		op.grant.caps = caps;
	}
	up_read(&s->meta_lock);
	if (!ret)
		ret = ks3_store_commit_op(s, &op);
	mutex_unlock(&s->admin_mutex);
	return ret;
}

/* Capabilities of @k on bucket @bucket_id; the caller holds meta_lock. */
u32 ks3_key_caps(struct ks3_store *s, struct ks3_key *k, u32 bucket_id)
{
	void *entry = xa_load(&k->grants, bucket_id);

	if (!(k->flags & KS3_KEY_ENABLED))
		return 0;
	return entry ? xa_to_value(entry) : 0;
}

int ks3_key_for_each(struct ks3_store *s, u32 *pos,
		     int (*fn)(void *arg, struct ks3_key *k), void *arg)
{
	struct ks3_key *k;
	unsigned long id;
	int ret = 0;

	down_read(&s->meta_lock);
	xa_for_each_start(&s->keys_by_id, id, k, *pos) {
		ret = fn(arg, k);
		if (ret) {
			*pos = id;
			break;
		}
		*pos = id == U32_MAX ? U32_MAX : id + 1;
	}
	up_read(&s->meta_lock);
	return ret;
}

int ks3_key_for_each_grant(struct ks3_store *s, struct ks3_key *k,
			   u32 *pos,
			   int (*fn)(void *arg, const struct ks3_bucket *b,
				     u32 caps),
			   void *arg)
{
	struct ks3_bucket *b;
	unsigned long id;
	void *caps;
	int ret = 0;

	lockdep_assert_held(&s->meta_lock);
	xa_for_each_start(&k->grants, id, caps, *pos) {
		b = xa_load(&s->buckets_by_id, id);
		/* Deleting a bucket drops its grants: never without one. */
		if (WARN_ON_ONCE(!b))
			continue;
		ret = fn(arg, b, xa_to_value(caps));
		if (ret) {
			*pos = id;
			break;
		}
		*pos = id == U32_MAX ? U32_MAX : id + 1;
	}
	return ret;
}

int ks3_key_change_caps(struct ks3_store *s, const char *access_key,
			const char *bucket, size_t bucket_len, u32 add,
			u32 remove, u32 *now)
{
	struct ks3_op op = { .type = KS3_OP_GRANT };
	struct ks3_bucket *b;
	struct ks3_key *k;
	u32 old = 0;
	int ret = 0;

	if ((add | remove) & ~KS3_CAP_ALL)
		return -EINVAL;
	mutex_lock(&s->admin_mutex);
	down_read(&s->meta_lock);
	k = ks3_key_find(s, access_key);
	b = ks3_bucket_find(s, bucket, bucket_len);
	if (!k) {
		ret = -ENOKEY;
	} else if (!b) {
		ret = -ENOENT;
	} else {
		void *entry = xa_load(&k->grants, b->id);

		old = entry ? xa_to_value(entry) : 0;
		op.grant.key_id = k->id;
		op.grant.bucket_id = b->id;
		op.grant.caps = (old | add) & ~remove;
	}
	up_read(&s->meta_lock);
	/* Nothing changes: nothing to write. */
	if (!ret && op.grant.caps != old)
		ret = ks3_store_commit_op(s, &op);
	if (!ret)
		*now = op.grant.caps;
	mutex_unlock(&s->admin_mutex);
	return ret;
}

int ks3_key_id(struct ks3_store *s, const char *access_key, u32 *id)
{
	struct ks3_key *k;

	down_read(&s->meta_lock);
	k = ks3_key_find(s, access_key);
	if (k)
		*id = k->id;
	up_read(&s->meta_lock);
	return k ? 0 : -ENOKEY;
}

bool ks3_key_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len > KS3_KEY_NAME_LEN_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return false;
	return true;
}
