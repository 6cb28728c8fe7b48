// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl key create|list|delete|allow|deny`: access keys and their
 * per-bucket permissions. A secret is printed once, by create; the kernel
 * never sends it again.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_key.h"

static const struct {
	const char *name;
	uint32_t cap;
} s3ctl_caps[] = {
	{ "read", KS3_CAP_READ },
	{ "write", KS3_CAP_WRITE },
	{ "list", KS3_CAP_LIST },
	{ "owner", KS3_CAP_OWNER },
};

#define S3CTL_NR_CAPS	(sizeof(s3ctl_caps) / sizeof(s3ctl_caps[0]))

int s3ctl_caps_parse(const char *s, uint32_t *caps)
{
	const char *p = s, *end;
	size_t len, i;

	*caps = 0;
	if (!strcmp(s, "all")) {
		*caps = KS3_CAP_ALL;
		return 0;
	}
	do {
		end = strchr(p, ',');
		len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < S3CTL_NR_CAPS; i++)
			if (strlen(s3ctl_caps[i].name) == len &&
			    !strncmp(s3ctl_caps[i].name, p, len))
				break;
		if (i == S3CTL_NR_CAPS)
			return -EINVAL;
		*caps |= s3ctl_caps[i].cap;
		p = end + 1;
	} while (end);
	return 0;
}

void s3ctl_caps_format(char *buf, size_t len, uint32_t caps)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < S3CTL_NR_CAPS; i++)
		if (caps & s3ctl_caps[i].cap)
			off += (size_t)snprintf(buf + off,
						off < len ? len - off : 0,
						"%s%s", off ? "," : "",
						s3ctl_caps[i].name);
	if (!off)
		snprintf(buf, len, "none");
}

json_t *s3ctl_caps_json(uint32_t caps)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < S3CTL_NR_CAPS; i++) {
		if ((caps & s3ctl_caps[i].cap) &&
		    json_array_append_new(a, json_string(s3ctl_caps[i].name))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* PERMS from the command line, or a usage error. */
static int s3ctl_key_perms(struct s3ctl *ctx, const char *s, uint32_t *caps)
{
	if (s3ctl_caps_parse(s, caps))
		return s3ctl_usage_error(ctx,
			"invalid permissions '%s' (a comma list of read, write, list, owner; or all)",
			s);
	return S3CTL_EXIT_OK;
}

static int s3ctl_key_access(struct s3ctl *ctx, const char *s)
{
	if (strlen(s) != KS3_ACCESS_KEY_LEN)
		return s3ctl_usage_error(ctx,
			"invalid access key '%s' (%u characters)", s,
			KS3_ACCESS_KEY_LEN);
	return S3CTL_EXIT_OK;
}

struct s3ctl_new_key {
	uint32_t id;
	char access_key[KS3_ACCESS_KEY_LEN + 1];
	char secret_key[KS3_SECRET_KEY_LEN + 1];
	char name[KS3_KEY_NAME_LEN_MAX + 1];
	uint64_t create_time;
};

static int s3ctl_key_create_cb(const struct nlmsghdr *nlh, void *data,
			       struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_KEY_ID, KS3_A_ACCESS_KEY, KS3_A_SECRET_KEY,
		KS3_A_KEY_NAME, KS3_A_CREATE_TIME,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_new_key *k = data;
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	k->id = mnl_attr_get_u32(tb[KS3_A_KEY_ID]);
	snprintf(k->access_key, sizeof(k->access_key), "%s",
		 mnl_attr_get_str(tb[KS3_A_ACCESS_KEY]));
	snprintf(k->secret_key, sizeof(k->secret_key), "%s",
		 mnl_attr_get_str(tb[KS3_A_SECRET_KEY]));
	snprintf(k->name, sizeof(k->name), "%s",
		 mnl_attr_get_str(tb[KS3_A_KEY_NAME]));
	k->create_time = mnl_attr_get_u64(tb[KS3_A_CREATE_TIME]);
	return 0;
}

int s3ctl_cmd_key_create(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_new_key k;
	struct s3ctl_record r;
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "NAME");
	if (ret)
		return ret;
	if (!argv[0][0] || strlen(argv[0]) > KS3_KEY_NAME_LEN_MAX)
		return s3ctl_usage_error(ctx,
			"a key name is 1 to %u characters",
			KS3_KEY_NAME_LEN_MAX);
	req = s3ctl_start(ctx, KS3_CMD_KEY_CREATE);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_KEY_NAME, argv[0]);
	ret = s3ctl_exec(ctx, req, false, s3ctl_key_create_cb, &k);
	if (ret)
		return ret;
	s3ctl_record_init(&r, ctx->json);
	s3ctl_record_str(&r, "access_key", "access key", k.access_key);
	s3ctl_record_str(&r, "secret_key", "secret key", k.secret_key);
	s3ctl_record_str(&r, "name", "name", k.name);
	s3ctl_record_u64(&r, "id", "id", k.id);
	s3ctl_record_u64(&r, "create_time", NULL, k.create_time);
	explicit_bzero(k.secret_key, sizeof(k.secret_key));
	if (s3ctl_record_print(&r, ctx->out)) {
		s3ctl_error(ctx, "out of memory");
		return S3CTL_EXIT_FAIL;
	}
	return S3CTL_EXIT_OK;
}

