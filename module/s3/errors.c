// SPDX-License-Identifier: GPL-2.0
/*
 * The S3 error table and the XML error document.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "errors.h"
#include "xml.h"

#define E(id, c, st, m) [id] = { .code = c, .status = st, .message = m }

static const struct ks3_s3_error_info ks3_s3_errors[KS3_S3_NR_ERRORS] = {
	E(KS3_S3_OK, "", 200, ""),
	E(KS3_S3_ACCESS_DENIED, "AccessDenied", 403, "Access Denied"),
	E(KS3_S3_AUTH_HEADER_MALFORMED, "AuthorizationHeaderMalformed", 400,
	  "The authorization header is malformed."),
	E(KS3_S3_AUTH_QUERY_ERROR, "AuthorizationQueryParametersError", 400,
	  "Error parsing the X-Amz-Credential parameter."),
	E(KS3_S3_BAD_DIGEST, "BadDigest", 400,
	  "The Content-MD5 or checksum value that you specified did not match what the server received."),
	E(KS3_S3_BUCKET_EXISTS, "BucketAlreadyExists", 409,
	  "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again."),
	E(KS3_S3_BUCKET_OWNED_BY_YOU, "BucketAlreadyOwnedByYou", 409,
	  "Your previous request to create the named bucket succeeded and you already own it."),
	E(KS3_S3_BUCKET_NOT_EMPTY, "BucketNotEmpty", 409,
	  "The bucket you tried to delete is not empty"),
	E(KS3_S3_ENTITY_TOO_LARGE, "EntityTooLarge", 400,
	  "Your proposed upload exceeds the maximum allowed object size."),
	E(KS3_S3_INCOMPLETE_BODY, "IncompleteBody", 400,
	  "You did not provide the number of bytes specified by the Content-Length HTTP header."),
	E(KS3_S3_INTERNAL_ERROR, "InternalError", 500,
	  "We encountered an internal error. Please try again."),
	E(KS3_S3_INVALID_ACCESS_KEY, "InvalidAccessKeyId", 403,
	  "The AWS Access Key Id you provided does not exist in our records."),
	E(KS3_S3_INVALID_ARGUMENT, "InvalidArgument", 400, "Invalid Argument"),
	E(KS3_S3_INVALID_BUCKET_NAME, "InvalidBucketName", 400,
	  "The specified bucket is not valid."),
	E(KS3_S3_INVALID_DIGEST, "InvalidDigest", 400,
	  "The Content-MD5 you specified is not valid."),
	E(KS3_S3_INVALID_LOCATION, "InvalidLocationConstraint", 400,
	  "The specified location-constraint is not valid"),
	E(KS3_S3_INVALID_RANGE, "InvalidRange", 416,
	  "The requested range is not satisfiable"),
	E(KS3_S3_INVALID_REQUEST, "InvalidRequest", 400, "Invalid Request"),
	E(KS3_S3_INVALID_URI, "InvalidURI", 400,
	  "Couldn't parse the specified URI."),
	E(KS3_S3_KEY_TOO_LONG, "KeyTooLongError", 400, "Your key is too long"),
	E(KS3_S3_MALFORMED_XML, "MalformedXML", 400,
	  "The XML you provided was not well-formed or did not validate against our published schema"),
	E(KS3_S3_METADATA_TOO_LARGE, "MetadataTooLarge", 400,
	  "Your metadata headers exceed the maximum allowed metadata size"),
	E(KS3_S3_METHOD_NOT_ALLOWED, "MethodNotAllowed", 405,
	  "The specified method is not allowed against this resource."),
	E(KS3_S3_MISSING_CONTENT_LENGTH, "MissingContentLength", 411,
	  "You must provide the Content-Length HTTP header."),
	E(KS3_S3_NO_SUCH_BUCKET, "NoSuchBucket", 404,
	  "The specified bucket does not exist"),
	E(KS3_S3_NO_SUCH_KEY, "NoSuchKey", 404,
	  "The specified key does not exist."),
	E(KS3_S3_NOT_IMPLEMENTED, "NotImplemented", 501,
	  "A header or query you provided implies functionality that is not implemented"),
	E(KS3_S3_NOT_MODIFIED, "NotModified", 304, "Not Modified"),
	E(KS3_S3_PRECONDITION_FAILED, "PreconditionFailed", 412,
	  "At least one of the pre-conditions you specified did not hold"),
	E(KS3_S3_REQUEST_TIME_SKEWED, "RequestTimeTooSkewed", 403,
	  "The difference between the request time and the current time is too large."),
	E(KS3_S3_SIGNATURE_MISMATCH, "SignatureDoesNotMatch", 403,
	  "The request signature we calculated does not match the signature you provided. Check your key and signing method."),
	E(KS3_S3_SERVICE_UNAVAILABLE, "ServiceUnavailable", 503,
	  "No store is attached."),
	E(KS3_S3_SHA256_MISMATCH, "XAmzContentSHA256Mismatch", 400,
	  "The provided 'x-amz-content-sha256' header does not match what was computed."),
	E(KS3_S3_QUOTA_EXCEEDED, "QuotaExceeded", 403,
	  "The bucket's quota does not allow this object."),
	E(KS3_S3_STORAGE_FULL, "InsufficientStorage", 507,
	  "The store has no space left for this object."),
	E(KS3_S3_CONDITIONAL_CONFLICT, "ConditionalRequestConflict", 409,
	  "A conflicting operation occurred. If using PutObject you can retry the request."),
	E(KS3_S3_INVALID_ENCRYPTION, "InvalidEncryptionAlgorithmError", 400,
	  "Server-side encryption is not supported."),
};

#undef E

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
