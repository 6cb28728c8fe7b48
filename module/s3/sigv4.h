/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AWS Signature Version 4 verification for ks3 (pure code: no allocation,
 * no I/O; secrets come through a callback).
 *
 * Use from the request handler (s3/handler.c):
 *
 *   begin():  ks3_sigv4_verify(&v, req, &params)
 *             KS3_SIGV4_NO_AUTH  -> anonymous request
 *             other error        -> ks3_sigv4_err_info() says the S3 error
 *             KS3_SIGV4_OK       -> v.akid is the authenticated key, and
 *                                   v.payload says how to read the body:
 *     KS3_SIGV4_PAYLOAD_SHA256    hash the body with ks3_digest (SHA-256),
 *                                 then at end() ks3_sigv4_check_payload()
 *                                 (XAmzContentSHA256Mismatch)
 *     KS3_SIGV4_PAYLOAD_UNSIGNED  nothing to check
 *     KS3_SIGV4_PAYLOAD_STREAMING*  "Content-Encoding: aws-chunked" body:
 *                                 run it through s3/aws_chunked.h with
 *                                 &v.stream (signed variants) and
 *                                 v.decoded_length
 *
 * What is checked, and why (AWS S3 behaviour, "Authenticating Requests
 * (AWS Signature Version 4)" in the S3 API reference):
 *  - Authorization header: "AWS4-HMAC-SHA256 Credential=AKID/YYYYMMDD/
 *    region/service/aws4_request, SignedHeaders=a;b, Signature=<64 hex>",
 *    the three parts in any order, separated by ',' and optional spaces,
 *    each exactly once. Other algorithms (AWS v2 "AWS AKID:sig",
 *    AWS4-ECDSA-P256-SHA256) -> KS3_SIGV4_UNSUPPORTED.
 *  - Presigned query: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 *    X-Amz-Expires (1..604800), X-Amz-SignedHeaders, X-Amz-Signature, each
 *    exactly once; X-Amz-Security-Token -> KS3_SIGV4_TOKEN_UNSUPPORTED
 *    (ks3 has no session credentials). Both forms in one request ->
 *    KS3_SIGV4_BOTH_AUTH.
 *  - Time: X-Amz-Date (header, or query when presigned), else the Date
 *    header (IMF-fixdate) for header auth; the credential scope's date must
 *    be its date part. Header auth: |time - now| <= 15 min. Presigned: the
 *    request may not be more than 15 min in the future, and expires at
 *    time + X-Amz-Expires (the last valid second is time + expires).
 *  - Scope: region must equal params->region (else
 *    KS3_SIGV4_WRONG_REGION: S3 says AuthorizationHeaderMalformed naming
 *    the expected region), service params->service, terminator
 *    "aws4_request".
 *  - SignedHeaders: lower case, strictly sorted, no duplicates, must
 *    include "host"; every listed header must be present (a header listed
 *    but absent cannot be canonicalised: SignatureDoesNotMatch, as S3
 *    does). Every x-amz-* header present in the request must be signed
 *    (S3: AccessDenied "There were headers present in the request which
 *    were not signed"), except x-amz-content-sha256, which S3 accepts
 *    unsigned (its value is the last line of the canonical request
 *    anyway, unless presigned); Content-MD5/Content-Type need not be.
 *  - Header auth needs x-amz-content-sha256: 64 hex, UNSIGNED-PAYLOAD or
 *    one of the STREAMING-* values (missing -> InvalidRequest, bad ->
 *    InvalidArgument). Presigned requests hash UNSIGNED-PAYLOAD unless the
 *    client sent (and signed) x-amz-content-sha256.
 *  - Canonical URI: the path as sent, %-decoded, then re-encoded keeping
 *    only A-Za-z0-9-._~ and '/' (S3 encodes once and never removes '.',
 *    '..' or '//'). Canonical query: every parameter but X-Amz-Signature,
 *    name and value decoded then re-encoded, sorted by name then value.
 *  - Canonical header values: repeated fields joined with ',', each value
 *    trimmed and inner runs of spaces collapsed to one.
 *  - The signature is compared in constant time.
 */
#ifndef _KS3_S3_SIGV4_H
#define _KS3_S3_SIGV4_H

#include <linux/compiler.h>
#include <linux/types.h>

#include "http/http.h"
#include "s3/digest.h"
#include "s3/uri.h"

#define KS3_SIGV4_AKID_MAX	128	/* access key id */
#define KS3_SIGV4_SECRET_MAX	128
#define KS3_SIGV4_REGION_MAX	64
#define KS3_SIGV4_SERVICE_MAX	32
/* "YYYYMMDD/" region "/" service "/aws4_request" */
#define KS3_SIGV4_SCOPE_MAX	(9 + KS3_SIGV4_REGION_MAX + 1 + \
				 KS3_SIGV4_SERVICE_MAX + 13)
#define KS3_SIGV4_SIGNED_HEADERS_MAX	64	/* names in SignedHeaders */
#define KS3_SIGV4_QUERY_MAX	128	/* query parameters canonicalised */
#define KS3_SIGV4_SIGNED_HEADERS_LEN	1024	/* SignedHeaders value */
#define KS3_SIGV4_SKEW_SECS	(15 * 60)
#define KS3_SIGV4_EXPIRES_MAX	604800	/* 7 days */

/* Each maps to one S3 error: ks3_sigv4_err_info(). */
enum ks3_sigv4_err {
	KS3_SIGV4_OK = 0,
	KS3_SIGV4_NO_AUTH,		/* no SigV4 at all: anonymous */
	KS3_SIGV4_MALFORMED,		/* AuthorizationHeaderMalformed 400 */
	KS3_SIGV4_WRONG_REGION,		/* the same, naming params->region */
	KS3_SIGV4_QUERY_MALFORMED,	/* AuthorizationQueryParametersError 400 */
	KS3_SIGV4_QUERY_WRONG_REGION,	/* the same, naming params->region */
	KS3_SIGV4_UNSUPPORTED,		/* InvalidRequest 400: not AWS4-HMAC-SHA256 */
	KS3_SIGV4_BOTH_AUTH,		/* InvalidArgument 400: header and query */
	KS3_SIGV4_TOKEN_UNSUPPORTED,	/* InvalidToken 400: a security token */
	KS3_SIGV4_NO_DATE,		/* AccessDenied 403: no valid date */
	KS3_SIGV4_BAD_DATE,		/* AuthorizationHeaderMalformed 400: scope date */
	KS3_SIGV4_SKEWED,		/* RequestTimeTooSkewed 403 */
	KS3_SIGV4_EXPIRED,		/* AccessDenied 403 "Request has expired" */
	KS3_SIGV4_NOT_YET_VALID,	/* AccessDenied 403 "Request is not valid yet" */
	KS3_SIGV4_UNSIGNED_HEADER,	/* AccessDenied 403: x-amz-* not signed */
	KS3_SIGV4_NO_CONTENT_SHA256,	/* InvalidRequest 400: header missing */
	KS3_SIGV4_BAD_CONTENT_SHA256,	/* InvalidArgument 400: its value */
	KS3_SIGV4_INVALID_ACCESS_KEY,	/* InvalidAccessKeyId 403 */
	KS3_SIGV4_SIGNATURE_MISMATCH,	/* SignatureDoesNotMatch 403 */
	KS3_SIGV4_CONTENT_SHA256_MISMATCH,	/* XAmzContentSHA256Mismatch 400 */
	KS3_SIGV4_INTERNAL,		/* InternalError 500: a digest failed */
	KS3_SIGV4_ERR_NR,
};

/* How a SigV4 error is answered. */
struct ks3_sigv4_err_info {
	const char *code;		/* S3 error code, "" for OK/NO_AUTH */
	const char *message;		/* the <Message> S3 gives */
	u16 status;			/* HTTP status */
};

const struct ks3_sigv4_err_info *ks3_sigv4_err_info(enum ks3_sigv4_err err);

/*
 * Looks up the secret of access key @akid (@akid_len bytes, not
 * NUL-terminated) and copies it to @secret (@size bytes). Returns the
 * secret's length, -ENOENT if the key does not exist (or is disabled), or
 * another negative errno (-> KS3_SIGV4_INTERNAL). May sleep.
 */
typedef int (*ks3_sigv4_secret_fn)(void *arg, const char *akid,
				   size_t akid_len, char *secret, size_t size);

/*
 * A small cache of signing keys, so that a request costs one HMAC (its
 * signature) rather than five. A signing key is a function of the secret,
 * the date, the region and the service, and all four are what an entry
 * matches on: a changed secret simply misses, and the key of a deleted or
 * disabled access key is never reached, since get_secret() fails first.
 * Entries are replaced round robin, so memory is bounded and a new day's
 * keys push out the old ones.
 *
 * Pure and unlocked: the user gives each caller a cache of its own for the
 * time of one call (the kernel: one per CPU, preemption disabled between
 * key_cache_get() and key_cache_put()). Secrets are kept in it: clear it
 * with ks3_sigv4_key_cache_clear() before freeing it.
 */
#define KS3_SIGV4_KEY_CACHE_SIZE	8

struct ks3_sigv4_key_entry {
	u8 secret_len;				/* 0: the entry is empty */
	u8 region_len;
	u8 service_len;
	char date8[8];
	char secret[KS3_SIGV4_SECRET_MAX];
	char region[KS3_SIGV4_REGION_MAX];
	char service[KS3_SIGV4_SERVICE_MAX];
	u8 key[KS3_SHA256_SIZE];		/* the signing key */
};

struct ks3_sigv4_key_cache {
	unsigned int next;			/* entry replaced next */
	struct ks3_sigv4_key_entry e[KS3_SIGV4_KEY_CACHE_SIZE];
};

/*
 * ks3_sigv4_signing_key() through @c: a hit copies the cached key, a miss
 * derives it and keeps it. 0 or -errno (nothing is cached then).
 */
int ks3_sigv4_cached_key(struct ks3_sigv4_key_cache *c, u8 *key,
			 const char *secret, size_t secret_len,
			 const char *date8, const char *region,
			 size_t region_len, const char *service,
			 size_t service_len);
/* Forget every entry (and wipe the secrets). */
void ks3_sigv4_key_cache_clear(struct ks3_sigv4_key_cache *c);

/* The SHA-256 of nothing: the payload hash of a request without a body. */
#define KS3_SIGV4_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct ks3_sigv4_params {
	const char *region;		/* expected, NUL-terminated ("us-east-1") */
	const char *service;		/* "s3" */
	s64 now;			/* seconds since the epoch, UTC */
	ks3_sigv4_secret_fn get_secret;
	void *arg;
	/*
	 * NULL for S3 (x-amz-content-sha256 required with header auth,
	 * UNSIGNED-PAYLOAD when presigned). Other services, the generic
	 * SigV4 test suite: the payload hash to use when the client sent no
	 * x-amz-content-sha256 (hex SHA-256 of the body).
	 */
	const char *default_payload;
	/*
	 * With header auth and no x-amz-content-sha256 (curl before 8.0
	 * signs the body's SHA-256 without sending it): check all but the
	 * signature, set v->deferred, and leave the signature to a second
	 * ks3_sigv4_verify() with @default_payload the body's hash, once the
	 * body is in. Nothing may be committed before that.
	 */
	bool defer_unhashed;
	/*
	 * Optional: the signing-key cache to use for this call, held by the
	 * caller until key_cache_put() (NULL from key_cache_get(): derive
	 * the key every time). Neither may sleep.
	 */
	struct ks3_sigv4_key_cache *(*key_cache_get)(void *arg);
	void (*key_cache_put)(void *arg, struct ks3_sigv4_key_cache *c);
};

