/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ks3 control ABI: the generic netlink family "ks3" and the /dev/ks3 misc
 * device. Shared by ks3.ko and s3ctl; append only, never renumber.
 */
#ifndef _UAPI_LINUX_KS3_H
#define _UAPI_LINUX_KS3_H

#include <linux/types.h>

#define KS3_GENL_NAME		"ks3"
#define KS3_GENL_VERSION	1
#define KS3_MISC_NAME		"ks3"	/* /dev/ks3: TLS agent hand-off */

/* Module state reported by KS3_CMD_GET_STATUS (KS3_A_STATE). */
enum ks3_state {
	KS3_STATE_NO_DEVICE,	/* loaded, no store attached */
	KS3_STATE_ATTACHED,	/* store attached, read-write */
	KS3_STATE_READ_ONLY,	/* store attached, writes refused */
	__KS3_STATE_MAX,
};

enum ks3_cmd {
	KS3_CMD_UNSPEC,
	KS3_CMD_GET_VERSION,	/* reply: VERSION, GENL_VERSION, KERNEL_RELEASE */
	KS3_CMD_GET_STATUS,	/* reply: VERSION, STATE, UPTIME_MS, ... */
	__KS3_CMD_MAX,
};

#define KS3_CMD_MAX (__KS3_CMD_MAX - 1)

enum ks3_attr {
	KS3_A_UNSPEC,
	KS3_A_VERSION,		/* string: ks3.ko release */
	KS3_A_GENL_VERSION,	/* u32: KS3_GENL_VERSION of the module */
	KS3_A_KERNEL_RELEASE,	/* string: utsname release the module runs on */
	KS3_A_STATE,		/* u32: enum ks3_state */
	KS3_A_UPTIME_MS,	/* u64: ms since the module loaded */
	KS3_A_LISTENERS,	/* u32: open S3 listeners */
	KS3_A_CONNECTIONS,	/* u32: open client connections */
	KS3_A_DEVICE,		/* string: attached block device path */
	KS3_A_PAD,
	__KS3_A_MAX,
};

#define KS3_A_MAX (__KS3_A_MAX - 1)

#endif /* _UAPI_LINUX_KS3_H */
