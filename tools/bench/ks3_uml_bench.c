// SPDX-License-Identifier: GPL-2.0
/*
 * ks3_uml_bench.ko: per-request CPU cost of ks3's S3 path at native speed,
 * run by tools/bench/uml.sh in User-Mode Linux (notes/uml.md). Links the
 * module's objects (all but main.o) like ks3_bench.ko does, plus an
 * in-kernel HTTP client:
 *
 *  - formats @dev (a memory device: brd's /dev/ram0), attaches it through
 *    ks3_server_attach(), creates an access key and a bucket it owns, and
 *    listens on 127.0.0.1:@port exactly as the admin plane would;
 *  - client kthreads connect over TCP loopback and send keep-alive S3
 *    requests signed with SigV4 (Authorization header, UNSIGNED-PAYLOAD;
 *    one signature per object, computed before the clock starts, like a
 *    client reusing presigned requests); every response must be 200;
 *  - PUTs of @size bytes fill @objects objects first (untimed), then each
 *    phase times @requests requests with one client, then with @clients
 *    of them (UML is uniprocessor: the clients and the server share the
 *    one CPU, so the time per request is the whole system's CPU cost,
 *    client included).
 *
 * @mode: "all" (put and get, 1 and @clients clients, then the baseline),
 * "put" or "get" (one phase, one client: for host `perf stat` delta runs
 * between two values of @requests), "echo-put"/"echo-get" (the baseline
 * only). The baseline runs the same client against a trivial responder on
 * @port + 1 (target=echo): TCP loopback plus the client, no S3. Results
 * are "ks3_uml_bench: result ..." lines in the log.
 */
#define pr_fmt(fmt) "ks3_uml_bench: " fmt

#include <linux/completion.h>
#include <linux/inet.h>
#include <linux/in.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time64.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "ks3.h"
#include "uml_host.h"
#include "http/conn.h"
#include "http/listener.h"
#include "s3/digest.h"
#include "s3/s3.h"
#include "storage/cache.h"
#include "storage/store.h"

static char *dev = "/dev/ram0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "block device to format and use (a memory device)");
static unsigned int port = 18080;
module_param(port, uint, 0444);
static unsigned int objects = 256;
module_param(objects, uint, 0444);
MODULE_PARM_DESC(objects, "objects the requests cycle over");
static unsigned int size = 4096;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "object size, bytes");
static unsigned int requests = 20000;
module_param(requests, uint, 0444);
MODULE_PARM_DESC(requests, "timed requests per phase");
static unsigned int clients = 4;
module_param(clients, uint, 0444);
MODULE_PARM_DESC(clients, "clients of the multi-client phases");
static char *mode = "all";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "all, put, get, echo-put or echo-get");
static unsigned int cache_mb;
module_param(cache_mb, uint, 0444);
MODULE_PARM_DESC(cache_mb, "ks3 object data cache, MiB (0: ks3's default)");

#define B_BUCKET	"bench"
#define B_REGION	"us-east-1"
#define B_SCOPE		"/" B_REGION "/s3/aws4_request"
#define B_SIGNED	"host;x-amz-content-sha256;x-amz-date"
#define B_HEAD_MAX	768
#define B_RECV_BUF	(64 * 1024)

enum b_op { B_PUT, B_GET };

static struct ks3_server b_srv;
static unsigned int b_port;		/* what the clients connect to */
static const char *b_target = "ks3";
static char b_access[KS3_ACCESS_KEY_LEN + 1];
static u8 b_signing_key[KS3_SHA256_SIZE];
static char b_amzdate[17];		/* 20261206T023000Z */
static char b_host[32];
/* Request heads, [op][object], each NUL-terminated in B_HEAD_MAX bytes. */
static char *b_heads[2];
static unsigned int b_head_len[2][4096];
static u8 *b_body;

static void b_hex(const u8 *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = 0;
}

static int b_signing_key_init(const char *secret)
{
	char k0[4 + KS3_SECRET_KEY_LEN + 1];
	u8 a[KS3_SHA256_SIZE], b[KS3_SHA256_SIZE];
	int n, ret;

	n = snprintf(k0, sizeof(k0), "AWS4%s", secret);
	ret = ks3_hmac_sha256(k0, n, b_amzdate, 8, a) ?:
	      ks3_hmac_sha256(a, sizeof(a), B_REGION, strlen(B_REGION), b) ?:
	      ks3_hmac_sha256(b, sizeof(b), "s3", 2, a) ?:
	      ks3_hmac_sha256(a, sizeof(a), "aws4_request", 12, b_signing_key);
	memzero_explicit(k0, sizeof(k0));
	memzero_explicit(b, sizeof(b));
	return ret;
}

