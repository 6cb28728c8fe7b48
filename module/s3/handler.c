// SPDX-License-Identifier: GPL-2.0
/*
 * The S3 request handler: the ks3_http_handler callbacks. begin() parses
 * the target, takes the store, authenticates (SigV4), checks the key's
 * capabilities on the bucket and runs the operation, or sets up the body
 * pipeline of a PUT; body() and end() drive that pipeline; release() frees
 * everything, whatever point the exchange reached.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "storage/store.h"
#include "s3/ops.h"
#include "s3/s3.h"

void ks3_s3_add_common(struct ks3_s3_ctx *c)
{
	char rid[17];

	ks3_s3_request_id(c->x->id, rid);
	ks3_http_add_field(c->x, "x-amz-request-id", "%s", rid);
	ks3_http_add_field(c->x, "x-amz-id-2", "%s", rid);
}

int ks3_s3_respond_xml(struct ks3_s3_ctx *c, u16 status, struct ks3_xml *x)
{
	void *buf;
	size_t len;
	int ret;

	ret = ks3_xml_take(x, &buf, &len);
	if (ret) {
		pr_warn_ratelimited("response document: %d\n", ret);
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	}
	if (c->x->req.method == KS3_HTTP_HEAD) {
		kvfree(buf);
		ks3_http_add_field(c->x, "Content-Type", "application/xml");
		ks3_http_respond(c->x, status, NULL, 0);
		return 0;
	}
	/* A listing held for a slow client counts in the memory budget. */
	if (!ks3_http_mem_charge(&c->cfg.http, len)) {
		kvfree(buf);
		return ks3_s3_error(c, KS3_S3_SLOW_DOWN, NULL);
	}
	ks3_http_add_field(c->x, "Content-Type", "application/xml");
	ks3_http_respond(c->x, status, buf, len);
	c->x->body_charged = len;
	return 0;
}

int ks3_s3_error_full(struct ks3_s3_ctx *c, struct ks3_s3_error *e)
{
	const struct ks3_s3_error_info *info = ks3_s3_error_info(e->err);
	struct ks3_exchange *x = c->x;
	struct ks3_xml doc;
	void *buf;
	size_t len;

	e->request_id = x->id;
	if (!e->resource) {
		e->resource = x->req.path;
		e->resource_len = x->req.path_len;
	}
	ks3_s3_add_common(c);
	/* 304 and HEAD answers carry no body. */
	if (info->status == 304 || x->req.method == KS3_HTTP_HEAD) {
		ks3_http_respond(x, info->status, NULL, 0);
		return 0;
	}
	ks3_xml_init(&doc, 65536);
	ks3_s3_error_xml(&doc, e);
	if (ks3_xml_take(&doc, &buf, &len)) {
		ks3_http_respond(x, info->status, NULL, 0);
		return 0;
	}
	ks3_http_add_field(x, "Content-Type", "application/xml");
	ks3_http_respond(x, info->status, buf, len);
	return 0;
}

int ks3_s3_error(struct ks3_s3_ctx *c, enum ks3_s3_err err, const char *msg)
{
	struct ks3_s3_error e = { .err = err, .message = msg };
	struct ks3_s3_request *r = &c->req;

	switch (err) {
	case KS3_S3_NO_SUCH_BUCKET:
	case KS3_S3_BUCKET_EXISTS:
	case KS3_S3_BUCKET_NOT_EMPTY:
	case KS3_S3_BUCKET_OWNED_BY_YOU:
		ks3_s3_error_add(&e, "BucketName", r->bucket, r->bucket_len);
		break;
	case KS3_S3_NO_SUCH_KEY:
		ks3_s3_error_add(&e, "Key", r->key, r->key_len);
		break;
	default:
		break;
	}
	return ks3_s3_error_full(c, &e);
}

