/* SPDX-License-Identifier: GPL-2.0 */
#ifndef S3CTL_CMD_CONFIG_H
#define S3CTL_CMD_CONFIG_H

#include <stdbool.h>

#include <linux/ks3_disk.h>

#include "ks3_policy.h"
#include "s3ctl.h"

struct s3ctl_setting {
	char name[KS3_CONFIG_NAME_MAX + 1];
	char value[KS3_CONFIG_VALUE_MAX + 1];	/* live */
	char def[KS3_CONFIG_VALUE_MAX + 1];	/* when not set */
	bool is_set;				/* the store holds a value */
};

/* A CONFIG_GET dump as it arrives. */
struct s3ctl_setting_list {
	size_t n;
	size_t cap;
	struct s3ctl_setting *settings;
};

int s3ctl_setting_list_parse(const struct nlmsghdr *nlh,
			     struct s3ctl_setting_list *l,
			     struct s3ctl_nlerr *e);
/* Prints them all, or only setting @name (NULL: all). */
int s3ctl_setting_list_print(struct s3ctl *ctx,
			     const struct s3ctl_setting_list *l,
			     const char *name);
void s3ctl_setting_list_free(struct s3ctl_setting_list *l);

#endif /* S3CTL_CMD_CONFIG_H */
