// SPDX-License-Identifier: GPL-2.0
/*
 * CopyObject and UploadPartCopy: the source named by x-amz-copy-source
 * ("[/]bucket/key", %-encoded, "?versionId=null" the only version there
 * is), its x-amz-copy-source-if-* conditions, then the data streamed
 * through one 1 MiB buffer from verified reads (ks3_object_read) into a
 * writer (ks3_object_write): a copy holds one chunk plus the writer's own
 * buffers, whatever its size, and yields the CPU between chunks. The
 * source is referenced for the whole copy, so a copy onto itself reads
 * the old version while the new one is written. GetObjectTagging lives
 * here too: objects carry no tags, and aws-cli asks for them before a
 * multipart copy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "storage/store.h"
#include "s3/ops.h"

#define KS3_S3_XML_ROOT(tag) \
	"<" tag " xmlns=\"" KS3_XML_NS "\">"

struct ks3_s3_copy_src {
	struct ks3_object *obj;
	u8 bucket_len;
	u16 key_len;
	char bucket[KS3_BUCKET_NAME_LEN_MAX + 1];
	char key[KS3_OBJECT_KEY_MAX];
	char path[KS3_BUCKET_NAME_LEN_MAX + 2 + KS3_OBJECT_KEY_MAX];
};

static const char ks3_s3_bad_source[] =
	"Copy Source must mention the source bucket and key: sourcebucket/sourcekey";

/* Parses x-amz-copy-source into @src; KS3_S3_OK or the error (and *@msg). */
static enum ks3_s3_err ks3_s3_copy_parse(const struct ks3_http_field *f,
					 struct ks3_s3_copy_src *src,
					 const char **msg)
{
	const char *v = f->value, *q, *slash;
	size_t len = f->value_len, plen;
	ssize_t n;

	*msg = ks3_s3_bad_source;
	q = memchr(v, '?', len);
	if (q) {
		const char *p = q + 1;
		size_t qlen = len - (p - v);

		/* Only the version an unversioned bucket has. */
		if (qlen != 14 || memcmp(p, "versionId=null", 14)) {
			*msg = "Invalid version id specified";
			return KS3_S3_INVALID_ARGUMENT;
		}
		len = q - v;
	}
	if (len && v[0] == '/') {
		v++;
		len--;
	}
	n = ks3_uri_decode(src->path, sizeof(src->path), v, len, false);
	if (n == -ENOSPC)
		return KS3_S3_KEY_TOO_LONG;
	if (n < 0)
		return KS3_S3_INVALID_ARGUMENT;
	plen = n;
	slash = memchr(src->path, '/', plen);
	if (!slash || slash == src->path ||
	    slash - src->path > KS3_BUCKET_NAME_LEN_MAX)
		return KS3_S3_INVALID_ARGUMENT;
	src->bucket_len = slash - src->path;
	memcpy(src->bucket, src->path, src->bucket_len);
	src->bucket[src->bucket_len] = '\0';
	src->key_len = plen - src->bucket_len - 1;
	if (!src->key_len)
		return KS3_S3_INVALID_ARGUMENT;
	if (src->key_len > KS3_OBJECT_KEY_MAX)
		return KS3_S3_KEY_TOO_LONG;
	memcpy(src->key, slash + 1, src->key_len);
	if (memchr(src->key, '\0', src->key_len))
		return KS3_S3_INVALID_ARGUMENT;
	*msg = NULL;
	return KS3_S3_OK;
}

/*
 * The source: parsed, readable by the key, existing, and its conditions
 * holding. Returns the source (object referenced) or NULL having
 * responded.
 */
