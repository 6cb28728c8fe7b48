/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GET/HEAD request semantics that are pure functions of header values:
 * Range (RFC 9110 §14, as S3 applies it), the conditional headers with
 * AWS's precedence, HTTP dates and ETags. Unit-tested in userland.
 */
#ifndef _KS3_S3_COND_H
#define _KS3_S3_COND_H

#include <linux/types.h>

#include "http/http.h"		/* KS3_HTTP_DATE_LEN */
/* '"' + 32 hex + "-4294967295" + '"' + NUL */
#define KS3_ETAG_MAX		48

/* IMF-fixdate of @secs since the epoch, NUL-terminated. */
void ks3_http_date(s64 secs, char out[KS3_HTTP_DATE_LEN + 1]);
/*
 * Parses an HTTP-date (IMF-fixdate, RFC 850 or asctime form) into seconds
 * since the epoch; -EINVAL if it is none of them.
 */
int ks3_http_date_parse(const char *s, size_t len, s64 *secs);
/* ISO 8601 "2009-10-12T17:50:30.000Z" as S3 lists LastModified. */
void ks3_iso8601(s64 secs, char out[25]);

/* The quoted ETag: "md5hex" or "md5hex-N" for N parts. Returns length. */
size_t ks3_etag(const u8 md5[16], u32 nr_parts, char out[KS3_ETAG_MAX]);

/*
 * Range of a GET. Returns 1 with the inclusive [*@first, *@last] for a
 * single satisfiable range, 0 to send the whole object (no Range, a
 * malformed one, or several ranges: S3 ignores those), -ERANGE when it is
 * not satisfiable (416 with "Content-Range: bytes * /size").
 */
int ks3_range_parse(const char *v, size_t len, u64 size, u64 *first,
		    u64 *last);

/* The conditional headers of a request, raw values (NULL if absent). */
struct ks3_cond {
	const char *if_match;
	size_t if_match_len;
	const char *if_none_match;
	size_t if_none_match_len;
	const char *if_modified_since;
	size_t if_modified_since_len;
	const char *if_unmodified_since;
	size_t if_unmodified_since_len;
};

/*
 * Does a comma-separated entity-tag list (If-Match, If-None-Match) match
 * @etag (quoted, as ks3_etag() writes it)? "*" matches any object; tags
 * are compared without quotes and weak prefixes, so an unquoted tag
 * matches too (AWS accepts that).
 */
bool ks3_etag_list_match(const char *list, size_t len, const char *etag,
			 size_t etag_len);

/*
 * Evaluates @c against an object (@etag quoted, @mtime in seconds) as S3
 * does (RFC 9110 §13.2.2 order): If-Match, else If-Unmodified-Since (412);
 * then If-None-Match, else If-Modified-Since (304). So If-Match true with
 * If-Unmodified-Since false gives 200, and If-None-Match false with
 * If-Modified-Since true gives 304. An unparsable date is ignored.
 * Returns 0 (go on), 304 or 412.
 */
int ks3_cond_eval(const struct ks3_cond *c, const char *etag,
		  size_t etag_len, s64 mtime);

#endif /* _KS3_S3_COND_H */
