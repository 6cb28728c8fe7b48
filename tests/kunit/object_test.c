// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: objects in a store on a memory device: streaming put and verified
 * read, MD5 ETags, replace and delete with exact free space, readers that
 * keep a replaced version's blocks, persistence through replay and
 * checkpoints, corrupted data, quotas and write preconditions; data
 * written asynchronously (a device that completes in a worker, later than
 * submit), failed data writes and concurrent writers; hashing off the
 * writer's thread whatever the size hint, and the pool of data buffers.
 */
#include <crypto/hash.h>
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "memdev.h"
#include "store_util.h"

#define OBJ_BLOCKS	8192	/* 32 MiB */

static const u8 ks3_obj_uuid[16] = "ks3-object-uuid";

struct ks3_obj_env {
	struct ks3_memdev *m;
	struct ks3_store *s;
};

static void ks3_obj_setup(struct kunit *test, struct ks3_obj_env *env)
{
	const char *why;

	env->m = ks3_memdev_create(OBJ_BLOCKS);
	KUNIT_ASSERT_NOT_NULL(test, env->m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&env->m->dev, ks3_obj_uuid, 1),
			0);
	env->s = ks3_store_attach(&env->m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->s));
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(env->s, "data", 4, 1), 0);
}

static void ks3_obj_teardown(struct ks3_obj_env *env)
{
	ks3_store_detach(env->s);
	ks3_memdev_destroy(env->m);
}

/* Free space is the data region less what objects reference. */
static void ks3_obj_check_space(struct kunit *test, struct ks3_store *s)
{
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s->alloc),
			s->layout.data_blocks - ks3_test_used_blocks(s));
}

static struct ks3_object *ks3_obj_get(struct kunit *test, struct ks3_store *s,
				      const char *key)
{
	struct ks3_object *obj = ks3_object_get(s, "data", 4, key,
						strlen(key));

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(obj), "get %s: %ld", key,
			       PTR_ERR(obj));
	return obj;
}

static void ks3_obj_small_test(struct kunit *test)
{
	static const u8 md5_hello[16] = {
		0x5d, 0x41, 0x40, 0x2a, 0xbc, 0x4b, 0x2a, 0x76,
		0xb9, 0x71, 0x9d, 0x91, 0x10, 0x17, 0xc5, 0x92,
	};
	struct ks3_object_info info;
	struct ks3_object_writer *w;
	struct ks3_obj_env env;
	struct ks3_object *obj;
	char buf[8];

	ks3_obj_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "hi", 2,
						     5, &w), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write(w, "hel", 3), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write(w, "lo", 2), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write_commit(w, "m", 1, NULL, &info),
			0);
	KUNIT_EXPECT_EQ(test, info.size, 5ULL);
	KUNIT_EXPECT_EQ(test, memcmp(info.etag, md5_hello, 16), 0);

	obj = ks3_obj_get(test, env.s, "hi");
	KUNIT_EXPECT_EQ(test, obj->size, 5ULL);
	KUNIT_EXPECT_EQ(test, memcmp(obj->etag, md5_hello, 16), 0);
	KUNIT_EXPECT_EQ(test, obj->meta_len, 1);
	KUNIT_ASSERT_EQ(test, ks3_object_read(env.s, obj, 1, buf, 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "ell", 3), 0);
	KUNIT_EXPECT_EQ(test, ks3_object_read(env.s, obj, 4, buf, 2), -EINVAL);
	ks3_object_put(env.s, obj);

	/* Empty object; missing bucket; missing key. */
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "empty", 0, 1), 0);
	obj = ks3_obj_get(test, env.s, "empty");
	KUNIT_EXPECT_EQ(test, obj->size, 0ULL);
	KUNIT_EXPECT_EQ(test, ks3_object_blocks(obj), 0ULL);
	ks3_object_put(env.s, obj);
	KUNIT_EXPECT_EQ(test, ks3_object_write_begin(env.s, "nope", 4, "k", 1,
						     0, &w), -ENOENT);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ks3_object_get(env.s, "data", 4, "x", 1)),
			-ENOENT);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

/* Several chunks, uneven pieces, known and unknown size. */
static void ks3_obj_large_test(struct kunit *test)
{
	struct ks3_obj_env env;
	struct ks3_object *obj;
	u8 *buf;
	u64 i;

	ks3_obj_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "big",
					   (3 << 20) + 5, 7), 0);
	obj = ks3_obj_get(test, env.s, "big");
	KUNIT_EXPECT_EQ(test, obj->seg[0].nr_chunks, 4U);
	/* Data landed in one extent: the size was known. */
	KUNIT_EXPECT_EQ(test, obj->seg[0].nr_extents, 1U);
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 7), 0);
	/* A read that straddles a chunk boundary. */
	buf = kunit_kmalloc(test, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, ks3_object_read(env.s, obj, (1 << 20) - 50, buf,
					      100), 0);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, buf[i],
				ks3_test_byte(7, (1 << 20) - 50 + i));
	ks3_object_put(env.s, obj);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

