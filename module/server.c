// SPDX-License-Identifier: GPL-2.0
/*
 * struct ks3_server: the state of one ks3 instance, shared by every layer,
 * and the attached store's life cycle: attach, detach, and the references
 * requests hold on it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "ks3.h"
#include "control/config.h"
#include "storage/store.h"

int ks3_server_init(struct ks3_server *srv)
{
	srv->loaded_at = ktime_get();
	mutex_init(&srv->lock);
	srv->state = KS3_STATE_NO_DEVICE;
	srv->store = NULL;
	srv->device[0] = '\0';
	srv->generation = 0;
	RCU_INIT_POINTER(srv->live, NULL);
	srv->draining = false;
	init_waitqueue_head(&srv->inflight_wq);
	atomic_set(&srv->listeners, 0);
	atomic_set(&srv->connections, 0);
	seqlock_init(&srv->config_lock);
	ks3_config_defaults(&srv->config);
	srv->handler = NULL;
	srv->inflight = alloc_percpu(long);
	return srv->inflight ? 0 : -ENOMEM;
}

void ks3_config_defaults(struct ks3_config *c)
{
	memset(c, 0, sizeof(*c));
	c->http.max_connections = 1024;
	c->http.head_max = KS3_HTTP_HEAD_MAX;
	c->http.max_fields = 100;
	c->http.url_max = 8192;
	c->http.idle_timeout_ms = 60 * 1000;
	c->http.header_timeout_ms = 30 * 1000;
	c->http.body_timeout_ms = 30 * 1000;
	c->http.discard_timeout_ms = 5 * 1000;
	c->http.min_rate = 500;
	c->http.min_rate_grace_ms = 20 * 1000;
	c->http.max_conns_per_addr = 256;
	c->http.conn_buffer = 256 * 1024;
	c->http.global_buffer = 256ULL << 20;
	strscpy(c->region, "us-east-1", sizeof(c->region));
}

/* Every request copies the settings: readers write no shared line. */
void ks3_server_get_config(struct ks3_server *srv, struct ks3_config *out)
{
	unsigned int seq;

	do {
		seq = read_seqbegin(&srv->config_lock);
		*out = srv->config;
	} while (read_seqretry(&srv->config_lock, seq));
}

void ks3_server_destroy(struct ks3_server *srv)
{
	const char *msg;

	if (srv->store)
		ks3_server_detach(srv, true, &msg);
	free_percpu(srv->inflight);
	srv->inflight = NULL;
	mutex_destroy(&srv->lock);
}

u64 ks3_server_uptime_ms(const struct ks3_server *srv)
{
	return ktime_to_ms(ktime_sub(ktime_get(), srv->loaded_at));
}

enum ks3_state ks3_server_state(struct ks3_server *srv)
{
	lockdep_assert_held(&srv->lock);
	/* A store turns read-only by itself, on a write error. */
	if (srv->store && READ_ONCE(srv->store->read_only))
		return KS3_STATE_READ_ONLY;
	return srv->state;
}

/* Why the device could not be opened, for the admin. */
static const char *ks3_server_open_error(int err)
{
	switch (err) {
	case -ENOENT:
		return "no such device";
	case -ENOTBLK:
		return "not a block device";
	case -ENXIO:
	case -ENODEV:
		return "no such device (or no medium in it)";
	case -EBUSY:
		return "the device is in use (mounted, attached or opened exclusively)";
	case -EACCES:
	case -EROFS:
		return "the device is read-only";
	case -EINVAL:
		return "the device's logical block size is above 4096 bytes";
	default:
		return "cannot open the device";
	}
}

/* Why the store on the device could not be attached, for the admin. */
static const char *ks3_server_attach_error(int err, const char *why)
{
	switch (err) {
	case -ENODATA:
		return "not a ks3 store (run s3ctl dev format)";
	case -ENOSPC:
		return "the device is smaller than the store on it (truncated?)";
	case -ENOMEM:
		return "out of memory";
	case -EIO:
		return "I/O error reading the store";
	default:
		/* -EOPNOTSUPP (too new), -EUCLEAN (corrupt): say what. */
		return why ?: "cannot attach the store";
	}
}

