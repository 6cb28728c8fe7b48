// SPDX-License-Identifier: GPL-2.0
/*
 * S3 request routing: bucket and key from the path or the Host field, the
 * query parsed once, the operation, and the listing arguments. Pure code,
 * bounded by the request head: no recursion, every loop over the input.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "http/http.h"
#include "checksum.h"
#include "request.h"
#include "uri.h"

static const char *const ks3_s3_op_names[KS3_S3OP_NR] = {
	[KS3_S3OP_NONE] = "None",
	[KS3_S3OP_LIST_BUCKETS] = "ListBuckets",
	[KS3_S3OP_CREATE_BUCKET] = "CreateBucket",
	[KS3_S3OP_DELETE_BUCKET] = "DeleteBucket",
	[KS3_S3OP_HEAD_BUCKET] = "HeadBucket",
	[KS3_S3OP_GET_BUCKET_LOCATION] = "GetBucketLocation",
	[KS3_S3OP_LIST_OBJECTS] = "ListObjects",
	[KS3_S3OP_LIST_OBJECTS_V2] = "ListObjectsV2",
	[KS3_S3OP_PUT_OBJECT] = "PutObject",
	[KS3_S3OP_GET_OBJECT] = "GetObject",
	[KS3_S3OP_HEAD_OBJECT] = "HeadObject",
	[KS3_S3OP_DELETE_OBJECT] = "DeleteObject",
	[KS3_S3OP_COPY_OBJECT] = "CopyObject",
	[KS3_S3OP_DELETE_OBJECTS] = "DeleteObjects",
	[KS3_S3OP_CREATE_MULTIPART] = "CreateMultipartUpload",
	[KS3_S3OP_UPLOAD_PART] = "UploadPart",
	[KS3_S3OP_UPLOAD_PART_COPY] = "UploadPartCopy",
	[KS3_S3OP_COMPLETE_MULTIPART] = "CompleteMultipartUpload",
	[KS3_S3OP_ABORT_MULTIPART] = "AbortMultipartUpload",
	[KS3_S3OP_LIST_PARTS] = "ListParts",
	[KS3_S3OP_LIST_MULTIPART_UPLOADS] = "ListMultipartUploads",
	[KS3_S3OP_GET_OBJECT_TAGGING] = "GetObjectTagging",
};

const char *ks3_s3_op_name(enum ks3_s3_op op)
{
	if ((unsigned int)op >= KS3_S3OP_NR)
		return "None";
	return ks3_s3_op_names[op];
}

/*
 * Sub-resources of a bucket or an object that ks3 does not serve (yet):
 * any of them makes the request NotImplemented rather than silently
 * running the plain operation. The configuration APIs are among them.
 * "delete", "uploads", "uploadId" and "partNumber" are routed below, and
 * refused where they name nothing ks3 serves.
 */
static const char *const ks3_s3_unsupported[] = {
	"accelerate", "acl", "analytics", "attributes", "cors",
	"encryption", "intelligent-tiering", "inventory", "legal-hold",
	"lifecycle", "logging", "metadataConfiguration", "metrics",
	"notification", "object-lock", "ownershipControls",
	"policy", "policyStatus", "publicAccessBlock", "replication",
	"requestPayment", "restore", "retention", "select", "session",
	"tagging", "torrent", "versionId",
	"versioning", "versions", "website",
};

ssize_t ks3_s3_param(const struct ks3_s3_request *r, const char *name,
		     char *buf, size_t size)
{
	const struct ks3_query_param *p;

	p = ks3_query_find(r->params, r->nr_params, name);
	if (!p)
		return -ENOENT;
	if (!p->has_value || !p->value_len)
		return 0;
	return ks3_uri_decode(buf, size, p->value, p->value_len, true);
}

bool ks3_s3_has_param(const struct ks3_s3_request *r, const char *name)
{
	return ks3_query_find(r->params, r->nr_params, name);
}

/* Continuation tokens are the base64 of the key a page stopped at. */
ssize_t ks3_s3_token_encode(const char *key, size_t len, char *out,
			    size_t size)
{
	if (size <= KS3_BASE64_LEN(len))
		return -ENOSPC;
	return ks3_base64_encode(out, (const u8 *)key, len);
}

