/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: the kernel's tools/include/linux/rbtree_augmented.h. */
#ifndef _KS3_SHIM_LINUX_RBTREE_AUGMENTED_H
#define _KS3_SHIM_LINUX_RBTREE_AUGMENTED_H

#include <linux/rbtree.h>

#include <tools/include/linux/rbtree_augmented.h>

#endif /* _KS3_SHIM_LINUX_RBTREE_AUGMENTED_H */
