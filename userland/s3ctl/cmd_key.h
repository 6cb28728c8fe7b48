/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_KEY_H
#define S3CTL_CMD_KEY_H

#include <linux/ks3_disk.h>

#include "ks3_policy.h"
#include "output.h"
#include "s3ctl.h"

/* "read,write,list,owner" or "all" into KS3_CAP_*: 0 or -EINVAL. */
int s3ctl_caps_parse(const char *s, uint32_t *caps);
/* "read,write", or "none". */
void s3ctl_caps_format(char *buf, size_t len, uint32_t caps);
/* ["read","write"]; NULL when out of memory. */
json_t *s3ctl_caps_json(uint32_t caps);

struct s3ctl_grant {
	char bucket[KS3_BUCKET_NAME_LEN_MAX + 1];
	uint32_t bucket_id;
	uint32_t caps;
};

struct s3ctl_key {
	uint32_t id;
	char access_key[KS3_ACCESS_KEY_LEN + 1];
	char name[KS3_KEY_NAME_LEN_MAX + 1];
	bool enabled;
	uint64_t create_time;
	size_t nr_grants;
	struct s3ctl_grant *grants;
};

/* A KEY_LIST dump as it arrives. */
struct s3ctl_key_list {
	size_t n;
	size_t cap;
	struct s3ctl_key *keys;
};

/*
 * Adds one KEY_LIST message to @l; a message continuing the last key
 * (same id: its grants did not fit one message) adds to its grants.
 */
int s3ctl_key_list_parse(const struct nlmsghdr *nlh, struct s3ctl_key_list *l,
			 struct s3ctl_nlerr *e);
int s3ctl_key_list_print(struct s3ctl *ctx, const struct s3ctl_key_list *l);
void s3ctl_key_list_free(struct s3ctl_key_list *l);

#endif /* S3CTL_CMD_KEY_H */
