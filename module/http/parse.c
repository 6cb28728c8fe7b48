// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.1 request heads (RFC 9112) and chunked request bodies, parsed
 * strictly: every byte comes from an unauthenticated peer.
 *
 * Choices where RFC 9112 leaves room, all in favour of one reading of a
 * request (no smuggling) over leniency:
 * - lines end in CRLF; a bare LF anywhere in the head is -EBADMSG, found
 *   while looking for the blank line, so such a client is refused at once
 *   rather than left waiting for a CRLFCRLF that never comes;
 * - empty lines (CRLF) before the request line are skipped (RFC 9112 2.2);
 * - exactly one SP between the parts of the request line;
 * - only origin-form targets ("/path?query"). absolute-form
 *   ("http://host/path") is refused with -EBADMSG: S3 clients send it only
 *   through proxies, and its authority would compete with Host, which
 *   SigV4 signs and virtual-host routing reads. asterisk-form ("*") is
 *   refused too. Target bytes must be visible ASCII (0x21-0x7e);
 * - HTTP/1.0 and HTTP/1.1 only (505 for any other version);
 * - Content-Length is digits only (no sign, no list, no inner spaces);
 *   repeats must carry the same number; Transfer-Encoding must be exactly
 *   "chunked" (any case, OWS around it), appear once, and only in 1.1; both
 *   together are refused;
 * - Expect: 100-continue is honoured only in 1.1 (RFC 9110 10.1.1);
 * - Host: exactly once in 1.1, at most once in 1.0, and only the bytes an
 *   authority may hold (RFC 3986 reg-name, IP literal, port).
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#include "http.h"

/* Byte classes, one table look-up per byte. */
#define KS3_C_TCHAR	0x01	/* token (field name, method) */
#define KS3_C_VALUE	0x02	/* field-value octet: VCHAR, SP, HTAB, obs-text */
#define KS3_C_TARGET	0x04	/* request-target octet */
#define KS3_C_HOST	0x08	/* Host value: authority octets */
#define KS3_C_OWS	0x10	/* SP, HTAB */

/* visible ASCII, and its subsets: token, authority, both */
#define KS3_C_VIS	(KS3_C_VALUE | KS3_C_TARGET)
#define KS3_C_TOK	(KS3_C_VIS | KS3_C_TCHAR)
#define KS3_C_HVIS	(KS3_C_VIS | KS3_C_HOST)
#define KS3_C_HTOK	(KS3_C_TOK | KS3_C_HOST)

/*
 * tchar = "!#$%&'*+-.^_`|~" DIGIT ALPHA (RFC 9110 5.6.2); authority =
 * unreserved, pct-encoded, sub-delims, ':' and the IP literal's "[]"
 * (RFC 3986 3.2). Targets take any visible ASCII: S3 keys are arbitrary
 * and not every client escapes "{}|^`".
 */
static const u8 ks3_http_class[256] = {
	['\t'] = KS3_C_VALUE | KS3_C_OWS,
	[' '] = KS3_C_VALUE | KS3_C_OWS,
	['!'] = KS3_C_HTOK,
	['"'] = KS3_C_VIS,
	['#'] = KS3_C_TOK,
	['$' ... '\''] = KS3_C_HTOK,
	['(' ... ')'] = KS3_C_HVIS,
	['*' ... '+'] = KS3_C_HTOK,
	[','] = KS3_C_HVIS,
	['-' ... '.'] = KS3_C_HTOK,
	['/'] = KS3_C_VIS,
	['0' ... '9'] = KS3_C_HTOK,
	[':' ... ';'] = KS3_C_HVIS,
	['<'] = KS3_C_VIS,
	['='] = KS3_C_HVIS,
	['>' ... '@'] = KS3_C_VIS,
	['A' ... 'Z'] = KS3_C_HTOK,
	['['] = KS3_C_HVIS,
	['\\'] = KS3_C_VIS,
	[']'] = KS3_C_HVIS,
	['^'] = KS3_C_TOK,
	['_'] = KS3_C_HTOK,
	['`'] = KS3_C_TOK,
	['a' ... 'z'] = KS3_C_HTOK,
	['{'] = KS3_C_VIS,
	['|'] = KS3_C_TOK,
	['}'] = KS3_C_VIS,
	['~'] = KS3_C_HTOK,
	[0x80 ... 0xff] = KS3_C_VALUE,
};

