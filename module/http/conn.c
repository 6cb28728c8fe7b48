// SPDX-License-Identifier: GPL-2.0
/*
 * HTTP/1.1 connections, on the nvmet-tcp model: socket callbacks only
 * queue the connection's work item; the work item runs the state machine
 * below with non-blocking socket I/O and a budget, and re-queues itself
 * while it makes progress. No thread per connection: an idle keep-alive
 * connection costs its struct and nothing else (the input buffer is freed
 * while idle).
 *
 *   READ_HEAD  -> (handler begin) -> READ_BODY -> (handler end) -> SEND
 *        \---------(answered at once / bad request)-----------------/
 *   SEND -> READ_HEAD (keep-alive, pipelined bytes kept) or CLOSE
 *
 * A deadline (idle, head, body or send timeout) is armed in every state
 * that waits for the client, so a slow client costs a connection slot,
 * never a worker. Teardown is one path: ks3_conn_release_work().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/time64.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "ks3.h"
#include "http/conn.h"
#include "http/http.h"

struct workqueue_struct *ks3_http_wq;

/* Input buffer: a whole head plus room to read body bytes behind it. */
#define KS3_CONN_IN_SIZE	(KS3_HTTP_HEAD_MAX + 64 * 1024)
/* Free input buffers kept per CPU for the next request to take. */
#define KS3_CONN_IN_SPARE	4
/* Streamed response bodies (@read sources) are copied this much at a time. */
#define KS3_CONN_STREAM_SIZE	(256 * 1024)
/* Status line, Date, Server, Content-Length, Connection: around the fields. */
#define KS3_CONN_OUT_HEAD_SIZE	(KS3_HTTP_RESP_HEAD_MAX + 256)
/* Body left unread after an early answer that we still read and drop. */
#define KS3_CONN_DISCARD_MAX	(64 * 1024)
/* Work done per run of io_work before yielding the worker. */
#define KS3_CONN_BUDGET		16
/* Retry delay when the global buffer budget is used up. */
#define KS3_CONN_MEM_RETRY	msecs_to_jiffies(20)
/* How long a request waits for buffer memory before 503 SlowDown. */
#define KS3_CONN_MEM_WAIT_MAX	msecs_to_jiffies(1000)

enum ks3_conn_state {
	KS3_CONN_READ_HEAD,	/* waiting for (the rest of) a request head */
	KS3_CONN_READ_BODY,	/* feeding body bytes to the handler */
	KS3_CONN_DISCARD_BODY,	/* answered early: dropping a small body */
	KS3_CONN_SEND,		/* sending the response */
	KS3_CONN_CLOSE,		/* done: release_work tears down */
};

struct ks3_conn {
	struct ks3_server *srv;
	struct socket *sock;
	struct list_head node;		/* on ks3_conns */
	struct work_struct io_work;
	struct work_struct release_work;
	struct timer_list timer;	/* queues io_work at @deadline */
	unsigned long deadline;		/* jiffies; 0 = none */
	bool mem_wait;			/* over the buffer budget: retry soon */
	unsigned long mem_wait_since;	/* jiffies of the first retry; 0: none */
	/*
	 * The head or body being received must keep up min_rate after
	 * min_rate_grace_ms (ks3_conn_rate_deadline()).
	 */
	unsigned long rate_start;	/* jiffies */
	u64 rate_bytes;			/* received since @rate_start */
	struct ks3_conn_addr *addr;	/* the client address's count */
	bool closing;			/* release_work queued */
	enum ks3_conn_state state;
	struct ks3_config cfg;		/* settings as of the connection's start */

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	/* Input: [0, head_len) the current head, then @in_len - head_len bytes. */
	u8 *in;
	size_t in_len;
	size_t head_len;

	/* Body framing of the current request. */
	struct ks3_http_chunked chunked;
	u64 body_left;			/* Content-Length framing */

	/* Output: the response head, then the body buffer or stream. */
	size_t out_head_len;		/* 0: not built yet */
	size_t out_head_sent;
	u64 body_sent;
	u64 body_total;			/* bytes of body to send */
	u8 *stream;			/* KS3_CONN_STREAM_SIZE, for @read */
	size_t stream_len;
	size_t stream_sent;
	struct ks3_http_pages pages;	/* from @pages: sent without a copy */
	size_t pages_sent;
	bool continue_pending;		/* "100 Continue" still to send */
	size_t continue_sent;

	bool in_exchange;		/* @x holds a request: release it */
	struct ks3_exchange x;
	char out_head[KS3_CONN_OUT_HEAD_SIZE];
};

/*
 * Input buffers a connection gave back, per CPU: the next request on this
 * CPU takes one instead of allocating (and, with init_on_alloc, zeroing)
 * 80 KiB. Idle connections still hold none.
 */
struct ks3_conn_spare {
	unsigned int nr;
	void *buf[KS3_CONN_IN_SPARE];
};

static DEFINE_PER_CPU(struct ks3_conn_spare, ks3_conn_spares);

static LIST_HEAD(ks3_conns);
static DEFINE_MUTEX(ks3_conns_lock);
static DECLARE_WAIT_QUEUE_HEAD(ks3_conns_wq);
/* Request ids: a counter per CPU, interleaved (no shared line per request). */
static DEFINE_PER_CPU(u64, ks3_http_ids);
/* Bytes of connection buffers allocated, against config global_buffer. */
static atomic64_t ks3_http_buffered = ATOMIC64_INIT(0);

