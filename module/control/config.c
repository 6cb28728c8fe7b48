// SPDX-License-Identifier: GPL-2.0
/*
 * Settings: every name s3ctl config knows, its range and where it lives in
 * struct ks3_config, in one table. Values travel and are stored as text
 * (decimal numbers, names); the store keeps them (storage/store.c
 * ks3_setting_set, journaled like any admin change), attach loads them
 * over the defaults (server.c), detach puts the defaults back. A value
 * stored empty is "not set": that is what config unset writes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "ks3.h"
#include "control/config.h"
#include "storage/store.h"

enum ks3_config_type {
	KS3_CONFIG_U32,
	KS3_CONFIG_U64,
	KS3_CONFIG_REGION,		/* [a-z0-9-]{1,63} */
	KS3_CONFIG_DOMAIN,		/* a DNS name, or empty */
};

struct ks3_config_param {
	const char *name;
	enum ks3_config_type type;
	size_t offset;			/* in struct ks3_config */
	u64 min, max;			/* numbers */
	const char *invalid;		/* what a refused value is told */
};

#define KS3_CONFIG_NUM(_name, _type, _field, _min, _max) {		\
	.name = #_name, .type = _type,					\
	.offset = offsetof(struct ks3_config, _field),			\
	.min = _min, .max = _max,					\
	.invalid = #_name " must be " #_min ".." #_max,			\
}

static const struct ks3_config_param ks3_config_params[] = {
	{ .name = "region", .type = KS3_CONFIG_REGION,
	  .offset = offsetof(struct ks3_config, region),
	  .invalid = "region must be 1 to 63 characters of a-z, 0-9 and '-'" },
	{ .name = "vhost_domain", .type = KS3_CONFIG_DOMAIN,
	  .offset = offsetof(struct ks3_config, vhost_domain),
	  .invalid = "vhost_domain must be a DNS name or empty (labels of a-z, 0-9, '-')" },
	KS3_CONFIG_NUM(max_connections, KS3_CONFIG_U32,
		       http.max_connections, 1, 65536),
	KS3_CONFIG_NUM(max_header_bytes, KS3_CONFIG_U32,
		       http.head_max, 1024, 16384),
	KS3_CONFIG_NUM(max_header_count, KS3_CONFIG_U32,
		       http.max_fields, 8, 128),
	KS3_CONFIG_NUM(max_url_bytes, KS3_CONFIG_U32,
		       http.url_max, 256, 16384),
	KS3_CONFIG_NUM(idle_timeout_ms, KS3_CONFIG_U32,
		       http.idle_timeout_ms, 1000, 3600000),
	KS3_CONFIG_NUM(header_timeout_ms, KS3_CONFIG_U32,
		       http.header_timeout_ms, 1000, 600000),
	KS3_CONFIG_NUM(body_timeout_ms, KS3_CONFIG_U32,
		       http.body_timeout_ms, 1000, 600000),
	KS3_CONFIG_NUM(discard_timeout_ms, KS3_CONFIG_U32,
		       http.discard_timeout_ms, 100, 600000),
	KS3_CONFIG_NUM(min_rate_bytes, KS3_CONFIG_U32,
		       http.min_rate, 0, 1073741824),
	KS3_CONFIG_NUM(min_rate_grace_ms, KS3_CONFIG_U32,
		       http.min_rate_grace_ms, 1000, 600000),
	KS3_CONFIG_NUM(max_conns_per_addr, KS3_CONFIG_U32,
		       http.max_conns_per_addr, 1, 65536),
	/* At least the largest head: a connection's buffer holds it whole. */
	KS3_CONFIG_NUM(conn_buffer_bytes, KS3_CONFIG_U32,
		       http.conn_buffer, 16384, 4194304),
	/* At least the largest connection buffer: one client always fits. */
	KS3_CONFIG_NUM(global_buffer_bytes, KS3_CONFIG_U64,
		       http.global_buffer, 4194304, 1099511627776),
};

static_assert(KS3_HTTP_HEAD_MAX <= 16384);
static_assert(KS3_HTTP_FIELDS_MAX >= 128);
static_assert(KS3_REGION_MAX >= 64);
static_assert(KS3_VHOST_DOMAIN_MAX >= 254);

unsigned int ks3_config_count(void)
{
	return ARRAY_SIZE(ks3_config_params);
}

const char *ks3_config_name(unsigned int i)
{
	return i < ARRAY_SIZE(ks3_config_params) ? ks3_config_params[i].name :
						    NULL;
}

int ks3_config_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks3_config_params); i++)
		if (!strcmp(name, ks3_config_params[i].name))
			return i;
	return -ENOENT;
}

static void *ks3_config_field(const struct ks3_config *c,
			      const struct ks3_config_param *p)
{
	return (void *)c + p->offset;
}

void ks3_config_format(const struct ks3_config *c, unsigned int i, char *buf,
		       size_t size)
{
	const struct ks3_config_param *p = &ks3_config_params[i];
	void *f = ks3_config_field(c, p);

	switch (p->type) {
	case KS3_CONFIG_U32:
		snprintf(buf, size, "%u", *(u32 *)f);
		break;
	case KS3_CONFIG_U64:
		snprintf(buf, size, "%llu", *(u64 *)f);
		break;
	case KS3_CONFIG_REGION:
	case KS3_CONFIG_DOMAIN:
		strscpy(buf, f, size);
		break;
	}
}

/* Decimal digits only: no sign, no spaces, no suffix. */
static int ks3_config_number(const char *s, u64 *out)
{
	u64 v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (check_mul_overflow(v, 10ULL, &v) ||
		    check_add_overflow(v, (u64)(*s - '0'), &v))
			return -ERANGE;
	}
	*out = v;
	return 0;
}

