// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: crash-state enumeration, in the spirit of dm-log-writes and
 * CrashMonkey. A workload runs on a memory device that records every write
 * and flush. For every point of the workload we build the disk images a
 * power cut there could leave: every durable write (FUA, or followed by a
 * completed flush), plus subsets of the writes that were only in the write
 * cache, plus a torn (partly written) 4 KiB block. Each image must attach,
 * show every operation acknowledged before the cut exactly, show nothing
 * of operations not yet started, show the one in flight entirely or not at
 * all, and have exactly the free space its metadata implies.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "memdev.h"
#include "store_util.h"

#define CRASH_BLOCKS	1024	/* 4 MiB: journal 256, checkpoint slots 128 */
#define CRASH_OPS	300
#define CRASH_LOG_MAX	8192
#define CRASH_SUBSET_MAX 6	/* all subsets up to 2^6 volatile writes */

static const u8 ks3_crash_uuid[16] = "ks3-crash-uuid!";

struct ks3_crash_state {
	void *dump;
	size_t len;
};

struct ks3_crash_run {
	struct ks3_memdev *initial;	/* the device when recording began */
	struct ks3_memdev *m;		/* the recorded one */
	size_t *op_start;		/* log length when op i began */
	size_t *op_ack;			/* log length when op i returned */
	struct ks3_crash_state *state;	/* state after i acknowledged ops */
	int nr_ops;
	u64 checked;
	u64 failed;
};

static const u32 crash_sizes[] = { 5000, 0, 9000, 100 };

/*
 * One change of the workload, each one commit (or none); together every kind,
 * and enough commits for checkpoints. @last_key carries the access key
 * created by one op to the grant of the next.
 */
struct ks3_crash_ctx {
	char last_key[KS3_ACCESS_KEY_LEN + 1];
	u64 upload_id;
};

static int ks3_crash_op(struct ks3_store *s, int i, struct ks3_crash_ctx *c)
{
	static const u32 first_part = 1;
	char *last_key = c->last_key;
	char name[32];
	struct ks3_key k;
	int ret;

	snprintf(name, sizeof(name), "b-%03d", i / 10);
	switch (i % 10) {
	case 0:
		return ks3_bucket_create(s, name, strlen(name), 1);
	case 1:
		ret = ks3_key_create(s, name, strlen(name), &k);
		if (!ret)
			memcpy(last_key, k.access_key, sizeof(k.access_key));
		return ret;
	case 2:
		return ks3_key_grant(s, last_key, name, strlen(name),
				     KS3_CAP_READ);
	case 3:
		return ks3_setting_set(s, "vhost_domain", name);
	case 4:
		if ((i / 10) % 2)
			return ks3_bucket_delete(s, name, strlen(name));
		return ks3_bucket_set_quota(s, name, strlen(name), 4096, 1);
	case 5:
		/* Puts that create and overwrite, in a few sizes. */
		snprintf(name, sizeof(name), "o-%d", (i / 10) % 3);
		return ks3_test_put(s, "data", name, crash_sizes[(i / 10) % 4],
				    i);
	case 6:
		snprintf(name, sizeof(name), "o-%d", (i / 10) % 5);
		ret = ks3_object_delete(s, "data", 4, name, strlen(name));
		return ret == -ENOENT ? 0 : ret;
	case 7:
		return ks3_upload_create(s, "data", 4, "mp", 2, NULL, 0,
					 &c->upload_id);
	case 8:
		return ks3_test_put_part(s, "data", c->upload_id, 1, 6000, i);
	default:
		/* Complete onto "mp" (replacing it), or abort. */
		if ((i / 10) % 2)
			return ks3_upload_abort(s, "data", 4, c->upload_id);
		return ks3_upload_complete(s, "data", 4, c->upload_id,
					   &first_part, 1, NULL, NULL);
	}
}

static int ks3_crash_dump(struct ks3_store *s, struct ks3_crash_state *st)
{
	return ks3_meta_dump(s, &st->dump, &st->len);
}

static bool ks3_crash_state_eq(const struct ks3_crash_state *a,
			       const void *dump, size_t len)
{
	return a->len == len && !memcmp(a->dump, dump, len);
}