static int s3ctl_key_grants(const struct nlattr *nest, struct s3ctl_key *k,
			    struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_BUCKET_NAME, KS3_A_BUCKET_ID, KS3_A_CAPS,
	};
	const struct nlattr *tb[KS3_A_MAX + 1], *a;
	struct s3ctl_grant *g;
	int ret;

	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) != KS3_A_GRANT)
			continue;
		ret = s3ctl_ks3_parse_nested(a, tb, e);
		if (!ret)
			ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy,
				required, sizeof(required) / sizeof(required[0]),
				e);
		if (ret)
			return ret;
		g = realloc(k->grants, (k->nr_grants + 1) * sizeof(*g));
		if (!g)
			return s3ctl_nlerr_set(e, ENOMEM, "out of memory");
		k->grants = g;
		g += k->nr_grants++;
		snprintf(g->bucket, sizeof(g->bucket), "%s",
			 mnl_attr_get_str(tb[KS3_A_BUCKET_NAME]));
		g->bucket_id = mnl_attr_get_u32(tb[KS3_A_BUCKET_ID]);
		g->caps = mnl_attr_get_u32(tb[KS3_A_CAPS]);
	}
	return 0;
}

int s3ctl_key_list_parse(const struct nlmsghdr *nlh, struct s3ctl_key_list *l,
			 struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_KEY_ID, KS3_A_ACCESS_KEY, KS3_A_KEY_NAME,
		KS3_A_KEY_ENABLED, KS3_A_CREATE_TIME,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_key *k, *keys;
	uint32_t id;
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	id = mnl_attr_get_u32(tb[KS3_A_KEY_ID]);
	if (l->n && l->keys[l->n - 1].id == id) {
		k = &l->keys[l->n - 1];
	} else {
		if (l->n == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 16;
			keys = realloc(l->keys, l->cap * sizeof(*keys));
			if (!keys)
				return s3ctl_nlerr_set(e, ENOMEM, "out of memory");
			l->keys = keys;
		}
		k = &l->keys[l->n++];
		memset(k, 0, sizeof(*k));
	}
	k->id = id;
	snprintf(k->access_key, sizeof(k->access_key), "%s",
		 mnl_attr_get_str(tb[KS3_A_ACCESS_KEY]));
	snprintf(k->name, sizeof(k->name), "%s",
		 mnl_attr_get_str(tb[KS3_A_KEY_NAME]));
	k->enabled = mnl_attr_get_u8(tb[KS3_A_KEY_ENABLED]);
	k->create_time = mnl_attr_get_u64(tb[KS3_A_CREATE_TIME]);
	return tb[KS3_A_GRANTS] ? s3ctl_key_grants(tb[KS3_A_GRANTS], k, e) : 0;
}