enum ks3_sigv4_payload {
	KS3_SIGV4_PAYLOAD_UNSIGNED,		/* UNSIGNED-PAYLOAD, presigned */
	KS3_SIGV4_PAYLOAD_SHA256,		/* 64 hex: payload_sha256 */
	KS3_SIGV4_PAYLOAD_STREAMING,		/* STREAMING-AWS4-HMAC-SHA256-PAYLOAD */
	KS3_SIGV4_PAYLOAD_STREAMING_TRAILER,	/* STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER */
	KS3_SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER,	/* STREAMING-UNSIGNED-PAYLOAD-TRAILER */
};

/* True for the three aws-chunked payloads. */
static inline bool ks3_sigv4_payload_chunked(enum ks3_sigv4_payload p)
{
	return p >= KS3_SIGV4_PAYLOAD_STREAMING;
}

/* True for the two with chunk signatures. */
static inline bool ks3_sigv4_payload_chunk_signed(enum ks3_sigv4_payload p)
{
	return p == KS3_SIGV4_PAYLOAD_STREAMING ||
	       p == KS3_SIGV4_PAYLOAD_STREAMING_TRAILER;
}

/*
 * What signed chunks and trailers of one request are verified with: the
 * signing key, the request's time and scope, and the seed (the request
 * signature). Filled by ks3_sigv4_verify(); used by aws_chunked.c.
 */
