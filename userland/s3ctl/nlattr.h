/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink attribute parsing against a policy table, the userland mirror of
 * the kernel's nla_parse(): every attribute s3ctl reads has been checked for
 * type and length first, so readers never see a short or unterminated one.
 */
#ifndef S3CTL_NLATTR_H
#define S3CTL_NLATTR_H

#include <stddef.h>
#include <stdint.h>

#include <libmnl/libmnl.h>

/*
 * An error on the way to or from the kernel: an errno and the one line that
 * says what went wrong (the kernel's extack message, or s3ctl's own).
 */
struct s3ctl_nlerr {
	int code;		/* positive errno, 0: no error */
	char msg[256];		/* "": say strerror(code) */
	int miss_type;		/* attribute the kernel found missing, or -1 */
};

void s3ctl_nlerr_init(struct s3ctl_nlerr *e);
/* Records @code and a message; returns -@code for `return s3ctl_nlerr_set()`. */
int s3ctl_nlerr_set(struct s3ctl_nlerr *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

enum s3ctl_attr_type {
	S3CTL_ATTR_IGNORE,	/* not read: padding, or not needed by s3ctl */
	S3CTL_ATTR_U8,
	S3CTL_ATTR_U16,
	S3CTL_ATTR_U32,
	S3CTL_ATTR_U64,
	S3CTL_ATTR_STRING,	/* NUL-terminated, no NUL inside, <= max_len chars */
	S3CTL_ATTR_BINARY,	/* <= max_len bytes (0: any length) */
	S3CTL_ATTR_FLAG,	/* no payload */
	S3CTL_ATTR_NESTED,	/* attributes inside, parsed by the reader */
};

struct s3ctl_attr_policy {
	enum s3ctl_attr_type type;
	uint16_t max_len;	/* STRING, BINARY; 0: no limit */
	const char *name;	/* for error messages */
};

/*
 * Parses the attributes of @nlh that follow @offset bytes of family header
 * into @tb[0..@maxtype], checking each against @policy[0..@maxtype].
 * Attributes above @maxtype come from a newer kernel and are skipped. A
 * truncated attribute or trailing bytes fail the parse. Returns 0 or -errno
 * with @e filled in.
 */
int s3ctl_attr_parse(const struct nlmsghdr *nlh, size_t offset,
		     const struct s3ctl_attr_policy *policy,
		     unsigned int maxtype, const struct nlattr **tb,
		     struct s3ctl_nlerr *e);

/* The same for @len bytes of attributes at @buf (a nest's payload). */
int s3ctl_attr_parse_buf(const void *buf, size_t len,
			 const struct s3ctl_attr_policy *policy,
			 unsigned int maxtype, const struct nlattr **tb,
			 struct s3ctl_nlerr *e);

/* @policy's name for @type, or "#12" for one it does not know. */
const char *s3ctl_attr_name(const struct s3ctl_attr_policy *policy,
			    unsigned int maxtype, unsigned int type,
			    char *buf, size_t len);

/* Fails with "attribute 'x' is missing" unless @tb[@type] is set. */
int s3ctl_attr_require(const struct nlattr *const *tb,
		       const struct s3ctl_attr_policy *policy,
		       unsigned int type, struct s3ctl_nlerr *e);
/* The same for each of the @n attributes in @types, first missing wins. */
int s3ctl_attr_require_all(const struct nlattr *const *tb,
			   const struct s3ctl_attr_policy *policy,
			   const unsigned int *types, size_t n,
			   struct s3ctl_nlerr *e);

#endif /* S3CTL_NLATTR_H */
