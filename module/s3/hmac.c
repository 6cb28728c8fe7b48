// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA256 (RFC 2104) over struct ks3_digest: two SHA-256 passes with
 * the key XORed with ipad and opad. No keyed transform is shared, so any
 * number of requests sign in parallel with their own keys. Pure code.
 */
#include <linux/errno.h>
#include <linux/string.h>

#include "s3/digest.h"

#define KS3_HMAC_IPAD	0x36
#define KS3_HMAC_OPAD	0x5c

int ks3_hmac_init(struct ks3_hmac *h, const void *key, size_t key_len)
{
	u8 k[KS3_SHA256_BLOCK_SIZE];
	u8 ipad[KS3_SHA256_BLOCK_SIZE];
	unsigned int i;
	int ret;

	memset(k, 0, sizeof(k));
	if (key_len > KS3_SHA256_BLOCK_SIZE) {
		ret = ks3_digest_oneshot(KS3_DIGEST_SHA256, key, key_len, k);
		if (ret)
			return ret;
	} else if (key_len) {
		memcpy(k, key, key_len);
	}
	for (i = 0; i < KS3_SHA256_BLOCK_SIZE; i++) {
		ipad[i] = k[i] ^ KS3_HMAC_IPAD;
		h->okey[i] = k[i] ^ KS3_HMAC_OPAD;
	}
	memzero_explicit(k, sizeof(k));
	ret = ks3_digest_init(&h->inner, KS3_DIGEST_SHA256);
	if (!ret)
		ret = ks3_digest_update(&h->inner, ipad, sizeof(ipad));
	memzero_explicit(ipad, sizeof(ipad));
	if (ret) {
		ks3_hmac_abort(h);
		return ret;
	}
	return 0;
}

int ks3_hmac_update(struct ks3_hmac *h, const void *data, size_t len)
{
	return ks3_digest_update(&h->inner, data, len);
}

int ks3_hmac_final(struct ks3_hmac *h, u8 *out)
{
	struct ks3_digest outer;
	u8 ihash[KS3_SHA256_SIZE];
	int ret;

	ret = ks3_digest_final(&h->inner, ihash);
	if (ret)
		goto out;
	ret = ks3_digest_init(&outer, KS3_DIGEST_SHA256);
	if (ret)
		goto out;
	ret = ks3_digest_update(&outer, h->okey, sizeof(h->okey));
	if (!ret)
		ret = ks3_digest_update(&outer, ihash, sizeof(ihash));
	if (ret) {
		ks3_digest_abort(&outer);
		goto out;
	}
	ret = ks3_digest_final(&outer, out);
out:
	memzero_explicit(h->okey, sizeof(h->okey));
	memzero_explicit(ihash, sizeof(ihash));
	return ret;
}

void ks3_hmac_abort(struct ks3_hmac *h)
{
	ks3_digest_abort(&h->inner);
	memzero_explicit(h->okey, sizeof(h->okey));
}

int ks3_hmac_sha256(const void *key, size_t key_len, const void *data,
		    size_t len, u8 *out)
{
	struct ks3_hmac h;
	int ret;

	ret = ks3_hmac_init(&h, key, key_len);
	if (ret)
		return ret;
	ret = ks3_hmac_update(&h, data, len);
	if (ret) {
		ks3_hmac_abort(&h);
		return ret;
	}
	return ks3_hmac_final(&h, out);
}
