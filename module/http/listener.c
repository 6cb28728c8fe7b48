// SPDX-License-Identifier: GPL-2.0
/*
 * S3 listeners, on the nvmet-tcp model: a kernel TCP socket per address
 * whose sk_data_ready only queues the accept work item; the work accepts
 * until the queue is empty and hands each socket to the connection layer
 * (http/conn.c). Listeners are runtime state: s3ctl listen add/del drive
 * them, nothing is kept on the device, and module exit closes them all
 * before the connections.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "ks3.h"
#include "http/conn.h"
#include "http/listener.h"

#define KS3_LISTEN_BACKLOG	128

struct ks3_listener {
	struct list_head node;		/* in ks3_listeners */
	unsigned long id;		/* dump order, never reused */
	struct ks3_server *srv;
	struct sockaddr_storage addr;	/* family, address, port */
	struct socket *sock;
	struct work_struct accept_work;
	atomic64_t accepted;
	/* The socket's own callback, put back at close and on children. */
	void (*saved_data_ready)(struct sock *sk);
};

/* Every listener, of every server; the mutex covers adds and deletes. */
static LIST_HEAD(ks3_listeners);
static DEFINE_MUTEX(ks3_listeners_lock);
static unsigned int ks3_nr_listeners;
static unsigned long ks3_listener_next_id = 1;

static size_t ks3_listener_addrlen(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) :
					   sizeof(struct sockaddr_in);
}

static bool ks3_listener_same(const struct sockaddr_storage *a,
			      const struct sockaddr_storage *b)
{
	const struct sockaddr_in6 *a6 = (const void *)a, *b6 = (const void *)b;
	const struct sockaddr_in *a4 = (const void *)a, *b4 = (const void *)b;

	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET6)
		return a6->sin6_port == b6->sin6_port &&
		       ipv6_addr_equal(&a6->sin6_addr, &b6->sin6_addr);
	return a4->sin_port == b4->sin_port &&
	       a4->sin_addr.s_addr == b4->sin_addr.s_addr;
}

/*
 * Called for the listening socket, and also for accepted sockets not yet
 * handed over: they inherit the listener's callbacks and sk_user_data
 * when they are cloned. Only a socket in TCP_LISTEN is the listener; for
 * the others @l may already be gone, so it is not touched.
 */
