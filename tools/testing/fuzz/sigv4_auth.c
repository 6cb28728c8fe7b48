// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/s3/sigv4.c on whole request heads (the vector files'
 * form: request line, "Name: value" lines, LF ends), verified for service
 * "s3" in us-east-1 at 2013-05-24T00:00:00Z with the S3 examples' key.
 * Checked on every input:
 * - no read outside the request (the head sits in a heap block of its
 *   exact size, fields point into it);
 * - the answer is one of the enum's values with a non-empty S3 error
 *   (or OK / NO_AUTH), and the same when asked twice;
 * - parsed fields stay in bounds and NUL-terminated;
 * - an accepted request depends on its signature: with one hex digit of
 *   the signature changed it is refused with SignatureDoesNotMatch;
 * - dates: a parsed X-Amz-Date formats back to the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "s3/sigv4.c"
#include "s3/checksum.c"
#include "s3/hmac.c"
#include "s3/uri.c"
#include "digest_openssl.c"
#include "../../../tests/unit/s3_treq.h"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "sigv4_auth fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

#define S3_NOW 1369353600

static int get_secret(void *arg, const char *akid, size_t akid_len,
		      char *secret, size_t size)
{
	static const char s[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

	(void)arg;
	FUZZ_CHECK(akid_len >= 1 && akid_len <= KS3_SIGV4_AKID_MAX);
	if (akid_len != 20 || memcmp(akid, "AKIAIOSFODNN7EXAMPLE", 20))
		return -ENOENT;
	FUZZ_CHECK(size >= sizeof(s) - 1);
	memcpy(secret, s, sizeof(s) - 1);
	return sizeof(s) - 1;
}

static struct ks3_sigv4 v1, v2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ks3_sigv4_params p = {
		.region = "us-east-1", .service = "s3", .now = S3_NOW,
		.get_secret = get_secret,
	};
	enum ks3_sigv4_err e1, e2;
	struct treq t = { 0 };
	char hex[65], *text, *at;
	s64 tm;

	/* the date parsers on the raw input */
	if (!ks3_sigv4_parse_amz_date((const char *)data, size, &tm)) {
		char back[16];

		ks3_sigv4_format_amz_date(back, tm);
		FUZZ_CHECK(!memcmp(back, data, 16));
	}
	ks3_sigv4_parse_http_date((const char *)data, size, &tm);

	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (memchr(data, '\0', size) || treq_parse(&t, text, size)) {
		treq_free(&t);
		free(text);
		return 0;
	}
	e1 = ks3_sigv4_verify(&v1, &t.req, &p);
	e2 = ks3_sigv4_verify(&v2, &t.req, &p);
	FUZZ_CHECK(e1 == e2);
	FUZZ_CHECK((unsigned int)e1 < KS3_SIGV4_ERR_NR);
	if (e1 != KS3_SIGV4_OK && e1 != KS3_SIGV4_NO_AUTH)
		FUZZ_CHECK(ks3_sigv4_err_info(e1)->code[0]);
	FUZZ_CHECK(v1.akid_len <= KS3_SIGV4_AKID_MAX);
	FUZZ_CHECK(strlen(v1.akid) <= KS3_SIGV4_AKID_MAX);
	FUZZ_CHECK(strlen(v1.region) <= KS3_SIGV4_REGION_MAX);
	FUZZ_CHECK(v1.stream.scope_len <= KS3_SIGV4_SCOPE_MAX);
	if (e1 == KS3_SIGV4_OK) {
		FUZZ_CHECK(!memcmp(v1.stream.seed, v2.stream.seed, 32));
		FUZZ_CHECK(!memcmp(v1.stream.seed, v1.signature, 32));
		FUZZ_CHECK(!v1.presigned || v1.expires >= 1);
		FUZZ_CHECK(v1.time >= S3_NOW - KS3_SIGV4_SKEW_SECS ||
			   v1.presigned);
		/* change the signature as sent: must be refused */
		ks3_hex_encode(hex, v1.signature, 32);
		hex[64] = '\0';
		at = memmem(t.buf, size, hex, 64);
		FUZZ_CHECK(at);
		at[7] = at[7] == '0' ? '1' : '0';
		e2 = ks3_sigv4_verify(&v2, &t.req, &p);
		FUZZ_CHECK(e2 == KS3_SIGV4_SIGNATURE_MISMATCH);
	}
	treq_free(&t);
	free(text);
	return 0;
}
