/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: the pre-6.12 name of <linux/unaligned.h>. */
#include <linux/unaligned.h>
