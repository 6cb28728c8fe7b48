/* SPDX-License-Identifier: GPL-2.0 */
/*
 * URI helpers shared by the S3 layer and SigV4: percent-decoding and
 * -encoding, and the query string split into its parameters.
 *
 * '+' in a query string means a space (application/x-www-form-urlencoded,
 * which is how S3 reads query values and names): decode those with
 * @plus_is_space true. In a path '+' is a literal '+': decode paths with
 * @plus_is_space false.
 */
#ifndef _KS3_S3_URI_H
#define _KS3_S3_URI_H

#include <linux/types.h>

/*
 * Percent-decodes @src (@len bytes) into @dst (@dst_size bytes), turning
 * '+' into ' ' if @plus_is_space. Returns the decoded length, -EINVAL on a
 * bad escape ("%4", "%zz"), -ENOSPC if @dst is too small. The result may
 * hold any byte, NUL included, and is not NUL-terminated: the caller
 * decides what it accepts. The decoded length is never more than @len.
 */
ssize_t ks3_uri_decode(char *dst, size_t dst_size, const char *src,
		       size_t len, bool plus_is_space);

/*
 * SigV4/S3 encoding: the unreserved A-Z a-z 0-9 '-' '.' '_' '~' are kept,
 * '/' is kept if @keep_slash, every other byte becomes %XX (upper-case
 * hex). Returns the length written (no NUL added) or -ENOSPC.
 * ks3_uri_encoded_len() is the length ks3_uri_encode() would write.
 */
ssize_t ks3_uri_encode(char *dst, size_t dst_size, const char *src,
		       size_t len, bool keep_slash);
size_t ks3_uri_encoded_len(const char *src, size_t len, bool keep_slash);

/*
 * One query parameter, raw (still encoded), pointing into the query
 * string. "a" has no value (has_value false), "a=" an empty one.
 */
struct ks3_query_param {
	const char *name;
	const char *value;
	u16 name_len;
	u32 value_len;
	bool has_value;
};

/*
 * Splits the query @q (@len bytes, after the '?') at '&' into @out (at
 * most @max entries). Empty parameters ("a=1&&b", a leading or trailing
 * '&') are skipped. Returns the count, -E2BIG over @max, -EINVAL if
 * malformed: an empty name as in "=v", a name over U16_MAX bytes, a
 * control byte (below 0x20, 0x7f), or a bad %-escape in a name or a value,
 * so ks3_uri_decode() of a parsed name or value never fails with -EINVAL.
 */
int ks3_query_parse(const char *q, size_t len, struct ks3_query_param *out,
		    unsigned int max);

/*
 * The first parameter whose decoded name ('+' as space) equals @name
 * (a NUL-terminated, exact-case string), or NULL.
 */
const struct ks3_query_param *
ks3_query_find(const struct ks3_query_param *p, unsigned int n,
	       const char *name);

#endif /* _KS3_S3_URI_H */
