// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/s3/errors.c: the table (AWS codes and statuses),
 * the request id, and the XML error document.
 */
#include "s3/xml.c"
#include "s3/errors.c"
#include "unit.h"

TEST(table_complete)
{
	unsigned int i;

	for (i = 1; i < KS3_S3_NR_ERRORS; i++) {
		const struct ks3_s3_error_info *e = ks3_s3_error_info(i);

		EXPECT_NOT_NULL(e->code);
		EXPECT_NOT_NULL(e->message);
		EXPECT_GT(strlen(e->code), 0);
		EXPECT_GE(e->status, 300);
		EXPECT_LT(e->status, 600);
	}
	/* out of range: InternalError, never a crash */
	EXPECT_STREQ(ks3_s3_error_info(KS3_S3_NR_ERRORS)->code,
		     "InternalError");
	EXPECT_STREQ(ks3_s3_error_info((enum ks3_s3_err)-1)->code,
		     "InternalError");
}

TEST(aws_codes_and_statuses)
{
	static const struct {
		enum ks3_s3_err e;
		const char *code;
		u16 status;
	} t[] = {
		{ KS3_S3_ACCESS_DENIED, "AccessDenied", 403 },
		{ KS3_S3_AUTH_HEADER_MALFORMED, "AuthorizationHeaderMalformed", 400 },
		{ KS3_S3_BAD_DIGEST, "BadDigest", 400 },
		{ KS3_S3_BUCKET_EXISTS, "BucketAlreadyExists", 409 },
		{ KS3_S3_BUCKET_NOT_EMPTY, "BucketNotEmpty", 409 },
		{ KS3_S3_ENTITY_TOO_LARGE, "EntityTooLarge", 400 },
		{ KS3_S3_INVALID_ACCESS_KEY, "InvalidAccessKeyId", 403 },
		{ KS3_S3_INVALID_BUCKET_NAME, "InvalidBucketName", 400 },
		{ KS3_S3_INVALID_RANGE, "InvalidRange", 416 },
		{ KS3_S3_KEY_TOO_LONG, "KeyTooLongError", 400 },
		{ KS3_S3_METADATA_TOO_LARGE, "MetadataTooLarge", 400 },
		{ KS3_S3_MISSING_CONTENT_LENGTH, "MissingContentLength", 411 },
		{ KS3_S3_NO_SUCH_BUCKET, "NoSuchBucket", 404 },
		{ KS3_S3_NO_SUCH_KEY, "NoSuchKey", 404 },
		{ KS3_S3_NOT_IMPLEMENTED, "NotImplemented", 501 },
		{ KS3_S3_PRECONDITION_FAILED, "PreconditionFailed", 412 },
		{ KS3_S3_REQUEST_TIME_SKEWED, "RequestTimeTooSkewed", 403 },
		{ KS3_S3_SIGNATURE_MISMATCH, "SignatureDoesNotMatch", 403 },
		{ KS3_S3_SHA256_MISMATCH, "XAmzContentSHA256Mismatch", 400 },
		{ KS3_S3_INTERNAL_ERROR, "InternalError", 500 },
		{ KS3_S3_METHOD_NOT_ALLOWED, "MethodNotAllowed", 405 },
		{ KS3_S3_INVALID_LOCATION, "InvalidLocationConstraint", 400 },
		{ KS3_S3_MALFORMED_XML, "MalformedXML", 400 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		EXPECT_STREQ(ks3_s3_error_info(t[i].e)->code, t[i].code);
		EXPECT_EQ(ks3_s3_error_info(t[i].e)->status, t[i].status);
	}
}

TEST(only_internal_error_is_500)
{
	unsigned int i;

	for (i = 1; i < KS3_S3_NR_ERRORS; i++)
		if (i != KS3_S3_INTERNAL_ERROR)
			EXPECT_NE(ks3_s3_error_info(i)->status, 500);
}

TEST(request_id)
{
	char id[17];

	ks3_s3_request_id(0x1234abcdULL, id);
	EXPECT_STREQ(id, "000000001234ABCD");
	ks3_s3_request_id(~0ULL, id);
	EXPECT_STREQ(id, "FFFFFFFFFFFFFFFF");
}

TEST(document)
{
	static const char want[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<Error><Code>NoSuchKey</Code>"
		"<Message>The specified key does not exist.</Message>"
		"<Key>a&amp;b</Key>"
		"<Resource>/bkt/a&amp;b</Resource>"
		"<RequestId>00000000000000FF</RequestId>"
		"<HostId>00000000000000FF</HostId></Error>";
	struct ks3_s3_error e = {
		.err = KS3_S3_NO_SUCH_KEY,
		.resource = "/bkt/a&b", .resource_len = 8,
		.request_id = 255,
	};
	struct ks3_xml x;
	void *buf;
	size_t n;

	ks3_s3_error_add(&e, "Key", "a&b", 3);
	ks3_xml_init(&x, 65536);
	ks3_s3_error_xml(&x, &e);
	ASSERT_EQ(ks3_xml_take(&x, &buf, &n), 0);
	EXPECT_EQ(n, sizeof(want) - 1);
	EXPECT_MEMEQ(buf, want, sizeof(want) - 1);
	kvfree(buf);
}

TEST(message_override_and_extra_bound)
{
	struct ks3_s3_error e = {
		.err = KS3_S3_AUTH_HEADER_MALFORMED,
		.message = "expecting 'eu-west-1'",
	};
	struct ks3_xml x;
	void *buf;
	size_t n;
	int i;

	for (i = 0; i < 10; i++)
		ks3_s3_error_add(&e, "Region", "eu-west-1", 9);
	EXPECT_EQ(e.nr_extra, KS3_S3_ERROR_EXTRA_MAX);
	ks3_xml_init(&x, 65536);
	ks3_s3_error_xml(&x, &e);
	ASSERT_EQ(ks3_xml_take(&x, &buf, &n), 0);
	EXPECT_NOT_NULL(memmem(buf, n, "<Message>expecting &apos;eu-west-1&apos;</Message>",
			       strlen("<Message>expecting &apos;eu-west-1&apos;</Message>")));
	EXPECT_NULL(memmem(buf, n, "<Resource>", 10));
	kvfree(buf);
}
