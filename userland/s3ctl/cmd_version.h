/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_VERSION_H
#define S3CTL_CMD_VERSION_H

#include "ks3_policy.h"
#include "s3ctl.h"

/* The reply to KS3_CMD_GET_VERSION. */
struct s3ctl_version {
	char version[S3CTL_VERSION_MAX + 1];
	uint32_t genl_version;
	char kernel_release[S3CTL_RELEASE_MAX + 1];
};

int s3ctl_version_parse(const struct nlmsghdr *nlh, struct s3ctl_version *v,
			struct s3ctl_nlerr *e);
int s3ctl_version_print(struct s3ctl *ctx, const struct s3ctl_version *v);

#endif /* S3CTL_CMD_VERSION_H */