ssize_t ks3_s3_token_decode(const char *tok, size_t len, char *out,
			    size_t size)
{
	ssize_t n = ks3_base64_decode((u8 *)out, size, tok, len);

	return n <= 0 ? -EINVAL : n;
}

static enum ks3_s3_err ks3_s3_fail(struct ks3_s3_request *r,
				   enum ks3_s3_err err, const char *msg)
{
	r->err = err;
	r->err_msg = msg;
	return err;
}

static bool ks3_ascii_ieq(const char *a, size_t alen, const char *b,
			  size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = x - 'A' + 'a';
		if (y >= 'A' && y <= 'Z')
			y = y - 'A' + 'a';
		if (x != y)
			return false;
	}
	return true;
}

/*
 * The bucket a Host field names under @domain: "bucket.domain[:port]".
 * Returns the bucket's length (its bytes start at the value), 0 if the
 * host is not a virtual host of @domain.
 */
static size_t ks3_s3_vhost_bucket(const struct ks3_http_request *http,
				  const char *domain)
{
	const struct ks3_http_field *f;
	size_t dlen = strlen(domain), hlen, i;
	const char *h;

	if (!dlen)
		return 0;
	f = ks3_http_field_find(http, "host");
	if (!f)
		return 0;
	h = f->value;
	hlen = f->value_len;
	/* Strip ":port" (an IPv6 literal "[...]" is never a virtual host). */
	if (hlen && h[0] == '[')
		return 0;
	for (i = 0; i < hlen; i++) {
		if (h[i] == ':') {
			hlen = i;
			break;
		}
	}
	if (hlen && h[hlen - 1] == '.')
		hlen--;
	if (dlen && domain[dlen - 1] == '.')
		dlen--;
	if (hlen < dlen + 2 || h[hlen - dlen - 1] != '.')
		return 0;
	if (!ks3_ascii_ieq(h + hlen - dlen, dlen, domain, dlen))
		return 0;
	return hlen - dlen - 1;
}

static enum ks3_s3_err ks3_s3_set_bucket(struct ks3_s3_request *r,
					 const char *src, size_t len,
					 bool encoded)
{
	ssize_t n;
	size_t i;

	if (encoded) {
		n = ks3_uri_decode(r->bucket, sizeof(r->bucket) - 1, src, len,
				   false);
		if (n == -ENOSPC)
			return ks3_s3_fail(r, KS3_S3_INVALID_BUCKET_NAME, NULL);
		if (n < 0)
			return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
	} else {
		if (len > sizeof(r->bucket) - 1)
			return ks3_s3_fail(r, KS3_S3_INVALID_BUCKET_NAME, NULL);
		/* Host names are case-insensitive; bucket names lower case. */
		for (i = 0; i < len; i++) {
			char c = src[i];

			r->bucket[i] = (c >= 'A' && c <= 'Z') ?
				       c - 'A' + 'a' : c;
		}
		n = len;
	}
	if (!n)
		return ks3_s3_fail(r, KS3_S3_INVALID_BUCKET_NAME, NULL);
	if (memchr(r->bucket, '\0', n) || memchr(r->bucket, '/', n))
		return ks3_s3_fail(r, KS3_S3_INVALID_BUCKET_NAME, NULL);
	r->bucket[n] = '\0';
	r->bucket_len = n;
	r->has_bucket = true;
	return KS3_S3_OK;
}

static enum ks3_s3_err ks3_s3_set_key(struct ks3_s3_request *r,
				      const char *src, size_t len)
{
	ssize_t n;

	if (!len)
		return KS3_S3_OK;
	n = ks3_uri_decode(r->key, sizeof(r->key), src, len, false);
	if (n == -ENOSPC)
		return ks3_s3_fail(r, KS3_S3_KEY_TOO_LONG, NULL);
	if (n < 0)
		return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
	if (memchr(r->key, '\0', n))
		return ks3_s3_fail(r, KS3_S3_INVALID_URI,
				   "Object keys must not contain NUL bytes.");
	r->key_len = n;
	return KS3_S3_OK;
}