enum ks3_s3_err ks3_s3_errno(int err)
{
	switch (err) {
	case 0:
		return KS3_S3_OK;
	case -ENOENT:
	case -ENXIO:
		return KS3_S3_NO_SUCH_BUCKET;
	case -EDQUOT:
		return KS3_S3_QUOTA_EXCEEDED;
	case -ENOSPC:
		return KS3_S3_STORAGE_FULL;
	case -EROFS:
		return KS3_S3_SERVICE_UNAVAILABLE;
	case -ENAMETOOLONG:
		return KS3_S3_KEY_TOO_LONG;
	case -EFBIG:
		return KS3_S3_ENTITY_TOO_LARGE;
	case -E2BIG:
		return KS3_S3_METADATA_TOO_LARGE;
	case -EEXIST:
	case -ESTALE:
		return KS3_S3_PRECONDITION_FAILED;
	case -EILSEQ:
		return KS3_S3_BAD_DIGEST;
	default:
		return KS3_S3_INTERNAL_ERROR;
	}
}

int ks3_s3_caps(struct ks3_s3_ctx *c, const char *name, size_t len)
{
	struct ks3_store *s = c->store;
	struct ks3_bucket *b;
	struct ks3_key *k;
	int caps;

	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, name, len);
	if (!b) {
		caps = -ENOENT;
	} else {
		k = xa_load(&s->keys_by_id, c->key_id);
		if (!k || !(k->flags & KS3_KEY_ENABLED))
			caps = 0;
		else if (b->owner_key == c->key_id)
			caps = KS3_CAP_ALL;
		else
			caps = ks3_key_caps(s, k, b->id);
	}
	up_read(&s->meta_lock);
	return caps;
}

/*
 * SigV4 signing keys, one small cache per CPU (s3/sigv4.h): a request
 * derives its key once per CPU, access key and day, and no lock or shared
 * cache line is touched on the way. NULL before ks3_s3_init().
 */
static struct ks3_sigv4_key_cache __percpu *ks3_s3_key_caches;

static struct ks3_sigv4_key_cache *ks3_s3_key_cache_get(void *arg)
{
	if (!ks3_s3_key_caches)
		return NULL;
	return get_cpu_ptr(ks3_s3_key_caches);
}

static void ks3_s3_key_cache_put(void *arg, struct ks3_sigv4_key_cache *c)
{
	put_cpu_ptr(ks3_s3_key_caches);
}

/* On the CPU it wipes: never inside that CPU's get/put section. */
static void ks3_s3_key_cache_flush_cpu(struct work_struct *work)
{
	ks3_sigv4_key_cache_clear(get_cpu_ptr(ks3_s3_key_caches));
	put_cpu_ptr(ks3_s3_key_caches);
}

/*
 * schedule_on_each_cpu() by hand (it is not exported): a work item on
 * each online CPU's bound worker, then the offline CPUs directly, all
 * under cpus_read_lock() so that none changes state meanwhile.
 */
void ks3_s3_key_cache_flush(void)
{
	struct work_struct __percpu *works;
	int cpu;

	if (!ks3_s3_key_caches)
		return;
	works = alloc_percpu(struct work_struct);
	if (!works) {
		pr_warn("cannot wipe the SigV4 key caches: out of memory\n");
		return;
	}
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		INIT_WORK(per_cpu_ptr(works, cpu), ks3_s3_key_cache_flush_cpu);
		queue_work_on(cpu, system_wq, per_cpu_ptr(works, cpu));
	}
	for_each_possible_cpu(cpu) {
		if (cpu_online(cpu))
			flush_work(per_cpu_ptr(works, cpu));
		else
			ks3_sigv4_key_cache_clear(per_cpu_ptr(ks3_s3_key_caches,
							      cpu));
	}
	cpus_read_unlock();
	free_percpu(works);
}

/*
 * Request contexts (20 KiB) come from a cache of their own. Its constructor
 * does nothing, but having one makes slab skip init_on_alloc's clearing of
 * the whole object: begin() clears what must start at zero.
 */
static struct kmem_cache *ks3_s3_ctx_cache;

static void ks3_s3_ctx_ctor(void *p)
{
}

int ks3_s3_init(void)
{
	ks3_s3_ctx_cache = kmem_cache_create("ks3_s3_ctx",
					     sizeof(struct ks3_s3_ctx),
					     __alignof__(struct ks3_s3_ctx), 0,
					     ks3_s3_ctx_ctor);
	if (!ks3_s3_ctx_cache)
		return -ENOMEM;
	ks3_s3_key_caches = alloc_percpu(struct ks3_sigv4_key_cache);
	if (!ks3_s3_key_caches) {
		kmem_cache_destroy(ks3_s3_ctx_cache);
		return -ENOMEM;
	}
	return 0;
}

