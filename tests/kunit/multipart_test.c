// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the S3 layer needs of multipart state beyond create, part,
 * complete and abort: part checksums kept through replay and checkpoints
 * (and the incompat feature that guards them), Complete's per-part checks
 * under the lock (ETag, checksum, minimum size, the upload's key), and the
 * per-bucket (key, upload id) order of ListMultipartUploads with prefix,
 * delimiter and markers.
 */
#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "memdev.h"
#include "store_util.h"

#define MP_BLOCKS	8192	/* 32 MiB */

static const u8 ks3_mp_uuid[16] = "ks3-mpart-uuid";

struct ks3_mp_env {
	struct ks3_memdev *m;
	struct ks3_store *s;
};

static void ks3_mp_setup(struct kunit *test, struct ks3_mp_env *env)
{
	const char *why;

	env->m = ks3_memdev_create(MP_BLOCKS);
	KUNIT_ASSERT_NOT_NULL(test, env->m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&env->m->dev, ks3_mp_uuid, 1),
			0);
	env->s = ks3_store_attach(&env->m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(env->s));
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(env->s, "data", 4, 1), 0);
}

static void ks3_mp_teardown(struct ks3_mp_env *env)
{
	ks3_store_detach(env->s);
	ks3_memdev_destroy(env->m);
}

