// SPDX-License-Identifier: GPL-2.0
/*
 * s3/digest.h in the kernel: one crypto shash transform per algorithm,
 * allocated at module init and shared read-only by every request (the
 * unkeyed hashes need no setkey, so sharing is safe); each hash in flight
 * has its own shash_desc inside struct ks3_digest. The crypto API picks
 * the fastest driver registered (sha256-avx2, sha1-ni, ...), which matters:
 * SHA-256 runs over every byte of a signed PUT.
 *
 * "Registered" is the catch: the accelerated x86 drivers are modules, and
 * the crypto API only loads one when no driver of the algorithm exists at
 * all; the built-in sha256-generic always does. So the module names them
 * as soft dependencies (modprobe loads them first) and, for insmod, asks
 * for the algorithm once more when only the generic driver turned up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/bug.h>
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/string.h>

#include "compat.h"
#include "s3/digest.h"

/* Longest run handed to one crypto_shash_update() (its length is an int). */
#define KS3_DIGEST_STEP		(256U << 10)

struct ks3_digest_algo {
	const char *name;
	const char *generic;		/* driver if the best one's desc is too big */
	unsigned int size;
};

static const struct ks3_digest_algo ks3_digest_algos[KS3_DIGEST_NR] = {
	[KS3_DIGEST_MD5] = { "md5", "md5-generic", KS3_MD5_SIZE },
	[KS3_DIGEST_SHA1] = { "sha1", "sha1-generic", KS3_SHA1_SIZE },
	[KS3_DIGEST_SHA256] = { "sha256", "sha256-generic", KS3_SHA256_SIZE },
};

static struct crypto_shash *ks3_digest_tfms[KS3_DIGEST_NR];

/*
 * CRC32 through the crypto API ("crc32": crc32-pclmul) while the library's
 * crc32_le() is generic C (compat.h); NULL when crc32_le() is as fast or
 * no transform could be had.
 */
static struct crypto_shash *ks3_crc32_tfm;

/*
 * The x86 drivers of the algorithms above (sha256_ssse3 has the SSSE3,
 * AVX, AVX2 and SHA-NI variants) and of CRC32/CRC32C; crc32c_intel must be
 * in before libcrc32c picks its driver. modprobe skips soft dependencies
 * that do not exist, so other architectures load as before.
 */
MODULE_SOFTDEP("pre: sha256_ssse3 sha1_ssse3 crc32_pclmul crc32c_intel");

static struct shash_desc *ks3_digest_desc(struct ks3_digest *d)
{
	return (struct shash_desc *)d->state;
}

unsigned int ks3_digest_size(enum ks3_digest_alg alg)
{
	return (unsigned int)alg < KS3_DIGEST_NR ?
	       ks3_digest_algos[alg].size : 0;
}

static bool ks3_digest_fits(struct crypto_shash *tfm)
{
	return sizeof(struct shash_desc) + crypto_shash_descsize(tfm) <=
	       sizeof(((struct ks3_digest *)NULL)->state);
}

static bool ks3_digest_is_generic(struct crypto_shash *tfm)
{
	const char *driver = crypto_shash_driver_name(tfm);
	size_t len = strlen(driver);

	return len >= 8 && !strcmp(driver + len - 8, "-generic");
}

/*
 * The best driver of @name. When only the generic one is registered, ask
 * modprobe for the algorithm ("crypto-sha256" names every module that
 * implements it): a no-op when the soft dependencies were loaded, the
 * accelerated driver when ks3.ko came in by insmod.
 */
static struct crypto_shash *ks3_digest_alloc_best(const char *name)
{
	struct crypto_shash *tfm;

	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm) || !ks3_digest_is_generic(tfm))
		return tfm;
	if (request_module("crypto-%s", name))
		return tfm;
	crypto_free_shash(tfm);
	return crypto_alloc_shash(name, 0, 0);
}

static struct crypto_shash *ks3_digest_alloc(const struct ks3_digest_algo *a)
{
	struct crypto_shash *tfm;

	tfm = ks3_digest_alloc_best(a->name);
	if (!IS_ERR(tfm) && !ks3_digest_fits(tfm)) {
		pr_info("%s: descriptor of %s too large, using %s\n", a->name,
			crypto_shash_driver_name(tfm), a->generic);
		crypto_free_shash(tfm);
		tfm = crypto_alloc_shash(a->generic, 0, 0);
		if (!IS_ERR(tfm) && !ks3_digest_fits(tfm)) {
			crypto_free_shash(tfm);
			tfm = ERR_PTR(-EOVERFLOW);
		}
	}
	if (!IS_ERR(tfm) &&
	    crypto_shash_digestsize(tfm) != a->size) {
		crypto_free_shash(tfm);
		tfm = ERR_PTR(-EINVAL);
	}
	return tfm;
}