void ks3_s3_exit(void)
{
	int cpu;

	kmem_cache_destroy(ks3_s3_ctx_cache);
	if (!ks3_s3_key_caches)
		return;
	/* the entries hold secrets */
	for_each_possible_cpu(cpu)
		ks3_sigv4_key_cache_clear(per_cpu_ptr(ks3_s3_key_caches, cpu));
	free_percpu(ks3_s3_key_caches);
	ks3_s3_key_caches = NULL;
}

/* The keystore lookup SigV4 verification calls (may sleep). */
static int ks3_s3_get_secret(void *arg, const char *akid, size_t akid_len,
			     char *secret, size_t size)
{
	struct ks3_s3_ctx *c = arg;
	struct ks3_store *s = c->store;
	struct ks3_key *k;
	int ret;

	down_read(&s->meta_lock);
	k = ks3_key_find_n(s, akid, akid_len);
	if (!k || !(k->flags & KS3_KEY_ENABLED)) {
		ret = -ENOENT;
	} else {
		ret = strnlen(k->secret_key, sizeof(k->secret_key));
		if (ret > size) {
			ret = -ENOSPC;
		} else {
			memcpy(secret, k->secret_key, ret);
			c->key_id = k->id;
		}
	}
	up_read(&s->meta_lock);
	return ret;
}

static enum ks3_s3_err ks3_s3_sigv4_err(enum ks3_sigv4_err e)
{
	switch (e) {
	case KS3_SIGV4_MALFORMED:
	case KS3_SIGV4_WRONG_REGION:
		return KS3_S3_AUTH_HEADER_MALFORMED;
	case KS3_SIGV4_QUERY_MALFORMED:
		return KS3_S3_AUTH_QUERY_ERROR;
	case KS3_SIGV4_QUERY_WRONG_REGION:
		return KS3_S3_AUTH_QUERY_REGION;
	case KS3_SIGV4_UNSUPPORTED:
	case KS3_SIGV4_BOTH_AUTH:
	case KS3_SIGV4_BAD_CONTENT_SHA256:
		return KS3_S3_INVALID_ARGUMENT;
	case KS3_SIGV4_TOKEN_UNSUPPORTED:
		return KS3_S3_INVALID_TOKEN;
	case KS3_SIGV4_NO_AUTH:
	case KS3_SIGV4_NO_DATE:
	case KS3_SIGV4_EXPIRED:
	case KS3_SIGV4_NOT_YET_VALID:
	case KS3_SIGV4_UNSIGNED_HEADER:
		return KS3_S3_ACCESS_DENIED;
	case KS3_SIGV4_SKEWED:
		return KS3_S3_REQUEST_TIME_SKEWED;
	case KS3_SIGV4_NO_CONTENT_SHA256:
		return KS3_S3_INVALID_REQUEST;
	case KS3_SIGV4_INVALID_ACCESS_KEY:
		return KS3_S3_INVALID_ACCESS_KEY;
	case KS3_SIGV4_SIGNATURE_MISMATCH:
		return KS3_S3_SIGNATURE_MISMATCH;
	case KS3_SIGV4_CONTENT_SHA256_MISMATCH:
		return KS3_S3_SHA256_MISMATCH;
	case KS3_SIGV4_BAD_DATE:
		return KS3_S3_AUTH_HEADER_MALFORMED;
	default:
		return KS3_S3_INTERNAL_ERROR;
	}
}

/* Operations that take their whole body in before they change anything. */
static bool ks3_s3_reads_body_first(enum ks3_s3_op op)
{
	switch (op) {
	case KS3_S3OP_CREATE_BUCKET:
	case KS3_S3OP_PUT_OBJECT:
	case KS3_S3OP_DELETE_OBJECTS:
	case KS3_S3OP_UPLOAD_PART:
	case KS3_S3OP_COMPLETE_MULTIPART:
		return true;
	default:
		return false;
	}
}

static void ks3_s3_sigv4_params(struct ks3_s3_ctx *c,
				struct ks3_sigv4_params *p)
{
	memset(p, 0, sizeof(*p));
	p->region = c->cfg.region;
	p->service = "s3";
	p->now = c->now;
	p->get_secret = ks3_s3_get_secret;
	p->key_cache_get = ks3_s3_key_cache_get;
	p->key_cache_put = ks3_s3_key_cache_put;
	p->arg = c;
}

