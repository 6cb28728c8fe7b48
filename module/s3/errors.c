// SPDX-License-Identifier: GPL-2.0
/*
 * The S3 error table and the XML error document.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "errors.h"
#include "xml.h"

static const struct ks3_s3_error_info ks3_s3_errors[KS3_S3_NR_ERRORS] = {
	[KS3_S3_OK] = {
		.code = "", .status = 200,
		.message =
		"",
	},
	[KS3_S3_ACCESS_DENIED] = {
		.code = "AccessDenied", .status = 403,
		.message =
		"Access Denied",
	},
	[KS3_S3_AUTH_HEADER_MALFORMED] = {
		.code = "AuthorizationHeaderMalformed", .status = 400,
		.message =
		"The authorization header is malformed.",
	},
	[KS3_S3_AUTH_QUERY_ERROR] = {
		.code = "AuthorizationQueryParametersError", .status = 400,
		.message =
		"Error parsing the X-Amz-Credential parameter.",
	},
	/* A presigned URL signed for another region: denied, with a hint. */
	[KS3_S3_AUTH_QUERY_REGION] = {
		.code = "AuthorizationQueryParametersError", .status = 403,
		.message =
		"Error parsing the X-Amz-Credential parameter; the region is wrong.",
	},
	[KS3_S3_BAD_DIGEST] = {
		.code = "BadDigest", .status = 400,
		.message =
		"The Content-MD5 or checksum value that you specified did not match what the server received.",
	},
	[KS3_S3_BUCKET_EXISTS] = {
		.code = "BucketAlreadyExists", .status = 409,
		.message =
		"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
	},
	[KS3_S3_BUCKET_OWNED_BY_YOU] = {
		.code = "BucketAlreadyOwnedByYou", .status = 409,
		.message =
		"Your previous request to create the named bucket succeeded and you already own it.",
	},
	[KS3_S3_BUCKET_NOT_EMPTY] = {
		.code = "BucketNotEmpty", .status = 409,
		.message =
		"The bucket you tried to delete is not empty",
	},
	[KS3_S3_ENTITY_TOO_LARGE] = {
		.code = "EntityTooLarge", .status = 400,
		.message =
		"Your proposed upload exceeds the maximum allowed object size.",
	},
	[KS3_S3_INCOMPLETE_BODY] = {
		.code = "IncompleteBody", .status = 400,
		.message =
		"You did not provide the number of bytes specified by the Content-Length HTTP header.",
	},
	[KS3_S3_INTERNAL_ERROR] = {
		.code = "InternalError", .status = 500,
		.message =
		"We encountered an internal error. Please try again.",
	},
	[KS3_S3_INVALID_ACCESS_KEY] = {
		.code = "InvalidAccessKeyId", .status = 403,
		.message =
		"The AWS Access Key Id you provided does not exist in our records.",
	},
	[KS3_S3_INVALID_ARGUMENT] = {
		.code = "InvalidArgument", .status = 400,
		.message =
		"Invalid Argument",
	},
	[KS3_S3_INVALID_BUCKET_NAME] = {
		.code = "InvalidBucketName", .status = 400,
		.message =
		"The specified bucket is not valid.",
	},
	[KS3_S3_INVALID_DIGEST] = {
		.code = "InvalidDigest", .status = 400,
		.message =
		"The Content-MD5 you specified is not valid.",
	},
	[KS3_S3_INVALID_LOCATION] = {
		.code = "InvalidLocationConstraint", .status = 400,
		.message =
		"The specified location-constraint is not valid",
	},
	[KS3_S3_INVALID_RANGE] = {
		.code = "InvalidRange", .status = 416,
		.message =
		"The requested range is not satisfiable",
	},
	[KS3_S3_INVALID_REQUEST] = {
		.code = "InvalidRequest", .status = 400,
		.message =
		"Invalid Request",
	},
	[KS3_S3_INVALID_URI] = {
		.code = "InvalidURI", .status = 400,
		.message =
		"Couldn't parse the specified URI.",
	},
	[KS3_S3_KEY_TOO_LONG] = {
		.code = "KeyTooLongError", .status = 400,
		.message =
		"Your key is too long",
	},
	[KS3_S3_MALFORMED_XML] = {
		.code = "MalformedXML", .status = 400,
		.message =
		"The XML you provided was not well-formed or did not validate against our published schema",
	},
	[KS3_S3_METADATA_TOO_LARGE] = {
		.code = "MetadataTooLarge", .status = 400,
		.message =
		"Your metadata headers exceed the maximum allowed metadata size",
	},
	[KS3_S3_METHOD_NOT_ALLOWED] = {
		.code = "MethodNotAllowed", .status = 405,
		.message =
		"The specified method is not allowed against this resource.",
	},
	[KS3_S3_MISSING_CONTENT_LENGTH] = {
		.code = "MissingContentLength", .status = 411,
		.message =
		"You must provide the Content-Length HTTP header.",
	},
	[KS3_S3_NO_SUCH_BUCKET] = {
		.code = "NoSuchBucket", .status = 404,
		.message =
		"The specified bucket does not exist",
	},
	[KS3_S3_NO_SUCH_KEY] = {
		.code = "NoSuchKey", .status = 404,
		.message =
		"The specified key does not exist.",
	},
	[KS3_S3_NOT_IMPLEMENTED] = {
		.code = "NotImplemented", .status = 501,
		.message =
		"A header or query you provided implies functionality that is not implemented",
	},
	[KS3_S3_NOT_MODIFIED] = {
		.code = "NotModified", .status = 304,
		.message =
		"Not Modified",
	},
	[KS3_S3_PRECONDITION_FAILED] = {
		.code = "PreconditionFailed", .status = 412,
		.message =
		"At least one of the pre-conditions you specified did not hold",
	},
	[KS3_S3_REQUEST_TIME_SKEWED] = {
		.code = "RequestTimeTooSkewed", .status = 403,
		.message =
		"The difference between the request time and the current time is too large.",
	},
	[KS3_S3_SIGNATURE_MISMATCH] = {
		.code = "SignatureDoesNotMatch", .status = 403,
		.message =
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.",
	},
	[KS3_S3_SERVICE_UNAVAILABLE] = {
		.code = "ServiceUnavailable", .status = 503,
		.message =
		"No store is attached.",
	},
	[KS3_S3_URI_TOO_LONG] = {
		.code = "RequestURITooLong", .status = 414,
		.message = "The request URI is longer than this server accepts.",
	},
	[KS3_S3_SLOW_DOWN] = {
		.code = "SlowDown", .status = 503,
		.message = "Please reduce your request rate.",
	},
	[KS3_S3_SHA256_MISMATCH] = {
		.code = "XAmzContentSHA256Mismatch", .status = 400,
		.message =
		"The provided 'x-amz-content-sha256' header does not match what was computed.",
	},
	[KS3_S3_QUOTA_EXCEEDED] = {
		.code = "QuotaExceeded", .status = 403,
		.message =
		"The bucket's quota does not allow this object.",
	},
	[KS3_S3_STORAGE_FULL] = {
		.code = "InsufficientStorage", .status = 507,
		.message =
		"The store has no space left for this object.",
	},
	[KS3_S3_CONDITIONAL_CONFLICT] = {
		.code = "ConditionalRequestConflict", .status = 409,
		.message =
		"A conflicting operation occurred. If using PutObject you can retry the request.",
	},
	[KS3_S3_INVALID_ENCRYPTION] = {
		.code = "InvalidEncryptionAlgorithmError", .status = 400,
		.message =
		"Server-side encryption is not supported.",
	},
	[KS3_S3_INVALID_TOKEN] = {
		.code = "InvalidToken", .status = 400,
		.message =
		"The provided token is malformed or otherwise invalid.",
	},
	[KS3_S3_TOO_MANY_BUCKETS] = {
		.code = "TooManyBuckets", .status = 400,
		.message =
		"You have attempted to create more buckets than allowed",
	},
	[KS3_S3_NO_SUCH_UPLOAD] = {
		.code = "NoSuchUpload", .status = 404,
		.message =
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
	},
	[KS3_S3_INVALID_PART] = {
		.code = "InvalidPart", .status = 400,
		.message =
		"One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
	},
	[KS3_S3_INVALID_PART_ORDER] = {
		.code = "InvalidPartOrder", .status = 400,
		.message =
		"The list of parts was not in ascending order. Parts must be ordered by part number.",
	},
	[KS3_S3_ENTITY_TOO_SMALL] = {
		.code = "EntityTooSmall", .status = 400,
		.message =
		"Your proposed upload is smaller than the minimum allowed object size.",
	},
	[KS3_S3_BAD_REQUEST] = {
		.code = "BadRequest", .status = 400,
		.message =
		"An error occurred when parsing the HTTP request.",
	},
	[KS3_S3_HEADER_TOO_LARGE] = {
		.code = "RequestHeaderSectionTooLarge", .status = 400,
		.message =
		"Your request header section exceeds the maximum allowed size.",
	},
	[KS3_S3_HTTP_VERSION] = {
		.code = "HttpVersionNotSupported", .status = 505,
		.message =
		"The HTTP version specified is not supported.",
	},
};

