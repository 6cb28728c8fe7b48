/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: <linux/kernel.h> and what it brings in on 6.1 (minmax,
 * limits, build_bug, printk, container_of, rounding helpers).
 */
#ifndef _KS3_SHIM_LINUX_KERNEL_H
#define _KS3_SHIM_LINUX_KERNEL_H

#include <stddef.h>

#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/types.h>

#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]) + __must_be_array(arr))

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
/* @y a power of two, as in the kernel */
#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))
#define ALIGN(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)((n) & 0xffffffff))

#define container_of(ptr, type, member) ({				\
	void *__mptr = (void *)(ptr);					\
	((type *)(__mptr - offsetof(type, member))); })

#endif /* _KS3_SHIM_LINUX_KERNEL_H */
