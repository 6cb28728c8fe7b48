// SPDX-License-Identifier: GPL-2.0
/*
 * AWS Signature Version 4 verification (see sigv4.h for what is checked).
 * Pure code: the canonical request is never built as one string, it is
 * fed to SHA-256 piece by piece through a small buffer, so its size is
 * bounded only by the request head the HTTP layer accepted.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <crypto/algapi.h>

#include "s3/checksum.h"
#include "s3/sigv4.h"
#include "s3/uri.h"

#define KS3_SIGV4_ALGORITHM	"AWS4-HMAC-SHA256"
#define KS3_SIGV4_TERMINATOR	"aws4_request"

static const struct ks3_sigv4_err_info ks3_sigv4_errs[KS3_SIGV4_ERR_NR] = {
	[KS3_SIGV4_OK] = { "", "", 200 },
	[KS3_SIGV4_NO_AUTH] = { "", "", 200 },
	[KS3_SIGV4_MALFORMED] = { "AuthorizationHeaderMalformed",
		"The authorization header is malformed.", 400 },
	[KS3_SIGV4_WRONG_REGION] = { "AuthorizationHeaderMalformed",
		"The authorization header is malformed; the region is wrong.",
		400 },
	[KS3_SIGV4_QUERY_MALFORMED] = { "AuthorizationQueryParametersError",
		"Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
		400 },
	[KS3_SIGV4_QUERY_WRONG_REGION] = { "AuthorizationQueryParametersError",
		"Error parsing the X-Amz-Credential parameter; the region is wrong.",
		400 },
	[KS3_SIGV4_UNSUPPORTED] = { "InvalidRequest",
		"The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
		400 },
	[KS3_SIGV4_BOTH_AUTH] = { "InvalidArgument",
		"Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
		400 },
	[KS3_SIGV4_TOKEN_UNSUPPORTED] = { "InvalidToken",
		"The provided token is malformed or otherwise invalid.", 400 },
	[KS3_SIGV4_NO_DATE] = { "AccessDenied",
		"AWS authentication requires a valid Date or x-amz-date header",
		403 },
	[KS3_SIGV4_BAD_DATE] = { "AuthorizationHeaderMalformed",
		"Invalid credential date. Date is not the same as X-Amz-Date.",
		400 },
	[KS3_SIGV4_SKEWED] = { "RequestTimeTooSkewed",
		"The difference between the request time and the current time is too large.",
		403 },
	[KS3_SIGV4_EXPIRED] = { "AccessDenied", "Request has expired", 403 },
	[KS3_SIGV4_NOT_YET_VALID] = { "AccessDenied",
		"Request is not valid yet", 403 },
	[KS3_SIGV4_UNSIGNED_HEADER] = { "AccessDenied",
		"There were headers present in the request which were not signed",
		403 },
	[KS3_SIGV4_NO_CONTENT_SHA256] = { "InvalidRequest",
		"Missing required header for this request: x-amz-content-sha256",
		400 },
	[KS3_SIGV4_BAD_CONTENT_SHA256] = { "InvalidArgument",
		"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
		400 },
	[KS3_SIGV4_INVALID_ACCESS_KEY] = { "InvalidAccessKeyId",
		"The AWS Access Key Id you provided does not exist in our records.",
		403 },
	[KS3_SIGV4_SIGNATURE_MISMATCH] = { "SignatureDoesNotMatch",
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.",
		403 },
	[KS3_SIGV4_CONTENT_SHA256_MISMATCH] = { "XAmzContentSHA256Mismatch",
		"The provided 'x-amz-content-sha256' header does not match what was computed.",
		400 },
	[KS3_SIGV4_INTERNAL] = { "InternalError",
		"We encountered an internal error. Please try again.", 500 },
};

const struct ks3_sigv4_err_info *ks3_sigv4_err_info(enum ks3_sigv4_err err)
{
	if ((unsigned int)err >= KS3_SIGV4_ERR_NR)
		err = KS3_SIGV4_INTERNAL;
	return &ks3_sigv4_errs[err];
}

/* Small string helpers (no locale, no NUL needed). */

static char ks3_sigv4_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool ks3_sigv4_eq(const char *s, size_t len, const char *lit)
{
	return len == strlen(lit) && !memcmp(s, lit, len);
}

static bool ks3_sigv4_eq_nocase(const char *s, size_t len, const char *a,
				size_t alen)
{
	size_t i;

	if (len != alen)
		return false;
	for (i = 0; i < len; i++)
		if (ks3_sigv4_lower(s[i]) != ks3_sigv4_lower(a[i]))
			return false;
	return true;
}

