/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: <linux/overflow.h>. check_*_overflow() insist on one type
 * for all three operands, as 6.1's do, so code that passes here builds on
 * every kernel ks3 supports.
 */
#ifndef _KS3_SHIM_LINUX_OVERFLOW_H
#define _KS3_SHIM_LINUX_OVERFLOW_H

#include <stdint.h>

#include <linux/compiler.h>

#define __ks3_check_overflow(op, a, b, d) __builtin_expect(({		\
	__typeof__(a) __a = (a);					\
	__typeof__(b) __b = (b);					\
	__typeof__(d) __d = (d);					\
	(void)(&__a == &__b);						\
	(void)(&__a == __d);						\
	__builtin_##op##_overflow(__a, __b, __d); }), 0)

#define check_add_overflow(a, b, d)	__ks3_check_overflow(add, a, b, d)
#define check_sub_overflow(a, b, d)	__ks3_check_overflow(sub, a, b, d)
#define check_mul_overflow(a, b, d)	__ks3_check_overflow(mul, a, b, d)

/* Saturating size arithmetic: SIZE_MAX makes the allocation fail. */
static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t size_sub(size_t a, size_t b)
{
	size_t r;

	if (a == SIZE_MAX || b == SIZE_MAX || __builtin_sub_overflow(a, b, &r))
		return SIZE_MAX;
	return r;
}

#define array_size(a, b)	size_mul(a, b)
#define array3_size(a, b, c)	size_mul(size_mul(a, b), c)
#define flex_array_size(p, member, count)				\
	size_mul(count, sizeof(*(p)->member))
#define struct_size(p, member, count)					\
	size_add(sizeof(*(p)), flex_array_size(p, member, count))

#endif /* _KS3_SHIM_LINUX_OVERFLOW_H */
