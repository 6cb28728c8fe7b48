// SPDX-License-Identifier: GPL-2.0
/*
 * s3bench: an S3 load generator on io_uring.
 *
 * One thread, one ring, C connections with one request outstanding each
 * (HTTP/1.1 keep-alive). Every request is signed with SigV4 in the header
 * form (PUT bodies as UNSIGNED-PAYLOAD). Response bodies with a
 * Content-Length are consumed with MSG_TRUNC, which frees them in the
 * socket without copying them to userland (-K copies them into one shared
 * scratch buffer instead); chunked bodies go into the scratch buffer to be
 * parsed; only ListObjectsV2 pages are kept per connection, to find the
 * continuation token.
 *
 * Workloads: get, put, mixed (-M percent GETs), list (ListObjectsV2),
 * prepare (PUT objects 0..N-1 once each, then exit), mkbucket.
 * Run `s3bench -h` for the options.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <liburing.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "s3b_sigv4.h"

enum workload { W_GET, W_PUT, W_MIXED, W_LIST, W_PREPARE, W_MKBUCKET, W_WARM };
static const char *const wl_names[] = { "get", "put", "mixed", "list",
					"prepare", "mkbucket", "warm" };

enum op { OP_GET, OP_PUT, OP_LIST, OP_MKBUCKET };

static struct {
	const char *endpoint;
	const char *bucket;
	const char *access;
	const char *secret;
	const char *region;
	const char *prefix;	/* key prefix */
	const char *list_prefix;
	const char *delimiter;
	enum workload wl;
	size_t size;
	long objects;
	long start;		/* first object index */
	int dirs;		/* keys spread over this many "dNNN/" prefixes */
	int conns;
	double duration;
	double warmup;
	int mix;		/* percent GETs in mixed */
	int max_keys;
	bool json;
	bool nosign;
	bool copy_bodies;	/* -K: recv bodies into scratch, no MSG_TRUNC */
	bool quiet;
} opt = {
	.endpoint = "127.0.0.1:9000",
	.bucket = "bench",
	.access = "",
	.secret = "",
	.region = "us-east-1",
	.prefix = "",
	.wl = W_GET,
	.size = 4096,
	.objects = 100,
	.conns = 16,
	.duration = 10,
	.mix = 50,
	.max_keys = 1000,
};

/* ---------------------------------------------------------- histogram -- */
/* log-linear: 16 sub-buckets per power of two of nanoseconds */
#define HSUB 16
#define HBUCKETS (64 * HSUB)

struct hist {
	uint64_t b[HBUCKETS];
	uint64_t n, sum, max;
};

static int hidx(uint64_t v)
{
	int msb;

	if (v < HSUB)
		return (int)v;
	msb = 63 - __builtin_clzll(v);
	return (msb - 3) * HSUB + (int)((v >> (msb - 4)) & (HSUB - 1));
}

static uint64_t hval(int i)	/* the middle of bucket i */
{
	int msb = i / HSUB + 3, sub = i % HSUB;

	if (i < HSUB)
		return (uint64_t)i;
	return ((uint64_t)(HSUB + sub) << (msb - 4)) +
	       ((uint64_t)1 << (msb - 4)) / 2;
}

static void hadd(struct hist *h, uint64_t v)
{
	h->b[hidx(v)]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
}

static uint64_t hpct(const struct hist *h, double p)
{
	uint64_t want, acc = 0;
	int i;

	if (!h->n)
		return 0;
	want = (uint64_t)(p / 100.0 * (double)h->n);
	if (want >= h->n)
		want = h->n - 1;
	for (i = 0; i < HBUCKETS; i++) {
		acc += h->b[i];
		if (acc > want)
			return hval(i) < h->max ? hval(i) : h->max;
	}
	return h->max;
}

/* ------------------------------------------------------------ stats -- */
static struct {
	struct hist lat;
	uint64_t ok, bytes;
	uint64_t status[600];
	uint64_t conn_err, proto_err, reconnects;
	uint64_t list_keys, list_prefixes, list_walks;	/* LIST: entries seen, full walks */
} st;

/* --------------------------------------------------------- connection -- */
#define HEAD_CAP 16384
#define REQ_CAP 2048
#define SCRATCH (1 << 20)

enum cstate { C_IDLE, C_SEND, C_RECV, C_DEAD };

