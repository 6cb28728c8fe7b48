// SPDX-License-Identifier: GPL-2.0
/*
 * Object operations: PutObject (the body pipeline: aws-chunked decoding
 * with chunk signatures, SHA-256 of signed payloads, Content-MD5 and
 * x-amz-checksum-* from a header or the trailer, then storage), GetObject
 * and HeadObject (conditionals, Range, response-* overrides, streaming),
 * DeleteObject.
 *
 * A PUT whose body fails any check is aborted: the writer's blocks go
 * back to free space and nothing becomes visible. Content-MD5 is checked
 * by storage against the MD5 it computes for the ETag anyway (struct
 * ks3_put_cond's content_md5), so the body is hashed with MD5 only once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "storage/cache.h"
#include "storage/store.h"
#include "s3/ops.h"

static bool ks3_s3_field_is(const struct ks3_http_field *f, const char *l,
			    size_t len)
{
	size_t i;

	if (f->name_len < len)
		return false;
	for (i = 0; i < len; i++) {
		char ch = f->name[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = ch - 'A' + 'a';
		if (ch != l[i])
			return false;
	}
	return true;
}

/* The first 32 hex digits of an ETag (quotes and a "-N" suffix allowed). */
static bool ks3_s3_etag_md5(const char *v, size_t len, u8 md5[16])
{
	if (len >= 2 && v[0] == '"' && v[len - 1] == '"') {
		v++;
		len -= 2;
	}
	if (len < 32 || (len > 32 && v[32] != '-'))
		return false;
	return !ks3_hex_decode(md5, v, 16, false);
}

static const char ks3_s3_one_cksum[] =
	"Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.";

/* Sets up checksum verification from the headers; KS3_S3_OK or why not. */
static enum ks3_s3_err ks3_s3_put_checksum(struct ks3_s3_ctx *c,
					   const char **msg)
{
	const struct ks3_http_request *h = &c->x->req;
	const struct ks3_http_field *f;
	enum ks3_cksum_alg alg = KS3_CKSUM_NONE, a;
	unsigned int i;

	for (i = 0; i < h->nr_fields && i < KS3_HTTP_FIELDS_MAX; i++) {
		f = &h->fields[i];
		if (!ks3_s3_field_is(f, "x-amz-checksum-", 15))
			continue;
		a = ks3_cksum_from_header(f->name, f->name_len);
		if (a == KS3_CKSUM_NONE)
			continue;
		if (alg != KS3_CKSUM_NONE) {
			*msg = ks3_s3_one_cksum;
			return KS3_S3_INVALID_REQUEST;
		}
		if (!ks3_cksum_valid_b64(a, f->value, f->value_len)) {
			*msg = "Value for x-amz-checksum header is invalid.";
			return KS3_S3_INVALID_REQUEST;
		}
		alg = a;
		c->cksum_value = f->value;
		c->cksum_value_len = f->value_len;
	}
	f = ks3_http_field_find(h, "x-amz-trailer");
	if (f && f->value_len) {
		if (!c->chunked ||
		    !(c->auth.payload == KS3_SIGV4_PAYLOAD_STREAMING_TRAILER ||
		      c->auth.payload ==
		      KS3_SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER)) {
			*msg = "The x-amz-trailer header needs a STREAMING-*-TRAILER payload.";
			return KS3_S3_INVALID_REQUEST;
		}
		a = ks3_cksum_from_header(f->value, f->value_len);
		if (a == KS3_CKSUM_NONE) {
			*msg = "The value specified in the x-amz-trailer header is not supported";
			return KS3_S3_INVALID_REQUEST;
		}
		if (alg != KS3_CKSUM_NONE) {
			*msg = ks3_s3_one_cksum;
			return KS3_S3_INVALID_REQUEST;
		}
		alg = a;
		c->cksum_trailer = true;
	}
	if (ks3_cksum_init(&c->cksum, alg)) {
		*msg = NULL;
		return KS3_S3_INTERNAL_ERROR;
	}
	return KS3_S3_OK;
}

