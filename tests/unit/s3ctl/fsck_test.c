// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl fsck (userland/s3ctl/fsck.c, cmd_fsck.c) on store images built in
 * memory with the module's own encoders (tools/testing/ks3_image.h): what
 * a clean store looks like, and each kind of damage it must report, or
 * must not (a torn journal tail is how a power cut leaves a journal).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "capture.h"
#include "cmd_fsck.h"
#include "ks3_image.h"
#include "unit.h"

#define BLOCKS	2048		/* 8 MiB: data from block 514 to 2047 */

static const char ak1[] = "KS3AAAAAAAAAAAAAAAA1";
static const char ak2[] = "KS3AAAAAAAAAAAAAAAA2";

/* Runs fsck; the problems found, their messages joined for matching. */
static size_t fsck(struct ks3_image *im, struct s3ctl_fsck *r, char *all,
		   size_t len)
{
	size_t i, off = 0;

	all[0] = '\0';
	if (ks3_image_fsck(im, r)) {
		unit_fail(__FILE__, __LINE__, "fsck could not read the image");
		return (size_t)-1;
	}
	for (i = 0; i < r->nr_kept; i++)
		off += (size_t)snprintf(all + off, off < len ? len - off : 0,
					"%s: %s\n", r->problems[i].area,
					r->problems[i].msg);
	return r->nr_problems;
}

#define EXPECT_PROBLEM(all, text) do {					\
	if (!strstr(all, text))						\
		unit_fail(__FILE__, __LINE__, "no problem '%s' in:\n%s",	\
			  text, all);					\
} while (0)

/* Two keys, two buckets, grants: the admin state of a small store. */
static void admin_records(struct ks3_image *im)
{
	struct ks3_op ops[] = {
		ks3_op_key_put(1, ak1, "alice"),
		ks3_op_key_put(2, ak2, "bob"),
	};
	struct ks3_op ops2[] = {
		ks3_op_bucket_put(1, "photos"),
		ks3_op_bucket_put(2, "logs"),
		ks3_op_grant(1, 1, KS3_CAP_READ | KS3_CAP_WRITE),
	};
	struct ks3_op ops3[] = { ks3_op_grant(2, 2, KS3_CAP_ALL) };

	ks3_image_record(im, ops, 2);
	ks3_image_record(im, ops2, 3);
	ks3_image_record(im, ops3, 1);
}

