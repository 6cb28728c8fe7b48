// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/s3/router.c and module/s3/cond.c: path-style and
 * virtual-hosted requests, key decoding and bounds, sub-resource routing,
 * listing arguments, continuation tokens; Range parsing, conditional
 * request precedence, HTTP dates and ETags.
 */
#include <stdio.h>
#include <stdlib.h>

#include "http/parse.c"
#include "s3/uri.c"
#include "s3/checksum.c"
#include "s3/router.c"
#include "digest_openssl.c"
#include "s3/cond.c"
#include "unit.h"

static struct ks3_http_request http;
static struct ks3_s3_request *r;

/* Builds a request head from a method, target and Host (NULL: none). */
static enum ks3_s3_err parse(enum ks3_http_method m, const char *target,
			     const char *host, const char *domain)
{
	const char *q = strchr(target, '?');

	memset(&http, 0, sizeof(http));
	http.method = m;
	http.target = target;
	http.target_len = strlen(target);
	http.path = target;
	http.path_len = q ? (u32)(q - target) : strlen(target);
	http.query = q ? q + 1 : "";
	http.query_len = q ? strlen(q + 1) : 0;
	if (host) {
		http.fields[0].name = "Host";
		http.fields[0].name_len = 4;
		http.fields[0].value = host;
		http.fields[0].value_len = strlen(host);
		http.nr_fields = 1;
	}
	if (!r) {
		r = malloc(sizeof(*r));
		if (!r)
			abort();
	}
	return ks3_s3_parse(r, &http, domain);
}

static void add_field(const char *name, const char *value)
{
	struct ks3_http_field *f = &http.fields[http.nr_fields++];

	f->name = name;
	f->name_len = strlen(name);
	f->value = value;
	f->value_len = strlen(value);
}

#define KEY_IS(want) do {						\
		EXPECT_EQ(r->key_len, sizeof(want) - 1);		\
		EXPECT_MEMEQ(r->key, want, sizeof(want) - 1);		\
	} while (0)

TEST(path_style)
{
	ASSERT_EQ(parse(KS3_HTTP_GET, "/", "localhost:9000", ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_LIST_BUCKETS);
	EXPECT_FALSE(r->has_bucket);

	ASSERT_EQ(parse(KS3_HTTP_PUT, "/bkt", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_CREATE_BUCKET);
	EXPECT_STREQ(r->bucket, "bkt");
	ASSERT_EQ(parse(KS3_HTTP_DELETE, "/bkt/", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_DELETE_BUCKET);
	ASSERT_EQ(parse(KS3_HTTP_HEAD, "/bkt", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_HEAD_BUCKET);

	ASSERT_EQ(parse(KS3_HTTP_PUT, "/bkt/a/b%20c+d//e/", NULL, ""),
		  KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_PUT_OBJECT);
	KEY_IS("a/b c+d//e/");
	ASSERT_EQ(parse(KS3_HTTP_GET, "/bkt/%E2%82%AC", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_GET_OBJECT);
	KEY_IS("\xe2\x82\xac");
	ASSERT_EQ(parse(KS3_HTTP_HEAD, "/bkt/k", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_HEAD_OBJECT);
	ASSERT_EQ(parse(KS3_HTTP_DELETE, "/bkt/k", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_DELETE_OBJECT);
}

TEST(virtual_hosted)
{
	ASSERT_EQ(parse(KS3_HTTP_GET, "/", "MyBkt.s3.example.com:9000",
			"s3.example.com"), KS3_S3_OK);
	EXPECT_TRUE(r->vhost);
	EXPECT_STREQ(r->bucket, "mybkt");
	EXPECT_EQ(r->op, KS3_S3OP_LIST_OBJECTS);

	ASSERT_EQ(parse(KS3_HTTP_GET, "/dir/key.txt", "b.s3.example.com",
			"s3.example.com"), KS3_S3_OK);
	EXPECT_STREQ(r->bucket, "b");
	KEY_IS("dir/key.txt");
	EXPECT_EQ(r->op, KS3_S3OP_GET_OBJECT);

	/* the domain itself, other hosts and IPs: path style */
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k", "s3.example.com",
			"s3.example.com"), KS3_S3_OK);
	EXPECT_FALSE(r->vhost);
	EXPECT_STREQ(r->bucket, "b");
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k", "127.0.0.1:9000",
			"s3.example.com"), KS3_S3_OK);
	EXPECT_FALSE(r->vhost);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k", "[::1]:9000", "s3.example.com"),
		  KS3_S3_OK);
	EXPECT_FALSE(r->vhost);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k", "xs3.example.com",
			"s3.example.com"), KS3_S3_OK);
	EXPECT_FALSE(r->vhost);
	/* no domain configured: never virtual-hosted */
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k", "x.s3.example.com", ""),
		  KS3_S3_OK);
	EXPECT_FALSE(r->vhost);
	EXPECT_STREQ(r->bucket, "b");
}

