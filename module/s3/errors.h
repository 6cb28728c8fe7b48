/* SPDX-License-Identifier: GPL-2.0 */
/*
 * S3 errors: AWS's code, HTTP status and default message for each, and
 * the XML error document. A 500 (InternalError) always means a bug or a
 * failed read of stored data, never a client mistake.
 *
 * Two errors are ks3's own choices, as AWS has no equivalent:
 *  - a bucket quota (-EDQUOT from storage): 403 QuotaExceeded, as Ceph RGW
 *    answers; clients do not retry it.
 *  - a full device (-ENOSPC): 507 InsufficientStorage (RFC 4918); SDKs do
 *    not retry a 507, and the message says what happened.
 * A store that is read-only (an I/O error) or not attached answers 503
 * ServiceUnavailable with a message saying which.
 */
#ifndef _KS3_S3_ERRORS_H
#define _KS3_S3_ERRORS_H

#include <linux/types.h>

struct ks3_xml;

enum ks3_s3_err {
	KS3_S3_OK = 0,
	KS3_S3_ACCESS_DENIED,
	KS3_S3_AUTH_HEADER_MALFORMED,
	KS3_S3_AUTH_QUERY_ERROR,
	KS3_S3_AUTH_QUERY_REGION,
	KS3_S3_BAD_DIGEST,
	KS3_S3_BUCKET_EXISTS,
	KS3_S3_BUCKET_OWNED_BY_YOU,
	KS3_S3_BUCKET_NOT_EMPTY,
	KS3_S3_ENTITY_TOO_LARGE,
	KS3_S3_INCOMPLETE_BODY,
	KS3_S3_INTERNAL_ERROR,
	KS3_S3_INVALID_ACCESS_KEY,
	KS3_S3_INVALID_ARGUMENT,
	KS3_S3_INVALID_BUCKET_NAME,
	KS3_S3_INVALID_DIGEST,
	KS3_S3_INVALID_LOCATION,
	KS3_S3_INVALID_RANGE,
	KS3_S3_INVALID_REQUEST,
	KS3_S3_INVALID_URI,
	KS3_S3_KEY_TOO_LONG,
	KS3_S3_MALFORMED_XML,
	KS3_S3_METADATA_TOO_LARGE,
	KS3_S3_METHOD_NOT_ALLOWED,
	KS3_S3_MISSING_CONTENT_LENGTH,
	KS3_S3_NO_SUCH_BUCKET,
	KS3_S3_NO_SUCH_KEY,
	KS3_S3_NOT_IMPLEMENTED,
	KS3_S3_NOT_MODIFIED,
	KS3_S3_PRECONDITION_FAILED,
	KS3_S3_REQUEST_TIME_SKEWED,
	KS3_S3_SIGNATURE_MISMATCH,
	KS3_S3_SERVICE_UNAVAILABLE,
	KS3_S3_SLOW_DOWN,
	KS3_S3_SHA256_MISMATCH,
	KS3_S3_QUOTA_EXCEEDED,
	KS3_S3_STORAGE_FULL,
	KS3_S3_CONDITIONAL_CONFLICT,
	KS3_S3_INVALID_ENCRYPTION,
	KS3_S3_INVALID_TOKEN,
	KS3_S3_TOO_MANY_BUCKETS,
	KS3_S3_NO_SUCH_UPLOAD,
	KS3_S3_INVALID_PART,
	KS3_S3_INVALID_PART_ORDER,
	KS3_S3_ENTITY_TOO_SMALL,
	/* What the connection finds before S3 sees a request */
	KS3_S3_BAD_REQUEST,
	KS3_S3_HEADER_TOO_LARGE,
	KS3_S3_URI_TOO_LONG,
	KS3_S3_HTTP_VERSION,
	KS3_S3_NR_ERRORS
};

struct ks3_s3_error_info {
	const char *code;
	u16 status;
	const char *message;
};

/* The table entry of @e; InternalError's for an out-of-range value. */
const struct ks3_s3_error_info *ks3_s3_error_info(enum ks3_s3_err e);

/* Extra elements some errors carry (BucketName, Key, Region, ...). */
#define KS3_S3_ERROR_EXTRA_MAX	4

struct ks3_s3_error_extra {
	const char *name;
	const char *value;
	size_t value_len;
};

/* What an error document says about one failed request. */
struct ks3_s3_error {
	enum ks3_s3_err err;
	const char *message;		/* NULL: the table's */
	const char *resource;		/* the request path, decoded */
	size_t resource_len;
	u64 request_id;
	u8 nr_extra;
	struct ks3_s3_error_extra extra[KS3_S3_ERROR_EXTRA_MAX];
};

/* Adds an extra element (dropped beyond KS3_S3_ERROR_EXTRA_MAX). */
void ks3_s3_error_add(struct ks3_s3_error *e, const char *name,
		      const char *value, size_t value_len);

/*
 * The request id as AWS clients show it: 16 upper-case hex digits, NUL
 * terminated, in @out (at least 17 bytes). The error document's RequestId
 * and the x-amz-request-id header use the same.
 */
void ks3_s3_request_id(u64 id, char out[17]);

/* Writes the <Error> document for @e into @x (prolog included). */
void ks3_s3_error_xml(struct ks3_xml *x, const struct ks3_s3_error *e);

#endif /* _KS3_S3_ERRORS_H */