TEST(fresh_store_is_clean)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_TRUE(r.is_ks3);
	EXPECT_EQ(r.sb_copy, 0);
	EXPECT_EQ(r.sb_generation, 1);
	EXPECT_MEMEQ(r.uuid, im.uuid, 16);
	EXPECT_FALSE(r.has_ckpt);
	EXPECT_EQ(r.jrecs, 0);
	EXPECT_EQ(r.jend_block, 0);
	EXPECT_EQ(r.jend_seq, 1);
	EXPECT_STREQ(r.jend_reason, "no record magic");
	EXPECT_EQ(r.layout.data_start, 514);
	EXPECT_EQ(r.referenced_blocks, 0);
	EXPECT_EQ(r.free_blocks, BLOCKS - 514);
	EXPECT_EQ(r.nr_notes, 0);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(admin_state_from_the_journal_is_clean)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_EQ(r.jrecs, 3);
	EXPECT_EQ(r.jops, 6);
	EXPECT_EQ(r.jend_seq, 4);
	EXPECT_EQ(r.jend_block, 3);
	EXPECT_EQ(r.keys, 2);
	EXPECT_EQ(r.buckets, 2);
	EXPECT_EQ(r.grants, 2);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(checkpoint_then_journal_is_clean)
{
	struct ks3_op ckpt[] = {
		ks3_op_key_put(1, ak1, "alice"),
		ks3_op_bucket_put(1, "photos"),
		ks3_op_grant(1, 1, KS3_CAP_READ),
	};
	struct ks3_op more[] = {
		ks3_op_bucket_put(2, "logs"),
		ks3_op_grant(1, 2, KS3_CAP_LIST),
	};
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);		/* folded into the checkpoint below */
	ks3_image_checkpoint(&im, 1, ckpt, 3);
	ks3_image_record(&im, more, 2);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_TRUE(r.has_ckpt);
	EXPECT_EQ(r.ckpt_slot, 1);
	EXPECT_EQ(r.ckpt_seq, 1);
	EXPECT_EQ(r.ckpt_ops, 3);
	EXPECT_EQ(r.replay_seq, 4);
	EXPECT_EQ(r.replay_block, 3);
	EXPECT_EQ(r.jrecs, 1);
	EXPECT_EQ(r.keys, 1);
	EXPECT_EQ(r.buckets, 2);
	EXPECT_EQ(r.grants, 2);
	EXPECT_EQ(r.sb_generation, 2);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(torn_journal_tail_is_not_a_problem)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	/* the last record's payload half written: its crc fails */
	im.data[((im.l.journal_start + im.rec_at[3]) << KS3_BLOCK_SHIFT) +
		sizeof(struct ks3_disk_jrec) + 3] ^= 0x40;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_EQ(r.jrecs, 2);
	EXPECT_EQ(r.jend_seq, 3);
	EXPECT_EQ(r.jend_block, im.rec_at[3]);
	EXPECT_STREQ(r.jend_reason,
		     "record checksum mismatch (torn or damaged)");
	/* what replay sees: bob's grant on logs never happened */
	EXPECT_EQ(r.grants, 1);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(damaged_record_before_a_valid_one_is_a_problem)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	im.data[((im.l.journal_start + im.rec_at[2]) << KS3_BLOCK_SHIFT) +
		sizeof(struct ks3_disk_jrec)] ^= 1;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "journal: record 2 is damaged but record 3 after it is valid");
	EXPECT_EQ(r.jrecs, 1);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(stale_record_from_an_earlier_lap_ends_the_chain)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	/* rewind: record 2's place now holds a record 2 of another lap */
	im.next_seq = 7;
	im.head = im.rec_at[2];
	{
		struct ks3_op op = ks3_op_bucket_put(9, "stale");

		ks3_image_record(&im, &op, 1);
	}
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_EQ(r.jrecs, 1);
	EXPECT_STREQ(r.jend_reason,
		     "sequence out of order (a record from an earlier lap)");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(bad_superblock_crc)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	ks3_image_super(&im, 1)->uuid[3] ^= 1;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "superblock: copy 1 is unusable: superblock checksum mismatch (copy 0 is in use");
	/* copy 0 carries on: the rest is checked and clean */
	EXPECT_EQ(r.sb_copy, 0);
	EXPECT_EQ(r.jrecs, 3);
	s3ctl_fsck_free(&r);

	ks3_image_super(&im, 0)->crc ^= 1;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "superblock: no usable superblock: superblock checksum mismatch");
	EXPECT_FALSE(r.is_ks3);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(older_superblock_copy_is_a_note)
{
	struct ks3_disk_super sb;
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	/* a power cut between the two copies' writes */
	sb = *ks3_image_super(&im, 0);
	ks3_super_seal(&sb);
	memcpy(ks3_image_super(&im, 0), &sb, sizeof(sb));
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	ASSERT_EQ(r.nr_notes, 1);
	EXPECT_STREQ(r.notes[0],
		     "copy 1 is older (generation 1, copy 0 has 2): a superblock write was cut short");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(not_ks3_newer_and_truncated)
{
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	memset(im.data, 0, 2 * KS3_BLOCK_SIZE);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_STREQ(all, "superblock: not a ks3 store: no ks3 superblock in either copy\n");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_super(&im, 0)->version = cpu_to_le32(2);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "newer format version");
	s3ctl_fsck_free(&r);

	ks3_image_super(&im, 0)->version = cpu_to_le32(1);
	im.size -= KS3_BLOCK_SIZE;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "the device is smaller than the store (truncated?)");
	s3ctl_fsck_free(&r);

	/* a larger device is fine, and noted */
	im.size += 2 * KS3_BLOCK_SIZE;
	im.data = realloc(im.data, im.size);
	memset(im.data + im.size - 2 * KS3_BLOCK_SIZE, 0, 2 * KS3_BLOCK_SIZE);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	ASSERT_EQ(r.nr_notes, 1);
	EXPECT_STREQ(r.notes[0],
		     "the device is larger than the store: 1 blocks at its end are not used");
	s3ctl_fsck_free(&r);

	/* too small for a superblock at all */
	im.size = 4096;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "too small to hold a ks3 superblock");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(bad_checkpoint_crc)
{
	struct ks3_op ckpt[] = { ks3_op_bucket_put(1, "photos") };
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];
	u8 *slot;

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_checkpoint(&im, 0, ckpt, 1);
	slot = im.data + (im.l.ckpt_start[0] << KS3_BLOCK_SHIFT);
	slot[sizeof(struct ks3_disk_ckpt) + 9] ^= 1;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_STREQ(all, "checkpoint: checkpoint 1 in slot 0: checksum mismatch\n");
	EXPECT_STREQ(r.jend_reason, "not scanned: the checkpoint is unusable");
	s3ctl_fsck_free(&r);

	/* the slot the superblock names holds another checkpoint */
	slot[sizeof(struct ks3_disk_ckpt) + 9] ^= 1;
	((struct ks3_disk_ckpt *)slot)->seq = cpu_to_le64(5);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "slot 0 holds checkpoint 5 (replay from 1); the superblock expects 1 (replay from 1)");
	s3ctl_fsck_free(&r);

	memset(slot, 0, KS3_BLOCK_SIZE);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "slot 0, which the superblock names, holds no checkpoint");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(grant_to_a_missing_bucket)
{
	struct ks3_op ops[] = {
		ks3_op_key_put(1, ak1, "alice"),
		ks3_op_grant(1, 7, KS3_CAP_READ),
		ks3_op_grant(3, 1, KS3_CAP_READ),
	};
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_record(&im, ops, 3);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 2);
	EXPECT_PROBLEM(all, "metadata: journal record 1, operation 2: grants key id 1 access to bucket id 7, which does not exist (replay refuses it)");
	EXPECT_PROBLEM(all, "operation 3: grants key id 3, which does not exist, access to bucket id 1");
	EXPECT_EQ(r.grants, 0);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(duplicate_ids_and_names_and_deletes_of_nothing)
{
	struct ks3_op ops[] = {
		ks3_op_bucket_put(1, "photos"),
		ks3_op_bucket_put(2, "photos"),		/* name taken */
		ks3_op_bucket_put(1, "other"),		/* id taken */
		ks3_op_bucket_del(5),
		ks3_op_key_put(1, ak1, "alice"),
		ks3_op_key_put(2, ak1, "bob"),		/* access key taken */
		ks3_op_key_put(1, ak2, "alice"),	/* access key changes */
		ks3_op_key_del(9),
		ks3_op_object_del(1, "nothing"),
		ks3_op_bucket_put(3, "Bad_Name"),
	};
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[8192];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_record(&im, ops, ARRAY_SIZE(ops));
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 8);
	EXPECT_PROBLEM(all, "bucket 'photos' exists with id 1, the operation gives it id 2");
	EXPECT_PROBLEM(all, "bucket id 1 of 'other' is already used by bucket 'photos'");
	EXPECT_PROBLEM(all, "deletes bucket id 5, which does not exist");
	EXPECT_PROBLEM(all, "access key KS3AAAAAAAAAAAAAAAA1 of key id 2 is already used by key id 1");
	EXPECT_PROBLEM(all, "key id 1 changes its access key to KS3AAAAAAAAAAAAAAAA2");
	EXPECT_PROBLEM(all, "deletes key id 9, which does not exist");
	EXPECT_PROBLEM(all, "deletes object 'nothing' in bucket id 1, which does not exist");
	EXPECT_PROBLEM(all, "bucket 'Bad_Name' has an invalid name: bucket name may contain only");
	EXPECT_EQ(r.buckets, 2);	/* photos and Bad_Name */
	EXPECT_EQ(r.keys, 1);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(deletes_drop_grants_and_need_empty_buckets)
{
	struct ks3_disk_extent ext = ks3_ext(600, 1);
	__le32 crc[1];
	struct ks3_op ops[4];
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	ks3_image_data(&im, 600, 100, 7, crc);
	ops[0] = ks3_op_object_put(1, "a", 100, &ext, 1, crc);
	ops[1] = ks3_op_bucket_del(1);		/* not empty */
	ops[2] = ks3_op_bucket_del(2);		/* drops bob's grant */
	ops[3] = ks3_op_key_del(1);		/* drops alice's */
	ks3_image_record(&im, ops, 4);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "deletes bucket 'photos', which still holds 1 objects");
	EXPECT_EQ(r.buckets, 1);
	EXPECT_EQ(r.keys, 1);
	EXPECT_EQ(r.grants, 0);
	EXPECT_EQ(r.objects, 1);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(objects_data_is_verified)
{
	/* 2.5 MiB in two extents, split inside the second chunk */
	u64 size = (5ULL << 20) / 2, first = 300;
	struct ks3_disk_extent ext[2] = {
		ks3_ext(600, (u32)first),
		ks3_ext(1200, (u32)(ks3_size_blocks(size) - first)),
	};
	__le32 crcs[3], crc2[1];
	struct ks3_disk_extent ext2 = ks3_ext(1000, 1);
	struct ks3_op ops[3];
	struct ks3_image im;
	struct s3ctl_fsck r;
	u8 *chunk;
	u64 i;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	/* the data as one run, then laid out over the two extents */
	chunk = malloc(size);
	ASSERT_NOT_NULL(chunk);
	for (i = 0; i < size; i++)
		chunk[i] = (u8)(i * 7);
	for (i = 0; i < 3; i++)
		crcs[i] = cpu_to_le32(crc32c(~0U, chunk + (i << 20),
					     (unsigned int)min_t(u64, 1 << 20,
								 size - (i << 20))));
	memcpy(im.data + (600 << KS3_BLOCK_SHIFT), chunk,
	       first << KS3_BLOCK_SHIFT);
	memcpy(im.data + (1200 << KS3_BLOCK_SHIFT),
	       chunk + (first << KS3_BLOCK_SHIFT),
	       size - (first << KS3_BLOCK_SHIFT));
	free(chunk);
	ks3_image_data(&im, 1000, 10, 3, crc2);
	ops[0] = ks3_op_object_put(1, "big", size, ext, 2, crcs);
	ops[1] = ks3_op_object_put(2, "small", 10, &ext2, 1, crc2);
	ops[2] = ks3_op_object_put(2, "empty", 0, NULL, 0, NULL);
	ks3_image_record(&im, ops, 3);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_EQ(r.objects, 3);
	EXPECT_EQ(r.object_bytes, size + 10);
	EXPECT_EQ(r.chunks_checked, 4);
	EXPECT_EQ(r.bytes_checked, size + 10);
	EXPECT_EQ(r.referenced_blocks, ks3_size_blocks(size) + 1);
	EXPECT_EQ(r.free_blocks, BLOCKS - 514 - ks3_size_blocks(size) - 1);
	s3ctl_fsck_free(&r);

	/* one flipped bit in the second extent: chunk 1 fails */
	im.data[(1200 << KS3_BLOCK_SHIFT) + 5] ^= 0x10;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "data: object 'photos/big': bytes 1048576-2097151 fail their checksum");
	EXPECT_EQ(r.chunks_checked, 4);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(overlapping_extents)
{
	struct ks3_disk_extent a = ks3_ext(600, 4), b = ks3_ext(602, 4);
	__le32 ca[1], cb[1];
	struct ks3_op ops[2];
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	ks3_image_data(&im, 600, 4 * 4096, 1, ca);
	ks3_image_data(&im, 602, 4 * 4096, 2, cb);
	ops[0] = ks3_op_object_put(1, "a", 4 * 4096, &a, 1, ca);
	ops[1] = ks3_op_object_put(2, "b", 4 * 4096, &b, 1, cb);
	ks3_image_record(&im, ops, 2);
	/* b's data overwrote a's tail: a's crc fails too */
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 2);
	EXPECT_PROBLEM(all, "space: object 'logs/b' and object 'photos/a' both use blocks 602-603");
	EXPECT_PROBLEM(all, "data: object 'photos/a'");
	EXPECT_EQ(r.referenced_blocks, 6);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(extent_outside_the_data_region)
{
	struct ks3_disk_extent e = ks3_ext(10, 2), far = ks3_ext(BLOCKS - 1, 2);
	__le32 c[1] = { 0 };
	struct ks3_op ops[2];
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	ops[0] = ks3_op_object_put(1, "journal", 8192, &e, 1, c);
	ops[1] = ks3_op_object_put(1, "past-end", 8192, &far, 1, c);
	ks3_image_record(&im, ops, 2);
	/* the first one's blocks are the journal's: its data fails too */
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 3);
	EXPECT_PROBLEM(all, "space: object 'photos/journal': blocks 10-11 are outside the data region (514-2047)");
	EXPECT_PROBLEM(all, "space: object 'photos/past-end': blocks 2047-2048 are outside the data region (514-2047)");
	EXPECT_EQ(r.referenced_blocks, 1);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(replaced_and_deleted_objects_free_their_blocks)
{
	struct ks3_disk_extent x = ks3_ext(600, 1), y = ks3_ext(700, 1);
	__le32 cx[1], cy[1];
	struct ks3_op ops[4];
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	ks3_image_data(&im, 600, 100, 1, cx);
	ks3_image_data(&im, 700, 100, 2, cy);
	ops[0] = ks3_op_object_put(1, "k", 100, &x, 1, cx);
	ops[1] = ks3_op_object_put(1, "k", 100, &y, 1, cy);	/* frees x */
	ops[2] = ks3_op_object_put(2, "m", 100, &x, 1, cx);	/* reuses x */
	ops[3] = ks3_op_object_del(2, "m");
	ks3_image_record(&im, ops, 4);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_EQ(r.objects, 1);
	EXPECT_EQ(r.referenced_blocks, 1);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(multipart_upload_parts_are_stitched)
{
	struct ks3_disk_extent e1 = ks3_ext(600, 2), e2 = ks3_ext(800, 1),
			       e3 = ks3_ext(900, 1);
	__le32 c1[1], c2[1], c3[1], parts[2];
	struct ks3_op ops[5];
	static const u8 etag[16];
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	ks3_image_data(&im, 600, 5000, 1, c1);
	ks3_image_data(&im, 800, 30, 2, c2);
	ks3_image_data(&im, 900, 30, 3, c3);
	memset(ops, 0, sizeof(ops));
	ops[0].type = KS3_OP_UPLOAD_CREATE;
	ops[0].upload = (struct ks3_op_upload){ .upload_id = 42,
		.bucket_id = 1, .key = "mp", .key_len = 2 };
	ops[1].type = KS3_OP_UPLOAD_PART;
	ops[1].part = (struct ks3_op_part){ .upload_id = 42, .part_number = 1,
		.nr_extents = 1, .nr_chunks = 1, .size = 5000, .etag = etag,
		.extents = &e1, .crcs = c1 };
	ops[2] = ops[1];
	ops[2].part.part_number = 2;
	ops[2].part.size = 30;
	ops[2].part.extents = &e2;
	ops[2].part.crcs = c2;
	ops[3] = ops[2];
	ops[3].part.part_number = 3;
	ops[3].part.extents = &e3;
	ops[3].part.crcs = c3;
	ks3_image_record(&im, ops, 4);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_EQ(r.uploads, 1);
	EXPECT_EQ(r.parts, 3);
	EXPECT_EQ(r.referenced_blocks, 4);
	EXPECT_EQ(r.chunks_checked, 3);
	s3ctl_fsck_free(&r);

	/* complete with parts 1 and 3: part 2 is freed */
	parts[0] = cpu_to_le32(1);
	parts[1] = cpu_to_le32(3);
	ops[4].type = KS3_OP_UPLOAD_COMPLETE;
	ops[4].complete = (struct ks3_op_complete){ .upload_id = 42,
		.etag = etag, .nr_parts = 2, .parts = parts };
	ks3_image_record(&im, &ops[4], 1);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_EQ(r.uploads, 0);
	EXPECT_EQ(r.parts, 0);
	EXPECT_EQ(r.objects, 1);
	EXPECT_EQ(r.object_bytes, 5030);
	EXPECT_EQ(r.referenced_blocks, 3);
	EXPECT_EQ(r.chunks_checked, 2);
	s3ctl_fsck_free(&r);

	/* a damaged second part is reported at its offset in the object */
	im.data[(900 << KS3_BLOCK_SHIFT) + 1] ^= 1;
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "data: object 'photos/mp': bytes 5000-5029 fail their checksum");
	s3ctl_fsck_free(&r);

	/* a bucket with an upload in progress cannot be deleted */
	memset(&ops[1], 0, sizeof(ops[1]));
	ops[0].upload.upload_id = 43;
	ops[0].upload.bucket_id = 2;
	ops[1] = ks3_op_bucket_del(2);
	ks3_image_record(&im, ops, 2);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 2);
	EXPECT_PROBLEM(all, "deletes bucket 'logs', which has 1 multipart uploads in progress");
	EXPECT_EQ(r.buckets, 2);
	EXPECT_EQ(r.uploads, 1);
	s3ctl_fsck_free(&r);

	/* completing it again: the upload is gone */
	ks3_image_record(&im, &ops[4], 1);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 3);
	EXPECT_PROBLEM(all, "completes upload 42, which does not exist");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(undecodable_operation)
{
	struct ks3_op op = ks3_op_bucket_put(1, "photos");
	struct ks3_image im;
	struct s3ctl_fsck r;
	struct ks3_disk_jrec *rec;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_record(&im, &op, 1);
	/* an unknown op type, the record resealed: framing fine, op not */
	rec = (void *)(im.data + (im.l.journal_start << KS3_BLOCK_SHIFT));
	((struct ks3_disk_op *)(rec + 1))->type = cpu_to_le16(99);
	ks3_jrec_seal(rec, im.seed);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "journal: journal record 1: operation 1 of 1 does not decode");
	s3ctl_fsck_free(&r);

	/* more ops than the record holds */
	ks3_image_free(&im);
	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_record(&im, &op, 1);
	rec = (void *)(im.data + (im.l.journal_start << KS3_BLOCK_SHIFT));
	rec->nr_ops = cpu_to_le32(2);
	ks3_jrec_seal(rec, im.seed);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 1);
	EXPECT_PROBLEM(all, "operation 2 of 2 does not decode");
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

