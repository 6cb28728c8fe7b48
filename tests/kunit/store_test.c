// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a whole store on a memory device: format, attach refusals, state
 * that survives detach, replay without a checkpoint, checkpoints, the
 * read-only switch on a metadata I/O error, group commit, and faults:
 * damaged journal records, superblock copies that repair each other, a
 * journal write that fails (and lands), out of memory while applying,
 * checkpointing and attaching.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "memdev.h"
#include "storage/record.h"
#include "storage/store.h"
#include "store_util.h"

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

/* ---- faults ---- */

/* The device block where journal record @seq starts; 0 if none. */
static u64 ks3_test_jrec_block(struct ks3_memdev *m, u64 seq)
{
	const struct ks3_disk_super *sb = (const void *)m->blocks[0];
	u64 jstart = le64_to_cpu(sb->journal_start);
	u64 jblocks = le64_to_cpu(sb->journal_blocks);
	u64 pos = le64_to_cpu(sb->replay_block), n;
	const struct ks3_disk_jrec *rec;

	for (n = 0; n < jblocks; n++) {
		rec = (const void *)m->blocks[jstart + pos];
		if (!rec || le32_to_cpu(rec->magic) != KS3_JREC_MAGIC)
			return 0;
		if (le64_to_cpu(rec->seq) == seq)
			return jstart + pos;
		pos = (pos + ks3_jrec_blocks(le32_to_cpu(rec->payload_len))) %
		      jblocks;
	}
	return 0;
}

/* Whether a write to @block was recorded, from write @from on. */
static bool ks3_test_written(struct ks3_memdev *m, size_t from, u64 block)
{
	size_t i;

	for (i = from; i < m->nr_log; i++)
		if (m->log[i].block == block)
			return true;
	return false;
}

static void ks3_test_fault(struct ks3_memdev *m, enum ks3_fault f, int after)
{
	atomic_set(&m->dev.fault_after[f], after);
}

/* Six buckets, one record each (1..6), left in the journal alone. */
static struct ks3_memdev *ks3_test_six_records(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS);
	struct ks3_store *s = ks3_test_attach(test, m);
	char name[16];
	int i;

	for (i = 1; i <= 6; i++) {
		snprintf(name, sizeof(name), "bucket-%d", i);
		KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, name, strlen(name),
							1), 0);
	}
	ks3_store_detach_nocheckpoint(s);
	return m;
}

/*
 * A copy of @m with byte @off of record @seq xored with @bits, attached:
 * the store, or the error with *@why.
 */
static struct ks3_store *ks3_test_attach_flipped(struct kunit *test,
						 struct ks3_memdev *m,
						 struct ks3_memdev **copy,
						 u64 seq, size_t off, u8 bits,
						 const char **why)
{
	u64 block = ks3_test_jrec_block(m, seq);

	KUNIT_ASSERT_NE(test, block, 0ULL);
	*copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, *copy);
	(*copy)->blocks[block][off] ^= bits;
	KUNIT_ASSERT_EQ(test, ks3_memdev_record(*copy, 64), 0);
	return ks3_store_attach(&(*copy)->dev, why);
}

static const char ks3_test_damaged_why[] =
	"a journal record is damaged but the record after it is valid";

/*
 * One flipped bit in a record: in the last one it is a torn tail, and
 * replay ends before it; in a middle one (payload, magic, sequence or
 * length) attach refuses, says so as fsck does, and writes nothing.
 */
