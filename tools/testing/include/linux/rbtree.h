/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: <linux/rbtree.h> is the kernel's own userland copy,
 * tools/include/linux/rbtree.h of linux-source-6.1, found through the
 * -idirafter of the source tree in tools/testing/Makefile. A test that uses
 * rbtrees also compiles the implementation, #include <tools/lib/rbtree.c>.
 */
#ifndef _KS3_SHIM_LINUX_RBTREE_H
#define _KS3_SHIM_LINUX_RBTREE_H

#include <linux/kernel.h>

#include <tools/include/linux/rbtree.h>

#endif /* _KS3_SHIM_LINUX_RBTREE_H */