static inline bool ks3_http_is(u8 c, u8 class)
{
	return ks3_http_class[c] & class;
}

static inline u8 ks3_http_lower(u8 c)
{
	return (u8)(c - 'A') < 26 ? c | 0x20 : c;
}

/* @s (@len bytes, any case) equals the lower-case NUL-terminated @lname. */
static bool ks3_http_ieq(const char *s, size_t len, const char *lname)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!lname[i] || ks3_http_lower(s[i]) != (u8)lname[i])
			return false;
	return !lname[len];
}

static const struct {
	const char *name;
	u8 len;
	u8 method;
} ks3_http_methods[] = {
	{ "GET", 3, KS3_HTTP_GET },
	{ "PUT", 3, KS3_HTTP_PUT },
	{ "HEAD", 4, KS3_HTTP_HEAD },
	{ "POST", 4, KS3_HTTP_POST },
	{ "DELETE", 6, KS3_HTTP_DELETE },
	{ "OPTIONS", 7, KS3_HTTP_OPTIONS },
};

/* Methods are case-sensitive (RFC 9110 9.1). */
static enum ks3_http_method ks3_http_method_of(const char *s, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks3_http_methods); i++)
		if (ks3_http_methods[i].len == len &&
		    !memcmp(ks3_http_methods[i].name, s, len))
			return ks3_http_methods[i].method;
	return KS3_HTTP_OTHER;
}

/*
 * The end of the head: the offset just past CRLFCRLF, 0 if not there
 * within @len bytes, -EBADMSG on a bare LF. @p points at the request line.
 */
static ssize_t ks3_http_head_end(const char *p, size_t len)
{
	const char *end = p + len, *lf = p;

	while ((lf = memchr(lf, '\n', end - lf))) {
		if (lf == p || lf[-1] != '\r')
			return -EBADMSG;
		/* "\r\n\r\n": the line before this one was empty */
		if (lf - p >= 3 && lf[-2] == '\n')
			return lf + 1 - p;
		lf++;
	}
	return 0;
}

static int ks3_http_request_line(struct ks3_http_request *req,
				 const char *p, size_t len, size_t url_max)
{
	size_t i = 0, start;

	while (i < len && ks3_http_is(p[i], KS3_C_TCHAR))
		i++;
	if (i == 0 || i == len || p[i] != ' ')
		return -EBADMSG;
	req->method_name = p;
	req->method_len = i;
	req->method = ks3_http_method_of(p, i);

	start = ++i;
	while (i < len && ks3_http_is(p[i], KS3_C_TARGET))
		i++;
	if (i == start || i == len || p[i] != ' ')
		return -EBADMSG;
	if (p[start] != '/')
		return -EBADMSG;	/* absolute-form, asterisk-form */
	if (i - start > url_max)
		return -ENAMETOOLONG;
	req->target = p + start;
	req->target_len = i - start;
	req->path = req->target;
	req->path_len = req->target_len;
	req->query = req->target + req->target_len;
	req->query_len = 0;
	for (start = 0; start < req->target_len; start++) {
		if (req->target[start] == '?') {
			req->path_len = start;
			req->query = req->target + start + 1;
			req->query_len = req->target_len - start - 1;
			break;
		}
	}

	/* "HTTP/" DIGIT "." DIGIT, then the line ends */
	p += i + 1;
	len -= i + 1;
	if (len != 8 || memcmp(p, "HTTP/", 5) || p[6] != '.' ||
	    (u8)(p[5] - '0') > 9 || (u8)(p[7] - '0') > 9)
		return -EBADMSG;
	if (p[5] != '1' || (p[7] != '0' && p[7] != '1'))
		return -EPROTONOSUPPORT;
	req->version_minor = p[7] - '0';
	return 0;
}

/* Content-Length: 1*DIGIT within u64 */
static int ks3_http_content_length(struct ks3_http_request *req,
				   const char *v, size_t len)
{
	u64 n = 0;
	size_t i;

	if (!len)
		return -EBADMSG;
	for (i = 0; i < len; i++) {
		u8 d = (u8)v[i] - '0';

		if (d > 9 || n > (U64_MAX - d) / 10)
			return -EBADMSG;
		n = n * 10 + d;
	}
	if (req->has_length && req->content_length != n)
		return -EBADMSG;
	req->has_length = true;
	req->content_length = n;
	return 0;
}