/* The signed request head for @op on object @i. */
static int b_head_build(enum b_op op, unsigned int i)
{
	const char *method = op == B_PUT ? "PUT" : "GET";
	char *head = b_heads[op] + (size_t)i * B_HEAD_MAX;
	char path[64], hash_hex[65], sig_hex[65], *creq, *sts;
	u8 hash[KS3_SHA256_SIZE], sig[KS3_SHA256_SIZE];
	int n, ret = -ENOMEM;

	creq = kmalloc(1024, GFP_KERNEL);
	sts = kmalloc(512, GFP_KERNEL);
	if (!creq || !sts)
		goto out;
	snprintf(path, sizeof(path), "/" B_BUCKET "/o%06u", i);
	n = snprintf(creq, 1024,
		     "%s\n%s\n\nhost:%s\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:%s\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD",
		     method, path, b_host, b_amzdate);
	ret = ks3_digest_oneshot(KS3_DIGEST_SHA256, creq, n, hash);
	if (ret)
		goto out;
	b_hex(hash, sizeof(hash), hash_hex);
	n = snprintf(sts, 512, "AWS4-HMAC-SHA256\n%s\n%.8s/" B_REGION "/s3/aws4_request\n%s",
		     b_amzdate, b_amzdate, hash_hex);
	ret = ks3_hmac_sha256(b_signing_key, sizeof(b_signing_key), sts, n,
			      sig);
	if (ret)
		goto out;
	b_hex(sig, sizeof(sig), sig_hex);
	n = snprintf(head, B_HEAD_MAX,
		     "%s %s HTTP/1.1\r\n"
		     "Host: %s\r\n"
		     "x-amz-content-sha256: UNSIGNED-PAYLOAD\r\n"
		     "x-amz-date: %s\r\n"
		     "Authorization: AWS4-HMAC-SHA256 Credential=%s/%.8s" B_SCOPE
		     ", SignedHeaders=" B_SIGNED ", Signature=%s\r\n",
		     method, path, b_host, b_amzdate, b_access, b_amzdate,
		     sig_hex);
	if (op == B_PUT)
		n += snprintf(head + n, B_HEAD_MAX - n,
			      "Content-Length: %u\r\n", size);
	n += snprintf(head + n, B_HEAD_MAX - n, "\r\n");
	if (n >= B_HEAD_MAX - 1) {
		ret = -E2BIG;
		goto out;
	}
	b_head_len[op][i] = n;
	ret = 0;
out:
	kfree(creq);
	kfree(sts);
	return ret;
}

/* ---- the client ---- */

struct b_client {
	struct completion *go;
	struct completion ready;
	struct completion done;
	enum b_op op;
	unsigned int id, nr_clients, count;
	unsigned int errors;
	unsigned int first_bad_status;
	unsigned int slow;	/* requests over 1 ms */
	u64 max_ns;		/* slowest request */
	int err;
	struct socket *sock;
	char *buf;
	size_t have;		/* bytes in @buf */
};

static int b_connect(struct b_client *c)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(b_port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int ret;

	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &c->sock);
	if (ret)
		return ret;
	ret = kernel_connect(c->sock, (struct sockaddr *)&sin, sizeof(sin), 0);
	if (ret) {
		sock_release(c->sock);
		c->sock = NULL;
		return ret;
	}
	tcp_sock_set_nodelay(c->sock->sk);
	c->have = 0;
	return 0;
}

static void b_disconnect(struct b_client *c)
{
	if (c->sock) {
		kernel_sock_shutdown(c->sock, SHUT_RDWR);
		sock_release(c->sock);
		c->sock = NULL;
	}
}

static int b_recv_more(struct b_client *c)
{
	struct kvec iov = { c->buf + c->have, B_RECV_BUF - c->have };
	struct msghdr msg = {};
	int n;

	if (!iov.iov_len)
		return -EMSGSIZE;
	n = kernel_recvmsg(c->sock, &msg, &iov, 1, iov.iov_len, 0);
	if (n == 0)
		return -ECONNRESET;
	if (n < 0)
		return n;
	c->have += n;
	return 0;
}