/* Preconditions and Content-MD5 of a PUT. */
static enum ks3_s3_err ks3_s3_put_conds(struct ks3_s3_ctx *c,
					const char **msg)
{
	const struct ks3_http_request *h = &c->x->req;
	const struct ks3_http_field *f;

	f = ks3_http_field_find(h, "content-md5");
	if (f) {
		if (ks3_base64_decode(c->md5, sizeof(c->md5), f->value,
				      f->value_len) != sizeof(c->md5))
			return KS3_S3_INVALID_DIGEST;
		c->has_md5 = true;
	}
	f = ks3_http_field_find(h, "if-none-match");
	if (f) {
		if (f->value_len != 1 || f->value[0] != '*') {
			*msg = "If-None-Match on PUT supports only '*'.";
			return KS3_S3_NOT_IMPLEMENTED;
		}
		c->if_none_match = true;
	}
	f = ks3_http_field_find(h, "if-match");
	if (f) {
		/* An ETag that cannot be ours never matches: 412. */
		if (!ks3_s3_etag_md5(f->value, f->value_len, c->if_match))
			return KS3_S3_PRECONDITION_FAILED;
		c->has_if_match = true;
	}
	return KS3_S3_OK;
}

int ks3_s3_put_object_begin(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *h = &c->x->req;
	struct ks3_s3_request *r = &c->req;
	bool chunked = ks3_sigv4_payload_chunked(c->auth.payload);
	/* UploadPart, Complete and DeleteObjects bodies take this path too. */
	bool xml = r->op == KS3_S3OP_COMPLETE_MULTIPART ||
		   r->op == KS3_S3OP_DELETE_OBJECTS;
	bool other = xml || r->op == KS3_S3OP_UPLOAD_PART;
	const char *msg = NULL;
	enum ks3_s3_err err;
	int ret;

	c->body_max = xml ? KS3_S3_XML_BODY_MAX : KS3_S3_PUT_MAX;
	if (!h->has_length && !h->chunked)
		return ks3_s3_error(c, KS3_S3_MISSING_CONTENT_LENGTH, NULL);
	if (chunked) {
		if (!c->auth.has_decoded_length)
			return ks3_s3_error(c, KS3_S3_MISSING_CONTENT_LENGTH,
					    "You must provide the x-amz-decoded-content-length header.");
		c->expect_len = c->auth.decoded_length;
		c->expect_known = true;
	} else if (h->has_length) {
		c->expect_len = h->content_length;
		c->expect_known = true;
	}
	if (c->expect_known && c->expect_len > c->body_max)
		return ks3_s3_error(c, xml ? KS3_S3_MALFORMED_XML :
				    KS3_S3_ENTITY_TOO_LARGE, NULL);
	if (ks3_http_field_find(h, "x-amz-server-side-encryption-customer-algorithm"))
		return ks3_s3_error(c, KS3_S3_NOT_IMPLEMENTED,
				    "Server-side encryption is not supported.");

	c->meta = &c->meta_space;
	if (other) {
		memset(c->meta, 0, sizeof(*c->meta));
	} else {
		err = ks3_meta_from_request(h, c->meta);
		if (err)
			return ks3_s3_error(c, err, NULL);
	}
	err = ks3_s3_put_conds(c, &msg);
	if (err)
		return ks3_s3_error(c, err, msg);

	if (chunked) {
		struct ks3_aws_chunked_params p = {
			.stream = ks3_sigv4_payload_chunk_signed(c->auth.payload) ?
				  &c->auth.stream : NULL,
			.trailer = c->auth.payload ==
				   KS3_SIGV4_PAYLOAD_STREAMING_TRAILER ||
				   c->auth.payload ==
				   KS3_SIGV4_PAYLOAD_STREAMING_UNSIGNED_TRAILER,
			.decoded_length = c->auth.decoded_length,
		};
		const struct ks3_http_field *t;

		t = ks3_http_field_find(h, "x-amz-trailer");
		if (t) {
			p.allowed = t->value;
			p.allowed_len = t->value_len;
		}
		c->chunked = kmalloc(sizeof(*c->chunked), GFP_KERNEL);
		if (!c->chunked)
			return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
					    "Out of memory, please retry.");
		ks3_aws_chunked_init(c->chunked, &p);
	}
	err = ks3_s3_put_checksum(c, &msg);
	if (err)
		return ks3_s3_error(c, err, msg);
	if (c->auth.payload == KS3_SIGV4_PAYLOAD_SHA256) {
		if (ks3_digest_init(&c->sha256, KS3_DIGEST_SHA256))
			return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		c->sha256_on = true;
	}
	if (other)
		return ks3_s3_sink_begin(c);
	ret = ks3_object_write_begin(c->store, r->bucket, r->bucket_len,
				     r->key, r->key_len,
				     c->expect_known ? c->expect_len : 0,
				     &c->writer);
	if (ret) {
		c->writer = NULL;
		if (ret == -EROFS)
			return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
					    "The store is read-only.");
		return ks3_s3_error(c, ks3_s3_errno(ret), NULL);
	}
	c->body = KS3_S3_BODY_OBJECT;
	return 0;
}

