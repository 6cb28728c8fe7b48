// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl bucket create|delete|list|quota`.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_bucket.h"
#include "output.h"

int s3ctl_size_parse(const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	unsigned int shift = 0;
	const char *u;
	uint64_t v = 0;
	const char *p;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	for (p = s; isdigit((unsigned char)*p); p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (*p) {
		u = strchr(units, toupper((unsigned char)*p));
		if (!u || p[1])
			return -EINVAL;
		shift = 10 * (unsigned int)(u - units + 1);
		if (v > UINT64_MAX >> shift)
			return -ERANGE;
	}
	*out = v << shift;
	return 0;
}

static int s3ctl_bucket_name_arg(struct s3ctl *ctx, const char *name)
{
	if (!name[0] || strlen(name) > KS3_BUCKET_NAME_LEN_MAX)
		return s3ctl_usage_error(ctx,
			"a bucket name is 3 to %u characters",
			KS3_BUCKET_NAME_LEN_MAX);
	return S3CTL_EXIT_OK;
}

int s3ctl_cmd_bucket_create(struct s3ctl *ctx, int argc, char **argv)
{
	const char *owner = s3ctl_opt(ctx, "--owner");
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "NAME");
	if (!ret)
		ret = s3ctl_bucket_name_arg(ctx, argv[0]);
	if (ret)
		return ret;
	if (owner && strlen(owner) != KS3_ACCESS_KEY_LEN)
		return s3ctl_usage_error(ctx,
			"invalid access key '%s' for --owner (%u characters)",
			owner, KS3_ACCESS_KEY_LEN);
	req = s3ctl_start(ctx, KS3_CMD_BUCKET_CREATE);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_BUCKET_NAME, argv[0]);
	if (owner)
		mnl_attr_put_strz(req, KS3_A_OWNER, owner);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}

int s3ctl_cmd_bucket_delete(struct s3ctl *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "NAME");
	if (!ret)
		ret = s3ctl_bucket_name_arg(ctx, argv[0]);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_BUCKET_DELETE);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_BUCKET_NAME, argv[0]);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}

int s3ctl_cmd_bucket_quota(struct s3ctl *ctx, int argc, char **argv)
{
	const char *bytes = s3ctl_opt(ctx, "--bytes");
	const char *objects = s3ctl_opt(ctx, "--objects");
	uint64_t nbytes = 0, nobjects = 0;
	struct nlmsghdr *req;
	char *end;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "NAME");
	if (!ret)
		ret = s3ctl_bucket_name_arg(ctx, argv[0]);
	if (ret)
		return ret;
	if (!bytes && !objects)
		return s3ctl_usage_error(ctx,
			"give --bytes N[KMGT], --objects N or both (0: no quota)");
	if (bytes && s3ctl_size_parse(bytes, &nbytes))
		return s3ctl_usage_error(ctx,
			"invalid size '%s' for --bytes (N[KMGT])", bytes);
	if (objects) {
		errno = 0;
		nobjects = strtoull(objects, &end, 10);
		if (!isdigit((unsigned char)objects[0]) || *end || errno)
			return s3ctl_usage_error(ctx,
				"invalid number '%s' for --objects", objects);
	}
	req = s3ctl_start(ctx, KS3_CMD_BUCKET_SET_QUOTA);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_BUCKET_NAME, argv[0]);
	if (bytes)
		mnl_attr_put_u64(req, KS3_A_QUOTA_BYTES, nbytes);
	if (objects)
		mnl_attr_put_u64(req, KS3_A_QUOTA_OBJECTS, nobjects);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}

int s3ctl_bucket_list_parse(const struct nlmsghdr *nlh,
			    struct s3ctl_bucket_list *l, struct s3ctl_nlerr *e)
{
	static const unsigned int required[] = {
		KS3_A_BUCKET_NAME, KS3_A_BUCKET_ID, KS3_A_OWNER_ID,
		KS3_A_CREATE_TIME, KS3_A_NR_OBJECTS, KS3_A_BYTES,
		KS3_A_QUOTA_BYTES, KS3_A_QUOTA_OBJECTS,
	};
	const struct nlattr *tb[KS3_A_MAX + 1];
	struct s3ctl_bucket *b;
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
		b = realloc(l->buckets, l->cap * sizeof(*b));
		if (!b)
			return s3ctl_nlerr_set(e, ENOMEM, "out of memory");
		l->buckets = b;
	}
	b = &l->buckets[l->n++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s",
		 mnl_attr_get_str(tb[KS3_A_BUCKET_NAME]));
	b->id = mnl_attr_get_u32(tb[KS3_A_BUCKET_ID]);
	b->owner_id = mnl_attr_get_u32(tb[KS3_A_OWNER_ID]);
	if (tb[KS3_A_OWNER])
		snprintf(b->owner, sizeof(b->owner), "%s",
			 mnl_attr_get_str(tb[KS3_A_OWNER]));
	b->create_time = mnl_attr_get_u64(tb[KS3_A_CREATE_TIME]);
	b->objects = mnl_attr_get_u64(tb[KS3_A_NR_OBJECTS]);
	b->bytes = mnl_attr_get_u64(tb[KS3_A_BYTES]);
	b->quota_bytes = mnl_attr_get_u64(tb[KS3_A_QUOTA_BYTES]);
	b->quota_objects = mnl_attr_get_u64(tb[KS3_A_QUOTA_OBJECTS]);
	return 0;
}

