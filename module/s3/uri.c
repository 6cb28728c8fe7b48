// SPDX-License-Identifier: GPL-2.0
/*
 * Percent-encoding (RFC 3986 2.1) the way S3 and SigV4 use it, and query
 * strings split into parameters. See uri.h for '+' in paths and queries.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "uri.h"

static int ks3_uri_hexval(u8 c)
{
	if ((u8)(c - '0') <= 9)
		return c - '0';
	c |= 0x20;
	if ((u8)(c - 'a') <= 5)
		return c - 'a' + 10;
	return -1;
}

/*
 * The byte that @src[*i] stands for, advancing *@i past it; -EINVAL on a
 * bad escape. *@i < @len on entry.
 */
static int ks3_uri_next(const char *src, size_t len, size_t *i,
			bool plus_is_space)
{
	u8 c = src[*i];
	int hi, lo;

	if (c == '+' && plus_is_space) {
		(*i)++;
		return ' ';
	}
	if (c != '%') {
		(*i)++;
		return c;
	}
	if (len - *i < 3)
		return -EINVAL;
	hi = ks3_uri_hexval(src[*i + 1]);
	lo = ks3_uri_hexval(src[*i + 2]);
	if (hi < 0 || lo < 0)
		return -EINVAL;
	*i += 3;
	return hi << 4 | lo;
}

ssize_t ks3_uri_decode(char *dst, size_t dst_size, const char *src,
		       size_t len, bool plus_is_space)
{
	size_t i = 0, o = 0;
	int c;

	while (i < len) {
		c = ks3_uri_next(src, len, &i, plus_is_space);
		if (c < 0)
			return c;
		if (o == dst_size)
			return -ENOSPC;
		dst[o++] = c;
	}
	return o;
}

static bool ks3_uri_unreserved(u8 c, bool keep_slash)
{
	return (u8)(c - 'A') < 26 || (u8)(c - 'a') < 26 ||
	       (u8)(c - '0') < 10 || c == '-' || c == '.' || c == '_' ||
	       c == '~' || (c == '/' && keep_slash);
}

size_t ks3_uri_encoded_len(const char *src, size_t len, bool keep_slash)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ks3_uri_unreserved(src[i], keep_slash) ? 1 : 3;
	return n;
}

ssize_t ks3_uri_encode(char *dst, size_t dst_size, const char *src,
		       size_t len, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		u8 c = src[i];

		if (ks3_uri_unreserved(c, keep_slash)) {
			if (o == dst_size)
				return -ENOSPC;
			dst[o++] = c;
			continue;
		}
		if (dst_size - o < 3)
			return -ENOSPC;
		dst[o++] = '%';
		dst[o++] = hex[c >> 4];
		dst[o++] = hex[c & 15];
	}
	return o;
}

/* Checks the bytes of one name or value: no control bytes, good escapes. */
static int ks3_query_check(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		u8 c = s[i];

		if (c < 0x20 || c == 0x7f)
			return -EINVAL;
		if (c == '%' && (len - i < 3 || ks3_uri_hexval(s[i + 1]) < 0 ||
				 ks3_uri_hexval(s[i + 2]) < 0))
			return -EINVAL;
	}
	return 0;
}

int ks3_query_parse(const char *q, size_t len, struct ks3_query_param *out,
		    unsigned int max)
{
	const char *end = q + len, *seg, *amp, *eq;
	unsigned int n = 0;

	for (seg = q; seg < end; seg = amp + 1) {
		struct ks3_query_param *p;

		amp = memchr(seg, '&', end - seg);
		if (!amp)
			amp = end;
		if (amp == seg)
			continue;	/* "a&&b", leading or trailing '&' */
		eq = memchr(seg, '=', amp - seg);
		if (eq == seg || (eq ? eq : amp) - seg > U16_MAX ||
		    (eq && amp - eq - 1 > U32_MAX))
			return -EINVAL;
		if (ks3_query_check(seg, amp - seg))
			return -EINVAL;
		if (n == max)
			return -E2BIG;
		p = &out[n++];
		p->name = seg;
		p->has_value = !!eq;
		if (eq) {
			p->name_len = eq - seg;
			p->value = eq + 1;
			p->value_len = amp - eq - 1;
		} else {
			p->name_len = amp - seg;
			p->value = amp;
			p->value_len = 0;
		}
	}
	return n;
}

const struct ks3_query_param *
ks3_query_find(const struct ks3_query_param *p, unsigned int n,
	       const char *name)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		size_t i = 0, j = 0;
		int c = 0;

		while (i < p[k].name_len && name[j]) {
			c = ks3_uri_next(p[k].name, p[k].name_len, &i, true);
			if (c < 0 || c != (u8)name[j])
				break;
			j++;
		}
		if (c >= 0 && i == p[k].name_len && !name[j])
			return &p[k];
	}
	return NULL;
}