struct conn {
	int fd;
	int idx;
	enum cstate state;
	enum op op;
	uint64_t t0;
	long key;
	/* request */
	char req[REQ_CAP];
	struct iovec iov[2];
	struct msghdr msg;
	size_t to_send;
	/* response */
	char head[HEAD_CAP];
	size_t head_len;
	bool head_done;
	int status;
	bool chunked, close_after, no_body;
	int64_t body_left;	/* content-length mode, -1: until close */
	/* chunked decoder */
	int ck_state;		/* 0 size, 1 ext, 2 LF after size, 3 data, 4 CR, 5 LF, 6 trailer */
	uint64_t ck_left;
	int ck_line;		/* length of the current trailer line */
	char *rbuf;		/* where the pending recv writes */
	/* list */
	char *lbuf;
	size_t llen, lcap;
	char token[1024];
	bool more;
};

static struct io_uring ring;
static struct conn *conns;
static char *scratch;		/* receive target of every body */
static char *payload;		/* PUT bodies */
static struct sockaddr_storage peer;
static socklen_t peerlen;
static uint64_t t_start, t_end, t_warm;
static bool stopping;
static long next_prepare;	/* prepare: next object index */
static long prepare_done;
static uint64_t rng = 88172645463325252ull;
static unsigned char sign_key[32];
static char sign_date[9];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
#include <stdarg.h>
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("s3bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static int key_name(char *out, size_t cap, long i)
{
	if (opt.dirs > 0)
		return snprintf(out, cap, "%sd%03ld/obj%08ld", opt.prefix,
				i % opt.dirs, i);
	return snprintf(out, cap, "%sobj%08ld", opt.prefix, i);
}

/* RFC 3986 unreserved stays, everything else %XX (slashes too, unless @path) */
static size_t uri_encode(char *out, size_t cap, const char *s, bool path)
{
	static const char d[] = "0123456789ABCDEF";
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (n + 4 > cap)
			break;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || (path && c == '/')) {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = d[c >> 4];
			out[n++] = d[c & 15];
		}
	}
	out[n] = '\0';
	return n;
}

