// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the admin plane drives, on a memory device: the store's
 * stats snapshot, the bucket/key/grant walks that netlink dumps resume by
 * id, atomic capability and quota changes (no journal write when nothing
 * changes), and the server's detach against requests in flight.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

#include "ks3.h"
#include "memdev.h"
#include "storage/store.h"

#define TEST_BLOCKS	2048

static const u8 ks3_admin_uuid[16] = "ks3-admin-test!";

static struct ks3_store *ks3_admin_store(struct kunit *test,
					 struct ks3_memdev **mp)
{
	struct ks3_memdev *m = ks3_memdev_create(TEST_BLOCKS);
	struct ks3_store *s;
	const char *why;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&m->dev, ks3_admin_uuid, 1), 0);
	s = ks3_store_attach(&m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	*mp = m;
	return s;
}

static void ks3_admin_stats_test(struct kunit *test)
{
	struct ks3_store_stats st;
	struct ks3_memdev *m;
	struct ks3_store *s = ks3_admin_store(test, &m);
	struct ks3_key k;

	ks3_store_stats(s, &st);
	KUNIT_EXPECT_EQ(test, memcmp(st.uuid, ks3_admin_uuid, 16), 0);
	KUNIT_EXPECT_EQ(test, st.total_bytes, (u64)TEST_BLOCKS << 12);
	KUNIT_EXPECT_EQ(test, st.data_bytes, s->layout.data_blocks << 12);
	KUNIT_EXPECT_EQ(test, st.free_bytes, st.data_bytes);
	KUNIT_EXPECT_EQ(test, st.journal_blocks, s->layout.journal_blocks);
	KUNIT_EXPECT_EQ(test, st.journal_used, 0ULL);
	KUNIT_EXPECT_EQ(test, st.nr_buckets, 0U);
	KUNIT_EXPECT_EQ(test, st.nr_keys, 0U);
	KUNIT_EXPECT_FALSE(test, st.read_only);

	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "photos", 6, 0), 0);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "logs", 4, 0), 0);
	KUNIT_ASSERT_EQ(test, ks3_key_create(s, "alice", 5, &k), 0);
	ks3_store_stats(s, &st);
	KUNIT_EXPECT_EQ(test, st.nr_buckets, 2U);
	KUNIT_EXPECT_EQ(test, st.nr_keys, 1U);
	KUNIT_EXPECT_EQ(test, st.nr_commits, 3ULL);
	KUNIT_EXPECT_EQ(test, st.journal_used, 3ULL);

	ks3_store_set_read_only(s, "test says so");
	ks3_store_stats(s, &st);
	KUNIT_EXPECT_TRUE(test, st.read_only);
	KUNIT_EXPECT_STREQ(test, st.ro_reason, "test says so");
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

struct ks3_admin_walk {
	u32 ids[16];
	unsigned int n;
	unsigned int stop_after;	/* 0: never */
};

static int ks3_admin_bucket_fn(void *arg, const struct ks3_bucket *b,
			       const struct ks3_key *owner)
{
	struct ks3_admin_walk *w = arg;

	if (w->stop_after && w->n == w->stop_after)
		return -EMSGSIZE;
	w->ids[w->n++] = b->id;
	return 0;
}

/* A dump resumes by id: what changed in between neither repeats nor shifts. */
static void ks3_admin_bucket_walk_test(struct kunit *test)
{
	static const char *const names[] = { "aa1", "aa2", "aa3", "aa4", "aa5" };
	struct ks3_admin_walk w = { .stop_after = 2 };
	struct ks3_memdev *m;
	struct ks3_store *s = ks3_admin_store(test, &m);
	unsigned int i;
	u32 pos = 0;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, names[i], 3, 0), 0);
	KUNIT_EXPECT_EQ(test, ks3_bucket_for_each(s, &pos, ks3_admin_bucket_fn,
						  &w), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, w.n, 2U);
	KUNIT_EXPECT_EQ(test, pos, 3U);		/* stopped at bucket 3 */

	/* between two parts: bucket 3 goes, a new one comes */
	KUNIT_ASSERT_EQ(test, ks3_bucket_delete(s, "aa3", 3), 0);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "aa6", 3, 0), 0);
	w.stop_after = 0;
	KUNIT_EXPECT_EQ(test, ks3_bucket_for_each(s, &pos, ks3_admin_bucket_fn,
						  &w), 0);
	KUNIT_ASSERT_EQ(test, w.n, 5U);
	KUNIT_EXPECT_EQ(test, w.ids[2], 4U);
	KUNIT_EXPECT_EQ(test, w.ids[3], 5U);
	KUNIT_EXPECT_EQ(test, w.ids[4], 6U);
	KUNIT_EXPECT_EQ(test, pos, 7U);		/* past the last */
	/* the next part finds nothing: the dump ends */
	KUNIT_EXPECT_EQ(test, ks3_bucket_for_each(s, &pos, ks3_admin_bucket_fn,
						  &w), 0);
	KUNIT_EXPECT_EQ(test, w.n, 5U);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

