// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the kernel side of s3/digest.h and s3/checksum.h, i.e. the real
 * shash drivers (md5, sha1, sha256), crc32_le, crc32c and the crc64
 * library, against tests/data/checksums.txt (every row, copied below),
 * RFC 4231 HMAC vectors and the S3 streaming example's chunk signature.
 * The same code runs over OpenSSL in tools/testing.
 */
#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "s3/checksum.h"
#include "s3/digest.h"
#include "s3/sigv4.h"

struct ks3_cksum_vector {
	enum ks3_cksum_alg alg;
	const char *input;	/* checksums.txt's input spec */
	const char *b64;
};

/* tests/data/checksums.txt */
static const struct ks3_cksum_vector ks3_cksum_vectors[] = {
	{ KS3_CKSUM_CRC32, "empty", "AAAAAA==" },
	{ KS3_CKSUM_CRC32C, "empty", "AAAAAA==" },
	{ KS3_CKSUM_CRC64NVME, "empty", "AAAAAAAAAAA=" },
	{ KS3_CKSUM_SHA1, "empty", "2jmj7l5rSw0yVb/vlWAYkK/YBwk=" },
	{ KS3_CKSUM_SHA256, "empty", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" },
	{ KS3_CKSUM_CRC32, "str:123456789", "y/Q5Jg==" },
	{ KS3_CKSUM_CRC32C, "str:123456789", "4waSgw==" },
	{ KS3_CKSUM_CRC64NVME, "str:123456789", "rosUhgp5mIg=" },
	{ KS3_CKSUM_SHA1, "str:123456789", "98O8HYCOBHMq32eZZczDTKeuNEE=" },
	{ KS3_CKSUM_SHA256, "str:123456789", "FeKw08M4keuw8e9gnsQZQgwg4yDOlMZfvIwzEkSOsiU=" },
	{ KS3_CKSUM_CRC32, "str:hello world", "DUoRhQ==" },
	{ KS3_CKSUM_CRC32C, "str:hello world", "yZRlqg==" },
	{ KS3_CKSUM_CRC64NVME, "str:hello world", "jSnVw/bqjr4=" },
	{ KS3_CKSUM_SHA1, "str:hello world", "Kq5sNclPz7QV2+lfQIuc6R7oRu0=" },
	{ KS3_CKSUM_SHA256, "str:hello world", "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=" },
	{ KS3_CKSUM_CRC32, "str:Hello world", "i9aeUg==" },
	{ KS3_CKSUM_CRC32C, "str:Hello world", "crUfeA==" },
	{ KS3_CKSUM_CRC64NVME, "str:Hello world", "OOJZ0D8xKts=" },
	{ KS3_CKSUM_SHA1, "str:Hello world", "e1AsOh9IyGCa4hLN+2Od7jlnP14=" },
	{ KS3_CKSUM_SHA256, "str:Hello world", "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=" },
	{ KS3_CKSUM_CRC32, "str:abc", "NSRBwg==" },
	{ KS3_CKSUM_CRC32C, "str:abc", "Nks/tw==" },
	{ KS3_CKSUM_CRC64NVME, "str:abc", "BeXKuz/B+us=" },
	{ KS3_CKSUM_SHA1, "str:abc", "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=" },
	{ KS3_CKSUM_SHA256, "str:abc", "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" },
	{ KS3_CKSUM_CRC32, "str:Welcome to Amazon S3.", "Ox7nCg==" },
	{ KS3_CKSUM_CRC32C, "str:Welcome to Amazon S3.", "5G2V+Q==" },
	{ KS3_CKSUM_CRC64NVME, "str:Welcome to Amazon S3.", "tPfi9Kicx+M=" },
	{ KS3_CKSUM_SHA1, "str:Welcome to Amazon S3.", "yBt20ll2Oj9Ev3fHrkTHwj+qSZk=" },
	{ KS3_CKSUM_SHA256, "str:Welcome to Amazon S3.",
	  "RM591nyVng01JP+sF3Hfu6h9K2tLTpnkIDSouAP4sHI=" },
	{ KS3_CKSUM_CRC32, "rep:61x66560", "sK4Y7A==" },
	{ KS3_CKSUM_CRC32C, "rep:61x66560", "sOO8/Q==" },
	{ KS3_CKSUM_CRC64NVME, "rep:61x66560", "pRf+emrnL+A=" },
	{ KS3_CKSUM_SHA1, "rep:61x66560", "qOlv5ixdz2jRNhlSLmgH6iaTKRI=" },
	{ KS3_CKSUM_SHA256, "rep:61x66560", "zWnTiHxq+SZLEA17dgIzEzXZqn4718MM3G1vS/uzyIg=" },
	{ KS3_CKSUM_CRC32, "rep:00x32", "GQpVrQ==" },
	{ KS3_CKSUM_CRC32C, "rep:00x32", "ipE2qg==" },
	{ KS3_CKSUM_CRC64NVME, "rep:00x32", "zzRzQ01Ozzs=" },
	{ KS3_CKSUM_SHA1, "rep:00x32", "3oqEe/+MND1puFOiFebud17y75Y=" },
	{ KS3_CKSUM_SHA256, "rep:00x32", "Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU=" },
	{ KS3_CKSUM_CRC32, "rep:ffx32", "/2yrCw==" },
	{ KS3_CKSUM_CRC32C, "rep:ffx32", "YqirQw==" },
	{ KS3_CKSUM_CRC64NVME, "rep:ffx32", "oKBpdMNNY8Q=" },
	{ KS3_CKSUM_SHA1, "rep:ffx32", "nlF1AIdR0I82FIjJknCGsna5Zfo=" },
	{ KS3_CKSUM_SHA256, "rep:ffx32", "r5YTdg9yY1+9tEpaCmPDnxKvMPlQpu5clxvhiOicQFE=" },
	{ KS3_CKSUM_CRC32, "rep:00x4096", "xxwAEQ==" },
	{ KS3_CKSUM_CRC32C, "rep:00x4096", "mPlBiQ==" },
	{ KS3_CKSUM_CRC64NVME, "rep:00x4096", "ZILTZ+sitk4=" },
	{ KS3_CKSUM_SHA1, "rep:00x4096", "HOr3PfQOUx3zv7JrT7fNlft7/x0=" },
	{ KS3_CKSUM_SHA256, "rep:00x4096", "rX+sslhvxulmwATX0dFrAk9YBf98tHx6hdq9i0iJLKc=" },
	{ KS3_CKSUM_CRC32, "rep:ffx4096", "8VRnCg==" },
	{ KS3_CKSUM_CRC32C, "rep:ffx4096", "JcH+Ew==" },
	{ KS3_CKSUM_CRC64NVME, "rep:ffx4096", "wN26cwLso6w=" },
	{ KS3_CKSUM_SHA1, "rep:ffx4096", "4MZmSdFDTso0NQM6MmNMuQzvDzE=" },
	{ KS3_CKSUM_SHA256, "rep:ffx4096", "9HqOw+mv8jGNiWlCKCrU/jfWORyCkU9UpdqKN94TAMY=" },
	{ KS3_CKSUM_CRC32, "seq:00-1f", "kSZ+ig==" },
	{ KS3_CKSUM_CRC32C, "seq:00-1f", "Rt15Tg==" },
	{ KS3_CKSUM_CRC64NVME, "seq:00-1f", "udnUqEksvX8=" },
	{ KS3_CKSUM_SHA1, "seq:00-1f", "rlvY7+pTIsTZmG0GaAp4E5L5pkI=" },
	{ KS3_CKSUM_SHA256, "seq:00-1f", "Yw3NKWbEM2aRElRIu7JbT/QSpJxzLbLIq8G4WBvXEN0=" },
	{ KS3_CKSUM_CRC32, "seq:1f-00", "mrDvcg==" },
	{ KS3_CKSUM_CRC32C, "seq:1f-00", "ET/bXA==" },
	{ KS3_CKSUM_CRC64NVME, "seq:1f-00", "FxFacSAl9a8=" },
	{ KS3_CKSUM_SHA1, "seq:1f-00", "6+LclCF1152J9ZhYCctlTxd2Ll8=" },
	{ KS3_CKSUM_SHA256, "seq:1f-00", "acVckALrjHpOddC0linEz4PRLPtWZwqM1uLbFJGplsQ=" },
};

/* Expand an input spec into @buf (at least 4096 bytes); its length. */
static size_t ks3_test_spec(const char *spec, u8 *buf, size_t size)
{
	unsigned int hh, n, i;

	if (!strcmp(spec, "empty"))
		return 0;
	if (!strncmp(spec, "str:", 4)) {
		n = strlen(spec + 4);
		memcpy(buf, spec + 4, min_t(size_t, n, size));
		return n;
	}
	if (sscanf(spec, "rep:%2xx%u", &hh, &n) == 2) {
		if (n > size)
			return SIZE_MAX;
		memset(buf, hh, n);
		return n;
	}
	for (i = 0; i < 32; i++)
		buf[i] = !strcmp(spec, "seq:00-1f") ? i : 31 - i;
	return 32;
}

static void ks3_cksum_vectors_test(struct kunit *test)
{
	const size_t size = 66560;
	u8 *in = kunit_kmalloc(test, size, GFP_KERNEL);
	u8 raw[KS3_CKSUM_MAX_SIZE];
	char b64[KS3_CKSUM_B64_MAX + 1];
	unsigned int i, per_alg[KS3_CKSUM_NR] = { 0 };
	size_t len, split;

	KUNIT_ASSERT_NOT_NULL(test, in);
	for (i = 0; i < ARRAY_SIZE(ks3_cksum_vectors); i++) {
		const struct ks3_cksum_vector *v = &ks3_cksum_vectors[i];

		len = ks3_test_spec(v->input, in, size);
		KUNIT_ASSERT_LE(test, len, size);
		/* whole, and split at a few points */
		for (split = 0; split <= len; split += len / 3 + 1) {
			struct ks3_cksum c;

			KUNIT_ASSERT_EQ(test, ks3_cksum_init(&c, v->alg), 0);
			KUNIT_ASSERT_EQ(test, ks3_cksum_update(&c, in, split), 0);
			KUNIT_ASSERT_EQ(test, ks3_cksum_update(&c, in + split,
							       len - split), 0);
			KUNIT_ASSERT_EQ(test, ks3_cksum_final(&c, raw),
					(int)ks3_cksum_size(v->alg));
			ks3_base64_encode(b64, raw, ks3_cksum_size(v->alg));
			KUNIT_EXPECT_STREQ_MSG(test, b64, v->b64, "%s %s split %zu",
					       ks3_cksum_name(v->alg), v->input,
					       split);
			KUNIT_EXPECT_TRUE(test, ks3_cksum_matches(v->alg, raw,
								  v->b64,
								  strlen(v->b64)));
		}
		per_alg[v->alg]++;
	}
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(ks3_cksum_vectors), 65);
	KUNIT_EXPECT_EQ(test, per_alg[KS3_CKSUM_CRC64NVME], 13);
}