static const char ks3_continue[] = "HTTP/1.1 100 Continue\r\n\r\n";

void ks3_http_format_date(char *buf, s64 t)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	time64_to_tm(t, 0, &tm);
	snprintf(buf, KS3_HTTP_DATE_LEN + 1,
		 "%s, %02d %s %04ld %02d:%02d:%02d GMT", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900L, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
}

/* A spare input buffer of this CPU's, or NULL. */
static void *ks3_conn_spare_get(void)
{
	struct ks3_conn_spare *sp = get_cpu_ptr(&ks3_conn_spares);
	void *p = sp->nr ? sp->buf[--sp->nr] : NULL;

	put_cpu_ptr(&ks3_conn_spares);
	return p;
}

/* Keeps @p for the next request on this CPU; false if there is no room. */
static bool ks3_conn_spare_put(void *p)
{
	struct ks3_conn_spare *sp = get_cpu_ptr(&ks3_conn_spares);
	bool kept = sp->nr < KS3_CONN_IN_SPARE;

	if (kept)
		sp->buf[sp->nr++] = p;
	put_cpu_ptr(&ks3_conn_spares);
	return kept;
}

static void ks3_conn_spares_free(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ks3_conn_spare *sp = per_cpu_ptr(&ks3_conn_spares, cpu);

		while (sp->nr)
			kvfree(sp->buf[--sp->nr]);
	}
}

bool ks3_http_mem_charge(const struct ks3_http_limits *lim, size_t size)
{
	if (atomic64_add_return(size, &ks3_http_buffered) > lim->global_buffer) {
		atomic64_sub(size, &ks3_http_buffered);
		return false;
	}
	return true;
}

void ks3_http_mem_uncharge(size_t size)
{
	atomic64_sub(size, &ks3_http_buffered);
}

/* Every exchange is a connection's. */
bool ks3_http_exchange_cancelled(const struct ks3_exchange *x)
{
	const struct ks3_conn *c = container_of(x, struct ks3_conn, x);
	const struct sock *sk = c->sock->sk;

	return (READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) ||
	       READ_ONCE(sk->sk_err) || READ_ONCE(sk->sk_state) == TCP_CLOSE;
}

/* Buffers: accounted against the global budget. */
static void *ks3_conn_buf_alloc(struct ks3_conn *c, size_t size)
{
	void *p = NULL;

	if (!ks3_http_mem_charge(&c->cfg.http, size))
		return NULL;
	if (size == KS3_CONN_IN_SIZE)
		p = ks3_conn_spare_get();
	if (!p)
		p = kvmalloc(size, GFP_KERNEL);
	if (!p)
		ks3_http_mem_uncharge(size);
	return p;
}

static void ks3_conn_buf_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size != KS3_CONN_IN_SIZE || !ks3_conn_spare_put(p))
		kvfree(p);
	ks3_http_mem_uncharge(size);
}

