// SPDX-License-Identifier: GPL-2.0
/*
 * Policy-checked netlink attribute parsing (see nlattr.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nlattr.h"

void s3ctl_nlerr_init(struct s3ctl_nlerr *e)
{
	e->code = 0;
	e->msg[0] = '\0';
	e->miss_type = -1;
}

int s3ctl_nlerr_set(struct s3ctl_nlerr *e, int code, const char *fmt, ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -code;
}

const char *s3ctl_attr_name(const struct s3ctl_attr_policy *policy,
			    unsigned int maxtype, unsigned int type,
			    char *buf, size_t len)
{
	if (type <= maxtype && policy[type].name)
		return policy[type].name;
	snprintf(buf, len, "#%u", type);
	return buf;
}

struct s3ctl_attr_walk {
	const struct s3ctl_attr_policy *policy;
	unsigned int maxtype;
	const struct nlattr **tb;
	struct s3ctl_nlerr *e;
	const char *end;	/* just past the last well-formed attribute */
};

static size_t s3ctl_attr_fixed_len(enum s3ctl_attr_type type)
{
	switch (type) {
	case S3CTL_ATTR_U8:
		return sizeof(uint8_t);
	case S3CTL_ATTR_U16:
		return sizeof(uint16_t);
	case S3CTL_ATTR_U32:
		return sizeof(uint32_t);
	case S3CTL_ATTR_U64:
		return sizeof(uint64_t);
	case S3CTL_ATTR_FLAG:
		return 0;
	default:
		return SIZE_MAX;
	}
}

static int s3ctl_attr_check(const struct nlattr *attr,
			    const struct s3ctl_attr_policy *pol,
			    const char *name, struct s3ctl_nlerr *e)
{
	size_t len = mnl_attr_get_payload_len(attr);
	const char *data = mnl_attr_get_payload(attr);
	size_t want = s3ctl_attr_fixed_len(pol->type);

	if (want != SIZE_MAX) {
		if (len != want)
			return s3ctl_nlerr_set(e, EPROTO,
				"malformed netlink reply: attribute '%s' has %zu bytes, expected %zu",
				name, len, want);
		return 0;
	}
	switch (pol->type) {
	case S3CTL_ATTR_STRING:
		if (len == 0 || data[len - 1] != '\0')
			return s3ctl_nlerr_set(e, EPROTO,
				"malformed netlink reply: attribute '%s' is not a NUL-terminated string",
				name);
		if (strlen(data) != len - 1)
			return s3ctl_nlerr_set(e, EPROTO,
				"malformed netlink reply: attribute '%s' has a NUL inside the string",
				name);
		if (pol->max_len && len - 1 > pol->max_len)
			return s3ctl_nlerr_set(e, EPROTO,
				"malformed netlink reply: attribute '%s' is longer than %u characters",
				name, pol->max_len);
		return 0;
	case S3CTL_ATTR_BINARY:
		if (pol->max_len && len > pol->max_len)
			return s3ctl_nlerr_set(e, EPROTO,
				"malformed netlink reply: attribute '%s' is longer than %u bytes",
				name, pol->max_len);
		return 0;
	case S3CTL_ATTR_NESTED:
		if (len != 0 && len < MNL_ATTR_HDRLEN)
			return s3ctl_nlerr_set(e, EPROTO,
				"malformed netlink reply: attribute '%s' is a truncated nest",
				name);
		return 0;
	default:
		return 0;
	}
}

static int s3ctl_attr_cb(const struct nlattr *attr, void *data)
{
	struct s3ctl_attr_walk *w = data;
	unsigned int type = mnl_attr_get_type(attr);
	const struct s3ctl_attr_policy *pol;
	char buf[16];

	w->end = (const char *)attr + MNL_ALIGN(attr->nla_len);
	if (type > w->maxtype)
		return MNL_CB_OK;	/* from a newer kernel: not ours to read */
	pol = &w->policy[type];
	if (pol->type == S3CTL_ATTR_IGNORE)
		return MNL_CB_OK;
	if (s3ctl_attr_check(attr, pol,
			     s3ctl_attr_name(w->policy, w->maxtype, type, buf,
					     sizeof(buf)),
			     w->e))
		return MNL_CB_ERROR;
	w->tb[type] = attr;
	return MNL_CB_OK;
}

int s3ctl_attr_parse_buf(const void *buf, size_t len,
			 const struct s3ctl_attr_policy *policy,
			 unsigned int maxtype, const struct nlattr **tb,
			 struct s3ctl_nlerr *e)
{
	struct s3ctl_attr_walk w = {
		.policy = policy, .maxtype = maxtype, .tb = tb, .e = e,
		.end = buf,
	};
	const char *stop = (const char *)buf + len;

	memset(tb, 0, (maxtype + 1) * sizeof(*tb));
	if (mnl_attr_parse_payload(buf, len, s3ctl_attr_cb, &w) < MNL_CB_OK)
		return -e->code;
	/* The last attribute may lack its padding; anything else is junk. */
	if (w.end < stop)
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: %zu bytes after the last attribute",
			(size_t)(stop - w.end));
	return 0;
}

int s3ctl_attr_parse(const struct nlmsghdr *nlh, size_t offset,
		     const struct s3ctl_attr_policy *policy,
		     unsigned int maxtype, const struct nlattr **tb,
		     struct s3ctl_nlerr *e)
{
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(offset);

	if (nlh->nlmsg_len < hdr)
		return s3ctl_nlerr_set(e, EPROTO,
			"malformed netlink reply: message of %u bytes is shorter than its headers",
			nlh->nlmsg_len);
	return s3ctl_attr_parse_buf((const char *)nlh + hdr,
				    nlh->nlmsg_len - hdr, policy, maxtype, tb,
				    e);
}

int s3ctl_attr_require(const struct nlattr *const *tb,
		       const struct s3ctl_attr_policy *policy,
		       unsigned int type, struct s3ctl_nlerr *e)
{
	char buf[16];

	if (tb[type])
		return 0;
	return s3ctl_nlerr_set(e, EPROTO,
		"malformed netlink reply: attribute '%s' is missing",
		s3ctl_attr_name(policy, type, type, buf, sizeof(buf)));
}

int s3ctl_attr_require_all(const struct nlattr *const *tb,
			   const struct s3ctl_attr_policy *policy,
			   const unsigned int *types, size_t n,
			   struct s3ctl_nlerr *e)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = s3ctl_attr_require(tb, policy, types[i], e);
		if (ret)
			return ret;
	}
	return 0;
}
