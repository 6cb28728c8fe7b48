/* SPDX-License-Identifier: GPL-2.0 */
/*
 * S3 listeners (http/listener.c): TCP sockets in init_net that accept
 * connections for a server. Runtime state, not kept on the device.
 */
#ifndef _KS3_HTTP_LISTENER_H
#define _KS3_HTTP_LISTENER_H

#include <linux/socket.h>
#include <linux/types.h>

struct ks3_server;

/* Most listeners at once, over every server. */
#define KS3_LISTENERS_MAX	64

/*
 * An address to listen on: AF_INET or AF_INET6 (a sockaddr_in or
 * sockaddr_in6 in @ss), port in network order inside it.
 */
int ks3_listener_add(struct ks3_server *srv,
		     const struct sockaddr_storage *ss, const char **msg);
int ks3_listener_del(struct ks3_server *srv,
		     const struct sockaddr_storage *ss, const char **msg);
/*
 * Calls @fn for each listener of @srv whose id is >= *@pos, in id order,
 * under the listeners' mutex: @fn must not sleep long or keep @ss. A
 * non-zero return ends the walk with *@pos at that listener and is
 * returned; a walk to the end leaves *@pos past the last id.
 */
int ks3_listener_for_each(struct ks3_server *srv, unsigned long *pos,
			  int (*fn)(void *arg,
				    const struct sockaddr_storage *ss,
				    u64 accepted),
			  void *arg);
/*
 * Closes every listener of @srv (module exit, before the connections
 * are closed): no new connection is accepted after it returns.
 */
void ks3_listeners_close_all(struct ks3_server *srv);

#endif /* _KS3_HTTP_LISTENER_H */