TEST(key_bounds)
{
	static char target[4000];
	int n;

	n = snprintf(target, sizeof(target), "/b/");
	memset(target + n, 'k', 1024);
	target[n + 1024] = '\0';
	EXPECT_EQ(parse(KS3_HTTP_PUT, target, NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->key_len, 1024);
	target[n + 1024] = 'k';
	target[n + 1025] = '\0';
	EXPECT_EQ(parse(KS3_HTTP_PUT, target, NULL, ""), KS3_S3_KEY_TOO_LONG);
	/* 1024 bytes encoded as 3072 characters are fine */
	for (n = 0; n < 1024; n++)
		memcpy(target + 3 + 3 * n, "%41", 3);
	target[3 + 3072] = '\0';
	EXPECT_EQ(parse(KS3_HTTP_GET, target, NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->key_len, 1024);

	EXPECT_EQ(parse(KS3_HTTP_GET, "/b/a%00b", NULL, ""),
		  KS3_S3_INVALID_URI);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b/a%zz", NULL, ""),
		  KS3_S3_INVALID_URI);
	EXPECT_EQ(parse(KS3_HTTP_GET, "b/k", NULL, ""), KS3_S3_INVALID_URI);
	EXPECT_EQ(parse(KS3_HTTP_GET,
			"/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/k",
			NULL, ""), KS3_S3_INVALID_BUCKET_NAME);
	EXPECT_EQ(parse(KS3_HTTP_GET, "//k", NULL, ""),
		  KS3_S3_INVALID_BUCKET_NAME);
}

TEST(sub_resources)
{
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b?location", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_GET_BUCKET_LOCATION);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b?list-type=2&prefix=a", NULL, ""),
		  KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_LIST_OBJECTS_V2);

	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?versioning", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?acl", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b?uploads", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_LIST_MULTIPART_UPLOADS);
	ASSERT_EQ(parse(KS3_HTTP_POST, "/b?delete", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_DELETE_OBJECTS);
	ASSERT_EQ(parse(KS3_HTTP_POST, "/b/k?uploads", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_CREATE_MULTIPART);
	ASSERT_EQ(parse(KS3_HTTP_PUT, "/b/k?partNumber=1&uploadId=x", NULL,
			""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_UPLOAD_PART);
	ASSERT_EQ(parse(KS3_HTTP_POST, "/b/k?uploadId=x", NULL, ""),
		  KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_COMPLETE_MULTIPART);
	ASSERT_EQ(parse(KS3_HTTP_DELETE, "/b/k?uploadId=x", NULL, ""),
		  KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_ABORT_MULTIPART);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k?uploadId=x", NULL, ""),
		  KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_LIST_PARTS);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b/k?partNumber=1", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	EXPECT_EQ(parse(KS3_HTTP_PUT, "/b/k?uploadId=x", NULL, ""),
		  KS3_S3_INVALID_REQUEST);
	EXPECT_EQ(parse(KS3_HTTP_PUT, "/b?delete", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k?tagging", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_GET_OBJECT_TAGGING);
	EXPECT_EQ(parse(KS3_HTTP_PUT, "/b/k?tagging", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b/k?tagging&acl", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?tagging", NULL, ""),
		  KS3_S3_NOT_IMPLEMENTED);
	EXPECT_EQ(parse(KS3_HTTP_OTHER, "/b/k", NULL, ""),
		  KS3_S3_METHOD_NOT_ALLOWED);
	EXPECT_EQ(parse(KS3_HTTP_PUT, "/", NULL, ""),
		  KS3_S3_METHOD_NOT_ALLOWED);
	/* CopyObject */
	parse(KS3_HTTP_PUT, "/b/k", "h", "");
	add_field("x-amz-copy-source", "/a/b");
	ASSERT_EQ(ks3_s3_parse(r, &http, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_COPY_OBJECT);
	/* harmless parameters are ignored */
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b/k?x-id=GetObject&response-content-type=a",
			NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->op, KS3_S3OP_GET_OBJECT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b/k?a=%zz", NULL, ""),
		  KS3_S3_INVALID_URI);
}

TEST(list_args)
{
	struct ks3_s3_list_args *l;

	ASSERT_EQ(parse(KS3_HTTP_GET,
			"/b?list-type=2&prefix=a%2Fb+c&delimiter=%2F&max-keys=5&encoding-type=url&fetch-owner=true&start-after=x",
			NULL, ""), KS3_S3_OK);
	l = &r->list;
	EXPECT_TRUE(l->v2);
	EXPECT_EQ(l->prefix_len, 5);
	EXPECT_MEMEQ(l->prefix, "a/b c", 5);
	EXPECT_EQ(l->delim_len, 1);
	EXPECT_EQ(l->max_keys, 5);
	EXPECT_TRUE(l->url_encode);
	EXPECT_TRUE(l->fetch_owner);
	EXPECT_TRUE(l->has_start_after);
	EXPECT_EQ(l->start_len, 1);
	EXPECT_EQ(l->start[0], 'x');

	ASSERT_EQ(parse(KS3_HTTP_GET, "/b?max-keys=100000", NULL, ""),
		  KS3_S3_OK);
	EXPECT_EQ(r->list.max_keys, 1000);
	EXPECT_FALSE(r->list.v2);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b?max-keys=0", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->list.max_keys, 0);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b", NULL, ""), KS3_S3_OK);
	EXPECT_EQ(r->list.max_keys, 1000);
	ASSERT_EQ(parse(KS3_HTTP_GET, "/b?marker=m1", NULL, ""), KS3_S3_OK);
	EXPECT_TRUE(r->list.has_marker);
	EXPECT_EQ(r->list.start_len, 2);

	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?max-keys=-1", NULL, ""),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?max-keys=abc", NULL, ""),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?max-keys=", NULL, ""),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?encoding-type=xml", NULL, ""),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?list-type=3", NULL, ""),
		  KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?list-type=2&continuation-token=%21",
			NULL, ""), KS3_S3_INVALID_ARGUMENT);
	EXPECT_EQ(parse(KS3_HTTP_GET, "/b?list-type=2&continuation-token=",
			NULL, ""), KS3_S3_INVALID_ARGUMENT);
}

