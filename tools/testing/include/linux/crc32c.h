/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: crc32c() as lib/libcrc32c.c has it: the raw Castagnoli
 * CRC register update, no inversion on the way in or out (callers seed it
 * with ~0 themselves). SSE4.2's crc32 instruction when the CPU has it
 * (s3ctl fsck checks every data chunk), else a table, 8 bytes at a time.
 */
#ifndef _KS3_SHIM_LINUX_CRC32C_H
#define _KS3_SHIM_LINUX_CRC32C_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KS3_CRC32C_POLY	0x82f63b78U	/* reflected 0x1edc6f41 */

/* Slicing-by-8 tables, built once on first use. */
static inline const uint32_t (*ks3_crc32c_tables(void))[256]
{
	static uint32_t t[8][256];
	static bool ready;
	uint32_t c;
	int i, j;

	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return (const uint32_t (*)[256])t;
	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (KS3_CRC32C_POLY & (0U - (c & 1)));
		t[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			t[j][i] = (t[j - 1][i] >> 8) ^ t[0][t[j - 1][i] & 0xff];
	__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
	return (const uint32_t (*)[256])t;
}

static inline uint32_t ks3_crc32c_table(uint32_t crc, const uint8_t *p,
					size_t len)
{
	const uint32_t (*t)[256] = ks3_crc32c_tables();
	uint64_t v;

	while (len >= 8) {
		memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		v ^= crc;
		crc = t[7][v & 0xff] ^ t[6][(v >> 8) & 0xff] ^
		      t[5][(v >> 16) & 0xff] ^ t[4][(v >> 24) & 0xff] ^
		      t[3][(v >> 32) & 0xff] ^ t[2][(v >> 40) & 0xff] ^
		      t[1][(v >> 48) & 0xff] ^ t[0][v >> 56];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static inline uint32_t ks3_crc32c_sse42(uint32_t crc, const uint8_t *p,
					size_t len)
{
	uint64_t c = crc, v;

	while (len >= 8) {
		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
		p += 8;
		len -= 8;
	}
	while (len--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	return (uint32_t)c;
}
#endif

static inline uint32_t crc32c(uint32_t crc, const void *address,
			      unsigned int length)
{
#if defined(__x86_64__)
	if (__builtin_cpu_supports("sse4.2"))
		return ks3_crc32c_sse42(crc, address, length);
#endif
	return ks3_crc32c_table(crc, address, length);
}

#endif /* _KS3_SHIM_LINUX_CRC32C_H */