/* A reader keeps a replaced version's blocks until it lets go. */
static void ks3_obj_replace_test(struct kunit *test)
{
	struct ks3_obj_env env;
	struct ks3_object *old, *cur;
	u64 free_before;

	ks3_obj_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "k", 100000, 1), 0);
	old = ks3_obj_get(test, env.s, "k");
	free_before = ks3_alloc_free_blocks(&env.s->alloc);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "k", 100000, 2), 0);
	/* New blocks taken, old ones still held by the reader. */
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&env.s->alloc),
			free_before - ks3_size_blocks(100000));
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, old, 1), 0);
	cur = ks3_obj_get(test, env.s, "k");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, cur, 2), 0);
	ks3_object_put(env.s, old);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&env.s->alloc),
			free_before);
	ks3_object_put(env.s, cur);
	ks3_obj_check_space(test, env.s);

	/* Delete: gone, blocks back, and not found twice. */
	KUNIT_ASSERT_EQ(test, ks3_object_delete(env.s, "data", 4, "k", 1), 0);
	KUNIT_EXPECT_EQ(test, ks3_object_delete(env.s, "data", 4, "k", 1),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&env.s->alloc),
			env.s->layout.data_blocks);
	KUNIT_EXPECT_EQ(test, ks3_bucket_find(env.s, "data", 4)->nr_objects,
			0ULL);
	ks3_obj_teardown(&env);
}

static void ks3_obj_persist_test(struct kunit *test)
{
	struct ks3_memdev *copy;
	struct ks3_obj_env env;
	struct ks3_store *s2;
	struct ks3_object *obj;
	const char *why;
	char key[16];
	int i;

	ks3_obj_setup(test, &env);
	/* Enough commits for checkpoints that carry objects. */
	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "k%03d", i % 40);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", key,
						   (i * 977) % 20000, i), 0);
	}
	KUNIT_EXPECT_GE(test, env.s->journal.nr_checkpoints, 1ULL);
	KUNIT_ASSERT_EQ(test, ks3_object_delete(env.s, "data", 4, "k007", 4),
			0);
	copy = ks3_memdev_clone(env.m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_store_attach(&copy->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s2));
	KUNIT_EXPECT_EQ(test, ks3_bucket_find(s2, "data", 4)->nr_objects, 39ULL);
	KUNIT_EXPECT_EQ(test, ks3_bucket_find(s2, "data", 4)->bytes,
			ks3_bucket_find(env.s, "data", 4)->bytes);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ks3_object_get(s2, "data", 4, "k007", 4)),
			-ENOENT);
	/* The last put, i = 299, wrote k019. */
	obj = ks3_obj_get(test, s2, "k019");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(s2, obj, 299), 0);
	ks3_object_put(s2, obj);
	KUNIT_EXPECT_EQ(test, ks3_test_read_all(s2), 0);
	ks3_obj_check_space(test, s2);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	ks3_obj_teardown(&env);
}

/* A flipped bit on the device is caught by the chunk crc, not served. */
static void ks3_obj_corrupt_test(struct kunit *test)
{
	struct ks3_obj_env env;
	struct ks3_object *obj;
	u8 *buf;

	ks3_obj_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "c", 10000, 3), 0);
	obj = ks3_obj_get(test, env.s, "c");
	env.m->blocks[obj->seg[0].extents[0].start + 1][17] ^= 0x10;
	buf = kunit_kmalloc(test, 10, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, ks3_object_read(env.s, obj, 0, buf, 10),
			-EBADMSG);
	ks3_object_put(env.s, obj);
	ks3_obj_teardown(&env);
}

static void ks3_obj_quota_test(struct kunit *test)
{
	struct ks3_obj_env env;
	u64 free_before;

	ks3_obj_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_bucket_set_quota(env.s, "data", 4, 10000, 2),
			0);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "a", 4000, 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "b", 4000, 1), 0);
	free_before = ks3_alloc_free_blocks(&env.s->alloc);
	KUNIT_EXPECT_EQ(test, ks3_test_put(env.s, "data", "c", 1, 1), -EDQUOT);
	/* Replacing does not add an object; bytes still count. */
	KUNIT_EXPECT_EQ(test, ks3_test_put(env.s, "data", "a", 6000, 1), 0);
	KUNIT_EXPECT_EQ(test, ks3_test_put(env.s, "data", "b", 4001, 1),
			-EDQUOT);
	/* A refused write leaves no blocks behind. */
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&env.s->alloc),
			free_before + ks3_size_blocks(4000) -
			ks3_size_blocks(6000));
	ks3_obj_check_space(test, env.s);
	/* A bucket with objects cannot go. */
	KUNIT_EXPECT_EQ(test, ks3_bucket_delete(env.s, "data", 4), -ENOTEMPTY);
	ks3_obj_teardown(&env);
}