static void ks3_store_journal_damage_test(struct kunit *test)
{
	static const struct {
		size_t off;
		u8 bits;
		const char *what;
	} flips[] = {
		{ sizeof(struct ks3_disk_jrec) + 2, 0x10, "payload" },
		{ 0, 0x01, "magic" },
		{ 8, 0x02, "sequence" },
		{ 16, 0x40, "payload length" },
	};
	struct ks3_memdev *m = ks3_test_six_records(test), *copy;
	struct ks3_store *s;
	const char *why;
	size_t i;

	/* The last record torn: five buckets, and a store that goes on. */
	s = ks3_test_attach_flipped(test, m, &copy, 6, flips[0].off,
				    flips[0].bits, &why);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(s), "attach: %ld (%s)",
			       PTR_ERR(s), why ?: "-");
	KUNIT_EXPECT_NOT_NULL(test, ks3_bucket_find(s, "bucket-5", 8));
	KUNIT_EXPECT_NULL(test, ks3_bucket_find(s, "bucket-6", 8));
	KUNIT_EXPECT_EQ(test, s->journal.next_seq, 6ULL);
	ks3_store_detach_nocheckpoint(s);
	ks3_memdev_destroy(copy);

	for (i = 0; i < ARRAY_SIZE(flips); i++) {
		s = ks3_test_attach_flipped(test, m, &copy, 3, flips[i].off,
					    flips[i].bits, &why);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(s), (long)-EUCLEAN,
				    "record 3, %s", flips[i].what);
		if (!IS_ERR(s))
			ks3_store_detach_nocheckpoint(s);
		else
			KUNIT_EXPECT_STREQ(test, why, ks3_test_damaged_why);
		KUNIT_EXPECT_EQ(test, copy->nr_log, (size_t)0);
		ks3_memdev_destroy(copy);
	}

	/* A refused attach does not repair a superblock copy either. */
	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	copy->blocks[1][100] ^= 0x80;
	copy->blocks[ks3_test_jrec_block(m, 2)][flips[0].off] ^= 1;
	KUNIT_ASSERT_EQ(test, ks3_memdev_record(copy, 64), 0);
	s = ks3_store_attach(&copy->dev, &why);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), (long)-EUCLEAN);
	KUNIT_EXPECT_EQ(test, copy->nr_log, (size_t)0);
	ks3_memdev_destroy(copy);
	ks3_memdev_destroy(m);
}

/*
 * Superblock copies: each is read alone (an I/O error on one leaves the
 * other), and attach rewrites one that is unreadable, damaged or stale,
 * but never on a store it attaches read-only.
 */
static void ks3_store_super_repair_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS);
	struct ks3_disk_super *sb;
	struct ks3_store *s;
	const char *why;
	size_t logged;
	u8 *stale;

	/* Copy 0 unreadable: attach from copy 1, and copy 0 is rewritten. */
	m->bad_start = 0;
	m->bad_blocks = 1;
	m->bad_ops = BIT(KS3_IO_READ);
	KUNIT_ASSERT_EQ(test, ks3_memdev_record(m, 1024), 0);
	s = ks3_test_attach(test, m);
	KUNIT_EXPECT_TRUE(test, ks3_test_written(m, 0, 0));
	KUNIT_EXPECT_FALSE(test, ks3_test_written(m, 0, 1));
	KUNIT_EXPECT_FALSE(test, s->read_only);
	ks3_store_detach(s);

	/* Neither readable: an I/O error, not "not ks3". */
	m->bad_blocks = 2;
	s = ks3_store_attach(&m->dev, &why);
	KUNIT_EXPECT_EQ(test, PTR_ERR(s), (long)-EIO);
	m->bad_blocks = 0;

	/* Copy 1 damaged: rewritten as copy 0. */
	m->blocks[1][40] ^= 0x04;
	s = ks3_test_attach(test, m);
	KUNIT_EXPECT_EQ(test, memcmp(m->blocks[0], m->blocks[1],
				     KS3_BLOCK_SIZE), 0);
	/* Copy 1 stale: the older generation a cut can leave. */
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "kept", 4, 1), 0);
	stale = kmemdup(m->blocks[1], KS3_BLOCK_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, stale);
	ks3_store_detach(s);	/* checkpoint: both copies switch */
	KUNIT_ASSERT_EQ(test, ks3_memdev_write_block(m, 1, stale,
						     KS3_BLOCK_SIZE), 0);
	kfree(stale);
	s = ks3_test_attach(test, m);
	KUNIT_EXPECT_EQ(test, memcmp(m->blocks[0], m->blocks[1],
				     KS3_BLOCK_SIZE), 0);
	ks3_store_detach(s);
	/* Now copy 1 alone brings the store back. */
	m->blocks[0][40] ^= 0x04;
	s = ks3_test_attach(test, m);
	KUNIT_EXPECT_NOT_NULL(test, ks3_bucket_find(s, "kept", 4));
	KUNIT_EXPECT_EQ(test, memcmp(m->blocks[0], m->blocks[1],
				     KS3_BLOCK_SIZE), 0);
	ks3_store_detach(s);

	/* Attached read-only (unknown ro_compat feature): nothing written. */
	sb = (struct ks3_disk_super *)m->blocks[0];
	sb->feature_ro_compat = cpu_to_le32(BIT(31));
	ks3_super_seal(sb);
	m->blocks[1][40] ^= 0x04;
	logged = m->nr_log;
	s = ks3_test_attach(test, m);
	KUNIT_EXPECT_TRUE(test, s->read_only);
	ks3_store_detach(s);
	KUNIT_EXPECT_EQ(test, m->nr_log, logged);
	ks3_memdev_destroy(m);
}