static void ks3_digest_md5_test(struct kunit *test)
{
	static const u8 abc_md5[16] = {
		0x90, 0x01, 0x50, 0x98, 0x3c, 0xd2, 0x4f, 0xb0,
		0xd6, 0x96, 0x3f, 0x7d, 0x28, 0xe1, 0x7f, 0x72,
	};
	struct ks3_digest d;
	u8 out[16];

	KUNIT_ASSERT_EQ(test, ks3_digest_init(&d, KS3_DIGEST_MD5), 0);
	KUNIT_ASSERT_EQ(test, ks3_digest_update(&d, "a", 1), 0);
	KUNIT_ASSERT_EQ(test, ks3_digest_update(&d, "bc", 2), 0);
	KUNIT_ASSERT_EQ(test, ks3_digest_final(&d, out), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, abc_md5, 16), 0);
	KUNIT_EXPECT_FALSE(test, d.active);
	ks3_digest_abort(&d);	/* harmless after final */
	KUNIT_EXPECT_EQ(test, ks3_digest_init(&d, KS3_DIGEST_NR), -EINVAL);
}

static void ks3_hmac_rfc4231_test(struct kunit *test)
{
	static const u8 want1[32] = {
		0xb0, 0x34, 0x4c, 0x61, 0xd8, 0xdb, 0x38, 0x53,
		0x5c, 0xa8, 0xaf, 0xce, 0xaf, 0x0b, 0xf1, 0x2b,
		0x88, 0x1d, 0xc2, 0x00, 0xc9, 0x83, 0x3d, 0xa7,
		0x26, 0xe9, 0x37, 0x6c, 0x2e, 0x32, 0xcf, 0xf7,
	};
	static const u8 want6[32] = {
		0x60, 0xe4, 0x31, 0x59, 0x1e, 0xe0, 0xb6, 0x7f,
		0x0d, 0x8a, 0x26, 0xaa, 0xcb, 0xf5, 0xb7, 0x7f,
		0x8e, 0x0b, 0xc6, 0x21, 0x37, 0x28, 0xc5, 0x14,
		0x05, 0x46, 0x04, 0x0f, 0x0e, 0xe3, 0x7f, 0x54,
	};
	static const char big_key_msg[] =
		"Test Using Larger Than Block-Size Key - Hash Key First";
	u8 key[131], mac[32];

	memset(key, 0x0b, 20);
	KUNIT_ASSERT_EQ(test, ks3_hmac_sha256(key, 20, "Hi There", 8, mac), 0);
	KUNIT_EXPECT_EQ(test, memcmp(mac, want1, 32), 0);
	memset(key, 0xaa, sizeof(key));
	KUNIT_ASSERT_EQ(test, ks3_hmac_sha256(key, sizeof(key), big_key_msg,
					      54, mac), 0);
	KUNIT_EXPECT_EQ(test, memcmp(mac, want6, 32), 0);
}