static void amz_date(char out[17])
{
	static time_t last_t = -1;
	static char last[17];
	time_t t = time(NULL);
	struct tm tm;

	if (t == last_t) {
		memcpy(out, last, 17);
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
	memcpy(last, out, 17);
	last_t = t;
	if (memcmp(out, sign_date, 8)) {
		memcpy(sign_date, out, 8);
		sign_date[8] = '\0';
		s3b_signing_key(opt.secret, sign_date, opt.region, "s3",
				sign_key);
	}
}

/*
 * Signed GET/PUT heads by key, reused within the same second: x-amz-date
 * has one-second resolution, so a head signed again would be
 * byte-identical. The client then signs each key at most once a second,
 * and its CPU goes to moving requests, not to OpenSSL; the server still
 * verifies every signature.
 */
#define HEAD_CACHE_MAX 65536
#define HEAD_CACHE_LEN 640
struct head_cache {
	char date[17];
	enum op op;
	unsigned short len;	/* 0: empty */
	char head[HEAD_CACHE_LEN];
};
static struct head_cache *head_cache;

static struct head_cache *head_cache_slot(const struct conn *c)
{
	long i = c->key - opt.start;

	if ((c->op != OP_GET && c->op != OP_PUT) || i < 0 ||
	    i >= opt.objects || i >= HEAD_CACHE_MAX)
		return NULL;
	if (!head_cache) {
		head_cache = calloc((size_t)(opt.objects < HEAD_CACHE_MAX ?
					     opt.objects : HEAD_CACHE_MAX),
				    sizeof(*head_cache));
		if (!head_cache)
			die("out of memory");
	}
	return &head_cache[i];
}

/* Builds the request head of c->op into c->req; returns its length. */
static size_t build_request(struct conn *c)
{
	struct head_cache *hc = head_cache_slot(c);

	char path[1200], query[1600] = "", enc[1100], date[17], creq[4096];
	char sig[65], auth[400] = "";
	const char *method = "GET", *hash = S3B_EMPTY_SHA256;
	size_t body = 0;
	int n;

	amz_date(date);
	if (hc && hc->len && hc->op == c->op && !memcmp(hc->date, date, 17)) {
		memcpy(c->req, hc->head, hc->len);
		return hc->len;
	}
	switch (c->op) {
	case OP_GET:
	case OP_PUT: {
		char key[512];

		key_name(key, sizeof(key), c->key);
		uri_encode(enc, sizeof(enc), key, true);
		snprintf(path, sizeof(path), "/%s/%s", opt.bucket, enc);
		if (c->op == OP_PUT) {
			method = "PUT";
			hash = S3B_UNSIGNED;
			body = opt.size;
		}
		break;
	}
	case OP_MKBUCKET:
		method = "PUT";
		snprintf(path, sizeof(path), "/%s", opt.bucket);
		break;
	case OP_LIST: {
		/* canonical order: continuation-token delimiter list-type max-keys prefix */
		size_t q = 0;

		snprintf(path, sizeof(path), "/%s", opt.bucket);
		if (c->token[0]) {
			uri_encode(enc, sizeof(enc), c->token, false);
			q += (size_t)snprintf(query + q, sizeof(query) - q,
					      "continuation-token=%s&", enc);
		}
		if (opt.delimiter) {
			uri_encode(enc, sizeof(enc), opt.delimiter, false);
			q += (size_t)snprintf(query + q, sizeof(query) - q,
					      "delimiter=%s&", enc);
		}
		q += (size_t)snprintf(query + q, sizeof(query) - q,
				      "list-type=2&max-keys=%d", opt.max_keys);
		if (opt.list_prefix) {
			uri_encode(enc, sizeof(enc), opt.list_prefix, false);
			snprintf(query + q, sizeof(query) - q, "&prefix=%s",
				 enc);
		}
		break;
	}
	}
	if (!opt.nosign) {
		char scope[128];

		n = s3b_canonical_request(creq, sizeof(creq), method, path,
					  query, opt.endpoint, hash, date);
		if (n < 0)
			die("request too long");
		snprintf(scope, sizeof(scope), "%s/%s/s3/aws4_request",
			 sign_date, opt.region);
		s3b_signature(sign_key, date, scope, creq, (size_t)n, sig);
		snprintf(auth, sizeof(auth),
			 "Authorization: AWS4-HMAC-SHA256 Credential=%s/%s, "
			 "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
			 "Signature=%s\r\n", opt.access, scope, sig);
	}
	n = snprintf(c->req, sizeof(c->req),
		     "%s %s%s%s HTTP/1.1\r\nHost: %s\r\n"
		     "x-amz-date: %s\r\nx-amz-content-sha256: %s\r\n%s"
		     "Content-Length: %zu\r\n\r\n",
		     method, path, query[0] ? "?" : "", query, opt.endpoint,
		     date, hash, auth, body);
	if (n < 0 || (size_t)n >= sizeof(c->req))
		die("request head too long");
	if (hc && n < HEAD_CACHE_LEN) {
		memcpy(hc->date, date, 17);
		hc->op = c->op;
		hc->len = (unsigned short)n;
		memcpy(hc->head, c->req, (size_t)n);
	}
	return (size_t)n;
}

/* ----------------------------------------------------------- io_uring -- */
static struct io_uring_sqe *sqe_get(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	if (!sqe) {
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
		if (!sqe)
			die("no SQE");
	}
	return sqe;
}

static void queue_send(struct conn *c)
{
	struct io_uring_sqe *sqe = sqe_get();

	memset(&c->msg, 0, sizeof(c->msg));
	c->msg.msg_iov = c->iov;
	c->msg.msg_iovlen = c->iov[1].iov_len ? 2 : 1;
	io_uring_prep_sendmsg(sqe, c->fd, &c->msg, MSG_NOSIGNAL);
	io_uring_sqe_set_data(sqe, c);
	c->state = C_SEND;
}

static void queue_recv(struct conn *c)
{
	struct io_uring_sqe *sqe = sqe_get();
	void *buf;
	size_t len;
	int flags = 0;

	if (!c->head_done) {
		buf = c->head + c->head_len;
		len = HEAD_CAP - 1 - c->head_len;
	} else if (c->op == OP_LIST) {
		if (c->lcap - c->llen < 65536) {
			c->lcap = c->lcap ? c->lcap * 2 : 1 << 20;
			c->lbuf = realloc(c->lbuf, c->lcap);
			if (!c->lbuf)
				die("out of memory");
		}
		buf = c->lbuf + c->llen;
		len = c->lcap - c->llen - 1;
	} else {
		buf = scratch;
		len = SCRATCH;
		if (!c->chunked && c->body_left >= 0) {
			/*
			 * TCP's MSG_TRUNC drops up to len bytes without
			 * copying them: the client then costs what a server
			 * is measured against, not a memcpy per byte.
			 */
			if (!opt.copy_bodies) {
				flags = MSG_TRUNC;
				len = INT_MAX;
			}
			if ((uint64_t)c->body_left < len)
				len = (size_t)c->body_left;
		}
	}
	c->rbuf = buf;
	io_uring_prep_recv(sqe, c->fd, buf, len, flags);
	io_uring_sqe_set_data(sqe, c);
	c->state = C_RECV;
}

static int conn_open(struct conn *c)
{
	int one = 1;

	c->fd = socket(peer.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&peer, peerlen)) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static bool next_op(struct conn *c);

/* Workloads that run each request once and end, not for a duration. */
static bool one_pass(void)
{
	return opt.wl == W_PREPARE || opt.wl == W_MKBUCKET || opt.wl == W_WARM;
}

static void start_request(struct conn *c)
{
	size_t n;

	if (stopping || !next_op(c)) {
		c->state = C_IDLE;
		return;
	}
	n = build_request(c);
	c->iov[0].iov_base = c->req;
	c->iov[0].iov_len = n;
	c->iov[1].iov_base = payload;
	c->iov[1].iov_len = c->op == OP_PUT ? opt.size : 0;
	c->to_send = n + c->iov[1].iov_len;
	c->head_len = 0;
	c->head_done = false;
	c->chunked = c->close_after = c->no_body = false;
	c->body_left = -1;
	c->ck_state = 0;
	c->ck_left = 0;
	c->ck_line = 0;
	c->llen = 0;
	c->t0 = now_ns();
	queue_send(c);
}

/* A failed connection: count, reopen, retry (a new op). */
static void conn_fail(struct conn *c, bool proto)
{
	if (proto)
		st.proto_err++;
	else
		st.conn_err++;
	if ((c->op == OP_PUT && opt.wl == W_PREPARE) || opt.wl == W_WARM) {
		/* the object is not written: give up rather than loop */
		prepare_done++;
	}
	close(c->fd);
	c->fd = -1;
	if (stopping) {
		c->state = C_DEAD;
		return;
	}
	st.reconnects++;
	if (conn_open(c)) {
		c->state = C_DEAD;
		return;
	}
	start_request(c);
}

static bool next_op(struct conn *c)
{
	switch (opt.wl) {
	case W_GET:
		c->op = OP_GET;
		c->key = opt.start + (long)(rnd() % (uint64_t)opt.objects);
		return true;
	case W_PUT:
		c->op = OP_PUT;
		c->key = opt.start + (long)(rnd() % (uint64_t)opt.objects);
		return true;
	case W_MIXED:
		c->op = (int)(rnd() % 100) < opt.mix ? OP_GET : OP_PUT;
		c->key = opt.start + (long)(rnd() % (uint64_t)opt.objects);
		return true;
	case W_LIST:
		c->op = OP_LIST;
		return true;
	case W_PREPARE:
		if (next_prepare >= opt.objects)
			return false;
		c->op = OP_PUT;
		c->key = opt.start + next_prepare++;
		return true;
	case W_WARM:
		if (next_prepare >= opt.objects)
			return false;
		c->op = OP_GET;
		c->key = opt.start + next_prepare++;
		return true;
	case W_MKBUCKET:
		if (next_prepare++)
			return false;
		c->op = OP_MKBUCKET;
		return true;
	}
	return false;
}

/* ----------------------------------------------------- response parse -- */
static bool hdr_is(const char *line, size_t len, const char *name,
		   const char **val)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) || line[n] != ':')
		return false;
	line += n + 1;
	while (*line == ' ' || *line == '\t')
		line++;
	*val = line;
	return true;
}