/*
 * Decoded object bytes: hash, checksum, store. 0 or responded. @in_place:
 * the bytes are already in the writer's buffer (ks3_s3_put_object_room()).
 */
static int ks3_s3_put_feed(struct ks3_s3_ctx *c, const u8 *d, size_t n,
			   bool in_place)
{
	int ret;

	if (!n)
		return 0;
	if (n > c->body_max - c->received) {
		ks3_s3_error(c, c->body == KS3_S3_BODY_XML ?
			     KS3_S3_MALFORMED_XML : KS3_S3_ENTITY_TOO_LARGE,
			     NULL);
		return -EFBIG;
	}
	c->received += n;
	if (c->expect_known && c->received > c->expect_len) {
		ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
			     "More data than the declared length.");
		return -EMSGSIZE;
	}
	if (c->sha256_on && ks3_digest_update(&c->sha256, d, n))
		goto internal;
	if (ks3_cksum_update(&c->cksum, d, n))
		goto internal;
	if (c->body == KS3_S3_BODY_XML)
		return ks3_s3_xbody_append(c, d, n);
	if (in_place)
		ret = ks3_object_write_done(c->writer, n);
	else
		ret = ks3_object_write(c->writer, d, n);
	if (ret) {
		if (ret == -EROFS)
			ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				     "The store is read-only.");
		else
			ks3_s3_error(c, ks3_s3_errno(ret), NULL);
		return ret;
	}
	return 0;
internal:
	ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	return -EIO;
}

static int ks3_s3_chunked_error(struct ks3_s3_ctx *c, int ret)
{
	switch (ret) {
	case -EKEYREJECTED:
		ks3_s3_error(c, KS3_S3_SIGNATURE_MISMATCH, NULL);
		break;
	case -EBADMSG:
	case -ERANGE:
		ks3_s3_error(c, KS3_S3_INCOMPLETE_BODY, NULL);
		break;
	case -EMSGSIZE:
	case -EPROTO:
		ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
			     "The aws-chunked body is malformed.");
		break;
	default:
		ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		break;
	}
	return ret < 0 ? ret : -EIO;
}

int ks3_s3_put_object_body(struct ks3_s3_ctx *c, const u8 *data, size_t len)
{
	const u8 *d;
	size_t used, dl;
	int ret, ret2;

	if (!c->chunked)
		return ks3_s3_put_feed(c, data, len, false);
	while (len) {
		if (c->chunked_done) {
			ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
				     "Data after the end of the aws-chunked body.");
			return -EMSGSIZE;
		}
		ret = ks3_aws_chunked_decode(c->chunked, data, len, &used, &d,
					     &dl);
		if (ret < 0)
			return ks3_s3_chunked_error(c, ret);
		if (used > len)
			return ks3_s3_chunked_error(c, -EIO);
		ret2 = ks3_s3_put_feed(c, d, dl, false);
		if (ret2)
			return ret2;
		data += used;
		len -= used;
		if (ret == 1)
			c->chunked_done = true;
		else if (!used)
			break;		/* the decoder wants more input */
	}
	return 0;
}

/*
 * Room in the object writer's buffer for the next bytes of a plain
 * (not aws-chunked) object body, so the connection receives them there
 * without a copy; NULL to have them through ks3_s3_put_object_body().
 */
void *ks3_s3_put_object_room(struct ks3_s3_ctx *c, size_t *len)
{
	void *buf;

	if (c->body != KS3_S3_BODY_OBJECT || c->chunked || !c->writer)
		return NULL;
	/* An error shows, and is answered, at the next ks3_object_write(). */
	if (ks3_object_write_space(c->writer, &buf, len))
		return NULL;
	return buf;
}

