// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: s3ctl fsck over an untrusted store image (userland/s3ctl/
 * fsck.c), in memory. The first input byte picks what the fuzzer controls:
 *
 *   bit 0 clear: a formatted 4 MiB store whose checkpoint and one journal
 *	record carry the fuzzer's bytes as operations, with valid framing
 *	and crcs, so the operation decoder, the metadata model, the extent
 *	checks and the data check all see fuzzed input. Then: byte 1 the
 *	checkpoint's op count (0: no checkpoint), byte 2 the record's op
 *	count, bytes 3-4 (le16) the checkpoint payload's length; the rest
 *	is the checkpoint payload, then the record payload.
 *   bit 0 set: the bytes after the first are the image from block 0 (the
 *	superblocks), with the superblock in copy 0 resealed (valid crc)
 *	when bit 1 is set, so its fields reach the layout checks.
 *
 * Checked on every input: fsck reads only inside the image (the read
 * callback refuses anything else and the run must not fail), findings are
 * consistent (kept <= found, a store that is not one has a problem, the
 * referenced and free blocks add up to the data region), and a second run
 * finds exactly the same.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ks3_image.h"

#define FUZZ_BLOCKS	1024

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "s3ctl_fsck fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

static void fuzz_ops_image(struct ks3_image *im, const u8 *data, size_t size)
{
	struct ks3_disk_super sb = *ks3_image_super(im, 0);
	u32 ckpt_ops = data[1], rec_ops = data[2];
	size_t ckpt_len = data[3] | (size_t)data[4] << 8, rec_len;
	struct ks3_disk_ckpt *h;
	struct ks3_disk_jrec *rec;
	u64 blocks;

	data += 5;
	size -= 5;
	ckpt_len = min(ckpt_len, size);
	rec_len = size - ckpt_len;
	if (ckpt_ops) {
		h = (void *)(im->data + (im->l.ckpt_start[0] << KS3_BLOCK_SHIFT));
		h->magic = cpu_to_le32(KS3_CKPT_MAGIC);
		h->seq = cpu_to_le64(1);
		h->replay_seq = cpu_to_le64(1);
		h->payload_len = cpu_to_le64(ckpt_len);
		h->nr_ops = cpu_to_le64(ckpt_ops);
		memcpy(h + 1, data, ckpt_len);
		h->crc = cpu_to_le32(ks3_rec_crc(im->seed, h,
						 sizeof(*h) + ckpt_len));
		sb.ckpt_slot = cpu_to_le32(0);
		sb.ckpt_seq = cpu_to_le64(1);
		ks3_image_write_super(im, &sb);
	}
	blocks = ks3_jrec_blocks(rec_len);
	if (blocks > im->l.journal_blocks / 4)
		return;
	rec = calloc(1, blocks << KS3_BLOCK_SHIFT);
	FUZZ_CHECK(rec);
	ks3_jrec_init(rec, 1, (u32)rec_len, rec_ops, 0);
	memcpy(rec + 1, data + ckpt_len, rec_len);
	ks3_jrec_seal(rec, im->seed);
	ks3_image_journal_write(im, 0, (const u8 *)rec, blocks << KS3_BLOCK_SHIFT);
	free(rec);
}

static void fuzz_raw_image(struct ks3_image *im, const u8 *data, size_t size,
			   bool reseal)
{
	struct ks3_disk_super sb;

	memcpy(im->data, data + 1, min(size - 1, (size_t)im->size));
	if (reseal) {
		/* ks3_super_seal() bumps the generation: undo that first */
		memcpy(&sb, im->data, sizeof(sb));
		le64_add_cpu(&sb.generation, -1);
		ks3_super_seal(&sb);
		memcpy(im->data, &sb, sizeof(sb));
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct s3ctl_fsck r, again;
	struct ks3_image im;
	size_t i;

	if (size < 5)
		return 0;
	FUZZ_CHECK(ks3_image_init(&im, FUZZ_BLOCKS));
	if (data[0] & 1)
		fuzz_raw_image(&im, data, size, data[0] & 2);
	else
		fuzz_ops_image(&im, data, size);

	FUZZ_CHECK(ks3_image_fsck(&im, &r) == 0);
	FUZZ_CHECK(r.nr_kept <= r.nr_problems);
	FUZZ_CHECK(r.nr_kept <= S3CTL_FSCK_PROBLEMS_MAX);
	for (i = 0; i < r.nr_kept; i++)
		FUZZ_CHECK(r.problems[i].area && r.problems[i].msg &&
			   r.problems[i].msg[0]);
	FUZZ_CHECK(r.is_ks3 || r.nr_problems);
	if (r.is_ks3) {
		FUZZ_CHECK(r.referenced_blocks + r.free_blocks ==
			   r.layout.data_blocks);
		FUZZ_CHECK(r.layout.total_blocks <= im.size >> KS3_BLOCK_SHIFT);
		FUZZ_CHECK(r.jend_reason);
	}
	FUZZ_CHECK(ks3_image_fsck(&im, &again) == 0);
	FUZZ_CHECK(again.nr_problems == r.nr_problems);
	FUZZ_CHECK(again.referenced_blocks == r.referenced_blocks);
	FUZZ_CHECK(again.chunks_checked == r.chunks_checked);
	s3ctl_fsck_free(&again);
	s3ctl_fsck_free(&r);
	ks3_image_free(&im);
	return 0;
}