/* Parses c->head[0..end) (status line and headers). */
static bool parse_head(struct conn *c, size_t end)
{
	char *p = c->head, *lim = c->head + end, *eol;
	const char *v;

	if (end < 12 || memcmp(p, "HTTP/1.", 7))
		return false;
	c->status = atoi(p + 9);
	if (c->status < 100 || c->status > 599)
		return false;
	c->close_after = p[7] == '0';
	p = memchr(p, '\n', (size_t)(lim - p));
	while (p && ++p < lim) {
		eol = memchr(p, '\n', (size_t)(lim - p));
		if (!eol)
			break;
		if (hdr_is(p, (size_t)(eol - p), "content-length", &v))
			c->body_left = strtoll(v, NULL, 10);
		else if (hdr_is(p, (size_t)(eol - p), "transfer-encoding", &v))
			c->chunked = !strncasecmp(v, "chunked", 7);
		else if (hdr_is(p, (size_t)(eol - p), "connection", &v))
			c->close_after = !strncasecmp(v, "close", 5);
		p = eol;
	}
	if (c->status == 204 || c->status == 304 || c->status < 200)
		c->no_body = true;
	return true;
}

/*
 * Runs the chunked decoder over @n received bytes; returns 1 at the end of
 * the body, 0 for more, -1 on a framing error. Data bytes are skipped in
 * place (they stay where recv put them).
 */
