// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the HTTP connection layer (http/conn.c) over real loopback TCP,
 * with a small handler of its own, so framing, keep-alive, pipelining,
 * 100-continue, streaming, limits and timeouts are tested without S3.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/sock.h>

#include "ks3.h"
#include "http/conn.h"
#include "http/http.h"

#define TEST_BUF_SIZE	(4 * 1024 * 1024)

struct test_conn_ctx {
	struct ks3_server srv;
	struct socket *lsock;
	u16 port;
	char *buf;		/* responses read back */
};

/* What the test handler saw: begin and release must pair up. */
static atomic_t test_begun, test_released;

struct test_echo {
	u64 len;
	u32 sum;
	char reply[64];
	bool direct;		/* offers body_buf() */
	u32 nr_direct;		/* body_recvd() calls */
	u8 room[1000];		/* what body_buf() offers */
};

static bool test_path_is(struct ks3_exchange *x, const char *p)
{
	return x->req.path_len == strlen(p) &&
	       !memcmp(x->req.path, p, x->req.path_len);
}

static ssize_t test_stream_read(struct ks3_exchange *x, u64 off, void *buf,
				size_t len)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (off + i) * 7 + 3;
	return len;
}

static const struct ks3_http_body_source test_stream_src = {
	.read = test_stream_read,
	.length = 3 * 1024 * 1024 + 123,
};

static void test_respond_text(struct ks3_exchange *x, u16 status,
			      const char *text)
{
	size_t len = strlen(text);
	char *body = kvmalloc(len + 1, GFP_KERNEL);

	if (!body) {
		ks3_http_respond(x, 503, NULL, 0);
		return;
	}
	memcpy(body, text, len);
	ks3_http_add_field(x, "X-Test-Id", "%llu", x->id);
	ks3_http_respond(x, status, body, len);
}

static int test_begin(struct ks3_exchange *x)
{
	atomic_inc(&test_begun);
	if (test_path_is(x, "/echo") || test_path_is(x, "/direct")) {
		struct test_echo *e = kzalloc(sizeof(*e), GFP_KERNEL);

		if (!e)
			return -ENOMEM;
		e->direct = test_path_is(x, "/direct");
		x->priv = e;
		return 0;	/* take the body */
	}
	if (test_path_is(x, "/early")) {
		test_respond_text(x, 403, "denied");
		return 0;
	}
	if (test_path_is(x, "/stream")) {
		ks3_http_respond_stream(x, 200, &test_stream_src);
		return 0;
	}
	if (test_path_is(x, "/bug"))
		return -EIO;	/* no response: the connection answers 500 */
	test_respond_text(x, 200, "hello");
	return 0;
}

static int test_body(struct ks3_exchange *x, const void *data, size_t len)
{
	struct test_echo *e = x->priv;
	const u8 *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		e->sum = e->sum * 31 + p[i];
	e->len += len;
	return 0;
}

/* /direct: bodies received straight into e->room, a little at a time. */
static void *test_body_buf(struct ks3_exchange *x, size_t *len)
{
	struct test_echo *e = x->priv;

	if (!e || !e->direct)
		return NULL;
	*len = sizeof(e->room);
	return e->room;
}

static int test_body_recvd(struct ks3_exchange *x, const void *data,
			   size_t len)
{
	struct test_echo *e = x->priv;

	if (data != e->room || len > sizeof(e->room)) {
		test_respond_text(x, 500, "bad body_recvd");
		return -EINVAL;
	}
	e->nr_direct++;
	return test_body(x, data, len);
}

static int test_end(struct ks3_exchange *x)
{
	struct test_echo *e = x->priv;

	snprintf(e->reply, sizeof(e->reply), "len=%llu sum=%u%s", e->len,
		 e->sum, e->nr_direct ? " direct" : "");
	test_respond_text(x, 200, e->reply);
	return 0;
}

static void test_release(struct ks3_exchange *x)
{
	kfree(x->priv);
	x->priv = NULL;
	atomic_inc(&test_released);
}

static const struct ks3_http_handler test_handler = {
	.begin = test_begin,
	.body = test_body,
	.body_buf = test_body_buf,
	.body_recvd = test_body_recvd,
	.end = test_end,
	.release = test_release,
};

