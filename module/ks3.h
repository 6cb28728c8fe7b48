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
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/ks3.h>

#include "http/http.h"

struct ks3_store;

/*
 * Settings the request path reads: persisted on the device as store
 * settings (s3ctl config set), loaded at attach, defaults without a store.
 */
#define KS3_REGION_MAX		64
#define KS3_VHOST_DOMAIN_MAX	254

struct ks3_config {
	struct ks3_http_limits http;
	char region[KS3_REGION_MAX];		/* "us-east-1" by default */
	char vhost_domain[KS3_VHOST_DOMAIN_MAX];	/* "" = path style only */
};

struct ks3_server {
	ktime_t loaded_at;		/* CLOCK_MONOTONIC at module load */
	struct mutex lock;		/* serialises admin changes */
	enum ks3_state state;		/* under @lock; see ks3_server_state() */
	/* The attached store and its device path ("" if none), under @lock. */
	struct ks3_store *store;
	char device[KS3_DEVICE_PATH_MAX];
	u64 generation;			/* +1 per attach: dumps notice a swap */
	/*
	 * The request path's view of the store. An S3 request takes it with
	 * ks3_server_get_store() and gives it back with
	 * ks3_server_put_store(); @inflight counts the requests holding it,
	 * per CPU (no shared cache line per request). Detach first
	 * unpublishes @live and sets @draining, so no new request gets the
	 * store and each one that ends wakes it, then refuses while the sum
	 * is not zero, or with force waits on @inflight_wq until it drains.
	 */
	struct ks3_store __rcu *live;
	long __percpu *inflight;
	bool draining;
	wait_queue_head_t inflight_wq;
	atomic_t listeners;
	atomic_t connections;
	/* The live settings; read with ks3_server_get_config(). */
	seqlock_t config_lock;
	struct ks3_config config;
	/* What serves the requests (the S3 layer, s3/handler.c). */
	const struct ks3_http_handler *handler;
};

/* server.c */
int ks3_server_init(struct ks3_server *srv);
/* Detaches a store still attached: the layers above are gone by then. */
void ks3_server_destroy(struct ks3_server *srv);
/* Requests holding the store now (summed over CPUs). */
long ks3_server_inflight(struct ks3_server *srv);
u64 ks3_server_uptime_ms(const struct ks3_server *srv);
void ks3_config_defaults(struct ks3_config *c);
/* A consistent copy of the live settings. */
void ks3_server_get_config(struct ks3_server *srv, struct ks3_config *out);
/* NO_DEVICE, ATTACHED or READ_ONLY; the caller holds srv->lock. */
enum ks3_state ks3_server_state(struct ks3_server *srv);
/*
 * Attach and detach take srv->lock. On failure, *@msg is a static
 * sentence for the admin (NULL if the errno says it all).
 */
int ks3_server_attach(struct ks3_server *srv, const char *path,
		      const char **msg);
int ks3_server_detach(struct ks3_server *srv, bool force, const char **msg);
/* The request path: the store referenced, or NULL when none is attached. */
struct ks3_store *ks3_server_get_store(struct ks3_server *srv);
void ks3_server_put_store(struct ks3_server *srv);

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
