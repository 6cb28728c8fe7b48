// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl config get|set|unset`: the module's settings. Their names,
 * ranges and defaults are the module's (module/control/config.c); s3ctl
 * only carries text both ways, and the kernel says what it refuses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_config.h"
#include "output.h"

int s3ctl_setting_list_parse(const struct nlmsghdr *nlh,
			     struct s3ctl_setting_list *l,
			     struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_CONFIG_NAME, KS3_A_CONFIG_VALUE, KS3_A_CONFIG_DEFAULT,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_setting *s;
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		s = realloc(l->settings, l->cap * sizeof(*s));
		if (!s)
			return s3ctl_nlerr_set(e, ENOMEM, "out of memory");
		l->settings = s;
	}
	s = &l->settings[l->n++];
	/* Lengths were checked against the policy: these fit. */
	snprintf(s->name, sizeof(s->name), "%s",
		 mnl_attr_get_str(tb[KS3_A_CONFIG_NAME]));
	snprintf(s->value, sizeof(s->value), "%s",
		 mnl_attr_get_str(tb[KS3_A_CONFIG_VALUE]));
	snprintf(s->def, sizeof(s->def), "%s",
		 mnl_attr_get_str(tb[KS3_A_CONFIG_DEFAULT]));
	s->is_set = tb[KS3_A_CONFIG_IS_SET];
	return 0;
}

void s3ctl_setting_list_free(struct s3ctl_setting_list *l)
{
	free(l->settings);
	memset(l, 0, sizeof(*l));
}

static json_t *s3ctl_setting_json(const struct s3ctl_setting *s)
{
	return json_pack("{s:o?,s:o?,s:o?,s:b}",
			 "name", s3ctl_json_string(s->name),
			 "value", s3ctl_json_string(s->value),
			 "default", s3ctl_json_string(s->def),
			 "set", s->is_set);
}

int s3ctl_setting_list_print(struct s3ctl *ctx,
			     const struct s3ctl_setting_list *l,
			     const char *name)
{
	static const char *const headers[] = {
		"NAME", "VALUE", "DEFAULT", "SET",
	};
	const struct s3ctl_setting *one = NULL;
	struct s3ctl_table t;
	json_t *a, *o;
	size_t i;

	if (name) {
		for (i = 0; i < l->n; i++)
			if (!strcmp(l->settings[i].name, name))
				one = &l->settings[i];
		if (!one) {
			s3ctl_error(ctx,
				    "no such setting '%s' (s3ctl config get lists them)",
				    name);
			return S3CTL_EXIT_FAIL;
		}
	}
	if (ctx->json) {
		if (one) {
			a = s3ctl_setting_json(one);
		} else {
			a = json_array();
			for (i = 0; a && i < l->n; i++) {
				o = s3ctl_setting_json(&l->settings[i]);
				if (!o || json_array_append_new(a, o)) {
					json_decref(a);
					a = NULL;
				}
			}
		}
		if (s3ctl_json_print(a, ctx->out))
			goto err_oom;
		return S3CTL_EXIT_OK;
	}
	s3ctl_table_init(&t, 4, headers);
	for (i = 0; i < l->n; i++) {
		const struct s3ctl_setting *s = &l->settings[i];

		if (one && s != one)
			continue;
		/* An empty value (vhost_domain's default) shows as "-". */
		s3ctl_table_add(&t, (const char *const[]){
			s->name, s->value[0] ? s->value : "-",
			s->def[0] ? s->def : "-", s->is_set ? "yes" : "no" });
	}
	if (s3ctl_table_print(&t, ctx->out))
		goto err_oom;
	return S3CTL_EXIT_OK;
err_oom:
	s3ctl_error(ctx, "out of memory");
	return S3CTL_EXIT_FAIL;
}

static int s3ctl_setting_list_cb(const struct nlmsghdr *nlh, void *data,
				 struct s3ctl_nlerr *e)
{
	return s3ctl_setting_list_parse(nlh, data, e);
}

static int s3ctl_config_name_arg(struct s3ctl *ctx, const char *name)
{
	if (!name[0] || strlen(name) > KS3_CONFIG_NAME_MAX)
		return s3ctl_usage_error(ctx,
			"a setting name is 1 to %u characters (s3ctl config get lists them)",
			KS3_CONFIG_NAME_MAX);
	return S3CTL_EXIT_OK;
}

int s3ctl_cmd_config_get(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_setting_list l = { 0 };
	struct nlmsghdr *req;
	int ret;

	if (argc > 1)
		return s3ctl_usage_error(ctx, "unexpected argument '%s'",
					 argv[1]);
	if (argc == 1) {
		ret = s3ctl_config_name_arg(ctx, argv[0]);
		if (ret)
			return ret;
	}
	req = s3ctl_start(ctx, KS3_CMD_CONFIG_GET);
	if (!req)
		return S3CTL_EXIT_FAIL;
	ret = s3ctl_exec(ctx, req, true, s3ctl_setting_list_cb, &l);
	if (!ret)
		ret = s3ctl_setting_list_print(ctx, &l,
					       argc == 1 ? argv[0] : NULL);
	s3ctl_setting_list_free(&l);
	return ret;
}

int s3ctl_cmd_config_set(struct s3ctl *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 2, "NAME VALUE");
	if (!ret)
		ret = s3ctl_config_name_arg(ctx, argv[0]);
	if (ret)
		return ret;
	if (strlen(argv[1]) > KS3_CONFIG_VALUE_MAX)
		return s3ctl_usage_error(ctx, "a value is at most %u bytes",
					 KS3_CONFIG_VALUE_MAX);
	req = s3ctl_start(ctx, KS3_CMD_CONFIG_SET);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_CONFIG_NAME, argv[0]);
	mnl_attr_put_strz(req, KS3_A_CONFIG_VALUE, argv[1]);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}

int s3ctl_cmd_config_unset(struct s3ctl *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "NAME");
	if (!ret)
		ret = s3ctl_config_name_arg(ctx, argv[0]);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_CONFIG_UNSET);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_CONFIG_NAME, argv[0]);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}
