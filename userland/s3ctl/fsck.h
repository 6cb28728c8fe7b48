/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The offline checker behind `s3ctl fsck`: reads a detached store through
 * a read callback (io_uring on a device, memory in tests and fuzzing) and
 * checks every invariant ks3.ko relies on, with the module's own code for
 * the superblock, the record framing and the operation codec (fsck.c is
 * compiled against the module's shims). Plain C types here.
 */
#ifndef S3CTL_FSCK_H
#define S3CTL_FSCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "disk.h"

/* One read: @len bytes at byte @off of the image into @buf. */
struct s3ctl_img_io {
	uint64_t off;
	uint32_t len;
	void *buf;
};

struct s3ctl_img {
	uint64_t size;			/* bytes */
	/* Does every read of @ios (all in range): 0 or -errno. */
	int (*read)(void *ctx, struct s3ctl_img_io *ios, unsigned int n);
	void *ctx;
};

/* Problems kept for the report; more are only counted. */
#define S3CTL_FSCK_PROBLEMS_MAX	1000

struct s3ctl_fsck_problem {
	const char *area;	/* "superblock", "checkpoint", "journal",
				 * "metadata", "space" or "data" */
	char *msg;
};

struct s3ctl_fsck {
	/* Findings: problems (exit 1) and notes (facts, not problems). */
	size_t nr_problems;		/* all of them */
	size_t nr_kept;
	struct s3ctl_fsck_problem *problems;
	size_t nr_notes;
	char **notes;

	/* The superblock in use; the rest is valid only when is_ks3. */
	bool is_ks3;
	int sb_copy;
	uint64_t sb_generation;
	uint8_t uuid[16];
	uint32_t version;
	struct s3ctl_layout layout;

	bool has_ckpt;
	uint32_t ckpt_slot;
	uint64_t ckpt_seq;
	uint64_t ckpt_ops;

	/* The journal chain from the replay point. */
	uint64_t replay_seq;
	uint64_t replay_block;		/* in the journal */
	uint64_t jrecs;			/* valid records */
	uint64_t jops;
	uint64_t jend_block;		/* where the chain ends */
	uint64_t jend_seq;		/* the sequence expected there */
	const char *jend_reason;

	/* The metadata after replay. */
	uint64_t buckets;
	uint64_t keys;
	uint64_t grants;
	uint64_t settings;
	uint64_t objects;
	uint64_t object_bytes;
	uint64_t uploads;
	uint64_t parts;

	/* Space: free space is the complement of what metadata references. */
	uint64_t referenced_blocks;
	uint64_t free_blocks;

	/* Data verified against the per-MiB crc32c. */
	uint64_t chunks_checked;
	uint64_t bytes_checked;
};

/*
 * Checks the store in @img. Returns 0 when the check ran (its findings in
 * @r, problems or not), or -errno when the image could not be read.
 */
int s3ctl_fsck_run(const struct s3ctl_img *img, struct s3ctl_fsck *r);
void s3ctl_fsck_free(struct s3ctl_fsck *r);

#endif /* S3CTL_FSCK_H */
