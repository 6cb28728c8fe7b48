/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attributes of the "ks3" family as s3ctl reads them: one policy for
 * every command, like the family policy in module/control/genl.c.
 */
#ifndef S3CTL_KS3_POLICY_H
#define S3CTL_KS3_POLICY_H

#include <linux/ks3.h>

#include "nlattr.h"

/* Longest strings s3ctl accepts; the module's own limits are lower. */
#define S3CTL_VERSION_MAX	64	/* KS3_A_VERSION */
#define S3CTL_RELEASE_MAX	64	/* KS3_A_KERNEL_RELEASE: __NEW_UTS_LEN */
#define S3CTL_DEVICE_MAX	4095	/* KS3_A_DEVICE: PATH_MAX - 1 */
#define S3CTL_REASON_MAX	255	/* KS3_A_RO_REASON */
#define S3CTL_DIGEST_ALG_MAX	31	/* KS3_A_DIGEST_ALG */
#define S3CTL_DIGEST_DRIVER_MAX	127	/* KS3_A_DIGEST_DRIVER: CRYPTO_MAX_ALG_NAME - 1 */

extern const struct s3ctl_attr_policy s3ctl_ks3_policy[KS3_A_MAX + 1];

/* Parses a ks3 reply into @tb[0..KS3_A_MAX]; 0 or -errno with @e set. */
int s3ctl_ks3_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    struct s3ctl_nlerr *e);
/* The same for the attributes inside @nest. */
int s3ctl_ks3_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			   struct s3ctl_nlerr *e);

#endif /* S3CTL_KS3_POLICY_H */