/* Connection: 1#token; "close" wins over "keep-alive". */
static void ks3_http_connection(const char *v, size_t len, bool *close,
				bool *keep_alive)
{
	size_t i = 0, s, e;

	while (i < len) {
		s = i;
		while (i < len && v[i] != ',')
			i++;
		e = i++;
		while (s < e && ks3_http_is(v[s], KS3_C_OWS))
			s++;
		while (e > s && ks3_http_is(v[e - 1], KS3_C_OWS))
			e--;
		if (ks3_http_ieq(v + s, e - s, "close"))
			*close = true;
		else if (ks3_http_ieq(v + s, e - s, "keep-alive"))
			*keep_alive = true;
	}
}

static bool ks3_http_host_ok(const char *v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!ks3_http_is(v[i], KS3_C_HOST))
			return false;
	return true;
}

/*
 * Does the request line begun at @p (@len bytes, no line end yet) have a
 * target longer than @url_max already? Then the answer is 414 at once,
 * not 431 when the head fills the buffer.
 */
static bool ks3_http_target_over(const char *p, size_t len, size_t url_max)
{
	const char *t = memchr(p, ' ', len), *e;

	if (!t)
		return false;
	t++;
	len -= t - p;
	e = memchr(t, ' ', len);
	if (!e)
		e = memchr(t, '\r', len);
	return (e ? (size_t)(e - t) : len) > url_max;
}

int ks3_http_parse_head(struct ks3_http_request *req, const char *buf,
			size_t len, size_t max, size_t url_max,
			unsigned int max_fields)
{
	const char *p = buf, *end, *line, *eol;
	bool conn_close = false, conn_keep = false;
	unsigned int hosts = 0, te = 0;
	ssize_t head;
	int err;

	max = min_t(size_t, max, KS3_HTTP_HEAD_MAX);
	max_fields = min_t(unsigned int, max_fields, KS3_HTTP_FIELDS_MAX);
	if (len > max)
		len = max;

	/* Empty lines before the request line are skipped. */
	while (len - (p - buf) >= 2 && p[0] == '\r' && p[1] == '\n')
		p += 2;
	head = ks3_http_head_end(p, len - (p - buf));
	if (head < 0)
		return head;
	if (!head) {
		if (ks3_http_target_over(p, len - (p - buf), url_max))
			return -ENAMETOOLONG;
		return len == max ? -EMSGSIZE : 0;
	}
	end = p + head;

	req->nr_fields = 0;
	req->has_length = false;
	req->chunked = false;
	req->expect_continue = false;
	req->content_length = 0;

	/* Every line below ends in CRLF: ks3_http_head_end() checked. */
	eol = memchr(p, '\n', end - p) - 1;
	err = ks3_http_request_line(req, p, eol - p, url_max);
	if (err)
		return err;

	for (line = eol + 2; line < end - 2; line = eol + 2) {
		struct ks3_http_field *f;
		const char *name = line, *v, *ve;
		size_t nlen;

		eol = memchr(line, '\n', end - line) - 1;
		while (line < eol && ks3_http_is(*line, KS3_C_TCHAR))
			line++;
		nlen = line - name;
		/* no name, obs-fold, whitespace before ':', no ':' */
		if (!nlen || line == eol || *line != ':')
			return -EBADMSG;
		v = line + 1;
		ve = eol;
		while (v < ve && ks3_http_is(*v, KS3_C_OWS))
			v++;
		while (ve > v && ks3_http_is(ve[-1], KS3_C_OWS))
			ve--;
		for (line = v; line < ve; line++)
			if (!ks3_http_is(*line, KS3_C_VALUE))
				return -EBADMSG;	/* NUL, CR, CTLs, DEL */

		if (req->nr_fields >= max_fields)
			return -E2BIG;
		f = &req->fields[req->nr_fields++];
		f->name = name;
		f->name_len = nlen;
		f->value = v;
		f->value_len = ve - v;

		switch (ks3_http_lower(*name)) {
		case 'c':
			if (ks3_http_ieq(name, nlen, "content-length")) {
				err = ks3_http_content_length(req, v, ve - v);
				if (err)
					return err;
			} else if (ks3_http_ieq(name, nlen, "connection")) {
				ks3_http_connection(v, ve - v, &conn_close,
						    &conn_keep);
			}
			break;
		case 't':
			if (!ks3_http_ieq(name, nlen, "transfer-encoding"))
				break;
			if (!ks3_http_ieq(v, ve - v, "chunked"))
				return -EOPNOTSUPP;
			if (te++ || req->version_minor == 0)
				return -EBADMSG;
			req->chunked = true;
			break;
		case 'e':
			if (ks3_http_ieq(name, nlen, "expect") &&
			    ks3_http_ieq(v, ve - v, "100-continue"))
				req->expect_continue = req->version_minor > 0;
			break;
		case 'h':
			if (!ks3_http_ieq(name, nlen, "host"))
				break;
			if (hosts++ || !ks3_http_host_ok(v, ve - v))
				return -EBADMSG;
			break;
		}
	}

	if (req->has_length && req->chunked)
		return -EBADMSG;
	if (req->version_minor == 1 && !hosts)
		return -EBADMSG;
	if (req->version_minor == 1)
		req->keep_alive = !conn_close;
	else
		req->keep_alive = conn_keep && !conn_close;
	return end - buf;
}