TEST(continuation_token)
{
	static const char *const keys[] = {
		"a", "ab", "abc", "abcd", "photos/2024/\xe2\x82\xac.jpg",
	};
	char tok[64], back[64], target[128];
	unsigned int i;
	ssize_t n, m;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		n = ks3_s3_token_encode(keys[i], strlen(keys[i]), tok,
					sizeof(tok));
		ASSERT_TRUE(n > 0);
		m = ks3_s3_token_decode(tok, n, back, sizeof(back));
		EXPECT_EQ(m, (ssize_t)strlen(keys[i]));
		EXPECT_MEMEQ(back, keys[i], strlen(keys[i]));
	}
	/* through the query: '+' and '/' in the token are %-encoded */
	n = ks3_s3_token_encode("\xfb\xff", 2, tok, sizeof(tok));
	tok[n] = '\0';
	EXPECT_STREQ(tok, "+/8=");
	snprintf(target, sizeof(target),
		 "/b?list-type=2&continuation-token=%%2B%%2F8%%3D&start-after=zzz");
	ASSERT_EQ(parse(KS3_HTTP_GET, target, NULL, ""), KS3_S3_OK);
	EXPECT_TRUE(r->list.has_token);
	EXPECT_EQ(r->list.start_len, 2);
	EXPECT_MEMEQ(r->list.start, "\xfb\xff", 2);	/* token wins */
	EXPECT_EQ(r->list.token_raw_len, 4);
	/* non-canonical and malformed */
	EXPECT_EQ(ks3_s3_token_decode("YR==", 4, back, sizeof(back)), -EINVAL);
	EXPECT_EQ(ks3_s3_token_decode("YQ=", 3, back, sizeof(back)), -EINVAL);
	EXPECT_EQ(ks3_s3_token_decode("Y=Q=", 4, back, sizeof(back)), -EINVAL);
	EXPECT_EQ(ks3_s3_token_decode("YWJj", 4, back, 2), -EINVAL);
}