/* Runs the workload on a recording device; saves what each op left. */
static void ks3_crash_record(struct kunit *test, struct ks3_crash_run *r)
{
	struct ks3_crash_ctx ctx = { };
	struct ks3_store *s;
	const char *why;
	int i;

	r->m = ks3_memdev_create(CRASH_BLOCKS);
	KUNIT_ASSERT_NOT_NULL(test, r->m);
	KUNIT_ASSERT_EQ(test, ks3_store_format(&r->m->dev, ks3_crash_uuid, 1),
			0);
	s = ks3_store_attach(&r->m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, ks3_bucket_create(s, "data", 4, 1), 0);
	ks3_store_detach(s);
	r->initial = ks3_memdev_clone(r->m);
	KUNIT_ASSERT_NOT_NULL(test, r->initial);
	KUNIT_ASSERT_EQ(test, ks3_memdev_record(r->m, CRASH_LOG_MAX), 0);
	/* Data writes complete in a worker, after submit, as on a disk. */
	KUNIT_ASSERT_EQ(test, ks3_memdev_set_async(r->m, 0), 0);

	s = ks3_store_attach(&r->m->dev, &why);
	KUNIT_ASSERT_FALSE(test, IS_ERR(s));
	KUNIT_ASSERT_EQ(test, ks3_crash_dump(s, &r->state[0]), 0);
	for (i = 0; i < CRASH_OPS; i++) {
		r->op_start[i] = r->m->nr_log;
		KUNIT_ASSERT_EQ_MSG(test, ks3_crash_op(s, i, &ctx), 0,
				    "op %d", i);
		r->op_ack[i] = r->m->nr_log;
		KUNIT_ASSERT_EQ(test, ks3_crash_dump(s, &r->state[i + 1]), 0);
	}
	r->nr_ops = CRASH_OPS;
	KUNIT_EXPECT_GE(test, s->journal.nr_checkpoints, 1ULL);
	/* The detach's checkpoint is part of the workload too. */
	ks3_store_detach(s);
	KUNIT_ASSERT_LT(test, r->m->nr_log, (size_t)CRASH_LOG_MAX);
}

/* Durable at a cut after @k writes completed: FUA, or flushed since. */
static bool ks3_crash_durable(struct ks3_crash_run *r, size_t j, size_t k)
{
	const struct ks3_memdev_write *w = r->m->log;

	return w[j].fua || w[j].flushes_before < w[k - 1].flushes_before;
}

/*
 * Checks one image: writes [0, k) applied where @keep says so, then
 * optionally the first @torn_bytes of write k.
 */
static void ks3_crash_check(struct kunit *test, struct ks3_crash_run *r,
			    size_t k, const unsigned long *keep,
			    size_t torn_bytes, const char *what)
{
	const struct ks3_memdev_write *w = r->m->log;
	struct ks3_crash_state got = { };
	struct ks3_memdev *img;
	struct ks3_store *s;
	int acked = 0, i;
	const char *why;
	bool ok;
	size_t j;

	img = ks3_memdev_clone(r->initial);
	KUNIT_ASSERT_NOT_NULL(test, img);
	for (j = 0; j < k; j++)
		if (test_bit(j, keep))
			ks3_memdev_write_block(img, w[j].block, w[j].data,
					       KS3_BLOCK_SIZE);
	if (torn_bytes && k < r->m->nr_log)
		ks3_memdev_write_block(img, w[k].block, w[k].data, torn_bytes);

	for (i = 0; i < r->nr_ops; i++)
		if (r->op_ack[i] <= k)
			acked = i + 1;
	r->checked++;
	s = ks3_store_attach(&img->dev, &why);
	if (IS_ERR(s)) {
		KUNIT_FAIL(test, "cut %zu (%s): attach failed %ld (%s)", k,
			   what, PTR_ERR(s), why ?: "-");
		r->failed++;
		goto out;
	}
	ok = !ks3_crash_dump(s, &got);
	/* Acknowledged ops all there; the next one, if it began, or not. */
	ok = ok && (ks3_crash_state_eq(&r->state[acked], got.dump, got.len) ||
		    (acked < r->nr_ops && r->op_start[acked] <= k &&
		     ks3_crash_state_eq(&r->state[acked + 1], got.dump,
					got.len)));
	/* Free space is exactly what no object references. */
	ok = ok && ks3_alloc_free_blocks(&s->alloc) ==
		   s->layout.data_blocks - ks3_test_used_blocks(s);
	/* Every object reads back: each chunk matches its crc32c. */
	ok = ok && !ks3_test_read_all(s);
	if (!ok) {
		KUNIT_FAIL(test, "cut %zu (%s): wrong state, %d ops acked", k,
			   what, acked);
		r->failed++;
	}
	vfree(got.dump);
	/* The image is thrown away: no need for a final checkpoint. */
	ks3_store_detach_nocheckpoint(s);
out:
	ks3_memdev_destroy(img);
}

