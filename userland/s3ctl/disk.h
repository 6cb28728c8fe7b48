/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The on-disk format as s3ctl needs it to format a device and to tell a
 * ks3 store from anything else: disk.c computes both with the module's
 * own code (module/storage/super.c), so s3ctl and ks3.ko cannot disagree.
 * Plain C types here; disk.c is compiled against the module's shims.
 */
#ifndef S3CTL_DISK_H
#define S3CTL_DISK_H

#include <stdint.h>

#define S3CTL_BLOCK_SIZE	4096U

struct s3ctl_layout {
	uint64_t total_blocks;
	uint64_t journal_start;
	uint64_t journal_blocks;
	uint64_t ckpt_start[2];
	uint64_t ckpt_blocks;
	uint64_t data_start;
	uint64_t data_blocks;
};

/* The smallest device a store fits on, in bytes. */
uint64_t s3ctl_disk_min_bytes(void);
uint32_t s3ctl_disk_format_version(void);

/*
 * The superblock of a fresh store on a device of @bytes, sealed, in
 * @block (S3CTL_BLOCK_SIZE bytes, zero-padded), and its layout. 0, or
 * -ENOSPC when the device is too small.
 */
int s3ctl_disk_format(uint64_t bytes, const uint8_t uuid[16], uint64_t now,
		      void *block, struct s3ctl_layout *l);

enum s3ctl_disk_kind {
	S3CTL_DISK_OTHER,	/* no ks3 superblock in either copy */
	S3CTL_DISK_KS3,		/* a store ks3 can attach */
	S3CTL_DISK_KS3_UNUSABLE, /* ks3 magic, but damaged, newer or truncated */
};

/*
 * What the first two blocks (@blocks: 2 * S3CTL_BLOCK_SIZE bytes) of a
 * device of @bytes hold. For a ks3 store, @uuid gets its uuid and *@why,
 * for an unusable one, a sentence why.
 */
enum s3ctl_disk_kind s3ctl_disk_probe(const void *blocks, uint64_t bytes,
				      uint8_t uuid[16], const char **why);

#endif /* S3CTL_DISK_H */