static struct ks3_s3_copy_src *ks3_s3_copy_source(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *h = &c->x->req;
	const struct ks3_http_field *f;
	struct ks3_s3_copy_src *src;
	char etag[KS3_ETAG_MAX];
	enum ks3_s3_err err;
	struct ks3_object *obj;
	const char *msg;
	struct ks3_cond cd = { };
	size_t etag_len;
	int caps;

	f = ks3_http_field_find(h, "x-amz-copy-source");
	src = kzalloc(sizeof(*src), GFP_KERNEL);
	if (!src) {
		ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
			     "Out of memory, please retry.");
		return NULL;
	}
	err = ks3_s3_copy_parse(f, src, &msg);
	if (err)
		goto fail;
	caps = ks3_s3_caps(c, src->bucket, src->bucket_len);
	if (caps < 0) {
		struct ks3_s3_error e = { .err = KS3_S3_NO_SUCH_BUCKET };

		ks3_s3_error_add(&e, "BucketName", src->bucket,
				 src->bucket_len);
		ks3_s3_error_full(c, &e);
		goto out;
	}
	if (!(caps & KS3_CAP_READ)) {
		err = KS3_S3_ACCESS_DENIED;
		msg = NULL;
		goto fail;
	}
	obj = ks3_object_get(c->store, src->bucket, src->bucket_len, src->key,
			     src->key_len);
	if (IS_ERR(obj)) {
		struct ks3_s3_error e = { .err = KS3_S3_NO_SUCH_KEY };

		if (PTR_ERR(obj) != -ENOENT) {
			err = ks3_s3_errno(PTR_ERR(obj));
			msg = NULL;
			goto fail;
		}
		ks3_s3_error_add(&e, "Key", src->key, src->key_len);
		ks3_s3_error_full(c, &e);
		goto out;
	}
	src->obj = obj;
	f = ks3_http_field_find(h, "x-amz-copy-source-if-match");
	if (f) {
		cd.if_match = f->value;
		cd.if_match_len = f->value_len;
	}
	f = ks3_http_field_find(h, "x-amz-copy-source-if-none-match");
	if (f) {
		cd.if_none_match = f->value;
		cd.if_none_match_len = f->value_len;
	}
	f = ks3_http_field_find(h, "x-amz-copy-source-if-modified-since");
	if (f) {
		cd.if_modified_since = f->value;
		cd.if_modified_since_len = f->value_len;
	}
	f = ks3_http_field_find(h, "x-amz-copy-source-if-unmodified-since");
	if (f) {
		cd.if_unmodified_since = f->value;
		cd.if_unmodified_since_len = f->value_len;
	}
	etag_len = ks3_etag(obj->etag, obj->nr_parts, etag);
	/* Every failed copy-source condition is a 412, also the 304 ones. */
	if (ks3_cond_eval(&cd, etag, etag_len,
			  div_u64(obj->mtime, NSEC_PER_SEC))) {
		err = KS3_S3_PRECONDITION_FAILED;
		msg = NULL;
		goto fail;
	}
	return src;
fail:
	ks3_s3_error(c, err, msg);
out:
	if (src->obj)
		ks3_object_put(c->store, src->obj);
	kfree(src);
	return NULL;
}

static void ks3_s3_copy_src_free(struct ks3_s3_ctx *c,
				 struct ks3_s3_copy_src *src)
{
	if (src->obj)
		ks3_object_put(c->store, src->obj);
	kfree(src);
}

/*
 * Streams [@first, @first + @len) of @obj into @w, feeding @ck (may be of
 * algorithm NONE) on the way. Whole chunks where aligned: each read
 * verifies its chunks' crc32c.
 */
static int ks3_s3_copy_data(struct ks3_s3_ctx *c, struct ks3_object *obj,
			    u64 first, u64 len, struct ks3_object_writer *w,
			    struct ks3_cksum *ck)
{
	u64 off = first, end = first + len;
	u8 *buf;
	int ret = 0;

	if (!len)
		return 0;
	if (!ks3_http_mem_charge(&c->cfg.http, KS3_CHUNK_SIZE))
		return -EBUSY;
	buf = kvmalloc(KS3_CHUNK_SIZE, GFP_KERNEL);
	if (!buf) {
		ks3_http_mem_uncharge(KS3_CHUNK_SIZE);
		return -ENOMEM;
	}
	while (off < end) {
		u64 next = min_t(u64, end,
				 round_down(off, (u64)KS3_CHUNK_SIZE) +
				 KS3_CHUNK_SIZE);
		size_t n = next - off;

		ret = ks3_object_read(c->store, obj, off, buf, n);
		if (ret) {
			pr_err_ratelimited("copy: read of %s failed: %d\n",
					   c->req.bucket, ret);
			break;
		}
		ret = ks3_cksum_update(ck, buf, n);
		if (!ret)
			ret = ks3_object_write(w, buf, n);
		if (ret)
			break;
		off = next;
		cond_resched();
		/* A 5 GiB copy must not hold up an unload for minutes. */
		if (ks3_http_exchange_cancelled(c->x)) {
			ret = -ECONNRESET;
			break;
		}
	}
	kvfree(buf);
	ks3_http_mem_uncharge(KS3_CHUNK_SIZE);
	return ret;
}