static int chunked_feed(struct conn *c, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n) {
		char ch = b[i];

		switch (c->ck_state) {
		case 0:	/* hex size */
			if (ch >= '0' && ch <= '9')
				c->ck_left = c->ck_left * 16 + (uint64_t)(ch - '0');
			else if ((ch | 32) >= 'a' && (ch | 32) <= 'f')
				c->ck_left = c->ck_left * 16 + (uint64_t)((ch | 32) - 'a' + 10);
			else if (ch == ';' || ch == ' ')
				c->ck_state = 1;
			else if (ch == '\r')
				c->ck_state = 2;
			else
				return -1;
			i++;
			break;
		case 1:	/* extensions */
			if (ch == '\r')
				c->ck_state = 2;
			i++;
			break;
		case 2:
			if (ch != '\n')
				return -1;
			i++;
			c->ck_state = c->ck_left ? 3 : 6;
			c->ck_line = 0;
			break;
		case 3: {
			size_t take = n - i;

			if (take > c->ck_left)
				take = (size_t)c->ck_left;
			c->ck_left -= take;
			st.bytes += t_warm && now_ns() < t_warm ? 0 : take;
			i += take;
			if (!c->ck_left)
				c->ck_state = 4;
			break;
		}
		case 4:
			if (ch != '\r')
				return -1;
			c->ck_state = 5;
			i++;
			break;
		case 5:
			if (ch != '\n')
				return -1;
			c->ck_state = 0;
			i++;
			break;
		case 6:	/* trailer lines until an empty one */
			i++;
			if (ch == '\n') {
				if (c->ck_line == 0)
					return 1;
				c->ck_line = 0;
			} else if (ch != '\r') {
				c->ck_line++;
			}
			break;
		}
	}
	return 0;
}

static void list_page_done(struct conn *c)
{
	char *s, *e;

	c->lbuf[c->llen] = '\0';
	c->token[0] = '\0';
	for (s = c->lbuf; (s = strstr(s, "<Key>")); s += 5)
		st.list_keys++;
	for (s = c->lbuf; (s = strstr(s, "<CommonPrefixes>")); s += 16)
		st.list_prefixes++;
	s = strstr(c->lbuf, "<NextContinuationToken>");
	if (s && strstr(c->lbuf, "<IsTruncated>true</IsTruncated>")) {
		s += strlen("<NextContinuationToken>");
		e = strstr(s, "</NextContinuationToken>");
		if (e && (size_t)(e - s) < sizeof(c->token)) {
			/* un-escape the XML entities a token can hold */
			size_t o = 0;

			while (s < e) {
				if (!strncmp(s, "&amp;", 5)) {
					c->token[o++] = '&';
					s += 5;
				} else if (!strncmp(s, "&lt;", 4)) {
					c->token[o++] = '<';
					s += 4;
				} else if (!strncmp(s, "&gt;", 4)) {
					c->token[o++] = '>';
					s += 4;
				} else if (!strncmp(s, "&quot;", 6)) {
					c->token[o++] = '"';
					s += 6;
				} else {
					c->token[o++] = *s++;
				}
			}
			c->token[o] = '\0';
		}
	}
	if (!c->token[0])
		st.list_walks++;	/* the next page starts over */
}

static void response_done(struct conn *c)
{
	uint64_t t = now_ns();
	bool counted = !t_warm || t >= t_warm;

	if (counted) {
		st.status[c->status]++;
		if (c->status >= 200 && c->status < 300) {
			st.ok++;
			hadd(&st.lat, t - c->t0);
		}
	}
	if (c->op == OP_LIST && c->status == 200)
		list_page_done(c);
	if (one_pass()) {
		prepare_done++;
		if (c->status < 200 || c->status >= 300)
			fprintf(stderr, "s3bench: %s object %ld: HTTP %d\n",
				c->op == OP_MKBUCKET ? "create bucket" :
				c->op == OP_GET ? "GET" : "PUT",
				c->key, c->status);
	}
	if (c->close_after) {
		close(c->fd);
		st.reconnects++;
		if (conn_open(c)) {
			st.conn_err++;
			c->state = C_DEAD;
			return;
		}
	}
	start_request(c);
}