const struct ks3_http_field *
ks3_http_field_find(const struct ks3_http_request *req, const char *lname)
{
	unsigned int i;

	for (i = 0; i < req->nr_fields; i++)
		if (ks3_http_ieq(req->fields[i].name, req->fields[i].name_len,
				 lname))
			return &req->fields[i];
	return NULL;
}

unsigned int ks3_http_field_count(const struct ks3_http_request *req,
				  const char *lname)
{
	unsigned int i, n = 0;

	for (i = 0; i < req->nr_fields; i++)
		n += ks3_http_ieq(req->fields[i].name, req->fields[i].name_len,
				  lname);
	return n;
}

/* Chunked bodies (RFC 9112 7.1) */
enum ks3_chunked_state {
	KS3_CH_SIZE,		/* chunk-size hex digits */
	KS3_CH_SIZE_WS,		/* BWS after the size */
	KS3_CH_EXT,		/* chunk-ext, skipped up to CR */
	KS3_CH_SIZE_LF,		/* LF ending the size line */
	KS3_CH_DATA,		/* @remaining data bytes */
	KS3_CH_DATA_CR,		/* CRLF after the data */
	KS3_CH_DATA_LF,
	KS3_CH_TRAILER,		/* start of a trailer line, or the last CRLF */
	KS3_CH_TRAILER_LINE,	/* in a trailer field line, skipped */
	KS3_CH_TRAILER_LF,
	KS3_CH_END_LF,		/* LF of the final CRLF */
	KS3_CH_DONE,
	KS3_CH_ERROR,
};

void ks3_http_chunked_init(struct ks3_http_chunked *d)
{
	memset(d, 0, sizeof(*d));
	d->state = KS3_CH_SIZE;
}

static int ks3_http_hexval(u8 c)
{
	if ((u8)(c - '0') <= 9)
		return c - '0';
	c |= 0x20;
	if ((u8)(c - 'a') <= 5)
		return c - 'a' + 10;
	return -1;
}

