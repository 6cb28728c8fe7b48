/* SPDX-License-Identifier: GPL-2.0 */
/*
 * s3bench's AWS Signature Version 4 (header form) over OpenSSL libcrypto.
 * The canonical request always signs exactly host, x-amz-content-sha256
 * and x-amz-date, which is all s3bench sends.
 */
#ifndef S3B_SIGV4_H
#define S3B_SIGV4_H

#include <stddef.h>

#define S3B_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define S3B_UNSIGNED "UNSIGNED-PAYLOAD"

/* kSigning = HMAC chain over "AWS4"+secret, date (YYYYMMDD), region, service */
void s3b_signing_key(const char *secret, const char *date8, const char *region,
		     const char *service, unsigned char key[32]);

/*
 * Writes the canonical request into @out (size @cap) and returns its
 * length (or -1 if it does not fit). @path is already URI-encoded, @query
 * is the canonical query string (sorted, encoded; "" for none).
 */
int s3b_canonical_request(char *out, size_t cap, const char *method,
			  const char *path, const char *query, const char *host,
			  const char *payload_hash, const char *amzdate);

/* hex signature (64 chars + NUL) of the canonical request */
void s3b_signature(const unsigned char key[32], const char *amzdate,
		   const char *scope, const char *creq, size_t creq_len,
		   char sig[65]);

#endif
