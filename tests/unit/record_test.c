// SPDX-License-Identifier: GPL-2.0
/*
 * Journal record framing (module/storage/record.c), shared by the
 * journal's replay and s3ctl fsck, and the crc32c shim under it.
 */
#include <stdlib.h>

#include "storage/record.c"
#include "storage/op.c"
#include "unit.h"

TEST(crc32c_matches_the_kernel)
{
	static const char check[] = "123456789";
	u8 buf[1000];
	u32 i, bit, ref;
	size_t n, k;

	/* lib/libcrc32c: no inversion; the standard check value inverted */
	EXPECT_EQ(crc32c(~0U, check, 9), 0x1cf96d7cU);
	EXPECT_EQ(~crc32c(~0U, check, 9), 0xe3069283U);
	EXPECT_EQ(crc32c(0x1234, "", 0), 0x1234);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i * 31 + 7);
	/* every path (SSE4.2 or table) agrees with the bitwise definition */
	for (n = 0; n < sizeof(buf); n += 37) {
		ref = ~0U;
		for (k = 0; k < n; k++) {
			ref ^= buf[k];
			for (bit = 0; bit < 8; bit++)
				ref = (ref >> 1) ^ (0x82f63b78U & (0U - (ref & 1)));
		}
		EXPECT_EQ(crc32c(~0U, buf, n), ref);
		EXPECT_EQ(ks3_crc32c_table(~0U, buf, n), ref);
		/* and in pieces */
		EXPECT_EQ(crc32c(crc32c(~0U, buf, n / 3), buf + n / 3,
				 n - n / 3), ref);
	}
}

TEST(rec_crc_skips_the_crc_field)
{
	u8 a[64], b[64];
	size_t i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = (u8)i;
	memcpy(b, a, sizeof(b));
	b[5] ^= 0xff;		/* in the crc field: ignored */
	EXPECT_EQ(ks3_rec_crc(7, a, sizeof(a)), ks3_rec_crc(7, b, sizeof(b)));
	b[8] ^= 1;		/* after it: counted */
	EXPECT_NE(ks3_rec_crc(7, a, sizeof(a)), ks3_rec_crc(7, b, sizeof(b)));
	b[8] ^= 1;
	b[0] ^= 1;		/* the magic: counted */
	EXPECT_NE(ks3_rec_crc(7, a, sizeof(a)), ks3_rec_crc(7, b, sizeof(b)));
	/* the seed matters: a record of another store never checks */
	EXPECT_NE(ks3_rec_crc(7, a, sizeof(a)), ks3_rec_crc(8, a, sizeof(a)));
}

TEST(record_roundtrip_and_verdicts)
{
	u8 *block = calloc(2, KS3_BLOCK_SIZE);
	struct ks3_disk_jrec *rec = (void *)block;
	u64 blocks = 0;

	ASSERT_NOT_NULL(block);
	/* 256-block journal: a record may take 64 blocks */
	EXPECT_EQ(ks3_jrec_bytes_max(256), 64 * KS3_BLOCK_SIZE);
	EXPECT_EQ(ks3_jrec_blocks(0), 1);
	EXPECT_EQ(ks3_jrec_blocks(KS3_BLOCK_SIZE - sizeof(*rec)), 1);
	EXPECT_EQ(ks3_jrec_blocks(KS3_BLOCK_SIZE - sizeof(*rec) + 1), 2);

	ks3_jrec_init(rec, 5, 5000, 3, 1700000000);
	memset(rec + 1, 0xab, 5000);
	ks3_jrec_seal(rec, 42);
	EXPECT_EQ(ks3_jrec_check_head(rec, 5, 256, 256, &blocks), KS3_JREC_OK);
	EXPECT_EQ(blocks, 2);
	EXPECT_EQ(ks3_jrec_check(rec, 5000, 42), KS3_JREC_OK);
	EXPECT_EQ(ks3_jrec_check(rec, 5000, 43), KS3_JREC_BAD_CRC);
	/* the length that sized the buffer is the one trusted */
	EXPECT_EQ(ks3_jrec_check(rec, 4999, 42), KS3_JREC_BAD_CRC);

	EXPECT_EQ(ks3_jrec_check_head(rec, 6, 256, 256, &blocks),
		  KS3_JREC_BAD_SEQ);
	EXPECT_EQ(ks3_jrec_check_head(rec, 5, 256, 1, &blocks),
		  KS3_JREC_BAD_LEN);
	/* a quarter of a 4-block journal is 1 block: less than 5000 bytes */
	EXPECT_EQ(ks3_jrec_check_head(rec, 5, 4, 4, &blocks), KS3_JREC_BAD_LEN);
	rec->magic = 0;
	EXPECT_EQ(ks3_jrec_check_head(rec, 5, 256, 256, &blocks),
		  KS3_JREC_BAD_MAGIC);
	rec->magic = cpu_to_le32(KS3_JREC_MAGIC);
	block[sizeof(*rec) + 4999] ^= 1;
	EXPECT_EQ(ks3_jrec_check(rec, 5000, 42), KS3_JREC_BAD_CRC);
	EXPECT_STREQ(ks3_jrec_verdict_str(KS3_JREC_BAD_CRC),
		     "record checksum mismatch (torn or damaged)");
	EXPECT_STREQ(ks3_jrec_verdict_str(KS3_JREC_OK), "valid");
	free(block);
}