/*
 * At the end of a body whose SHA-256 was computed (@sum): does it match
 * what the client signed? KS3_S3_OK, or the error to answer.
 */
enum ks3_s3_err ks3_s3_check_payload(struct ks3_s3_ctx *c, const u8 *sum)
{
	char hex[2 * KS3_SHA256_SIZE + 1];
	struct ks3_sigv4_params p;
	enum ks3_sigv4_err ret;

	if (!c->auth.deferred)
		return ks3_sigv4_check_payload(&c->auth, sum) == KS3_SIGV4_OK ?
		       KS3_S3_OK : KS3_S3_SHA256_MISMATCH;
	/* The signature was left for now: the body's hash is its payload. */
	ks3_hex_encode(hex, sum, KS3_SHA256_SIZE);
	hex[2 * KS3_SHA256_SIZE] = '\0';
	ks3_s3_sigv4_params(c, &p);
	p.default_payload = hex;
	ret = ks3_sigv4_verify(&c->auth, &c->x->req, &p);
	return ret == KS3_SIGV4_OK ? KS3_S3_OK : ks3_s3_sigv4_err(ret);
}

/* Authenticates the request; 0, or responded with the error. */
static int ks3_s3_authenticate(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *hr = &c->x->req;
	struct ks3_sigv4_params p;
	struct ks3_s3_error e = { };
	bool has_body;
	char msg[160];
	enum ks3_sigv4_err ret;

	ks3_s3_sigv4_params(c, &p);
	/*
	 * S3 requires x-amz-content-sha256 with header auth; curl before 8.0
	 * signs without sending it. Accept that: the empty body's hash when
	 * there is no body, else, for the operations that read their whole
	 * body before they change anything, the signature is checked at the
	 * body's end (ks3_s3_check_payload()).
	 */
	has_body = hr->chunked || (hr->has_length && hr->content_length);
	/* Presigned requests are UNSIGNED-PAYLOAD: none of this applies. */
	if (ks3_http_field_find(hr, "authorization")) {
		if (!has_body)
			p.default_payload = KS3_SIGV4_EMPTY_SHA256;
		else
			p.defer_unhashed = ks3_s3_reads_body_first(c->req.op);
	}
	ret = ks3_sigv4_verify(&c->auth, hr, &p);
	if (ret == KS3_SIGV4_OK) {
		c->authed = true;
		return 0;
	}
	e.err = ks3_s3_sigv4_err(ret);
	e.message = ks3_sigv4_err_info(ret)->message;
	if (ret == KS3_SIGV4_NO_AUTH)
		e.message = NULL;
	if (ret == KS3_SIGV4_BAD_DATE && c->auth.presigned)
		e.err = KS3_S3_AUTH_QUERY_ERROR;
	if (ret == KS3_SIGV4_WRONG_REGION ||
	    ret == KS3_SIGV4_QUERY_WRONG_REGION) {
		snprintf(msg, sizeof(msg), "%s; the region '%s' is wrong; expecting '%s'",
			 ret == KS3_SIGV4_WRONG_REGION ?
			 "The authorization header is malformed" :
			 "Error parsing the X-Amz-Credential parameter",
			 c->auth.region, c->cfg.region);
		e.message = msg;
		ks3_s3_error_add(&e, "Region", c->cfg.region,
				 strlen(c->cfg.region));
	}
	if (ret == KS3_SIGV4_INVALID_ACCESS_KEY ||
	    ret == KS3_SIGV4_SIGNATURE_MISMATCH)
		ks3_s3_error_add(&e, "AWSAccessKeyId", c->auth.akid,
				 c->auth.akid_len);
	if (ret == KS3_SIGV4_INTERNAL)
		pr_warn_ratelimited("SigV4 verification failed internally\n");
	return ks3_s3_error_full(c, &e);
}

