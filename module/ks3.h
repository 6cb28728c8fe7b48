/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Core types shared across the module. One struct ks3_server exists per
 * loaded module; layers get it passed in rather than reaching for a global,
 * so KUnit suites can build their own.
 */
#ifndef _KS3_H
#define _KS3_H

#include <linux/atomic.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/ks3.h>

#define KS3_DEVICE_PATH_MAX	256

struct ks3_server {
	ktime_t loaded_at;		/* CLOCK_MONOTONIC at module load */
	struct mutex lock;		/* serialises admin changes */
	enum ks3_state state;		/* under @lock */
	char device[KS3_DEVICE_PATH_MAX]; /* attached device, "" if none */
	atomic_t listeners;
	atomic_t connections;
};

/* server.c */
void ks3_server_init(struct ks3_server *srv);
void ks3_server_destroy(struct ks3_server *srv);
u64 ks3_server_uptime_ms(const struct ks3_server *srv);

/* control/genl.c */
struct sk_buff;
int ks3_genl_register(struct ks3_server *srv);
void ks3_genl_unregister(void);
int ks3_genl_fill_version(struct sk_buff *skb);
int ks3_genl_fill_status(struct sk_buff *skb, struct ks3_server *srv);

/* http/tls_agent.c: /dev/ks3, where the userland TLS agent attaches */
int ks3_tls_agent_register(void);
void ks3_tls_agent_unregister(void);

#endif /* _KS3_H */
