/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connections (http/conn.c) and listeners (http/listener.c). Listeners
 * accept; each accepted socket becomes a connection running the HTTP state
 * machine of http.h in a work item on ks3_http_wq.
 */
#ifndef _KS3_HTTP_CONN_H
#define _KS3_HTTP_CONN_H

struct ks3_server;
struct socket;
struct workqueue_struct;

/* Unbound workqueue for accept and connection work; ks3_http_init(). */
extern struct workqueue_struct *ks3_http_wq;

/*
 * Takes ownership of @sock, an accepted TCP socket, whatever the result:
 * over srv's max_connections it answers 503 and closes it.
 */
int ks3_http_conn_start(struct ks3_server *srv, struct socket *sock);
/* Closes every connection of @srv and waits until they are gone. */
void ks3_http_conns_close_all(struct ks3_server *srv);

#endif /* _KS3_HTTP_CONN_H */
