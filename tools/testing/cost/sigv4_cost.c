// SPDX-License-Identifier: GPL-2.0
/*
 * What SigV4 verification costs per request, for instruction counting:
 *
 *   make -C tools/testing cost
 *   tools/testing/cost/run.sh
 *
 * Verifies the S3 reference GET (header-signed, tests/data/s3-examples/
 * get-object) N times, through module/s3/sigv4.c built for userland
 * (SHA-256 from OpenSSL), with or without the signing-key cache. One
 * request runs before the counted ones, so a cached run starts warm.
 * Prints the SHA-256 runs (ks3_digest_init() calls) per request.
 */
#include "s3/sigv4.c"
#include "s3/checksum.c"
#include "s3/hmac.c"
#include "s3/uri.c"

/* count the hash runs: the real ks3_digest_init() is renamed */
#define ks3_digest_init ks3_digest_init_real
#include "digest_openssl.c"
#undef ks3_digest_init

#include "s3_testdata.h"
#include "s3_treq.h"

static unsigned long cost_digests;

int ks3_digest_init(struct ks3_digest *d, enum ks3_digest_alg alg)
{
	cost_digests++;
	return ks3_digest_init_real(d, alg);
}

static int cost_get_secret(void *arg, const char *akid, size_t akid_len,
			   char *secret, size_t size)
{
	static const char s[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

	(void)arg;
	(void)akid;
	(void)akid_len;
	if (size < sizeof(s) - 1)
		return -ENOSPC;
	memcpy(secret, s, sizeof(s) - 1);
	return sizeof(s) - 1;
}

static struct ks3_sigv4_key_cache cost_cache;

static struct ks3_sigv4_key_cache *cost_cache_get(void *arg)
{
	(void)arg;
	return &cost_cache;
}

static void cost_cache_put(void *arg, struct ks3_sigv4_key_cache *c)
{
	(void)arg;
	(void)c;
}

static struct ks3_sigv4 cost_sv;

int main(int argc, char **argv)
{
	struct ks3_sigv4_params p = {
		.region = "us-east-1", .service = "s3", .now = 1369353600,
		.get_secret = cost_get_secret,
	};
	unsigned long n, i, before;
	struct treq t;
	char *text;

	if (argc != 3 || (strcmp(argv[2], "cached") &&
			  strcmp(argv[2], "uncached"))) {
		fprintf(stderr, "usage: sigv4_cost N cached|uncached\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	if (!strcmp(argv[2], "cached")) {
		p.key_cache_get = cost_cache_get;
		p.key_cache_put = cost_cache_put;
	}
	text = td_read("s3-examples/get-object/request.txt", NULL);
	if (!text || treq_parse(&t, text, strlen(text)))
		return 1;
	if (ks3_sigv4_verify(&cost_sv, &t.req, &p) != KS3_SIGV4_OK)
		return 1;
	before = cost_digests;
	for (i = 0; i < n; i++)
		if (ks3_sigv4_verify(&cost_sv, &t.req, &p) != KS3_SIGV4_OK)
			return 1;
	if (n)
		printf("%s: %.1f SHA-256 runs per request\n", argv[2],
		       (double)(cost_digests - before) / n);
	ks3_sigv4_key_cache_clear(&cost_cache);
	treq_free(&t);
	free(text);
	return 0;
}