/* The capability each operation needs on its bucket (0: none checked). */
static u32 ks3_s3_op_cap(enum ks3_s3_op op)
{
	switch (op) {
	case KS3_S3OP_LIST_OBJECTS:
	case KS3_S3OP_LIST_OBJECTS_V2:
		return KS3_CAP_LIST;
	case KS3_S3OP_GET_OBJECT:
	case KS3_S3OP_HEAD_OBJECT:
	case KS3_S3OP_GET_OBJECT_TAGGING:
		return KS3_CAP_READ;
	case KS3_S3OP_PUT_OBJECT:
	case KS3_S3OP_DELETE_OBJECT:
	case KS3_S3OP_COPY_OBJECT:
	case KS3_S3OP_DELETE_OBJECTS:
	case KS3_S3OP_CREATE_MULTIPART:
	case KS3_S3OP_UPLOAD_PART:
	case KS3_S3OP_UPLOAD_PART_COPY:
	case KS3_S3OP_COMPLETE_MULTIPART:
	case KS3_S3OP_ABORT_MULTIPART:
	case KS3_S3OP_LIST_PARTS:
		return KS3_CAP_WRITE;
	case KS3_S3OP_LIST_MULTIPART_UPLOADS:
		return KS3_CAP_LIST;
	case KS3_S3OP_DELETE_BUCKET:
	case KS3_S3OP_GET_BUCKET_LOCATION:
		return KS3_CAP_OWNER;
	case KS3_S3OP_HEAD_BUCKET:
		return KS3_CAP_ALL;	/* any one of them */
	default:
		return 0;
	}
}

static int ks3_s3_dispatch(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	u32 need = ks3_s3_op_cap(r->op);
	int caps;

	if (need) {
		caps = ks3_s3_caps(c, r->bucket, r->bucket_len);
		if (caps < 0)
			return ks3_s3_error(c, KS3_S3_NO_SUCH_BUCKET, NULL);
		if (need == KS3_CAP_ALL ? !caps : (caps & need) != need)
			return ks3_s3_error(c, KS3_S3_ACCESS_DENIED, NULL);
	}
	switch (r->op) {
	case KS3_S3OP_LIST_BUCKETS:
		return ks3_s3_list_buckets(c);
	case KS3_S3OP_CREATE_BUCKET:
		return ks3_s3_create_bucket_begin(c);
	case KS3_S3OP_DELETE_BUCKET:
		return ks3_s3_delete_bucket(c);
	case KS3_S3OP_HEAD_BUCKET:
		return ks3_s3_head_bucket(c);
	case KS3_S3OP_GET_BUCKET_LOCATION:
		return ks3_s3_get_bucket_location(c);
	case KS3_S3OP_LIST_OBJECTS:
	case KS3_S3OP_LIST_OBJECTS_V2:
		return ks3_s3_list_objects(c);
	case KS3_S3OP_PUT_OBJECT:
		return ks3_s3_put_object_begin(c);
	case KS3_S3OP_GET_OBJECT:
	case KS3_S3OP_HEAD_OBJECT:
		return ks3_s3_get_object(c);
	case KS3_S3OP_DELETE_OBJECT:
		return ks3_s3_delete_object(c);
	case KS3_S3OP_UPLOAD_PART:
	case KS3_S3OP_COMPLETE_MULTIPART:
	case KS3_S3OP_DELETE_OBJECTS:
		/* bodies through the PUT pipeline */
		return ks3_s3_put_object_begin(c);
	case KS3_S3OP_COPY_OBJECT:
		return ks3_s3_copy_object(c);
	case KS3_S3OP_UPLOAD_PART_COPY:
		return ks3_s3_upload_part_copy(c);
	case KS3_S3OP_CREATE_MULTIPART:
		return ks3_s3_create_multipart(c);
	case KS3_S3OP_ABORT_MULTIPART:
		return ks3_s3_abort_multipart(c);
	case KS3_S3OP_LIST_PARTS:
		return ks3_s3_list_parts(c);
	case KS3_S3OP_LIST_MULTIPART_UPLOADS:
		return ks3_s3_list_uploads(c);
	case KS3_S3OP_GET_OBJECT_TAGGING:
		return ks3_s3_get_object_tagging(c);
	default:
		return ks3_s3_error(c, KS3_S3_NOT_IMPLEMENTED, NULL);
	}
}

/*
 * The signature of this request covers the hash of a body it did not
 * send (no x-amz-content-sha256): hold the body, bounded and charged to
 * the memory budget, and do nothing the request asks for before
 * ks3_s3_deferred_end() has checked it. AWS refuses such requests; ks3
 * takes small ones, for curl before 8.1.
 */