struct ks3_sigv4_stream {
	u8 key[KS3_SHA256_SIZE];		/* signing key */
	u8 seed[KS3_SHA256_SIZE];		/* request signature */
	char amz_date[16];			/* YYYYMMDDTHHMMSSZ, no NUL */
	u16 scope_len;
	char scope[KS3_SIGV4_SCOPE_MAX];	/* no NUL */
};

/*
 * The outcome of ks3_sigv4_verify(); fields are set as far as parsing got.
 * About 5 KiB: keep it in the per-request state, not on the stack.
 */
struct ks3_sigv4 {
	bool presigned;
	bool deferred;				/* params->defer_unhashed applied */
	enum ks3_sigv4_payload payload;
	u8 payload_sha256[KS3_SHA256_SIZE];	/* KS3_SIGV4_PAYLOAD_SHA256 */
	bool has_decoded_length;		/* x-amz-decoded-content-length */
	u64 decoded_length;
	s64 time;				/* request time, epoch seconds */
	u32 expires;				/* presigned: X-Amz-Expires */
	u8 akid_len;
	char akid[KS3_SIGV4_AKID_MAX + 1];	/* NUL-terminated */
	char region[KS3_SIGV4_REGION_MAX + 1];	/* as the client named it */
	struct ks3_sigv4_stream stream;

