/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.1 for ks3: the contract between the connection layer
 * (http/conn.c), the request-head parser (http/parse.c) and the request
 * handler above it (the S3 layer, s3/handler.c). HTTP knows nothing of S3:
 * it frames requests and responses and hands the handler a parsed head,
 * then the decoded body (Content-Length or chunked) in pieces, then asks
 * for the response.
 *
 * One exchange = one request and its response. A connection runs one
 * exchange at a time (pipelined requests wait in its buffer), so nothing
 * here needs locking: every handler callback runs in the connection's work
 * item, in process context, and may sleep (disk I/O, journal commits),
 * never for the client (body bytes arrive as callbacks, not blocking reads).
 */
#ifndef _KS3_HTTP_H
#define _KS3_HTTP_H

#include <linux/types.h>

/* Hard ceilings; the configurable limits (struct ks3_http_limits) sit below. */
#define KS3_HTTP_HEAD_MAX	16384	/* request line + header fields */
#define KS3_HTTP_FIELDS_MAX	128	/* header fields per request */
#define KS3_HTTP_RESP_HEAD_MAX	4096	/* response status line + fields */

enum ks3_http_method {
	KS3_HTTP_OTHER,			/* a token we do not serve: 501 */
	KS3_HTTP_GET,
	KS3_HTTP_HEAD,
	KS3_HTTP_PUT,
	KS3_HTTP_POST,
	KS3_HTTP_DELETE,
	KS3_HTTP_OPTIONS,
};

/* A header field; both strings point into the connection's head buffer. */
struct ks3_http_field {
	const char *name;		/* as received (case kept) */
	const char *value;		/* leading/trailing OWS removed */
	u16 name_len;
	u16 value_len;
};

/*
 * A parsed request head. Every pointer points into the buffer that was
 * parsed, which the connection keeps unchanged until the exchange ends.
 * Strings are not NUL-terminated.
 */
struct ks3_http_request {
	enum ks3_http_method method;
	const char *method_name;
	u16 method_len;
	u8 version_minor;		/* HTTP/1.<minor>: 0 or 1 */
	const char *target;		/* request-target, origin-form, raw */
	u32 target_len;
	const char *path;		/* target up to '?', still %-encoded */
	u32 path_len;
	const char *query;		/* after '?', raw; "" (len 0) if none */
	u32 query_len;
	u16 nr_fields;
	struct ks3_http_field fields[KS3_HTTP_FIELDS_MAX];

	/* Framing, derived from the fields by the parser. */
	bool has_length;		/* Content-Length given */
	bool chunked;			/* Transfer-Encoding: chunked */
	bool expect_continue;		/* Expect: 100-continue */
	bool keep_alive;		/* 1.1 default, Connection: close/keep-alive */
	u64 content_length;		/* if has_length */
};

/*
 * ks3_http_parse_head - parse one request head at the start of @buf
 * Returns the head's length (through the blank line) when complete, 0 if
 * more bytes are needed (and @len < @max), or a negative errno that says
 * which response to give before closing:
 *   -EMSGSIZE      head longer than @max, or a field/URL over its limit: 431
 *   -E2BIG         more than @max_fields fields: 431
 *   -EBADMSG       malformed (request line, field syntax, bad or conflicting
 *                  Content-Length, Content-Length with chunked, obs-fold,
 *                  NUL/CR/LF/control bytes where not allowed): 400
 *   -EPROTONOSUPPORT  not HTTP/1.0 or HTTP/1.1: 505
 *   -EOPNOTSUPP    a Transfer-Encoding other than "chunked": 501
 * @url_max bounds the request-target, @max the whole head
 * (<= KS3_HTTP_HEAD_MAX), @max_fields the field count (<= KS3_HTTP_FIELDS_MAX).
 */
int ks3_http_parse_head(struct ks3_http_request *req, const char *buf,
			size_t len, size_t max, size_t url_max,
			unsigned int max_fields);

/*
 * The first field named @lname (lower case, compared case-insensitively),
 * or NULL. ks3_http_field_count() counts them (for fields that must not
 * repeat).
 */
const struct ks3_http_field *
ks3_http_field_find(const struct ks3_http_request *req, const char *lname);
unsigned int ks3_http_field_count(const struct ks3_http_request *req,
				  const char *lname);