static int ks3_s3_deferred_begin(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *hr = &c->x->req;

	if (hr->chunked || !hr->has_length ||
	    hr->content_length > KS3_S3_DEFERRED_BODY_MAX) {
		c->x->close_after = true;
		return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
				    "Missing required header for this request: x-amz-content-sha256");
	}
	c->deferred_cap = hr->content_length;
	if (!ks3_http_mem_charge(&c->cfg.http, c->deferred_cap)) {
		c->deferred_cap = 0;
		return ks3_s3_error(c, KS3_S3_SLOW_DOWN, NULL);
	}
	c->deferred = kvmalloc(c->deferred_cap, GFP_KERNEL);
	if (!c->deferred)
		return ks3_s3_error(c, KS3_S3_SLOW_DOWN, NULL);
	c->body = KS3_S3_BODY_DEFERRED;
	return 0;
}

static int ks3_s3_body(struct ks3_exchange *x, const void *data, size_t len);
static int ks3_s3_end(struct ks3_exchange *x);

/* The whole body is in: check the signature, then run the request on it. */
static int ks3_s3_deferred_end(struct ks3_s3_ctx *c)
{
	u8 sum[KS3_SHA256_SIZE];
	enum ks3_s3_err err;
	int ret;

	if (c->deferred_len != c->deferred_cap)
		return ks3_s3_error(c, KS3_S3_INCOMPLETE_BODY, NULL);
	if (ks3_digest_oneshot(KS3_DIGEST_SHA256, c->deferred,
			       c->deferred_len, sum))
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	err = ks3_s3_check_payload(c, sum);
	if (err)
		return ks3_s3_error(c, err, NULL);
	/* Verified: the body is now as good as UNSIGNED-PAYLOAD. */
	c->auth.deferred = false;
	c->auth.payload = KS3_SIGV4_PAYLOAD_UNSIGNED;
	c->body = KS3_S3_BODY_NONE;
	ret = ks3_s3_dispatch(c);
	if (ret || c->x->responded)
		return ret;
	if (c->body == KS3_S3_BODY_NONE)
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	ret = ks3_s3_body(c->x, c->deferred, c->deferred_len);
	if (ret || c->x->responded)
		return ret;
	return ks3_s3_end(c->x);
}

static int ks3_s3_begin(struct ks3_exchange *x)
{
	struct ks3_s3_ctx *c;
	enum ks3_s3_err err;

	c = kmem_cache_alloc(ks3_s3_ctx_cache, GFP_KERNEL);
	if (!c) {
		ks3_http_respond(x, 503, NULL, 0);
		return 0;
	}
	/* ks3_s3_parse() sets every field of c->req it reads: skip 8 KiB. */
	memset(c, 0, offsetof(struct ks3_s3_ctx, req));
	memset((u8 *)c + offsetofend(struct ks3_s3_ctx, req), 0,
	       KS3_S3_CTX_CLEAR - offsetofend(struct ks3_s3_ctx, req));
	x->priv = c;
	c->x = x;
	c->now = ktime_get_real_seconds();
	ks3_server_get_config(x->srv, &c->cfg);

	err = ks3_s3_parse(&c->req, &x->req, c->cfg.vhost_domain);
	c->store = ks3_server_get_store(x->srv);
	if (!c->store)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE, NULL);
	/*
	 * A request malformed as S3 (a bad escape, an unknown method, a
	 * bad bucket name) is answered as such before authentication, as
	 * S3 does: the answer depends on nothing stored. Authentication
	 * comes before anything the request asks for.
	 */
	if (err)
		return ks3_s3_error(c, err, c->req.err_msg);
	if (ks3_s3_authenticate(c))
		return 0;
	if (x->responded)
		return 0;
	if (c->auth.deferred)
		return ks3_s3_deferred_begin(c);
	return ks3_s3_dispatch(c);
}

