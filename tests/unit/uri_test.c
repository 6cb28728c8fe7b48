// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/s3/uri.c: percent-decoding and SigV4 encoding
 * (every byte 0x00-0xff, UTF-8, buffer bounds), and query parameters.
 * Inputs sit in heap blocks of exactly their length (ASan sees overreads);
 * outputs are checked against an independent reference encoder and the
 * canonical requests of /work/shared/testdata/sigv4 ($KS3_TESTDATA).
 */
#include <stdio.h>
#include <stdlib.h>

#include "s3/uri.c"
#include "unit.h"

static char *dup_exact(const char *s, size_t len)
{
	char *c = malloc(len ? len : 1);

	if (!c)
		abort();
	memcpy(c, s, len);
	return c;
}

static ssize_t dec(char *dst, size_t size, const char *s, bool plus)
{
	char *c = dup_exact(s, strlen(s));
	ssize_t n = ks3_uri_decode(dst, size, c, strlen(s), plus);

	free(c);
	return n;
}

TEST(decode_basic)
{
	char out[64];

	EXPECT_EQ(dec(out, sizeof(out), "", false), 0);
	EXPECT_EQ(dec(out, sizeof(out), "abc", false), 3);
	EXPECT_MEMEQ(out, "abc", 3);
	EXPECT_EQ(dec(out, sizeof(out), "%41%42c", false), 3);
	EXPECT_MEMEQ(out, "ABc", 3);
	EXPECT_EQ(dec(out, sizeof(out), "%2f%2F", false), 2);
	EXPECT_MEMEQ(out, "//", 2);
	EXPECT_EQ(dec(out, sizeof(out), "a%00b", false), 3);
	EXPECT_MEMEQ(out, "a\0b", 3);
	EXPECT_EQ(dec(out, sizeof(out), "%ff%80", false), 2);
	EXPECT_MEMEQ(out, "\xff\x80", 2);
	EXPECT_EQ(dec(out, sizeof(out), "%E2%82%AC", false), 3);
	EXPECT_MEMEQ(out, "\xe2\x82\xac", 3);
	/* '+' is a space in queries only */
	EXPECT_EQ(dec(out, sizeof(out), "a+b%2B", true), 4);
	EXPECT_MEMEQ(out, "a b+", 4);
	EXPECT_EQ(dec(out, sizeof(out), "a+b%2B", false), 4);
	EXPECT_MEMEQ(out, "a+b+", 4);
	EXPECT_EQ(dec(out, sizeof(out), "%25", false), 1);
	EXPECT_MEMEQ(out, "%", 1);
}

TEST(decode_errors)
{
	char out[64];

	EXPECT_EQ(dec(out, sizeof(out), "%", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "%4", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "a%4", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "%zz", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "%4g", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "%g4", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "% 4", false), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "%+4", true), -EINVAL);
	EXPECT_EQ(dec(out, sizeof(out), "%%41", false), -EINVAL);
	/* bounds: exactly enough, one short, none */
	EXPECT_EQ(dec(out, 3, "%41bc", false), 3);
	EXPECT_EQ(dec(out, 2, "%41bc", false), -ENOSPC);
	EXPECT_EQ(dec(out, 0, "a", false), -ENOSPC);
	EXPECT_EQ(dec(NULL, 0, "", false), 0);
}

/* An independent reading of SigV4's UriEncode(). */
static size_t ref_encode(char *dst, const u8 *s, size_t len, bool slash)
{
	static const char *const keep =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789-._~";
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if ((s[i] && strchr(keep, s[i])) || (slash && s[i] == '/'))
			dst[o++] = s[i];
		else
			o += sprintf(dst + o, "%%%02X", s[i]);
	}
	return o;
}

