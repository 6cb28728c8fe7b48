/* SPDX-License-Identifier: GPL-2.0 */
/*
 * S3 additional checksums (x-amz-checksum-crc32, -crc32c, -crc64nvme,
 * -sha1, -sha256; x-amz-checksum-algorithm, x-amz-sdk-checksum-algorithm)
 * and the encodings they and SigV4 travel in (base64, hex). Pure code.
 *
 * A checksum value on the wire is standard base64 (with padding) of the
 * raw bytes: the CRC as a big-endian integer (4 bytes for CRC32/CRC32C,
 * 8 for CRC64NVME) or the raw SHA digest.
 *
 * Streaming: ks3_cksum_init(), ks3_cksum_update() per body piece,
 * ks3_cksum_final() (or ks3_cksum_abort() on the error path: SHA states
 * hold a struct ks3_digest), then ks3_cksum_matches() against what the
 * client sent (header at begin, or an aws-chunked trailer at the end).
 */
#ifndef _KS3_S3_CHECKSUM_H
#define _KS3_S3_CHECKSUM_H

#include <linux/types.h>

#include "s3/digest.h"

enum ks3_cksum_alg {
	KS3_CKSUM_NONE,
	KS3_CKSUM_CRC32,
	KS3_CKSUM_CRC32C,
	KS3_CKSUM_CRC64NVME,
	KS3_CKSUM_SHA1,
	KS3_CKSUM_SHA256,
	KS3_CKSUM_NR,
};

#define KS3_CKSUM_MAX_SIZE	32	/* raw bytes (SHA-256) */
#define KS3_CKSUM_B64_MAX	44	/* base64 chars of 32 bytes */

/*
 * "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256" (the
 * x-amz-checksum-algorithm values), compared case-insensitively. Returns
 * KS3_CKSUM_NONE for anything else (S3: InvalidRequest / InvalidArgument).
 */
enum ks3_cksum_alg ks3_cksum_from_name(const char *s, size_t len);
/*
 * The algorithm of a header or trailer field name "x-amz-checksum-crc32"
 * ... (case-insensitive), KS3_CKSUM_NONE if @name is not one of the five
 * (x-amz-checksum-algorithm, x-amz-checksum-type are not checksums).
 */
enum ks3_cksum_alg ks3_cksum_from_header(const char *name, size_t len);
/* "CRC32" ... ; "" for NONE or out of range. */
const char *ks3_cksum_name(enum ks3_cksum_alg alg);
/* "x-amz-checksum-crc32" ...; "" for NONE or out of range. */
const char *ks3_cksum_header(enum ks3_cksum_alg alg);
/* Raw size: 4, 4, 8, 20, 32; 0 for NONE or out of range. */
unsigned int ks3_cksum_size(enum ks3_cksum_alg alg);

struct ks3_cksum {
	u8 alg;				/* enum ks3_cksum_alg */
	union {
		u32 crc32;		/* running register, CRC32 / CRC32C */
		u64 crc64;		/* CRC64NVME, ks3_crc64_nvme() form */
		struct ks3_digest digest;	/* SHA1 / SHA256 */
	};
};

/*
 * Start a checksum. KS3_CKSUM_NONE is accepted (updates do nothing, final
 * gives 0 bytes). Returns 0 or a negative errno (-EINVAL for an unknown
 * @alg, or what ks3_digest_init() returns).
 */
int ks3_cksum_init(struct ks3_cksum *c, enum ks3_cksum_alg alg);
int ks3_cksum_update(struct ks3_cksum *c, const void *data, size_t len);
/*
 * Write the raw checksum to @out (ks3_cksum_size() bytes, at most
 * KS3_CKSUM_MAX_SIZE) and end @c. Returns the size or a negative errno.
 */
int ks3_cksum_final(struct ks3_cksum *c, u8 *out);
/* End @c without a result (frees nothing in the kernel; needed anyway). */
void ks3_cksum_abort(struct ks3_cksum *c);

/*
 * Does the client's base64 value @b64 (@len chars, no surrounding space)
 * name exactly the raw checksum @raw of @alg? False for bad base64 (strict:
 * padding and length checked) or a length other than the algorithm's.
 * Constant-time in the compared bytes.
 */
bool ks3_cksum_matches(enum ks3_cksum_alg alg, const u8 *raw,
		       const char *b64, size_t len);
/*
 * Is @b64 a well-formed value for @alg (strict base64 of exactly
 * ks3_cksum_size() bytes)? For checking a header at begin() (S3:
 * InvalidRequest "Value for x-amz-checksum-crc32 header is invalid.").
 */
bool ks3_cksum_valid_b64(enum ks3_cksum_alg alg, const char *b64, size_t len);

/* base64 (RFC 4648 section 4, '+' '/', '=' padding) */
#define KS3_BASE64_LEN(n)	((((n) + 2) / 3) * 4)
/*
 * Encode @len bytes at @src to @dst, which holds KS3_BASE64_LEN(@len) + 1
 * bytes (NUL-terminated). Returns the length without the NUL.
 */
size_t ks3_base64_encode(char *dst, const u8 *src, size_t len);
/*
 * Strict decode: @len a multiple of 4, only the alphabet, '=' only as the
 * last one or two chars, and the unused bits of the last symbol zero (one
 * encoding per value). Returns the decoded size, -EINVAL for bad input,
 * -ENOSPC if it does not fit @dst_size.
 */
ssize_t ks3_base64_decode(u8 *dst, size_t dst_size, const char *src,
			  size_t len);

/* Lower-case hex of @len bytes into @out (2 * @len chars, no NUL). */
void ks3_hex_encode(char *out, const u8 *in, size_t len);
/*
 * Decode exactly 2 * @len hex chars at @in into @out. @lower_only refuses
 * upper case (SigV4 signatures and payload hashes are lower case). Returns
 * 0 or -EINVAL.
 */
int ks3_hex_decode(u8 *out, const char *in, size_t len, bool lower_only);

#endif /* _KS3_S3_CHECKSUM_H */
