// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the metadata operation codec (storage/op.c). Every kind round
 * trips; every truncation and every broken field is refused without
 * reading outside the buffer (KASAN watches).
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "storage/op.h"

static const u8 ks3_test_etag[16] = {
	0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04,
	0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8, 0x42, 0x7e,
};

/* 3 MiB + 1 byte object in two extents: 769 blocks, 4 chunks. */
static struct ks3_disk_extent ks3_test_ext[2] = {
	{ .start = cpu_to_le64(1000), .blocks = cpu_to_le32(700) },
	{ .start = cpu_to_le64(5000), .blocks = cpu_to_le32(69) },
};

static __le32 ks3_test_crcs[4] = {
	cpu_to_le32(1), cpu_to_le32(2), cpu_to_le32(3), cpu_to_le32(4),
};

static const __le32 ks3_test_parts[3] = {
	cpu_to_le32(1), cpu_to_le32(2), cpu_to_le32(7),
};

static struct ks3_op ks3_test_object_op(void)
{
	struct ks3_op op = { .type = KS3_OP_OBJECT_PUT };

	op.object.bucket_id = 7;
	op.object.key = "photos/2024/a.jpg";
	op.object.key_len = strlen(op.object.key);
	op.object.meta = (const u8 *)"content-type\0image/jpeg";
	op.object.meta_len = 23;
	op.object.size = (3 << 20) + 1;
	op.object.mtime = 1700000000123456789ULL;
	op.object.etag = ks3_test_etag;
	op.object.nr_extents = 2;
	op.object.extents = ks3_test_ext;
	op.object.nr_chunks = 4;
	op.object.crcs = ks3_test_crcs;
	return op;
}

/* One sample of every operation kind. */
static int ks3_test_all_ops(struct ks3_op *ops)
{
	int n = 0;

	ops[n].type = KS3_OP_BUCKET_PUT;
	ops[n].bucket = (struct ks3_op_bucket){ .bucket_id = 7, .owner_key = 2,
		.create_time = 1700000000, .quota_bytes = 1 << 30,
		.quota_objects = 1000, .name = "photos", .name_len = 6 };
	n++;
	ops[n].type = KS3_OP_BUCKET_DELETE;
	ops[n].bucket = (struct ks3_op_bucket){ .bucket_id = 7 };
	n++;
	ops[n].type = KS3_OP_KEY_PUT;
	ops[n].key = (struct ks3_op_key){ .key_id = 2,
		.flags = KS3_KEY_ENABLED, .create_time = 1700000000,
		.access_key = "AKIAIOSFODNN7EXAMPLE",
		.secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		.name = "alice", .name_len = 5 };
	n++;
	ops[n].type = KS3_OP_KEY_DELETE;
	ops[n].key = (struct ks3_op_key){ .key_id = 2 };
	n++;
	ops[n].type = KS3_OP_GRANT;
	ops[n].grant = (struct ks3_op_grant){ .key_id = 2, .bucket_id = 7,
		.caps = KS3_CAP_READ | KS3_CAP_LIST };
	n++;
	ops[n++] = ks3_test_object_op();
	ops[n].type = KS3_OP_OBJECT_DELETE;
	ops[n].object = (struct ks3_op_object){ .bucket_id = 7, .key = "k",
		.key_len = 1 };
	n++;
	ops[n].type = KS3_OP_CONFIG_SET;
	ops[n].config = (struct ks3_op_config){ .name = "region",
		.name_len = 6, .value = "eu-west-1", .value_len = 9 };
	n++;
	ops[n].type = KS3_OP_UPLOAD_CREATE;
	ops[n].upload = (struct ks3_op_upload){ .upload_id = 99,
		.bucket_id = 7, .key = "big", .key_len = 3,
		.create_time = 5 };
	n++;
	ops[n].type = KS3_OP_UPLOAD_PART;
	ops[n].part = (struct ks3_op_part){ .upload_id = 99, .part_number = 2,
		.size = (3 << 20) + 1, .mtime = 6, .etag = ks3_test_etag,
		.nr_extents = 2, .extents = ks3_test_ext, .nr_chunks = 4,
		.crcs = ks3_test_crcs };
	n++;
	ops[n].type = KS3_OP_UPLOAD_COMPLETE;
	ops[n].complete = (struct ks3_op_complete){ .upload_id = 99,
		.mtime = 7, .etag = ks3_test_etag, .nr_parts = 3,
		.parts = ks3_test_parts };
	n++;
	ops[n].type = KS3_OP_UPLOAD_ABORT;
	ops[n].upload = (struct ks3_op_upload){ .upload_id = 99 };
	n++;
	return n;
}