static int ks3_s3_copy_errno(struct ks3_s3_ctx *c, int ret)
{
	if (ret == -EROFS)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (ret == -EBUSY)	/* the memory budget is spent */
		return ks3_s3_error(c, KS3_S3_SLOW_DOWN, NULL);
	return ks3_s3_error(c, ks3_s3_errno(ret), NULL);
}

static int ks3_s3_copy_result(struct ks3_s3_ctx *c, const char *root,
			      const struct ks3_object_info *info,
			      const struct ks3_meta *m)
{
	char etag[KS3_ETAG_MAX], date[25];
	struct ks3_xml x;

	ks3_etag(info->etag, 0, etag);
	ks3_iso8601(div_u64(info->mtime, NSEC_PER_SEC), date);
	ks3_xml_init(&x, 4096);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_raw(&x, "<", 1);
	ks3_xml_str(&x, root);
	ks3_xml_str(&x, " xmlns=\"" KS3_XML_NS "\">");
	ks3_xml_elem_str(&x, "LastModified", date);
	ks3_xml_elem_str(&x, "ETag", etag);
	if (m && m->cksum_algo != KS3_CKSUM_NONE) {
		char b64[KS3_CKSUM_B64_MAX + 1], tag[24];

		ks3_base64_encode(b64, m->cksum, m->cksum_len);
		snprintf(tag, sizeof(tag), "Checksum%s",
			 ks3_cksum_name(m->cksum_algo));
		ks3_xml_elem_str(&x, tag, b64);
	}
	ks3_xml_close(&x, root);
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}

/* x-amz-checksum-algorithm on a copy: the checksum to compute, or NONE. */
static int ks3_s3_copy_cksum_alg(struct ks3_s3_ctx *c, enum ks3_cksum_alg *alg)
{
	const struct ks3_http_field *f;

	*alg = KS3_CKSUM_NONE;
	f = ks3_http_field_find(&c->x->req, "x-amz-checksum-algorithm");
	if (!f)
		return 0;
	*alg = ks3_cksum_from_name(f->value, f->value_len);
	if (*alg == KS3_CKSUM_NONE)
		return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
				    "Checksum algorithm provided is unsupported.") ?: -EINVAL;
	return 0;
}