int ks3_server_attach(struct ks3_server *srv, const char *path,
		      const char **msg)
{
	struct ks3_store *s;
	struct ks3_dev *dev;
	const char *why;
	int ret = 0;

	*msg = NULL;
	if (!path[0] || strlen(path) >= sizeof(srv->device)) {
		*msg = "the device path is empty or too long";
		return -EINVAL;
	}
	mutex_lock(&srv->lock);
	if (srv->store) {
		*msg = "a store is already attached";
		ret = -EBUSY;
		goto out_unlock;
	}
	dev = ks3_dev_open_bdev(path, srv);
	if (IS_ERR(dev)) {
		ret = PTR_ERR(dev);
		*msg = ks3_server_open_error(ret);
		goto out_unlock;
	}
	s = ks3_store_attach(dev, &why);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		*msg = ks3_server_attach_error(ret, why);
		pr_warn("cannot attach %s: %s (%d)\n", path, *msg, ret);
		ks3_dev_close(dev);
		goto out_unlock;
	}
	srv->store = s;
	strscpy(srv->device, path, sizeof(srv->device));
	srv->state = KS3_STATE_ATTACHED;
	srv->generation++;
	/* Requests see the store's settings from their first one on. */
	ks3_config_load(srv, s);
	rcu_assign_pointer(srv->live, s);
	pr_info("attached the store on %s%s\n", path,
		s->read_only ? " read-only" : "");
out_unlock:
	mutex_unlock(&srv->lock);
	return ret;
}

/*
 * Requests holding the store, summed over CPUs: a request may take it on
 * one CPU and give it back on another, so only the sum means anything.
 */
long ks3_server_inflight(struct ks3_server *srv)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(srv->inflight, cpu);
	return sum;
}

int ks3_server_detach(struct ks3_server *srv, bool force, const char **msg)
{
	struct ks3_store *s;
	struct ks3_dev *dev;
	int ret = 0;

	*msg = NULL;
	mutex_lock(&srv->lock);
	s = srv->store;
	if (!s) {
		*msg = "no store is attached";
		ret = -ENODEV;
		goto out_unlock;
	}
	/* After the grace period no request can take the store any more. */
	RCU_INIT_POINTER(srv->live, NULL);
	WRITE_ONCE(srv->draining, true);
	synchronize_rcu();
	/* Pairs with the barrier in ks3_server_put_store(). */
	smp_mb();
	if (ks3_server_inflight(srv)) {
		if (!force) {
			*msg = "S3 requests are in flight (detach --force waits for them)";
			ret = -EBUSY;
			goto out_republish;
		}
		if (wait_event_killable(srv->inflight_wq,
					!ks3_server_inflight(srv))) {
			*msg = "interrupted while waiting for requests in flight";
			ret = -EINTR;
			goto out_republish;
		}
	}
	dev = s->dev;
	ks3_store_detach(s);
	ks3_dev_close(dev);
	srv->store = NULL;
	srv->state = KS3_STATE_NO_DEVICE;
	ks3_config_reset(srv);
	pr_info("detached the store on %s\n", srv->device);
	srv->device[0] = '\0';
	goto out_unlock;

out_republish:
	rcu_assign_pointer(srv->live, s);
out_unlock:
	WRITE_ONCE(srv->draining, false);
	mutex_unlock(&srv->lock);
	return ret;
}

struct ks3_store *ks3_server_get_store(struct ks3_server *srv)
{
	struct ks3_store *s;

	rcu_read_lock();
	s = rcu_dereference(srv->live);
	/* Inside the read section: detach's grace period waits for this. */
	if (s)
		this_cpu_inc(*srv->inflight);
	rcu_read_unlock();
	return s;
}

void ks3_server_put_store(struct ks3_server *srv)
{
	this_cpu_dec(*srv->inflight);
	/* A detach waiting for the last request: see ks3_server_detach(). */
	smp_mb();
	if (READ_ONCE(srv->draining))
		wake_up_all(&srv->inflight_wq);
}
