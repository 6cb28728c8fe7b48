// SPDX-License-Identifier: GPL-2.0
/*
 * S3 checksums, base64 and hex against tests/data/checksums.txt, streamed
 * in every split, plus the strict base64 rules.
 */
#include "s3/checksum.c"
#include "s3/hmac.c"
#include "digest_openssl.c"

#include "unit.h"
#include "s3_testdata.h"

/* Expand an input spec of checksums.txt into @buf; returns its length. */
static size_t spec_input(const char *spec, u8 *buf, size_t size)
{
	unsigned int hh, n, i;

	if (!strcmp(spec, "empty"))
		return 0;
	if (!strncmp(spec, "str:", 4)) {
		n = strlen(spec + 4);
		if (n > size)
			abort();
		memcpy(buf, spec + 4, n);
		return n;
	}
	if (sscanf(spec, "rep:%2xx%u", &hh, &n) == 2) {
		if (n > size)
			abort();
		memset(buf, (int)hh, n);
		return n;
	}
	if (!strcmp(spec, "seq:00-1f")) {
		for (i = 0; i < 32; i++)
			buf[i] = (u8)i;
		return 32;
	}
	if (!strcmp(spec, "seq:1f-00")) {
		for (i = 0; i < 32; i++)
			buf[i] = (u8)(31 - i);
		return 32;
	}
	abort();
}

static int cksum_run(enum ks3_cksum_alg alg, const u8 *in, size_t len,
		     size_t split, u8 *out)
{
	struct ks3_cksum c;
	int ret;

	ret = ks3_cksum_init(&c, alg);
	if (ret)
		return ret;
	if (ks3_cksum_update(&c, in, split) ||
	    ks3_cksum_update(&c, in + split, len - split)) {
		ks3_cksum_abort(&c);
		return -EIO;
	}
	return ks3_cksum_final(&c, out);
}

TEST(vectors)
{
	static u8 in[1 << 17];
	char *file, *line, *save = NULL;
	unsigned int rows = 0, per_alg[KS3_CKSUM_NR] = { 0 };

	file = td_read("checksums.txt", NULL);
	ASSERT_NOT_NULL(file);
	for (line = strtok_r(file, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[5], *p = line, *tab;
		u8 want[KS3_CKSUM_MAX_SIZE], got[KS3_CKSUM_MAX_SIZE];
		char b64[KS3_CKSUM_B64_MAX + 1], hex[2 * KS3_CKSUM_MAX_SIZE];
		enum ks3_cksum_alg alg;
		unsigned int size, i;
		size_t len, split;

		if (line[0] == '#' || !line[0])
			continue;
		for (i = 0; i < 5; i++) {
			f[i] = p;
			tab = strchr(p, '\t');
			if (tab) {
				*tab = '\0';
				p = tab + 1;
			} else {
				p += strlen(p);
			}
		}
		alg = ks3_cksum_from_name(f[0], strlen(f[0]));
		ASSERT_NE(alg, KS3_CKSUM_NONE);
		EXPECT_STREQ(ks3_cksum_name(alg), f[0]);
		size = ks3_cksum_size(alg);
		ASSERT_EQ(strlen(f[2]), 2 * size);
		ASSERT_EQ(ks3_hex_decode(want, f[2], size, true), 0);
		len = spec_input(f[1], in, sizeof(in));
		/* every split for short inputs, a few for long ones */
		for (split = 0; split <= len;
		     split += len < 80 ? 1 : len / 7 + 1) {
			memset(got, 0, sizeof(got));
			ASSERT_EQ(cksum_run(alg, in, len, split, got), size);
			if (memcmp(got, want, size)) {
				unit_fail(__FILE__, __LINE__, "%s %s split %zu",
					  f[0], f[1], split);
				break;
			}
		}
		EXPECT_EQ(ks3_base64_encode(b64, want, size), strlen(f[3]));
		EXPECT_STREQ(b64, f[3]);
		EXPECT_TRUE(ks3_cksum_matches(alg, want, f[3], strlen(f[3])));
		EXPECT_TRUE(ks3_cksum_valid_b64(alg, f[3], strlen(f[3])));
		ks3_hex_encode(hex, want, size);
		EXPECT_MEMEQ(hex, f[2], 2 * size);
		/* one flipped bit is a mismatch */
		want[size - 1] ^= 1;
		EXPECT_FALSE(ks3_cksum_matches(alg, want, f[3], strlen(f[3])));
		rows++;
		per_alg[alg]++;
	}
	free(file);
	EXPECT_EQ(rows, 65);
	EXPECT_EQ(per_alg[KS3_CKSUM_CRC64NVME], 13);
}

TEST(names)
{
	EXPECT_EQ(ks3_cksum_from_name("crc32c", 6), KS3_CKSUM_CRC32C);
	EXPECT_EQ(ks3_cksum_from_name("Crc64Nvme", 9), KS3_CKSUM_CRC64NVME);
	EXPECT_EQ(ks3_cksum_from_name("CRC3", 4), KS3_CKSUM_NONE);
	EXPECT_EQ(ks3_cksum_from_name("CRC32 ", 6), KS3_CKSUM_NONE);
	EXPECT_EQ(ks3_cksum_from_name("", 0), KS3_CKSUM_NONE);
	EXPECT_EQ(ks3_cksum_from_header("X-Amz-Checksum-SHA256", 21),
		  KS3_CKSUM_SHA256);
	EXPECT_EQ(ks3_cksum_from_header("x-amz-checksum-crc32", 20),
		  KS3_CKSUM_CRC32);
	EXPECT_EQ(ks3_cksum_from_header("x-amz-checksum-algorithm", 24),
		  KS3_CKSUM_NONE);
	EXPECT_EQ(ks3_cksum_from_header("x-amz-checksum-type", 19),
		  KS3_CKSUM_NONE);
	EXPECT_STREQ(ks3_cksum_header(KS3_CKSUM_CRC64NVME),
		     "x-amz-checksum-crc64nvme");
	EXPECT_STREQ(ks3_cksum_name(KS3_CKSUM_NR), "");
	EXPECT_EQ(ks3_cksum_size(KS3_CKSUM_NONE), 0);
	EXPECT_EQ(ks3_cksum_size(KS3_CKSUM_SHA1), 20);
}

TEST(base64_strict)
{
	u8 out[64];

	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "", 0), 0);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zg==", 4), 1);
	EXPECT_EQ(out[0], 'f');
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm8=", 4), 2);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm9v", 4), 3);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm9vYg==", 8), 4);
	EXPECT_MEMEQ(out, "foob", 4);
	/* bad length, missing padding, bad chars, padding in the middle */
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zg=", 3), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zg", 2), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Z===", 4), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "====", 4), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zg==Zg==", 8), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm9-", 4), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm9_", 4), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm 9", 4), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm=v", 4), -EINVAL);
	/* non-zero bits under the padding: a second spelling of "f" */
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zh==", 4), -EINVAL);
	EXPECT_EQ(ks3_base64_decode(out, sizeof(out), "Zm9=", 4), -EINVAL);
	/* does not fit */
	EXPECT_EQ(ks3_base64_decode(out, 2, "Zm9v", 4), -ENOSPC);
	EXPECT_EQ(ks3_base64_decode(out, 3, "Zm9v", 4), 3);
	/* a checksum of the wrong length for its algorithm */
	EXPECT_FALSE(ks3_cksum_valid_b64(KS3_CKSUM_CRC32, "AAAAAAAAAAA=", 12));
	EXPECT_TRUE(ks3_cksum_valid_b64(KS3_CKSUM_CRC64NVME, "AAAAAAAAAAA=",
					12));
	EXPECT_FALSE(ks3_cksum_valid_b64(KS3_CKSUM_CRC32, "AAAAAA=", 7));
	EXPECT_FALSE(ks3_cksum_valid_b64(KS3_CKSUM_NONE, "", 0));
}

