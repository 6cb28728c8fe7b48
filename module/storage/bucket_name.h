/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _KS3_STORAGE_BUCKET_NAME_H
#define _KS3_STORAGE_BUCKET_NAME_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

#define KS3_BUCKET_NAME_MIN	3
#define KS3_BUCKET_NAME_MAX	63

/*
 * Returns NULL when @name (@len bytes, not NUL-terminated) is a valid S3
 * bucket name, else a static sentence saying which rule it breaks.
 */
const char *ks3_bucket_name_problem(const char *name, size_t len);

#endif /* _KS3_STORAGE_BUCKET_NAME_H */