void s3ctl_key_list_free(struct s3ctl_key_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->keys[i].grants);
	free(l->keys);
	memset(l, 0, sizeof(*l));
}

static json_t *s3ctl_key_json(const struct s3ctl_key *k)
{
	json_t *o = json_object(), *grants = json_array(), *g;
	size_t i;

	if (!o || !grants)
		goto err;
	for (i = 0; i < k->nr_grants; i++) {
		g = json_pack("{s:o?,s:I,s:o?}",
			      "bucket", s3ctl_json_string(k->grants[i].bucket),
			      "bucket_id", (json_int_t)k->grants[i].bucket_id,
			      "permissions", s3ctl_caps_json(k->grants[i].caps));
		if (!g || json_array_append_new(grants, g))
			goto err;
	}
	if (json_object_set_new(o, "id", json_integer(k->id)) ||
	    json_object_set_new(o, "access_key",
				s3ctl_json_string(k->access_key)) ||
	    json_object_set_new(o, "name", s3ctl_json_string(k->name)) ||
	    json_object_set_new(o, "enabled", json_boolean(k->enabled)) ||
	    json_object_set_new(o, "create_time",
				s3ctl_json_u64(k->create_time)) ||
	    json_object_set_new(o, "grants", grants)) {
		grants = NULL;
		goto err;
	}
	return o;
err:
	json_decref(grants);
	json_decref(o);
	return NULL;
}

/* "photos:read,write logs:list", or "-". */
static char *s3ctl_key_grants_text(const struct s3ctl_key *k)
{
	char *buf = NULL, caps[64];
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	for (i = 0; i < k->nr_grants; i++) {
		s3ctl_caps_format(caps, sizeof(caps), k->grants[i].caps);
		fprintf(f, "%s%s:%s", i ? " " : "", k->grants[i].bucket, caps);
	}
	if (!k->nr_grants)
		fputs("-", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int s3ctl_key_list_print(struct s3ctl *ctx, const struct s3ctl_key_list *l)
{
	static const char *const headers[] = {
		"ACCESS KEY", "ID", "NAME", "ENABLED", "CREATED", "PERMISSIONS",
	};
	struct s3ctl_table t;
	char id[16], created[32], *grants;
	json_t *a, *o;
	size_t i;

	if (ctx->json) {
		a = json_array();
		for (i = 0; a && i < l->n; i++) {
			o = s3ctl_key_json(&l->keys[i]);
			if (!o || json_array_append_new(a, o)) {
				json_decref(a);
				a = NULL;
			}
		}
		if (s3ctl_json_print(a, ctx->out))
			goto err_oom;
		return S3CTL_EXIT_OK;
	}
	s3ctl_table_init(&t, 6, headers);
	for (i = 0; i < l->n; i++) {
		const struct s3ctl_key *k = &l->keys[i];

		snprintf(id, sizeof(id), "%" PRIu32, k->id);
		s3ctl_format_time(created, sizeof(created), k->create_time);
		grants = s3ctl_key_grants_text(k);
		s3ctl_table_add(&t, (const char *const[]){
			k->access_key, id, k->name, k->enabled ? "yes" : "no",
			created, grants ? grants : "" });
		if (!grants)
			t.oom = true;
		free(grants);
	}
	if (s3ctl_table_print(&t, ctx->out))
		goto err_oom;
	return S3CTL_EXIT_OK;
err_oom:
	s3ctl_error(ctx, "out of memory");
	return S3CTL_EXIT_FAIL;
}

static int s3ctl_key_list_cb(const struct nlmsghdr *nlh, void *data,
			     struct s3ctl_nlerr *e)
{
	return s3ctl_key_list_parse(nlh, data, e);
}

int s3ctl_cmd_key_list(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_key_list l = { 0 };
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_no_args(ctx, argc, argv);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_KEY_LIST);
	if (!req)
		return S3CTL_EXIT_FAIL;
	ret = s3ctl_exec(ctx, req, true, s3ctl_key_list_cb, &l);
	if (!ret)
		ret = s3ctl_key_list_print(ctx, &l);
	s3ctl_key_list_free(&l);
	return ret;
}

int s3ctl_cmd_key_delete(struct s3ctl *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "ACCESS_KEY");
	if (!ret)
		ret = s3ctl_key_access(ctx, argv[0]);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_KEY_DELETE);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_ACCESS_KEY, argv[0]);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}