/* tests/data/s3-examples/chunked-put-object: seed and chunk 2 (1 KiB) */
static void ks3_sigv4_chunk_test(struct kunit *test)
{
	static const char seed[] =
		"4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
	static const char chunk1[] =
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
	static const char chunk2[] =
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
	static const char secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
	struct ks3_sigv4_stream *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	u8 *data = kunit_kmalloc(test, 65536, GFP_KERNEL);
	u8 sha[32], sig[32], want[32];

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, data);
	KUNIT_ASSERT_EQ(test, ks3_sigv4_signing_key(s->key, secret, 40,
						    "20130524", "us-east-1", 9,
						    "s3", 2), 0);
	memcpy(s->amz_date, "20130524T000000Z", 16);
	memcpy(s->scope, "20130524/us-east-1/s3/aws4_request", 34);
	s->scope_len = 34;
	KUNIT_ASSERT_EQ(test, ks3_hex_decode(s->seed, seed, 32, true), 0);
	memset(data, 'a', 65536);
	KUNIT_ASSERT_EQ(test, ks3_digest_oneshot(KS3_DIGEST_SHA256, data, 65536,
						 sha), 0);
	KUNIT_ASSERT_EQ(test, ks3_sigv4_chunk_signature(s, s->seed, sha, sig), 0);
	KUNIT_ASSERT_EQ(test, ks3_hex_decode(want, chunk1, 32, true), 0);
	KUNIT_EXPECT_EQ(test, memcmp(sig, want, 32), 0);
	KUNIT_ASSERT_EQ(test, ks3_digest_oneshot(KS3_DIGEST_SHA256, data, 1024,
						 sha), 0);
	KUNIT_ASSERT_EQ(test, ks3_sigv4_chunk_signature(s, want, sha, sig), 0);
	KUNIT_ASSERT_EQ(test, ks3_hex_decode(want, chunk2, 32, true), 0);
	KUNIT_EXPECT_EQ(test, memcmp(sig, want, 32), 0);
}