static void ks3_obj_precondition_test(struct kunit *test)
{
	struct ks3_put_cond none_match = { .if_none_match = true };
	struct ks3_put_cond match = { };
	struct ks3_object_writer *w;
	struct ks3_obj_env env;
	struct ks3_object *obj;
	u8 etag[16];

	ks3_obj_setup(test, &env);
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "p", 1,
						     0, &w), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write_commit(w, NULL, 0, &none_match,
						      NULL), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "p", 1,
						     0, &w), 0);
	KUNIT_EXPECT_EQ(test, ks3_object_write_commit(w, NULL, 0, &none_match,
						      NULL), -EEXIST);
	obj = ks3_obj_get(test, env.s, "p");
	memcpy(etag, obj->etag, 16);
	ks3_object_put(env.s, obj);
	match.if_match = etag;
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "p", 1,
						     0, &w), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write(w, "x", 1), 0);
	KUNIT_EXPECT_EQ(test, ks3_object_write_commit(w, NULL, 0, &match, NULL),
			0);
	/* The ETag changed with the data: the same If-Match now fails. */
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "p", 1,
						     0, &w), 0);
	KUNIT_EXPECT_EQ(test, ks3_object_write_commit(w, NULL, 0, &match, NULL),
			-ESTALE);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

/* MD5 of @len bytes of pattern @seed, as a part's ETag. */
static void ks3_obj_md5(struct kunit *test, struct ks3_store *s, u64 len,
			u32 seed, u8 *out)
{
	SHASH_DESC_ON_STACK(d, s->md5);
	u64 i;
	u8 c;

	d->tfm = s->md5;
	KUNIT_ASSERT_EQ(test, crypto_shash_init(d), 0);
	for (i = 0; i < len; i++) {
		c = ks3_test_byte(seed, i);
		crypto_shash_update(d, &c, 1);
	}
	KUNIT_ASSERT_EQ(test, crypto_shash_final(d, out), 0);
}

static void ks3_obj_multipart_test(struct kunit *test)
{
	static const u32 parts[] = { 1, 2 };
	u64 id, p1 = (1 << 20) + 12345, p2 = 100000, free_before;
	struct ks3_object_info info;
	struct ks3_memdev *copy;
	struct ks3_obj_env env;
	struct ks3_object *obj;
	struct ks3_store *s2;
	u8 md5s[32], etag[16];
	const char *why;

	ks3_obj_setup(test, &env);
	free_before = ks3_alloc_free_blocks(&env.s->alloc);
	KUNIT_ASSERT_EQ(test, ks3_upload_create(env.s, "data", 4, "mp", 2,
						"m", 1, &id), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 2, p2, 9),
			0);
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 1, 5000, 8),
			0);
	/* Part 1 again replaces the first try; part 3 is never listed. */
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 1, p1, 1),
			0);
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 3, 4096, 3),
			0);
	KUNIT_EXPECT_EQ(test, ks3_test_put_part(env.s, "data", id + 2, 1, 1,
						1), -ENOENT);
	KUNIT_EXPECT_EQ(test, ks3_bucket_delete(env.s, "data", 4), -ENOTEMPTY);
	ks3_obj_check_space(test, env.s);

	/* Persisted in progress: parts and all. */
	copy = ks3_memdev_clone(env.m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_store_attach(&copy->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s2));
	KUNIT_EXPECT_EQ(test, ks3_upload_complete(s2, "data", 4, id, parts, 2,
						  NULL, &info), 0);
	ks3_obj_check_space(test, s2);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);

	KUNIT_EXPECT_EQ(test, ks3_upload_complete(env.s, "data", 4, id,
						  parts + 1, 1, NULL, NULL), 0);
	/* That completed with part 2 alone; the upload is gone now. */
	KUNIT_EXPECT_EQ(test, ks3_upload_complete(env.s, "data", 4, id, parts,
						  2, NULL, NULL), -ENOENT);
	obj = ks3_obj_get(test, env.s, "mp");
	KUNIT_EXPECT_EQ(test, obj->size, p2);
	KUNIT_EXPECT_EQ(test, obj->nr_parts, 1U);
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 9), 0);
	ks3_object_put(env.s, obj);
	/* Parts 1 and 3 went back to free space with the upload. */
	ks3_obj_check_space(test, env.s);

	/* Two parts, the ETag of their MD5s, stitched without copying. */
	KUNIT_ASSERT_EQ(test, ks3_upload_create(env.s, "data", 4, "mp2", 3,
						NULL, 0, &id), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 1, p1, 1),
			0);
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 2, p2, 9),
			0);
	KUNIT_ASSERT_EQ(test, ks3_upload_complete(env.s, "data", 4, id, parts,
						  2, NULL, &info), 0);
	ks3_obj_md5(test, env.s, p1, 1, md5s);
	ks3_obj_md5(test, env.s, p2, 9, md5s + 16);
	{
		SHASH_DESC_ON_STACK(d, env.s->md5);

		d->tfm = env.s->md5;
		KUNIT_ASSERT_EQ(test, crypto_shash_digest(d, md5s, 32, etag),
				0);
	}
	KUNIT_EXPECT_EQ(test, memcmp(info.etag, etag, 16), 0);
	KUNIT_EXPECT_EQ(test, info.size, p1 + p2);
	obj = ks3_obj_get(test, env.s, "mp2");
	KUNIT_EXPECT_EQ(test, obj->nr_segments, 2);
	KUNIT_EXPECT_EQ(test, ks3_test_check_range(env.s, obj, 0, p1, 1), 0);
	KUNIT_EXPECT_EQ(test, ks3_test_check_range(env.s, obj, p1, p2, 9), 0);
	ks3_object_put(env.s, obj);

	/* Abort frees every part. */
	KUNIT_ASSERT_EQ(test, ks3_upload_create(env.s, "data", 4, "gone", 4,
						NULL, 0, &id), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put_part(env.s, "data", id, 1, p2, 4),
			0);
	KUNIT_ASSERT_EQ(test, ks3_upload_abort(env.s, "data", 4, id), 0);
	KUNIT_EXPECT_EQ(test, ks3_upload_abort(env.s, "data", 4, id), -ENOENT);
	ks3_obj_check_space(test, env.s);

	/* A checkpoint carries the two-segment object; replay rebuilds it. */
	mutex_lock(&env.s->journal.commit_mutex);
	KUNIT_ASSERT_EQ(test, ks3_checkpoint_write(env.s), 0);
	mutex_unlock(&env.s->journal.commit_mutex);
	copy = ks3_memdev_clone(env.m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_store_attach(&copy->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s2));
	obj = ks3_obj_get(test, s2, "mp2");
	KUNIT_EXPECT_EQ(test, obj->nr_segments, 2);
	KUNIT_EXPECT_EQ(test, obj->nr_parts, 2U);
	KUNIT_EXPECT_EQ(test, memcmp(obj->etag, etag, 16), 0);
	KUNIT_EXPECT_EQ(test, ks3_test_check_range(s2, obj, p1, p2, 9), 0);
	ks3_object_put(s2, obj);
	ks3_obj_check_space(test, s2);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	KUNIT_EXPECT_LT(test, ks3_alloc_free_blocks(&env.s->alloc),
			free_before);
	ks3_obj_teardown(&env);
}

