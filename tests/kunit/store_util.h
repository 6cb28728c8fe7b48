/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the store KUnit suites. */
#ifndef _KS3_TEST_STORE_UTIL_H
#define _KS3_TEST_STORE_UTIL_H

#include "storage/store.h"

/* Byte @off of the test pattern for @seed. */
static inline u8 ks3_test_byte(u32 seed, u64 off)
{
	return (u8)(seed * 131 + off * 7 + (off >> 12));
}

/* Writes @size pattern bytes as @key, in uneven pieces. */
int ks3_test_put(struct ks3_store *s, const char *bucket, const char *key,
		 u64 size, u32 seed);
/* Writes part @part of upload @upload_id: @size bytes of pattern @seed. */
int ks3_test_put_part(struct ks3_store *s, const char *bucket, u64 upload_id,
		      u32 part, u64 size, u32 seed);
/* Checks @len bytes of @obj at @off hold pattern @seed from its start. */
int ks3_test_check_range(struct ks3_store *s, struct ks3_object *obj,
			 u64 off, u64 len, u32 seed);
/* Checks @obj holds the pattern of @seed. */
int ks3_test_check_data(struct ks3_store *s, struct ks3_object *obj,
			u32 seed);
/* Blocks referenced by every object of the store. */
u64 ks3_test_used_blocks(struct ks3_store *s);
/* Reads every object whole; the first error. */
int ks3_test_read_all(struct ks3_store *s);

#endif /* _KS3_TEST_STORE_UTIL_H */