/* Room for every sample op, off the stack (KASAN inflates frames). */
static struct ks3_op *ks3_test_ops(struct kunit *test)
{
	struct ks3_op *ops = kunit_kcalloc(test, 16, sizeof(*ops), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ops);
	return ops;
}

static void ks3_op_roundtrip_test(struct kunit *test)
{
	struct ks3_op *ops = ks3_test_ops(test), got;
	size_t len = 0, pos = 0, n;
	int i, nops = ks3_test_all_ops(ops);
	u8 *buf = kunit_kzalloc(test, 8192, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < nops; i++) {
		n = ks3_op_encode(buf + len, 8192 - len, &ops[i]);
		KUNIT_ASSERT_GT_MSG(test, n, (size_t)0, "op %d", i);
		KUNIT_EXPECT_EQ(test, n, ks3_op_size(&ops[i]));
		KUNIT_EXPECT_EQ(test, n % KS3_OP_ALIGN, (size_t)0);
		len += n;
	}
	for (i = 0; i < nops; i++) {
		KUNIT_ASSERT_EQ_MSG(test, ks3_op_decode(buf, len, &pos, &got),
				    0, "op %d", i);
		KUNIT_EXPECT_EQ(test, got.type, ops[i].type);
	}
	KUNIT_EXPECT_EQ(test, pos, len);
	KUNIT_EXPECT_EQ(test, ks3_op_decode(buf, len, &pos, &got), -EINVAL);
}

static void ks3_op_object_fields_test(struct kunit *test)
{
	struct ks3_op op = ks3_test_object_op(), got;
	u8 *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	size_t pos = 0, n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = ks3_op_encode(buf, 1024, &op);
	KUNIT_ASSERT_GT(test, n, (size_t)0);
	KUNIT_ASSERT_EQ(test, ks3_op_decode(buf, n, &pos, &got), 0);
	KUNIT_EXPECT_EQ(test, got.object.bucket_id, 7U);
	KUNIT_EXPECT_EQ(test, got.object.key_len, op.object.key_len);
	KUNIT_EXPECT_EQ(test, memcmp(got.object.key, op.object.key,
				     op.object.key_len), 0);
	KUNIT_EXPECT_EQ(test, got.object.meta_len, 23);
	KUNIT_EXPECT_EQ(test, got.object.size, op.object.size);
	KUNIT_EXPECT_EQ(test, got.object.mtime, op.object.mtime);
	KUNIT_EXPECT_EQ(test, memcmp(got.object.etag, ks3_test_etag, 16), 0);
	KUNIT_EXPECT_EQ(test, got.object.nr_extents, 2U);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(got.object.extents[1].start),
			5000ULL);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(got.object.crcs[3]), 4U);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)got.object.extents,
					   8));
}

/* Every proper prefix of a valid encoding is refused. */
static void ks3_op_truncated_test(struct kunit *test)
{
	struct ks3_op *ops = ks3_test_ops(test), got;
	int i, nops = ks3_test_all_ops(ops);
	size_t n, cut, pos;

	for (i = 0; i < nops; i++) {
		u8 *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		n = ks3_op_encode(buf, 1024, &ops[i]);
		KUNIT_ASSERT_GT(test, n, (size_t)0);
		for (cut = 0; cut < n; cut++) {
			/* A right-sized copy, so KASAN sees any overread. */
			u8 *part = kmemdup(buf, cut ? cut : 1, GFP_KERNEL);

			KUNIT_ASSERT_NOT_NULL(test, part);
			pos = 0;
			KUNIT_EXPECT_EQ_MSG(test,
					    ks3_op_decode(part, cut, &pos, &got),
					    -EINVAL, "op %d cut %zu", i, cut);
			KUNIT_EXPECT_EQ(test, pos, (size_t)0);
			kfree(part);
		}
	}
}

