// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a whole store on a memory device: format, attach refusals, state
 * that survives detach, replay without a checkpoint, checkpoints, the
 * read-only switch on a metadata I/O error, and group commit.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "memdev.h"
#include "storage/store.h"

#define TEST_BLOCKS	2048	/* 8 MiB: journal 256 blocks */

static const u8 ks3_test_uuid[16] = "ks3-kunit-uuid!";

static struct ks3_memdev *ks3_test_formatted(struct kunit *test, u64 blocks)
{
	struct ks3_memdev *m = ks3_memdev_create(blocks);

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&m->dev, ks3_test_uuid, 1), 0);
	return m;
}

static struct ks3_store *ks3_test_attach(struct kunit *test,
					 struct ks3_memdev *m)
{
	const char *why;
	struct ks3_store *s = ks3_store_attach(&m->dev, &why);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(s), "attach: %ld (%s)",
			       PTR_ERR(s), why ?: "-");
	return s;
}

/* True when the committed states of @a and @b encode identically. */
static bool ks3_test_same_state(struct kunit *test, struct ks3_store *a,
				struct ks3_store *b)
{
	void *da, *db;
	size_t la, lb;
	bool same;

	KUNIT_ASSERT_EQ(test, ks3_meta_dump(a, &da, &la), 0);
	KUNIT_ASSERT_EQ(test, ks3_meta_dump(b, &db, &lb), 0);
	same = la == lb && !memcmp(da, db, la);
	vfree(da);
	vfree(db);
	return same;
}

static void ks3_store_empty_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS);
	struct ks3_store *s = ks3_test_attach(test, m);

	KUNIT_EXPECT_FALSE(test, s->read_only);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s->alloc),
			s->layout.data_blocks);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&s->buckets));
	ks3_store_detach(s);
	s = ks3_test_attach(test, m);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

static void ks3_store_refusals_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_memdev_create(TEST_BLOCKS), *small;
	struct ks3_disk_super *sb;
	struct ks3_store *s;
	const char *why;

	KUNIT_ASSERT_NOT_NULL(test, m);
	/* A blank device: not ks3. */
	s = ks3_store_attach(&m->dev, &why);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), -ENODATA);
	KUNIT_EXPECT_STREQ(test, why, "no ks3 superblock");

	/* Too small to format. */
	small = ks3_memdev_create(KS3_MIN_BLOCKS - 1);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_EXPECT_EQ(test, ks3_store_format(&small->dev, ks3_test_uuid, 1),
			-ENOSPC);
	ks3_memdev_destroy(small);

	/* Truncated: a copy of the store on a smaller device. */
	KUNIT_ASSERT_EQ(test, ks3_store_format(&m->dev, ks3_test_uuid, 1), 0);
	small = ks3_memdev_create(TEST_BLOCKS - 1);
	KUNIT_ASSERT_NOT_NULL(test, small);
	KUNIT_ASSERT_EQ(test, ks3_memdev_write_block(small, 0, m->blocks[0],
						     KS3_BLOCK_SIZE), 0);
	KUNIT_ASSERT_EQ(test, ks3_memdev_write_block(small, 1, m->blocks[1],
						     KS3_BLOCK_SIZE), 0);
	s = ks3_store_attach(&small->dev, &why);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), -ENOSPC);
	ks3_memdev_destroy(small);

	/* A newer format version: refused, and nothing is written. */
	sb = (struct ks3_disk_super *)m->blocks[0];
	sb->version = cpu_to_le32(KS3_FORMAT_VERSION + 1);
	KUNIT_ASSERT_EQ(test, ks3_memdev_record(m, 16), 0);
	s = ks3_store_attach(&m->dev, &why);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, m->nr_log, (size_t)0);

	/* One torn superblock copy: the other one is used. */
	sb->version = cpu_to_le32(KS3_FORMAT_VERSION);
	sb->generation = cpu_to_le64(77);	/* crc no longer matches */
	s = ks3_test_attach(test, m);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

