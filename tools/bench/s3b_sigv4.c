// SPDX-License-Identifier: GPL-2.0
/* s3bench: SigV4 signing (see s3b_sigv4.h) */
#include <stdio.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "s3b_sigv4.h"

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void hmac(const void *key, size_t klen, const char *msg, size_t mlen,
		 unsigned char out[32])
{
	unsigned int len = 32;

	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen,
	     out, &len);
}

void s3b_signing_key(const char *secret, const char *date8, const char *region,
		     const char *service, unsigned char key[32])
{
	char k0[256];
	unsigned char a[32], b[32];

	snprintf(k0, sizeof(k0), "AWS4%s", secret);
	hmac(k0, strlen(k0), date8, strlen(date8), a);
	hmac(a, 32, region, strlen(region), b);
	hmac(b, 32, service, strlen(service), a);
	hmac(a, 32, "aws4_request", 12, key);
}

int s3b_canonical_request(char *out, size_t cap, const char *method,
			  const char *path, const char *query, const char *host,
			  const char *payload_hash, const char *amzdate)
{
	int n = snprintf(out, cap,
			 "%s\n%s\n%s\nhost:%s\nx-amz-content-sha256:%s\n"
			 "x-amz-date:%s\n\nhost;x-amz-content-sha256;x-amz-date\n%s",
			 method, path, query, host, payload_hash, amzdate,
			 payload_hash);

	return n < 0 || (size_t)n >= cap ? -1 : n;
}

void s3b_signature(const unsigned char key[32], const char *amzdate,
		   const char *scope, const char *creq, size_t creq_len,
		   char sig[65])
{
	unsigned char h[32], mac[32];
	char sts[256];
	int n;

	SHA256((const unsigned char *)creq, creq_len, h);
	n = snprintf(sts, sizeof(sts), "AWS4-HMAC-SHA256\n%s\n%s\n", amzdate,
		     scope);
	hex(h, 32, sts + n);
	hmac(key, 32, sts, (size_t)n + 64, mac);
	hex(mac, 32, sig);
}