struct ks3_admin_grants {
	struct ks3_store *s;
	u32 gpos;
	unsigned int max;		/* grants taken per key */
	unsigned int n;
	u32 bucket[8];
	u32 caps[8];
};

static int ks3_admin_grant_fn(void *arg, const struct ks3_bucket *b,
			      u32 caps)
{
	struct ks3_admin_grants *g = arg;

	if (g->n == g->max)
		return -EMSGSIZE;
	g->bucket[g->n] = b->id;
	g->caps[g->n++] = caps;
	return 0;
}

static int ks3_admin_key_fn(void *arg, struct ks3_key *k)
{
	struct ks3_admin_grants *g = arg;

	return ks3_key_for_each_grant(g->s, k, &g->gpos, ks3_admin_grant_fn,
				      g);
}

static void ks3_admin_caps_test(struct kunit *test)
{
	struct ks3_admin_grants g = { .max = 2 };
	struct ks3_memdev *m;
	struct ks3_store *s = ks3_admin_store(test, &m);
	struct ks3_key k;
	u64 commits;
	u32 now = 0, pos = 0;

	KUNIT_ASSERT_EQ(test, ks3_key_create(s, "alice", 5, &k), 0);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "one", 3, k.id), 0);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "two", 3, 0), 0);
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "three", 5, 0), 0);

	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, k.access_key, "one", 3,
						  KS3_CAP_READ | KS3_CAP_WRITE,
						  0, &now), 0);
	KUNIT_EXPECT_EQ(test, now, KS3_CAP_READ | KS3_CAP_WRITE);
	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, k.access_key, "one", 3,
						  KS3_CAP_LIST, KS3_CAP_WRITE,
						  &now), 0);
	KUNIT_EXPECT_EQ(test, now, KS3_CAP_READ | KS3_CAP_LIST);
	/* nothing changes: nothing is written */
	commits = s->journal.nr_commits;
	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, k.access_key, "one", 3,
						  KS3_CAP_READ, 0, &now), 0);
	KUNIT_EXPECT_EQ(test, s->journal.nr_commits, commits);
	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, k.access_key, "two", 3,
						  0, KS3_CAP_ALL, &now), 0);
	KUNIT_EXPECT_EQ(test, now, 0U);
	KUNIT_EXPECT_EQ(test, s->journal.nr_commits, commits);

	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, "KS3AAAAAAAAAAAAAAAAA",
						  "one", 3, KS3_CAP_READ, 0,
						  &now), -ENOKEY);
	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, k.access_key, "four", 4,
						  KS3_CAP_READ, 0, &now),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ks3_key_change_caps(s, k.access_key, "one", 3,
						  0x10, 0, &now), -EINVAL);

	/* three grants, two per part: the second part resumes in the key */
	KUNIT_ASSERT_EQ(test, ks3_key_change_caps(s, k.access_key, "two", 3,
						  KS3_CAP_OWNER, 0, &now), 0);
	KUNIT_ASSERT_EQ(test, ks3_key_change_caps(s, k.access_key, "three", 5,
						  KS3_CAP_ALL, 0, &now), 0);
	g.s = s;
	KUNIT_EXPECT_EQ(test, ks3_key_for_each(s, &pos, ks3_admin_key_fn, &g),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, pos, k.id);
	KUNIT_EXPECT_EQ(test, g.gpos, 3U);
	g.max = 8;
	KUNIT_EXPECT_EQ(test, ks3_key_for_each(s, &pos, ks3_admin_key_fn, &g),
			0);
	KUNIT_ASSERT_EQ(test, g.n, 3U);
	KUNIT_EXPECT_EQ(test, g.bucket[0], 1U);
	KUNIT_EXPECT_EQ(test, g.caps[0], KS3_CAP_READ | KS3_CAP_LIST);
	KUNIT_EXPECT_EQ(test, g.bucket[2], 3U);
	KUNIT_EXPECT_EQ(test, g.caps[2], KS3_CAP_ALL);

	KUNIT_EXPECT_EQ(test, ks3_key_id(s, k.access_key, &now), 0);
	KUNIT_EXPECT_EQ(test, now, k.id);
	KUNIT_EXPECT_EQ(test, ks3_key_id(s, "KS3AAAAAAAAAAAAAAAAA", &now),
			-ENOKEY);
	KUNIT_EXPECT_TRUE(test, ks3_key_name_valid("alice", 5));
	KUNIT_EXPECT_FALSE(test, ks3_key_name_valid("", 0));
	KUNIT_EXPECT_FALSE(test, ks3_key_name_valid("a\tb", 3));
	KUNIT_EXPECT_FALSE(test, ks3_key_name_valid("\xc3\xa9", 2));
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