static enum ks3_s3_err ks3_s3_parse_path(struct ks3_s3_request *r,
					 const struct ks3_http_request *http,
					 const char *vhost_domain)
{
	const char *p = http->path;
	size_t len = http->path_len, vb, i;
	enum ks3_s3_err err;

	if (!len || p[0] != '/')
		return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
	p++;
	len--;
	vb = ks3_s3_vhost_bucket(http, vhost_domain);
	if (vb) {
		r->vhost = true;
		err = ks3_s3_set_bucket(r, ks3_http_field_find(http, "host")->value,
					vb, false);
		if (err)
			return err;
		return ks3_s3_set_key(r, p, len);
	}
	if (!len)
		return KS3_S3_OK;
	for (i = 0; i < len && p[i] != '/'; i++)
		;
	err = ks3_s3_set_bucket(r, p, i, true);
	if (err)
		return err;
	if (i + 1 >= len)
		return KS3_S3_OK;	/* "/bucket" or "/bucket/" */
	return ks3_s3_set_key(r, p + i + 1, len - i - 1);
}

/* Decodes the value of @name into @buf; 1 if present, 0 if not. */
static int ks3_s3_arg(struct ks3_s3_request *r, const char *name, char *buf,
		      size_t size, u16 *len)
{
	ssize_t n = ks3_s3_param(r, name, buf, size);

	if (n == -ENOENT) {
		*len = 0;
		return 0;
	}
	if (n < 0)
		return n;
	*len = n;
	return 1;
}

static bool ks3_s3_parse_u32(const char *s, size_t len, u32 *out)
{
	u64 v = 0;
	size_t i;

	if (!len)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
		if (v > U32_MAX)
			v = U32_MAX;	/* large is fine: capped to 1000 */
	}
	*out = v;
	return true;
}

static enum ks3_s3_err ks3_s3_parse_list(struct ks3_s3_request *r)
{
	struct ks3_s3_list_args *l = &r->list;
	char tmp[24];
	u16 n;
	int ret;

	l->max_keys = KS3_S3_LIST_MAX_KEYS;
	ret = ks3_s3_arg(r, "max-keys", tmp, sizeof(tmp), &n);
	if (ret < 0 && ret != -ENOSPC)
		return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
	if (ret) {
		/* An integer that does not fit is still an integer. */
		if (ret == -ENOSPC)
			l->max_keys = KS3_S3_LIST_MAX_KEYS;
		else if (!ks3_s3_parse_u32(tmp, n, &l->max_keys))
			return ks3_s3_fail(r, KS3_S3_INVALID_ARGUMENT,
					   "Provided max-keys not an integer or within integer range");
		if (l->max_keys > KS3_S3_LIST_MAX_KEYS)
			l->max_keys = KS3_S3_LIST_MAX_KEYS;
	}
	ret = ks3_s3_arg(r, "encoding-type", tmp, sizeof(tmp), &n);
	if (ret == -ENOSPC || (ret > 0 && !ks3_ascii_ieq(tmp, n, "url", 3)))
		return ks3_s3_fail(r, KS3_S3_INVALID_ARGUMENT,
				   "Invalid Encoding Method specified in Request");
	if (ret < 0)
		return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
	l->url_encode = ret > 0;
	ret = ks3_s3_arg(r, "fetch-owner", tmp, sizeof(tmp), &n);
	l->fetch_owner = ret > 0 && ks3_ascii_ieq(tmp, n, "true", 4);