static int test_conn_init(struct kunit *test)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct test_conn_ctx *ctx;
	int ret;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->buf = kunit_kzalloc(test, TEST_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx->buf);
	KUNIT_ASSERT_EQ(test, ks3_server_init(&ctx->srv), 0);
	ctx->srv.handler = &test_handler;
	atomic_set(&test_begun, 0);
	atomic_set(&test_released, 0);

	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &ctx->lsock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kernel_bind(ctx->lsock, (struct sockaddr *)&sin, sizeof(sin));
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kernel_listen(ctx->lsock, 16);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kernel_getsockname(ctx->lsock, (struct sockaddr *)&sin);
	KUNIT_ASSERT_GT(test, ret, 0);
	ctx->port = ntohs(sin.sin_port);
	test->priv = ctx;
	return 0;
}

static void test_conn_exit(struct kunit *test)
{
	struct test_conn_ctx *ctx = test->priv;

	ks3_http_conns_close_all(&ctx->srv);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->srv.connections), 0);
	/* Every exchange the handler began was released. */
	KUNIT_EXPECT_EQ(test, atomic_read(&test_begun),
			atomic_read(&test_released));
	sock_release(ctx->lsock);
	ks3_server_destroy(&ctx->srv);
}

/* A client connected to the listener, and its server side started. */
static struct socket *test_connect(struct kunit *test)
{
	struct test_conn_ctx *ctx = test->priv;
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		.sin_port = htons(ctx->port),
	};
	struct socket *cl, *srv_sock;
	int ret;

	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &cl);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kernel_connect(cl, (struct sockaddr *)&sin, sizeof(sin), 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	cl->sk->sk_rcvtimeo = 10 * HZ;
	ret = kernel_accept(ctx->lsock, &srv_sock, 0);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ks3_http_conn_start(&ctx->srv, srv_sock);
	return cl;
}

static void test_send(struct kunit *test, struct socket *cl, const void *buf,
		      size_t len)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	KUNIT_ASSERT_EQ(test, kernel_sendmsg(cl, &msg, &iov, 1, len),
			(int)len);
}

static void test_send_str(struct kunit *test, struct socket *cl,
			  const char *s)
{
	test_send(test, cl, s, strlen(s));
}

/* Receives into ctx->buf at @have; returns bytes read, 0 at EOF. */
static int test_recv_more(struct kunit *test, struct socket *cl, size_t have)
{
	struct test_conn_ctx *ctx = test->priv;
	struct msghdr msg = {};
	struct kvec iov = { .iov_base = ctx->buf + have,
			    .iov_len = TEST_BUF_SIZE - 1 - have };

	return kernel_recvmsg(cl, &msg, &iov, 1, iov.iov_len, 0);
}

struct test_resp {
	unsigned int status;
	long long length;	/* Content-Length, -1 if none */
	bool close;		/* Connection: close */
	const char *body;	/* in ctx->buf */
	size_t head_len;
};

/*
 * Reads exactly one response (a 1xx is a response of its own) from @cl;
 * bytes already read past it are left at ctx->buf + *@have after a
 * memmove. @head_only: a HEAD response (no body whatever the length).
 */
static void test_read_resp(struct kunit *test, struct socket *cl,
			   size_t *have, bool head_only, struct test_resp *r)
{
	struct test_conn_ctx *ctx = test->priv;
	char *end, *p;
	size_t total;
	int n;

	memset(r, 0, sizeof(*r));
	r->length = -1;
	for (;;) {
		ctx->buf[*have] = '\0';
		end = strstr(ctx->buf, "\r\n\r\n");
		if (end)
			break;
		n = test_recv_more(test, cl, *have);
		KUNIT_ASSERT_GT_MSG(test, n, 0, "no response head (%d)", n);
		*have += n;
	}
	r->head_len = end + 4 - ctx->buf;
	n = sscanf(ctx->buf, "HTTP/1.1 %u", &r->status);
	KUNIT_ASSERT_EQ(test, n, 1);
	p = strnstr(ctx->buf, "\r\nContent-Length: ", r->head_len);
	if (p) {
		n = sscanf(p, "\r\nContent-Length: %lld", &r->length);
		KUNIT_ASSERT_EQ(test, n, 1);
	}
	r->close = strnstr(ctx->buf, "\r\nConnection: close\r\n",
			   r->head_len);
	total = r->head_len;
	if (!head_only && r->length > 0)
		total += r->length;
	KUNIT_ASSERT_LT(test, total, (size_t)TEST_BUF_SIZE - 1);
	while (*have < total) {
		n = test_recv_more(test, cl, *have);
		KUNIT_ASSERT_GT_MSG(test, n, 0, "short body (%d)", n);
		*have += n;
	}
	r->body = ctx->buf + r->head_len;
}