TEST(journal_wraps_around)
{
	struct ks3_op op = ks3_op_bucket_put(1, "photos");
	struct ks3_disk_super sb;
	struct ks3_image im;
	struct s3ctl_fsck r;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	/* replay starts at the journal's last block */
	im.head = im.l.journal_blocks - 1;
	sb = *ks3_image_super(&im, 0);
	sb.replay_block = cpu_to_le64(im.head);
	ks3_image_write_super(&im, &sb);
	{
		/* a two-block record: its second block is journal block 0 */
		char name[64];
		struct ks3_op ops[80];
		unsigned int i;

		for (i = 0; i < 80; i++) {
			snprintf(name, sizeof(name), "bucket-%u", i);
			ops[i] = ks3_op_bucket_put(i + 2, strdup(name));
		}
		ks3_image_record(&im, ops, 80);
		for (i = 0; i < 80; i++)
			free((char *)ops[i].bucket.name);
	}
	ks3_image_record(&im, &op, 1);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 0);
	EXPECT_STREQ(all, "");
	EXPECT_EQ(r.jrecs, 2);
	EXPECT_EQ(r.buckets, 81);
	EXPECT_EQ(r.jend_block, im.head);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

/* The report: human lines, JSON with every problem, exit 1 and one line. */
TEST(report_lists_every_problem)
{
	struct ks3_op ops[] = { ks3_op_grant(1, 7, KS3_CAP_READ),
				ks3_op_bucket_del(3) };
	struct capture out, err;
	struct ks3_image im;
	struct s3ctl_fsck r;
	struct s3ctl ctx;
	json_error_t jerr;
	json_t *j, *p;
	char all[4096];

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	ks3_image_record(&im, ops, 2);
	EXPECT_EQ(fsck(&im, &r, all, sizeof(all)), 2);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .json = true,
			      .cmd = "fsck" };
	EXPECT_EQ(s3ctl_fsck_report(&ctx, "img", &r), S3CTL_EXIT_FAIL);
	EXPECT_STREQ(capture_text(&err), "s3ctl: fsck: img: 2 problems found\n");
	j = json_loads(capture_text(&out), 0, &jerr);
	ASSERT_NOT_NULL(j);
	EXPECT_FALSE(json_is_true(json_object_get(j, "clean")));
	EXPECT_EQ(json_integer_value(json_object_get(j, "problem_count")), 2);
	p = json_object_get(j, "problems");
	ASSERT_EQ(json_array_size(p), 2);
	EXPECT_STREQ(json_string_value(json_object_get(json_array_get(p, 0), "area")),
		     "metadata");
	EXPECT_NOT_NULL(strstr(json_string_value(json_object_get(
		json_array_get(p, 1), "message")), "deletes bucket id 3"));
	EXPECT_EQ(json_integer_value(json_object_get(
		json_object_get(j, "journal"), "records")), 1);
	EXPECT_EQ(json_integer_value(json_object_get(
		json_object_get(j, "space"), "free_blocks")), BLOCKS - 514);
	json_decref(j);
	capture_free(&out);
	capture_free(&err);

	ctx = (struct s3ctl){ .out = capture_start(&out),
			      .err = capture_start(&err), .cmd = "fsck" };
	EXPECT_EQ(s3ctl_fsck_report(&ctx, "img", &r), S3CTL_EXIT_FAIL);
	EXPECT_NOT_NULL(strstr(capture_text(&out),
		"problem:    metadata: journal record 1, operation 1: grants key id 1, which does not exist"));
	EXPECT_NOT_NULL(strstr(capture_text(&out), "result:     2 problems\n"));
	capture_free(&out);
	capture_free(&err);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
}

