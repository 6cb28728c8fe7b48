/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: <linux/minmax.h> with 6.1's strictness: min()/max() of
 * two different types does not compile (a "comparison of distinct pointer
 * types" warning, an error under -Werror), as in the oldest kernel ks3
 * supports.
 */
#ifndef _KS3_SHIM_LINUX_MINMAX_H
#define _KS3_SHIM_LINUX_MINMAX_H

#define __ks3_cmp(x, y, op) ({						\
	__typeof__(x) __x = (x);					\
	__typeof__(y) __y = (y);					\
	(void)(&__x == &__y);						\
	__x op __y ? __x : __y; })

#define min(x, y)		__ks3_cmp(x, y, <)
#define max(x, y)		__ks3_cmp(x, y, >)
#define min_t(type, x, y)	__ks3_cmp((type)(x), (type)(y), <)
#define max_t(type, x, y)	__ks3_cmp((type)(x), (type)(y), >)
#define clamp(val, lo, hi)	min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define swap(a, b) do {							\
	__typeof__(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#endif /* _KS3_SHIM_LINUX_MINMAX_H */
