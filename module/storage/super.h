/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Device layout and superblock: computing a layout at format time,
 * checking a superblock read from a device, sealing one to write. Pure
 * code: also built in userland (unit tests, fuzzing, s3ctl fsck).
 */
#ifndef _KS3_STORAGE_SUPER_H
#define _KS3_STORAGE_SUPER_H

#include <linux/types.h>
#include <linux/ks3_disk.h>

/* Smallest store: 4 MiB (superblocks, journal, two slots, some data). */
#define KS3_MIN_BLOCKS		1024
#define KS3_JOURNAL_MIN_BLOCKS	256
#define KS3_JOURNAL_MAX_BLOCKS	262144		/* 1 GiB */
#define KS3_CKPT_MIN_BLOCKS	128
#define KS3_CKPT_MAX_BLOCKS	1048576		/* 4 GiB per slot */

struct ks3_layout {
	u64 total_blocks;
	u64 journal_start;
	u64 journal_blocks;
	u64 ckpt_start[2];
	u64 ckpt_blocks;
	u64 data_start;
	u64 data_blocks;
};

/* Layout for a device of @total_blocks. -ENOSPC if it is too small. */
int ks3_layout_compute(u64 total_blocks, struct ks3_layout *l);

/* crc32c seed of every structure but the superblock, from the uuid. */
u32 ks3_crc_seed(const u8 uuid[16]);

/* A fresh superblock for @l: generation 0, no checkpoint, empty journal. */
void ks3_super_init(struct ks3_disk_super *sb, const struct ks3_layout *l,
		    const u8 uuid[16], u64 now);

/* Bumps the generation and sets the crc; then @sb is ready to write. */
void ks3_super_seal(struct ks3_disk_super *sb);

/* What ks3_super_check() concluded. */
enum ks3_super_verdict {
	KS3_SUPER_OK,
	KS3_SUPER_READ_ONLY,	/* valid, unknown ro_compat features */
	KS3_SUPER_NOT_KS3,	/* no ks3 magic: another format or nothing */
	KS3_SUPER_CORRUPT,	/* ks3 magic, but crc or fields are wrong */
	KS3_SUPER_TOO_NEW,	/* newer version or unknown incompat flags */
	KS3_SUPER_TRUNCATED,	/* the device is smaller than the store */
};

/*
 * Checks the KS3_BLOCK_SIZE bytes at @block as a superblock of a device of
 * @dev_blocks blocks; on KS3_SUPER_OK/READ_ONLY fills @l. *@why gets a
 * static sentence for anything else.
 */
enum ks3_super_verdict ks3_super_check(const void *block, u64 dev_blocks,
				       struct ks3_layout *l, const char **why);

/*
 * Of the two superblock copies, the one to use: the valid copy with the
 * highest generation. Returns 0 or 1, or -1 when neither is usable, with
 * the verdict of copy 0 in *@verdict then.
 */
int ks3_super_pick(const void *copy0, const void *copy1, u64 dev_blocks,
		   struct ks3_layout *l, enum ks3_super_verdict *verdict,
		   const char **why);

#endif /* _KS3_STORAGE_SUPER_H */