static bool ks3_sigv4_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static unsigned int ks3_sigv4_num(const char *s, size_t len)
{
	unsigned int v = 0;
	size_t i;

	for (i = 0; i < len; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Dates: days since 1970-01-01 of a proleptic Gregorian date and back. */

static s64 ks3_sigv4_days(int y, unsigned int m, unsigned int d)
{
	s64 era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static unsigned int ks3_sigv4_mdays(int y, unsigned int m)
{
	static const u8 mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				      30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mdays[m - 1] + (m == 2 && leap);
}

static int ks3_sigv4_mktime(int y, unsigned int mo, unsigned int d,
			    unsigned int h, unsigned int mi, unsigned int s,
			    s64 *t)
{
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > ks3_sigv4_mdays(y, mo) || h > 23 || mi > 59 || s > 59)
		return -EINVAL;
	*t = ks3_sigv4_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

static void ks3_sigv4_put_num(char *out, unsigned int v, unsigned int digits)
{
	while (digits--) {
		out[digits] = '0' + v % 10;
		v /= 10;
	}
}

/* "YYYYMMDDTHHMMSSZ" of @t (>= 0) into @out (16 chars, no NUL). */
static void ks3_sigv4_format_amz_date(char *out, s64 t)
{
	s64 z = t / 86400 + 719468, era, doe, yoe, doy, mp;
	unsigned int secs = t % 86400, y, m, d;

	era = z / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y = yoe + era * 400 + (m <= 2);
	ks3_sigv4_put_num(out, y, 4);
	ks3_sigv4_put_num(out + 4, m, 2);
	ks3_sigv4_put_num(out + 6, d, 2);
	out[8] = 'T';
	ks3_sigv4_put_num(out + 9, secs / 3600, 2);
	ks3_sigv4_put_num(out + 11, secs / 60 % 60, 2);
	ks3_sigv4_put_num(out + 13, secs % 60, 2);
	out[15] = 'Z';
}

int ks3_sigv4_parse_amz_date(const char *s, size_t len, s64 *t)
{
	if (len != 16 || s[8] != 'T' || s[15] != 'Z' ||
	    !ks3_sigv4_digits(s, 8) || !ks3_sigv4_digits(s + 9, 6))
		return -EINVAL;
	return ks3_sigv4_mktime(ks3_sigv4_num(s, 4), ks3_sigv4_num(s + 4, 2),
				ks3_sigv4_num(s + 6, 2),
				ks3_sigv4_num(s + 9, 2),
				ks3_sigv4_num(s + 11, 2),
				ks3_sigv4_num(s + 13, 2), t);
}

int ks3_sigv4_parse_http_date(const char *s, size_t len, s64 *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char days[] = "MonTueWedThuFriSatSun";
	unsigned int m, i;
	bool day_ok = false;

	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (len != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' ||
	    s[11] != ' ' || s[16] != ' ' || s[19] != ':' || s[22] != ':' ||
	    s[25] != ' ' || memcmp(s + 26, "GMT", 3) ||
	    !ks3_sigv4_digits(s + 5, 2) || !ks3_sigv4_digits(s + 12, 4) ||
	    !ks3_sigv4_digits(s + 17, 2) || !ks3_sigv4_digits(s + 20, 2) ||
	    !ks3_sigv4_digits(s + 23, 2))
		return -EINVAL;
	for (i = 0; i < 7; i++)
		if (!memcmp(s, days + 3 * i, 3))
			day_ok = true;
	if (!day_ok)
		return -EINVAL;
	for (m = 0; m < 12; m++)
		if (!memcmp(s + 8, months + 3 * m, 3))
			break;
	if (m == 12)
		return -EINVAL;
	return ks3_sigv4_mktime(ks3_sigv4_num(s + 12, 4), m + 1,
				ks3_sigv4_num(s + 5, 2),
				ks3_sigv4_num(s + 17, 2),
				ks3_sigv4_num(s + 20, 2),
				ks3_sigv4_num(s + 23, 2), t);
}

/* Header fields of the request, by lower-case name. */

static const struct ks3_http_field *
ks3_sigv4_field(const struct ks3_http_request *req, const char *lname,
		size_t len, unsigned int *count)
{
	const struct ks3_http_field *first = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < req->nr_fields && i < KS3_HTTP_FIELDS_MAX; i++) {
		const struct ks3_http_field *f = &req->fields[i];

		if (!ks3_sigv4_eq_nocase(f->name, f->name_len, lname, len))
			continue;
		if (!first)
			first = f;
		n++;
	}
	if (count)
		*count = n;
	return first;
}

/* A byte sink into SHA-256, buffered so pieces of one byte stay cheap. */
struct ks3_sigv4_sink {
	struct ks3_digest d;
	int err;
	u16 len;
	u8 buf[192];
};

static void ks3_sigv4_flush(struct ks3_sigv4_sink *k)
{
	if (k->len && !k->err)
		k->err = ks3_digest_update(&k->d, k->buf, k->len);
	k->len = 0;
}

static void ks3_sigv4_put(struct ks3_sigv4_sink *k, const void *p, size_t n)
{
	if (n > sizeof(k->buf) - k->len) {
		ks3_sigv4_flush(k);
		if (n > sizeof(k->buf)) {
			if (!k->err)
				k->err = ks3_digest_update(&k->d, p, n);
			return;
		}
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
}

static void ks3_sigv4_putc(struct ks3_sigv4_sink *k, char c)
{
	if (k->len == sizeof(k->buf))
		ks3_sigv4_flush(k);
	k->buf[k->len++] = c;
}

static int ks3_sigv4_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool ks3_sigv4_unreserved(u8 c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

/*
 * Canonical (decoded, then strictly re-encoded) form of a URI component,
 * produced one byte at a time so two parameters compare without building
 * either. A '/' kept raw in a path stays '/'; one that arrived as %2F stays
 * %2F (it was part of a key, not a separator).
 */
struct ks3_sigv4_canon {
	const char *s;
	size_t len, pos;
	bool path;			/* keep '/'; '+' is a plus */
	u8 n, i;
	char out[3];
};

static void ks3_sigv4_canon_start(struct ks3_sigv4_canon *c, const char *s,
				  size_t len, bool path)
{
	c->s = s;
	c->len = len;
	c->pos = 0;
	c->path = path;
	c->n = 0;
	c->i = 0;
}

/* The next canonical byte, -1 at the end, -2 on a bad %-escape. */
static int ks3_sigv4_canon_next(struct ks3_sigv4_canon *c)
{
	static const char hex[] = "0123456789ABCDEF";
	bool escaped = false;
	int hi, lo;
	u8 b;

	if (c->i < c->n)
		return (u8)c->out[c->i++];
	if (c->pos >= c->len)
		return -1;
	b = c->s[c->pos++];
	if (b == '%') {
		if (c->len - c->pos < 2)
			return -2;
		hi = ks3_sigv4_hexval(c->s[c->pos]);
		lo = ks3_sigv4_hexval(c->s[c->pos + 1]);
		if (hi < 0 || lo < 0)
			return -2;
		b = (u8)(hi << 4 | lo);
		c->pos += 2;
		escaped = true;
	} else if (b == '+' && !c->path) {
		b = ' ';
	}
	if (ks3_sigv4_unreserved(b) || (b == '/' && c->path && !escaped))
		return b;
	c->out[0] = '%';
	c->out[1] = hex[b >> 4];
	c->out[2] = hex[b & 15];
	c->n = 3;
	c->i = 1;
	return '%';
}

/* Feed the canonical form of @s to @k; -EINVAL on a bad escape. */
static int ks3_sigv4_put_canon(struct ks3_sigv4_sink *k, const char *s,
			       size_t len, bool path)
{
	struct ks3_sigv4_canon c;
	int b;

	ks3_sigv4_canon_start(&c, s, len, path);
	while ((b = ks3_sigv4_canon_next(&c)) >= 0)
		ks3_sigv4_putc(k, (char)b);
	return b == -1 ? 0 : -EINVAL;
}

static int ks3_sigv4_canon_cmp(const char *a, size_t alen, const char *b,
			       size_t blen)
{
	struct ks3_sigv4_canon ca, cb;
	int x, y;

	ks3_sigv4_canon_start(&ca, a, alen, false);
	ks3_sigv4_canon_start(&cb, b, blen, false);
	do {
		x = ks3_sigv4_canon_next(&ca);
		y = ks3_sigv4_canon_next(&cb);
	} while (x == y && x >= 0);
	return x - y;
}

static int ks3_sigv4_param_cmp(const struct ks3_query_param *a,
			       const struct ks3_query_param *b)
{
	int r = ks3_sigv4_canon_cmp(a->name, a->name_len, b->name,
				    b->name_len);

	if (r)
		return r;
	return ks3_sigv4_canon_cmp(a->value, a->value_len, b->value,
				   b->value_len);
}

/* Is the decoded name of @p exactly @name? ('+' decodes to a space) */
static bool ks3_sigv4_param_is(const struct ks3_query_param *p,
			       const char *name)
{
	char buf[32];
	ssize_t n;

	if (p->name_len > 3 * sizeof(buf))
		return false;
	n = ks3_uri_decode(buf, sizeof(buf), p->name, p->name_len, true);
	return n >= 0 && ks3_sigv4_eq(buf, n, name);
}

static const struct ks3_query_param *
ks3_sigv4_param(struct ks3_sigv4 *v, const char *name, unsigned int *count)
{
	const struct ks3_query_param *first = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < v->nr_params; i++) {
		if (!ks3_sigv4_param_is(&v->params[i], name))
			continue;
		if (!first)
			first = &v->params[i];
		n++;
	}
	*count = n;
	return first;
}

/*
 * Parse "AKID/YYYYMMDD/region/service/aws4_request" into @v. Returns
 * 0, or the header/query flavour of malformed or wrong region.
 */
static enum ks3_sigv4_err ks3_sigv4_parse_credential(struct ks3_sigv4 *v,
						     const char *s, size_t len,
						     const struct ks3_sigv4_params *p)
{
	enum ks3_sigv4_err bad = v->presigned ? KS3_SIGV4_QUERY_MALFORMED :
						KS3_SIGV4_MALFORMED;
	const char *part[5];
	size_t plen[5], i, start = 0;
	unsigned int n = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (n == 5)
			return bad;
		part[n] = s + start;
		plen[n++] = i - start;
		start = i + 1;
	}
	if (n != 5)
		return bad;
	if (!plen[0] || plen[0] > KS3_SIGV4_AKID_MAX)
		return bad;
	memcpy(v->akid, part[0], plen[0]);
	v->akid[plen[0]] = '\0';
	v->akid_len = plen[0];
	if (!plen[2] || plen[2] > KS3_SIGV4_REGION_MAX)
		return bad;
	memcpy(v->region, part[2], plen[2]);
	v->region[plen[2]] = '\0';
	if (plen[1] != 8 || !ks3_sigv4_digits(part[1], 8))
		return bad;
	memcpy(v->date8, part[1], 8);
	if (!plen[3] || plen[3] > KS3_SIGV4_SERVICE_MAX)
		return bad;
	memcpy(v->service, part[3], plen[3]);
	v->service_len = plen[3];
	if (!ks3_sigv4_eq(part[4], plen[4], KS3_SIGV4_TERMINATOR) ||
	    !ks3_sigv4_eq(part[3], plen[3], p->service))
		return bad;
	if (strcmp(v->region, p->region))
		return v->presigned ? KS3_SIGV4_QUERY_WRONG_REGION :
				      KS3_SIGV4_WRONG_REGION;
	return KS3_SIGV4_OK;
}

/* 64 lower-case hex chars into v->signature. */
static bool ks3_sigv4_parse_signature(struct ks3_sigv4 *v, const char *s,
				      size_t len)
{
	return len == 2 * KS3_SHA256_SIZE &&
	       !ks3_hex_decode(v->signature, s, KS3_SHA256_SIZE, true);
}

/*
 * The Authorization header: the algorithm, one space, then Credential=,
 * SignedHeaders= and Signature= in any order, separated by ',' with
 * optional spaces after it.
 */
static enum ks3_sigv4_err
ks3_sigv4_parse_header(struct ks3_sigv4 *v, const struct ks3_http_field *f,
		       const struct ks3_sigv4_params *p)
{
	const char *s = f->value, *end = f->value + f->value_len;
	size_t alg_len = strlen(KS3_SIGV4_ALGORITHM);
	bool have_cred = false, have_sh = false, have_sig = false;
	const char *cred = NULL;
	size_t cred_len = 0;
	enum ks3_sigv4_err err;

	if (f->value_len < alg_len || memcmp(s, KS3_SIGV4_ALGORITHM, alg_len))
		return KS3_SIGV4_UNSUPPORTED;
	if (f->value_len == alg_len)
		return KS3_SIGV4_MALFORMED;
	if (s[alg_len] != ' ')
		return KS3_SIGV4_UNSUPPORTED;
	s += alg_len;
	while (s < end && *s == ' ')
		s++;
	while (s < end) {
		const char *key = s, *val;
		size_t klen, vlen;

		while (s < end && *s != '=' && *s != ',' && *s != ' ')
			s++;
		if (s == end || *s != '=')
			return KS3_SIGV4_MALFORMED;
		klen = s - key;
		val = ++s;
		while (s < end && *s != ',' && *s != ' ')
			s++;
		vlen = s - val;
		while (s < end && *s == ' ')
			s++;
		if (s < end) {
			if (*s != ',')
				return KS3_SIGV4_MALFORMED;
			s++;
			while (s < end && *s == ' ')
				s++;
			if (s == end)
				return KS3_SIGV4_MALFORMED;
		}
		if (ks3_sigv4_eq(key, klen, "Credential") && !have_cred) {
			have_cred = true;
			cred = val;
			cred_len = vlen;
		} else if (ks3_sigv4_eq(key, klen, "SignedHeaders") &&
			   !have_sh) {
			have_sh = true;
			if (!vlen || vlen > KS3_SIGV4_SIGNED_HEADERS_LEN)
				return KS3_SIGV4_MALFORMED;
			v->signed_headers = val;
			v->signed_headers_len = vlen;
		} else if (ks3_sigv4_eq(key, klen, "Signature") && !have_sig) {
			have_sig = true;
			if (!vlen)
				return KS3_SIGV4_MALFORMED;
			if (!ks3_sigv4_parse_signature(v, val, vlen))
				return KS3_SIGV4_SIGNATURE_MISMATCH;
		} else {
			return KS3_SIGV4_MALFORMED;
		}
	}
	if (!have_cred || !have_sh || !have_sig)
		return KS3_SIGV4_MALFORMED;
	err = ks3_sigv4_parse_credential(v, cred, cred_len, p);
	return err;
}

/* Decode the single query parameter @name into @buf; its length or -1. */
static ssize_t ks3_sigv4_query_value(struct ks3_sigv4 *v, const char *name,
				     char *buf, size_t size)
{
	const struct ks3_query_param *q;
	unsigned int n;
	ssize_t len;

	q = ks3_sigv4_param(v, name, &n);
	if (n != 1 || !q->has_value)
		return -1;
	len = ks3_uri_decode(buf, size, q->value, q->value_len, true);
	return len < 0 ? -1 : len;
}

static enum ks3_sigv4_err ks3_sigv4_parse_query(struct ks3_sigv4 *v,
						const struct ks3_sigv4_params *p)
{
	char buf[16 + 2 * KS3_SHA256_SIZE];
	char cred[KS3_SIGV4_AKID_MAX + KS3_SIGV4_SCOPE_MAX + 2];
	unsigned int n;
	ssize_t len;
	enum ks3_sigv4_err err;

	ks3_sigv4_param(v, "X-Amz-Security-Token", &n);
	if (n)
		return KS3_SIGV4_TOKEN_UNSUPPORTED;
	len = ks3_sigv4_query_value(v, "X-Amz-Algorithm", buf, sizeof(buf));
	if (len < 0)
		return KS3_SIGV4_QUERY_MALFORMED;
	if (!ks3_sigv4_eq(buf, len, KS3_SIGV4_ALGORITHM))
		return KS3_SIGV4_UNSUPPORTED;
	len = ks3_sigv4_query_value(v, "X-Amz-Credential", cred, sizeof(cred));
	if (len < 0)
		return KS3_SIGV4_QUERY_MALFORMED;
	err = ks3_sigv4_parse_credential(v, cred, len, p);
	if (err)
		return err;
	len = ks3_sigv4_query_value(v, "X-Amz-Date", buf, sizeof(buf));
	if (len < 0 || ks3_sigv4_parse_amz_date(buf, len, &v->time))
		return KS3_SIGV4_QUERY_MALFORMED;
	memcpy(v->stream.amz_date, buf, 16);
	len = ks3_sigv4_query_value(v, "X-Amz-Expires", buf, sizeof(buf));
	if (len <= 0 || len > 6 || !ks3_sigv4_digits(buf, len))
		return KS3_SIGV4_QUERY_MALFORMED;
	v->expires = ks3_sigv4_num(buf, len);
	if (v->expires < 1 || v->expires > KS3_SIGV4_EXPIRES_MAX)
		return KS3_SIGV4_QUERY_MALFORMED;
	len = ks3_sigv4_query_value(v, "X-Amz-SignedHeaders",
				    v->signed_headers_buf,
				    sizeof(v->signed_headers_buf));
	if (len <= 0)
		return KS3_SIGV4_QUERY_MALFORMED;
	v->signed_headers = v->signed_headers_buf;
	v->signed_headers_len = len;
	len = ks3_sigv4_query_value(v, "X-Amz-Signature", buf, sizeof(buf));
	if (len < 0)
		return KS3_SIGV4_QUERY_MALFORMED;
	if (!ks3_sigv4_parse_signature(v, buf, len))
		return KS3_SIGV4_SIGNATURE_MISMATCH;
	return KS3_SIGV4_OK;
}

/* Is lower-case @name (@len) one of the SignedHeaders? */
static bool ks3_sigv4_is_signed(const struct ks3_sigv4 *v, const char *name,
				size_t len)
{
	const char *s = v->signed_headers, *end = s + v->signed_headers_len;
	const char *e;

	while (s < end) {
		e = memchr(s, ';', end - s);
		if (!e)
			e = end;
		if (ks3_sigv4_eq_nocase(s, e - s, name, len))
			return true;
		s = e + 1;
	}
	return false;
}

static bool ks3_sigv4_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/*
 * SignedHeaders: lower-case tokens, strictly ascending, with "host", each
 * present in the request; and every x-amz-* of the request signed.
 */
static enum ks3_sigv4_err
ks3_sigv4_check_signed_headers(const struct ks3_sigv4 *v,
			       const struct ks3_http_request *req)
{
	enum ks3_sigv4_err bad = v->presigned ? KS3_SIGV4_QUERY_MALFORMED :
						KS3_SIGV4_MALFORMED;
	const char *s = v->signed_headers, *end = s + v->signed_headers_len;
	const char *prev = NULL, *e, *c;
	size_t prev_len = 0;
	unsigned int i, n = 0;
	bool host = false;

	while (s <= end) {
		e = memchr(s, ';', end - s);
		if (!e)
			e = end;
		if (e == s || ++n > KS3_SIGV4_SIGNED_HEADERS_MAX)
			return bad;
		for (c = s; c < e; c++)
			if (!ks3_sigv4_token_char(*c))
				return bad;
		if (prev) {
			size_t m = min_t(size_t, prev_len, e - s);
			int r = memcmp(prev, s, m);

			if (r > 0 || (!r && prev_len >= (size_t)(e - s)))
				return bad;
		}
		if (ks3_sigv4_eq(s, e - s, "host"))
			host = true;
		prev = s;
		prev_len = e - s;
		s = e + 1;
	}
	if (!host)
		return bad;
	/* a header signed but absent cannot be what the client signed */
	for (s = v->signed_headers; s < end; s = e + 1) {
		e = memchr(s, ';', end - s);
		if (!e)
			e = end;
		if (!ks3_sigv4_field(req, s, e - s, NULL))
			return KS3_SIGV4_SIGNATURE_MISMATCH;
	}
	for (i = 0; i < req->nr_fields && i < KS3_HTTP_FIELDS_MAX; i++) {
		const struct ks3_http_field *f = &req->fields[i];

		if (f->name_len < 6 ||
		    !ks3_sigv4_eq_nocase(f->name, 6, "x-amz-", 6))
			continue;
		/* S3 tolerates it unsigned; it is hashed in any case */
		if (ks3_sigv4_eq_nocase(f->name, f->name_len,
					"x-amz-content-sha256", 20))
			continue;
		if (!ks3_sigv4_is_signed(v, f->name, f->name_len))
			return KS3_SIGV4_UNSIGNED_HEADER;
	}
	return KS3_SIGV4_OK;
}

/* The x-amz-content-sha256 value: how the payload is hashed. */
static enum ks3_sigv4_err ks3_sigv4_payload_mode(struct ks3_sigv4 *v,
						 const char *s, size_t len)
{
	if (ks3_sigv4_eq(s, len, "UNSIGNED-PAYLOAD"))
		v->payload = KS3_SIGV4_PAYLOAD_UNSIGNED;
	else if (ks3_sigv4_eq(s, len, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"))
		v->payload = KS3_SIGV4_PAYLOAD_STREAMING;
	else if (ks3_sigv4_eq(s, len,
			      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"))
		v->payload = KS3_SIGV4_PAYLOAD_STREAMING_TRAILER;
	else if (ks3_sigv4_eq(s, len, "STREAMING-UNSIGNED-PAYLOAD-TRAILER"))
		v->payload = KS3_SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER;
	else if (len == 2 * KS3_SHA256_SIZE &&
		 !ks3_hex_decode(v->payload_sha256, s, KS3_SHA256_SIZE, false))
		v->payload = KS3_SIGV4_PAYLOAD_SHA256;
	else
		return KS3_SIGV4_BAD_CONTENT_SHA256;
	return KS3_SIGV4_OK;
}

static void ks3_sigv4_decoded_length(struct ks3_sigv4 *v,
				     const struct ks3_http_request *req)
{
	const struct ks3_http_field *f;
	unsigned int n, i;
	u64 x = 0;

	f = ks3_sigv4_field(req, "x-amz-decoded-content-length", 28, &n);
	if (!f || n != 1 || !f->value_len || f->value_len > 19 ||
	    !ks3_sigv4_digits(f->value, f->value_len))
		return;
	for (i = 0; i < f->value_len; i++)
		x = x * 10 + (f->value[i] - '0');
	v->decoded_length = x;
	v->has_decoded_length = true;
}

/* One canonical header line's value: fields joined by ',', spaces collapsed. */
static void ks3_sigv4_put_header_value(struct ks3_sigv4_sink *k,
				       const struct ks3_http_request *req,
				       const char *name, size_t len)
{
	bool first = true;
	unsigned int i;
	u16 j;

	for (i = 0; i < req->nr_fields && i < KS3_HTTP_FIELDS_MAX; i++) {
		const struct ks3_http_field *f = &req->fields[i];
		const char *val = f->value;
		u16 vlen = f->value_len;

		if (!ks3_sigv4_eq_nocase(f->name, f->name_len, name, len))
			continue;
		if (!first)
			ks3_sigv4_putc(k, ',');
		first = false;
		while (vlen && (*val == ' ' || *val == '\t')) {
			val++;
			vlen--;
		}
		while (vlen && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
			vlen--;
		for (j = 0; j < vlen; j++) {
			if (val[j] == ' ' && j && val[j - 1] == ' ')
				continue;
			ks3_sigv4_putc(k, val[j]);
		}
	}
}

/* SHA-256 of the canonical request into @out. */
static enum ks3_sigv4_err ks3_sigv4_hash_creq(struct ks3_sigv4 *v,
					      const struct ks3_http_request *req,
					      const char *payload, size_t plen,
					      u8 *out)
{
	struct ks3_sigv4_sink k;
	const char *s, *end, *e;
	unsigned int i, j, n = 0;
	u8 t;

	/* sort the parameters (but the signature): insertion sort, n <= 128 */
	for (i = 0; i < v->nr_params; i++) {
		if (v->presigned &&
		    ks3_sigv4_param_is(&v->params[i], "X-Amz-Signature"))
			continue;
		v->order[n] = i;
		for (j = n; j > 0 &&
		     ks3_sigv4_param_cmp(&v->params[v->order[j - 1]],
					 &v->params[v->order[j]]) > 0; j--) {
			t = v->order[j];
			v->order[j] = v->order[j - 1];
			v->order[j - 1] = t;
		}
		n++;
	}

	k.len = 0;
	k.err = ks3_digest_init(&k.d, KS3_DIGEST_SHA256);
	if (k.err)
		return KS3_SIGV4_INTERNAL;
	ks3_sigv4_put(&k, req->method_name, req->method_len);
	ks3_sigv4_putc(&k, '\n');
	if (!req->path_len)
		ks3_sigv4_putc(&k, '/');
	if (ks3_sigv4_put_canon(&k, req->path, req->path_len, true))
		goto mismatch;
	ks3_sigv4_putc(&k, '\n');
	for (i = 0; i < n; i++) {
		const struct ks3_query_param *q = &v->params[v->order[i]];

		if (i)
			ks3_sigv4_putc(&k, '&');
		if (ks3_sigv4_put_canon(&k, q->name, q->name_len, false))
			goto mismatch;
		ks3_sigv4_putc(&k, '=');
		if (ks3_sigv4_put_canon(&k, q->value, q->value_len, false))
			goto mismatch;
	}
	ks3_sigv4_putc(&k, '\n');
	s = v->signed_headers;
	end = s + v->signed_headers_len;
	while (s < end) {
		e = memchr(s, ';', end - s);
		if (!e)
			e = end;
		ks3_sigv4_put(&k, s, e - s);
		ks3_sigv4_putc(&k, ':');
		ks3_sigv4_put_header_value(&k, req, s, e - s);
		ks3_sigv4_putc(&k, '\n');
		s = e + 1;
	}
	ks3_sigv4_putc(&k, '\n');
	ks3_sigv4_put(&k, v->signed_headers, v->signed_headers_len);
	ks3_sigv4_putc(&k, '\n');
	ks3_sigv4_put(&k, payload, plen);
	ks3_sigv4_flush(&k);
	if (k.err) {
		ks3_digest_abort(&k.d);
		return KS3_SIGV4_INTERNAL;
	}
	return ks3_digest_final(&k.d, out) ? KS3_SIGV4_INTERNAL : KS3_SIGV4_OK;

mismatch:
	ks3_digest_abort(&k.d);
	return KS3_SIGV4_SIGNATURE_MISMATCH;
}

int ks3_sigv4_signing_key(u8 *key, const char *secret, size_t secret_len,
			  const char *date8, const char *region,
			  size_t region_len, const char *service,
			  size_t service_len)
{
	u8 k[4 + KS3_SIGV4_SECRET_MAX];
	int ret;

	if (secret_len > KS3_SIGV4_SECRET_MAX)
		return -EINVAL;
	memcpy(k, "AWS4", 4);
	memcpy(k + 4, secret, secret_len);
	ret = ks3_hmac_sha256(k, 4 + secret_len, date8, 8, key);
	memzero_explicit(k, sizeof(k));
	if (!ret)
		ret = ks3_hmac_sha256(key, KS3_SHA256_SIZE, region, region_len,
				      key);
	if (!ret)
		ret = ks3_hmac_sha256(key, KS3_SHA256_SIZE, service,
				      service_len, key);
	if (!ret)
		ret = ks3_hmac_sha256(key, KS3_SHA256_SIZE,
				      KS3_SIGV4_TERMINATOR, 12, key);
	if (ret)
		memzero_explicit(key, KS3_SHA256_SIZE);
	return ret;
}

static bool ks3_sigv4_key_entry_match(const struct ks3_sigv4_key_entry *e,
				      const char *secret, size_t secret_len,
				      const char *date8, const char *region,
				      size_t region_len, const char *service,
				      size_t service_len)
{
	return e->secret_len && e->secret_len == secret_len &&
	       e->region_len == region_len && e->service_len == service_len &&
	       !memcmp(e->date8, date8, sizeof(e->date8)) &&
	       !memcmp(e->region, region, region_len) &&
	       !memcmp(e->service, service, service_len) &&
	       !crypto_memneq(e->secret, secret, secret_len);
}

int ks3_sigv4_cached_key(struct ks3_sigv4_key_cache *c, u8 *key,
			 const char *secret, size_t secret_len,
			 const char *date8, const char *region,
			 size_t region_len, const char *service,
			 size_t service_len)
{
	struct ks3_sigv4_key_entry *e;
	unsigned int i;
	int ret;

	for (i = 0; i < KS3_SIGV4_KEY_CACHE_SIZE; i++) {
		e = &c->e[i];
		if (ks3_sigv4_key_entry_match(e, secret, secret_len, date8,
					      region, region_len, service,
					      service_len)) {
			memcpy(key, e->key, KS3_SHA256_SIZE);
			return 0;
		}
	}
	ret = ks3_sigv4_signing_key(key, secret, secret_len, date8, region,
				    region_len, service, service_len);
	/* an empty secret is legal but marks free entries: not cached */
	if (ret || !secret_len || region_len > sizeof(e->region) ||
	    service_len > sizeof(e->service))
		return ret;
	e = &c->e[c->next++ % KS3_SIGV4_KEY_CACHE_SIZE];
	memzero_explicit(e, sizeof(*e));
	e->secret_len = secret_len;
	e->region_len = region_len;
	e->service_len = service_len;
	memcpy(e->date8, date8, sizeof(e->date8));
	memcpy(e->secret, secret, secret_len);
	memcpy(e->region, region, region_len);
	memcpy(e->service, service, service_len);
	memcpy(e->key, key, KS3_SHA256_SIZE);
	return 0;
}

void ks3_sigv4_key_cache_clear(struct ks3_sigv4_key_cache *c)
{
	memzero_explicit(c, sizeof(*c));
}

/* The request's signing key, through the caller's cache if it has one. */
static int ks3_sigv4_request_key(struct ks3_sigv4 *v,
				 const struct ks3_sigv4_params *p,
				 const char *secret, size_t secret_len)
{
	struct ks3_sigv4_key_cache *c = NULL;
	int ret;

	if (p->key_cache_get)
		c = p->key_cache_get(p->arg);
	if (!c)
		return ks3_sigv4_signing_key(v->stream.key, secret, secret_len,
					     v->date8, v->region,
					     strlen(v->region), v->service,
					     v->service_len);
	ret = ks3_sigv4_cached_key(c, v->stream.key, secret, secret_len,
				   v->date8, v->region, strlen(v->region),
				   v->service, v->service_len);
	p->key_cache_put(p->arg, c);
	return ret;
}

/* HMAC(key, "<algorithm>\n<date>\n<scope>\n" + @rest...) */
static int ks3_sigv4_sign(const struct ks3_sigv4_stream *s, const char *alg,
			  const char *const *rest, const size_t *rest_len,
			  unsigned int nr, u8 *out)
{
	struct ks3_hmac h;
	unsigned int i;
	int ret;

	ret = ks3_hmac_init(&h, s->key, sizeof(s->key));
	if (ret)
		return ret;
	ret = ks3_hmac_update(&h, alg, strlen(alg));
	ret = ret ?: ks3_hmac_update(&h, "\n", 1);
	ret = ret ?: ks3_hmac_update(&h, s->amz_date, sizeof(s->amz_date));
	ret = ret ?: ks3_hmac_update(&h, "\n", 1);
	ret = ret ?: ks3_hmac_update(&h, s->scope, s->scope_len);
	for (i = 0; i < nr && !ret; i++) {
		ret = ks3_hmac_update(&h, "\n", 1);
		ret = ret ?: ks3_hmac_update(&h, rest[i], rest_len[i]);
	}
	if (ret) {
		ks3_hmac_abort(&h);
		return ret;
	}
	return ks3_hmac_final(&h, out);
}

/* hex(SHA-256("")) */
static const char ks3_sigv4_empty_sha256[] =
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

int ks3_sigv4_chunk_signature(const struct ks3_sigv4_stream *s,
			      const u8 *prev, const u8 *data_sha256, u8 *out)
{
	char prev_hex[2 * KS3_SHA256_SIZE], data_hex[2 * KS3_SHA256_SIZE];
	const char *rest[3] = { prev_hex, ks3_sigv4_empty_sha256, data_hex };
	const size_t len[3] = { sizeof(prev_hex), sizeof(prev_hex),
				sizeof(data_hex) };

	ks3_hex_encode(prev_hex, prev, KS3_SHA256_SIZE);
	ks3_hex_encode(data_hex, data_sha256, KS3_SHA256_SIZE);
	return ks3_sigv4_sign(s, "AWS4-HMAC-SHA256-PAYLOAD", rest, len, 3, out);
}

int ks3_sigv4_trailer_signature(const struct ks3_sigv4_stream *s,
				const u8 *prev, const u8 *trailer_sha256,
				u8 *out)
{
	char prev_hex[2 * KS3_SHA256_SIZE], tr_hex[2 * KS3_SHA256_SIZE];
	const char *rest[2] = { prev_hex, tr_hex };
	const size_t len[2] = { sizeof(prev_hex), sizeof(tr_hex) };

	ks3_hex_encode(prev_hex, prev, KS3_SHA256_SIZE);
	ks3_hex_encode(tr_hex, trailer_sha256, KS3_SHA256_SIZE);
	return ks3_sigv4_sign(s, "AWS4-HMAC-SHA256-TRAILER", rest, len, 2, out);
}

/* "YYYYMMDD/region/service/aws4_request"; the parts are bounded to fit. */
static void ks3_sigv4_build_scope(struct ks3_sigv4 *v)
{
	size_t rlen = strlen(v->region);
	char *o = v->stream.scope;

	BUILD_BUG_ON(sizeof(v->stream.scope) < 8 + 1 + KS3_SIGV4_REGION_MAX +
		     1 + KS3_SIGV4_SERVICE_MAX + 1 + 12);
	memcpy(o, v->date8, 8);
	o += 8;
	*o++ = '/';
	memcpy(o, v->region, rlen);
	o += rlen;
	*o++ = '/';
	memcpy(o, v->service, v->service_len);
	o += v->service_len;
	*o++ = '/';
	memcpy(o, KS3_SIGV4_TERMINATOR, 12);
	o += 12;
	v->stream.scope_len = o - v->stream.scope;
}

/* The request time from X-Amz-Date or Date (header auth). */
static enum ks3_sigv4_err ks3_sigv4_header_time(struct ks3_sigv4 *v,
						const struct ks3_http_request *req)
{
	const struct ks3_http_field *f;
	unsigned int n;

	f = ks3_sigv4_field(req, "x-amz-date", 10, &n);
	if (f) {
		if (n != 1 ||
		    ks3_sigv4_parse_amz_date(f->value, f->value_len, &v->time))
			return KS3_SIGV4_NO_DATE;
		memcpy(v->stream.amz_date, f->value, 16);
		return KS3_SIGV4_OK;
	}
	f = ks3_sigv4_field(req, "date", 4, &n);
	if (!f || n != 1 ||
	    ks3_sigv4_parse_http_date(f->value, f->value_len, &v->time))
		return KS3_SIGV4_NO_DATE;
	ks3_sigv4_format_amz_date(v->stream.amz_date, v->time);
	return KS3_SIGV4_OK;
}

static enum ks3_sigv4_err ks3_sigv4_check_time(const struct ks3_sigv4 *v,
					       const struct ks3_sigv4_params *p)
{
	if (memcmp(v->date8, v->stream.amz_date, 8))
		return v->presigned ? KS3_SIGV4_QUERY_MALFORMED :
				      KS3_SIGV4_BAD_DATE;
	if (v->presigned) {
		if (v->time > p->now + KS3_SIGV4_SKEW_SECS)
			return KS3_SIGV4_NOT_YET_VALID;
		if (p->now > v->time + v->expires)
			return KS3_SIGV4_EXPIRED;
		return KS3_SIGV4_OK;
	}
	if (v->time > p->now + KS3_SIGV4_SKEW_SECS ||
	    v->time < p->now - KS3_SIGV4_SKEW_SECS)
		return KS3_SIGV4_SKEWED;
	return KS3_SIGV4_OK;
}

/* Anything of the query form present? */
static bool ks3_sigv4_has_query_auth(struct ks3_sigv4 *v)
{
	static const char *const names[] = { "X-Amz-Algorithm",
		"X-Amz-Credential", "X-Amz-Signature" };
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		ks3_sigv4_param(v, names[i], &n);
		if (n)
			return true;
	}
	return false;
}

static enum ks3_sigv4_err ks3_sigv4_verify_parsed(struct ks3_sigv4 *v,
						  const struct ks3_http_request *req,
						  const struct ks3_sigv4_params *p)
{
	char secret[KS3_SIGV4_SECRET_MAX];
	char creq_hex[2 * KS3_SHA256_SIZE];
	const struct ks3_http_field *f;
	const char *payload;
	size_t plen;
	unsigned int n;
	u8 hash[KS3_SHA256_SIZE], sig[KS3_SHA256_SIZE];
	const char *rest[1] = { creq_hex };
	const size_t rest_len[1] = { sizeof(creq_hex) };
	enum ks3_sigv4_err err;
	int len;

	err = ks3_sigv4_check_time(v, p);
	if (err)
		return err;
	err = ks3_sigv4_check_signed_headers(v, req);
	if (err)
		return err;

	f = ks3_sigv4_field(req, "x-amz-content-sha256", 20, &n);
	if (f && n != 1)
		return KS3_SIGV4_BAD_CONTENT_SHA256;
	if (f && v->presigned && !ks3_sigv4_is_signed(v, f->name, f->name_len))
		f = NULL;
	if (f) {
		payload = f->value;
		plen = f->value_len;
	} else if (p->default_payload) {
		payload = p->default_payload;
		plen = strlen(payload);
	} else if (v->presigned) {
		payload = "UNSIGNED-PAYLOAD";
		plen = strlen(payload);
	} else if (p->defer_unhashed) {
		payload = NULL;
		plen = 0;
		v->deferred = true;
		v->payload = KS3_SIGV4_PAYLOAD_SHA256;
	} else {
		return KS3_SIGV4_NO_CONTENT_SHA256;
	}
	if (payload) {
		err = ks3_sigv4_payload_mode(v, payload, plen);
		if (err)
			return err;
	}
	ks3_sigv4_decoded_length(v, req);

	/* scope, then the key: the secret never leaves this frame */
	ks3_sigv4_build_scope(v);

	len = p->get_secret(p->arg, v->akid, v->akid_len, secret,
			    sizeof(secret));
	if (len == -ENOENT)
		return KS3_SIGV4_INVALID_ACCESS_KEY;
	if (len < 0 || len > (int)sizeof(secret))
		return KS3_SIGV4_INTERNAL;
	if (ks3_sigv4_request_key(v, p, secret, len)) {
		memzero_explicit(secret, sizeof(secret));
		return KS3_SIGV4_INTERNAL;
	}
	memzero_explicit(secret, sizeof(secret));
	if (v->deferred)
		return KS3_SIGV4_OK;

	err = ks3_sigv4_hash_creq(v, req, payload, plen, hash);
	if (err)
		return err;
	ks3_hex_encode(creq_hex, hash, sizeof(hash));
	if (ks3_sigv4_sign(&v->stream, KS3_SIGV4_ALGORITHM, rest, rest_len, 1,
			   sig))
		return KS3_SIGV4_INTERNAL;
	if (crypto_memneq(sig, v->signature, sizeof(sig)))
		return KS3_SIGV4_SIGNATURE_MISMATCH;
	memcpy(v->stream.seed, sig, sizeof(sig));
	return KS3_SIGV4_OK;
}

enum ks3_sigv4_err ks3_sigv4_verify(struct ks3_sigv4 *v,
				    const struct ks3_http_request *req,
				    const struct ks3_sigv4_params *p)
{
	const struct ks3_http_field *auth;
	unsigned int n_auth;
	enum ks3_sigv4_err err;
	int n;

	memset(v, 0, sizeof(*v));
	auth = ks3_sigv4_field(req, "authorization", 13, &n_auth);
	n = ks3_query_parse(req->query, req->query_len, v->params,
			    KS3_SIGV4_QUERY_MAX);
	if (n < 0) {
		/* cannot be canonicalised; without a header, not ours */
		if (!auth)
			return KS3_SIGV4_NO_AUTH;
		return n == -E2BIG ? KS3_SIGV4_MALFORMED :
				     KS3_SIGV4_SIGNATURE_MISMATCH;
	}
	v->nr_params = n;
	v->presigned = !auth && ks3_sigv4_has_query_auth(v);
	if (!auth && !v->presigned)
		return KS3_SIGV4_NO_AUTH;
	if (auth && ks3_sigv4_has_query_auth(v))
		return KS3_SIGV4_BOTH_AUTH;
	if (ks3_sigv4_field(req, "x-amz-security-token", 20, NULL))
		return KS3_SIGV4_TOKEN_UNSUPPORTED;
	if (auth) {
		if (n_auth != 1)
			return KS3_SIGV4_MALFORMED;
		err = ks3_sigv4_parse_header(v, auth, p);
		if (err)
			return err;
		err = ks3_sigv4_header_time(v, req);
	} else {
		err = ks3_sigv4_parse_query(v, p);
	}
	if (err)
		return err;
	return ks3_sigv4_verify_parsed(v, req, p);
}

enum ks3_sigv4_err ks3_sigv4_check_payload(const struct ks3_sigv4 *v,
					   const u8 *sha256)
{
	if (v->payload != KS3_SIGV4_PAYLOAD_SHA256)
		return KS3_SIGV4_OK;
	return crypto_memneq(v->payload_sha256, sha256, KS3_SHA256_SIZE) ?
	       KS3_SIGV4_CONTENT_SHA256_MISMATCH : KS3_SIGV4_OK;
}
