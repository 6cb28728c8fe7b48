/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version branch of ks3 lives here and nowhere else. Gate on
 * LINUX_VERSION_CODE, never on #ifdef FEATURE: Debian's 6.1.y carries
 * backports that define newer macros with older behaviour.
 */
#ifndef _KS3_COMPAT_H
#define _KS3_COMPAT_H

#include <linux/version.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "ks3 needs Linux 6.1 or newer"
#endif

/*
 * Generic netlink: .resv_start_op exists from 6.1 and must be set for
 * strict validation of every command; nothing else ks3 uses differs up to
 * 6.18. Multicast groups restricted to CAP_NET_ADMIN (6.7, backported to
 * 6.1.y) are not used yet.
 */

#endif /* _KS3_COMPAT_H */