int ks3_s3_copy_object(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *h = &c->x->req;
	struct ks3_s3_request *r = &c->req;
	struct ks3_object_writer *w = NULL;
	struct ks3_put_cond cond = { };
	struct ks3_s3_copy_src *src;
	const struct ks3_http_field *f;
	struct ks3_object_info info;
	struct ks3_meta *sm = NULL;
	enum ks3_cksum_alg alg;
	enum ks3_s3_err err;
	bool replace = false;
	u8 *blob = NULL;
	const u8 *meta;
	ssize_t mlen;
	int ret;

	if (c->store->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	f = ks3_http_field_find(h, "x-amz-metadata-directive");
	if (f) {
		if (f->value_len == 7 && !strncasecmp(f->value, "REPLACE", 7))
			replace = true;
		else if (!(f->value_len == 4 && !strncasecmp(f->value, "COPY", 4)))
			return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
					    "Unknown metadata directive.");
	}
	if (ks3_s3_copy_cksum_alg(c, &alg))
		return 0;
	src = ks3_s3_copy_source(c);
	if (!src)
		return 0;
	if (!replace && alg == KS3_CKSUM_NONE &&
	    src->bucket_len == r->bucket_len &&
	    !memcmp(src->bucket, r->bucket, r->bucket_len) &&
	    !ks3_key_cmp(src->key, src->key_len, r->key, r->key_len)) {
		ret = ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
				   "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
		goto out;
	}
	if (src->obj->size > KS3_S3_PUT_MAX) {
		ret = ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
				   "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
		goto out;
	}
	/* Destination conditions, as on PutObject. */
	f = ks3_http_field_find(h, "if-none-match");
	if (f) {
		if (f->value_len != 1 || f->value[0] != '*') {
			ret = ks3_s3_error(c, KS3_S3_NOT_IMPLEMENTED,
					   "If-None-Match supports only '*'.");
			goto out;
		}
		cond.if_none_match = true;
	}

	c->meta = &c->meta_space;
	sm = kmalloc(sizeof(*sm), GFP_KERNEL);
	blob = kmalloc(KS3_OBJECT_META_MAX, GFP_KERNEL);
	if (!sm || !blob) {
		ret = ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				   "Out of memory, please retry.");
		goto out;
	}
	if (ks3_meta_decode(src->obj->meta, src->obj->meta_len, sm)) {
		ret = ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		goto out;
	}
	if (replace) {
		err = ks3_meta_from_request(h, c->meta);
		if (err) {
			ret = ks3_s3_error(c, err, NULL);
			goto out;
		}
	} else {
		*c->meta = *sm;
		c->meta->upload_cksum_algo = KS3_CKSUM_NONE;
	}
	/* The data is the same: its checksum still holds. */
	c->meta->cksum_algo = sm->cksum_algo;
	c->meta->cksum_len = sm->cksum_len;
	memcpy(c->meta->cksum, sm->cksum, sm->cksum_len);
	if (alg != KS3_CKSUM_NONE && alg == sm->cksum_algo)
		alg = KS3_CKSUM_NONE;		/* have it already */
	ret = ks3_cksum_init(&c->cksum, alg);
	if (ret) {
		ret = ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		goto out;
	}
	ret = ks3_object_write_begin(c->store, r->bucket, r->bucket_len,
				     r->key, r->key_len, src->obj->size, &w);
	if (ret) {
		w = NULL;
		ret = ks3_s3_copy_errno(c, ret);
		goto out;
	}
	ret = ks3_s3_copy_data(c, src->obj, 0, src->obj->size, w, &c->cksum);
	if (ret) {
		ret = ks3_s3_copy_errno(c, ret == -EBADMSG ? -EIO : ret);
		goto out;
	}
	if (alg != KS3_CKSUM_NONE) {
		ret = ks3_cksum_final(&c->cksum, c->meta->cksum);
		if (ret < 0) {
			ret = ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
			goto out;
		}
		c->meta->cksum_algo = alg;
		c->meta->cksum_len = ret;
	}
	/* COPY keeps the source's blob: strings of @sm point into it. */
	mlen = ks3_meta_encode(c->meta, blob, KS3_OBJECT_META_MAX);
	if (mlen < 0) {
		ret = ks3_s3_error(c, KS3_S3_METADATA_TOO_LARGE, NULL);
		goto out;
	}
	meta = blob;
	ret = ks3_object_write_commit(w, meta, mlen, &cond, &info);
	w = NULL;
	if (ret) {
		ret = ks3_s3_copy_errno(c, ret);
		goto out;
	}
	ret = ks3_s3_copy_result(c, "CopyObjectResult", &info, c->meta);
out:
	if (w)
		ks3_object_write_abort(w);
	ks3_s3_copy_src_free(c, src);
	kfree(sm);
	kfree(blob);
	return ret;
}

/* "bytes=first-last" inside an object of @size bytes. */
static bool ks3_s3_copy_range(const char *v, size_t len, u64 size, u64 *first,
			      u64 *last)
{
	u64 a = 0, b = 0;
	size_t i = 6;
	bool dash = false, da = false, db = false;

	if (len < 9 || memcmp(v, "bytes=", 6))
		return false;
	for (; i < len; i++) {
		char ch = v[i];

		if (ch == '-' && !dash) {
			dash = true;
			continue;
		}
		if (ch < '0' || ch > '9')
			return false;
		if (!dash) {
			if (a > (U64_MAX - 9) / 10)
				return false;
			a = a * 10 + (ch - '0');
			da = true;
		} else {
			if (b > (U64_MAX - 9) / 10)
				return false;
			b = b * 10 + (ch - '0');
			db = true;
		}
	}
	if (!da || !db || a > b || b >= size)
		return false;
	*first = a;
	*last = b;
	return true;
}

