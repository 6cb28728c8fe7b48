/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_BUCKET_H
#define S3CTL_CMD_BUCKET_H

#include <linux/ks3_disk.h>

#include "ks3_policy.h"
#include "s3ctl.h"

struct s3ctl_bucket {
	char name[KS3_BUCKET_NAME_LEN_MAX + 1];
	uint32_t id;
	uint32_t owner_id;		/* 0: none */
	char owner[KS3_ACCESS_KEY_LEN + 1]; /* "": none, or deleted */
	uint64_t create_time;
	uint64_t objects;
	uint64_t bytes;
	uint64_t quota_bytes;		/* 0: none */
	uint64_t quota_objects;
};

struct s3ctl_bucket_list {
	size_t n;
	size_t cap;
	struct s3ctl_bucket *buckets;
};

int s3ctl_bucket_list_parse(const struct nlmsghdr *nlh,
			    struct s3ctl_bucket_list *l, struct s3ctl_nlerr *e);
int s3ctl_bucket_list_print(struct s3ctl *ctx,
			    const struct s3ctl_bucket_list *l);
void s3ctl_bucket_list_free(struct s3ctl_bucket_list *l);

/* "10G", "512K", "1000": binary multiples. 0, or -EINVAL / -ERANGE. */
int s3ctl_size_parse(const char *s, uint64_t *out);

#endif /* S3CTL_CMD_BUCKET_H */