/* Fields that break the format's rules are refused by encode and decode. */
static void ks3_op_invalid_test(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	struct ks3_op op, got;
	size_t n, pos;

	KUNIT_ASSERT_NOT_NULL(test, buf);

	op = ks3_test_object_op();
	op.object.nr_chunks = 3;
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 1024, &op), (size_t)0);
	op = ks3_test_object_op();
	op.object.size += KS3_BLOCK_SIZE;	/* extents too short */
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 1024, &op), (size_t)0);
	op = ks3_test_object_op();
	op.object.key_len = 0;
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 1024, &op), (size_t)0);
	op = ks3_test_object_op();
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 40, &op), (size_t)0);
	op.type = __KS3_OP_MAX;
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 1024, &op), (size_t)0);

	/* Flip bytes the decoder must check: type, flags, length, padding. */
	op = ks3_test_object_op();
	n = ks3_op_encode(buf, 1024, &op);
	KUNIT_ASSERT_GT(test, n, (size_t)0);
	buf[0] = 0xff;
	pos = 0;
	KUNIT_EXPECT_EQ(test, ks3_op_decode(buf, n, &pos, &got), -EINVAL);
	buf[0] = KS3_OP_OBJECT_PUT;
	buf[2] = 1;
	KUNIT_EXPECT_EQ(test, ks3_op_decode(buf, n, &pos, &got), -EINVAL);
	buf[2] = 0;
	buf[4] += 4;
	KUNIT_EXPECT_EQ(test, ks3_op_decode(buf, n, &pos, &got), -EINVAL);
	buf[4] -= 4;
	KUNIT_ASSERT_EQ(test, ks3_op_decode(buf, n, &pos, &got), 0);
	/* Key 17 + meta 23 = 40 bytes after the 56-byte struct: no pad. */
	pos = 0;
	buf[8 + 56 + 40 + 1] ^= 0x80;	/* an extent's start: still valid */
	KUNIT_EXPECT_EQ(test, ks3_op_decode(buf, n, &pos, &got), 0);
	pos = 0;
	buf[8 + 56 + 40 + 8] = 0;	/* first extent's blocks: sum breaks */
	KUNIT_EXPECT_EQ(test, ks3_op_decode(buf, n, &pos, &got), -EINVAL);
	KUNIT_EXPECT_EQ(test, pos, (size_t)0);
}

static void ks3_op_complete_order_test(struct kunit *test)
{
	static const __le32 unordered[2] = { cpu_to_le32(3), cpu_to_le32(3) };
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	struct ks3_op op = { .type = KS3_OP_UPLOAD_COMPLETE };

	KUNIT_ASSERT_NOT_NULL(test, buf);
	op.complete.upload_id = 1;
	op.complete.nr_parts = 2;
	op.complete.parts = unordered;
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 256, &op), (size_t)0);
	op.complete.nr_parts = 0;
	KUNIT_EXPECT_EQ(test, ks3_op_encode(buf, 256, &op), (size_t)0);
}

static void ks3_op_size_helpers_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, ks3_size_blocks(0), 0ULL);
	KUNIT_EXPECT_EQ(test, ks3_size_blocks(1), 1ULL);
	KUNIT_EXPECT_EQ(test, ks3_size_blocks(4096), 1ULL);
	KUNIT_EXPECT_EQ(test, ks3_size_blocks(4097), 2ULL);
	KUNIT_EXPECT_EQ(test, ks3_size_chunks(0), 0U);
	KUNIT_EXPECT_EQ(test, ks3_size_chunks(1 << 20), 1U);
	KUNIT_EXPECT_EQ(test, ks3_size_chunks((1 << 20) + 1), 2U);
	KUNIT_EXPECT_EQ(test, ks3_size_chunks(5ULL << 40), 5U << 20);
}

static struct kunit_case ks3_op_cases[] = {
	KUNIT_CASE(ks3_op_roundtrip_test),
	KUNIT_CASE(ks3_op_object_fields_test),
	KUNIT_CASE(ks3_op_truncated_test),
	KUNIT_CASE(ks3_op_invalid_test),
	KUNIT_CASE(ks3_op_complete_order_test),
	KUNIT_CASE(ks3_op_size_helpers_test),
	{}
};

static struct kunit_suite ks3_op_suite = {
	.name = "ks3_op",
	.test_cases = ks3_op_cases,
};

kunit_test_suite(ks3_op_suite);