/* A full device: a clean -ENOSPC, nothing lost, space back after a delete. */
static void ks3_obj_enospc_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_memdev_create(KS3_MIN_BLOCKS);
	struct ks3_store *s;
	const char *why;
	char key[16];
	int i, ret = 0;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&m->dev, ks3_obj_uuid, 1), 0);
	s = ks3_store_attach(&m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "data", 4, 1), 0);
	/* 510 data blocks: the eighth 64-block object does not fit. */
	for (i = 0; i < 10 && !ret; i++) {
		snprintf(key, sizeof(key), "f%d", i);
		ret = ks3_test_put(s, "data", key, 64 * KS3_BLOCK_SIZE, i);
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_EQ(test, i, 8);
	KUNIT_EXPECT_FALSE(test, s->read_only);
	KUNIT_EXPECT_EQ(test, ks3_bucket_find(s, "data", 4)->nr_objects, 7ULL);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s->alloc),
			s->layout.data_blocks - ks3_test_used_blocks(s));
	KUNIT_EXPECT_EQ(test, ks3_test_read_all(s), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_delete(s, "data", 4, "f0", 2), 0);
	KUNIT_EXPECT_EQ(test, ks3_test_put(s, "data", "again",
					   64 * KS3_BLOCK_SIZE, 42), 0);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

struct ks3_obj_page {
	char last[32];
	size_t last_len;
	int seen[200];
	bool out_of_order;
};

static int ks3_obj_page_content(void *arg, struct ks3_index_node *n)
{
	struct ks3_obj_page *pg = arg;
	const char *key = ks3_index_key(n);
	char num[4];
	int k;

	if (pg->last_len && ks3_key_cmp(pg->last, pg->last_len, key,
					n->key_len) >= 0)
		pg->out_of_order = true;
	memcpy(pg->last, key, min_t(size_t, n->key_len, sizeof(pg->last)));
	pg->last_len = min_t(size_t, n->key_len, sizeof(pg->last));
	/* The keys that exist throughout are "k000".."k199". */
	if (n->key_len == 4 && key[0] == 'k') {
		memcpy(num, key + 1, 3);
		num[3] = '\0';	/* index keys are not NUL-terminated */
		if (!kstrtoint(num, 10, &k) && k >= 0 && k < 200)
			pg->seen[k]++;
	}
	return 0;
}