	ret = ks3_s3_arg(r, "prefix", l->prefix, sizeof(l->prefix),
			 &l->prefix_len);
	if (ret < 0)
		goto bad_arg;
	ret = ks3_s3_arg(r, "delimiter", l->delim, sizeof(l->delim),
			 &l->delim_len);
	if (ret < 0)
		goto bad_arg;
	if (!l->v2) {
		ret = ks3_s3_arg(r, "marker", l->start, sizeof(l->start),
				 &l->start_len);
		if (ret < 0)
			goto bad_arg;
		l->has_marker = ret > 0;
		return KS3_S3_OK;
	}
	ret = ks3_s3_arg(r, "start-after", l->start_after,
			 sizeof(l->start_after), &l->start_after_len);
	if (ret < 0)
		goto bad_arg;
	l->has_start_after = ret > 0;
	ret = ks3_s3_arg(r, "continuation-token", l->token_raw,
			 sizeof(l->token_raw), &l->token_raw_len);
	if (ret < 0 || (ret > 0 && !l->token_raw_len))
		return ks3_s3_fail(r, KS3_S3_INVALID_ARGUMENT,
				   "The continuation token provided is incorrect");
	l->has_token = ret > 0;
	if (l->has_token) {
		ssize_t k = ks3_s3_token_decode(l->token_raw, l->token_raw_len,
						l->start, sizeof(l->start));

		if (k <= 0)
			return ks3_s3_fail(r, KS3_S3_INVALID_ARGUMENT,
					   "The continuation token provided is incorrect");
		l->start_len = k;
	} else {
		memcpy(l->start, l->start_after, l->start_after_len);
		l->start_len = l->start_after_len;
	}
	return KS3_S3_OK;
bad_arg:
	if (ret == -ENOSPC)
		return ks3_s3_fail(r, KS3_S3_INVALID_ARGUMENT,
				   "A listing argument is longer than 1024 bytes.");
	return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
}

/* @except: a sub-resource the caller serves (NULL: none). */
static bool ks3_s3_unsupported_param(const struct ks3_s3_request *r,
				     const char *except)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ks3_s3_unsupported); i++)
		if ((!except || strcmp(ks3_s3_unsupported[i], except)) &&
		    ks3_s3_has_param(r, ks3_s3_unsupported[i]))
			return true;
	return false;
}

/* Object operations, multipart ones included. */
static enum ks3_s3_err ks3_s3_route_object(struct ks3_s3_request *r,
					   const struct ks3_http_request *http)
{
	bool upload_id = ks3_s3_has_param(r, "uploadId");
	bool part = ks3_s3_has_param(r, "partNumber");
	bool uploads = ks3_s3_has_param(r, "uploads");
	bool copy = ks3_http_field_find(http, "x-amz-copy-source");

	if (ks3_s3_has_param(r, "delete"))
		return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
	switch (http->method) {
	case KS3_HTTP_POST:
		if (uploads && !upload_id && !part)
			r->op = KS3_S3OP_CREATE_MULTIPART;
		else if (upload_id && !uploads && !part)
			r->op = KS3_S3OP_COMPLETE_MULTIPART;
		else
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		return KS3_S3_OK;
	case KS3_HTTP_PUT:
		if (uploads)
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		if (upload_id != part)
			return ks3_s3_fail(r, KS3_S3_INVALID_REQUEST,
					   upload_id ?
					   "Missing required parameter partNumber." :
					   "Missing required parameter uploadId.");
		if (part)
			r->op = copy ? KS3_S3OP_UPLOAD_PART_COPY :
				       KS3_S3OP_UPLOAD_PART;
		else
			r->op = copy ? KS3_S3OP_COPY_OBJECT :
				       KS3_S3OP_PUT_OBJECT;
		return KS3_S3_OK;
	case KS3_HTTP_GET:
		/* GetObject by partNumber is not served. */
		if (part || uploads)
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		r->op = upload_id ? KS3_S3OP_LIST_PARTS : KS3_S3OP_GET_OBJECT;
		return KS3_S3_OK;
	case KS3_HTTP_HEAD:
		if (part || uploads || upload_id)
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		r->op = KS3_S3OP_HEAD_OBJECT;
		return KS3_S3_OK;
	case KS3_HTTP_DELETE:
		if (part || uploads)
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		r->op = upload_id ? KS3_S3OP_ABORT_MULTIPART :
				    KS3_S3OP_DELETE_OBJECT;
		return KS3_S3_OK;
	default:
		return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
	}
}