TEST(encode_every_byte)
{
	u8 all[256];
	char want[768], got[768], back[256];
	unsigned int i, slash;

	for (i = 0; i < 256; i++)
		all[i] = i;
	for (slash = 0; slash < 2; slash++) {
		size_t n = ref_encode(want, all, 256, slash);
		char *in = dup_exact((char *)all, 256);

		EXPECT_EQ(ks3_uri_encoded_len(in, 256, slash), n);
		EXPECT_EQ(ks3_uri_encode(got, sizeof(got), in, 256, slash),
			  (ssize_t)n);
		EXPECT_MEMEQ(got, want, n);
		/* exactly enough room, then one byte less */
		EXPECT_EQ(ks3_uri_encode(got, n, in, 256, slash), (ssize_t)n);
		EXPECT_EQ(ks3_uri_encode(got, n - 1, in, 256, slash), -ENOSPC);
		/* and back, with either reading of '+' (encode never emits it) */
		EXPECT_EQ(ks3_uri_decode(back, sizeof(back), got, n, true), 256);
		EXPECT_MEMEQ(back, all, 256);
		EXPECT_EQ(ks3_uri_decode(back, 255, got, n, false), -ENOSPC);
		free(in);
	}
	/* each byte alone */
	for (i = 0; i < 256; i++) {
		char c = i;
		ssize_t n;

		n = ks3_uri_encode(got, sizeof(got), &c, 1, false);
		EXPECT_EQ(n, (ssize_t)ref_encode(want, (u8 *)&c, 1, false));
		EXPECT_MEMEQ(got, want, n > 0 ? n : 0);
		EXPECT_EQ(ks3_uri_encode(got, n - 1, &c, 1, false), -ENOSPC);
		EXPECT_EQ(ks3_uri_decode(back, 1, got, n, false), 1);
		EXPECT_EQ((u8)back[0], i);
	}
}

TEST(encode_examples)
{
	static const struct {
		const char *in, *out;
		bool slash;
	} t[] = {
		{ "", "", false },
		{ "a b", "a%20b", false },
		{ "a+b", "a%2Bb", false },
		{ "a/b c", "a/b%20c", true },
		{ "a/b", "a%2Fb", false },
		{ "-._~", "-._~", false },
		{ "photos/2024/caf\xc3\xa9.jpg", "photos/2024/caf%C3%A9.jpg", true },
		{ "\xe1\x88\xb4", "%E1%88%B4", false },
		{ "*", "%2A", false },
		{ "=&?#%", "%3D%26%3F%23%25", true },
	};
	unsigned int i;
	char out[128];

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		size_t len = strlen(t[i].in);
		char *in = dup_exact(t[i].in, len);
		ssize_t n = ks3_uri_encode(out, sizeof(out), in, len, t[i].slash);

		EXPECT_EQ(n, (ssize_t)strlen(t[i].out));
		EXPECT_MEMEQ(out, t[i].out, strlen(t[i].out));
		EXPECT_EQ(ks3_uri_encoded_len(in, len, t[i].slash),
			  strlen(t[i].out));
		free(in);
	}
}

TEST(utf8_round_trip)
{
	static const char *const s[] = {
		"\xc3\xbc", "\xe6\x97\xa5\xe6\x9c\xac", "\xf0\x9f\x98\x80",
		"a/b/\xd0\xb4/c d+e", "\xe1\x88\xb4=bar",
	};
	unsigned int i;
	char enc[256], dec_[64];

	for (i = 0; i < ARRAY_SIZE(s); i++) {
		size_t len = strlen(s[i]);
		ssize_t n = ks3_uri_encode(enc, sizeof(enc), s[i], len, true);

		ASSERT_TRUE(n > 0);
		EXPECT_EQ(ks3_uri_decode(dec_, sizeof(dec_), enc, n, false),
			  (ssize_t)len);
		EXPECT_MEMEQ(dec_, s[i], len);
	}
}

/* Query strings */

static struct ks3_query_param qp[16];

static int qparse(const char *q, unsigned int max)
{
	static char *keep;

	free(keep);
	keep = dup_exact(q, strlen(q));
	return ks3_query_parse(keep, strlen(q), qp, max);
}

#define EXPECT_PARAM(i, n, v, hv) do {					\
	EXPECT_EQ(qp[i].name_len, strlen(n));				\
	EXPECT_MEMEQ(qp[i].name, n, strlen(n));				\
	EXPECT_EQ(qp[i].value_len, strlen(v));				\
	EXPECT_MEMEQ(qp[i].value, v, strlen(v));			\
	EXPECT_EQ(qp[i].has_value, hv);					\
} while (0)

