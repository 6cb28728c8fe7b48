/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_STATUS_H
#define S3CTL_CMD_STATUS_H

#include "ks3_policy.h"
#include "s3ctl.h"

/* Digests s3ctl keeps from one reply; more are left out. */
#define S3CTL_DIGESTS_MAX	16

/* The kernel driver behind one digest (KS3_A_DIGEST). */
struct s3ctl_digest {
	char alg[S3CTL_DIGEST_ALG_MAX + 1];		/* "sha256" */
	char driver[S3CTL_DIGEST_DRIVER_MAX + 1];	/* "sha256-avx2" */
};

/* The reply to KS3_CMD_GET_STATUS. */
struct s3ctl_status {
	char version[S3CTL_VERSION_MAX + 1];
	uint32_t state;			/* enum ks3_state */
	uint64_t uptime_ms;
	uint32_t listeners;
	uint32_t connections;
	char device[S3CTL_DEVICE_MAX + 1];	/* "" when none is attached */
	/* KS3_A_DIGESTS; none from a module older than the attribute */
	unsigned int nr_digests;
	struct s3ctl_digest digests[S3CTL_DIGESTS_MAX];
	/* The store, when one is attached (KS3_A_UUID present). */
	bool has_store;
	uint8_t uuid[16];
	uint64_t total_bytes;
	uint64_t data_bytes;
	uint64_t free_bytes;
	uint64_t journal_used;		/* blocks */
	uint64_t journal_blocks;
	uint32_t nr_buckets;
	uint32_t nr_keys;
	uint64_t checkpoints;
	uint64_t commits;
	bool read_only;
	char ro_reason[S3CTL_REASON_MAX + 1];
};

int s3ctl_status_parse(const struct nlmsghdr *nlh, struct s3ctl_status *st,
		       struct s3ctl_nlerr *e);
int s3ctl_status_print(struct s3ctl *ctx, const struct s3ctl_status *st);
/* "attached", or NULL for a state this s3ctl does not know. */
const char *s3ctl_state_name(uint32_t state);

#endif /* S3CTL_CMD_STATUS_H */