const struct ks3_s3_error_info *ks3_s3_error_info(enum ks3_s3_err e)
{
	if ((unsigned int)e >= KS3_S3_NR_ERRORS || e == KS3_S3_OK)
		return &ks3_s3_errors[KS3_S3_INTERNAL_ERROR];
	return &ks3_s3_errors[e];
}

void ks3_s3_error_add(struct ks3_s3_error *e, const char *name,
		      const char *value, size_t value_len)
{
	if (e->nr_extra >= KS3_S3_ERROR_EXTRA_MAX)
		return;
	e->extra[e->nr_extra].name = name;
	e->extra[e->nr_extra].value = value;
	e->extra[e->nr_extra].value_len = value_len;
	e->nr_extra++;
}

void ks3_s3_request_id(u64 id, char out[17])
{
	static const char hex[] = "0123456789ABCDEF";
	int i;

	for (i = 15; i >= 0; i--) {
		out[i] = hex[id & 0xf];
		id >>= 4;
	}
	out[16] = '\0';
}

void ks3_s3_error_xml(struct ks3_xml *x, const struct ks3_s3_error *e)
{
	const struct ks3_s3_error_info *info = ks3_s3_error_info(e->err);
	char rid[17];
	u8 i;

	ks3_s3_request_id(e->request_id, rid);
	ks3_xml_str(x, KS3_XML_PROLOG);
	ks3_xml_open(x, "Error");
	ks3_xml_elem_str(x, "Code", info->code);
	ks3_xml_elem_str(x, "Message", e->message ? e->message : info->message);
	for (i = 0; i < e->nr_extra && i < KS3_S3_ERROR_EXTRA_MAX; i++)
		ks3_xml_elem(x, e->extra[i].name, e->extra[i].value,
			     e->extra[i].value_len);
	if (e->resource)
		ks3_xml_elem(x, "Resource", e->resource, e->resource_len);
	ks3_xml_elem_str(x, "RequestId", rid);
	ks3_xml_elem_str(x, "HostId", rid);
	ks3_xml_close(x, "Error");
}