TEST(query_parse)
{
	EXPECT_EQ(qparse("", 16), 0);
	EXPECT_EQ(qparse("&&&", 16), 0);
	ASSERT_EQ(qparse("a=1&b=2", 16), 2);
	EXPECT_PARAM(0, "a", "1", true);
	EXPECT_PARAM(1, "b", "2", true);
	ASSERT_EQ(qparse("a=1&&b", 16), 2);
	EXPECT_PARAM(0, "a", "1", true);
	EXPECT_PARAM(1, "b", "", false);
	ASSERT_EQ(qparse("&uploads&", 16), 1);
	EXPECT_PARAM(0, "uploads", "", false);
	ASSERT_EQ(qparse("uploads=", 16), 1);
	EXPECT_PARAM(0, "uploads", "", true);
	ASSERT_EQ(qparse("a=b=c&x=%20+y", 16), 2);
	EXPECT_PARAM(0, "a", "b=c", true);
	EXPECT_PARAM(1, "x", "%20+y", true);
	ASSERT_EQ(qparse("list%2Dtype=2&prefix=a%2Fb", 16), 2);
	EXPECT_PARAM(0, "list%2Dtype", "2", true);
	EXPECT_PARAM(1, "prefix", "a%2Fb", true);
	/* raw pointers into the query */
	ASSERT_EQ(qparse("k=v", 16), 1);
	EXPECT_PTR_EQ(qp[0].value, qp[0].name + 2);
}

TEST(query_errors)
{
	EXPECT_EQ(qparse("=v", 16), -EINVAL);
	EXPECT_EQ(qparse("a=1&=2", 16), -EINVAL);
	EXPECT_EQ(qparse("=", 16), -EINVAL);
	EXPECT_EQ(qparse("a%zz=1", 16), -EINVAL);
	EXPECT_EQ(qparse("a=%4", 16), -EINVAL);
	EXPECT_EQ(qparse("a=%", 16), -EINVAL);
	EXPECT_EQ(qparse("a=1%", 16), -EINVAL);
	EXPECT_EQ(qparse("a=\x01", 16), -EINVAL);
	EXPECT_EQ(qparse("a\x7f", 16), -EINVAL);
	EXPECT_EQ(qparse("a=\t", 16), -EINVAL);
	/* %00 is a valid escape: the caller decides about NUL */
	EXPECT_EQ(qparse("a=%00", 16), 1);
	/* count: exactly max, one over */
	EXPECT_EQ(qparse("a&b&c", 3), 3);
	EXPECT_EQ(qparse("a&b&c", 2), -E2BIG);
	EXPECT_EQ(qparse("a&&b&", 2), 2);
	EXPECT_EQ(qparse("a", 0), -E2BIG);
	EXPECT_EQ(qparse("&", 0), 0);
}

TEST(query_name_bounds)
{
	size_t n = U16_MAX + 1;
	char *q = malloc(n + 3);

	ASSERT_NOT_NULL(q);
	memset(q, 'n', n + 3);
	q[U16_MAX] = '=';
	EXPECT_EQ(ks3_query_parse(q, U16_MAX + 2, qp, 16), 1);
	EXPECT_EQ(qp[0].name_len, U16_MAX);
	EXPECT_EQ(qp[0].value_len, 1);
	q[U16_MAX] = 'n';
	q[n] = '=';
	EXPECT_EQ(ks3_query_parse(q, n + 2, qp, 16), -EINVAL);
	EXPECT_EQ(ks3_query_parse(q, n, qp, 16), -EINVAL);	/* no value */
	EXPECT_EQ(ks3_query_parse(q, U16_MAX, qp, 16), 1);
	free(q);
}

TEST(query_find)
{
	ASSERT_EQ(qparse("list-type=2&prefix=J&X-Amz-Signature=ab&uploads"
			 "&a+b=1&list%2dtype=3&pre%66ix2=x", 16), 7);
	EXPECT_PTR_EQ(ks3_query_find(qp, 7, "list-type"), &qp[0]);
	EXPECT_PTR_EQ(ks3_query_find(qp, 7, "prefix"), &qp[1]);
	EXPECT_PTR_EQ(ks3_query_find(qp, 7, "X-Amz-Signature"), &qp[2]);
	EXPECT_PTR_EQ(ks3_query_find(qp, 7, "uploads"), &qp[3]);
	EXPECT_PTR_EQ(ks3_query_find(qp, 7, "a b"), &qp[4]);
	EXPECT_PTR_EQ(ks3_query_find(qp, 7, "prefix2"), &qp[6]);
	EXPECT_NULL(ks3_query_find(qp, 7, "x-amz-signature"));
	EXPECT_NULL(ks3_query_find(qp, 7, "Prefix"));
	EXPECT_NULL(ks3_query_find(qp, 7, "prefi"));
	EXPECT_NULL(ks3_query_find(qp, 7, "upload"));
	EXPECT_NULL(ks3_query_find(qp, 7, "uploadsx"));
	EXPECT_NULL(ks3_query_find(qp, 7, "a+b"));
	EXPECT_NULL(ks3_query_find(qp, 7, ""));
	EXPECT_NULL(ks3_query_find(qp, 0, "prefix"));
	/* the encoded duplicate is found only after the first */
	EXPECT_PTR_EQ(ks3_query_find(qp + 1, 6, "list-type"), &qp[5]);
	ASSERT_EQ(qparse("a%00b=1", 16), 1);
	EXPECT_NULL(ks3_query_find(qp, 1, "a"));
	EXPECT_NULL(ks3_query_find(qp, 1, "ab"));
}