/*
 * Decoder for "Transfer-Encoding: chunked" request bodies: a byte-at-a-time
 * state machine, so a chunk header or trailer may be split anywhere between
 * two reads. Chunk-size lines are bounded (extensions skipped, at most
 * KS3_HTTP_CHUNK_LINE_MAX bytes), trailer fields are skipped within
 * KS3_HTTP_TRAILER_MAX bytes.
 */
#define KS3_HTTP_CHUNK_LINE_MAX	4096
#define KS3_HTTP_TRAILER_MAX	8192

struct ks3_http_chunked {
	u8 state;
	u8 hex_digits;
	u16 line_len;
	u32 trailer_len;
	u64 remaining;			/* data bytes left in this chunk */
	u64 total;			/* decoded bytes so far */
};

void ks3_http_chunked_init(struct ks3_http_chunked *d);
/*
 * Decodes from @in (@in_len bytes). Consumes up to the end of the body and
 * no further (the rest is the next pipelined request). Decoded data is not
 * copied: *@data / *@data_len point at the next run of body bytes inside
 * @in (possibly 0 bytes), and *@used says how much of @in was consumed
 * including that run. Call again with the rest of @in.
 * Returns 1 when the body is complete (last chunk and trailer consumed),
 * 0 to go on, -EBADMSG on a malformed body, -EMSGSIZE over the line or
 * trailer bounds.
 */
int ks3_http_chunked_decode(struct ks3_http_chunked *d, const u8 *in,
			    size_t in_len, size_t *used, const u8 **data,
			    size_t *data_len);

/* Limits of the connection layer; live values in struct ks3_server. */
struct ks3_http_limits {
	u32 max_connections;
	u32 head_max;			/* <= KS3_HTTP_HEAD_MAX */
	u32 max_fields;			/* <= KS3_HTTP_FIELDS_MAX */
	u32 url_max;			/* request-target bytes */
	u32 idle_timeout_ms;		/* keep-alive: no request started */
	u32 header_timeout_ms;		/* whole head must arrive within */
	u32 body_timeout_ms;		/* no body byte for this long */
	u32 discard_timeout_ms;		/* drop a body after an early answer */
	u32 min_rate;			/* bytes/s of heads and bodies; 0: off */
	u32 min_rate_grace_ms;		/* before min_rate applies */
	u32 max_conns_per_addr;		/* from one client address */
	u32 conn_buffer;		/* per-connection I/O buffer, bytes */
	u64 global_buffer;		/* sum over connections, bytes */
};

struct ks3_exchange;

/*
 * Pages that hold response body bytes, sent without a copy: @len bytes of
 * the pages in @bv, starting @skip bytes in.
 */
struct bio_vec;

struct ks3_http_pages {
	const struct bio_vec *bv;
	unsigned int nr;
	size_t skip;
	size_t len;
};

/*
 * A response body source for data that does not fit a buffer (GET), in
 * one of two forms:
 *
 * @pages (preferred) points @p at pages holding the body from byte @off on
 * (at least one byte, no more than the body has left) and returns 0, or a
 * negative errno. The pages go to the socket as they are (sendpage,
 * MSG_SPLICE_PAGES): the source keeps them referenced until its next call
 * or release(), and never changes their contents, since TCP keeps
 * references of its own until the peer has acknowledged the data.
 *
 * @read fills @buf with up to @len bytes of the body at byte @off and
 * returns how many (> 0), or a negative errno; the connection copies
 * them to the socket.
 *
 * On an error the connection is closed: the head has been sent already.
 */
struct ks3_http_body_source {
	int (*pages)(struct ks3_exchange *x, u64 off, struct ks3_http_pages *p);
	ssize_t (*read)(struct ks3_exchange *x, u64 off, void *buf,
			size_t len);
	u64 length;			/* Content-Length of the response */
};

/*
 * The handler (the S3 layer) sees the request through these callbacks,
 * all in the connection's process context:
 *
 *  begin(x)      the head is parsed. The handler either answers at once
 *                (calls ks3_http_respond*() and returns 0; any body is then
 *                discarded, or the connection closed if it is large), or
 *                returns 0 without responding to take the body: body() is
 *                called for each run of decoded bytes, then end(). "100
 *                Continue" is sent, when asked for, only once begin()
 *                accepted the body.
 *  body(x,d,n)   decoded body bytes (after Transfer-Encoding). Returns 0,
 *                or having responded (an error found mid-body) a negative
 *                errno: no more body is read and the connection closes
 *                after the response.
 *  body_buf(x,&n) optional, bodies framed by Content-Length only: memory
 *                of the handler's to receive the next body bytes into
 *                (at most *n), sparing a copy; NULL to have them through
 *                body(). Offered only when no body byte is buffered, so
 *                the bytes stay in order.
 *  body_recvd(x,d,n) @n bytes were received at @d, the last body_buf();
 *                returns as body() does.
 *  end(x)        the whole body arrived; the handler must respond.
 *  release(x)    the exchange is over (response sent, or the connection
 *                died at any point): free the handler's state.
 *
 * A negative return from begin() or end() without a response is a bug in
 * the handler: the connection answers 500 and closes.
 */
