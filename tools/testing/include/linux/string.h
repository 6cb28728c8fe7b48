/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: <linux/string.h> on libc, plus the kernel-only helpers. */
#ifndef _KS3_SHIM_LINUX_STRING_H
#define _KS3_SHIM_LINUX_STRING_H

#include <string.h>
#include <sys/types.h>

#include <linux/errno.h>
#include <linux/types.h>

/* Copies at most @size - 1 chars, always terminates; -E2BIG if cut. */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (size == 0)
		return -E2BIG;
	len = strnlen(src, size);
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return (ssize_t)len;
}

/* strlen(@prefix) if @str starts with it, else 0 */
static inline size_t str_has_prefix(const char *str, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(str, prefix, len) == 0 ? len : 0;
}

static inline void memzero_explicit(void *s, size_t count)
{
	explicit_bzero(s, count);
}

#endif /* _KS3_SHIM_LINUX_STRING_H */