/* Reads one response; returns its status (or -errno). */
static int b_response(struct b_client *c)
{
	char *end, *p;
	size_t hlen, total;
	unsigned long long clen = 0;
	int status, ret;

	for (;;) {
		end = c->have ? strnstr(c->buf, "\r\n\r\n", c->have) : NULL;
		if (end)
			break;
		ret = b_recv_more(c);
		if (ret)
			return ret;
	}
	hlen = end + 4 - c->buf;
	if (hlen < 12 || memcmp(c->buf, "HTTP/1.1 ", 9))
		return -EPROTO;
	status = (c->buf[9] - '0') * 100 + (c->buf[10] - '0') * 10 +
		 (c->buf[11] - '0');
	for (p = c->buf; p && p < end; p = strnstr(p, "\r\n", end - p)) {
		if (*p == '\r')
			p += 2;
		if (!strncasecmp(p, "Content-Length:", 15)) {
			if (sscanf(p + 15, " %llu", &clen) != 1)
				return -EPROTO;
			break;
		}
	}
	if (c->op == B_GET && status == 200 && clen != size)
		status = 999;	/* counted as an error: wrong length */
	total = hlen + clen;
	/* Bodies larger than the buffer: drain in place. */
	while (c->have < total) {
		if (c->have == B_RECV_BUF) {
			total -= c->have;
			c->have = 0;
			hlen = 0;
		}
		ret = b_recv_more(c);
		if (ret)
			return ret;
	}
	memmove(c->buf, c->buf + total, c->have - total);
	c->have -= total;
	return status;
}

