/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: <linux/errno.h>, the uapi codes plus the kernel-internal
 * ones. glibc's <errno.h> includes this name too, so the system header
 * comes first.
 */
#ifndef _KS3_SHIM_LINUX_ERRNO_H
#define _KS3_SHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ENOIOCTLCMD	515
#define EPROBE_DEFER	517
#define EOPENSTALE	518
#define ENOPARAM	519
#define EBADHANDLE	521
#define ENOTSUPP	524
#define ETOOSMALL	525
#define EIOCBQUEUED	529

#endif /* _KS3_SHIM_LINUX_ERRNO_H */