int ks3_digest_init_module(void)
{
	struct crypto_shash *tfm;
	unsigned int i;

	BUILD_BUG_ON(__alignof__(struct shash_desc) > 16);
	for (i = 0; i < KS3_DIGEST_NR; i++) {
		tfm = ks3_digest_alloc(&ks3_digest_algos[i]);
		if (IS_ERR(tfm)) {
			pr_err("cannot use the %s hash: %ld\n",
			       ks3_digest_algos[i].name, PTR_ERR(tfm));
			ks3_digest_exit_module();
			return PTR_ERR(tfm);
		}
		ks3_digest_tfms[i] = tfm;
	}
	if (!KS3_COMPAT_CRC32_LIB_FAST) {
		tfm = ks3_digest_alloc_best("crc32");
		/* descsize is a u32 for every driver of 6.1 */
		if (!IS_ERR(tfm) && (ks3_digest_is_generic(tfm) ||
				     crypto_shash_descsize(tfm) != sizeof(u32))) {
			crypto_free_shash(tfm);
			tfm = NULL;
		}
		ks3_crc32_tfm = IS_ERR(tfm) ? NULL : tfm;
	}
	for (i = 0; i < KS3_DIGEST_NR; i++)
		pr_debug("%s: %s\n", ks3_digest_algos[i].name,
			 crypto_shash_driver_name(ks3_digest_tfms[i]));
	return 0;
}

void ks3_digest_exit_module(void)
{
	unsigned int i;

	for (i = 0; i < KS3_DIGEST_NR; i++) {
		if (ks3_digest_tfms[i])
			crypto_free_shash(ks3_digest_tfms[i]);
		ks3_digest_tfms[i] = NULL;
	}
	if (ks3_crc32_tfm)
		crypto_free_shash(ks3_crc32_tfm);
	ks3_crc32_tfm = NULL;
}

int ks3_digest_init(struct ks3_digest *d, enum ks3_digest_alg alg)
{
	struct shash_desc *desc = ks3_digest_desc(d);
	int ret;

	d->active = false;
	if ((unsigned int)alg >= KS3_DIGEST_NR)
		return -EINVAL;
	if (!ks3_digest_tfms[alg])
		return -ENOENT;
	d->alg = alg;
	desc->tfm = ks3_digest_tfms[alg];
	ret = crypto_shash_init(desc);
	if (ret)
		return ret;
	d->active = true;
	return 0;
}

int ks3_digest_update(struct ks3_digest *d, const void *data, size_t len)
{
	const u8 *p = data;
	unsigned int n;
	int ret;

	if (WARN_ON_ONCE(!d->active))
		return -EINVAL;
	while (len) {
		n = min_t(size_t, len, KS3_DIGEST_STEP);
		ret = crypto_shash_update(ks3_digest_desc(d), p, n);
		if (ret)
			return ret;
		p += n;
		len -= n;
	}
	return 0;
}

int ks3_digest_final(struct ks3_digest *d, u8 *out)
{
	int ret;

	if (WARN_ON_ONCE(!d->active))
		return -EINVAL;
	ret = crypto_shash_final(ks3_digest_desc(d), out);
	ks3_digest_abort(d);
	return ret;
}

void ks3_digest_abort(struct ks3_digest *d)
{
	if (!d->active)
		return;
	/* the state may be derived from a key (HMAC) */
	memzero_explicit(d->state, sizeof(d->state));
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
	return ks3_compat_crc64_nvme(crc, data, len);
}

/*
 * The register is the shash state (a u32, crc32_le() form): import it,
 * run the driver, export it. The driver itself falls back to crc32_le()
 * for short runs and where the FPU is not usable; its update never fails.
 */
static u32 ks3_crc32_shash(u32 crc, const u8 *p, size_t len)
{
	SHASH_DESC_ON_STACK(desc, ks3_crc32_tfm);
	unsigned int n;

	desc->tfm = ks3_crc32_tfm;
	if (crypto_shash_import(desc, &crc))
		return crc32_le(crc, p, len);
	while (len) {
		n = min_t(size_t, len, KS3_DIGEST_STEP);
		if (WARN_ON_ONCE(crypto_shash_update(desc, p, n)))
			break;
		p += n;
		len -= n;
	}
	crypto_shash_export(desc, &crc);
	return len ? crc32_le(crc, p, len) : crc;
}

u32 ks3_crc32_le(u32 crc, const void *data, size_t len)
{
	if (!ks3_crc32_tfm)
		return crc32_le(crc, data, len);
	return ks3_crc32_shash(crc, data, len);
}

int ks3_digest_impl(unsigned int i, const char **alg, const char **driver)
{
	static const char *const crcs[] = { "crc32", "crc32c", "crc64nvme" };

	if (i < KS3_DIGEST_NR) {
		*alg = ks3_digest_algos[i].name;
		*driver = ks3_digest_tfms[i] ?
			  crypto_shash_driver_name(ks3_digest_tfms[i]) : "none";
		return 0;
	}
	i -= KS3_DIGEST_NR;
	if (i >= ARRAY_SIZE(crcs))
		return -ENOENT;
	*alg = crcs[i];
	switch (i) {
	case 0:
		*driver = ks3_crc32_tfm ?
			  crypto_shash_driver_name(ks3_crc32_tfm) :
			  KS3_COMPAT_CRC32_LIB_FAST ? "crc32-lib" :
			  "crc32-generic";
		break;
	case 1:
		*driver = ks3_compat_crc32c_driver();
		break;
	default:
		*driver = ks3_compat_crc64_nvme_driver();
		break;
	}
	return 0;
}
