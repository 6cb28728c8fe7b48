/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: BUG() and WARN(). A WARN splat fails a KUnit run, so here
 * every WARN that fires aborts: the unit test or fuzz target reports it as
 * a crash with a backtrace (ASan prints one on abort).
 */
#ifndef _KS3_SHIM_LINUX_BUG_H
#define _KS3_SHIM_LINUX_BUG_H

#include <stdio.h>
#include <stdlib.h>

#include <linux/compiler.h>

static inline __noreturn void ks3_shim_bug(const char *what, const char *file,
					   int line, const char *cond)
{
	fprintf(stderr, "%s at %s:%d: %s\n", what, file, line, cond);
	abort();
}

#define BUG()		ks3_shim_bug("BUG", __FILE__, __LINE__, "BUG()")
#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		ks3_shim_bug("BUG", __FILE__, __LINE__, #cond);		\
} while (0)

#define WARN_ON(cond) ({						\
	int __ret_warn = !!(cond);					\
	if (unlikely(__ret_warn))					\
		ks3_shim_bug("WARNING", __FILE__, __LINE__, #cond);	\
	__ret_warn; })
#define WARN_ON_ONCE(cond)		WARN_ON(cond)
#define WARN(cond, fmt, ...)		WARN_ON(cond)
#define WARN_ONCE(cond, fmt, ...)	WARN_ON(cond)

#endif /* _KS3_SHIM_LINUX_BUG_H */
