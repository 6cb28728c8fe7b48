// SPDX-License-Identifier: GPL-2.0
/*
 * Range, conditional requests, HTTP dates and ETags (see cond.h).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "cond.h"

static const char *const ks3_wday[7] = {
	"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed",	/* 1970-01-01 was a Thursday */
};

static const char *const ks3_month[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* Days since 1970-01-01 to a civil date (proleptic Gregorian). */
static void ks3_civil(s64 days, s64 *y, u32 *m, u32 *d)
{
	s64 z = days + 719468;
	s64 era = (z >= 0 ? z : z - 146096) / 146097;
	u64 doe = (u64)(z - era * 146097);
	u64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	u64 mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (s64)yoe + era * 400 + (*m <= 2);
}

static s64 ks3_days_from_civil(s64 y, u32 m, u32 d)
{
	s64 era;
	u64 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (u64)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (s64)doe - 719468;
}

static void ks3_put2(char *p, u32 v)
{
	p[0] = '0' + v / 10 % 10;
	p[1] = '0' + v % 10;
}

static void ks3_put4(char *p, s64 v)
{
	if (v < 0 || v > 9999)
		v = v < 0 ? 0 : 9999;
	p[0] = '0' + v / 1000;
	p[1] = '0' + v / 100 % 10;
	p[2] = '0' + v / 10 % 10;
	p[3] = '0' + v % 10;
}

static void ks3_split(s64 secs, s64 *days, u32 *sod)
{
	*days = secs / 86400;
	if (secs % 86400 < 0)
		(*days)--;
	*sod = (u32)(secs - *days * 86400);
}

void ks3_http_date(s64 secs, char out[KS3_HTTP_DATE_LEN + 1])
{
	s64 days, y;
	u32 sod, m, d;

	ks3_split(secs, &days, &sod);
	ks3_civil(days, &y, &m, &d);
	memcpy(out, ks3_wday[((days % 7) + 7) % 7], 3);
	memcpy(out + 3, ", ", 2);
	ks3_put2(out + 5, d);
	out[7] = ' ';
	memcpy(out + 8, ks3_month[m - 1], 3);
	out[11] = ' ';
	ks3_put4(out + 12, y);
	out[16] = ' ';
	ks3_put2(out + 17, sod / 3600);
	out[19] = ':';
	ks3_put2(out + 20, sod / 60 % 60);
	out[22] = ':';
	ks3_put2(out + 23, sod % 60);
	memcpy(out + 25, " GMT", 5);	/* with the NUL */
}

void ks3_iso8601(s64 secs, char out[25])
{
	s64 days, y;
	u32 sod, m, d;

	ks3_split(secs, &days, &sod);
	ks3_civil(days, &y, &m, &d);
	ks3_put4(out, y);
	out[4] = '-';
	ks3_put2(out + 5, m);
	out[7] = '-';
	ks3_put2(out + 8, d);
	out[10] = 'T';
	ks3_put2(out + 11, sod / 3600);
	out[13] = ':';
	ks3_put2(out + 14, sod / 60 % 60);
	out[16] = ':';
	ks3_put2(out + 17, sod % 60);
	memcpy(out + 19, ".000Z", 6);	/* with the NUL */
}

static bool ks3_digits(const char *s, size_t n, u32 *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

static int ks3_month_parse(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (!memcmp(s, ks3_month[i], 3))
			return i + 1;
	return 0;
}

/* "HH:MM:SS" */
static bool ks3_hms(const char *s, u32 *sod)
{
	u32 h, m, sec;

	if (s[2] != ':' || s[5] != ':' || !ks3_digits(s, 2, &h) ||
	    !ks3_digits(s + 3, 2, &m) || !ks3_digits(s + 6, 2, &sec) ||
	    h > 23 || m > 59 || sec > 60)
		return false;
	*sod = h * 3600 + m * 60 + (sec == 60 ? 59 : sec);
	return true;
}

static int ks3_date_finish(u32 y, int m, u32 d, u32 sod, s64 *secs)
{
	static const u8 mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};

	if (!m || !d || d > mdays[m - 1])
		return -EINVAL;
	*secs = ks3_days_from_civil(y, m, d) * 86400 + sod;
	return 0;
}

int ks3_http_date_parse(const char *s, size_t len, s64 *secs)
{
	const char *comma = memchr(s, ',', len);
	u32 d, y, sod;
	int m;

	if (comma && comma - s == 3 && len == 29) {
		/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
		if (s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
		    s[16] != ' ' || memcmp(s + 25, " GMT", 4) ||
		    !ks3_digits(s + 5, 2, &d) || !ks3_digits(s + 12, 4, &y) ||
		    !ks3_hms(s + 17, &sod))
			return -EINVAL;
		m = ks3_month_parse(s + 8);
		return ks3_date_finish(y, m, d, sod, secs);
	}
	if (comma) {
		/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
		size_t off = comma - s;

		if (len != off + 24 || s[off + 1] != ' ' || s[off + 4] != '-' ||
		    s[off + 8] != '-' || s[off + 11] != ' ' ||
		    memcmp(s + off + 20, " GMT", 4) ||
		    !ks3_digits(s + off + 2, 2, &d) ||
		    !ks3_digits(s + off + 9, 2, &y) ||
		    !ks3_hms(s + off + 12, &sod))
			return -EINVAL;
		m = ks3_month_parse(s + off + 5);
		/* Two-digit years: RFC 9110 §5.6.7's 50-year window, simply. */
		y += y < 70 ? 2000 : 1900;
		return ks3_date_finish(y, m, d, sod, secs);
	}
	/* asctime: "Sun Nov  6 08:49:37 1994" */
	if (len != 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' ||
	    s[19] != ' ' || !ks3_hms(s + 11, &sod) ||
	    !ks3_digits(s + 20, 4, &y))
		return -EINVAL;
	if (s[8] == ' ') {
		if (!ks3_digits(s + 9, 1, &d))
			return -EINVAL;
	} else if (!ks3_digits(s + 8, 2, &d)) {
		return -EINVAL;
	}
	m = ks3_month_parse(s + 4);
	return ks3_date_finish(y, m, d, sod, secs);
}

size_t ks3_etag(const u8 md5[16], u32 nr_parts, char out[KS3_ETAG_MAX])
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	char tmp[10];
	int i, t = 0;

	out[n++] = '"';
	for (i = 0; i < 16; i++) {
		out[n++] = hex[md5[i] >> 4];
		out[n++] = hex[md5[i] & 0xf];
	}
	if (nr_parts) {
		out[n++] = '-';
		do {
			tmp[t++] = '0' + nr_parts % 10;
			nr_parts /= 10;
		} while (nr_parts);
		while (t)
			out[n++] = tmp[--t];
	}
	out[n++] = '"';
	out[n] = '\0';
	return n;
}