/* Handles @n bytes just received; they are at the end of the recv target. */
static void on_recv(struct conn *c, size_t n)
{
	const char *body;
	size_t blen;
	int r;

	if (!c->head_done) {
		char *e;

		c->head_len += n;
		c->head[c->head_len] = '\0';
		e = memmem(c->head, c->head_len, "\r\n\r\n", 4);
		if (!e) {
			if (c->head_len >= HEAD_CAP - 1)
				conn_fail(c, true);
			else
				queue_recv(c);
			return;
		}
		if (!parse_head(c, (size_t)(e - c->head) + 2)) {
			conn_fail(c, true);
			return;
		}
		c->head_done = true;
		body = e + 4;
		blen = c->head_len - (size_t)(body - c->head);
		if (c->no_body) {
			response_done(c);
			return;
		}
		if (c->op == OP_LIST && blen) {
			if (c->lcap < blen + 1) {
				c->lcap = blen + (1 << 20);
				c->lbuf = realloc(c->lbuf, c->lcap);
				if (!c->lbuf)
					die("out of memory");
			}
			memcpy(c->lbuf, body, blen);	/* list pages only */
			c->llen = blen;
		}
	} else {
		body = c->rbuf;
		blen = n;
		if (c->op == OP_LIST)
			c->llen += n;
	}
	if (c->chunked) {
		r = blen ? chunked_feed(c, body, blen) : 0;
		if (r < 0) {
			conn_fail(c, true);
			return;
		}
		if (r > 0) {
			response_done(c);
			return;
		}
	} else if (c->body_left >= 0) {
		if ((int64_t)blen > c->body_left) {
			conn_fail(c, true);	/* bytes past the response */
			return;
		}
		c->body_left -= (int64_t)blen;
		if (c->op == OP_GET && (!t_warm || now_ns() >= t_warm))
			st.bytes += blen;
		if (!c->body_left) {
			response_done(c);
			return;
		}
	} else {
		if (c->op == OP_GET)
			st.bytes += blen;
	}
	queue_recv(c);
}

static void on_cqe(struct conn *c, int res)
{
	if (c->state == C_SEND) {
		if (res <= 0) {
			conn_fail(c, false);
			return;
		}
		c->to_send -= (size_t)res;
		if (c->op == OP_PUT && (!t_warm || now_ns() >= t_warm)) {
			size_t hb = c->iov[0].iov_len;

			st.bytes += (size_t)res > hb ? (size_t)res - hb : 0;
		}
		if (c->to_send) {
			/* partial send: advance the iovecs */
			size_t adv = (size_t)res;
			int i;

			for (i = 0; i < 2 && adv; i++) {
				size_t t = adv < c->iov[i].iov_len ? adv : c->iov[i].iov_len;

				c->iov[i].iov_base = (char *)c->iov[i].iov_base + t;
				c->iov[i].iov_len -= t;
				adv -= t;
			}
			if (!c->iov[0].iov_len) {
				c->iov[0] = c->iov[1];
				c->iov[1].iov_len = 0;
			}
			queue_send(c);
			return;
		}
		queue_recv(c);
		return;
	}
	if (c->state != C_RECV)
		return;
	if (res < 0) {
		conn_fail(c, false);
		return;
	}
	if (res == 0) {
		/* closed: the end of a body without a length, else an error */
		if (c->head_done && !c->chunked && c->body_left < 0) {
			c->close_after = true;
			response_done(c);
		} else {
			conn_fail(c, false);
		}
		return;
	}
	on_recv(c, (size_t)res);
}

/* --------------------------------------------------------------- main -- */
static void usage(void)
{
	fputs(
"usage: s3bench [options]\n"
"  -w get|put|mixed|list|prepare|mkbucket|warm  workload (default get;\n"
"                  warm: GET objects 0..N-1 once each, then exit)\n"
"  -e HOST:PORT    endpoint (default 127.0.0.1:9000); signed as the Host\n"
"  -b BUCKET       bucket (default bench)\n"
"  -a KEY -s SECRET  access key and secret; -r REGION (default us-east-1)\n"
"  -U              do not sign (no Authorization header)\n"
"  -K              copy response bodies into a scratch buffer (default:\n"
"                  drop bodies with a Content-Length in the socket, MSG_TRUNC)\n"
"  -z SIZE         object size, bytes; K, M, G suffixes (default 4K)\n"
"  -n N            objects (keys PREFIXobj%08d, 0..N-1; default 100)\n"
"  -o FIRST        first object index (default 0)\n"
"  -k PREFIX       key prefix (default none)\n"
"  -D N            spread keys over N 'dNNN/' prefixes (default 0: none)\n"
"  -c N            connections (default 16)\n"
"  -d SECONDS      duration (default 10; prepare ignores it)\n"
"  -W SECONDS      warm-up not counted (default 0)\n"
"  -M PERCENT      mixed: percent GETs (default 50)\n"
"  -m N            list: max-keys (default 1000)\n"
"  -p PREFIX       list: prefix; -l DELIM: delimiter\n"
"  -j              JSON output\n"
"  -q              no table (with -j: JSON only)\n", stderr);
	exit(2);
}