struct ks3_http_handler {
	int (*begin)(struct ks3_exchange *x);
	int (*body)(struct ks3_exchange *x, const void *data, size_t len);
	void *(*body_buf)(struct ks3_exchange *x, size_t *len);
	int (*body_recvd)(struct ks3_exchange *x, const void *data,
			  size_t len);
	int (*end)(struct ks3_exchange *x);
	void (*release)(struct ks3_exchange *x);
	/*
	 * Optional: answers, in the handler's own format, an error the
	 * connection found itself (@status 400, 431, 501 or 505 for a head
	 * it could not parse, 500 for a handler bug). Only x->id and
	 * x->received_ns are valid, x->req is zeroed unless begin() ran, and
	 * x->priv belongs to the exchange as usual (release() follows only if
	 * begin() was called). It must respond and keep no state of its own.
	 */
	void (*error)(struct ks3_exchange *x, u16 status);
};

struct ks3_server;

/* One request and its response, owned by the connection. */
struct ks3_exchange {
	struct ks3_http_request req;
	struct ks3_server *srv;
	void *priv;			/* the handler's per-request state */
	u64 id;				/* unique per module load: request id */
	u64 received_ns;		/* ktime_get_real_ns() when the head was complete */
	bool secure;			/* arrived over TLS */

	/* The response, built by ks3_http_respond*() and ks3_http_add_field(). */
	u16 status;
	bool responded;
	bool close_after;		/* add "Connection: close" and close */
	u16 resp_fields_len;
	char resp_fields[KS3_HTTP_RESP_HEAD_MAX];
	void *body_buf;			/* kvmalloc'd, freed by the connection */
	size_t body_len;
	size_t body_charged;		/* of @body_buf, in ks3_http_mem_charge() */
	const struct ks3_http_body_source *body_src;
};

/*
 * Adds a response header field. Date, Server, Content-Length and
 * Connection are added by the connection; do not add them. Returns
 * -ENOSPC when the response head would pass KS3_HTTP_RESP_HEAD_MAX.
 */
__printf(3, 4)
int ks3_http_add_field(struct ks3_exchange *x, const char *name,
		       const char *fmt, ...);
/*
 * Sets the response: status and a body the connection takes ownership of
 * (@body kvmalloc'd or NULL, @len bytes; HEAD responses send only the
 * head, with Content-Length @len).
 */
void ks3_http_respond(struct ks3_exchange *x, u16 status, void *body,
		      size_t len);
/* Sets a streamed response body of @src->length bytes. */
void ks3_http_respond_stream(struct ks3_exchange *x, u16 status,
			     const struct ks3_http_body_source *src);
/* IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") of @t (seconds since
 * the epoch); @buf >= KS3_HTTP_DATE_LEN + 1 bytes. In http/conn.c.
 */
#define KS3_HTTP_DATE_LEN	29
void ks3_http_format_date(char *buf, s64 t);
/*
 * The one memory budget of request buffers (the limits' global_buffer):
 * connection buffers and every buffer a request holds for its body or
 * response. Charge before allocating; false when it is spent (answer 503
 * SlowDown). In http/conn.c.
 */
bool ks3_http_mem_charge(const struct ks3_http_limits *lim, size_t size);
/*
 * Is the request's connection going away (module unload, server stop,
 * a reset)? Long operations check it between steps and give up.
 */
bool ks3_http_exchange_cancelled(const struct ks3_exchange *x);
void ks3_http_mem_uncharge(size_t size);
/* "OK", "Not Found", ... for a status code; "" if unknown. */
const char *ks3_http_reason(u16 status);

/* http/conn.c and http/listener.c */
int ks3_http_init(void);
void ks3_http_exit(void);

#endif /* _KS3_HTTP_H */