static void ks3_admin_quota_test(struct kunit *test)
{
	struct ks3_memdev *m;
	struct ks3_store *s = ks3_admin_store(test, &m);
	u64 bytes = 10ULL << 30, objects = 1000, commits;
	struct ks3_bucket *b;

	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "photos", 6, 0), 0);
	KUNIT_EXPECT_EQ(test, ks3_bucket_change_quota(s, "photos", 6, &bytes,
						      &objects), 0);
	objects = 5;
	KUNIT_EXPECT_EQ(test, ks3_bucket_change_quota(s, "photos", 6, NULL,
						      &objects), 0);
	b = ks3_bucket_find(s, "photos", 6);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, b->quota_bytes, 10ULL << 30);
	KUNIT_EXPECT_EQ(test, b->quota_objects, 5ULL);
	commits = s->journal.nr_commits;
	KUNIT_EXPECT_EQ(test, ks3_bucket_change_quota(s, "photos", 6, &bytes,
						      NULL), 0);
	KUNIT_EXPECT_EQ(test, s->journal.nr_commits, commits);
	KUNIT_EXPECT_EQ(test, ks3_bucket_change_quota(s, "nope", 4, &bytes,
						      NULL), -ENOENT);
	ks3_store_detach(s);
	ks3_memdev_destroy(m);
}

/* Puts the reference a request held after a while. */
static int ks3_admin_request(void *arg)
{
	struct ks3_server *srv = arg;

	msleep(50);
	ks3_server_put_store(srv);
	return 0;
}

static void ks3_admin_detach_inflight_test(struct kunit *test)
{
	struct ks3_server *srv = kunit_kzalloc(test, sizeof(*srv), GFP_KERNEL);
	struct task_struct *t;
	struct ks3_memdev *m;
	struct ks3_store *s;
	const char *msg;

	KUNIT_ASSERT_NOT_NULL(test, srv);
	KUNIT_ASSERT_EQ(test, ks3_server_init(srv), 0);
	KUNIT_EXPECT_EQ(test, ks3_server_detach(srv, false, &msg), -ENODEV);
	KUNIT_EXPECT_STREQ(test, msg, "no store is attached");
	KUNIT_EXPECT_NULL(test, ks3_server_get_store(srv));

	/* A store attached as DEV_ATTACH leaves it (on a memory device). */
	s = ks3_admin_store(test, &m);
	srv->store = s;
	srv->state = KS3_STATE_ATTACHED;
	strscpy(srv->device, "/dev/mem0", sizeof(srv->device));
	rcu_assign_pointer(srv->live, s);
	KUNIT_EXPECT_EQ(test, ks3_server_attach(srv, "/dev/other", &msg),
			-EBUSY);
	KUNIT_EXPECT_STREQ(test, msg, "a store is already attached");

	/* A request holds it: detach refuses, and the store stays usable. */
	KUNIT_ASSERT_PTR_EQ(test, ks3_server_get_store(srv), s);
	KUNIT_EXPECT_EQ(test, ks3_server_detach(srv, false, &msg), -EBUSY);
	KUNIT_EXPECT_STREQ(test, msg,
			   "S3 requests are in flight (detach --force waits for them)");
	KUNIT_EXPECT_PTR_EQ(test, srv->store, s);
	KUNIT_EXPECT_PTR_EQ(test, ks3_server_get_store(srv), s);
	ks3_server_put_store(srv);

	/* --force waits for it to finish. */
	t = kthread_run(ks3_admin_request, srv, "ks3-admin-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_EXPECT_EQ(test, ks3_server_detach(srv, true, &msg), 0);
	KUNIT_EXPECT_EQ(test, ks3_server_inflight(srv), 0L);
	KUNIT_EXPECT_NULL(test, srv->store);
	KUNIT_EXPECT_STREQ(test, srv->device, "");
	KUNIT_EXPECT_NULL(test, ks3_server_get_store(srv));
	mutex_lock(&srv->lock);
	KUNIT_EXPECT_EQ(test, ks3_server_state(srv), KS3_STATE_NO_DEVICE);
	mutex_unlock(&srv->lock);
	ks3_server_destroy(srv);
	ks3_memdev_destroy(m);
}

static struct kunit_case ks3_admin_cases[] = {
	KUNIT_CASE(ks3_admin_stats_test),
	KUNIT_CASE(ks3_admin_bucket_walk_test),
	KUNIT_CASE(ks3_admin_caps_test),
	KUNIT_CASE(ks3_admin_quota_test),
	KUNIT_CASE(ks3_admin_detach_inflight_test),
	{}
};

static struct kunit_suite ks3_admin_suite = {
	.name = "ks3_admin",
	.test_cases = ks3_admin_cases,
};

kunit_test_suite(ks3_admin_suite);