/* @len bytes landed in the room ks3_s3_put_object_room() gave. */
int ks3_s3_put_object_filled(struct ks3_s3_ctx *c, const u8 *data,
			     size_t len)
{
	return ks3_s3_put_feed(c, data, len, true);
}

/* The checksum check at the end; KS3_S3_OK or the error to answer. */
static enum ks3_s3_err ks3_s3_put_check_cksum(struct ks3_s3_ctx *c,
					      const char **msg)
{
	enum ks3_cksum_alg alg = c->cksum.alg;
	const char *v = c->cksum_value;
	size_t vlen = c->cksum_value_len;
	u8 raw[KS3_CKSUM_MAX_SIZE];
	int n;

	if (alg == KS3_CKSUM_NONE)
		return KS3_S3_OK;
	n = ks3_cksum_final(&c->cksum, raw);
	if (n < 0)
		return KS3_S3_INTERNAL_ERROR;
	if (c->cksum_compute)
		goto keep;
	if (c->cksum_trailer) {
		v = ks3_aws_chunked_trailer(c->chunked, ks3_cksum_header(alg),
					    &vlen);
		if (!v) {
			*msg = "The trailer named in x-amz-trailer is missing.";
			return KS3_S3_INVALID_REQUEST;
		}
		if (!ks3_cksum_valid_b64(alg, v, vlen)) {
			*msg = "Value for x-amz-checksum trailer is invalid.";
			return KS3_S3_INVALID_REQUEST;
		}
	}
	if (!ks3_cksum_matches(alg, raw, v, vlen)) {
		*msg = "The checksum you specified did not match the calculated checksum.";
		return KS3_S3_BAD_DIGEST;
	}
keep:
	c->meta->cksum_algo = alg;
	c->meta->cksum_len = n;
	memcpy(c->meta->cksum, raw, n);
	return KS3_S3_OK;
}

int ks3_s3_put_object_end(struct ks3_s3_ctx *c)
{
	struct ks3_put_cond cond = { };
	struct ks3_object_info info;
	const char *msg = NULL;
	char etag[KS3_ETAG_MAX];
	u8 sum[KS3_SHA256_SIZE];
	enum ks3_s3_err err;
	u8 *meta;
	ssize_t mlen;
	int ret;

	if (c->chunked && !c->chunked_done) {
		/* The decoder has seen the whole HTTP body: is it complete? */
		ret = ks3_aws_chunked_decode(c->chunked, (const u8 *)"", 0,
					     &(size_t){ 0 },
					     &(const u8 *){ NULL },
					     &(size_t){ 0 });
		if (ret != 1)
			return ks3_s3_error(c, KS3_S3_INCOMPLETE_BODY, NULL);
		c->chunked_done = true;
	}
	if (c->expect_known && c->received != c->expect_len)
		return ks3_s3_error(c, KS3_S3_INCOMPLETE_BODY, NULL);
	if (c->sha256_on) {
		c->sha256_on = false;
		if (ks3_digest_final(&c->sha256, sum))
			return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		err = ks3_s3_check_payload(c, sum);
		if (err)
			return ks3_s3_error(c, err, NULL);
	}
	err = ks3_s3_put_check_cksum(c, &msg);
	if (err)
		return ks3_s3_error(c, err, msg);
	if (c->req.op != KS3_S3OP_PUT_OBJECT)
		return ks3_s3_sink_end(c);

	meta = kmalloc(KS3_OBJECT_META_MAX, GFP_KERNEL);
	if (!meta)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "Out of memory, please retry.");
	mlen = ks3_meta_encode(c->meta, meta, KS3_OBJECT_META_MAX);
	if (mlen < 0) {
		kfree(meta);
		return ks3_s3_error(c, KS3_S3_METADATA_TOO_LARGE, NULL);
	}
	cond.if_none_match = c->if_none_match;
	cond.if_match = c->has_if_match ? c->if_match : NULL;
	cond.content_md5 = c->has_md5 ? c->md5 : NULL;
	ret = ks3_object_write_commit(c->writer, meta, mlen, &cond, &info);
	c->writer = NULL;		/* freed whatever happened */
	kfree(meta);
	if (ret == -EROFS)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (ret) {
		err = ks3_s3_errno(ret);
		if (err == KS3_S3_INTERNAL_ERROR)
			pr_warn_ratelimited("put %s: %d\n", c->req.bucket, ret);
		return ks3_s3_error(c, err, NULL);
	}
	ks3_s3_add_common(c);
	ks3_etag(info.etag, 0, etag);
	ks3_http_add_field(c->x, "ETag", "%s", etag);
	if (c->meta->cksum_algo != KS3_CKSUM_NONE) {
		char b64[KS3_CKSUM_B64_MAX + 1];

		ks3_base64_encode(b64, c->meta->cksum, c->meta->cksum_len);
		ks3_http_add_field(c->x, ks3_cksum_header(c->meta->cksum_algo),
				   "%s", b64);
	}
	ks3_http_respond(c->x, 200, NULL, 0);
	return 0;
}