/* Paging through a bucket while writers add and delete other keys. */
static void ks3_obj_list_while_writing_test(struct kunit *test)
{
	const struct ks3_list_ops ops = { .content = ks3_obj_page_content };
	struct ks3_list_params p = { .max_keys = 7 };
	struct ks3_obj_page *pg;
	struct ks3_list_result res;
	struct ks3_obj_env env;
	char next[32], key[16];
	int i, page = 0;

	ks3_obj_setup(test, &env);
	pg = kunit_kzalloc(test, sizeof(*pg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pg);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "k%03d", i);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", key, 0, 0),
				0);
	}
	do {
		KUNIT_ASSERT_EQ(test, ks3_object_list(env.s, "data", 4, &p,
						      &ops, pg, &res, next,
						      sizeof(next)), 0);
		/* Between pages: keys appear ahead of and behind the cursor. */
		snprintf(key, sizeof(key), "k%03d+", (page * 13) % 200);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", key, 0, 0),
				0);
		if (page >= 2) {
			snprintf(key, sizeof(key), "k%03d+",
				 ((page - 2) * 13) % 200);
			ks3_object_delete(env.s, "data", 4, key, strlen(key));
		}
		p.start_after = res.next;
		p.start_after_len = res.next_len;
		page++;
	} while (res.is_truncated && page < 200);
	KUNIT_EXPECT_FALSE(test, res.is_truncated);
	KUNIT_EXPECT_FALSE(test, pg->out_of_order);
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_EQ_MSG(test, pg->seen[i], 1, "k%03d", i);
	ks3_obj_teardown(&env);
}

/* The device completes data writes in a worker, @delay_us after submit. */
static void ks3_obj_setup_async(struct kunit *test, struct ks3_obj_env *env,
				unsigned int delay_us)
{
	ks3_obj_setup(test, env);
	KUNIT_ASSERT_EQ(test, ks3_memdev_set_async(env->m, delay_us), 0);
}

/*
 * Many chunks through the async path: writes overlap, no more than the
 * writer's buffers are in flight, and a buffer refilled before its write
 * was done would show as wrong data (the device copies at completion).
 */
static void ks3_obj_async_many_test(struct kunit *test)
{
	static const u64 sizes[] = { (10 << 20) + 12345, 3 << 20, 4096,
				     (1 << 20) + 1 };
	struct ks3_object_writer *w;
	struct ks3_obj_env env;
	struct ks3_object *obj;
	char key[16];
	u8 *buf;
	int i, max;

	ks3_obj_setup_async(test, &env, 300);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(key, sizeof(key), "many%d", i);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", key,
						   sizes[i], 20 + i), 0);
		obj = ks3_obj_get(test, env.s, key);
		KUNIT_EXPECT_EQ(test, obj->size, sizes[i]);
		KUNIT_EXPECT_EQ(test, obj->seg[0].nr_extents, 1U);
		KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 20 + i),
				0);
		ks3_object_put(env.s, obj);
	}
	max = atomic_read(&env.m->async_max_inflight);
	kunit_info(test, "async data writes: at most %d in flight\n", max);
	KUNIT_EXPECT_LE(test, max, KS3_WRITE_BUFS);

	/* Unknown size, written in 1 MiB pieces: a grant per chunk. */
	buf = vmalloc(KS3_CHUNK_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "unk", 3,
						     0, &w), 0);
	for (i = 0; i < 5; i++) {
		u32 j;

		for (j = 0; j < KS3_CHUNK_SIZE; j++)
			buf[j] = ks3_test_byte(9, ((u64)i << 20) + j);
		KUNIT_ASSERT_EQ(test, ks3_object_write(w, buf, KS3_CHUNK_SIZE),
				0);
	}
	vfree(buf);
	KUNIT_ASSERT_EQ(test, ks3_object_write_commit(w, NULL, 0, NULL, NULL),
			0);
	obj = ks3_obj_get(test, env.s, "unk");
	KUNIT_EXPECT_EQ(test, obj->size, 5ULL << 20);
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 9), 0);
	ks3_object_put(env.s, obj);
	KUNIT_EXPECT_EQ(test, atomic_read(&env.m->async_inflight), 0);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

/*
 * A slow device (100 ms a write): ks3_object_write returns with its
 * buffer's write still in flight, the writer goes on filling the next
 * buffers, never has more than KS3_WRITE_BUFS writes in flight, and waits
 * for the oldest before refilling its buffer.
 */
static void ks3_obj_async_overlap_test(struct kunit *test)
{
	const int nr = KS3_WRITE_BUFS + 2;
	struct ks3_object_writer *w;
	struct ks3_obj_env env;
	struct ks3_object *obj;
	u8 *buf;
	int i;
	u32 j;

	ks3_obj_setup_async(test, &env, 100000);
	buf = vmalloc(KS3_CHUNK_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(env.s, "data", 4, "ov", 2,
						     (u64)nr << 20, &w), 0);
	for (i = 0; i < nr; i++) {
		for (j = 0; j < KS3_CHUNK_SIZE; j++)
			buf[j] = ks3_test_byte(11, ((u64)i << 20) + j);
		KUNIT_ASSERT_EQ(test, ks3_object_write(w, buf, KS3_CHUNK_SIZE),
				0);
		/* Submitted, not done: the device sleeps first. */
		KUNIT_EXPECT_GE_MSG(test, atomic_read(&env.m->async_inflight),
				    1, "chunk %d", i);
		KUNIT_EXPECT_LE(test, atomic_read(&env.m->async_inflight),
				KS3_WRITE_BUFS);
	}
	vfree(buf);
	KUNIT_ASSERT_EQ(test, ks3_object_write_commit(w, NULL, 0, NULL, NULL),
			0);
	KUNIT_EXPECT_EQ(test, atomic_read(&env.m->async_inflight), 0);
	kunit_info(test, "slow device: at most %d data writes in flight\n",
		   atomic_read(&env.m->async_max_inflight));
	KUNIT_EXPECT_LE(test, atomic_read(&env.m->async_max_inflight),
			KS3_WRITE_BUFS);
	/* Refilling a buffer before its write was done would show here. */
	obj = ks3_obj_get(test, env.s, "ov");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 11), 0);
	ks3_object_put(env.s, obj);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