static size_t parse_size(const char *s)
{
	char *e;
	double v = strtod(s, &e);

	switch (*e) {
	case 'k': case 'K': v *= 1024; break;
	case 'm': case 'M': v *= 1048576; break;
	case 'g': case 'G': v *= 1073741824.0; break;
	case '\0': break;
	default: die("bad size '%s'", s);
	}
	return (size_t)v;
}

static void resolve(void)
{
	char host[256], *colon;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	int r;

	snprintf(host, sizeof(host), "%s", opt.endpoint);
	colon = strrchr(host, ':');
	if (!colon)
		die("endpoint must be HOST:PORT");
	*colon = '\0';
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	r = getaddrinfo(host, colon + 1, &hints, &ai);
	if (r)
		die("%s: %s", opt.endpoint, gai_strerror(r));
	memcpy(&peer, ai->ai_addr, ai->ai_addrlen);
	peerlen = ai->ai_addrlen;
	freeaddrinfo(ai);
}

static void report(double secs)
{
	double rps = (double)st.ok / secs, mbs = (double)st.bytes / secs / 1e6;
	uint64_t errs = st.conn_err + st.proto_err;
	int i;

	for (i = 0; i < 600; i++)
		if (i < 200 || i >= 300)
			errs += st.status[i];
	if (!opt.quiet) {
		printf("%-8s size %zu conns %d: %.0f req/s, %.2f MB/s over %.2f s\n",
		       wl_names[opt.wl], opt.size, opt.conns, rps, mbs, secs);
		printf("  latency ms: p50 %.3f p99 %.3f p99.9 %.3f max %.3f mean %.3f\n",
		       hpct(&st.lat, 50) / 1e6, hpct(&st.lat, 99) / 1e6,
		       hpct(&st.lat, 99.9) / 1e6, st.lat.max / 1e6,
		       st.lat.n ? (double)st.lat.sum / (double)st.lat.n / 1e6 : 0);
		printf("  ok %llu, errors %llu (connection %llu, protocol %llu",
		       (unsigned long long)st.ok, (unsigned long long)errs,
		       (unsigned long long)st.conn_err,
		       (unsigned long long)st.proto_err);
		for (i = 0; i < 600; i++)
			if ((i < 200 || i >= 300) && st.status[i])
				printf(", HTTP %d: %llu", i,
				       (unsigned long long)st.status[i]);
		printf(")\n");
	}
	if (opt.json) {
		bool first = true;
		struct rusage ru;
		double cpu;

		getrusage(RUSAGE_SELF, &ru);
		cpu = (double)ru.ru_utime.tv_sec * 1e6 + (double)ru.ru_utime.tv_usec +
		      (double)ru.ru_stime.tv_sec * 1e6 + (double)ru.ru_stime.tv_usec;

		printf("{\"workload\": \"%s\", \"endpoint\": \"%s\", \"size\": %zu, "
		       "\"connections\": %d, \"objects\": %ld, \"seconds\": %.3f, "
		       "\"requests\": %llu, \"req_per_s\": %.1f, \"bytes\": %llu, "
		       "\"mb_per_s\": %.3f, \"latency_us\": {\"p50\": %.1f, "
		       "\"p99\": %.1f, \"p99_9\": %.1f, \"max\": %.1f, \"mean\": %.1f}, "
		       "\"errors\": %llu, \"connection_errors\": %llu, "
		       "\"protocol_errors\": %llu, \"reconnects\": %llu, "
		       "\"client_cpu_us\": %.0f, \"list_keys\": %llu, "
		       "\"list_prefixes\": %llu, \"list_walks\": %llu, \"status\": {",
		       wl_names[opt.wl], opt.endpoint, opt.size, opt.conns,
		       opt.objects, secs, (unsigned long long)st.ok, rps,
		       (unsigned long long)st.bytes, mbs,
		       hpct(&st.lat, 50) / 1e3, hpct(&st.lat, 99) / 1e3,
		       hpct(&st.lat, 99.9) / 1e3, st.lat.max / 1e3,
		       st.lat.n ? (double)st.lat.sum / (double)st.lat.n / 1e3 : 0,
		       (unsigned long long)errs, (unsigned long long)st.conn_err,
		       (unsigned long long)st.proto_err,
		       (unsigned long long)st.reconnects, cpu,
		       (unsigned long long)st.list_keys,
		       (unsigned long long)st.list_prefixes,
		       (unsigned long long)st.list_walks);
		for (i = 0; i < 600; i++)
			if (st.status[i]) {
				printf("%s\"%d\": %llu", first ? "" : ", ", i,
				       (unsigned long long)st.status[i]);
				first = false;
			}
		printf("}}\n");
	}
}