/*
 * A journal write that fails may have landed: the batch's blocks stay
 * allocated, the store turns read-only, a writer in flight writes no more
 * data, and the next attach finds the object whole if the record landed.
 */
static void ks3_store_journal_write_error_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS * 4), *copy;
	struct ks3_store *s = ks3_test_attach(test, m), *s2;
	struct ks3_object_writer *w;
	struct ks3_object *obj;
	u64 free_before;
	u8 *buf;

	buf = vzalloc(KS3_CHUNK_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "data", 4, 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put(s, "data", "a", 9000, 1), 0);
	/* A writer in flight, its first MiB written. */
	KUNIT_ASSERT_EQ(test, ks3_object_write_begin(s, "data", 4, "w", 1, 0,
						     &w), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_write(w, buf, KS3_CHUNK_SIZE), 0);

	/* The journal write of "b" lands, and the device reports -EIO. */
	m->bad_start = s->layout.journal_start;
	m->bad_blocks = s->layout.journal_blocks;
	m->bad_ops = BIT(KS3_IO_WRITE);
	m->bad_lands = true;
	free_before = ks3_alloc_free_blocks(&s->alloc);
	KUNIT_EXPECT_EQ(test, ks3_test_put(s, "data", "b", 9000, 2), -EIO);
	KUNIT_EXPECT_TRUE(test, s->read_only);
	KUNIT_EXPECT_STREQ(test, s->ro_reason, "journal write failed");
	/* Its 3 blocks are not free: the record may be on the device. */
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s->alloc),
			free_before - 3);
	KUNIT_EXPECT_EQ(test, PTR_ERR(ks3_object_get(s, "data", 4, "b", 1)),
			(long)-ENOENT);
	/* No new data: not from the writer in flight, not from a new one. */
	KUNIT_EXPECT_EQ(test, ks3_object_write(w, buf, KS3_CHUNK_SIZE),
			-EROFS);
	ks3_object_write_abort(w);
	KUNIT_EXPECT_EQ(test, ks3_test_put(s, "data", "c", 100, 3), -EROFS);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s->alloc),
			s->layout.data_blocks - ks3_test_used_blocks(s) - 3);

	/* The record landed: the next attach has "b", whole. */
	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_test_attach(test, copy);
	obj = ks3_object_get(s2, "data", 4, "b", 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(s2, obj, 2), 0);
	ks3_object_put(s2, obj);
	KUNIT_EXPECT_EQ(test, ks3_test_read_all(s2), 0);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s2->alloc),
			s2->layout.data_blocks - ks3_test_used_blocks(s2));
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
	vfree(buf);
}

/*
 * Out of memory applying a record that is already durable: the store
 * goes read-only (no WARN: not a bug), the caller gets -ENOMEM, the
 * object's blocks stay allocated, and the next attach has the change.
 */
