/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: <linux/build_bug.h>. */
#ifndef _KS3_SHIM_LINUX_BUILD_BUG_H
#define _KS3_SHIM_LINUX_BUILD_BUG_H

#include <linux/compiler.h>

#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define __must_be_array(a)	BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define BUILD_BUG_ON(cond)	BUILD_BUG_ON_MSG(cond, "BUILD_BUG_ON failed: " #cond)
#define BUILD_BUG()		BUILD_BUG_ON_MSG(1, "BUILD_BUG failed")

#ifndef static_assert
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)
#endif

#endif /* _KS3_SHIM_LINUX_BUILD_BUG_H */
