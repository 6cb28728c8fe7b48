// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/http/parse.c: request heads (RFC 9112 as ks3 reads
 * it, smuggling cases, limits, keep-alive, Host) and the chunked body
 * decoder fed split at every boundary. Inputs are copied into heap blocks
 * of exactly their length, so ASan stops any read past the end. The
 * worked examples of /work/shared/testdata/s3-examples (or $KS3_TESTDATA)
 * are parsed as they would arrive (CRLF line ends).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/parse.c"
#include "unit.h"

#define HEAD_MAX	KS3_HTTP_HEAD_MAX
#define URL_MAX		8192

static struct ks3_http_request req;

static int parse_lim(const char *s, size_t len, size_t max, size_t url_max,
		     unsigned int fields)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	if (!copy)
		abort();
	memcpy(copy, s, len);
	ret = ks3_http_parse_head(&req, copy, len, max, url_max, fields);
	/* the pointers in req must not be used after this: copy is gone */
	free(copy);
	return ret;
}

static int parse(const char *s)
{
	return parse_lim(s, strlen(s), HEAD_MAX, URL_MAX, KS3_HTTP_FIELDS_MAX);
}

/* Parses and keeps the buffer (the caller frees *buf). */
static int parse_keep(const char *s, size_t len, char **buf)
{
	*buf = malloc(len ? len : 1);
	if (!*buf)
		abort();
	memcpy(*buf, s, len);
	return ks3_http_parse_head(&req, *buf, len, HEAD_MAX, URL_MAX,
				   KS3_HTTP_FIELDS_MAX);
}

/* A 1.1 head with Host and @fields (each ending in CRLF). */
static int parse11(const char *fields)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: h\r\n%s\r\n",
		 fields);
	return parse(buf);
}

static int parse10(const char *fields)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), "GET / HTTP/1.0\r\n%s\r\n", fields);
	return parse(buf);
}

TEST(basic_get)
{
	static const char h[] =
		"GET /bucket/key%20x?list-type=2&prefix=a HTTP/1.1\r\n"
		"Host: example.com:9000\r\n"
		"X-Amz-Date:20130524T000000Z\r\n"
		"Empty:\r\n"
		"Trim: \t a  b \t\r\n"
		"\r\n";
	char *buf;
	int n = parse_keep(h, strlen(h), &buf);

	ASSERT_EQ(n, (int)strlen(h));
	EXPECT_EQ(req.method, KS3_HTTP_GET);
	EXPECT_MEMEQ(req.method_name, "GET", 3);
	EXPECT_EQ(req.method_len, 3);
	EXPECT_EQ(req.version_minor, 1);
	EXPECT_EQ(req.target_len, strlen("/bucket/key%20x?list-type=2&prefix=a"));
	EXPECT_PTR_EQ(req.target, buf + 4);
	EXPECT_EQ(req.path_len, strlen("/bucket/key%20x"));
	EXPECT_MEMEQ(req.path, "/bucket/key%20x", req.path_len);
	EXPECT_EQ(req.query_len, strlen("list-type=2&prefix=a"));
	EXPECT_MEMEQ(req.query, "list-type=2&prefix=a", req.query_len);
	ASSERT_EQ(req.nr_fields, 4);
	EXPECT_MEMEQ(req.fields[0].name, "Host", 4);
	EXPECT_EQ(req.fields[0].value_len, strlen("example.com:9000"));
	EXPECT_MEMEQ(req.fields[1].value, "20130524T000000Z", 16);
	EXPECT_EQ(req.fields[2].value_len, 0);
	EXPECT_EQ(req.fields[3].value_len, 4);
	EXPECT_MEMEQ(req.fields[3].value, "a  b", 4);
	EXPECT_TRUE(req.keep_alive);
	EXPECT_FALSE(req.has_length);
	EXPECT_FALSE(req.chunked);
	EXPECT_FALSE(req.expect_continue);
	free(buf);
}