static int b_send(struct b_client *c, unsigned int obj)
{
	struct kvec iov[2] = {
		{ b_heads[c->op] + (size_t)obj * B_HEAD_MAX,
		  b_head_len[c->op][obj] },
		{ b_body, size },
	};
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	unsigned int nr = c->op == B_PUT ? 2 : 1;
	size_t len = iov[0].iov_len + (nr == 2 ? size : 0);
	int n;

	n = kernel_sendmsg(c->sock, &msg, iov, nr, len);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

static int b_client_fn(void *arg)
{
	struct b_client *c = arg;
	unsigned int j, obj;
	u64 t, dt;
	int st;

	c->err = b_connect(c);
	complete(&c->ready);
	if (c->err)
		goto out;
	wait_for_completion(c->go);
	for (j = 0; j < c->count; j++) {
		obj = (c->id + j * c->nr_clients) % objects;
		if (!c->sock) {
			c->err = b_connect(c);
			if (c->err)
				break;
		}
		t = ktime_get_ns();
		st = b_send(c, obj);
		if (!st)
			st = b_response(c);
		dt = ktime_get_ns() - t;
		c->max_ns = max(c->max_ns, dt);
		c->slow += dt > NSEC_PER_MSEC;
		if (st != 200) {
			c->errors++;
			if (!c->first_bad_status)
				c->first_bad_status = st < 0 ? 1000 - st : st;
			b_disconnect(c);
		}
	}
	b_disconnect(c);
out:
	complete(&c->done);
	return 0;
}

#ifdef CONFIG_UML
/*
 * The host's view of the UML kernel thread (every kthread and kworker of
 * UML runs on it): /proc/thread-self/schedstat on the host, read through
 * the libc open/read UML exports (arch/um/os-Linux/user_syms.c). @run is
 * the host CPU time it used, @wait the time it was runnable but another
 * host task had the CPU: wall time minus both is UML idle time. On a busy
 * host, wall time inflates but @run does not (much). The host updates
 * them at its ticks and context switches only: good to a few ms, so
 * phases must last 100s of ms.
 */
static void b_host_cpu(u64 *run, u64 *wait)
{
	char buf[96];
	long n = -1;
	int fd, tries;

	*run = *wait = 0;
	fd = open("/proc/thread-self/schedstat", 0 /* O_RDONLY */);
	if (fd < 0)
		return;
	for (tries = 0; tries < 10 && n < 0; tries++)	/* EINTR */
		n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	if (sscanf(buf, "%llu %llu", run, wait) != 2)
		*run = *wait = 0;
}
#else
static void b_host_cpu(u64 *run, u64 *wait)
{
	*run = *wait = 0;
}
#endif

/* Runs @n requests of @op from @nr clients; returns ns, or -errno. */
static s64 b_phase(enum b_op op, unsigned int n, unsigned int nr,
		   bool report)
{
	DECLARE_COMPLETION_ONSTACK(go);
	struct b_client *c;
	unsigned int i, errors = 0, bad = 0, slow = 0;
	u64 t0, ns, run0, wait0, run, wait, max_ns = 0;
	int err = 0;

	c = kcalloc(nr, sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		c[i].go = &go;
		c[i].op = op;
		c[i].id = i;
		c[i].nr_clients = nr;
		c[i].count = n / nr + (i < n % nr);
		init_completion(&c[i].ready);
		init_completion(&c[i].done);
		c[i].buf = kvmalloc(B_RECV_BUF, GFP_KERNEL);
		if (!c[i].buf ||
		    IS_ERR(kthread_run(b_client_fn, &c[i], "ks3ub%u", i))) {
			c[i].err = -ENOMEM;
			complete(&c[i].ready);
			complete(&c[i].done);
		}
	}
	for (i = 0; i < nr; i++)
		wait_for_completion(&c[i].ready);
	b_host_cpu(&run0, &wait0);
	t0 = ktime_get_ns();
	complete_all(&go);
	for (i = 0; i < nr; i++)
		wait_for_completion(&c[i].done);
	ns = ktime_get_ns() - t0;
	b_host_cpu(&run, &wait);
	run -= run0;
	wait -= wait0;
	for (i = 0; i < nr; i++) {
		slow += c[i].slow;
		max_ns = max(max_ns, c[i].max_ns);
		err = err ?: c[i].err;
		errors += c[i].errors;
		bad = bad ?: c[i].first_bad_status;
		kvfree(c[i].buf);
	}
	kfree(c);
	if (report)
		pr_info("result target=%s op=%s size=%u clients=%u requests=%u errors=%u first_bad=%u err=%d ns=%llu us_per_req=%llu.%03llu req_per_s=%llu host_run_ns=%llu host_wait_ns=%llu host_cpu_us_per_req=%llu.%03llu slow_over_1ms=%u max_us=%llu\n",
			b_target, op == B_PUT ? "put" : "get", size, nr, n,
			errors, bad, err, ns, ns / n / 1000, ns / n % 1000,
			ns ? (u64)n * NSEC_PER_SEC / ns : 0, run, wait,
			run / n / 1000, run / n % 1000, slow,
			max_ns / 1000);
	else if (errors || err)
		pr_warn("untimed %s phase: %u errors (first status %u), err %d\n",
			op == B_PUT ? "put" : "get", errors, bad, err);
	return err ?: (errors ? -EIO : ns);
}

/*
 * ---- the baseline: a trivial HTTP responder on port + 1 ----
 * Same client, same TCP loopback, but the server only frames the request
 * (head, Content-Length body) and answers 200 with an empty body (PUT) or
 * @size bytes (GET): what ks3 costs on top of TCP and the client.
 */
struct b_echo {
	struct socket *lsock;
	struct completion done;
	atomic_t conns;
	wait_queue_head_t wq;
};

static struct b_echo b_echo;

static int b_echo_conn(void *arg)
{
	struct b_client c = { .sock = arg };
	static const char put_ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	char get_ok[64];
	int get_ok_len;

	get_ok_len = snprintf(get_ok, sizeof(get_ok),
			      "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n",
			      size);
	c.buf = kvmalloc(B_RECV_BUF, GFP_KERNEL);
	while (c.buf) {
		struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
		struct kvec iov[2];
		unsigned long long clen = 0;
		size_t hlen, total;
		char *end, *p;
		bool put;
		int n;

		end = c.have ? strnstr(c.buf, "\r\n\r\n", c.have) : NULL;
		if (!end) {
			if (b_recv_more(&c))
				break;
			continue;
		}
		hlen = end + 4 - c.buf;
		put = c.buf[0] == 'P';
		p = strnstr(c.buf, "Content-Length:", hlen);
		if (p && sscanf(p + 15, " %llu", &clen) != 1)
			break;
		total = hlen + clen;
		while (c.have < total)
			if (b_recv_more(&c))
				goto out;
		memmove(c.buf, c.buf + total, c.have - total);
		c.have -= total;
		if (put) {
			iov[0] = (struct kvec){ (void *)put_ok, sizeof(put_ok) - 1 };
			n = kernel_sendmsg(c.sock, &msg, iov, 1, iov[0].iov_len);
		} else {
			iov[0] = (struct kvec){ get_ok, get_ok_len };
			iov[1] = (struct kvec){ b_body, size };
			n = kernel_sendmsg(c.sock, &msg, iov, 2, get_ok_len + size);
		}
		if (n < 0)
			break;
	}
out:
	kvfree(c.buf);
	sock_release(c.sock);
	if (atomic_dec_and_test(&b_echo.conns))
		wake_up(&b_echo.wq);
	return 0;
}

static int b_echo_accept(void *arg)
{
	struct socket *s;

	while (!kernel_accept(b_echo.lsock, &s, 0)) {
		tcp_sock_set_nodelay(s->sk);
		atomic_inc(&b_echo.conns);
		if (IS_ERR(kthread_run(b_echo_conn, s, "ks3ue"))) {
			sock_release(s);
			atomic_dec(&b_echo.conns);
		}
	}
	complete(&b_echo.done);
	return 0;
}

static int b_echo_start(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port + 1),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int ret;

	init_completion(&b_echo.done);
	init_waitqueue_head(&b_echo.wq);
	atomic_set(&b_echo.conns, 1);
	ret = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, IPPROTO_TCP,
			       &b_echo.lsock);
	if (ret)
		return ret;
	sock_set_reuseaddr(b_echo.lsock->sk);
	ret = kernel_bind(b_echo.lsock, (struct sockaddr *)&sin, sizeof(sin)) ?:
	      kernel_listen(b_echo.lsock, 64);
	if (!ret && IS_ERR(kthread_run(b_echo_accept, NULL, "ks3uea")))
		ret = -ENOMEM;
	if (ret) {
		sock_release(b_echo.lsock);
		b_echo.lsock = NULL;
	}
	return ret;
}

