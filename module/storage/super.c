// SPDX-License-Identifier: GPL-2.0
/*
 * Layout and superblock checks. The superblock is the one structure read
 * before anything about the device is known, so every field is checked
 * against the others and the device size before any is used.
 */
#include <linux/crc32c.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "super.h"

int ks3_layout_compute(u64 total_blocks, struct ks3_layout *l)
{
	if (total_blocks < KS3_MIN_BLOCKS)
		return -ENOSPC;
	l->total_blocks = total_blocks;
	l->journal_start = KS3_JOURNAL_START;
	l->journal_blocks = clamp_t(u64, total_blocks / 64,
				    KS3_JOURNAL_MIN_BLOCKS,
				    KS3_JOURNAL_MAX_BLOCKS);
	l->ckpt_blocks = clamp_t(u64, total_blocks / 32, KS3_CKPT_MIN_BLOCKS,
				 KS3_CKPT_MAX_BLOCKS);
	l->ckpt_start[0] = l->journal_start + l->journal_blocks;
	l->ckpt_start[1] = l->ckpt_start[0] + l->ckpt_blocks;
	l->data_start = l->ckpt_start[1] + l->ckpt_blocks;
	l->data_blocks = total_blocks - l->data_start;
	return 0;
}

u32 ks3_crc_seed(const u8 uuid[16])
{
	return crc32c(~0U, uuid, 16);
}

void ks3_super_init(struct ks3_disk_super *sb, const struct ks3_layout *l,
		    const u8 uuid[16], u64 now)
{
	memset(sb, 0, sizeof(*sb));
	sb->magic = cpu_to_le32(KS3_SUPER_MAGIC);
	sb->version = cpu_to_le32(KS3_FORMAT_VERSION);
	sb->struct_size = cpu_to_le32(sizeof(*sb));
	sb->block_size = cpu_to_le32(KS3_BLOCK_SIZE);
	memcpy(sb->uuid, uuid, sizeof(sb->uuid));
	sb->total_blocks = cpu_to_le64(l->total_blocks);
	sb->journal_start = cpu_to_le64(l->journal_start);
	sb->journal_blocks = cpu_to_le64(l->journal_blocks);
	sb->ckpt_start[0] = cpu_to_le64(l->ckpt_start[0]);
	sb->ckpt_start[1] = cpu_to_le64(l->ckpt_start[1]);
	sb->ckpt_blocks = cpu_to_le64(l->ckpt_blocks);
	sb->data_start = cpu_to_le64(l->data_start);
	sb->data_blocks = cpu_to_le64(l->data_blocks);
	sb->format_time = cpu_to_le64(now);
	sb->ckpt_slot = cpu_to_le32(KS3_NO_CHECKPOINT);
	sb->replay_seq = cpu_to_le64(1);
}

static u32 ks3_super_crc(const void *block, u32 size)
{
	const struct ks3_disk_super *sb = block;
	static const __le32 zero;
	u32 crc;

	crc = crc32c(~0U, sb, offsetof(struct ks3_disk_super, crc));
	crc = crc32c(crc, &zero, sizeof(zero));
	return crc32c(crc, (const u8 *)block + offsetof(struct ks3_disk_super,
							version),
		      size - offsetof(struct ks3_disk_super, version));
}

void ks3_super_seal(struct ks3_disk_super *sb)
{
	le64_add_cpu(&sb->generation, 1);
	sb->crc = cpu_to_le32(ks3_super_crc(sb, sizeof(*sb)));
}

static bool ks3_zero(const void *p, size_t n)
{
	return !n || (!*(const u8 *)p && !memcmp(p, (const u8 *)p + 1, n - 1));
}

/* The regions follow each other in order and end at the device's end. */
static bool ks3_layout_consistent(const struct ks3_layout *l)
{
	return l->journal_start == KS3_JOURNAL_START &&
	       l->journal_blocks >= KS3_JOURNAL_MIN_BLOCKS &&
	       l->journal_blocks <= KS3_JOURNAL_MAX_BLOCKS &&
	       l->ckpt_blocks >= KS3_CKPT_MIN_BLOCKS &&
	       l->ckpt_blocks <= KS3_CKPT_MAX_BLOCKS &&
	       l->ckpt_start[0] == l->journal_start + l->journal_blocks &&
	       l->ckpt_start[1] == l->ckpt_start[0] + l->ckpt_blocks &&
	       l->data_start == l->ckpt_start[1] + l->ckpt_blocks &&
	       l->data_start < l->total_blocks &&
	       l->data_blocks == l->total_blocks - l->data_start;
}

