/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: crypto_memneq() of <crypto/algapi.h>, constant time. */
#ifndef _KS3_SHIM_CRYPTO_ALGAPI_H
#define _KS3_SHIM_CRYPTO_ALGAPI_H

#include <stddef.h>

/* Non-zero if the @size bytes at @a and @b differ; time independent of where. */
static inline int crypto_memneq(const void *a, const void *b, size_t size)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char neq = 0;
	size_t i;

	for (i = 0; i < size; i++)
		neq |= x[i] ^ y[i];
	return neq != 0;
}

#endif /* _KS3_SHIM_CRYPTO_ALGAPI_H */