/* ---- GET and HEAD ---- */

/*
 * The cached chunk holding byte @pos of the object, referenced, and the
 * object offset it starts at: the read-ahead chunk if that is the one.
 */
static struct ks3_chunk *ks3_s3_chunk_at(struct ks3_s3_ctx *c, u64 pos,
					 u64 *start)
{
	const struct ks3_object *obj = c->obj;
	const struct ks3_segment *seg;
	struct ks3_chunk *ch;
	u32 i = 0;
	u64 in;

	while (i < obj->nr_segments && pos >= obj->seg[i].offset +
	       obj->seg[i].size)
		i++;
	if (i == obj->nr_segments)
		return ERR_PTR(-EIO);
	seg = &obj->seg[i];
	in = round_down(pos - seg->offset, (u64)KS3_CHUNK_SIZE);
	*start = seg->offset + in;
	if (c->get_next && c->get_next_off == *start) {
		ch = c->get_next;
		c->get_next = NULL;
		return ch;
	}
	return ks3_cache_get(c->store, seg, in >> KS3_CHUNK_SHIFT);
}

/*
 * GET bodies go from cached, verified chunks to the socket: the pages of
 * the chunk holding byte @off of the response, while the next chunk is
 * read ahead.
 */
static int ks3_s3_pages(struct ks3_exchange *x, u64 off,
			struct ks3_http_pages *p)
{
	struct ks3_s3_ctx *c = x->priv;
	u64 pos = c->range_first + off;
	u64 end = c->range_first + c->src.length;
	u64 next, in;
	struct ks3_chunk *ch;
	int ret;

	if (pos >= end)
		return -EIO;
	if (c->get_cur && pos >= c->get_cur_off &&
	    pos < c->get_cur_off + c->get_cur->len) {
		ch = c->get_cur;
	} else {
		if (c->get_cur)
			ks3_chunk_put(c->store, c->get_cur);
		c->get_cur = NULL;
		ch = ks3_s3_chunk_at(c, pos, &c->get_cur_off);
		if (IS_ERR(ch)) {
			ret = PTR_ERR(ch);
			goto err;
		}
		c->get_cur = ch;
	}
	/* No byte of a chunk that failed its crc check reaches the client. */
	ret = ks3_chunk_wait(c->store, ch);
	if (ret)
		goto err;

	next = c->get_cur_off + ch->len;
	if (next < end && !c->get_next) {
		struct ks3_chunk *ahead = ks3_s3_chunk_at(c, next,
							  &c->get_next_off);

		/* Read-ahead is best effort: the next call retries. */
		if (!IS_ERR(ahead))
			c->get_next = ahead;
	}

	in = pos - c->get_cur_off;
	p->bv = ch->bv;
	p->nr = ch->nr_pages;
	p->skip = in;
	p->len = min_t(u64, ch->len - in, end - pos);
	return 0;
err:
	/* Keys come from clients: escaped, never raw, in the log. */
	pr_err_ratelimited("read of %s/%*pE failed: %d\n", c->req.bucket,
			   (int)min_t(u16, c->req.key_len, 64), c->req.key,
			   ret);
	return ret;
}

/* A response-* override: no control bytes may reach a header. */
static int ks3_s3_override(struct ks3_s3_ctx *c, const char *param,
			   char *buf, size_t size)
{
	ssize_t n = ks3_s3_param(&c->req, param, buf, size);
	ssize_t i;

	if (n == -ENOENT)
		return -ENOENT;
	if (n < 0)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (((u8)buf[i] < 0x20 && buf[i] != '\t') || buf[i] == 0x7f)
			return -EINVAL;
	return n;
}

