/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_FSCK_H
#define S3CTL_CMD_FSCK_H

#include "fsck.h"
#include "s3ctl.h"

/* Prints the findings of a check of @dev; the exit status (0 or 1). */
int s3ctl_fsck_report(struct s3ctl *ctx, const char *dev,
		      const struct s3ctl_fsck *r);

#endif /* S3CTL_CMD_FSCK_H */