/*
 * A data write that fails, first, in the middle or last (the tail at
 * seal), on a new key and on an existing one: the put fails with -EIO,
 * nothing is published or journaled, the free space is what it was, the
 * store stays writable, and the same put succeeds afterwards.
 */
static void ks3_obj_async_error_test(struct kunit *test)
{
	static const u64 size = (5 << 20) + 100;	/* 6 data writes */
	static const u64 fail[] = { 1, 2, 4, 6 };
	struct ks3_obj_env env;
	struct ks3_object *obj;
	u64 free_before, commits, objects;
	const char *key;
	int i, async;

	for (async = 0; async < 2; async++) {
		if (async)
			ks3_obj_setup_async(test, &env, 100);
		else
			ks3_obj_setup(test, &env);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "old", 70000,
						   1), 0);
		for (i = 0; i < ARRAY_SIZE(fail); i++) {
			key = i % 2 ? "old" : "new";
			free_before = ks3_alloc_free_blocks(&env.s->alloc);
			commits = env.s->journal.nr_commits;
			objects = ks3_bucket_find(env.s, "data", 4)->nr_objects;
			/* The put's I/Os are its data writes, then the record. */
			env.m->fail_at = env.m->nr_io + fail[i];
			KUNIT_EXPECT_EQ_MSG(test, ks3_test_put(env.s, "data", key,
							       size, 2 + i),
					    -EIO, "async %d, write %llu", async,
					    fail[i]);
			env.m->fail_at = 0;
			KUNIT_EXPECT_FALSE(test, env.s->read_only);
			KUNIT_EXPECT_EQ(test, env.s->journal.nr_commits, commits);
			KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&env.s->alloc),
					free_before);
			KUNIT_EXPECT_EQ(test,
					ks3_bucket_find(env.s, "data", 4)->nr_objects,
					objects);
			obj = ks3_object_get(env.s, "data", 4, key, strlen(key));
			if (i % 2) {
				/* The old version, untouched. */
				KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
				KUNIT_EXPECT_EQ(test, obj->size, 70000ULL);
				KUNIT_EXPECT_EQ(test,
						ks3_test_check_data(env.s, obj, 1),
						0);
				ks3_object_put(env.s, obj);
			} else {
				KUNIT_EXPECT_EQ(test, PTR_ERR(obj), -ENOENT);
			}
			ks3_obj_check_space(test, env.s);
		}
		/* The device is fine again: the same puts go through. */
		KUNIT_EXPECT_EQ(test, ks3_test_put(env.s, "data", "new", size,
						   30), 0);
		KUNIT_EXPECT_EQ(test, ks3_test_put(env.s, "data", "old", size,
						   31), 0);
		obj = ks3_obj_get(test, env.s, "old");
		KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 31), 0);
		ks3_object_put(env.s, obj);
		KUNIT_EXPECT_EQ(test, ks3_test_read_all(env.s), 0);
		ks3_obj_check_space(test, env.s);
		ks3_obj_teardown(&env);
	}
}

#define ASYNC_WRITERS	6
#define ASYNC_PUTS	3

struct ks3_obj_writer_thread {
	struct ks3_store *s;
	struct completion *go;
	struct completion done;
	int id;
	int err;
};

static u32 ks3_obj_thread_seed(int id, int put)
{
	return 100 + id * ASYNC_PUTS + put;
}

static u64 ks3_obj_thread_size(int id, int put)
{
	return (3 << 19) + id * 4099 + put * 517;	/* 1.5 MiB and some */
}

static int ks3_obj_writer_fn(void *arg)
{
	struct ks3_obj_writer_thread *t = arg;
	char key[16];
	int i;

	snprintf(key, sizeof(key), "w%d", t->id);
	wait_for_completion(t->go);
	for (i = 0; i < ASYNC_PUTS && !t->err; i++)
		t->err = ks3_test_put(t->s, "data", key,
				      ks3_obj_thread_size(t->id, i),
				      ks3_obj_thread_seed(t->id, i));
	complete(&t->done);
	return 0;
}

