/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: crc32_le() as lib/crc32.c has it: the raw reflected
 * CRC-32 (poly 0xedb88320) register update, no inversion in or out (zlib's
 * crc32() is ~crc32_le(~crc, ...)). A byte-wise table.
 */
#ifndef _KS3_SHIM_LINUX_CRC32_H
#define _KS3_SHIM_LINUX_CRC32_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline const uint32_t *ks3_crc32_le_table(void)
{
	static uint32_t t[256];
	static bool ready;
	uint32_t c;
	int i, j;

	if (__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		return t;
	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ (0xedb88320U & (0U - (c & 1)));
		t[i] = c;
	}
	__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
	return t;
}

static inline uint32_t crc32_le(uint32_t crc, const unsigned char *p,
				size_t len)
{
	const uint32_t *t = ks3_crc32_le_table();

	while (len--)
		crc = (crc >> 8) ^ t[(crc ^ *p++) & 0xff];
	return crc;
}

#endif /* _KS3_SHIM_LINUX_CRC32_H */
