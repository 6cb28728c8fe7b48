// SPDX-License-Identifier: GPL-2.0
/*
 * Userland implementation of module/s3/digest.h for unit tests and fuzz
 * targets: OpenSSL EVP digests (link with -lcrypto), and CRC-64/NVME by
 * table (the kernel's crc64 library form: inverted in and out). A test
 * #includes this file next to the module .c files it tests.
 *
 * The EVP context lives on the heap, its pointer inside ks3_digest.state,
 * so a digest that is never finalled or aborted is a leak ASan reports:
 * the kernel has nothing to free, but the discipline is checked here.
 */
#include <errno.h>
#include <string.h>

#include <linux/crc32.h>
#include <openssl/evp.h>

#include "s3/digest.h"

/* Tests may set this to make the next N-th ks3_digest_init() fail. */
static int ks3_digest_fail_countdown;

unsigned int ks3_digest_size(enum ks3_digest_alg alg)
{
	switch (alg) {
	case KS3_DIGEST_MD5:
		return KS3_MD5_SIZE;
	case KS3_DIGEST_SHA1:
		return KS3_SHA1_SIZE;
	case KS3_DIGEST_SHA256:
		return KS3_SHA256_SIZE;
	default:
		return 0;
	}
}

static EVP_MD_CTX **ks3_digest_ctx(struct ks3_digest *d)
{
	return (EVP_MD_CTX **)d->state;
}

int ks3_digest_init(struct ks3_digest *d, enum ks3_digest_alg alg)
{
	const EVP_MD *md;
	EVP_MD_CTX *ctx;

	d->active = false;
	switch (alg) {
	case KS3_DIGEST_MD5:
		md = EVP_md5();
		break;
	case KS3_DIGEST_SHA1:
		md = EVP_sha1();
		break;
	case KS3_DIGEST_SHA256:
		md = EVP_sha256();
		break;
	default:
		return -EINVAL;
	}
	if (ks3_digest_fail_countdown > 0 && --ks3_digest_fail_countdown == 0)
		return -ENOMEM;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		return -EINVAL;
	}
	d->alg = alg;
	*ks3_digest_ctx(d) = ctx;
	d->active = true;
	return 0;
}

int ks3_digest_update(struct ks3_digest *d, const void *data, size_t len)
{
	if (!d->active)
		abort();	/* a bug in the caller: WARN in the kernel */
	if (!len)
		return 0;
	return EVP_DigestUpdate(*ks3_digest_ctx(d), data, len) == 1 ? 0 : -EIO;
}

int ks3_digest_final(struct ks3_digest *d, u8 *out)
{
	int ret;

	if (!d->active)
		abort();
	ret = EVP_DigestFinal_ex(*ks3_digest_ctx(d), out, NULL) == 1 ? 0 : -EIO;
	EVP_MD_CTX_free(*ks3_digest_ctx(d));
	d->active = false;
	return ret;
}

void ks3_digest_abort(struct ks3_digest *d)
{
	if (!d->active)
		return;
	EVP_MD_CTX_free(*ks3_digest_ctx(d));
	d->active = false;
}

int ks3_digest_oneshot(enum ks3_digest_alg alg, const void *data, size_t len,
		       u8 *out)
{
	struct ks3_digest d;
	int ret;

	ret = ks3_digest_init(&d, alg);
	if (ret)
		return ret;
	ret = ks3_digest_update(&d, data, len);
	if (ret) {
		ks3_digest_abort(&d);
		return ret;
	}
	return ks3_digest_final(&d, out);
}

u64 ks3_crc64_nvme(u64 crc, const void *data, size_t len)
{
	static u64 t[256];
	static bool ready;
	const u8 *p = data;
	u64 c;
	int i, j;

	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
		for (i = 0; i < 256; i++) {
			c = (u64)i;
			for (j = 0; j < 8; j++)
				c = (c >> 1) ^ (0x9a6c9329ac4bc9b5ULL &
						(0ULL - (c & 1)));
			t[i] = c;
		}
		__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
	}
	crc = ~crc;
	while (len--)
		crc = (crc >> 8) ^ t[(crc ^ *p++) & 0xff];
	return ~crc;
}

u32 ks3_crc32_le(u32 crc, const void *data, size_t len)
{
	return crc32_le(crc, data, len);
}

int ks3_digest_init_module(void)
{
	return 0;
}

void ks3_digest_exit_module(void)
{
}