/* Writers in parallel, each overwriting its key: all data lands intact. */
static void ks3_obj_async_concurrent_test(struct kunit *test)
{
	struct ks3_obj_writer_thread *t;
	DECLARE_COMPLETION_ONSTACK(go);
	struct ks3_obj_env env;
	struct ks3_object *obj;
	char key[16];
	int i;

	/* Slower than the writers: their writes queue up together. */
	ks3_obj_setup_async(test, &env, 50000);
	t = kunit_kcalloc(test, ASYNC_WRITERS, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	for (i = 0; i < ASYNC_WRITERS; i++) {
		t[i].s = env.s;
		t[i].go = &go;
		t[i].id = i;
		init_completion(&t[i].done);
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(ks3_obj_writer_fn,
							    &t[i], "ks3w%d",
							    i)));
	}
	complete_all(&go);
	for (i = 0; i < ASYNC_WRITERS; i++) {
		wait_for_completion(&t[i].done);
		KUNIT_EXPECT_EQ(test, t[i].err, 0);
	}
	for (i = 0; i < ASYNC_WRITERS; i++) {
		u32 seed = ks3_obj_thread_seed(i, ASYNC_PUTS - 1);

		snprintf(key, sizeof(key), "w%d", i);
		obj = ks3_obj_get(test, env.s, key);
		KUNIT_EXPECT_EQ(test, obj->size,
				ks3_obj_thread_size(i, ASYNC_PUTS - 1));
		KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, seed), 0);
		ks3_object_put(env.s, obj);
	}
	kunit_info(test, "async data writes: at most %d in flight with %d writers\n",
		   atomic_read(&env.m->async_max_inflight), ASYNC_WRITERS);
	KUNIT_EXPECT_GE(test, atomic_read(&env.m->async_max_inflight), 2);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

/* MD5 of @len pattern bytes (@seed) from offset 0, hashed in big pieces. */
static void ks3_obj_md5_fast(struct kunit *test, struct ks3_store *s, u64 len,
			     u32 seed, u8 *out)
{
	SHASH_DESC_ON_STACK(d, s->md5);
	u64 off = 0, i;
	u8 *buf;

	buf = kunit_kmalloc(test, 65536, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	d->tfm = s->md5;
	KUNIT_ASSERT_EQ(test, crypto_shash_init(d), 0);
	while (off < len) {
		size_t n = min_t(u64, 65536, len - off);

		for (i = 0; i < n; i++)
			buf[i] = ks3_test_byte(seed, off + i);
		KUNIT_ASSERT_EQ(test, crypto_shash_update(d, buf, n), 0);
		off += n;
	}
	KUNIT_ASSERT_EQ(test, crypto_shash_final(d, out), 0);
}

/*
 * Hashing runs after the data is handed over, in a work item: whatever
 * the size hint (right, too small so that a buffer starts inside a chunk,
 * too large, none) and however the data is cut, the ETag is the MD5 of
 * the data and every chunk's crc32c checks on read.
 */
static void ks3_obj_hash_hint_test(struct kunit *test)
{
	static const struct {
		u64 size, hint;
		size_t piece;
	} cases[] = {
		{ (2 << 20) + 3, (2 << 20) + 3, 65536 },
		{ (2 << 20) + 4097, 100000, 7000 },	/* hint too small */
		{ (3 << 20) - 5, (8 << 20), 262144 },	/* hint too large */
		{ 5 << 20, 0, 333333 },			/* no hint */
		{ 1, 1, 1 },
	};
	struct ks3_object_writer *w;
	struct ks3_object_info info;
	struct ks3_obj_env env;
	struct ks3_object *obj;
	u8 md5[16], *buf;
	u64 off, j;
	char key[16];
	int i, async;

	buf = kunit_kmalloc(test, 333333, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (async = 0; async < 2; async++) {
		if (async)
			ks3_obj_setup_async(test, &env, 1000);
		else
			ks3_obj_setup(test, &env);
		for (i = 0; i < ARRAY_SIZE(cases); i++) {
			u32 seed = 40 + i;

			snprintf(key, sizeof(key), "h%d", i);
			KUNIT_ASSERT_EQ(test,
					ks3_object_write_begin(env.s, "data", 4,
							       key, strlen(key),
							       cases[i].hint,
							       &w), 0);
			for (off = 0; off < cases[i].size; off += j) {
				size_t n = min_t(u64, cases[i].piece,
						 cases[i].size - off);

				for (j = 0; j < n; j++)
					buf[j] = ks3_test_byte(seed, off + j);
				KUNIT_ASSERT_EQ(test,
						ks3_object_write(w, buf, n), 0);
			}
			KUNIT_ASSERT_EQ(test,
					ks3_object_write_commit(w, NULL, 0,
								NULL, &info),
					0);
			ks3_obj_md5_fast(test, env.s, cases[i].size, seed,
					 md5);
			KUNIT_EXPECT_EQ_MSG(test, memcmp(info.etag, md5, 16), 0,
					    "case %d async %d", i, async);
			obj = ks3_obj_get(test, env.s, key);
			KUNIT_EXPECT_EQ(test, obj->size, cases[i].size);
			KUNIT_EXPECT_EQ(test, obj->seg[0].nr_chunks,
					(u32)DIV_ROUND_UP(cases[i].size,
							  KS3_CHUNK_SIZE));
			KUNIT_EXPECT_EQ_MSG(test,
					    ks3_test_check_data(env.s, obj,
								seed),
					    0, "case %d async %d", i, async);
			ks3_object_put(env.s, obj);
		}
		/* Every object reads back with its crcs checking. */
		KUNIT_EXPECT_EQ(test, ks3_test_read_all(env.s), 0);
		ks3_obj_check_space(test, env.s);
		ks3_obj_teardown(&env);
	}
}

/*
 * Writer buffers come from the store's pool: once a put has filled it,
 * further puts, small or large, allocate no buffer; a small object that
 * finds the pool empty gets a buffer of its size, which is not kept.
 */
static void ks3_obj_wbuf_pool_test(struct kunit *test)
{
	struct ks3_obj_env env;
	u64 allocs;
	int i;

	ks3_obj_setup_async(test, &env, 1000);
	KUNIT_EXPECT_EQ(test, atomic64_read(&env.s->wbufs.nr_allocs), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "tiny", 4096, 1), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&env.s->wbufs.nr_allocs), 1);
	KUNIT_EXPECT_EQ(test, env.s->wbufs.nr_idle, 0U);

	KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "big", 5 << 20, 2),
			0);
	allocs = atomic64_read(&env.s->wbufs.nr_allocs);
	KUNIT_EXPECT_LE(test, allocs, 1ULL + KS3_WRITE_BUFS);
	KUNIT_EXPECT_EQ(test, env.s->wbufs.nr_idle, (unsigned int)allocs - 1);
	for (i = 0; i < 8; i++) {
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "tiny", 4096,
						   3 + i), 0);
		KUNIT_ASSERT_EQ(test, ks3_test_put(env.s, "data", "big",
						   (3 << 20) + i * 1000, 3 + i),
				0);
	}
	KUNIT_EXPECT_EQ(test, atomic64_read(&env.s->wbufs.nr_allocs), allocs);
	KUNIT_EXPECT_EQ(test, ks3_test_read_all(env.s), 0);
	ks3_obj_check_space(test, env.s);
	ks3_obj_teardown(&env);
}