static void ks3_store_apply_nomem_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS), *copy;
	struct ks3_store *s = ks3_test_attach(test, m), *s2;
	struct ks3_object *obj;
	u64 free_before;

	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "data", 4, 1), 0);
	free_before = ks3_alloc_free_blocks(&s->alloc);
	ks3_test_fault(m, KS3_FAULT_APPLY_NOMEM, 0);
	KUNIT_EXPECT_EQ(test, ks3_test_put(s, "data", "a", 9000, 1), -ENOMEM);
	ks3_test_fault(m, KS3_FAULT_APPLY_NOMEM, -1);
	KUNIT_EXPECT_TRUE(test, s->read_only);
	KUNIT_EXPECT_STREQ(test, s->ro_reason,
			   "out of memory applying a committed change");
	KUNIT_EXPECT_EQ(test, PTR_ERR(ks3_object_get(s, "data", 4, "a", 1)),
			(long)-ENOENT);
	KUNIT_EXPECT_EQ(test, ks3_alloc_free_blocks(&s->alloc),
			free_before - 3);
	KUNIT_EXPECT_EQ(test, ks3_bucket_create(s, "more", 4, 1), -EROFS);

	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_test_attach(test, copy);
	obj = ks3_object_get(s2, "data", 4, "a", 1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(obj));
	KUNIT_EXPECT_EQ(test, ks3_test_check_data(s2, obj, 1), 0);
	ks3_object_put(s2, obj);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

/* Commits until the next record would take the journal past half. */
static void ks3_test_fill_half(struct kunit *test, struct ks3_store *s)
{
	char value[24];
	int i = 0;

	while (s->journal.used + 1 <= s->layout.journal_blocks / 2) {
		snprintf(value, sizeof(value), "fill-%d", i++);
		KUNIT_ASSERT_EQ(test, ks3_setting_set(s, "region", value), 0);
	}
}

/*
 * Out of memory building a checkpoint, at each allocation it makes: the
 * commit goes on without it while the journal has room and the next one
 * retries; with no room left the commit fails with -ENOMEM. Never
 * read-only, and nothing is lost.
 */