void s3ctl_bucket_list_free(struct s3ctl_bucket_list *l)
{
	free(l->buckets);
	memset(l, 0, sizeof(*l));
}

static json_t *s3ctl_bucket_json(const struct s3ctl_bucket *b)
{
	return json_pack("{s:o?,s:I,s:o?,s:I,s:o?,s:o?,s:o?,s:o?,s:o?}",
			 "name", s3ctl_json_string(b->name),
			 "id", (json_int_t)b->id,
			 "owner", b->owner[0] ? s3ctl_json_string(b->owner) :
						json_null(),
			 "owner_id", (json_int_t)b->owner_id,
			 "create_time", s3ctl_json_u64(b->create_time),
			 "objects", s3ctl_json_u64(b->objects),
			 "bytes", s3ctl_json_u64(b->bytes),
			 "quota_bytes", s3ctl_json_u64(b->quota_bytes),
			 "quota_objects", s3ctl_json_u64(b->quota_objects));
}

int s3ctl_bucket_list_print(struct s3ctl *ctx,
			    const struct s3ctl_bucket_list *l)
{
	static const char *const headers[] = {
		"NAME", "ID", "OWNER", "OBJECTS", "BYTES", "QUOTA BYTES",
		"QUOTA OBJECTS", "CREATED",
	};
	char id[16], objects[24], bytes[32], qbytes[32], qobjects[24];
	char created[32];
	struct s3ctl_table t;
	json_t *a, *o;
	size_t i;

	if (ctx->json) {
		a = json_array();
		for (i = 0; a && i < l->n; i++) {
			o = s3ctl_bucket_json(&l->buckets[i]);
			if (!o || json_array_append_new(a, o)) {
				json_decref(a);
				a = NULL;
			}
		}
		if (s3ctl_json_print(a, ctx->out))
			goto err_oom;
		return S3CTL_EXIT_OK;
	}
	s3ctl_table_init(&t, 8, headers);
	for (i = 0; i < l->n; i++) {
		const struct s3ctl_bucket *b = &l->buckets[i];

		snprintf(id, sizeof(id), "%" PRIu32, b->id);
		snprintf(objects, sizeof(objects), "%" PRIu64, b->objects);
		s3ctl_format_bytes(bytes, sizeof(bytes), b->bytes);
		if (b->quota_bytes)
			s3ctl_format_bytes(qbytes, sizeof(qbytes),
					   b->quota_bytes);
		else
			snprintf(qbytes, sizeof(qbytes), "-");
		if (b->quota_objects)
			snprintf(qobjects, sizeof(qobjects), "%" PRIu64,
				 b->quota_objects);
		else
			snprintf(qobjects, sizeof(qobjects), "-");
		s3ctl_format_time(created, sizeof(created), b->create_time);
		s3ctl_table_add(&t, (const char *const[]){
			b->name, id, b->owner[0] ? b->owner : "-", objects,
			bytes, qbytes, qobjects, created });
	}
	if (s3ctl_table_print(&t, ctx->out))
		goto err_oom;
	return S3CTL_EXIT_OK;
err_oom:
	s3ctl_error(ctx, "out of memory");
	return S3CTL_EXIT_FAIL;
}

static int s3ctl_bucket_list_cb(const struct nlmsghdr *nlh, void *data,
				struct s3ctl_nlerr *e)
{
	return s3ctl_bucket_list_parse(nlh, data, e);
}

int s3ctl_cmd_bucket_list(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_bucket_list l = { 0 };
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_no_args(ctx, argc, argv);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_BUCKET_LIST);
	if (!req)
		return S3CTL_EXIT_FAIL;
	ret = s3ctl_exec(ctx, req, true, s3ctl_bucket_list_cb, &l);
	if (!ret)
		ret = s3ctl_bucket_list_print(ctx, &l);
	s3ctl_bucket_list_free(&l);
	return ret;
}