enum ks3_super_verdict ks3_super_check(const void *block, u64 dev_blocks,
				       struct ks3_layout *l, const char **why)
{
	const struct ks3_disk_super *sb = block;
	u32 size = le32_to_cpu(sb->struct_size);
	u32 version = le32_to_cpu(sb->version);
	u32 slot = le32_to_cpu(sb->ckpt_slot);

	if (le32_to_cpu(sb->magic) != KS3_SUPER_MAGIC) {
		*why = "no ks3 superblock";
		return KS3_SUPER_NOT_KS3;
	}
	if (version > KS3_FORMAT_VERSION) {
		*why = "the store has a newer format version than this ks3 supports";
		return KS3_SUPER_TOO_NEW;
	}
	if (!version || size < sizeof(*sb) || size > KS3_BLOCK_SIZE) {
		*why = "superblock header is corrupt";
		return KS3_SUPER_CORRUPT;
	}
	if (ks3_super_crc(block, size) != le32_to_cpu(sb->crc)) {
		*why = "superblock checksum mismatch";
		return KS3_SUPER_CORRUPT;
	}
	if (le32_to_cpu(sb->feature_incompat) & ~KS3_FEATURE_INCOMPAT_SUPP) {
		*why = "the store uses incompatible features this ks3 does not know";
		return KS3_SUPER_TOO_NEW;
	}
	l->total_blocks = le64_to_cpu(sb->total_blocks);
	l->journal_start = le64_to_cpu(sb->journal_start);
	l->journal_blocks = le64_to_cpu(sb->journal_blocks);
	l->ckpt_start[0] = le64_to_cpu(sb->ckpt_start[0]);
	l->ckpt_start[1] = le64_to_cpu(sb->ckpt_start[1]);
	l->ckpt_blocks = le64_to_cpu(sb->ckpt_blocks);
	l->data_start = le64_to_cpu(sb->data_start);
	l->data_blocks = le64_to_cpu(sb->data_blocks);
	if (le32_to_cpu(sb->block_size) != KS3_BLOCK_SIZE ||
	    !ks3_layout_consistent(l) || sb->reserved0 ||
	    !ks3_zero(sb->reserved, sizeof(sb->reserved)) ||
	    (slot > 1 && slot != KS3_NO_CHECKPOINT) ||
	    le64_to_cpu(sb->replay_block) >= l->journal_blocks ||
	    !le64_to_cpu(sb->replay_seq)) {
		*why = "superblock fields are inconsistent";
		return KS3_SUPER_CORRUPT;
	}
	if (l->total_blocks > dev_blocks) {
		*why = "the device is smaller than the store (truncated?)";
		return KS3_SUPER_TRUNCATED;
	}
	if (le32_to_cpu(sb->feature_ro_compat) & ~KS3_FEATURE_RO_COMPAT_SUPP) {
		*why = "the store uses features this ks3 can only read";
		return KS3_SUPER_READ_ONLY;
	}
	*why = NULL;
	return KS3_SUPER_OK;
}

static bool ks3_verdict_usable(enum ks3_super_verdict v)
{
	return v == KS3_SUPER_OK || v == KS3_SUPER_READ_ONLY;
}

int ks3_super_pick(const void *copy0, const void *copy1, u64 dev_blocks,
		   struct ks3_layout *l, enum ks3_super_verdict *verdict,
		   const char **why)
{
	const struct ks3_disk_super *sb0 = copy0, *sb1 = copy1;
	struct ks3_layout l0, l1;
	enum ks3_super_verdict v0, v1;
	const char *why0, *why1;

	v0 = ks3_super_check(copy0, dev_blocks, &l0, &why0);
	v1 = ks3_super_check(copy1, dev_blocks, &l1, &why1);
	/* A newer format in either copy: refuse rather than downgrade. */
	if (v0 == KS3_SUPER_TOO_NEW || v1 == KS3_SUPER_TOO_NEW) {
		*verdict = KS3_SUPER_TOO_NEW;
		*why = v0 == KS3_SUPER_TOO_NEW ? why0 : why1;
		return -1;
	}
	if (ks3_verdict_usable(v0) &&
	    (!ks3_verdict_usable(v1) ||
	     le64_to_cpu(sb0->generation) >= le64_to_cpu(sb1->generation))) {
		*l = l0;
		*verdict = v0;
		*why = why0;
		return 0;
	}
	if (ks3_verdict_usable(v1)) {
		*l = l1;
		*verdict = v1;
		*why = why1;
		return 1;
	}
	/* Neither: report copy 0 unless only copy 1 is a ks3 superblock. */
	if (v0 == KS3_SUPER_NOT_KS3 && v1 != KS3_SUPER_NOT_KS3) {
		*verdict = v1;
		*why = why1;
	} else {
		*verdict = v0;
		*why = why0;
	}
	return -1;
}
