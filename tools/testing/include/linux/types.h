/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: the kernel's fixed-width types over the system's uapi
 * <linux/types.h> (__u32, __le32, ...), which is included first.
 */
#ifndef _KS3_SHIM_LINUX_TYPES_H
#define _KS3_SHIM_LINUX_TYPES_H

#include_next <linux/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

typedef u64 sector_t;
typedef unsigned int gfp_t;

#endif /* _KS3_SHIM_LINUX_TYPES_H */