/* Cuts [@from, @to] of the recorded writes. */
static void ks3_crash_enumerate(struct kunit *test, struct ks3_crash_run *r,
				size_t from, size_t to)
{
	size_t n = r->m->nr_log, k, j, nv, v, *vol;
	unsigned long *keep, subset;
	static const size_t torn[] = { 512, 2048, 3584 };

	keep = kunit_kcalloc(test, BITS_TO_LONGS(n + 1), sizeof(long),
			     GFP_KERNEL);
	vol = kunit_kcalloc(test, n + 1, sizeof(*vol), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, keep);
	KUNIT_ASSERT_NOT_NULL(test, vol);

	for (k = from; k <= to && r->failed < 5; k++) {
		/* Which of the first k writes may be lost. */
		nv = 0;
		for (j = 0; j < k; j++) {
			set_bit(j, keep);
			if (!ks3_crash_durable(r, j, k))
				vol[nv++] = j;
		}
		/* Everything landed, and torn variants of the next write. */
		ks3_crash_check(test, r, k, keep, 0, "all");
		for (j = 0; k < n && j < ARRAY_SIZE(torn); j++)
			ks3_crash_check(test, r, k, keep, torn[j], "torn");
		if (!nv)
			continue;
		if (nv <= CRASH_SUBSET_MAX) {
			/* Every subset of the cached writes lost. */
			for (subset = 1; subset < (1UL << nv); subset++) {
				for (v = 0; v < nv; v++)
					assign_bit(vol[v], keep,
						   !(subset & (1UL << v)));
				ks3_crash_check(test, r, k, keep, 0, "subset");
			}
		} else {
			/* All lost, and each one lost alone. */
			for (v = 0; v < nv; v++)
				clear_bit(vol[v], keep);
			ks3_crash_check(test, r, k, keep, 0, "none cached");
			for (v = 0; v < nv; v++) {
				for (j = 0; j < nv; j++)
					assign_bit(vol[j], keep, j != v);
				ks3_crash_check(test, r, k, keep, 0,
						"one lost");
			}
		}
	}
}

/*
 * The workload is recorded afresh for each quarter of its cuts, so every
 * test case stays well inside KUnit's time limit under TCG and KASAN.
 */
#define CRASH_SLICES	4

static const int ks3_crash_slices[CRASH_SLICES] = { 0, 1, 2, 3 };

static void ks3_crash_slice_desc(const int *slice, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "quarter-%d", *slice + 1);
}

KUNIT_ARRAY_PARAM(ks3_crash_slice, ks3_crash_slices, ks3_crash_slice_desc);

static void ks3_crash_test(struct kunit *test)
{
	struct ks3_crash_run *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	int slice = *(const int *)test->param_value;
	size_t n;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->op_start = kunit_kcalloc(test, CRASH_OPS, sizeof(size_t),
				    GFP_KERNEL);
	r->op_ack = kunit_kcalloc(test, CRASH_OPS, sizeof(size_t),
				  GFP_KERNEL);
	r->state = kunit_kcalloc(test, CRASH_OPS + 1, sizeof(*r->state),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->op_start);
	KUNIT_ASSERT_NOT_NULL(test, r->op_ack);
	KUNIT_ASSERT_NOT_NULL(test, r->state);

	ks3_crash_record(test, r);
	n = r->m->nr_log;
	ks3_crash_enumerate(test, r, n * slice / CRASH_SLICES,
			    slice == CRASH_SLICES - 1 ? n :
			    n * (slice + 1) / CRASH_SLICES - 1);
	kunit_info(test, "crash states checked: %llu (cuts %zu..%zu of %zu writes, %d operations), failed: %llu\n",
		   r->checked, n * slice / CRASH_SLICES,
		   slice == CRASH_SLICES - 1 ? n :
		   n * (slice + 1) / CRASH_SLICES - 1, n, r->nr_ops,
		   r->failed);
	KUNIT_EXPECT_GT(test, r->checked, 250ULL);

	for (i = 0; i <= r->nr_ops; i++)
		vfree(r->state[i].dump);
	ks3_memdev_destroy(r->initial);
	ks3_memdev_destroy(r->m);
}

static struct kunit_case ks3_crash_cases[] = {
	KUNIT_CASE_PARAM(ks3_crash_test, ks3_crash_slice_gen_params),
	{}
};

static struct kunit_suite ks3_crash_suite = {
	.name = "ks3_crash",
	.test_cases = ks3_crash_cases,
};

kunit_test_suite(ks3_crash_suite);