static const char *const ks3_s3_override_params[KS3_META_NR_STD] = {
	[KS3_META_CONTENT_TYPE] = "response-content-type",
	[KS3_META_CONTENT_ENCODING] = "response-content-encoding",
	[KS3_META_CONTENT_DISPOSITION] = "response-content-disposition",
	[KS3_META_CONTENT_LANGUAGE] = "response-content-language",
	[KS3_META_CACHE_CONTROL] = "response-cache-control",
	[KS3_META_EXPIRES] = "response-expires",
};

/* The headers of a GET/HEAD that come from the metadata; 0 or responded. */
static int ks3_s3_meta_headers(struct ks3_s3_ctx *c, bool full)
{
	struct ks3_meta *m = c->meta;
	struct ks3_exchange *x = c->x;
	const struct ks3_http_field *f;
	char *tmp = c->enc;
	unsigned int i;
	int n;

	for (i = 0; i < KS3_META_NR_STD; i++) {
		n = -ENOENT;
		if (x->req.method == KS3_HTTP_GET)
			n = ks3_s3_override(c, ks3_s3_override_params[i], tmp,
					    sizeof(c->enc));
		if (n == -EINVAL)
			return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
					    "A response-* parameter is invalid.");
		if (n >= 0) {
			ks3_http_add_field(x, ks3_meta_std_names[i], "%.*s", n,
					   tmp);
		} else if (m->std[i].len) {
			ks3_http_add_field(x, ks3_meta_std_names[i], "%.*s",
					   m->std[i].len, m->std[i].p);
		} else if (i == KS3_META_CONTENT_TYPE) {
			/* What AWS answers for an object stored without. */
			ks3_http_add_field(x, "Content-Type",
					   "binary/octet-stream");
		}
	}
	for (i = 0; i < m->nr_user && i < KS3_META_USER_MAX; i++) {
		const struct ks3_meta_user *u = &m->user[i];
		char name[12 + 256];

		memcpy(name, "x-amz-meta-", 11);
		memcpy(name + 11, u->name, u->name_len);
		name[11 + u->name_len] = '\0';
		ks3_http_add_field(x, name, "%.*s", u->value_len, u->value);
	}
	if (full && m->cksum_algo != KS3_CKSUM_NONE) {
		f = ks3_http_field_find(&x->req, "x-amz-checksum-mode");
		if (f && f->value_len == 7 && !strncasecmp(f->value, "ENABLED", 7)) {
			char b64[KS3_CKSUM_B64_MAX + 1];

			ks3_base64_encode(b64, m->cksum, m->cksum_len);
			ks3_http_add_field(x, ks3_cksum_header(m->cksum_algo),
					   "%s", b64);
		}
	}
	return 0;
}

static void ks3_s3_cond_fields(const struct ks3_http_request *h,
			       struct ks3_cond *cd)
{
	const struct ks3_http_field *f;

	memset(cd, 0, sizeof(*cd));
	f = ks3_http_field_find(h, "if-match");
	if (f) {
		cd->if_match = f->value;
		cd->if_match_len = f->value_len;
	}
	f = ks3_http_field_find(h, "if-none-match");
	if (f) {
		cd->if_none_match = f->value;
		cd->if_none_match_len = f->value_len;
	}
	f = ks3_http_field_find(h, "if-modified-since");
	if (f) {
		cd->if_modified_since = f->value;
		cd->if_modified_since_len = f->value_len;
	}
	f = ks3_http_field_find(h, "if-unmodified-since");
	if (f) {
		cd->if_unmodified_since = f->value;
		cd->if_unmodified_since_len = f->value_len;
	}
}

