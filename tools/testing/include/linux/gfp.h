/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: allocation flags; only __GFP_ZERO changes anything here. */
#ifndef _KS3_SHIM_LINUX_GFP_H
#define _KS3_SHIM_LINUX_GFP_H

#include <linux/types.h>

#define __GFP_ZERO	0x100u
#define __GFP_NOWARN	0x200u
#define __GFP_NOFAIL	0x400u
#define __GFP_NORETRY	0x800u
#define GFP_KERNEL	0x1u
#define GFP_NOFS	0x2u
#define GFP_NOIO	0x4u
#define GFP_ATOMIC	0x8u
#define GFP_NOWAIT	0x10u

#endif /* _KS3_SHIM_LINUX_GFP_H */