struct ks3_obj_reclaim_put {
	struct work_struct work;
	struct ks3_store *s;
	int err;
};

static void ks3_obj_reclaim_put_fn(struct work_struct *work)
{
	struct ks3_obj_reclaim_put *p = container_of(work, typeof(*p), work);

	p->err = ks3_test_put(p->s, "data", "wq", (2 << 20) + 5, 77);
}

/*
 * Connections put from a WQ_MEM_RECLAIM workqueue: waiting for the
 * hashing there must not depend on a queue without a rescuer (the
 * workqueue code WARNs, which fails the run).
 */
static void ks3_obj_put_from_reclaim_wq_test(struct kunit *test)
{
	struct ks3_obj_reclaim_put p = { };
	struct workqueue_struct *wq;
	struct ks3_obj_env env;
	struct ks3_object *obj;

	wq = alloc_workqueue("ks3_test_reclaim", WQ_MEM_RECLAIM, 0);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	ks3_obj_setup_async(test, &env, 1000);
	p.s = env.s;
	INIT_WORK(&p.work, ks3_obj_reclaim_put_fn);
	queue_work(wq, &p.work);
	flush_work(&p.work);
	destroy_workqueue(wq);
	KUNIT_EXPECT_EQ(test, p.err, 0);
	obj = ks3_obj_get(test, env.s, "wq");
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(env.s, obj, 77), 0);
	ks3_object_put(env.s, obj);
	ks3_obj_teardown(&env);
}

static struct kunit_case ks3_obj_cases[] = {
	KUNIT_CASE(ks3_obj_small_test),
	KUNIT_CASE(ks3_obj_large_test),
	KUNIT_CASE(ks3_obj_replace_test),
	KUNIT_CASE(ks3_obj_persist_test),
	KUNIT_CASE(ks3_obj_corrupt_test),
	KUNIT_CASE(ks3_obj_quota_test),
	KUNIT_CASE(ks3_obj_precondition_test),
	KUNIT_CASE(ks3_obj_multipart_test),
	KUNIT_CASE(ks3_obj_enospc_test),
	KUNIT_CASE(ks3_obj_list_while_writing_test),
	KUNIT_CASE(ks3_obj_async_many_test),
	KUNIT_CASE(ks3_obj_async_overlap_test),
	KUNIT_CASE(ks3_obj_async_error_test),
	KUNIT_CASE(ks3_obj_async_concurrent_test),
	KUNIT_CASE(ks3_obj_hash_hint_test),
	KUNIT_CASE(ks3_obj_wbuf_pool_test),
	KUNIT_CASE(ks3_obj_put_from_reclaim_wq_test),
	{}
};

static struct kunit_suite ks3_obj_suite = {
	.name = "ks3_object",
	.test_cases = ks3_obj_cases,
};

kunit_test_suite(ks3_obj_suite);