TEST(range)
{
	u64 a = 0, b = 0;

	EXPECT_EQ(ks3_range_parse("bytes=0-9", 9, 100, &a, &b), 1);
	EXPECT_EQ(a, 0);
	EXPECT_EQ(b, 9);
	EXPECT_EQ(ks3_range_parse("bytes=90-", 9, 100, &a, &b), 1);
	EXPECT_EQ(a, 90);
	EXPECT_EQ(b, 99);
	EXPECT_EQ(ks3_range_parse("bytes=-10", 9, 100, &a, &b), 1);
	EXPECT_EQ(a, 90);
	EXPECT_EQ(b, 99);
	EXPECT_EQ(ks3_range_parse("bytes=-1000", 11, 100, &a, &b), 1);
	EXPECT_EQ(a, 0);
	EXPECT_EQ(b, 99);
	EXPECT_EQ(ks3_range_parse("bytes=50-1000", 13, 100, &a, &b), 1);
	EXPECT_EQ(b, 99);
	EXPECT_EQ(ks3_range_parse("bytes=99-99", 11, 100, &a, &b), 1);
	EXPECT_EQ(a, 99);
	/* unsatisfiable */
	EXPECT_EQ(ks3_range_parse("bytes=100-", 10, 100, &a, &b), -ERANGE);
	EXPECT_EQ(ks3_range_parse("bytes=100-200", 13, 100, &a, &b), -ERANGE);
	EXPECT_EQ(ks3_range_parse("bytes=-0", 8, 100, &a, &b), -ERANGE);
	EXPECT_EQ(ks3_range_parse("bytes=0-", 8, 0, &a, &b), -ERANGE);
	/* ignored: whole object */
	EXPECT_EQ(ks3_range_parse("bytes=0-1,5-6", 13, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse("bytes=9-1", 9, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse("items=0-1", 9, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse("bytes=a-1", 9, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse("bytes=-", 7, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse("bytes=", 6, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse(NULL, 0, 100, &a, &b), 0);
	EXPECT_EQ(ks3_range_parse("bytes=99999999999999999999999-", 30, 100,
				  &a, &b), -ERANGE);
}

TEST(http_dates)
{
	char d[KS3_HTTP_DATE_LEN + 1], iso[25];
	s64 t;

	ks3_http_date(784111777, d);
	EXPECT_STREQ(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	ks3_http_date(0, d);
	EXPECT_STREQ(d, "Thu, 01 Jan 1970 00:00:00 GMT");
	ks3_http_date(951782400, d);			/* leap day */
	EXPECT_STREQ(d, "Tue, 29 Feb 2000 00:00:00 GMT");
	ks3_iso8601(1255369830, iso);
	EXPECT_STREQ(iso, "2009-10-12T17:50:30.000Z");

	EXPECT_EQ(ks3_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29,
				      &t), 0);
	EXPECT_EQ(t, 784111777);
	EXPECT_EQ(ks3_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", 30,
				      &t), 0);
	EXPECT_EQ(t, 784111777);
	EXPECT_EQ(ks3_http_date_parse("Sun Nov  6 08:49:37 1994", 24, &t), 0);
	EXPECT_EQ(t, 784111777);
	EXPECT_EQ(ks3_http_date_parse("Sun, 31 Feb 1994 08:49:37 GMT", 29,
				      &t), -EINVAL);
	EXPECT_EQ(ks3_http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", 29,
				      &t), -EINVAL);
	EXPECT_EQ(ks3_http_date_parse("yesterday", 9, &t), -EINVAL);
	EXPECT_EQ(ks3_http_date_parse("", 0, &t), -EINVAL);
	for (t = 0; t < 4000000000LL; t += 86399 * 37) {
		s64 back;

		ks3_http_date(t, d);
		ASSERT_EQ(ks3_http_date_parse(d, 29, &back), 0);
		ASSERT_EQ(back, t);
	}
}

TEST(etags)
{
	static const u8 md5[16] = {
		0x5d, 0x41, 0x40, 0x2a, 0xbc, 0x4b, 0x2a, 0x76,
		0xb9, 0x71, 0x9d, 0x91, 0x10, 0x17, 0xc5, 0x92,
	};
	char e[KS3_ETAG_MAX];

	EXPECT_EQ(ks3_etag(md5, 0, e), 34);
	EXPECT_STREQ(e, "\"5d41402abc4b2a76b9719d911017c592\"");
	ks3_etag(md5, 10000, e);
	EXPECT_STREQ(e, "\"5d41402abc4b2a76b9719d911017c592-10000\"");
	ks3_etag(md5, 4294967295U, e);
	EXPECT_STREQ(e, "\"5d41402abc4b2a76b9719d911017c592-4294967295\"");

	EXPECT_TRUE(ks3_etag_list_match("*", 1, "\"x\"", 3));
	EXPECT_TRUE(ks3_etag_list_match("\"x\"", 3, "\"x\"", 3));
	EXPECT_TRUE(ks3_etag_list_match("x", 1, "\"x\"", 3));
	EXPECT_TRUE(ks3_etag_list_match("\"a\", W/\"x\"", 10, "\"x\"", 3));
	EXPECT_FALSE(ks3_etag_list_match("\"a\",\"b\"", 7, "\"x\"", 3));
	EXPECT_FALSE(ks3_etag_list_match("", 0, "\"x\"", 3));
	EXPECT_FALSE(ks3_etag_list_match("\"xx\"", 4, "\"x\"", 3));
}

#define T0 "Sun, 06 Nov 1994 08:49:37 GMT"	/* = mtime below */
#define TB "Sat, 05 Nov 1994 08:49:37 GMT"	/* before */
#define TA "Mon, 07 Nov 1994 08:49:37 GMT"	/* after */

static int cond(const char *im, const char *inm, const char *ims,
		const char *ius)
{
	struct ks3_cond c = {
		.if_match = im, .if_match_len = im ? strlen(im) : 0,
		.if_none_match = inm, .if_none_match_len = inm ? strlen(inm) : 0,
		.if_modified_since = ims,
		.if_modified_since_len = ims ? strlen(ims) : 0,
		.if_unmodified_since = ius,
		.if_unmodified_since_len = ius ? strlen(ius) : 0,
	};

	return ks3_cond_eval(&c, "\"e\"", 3, 784111777);
}

TEST(conditional_precedence)
{
	EXPECT_EQ(cond(NULL, NULL, NULL, NULL), 0);
	/* If-Match */
	EXPECT_EQ(cond("\"e\"", NULL, NULL, NULL), 0);
	EXPECT_EQ(cond("\"z\"", NULL, NULL, NULL), 412);
	EXPECT_EQ(cond("*", NULL, NULL, NULL), 0);
	/* If-Unmodified-Since */
	EXPECT_EQ(cond(NULL, NULL, NULL, T0), 0);
	EXPECT_EQ(cond(NULL, NULL, NULL, TA), 0);
	EXPECT_EQ(cond(NULL, NULL, NULL, TB), 412);
	/* If-Match true + If-Unmodified-Since false: 200 (AWS) */
	EXPECT_EQ(cond("\"e\"", NULL, NULL, TB), 0);
	/* If-None-Match */
	EXPECT_EQ(cond(NULL, "\"e\"", NULL, NULL), 304);
	EXPECT_EQ(cond(NULL, "*", NULL, NULL), 304);
	EXPECT_EQ(cond(NULL, "\"z\"", NULL, NULL), 0);
	/* If-Modified-Since */
	EXPECT_EQ(cond(NULL, NULL, T0, NULL), 304);
	EXPECT_EQ(cond(NULL, NULL, TA, NULL), 304);
	EXPECT_EQ(cond(NULL, NULL, TB, NULL), 0);
	/* If-None-Match false + If-Modified-Since true: 304 (AWS) */
	EXPECT_EQ(cond(NULL, "\"z\"", TB, NULL), 0);
	EXPECT_EQ(cond(NULL, "\"e\"", TB, NULL), 304);
	/* If-None-Match decides over If-Modified-Since */
	EXPECT_EQ(cond(NULL, "\"z\"", TA, NULL), 0);
	/* 412 wins over 304 */
	EXPECT_EQ(cond("\"z\"", "\"e\"", NULL, NULL), 412);
	EXPECT_EQ(cond(NULL, "\"e\"", NULL, TB), 412);
	/* unparsable dates are ignored */
	EXPECT_EQ(cond(NULL, NULL, "garbage", NULL), 0);
	EXPECT_EQ(cond(NULL, NULL, NULL, "garbage"), 0);
}
