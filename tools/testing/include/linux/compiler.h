/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: attributes and annotations of <linux/compiler*.h>. */
#ifndef _KS3_SHIM_LINUX_COMPILER_H
#define _KS3_SHIM_LINUX_COMPILER_H

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __must_check		__attribute__((__warn_unused_result__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __weak			__attribute__((__weak__))
#define __noreturn		__attribute__((__noreturn__))
#define __nonstring		__attribute__((__nonstring__))
#define fallthrough		__attribute__((__fallthrough__))

/* sparse annotations: nothing to check in userland */
#ifndef __bitwise
#define __bitwise
#endif
#ifndef __force
#define __force
#endif
#define __user
#define __iomem
#define __rcu
#define __percpu
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
/* The system's <linux/stddef.h> (uapi) may define it first. */
#ifndef __counted_by
#define __counted_by(member)
#endif

#define barrier()		__asm__ __volatile__("" : : : "memory")
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))

#define __same_type(a, b)	__builtin_types_compatible_p(__typeof__(a), __typeof__(b))

#define ___stringify(x...)	#x
#define __stringify(x...)	___stringify(x)

#endif /* _KS3_SHIM_LINUX_COMPILER_H */