/* A part of @size bytes of @byte, with checksum @ck (4 bytes) if not NULL. */
static int ks3_mp_put(struct ks3_store *s, u64 id, u32 part, size_t size,
		      u8 byte, const u8 *ck, struct ks3_object_info *info)
{
	struct ks3_part_opts o = { .cksum_algo = 1, .cksum_len = 4, .cksum = ck };
	struct ks3_object_writer *w;
	size_t off, n;
	u8 *buf;
	int ret;

	buf = kmalloc(SZ_64K, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memset(buf, byte, SZ_64K);
	ret = ks3_part_write_begin(s, "data", 4, id, part, size, &w);
	if (!ret) {
		for (off = 0; off < size && !ret; off += n) {
			n = min_t(size_t, size - off, SZ_64K);
			ret = ks3_object_write(w, buf, n);
		}
		if (ret)
			ks3_object_write_abort(w);
		else
			ret = ks3_part_write_commit_opts(w, ck ? &o : NULL,
							 info);
	}
	kfree(buf);
	return ret;
}

struct ks3_mp_seen {
	u32 n;
	u32 cksum_parts;
	u64 last_id;
	char keys[8][8];
	u8 key_lens[8];
	char prefixes[4][8];
	u32 nr_prefixes;
};

static int ks3_mp_part_cb(void *arg, const struct ks3_part_view *p)
{
	struct ks3_mp_seen *s = arg;

	s->n++;
	if (p->cksum_len == 4 && p->cksum_algo == 1 && p->cksum[0] == p->number)
		s->cksum_parts++;
	return 0;
}

static void ks3_mp_parts(struct kunit *test, struct ks3_store *s, u64 id,
			 u32 want_n, u32 want_cksum)
{
	struct ks3_mp_seen seen = { };
	bool truncated;
	u32 next;

	KUNIT_ASSERT_EQ(test, ks3_upload_list_parts(s, "data", 4, "k", 1, id, 0,
						    1000, ks3_mp_part_cb, &seen,
						    &truncated, &next), 0);
	KUNIT_EXPECT_EQ(test, seen.n, want_n);
	KUNIT_EXPECT_EQ(test, seen.cksum_parts, want_cksum);
	KUNIT_EXPECT_FALSE(test, truncated);
}

static void ks3_mp_cksum_test(struct kunit *test)
{
	u8 ck1[4] = { 1, 0xaa, 0xbb, 0xcc }, ck2[4] = { 2, 1, 2, 3 };
	struct ks3_complete_part cp[2] = { };
	struct ks3_object_info i1, i2, info;
	struct ks3_memdev *copy;
	struct ks3_mp_env env;
	struct ks3_store *s2;
	const char *why;
	u32 bad;
	u64 id;

	ks3_mp_setup(test, &env);
	KUNIT_EXPECT_FALSE(test, le32_to_cpu(env.s->sb.feature_incompat) &
			   KS3_FEATURE_INCOMPAT_PART_CKSUM);
	KUNIT_ASSERT_EQ(test, ks3_upload_create(env.s, "data", 4, "k", 1,
						NULL, 0, &id), 0);
	KUNIT_ASSERT_EQ(test, ks3_mp_put(env.s, id, 1, 5 << 20, 'a', ck1, &i1),
			0);
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(env.s->sb.feature_incompat) &
			  KS3_FEATURE_INCOMPAT_PART_CKSUM);
	KUNIT_ASSERT_EQ(test, ks3_mp_put(env.s, id, 2, 1000, 'b', ck2, &i2), 0);
	KUNIT_ASSERT_EQ(test, ks3_mp_put(env.s, id, 3, 10, 'c', NULL, NULL), 0);
	ks3_mp_parts(test, env.s, id, 3, 2);

	/* Replayed from the journal: checksums and the feature kept. */
	copy = ks3_memdev_clone(env.m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_store_attach(&copy->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s2));
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(s2->sb.feature_incompat) &
			  KS3_FEATURE_INCOMPAT_PART_CKSUM);
	ks3_mp_parts(test, s2, id, 3, 2);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);

	/* And from a checkpoint. */
	mutex_lock(&env.s->journal.commit_mutex);
	KUNIT_ASSERT_EQ(test, ks3_checkpoint_write(env.s), 0);
	mutex_unlock(&env.s->journal.commit_mutex);
	copy = ks3_memdev_clone(env.m);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	s2 = ks3_store_attach(&copy->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s2));
	ks3_mp_parts(test, s2, id, 3, 2);
	ks3_store_detach(s2);
	ks3_memdev_destroy(copy);

	/* Complete's checks, each naming the offending part. */
	cp[0].number = 1;
	cp[0].check_etag = true;
	memcpy(cp[0].etag, i1.etag, 16);
	cp[1].number = 2;
	cp[1].check_etag = true;
	memcpy(cp[1].etag, i1.etag, 16);	/* not part 2's */
	KUNIT_EXPECT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "k",
							1, id, cp, 2, 5 << 20,
							NULL, &info, &bad),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bad, 1U);
	memcpy(cp[1].etag, i2.etag, 16);
	cp[1].want_cksum_len = 4;
	memcpy(cp[1].want_cksum, ck1, 4);	/* not part 2's */
	KUNIT_EXPECT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "k",
							1, id, cp, 2, 5 << 20,
							NULL, &info, &bad),
			-EINVAL);
	memcpy(cp[1].want_cksum, ck2, 4);
	/* Another key's upload is no upload. */
	KUNIT_EXPECT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "x",
							1, id, cp, 2, 5 << 20,
							NULL, &info, &bad),
			-ENOENT);
	/* Part 1 under the minimum, when it is not the last. */
	KUNIT_EXPECT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "k",
							1, id, cp, 2,
							(5 << 20) + 1, NULL,
							&info, &bad), -ERANGE);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* If-Match on a key with no object. */
	KUNIT_EXPECT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "k",
							1, id, cp, 2, 5 << 20,
							&(struct ks3_put_cond){
							.if_match = i1.etag },
							&info, &bad), -ESTALE);
	KUNIT_ASSERT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "k",
							1, id, cp, 2, 5 << 20,
							NULL, &info, &bad), 0);
	KUNIT_EXPECT_EQ(test, info.size, (5ULL << 20) + 1000);
	KUNIT_EXPECT_EQ(test, cp[0].size, 5ULL << 20);
	KUNIT_EXPECT_EQ(test, cp[1].cksum_len, 4);
	KUNIT_EXPECT_EQ(test, memcmp(cp[1].cksum, ck2, 4), 0);
	KUNIT_EXPECT_EQ(test, ks3_upload_complete_parts(env.s, "data", 4, "k",
							1, id, cp, 2, 5 << 20,
							NULL, &info, &bad),
			-ENOENT);
	ks3_mp_teardown(&env);
}

static int ks3_mp_upload_cb(void *arg, const struct ks3_upload *u)
{
	struct ks3_mp_seen *s = arg;

	if (s->n < ARRAY_SIZE(s->keys) && u->key_len < 8) {
		memcpy(s->keys[s->n], u->key, u->key_len);
		s->key_lens[s->n] = u->key_len;
	}
	s->n++;
	s->last_id = u->id;
	return 0;
}

static int ks3_mp_prefix_cb(void *arg, const char *p, size_t len)
{
	struct ks3_mp_seen *s = arg;

	if (s->nr_prefixes < ARRAY_SIZE(s->prefixes) && len < 8)
		memcpy(s->prefixes[s->nr_prefixes], p, len);
	s->nr_prefixes++;
	return 0;
}

