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

/* Longest device path KS3_CMD_DEV_ATTACH takes, NUL included. */
#define KS3_DEVICE_PATH_MAX	256

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
	/*
	 * The store. Formatting is not a kernel command: s3ctl writes the
	 * superblocks from userland (s3ctl dev format).
	 */
	KS3_CMD_DEV_ATTACH,	/* DEVICE */
	KS3_CMD_DEV_DETACH,	/* [FORCE]: wait for in-flight requests */
	/*
	 * Access keys. The secret is in the KEY_CREATE reply and nowhere
	 * else: KEY_LIST never returns it.
	 */
	KS3_CMD_KEY_CREATE,	/* KEY_NAME; reply: KEY_ID, ACCESS_KEY,
				 * SECRET_KEY, KEY_NAME, CREATE_TIME
				 */
	KS3_CMD_KEY_LIST,	/* dump, one message per key: KEY_ID,
				 * ACCESS_KEY, KEY_NAME, KEY_ENABLED,
				 * CREATE_TIME, GRANTS; a key with many
				 * grants continues in the next message
				 * with the same KEY_ID
				 */
	KS3_CMD_KEY_DELETE,	/* ACCESS_KEY */
	KS3_CMD_KEY_ALLOW,	/* ACCESS_KEY, BUCKET_NAME, CAPS: add CAPS;
				 * reply: ACCESS_KEY, BUCKET_NAME, CAPS (now)
				 */
	KS3_CMD_KEY_DENY,	/* the same, taking CAPS away */
	/* Buckets */
	KS3_CMD_BUCKET_CREATE,	/* BUCKET_NAME, [OWNER] */
	KS3_CMD_BUCKET_DELETE,	/* BUCKET_NAME: only an empty bucket */
	KS3_CMD_BUCKET_LIST,	/* dump, one message per bucket: BUCKET_NAME,
				 * BUCKET_ID, OWNER_ID, [OWNER], CREATE_TIME,
				 * NR_OBJECTS, BYTES, QUOTA_BYTES,
				 * QUOTA_OBJECTS
				 */
	KS3_CMD_BUCKET_SET_QUOTA, /* BUCKET_NAME, [QUOTA_BYTES],
				   * [QUOTA_OBJECTS]: those given change
				   */
	/*
	 * S3 listeners: runtime state of the module, not kept on the
	 * device. LISTEN_ADDR is 4 bytes (IPv4) or 16 (IPv6), network
	 * order; LISTEN_PORT is in host order.
	 */
	KS3_CMD_LISTEN_ADD,	/* LISTEN_ADDR, LISTEN_PORT */
	KS3_CMD_LISTEN_DEL,	/* LISTEN_ADDR, LISTEN_PORT */
	KS3_CMD_LISTEN_LIST,	/* dump, one message per listener:
				 * LISTEN_ADDR, LISTEN_PORT, ACCEPTED
				 */
	/*
	 * Settings, persisted on the attached store. CONFIG_GET works
	 * without a store (the defaults are live then); SET and UNSET
	 * need one.
	 */
	KS3_CMD_CONFIG_GET,	/* dump, one message per setting:
				 * CONFIG_NAME, CONFIG_VALUE (live),
				 * CONFIG_DEFAULT, [CONFIG_IS_SET]
				 */
	KS3_CMD_CONFIG_SET,	/* CONFIG_NAME, CONFIG_VALUE */
	KS3_CMD_CONFIG_UNSET,	/* CONFIG_NAME: back to the default */
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
	KS3_A_FORCE,		/* flag */
	/* GET_STATUS with a store attached */
	KS3_A_UUID,		/* binary, 16 bytes: the store's uuid */
	KS3_A_TOTAL_BYTES,	/* u64: the store's size on the device */
	KS3_A_DATA_BYTES,	/* u64: of it, the data region */
	KS3_A_FREE_BYTES,	/* u64: free in the data region */
	KS3_A_JOURNAL_USED,	/* u64: journal blocks holding records */
	KS3_A_JOURNAL_BLOCKS,	/* u64: journal size in 4 KiB blocks */
	KS3_A_NR_BUCKETS,	/* u32 */
	KS3_A_NR_KEYS,		/* u32 */
	KS3_A_READ_ONLY,	/* flag: the store refuses writes */
	KS3_A_RO_REASON,	/* string: why it is read-only */
	KS3_A_CHECKPOINTS,	/* u64: checkpoints written since attach */
	KS3_A_COMMITS,		/* u64: journal records written since attach */
	/* Keys */
	KS3_A_KEY_ID,		/* u32 */
	KS3_A_ACCESS_KEY,	/* string: KS3_ACCESS_KEY_LEN characters */
	KS3_A_SECRET_KEY,	/* string: in the KEY_CREATE reply only */
	KS3_A_KEY_NAME,		/* string: up to KS3_KEY_NAME_LEN_MAX bytes */
	KS3_A_KEY_ENABLED,	/* u8: 0 or 1 */
	KS3_A_CREATE_TIME,	/* u64: seconds since the epoch */
	KS3_A_GRANTS,		/* nest: KS3_A_GRANT, one per bucket */
	KS3_A_GRANT,		/* nest: BUCKET_NAME, BUCKET_ID, CAPS */
	KS3_A_CAPS,		/* u32: KS3_CAP_* of <linux/ks3_disk.h> */
	/* Buckets */
	KS3_A_BUCKET_NAME,	/* string: an S3 bucket name */
	KS3_A_BUCKET_ID,	/* u32 */
	KS3_A_OWNER,		/* string: the owner key's access key */
	KS3_A_OWNER_ID,		/* u32: the owner key's id, 0 for none */
	KS3_A_NR_OBJECTS,	/* u64 */
	KS3_A_BYTES,		/* u64: bytes of object data */
	KS3_A_QUOTA_BYTES,	/* u64: 0 for no quota */
	KS3_A_QUOTA_OBJECTS,	/* u64: 0 for no quota */
	/* Listeners */
	KS3_A_LISTEN_ADDR,	/* binary: 4 or 16 bytes, network order */
	KS3_A_LISTEN_PORT,	/* u16: 1..65535, host order */
	KS3_A_ACCEPTED,		/* u64: connections accepted */
	/* Settings */
	KS3_A_CONFIG_NAME,	/* string: up to KS3_CONFIG_NAME_MAX bytes */
	KS3_A_CONFIG_VALUE,	/* string: up to KS3_CONFIG_VALUE_MAX bytes */
	KS3_A_CONFIG_DEFAULT,	/* string: the value when not set */
	KS3_A_CONFIG_IS_SET,	/* flag: the store holds a value */
	/* GET_STATUS: the kernel driver behind each digest */
	KS3_A_DIGESTS,		/* nest: KS3_A_DIGEST, one per algorithm */
	KS3_A_DIGEST,		/* nest: DIGEST_ALG, DIGEST_DRIVER */
	KS3_A_DIGEST_ALG,	/* string: "md5", "sha256", "crc32c", ... */
	KS3_A_DIGEST_DRIVER,	/* string: "sha256-avx2", "crc32c-intel", ... */
	__KS3_A_MAX,
};

#define KS3_A_MAX (__KS3_A_MAX - 1)

#endif /* _UAPI_LINUX_KS3_H */