/* A handful of admin changes of every kind. */
static void ks3_test_workload(struct kunit *test, struct ks3_store *s,
			      int n)
{
	char name[32];
	struct ks3_key k;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "bucket-%03d", i);
		KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, name, strlen(name),
							1), 0);
		KUNIT_ASSERT_EQ(test, ks3_key_create(s, name, strlen(name), &k),
				0);
		KUNIT_ASSERT_EQ(test, ks3_key_grant(s, k.access_key, name,
						    strlen(name),
						    KS3_CAP_READ | KS3_CAP_LIST),
				0);
		if (i % 3 == 0)
			KUNIT_ASSERT_EQ(test, ks3_bucket_delete(s, name,
								strlen(name)),
					0);
		if (i % 5 == 0)
			KUNIT_ASSERT_EQ(test, ks3_setting_set(s, "region",
							      name), 0);
	}
}

static void ks3_store_persist_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS), *copy;
	struct ks3_store *s = ks3_test_attach(test, m), *s2;
	char value[64];
	struct ks3_key k;

	KUNIT_ASSERT_EQ(test, ks3_key_create(s, "alice", 5, &k), 0);
	KUNIT_EXPECT_EQ(test, strlen(k.access_key), (size_t)KS3_ACCESS_KEY_LEN);
	KUNIT_EXPECT_EQ(test, strlen(k.secret_key), (size_t)KS3_SECRET_KEY_LEN);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "photos", 6, k.id), 0);
	KUNIT_EXPECT_EQ(test, ks3_bucket_create(s, "photos", 6, k.id),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, ks3_bucket_create(s, "Bad_Name", 8, k.id),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, ks3_key_grant(s, k.access_key, "photos", 6,
					    KS3_CAP_ALL), 0);
	KUNIT_EXPECT_EQ(test, ks3_key_grant(s, k.access_key, "nope", 4,
					    KS3_CAP_READ), -ENOENT);
	KUNIT_ASSERT_EQ(test, ks3_setting_set(s, "region", "eu-west-1"), 0);
	KUNIT_EXPECT_EQ(test, ks3_setting_set(s, "colour", "red"), -ENOENT);
	KUNIT_ASSERT_EQ(test, ks3_bucket_set_quota(s, "photos", 6, 1 << 20,
						   10), 0);

	/* Without a detach: the journal alone must bring it all back. */
	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_test_attach(test, copy);
	KUNIT_EXPECT_TRUE(test, ks3_test_same_state(test, s, s2));
	KUNIT_EXPECT_EQ(test, s2->journal.nr_checkpoints, 0ULL);
	KUNIT_EXPECT_EQ(test, ks3_setting_get(s2, "region", value,
					      sizeof(value)), 0);
	KUNIT_EXPECT_STREQ(test, value, "eu-west-1");
	KUNIT_EXPECT_EQ(test, ks3_bucket_find(s2, "photos", 6)->quota_objects,
			10ULL);
	KUNIT_EXPECT_EQ(test, ks3_key_caps(s2, ks3_key_find(s2, k.access_key),
					   ks3_bucket_find(s2, "photos", 6)->id),
			KS3_CAP_ALL);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);

	/* Deleting: only an empty bucket, and the grant goes with it. */
	KUNIT_EXPECT_EQ(test, ks3_bucket_delete(s, "nope", 4), -ENOENT);
	KUNIT_ASSERT_EQ(test, ks3_bucket_delete(s, "photos", 6), 0);
	KUNIT_EXPECT_NULL(test, xa_load(&ks3_key_find(s, k.access_key)->grants,
					1));
	KUNIT_ASSERT_EQ(test, ks3_key_delete(s, k.access_key), 0);
	KUNIT_EXPECT_EQ(test, ks3_key_delete(s, k.access_key), -ENOENT);

	/* After a clean detach (checkpoint), the same again. */
	ks3_store_detach(s);
	s = ks3_test_attach(test, m);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&s->buckets));
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_ROOT(&s->keys));
	KUNIT_EXPECT_EQ(test, ks3_setting_get(s, "region", value,
					      sizeof(value)), 0);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

/* Enough commits to pass half the journal several times. */
static void ks3_store_checkpoint_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS), *copy;
	struct ks3_store *s = ks3_test_attach(test, m), *s2;

	ks3_test_workload(test, s, 120);
	KUNIT_EXPECT_GE(test, s->journal.nr_checkpoints, 2ULL);
	KUNIT_EXPECT_LE(test, s->journal.used, s->layout.journal_blocks / 2);
	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_test_attach(test, copy);
	KUNIT_EXPECT_TRUE(test, ks3_test_same_state(test, s, s2));
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