static int ks3_s3_body(struct ks3_exchange *x, const void *data, size_t len)
{
	struct ks3_s3_ctx *c = x->priv;

	switch (c->body) {
	case KS3_S3_BODY_SMALL:
		if (len > KS3_S3_SMALL_BODY_MAX - c->small_len) {
			ks3_s3_error(c, KS3_S3_MALFORMED_XML, NULL);
			return -EMSGSIZE;
		}
		memcpy(c->small + c->small_len, data, len);
		c->small_len += len;
		return 0;
	case KS3_S3_BODY_OBJECT:
	case KS3_S3_BODY_XML:
		return ks3_s3_put_object_body(c, data, len);
	case KS3_S3_BODY_DEFERRED:
		if (len > c->deferred_cap - c->deferred_len) {
			ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
				     "More body than the Content-Length.");
			return -EMSGSIZE;
		}
		memcpy(c->deferred + c->deferred_len, data, len);
		c->deferred_len += len;
		return 0;
	default:
		return 0;
	}
}

static void *ks3_s3_body_buf(struct ks3_exchange *x, size_t *len)
{
	return ks3_s3_put_object_room(x->priv, len);
}

static int ks3_s3_body_recvd(struct ks3_exchange *x, const void *data,
			     size_t len)
{
	return ks3_s3_put_object_filled(x->priv, data, len);
}

static int ks3_s3_end(struct ks3_exchange *x)
{
	struct ks3_s3_ctx *c = x->priv;

	switch (c->body) {
	case KS3_S3_BODY_SMALL:
		return ks3_s3_create_bucket_end(c);
	case KS3_S3_BODY_OBJECT:
	case KS3_S3_BODY_XML:
		return ks3_s3_put_object_end(c);
	case KS3_S3_BODY_DEFERRED:
		return ks3_s3_deferred_end(c);
	default:
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	}
}

static void ks3_s3_release(struct ks3_exchange *x)
{
	struct ks3_s3_ctx *c = x->priv;

	if (!c)
		return;
	ks3_s3_object_release(c);
	kfree(c->small);
	kvfree(c->xbody);
	ks3_http_mem_uncharge(c->xbody_cap);
	kvfree(c->deferred);
	if (c->deferred_cap)
		ks3_http_mem_uncharge(c->deferred_cap);
	if (c->store)
		ks3_server_put_store(x->srv);
	memzero_explicit(&c->auth.stream, sizeof(c->auth.stream));
	kmem_cache_free(ks3_s3_ctx_cache, c);
	x->priv = NULL;
}

/*
 * Errors the connection found itself (an unparsable head, a handler bug):
 * an S3 error document with a request id like every other answer.
 */
static void ks3_s3_conn_error(struct ks3_exchange *x, u16 status)
{
	struct ks3_s3_error e = { .request_id = x->id, .resource = "" };
	const struct ks3_s3_error_info *info;
	char rid[17];
	struct ks3_xml doc;
	void *buf;
	size_t len;

	switch (status) {
	case 431:
		e.err = KS3_S3_HEADER_TOO_LARGE;
		break;
	case 414:
		e.err = KS3_S3_URI_TOO_LONG;
		break;
	case 501:
		e.err = KS3_S3_NOT_IMPLEMENTED;
		e.message = "A header you provided implies functionality that is not implemented.";
		break;
	case 505:
		e.err = KS3_S3_HTTP_VERSION;
		break;
	case 400:
		e.err = KS3_S3_BAD_REQUEST;
		break;
	default:
		e.err = KS3_S3_INTERNAL_ERROR;
		break;
	}
	info = ks3_s3_error_info(e.err);
	ks3_s3_request_id(x->id, rid);
	ks3_http_add_field(x, "x-amz-request-id", "%s", rid);
	ks3_http_add_field(x, "x-amz-id-2", "%s", rid);
	ks3_xml_init(&doc, 4096);
	ks3_s3_error_xml(&doc, &e);
	if (ks3_xml_take(&doc, &buf, &len)) {
		ks3_http_respond(x, info->status, NULL, 0);
		return;
	}
	ks3_http_add_field(x, "Content-Type", "application/xml");
	ks3_http_respond(x, info->status, buf, len);
}

const struct ks3_http_handler ks3_s3_handler = {
	.begin = ks3_s3_begin,
	.body = ks3_s3_body,
	.body_buf = ks3_s3_body_buf,
	.body_recvd = ks3_s3_body_recvd,
	.end = ks3_s3_end,
	.release = ks3_s3_release,
	.error = ks3_s3_conn_error,
};