static void b_echo_stop(void)
{
	if (!b_echo.lsock)
		return;
	kernel_sock_shutdown(b_echo.lsock, SHUT_RDWR);
	wait_for_completion(&b_echo.done);
	sock_release(b_echo.lsock);
	b_echo.lsock = NULL;
	/* Clients have disconnected by now: the connection threads end. */
	if (!atomic_dec_and_test(&b_echo.conns))
		wait_event(b_echo.wq, !atomic_read(&b_echo.conns));
}

/* ---- setup ---- */

static int b_store_setup(void)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct ks3_key *k;
	struct ks3_dev *d;
	const char *msg;
	struct tm tm;
	u8 uuid[16];
	unsigned int i;
	int ret;

	d = ks3_dev_open_bdev(dev, &b_srv);
	if (IS_ERR(d))
		return PTR_ERR(d);
	get_random_bytes(uuid, sizeof(uuid));
	ret = ks3_store_format(d, uuid, ktime_get_real_seconds());
	ks3_dev_close(d);
	if (ret)
		return ret;
	ret = ks3_server_attach(&b_srv, dev, &msg);
	if (ret) {
		pr_err("attach %s: %s (%d)\n", dev, msg ?: "", ret);
		return ret;
	}
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	mutex_lock(&b_srv.lock);
	ret = ks3_key_create(b_srv.store, "bench", 5, k);
	if (!ret)
		ret = ks3_bucket_create(b_srv.store, B_BUCKET,
					strlen(B_BUCKET), k->id);
	mutex_unlock(&b_srv.lock);
	if (ret) {
		kfree_sensitive(k);
		pr_err("key/bucket: %d\n", ret);
		return ret;
	}
	strscpy(b_access, k->access_key, sizeof(b_access));
	time64_to_tm(ktime_get_real_seconds(), 0, &tm);
	snprintf(b_amzdate, sizeof(b_amzdate), "%04ld%02d%02dT%02d%02d%02dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec);
	snprintf(b_host, sizeof(b_host), "127.0.0.1:%u", port);
	ret = b_signing_key_init(k->secret_key);
	kfree_sensitive(k);
	if (ret)
		return ret;
	for (i = 0; i < 2; i++) {
		b_heads[i] = vzalloc((size_t)objects * B_HEAD_MAX);
		if (!b_heads[i])
			return -ENOMEM;
	}
	for (i = 0; i < objects && !ret; i++)
		ret = b_head_build(B_PUT, i) ?: b_head_build(B_GET, i);
	if (ret)
		return ret;
	b_body = kvmalloc(max(size, 1U), GFP_KERNEL);
	if (!b_body)
		return -ENOMEM;
	get_random_bytes(b_body, size);

	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ret = ks3_listener_add(&b_srv, &ss, &msg);
	if (ret)
		pr_err("listen on %s: %s (%d)\n", b_host, msg ?: "", ret);
	return ret;
}