/* Drops the response just read from ctx->buf, keeping what follows. */
static void test_consume(struct kunit *test, size_t *have,
			 const struct test_resp *r, bool head_only)
{
	struct test_conn_ctx *ctx = test->priv;
	size_t n = r->head_len + (!head_only && r->length > 0 ? r->length : 0);

	memmove(ctx->buf, ctx->buf + n, *have - n);
	*have -= n;
}

static void test_expect_eof(struct kunit *test, struct socket *cl,
			    size_t have)
{
	KUNIT_EXPECT_EQ(test, have, (size_t)0);
	KUNIT_EXPECT_EQ(test, test_recv_more(test, cl, have), 0);
}

/* The X-Test-Id of the response just read. */
static u64 test_id(struct kunit *test, const struct test_resp *r)
{
	struct test_conn_ctx *ctx = test->priv;
	const char *p = strnstr(ctx->buf, "X-Test-Id: ", r->head_len);
	u64 id = 0;
	int n;

	KUNIT_ASSERT_NOT_NULL(test, p);
	n = sscanf(p, "X-Test-Id: %llu", &id);
	KUNIT_ASSERT_EQ(test, n, 1);
	return id;
}

static void ks3_conn_keepalive_test(struct kunit *test)
{
	struct test_conn_ctx *ctx = test->priv;
	struct socket *cl = test_connect(test);
	struct test_resp r;
	u64 id1, id2;
	size_t have = 0;

	test_send_str(test, cl, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_EQ(test, r.length, 5LL);
	KUNIT_EXPECT_FALSE(test, r.close);
	KUNIT_EXPECT_EQ(test, memcmp(r.body, "hello", 5), 0);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(ctx->buf, "\r\nDate: ",
					    r.head_len));
	KUNIT_EXPECT_NOT_NULL(test, strnstr(ctx->buf, "\r\nServer: ks3\r\n",
					    r.head_len));
	id1 = test_id(test, &r);
	test_consume(test, &have, &r, false);

	test_send_str(test, cl, "GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	id2 = test_id(test, &r);
	/* Unique, not ordered: ids are counted per CPU. */
	KUNIT_EXPECT_NE(test, id2, id1);
	test_consume(test, &have, &r, false);

	/* HTTP/1.0 closes by default. */
	test_send_str(test, cl, "GET / HTTP/1.0\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_TRUE(test, r.close);
	test_consume(test, &have, &r, false);
	test_expect_eof(test, cl, have);
	sock_release(cl);
}

static void ks3_conn_pipeline_test(struct kunit *test)
{
	struct socket *cl = test_connect(test);
	struct test_resp r;
	size_t have = 0;

	/* Three requests in one write, one with a body; answers in order. */
	test_send_str(test, cl,
		      "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_EQ(test, memcmp(r.body, "len=3 ", 6), 0);
	test_consume(test, &have, &r, false);
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_FALSE(test, r.close);
	test_consume(test, &have, &r, false);
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_TRUE(test, r.close);
	test_consume(test, &have, &r, false);
	test_expect_eof(test, cl, have);
	sock_release(cl);
}

static u32 test_sum(const u8 *p, size_t len)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum = sum * 31 + p[i];
	return sum;
}

static void ks3_conn_body_test(struct kunit *test)
{
	struct socket *cl = test_connect(test);
	size_t len = 300 * 1024 + 7, have = 0, i;
	char head[128], want[64];
	struct test_resp r;
	u8 *body;

	body = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, body);
	for (i = 0; i < len; i++)
		body[i] = i * 13 + (i >> 9);

	/* Content-Length framing, larger than the connection's buffer. */
	snprintf(head, sizeof(head),
		 "PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: %zu\r\n\r\n",
		 len);
	test_send_str(test, cl, head);
	test_send(test, cl, body, len);
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	snprintf(want, sizeof(want), "len=%zu sum=%u", len,
		 test_sum(body, len));
	KUNIT_EXPECT_EQ(test, r.length, (long long)strlen(want));
	KUNIT_EXPECT_EQ(test, memcmp(r.body, want, strlen(want)), 0);
	test_consume(test, &have, &r, false);

	/* Chunked framing: three chunks with an extension and a trailer. */
	test_send_str(test, cl,
		      "PUT /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
		      "3;ext=1\r\nabc\r\n1\r\nd\r\n");
	msleep(20);
	test_send_str(test, cl, "2\r\nef\r\n0\r\nX-Trailer: 1\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	snprintf(want, sizeof(want), "len=6 sum=%u",
		 test_sum((const u8 *)"abcdef", 6));
	KUNIT_EXPECT_EQ(test, memcmp(r.body, want, strlen(want)), 0);
	test_consume(test, &have, &r, false);

	/* A malformed chunk: 400 and close. */
	test_send_str(test, cl,
		      "PUT /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
		      "zz\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 400U);
	KUNIT_EXPECT_TRUE(test, r.close);
	test_consume(test, &have, &r, false);
	test_expect_eof(test, cl, have);
	sock_release(cl);
}

/*
 * A handler that receives Content-Length bodies into its own memory: the
 * body arrives whole and in order (partly through body(), what came with
 * the head, the rest through body_recvd()), and the request behind it in
 * the same stream is not eaten.
 */
static void ks3_conn_direct_body_test(struct kunit *test)
{
	struct socket *cl = test_connect(test);
	size_t len = 100 * 1024 + 3, have = 0, i;
	char head[128], want[80];
	struct test_resp r;
	u8 *body;

	body = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, body);
	for (i = 0; i < len; i++)
		body[i] = i * 11 + (i >> 10);
	snprintf(head, sizeof(head),
		 "PUT /direct HTTP/1.1\r\nHost: a\r\nContent-Length: %zu\r\n\r\n",
		 len);
	test_send_str(test, cl, head);
	msleep(20);
	test_send(test, cl, body, len);
	test_send_str(test, cl, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	snprintf(want, sizeof(want), "len=%zu sum=%u direct", len,
		 test_sum(body, len));
	KUNIT_EXPECT_EQ(test, r.length, (long long)strlen(want));
	KUNIT_EXPECT_EQ(test, memcmp(r.body, want, strlen(want)), 0);
	test_consume(test, &have, &r, false);
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_EQ(test, memcmp(r.body, "hello", 5), 0);
	test_consume(test, &have, &r, false);

	/* Chunked framing never goes to body_buf(). */
	test_send_str(test, cl,
		      "PUT /direct HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
		      "3\r\nabc\r\n0\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	snprintf(want, sizeof(want), "len=3 sum=%u",
		 test_sum((const u8 *)"abc", 3));
	KUNIT_EXPECT_EQ(test, r.length, (long long)strlen(want));
	KUNIT_EXPECT_EQ(test, memcmp(r.body, want, strlen(want)), 0);
	test_consume(test, &have, &r, false);
	sock_release(cl);
}

static void ks3_conn_continue_test(struct kunit *test)
{
	struct socket *cl = test_connect(test);
	struct test_resp r;
	size_t have = 0;

	/* 100 Continue only once the handler accepted the body. */
	test_send_str(test, cl,
		      "PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 100U);
	test_consume(test, &have, &r, false);
	test_send_str(test, cl, "wxyz");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_EQ(test, memcmp(r.body, "len=4 ", 6), 0);
	test_consume(test, &have, &r, false);

	/* Refused at once: no 100, the final answer, and close. */
	test_send_str(test, cl,
		      "PUT /early HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 403U);
	KUNIT_EXPECT_TRUE(test, r.close);
	test_consume(test, &have, &r, false);
	test_expect_eof(test, cl, have);
	sock_release(cl);
}

static void ks3_conn_early_answer_test(struct kunit *test)
{
	struct socket *cl = test_connect(test);
	struct test_resp r;
	size_t have = 0;

	/* A small body after an early answer is read and dropped. */
	test_send_str(test, cl,
		      "PUT /early HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n12345GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 403U);
	KUNIT_EXPECT_FALSE(test, r.close);
	test_consume(test, &have, &r, false);
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	test_consume(test, &have, &r, false);

	/* A handler error without an answer is a 500, then close. */
	test_send_str(test, cl, "GET /bug HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 500U);
	KUNIT_EXPECT_TRUE(test, r.close);
	test_consume(test, &have, &r, false);
	test_expect_eof(test, cl, have);
	sock_release(cl);
}

static void ks3_conn_bad_request_test(struct kunit *test)
{
	struct test_resp r;
	struct socket *cl;
	size_t have = 0;
	char *big;

	cl = test_connect(test);
	test_send_str(test, cl, "GARBAGE\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 400U);
	KUNIT_EXPECT_TRUE(test, r.close);
	test_consume(test, &have, &r, false);
	test_expect_eof(test, cl, have);
	sock_release(cl);

	/* A 20 KiB head: 431, close. */
	cl = test_connect(test);
	big = kunit_kmalloc(test, 20 * 1024 + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: ");
	memset(big + strlen(big), 'b', 20 * 1024);
	big[20 * 1024 + 32] = '\0';
	test_send_str(test, cl, big);
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 431U);
	KUNIT_EXPECT_TRUE(test, r.close);
	sock_release(cl);

	/* Smuggling: Content-Length with chunked is refused. */
	have = 0;
	cl = test_connect(test);
	test_send_str(test, cl,
		      "PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 400U);
	KUNIT_EXPECT_TRUE(test, r.close);
	sock_release(cl);
}

static void ks3_conn_stream_test(struct kunit *test)
{
	struct socket *cl = test_connect(test);
	u8 *want;
	struct test_resp r;
	size_t have = 0;

	/* HEAD: the length, no body; the connection goes on. */
	test_send_str(test, cl, "HEAD /stream HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, true, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_EXPECT_EQ(test, r.length, (long long)test_stream_src.length);
	test_consume(test, &have, &r, true);
	KUNIT_EXPECT_EQ(test, have, (size_t)0);

	test_send_str(test, cl, "GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, cl, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	KUNIT_ASSERT_EQ(test, r.length, (long long)test_stream_src.length);
	want = kunit_kmalloc(test, r.length, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, want);
	test_stream_read(NULL, 0, want, r.length);
	KUNIT_EXPECT_EQ(test, memcmp(r.body, want, r.length), 0);
	test_consume(test, &have, &r, false);
	KUNIT_EXPECT_EQ(test, have, (size_t)0);
	sock_release(cl);
}

static void ks3_conn_timeout_test(struct kunit *test)
{
	struct test_conn_ctx *ctx = test->priv;
	struct socket *cl;
	size_t have = 0;

	ctx->srv.config.http.header_timeout_ms = 300;
	ctx->srv.config.http.idle_timeout_ms = 300;
	ctx->srv.config.http.body_timeout_ms = 300;

	/* Idle: nothing sent. */
	cl = test_connect(test);
	test_expect_eof(test, cl, have);
	sock_release(cl);

	/* A head that never ends (one byte at a time, then silence). */
	cl = test_connect(test);
	test_send_str(test, cl, "G");
	msleep(100);
	test_send_str(test, cl, "E");
	test_expect_eof(test, cl, have);
	sock_release(cl);

	/* A body that stops halfway. */
	cl = test_connect(test);
	test_send_str(test, cl,
		      "PUT /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n12345");
	test_expect_eof(test, cl, have);
	sock_release(cl);
}

static void ks3_conn_limit_test(struct kunit *test)
{
	struct test_conn_ctx *ctx = test->priv;
	struct socket *a, *b;
	struct test_resp r;
	size_t have = 0;

	ctx->srv.config.http.max_connections = 1;
	a = test_connect(test);
	b = test_connect(test);
	test_read_resp(test, b, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 503U);
	KUNIT_EXPECT_TRUE(test, r.close);
	have = 0;
	sock_release(b);

	test_send_str(test, a, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
	test_read_resp(test, a, &have, false, &r);
	KUNIT_EXPECT_EQ(test, r.status, 200U);
	test_consume(test, &have, &r, false);

	/* Closing every connection wakes the client with EOF. */
	ks3_http_conns_close_all(&ctx->srv);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->srv.connections), 0);
	test_expect_eof(test, a, have);
	sock_release(a);
}

static int test_conn_suite_init(struct kunit_suite *suite)
{
	return ks3_http_init();
}

static void test_conn_suite_exit(struct kunit_suite *suite)
{
	ks3_http_exit();
}

static struct kunit_case ks3_conn_cases[] = {
	KUNIT_CASE(ks3_conn_keepalive_test),
	KUNIT_CASE(ks3_conn_pipeline_test),
	KUNIT_CASE(ks3_conn_body_test),
	KUNIT_CASE(ks3_conn_direct_body_test),
	KUNIT_CASE(ks3_conn_continue_test),
	KUNIT_CASE(ks3_conn_early_answer_test),
	KUNIT_CASE(ks3_conn_bad_request_test),
	KUNIT_CASE(ks3_conn_stream_test),
	KUNIT_CASE(ks3_conn_timeout_test),
	KUNIT_CASE(ks3_conn_limit_test),
	{}
};

static struct kunit_suite ks3_conn_suite = {
	.name = "ks3_http_conn",
	.suite_init = test_conn_suite_init,
	.suite_exit = test_conn_suite_exit,
	.init = test_conn_init,
	.exit = test_conn_exit,
	.test_cases = ks3_conn_cases,
};

kunit_test_suite(ks3_conn_suite);