static void ks3_store_checkpoint_nomem_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS), *copy;
	struct ks3_store *s = ks3_test_attach(test, m), *s2;
	u64 ckpts, jblocks = s->layout.journal_blocks;
	int n, hits = 0, ret = 0;
	u64 i;

	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "data", 4, 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put(s, "data", "a", 9000, 1), 0);
	for (n = 0; n < 16; n++) {
		ks3_test_fill_half(test, s);
		ckpts = s->journal.nr_checkpoints;
		ks3_test_fault(m, KS3_FAULT_CKPT_NOMEM, n);
		KUNIT_EXPECT_EQ(test, ks3_setting_set(s, "region", "x"), 0);
		ks3_test_fault(m, KS3_FAULT_CKPT_NOMEM, -1);
		KUNIT_EXPECT_FALSE(test, s->read_only);
		if (s->journal.nr_checkpoints != ckpts)
			break;		/* past the last allocation */
		hits++;
		KUNIT_EXPECT_GT(test, s->journal.used, jblocks / 2);
		KUNIT_EXPECT_EQ(test, ks3_setting_set(s, "region", "y"), 0);
		KUNIT_EXPECT_EQ(test, s->journal.nr_checkpoints, ckpts + 1);
	}
	/* The scratch buffers of both passes and the image itself. */
	KUNIT_EXPECT_GE(test, hits, 3);

	/* No memory for long: the journal fills, then commits fail. */
	ks3_test_fill_half(test, s);
	ckpts = s->journal.nr_checkpoints;
	ks3_test_fault(m, KS3_FAULT_CKPT_NOMEM, 0);
	for (i = 0; i < jblocks && !ret; i++)
		ret = ks3_setting_set(s, "region", i % 2 ? "odd" : "even");
	KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
	KUNIT_EXPECT_LE(test, s->journal.used, jblocks);
	KUNIT_EXPECT_GT(test, s->journal.used + 1, jblocks);
	KUNIT_EXPECT_FALSE(test, s->read_only);
	ks3_test_fault(m, KS3_FAULT_CKPT_NOMEM, -1);
	KUNIT_EXPECT_EQ(test, ks3_setting_set(s, "region", "later"), 0);
	KUNIT_EXPECT_EQ(test, s->journal.nr_checkpoints, ckpts + 1);

	copy = ks3_memdev_clone(m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_test_attach(test, copy);
	KUNIT_EXPECT_TRUE(test, ks3_test_same_state(test, s, s2));
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

/*
 * Out of memory at every point of an attach that loads a checkpoint and
 * replays records after it: each attach fails with -ENOMEM, never as
 * damage, writes nothing, and the first one with enough memory has it all.
 */
static void ks3_store_attach_nomem_test(struct kunit *test)
{
	struct ks3_memdev *m = ks3_test_formatted(test, TEST_BLOCKS);
	struct ks3_store *s = ks3_test_attach(test, m);
	void *want, *got;
	size_t want_len, got_len;
	const char *why;
	int n;

	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "data", 4, 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_test_put(s, "data", "a", 9000, 1), 0);
	ks3_test_workload(test, s, 4);
	ks3_store_detach(s);		/* a checkpoint ... */
	s = ks3_test_attach(test, m);
	KUNIT_ASSERT_EQ(test, ks3_test_put(s, "data", "b", 5000, 2), 0);
	KUNIT_ASSERT_EQ(test, ks3_object_delete(s, "data", 4, "a", 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "more", 4, 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_setting_set(s, "region", "after"), 0);
	KUNIT_ASSERT_EQ(test, ks3_meta_dump(s, &want, &want_len), 0);
	ks3_store_detach_nocheckpoint(s);	/* ... and records after it */

	KUNIT_ASSERT_EQ(test, ks3_memdev_record(m, 64), 0);
	for (n = 0; n < 1000; n++) {
		ks3_test_fault(m, KS3_FAULT_APPLY_NOMEM, n);
		s = ks3_store_attach(&m->dev, &why);
		if (!IS_ERR(s))
			break;
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(s), (long)-ENOMEM,
				    "operation %d: %s", n, why ?: "-");
		KUNIT_EXPECT_NOT_NULL(test, why ? strstr(why, "out of memory") :
				      NULL);
	}
	ks3_test_fault(m, KS3_FAULT_APPLY_NOMEM, -1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	kunit_info(test, "attach failed for lack of memory at %d points\n", n);
	KUNIT_EXPECT_GT(test, n, 10);
	KUNIT_EXPECT_GT(test, s->journal.used, 0ULL);
	KUNIT_EXPECT_EQ(test, m->nr_log, (size_t)0);
	KUNIT_ASSERT_EQ(test, ks3_meta_dump(s, &got, &got_len), 0);
	KUNIT_EXPECT_TRUE(test, got_len == want_len &&
			  !memcmp(got, want, want_len));
	vfree(got);
	vfree(want);
	ks3_store_detach_nocheckpoint(s);
	ks3_memdev_destroy(m);
}

static struct kunit_case ks3_store_cases[] = {
	KUNIT_CASE(ks3_store_empty_test),
	KUNIT_CASE(ks3_store_refusals_test),
	KUNIT_CASE(ks3_store_persist_test),
	KUNIT_CASE(ks3_store_checkpoint_test),
	KUNIT_CASE(ks3_store_io_error_test),
	KUNIT_CASE(ks3_store_group_commit_test),
	KUNIT_CASE(ks3_store_journal_damage_test),
	KUNIT_CASE(ks3_store_super_repair_test),
	KUNIT_CASE(ks3_store_journal_write_error_test),
	KUNIT_CASE(ks3_store_apply_nomem_test),
	KUNIT_CASE(ks3_store_checkpoint_nomem_test),
	KUNIT_CASE(ks3_store_attach_nomem_test),
	{}
};

static struct kunit_suite ks3_store_suite = {
	.name = "ks3_store",
	.test_cases = ks3_store_cases,
};

kunit_test_suite(ks3_store_suite);
