/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: byte order conversions of <asm/byteorder.h>. */
#ifndef _KS3_SHIM_ASM_BYTEORDER_H
#define _KS3_SHIM_ASM_BYTEORDER_H

#include <linux/types.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define __ks3_le16(x)	((u16)(x))
#define __ks3_le32(x)	((u32)(x))
#define __ks3_le64(x)	((u64)(x))
#define __ks3_be16(x)	__builtin_bswap16((u16)(x))
#define __ks3_be32(x)	__builtin_bswap32((u32)(x))
#define __ks3_be64(x)	__builtin_bswap64((u64)(x))
#else
#define __ks3_le16(x)	__builtin_bswap16((u16)(x))
#define __ks3_le32(x)	__builtin_bswap32((u32)(x))
#define __ks3_le64(x)	__builtin_bswap64((u64)(x))
#define __ks3_be16(x)	((u16)(x))
#define __ks3_be32(x)	((u32)(x))
#define __ks3_be64(x)	((u64)(x))
#endif

#define cpu_to_le16(x)	((__le16)__ks3_le16(x))
#define cpu_to_le32(x)	((__le32)__ks3_le32(x))
#define cpu_to_le64(x)	((__le64)__ks3_le64(x))
#define le16_to_cpu(x)	__ks3_le16(x)
#define le32_to_cpu(x)	__ks3_le32(x)
#define le64_to_cpu(x)	__ks3_le64(x)
#define cpu_to_be16(x)	((__be16)__ks3_be16(x))
#define cpu_to_be32(x)	((__be32)__ks3_be32(x))
#define cpu_to_be64(x)	((__be64)__ks3_be64(x))
#define be16_to_cpu(x)	__ks3_be16(x)
#define be32_to_cpu(x)	__ks3_be32(x)
#define be64_to_cpu(x)	__ks3_be64(x)

#define le16_to_cpup(p)	le16_to_cpu(*(p))
#define le32_to_cpup(p)	le32_to_cpu(*(p))
#define le64_to_cpup(p)	le64_to_cpu(*(p))

static inline void le32_add_cpu(__le32 *var, u32 val)
{
	*var = cpu_to_le32(le32_to_cpu(*var) + val);
}

static inline void le64_add_cpu(__le64 *var, u64 val)
{
	*var = cpu_to_le64(le64_to_cpu(*var) + val);
}

#endif /* _KS3_SHIM_ASM_BYTEORDER_H */