TEST(no_query)
{
	char *buf;
	static const char h[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";

	ASSERT_EQ(parse_keep(h, strlen(h), &buf), (int)strlen(h));
	EXPECT_EQ(req.path_len, 2);
	EXPECT_EQ(req.query_len, 0);
	EXPECT_PTR_EQ(req.query, req.target + req.target_len);
	free(buf);
	ASSERT_EQ(parse("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n"), 29);
	EXPECT_EQ(req.path_len, 2);
	EXPECT_EQ(req.query_len, 0);
	ASSERT_EQ(parse("GET /?a?b HTTP/1.1\r\nHost: h\r\n\r\n"), 31);
	EXPECT_EQ(req.path_len, 1);
	EXPECT_EQ(req.query_len, 3);
}

/* Every prefix of a head needs more; the whole head, with a body after. */
TEST(incremental)
{
	static const char h[] =
		"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
		"GET / HTTP/1.1\r\n";
	size_t head = strlen(h) - strlen("hello") - strlen("GET / HTTP/1.1\r\n");
	size_t i;

	for (i = 0; i < head; i++)
		EXPECT_EQ(parse_lim(h, i, HEAD_MAX, URL_MAX, 128), 0);
	for (i = head; i <= strlen(h); i++) {
		EXPECT_EQ(parse_lim(h, i, HEAD_MAX, URL_MAX, 128), (int)head);
		EXPECT_TRUE(req.has_length);
		EXPECT_EQ(req.content_length, 5);
	}
}

TEST(leading_empty_lines)
{
	static const char h[] = "\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n";

	EXPECT_EQ(parse(h), (int)strlen(h));
	EXPECT_EQ(req.method, KS3_HTTP_GET);
	EXPECT_EQ(parse("\r\n"), 0);
	EXPECT_EQ(parse("\r\n\r\n"), 0);
	EXPECT_EQ(parse("\r\n\n"), -EBADMSG);
}

TEST(methods)
{
	static const struct {
		const char *m;
		enum ks3_http_method e;
	} t[] = {
		{ "GET", KS3_HTTP_GET }, { "HEAD", KS3_HTTP_HEAD },
		{ "PUT", KS3_HTTP_PUT }, { "POST", KS3_HTTP_POST },
		{ "DELETE", KS3_HTTP_DELETE }, { "OPTIONS", KS3_HTTP_OPTIONS },
		{ "get", KS3_HTTP_OTHER }, { "PATCH", KS3_HTTP_OTHER },
		{ "GETX", KS3_HTTP_OTHER }, { "GE", KS3_HTTP_OTHER },
		{ "M-SEARCH", KS3_HTTP_OTHER },
	};
	unsigned int i;
	char buf[128];

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		snprintf(buf, sizeof(buf), "%s / HTTP/1.1\r\nHost: h\r\n\r\n",
			 t[i].m);
		EXPECT_EQ(parse(buf), (int)strlen(buf));
		EXPECT_EQ(req.method, t[i].e);
		EXPECT_EQ(req.method_len, strlen(t[i].m));
	}
	EXPECT_EQ(parse("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse(" GET / HTTP/1.1\r\nHost: h\r\n\r\n"), -EBADMSG);
}

TEST(request_line_errors)
{
	static const char *const bad[] = {
		"GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /  HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1 \r\nHost: h\r\n\r\n",
		"GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\n\n",
		"GET / http/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.10\r\nHost: h\r\n\r\n",
		"GET / HTTP/1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.x\r\nHost: h\r\n\r\n",
		"GET / HTTP/11\r\nHost: h\r\n\r\n",
		"GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET https://h/a?b HTTP/1.1\r\nHost: h\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET a/b HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /a\rb HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\rX\r\nHost: h\r\n\r\n",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int r = parse(bad[i]);

		if (r != -EBADMSG)
			unit_fail(__FILE__, __LINE__, "case %u: %s: %d", i,
				  unit_quote(bad[i], strlen(bad[i])), r);
	}
	/* NUL in the target */
	EXPECT_EQ(parse_lim("GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n", 28,
			    HEAD_MAX, URL_MAX, 128), -EBADMSG);
	EXPECT_EQ(parse("GET / HTTP/1.2\r\nHost: h\r\n\r\n"), -EPROTONOSUPPORT);
	EXPECT_EQ(parse("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), -EPROTONOSUPPORT);
	EXPECT_EQ(parse("GET / HTTP/0.9\r\n\r\n"), -EPROTONOSUPPORT);
	/* LF-only lines are refused as soon as the first LF arrives */
	EXPECT_EQ(parse("GET / HTTP/1.1\n"), -EBADMSG);
}

TEST(field_syntax)
{
	EXPECT_EQ(parse11("A : b\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A\t: b\r\n"), -EBADMSG);
	EXPECT_EQ(parse11(": b\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A b: c\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Ab\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A(b: c\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A: b\r\n c\r\n"), -EBADMSG);	/* obs-fold */
	EXPECT_EQ(parse11("A: b\r\n\tc\r\n"), -EBADMSG);
	EXPECT_EQ(parse("GET / HTTP/1.1\r\n Host: h\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A: b\rc\r\n"), -EBADMSG);		/* bare CR */
	EXPECT_EQ(parse11("A: b\x01\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A: \x1f\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A: b\x7f\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("A: \r\r\n"), -EBADMSG);
	EXPECT_EQ(parse_lim("GET / HTTP/1.1\r\nHost: h\r\nA: b\0c\r\n\r\n", 36,
			    HEAD_MAX, URL_MAX, 128), -EBADMSG);
	EXPECT_GT(parse11("A: b\tc\r\n"), 0);
	EXPECT_GT(parse11("A: caf\xc3\xa9\r\n"), 0);		/* obs-text */
	EXPECT_GT(parse11("!#$%&'*+-.^_`|~09azAZ: x\r\n"), 0);
	EXPECT_EQ(req.fields[1].name_len, strlen("!#$%&'*+-.^_`|~09azAZ"));
	EXPECT_GT(parse11("A:\r\nB:  \t \r\n"), 0);
	EXPECT_EQ(req.fields[1].value_len, 0);
	EXPECT_EQ(req.fields[2].value_len, 0);
	EXPECT_PTR_EQ(req.fields[1].value, req.fields[1].name + 2);
}

TEST(content_length)
{
	EXPECT_GT(parse11("Content-Length: 0\r\n"), 0);
	EXPECT_TRUE(req.has_length);
	EXPECT_EQ(req.content_length, 0);
	EXPECT_GT(parse11("content-length:\t 123 \t\r\n"), 0);
	EXPECT_EQ(req.content_length, 123);
	EXPECT_GT(parse11("Content-Length: 18446744073709551615\r\n"), 0);
	EXPECT_EQ(req.content_length, U64_MAX);
	EXPECT_EQ(parse11("Content-Length: 18446744073709551616\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 99999999999999999999\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: -1\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: +1\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 1 2\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 0x10\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 5, 5\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 5,\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length:\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 1e3\r\n"), -EBADMSG);
	EXPECT_GT(parse11("Content-Length: 5\r\nContent-Length: 5\r\n"), 0);
	EXPECT_EQ(req.content_length, 5);
	EXPECT_GT(parse11("Content-Length: 5\r\nContent-Length: 005\r\n"), 0);
	EXPECT_EQ(parse11("Content-Length: 5\r\nContent-Length: 6\r\n"),
		  -EBADMSG);
	EXPECT_EQ(parse11("Content-Length: 5\r\nX: y\r\ncontent-length: 0\r\n"),
		  -EBADMSG);
	/* "Content-Length " is another (invalid) name, not a lenient match */
	EXPECT_EQ(parse11("Content-Length : 5\r\n"), -EBADMSG);
	EXPECT_GT(parse11("Content-Lengthx: 5\r\n"), 0);
	EXPECT_FALSE(req.has_length);
}

TEST(transfer_encoding)
{
	EXPECT_GT(parse11("Transfer-Encoding: chunked\r\n"), 0);
	EXPECT_TRUE(req.chunked);
	EXPECT_FALSE(req.has_length);
	EXPECT_GT(parse11("transfer-encoding:  CHUNKED \t\r\n"), 0);
	EXPECT_TRUE(req.chunked);
	EXPECT_EQ(parse11("Transfer-Encoding: gzip\r\n"), -EOPNOTSUPP);
	EXPECT_EQ(parse11("Transfer-Encoding: chunked, gzip\r\n"), -EOPNOTSUPP);
	EXPECT_EQ(parse11("Transfer-Encoding: gzip, chunked\r\n"), -EOPNOTSUPP);
	EXPECT_EQ(parse11("Transfer-Encoding: chunked,\r\n"), -EOPNOTSUPP);
	EXPECT_EQ(parse11("Transfer-Encoding: chunkedx\r\n"), -EOPNOTSUPP);
	EXPECT_EQ(parse11("Transfer-Encoding: identity\r\n"), -EOPNOTSUPP);
	EXPECT_EQ(parse11("Transfer-Encoding:\r\n"), -EOPNOTSUPP);
	/* smuggling: both framings, either order; chunked twice; in 1.0 */
	EXPECT_EQ(parse11("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"),
		  -EBADMSG);
	EXPECT_EQ(parse11("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"),
		  -EBADMSG);
	EXPECT_EQ(parse11("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n"),
		  -EBADMSG);
	EXPECT_EQ(parse11("Transfer-Encoding: chunked\r\n"
			  "Transfer-Encoding: chunked\r\n"), -EBADMSG);
	EXPECT_EQ(parse10("Transfer-Encoding: chunked\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Transfer-Encoding : chunked\r\n"), -EBADMSG);
}

TEST(keep_alive)
{
	EXPECT_GT(parse11(""), 0);
	EXPECT_TRUE(req.keep_alive);
	EXPECT_GT(parse11("Connection: close\r\n"), 0);
	EXPECT_FALSE(req.keep_alive);
	EXPECT_GT(parse11("Connection: Keep-Alive, CLOSE\r\n"), 0);
	EXPECT_FALSE(req.keep_alive);
	EXPECT_GT(parse11("Connection: keep-alive\r\n"), 0);
	EXPECT_TRUE(req.keep_alive);
	EXPECT_GT(parse11("Connection: te\r\nConnection: ,, close ,\r\n"), 0);
	EXPECT_FALSE(req.keep_alive);
	EXPECT_GT(parse11("Connection: closed, xclose\r\n"), 0);
	EXPECT_TRUE(req.keep_alive);
	EXPECT_GT(parse10(""), 0);
	EXPECT_FALSE(req.keep_alive);
	EXPECT_EQ(req.version_minor, 0);
	EXPECT_GT(parse10("Connection: keep-alive\r\n"), 0);
	EXPECT_TRUE(req.keep_alive);
	EXPECT_GT(parse10("Connection: Keep-Alive\r\nConnection: close\r\n"), 0);
	EXPECT_FALSE(req.keep_alive);
	EXPECT_GT(parse10("Connection: upgrade\r\n"), 0);
	EXPECT_FALSE(req.keep_alive);
}

TEST(expect)
{
	EXPECT_GT(parse11("Expect: 100-continue\r\n"), 0);
	EXPECT_TRUE(req.expect_continue);
	EXPECT_GT(parse11("expect: 100-Continue \r\n"), 0);
	EXPECT_TRUE(req.expect_continue);
	EXPECT_GT(parse11("Expect: 100-continuex\r\n"), 0);
	EXPECT_FALSE(req.expect_continue);
	EXPECT_GT(parse11("Expect: foo\r\n"), 0);
	EXPECT_FALSE(req.expect_continue);
	EXPECT_GT(parse10("Expect: 100-continue\r\n"), 0);
	EXPECT_FALSE(req.expect_continue);
}

TEST(host)
{
	EXPECT_EQ(parse("GET / HTTP/1.1\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse("GET / HTTP/1.1\r\nX: y\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("Host: h\r\n"), -EBADMSG);
	EXPECT_EQ(parse11("host: h2\r\n"), -EBADMSG);
	EXPECT_GT(parse("GET / HTTP/1.1\r\nHost:\r\n\r\n"), 0);
	EXPECT_GT(parse("GET / HTTP/1.1\r\nHOST: [::1]:9000\r\n\r\n"), 0);
	EXPECT_GT(parse("GET / HTTP/1.1\r\nHost: b.s3.example.com\r\n\r\n"), 0);
	EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: u@h\r\n\r\n"), -EBADMSG);
	EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: h\xc3\xa9\r\n\r\n"), -EBADMSG);
	EXPECT_GT(parse10(""), 0);
	EXPECT_GT(parse10("Host: h\r\n"), 0);
	EXPECT_EQ(parse10("Host: h\r\nHost: h\r\n"), -EBADMSG);
}

/* A head of exactly @len bytes with @nfields fields (Host among them). */
static char *make_head(size_t len, unsigned int nfields)
{
	static const char start[] = "GET / HTTP/1.1\r\nHost: h\r\n";
	char *b = malloc(len + 1);
	size_t o = strlen(start), pad;
	unsigned int i;

	if (!b)
		abort();
	memcpy(b, start, o);
	for (i = 1; i + 1 < nfields; i++)
		o += sprintf(b + o, "F%u: v\r\n", i);
	/* the last field takes the rest: "Z: " pad "\r\n\r\n" */
	pad = len - o - strlen("Z: \r\n\r\n");
	memcpy(b + o, "Z: ", 3);
	memset(b + o + 3, 'x', pad);
	memcpy(b + o + 3 + pad, "\r\n\r\n", 5);
	return b;
}

TEST(limits_head)
{
	char *b = make_head(1000, 3);

	ASSERT_EQ(strlen(b), 1000);
	EXPECT_EQ(parse_lim(b, 1000, 1000, URL_MAX, 128), 1000);
	EXPECT_EQ(parse_lim(b, 1000, 999, URL_MAX, 128), -EMSGSIZE);
	EXPECT_EQ(parse_lim(b, 999, 999, URL_MAX, 128), -EMSGSIZE);
	EXPECT_EQ(parse_lim(b, 998, 999, URL_MAX, 128), 0);
	free(b);
	b = make_head(KS3_HTTP_HEAD_MAX, 3);
	EXPECT_EQ(parse_lim(b, KS3_HTTP_HEAD_MAX, KS3_HTTP_HEAD_MAX, URL_MAX,
			    128), KS3_HTTP_HEAD_MAX);
	/* @max above the hard ceiling is clamped to it */
	EXPECT_EQ(parse_lim(b, KS3_HTTP_HEAD_MAX, SIZE_MAX, URL_MAX, 128),
		  KS3_HTTP_HEAD_MAX);
	free(b);
	b = make_head(KS3_HTTP_HEAD_MAX + 1, 3);
	EXPECT_EQ(parse_lim(b, KS3_HTTP_HEAD_MAX + 1, SIZE_MAX, URL_MAX, 128),
		  -EMSGSIZE);
	EXPECT_EQ(parse_lim(b, KS3_HTTP_HEAD_MAX, SIZE_MAX, URL_MAX, 128),
		  -EMSGSIZE);
	EXPECT_EQ(parse_lim(b, KS3_HTTP_HEAD_MAX - 1, SIZE_MAX, URL_MAX, 128),
		  0);
	free(b);
}

TEST(limits_fields)
{
	unsigned int n;

	for (n = 2; n <= KS3_HTTP_FIELDS_MAX; n += 21) {
		char *b = make_head(4000, n);

		EXPECT_EQ(parse_lim(b, 4000, HEAD_MAX, URL_MAX, n), 4000);
		EXPECT_EQ(req.nr_fields, n);
		EXPECT_EQ(parse_lim(b, 4000, HEAD_MAX, URL_MAX, n - 1), -E2BIG);
		free(b);
	}
	{
		char *b = make_head(4000, KS3_HTTP_FIELDS_MAX);

		EXPECT_EQ(parse_lim(b, 4000, HEAD_MAX, URL_MAX, UINT_MAX), 4000);
		EXPECT_EQ(req.nr_fields, KS3_HTTP_FIELDS_MAX);
		free(b);
		b = make_head(4000, KS3_HTTP_FIELDS_MAX + 1);
		EXPECT_EQ(parse_lim(b, 4000, HEAD_MAX, URL_MAX, UINT_MAX),
			  -E2BIG);
		free(b);
	}
}

TEST(limits_url)
{
	char b[300];
	size_t t;

	/* target "/aaaa..." of exactly 100 bytes, then 101 */
	for (t = 99; t <= 101; t++) {
		int n = sprintf(b, "GET /%.*s HTTP/1.1\r\nHost: h\r\n\r\n",
				(int)(t - 1),
				"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

		EXPECT_EQ(parse_lim(b, n, HEAD_MAX, 100, 128),
			  t <= 100 ? n : -ENAMETOOLONG);
		/* a target already too long before its line ends: 414 early */
		EXPECT_EQ(parse_lim(b, t + 4, HEAD_MAX, 100, 128),
			  t <= 100 ? 0 : -ENAMETOOLONG);
		if (t <= 100)
			EXPECT_EQ(req.target_len, t);
	}
}

TEST(field_find_count)
{
	static const char h[] =
		"GET / HTTP/1.1\r\nHost: h\r\nX-Amz-Meta-A: 1\r\n"
		"x-amz-meta-a: 2\r\nRange: bytes=0-9\r\n\r\n";
	const struct ks3_http_field *f;
	char *buf;

	ASSERT_EQ(parse_keep(h, strlen(h), &buf), (int)strlen(h));
	f = ks3_http_field_find(&req, "x-amz-meta-a");
	ASSERT_NOT_NULL(f);
	EXPECT_PTR_EQ(f, &req.fields[1]);
	EXPECT_EQ(ks3_http_field_count(&req, "x-amz-meta-a"), 2);
	EXPECT_EQ(ks3_http_field_count(&req, "range"), 1);
	EXPECT_EQ(ks3_http_field_count(&req, "host"), 1);
	EXPECT_EQ(ks3_http_field_count(&req, "x-amz-meta"), 0);
	EXPECT_NULL(ks3_http_field_find(&req, "x-amz-meta-ab"));
	EXPECT_NULL(ks3_http_field_find(&req, "rang"));
	f = ks3_http_field_find(&req, "range");
	ASSERT_NOT_NULL(f);
	EXPECT_MEMEQ(f->value, "bytes=0-9", 9);
	free(buf);
}

TEST(reasons)
{
	static const u16 codes[] = {
		100, 200, 204, 206, 304, 400, 403, 404, 405, 409, 411, 412,
		413, 416, 417, 431, 500, 501, 503, 505, 507,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++)
		EXPECT_GT(strlen(ks3_http_reason(codes[i])), 0);
	EXPECT_STREQ(ks3_http_reason(200), "OK");
	EXPECT_STREQ(ks3_http_reason(404), "Not Found");
	EXPECT_STREQ(ks3_http_reason(431), "Request Header Fields Too Large");
	EXPECT_STREQ(ks3_http_reason(999), "");
	EXPECT_STREQ(ks3_http_reason(0), "");
}

/* s3-examples */

static const char *testdata(void)
{
	const char *d = getenv("KS3_TESTDATA");

	return d ? d : "/work/shared/testdata";
}

/* Reads a file whole; NULL (and a failure) if it cannot. */
static char *slurp(const char *rel, size_t *len)
{
	char path[512];
	FILE *f;
	char *b;
	long n;

	snprintf(path, sizeof(path), "%s/%s", testdata(), rel);
	f = fopen(path, "rb");
	if (!f) {
		unit_fail(__FILE__, __LINE__, "cannot open %s", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = malloc(n + 1);
	if (!b || fread(b, 1, n, f) != (size_t)n)
		abort();
	fclose(f);
	b[n] = 0;
	*len = n;
	return b;
}

/* The head of @s with LF line ends made CRLF, up to its blank line. */
static char *crlf_head(const char *s, size_t len, size_t *out_len,
		       const char **body)
{
	char *o = malloc(2 * len + 4);
	size_t i, n = 0;

	if (!o)
		abort();
	*body = s + len;
	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			o[n++] = '\r';
			o[n++] = '\n';
			if (i + 1 < len && s[i + 1] == '\n') {
				o[n++] = '\r';
				o[n++] = '\n';
				*body = s + i + 2;
				break;
			}
			continue;
		}
		o[n++] = s[i];
	}
	*out_len = n;
	return o;
}

static const struct {
	const char *file;
	enum ks3_http_method method;
	const char *path;
	const char *query;
	const char *host;
	unsigned int fields;
	long long length;
} examples[] = {
	{ "s3-examples/get-object/request.txt", KS3_HTTP_GET, "/test.txt", "",
	  "examplebucket.s3.amazonaws.com", 5, -1 },
	{ "s3-examples/get-bucket-lifecycle/request.txt", KS3_HTTP_GET, "/",
	  "lifecycle", "examplebucket.s3.amazonaws.com", 4, -1 },
	{ "s3-examples/list-objects/request.txt", KS3_HTTP_GET, "/",
	  "max-keys=2&prefix=J", "examplebucket.s3.amazonaws.com", 4, -1 },
	{ "s3-examples/presigned-get-object/request.txt", KS3_HTTP_GET,
	  "/test.txt",
	  "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
	  "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
	  "&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature="
	  "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
	  "examplebucket.s3.amazonaws.com", 1, -1 },
	{ "s3-examples/put-object/request.txt", KS3_HTTP_PUT, "/test$file.text",
	  "", "examplebucket.s3.amazonaws.com", 7, 21 },
	{ "s3-examples/chunked-put-object/request-headers.txt", KS3_HTTP_PUT,
	  "/examplebucket/chunkObject.txt", "", "s3.amazonaws.com", 8, 66824 },
	{ "s3-examples/chunked-put-object-trailer/request-headers.txt",
	  KS3_HTTP_PUT, "/examplebucket/chunkObject.txt", "", "s3.amazonaws.com",
	  9, 66946 },
};

TEST(s3_examples)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(examples); i++) {
		const struct ks3_http_field *f;
		size_t len, hlen;
		const char *body;
		char *raw = slurp(examples[i].file, &len), *head;
		int n;

		if (!raw)
			continue;
		/* as published (LF line ends): refused */
		EXPECT_EQ(parse_lim(raw, len, HEAD_MAX, URL_MAX, 128), -EBADMSG);
		head = crlf_head(raw, len, &hlen, &body);
		n = ks3_http_parse_head(&req, head, hlen, HEAD_MAX, URL_MAX,
					KS3_HTTP_FIELDS_MAX);
		if (n != (int)hlen) {
			unit_fail(__FILE__, __LINE__, "%s: %d", examples[i].file,
				  n);
			goto next;
		}
		EXPECT_EQ(req.method, examples[i].method);
		EXPECT_EQ(req.path_len, strlen(examples[i].path));
		EXPECT_MEMEQ(req.path, examples[i].path, req.path_len);
		EXPECT_EQ(req.query_len, strlen(examples[i].query));
		EXPECT_MEMEQ(req.query, examples[i].query, req.query_len);
		EXPECT_EQ(req.nr_fields, examples[i].fields);
		f = ks3_http_field_find(&req, "host");
		ASSERT_NOT_NULL(f);
		EXPECT_EQ(f->value_len, strlen(examples[i].host));
		EXPECT_MEMEQ(f->value, examples[i].host, f->value_len);
		EXPECT_EQ(req.has_length, examples[i].length >= 0);
		if (examples[i].length >= 0)
			EXPECT_EQ(req.content_length, examples[i].length);
		if (examples[i].length == 21)
			EXPECT_EQ(strlen(body), 21);
		EXPECT_TRUE(req.keep_alive);
		EXPECT_FALSE(req.chunked);
		/* every shorter prefix needs more */
		for (len = 0; len < hlen; len++) {
			n = ks3_http_parse_head(&req, head, len, HEAD_MAX,
						URL_MAX, 128);
			if (n) {
				unit_fail(__FILE__, __LINE__, "%s prefix %zu: %d",
					  examples[i].file, len, n);
				break;
			}
		}
next:
		free(head);
		free(raw);
	}
}

/* Chunked bodies */

struct decoded {
	int ret;		/* last return: 1, or the error */
	size_t consumed;	/* input bytes used */
	size_t out_len;
	u8 out[140000];
	u64 total;
};

static struct decoded whole, split;

/*
 * Decodes @in the way the connection does: bytes become available in
 * steps of @step(i) bytes; each time, decode what is there until the
 * decoder needs more (used == everything, no data), finishes or fails.
 */
static void decode(struct decoded *r, const u8 *in, size_t len,
		   size_t (*step)(unsigned int i, void *arg), void *arg)
{
	struct ks3_http_chunked d;
	size_t avail = 0, pos = 0;
	unsigned int k = 0;
	u8 *copy;

	r->ret = 0;
	r->out_len = 0;
	ks3_http_chunked_init(&d);
	while (r->ret == 0) {
		size_t used, dlen;
		const u8 *data;

		if (pos == avail) {
			if (avail == len)
				break;
			avail += min(step(k++, arg), len - avail);
		}
		/* an exact heap copy of what has arrived and is not used */
		copy = malloc(avail - pos);
		if (!copy)
			abort();
		memcpy(copy, in + pos, avail - pos);
		r->ret = ks3_http_chunked_decode(&d, copy, avail - pos, &used,
						 &data, &dlen);
		if (r->ret >= 0) {
			if (used > avail - pos || (dlen && (data < copy ||
			    data + dlen > copy + used)))
				abort();
			if (r->out_len + dlen > sizeof(r->out))
				abort();
			memcpy(r->out + r->out_len, data, dlen);
			r->out_len += dlen;
			pos += used;
		}
		free(copy);
	}
	r->consumed = pos;
	r->total = d.total;
}

static size_t step_const(unsigned int i, void *arg)
{
	(void)i;
	return *(size_t *)arg;
}

static size_t step_rand(unsigned int i, void *arg)
{
	unsigned int *seed = arg;

	(void)i;
	*seed = *seed * 1103515245 + 12345;
	return 1 + (*seed >> 16) % 97;
}

static bool same(const struct decoded *a, const struct decoded *b)
{
	/* after an error, how far the input was taken depends on the steps */
	return a->ret == b->ret &&
	       (a->ret < 0 || (a->consumed == b->consumed &&
			       a->out_len == b->out_len &&
			       a->total == b->total &&
			       !memcmp(a->out, b->out, a->out_len)));
}

/* Decodes @s whole, in 1, 2, 3, 7 byte steps and randomly: all agree. */
static void check_splits(const char *s, size_t len, int ret, size_t consumed,
			 const char *out, size_t out_len)
{
	static const size_t steps[] = { 1, 2, 3, 7 };
	unsigned int i, seed;
	size_t big = SIZE_MAX;

	decode(&whole, (const u8 *)s, len, step_const, &big);
	if (whole.ret != ret || (ret >= 0 && whole.consumed != consumed))
		unit_fail(__FILE__, __LINE__, "ret %d (want %d), used %zu (want %zu): %s",
			  whole.ret, ret, whole.consumed, consumed,
			  unit_quote(s, len > 200 ? 200 : len));
	if (out) {
		EXPECT_EQ(whole.out_len, out_len);
		EXPECT_MEMEQ(whole.out, out, out_len);
		EXPECT_EQ(whole.total, out_len);
	}
	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		size_t st = steps[i];

		decode(&split, (const u8 *)s, len, step_const, &st);
		if (!same(&whole, &split))
			unit_fail(__FILE__, __LINE__, "step %zu differs: %s", st,
				  unit_quote(s, len > 200 ? 200 : len));
	}
	for (seed = 1; seed < 20; seed++) {
		unsigned int sd = seed;

		decode(&split, (const u8 *)s, len, step_rand, &sd);
		if (!same(&whole, &split))
			unit_fail(__FILE__, __LINE__, "seed %u differs", seed);
	}
}

#define OK(s, out)	check_splits(s, sizeof(s) - 1, 1, sizeof(s) - 1, \
				     out, sizeof(out) - 1)
#define BAD(s, err)	check_splits(s, sizeof(s) - 1, err, 0, NULL, 0)

TEST(chunked_ok)
{
	OK("0\r\n\r\n", "");
	OK("5\r\nhello\r\n0\r\n\r\n", "hello");
	OK("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world");
	OK("A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n",
	   "0123456789abcdefghij");
	OK("000005\r\nhello\r\n000\r\n\r\n", "hello");
	OK("5;name=value;x=\"q;d\"\r\nhello\r\n0;last\r\n\r\n", "hello");
	OK("5 ;a\r\nhello\r\n0\t \r\n\r\n", "hello");
	OK("3\r\n\r\n\r\r\n0\r\n\r\n", "\r\n\r");
	OK("2\r\n\0\xff\r\n0\r\nx-amz-checksum-crc32: AAAAAA==\r\n"
	   "Other: y\r\n\r\n", "\0\xff");
}

TEST(chunked_pipelined)
{
	static const char s[] = "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n";

	check_splits(s, sizeof(s) - 1, 1, sizeof(s) - 1 - 16, "abc", 3);
}

TEST(chunked_errors)
{
	BAD("\r\n", -EBADMSG);
	BAD(";a\r\n", -EBADMSG);
	BAD(" 5\r\nhello\r\n0\r\n\r\n", -EBADMSG);
	BAD("g\r\n", -EBADMSG);
	BAD("0x5\r\nhello\r\n", -EBADMSG);
	BAD("-1\r\n", -EBADMSG);
	BAD("5\nhello\r\n0\r\n\r\n", -EBADMSG);
	BAD("5\rhello", -EBADMSG);
	BAD("3\r\nabcX\r\n", -EBADMSG);
	BAD("3\r\nabc\n0\r\n\r\n", -EBADMSG);
	BAD("3\r\nabc\rX", -EBADMSG);
	BAD("5 x\r\n", -EBADMSG);
	BAD("5;a\x01\r\n", -EBADMSG);
	BAD("5;a\nb\r\n", -EBADMSG);
	BAD("0\r\n\n", -EBADMSG);
	BAD("0\r\nA: b\n\r\n", -EBADMSG);
	BAD("0\r\nA: b\x7f\r\n\r\n", -EBADMSG);
	BAD("0\r\n\rX", -EBADMSG);
	/* 2^64 and 2^63 + 1 overflow; 2^63 is the largest size taken */
	BAD("10000000000000000\r\n", -EBADMSG);
	BAD("8000000000000001\r\n", -EBADMSG);
	BAD("ffffffffffffffff\r\n", -EBADMSG);
	BAD("0000000000000000010000000000000000\r\n", -EBADMSG);
}

TEST(chunked_big_size)
{
	struct ks3_http_chunked d;
	static const u8 s[] = "8000000000000000\r\nab";
	const u8 *data;
	size_t used, dlen;

	ks3_http_chunked_init(&d);
	EXPECT_EQ(ks3_http_chunked_decode(&d, s, 18, &used, &data, &dlen), 0);
	EXPECT_EQ(used, 18);
	EXPECT_EQ(dlen, 0);
	EXPECT_EQ(ks3_http_chunked_decode(&d, s + 18, 2, &used, &data, &dlen),
		  0);
	EXPECT_EQ(used, 2);
	EXPECT_EQ(dlen, 2);
	EXPECT_PTR_EQ(data, s + 18);
	EXPECT_EQ(d.remaining, (1ULL << 63) - 2);
}

TEST(chunked_sticky_error)
{
	struct ks3_http_chunked d;
	const u8 *data;
	size_t used, dlen;

	ks3_http_chunked_init(&d);
	EXPECT_EQ(ks3_http_chunked_decode(&d, (const u8 *)"x", 1, &used, &data,
					  &dlen), -EBADMSG);
	EXPECT_EQ(ks3_http_chunked_decode(&d, (const u8 *)"0\r\n\r\n", 5,
					  &used, &data, &dlen), -EBADMSG);
	EXPECT_EQ(ks3_http_chunked_decode(&d, NULL, 0, &used, &data, &dlen),
		  -EBADMSG);
	/* done stays done and takes nothing more */
	ks3_http_chunked_init(&d);
	EXPECT_EQ(ks3_http_chunked_decode(&d, (const u8 *)"0\r\n\r\n", 5,
					  &used, &data, &dlen), 1);
	EXPECT_EQ(used, 5);
	EXPECT_EQ(ks3_http_chunked_decode(&d, (const u8 *)"0\r\n\r\n", 5,
					  &used, &data, &dlen), 1);
	EXPECT_EQ(used, 0);
	EXPECT_EQ(ks3_http_chunked_decode(&d, NULL, 0, &used, &data, &dlen), 1);
}

TEST(chunked_line_limit)
{
	size_t max = KS3_HTTP_CHUNK_LINE_MAX, n;
	char *s = malloc(max + 64);

	ASSERT_NOT_NULL(s);
	/* size line of exactly the limit (CRLF included), then one over */
	for (n = max; n <= max + 1; n++) {
		size_t o;

		memcpy(s, "1;", 2);
		memset(s + 2, 'e', n - 4);
		o = n - 2;
		memcpy(s + o, "\r\nx\r\n0\r\n\r\n", 10);
		check_splits(s, o + 10, n == max ? 1 : -EMSGSIZE,
			     n == max ? o + 10 : 0, n == max ? "x" : NULL, 1);
	}
	/* hex digits count too: leading zeros cannot run forever */
	memset(s, '0', max + 8);
	check_splits(s, max + 8, -EMSGSIZE, 0, NULL, 0);
	free(s);
}

TEST(chunked_trailer_limit)
{
	size_t max = KS3_HTTP_TRAILER_MAX, n;
	char *s = malloc(max + 64);

	ASSERT_NOT_NULL(s);
	/* trailer section (fields and final CRLF) of exactly the limit */
	for (n = max; n <= max + 1; n++) {
		size_t o = 3;

		memcpy(s, "0\r\n", 3);
		memcpy(s + o, "T: ", 3);
		memset(s + o + 3, 'v', n - 3 - 4);
		memcpy(s + o + n - 4, "\r\n\r\n", 4);
		check_splits(s, o + n, n == max ? 1 : -EMSGSIZE,
			     n == max ? o + n : 0, n == max ? "" : NULL, 0);
	}
	free(s);
}

static void check_example_body(const char *rel, size_t decoded)
{
	size_t len, i;
	char *b = slurp(rel, &len);
	char *want;

	if (!b)
		return;
	want = malloc(decoded);
	if (!want)
		abort();
	memset(want, 'a', decoded);
	check_splits(b, len, 1, len, want, decoded);
	/* the same body with the next request behind it */
	b = realloc(b, len + 5);
	if (!b)
		abort();
	memcpy(b + len, "GET /", 5);
	check_splits(b, len + 5, 1, len, want, decoded);
	/* cut anywhere: never complete */
	for (i = 0; i < len; i += 997) {
		size_t big = SIZE_MAX;

		decode(&split, (const u8 *)b, i, step_const, &big);
		EXPECT_EQ(split.ret, 0);
	}
	free(want);
	free(b);
}

TEST(chunked_s3_examples)
{
	/* aws-chunked bodies are valid HTTP chunked framing too */
	check_example_body("s3-examples/chunked-put-object/body.bin", 66560);
	check_example_body("s3-examples/chunked-put-object-trailer/body.bin",
			   66560);
}
