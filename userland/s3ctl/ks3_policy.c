// SPDX-License-Identifier: GPL-2.0
/*
 * Policy of the "ks3" family's attributes, as s3ctl checks replies.
 */
#include <linux/genetlink.h>
#include <linux/ks3_disk.h>

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
	[KS3_A_FORCE]		= { S3CTL_ATTR_FLAG, 0, "force" },
	[KS3_A_UUID]		= { S3CTL_ATTR_BINARY, 16, "uuid" },
	[KS3_A_TOTAL_BYTES]	= { S3CTL_ATTR_U64, 0, "total_bytes" },
	[KS3_A_DATA_BYTES]	= { S3CTL_ATTR_U64, 0, "data_bytes" },
	[KS3_A_FREE_BYTES]	= { S3CTL_ATTR_U64, 0, "free_bytes" },
	[KS3_A_JOURNAL_USED]	= { S3CTL_ATTR_U64, 0, "journal_used" },
	[KS3_A_JOURNAL_BLOCKS]	= { S3CTL_ATTR_U64, 0, "journal_blocks" },
	[KS3_A_NR_BUCKETS]	= { S3CTL_ATTR_U32, 0, "nr_buckets" },
	[KS3_A_NR_KEYS]		= { S3CTL_ATTR_U32, 0, "nr_keys" },
	[KS3_A_READ_ONLY]	= { S3CTL_ATTR_FLAG, 0, "read_only" },
	[KS3_A_RO_REASON]	= { S3CTL_ATTR_STRING, S3CTL_REASON_MAX, "ro_reason" },
	[KS3_A_CHECKPOINTS]	= { S3CTL_ATTR_U64, 0, "checkpoints" },
	[KS3_A_COMMITS]		= { S3CTL_ATTR_U64, 0, "commits" },
	[KS3_A_KEY_ID]		= { S3CTL_ATTR_U32, 0, "key_id" },
	[KS3_A_ACCESS_KEY]	= { S3CTL_ATTR_STRING, KS3_ACCESS_KEY_LEN, "access_key" },
	[KS3_A_SECRET_KEY]	= { S3CTL_ATTR_STRING, KS3_SECRET_KEY_LEN, "secret_key" },
	[KS3_A_KEY_NAME]	= { S3CTL_ATTR_STRING, KS3_KEY_NAME_LEN_MAX, "key_name" },
	[KS3_A_KEY_ENABLED]	= { S3CTL_ATTR_U8, 0, "key_enabled" },
	[KS3_A_CREATE_TIME]	= { S3CTL_ATTR_U64, 0, "create_time" },
	[KS3_A_GRANTS]		= { S3CTL_ATTR_NESTED, 0, "grants" },
	[KS3_A_GRANT]		= { S3CTL_ATTR_NESTED, 0, "grant" },
	[KS3_A_CAPS]		= { S3CTL_ATTR_U32, 0, "caps" },
	[KS3_A_BUCKET_NAME]	= { S3CTL_ATTR_STRING, KS3_BUCKET_NAME_LEN_MAX, "bucket_name" },
	[KS3_A_BUCKET_ID]	= { S3CTL_ATTR_U32, 0, "bucket_id" },
	[KS3_A_OWNER]		= { S3CTL_ATTR_STRING, KS3_ACCESS_KEY_LEN, "owner" },
	[KS3_A_OWNER_ID]	= { S3CTL_ATTR_U32, 0, "owner_id" },
	[KS3_A_NR_OBJECTS]	= { S3CTL_ATTR_U64, 0, "nr_objects" },
	[KS3_A_BYTES]		= { S3CTL_ATTR_U64, 0, "bytes" },
	[KS3_A_QUOTA_BYTES]	= { S3CTL_ATTR_U64, 0, "quota_bytes" },
	[KS3_A_QUOTA_OBJECTS]	= { S3CTL_ATTR_U64, 0, "quota_objects" },
	[KS3_A_LISTEN_ADDR]	= { S3CTL_ATTR_BINARY, 16, "listen_addr" },
	[KS3_A_LISTEN_PORT]	= { S3CTL_ATTR_U16, 0, "listen_port" },
	[KS3_A_ACCEPTED]	= { S3CTL_ATTR_U64, 0, "accepted" },
	[KS3_A_CONFIG_NAME]	= { S3CTL_ATTR_STRING, KS3_CONFIG_NAME_MAX, "config_name" },
	[KS3_A_CONFIG_VALUE]	= { S3CTL_ATTR_STRING, KS3_CONFIG_VALUE_MAX, "config_value" },
	[KS3_A_CONFIG_DEFAULT]	= { S3CTL_ATTR_STRING, KS3_CONFIG_VALUE_MAX, "config_default" },
	[KS3_A_CONFIG_IS_SET]	= { S3CTL_ATTR_FLAG, 0, "config_is_set" },
	[KS3_A_DIGESTS]		= { S3CTL_ATTR_NESTED, 0, "digests" },
	[KS3_A_DIGEST]		= { S3CTL_ATTR_NESTED, 0, "digest" },
	[KS3_A_DIGEST_ALG]	= { S3CTL_ATTR_STRING, S3CTL_DIGEST_ALG_MAX, "digest_alg" },
	[KS3_A_DIGEST_DRIVER]	= { S3CTL_ATTR_STRING, S3CTL_DIGEST_DRIVER_MAX, "digest_driver" },
};

int s3ctl_ks3_parse(const struct nlmsghdr *nlh, const struct nlattr **tb,
		    struct s3ctl_nlerr *e)
{
	return s3ctl_attr_parse(nlh, GENL_HDRLEN, s3ctl_ks3_policy, KS3_A_MAX,
				tb, e);
}

int s3ctl_ks3_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			   struct s3ctl_nlerr *e)
{
	return s3ctl_attr_parse_buf(mnl_attr_get_payload(nest),
				    mnl_attr_get_payload_len(nest),
				    s3ctl_ks3_policy, KS3_A_MAX, tb, e);
}