/* The command on an image file: io_uring reads, exit statuses. */
TEST(fsck_command_on_an_image_file)
{
	char path[] = "/tmp/ks3-fsck-test.XXXXXX";
	struct capture out, err;
	struct ks3_image im;
	int fd, status;

	ASSERT_TRUE(ks3_image_init(&im, BLOCKS));
	admin_records(&im);
	fd = mkstemp(path);
	ASSERT_TRUE(fd >= 0);
	ASSERT_EQ(write(fd, im.data, im.size), (ssize_t)im.size);
	close(fd);
	status = s3ctl_main(3, (char *[]){ "s3ctl", "fsck", path, NULL },
			    capture_start(&out), capture_start(&err));
	EXPECT_EQ(status, S3CTL_EXIT_OK);
	EXPECT_STREQ(capture_text(&err), "");
	EXPECT_NOT_NULL(strstr(capture_text(&out),
		"metadata:   2 buckets, 2 keys, 2 grants, 0 settings, 0 objects (0 B), 0 uploads, 0 parts\n"));
	EXPECT_NOT_NULL(strstr(capture_text(&out), "result:     clean\n"));
	capture_free(&out);
	capture_free(&err);

	/* `fsck check DEV` is the same command */
	status = s3ctl_main(4, (char *[]){ "s3ctl", "fsck", "check", path,
					   NULL },
			    capture_start(&out), capture_start(&err));
	EXPECT_EQ(status, S3CTL_EXIT_OK);
	capture_free(&out);
	capture_free(&err);
	unlink(path);

	status = s3ctl_main(3, (char *[]){ "s3ctl", "fsck", path, NULL },
			    capture_start(&out), capture_start(&err));
	EXPECT_EQ(status, S3CTL_EXIT_USAGE);
	EXPECT_NOT_NULL(strstr(capture_text(&err), "no such device or file"));
	capture_free(&out);
	capture_free(&err);

	status = s3ctl_main(2, (char *[]){ "s3ctl", "fsck", NULL },
			    capture_start(&out), capture_start(&err));
	EXPECT_EQ(status, S3CTL_EXIT_USAGE);
	EXPECT_STREQ(capture_text(&err), "s3ctl: fsck: missing DEV\n");
	capture_free(&out);
	capture_free(&err);
	ks3_image_free(&im);
}