int ks3_s3_upload_part_copy(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *h = &c->x->req;
	struct ks3_s3_request *r = &c->req;
	struct ks3_object_writer *w = NULL;
	struct ks3_s3_copy_src *src = NULL;
	const struct ks3_http_field *f;
	struct ks3_object_info info;
	struct ks3_part_opts o = { };
	u64 first = 0, len, last;
	char buf[16];
	u8 alg = KS3_CKSUM_NONE;
	u8 *blob = NULL;
	u16 mlen = 0;
	ssize_t n, i;
	u32 part = 0;
	int ret;

	if (c->store->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (ks3_s3_upload_id(c))
		return 0;
	n = ks3_s3_param(r, "partNumber", buf, sizeof(buf));
	for (i = 0; n > 0 && n <= 5 && i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9') {
			part = 0;
			break;
		}
		part = part * 10 + (buf[i] - '0');
	}
	if (!part || part > KS3_PARTS_MAX)
		return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
				    "Part number must be an integer between 1 and 10000, inclusive");
	c->meta = &c->meta_space;
	blob = kmalloc(KS3_OBJECT_META_MAX, GFP_KERNEL);
	if (!blob) {
		ret = ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				   "Out of memory, please retry.");
		goto out;
	}
	ret = ks3_upload_lookup(c->store, r->bucket, r->bucket_len, r->key,
				r->key_len, c->upload_id, blob,
				KS3_OBJECT_META_MAX, &mlen, NULL);
	if (ret || ks3_meta_decode(blob, mlen, c->meta)) {
		struct ks3_s3_error e = { .err = KS3_S3_NO_SUCH_UPLOAD };

		ret = ks3_s3_error_full(c, &e);
		goto out;
	}
	alg = c->meta->upload_cksum_algo;
	src = ks3_s3_copy_source(c);
	if (!src) {
		ret = 0;
		goto out;
	}
	len = src->obj->size;
	f = ks3_http_field_find(h, "x-amz-copy-source-range");
	if (f) {
		if (!ks3_s3_copy_range(f->value, f->value_len, src->obj->size,
				       &first, &last)) {
			ret = ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
					   "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy, inside the source object.");
			goto out;
		}
		len = last - first + 1;
	}
	if (len > KS3_S3_PUT_MAX) {
		ret = ks3_s3_error(c, KS3_S3_ENTITY_TOO_LARGE, NULL);
		goto out;
	}
	ret = ks3_cksum_init(&c->cksum, alg);
	if (ret) {
		ret = ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		goto out;
	}
	ret = ks3_part_write_begin(c->store, r->bucket, r->bucket_len,
				   c->upload_id, part, len, &w);
	if (ret) {
		w = NULL;
		if (ret == -ENOENT) {
			struct ks3_s3_error e = { .err = KS3_S3_NO_SUCH_UPLOAD };

			ret = ks3_s3_error_full(c, &e);
		} else {
			ret = ks3_s3_copy_errno(c, ret);
		}
		goto out;
	}
	ret = ks3_s3_copy_data(c, src->obj, first, len, w, &c->cksum);
	if (ret) {
		ret = ks3_s3_copy_errno(c, ret == -EBADMSG ? -EIO : ret);
		goto out;
	}
	memset(c->meta, 0, sizeof(*c->meta));
	if (alg != KS3_CKSUM_NONE) {
		ret = ks3_cksum_final(&c->cksum, c->meta->cksum);
		if (ret < 0) {
			ret = ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
			goto out;
		}
		c->meta->cksum_algo = alg;
		c->meta->cksum_len = ret;
		o.cksum_algo = alg;
		o.cksum_len = ret;
		o.cksum = c->meta->cksum;
	}
	ret = ks3_part_write_commit_opts(w, &o, &info);
	w = NULL;
	if (ret == -ENOENT) {
		struct ks3_s3_error e = { .err = KS3_S3_NO_SUCH_UPLOAD };

		ret = ks3_s3_error_full(c, &e);
		goto out;
	}
	if (ret) {
		ret = ks3_s3_copy_errno(c, ret);
		goto out;
	}
	ret = ks3_s3_copy_result(c, "CopyPartResult", &info, c->meta);
out:
	if (w)
		ks3_object_write_abort(w);
	if (src)
		ks3_s3_copy_src_free(c, src);
	kfree(blob);
	return ret;
}

int ks3_s3_get_object_tagging(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	struct ks3_object *obj;
	struct ks3_xml x;

	obj = ks3_object_get(c->store, r->bucket, r->bucket_len, r->key,
			     r->key_len);
	if (IS_ERR(obj))
		return ks3_s3_error(c, PTR_ERR(obj) == -ENOENT ?
				    KS3_S3_NO_SUCH_KEY :
				    ks3_s3_errno(PTR_ERR(obj)), NULL);
	ks3_object_put(c->store, obj);
	ks3_xml_init(&x, 4096);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, KS3_S3_XML_ROOT("Tagging"));
	ks3_xml_str(&x, "<TagSet></TagSet>");
	ks3_xml_close(&x, "Tagging");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}
