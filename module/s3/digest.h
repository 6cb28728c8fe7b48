/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Streaming MD5 / SHA-1 / SHA-256 and HMAC-SHA256 for ks3's pure code
 * (SigV4, aws-chunked, checksums, ETags).
 *
 * In the kernel (s3/digest.c) the hashes are crypto shash transforms
 * allocated once at module init ("md5", "sha1", "sha256": the crypto API
 * picks the SIMD drivers), each use running its own shash_desc kept inside
 * struct ks3_digest, so no allocation happens per request and any number
 * of users run in parallel. In userland (tools/testing/digest_openssl.c)
 * they are OpenSSL's EVP digests.
 *
 * Rules: every ks3_digest_init() that returned 0 is ended by exactly one
 * ks3_digest_final() or ks3_digest_abort() (abort is also safe after
 * final, and on a zeroed struct). Process context only (the kernel shash
 * descriptors may use the FPU).
 *
 * HMAC-SHA256 (s3/hmac.c, pure) is two SHA-256 passes with the ipad/opad
 * keys, never a keyed "hmac(sha256)" tfm: SigV4 keys change per request
 * and crypto_shash_setkey() on a shared tfm is not thread-safe.
 */
#ifndef _KS3_S3_DIGEST_H
#define _KS3_S3_DIGEST_H

#include <linux/compiler.h>
#include <linux/types.h>

enum ks3_digest_alg {
	KS3_DIGEST_MD5,
	KS3_DIGEST_SHA1,
	KS3_DIGEST_SHA256,
	KS3_DIGEST_NR,
};

#define KS3_MD5_SIZE		16
#define KS3_SHA1_SIZE		20
#define KS3_SHA256_SIZE		32
#define KS3_DIGEST_MAX_SIZE	32
#define KS3_SHA256_BLOCK_SIZE	64

/*
 * Room for a struct shash_desc and its context. 6.1's HASH_MAX_DESCSIZE
 * bounds every shash driver's descsize at 360 bytes; module init refuses a
 * driver that needs more (it then falls back to the "-generic" driver).
 */
#define KS3_DIGEST_STATE_WORDS	48

struct ks3_digest {
	u8 alg;				/* enum ks3_digest_alg */
	bool active;			/* between init and final/abort */
	u64 state[KS3_DIGEST_STATE_WORDS] __aligned(16);
};

/* Output size of @alg in bytes, 0 for an unknown one. */
unsigned int ks3_digest_size(enum ks3_digest_alg alg);

/*
 * Start a hash. Returns 0, -EINVAL for an unknown @alg, -ENOENT when the
 * module's transforms are not set up, -ENOMEM (userland only).
 */
int ks3_digest_init(struct ks3_digest *d, enum ks3_digest_alg alg);
/* Hash @len more bytes. 0 or a negative errno (software drivers never fail). */
int ks3_digest_update(struct ks3_digest *d, const void *data, size_t len);
/*
 * Write the digest (ks3_digest_size() bytes) to @out and end @d. @d is
 * ended even when an error is returned.
 */
int ks3_digest_final(struct ks3_digest *d, u8 *out);
/* End @d without a result. No-op when @d is not active. */
void ks3_digest_abort(struct ks3_digest *d);
/* One shot: the digest of @len bytes at @data into @out. */
int ks3_digest_oneshot(enum ks3_digest_alg alg, const void *data, size_t len,
		       u8 *out);

/*
 * CRC-64/NVME (x-amz-checksum-crc64nvme), as the kernel's crc64 library
 * computes it: inverted in and out, so feed the previous return value (0 to
 * start) and the result is the final CRC. 6.1 calls it
 * crc64_rocksoft_generic() (module crc64), 6.14+ crc64_nvme(): compat.h.
 */
u64 ks3_crc64_nvme(u64 crc, const void *data, size_t len);

/*
 * CRC-32 as zlib and S3 have it, in crc32_le() form: no inversion, so
 * start from ~0 and invert the result. The kernel runs the CPU's
 * instructions where the library's crc32_le() does not (compat.h).
 */
u32 ks3_crc32_le(u32 crc, const void *data, size_t len);

/*
 * For `s3ctl status`: the @i-th algorithm ks3 hashes with ("md5",
 * "sha256", "crc32c", ...) and the kernel driver that runs it
 * ("sha256-avx2", "crc32c-intel", "md5-generic"). 0, or -ENOENT past the
 * last one. Kernel only.
 */
int ks3_digest_impl(unsigned int i, const char **alg, const char **driver);

/* Module init/exit (main.c): allocate and free the shash transforms. */
int ks3_digest_init_module(void);
void ks3_digest_exit_module(void);

/* HMAC-SHA256 (s3/hmac.c), streaming and one shot. */
struct ks3_hmac {
	struct ks3_digest inner;
	u8 okey[KS3_SHA256_BLOCK_SIZE];	/* key ^ opad */
};

/*
 * Start an HMAC with @key (@key_len bytes, any length: longer than a block
 * is hashed first, as RFC 2104 says). Same rules as ks3_digest_init():
 * end with ks3_hmac_final() or ks3_hmac_abort().
 */
int ks3_hmac_init(struct ks3_hmac *h, const void *key, size_t key_len);
int ks3_hmac_update(struct ks3_hmac *h, const void *data, size_t len);
/* Writes KS3_SHA256_SIZE bytes to @out and ends @h (also on error). */
int ks3_hmac_final(struct ks3_hmac *h, u8 *out);
void ks3_hmac_abort(struct ks3_hmac *h);
int ks3_hmac_sha256(const void *key, size_t key_len, const void *data,
		    size_t len, u8 *out);

#endif /* _KS3_S3_DIGEST_H */
