// SPDX-License-Identifier: GPL-2.0
/*
 * Policy of the "ks3" family's attributes, as s3ctl checks replies.
 */
#include <linux/genetlink.h>

#include "ks3_policy.h"

const struct s3ctl_attr_policy s3ctl_ks3_policy[KS3_A_MAX + 1] = {
	[KS3_A_VERSION]		= { S3CTL_ATTR_STRING, S3CTL_VERSION_MAX, "version" },
	[KS3_A_GENL_VERSION]	= { S3CTL_ATTR_U32, 0, "genl_version" },
	[KS3_A_KERNEL_RELEASE]	= { S3CTL_ATTR_STRING, S3CTL_RELEASE_MAX, "kernel_release" },
	[KS3_A_STATE]		= { S3CTL_ATTR_U32, 0, "state" },
	[KS3_A_UPTIME_MS]	= { S3CTL_ATTR_U64, 0, "uptime_ms" },
	[KS3_A_LISTENERS]	= { S3CTL_ATTR_U32, 0, "listeners" },
	[KS3_A_CONNECTIONS]	= { S3CTL_ATTR_U32, 0, "connections" },
	[KS3_A_DEVICE]		= { S3CTL_ATTR_STRING, S3CTL_DEVICE_MAX, "device" },
	[KS3_A_PAD]		= { S3CTL_ATTR_IGNORE, 0, "pad" },
};

int s3ctl_ks3_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    struct s3ctl_nlerr *e)
{
	return s3ctl_attr_parse(nlh, GENL_HDRLEN, s3ctl_ks3_policy, KS3_A_MAX,
				tb, e);
}