/* Socket callbacks: a few lines each, all work happens in io_work. */
static void ks3_conn_data_ready(struct sock *sk)
{
	struct ks3_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c)
		queue_work(ks3_http_wq, &c->io_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ks3_conn_write_space(struct sock *sk)
{
	struct ks3_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(ks3_http_wq, &c->io_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ks3_conn_state_change(struct sock *sk)
{
	struct ks3_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c)
		queue_work(ks3_http_wq, &c->io_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ks3_conn_timer(struct timer_list *t)
{
	struct ks3_conn *c = from_timer(c, t, timer);

	queue_work(ks3_http_wq, &c->io_work);
}

/* Sets the deadline; io_work arms the timer when it goes to wait. */
static void ks3_conn_arm(struct ks3_conn *c, u32 ms)
{
	c->deadline = jiffies + msecs_to_jiffies(ms) + 1;
}

/* (Re)starts the minimum-rate window of a head or body. */
static void ks3_conn_rate_start(struct ks3_conn *c)
{
	c->rate_start = jiffies;
	c->rate_bytes = 0;
}

/* Is the client sending something min_rate applies to? */
static bool ks3_conn_rate_on(const struct ks3_conn *c)
{
	if (!c->cfg.http.min_rate || c->continue_pending)
		return false;
	return c->state == KS3_CONN_READ_BODY ||
	       (c->state == KS3_CONN_READ_HEAD && c->in_len);
}

/*
 * As Apache's mod_reqtimeout: the grace period, then one more second for
 * every min_rate bytes received.
 */
static unsigned long ks3_conn_rate_deadline(const struct ks3_conn *c)
{
	u64 earned = div_u64(min_t(u64, c->rate_bytes, U32_MAX) * HZ,
			     c->cfg.http.min_rate);

	return c->rate_start + msecs_to_jiffies(c->cfg.http.min_rate_grace_ms) +
	       (unsigned long)min_t(u64, earned, MAX_JIFFY_OFFSET / 2);
}

static bool ks3_conn_expired(struct ks3_conn *c)
{
	if (c->deadline && time_after_eq(jiffies, c->deadline))
		return true;
	return ks3_conn_rate_on(c) &&
	       time_after_eq(jiffies, ks3_conn_rate_deadline(c));
}

static void ks3_conn_close(struct ks3_conn *c)
{
	c->state = KS3_CONN_CLOSE;
	if (!c->closing) {
		c->closing = true;
		queue_work(ks3_http_wq, &c->release_work);
	}
}

/* Ends the current exchange: the handler frees its state. */
static void ks3_conn_end_exchange(struct ks3_conn *c)
{
	struct ks3_exchange *x = &c->x;

	if (c->in_exchange && c->srv->handler && c->srv->handler->release)
		c->srv->handler->release(x);
	c->in_exchange = false;
	kvfree(x->body_buf);
	x->body_buf = NULL;
	ks3_http_mem_uncharge(x->body_charged);
	x->body_charged = 0;
	ks3_conn_buf_free(c->stream, KS3_CONN_STREAM_SIZE);
	c->stream = NULL;
	c->out_head_len = 0;
}

/* Unique per module load: the n-th id of CPU c is n * nr_cpu_ids + c. */
static u64 ks3_http_next_id(void)
{
	int cpu = get_cpu();
	u64 n = __this_cpu_inc_return(ks3_http_ids);

	put_cpu();
	return n * nr_cpu_ids + cpu;
}

/* Resets @x but its parsed head for a new request. */
static void ks3_conn_new_exchange(struct ks3_conn *c)
{
	struct ks3_exchange *x = &c->x;

	/* Settings changes apply from the next request on. */
	ks3_server_get_config(c->srv, &c->cfg);
	x->srv = c->srv;
	x->priv = NULL;
	x->id = ks3_http_next_id();
	x->received_ns = ktime_get_real_ns();
	x->secure = false;
	x->status = 0;
	x->responded = false;
	x->close_after = false;
	x->resp_fields_len = 0;
	x->resp_fields[0] = '\0';
	x->body_buf = NULL;
	x->body_len = 0;
	x->body_src = NULL;
	c->out_head_len = 0;
	c->out_head_sent = 0;
	c->body_sent = 0;
	c->body_total = 0;
	c->stream_len = 0;
	c->stream_sent = 0;
	memset(&c->pages, 0, sizeof(c->pages));
	c->pages_sent = 0;
	c->continue_pending = false;
	c->continue_sent = 0;
}

int ks3_http_add_field(struct ks3_exchange *x, const char *name,
		       const char *fmt, ...)
{
	size_t room = sizeof(x->resp_fields) - x->resp_fields_len;
	char *p = x->resp_fields + x->resp_fields_len;
	va_list ap;
	int n, m;

	n = snprintf(p, room, "%s: ", name);
	if (n < 0 || n >= room)
		goto full;
	va_start(ap, fmt);
	m = vsnprintf(p + n, room - n, fmt, ap);
	va_end(ap);
	if (m < 0 || m + 2 >= room - n)
		goto full;
	n += m;
	/* A field value never carries a line break into the head. */
	if (strpbrk(p, "\r\n"))
		goto full;
	p[n++] = '\r';
	p[n++] = '\n';
	p[n] = '\0';
	x->resp_fields_len += n;
	return 0;
full:
	*p = '\0';
	return -ENOSPC;
}
EXPORT_SYMBOL_GPL(ks3_http_add_field);

void ks3_http_respond(struct ks3_exchange *x, u16 status, void *body,
		      size_t len)
{
	kvfree(x->body_buf);
	x->status = status;
	x->body_buf = body;
	x->body_len = len;
	x->body_src = NULL;
	x->responded = true;
}

void ks3_http_respond_stream(struct ks3_exchange *x, u16 status,
			     const struct ks3_http_body_source *src)
{
	kvfree(x->body_buf);
	x->body_buf = NULL;
	x->body_len = 0;
	x->status = status;
	x->body_src = src;
	x->responded = true;
}

/*
 * A response of the connection's own (bad request, overload, bug), in the
 * handler's format when it has one; the connection closes after it.
 */
static void ks3_conn_respond_plain(struct ks3_conn *c, u16 status)
{
	const struct ks3_http_handler *h = c->srv->handler;

	c->x.resp_fields_len = 0;
	c->x.resp_fields[0] = '\0';
	c->x.responded = false;
	if (h && h->error)
		h->error(&c->x, status);
	if (!c->x.responded)
		ks3_http_respond(&c->x, status, NULL, 0);
	c->x.close_after = true;
}

static bool ks3_status_has_body(u16 status)
{
	return status >= 200 && status != 204 && status != 304;
}

/* Formats the status line and fields; sets what the body will be. */
static int ks3_conn_build_head(struct ks3_conn *c)
{
	struct ks3_exchange *x = &c->x;
	bool head = x->req.method == KS3_HTTP_HEAD;
	size_t size = sizeof(c->out_head);
	char date[KS3_HTTP_DATE_LEN + 1];
	u64 length;
	int n;

	if (!x->req.keep_alive)
		x->close_after = true;
	length = x->body_src ? x->body_src->length : x->body_len;
	c->body_total = head || !ks3_status_has_body(x->status) ? 0 : length;
	if (!head && x->body_len && !x->body_buf && !x->body_src)
		return -EINVAL;		/* a length without a body: a bug */

	ks3_http_format_date(date, ktime_get_real_seconds());
	n = scnprintf(c->out_head, size,
		      "HTTP/1.1 %u %s\r\nDate: %s\r\nServer: ks3\r\n%s",
		      x->status, ks3_http_reason(x->status), date,
		      x->resp_fields);
	if (ks3_status_has_body(x->status))
		n += scnprintf(c->out_head + n, size - n,
			       "Content-Length: %llu\r\n", length);
	if (x->close_after)
		n += scnprintf(c->out_head + n, size - n,
			       "Connection: close\r\n");
	else if (x->req.version_minor == 0)
		n += scnprintf(c->out_head + n, size - n,
			       "Connection: keep-alive\r\n");
	n += scnprintf(c->out_head + n, size - n, "\r\n");
	c->out_head_len = n;
	return 0;
}

/* >0 bytes sent, 0 would block, <0 error. */
static int ks3_conn_send(struct ks3_conn *c, const void *buf, size_t len,
			 bool more)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	int ret;

	if (more)
		msg.msg_flags |= MSG_MORE;
	ret = kernel_sendmsg(c->sock, &msg, &iov, 1, len);
	if (ret == -EAGAIN)
		return 0;
	return ret ? ret : -EPIPE;
}

/* >0 bytes received, 0 would block, -ECONNRESET at EOF, <0 error. */
static int ks3_conn_recv(struct ks3_conn *c, void *buf, size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int ret;

	ret = kernel_recvmsg(c->sock, &msg, &iov, 1, len, msg.msg_flags);
	if (ret == -EAGAIN)
		return 0;
	if (ret == 0)
		return -ECONNRESET;
	if (ret > 0)
		c->rate_bytes += ret;
	return ret;
}

/*
 * The request could not even be read for want of buffer memory: a fixed
 * S3 SlowDown answer, sent from static memory, then close.
 */
static void ks3_conn_slow_down(struct ks3_conn *c)
{
	static const char *const parts[] = {
		"HTTP/1.1 503 Service Unavailable\r\n",
		"Content-Type: application/xml\r\n",
		"Content-Length: 126\r\n",
		"Connection: close\r\n\r\n",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
	};
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov[ARRAY_SIZE(parts)];
	size_t i, len = 0;

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		iov[i].iov_base = (void *)parts[i];
		iov[i].iov_len = strlen(parts[i]);
		len += iov[i].iov_len;
	}
	kernel_sendmsg(c->sock, &msg, iov, ARRAY_SIZE(parts), len);
}

/* Reads more input behind what is buffered; the buffer is made if needed. */
static int ks3_conn_fill(struct ks3_conn *c)
{
	if (!c->in) {
		c->in = ks3_conn_buf_alloc(c, KS3_CONN_IN_SIZE);
		if (!c->in) {
			/* Over the global budget: try again shortly... */
			if (!c->mem_wait_since)
				c->mem_wait_since = jiffies | 1;
			/* ...but not for long: the client is told to back off. */
			else if (time_after(jiffies, c->mem_wait_since +
						     KS3_CONN_MEM_WAIT_MAX))
				return -ENOMEM;
			c->mem_wait = true;
			return 0;
		}
		c->mem_wait_since = 0;
	}
	if (c->in_len == KS3_CONN_IN_SIZE)
		return -ENOBUFS;
	return ks3_conn_recv(c, c->in + c->in_len, KS3_CONN_IN_SIZE - c->in_len);
}

/* Drops the first @n bytes after the head (consumed body). */
static void ks3_conn_consume(struct ks3_conn *c, size_t n)
{
	size_t rest = c->in_len - c->head_len - n;

	memmove(c->in + c->head_len, c->in + c->head_len + n, rest);
	c->in_len = c->head_len + rest;
}

static u16 ks3_conn_parse_status(int err)
{
	switch (err) {
	case -EMSGSIZE:
	case -E2BIG:
		return 431;
	case -ENAMETOOLONG:
		return 414;
	case -EPROTONOSUPPORT:
		return 505;
	case -EOPNOTSUPP:
		return 501;
	default:
		return 400;
	}
}

/* After begin(): what to do with the body the handler did not take. */
static void ks3_conn_skip_body(struct ks3_conn *c)
{
	struct ks3_http_request *req = &c->x.req;

	c->state = KS3_CONN_SEND;
	if (req->chunked || (req->has_length && req->content_length)) {
		if (!req->chunked && !req->expect_continue &&
		    req->content_length <= KS3_CONN_DISCARD_MAX &&
		    !c->x.close_after) {
			c->body_left = req->content_length;
			c->state = KS3_CONN_DISCARD_BODY;
			/* A deadline for all of it: no trickling to hold the slot. */
			ks3_conn_arm(c, c->cfg.http.discard_timeout_ms);
			return;
		}
		c->x.close_after = true;
	}
}

/* READ_HEAD: >0 progress, 0 wait for input, <0 close. */
static int ks3_conn_try_head(struct ks3_conn *c)
{
	const struct ks3_http_handler *h = c->srv->handler;
	struct ks3_http_limits *lim = &c->cfg.http;
	struct ks3_exchange *x = &c->x;
	int ret;

	if (!c->in_len) {
		ret = ks3_conn_fill(c);
		if (ret == -ENOMEM)
			ks3_conn_slow_down(c);
		if (ret <= 0)
			return ret;
		c->in_len += ret;
	}
	ret = ks3_http_parse_head(&x->req, c->in, c->in_len, lim->head_max,
				  lim->url_max, lim->max_fields);
	if (ret == 0) {
		if (c->in_len >= lim->head_max) {
			ret = -EMSGSIZE;
		} else {
			ret = ks3_conn_fill(c);
			if (ret <= 0)
				return ret == -ENOBUFS ? -EMSGSIZE : ret;
			c->in_len += ret;
			return 1;
		}
	}

	ks3_conn_new_exchange(c);
	if (ret < 0) {
		/* The head is unusable: answer and close. */
		memset(&x->req, 0, sizeof(x->req));
		c->head_len = 0;
		ks3_conn_respond_plain(c, ks3_conn_parse_status(ret));
		c->state = KS3_CONN_SEND;
		return 1;
	}
	c->head_len = ret;
	c->body_left = x->req.has_length ? x->req.content_length : 0;
	ks3_http_chunked_init(&c->chunked);

	if (!h) {
		ks3_conn_respond_plain(c, 503);
		ks3_conn_skip_body(c);
		return 1;
	}
	/* From here on the handler has state to release. */
	c->in_exchange = true;
	ret = h->begin(x);
	if (!x->responded && ret) {
		ks3_conn_respond_plain(c, 500);
		ks3_conn_skip_body(c);
		return 1;
	}
	if (x->responded) {
		ks3_conn_skip_body(c);
		return 1;
	}
	if (!x->req.chunked && !c->body_left) {
		h->end(x);
		if (!x->responded)
			ks3_conn_respond_plain(c, 500);
		c->state = KS3_CONN_SEND;
		return 1;
	}
	c->continue_pending = x->req.expect_continue;
	c->state = KS3_CONN_READ_BODY;
	ks3_conn_arm(c, lim->body_timeout_ms);
	ks3_conn_rate_start(c);
	return 1;
}

/* Passes buffered body bytes to the handler; 1 when the body is done. */
static int ks3_conn_feed_body(struct ks3_conn *c, bool discard)
{
	const struct ks3_http_handler *h = c->srv->handler;
	struct ks3_exchange *x = &c->x;
	size_t avail = c->in_len - c->head_len;
	const u8 *p = c->in + c->head_len;
	int ret;

	if (!x->req.chunked) {
		size_t n = min_t(u64, avail, c->body_left);

		if (n && !discard) {
			ret = h->body(x, p, n);
			if (ret)
				return ret;
		}
		ks3_conn_consume(c, n);
		c->body_left -= n;
		return c->body_left == 0;
	}

	while (avail) {
		const u8 *data;
		size_t used, data_len;
		int done;

		done = ks3_http_chunked_decode(&c->chunked, p, avail, &used,
					       &data, &data_len);
		if (done < 0)
			return done;
		if (data_len && !discard) {
			ret = h->body(x, data, data_len);
			if (ret)
				return ret;
		}
		p += used;
		avail -= used;
		if (done) {
			ks3_conn_consume(c, p - (c->in + c->head_len));
			return 1;
		}
		if (!used)
			break;
	}
	ks3_conn_consume(c, p - (c->in + c->head_len));
	return 0;
}

/*
 * The handler's memory to receive the next Content-Length body bytes
 * into (h->body_buf), at most *@len of them, when nothing of the body is
 * buffered; NULL to receive into the input buffer.
 */
static void *ks3_conn_body_buf(struct ks3_conn *c, size_t *len)
{
	const struct ks3_http_handler *h = c->srv->handler;
	void *buf;

	if (!h->body_buf || c->x.req.chunked || !c->body_left ||
	    c->in_len != c->head_len)
		return NULL;
	buf = h->body_buf(&c->x, len);
	if (!buf || !*len)
		return NULL;
	*len = min_t(u64, *len, c->body_left);
	return buf;
}

/*
 * The body is done (@ret 1: the handler's end()) or failed (@ret < 0: an
 * error answer, then close): 1 to go on sending, <0 to close at once.
 */
static int ks3_conn_body_over(struct ks3_conn *c, int ret, bool discard)
{
	struct ks3_exchange *x = &c->x;

	if (ret < 0) {
		if (discard)
			return ret;
		/* A framing error (bad chunk) or the handler's answer. */
		if (!x->responded)
			ks3_conn_respond_plain(c, ret == -EBADMSG ||
					       ret == -EMSGSIZE ? 400 : 500);
		x->close_after = true;
		c->state = KS3_CONN_SEND;
		return 1;
	}
	if (!discard) {
		c->srv->handler->end(x);
		if (!x->responded)
			ks3_conn_respond_plain(c, 500);
	}
	c->state = KS3_CONN_SEND;
	return 1;
}

/* READ_BODY and DISCARD_BODY: >0 progress, 0 wait for input, <0 close. */
static int ks3_conn_try_body(struct ks3_conn *c)
{
	bool discard = c->state == KS3_CONN_DISCARD_BODY;
	struct ks3_exchange *x = &c->x;
	size_t len;
	void *buf;
	int ret;

	if (c->continue_pending) {
		ret = ks3_conn_send(c, ks3_continue + c->continue_sent,
				    sizeof(ks3_continue) - 1 - c->continue_sent,
				    false);
		if (ret <= 0)
			return ret;
		c->continue_sent += ret;
		if (c->continue_sent == sizeof(ks3_continue) - 1) {
			c->continue_pending = false;
			/* The client waited for this: its time starts now. */
			ks3_conn_rate_start(c);
		}
		return 1;
	}

	ret = ks3_conn_feed_body(c, discard);
	if (ret)
		return ks3_conn_body_over(c, ret, discard);

	/* Straight into the handler's memory: no copy through c->in. */
	buf = discard ? NULL : ks3_conn_body_buf(c, &len);
	if (buf) {
		ret = ks3_conn_recv(c, buf, len);
		if (ret <= 0)
			return ret;
		ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
		c->body_left -= ret;
		ret = c->srv->handler->body_recvd(x, buf, ret);
		if (!ret && !c->body_left)
			ret = 1;
		return ret ? ks3_conn_body_over(c, ret, discard) : 1;
	}

	ret = ks3_conn_fill(c);
	if (ret > 0) {
		c->in_len += ret;
		if (!discard)
			ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
	}
	return ret;
}

/* Fills the stream buffer from the body source. */
static int ks3_conn_stream_fill(struct ks3_conn *c)
{
	struct ks3_exchange *x = &c->x;
	size_t want;
	ssize_t n;

	if (!c->stream) {
		c->stream = ks3_conn_buf_alloc(c, KS3_CONN_STREAM_SIZE);
		if (!c->stream) {
			c->mem_wait = true;
			return 0;
		}
	}
	want = min_t(u64, KS3_CONN_STREAM_SIZE, c->body_total - c->body_sent);
	n = x->body_src->read(x, c->body_sent, c->stream, want);
	if (n <= 0 || n > want)
		return n < 0 ? n : -EIO;
	c->stream_len = n;
	c->stream_sent = 0;
	return 1;
}

/* Sends body pages from the source, getting the next run when one is out. */
static int ks3_conn_send_pages(struct ks3_conn *c)
{
	struct ks3_exchange *x = &c->x;
	struct ks3_http_pages *p = &c->pages;
	u64 left = c->body_total - c->body_sent;
	int ret;

	if (c->pages_sent == p->len) {
		memset(p, 0, sizeof(*p));
		c->pages_sent = 0;
		ret = x->body_src->pages(x, c->body_sent, p);
		if (ret)
			return ret;
		if (!p->len || p->len > left || !p->nr)
			return -EIO;
	}
	ret = ks3_sock_send_pages(c->sock, p->bv, p->nr,
				  p->skip + c->pages_sent,
				  p->len - c->pages_sent,
				  MSG_DONTWAIT |
				  (left > p->len - c->pages_sent ? MSG_MORE : 0));
	if (ret == -EAGAIN)
		return 0;
	if (ret > 0) {
		c->pages_sent += ret;
		c->body_sent += ret;
		ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
	}
	return ret;
}

/* SEND: >0 progress, 0 wait for socket space, <0 close. */
static int ks3_conn_try_send(struct ks3_conn *c)
{
	struct ks3_exchange *x = &c->x;
	bool body_left;
	int ret;

	if (!c->out_head_len) {
		ret = ks3_conn_build_head(c);
		if (ret == -EINVAL) {
			ks3_conn_respond_plain(c, 500);
			ret = ks3_conn_build_head(c);
		}
		if (ret)
			return ret;
		ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
	}
	body_left = c->body_sent < c->body_total;
	if (c->out_head_sent < c->out_head_len) {
		ret = ks3_conn_send(c, c->out_head + c->out_head_sent,
				    c->out_head_len - c->out_head_sent,
				    body_left);
		if (ret > 0) {
			c->out_head_sent += ret;
			ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
		}
		return ret;
	}
	if (body_left && x->body_buf) {
		ret = ks3_conn_send(c, (u8 *)x->body_buf + c->body_sent,
				    c->body_total - c->body_sent, false);
		if (ret > 0) {
			c->body_sent += ret;
			ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
		}
		return ret;
	}
	if (body_left && x->body_src->pages)
		return ks3_conn_send_pages(c);
	if (body_left) {
		if (c->stream_sent == c->stream_len) {
			ret = ks3_conn_stream_fill(c);
			if (ret <= 0)
				return ret;
		}
		ret = ks3_conn_send(c, c->stream + c->stream_sent,
				    c->stream_len - c->stream_sent,
				    c->body_sent + c->stream_len -
				    c->stream_sent < c->body_total);
		if (ret > 0) {
			c->stream_sent += ret;
			c->body_sent += ret;
			ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
		}
		return ret;
	}

	/* The response is out. */
	ks3_conn_end_exchange(c);
	if (x->close_after)
		return -ECONNRESET;
	/* Keep the pipelined bytes that follow this request. */
	memmove(c->in, c->in + c->head_len, c->in_len - c->head_len);
	c->in_len -= c->head_len;
	c->head_len = 0;
	if (!c->in_len) {
		ks3_conn_buf_free(c->in, KS3_CONN_IN_SIZE);
		c->in = NULL;
		ks3_conn_arm(c, c->cfg.http.idle_timeout_ms);
	} else {
		ks3_conn_arm(c, c->cfg.http.header_timeout_ms);
		ks3_conn_rate_start(c);
	}
	c->state = KS3_CONN_READ_HEAD;
	return 1;
}

static void ks3_conn_io_work(struct work_struct *w)
{
	struct ks3_conn *c = container_of(w, struct ks3_conn, io_work);
	int budget = KS3_CONN_BUDGET;
	size_t had;
	int ret = 0;

	while (budget-- > 0 && !c->closing) {
		switch (c->state) {
		case KS3_CONN_READ_HEAD:
			had = c->in_len;
			ret = ks3_conn_try_head(c);
			/*
			 * The head deadline starts with its first byte and
			 * does not move until the head is complete.
			 */
			if (!had && c->in_len &&
			    c->state == KS3_CONN_READ_HEAD) {
				ks3_conn_arm(c, c->cfg.http.header_timeout_ms);
				c->rate_start = jiffies;
				c->rate_bytes = c->in_len;
			}
			break;
		case KS3_CONN_READ_BODY:
		case KS3_CONN_DISCARD_BODY:
			ret = ks3_conn_try_body(c);
			break;
		case KS3_CONN_SEND:
			ret = ks3_conn_try_send(c);
			break;
		case KS3_CONN_CLOSE:
			ret = -ECONNRESET;
			break;
		}
		if (ret < 0) {
			ks3_conn_close(c);
			return;
		}
		if (ret == 0)
			break;
	}
	if (c->closing)
		return;
	if (ret > 0) {
		/* Budget used up with work left: let others run. */
		queue_work(ks3_http_wq, &c->io_work);
		return;
	}
	if (ks3_conn_expired(c)) {
		if (c->state == KS3_CONN_DISCARD_BODY) {
			/* Out of time to drop the body: answer, then close. */
			c->x.close_after = true;
			c->state = KS3_CONN_SEND;
			ks3_conn_arm(c, c->cfg.http.body_timeout_ms);
			queue_work(ks3_http_wq, &c->io_work);
			return;
		}
		ks3_conn_close(c);
		return;
	}
	/* Waiting for the client (or for buffer memory). */
	if (c->mem_wait) {
		c->mem_wait = false;
		/* ks3's wait, not the client's: the rate window restarts. */
		ks3_conn_rate_start(c);
		mod_timer(&c->timer, jiffies + KS3_CONN_MEM_RETRY);
	} else {
		unsigned long t = c->deadline;

		if (ks3_conn_rate_on(c) &&
		    (!t || time_before(ks3_conn_rate_deadline(c), t)))
			t = ks3_conn_rate_deadline(c);
		if (t)
			mod_timer(&c->timer, t);
	}
}

static void ks3_conn_restore_callbacks(struct ks3_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = c->saved_data_ready;
	sk->sk_write_space = c->saved_write_space;
	sk->sk_state_change = c->saved_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * Closes gracefully: FIN first, then drop what the client already sent, so
 * the close does not turn into a reset that could destroy the response
 * (a 431 for a head the client is still sending, say) before it is read.
 */
static void ks3_conn_drain(struct ks3_conn *c)
{
	char *buf;
	int i;

	kernel_sock_shutdown(c->sock, SHUT_WR);
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	for (i = 0; buf && i < 64; i++) {
		struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
		struct kvec iov = { .iov_base = buf, .iov_len = PAGE_SIZE };

		if (kernel_recvmsg(c->sock, &msg, &iov, 1, PAGE_SIZE,
				   MSG_DONTWAIT) <= 0)
			break;
	}
	kfree(buf);
	kernel_sock_shutdown(c->sock, SHUT_RDWR);
}

/*
 * Connections per client address (max_conns_per_addr), so one client
 * cannot take every slot. IPv4-mapped IPv6 counts as the IPv4 address.
 * At most one entry per connection: bounded by max_connections.
 */
struct ks3_conn_addr {
	struct hlist_node node;
	struct in6_addr addr;
	unsigned int count;
};

static DEFINE_HASHTABLE(ks3_conn_addrs, 8);
static DEFINE_SPINLOCK(ks3_conn_addrs_lock);

static u32 ks3_conn_addr_hash(const struct in6_addr *a)
{
	return jhash(a, sizeof(*a), 0);
}

/* The peer of @sock as an IPv6 address (IPv4 mapped); false if unknown. */
static bool ks3_conn_peer(struct socket *sock, struct in6_addr *out,
			  struct sockaddr_storage *ss)
{
	int len = kernel_getpeername(sock, (struct sockaddr *)ss);

	if (len < 0)
		return false;
	if (ss->ss_family == AF_INET) {
		ipv6_addr_set_v4mapped(((struct sockaddr_in *)ss)->sin_addr.s_addr,
				       out);
		return true;
	}
	if (ss->ss_family == AF_INET6) {
		*out = ((struct sockaddr_in6 *)ss)->sin6_addr;
		return true;
	}
	return false;
}

/*
 * Counts one more connection from @a: the entry, or NULL when @limit are
 * open already (*@open says how many) or out of memory (*@open 0).
 */
static struct ks3_conn_addr *ks3_conn_addr_get(const struct in6_addr *a,
					       u32 limit, unsigned int *open)
{
	struct ks3_conn_addr *e, *fresh;
	u32 h = ks3_conn_addr_hash(a);

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	*open = 0;
	spin_lock(&ks3_conn_addrs_lock);
	hash_for_each_possible(ks3_conn_addrs, e, node, h) {
		if (ipv6_addr_equal(&e->addr, a)) {
			if (e->count >= limit) {
				*open = e->count;
				e = NULL;
			} else {
				e->count++;
			}
			spin_unlock(&ks3_conn_addrs_lock);
			kfree(fresh);
			return e;
		}
	}
	if (fresh) {
		fresh->addr = *a;
		fresh->count = 1;
		hash_add(ks3_conn_addrs, &fresh->node, h);
	}
	spin_unlock(&ks3_conn_addrs_lock);
	return fresh;
}

static void ks3_conn_addr_put(struct ks3_conn_addr *e)
{
	if (!e)
		return;
	spin_lock(&ks3_conn_addrs_lock);
	if (--e->count)
		e = NULL;
	else
		hash_del(&e->node);
	spin_unlock(&ks3_conn_addrs_lock);
	kfree(e);
}

/* The one teardown path, in reverse order of setup. */
static void ks3_conn_release_work(struct work_struct *w)
{
	struct ks3_conn *c = container_of(w, struct ks3_conn, release_work);

	/* Off the list first: close_all must not touch the socket after. */
	mutex_lock(&ks3_conns_lock);
	list_del(&c->node);
	mutex_unlock(&ks3_conns_lock);
	ks3_conn_restore_callbacks(c);
	del_timer_sync(&c->timer);
	cancel_work_sync(&c->io_work);
	del_timer_sync(&c->timer);
	ks3_conn_drain(c);
	ks3_conn_end_exchange(c);
	ks3_conn_buf_free(c->in, KS3_CONN_IN_SIZE);
	sock_release(c->sock);
	ks3_conn_addr_put(c->addr);
	atomic_dec(&c->srv->connections);
	wake_up_all(&ks3_conns_wq);
	kfree(c);
}

static void ks3_conn_refuse(struct socket *sock)
{
	static const char busy[] =
		"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
		"Connection: close\r\n\r\n";
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)busy,
			    .iov_len = sizeof(busy) - 1 };

	kernel_sendmsg(sock, &msg, &iov, 1, iov.iov_len);
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
}

int ks3_http_conn_start(struct ks3_server *srv, struct socket *sock)
{
	struct sockaddr_storage ss;
	struct sock *sk = sock->sk;
	struct in6_addr peer;
	struct ks3_conn *c;
	unsigned int open;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c) {
		sock_release(sock);
		return -ENOMEM;
	}
	ks3_server_get_config(srv, &c->cfg);
	if (atomic_inc_return(&srv->connections) > c->cfg.http.max_connections) {
		atomic_dec(&srv->connections);
		kfree(c);
		pr_warn_ratelimited("connection refused: %u connections open\n",
				    atomic_read(&srv->connections));
		ks3_conn_refuse(sock);
		return -EBUSY;
	}
	if (ks3_conn_peer(sock, &peer, &ss)) {
		c->addr = ks3_conn_addr_get(&peer, c->cfg.http.max_conns_per_addr,
					    &open);
		if (!c->addr) {
			atomic_dec(&srv->connections);
			kfree(c);
			if (open)
				pr_warn_ratelimited("connection from %pISc refused: %u connections from this address (max_conns_per_addr)\n",
						    &ss, open);
			ks3_conn_refuse(sock);
			return open ? -EBUSY : -ENOMEM;
		}
	}
	c->srv = srv;
	c->sock = sock;
	c->state = KS3_CONN_READ_HEAD;
	INIT_WORK(&c->io_work, ks3_conn_io_work);
	INIT_WORK(&c->release_work, ks3_conn_release_work);
	timer_setup(&c->timer, ks3_conn_timer, 0);

	mutex_lock(&ks3_conns_lock);
	list_add_tail(&c->node, &ks3_conns);
	mutex_unlock(&ks3_conns_lock);

	tcp_sock_set_nodelay(sk);
	sk->sk_allocation = GFP_KERNEL;
	ks3_conn_arm(c, c->cfg.http.idle_timeout_ms);
	mod_timer(&c->timer, c->deadline);

	write_lock_bh(&sk->sk_callback_lock);
	c->saved_data_ready = sk->sk_data_ready;
	c->saved_write_space = sk->sk_write_space;
	c->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = ks3_conn_data_ready;
	sk->sk_write_space = ks3_conn_write_space;
	sk->sk_state_change = ks3_conn_state_change;
	write_unlock_bh(&sk->sk_callback_lock);

	/* Bytes may have arrived before the callbacks were in place. */
	queue_work(ks3_http_wq, &c->io_work);
	return 0;
}

void ks3_http_conns_close_all(struct ks3_server *srv)
{
	struct ks3_conn *c;

	/*
	 * Shutting a socket down wakes its connection, which sees the end of
	 * its input or output and releases itself; a request in the handler
	 * finishes (or fails) first.
	 */
	mutex_lock(&ks3_conns_lock);
	list_for_each_entry(c, &ks3_conns, node)
		if (c->srv == srv)
			kernel_sock_shutdown(c->sock, SHUT_RDWR);
	mutex_unlock(&ks3_conns_lock);
	wait_event(ks3_conns_wq, atomic_read(&srv->connections) == 0);
	flush_workqueue(ks3_http_wq);
}

int ks3_http_init(void)
{
	ks3_http_wq = alloc_workqueue("ks3_http", WQ_UNBOUND | WQ_MEM_RECLAIM,
				      WQ_MAX_ACTIVE);
	return ks3_http_wq ? 0 : -ENOMEM;
}

void ks3_http_exit(void)
{
	destroy_workqueue(ks3_http_wq);
	ks3_conn_spares_free();
}