static void ks3_listener_data_ready(struct sock *sk)
{
	struct ks3_listener *l;

	read_lock_bh(&sk->sk_callback_lock);
	l = sk->sk_user_data;
	if (l && sk->sk_state == TCP_LISTEN) {
		queue_work(ks3_http_wq, &l->accept_work);
		l->saved_data_ready(sk);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* An accepted socket gets the callbacks of a fresh one back. */
static void ks3_listener_reset_child(struct ks3_listener *l, struct sock *sk)
{
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void ks3_listener_accept_work(struct work_struct *work)
{
	struct ks3_listener *l = container_of(work, struct ks3_listener,
					      accept_work);
	struct socket *sock;
	int ret;

	for (;;) {
		ret = kernel_accept(l->sock, &sock, O_NONBLOCK);
		if (ret) {
			if (ret != -EAGAIN)
				pr_warn_ratelimited("accept on %pISpc failed: %d\n",
						    &l->addr, ret);
			return;
		}
		ks3_listener_reset_child(l, sock->sk);
		atomic64_inc(&l->accepted);
		/* Owns @sock from here on, whatever it returns. */
		ks3_http_conn_start(l->srv, sock);
		cond_resched();
	}
}

/* Why a listening socket could not be set up, for the admin. */
static const char *ks3_listener_error(int err)
{
	switch (err) {
	case -EADDRINUSE:
		return "address already in use (another listener or program has the port)";
	case -EADDRNOTAVAIL:
		return "no interface has that address";
	case -EAFNOSUPPORT:
		return "the kernel has no support for that address family";
	case -EACCES:
		return "permission denied binding that port";
	case -ENOMEM:
		return "out of memory";
	default:
		return "cannot listen on that address";
	}
}

static int ks3_listener_open(struct ks3_listener *l)
{
	struct socket *sock;
	struct sock *sk;
	int ret;

	ret = sock_create_kern(&init_net, l->addr.ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &sock);
	if (ret)
		return ret;
	sk = sock->sk;
	sk->sk_allocation = GFP_KERNEL;
	sock_set_reuseaddr(sk);
	/* [::]:P and 0.0.0.0:P are two listeners, as the admin asked. */
	if (l->addr.ss_family == AF_INET6) {
		ret = ip6_sock_set_v6only(sk);
		if (ret)
			goto err_release;
	}
	/* A void pointer: kernel_bind takes sockaddr_unsized from 6.19. */
	ret = kernel_bind(sock, (void *)&l->addr,
			  ks3_listener_addrlen(&l->addr));
	if (ret)
		goto err_release;

	/* Before listen: no connection can arrive unseen. */
	write_lock_bh(&sk->sk_callback_lock);
	l->saved_data_ready = sk->sk_data_ready;
	sk->sk_user_data = l;
	sk->sk_data_ready = ks3_listener_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);

	l->sock = sock;
	ret = kernel_listen(sock, KS3_LISTEN_BACKLOG);
	if (ret)
		goto err_restore;
	return 0;

err_restore:
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	l->sock = NULL;
err_release:
	sock_release(sock);
	return ret;
}

/* Teardown, in the reverse order of setup. */
static void ks3_listener_close(struct ks3_listener *l)
{
	struct sock *sk = l->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = l->saved_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	/* Stops listening: connections not yet accepted are reset. */
	kernel_sock_shutdown(l->sock, SHUT_RDWR);
	cancel_work_sync(&l->accept_work);
	sock_release(l->sock);
	atomic_dec(&l->srv->listeners);
	pr_info("stopped listening on %pISpc (%lld connections accepted)\n",
		&l->addr, (long long)atomic64_read(&l->accepted));
	kfree(l);
}

static bool ks3_listener_addr_valid(const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *a6 = (const void *)ss;
	const struct sockaddr_in *a4 = (const void *)ss;

	if (ss->ss_family == AF_INET)
		return a4->sin_port != 0;
	if (ss->ss_family == AF_INET6)
		return a6->sin6_port != 0;
	return false;
}

int ks3_listener_add(struct ks3_server *srv,
		     const struct sockaddr_storage *ss, const char **msg)
{
	struct ks3_listener *l, *pos;
	int ret;

	*msg = NULL;
	if (!ks3_listener_addr_valid(ss)) {
		*msg = "an IPv4 or IPv6 address and a port 1..65535";
		return -EINVAL;
	}
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->srv = srv;
	memcpy(&l->addr, ss, ks3_listener_addrlen(ss));
	INIT_WORK(&l->accept_work, ks3_listener_accept_work);
	atomic64_set(&l->accepted, 0);

	mutex_lock(&ks3_listeners_lock);
	list_for_each_entry(pos, &ks3_listeners, node) {
		if (pos->srv == srv && ks3_listener_same(&pos->addr, ss)) {
			*msg = "already listening on that address and port";
			ret = -EEXIST;
			goto err_unlock;
		}
	}
	if (ks3_nr_listeners >= KS3_LISTENERS_MAX) {
		*msg = "too many listeners (at most 64)";
		ret = -ENOSPC;
		goto err_unlock;
	}
	ret = ks3_listener_open(l);
	if (ret) {
		*msg = ks3_listener_error(ret);
		goto err_unlock;
	}
	l->id = ks3_listener_next_id++;
	list_add_tail(&l->node, &ks3_listeners);
	ks3_nr_listeners++;
	atomic_inc(&srv->listeners);
	mutex_unlock(&ks3_listeners_lock);
	pr_info("listening on %pISpc\n", &l->addr);
	return 0;

err_unlock:
	mutex_unlock(&ks3_listeners_lock);
	kfree(l);
	return ret;
}

int ks3_listener_del(struct ks3_server *srv,
		     const struct sockaddr_storage *ss, const char **msg)
{
	struct ks3_listener *l;

	*msg = NULL;
	mutex_lock(&ks3_listeners_lock);
	list_for_each_entry(l, &ks3_listeners, node) {
		if (l->srv == srv && ks3_listener_same(&l->addr, ss)) {
			list_del(&l->node);
			ks3_nr_listeners--;
			/*
			 * Under the mutex, so an add of the same address
			 * right after finds the port free. The connections
			 * it accepted go on.
			 */
			ks3_listener_close(l);
			mutex_unlock(&ks3_listeners_lock);
			return 0;
		}
	}
	mutex_unlock(&ks3_listeners_lock);
	*msg = "not listening on that address and port";
	return -ENOENT;
}

int ks3_listener_for_each(struct ks3_server *srv, unsigned long *pos,
			  int (*fn)(void *arg,
				    const struct sockaddr_storage *ss,
				    u64 accepted),
			  void *arg)
{
	struct ks3_listener *l;
	int ret = 0;

	mutex_lock(&ks3_listeners_lock);
	list_for_each_entry(l, &ks3_listeners, node) {
		if (l->srv != srv || l->id < *pos)
			continue;
		ret = fn(arg, &l->addr, atomic64_read(&l->accepted));
		if (ret) {
			*pos = l->id;
			goto out_unlock;
		}
	}
	*pos = ks3_listener_next_id;
out_unlock:
	mutex_unlock(&ks3_listeners_lock);
	return ret;
}

void ks3_listeners_close_all(struct ks3_server *srv)
{
	struct ks3_listener *l, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&ks3_listeners_lock);
	list_for_each_entry_safe(l, tmp, &ks3_listeners, node) {
		if (l->srv == srv) {
			list_move_tail(&l->node, &gone);
			ks3_nr_listeners--;
		}
	}
	mutex_unlock(&ks3_listeners_lock);
	list_for_each_entry_safe(l, tmp, &gone, node)
		ks3_listener_close(l);
}