static bool ks3_config_region_valid(const char *s)
{
	size_t len = strlen(s), i;

	if (!len || len >= KS3_REGION_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* Lower-case LDH labels of 1..63, not starting or ending with '-'. */
static bool ks3_config_domain_valid(const char *s)
{
	size_t len = strlen(s), label = 0, i;

	if (!len)
		return true;
	if (len >= KS3_VHOST_DOMAIN_MAX)
		return false;
	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (!label || label > 63 || s[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      (s[i] == '-' && label)))
			return false;
		label++;
	}
	return true;
}

/* One setting's own range, without looking at the others. */
static int ks3_config_parse_one(struct ks3_config *c, unsigned int i,
				const char *value)
{
	const struct ks3_config_param *p = &ks3_config_params[i];
	void *f = ks3_config_field(c, p);
	u64 v;

	switch (p->type) {
	case KS3_CONFIG_U32:
	case KS3_CONFIG_U64:
		if (ks3_config_number(value, &v) || v < p->min || v > p->max)
			return -EINVAL;
		if (p->type == KS3_CONFIG_U32)
			*(u32 *)f = v;
		else
			*(u64 *)f = v;
		return 0;
	case KS3_CONFIG_REGION:
		if (!ks3_config_region_valid(value))
			return -EINVAL;
		strscpy(f, value, KS3_REGION_MAX);
		return 0;
	case KS3_CONFIG_DOMAIN:
		if (!ks3_config_domain_valid(value))
			return -EINVAL;
		strscpy(f, value, KS3_VHOST_DOMAIN_MAX);
		return 0;
	}
	return -EINVAL;
}

/* What must hold between settings. */
static int ks3_config_check(const struct ks3_config *c, const char **msg)
{
	if (c->http.url_max > c->http.head_max) {
		*msg = "max_url_bytes must not exceed max_header_bytes";
		return -EINVAL;
	}
	return 0;
}

int ks3_config_parse(struct ks3_config *c, unsigned int i, const char *value,
		     const char **msg)
{
	*msg = NULL;
	if (i >= ARRAY_SIZE(ks3_config_params))
		return -ENOENT;
	if (ks3_config_parse_one(c, i, value)) {
		*msg = ks3_config_params[i].invalid;
		return -EINVAL;
	}
	return ks3_config_check(c, msg);
}

bool ks3_config_is_set(struct ks3_store *s, unsigned int i)
{
	char buf[2];
	int ret;

	/* -E2BIG: longer than @buf, so not empty. */
	ret = ks3_setting_get(s, ks3_config_params[i].name, buf, sizeof(buf));
	return (!ret && buf[0]) || ret == -E2BIG;
}

/* The settings of @s over the defaults into @c. */
static void ks3_config_read(struct ks3_store *s, struct ks3_config *c,
			    char *buf)
{
	const char *msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks3_config_params); i++) {
		const char *name = ks3_config_params[i].name;

		if (ks3_setting_get(s, name, buf, KS3_CONFIG_TEXT_MAX) ||
		    !buf[0])
			continue;
		if (ks3_config_parse_one(c, i, buf))
			pr_warn("the store's %s is not valid here (%s); using the default\n",
				name, ks3_config_params[i].invalid);
	}
	/* Each was set with the others in range; they are again. */
	if (ks3_config_check(c, &msg)) {
		pr_warn("the store's settings do not fit together (%s); max_url_bytes is max_header_bytes\n",
			msg);
		c->http.url_max = c->http.head_max;
	}
}

void ks3_config_load(struct ks3_server *srv, struct ks3_store *s)
{
	struct ks3_config *c;

	c = kmalloc(sizeof(*c) + KS3_CONFIG_TEXT_MAX, GFP_KERNEL);
	if (!c)
		return;		/* the defaults stay: they are live now */
	ks3_config_defaults(c);
	ks3_config_read(s, c, (char *)(c + 1));
	write_seqlock(&srv->config_lock);
	srv->config = *c;
	write_sequnlock(&srv->config_lock);
	kfree(c);
}

void ks3_config_reset(struct ks3_server *srv)
{
	write_seqlock(&srv->config_lock);
	ks3_config_defaults(&srv->config);
	write_sequnlock(&srv->config_lock);
}

int ks3_config_change(struct ks3_server *srv, const char *name,
		      const char *value, const char **msg)
{
	struct ks3_config *c;
	char *text;
	int i, ret;

	*msg = NULL;
	lockdep_assert_held(&srv->lock);
	i = ks3_config_lookup(name);
	if (i < 0)
		return i;
	c = kmalloc(2 * sizeof(*c) + KS3_CONFIG_TEXT_MAX, GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	text = (char *)(c + 2);
	/* srv->lock is held: only this changes the live settings now. */
	ks3_server_get_config(srv, c);
	if (value) {
		ret = ks3_config_parse(c, i, value, msg);
		if (ret)
			goto out_free;
		/* Stored as it reads back: "0100" is kept as "100". */
		ks3_config_format(c, i, text, KS3_CONFIG_TEXT_MAX);
	} else {
		ks3_config_defaults(c + 1);
		ks3_config_format(c + 1, i, text, KS3_CONFIG_TEXT_MAX);
		ret = ks3_config_parse(c, i, text, msg);
		if (ret)
			goto out_free;
		text[0] = '\0';
	}
	ret = ks3_setting_set(srv->store, name, text);
	if (ret)
		goto out_free;
	write_seqlock(&srv->config_lock);
	srv->config = *c;
	write_sequnlock(&srv->config_lock);
out_free:
	kfree(c);
	return ret;
}
