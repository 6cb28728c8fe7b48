/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userland shim: pr_*() print to stderr when KS3_TEST_VERBOSE is set in the
 * environment and are silent otherwise; the format is checked either way.
 */
#ifndef _KS3_SHIM_LINUX_PRINTK_H
#define _KS3_SHIM_LINUX_PRINTK_H

#include <stdio.h>
#include <stdlib.h>

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define KERN_EMERG	""
#define KERN_ALERT	""
#define KERN_CRIT	""
#define KERN_ERR	""
#define KERN_WARNING	""
#define KERN_NOTICE	""
#define KERN_INFO	""
#define KERN_DEBUG	""
#define KERN_CONT	""

#define printk(fmt, ...) ({						\
	if (getenv("KS3_TEST_VERBOSE"))					\
		fprintf(stderr, fmt, ##__VA_ARGS__);			\
	0; })
#define no_printk(fmt, ...) ({						\
	if (0)								\
		fprintf(stderr, fmt, ##__VA_ARGS__);			\
	0; })

#define pr_emerg(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	no_printk(pr_fmt(fmt), ##__VA_ARGS__)

#define pr_err_ratelimited(fmt, ...)	pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	pr_warn(fmt, ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)	pr_info(fmt, ##__VA_ARGS__)
#define pr_debug_ratelimited(fmt, ...)	pr_debug(fmt, ##__VA_ARGS__)
#define pr_err_once(fmt, ...)		pr_err(fmt, ##__VA_ARGS__)
#define pr_warn_once(fmt, ...)		pr_warn(fmt, ##__VA_ARGS__)
#define pr_info_once(fmt, ...)		pr_info(fmt, ##__VA_ARGS__)

#endif /* _KS3_SHIM_LINUX_PRINTK_H */