	/* ks3_sigv4_verify()'s scratch space (too big for the stack) */
	u16 nr_params;
	u8 order[KS3_SIGV4_QUERY_MAX];
	struct ks3_query_param params[KS3_SIGV4_QUERY_MAX];
	u8 signature[KS3_SHA256_SIZE];		/* the client's */
	u16 signed_headers_len;
	const char *signed_headers;		/* into the request or below */
	char signed_headers_buf[KS3_SIGV4_SIGNED_HEADERS_LEN];
	char date8[8];				/* the credential scope's date */
	u8 service_len;
	char service[KS3_SIGV4_SERVICE_MAX];
};

/*
 * Authenticate @req. Fills @v (zeroed first). Returns KS3_SIGV4_OK,
 * KS3_SIGV4_NO_AUTH (no Authorization header and no X-Amz-Algorithm /
 * X-Amz-Signature / X-Amz-Credential query parameter), or the error. On
 * errors after the credential was parsed, v->akid and v->region are set
 * (for InvalidAccessKeyId's <AWSAccessKeyId> and the region message).
 * Sleeps only in params->get_secret().
 */
enum ks3_sigv4_err ks3_sigv4_verify(struct ks3_sigv4 *v,
				    const struct ks3_http_request *req,
				    const struct ks3_sigv4_params *params);

/*
 * End of a KS3_SIGV4_PAYLOAD_SHA256 body: does @sha256 (of the whole
 * decoded body) match x-amz-content-sha256? KS3_SIGV4_OK or
 * KS3_SIGV4_CONTENT_SHA256_MISMATCH.
 */
enum ks3_sigv4_err ks3_sigv4_check_payload(const struct ks3_sigv4 *v,
					   const u8 *sha256);

/*
 * Chunk and trailer signatures (aws_chunked.c calls these). @prev is the
 * previous signature (the seed for the first chunk), @data_sha256 the
 * SHA-256 of the chunk data, @trailer_sha256 that of the trailer fields
 * each as "name:value\n". Write the 32-byte signature to @out. 0 or a
 * negative errno.
 *   chunk:   "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<prev hex>\n"
 *            "<sha256("") hex>\n<data sha256 hex>"
 *   trailer: "AWS4-HMAC-SHA256-TRAILER\n<date>\n<scope>\n<prev hex>\n"
 *            "<trailer sha256 hex>"
 */
int ks3_sigv4_chunk_signature(const struct ks3_sigv4_stream *s,
			      const u8 *prev, const u8 *data_sha256, u8 *out);
int ks3_sigv4_trailer_signature(const struct ks3_sigv4_stream *s,
				const u8 *prev, const u8 *trailer_sha256,
				u8 *out);

/*
 * The SigV4 signing key: HMAC chain over "AWS4" + secret, the date
 * (YYYYMMDD, 8 chars), region, service and "aws4_request". 0 or -errno.
 */
int ks3_sigv4_signing_key(u8 *key, const char *secret, size_t secret_len,
			  const char *date8, const char *region,
			  size_t region_len, const char *service,
			  size_t service_len);

/*
 * Parse "YYYYMMDDTHHMMSSZ" (exactly 16 chars) to epoch seconds. 0 or
 * -EINVAL (bad syntax or an impossible date).
 */
int ks3_sigv4_parse_amz_date(const char *s, size_t len, s64 *t);
/* Parse an IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT". 0 or -EINVAL. */
int ks3_sigv4_parse_http_date(const char *s, size_t len, s64 *t);

#endif /* _KS3_S3_SIGV4_H */