/* testdata */

static char *slurp(const char *rel, size_t *len)
{
	const char *d = getenv("KS3_TESTDATA");
	char path[512];
	FILE *f;
	char *b;
	long n;

	snprintf(path, sizeof(path), "%s/%s", d ? d : "/work/shared/testdata",
		 rel);
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

TEST(presigned_example)
{
	size_t len;
	char *raw = slurp("s3-examples/presigned-get-object/request.txt", &len);
	const struct ks3_query_param *p;
	char *q, *sp;
	char out[128];
	ssize_t n;

	if (!raw)
		return;
	q = strchr(raw, '?');
	ASSERT_NOT_NULL(q);
	q++;
	sp = strchr(q, ' ');
	ASSERT_NOT_NULL(sp);
	ASSERT_EQ(ks3_query_parse(q, sp - q, qp, 16), 6);
	p = ks3_query_find(qp, 6, "X-Amz-Credential");
	ASSERT_NOT_NULL(p);
	n = ks3_uri_decode(out, sizeof(out), p->value, p->value_len, true);
	ASSERT_EQ(n, (ssize_t)strlen("AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"));
	EXPECT_MEMEQ(out, "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request", n);
	/* and encoded again it is what the client sent */
	EXPECT_EQ(ks3_uri_encode(out + 64, 64, out, n, false),
		  (ssize_t)p->value_len);
	EXPECT_MEMEQ(out + 64, p->value, p->value_len);
	p = ks3_query_find(qp, 6, "X-Amz-Expires");
	ASSERT_NOT_NULL(p);
	EXPECT_MEMEQ(p->value, "86400", 5);
	EXPECT_NOT_NULL(ks3_query_find(qp, 6, "X-Amz-Signature"));
	free(raw);
}

/*
 * SigV4 suite: the canonical request's path line (second line) is the
 * encoding of the request's path, except for the cases that normalise
 * paths, which S3 does not do.
 */
TEST(sigv4_paths)
{
	static const char *const cases[] = {
		"get-unreserved", "get-utf8", "get-vanilla",
		"get-vanilla-utf8-query", "get-vanilla-query-unreserved",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		char rel[256], enc[512];
		size_t rlen, clen;
		char *req_, *creq, *path, *end, *cpath, *cend;
		ssize_t n;

		snprintf(rel, sizeof(rel), "sigv4/%s/%s.req", cases[i], cases[i]);
		req_ = slurp(rel, &rlen);
		snprintf(rel, sizeof(rel), "sigv4/%s/%s.creq", cases[i], cases[i]);
		creq = slurp(rel, &clen);
		if (!req_ || !creq)
			goto next;
		path = strchr(req_, ' ') + 1;
		end = path + strcspn(path, "? ");
		cpath = strchr(creq, '\n') + 1;
		cend = strchr(cpath, '\n');
		n = ks3_uri_encode(enc, sizeof(enc), path, end - path, true);
		if (n != cend - cpath || memcmp(enc, cpath, n))
			unit_fail(__FILE__, __LINE__, "%s: encoded path %.*s",
				  cases[i], (int)(n > 0 ? n : 0), enc);
next:
		free(req_);
		free(creq);
	}
}

/* get-vanilla-utf8-query: "?ሴ=bar" canonicalises to "%E1%88%B4=bar" */
TEST(sigv4_utf8_query)
{
	size_t len;
	char *raw = slurp("sigv4/get-vanilla-utf8-query/get-vanilla-utf8-query.req",
			  &len);
	char enc[64];
	char *q;
	ssize_t n;

	if (!raw)
		return;
	q = strchr(raw, '?') + 1;
	ASSERT_EQ(ks3_query_parse(q, strcspn(q, " "), qp, 16), 1);
	n = ks3_uri_encode(enc, sizeof(enc), qp[0].name, qp[0].name_len, false);
	EXPECT_EQ(n, 9);
	EXPECT_MEMEQ(enc, "%E1%88%B4", 9);
	EXPECT_PTR_EQ(ks3_query_find(qp, 1, "\xe1\x88\xb4"), &qp[0]);
	free(raw);
}