/*
 * ks3_crc32_le() runs crc32-pclmul where it can: the same CRC as the
 * library's crc32_le() at every length (the driver's SIMD path starts at
 * 64 bytes plus alignment) and alignment, and fed in pieces.
 */
static void ks3_crc32_driver_test(struct kunit *test)
{
	static const size_t lens[] = { 0, 1, 15, 63, 64, 79, 80, 127, 1000,
				       4096, 65536 + 7 };
	unsigned int i, off;
	u8 *buf;
	u32 a, b;

	buf = kunit_kmalloc(test, 65536 + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 65536 + 64; i++)
		buf[i] = (u8)(i * 131 + (i >> 8));
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		for (off = 0; off < 16; off += 5) {
			a = crc32_le(~0U, buf + off, lens[i]);
			b = ks3_crc32_le(~0U, buf + off, lens[i]);
			KUNIT_EXPECT_EQ_MSG(test, a, b, "len %zu off %u",
					    lens[i], off);
			b = ks3_crc32_le(~0U, buf + off, lens[i] / 3);
			b = ks3_crc32_le(b, buf + off + lens[i] / 3,
					 lens[i] - lens[i] / 3);
			KUNIT_EXPECT_EQ_MSG(test, a, b, "split len %zu off %u",
					    lens[i], off);
		}
	}
}

/* What `s3ctl status` lists: every algorithm, each with a driver. */
static void ks3_digest_impl_test(struct kunit *test)
{
	static const char *const algs[] = { "md5", "sha1", "sha256", "crc32",
					    "crc32c", "crc64nvme" };
	const char *alg, *driver;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(algs); i++) {
		KUNIT_ASSERT_EQ(test, ks3_digest_impl(i, &alg, &driver), 0);
		KUNIT_EXPECT_STREQ(test, alg, algs[i]);
		KUNIT_EXPECT_NE(test, strlen(driver), 0U);
		KUNIT_EXPECT_STRNEQ(test, driver, "none");
		kunit_info(test, "%s: %s\n", alg, driver);
	}
	KUNIT_EXPECT_EQ(test, ks3_digest_impl(i, &alg, &driver), -ENOENT);
}

static int ks3_s3_crypto_init(struct kunit_suite *suite)
{
	return ks3_digest_init_module();
}

static void ks3_s3_crypto_exit(struct kunit_suite *suite)
{
	ks3_digest_exit_module();
}

static struct kunit_case ks3_s3_crypto_cases[] = {
	KUNIT_CASE(ks3_cksum_vectors_test),
	KUNIT_CASE(ks3_digest_md5_test),
	KUNIT_CASE(ks3_hmac_rfc4231_test),
	KUNIT_CASE(ks3_sigv4_chunk_test),
	KUNIT_CASE(ks3_crc32_driver_test),
	KUNIT_CASE(ks3_digest_impl_test),
	{}
};

static struct kunit_suite ks3_s3_crypto_suite = {
	.name = "ks3_s3_crypto",
	.suite_init = ks3_s3_crypto_init,
	.suite_exit = ks3_s3_crypto_exit,
	.test_cases = ks3_s3_crypto_cases,
};

kunit_test_suite(ks3_s3_crypto_suite);