static const struct ks3_upload_list_ops ks3_mp_list_ops = {
	.upload = ks3_mp_upload_cb,
	.prefix = ks3_mp_prefix_cb,
};

static void ks3_mp_list_test(struct kunit *test)
{
	static const char *const keys[] = { "c", "a/2", "b", "a/1", "c" };
	struct ks3_upload_list_params p = { .max = 1000 };
	struct ks3_mp_seen seen;
	struct ks3_mp_env env;
	bool truncated;
	u64 ids[5];
	int i;

	ks3_mp_setup(test, &env);
	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_EQ(test, ks3_upload_create(env.s, "data", 4,
							keys[i],
							strlen(keys[i]), NULL,
							0, &ids[i]), 0);
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, ks3_upload_list(env.s, "data", 4, &p,
					      &ks3_mp_list_ops, &seen,
					      &truncated), 0);
	KUNIT_EXPECT_EQ(test, seen.n, 5U);
	KUNIT_EXPECT_FALSE(test, truncated);
	KUNIT_EXPECT_EQ(test, memcmp(seen.keys[0], "a/1", 3), 0);
	KUNIT_EXPECT_EQ(test, memcmp(seen.keys[1], "a/2", 3), 0);
	KUNIT_EXPECT_EQ(test, seen.keys[2][0], 'b');
	/* The two uploads of "c" in id order. */
	KUNIT_EXPECT_EQ(test, seen.last_id, max(ids[0], ids[4]));

	/* Delimiter: "a/" once, then b, c, c; max 2 truncates after b. */
	p.delim = "/";
	p.delim_len = 1;
	p.max = 2;
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, ks3_upload_list(env.s, "data", 4, &p,
					      &ks3_mp_list_ops, &seen,
					      &truncated), 0);
	KUNIT_EXPECT_EQ(test, seen.nr_prefixes, 1U);
	KUNIT_EXPECT_EQ(test, memcmp(seen.prefixes[0], "a/", 2), 0);
	KUNIT_EXPECT_EQ(test, seen.n, 1U);
	KUNIT_EXPECT_TRUE(test, truncated);

	/* A marker inside "a/" does not list the prefix again. */
	p.key_marker = "a/1";
	p.key_marker_len = 3;
	p.max = 1000;
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, ks3_upload_list(env.s, "data", 4, &p,
					      &ks3_mp_list_ops, &seen,
					      &truncated), 0);
	KUNIT_EXPECT_EQ(test, seen.nr_prefixes, 0U);
	KUNIT_EXPECT_EQ(test, seen.n, 3U);

	/* key and upload-id markers resume between the two "c" uploads. */
	p.delim_len = 0;
	p.key_marker = "c";
	p.key_marker_len = 1;
	p.id_marker_set = true;
	p.id_marker = min(ids[0], ids[4]);
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, ks3_upload_list(env.s, "data", 4, &p,
					      &ks3_mp_list_ops, &seen,
					      &truncated), 0);
	KUNIT_EXPECT_EQ(test, seen.n, 1U);
	KUNIT_EXPECT_EQ(test, seen.last_id, max(ids[0], ids[4]));

	/* Prefix. */
	memset(&p, 0, sizeof(p));
	p.max = 1000;
	p.prefix = "a/";
	p.prefix_len = 2;
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, ks3_upload_list(env.s, "data", 4, &p,
					      &ks3_mp_list_ops, &seen,
					      &truncated), 0);
	KUNIT_EXPECT_EQ(test, seen.n, 2U);

	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, ks3_upload_abort(env.s, "data", 4, ids[i]),
				0);
	memset(&seen, 0, sizeof(seen));
	KUNIT_ASSERT_EQ(test, ks3_upload_list(env.s, "data", 4, &p,
					      &ks3_mp_list_ops, &seen,
					      &truncated), 0);
	KUNIT_EXPECT_EQ(test, seen.n, 0U);
	KUNIT_EXPECT_EQ(test, ks3_bucket_delete(env.s, "data", 4), 0);
	ks3_mp_teardown(&env);
}

static struct kunit_case ks3_mp_cases[] = {
	KUNIT_CASE(ks3_mp_cksum_test),
	KUNIT_CASE(ks3_mp_list_test),
	{}
};

static struct kunit_suite ks3_mp_suite = {
	.name = "ks3_multipart",
	.test_cases = ks3_mp_cases,
};

kunit_test_suite(ks3_mp_suite);