/* One byte of a size line or trailer; 0, or a negative errno. */
static int ks3_http_chunked_byte(struct ks3_http_chunked *d, u8 c)
{
	int x;

	switch (d->state) {
	case KS3_CH_SIZE:
		x = ks3_http_hexval(c);
		if (x >= 0) {
			/* sizes above 2^63 are refused */
			if (d->remaining > (1ULL << 59) ||
			    (d->remaining == (1ULL << 59) && x))
				return -EBADMSG;
			d->remaining = d->remaining << 4 | x;
			if (d->hex_digits < U8_MAX)
				d->hex_digits++;
			return 0;
		}
		if (!d->hex_digits)
			return -EBADMSG;
		if (c == ' ' || c == '\t')
			d->state = KS3_CH_SIZE_WS;
		else if (c == ';')
			d->state = KS3_CH_EXT;
		else if (c == '\r')
			d->state = KS3_CH_SIZE_LF;
		else
			return -EBADMSG;
		return 0;
	case KS3_CH_SIZE_WS:
		if (c == ';')
			d->state = KS3_CH_EXT;
		else if (c == '\r')
			d->state = KS3_CH_SIZE_LF;
		else if (c != ' ' && c != '\t')
			return -EBADMSG;
		return 0;
	case KS3_CH_EXT:
		if (c == '\r')
			d->state = KS3_CH_SIZE_LF;
		else if (!ks3_http_is(c, KS3_C_VALUE))
			return -EBADMSG;
		return 0;
	case KS3_CH_SIZE_LF:
		if (c != '\n')
			return -EBADMSG;
		d->state = d->remaining ? KS3_CH_DATA : KS3_CH_TRAILER;
		return 0;
	case KS3_CH_DATA_CR:
		if (c != '\r')
			return -EBADMSG;
		d->state = KS3_CH_DATA_LF;
		return 0;
	case KS3_CH_DATA_LF:
		if (c != '\n')
			return -EBADMSG;
		d->state = KS3_CH_SIZE;
		d->hex_digits = 0;
		d->line_len = 0;
		return 0;
	case KS3_CH_TRAILER:
		d->state = c == '\r' ? KS3_CH_END_LF : KS3_CH_TRAILER_LINE;
		if (c == '\r')
			return 0;
		fallthrough;
	case KS3_CH_TRAILER_LINE:
		if (c == '\r')
			d->state = KS3_CH_TRAILER_LF;
		else if (!ks3_http_is(c, KS3_C_VALUE))
			return -EBADMSG;
		return 0;
	case KS3_CH_TRAILER_LF:
		if (c != '\n')
			return -EBADMSG;
		d->state = KS3_CH_TRAILER;
		return 0;
	case KS3_CH_END_LF:
		if (c != '\n')
			return -EBADMSG;
		d->state = KS3_CH_DONE;
		return 0;
	}
	return -EBADMSG;
}

int ks3_http_chunked_decode(struct ks3_http_chunked *d, const u8 *in,
			    size_t in_len, size_t *used, const u8 **data,
			    size_t *data_len)
{
	size_t i = 0;
	int err;

	*data = in;
	*data_len = 0;
	*used = 0;
	while (i < in_len) {
		switch (d->state) {
		case KS3_CH_DATA: {
			size_t n = min_t(u64, d->remaining, in_len - i);

			if (d->total + n < d->total) {
				d->state = KS3_CH_ERROR;
				return -EMSGSIZE;
			}
			d->total += n;
			d->remaining -= n;
			if (!d->remaining)
				d->state = KS3_CH_DATA_CR;
			*data = in + i;
			*data_len = n;
			*used = i + n;
			return 0;
		}
		case KS3_CH_DONE:
			*used = i;
			return 1;
		case KS3_CH_ERROR:
			return -EBADMSG;
		case KS3_CH_SIZE:
		case KS3_CH_SIZE_WS:
		case KS3_CH_EXT:
		case KS3_CH_SIZE_LF:
			if (++d->line_len > KS3_HTTP_CHUNK_LINE_MAX) {
				d->state = KS3_CH_ERROR;
				return -EMSGSIZE;
			}
			break;
		case KS3_CH_TRAILER:
		case KS3_CH_TRAILER_LINE:
		case KS3_CH_TRAILER_LF:
		case KS3_CH_END_LF:
			if (++d->trailer_len > KS3_HTTP_TRAILER_MAX) {
				d->state = KS3_CH_ERROR;
				return -EMSGSIZE;
			}
			break;
		}
		err = ks3_http_chunked_byte(d, in[i++]);
		if (err) {
			d->state = KS3_CH_ERROR;
			return err;
		}
	}
	*used = i;
	if (d->state == KS3_CH_ERROR)
		return -EBADMSG;
	return d->state == KS3_CH_DONE;
}

static const struct {
	u16 status;
	const char *reason;
} ks3_http_reasons[] = {
	{ 100, "Continue" },
	{ 200, "OK" },
	{ 201, "Created" },
	{ 204, "No Content" },
	{ 206, "Partial Content" },
	{ 301, "Moved Permanently" },
	{ 304, "Not Modified" },
	{ 307, "Temporary Redirect" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 409, "Conflict" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 416, "Range Not Satisfiable" },
	{ 417, "Expectation Failed" },
	{ 429, "Too Many Requests" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 503, "Service Unavailable" },
	{ 505, "HTTP Version Not Supported" },
	{ 507, "Insufficient Storage" },
};

const char *ks3_http_reason(u16 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks3_http_reasons); i++)
		if (ks3_http_reasons[i].status == status)
			return ks3_http_reasons[i].reason;
	return "";
}