struct s3ctl_caps_reply {
	char access_key[KS3_ACCESS_KEY_LEN + 1];
	char bucket[KS3_BUCKET_NAME_LEN_MAX + 1];
	uint32_t caps;
};

static int s3ctl_key_caps_cb(const struct nlmsghdr *nlh, void *data,
			     struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_ACCESS_KEY, KS3_A_BUCKET_NAME, KS3_A_CAPS,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_caps_reply *c = data;
	int ret;

	ret = s3ctl_ks3_parse(nlh, tb, e);
	if (!ret)
		ret = s3ctl_attr_require_all(tb, s3ctl_ks3_policy, required,
					     sizeof(required) / sizeof(required[0]),
					     e);
	if (ret)
		return ret;
	snprintf(c->access_key, sizeof(c->access_key), "%s",
		 mnl_attr_get_str(tb[KS3_A_ACCESS_KEY]));
	snprintf(c->bucket, sizeof(c->bucket), "%s",
		 mnl_attr_get_str(tb[KS3_A_BUCKET_NAME]));
	c->caps = mnl_attr_get_u32(tb[KS3_A_CAPS]);
	return 0;
}

/* allow and deny: send, then show the permissions the key has now. */
static int s3ctl_key_caps(struct s3ctl *ctx, int argc, char **argv,
			  uint8_t cmd)
{
	struct s3ctl_caps_reply c;
	struct s3ctl_record r;
	struct nlmsghdr *req;
	char text[64];
	uint32_t caps;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 3,
				argc < 1 ? "ACCESS_KEY BUCKET PERMS" :
				argc < 2 ? "BUCKET PERMS" : "PERMS");
	if (!ret)
		ret = s3ctl_key_access(ctx, argv[0]);
	if (!ret)
		ret = s3ctl_key_perms(ctx, argv[2], &caps);
	if (ret)
		return ret;
	if (strlen(argv[1]) > KS3_BUCKET_NAME_LEN_MAX)
		return s3ctl_usage_error(ctx, "bucket name longer than %u characters",
					 KS3_BUCKET_NAME_LEN_MAX);
	req = s3ctl_start(ctx, cmd);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_ACCESS_KEY, argv[0]);
	mnl_attr_put_strz(req, KS3_A_BUCKET_NAME, argv[1]);
	mnl_attr_put_u32(req, KS3_A_CAPS, caps);
	ret = s3ctl_exec(ctx, req, false, s3ctl_key_caps_cb, &c);
	if (ret)
		return ret;
	s3ctl_caps_format(text, sizeof(text), c.caps);
	s3ctl_record_init(&r, ctx->json);
	s3ctl_record_str(&r, "access_key", "access key", c.access_key);
	s3ctl_record_str(&r, "bucket", "bucket", c.bucket);
	s3ctl_record_json_text(&r, "permissions", "permissions",
			       s3ctl_caps_json(c.caps), text);
	if (s3ctl_record_print(&r, ctx->out)) {
		s3ctl_error(ctx, "out of memory");
		return S3CTL_EXIT_FAIL;
	}
	return S3CTL_EXIT_OK;
}

int s3ctl_cmd_key_allow(struct s3ctl *ctx, int argc, char **argv)
{
	return s3ctl_key_caps(ctx, argc, argv, KS3_CMD_KEY_ALLOW);
}

int s3ctl_cmd_key_deny(struct s3ctl *ctx, int argc, char **argv)
{
	return s3ctl_key_caps(ctx, argc, argv, KS3_CMD_KEY_DENY);
}
