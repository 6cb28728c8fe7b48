/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim of <linux/bits.h>. */
#ifndef _TOOLS_TESTING_LINUX_BITS_H
#define _TOOLS_TESTING_LINUX_BITS_H

#define BIT(nr)		(1UL << (nr))
#define BIT_ULL(nr)	(1ULL << (nr))

#endif
