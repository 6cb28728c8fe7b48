/* SPDX-License-Identifier: GPL-2.0 */
/* Userland shim: <linux/export.h>, nothing to export. */
#ifndef _KS3_SHIM_LINUX_EXPORT_H
#define _KS3_SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif /* _KS3_SHIM_LINUX_EXPORT_H */