static enum ks3_s3_err ks3_s3_route(struct ks3_s3_request *r,
				    const struct ks3_http_request *http)
{
	enum ks3_http_method m = http->method;
	char tmp[8];
	u16 n;
	int ret;

	if (m == KS3_HTTP_OTHER)
		return ks3_s3_fail(r, KS3_S3_METHOD_NOT_ALLOWED, NULL);
	if (m == KS3_HTTP_OPTIONS)
		return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
	if (!r->has_bucket) {
		if (m == KS3_HTTP_GET) {
			r->op = KS3_S3OP_LIST_BUCKETS;
			return KS3_S3_OK;
		}
		return ks3_s3_fail(r, KS3_S3_METHOD_NOT_ALLOWED, NULL);
	}
	/*
	 * GetObjectTagging: objects have no tags, but aws-cli asks before a
	 * multipart copy (aws s3 cp s3:// s3://); tagging is served there only.
	 */
	if (r->key_len && m == KS3_HTTP_GET &&
	    ks3_s3_has_param(r, "tagging") &&
	    !ks3_s3_unsupported_param(r, "tagging") &&
	    !ks3_s3_has_param(r, "uploadId") &&
	    !ks3_s3_has_param(r, "partNumber")) {
		r->op = KS3_S3OP_GET_OBJECT_TAGGING;
		return KS3_S3_OK;
	}
	if (ks3_s3_unsupported_param(r, NULL))
		return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
	if (r->key_len)
		return ks3_s3_route_object(r, http);
	if (ks3_s3_has_param(r, "uploadId") ||
	    ks3_s3_has_param(r, "partNumber"))
		return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
	if (ks3_s3_has_param(r, "uploads")) {
		if (m != KS3_HTTP_GET)
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		r->op = KS3_S3OP_LIST_MULTIPART_UPLOADS;
		return KS3_S3_OK;
	}
	if (ks3_s3_has_param(r, "delete")) {
		if (m != KS3_HTTP_POST)
			return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
		r->op = KS3_S3OP_DELETE_OBJECTS;
		return KS3_S3_OK;
	}
	switch (m) {
	case KS3_HTTP_GET:
		if (ks3_s3_has_param(r, "location")) {
			r->op = KS3_S3OP_GET_BUCKET_LOCATION;
			return KS3_S3_OK;
		}
		ret = ks3_s3_arg(r, "list-type", tmp, sizeof(tmp), &n);
		if (ret > 0 && n == 1 && tmp[0] == '2') {
			r->list.v2 = true;
		} else if (ret) {
			return ks3_s3_fail(r, KS3_S3_INVALID_ARGUMENT,
					   "Invalid List Type specified in Request");
		}
		r->op = r->list.v2 ? KS3_S3OP_LIST_OBJECTS_V2 :
				     KS3_S3OP_LIST_OBJECTS;
		return ks3_s3_parse_list(r);
	case KS3_HTTP_PUT:
		r->op = KS3_S3OP_CREATE_BUCKET;
		return KS3_S3_OK;
	case KS3_HTTP_DELETE:
		r->op = KS3_S3OP_DELETE_BUCKET;
		return KS3_S3_OK;
	case KS3_HTTP_HEAD:
		r->op = KS3_S3OP_HEAD_BUCKET;
		return KS3_S3_OK;
	default:
		/* POST to a bucket: browser form uploads. */
		return ks3_s3_fail(r, KS3_S3_NOT_IMPLEMENTED, NULL);
	}
}

enum ks3_s3_err ks3_s3_parse(struct ks3_s3_request *r,
			     const struct ks3_http_request *http,
			     const char *vhost_domain)
{
	enum ks3_s3_err err;
	int n;

	r->op = KS3_S3OP_NONE;
	r->err = KS3_S3_OK;
	r->err_msg = NULL;
	r->vhost = false;
	r->has_bucket = false;
	r->bucket_len = 0;
	r->bucket[0] = '\0';
	r->key_len = 0;
	r->nr_params = 0;
	memset(&r->list, 0, offsetof(struct ks3_s3_list_args, prefix));

	n = ks3_query_parse(http->query, http->query_len, r->params,
			    KS3_S3_QUERY_MAX);
	if (n < 0)
		return ks3_s3_fail(r, KS3_S3_INVALID_URI, NULL);
	r->nr_params = n;
	err = ks3_s3_parse_path(r, http, vhost_domain);
	if (err)
		return err;
	return ks3_s3_route(r, http);
}