TEST(base64_roundtrip)
{
	u8 in[40], out[40];
	char enc[KS3_BASE64_LEN(40) + 1];
	size_t n, i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (u8)(i * 37 + 11);
	for (n = 0; n <= sizeof(in); n++) {
		EXPECT_EQ(ks3_base64_encode(enc, in, n), KS3_BASE64_LEN(n));
		EXPECT_EQ(ks3_base64_decode(out, sizeof(out), enc,
					    KS3_BASE64_LEN(n)), n);
		EXPECT_MEMEQ(out, in, n);
	}
}

TEST(hex)
{
	u8 out[2];

	EXPECT_EQ(ks3_hex_decode(out, "aB09", 2, false), 0);
	EXPECT_EQ(out[0], 0xab);
	EXPECT_EQ(out[1], 0x09);
	EXPECT_EQ(ks3_hex_decode(out, "aB09", 2, true), -EINVAL);
	EXPECT_EQ(ks3_hex_decode(out, "0g", 1, false), -EINVAL);
}

/* RFC 4231 test cases 1, 2 and 6 (a key longer than the block) */
TEST(hmac_rfc4231)
{
	u8 key[131], mac[32], want[32];

	memset(key, 0x0b, 20);
	ASSERT_EQ(ks3_hmac_sha256(key, 20, "Hi There", 8, mac), 0);
	ks3_hex_decode(want, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 32, true);
	EXPECT_MEMEQ(mac, want, 32);
	ASSERT_EQ(ks3_hmac_sha256("Jefe", 4, "what do ya want for nothing?",
				  28, mac), 0);
	ks3_hex_decode(want, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 32, true);
	EXPECT_MEMEQ(mac, want, 32);
	memset(key, 0xaa, sizeof(key));
	ASSERT_EQ(ks3_hmac_sha256(key, sizeof(key),
				  "Test Using Larger Than Block-Size Key - Hash Key First",
				  54, mac), 0);
	ks3_hex_decode(want, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 32, true);
	EXPECT_MEMEQ(mac, want, 32);
}

TEST(digest_md5)
{
	u8 d[16], want[16];

	ASSERT_EQ(ks3_digest_oneshot(KS3_DIGEST_MD5, "abc", 3, d), 0);
	ks3_hex_decode(want, "900150983cd24fb0d6963f7d28e17f72", 16, true);
	EXPECT_MEMEQ(d, want, 16);
	EXPECT_EQ(ks3_digest_size(KS3_DIGEST_NR), 0);
	EXPECT_EQ(ks3_digest_oneshot(KS3_DIGEST_NR, "", 0, d), -EINVAL);
}
