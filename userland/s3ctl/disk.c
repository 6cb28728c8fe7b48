// SPDX-License-Identifier: GPL-2.0
/*
 * Format and probe with the module's superblock code (see disk.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "disk.h"
#include "storage/super.h"

_Static_assert(S3CTL_BLOCK_SIZE == KS3_BLOCK_SIZE, "block size");
_Static_assert(sizeof(struct ks3_disk_super) <= KS3_BLOCK_SIZE, "superblock");

uint64_t s3ctl_disk_min_bytes(void)
{
	return (uint64_t)KS3_MIN_BLOCKS << KS3_BLOCK_SHIFT;
}

uint32_t s3ctl_disk_format_version(void)
{
	return KS3_FORMAT_VERSION;
}

static void s3ctl_layout_from(struct s3ctl_layout *out,
			      const struct ks3_layout *l)
{
	out->total_blocks = l->total_blocks;
	out->journal_start = l->journal_start;
	out->journal_blocks = l->journal_blocks;
	out->ckpt_start[0] = l->ckpt_start[0];
	out->ckpt_start[1] = l->ckpt_start[1];
	out->ckpt_blocks = l->ckpt_blocks;
	out->data_start = l->data_start;
	out->data_blocks = l->data_blocks;
}

int s3ctl_disk_format(uint64_t bytes, const uint8_t uuid[16], uint64_t now,
		      void *block, struct s3ctl_layout *out)
{
	struct ks3_disk_super sb;
	struct ks3_layout l;
	int ret;

	ret = ks3_layout_compute(bytes >> KS3_BLOCK_SHIFT, &l);
	if (ret)
		return ret;
	/* Generation 1 once sealed, as ks3_store_format() writes it. */
	ks3_super_init(&sb, &l, uuid, now);
	ks3_super_seal(&sb);
	memset(block, 0, KS3_BLOCK_SIZE);
	memcpy(block, &sb, sizeof(sb));
	s3ctl_layout_from(out, &l);
	return 0;
}

enum s3ctl_disk_kind s3ctl_disk_probe(const void *blocks, uint64_t bytes,
				      uint8_t uuid[16], const char **why)
{
	const u8 *copy1 = (const u8 *)blocks + KS3_BLOCK_SIZE;
	const struct ks3_disk_super *sb;
	enum ks3_super_verdict verdict;
	struct ks3_layout l;
	int copy;

	copy = ks3_super_pick(blocks, copy1, bytes >> KS3_BLOCK_SHIFT, &l,
			      &verdict, why);
	if (copy < 0 && verdict == KS3_SUPER_NOT_KS3)
		return S3CTL_DISK_OTHER;
	/* Unusable: the uuid of whichever copy has the magic. */
	sb = copy == 1 || (copy < 0 && le32_to_cpu(((const struct ks3_disk_super *)
			   blocks)->magic) != KS3_SUPER_MAGIC) ?
	     (const void *)copy1 : blocks;
	memcpy(uuid, sb->uuid, 16);
	return copy >= 0 ? S3CTL_DISK_KS3 : S3CTL_DISK_KS3_UNUSABLE;
}
