// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/s3/meta.c: metadata from request headers (standard
 * fields, x-amz-meta-*, the 2 KiB bound, aws-chunked stripped), encode and
 * decode round trips, malformed blobs.
 */
#include <stdlib.h>

#include "http/parse.c"
#include "s3/meta.c"
#include "unit.h"

static struct ks3_http_request req;

static void field(const char *name, const char *value)
{
	struct ks3_http_field *f = &req.fields[req.nr_fields++];

	f->name = name;
	f->name_len = strlen(name);
	f->value = value;
	f->value_len = strlen(value);
}

static struct ks3_meta *meta_new(void)
{
	struct ks3_meta *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	return m;
}

static bool str_is(const struct ks3_meta_str *s, const char *want)
{
	if (!want)
		return !s->len;
	return s->len == strlen(want) && !memcmp(s->p, want, s->len);
}

TEST(standard_and_user_fields)
{
	struct ks3_meta *m = meta_new(), *d = meta_new();
	u8 buf[8192];
	ssize_t n;

	memset(&req, 0, sizeof(req));
	field("Content-Type", "text/plain");
	field("CACHE-CONTROL", "max-age=60");
	field("X-Amz-Meta-Color", "blue");
	field("x-amz-meta-empty", "");
	field("Expires", "Thu, 01 Dec 1994 16:00:00 GMT");
	field("Content-Disposition", "attachment; filename=\"a.txt\"");
	field("Content-Language", "en");
	field("Authorization", "not metadata");
	ASSERT_EQ(ks3_meta_from_request(&req, m), KS3_S3_OK);
	EXPECT_TRUE(str_is(&m->std[KS3_META_CONTENT_TYPE], "text/plain"));
	EXPECT_TRUE(str_is(&m->std[KS3_META_CACHE_CONTROL], "max-age=60"));
	EXPECT_EQ(m->nr_user, 2);
	EXPECT_MEMEQ(m->user[0].name, "color", 5);
	m->cksum_algo = KS3_CKSUM_CRC32C;
	m->cksum_len = 4;
	memcpy(m->cksum, "\x01\x02\x03\x04", 4);

	n = ks3_meta_encode(m, buf, sizeof(buf));
	ASSERT_TRUE(n > 0);
	ASSERT_EQ(ks3_meta_decode(buf, n, d), 0);
	EXPECT_TRUE(str_is(&d->std[KS3_META_CONTENT_TYPE], "text/plain"));
	EXPECT_TRUE(str_is(&d->std[KS3_META_EXPIRES],
			   "Thu, 01 Dec 1994 16:00:00 GMT"));
	EXPECT_TRUE(str_is(&d->std[KS3_META_CONTENT_DISPOSITION],
			   "attachment; filename=\"a.txt\""));
	EXPECT_TRUE(str_is(&d->std[KS3_META_CONTENT_LANGUAGE], "en"));
	EXPECT_TRUE(str_is(&d->std[KS3_META_CONTENT_ENCODING], NULL));
	ASSERT_EQ(d->nr_user, 2);
	EXPECT_EQ(d->user[0].name_len, 5);
	EXPECT_MEMEQ(d->user[0].name, "color", 5);
	EXPECT_EQ(d->user[0].value_len, 4);
	EXPECT_MEMEQ(d->user[0].value, "blue", 4);
	EXPECT_EQ(d->user[1].value_len, 0);
	EXPECT_EQ(d->cksum_algo, KS3_CKSUM_CRC32C);
	EXPECT_EQ(d->cksum_len, 4);
	EXPECT_MEMEQ(d->cksum, "\x01\x02\x03\x04", 4);
	free(m);
	free(d);
}

TEST(aws_chunked_stripped)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "aws-chunked", NULL },
		{ "AWS-Chunked", NULL },
		{ "aws-chunked,gzip", "gzip" },
		{ "gzip, aws-chunked", "gzip" },
		{ "gzip , aws-chunked , br", "gzip,br" },
		{ "gzip", "gzip" },
		{ "gzip, br", "gzip, br" },
	};
	struct ks3_meta *m = meta_new();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		memset(&req, 0, sizeof(req));
		field("Content-Encoding", t[i].in);
		ASSERT_EQ(ks3_meta_from_request(&req, m), KS3_S3_OK);
		if (!str_is(&m->std[KS3_META_CONTENT_ENCODING], t[i].want))
			unit_fail(__FILE__, __LINE__, "\"%s\": got \"%.*s\"",
				  t[i].in,
				  (int)m->std[KS3_META_CONTENT_ENCODING].len,
				  m->std[KS3_META_CONTENT_ENCODING].p);
	}
	free(m);
}