static int b_run_echo(void)
{
	bool all = !strcmp(mode, "all");
	s64 r = 0;
	int ret;

	ret = b_echo_start();
	if (ret)
		return ret;
	b_port = port + 1;
	b_target = "echo";
	/*
	 * 4x the requests: the host updates a running thread's schedstat
	 * only at its ticks and switches, so a phase should last 100s of ms.
	 */
	if (all || !strcmp(mode, "echo-put"))
		r = b_phase(B_PUT, requests * 4, 1, true);
	if (r >= 0 && (all || !strcmp(mode, "echo-get")))
		r = b_phase(B_GET, requests * 4, 1, true);
	b_port = port;
	b_target = "ks3";
	b_echo_stop();
	return r < 0 ? r : 0;
}

static int b_run(void)
{
	bool all = !strcmp(mode, "all");
	s64 r;

	if (!strncmp(mode, "echo-", 5))
		return b_run_echo();

	/* Fill every object (untimed; also warms caches and allocators). */
	r = b_phase(B_PUT, objects, 1, false);
	if (r < 0)
		return r;
	if (all || !strcmp(mode, "put")) {
		r = b_phase(B_PUT, requests, 1, true);
		if (r < 0)
			return r;
		if (all && clients > 1) {
			r = b_phase(B_PUT, requests, clients, true);
			if (r < 0)
				return r;
		}
	}
	if (all || !strcmp(mode, "get")) {
		/* Every object read once before the clock starts. */
		if (all) {
			r = b_phase(B_GET, objects, 1, false);
			if (r < 0)
				return r;
		}
		r = b_phase(B_GET, requests, 1, true);
		if (r < 0)
			return r;
		if (all && clients > 1) {
			r = b_phase(B_GET, requests, clients, true);
			if (r < 0)
				return r;
		}
	}
	if (all)
		return b_run_echo();
	return 0;
}

static int __init b_init(void)
{
	const char *msg;
	int ret;

	if (!objects || objects > ARRAY_SIZE(b_head_len[0]) || !requests ||
	    !clients || clients > 64 || size > B_RECV_BUF ||
	    (strcmp(mode, "all") && strcmp(mode, "put") &&
	     strcmp(mode, "get") && strcmp(mode, "echo-put") &&
	     strcmp(mode, "echo-get")))
		return -EINVAL;
	if (cache_mb)
		ks3_cache_limit_mb = cache_mb;
	b_port = port;
	ret = ks3_server_init(&b_srv);
	if (ret)
		return ret;
	b_srv.handler = &ks3_s3_handler;
	ret = ks3_digest_init_module();
	if (ret)
		goto out_srv;
	ret = ks3_s3_init();
	if (ret)
		goto out_digest;
	ret = ks3_http_init();
	if (ret)
		goto out_s3;

	ret = b_store_setup();
	if (!ret) {
		pr_info("start mode=%s size=%u objects=%u requests=%u clients=%u dev=%s\n",
			mode, size, objects, requests, clients, dev);
		ret = b_run();
	}

	ks3_listeners_close_all(&b_srv);
	ks3_http_conns_close_all(&b_srv);
	if (b_srv.store)
		ks3_server_detach(&b_srv, true, &msg);
	ks3_http_exit();
out_s3:
	ks3_s3_exit();
out_digest:
	ks3_digest_exit_module();
out_srv:
	ks3_server_destroy(&b_srv);
	vfree(b_heads[0]);
	vfree(b_heads[1]);
	kvfree(b_body);
	pr_info("done: %d\n", ret);
	return ret;
}

static void __exit b_exit(void)
{
}

module_init(b_init);
module_exit(b_exit);

MODULE_DESCRIPTION("ks3 per-request CPU benchmark over TCP loopback (UML)");
MODULE_LICENSE("GPL");
