// SPDX-License-Identifier: GPL-2.0
/*
 * S3 additional checksums, base64 and hex. Pure code: the CRCs come from
 * ks3_crc32_le() (digest.c: the crypto API's crc32-pclmul where the
 * library's crc32_le() is generic C), libcrc32c (crc32c) and the crc64
 * library through ks3_crc64_nvme() (digest.c), the
 * SHAs from s3/digest.h; the userland shims provide the same functions.
 */
#include <linux/crc32c.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <crypto/algapi.h>

#include "s3/checksum.h"

struct ks3_cksum_desc {
	const char *name;
	const char *header;
	u8 size;
};

static const struct ks3_cksum_desc ks3_cksum_descs[KS3_CKSUM_NR] = {
	[KS3_CKSUM_NONE] = { "", "", 0 },
	[KS3_CKSUM_CRC32] = { "CRC32", "x-amz-checksum-crc32", 4 },
	[KS3_CKSUM_CRC32C] = { "CRC32C", "x-amz-checksum-crc32c", 4 },
	[KS3_CKSUM_CRC64NVME] = { "CRC64NVME", "x-amz-checksum-crc64nvme", 8 },
	[KS3_CKSUM_SHA1] = { "SHA1", "x-amz-checksum-sha1", KS3_SHA1_SIZE },
	[KS3_CKSUM_SHA256] = { "SHA256", "x-amz-checksum-sha256",
			       KS3_SHA256_SIZE },
};

static char ks3_cksum_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Is @s (@len bytes) @ref, ignoring ASCII case? */
static bool ks3_cksum_eq_nocase(const char *s, size_t len, const char *ref)
{
	size_t i;

	if (len != strlen(ref))
		return false;
	for (i = 0; i < len; i++)
		if (ks3_cksum_lower(s[i]) != ks3_cksum_lower(ref[i]))
			return false;
	return true;
}

enum ks3_cksum_alg ks3_cksum_from_name(const char *s, size_t len)
{
	unsigned int i;

	for (i = KS3_CKSUM_NONE + 1; i < KS3_CKSUM_NR; i++)
		if (ks3_cksum_eq_nocase(s, len, ks3_cksum_descs[i].name))
			return i;
	return KS3_CKSUM_NONE;
}

enum ks3_cksum_alg ks3_cksum_from_header(const char *name, size_t len)
{
	unsigned int i;

	for (i = KS3_CKSUM_NONE + 1; i < KS3_CKSUM_NR; i++)
		if (ks3_cksum_eq_nocase(name, len, ks3_cksum_descs[i].header))
			return i;
	return KS3_CKSUM_NONE;
}

const char *ks3_cksum_name(enum ks3_cksum_alg alg)
{
	return (unsigned int)alg < KS3_CKSUM_NR ? ks3_cksum_descs[alg].name : "";
}

const char *ks3_cksum_header(enum ks3_cksum_alg alg)
{
	return (unsigned int)alg < KS3_CKSUM_NR ?
	       ks3_cksum_descs[alg].header : "";
}

unsigned int ks3_cksum_size(enum ks3_cksum_alg alg)
{
	return (unsigned int)alg < KS3_CKSUM_NR ? ks3_cksum_descs[alg].size : 0;
}

int ks3_cksum_init(struct ks3_cksum *c, enum ks3_cksum_alg alg)
{
	memset(c, 0, sizeof(*c));
	c->alg = alg;
	switch (alg) {
	case KS3_CKSUM_NONE:
		return 0;
	case KS3_CKSUM_CRC32:
	case KS3_CKSUM_CRC32C:
		c->crc32 = ~0U;
		return 0;
	case KS3_CKSUM_CRC64NVME:
		c->crc64 = 0;
		return 0;
	case KS3_CKSUM_SHA1:
		return ks3_digest_init(&c->digest, KS3_DIGEST_SHA1);
	case KS3_CKSUM_SHA256:
		return ks3_digest_init(&c->digest, KS3_DIGEST_SHA256);
	default:
		c->alg = KS3_CKSUM_NONE;
		return -EINVAL;
	}
}

int ks3_cksum_update(struct ks3_cksum *c, const void *data, size_t len)
{
	const u8 *p = data;
	unsigned int n;

	switch (c->alg) {
	case KS3_CKSUM_CRC32:
		c->crc32 = ks3_crc32_le(c->crc32, p, len);
		return 0;
	case KS3_CKSUM_CRC32C:
		/* crc32c() takes an unsigned int length */
		while (len) {
			n = min_t(size_t, len, 1U << 30);
			c->crc32 = crc32c(c->crc32, p, n);
			p += n;
			len -= n;
		}
		return 0;
	case KS3_CKSUM_CRC64NVME:
		c->crc64 = ks3_crc64_nvme(c->crc64, p, len);
		return 0;
	case KS3_CKSUM_SHA1:
	case KS3_CKSUM_SHA256:
		return ks3_digest_update(&c->digest, p, len);
	default:
		return 0;
	}
}

static void ks3_cksum_put_be(u8 *out, u64 v, unsigned int size)
{
	unsigned int i;

	for (i = 0; i < size; i++)
		out[i] = (u8)(v >> (8 * (size - 1 - i)));
}