int main(int argc, char **argv)
{
	struct __kernel_timespec ts = { .tv_nsec = 100000000 };
	int ch, i, live;
	double secs;

	while ((ch = getopt(argc, argv, "w:e:b:a:s:r:UKz:n:o:k:D:c:d:W:M:m:p:l:jqh")) != -1) {
		switch (ch) {
		case 'w':
			for (i = 0; i <= W_WARM; i++)
				if (!strcmp(optarg, wl_names[i]))
					break;
			if (i > W_WARM)
				die("unknown workload '%s'", optarg);
			opt.wl = i;
			break;
		case 'e': opt.endpoint = optarg; break;
		case 'b': opt.bucket = optarg; break;
		case 'a': opt.access = optarg; break;
		case 's': opt.secret = optarg; break;
		case 'r': opt.region = optarg; break;
		case 'U': opt.nosign = true; break;
		case 'K': opt.copy_bodies = true; break;
		case 'z': opt.size = parse_size(optarg); break;
		case 'n': opt.objects = atol(optarg); break;
		case 'o': opt.start = atol(optarg); break;
		case 'k': opt.prefix = optarg; break;
		case 'D': opt.dirs = atoi(optarg); break;
		case 'c': opt.conns = atoi(optarg); break;
		case 'd': opt.duration = atof(optarg); break;
		case 'W': opt.warmup = atof(optarg); break;
		case 'M': opt.mix = atoi(optarg); break;
		case 'm': opt.max_keys = atoi(optarg); break;
		case 'p': opt.list_prefix = optarg; break;
		case 'l': opt.delimiter = optarg; break;
		case 'j': opt.json = true; break;
		case 'q': opt.quiet = true; break;
		default: usage();
		}
	}
	if (optind != argc || opt.conns < 1 || opt.objects < 1 ||
	    opt.duration <= 0)
		usage();
	if (!opt.nosign && (!opt.access[0] || !opt.secret[0]))
		die("-a KEY and -s SECRET are needed (or -U)");
	if (opt.wl == W_MKBUCKET)
		opt.conns = 1;
	if ((opt.wl == W_PREPARE || opt.wl == W_WARM) &&
	    opt.conns > opt.objects)
		opt.conns = (int)opt.objects;
	resolve();
	scratch = malloc(SCRATCH);
	payload = malloc(opt.size ? opt.size : 1);
	conns = calloc((size_t)opt.conns, sizeof(*conns));
	if (!scratch || !payload || !conns)
		die("out of memory");
	for (size_t j = 0; j < opt.size; j++)
		payload[j] = (char)('a' + j % 26);
	rng ^= (uint64_t)getpid() << 20;
	if (io_uring_queue_init((unsigned)(opt.conns < 64 ? 128 : 2 * opt.conns),
				&ring, 0))
		die("io_uring_queue_init failed");

	t_start = now_ns();
	if (opt.warmup > 0)
		t_warm = t_start + (uint64_t)(opt.warmup * 1e9);
	t_end = (t_warm ? t_warm : t_start) + (uint64_t)(opt.duration * 1e9);
	for (i = 0; i < opt.conns; i++) {
		conns[i].idx = i;
		if (conn_open(&conns[i]))
			die("connect %s: %s", opt.endpoint, strerror(errno));
		start_request(&conns[i]);
	}
	for (;;) {
		struct io_uring_cqe *cqe;
		unsigned head, seen = 0;
		uint64_t t;

		io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts, NULL);
		io_uring_for_each_cqe(&ring, head, cqe) {
			struct conn *c = io_uring_cqe_get_data(cqe);

			seen++;
			if (c)
				on_cqe(c, cqe->res);
		}
		io_uring_cq_advance(&ring, seen);
		t = now_ns();
		if (one_pass()) {
			live = 0;
			for (i = 0; i < opt.conns; i++)
				live += conns[i].state == C_SEND ||
					conns[i].state == C_RECV;
			if (!live)
				break;
		} else if (t >= t_end) {
			break;
		}
	}
	stopping = true;
	t_end = now_ns();
	secs = (double)(t_end - (t_warm ? t_warm : t_start)) / 1e9;
	report(secs);
	/* in-flight requests are abandoned: closing the sockets ends them */
	for (i = 0; i < opt.conns; i++)
		if (conns[i].fd >= 0)
			close(conns[i].fd);
	io_uring_queue_exit(&ring);
	if (one_pass()) {
		int bad = st.conn_err + st.proto_err > 0;

		for (i = 0; i < 600; i++)
			if ((i < 200 || i >= 300) && st.status[i])
				bad = 1;
		return bad;
	}
	return 0;
}