static bool ks3_parse_u64(const char *s, size_t len, u64 *v)
{
	size_t i;

	if (!len)
		return false;
	*v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (*v > (U64_MAX - 9) / 10)
			*v = U64_MAX / 2;	/* saturate: beyond any object */
		else
			*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

int ks3_range_parse(const char *v, size_t len, u64 size, u64 *first,
		    u64 *last)
{
	const char *dash;
	size_t i, a, b;
	u64 x, y;

	if (!v || len < 6 || memcmp(v, "bytes=", 6))
		return 0;
	v += 6;
	len -= 6;
	while (len && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	if (memchr(v, ',', len))
		return 0;		/* several ranges: the whole object */
	dash = memchr(v, '-', len);
	if (!dash)
		return 0;
	a = dash - v;
	b = len - a - 1;
	for (i = 0; i < len; i++)
		if (v[i] == ' ')
			return 0;
	if (!a) {
		/* suffix: the last y bytes */
		if (!ks3_parse_u64(dash + 1, b, &y))
			return 0;
		if (!y || !size)
			return -ERANGE;
		*first = y >= size ? 0 : size - y;
		*last = size - 1;
		return 1;
	}
	if (!ks3_parse_u64(v, a, &x))
		return 0;
	if (!b) {
		y = U64_MAX;
	} else {
		if (!ks3_parse_u64(dash + 1, b, &y))
			return 0;
		if (y < x)
			return 0;	/* invalid: ignored, as S3 does */
	}
	if (x >= size)
		return -ERANGE;
	*first = x;
	*last = y >= size ? size - 1 : y;
	return 1;
}

static bool ks3_etag_eq(const char *a, size_t alen, const char *b,
			size_t blen)
{
	if (alen >= 2 && a[0] == 'W' && a[1] == '/') {
		a += 2;
		alen -= 2;
	}
	if (alen >= 2 && a[0] == '"' && a[alen - 1] == '"') {
		a++;
		alen -= 2;
	}
	if (blen >= 2 && b[0] == '"' && b[blen - 1] == '"') {
		b++;
		blen -= 2;
	}
	return alen == blen && !memcmp(a, b, alen);
}

bool ks3_etag_list_match(const char *list, size_t len, const char *etag,
			 size_t etag_len)
{
	size_t i = 0;

	while (i < len) {
		size_t s, e;

		while (i < len && (list[i] == ' ' || list[i] == '\t' ||
				   list[i] == ','))
			i++;
		s = i;
		while (i < len && list[i] != ',')
			i++;
		e = i;
		while (e > s && (list[e - 1] == ' ' || list[e - 1] == '\t'))
			e--;
		if (e == s)
			continue;
		if (e - s == 1 && list[s] == '*')
			return true;
		if (ks3_etag_eq(list + s, e - s, etag, etag_len))
			return true;
	}
	return false;
}

int ks3_cond_eval(const struct ks3_cond *c, const char *etag,
		  size_t etag_len, s64 mtime)
{
	s64 t;

	if (c->if_match) {
		if (!ks3_etag_list_match(c->if_match, c->if_match_len, etag,
					 etag_len))
			return 412;
	} else if (c->if_unmodified_since &&
		   !ks3_http_date_parse(c->if_unmodified_since,
					c->if_unmodified_since_len, &t) &&
		   mtime > t) {
		return 412;
	}
	if (c->if_none_match) {
		if (ks3_etag_list_match(c->if_none_match,
					c->if_none_match_len, etag, etag_len))
			return 304;
	} else if (c->if_modified_since &&
		   !ks3_http_date_parse(c->if_modified_since,
					c->if_modified_since_len, &t) &&
		   mtime <= t) {
		return 304;
	}
	return 0;
}