TEST(user_metadata_2k_bound)
{
	static char big[2100];
	struct ks3_meta *m = meta_new();

	/* name "k" (1) + 2047 value bytes = 2048: allowed */
	memset(big, 'v', 2047);
	big[2047] = '\0';
	memset(&req, 0, sizeof(req));
	field("x-amz-meta-k", big);
	EXPECT_EQ(ks3_meta_from_request(&req, m), KS3_S3_OK);
	/* one more byte: MetadataTooLarge */
	big[2047] = 'v';
	big[2048] = '\0';
	memset(&req, 0, sizeof(req));
	field("x-amz-meta-k", big);
	EXPECT_EQ(ks3_meta_from_request(&req, m), KS3_S3_METADATA_TOO_LARGE);
	/* spread over fields */
	memset(&req, 0, sizeof(req));
	big[1023] = '\0';
	field("x-amz-meta-a", big);
	field("x-amz-meta-b", big);
	EXPECT_EQ(ks3_meta_from_request(&req, m), KS3_S3_OK);
	field("x-amz-meta-c", "x");
	EXPECT_EQ(ks3_meta_from_request(&req, m), KS3_S3_METADATA_TOO_LARGE);
	/* empty name */
	memset(&req, 0, sizeof(req));
	field("x-amz-meta-", "v");
	EXPECT_EQ(ks3_meta_from_request(&req, m), KS3_S3_INVALID_ARGUMENT);
	free(m);
}

TEST(encode_bound)
{
	struct ks3_meta *m = meta_new();
	u8 buf[16];

	memset(&req, 0, sizeof(req));
	field("Content-Type", "application/octet-stream");
	ASSERT_EQ(ks3_meta_from_request(&req, m), KS3_S3_OK);
	EXPECT_EQ(ks3_meta_encode(m, buf, sizeof(buf)), -E2BIG);
	EXPECT_EQ(ks3_meta_encode(m, buf, 0), -E2BIG);
	free(m);
}

TEST(empty_blob_is_no_metadata)
{
	struct ks3_meta *m = meta_new();

	EXPECT_EQ(ks3_meta_decode(NULL, 0, m), 0);
	EXPECT_EQ(m->nr_user, 0);
	EXPECT_EQ(m->cksum_algo, KS3_CKSUM_NONE);
	free(m);
}

TEST(malformed_blobs)
{
	static const struct {
		const char *b;
		size_t len;
	} t[] = {
		{ "\x02", 1 },				/* version */
		{ "\x01\x01", 2 },			/* short header */
		{ "\x01\x01\x05\x00" "abc", 7 },	/* length past end */
		{ "\x01\x20\x01\x00" "\x05", 5 },	/* user name past record */
		{ "\x01\x20\x01\x00" "\x00", 5 },	/* empty user name */
		{ "\x01\x21\x02\x00" "\x02\x00", 6 },	/* crc32 of 1 byte */
		{ "\x01\x21\x05\x00" "\x09\x00\x00\x00\x00", 9 }, /* algo */
	};
	struct ks3_meta *m = meta_new();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		u8 *copy = malloc(t[i].len);

		memcpy(copy, t[i].b, t[i].len);
		if (ks3_meta_decode(copy, t[i].len, m) != -EINVAL)
			unit_fail(__FILE__, __LINE__, "blob %u accepted", i);
		free(copy);
	}
	/* an unknown record type is skipped */
	{
		u8 ok[] = { 1, 0x7f, 1, 0, 'x', 0x01, 2, 0, 'a', 'b' };

		EXPECT_EQ(ks3_meta_decode(ok, sizeof(ok), m), 0);
		EXPECT_TRUE(str_is(&m->std[KS3_META_CONTENT_TYPE], "ab"));
	}
	free(m);
}