int ks3_s3_get_object(struct ks3_s3_ctx *c)
{
	struct ks3_exchange *x = c->x;
	struct ks3_s3_request *r = &c->req;
	char date[KS3_HTTP_DATE_LEN + 1];
	const struct ks3_http_field *f;
	char etag[KS3_ETAG_MAX];
	struct ks3_object *obj;
	u64 first = 0, last = 0, length;
	size_t etag_len;
	struct ks3_cond cd;
	bool ranged = false;
	s64 mtime;
	int ret;

	obj = ks3_object_get(c->store, r->bucket, r->bucket_len, r->key,
			     r->key_len);
	if (IS_ERR(obj))
		return ks3_s3_error(c, PTR_ERR(obj) == -ENOENT ?
				    KS3_S3_NO_SUCH_KEY :
				    ks3_s3_errno(PTR_ERR(obj)), NULL);
	c->obj = obj;
	c->meta = &c->meta_space;
	if (ks3_meta_decode(obj->meta, obj->meta_len, c->meta)) {
		pr_err_ratelimited("object %s: bad metadata\n", r->bucket);
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	}
	etag_len = ks3_etag(obj->etag, obj->nr_parts, etag);
	mtime = div_u64(obj->mtime, NSEC_PER_SEC);
	ks3_http_date(mtime, date);

	ks3_s3_cond_fields(&x->req, &cd);
	ret = ks3_cond_eval(&cd, etag, etag_len, mtime);
	if (ret == 304) {
		ks3_http_add_field(x, "ETag", "%s", etag);
		ks3_http_add_field(x, "Last-Modified", "%s", date);
		return ks3_s3_error(c, KS3_S3_NOT_MODIFIED, NULL);
	}
	if (ret == 412)
		return ks3_s3_error(c, KS3_S3_PRECONDITION_FAILED, NULL);

	f = ks3_http_field_find(&x->req, "range");
	if (f) {
		ret = ks3_range_parse(f->value, f->value_len, obj->size,
				      &first, &last);
		if (ret < 0) {
			ks3_http_add_field(x, "Content-Range", "bytes */%llu",
					   obj->size);
			return ks3_s3_error(c, KS3_S3_INVALID_RANGE, NULL);
		}
		ranged = ret == 1;
	}
	if (!ranged) {
		first = 0;
		last = obj->size ? obj->size - 1 : 0;
	}
	length = obj->size ? last - first + 1 : 0;

	ks3_s3_add_common(c);
	ks3_http_add_field(x, "Last-Modified", "%s", date);
	ks3_http_add_field(x, "ETag", "%s", etag);
	ks3_http_add_field(x, "Accept-Ranges", "bytes");
	if (ranged)
		ks3_http_add_field(x, "Content-Range", "bytes %llu-%llu/%llu",
				   first, last, obj->size);
	if (obj->nr_parts)
		ks3_http_add_field(x, "x-amz-mp-parts-count", "%u",
				   obj->nr_parts);
	ret = ks3_s3_meta_headers(c, !ranged);
	if (ret || x->responded)
		return ret;
	if (x->req.method == KS3_HTTP_HEAD || !length) {
		ks3_http_respond(x, ranged ? 206 : 200, NULL,
				 x->req.method == KS3_HTTP_HEAD ? length : 0);
		return 0;
	}
	c->range_first = first;
	c->src.pages = ks3_s3_pages;
	c->src.length = length;
	ks3_http_respond_stream(x, ranged ? 206 : 200, &c->src);
	return 0;
}

int ks3_s3_delete_object(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	int ret;

	if (c->store->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	ret = ks3_object_delete(c->store, r->bucket, r->bucket_len, r->key,
				r->key_len);
	if (ret && ret != -ENOENT)
		return ks3_s3_error(c, ks3_s3_errno(ret), NULL);
	ks3_s3_add_common(c);
	ks3_http_respond(c->x, 204, NULL, 0);
	return 0;
}

void ks3_s3_object_release(struct ks3_s3_ctx *c)
{
	if (c->writer)
		ks3_object_write_abort(c->writer);
	c->writer = NULL;
	if (c->chunked) {
		ks3_aws_chunked_release(c->chunked);
		kfree(c->chunked);
		c->chunked = NULL;
	}
	if (c->sha256_on)
		ks3_digest_abort(&c->sha256);
	c->sha256_on = false;
	ks3_cksum_abort(&c->cksum);
	/* Chunks first: reads in flight end before the object can go. */
	if (c->get_cur)
		ks3_chunk_put(c->store, c->get_cur);
	c->get_cur = NULL;
	if (c->get_next)
		ks3_chunk_put(c->store, c->get_next);
	c->get_next = NULL;
	if (c->obj)
		ks3_object_put(c->store, c->obj);
	c->obj = NULL;
	c->meta = NULL;
}
