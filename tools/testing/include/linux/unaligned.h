/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: unaligned access helpers, <linux/unaligned.h> from 6.12
 * and <asm/unaligned.h> before (module/compat.h picks the name).
 */
#ifndef _KS3_SHIM_LINUX_UNALIGNED_H
#define _KS3_SHIM_LINUX_UNALIGNED_H

#include <string.h>

#include <asm/byteorder.h>
#include <linux/types.h>

#define __ks3_get_unaligned(type, p) ({					\
	type __v; memcpy(&__v, (p), sizeof(__v)); __v; })
#define __ks3_put_unaligned(type, v, p) do {				\
	type __v = (v); memcpy((p), &__v, sizeof(__v)); } while (0)

#define get_unaligned(p)	__ks3_get_unaligned(__typeof__(*(p)), p)
#define put_unaligned(v, p)	__ks3_put_unaligned(__typeof__(*(p)), v, p)

#define get_unaligned_le16(p)	le16_to_cpu(__ks3_get_unaligned(u16, p))
#define get_unaligned_le32(p)	le32_to_cpu(__ks3_get_unaligned(u32, p))
#define get_unaligned_le64(p)	le64_to_cpu(__ks3_get_unaligned(u64, p))
#define get_unaligned_be16(p)	be16_to_cpu(__ks3_get_unaligned(u16, p))
#define get_unaligned_be32(p)	be32_to_cpu(__ks3_get_unaligned(u32, p))
#define get_unaligned_be64(p)	be64_to_cpu(__ks3_get_unaligned(u64, p))
#define put_unaligned_le16(v, p) __ks3_put_unaligned(u16, cpu_to_le16(v), p)
#define put_unaligned_le32(v, p) __ks3_put_unaligned(u32, cpu_to_le32(v), p)
#define put_unaligned_le64(v, p) __ks3_put_unaligned(u64, cpu_to_le64(v), p)
#define put_unaligned_be16(v, p) __ks3_put_unaligned(u16, cpu_to_be16(v), p)
#define put_unaligned_be32(v, p) __ks3_put_unaligned(u32, cpu_to_be32(v), p)
#define put_unaligned_be64(v, p) __ks3_put_unaligned(u64, cpu_to_be64(v), p)

#endif /* _KS3_SHIM_LINUX_UNALIGNED_H */