int ks3_cksum_final(struct ks3_cksum *c, u8 *out)
{
	int ret;

	switch (c->alg) {
	case KS3_CKSUM_CRC32:
	case KS3_CKSUM_CRC32C:
		ks3_cksum_put_be(out, (u32)~c->crc32, 4);
		return 4;
	case KS3_CKSUM_CRC64NVME:
		ks3_cksum_put_be(out, c->crc64, 8);
		return 8;
	case KS3_CKSUM_SHA1:
	case KS3_CKSUM_SHA256:
		ret = ks3_digest_final(&c->digest, out);
		return ret ? ret : (int)ks3_cksum_size(c->alg);
	default:
		return 0;
	}
}

void ks3_cksum_abort(struct ks3_cksum *c)
{
	if (c->alg == KS3_CKSUM_SHA1 || c->alg == KS3_CKSUM_SHA256)
		ks3_digest_abort(&c->digest);
}

bool ks3_cksum_valid_b64(enum ks3_cksum_alg alg, const char *b64, size_t len)
{
	u8 raw[KS3_CKSUM_MAX_SIZE];
	unsigned int size = ks3_cksum_size(alg);

	return size && ks3_base64_decode(raw, sizeof(raw), b64, len) == size;
}

bool ks3_cksum_matches(enum ks3_cksum_alg alg, const u8 *raw,
		       const char *b64, size_t len)
{
	u8 got[KS3_CKSUM_MAX_SIZE];
	unsigned int size = ks3_cksum_size(alg);

	if (!size || ks3_base64_decode(got, sizeof(got), b64, len) != size)
		return false;
	return !crypto_memneq(got, raw, size);
}

static const char ks3_b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t ks3_base64_encode(char *dst, const u8 *src, size_t len)
{
	size_t i, o = 0;
	u32 v;

	for (i = 0; i + 3 <= len; i += 3) {
		v = (u32)src[i] << 16 | (u32)src[i + 1] << 8 | src[i + 2];
		dst[o++] = ks3_b64_alphabet[(v >> 18) & 63];
		dst[o++] = ks3_b64_alphabet[(v >> 12) & 63];
		dst[o++] = ks3_b64_alphabet[(v >> 6) & 63];
		dst[o++] = ks3_b64_alphabet[v & 63];
	}
	if (len - i == 1) {
		v = (u32)src[i] << 16;
		dst[o++] = ks3_b64_alphabet[(v >> 18) & 63];
		dst[o++] = ks3_b64_alphabet[(v >> 12) & 63];
		dst[o++] = '=';
		dst[o++] = '=';
	} else if (len - i == 2) {
		v = (u32)src[i] << 16 | (u32)src[i + 1] << 8;
		dst[o++] = ks3_b64_alphabet[(v >> 18) & 63];
		dst[o++] = ks3_b64_alphabet[(v >> 12) & 63];
		dst[o++] = ks3_b64_alphabet[(v >> 6) & 63];
		dst[o++] = '=';
	}
	dst[o] = '\0';
	return o;
}

/* The 6-bit value of a base64 symbol, or -1. */
static int ks3_b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

ssize_t ks3_base64_decode(u8 *dst, size_t dst_size, const char *src,
			  size_t len)
{
	size_t i, o = 0, pad = 0, out_len;
	int a, b, c, d;
	u32 v;

	if (len % 4)
		return -EINVAL;
	if (len && src[len - 1] == '=')
		pad = (len >= 2 && src[len - 2] == '=') ? 2 : 1;
	out_len = len / 4 * 3 - pad;
	if (out_len > dst_size)
		return -ENOSPC;
	for (i = 0; i < len; i += 4) {
		bool last = i + 4 == len;

		a = ks3_b64_value(src[i]);
		b = ks3_b64_value(src[i + 1]);
		c = (last && pad == 2) ? 0 : ks3_b64_value(src[i + 2]);
		d = (last && pad) ? 0 : ks3_b64_value(src[i + 3]);
		if (a < 0 || b < 0 || c < 0 || d < 0)
			return -EINVAL;
		v = (u32)a << 18 | (u32)b << 12 | (u32)c << 6 | (u32)d;
		/* non-canonical: bits under the padding must be zero */
		if (last && pad == 2 && (v & 0xffff))
			return -EINVAL;
		if (last && pad == 1 && (v & 0xff))
			return -EINVAL;
		dst[o++] = (u8)(v >> 16);
		if (!(last && pad == 2))
			dst[o++] = (u8)(v >> 8);
		if (!(last && pad))
			dst[o++] = (u8)v;
	}
	return (ssize_t)o;
}

void ks3_hex_encode(char *out, const u8 *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
}

static int ks3_hex_value(char c, bool lower_only)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (!lower_only && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ks3_hex_decode(u8 *out, const char *in, size_t len, bool lower_only)
{
	int hi, lo;
	size_t i;

	for (i = 0; i < len; i++) {
		hi = ks3_hex_value(in[2 * i], lower_only);
		lo = ks3_hex_value(in[2 * i + 1], lower_only);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (u8)(hi << 4 | lo);
	}
	return 0;
}