static void ks3_store_io_error_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS), *copy;
	struct ks3_store *s = ks3_test_attach(test, m), *s2;

	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "kept", 4, 1), 0);
	m->fail_from = 1;
	KUNIT_EXPECT_EQ(test, ks3_bucket_create(s, "lost", 4, 1), -EIO);
	KUNIT_EXPECT_TRUE(test, s->read_only);
	KUNIT_EXPECT_STREQ(test, s->ro_reason, "journal write failed");
	KUNIT_EXPECT_NULL(test, ks3_bucket_find(s, "lost", 4));
	KUNIT_EXPECT_EQ(test, ks3_bucket_create(s, "later", 5, 1), -EROFS);
	/* Reads go on. */
	KUNIT_EXPECT_NOT_NULL(test, ks3_bucket_find(s, "kept", 4));

	m->fail_from = 0;
	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_test_attach(test, copy);
	KUNIT_EXPECT_NOT_NULL(test, ks3_bucket_find(s2, "kept", 4));
	KUNIT_EXPECT_NULL(test, ks3_bucket_find(s2, "lost", 4));
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

struct ks3_gc_worker {
	struct ks3_store *s;
	struct completion *go;		/* all start together */
	struct completion done;
	int err;
	int id;
};

#define GC_WRITERS	32
#define GC_COMMITS	8

/* Each writer commits its own transactions, as object writers will. */
static int ks3_gc_thread(void *arg)
{
	struct ks3_gc_worker *w = arg;
	struct ks3_op op = { .type = KS3_OP_CONFIG_SET };
	char value[16];
	int i;

	wait_for_completion(w->go);
	for (i = 0; i < GC_COMMITS && !w->err; i++) {
		struct ks3_txn t;

		snprintf(value, sizeof(value), "w%d-%d", w->id, i);
		op.config.name = "region";
		op.config.name_len = 6;
		op.config.value = value;
		op.config.value_len = strlen(value);
		ks3_txn_init(&t);
		w->err = ks3_txn_add(&t, &op);
		if (!w->err) {
			down_write(&w->s->meta_lock);
			ks3_txn_queue(w->s, &t);
			up_write(&w->s->meta_lock);
			w->err = ks3_txn_commit_wait(w->s, &t);
		}
		ks3_txn_release(&t);
	}
	complete(&w->done);
	return 0;
}

static void ks3_store_group_commit_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS * 4);
	struct ks3_store *s = ks3_test_attach(test, m);
	struct ks3_gc_worker *w;
	DECLARE_COMPLETION_ONSTACK(go);
	u64 flushes;
	int i;

	w = kunit_kcalloc(test, GC_WRITERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	/* A flush takes time on a real device; that is what groups form in. */
	m->fua_delay_us = 500;
	flushes = atomic64_read(&m->dev.nr_flushes);
	for (i = 0; i < GC_WRITERS; i++) {
		w[i].s = s;
		w[i].go = &go;
		w[i].id = i;
		init_completion(&w[i].done);
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(ks3_gc_thread,
							    &w[i], "ks3gc%d",
							    i)));
	}
	complete_all(&go);
	for (i = 0; i < GC_WRITERS; i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ(test, w[i].err, 0);
	}
	flushes = atomic64_read(&m->dev.nr_flushes) - flushes;
	kunit_info(test, "group commit: %d writers x %d commits: %llu records, %llu flushes (%llu.%02llu per transaction)\n",
		   GC_WRITERS, GC_COMMITS, s->journal.nr_commits, flushes,
		   flushes / (GC_WRITERS * GC_COMMITS),
		   flushes * 100 / (GC_WRITERS * GC_COMMITS) % 100);
	KUNIT_EXPECT_EQ(test, s->journal.nr_txns,
			(u64)GC_WRITERS * GC_COMMITS);
	/* Concurrent writers must share flushes. */
	KUNIT_EXPECT_LE(test, flushes * 2, (u64)GC_WRITERS * GC_COMMITS);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

static struct kunit_case ks3_store_cases[] = {
	KUNIT_CASE(ks3_store_empty_test),
	KUNIT_CASE(ks3_store_refusals_test),
	KUNIT_CASE(ks3_store_persist_test),
	KUNIT_CASE(ks3_store_checkpoint_test),
	KUNIT_CASE(ks3_store_io_error_test),
	KUNIT_CASE(ks3_store_group_commit_test),
	{}
};

static struct kunit_suite ks3_store_suite = {
	.name = "ks3_store",
	.test_cases = ks3_store_cases,
};

kunit_test_suite(ks3_store_suite);
