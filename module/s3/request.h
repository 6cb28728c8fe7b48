/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An S3 request as the router sees it: the bucket and key (path-style
 * "/bucket/key" or virtual-hosted "Host: bucket.<domain>"), percent-decoded,
 * the query parsed once, the operation it names, and the arguments of the
 * listing operations. Pure code (router.c): no store, no locks, no
 * allocation; unit-tested and fuzzed in userland.
 */
#ifndef _KS3_S3_REQUEST_H
#define _KS3_S3_REQUEST_H

#include <linux/types.h>
#include <linux/ks3_disk.h>

#include "errors.h"
#include "uri.h"

struct ks3_http_request;

enum ks3_s3_op {
	KS3_S3OP_NONE,
	KS3_S3OP_LIST_BUCKETS,
	KS3_S3OP_CREATE_BUCKET,
	KS3_S3OP_DELETE_BUCKET,
	KS3_S3OP_HEAD_BUCKET,
	KS3_S3OP_GET_BUCKET_LOCATION,
	KS3_S3OP_LIST_OBJECTS,
	KS3_S3OP_LIST_OBJECTS_V2,
	KS3_S3OP_PUT_OBJECT,
	KS3_S3OP_GET_OBJECT,
	KS3_S3OP_HEAD_OBJECT,
	KS3_S3OP_DELETE_OBJECT,
	KS3_S3OP_COPY_OBJECT,
	KS3_S3OP_DELETE_OBJECTS,
	KS3_S3OP_CREATE_MULTIPART,
	KS3_S3OP_UPLOAD_PART,
	KS3_S3OP_UPLOAD_PART_COPY,
	KS3_S3OP_COMPLETE_MULTIPART,
	KS3_S3OP_ABORT_MULTIPART,
	KS3_S3OP_LIST_PARTS,
	KS3_S3OP_LIST_MULTIPART_UPLOADS,
	KS3_S3OP_GET_OBJECT_TAGGING,
	KS3_S3OP_NR
};

/* "ListBuckets", ... (for logs and tests) */
const char *ks3_s3_op_name(enum ks3_s3_op op);

#define KS3_S3_QUERY_MAX	64	/* query parameters per request */
#define KS3_S3_LIST_MAX_KEYS	1000
/* Room for a prefix, marker or delimiter: longer ones are refused. */
#define KS3_S3_ARG_MAX		KS3_OBJECT_KEY_MAX

struct ks3_s3_list_args {
	bool v2;
	bool url_encode;		/* encoding-type=url */
	bool fetch_owner;
	bool has_token;			/* continuation-token given */
	bool has_start_after;
	bool has_marker;
	u32 max_keys;			/* capped at 1000 */
	u16 prefix_len;
	u16 delim_len;
	u16 start_len;			/* the key to resume after */
	u16 token_raw_len;
	u16 start_after_len;
	char prefix[KS3_S3_ARG_MAX];
	char delim[KS3_S3_ARG_MAX];
	/* marker (v1), or the key the token stands for, else start-after */
	char start[KS3_S3_ARG_MAX];
	/* start-after as given (v2 echoes it) */
	char start_after[KS3_S3_ARG_MAX];
	/* the continuation token as received (decoded), echoed back */
	char token_raw[KS3_S3_ARG_MAX * 4 / 3 + 8];
};

struct ks3_s3_request {
	enum ks3_s3_op op;
	enum ks3_s3_err err;		/* why parsing failed */
	const char *err_msg;		/* a specific message, or NULL */
	bool vhost;			/* bucket from the Host field */
	bool has_bucket;
	u8 bucket_len;
	u16 key_len;
	char bucket[KS3_BUCKET_NAME_LEN_MAX + 1];	/* NUL-terminated */
	char key[KS3_OBJECT_KEY_MAX];
	unsigned int nr_params;
	struct ks3_query_param params[KS3_S3_QUERY_MAX];
	struct ks3_s3_list_args list;
};

/*
 * Parses @http's target and Host into @r and names the operation.
 * @vhost_domain ("" for path style only) is the virtual-host domain.
 * Returns KS3_S3_OK, or the error to answer (r->err too, r->err_msg may
 * give the message): a malformed path or query (InvalidURI), a key over
 * 1024 bytes (KeyTooLongError), a bucket name over 63 bytes
 * (InvalidBucketName), bad listing arguments (InvalidArgument), a
 * sub-resource or method ks3 does not serve (NotImplemented,
 * MethodNotAllowed).
 */
enum ks3_s3_err ks3_s3_parse(struct ks3_s3_request *r,
			     const struct ks3_http_request *http,
			     const char *vhost_domain);

/* The query parameter @name, decoded into @buf; -ENOENT if absent. */
ssize_t ks3_s3_param(const struct ks3_s3_request *r, const char *name,
		     char *buf, size_t size);
bool ks3_s3_has_param(const struct ks3_s3_request *r, const char *name);

/*
 * Continuation tokens: base64 of the key a page ended with. Encode
 * returns the length written (no NUL); decode the key length, or
 * -EINVAL for a token that is not one of ours.
 */
ssize_t ks3_s3_token_encode(const char *key, size_t len, char *out,
			    size_t size);
ssize_t ks3_s3_token_decode(const char *tok, size_t len, char *out,
			    size_t size);

#endif /* _KS3_S3_REQUEST_H */
