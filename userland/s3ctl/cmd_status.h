/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_STATUS_H
#define S3CTL_CMD_STATUS_H

#include "ks3_policy.h"
#include "s3ctl.h"

/* The reply to KS3_CMD_GET_STATUS. */
struct s3ctl_status {
	char version[S3CTL_VERSION_MAX + 1];
	uint32_t state;			/* enum ks3_state */
	uint64_t uptime_ms;
	uint32_t listeners;
	uint32_t connections;
	char device[S3CTL_DEVICE_MAX + 1];	/* "" when none is attached */
};

int s3ctl_status_parse(const struct nlmsghdr *nlh, struct s3ctl_status *st,
		       struct s3ctl_nlerr *e);
int s3ctl_status_print(struct s3ctl *ctx, const struct s3ctl_status *st);
/* "attached", or NULL for a state this s3ctl does not know. */
const char *s3ctl_state_name(uint32_t state);

#endif /* S3CTL_CMD_STATUS_H */
