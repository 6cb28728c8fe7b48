// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl version`: the versions of s3ctl, the module, its netlink ABI and
 * the kernel it runs on.
 */
#include <stdio.h>

#include "cmd_version.h"
#include "output.h"

int s3ctl_version_parse(const struct nlmsghdr *nlh, struct s3ctl_version *v,
			struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_VERSION, KS3_A_GENL_VERSION, KS3_A_KERNEL_RELEASE,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	/* Lengths were checked against the policy: these fit. */
	snprintf(v->version, sizeof(v->version), "%s",
		 mnl_attr_get_str(tb[KS3_A_VERSION]));
	v->genl_version = mnl_attr_get_u32(tb[KS3_A_GENL_VERSION]);
	snprintf(v->kernel_release, sizeof(v->kernel_release), "%s",
		 mnl_attr_get_str(tb[KS3_A_KERNEL_RELEASE]));
	return 0;
}

int s3ctl_version_print(struct s3ctl *ctx, const struct s3ctl_version *v)
{
	struct s3ctl_record r;

	s3ctl_record_init(&r, ctx->json);
	s3ctl_record_str(&r, "s3ctl_version", "s3ctl", KS3_VERSION);
	s3ctl_record_str(&r, "module_version", "ks3.ko", v->version);
	s3ctl_record_u64(&r, "genl_version", "genl version", v->genl_version);
	s3ctl_record_str(&r, "kernel_release", "kernel", v->kernel_release);
	if (s3ctl_record_print(&r, ctx->out)) {
		s3ctl_error(ctx, "out of memory");
		return S3CTL_EXIT_FAIL;
	}
	return S3CTL_EXIT_OK;
}

static int s3ctl_version_cb(const struct nlmsghdr *nlh, void *data,
			    struct s3ctl_nlerr *e)
{
	return s3ctl_version_parse(nlh, data, e);
}

int s3ctl_cmd_version_show(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_version v;
	int ret;

	ret = s3ctl_expect_no_args(ctx, argc, argv);
	if (ret)
		return ret;
	ret = s3ctl_query(ctx, KS3_CMD_GET_VERSION, s3ctl_version_cb, &v);
	if (ret)
		return ret;
	return s3ctl_version_print(ctx, &v);
}
