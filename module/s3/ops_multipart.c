// SPDX-License-Identifier: GPL-2.0
/*
 * Multipart uploads: CreateMultipartUpload, UploadPart (the PUT body
 * pipeline of ops_object.c, streaming into a part writer),
 * CompleteMultipartUpload, AbortMultipartUpload, ListParts and
 * ListMultipartUploads; and the XML request bodies that share that
 * pipeline (Complete, DeleteObjects).
 *
 * Upload ids are the storage engine's 64-bit ids in 16 lower-case hex
 * digits. The checksum algorithm an upload is created with is kept in its
 * metadata blob (struct ks3_meta's upload_cksum_algo); each part's checksum
 * is stored with the part, so Complete can check the ones the request
 * lists and answer the composite checksum (the algorithm over the
 * concatenated part checksums, "-N").
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "storage/store.h"
#include "s3/ops.h"
#include "s3/xml_req.h"

/* Every part but the last is at least 5 MiB, as AWS requires. */
#define KS3_S3_PART_MIN		(5ULL << 20)
/* An object made by Complete is at most 5 TiB. */
#define KS3_S3_OBJECT_MAX	(5ULL << 40)

#define KS3_S3_XML_ROOT(tag) \
	"<" tag " xmlns=\"" KS3_XML_NS "\">"

static void ks3_s3_upload_id_str(u64 id, char out[17])
{
	snprintf(out, 17, "%016llx", id);
}

/* 16 lower-case hex digits: our ids. Anything else names no upload. */
static bool ks3_s3_upload_id_parse(const char *s, size_t len, u64 *id)
{
	u64 v = 0;
	size_t i;

	if (len != 16)
		return false;
	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch >= '0' && ch <= '9')
			v = v << 4 | (ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v = v << 4 | (ch - 'a' + 10);
		else
			return false;
	}
	*id = v;
	return v != 0;
}

static int ks3_s3_no_such_upload(struct ks3_s3_ctx *c)
{
	struct ks3_s3_error e = { .err = KS3_S3_NO_SUCH_UPLOAD };
	char id[17];
	ssize_t n;

	n = ks3_s3_param(&c->req, "uploadId", id, sizeof(id));
	if (n > 0)
		ks3_s3_error_add(&e, "UploadId", id, n);
	return ks3_s3_error_full(c, &e);
}

int ks3_s3_upload_id(struct ks3_s3_ctx *c)
{
	char buf[24];
	ssize_t n;

	n = ks3_s3_param(&c->req, "uploadId", buf, sizeof(buf));
	if (n < 0 || !ks3_s3_upload_id_parse(buf, n, &c->upload_id)) {
		ks3_s3_no_such_upload(c);
		return -ENOENT;
	}
	return 0;
}

/* partNumber: 1..10000; or responded InvalidArgument, -EINVAL. */
static int ks3_s3_part_number(struct ks3_s3_ctx *c)
{
	char buf[16];
	ssize_t n, i;
	u32 v = 0;

	n = ks3_s3_param(&c->req, "partNumber", buf, sizeof(buf));
	if (n <= 0 || n > 5)
		goto bad;
	for (i = 0; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			goto bad;
		v = v * 10 + (buf[i] - '0');
	}
	if (!v || v > KS3_PARTS_MAX)
		goto bad;
	c->part_number = v;
	return 0;
bad:
	ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
		     "Part number must be an integer between 1 and 10000, inclusive");
	return -EINVAL;
}

/*
 * The upload's metadata decoded into c->meta, its blob in *@blob (the
 * caller frees it; the meta points into it): 0, -ENOENT, -ENOMEM, -EIO.
 */
static int ks3_s3_load_upload(struct ks3_s3_ctx *c, u8 **blob)
{
	struct ks3_s3_request *r = &c->req;
	u16 len = 0;
	int ret;

	*blob = kmalloc(KS3_OBJECT_META_MAX, GFP_KERNEL);
	if (!c->meta)
		c->meta = &c->meta_space;
	if (!*blob)
		return -ENOMEM;
	ret = ks3_upload_lookup(c->store, r->bucket, r->bucket_len, r->key,
				r->key_len, c->upload_id, *blob,
				KS3_OBJECT_META_MAX, &len, NULL);
	if (ret)
		return -ENOENT;
	if (ks3_meta_decode(*blob, len, c->meta))
		return -EIO;
	return 0;
}

/* As ks3_s3_load_upload(), the blob freed; 0 or responded. */
static int ks3_s3_upload_meta(struct ks3_s3_ctx *c)
{
	u8 *blob = NULL;
	int ret = ks3_s3_load_upload(c, &blob);

	kfree(blob);
	switch (ret) {
	case 0:
		return 0;
	case -ENOENT:
		return ks3_s3_no_such_upload(c) ?: -ENOENT;
	case -ENOMEM:
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "Out of memory, please retry.") ?: ret;
	default:
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL) ?: ret;
	}
}

int ks3_s3_create_multipart(struct ks3_s3_ctx *c)
{
	const struct ks3_http_request *h = &c->x->req;
	struct ks3_s3_request *r = &c->req;
	enum ks3_cksum_alg alg = KS3_CKSUM_NONE;
	const struct ks3_http_field *f;
	enum ks3_s3_err err;
	struct ks3_xml x;
	bool full;
	char id[17];
	u64 upload_id;
	ssize_t mlen;
	u8 *blob;
	int ret;

	if (c->store->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (ks3_http_field_find(h, "x-amz-server-side-encryption-customer-algorithm"))
		return ks3_s3_error(c, KS3_S3_NOT_IMPLEMENTED,
				    "Server-side encryption is not supported.");
	f = ks3_http_field_find(h, "x-amz-checksum-algorithm");
	if (f) {
		alg = ks3_cksum_from_name(f->value, f->value_len);
		if (alg == KS3_CKSUM_NONE)
			return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
					    "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
	}
	/* AWS's defaults: CRC64NVME is full-object only, SHAs composite. */
	full = alg == KS3_CKSUM_CRC64NVME;
	f = ks3_http_field_find(h, "x-amz-checksum-type");
	if (f) {
		if (f->value_len == 11 && !strncasecmp(f->value, "FULL_OBJECT", 11))
			full = true;
		else if (f->value_len == 9 && !strncasecmp(f->value, "COMPOSITE", 9))
			full = false;
		else
			return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
					    "Value for x-amz-checksum-type header is invalid.");
		if (alg == KS3_CKSUM_NONE ||
		    (full && (alg == KS3_CKSUM_SHA1 || alg == KS3_CKSUM_SHA256)) ||
		    (!full && alg == KS3_CKSUM_CRC64NVME))
			return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
					    "The checksum type is not supported with this checksum algorithm.");
	}

	c->meta = &c->meta_space;
	blob = kmalloc(KS3_OBJECT_META_MAX, GFP_KERNEL);
	if (!blob) {
		kfree(blob);
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "Out of memory, please retry.");
	}
	err = ks3_meta_from_request(h, c->meta);
	if (err) {
		kfree(blob);
		return ks3_s3_error(c, err, NULL);
	}
	c->meta->upload_cksum_algo = alg;
	c->meta->upload_cksum_full = full;
	mlen = ks3_meta_encode(c->meta, blob, KS3_OBJECT_META_MAX);
	if (mlen < 0) {
		kfree(blob);
		return ks3_s3_error(c, KS3_S3_METADATA_TOO_LARGE, NULL);
	}
	ret = ks3_upload_create(c->store, r->bucket, r->bucket_len, r->key,
				r->key_len, blob, mlen, &upload_id);
	kfree(blob);
	if (ret)
		return ks3_s3_error(c, ret == -EROFS ?
				    KS3_S3_SERVICE_UNAVAILABLE :
				    ks3_s3_errno(ret), NULL);

	ks3_s3_upload_id_str(upload_id, id);
	ks3_xml_init(&x, 16384);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, KS3_S3_XML_ROOT("InitiateMultipartUploadResult"));
	ks3_xml_elem(&x, "Bucket", r->bucket, r->bucket_len);
	ks3_xml_elem(&x, "Key", r->key, r->key_len);
	ks3_xml_elem_str(&x, "UploadId", id);
	ks3_xml_close(&x, "InitiateMultipartUploadResult");
	ks3_s3_add_common(c);
	if (alg != KS3_CKSUM_NONE) {
		ks3_http_add_field(c->x, "x-amz-checksum-algorithm", "%s",
				   ks3_cksum_name(alg));
		ks3_http_add_field(c->x, "x-amz-checksum-type", "%s",
				   full ? "FULL_OBJECT" : "COMPOSITE");
	}
	return ks3_s3_respond_xml(c, 200, &x);
}

/* ---- bodies through the PUT pipeline ---- */

int ks3_s3_xbody_append(struct ks3_s3_ctx *c, const u8 *d, size_t n)
{
	size_t need, cap;
	char *nb;

	if (check_add_overflow(c->xbody_len, n, &need) ||
	    need > KS3_S3_XML_BODY_MAX) {
		ks3_s3_error(c, KS3_S3_MALFORMED_XML,
			     "The XML body is larger than ks3 accepts.");
		return -EFBIG;
	}
	if (need > c->xbody_cap) {
		cap = max_t(size_t, c->xbody_cap * 2, 4096);
		while (cap < need)
			cap *= 2;
		cap = min_t(size_t, cap, KS3_S3_XML_BODY_MAX);
		/* The new buffer counts in the budget; the old one until freed. */
		if (!ks3_http_mem_charge(&c->cfg.http, cap)) {
			ks3_s3_error(c, KS3_S3_SLOW_DOWN, NULL);
			return -ENOMEM;
		}
		nb = kvmalloc(cap, GFP_KERNEL);
		if (!nb) {
			ks3_http_mem_uncharge(cap);
			ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				     "Out of memory, please retry.");
			return -ENOMEM;
		}
		ks3_http_mem_uncharge(c->xbody_cap);
		if (c->xbody_len)
			memcpy(nb, c->xbody, c->xbody_len);
		kvfree(c->xbody);
		c->xbody = nb;
		c->xbody_cap = cap;
	}
	memcpy(c->xbody + c->xbody_len, d, n);
	c->xbody_len += n;
	return 0;
}

int ks3_s3_sink_begin(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	int ret;

	if (c->store->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (r->op == KS3_S3OP_DELETE_OBJECTS) {
		/* Integrity is required: Content-MD5 or any checksum. */
		if (!c->has_md5 && c->cksum.alg == KS3_CKSUM_NONE)
			return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
					    "Missing required header for this request: Content-MD5 or x-amz-checksum-*");
		c->body = KS3_S3_BODY_XML;
		return 0;
	}
	if (ks3_s3_upload_id(c))
		return 0;
	if (r->op == KS3_S3OP_COMPLETE_MULTIPART) {
		c->body = KS3_S3_BODY_XML;
		return 0;
	}
	/* UploadPart */
	if (ks3_s3_part_number(c))
		return 0;
	if (ks3_s3_upload_meta(c))
		return 0;
	if (c->meta->upload_cksum_algo != KS3_CKSUM_NONE) {
		if (c->cksum.alg == KS3_CKSUM_NONE) {
			/* None sent: computed, so Complete can compose. */
			if (ks3_cksum_init(&c->cksum, c->meta->upload_cksum_algo))
				return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR,
						    NULL);
			c->cksum_compute = true;
		} else if (c->cksum.alg != c->meta->upload_cksum_algo) {
			return ks3_s3_error(c, KS3_S3_INVALID_REQUEST,
					    "Checksum Type mismatch occurred: the part's checksum is not the upload's algorithm.");
		}
	}
	memset(c->meta, 0, sizeof(*c->meta));
	ret = ks3_part_write_begin(c->store, r->bucket, r->bucket_len,
				   c->upload_id, c->part_number,
				   c->expect_known ? c->expect_len : 0,
				   &c->writer);
	if (ret) {
		c->writer = NULL;
		if (ret == -ENOENT)
			return ks3_s3_no_such_upload(c);
		return ks3_s3_error(c, ret == -EROFS ?
				    KS3_S3_SERVICE_UNAVAILABLE :
				    ks3_s3_errno(ret), NULL);
	}
	c->body = KS3_S3_BODY_OBJECT;
	return 0;
}

static int ks3_s3_upload_part_end(struct ks3_s3_ctx *c)
{
	struct ks3_part_opts o = { };
	struct ks3_object_info info;
	char etag[KS3_ETAG_MAX];
	int ret;

	if (c->meta->cksum_algo != KS3_CKSUM_NONE) {
		o.cksum_algo = c->meta->cksum_algo;
		o.cksum_len = c->meta->cksum_len;
		o.cksum = c->meta->cksum;
	}
	o.content_md5 = c->has_md5 ? c->md5 : NULL;
	ret = ks3_part_write_commit_opts(c->writer, &o, &info);
	c->writer = NULL;		/* freed whatever happened */
	if (ret == -ENOENT)
		return ks3_s3_no_such_upload(c);
	if (ret == -EROFS)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (ret)
		return ks3_s3_error(c, ks3_s3_errno(ret), NULL);
	ks3_s3_add_common(c);
	ks3_etag(info.etag, 0, etag);
	ks3_http_add_field(c->x, "ETag", "%s", etag);
	if (o.cksum_algo) {
		char b64[KS3_CKSUM_B64_MAX + 1];

		ks3_base64_encode(b64, o.cksum, o.cksum_len);
		ks3_http_add_field(c->x, ks3_cksum_header(o.cksum_algo), "%s",
				   b64);
	}
	ks3_http_respond(c->x, 200, NULL, 0);
	return 0;
}

int ks3_s3_sink_end(struct ks3_s3_ctx *c)
{
	u8 sum[16];

	if (c->req.op == KS3_S3OP_UPLOAD_PART)
		return ks3_s3_upload_part_end(c);
	if (c->has_md5) {
		struct ks3_digest d;

		if (ks3_digest_init(&d, KS3_DIGEST_MD5))
			return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		if (ks3_digest_update(&d, c->xbody, c->xbody_len) ||
		    ks3_digest_final(&d, sum))
			return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		if (memcmp(sum, c->md5, sizeof(sum)))
			return ks3_s3_error(c, KS3_S3_BAD_DIGEST, NULL);
	}
	if (c->req.op == KS3_S3OP_COMPLETE_MULTIPART)
		return ks3_s3_complete_multipart(c);
	return ks3_s3_delete_objects(c);
}

/* ---- CompleteMultipartUpload ---- */

struct ks3_s3_completer {
	struct ks3_complete_part *parts;
	u32 n;
	u32 cap;
	bool bad_etag;			/* an ETag that names no part */
	bool bad_cksum;
	u8 alg;				/* the upload's checksum algorithm */
};

static int ks3_s3_complete_part(void *arg, const struct ks3_xml_part *p)
{
	struct ks3_s3_completer *k = arg;
	struct ks3_complete_part *cp;

	if (k->n == k->cap) {
		u32 cap = min_t(u32, max_t(u32, k->cap * 2, 64),
				KS3_PARTS_MAX);
		struct ks3_complete_part *np;

		if (cap <= k->n)
			return -E2BIG;
		np = kvmalloc_array(cap, sizeof(*np), GFP_KERNEL);
		if (!np)
			return -ENOMEM;
		if (k->n)
			memcpy(np, k->parts, k->n * sizeof(*np));
		kvfree(k->parts);
		k->parts = np;
		k->cap = cap;
	}
	cp = &k->parts[k->n++];
	memset(cp, 0, sizeof(*cp));
	cp->number = p->number;
	if (!p->has_etag || !p->etag_valid)
		k->bad_etag = true;
	cp->check_etag = true;
	memcpy(cp->etag, p->etag, sizeof(cp->etag));
	if (p->cksum_alg) {
		ssize_t n = ks3_base64_decode(cp->want_cksum,
					      sizeof(cp->want_cksum),
					      p->cksum_b64, p->cksum_b64_len);

		if (n <= 0 || n != ks3_cksum_size(p->cksum_alg) ||
		    (k->alg && p->cksum_alg != k->alg))
			k->bad_cksum = true;
		else
			cp->want_cksum_len = n;
	}
	return 0;
}

/* ETag of parts @p[0..n) by their listed MD5s: what Complete would store. */
static int ks3_s3_parts_etag(struct ks3_complete_part *p, u32 n, u8 out[16])
{
	struct ks3_digest d;
	u32 i;

	if (ks3_digest_init(&d, KS3_DIGEST_MD5))
		return -EIO;
	for (i = 0; i < n; i++) {
		if (ks3_digest_update(&d, p[i].etag, 16)) {
			ks3_digest_abort(&d);
			return -EIO;
		}
	}
	return ks3_digest_final(&d, out);
}

static int ks3_s3_complete_result(struct ks3_s3_ctx *c, const u8 etag_md5[16],
				  u32 nr_parts, const char *cksum, u8 alg,
				  bool full)
{
	struct ks3_s3_request *r = &c->req;
	const struct ks3_http_field *host;
	char etag[KS3_ETAG_MAX];
	struct ks3_xml x;
	ssize_t n;
	size_t len;

	len = ks3_etag(etag_md5, nr_parts, etag);
	host = ks3_http_field_find(&c->x->req, "host");
	ks3_xml_init(&x, 65536);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, KS3_S3_XML_ROOT("CompleteMultipartUploadResult"));
	ks3_xml_raw(&x, "<Location>", 10);
	ks3_xml_str(&x, c->x->secure ? "https://" : "http://");
	if (host)
		ks3_xml_text(&x, host->value, host->value_len);
	if (!r->vhost) {
		ks3_xml_raw(&x, "/", 1);
		ks3_xml_text(&x, r->bucket, r->bucket_len);
	}
	ks3_xml_raw(&x, "/", 1);
	n = ks3_uri_encode(c->enc, sizeof(c->enc), r->key, r->key_len, true);
	if (n >= 0)
		ks3_xml_text(&x, c->enc, n);
	ks3_xml_raw(&x, "</Location>", 11);
	ks3_xml_elem(&x, "Bucket", r->bucket, r->bucket_len);
	ks3_xml_elem(&x, "Key", r->key, r->key_len);
	ks3_xml_elem(&x, "ETag", etag, len);
	if (cksum) {
		char tag[24];

		snprintf(tag, sizeof(tag), "Checksum%s", ks3_cksum_name(alg));
		ks3_xml_elem_str(&x, tag, cksum);
		ks3_xml_elem_str(&x, "ChecksumType",
				 full ? "FULL_OBJECT" : "COMPOSITE");
	}
	ks3_xml_close(&x, "CompleteMultipartUploadResult");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}

/*
 * A Complete retried after it succeeded (the answer was lost): AWS answers
 * 200 with the object's result again. The upload is gone, but if the
 * key's object is the multipart object these parts make (same part count,
 * same MD5 of the part MD5s), it is that retry.
 */
static int ks3_s3_complete_retry(struct ks3_s3_ctx *c,
				 struct ks3_s3_completer *k)
{
	struct ks3_s3_request *r = &c->req;
	struct ks3_object *obj;
	u8 md5[16];
	bool same;

	if (!k->n || k->bad_etag || ks3_s3_parts_etag(k->parts, k->n, md5))
		return ks3_s3_no_such_upload(c);
	obj = ks3_object_get(c->store, r->bucket, r->bucket_len, r->key,
			     r->key_len);
	if (IS_ERR(obj))
		return ks3_s3_no_such_upload(c);
	same = obj->nr_parts == k->n && !memcmp(obj->etag, md5, 16);
	ks3_object_put(c->store, obj);
	if (!same)
		return ks3_s3_no_such_upload(c);
	return ks3_s3_complete_result(c, md5, k->n, NULL, 0, false);
}

/* The composite checksum: alg(concatenated part checksums), base64 "-N". */
static int ks3_s3_composite(struct ks3_s3_completer *k, u8 alg,
			    char *out, size_t size)
{
	u8 raw[KS3_CKSUM_MAX_SIZE];
	struct ks3_cksum ck;
	size_t len;
	u32 i;
	int n;

	if (ks3_cksum_init(&ck, alg))
		return -EIO;
	for (i = 0; i < k->n; i++) {
		if (k->parts[i].cksum_algo != alg ||
		    ks3_cksum_update(&ck, k->parts[i].cksum,
				     k->parts[i].cksum_len)) {
			ks3_cksum_abort(&ck);
			return -ENOENT;
		}
	}
	n = ks3_cksum_final(&ck, raw);
	if (n <= 0 || size < KS3_CKSUM_B64_MAX + 12)
		return -EIO;
	len = ks3_base64_encode(out, raw, n);
	snprintf(out + len, size - len, "-%u", k->n);
	return 0;
}

/*
 * Full-object CRCs (CRC32, CRC32C, CRC64NVME: reflected, initial value and
 * final xor all ones) of the concatenated parts, from each part's CRC and
 * size: zlib's crc32_combine() over GF(2), for either width.
 */
static u64 ks3_crc_mulmod(u64 a, u64 b, u64 poly, unsigned int w)
{
	u64 m = 1ULL << (w - 1), p = 0;

	while (m) {
		if (a & m) {
			p ^= b;
			if (!(a & (m - 1)))
				break;
		}
		m >>= 1;
		b = b & 1 ? (b >> 1) ^ poly : b >> 1;
	}
	return p;
}

/* x^(8 * @bytes) mod poly */
static u64 ks3_crc_shift(u64 bytes, u64 poly, unsigned int w)
{
	u64 p = 1ULL << (w - 1), t = 1ULL << (w - 2);	/* x^0, x^1 */
	int i;

	for (i = 0; i < 3; i++)
		t = ks3_crc_mulmod(t, t, poly, w);	/* x^8 */
	while (bytes) {
		if (bytes & 1)
			p = ks3_crc_mulmod(t, p, poly, w);
		bytes >>= 1;
		t = ks3_crc_mulmod(t, t, poly, w);
	}
	return p;
}

static int ks3_s3_full_crc(struct ks3_s3_completer *k, u8 alg, char *out,
			   size_t size)
{
	unsigned int w = alg == KS3_CKSUM_CRC64NVME ? 64 : 32, i, j;
	u64 poly, crc = 0, part;
	u8 raw[8];

	switch (alg) {
	case KS3_CKSUM_CRC32:
		poly = 0xedb88320;
		break;
	case KS3_CKSUM_CRC32C:
		poly = 0x82f63b78;
		break;
	case KS3_CKSUM_CRC64NVME:
		poly = 0x9a6c9329ac4bc9b5ULL;
		break;
	default:
		return -EINVAL;
	}
	for (i = 0; i < k->n; i++) {
		if (k->parts[i].cksum_algo != alg ||
		    k->parts[i].cksum_len != w / 8)
			return -ENOENT;
		for (part = 0, j = 0; j < w / 8; j++)
			part = part << 8 | k->parts[i].cksum[j];
		crc = i ? ks3_crc_mulmod(ks3_crc_shift(k->parts[i].size, poly,
						       w), crc, poly, w) ^ part :
			  part;
	}
	for (j = 0; j < w / 8; j++)
		raw[j] = crc >> (w - 8 - 8 * j);
	if (size < KS3_BASE64_LEN(8) + 1)
		return -EINVAL;
	ks3_base64_encode(out, raw, w / 8);
	return 0;
}

int ks3_s3_complete_multipart(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	struct ks3_s3_completer k = { };
	struct ks3_put_cond cond = { };
	struct ks3_object_info info;
	char cksum[KS3_CKSUM_B64_MAX + 16];
	bool have_cksum = false;
	enum ks3_s3_err err;
	u8 *blob = NULL;
	u32 bad = 0;
	int ret;

	ret = ks3_s3_load_upload(c, &blob);
	kfree(blob);
	if (ret == -ENOMEM)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "Out of memory, please retry.");
	if (ret == -EIO)
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	if (ret) {
		/* No such upload: perhaps a retry of a Complete that worked. */
		err = ks3_xml_parse_complete(c->xbody, c->xbody_len,
					     ks3_s3_complete_part, &k);
		if (err)
			ret = ks3_s3_error(c, err, NULL);
		else
			ret = ks3_s3_complete_retry(c, &k);
		kvfree(k.parts);
		return ret;
	}
	k.alg = c->meta->upload_cksum_algo;
	err = ks3_xml_parse_complete(c->xbody, c->xbody_len,
				     ks3_s3_complete_part, &k);
	if (err) {
		ret = ks3_s3_error(c, err, NULL);
		goto out;
	}
	if (k.bad_etag || k.bad_cksum) {
		ret = ks3_s3_error(c, KS3_S3_INVALID_PART, NULL);
		goto out;
	}
	cond.if_none_match = c->if_none_match;
	cond.if_match = c->has_if_match ? c->if_match : NULL;
	ret = ks3_upload_complete_parts(c->store, r->bucket, r->bucket_len,
					r->key, r->key_len, c->upload_id,
					k.parts, k.n, KS3_S3_PART_MIN, &cond,
					&info, &bad);
	switch (ret) {
	case 0:
		break;
	case -ENOENT:
		ret = ks3_s3_complete_retry(c, &k);
		goto out;
	case -EINVAL:
		ret = ks3_s3_error(c, KS3_S3_INVALID_PART, NULL);
		goto out;
	case -ERANGE:
		ret = ks3_s3_error(c, KS3_S3_ENTITY_TOO_SMALL, NULL);
		goto out;
	case -EFBIG:
		ret = ks3_s3_error(c, KS3_S3_ENTITY_TOO_LARGE, NULL);
		goto out;
	case -EROFS:
		ret = ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				   "The store is read-only.");
		goto out;
	default:
		err = ks3_s3_errno(ret);
		if (err == KS3_S3_INTERNAL_ERROR)
			pr_warn_ratelimited("complete %s: %d\n", r->bucket, ret);
		ret = ks3_s3_error(c, err, NULL);
		goto out;
	}
	if (k.alg && c->meta->upload_cksum_full)
		have_cksum = !ks3_s3_full_crc(&k, k.alg, cksum, sizeof(cksum));
	else if (k.alg)
		have_cksum = !ks3_s3_composite(&k, k.alg, cksum, sizeof(cksum));
	ret = ks3_s3_complete_result(c, info.etag, k.n,
				     have_cksum ? cksum : NULL, k.alg,
				     c->meta->upload_cksum_full);
out:
	kvfree(k.parts);
	return ret;
}

/* ---- AbortMultipartUpload ---- */

int ks3_s3_abort_multipart(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	int ret;

	if (ks3_s3_upload_id(c))
		return 0;
	if (c->store->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	ret = ks3_upload_lookup(c->store, r->bucket, r->bucket_len, r->key,
				r->key_len, c->upload_id, NULL, 0, NULL, NULL);
	if (ret == -E2BIG)
		ret = 0;
	if (!ret)
		ret = ks3_upload_abort(c->store, r->bucket, r->bucket_len,
				       c->upload_id);
	if (ret == -ENOENT)
		return ks3_s3_no_such_upload(c);
	if (ret)
		return ks3_s3_error(c, ret == -EROFS ?
				    KS3_S3_SERVICE_UNAVAILABLE :
				    ks3_s3_errno(ret), NULL);
	ks3_s3_add_common(c);
	ks3_http_respond(c->x, 204, NULL, 0);
	return 0;
}

/* ---- ListParts ---- */

/* A listing limit (max-parts, max-uploads): default and cap 1000. */
static int ks3_s3_limit_arg(struct ks3_s3_ctx *c, const char *name, u32 *out)
{
	char buf[24];
	ssize_t n, i;
	u64 v = 0;

	*out = 1000;
	n = ks3_s3_param(&c->req, name, buf, sizeof(buf));
	if (n == -ENOENT)
		return 0;
	if (n <= 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return -EINVAL;
		v = v * 10 + (buf[i] - '0');
		if (v > 1000)
			v = 1000;
	}
	*out = v;
	return 0;
}

struct ks3_s3_part_lister {
	struct ks3_xml *x;
};

static int ks3_s3_list_part(void *arg, const struct ks3_part_view *p)
{
	struct ks3_s3_part_lister *l = arg;
	struct ks3_xml *x = l->x;
	char etag[KS3_ETAG_MAX];
	char date[25];

	ks3_iso8601(div_u64(p->mtime, NSEC_PER_SEC), date);
	ks3_etag(p->etag, 0, etag);
	ks3_xml_open(x, "Part");
	ks3_xml_elem_u64(x, "PartNumber", p->number);
	ks3_xml_elem_str(x, "LastModified", date);
	ks3_xml_elem_str(x, "ETag", etag);
	ks3_xml_elem_u64(x, "Size", p->size);
	if (p->cksum_algo && p->cksum_algo < KS3_CKSUM_NR &&
	    p->cksum_len <= KS3_CKSUM_MAX_SIZE) {
		char b64[KS3_CKSUM_B64_MAX + 1];
		char tag[24];

		ks3_base64_encode(b64, p->cksum, p->cksum_len);
		snprintf(tag, sizeof(tag), "Checksum%s",
			 ks3_cksum_name(p->cksum_algo));
		ks3_xml_elem_str(x, tag, b64);
	}
	ks3_xml_close(x, "Part");
	return x->err;
}

int ks3_s3_list_parts(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	struct ks3_s3_part_lister l;
	char buf[24], id[17];
	struct ks3_xml x;
	u32 max, marker = 0, next;
	bool truncated;
	ssize_t n, i;
	int ret;

	if (ks3_s3_upload_id(c))
		return 0;
	if (ks3_s3_limit_arg(c, "max-parts", &max))
		return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
				    "Provided max-parts not an integer or within integer range");
	n = ks3_s3_param(r, "part-number-marker", buf, sizeof(buf));
	if (n > 0) {
		u64 v = 0;

		for (i = 0; i < n; i++) {
			if (buf[i] < '0' || buf[i] > '9')
				return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
						    "Provided part-number-marker not an integer or within integer range");
			v = min_t(u64, v * 10 + (buf[i] - '0'), U32_MAX);
		}
		marker = v;
	} else if (n != -ENOENT && n != 0) {
		return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT, NULL);
	}
	if (ks3_s3_upload_meta(c))
		return 0;

	ks3_xml_init(&x, KS3_XML_MAX);
	l.x = &x;
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, KS3_S3_XML_ROOT("ListPartsResult"));
	ks3_xml_elem(&x, "Bucket", r->bucket, r->bucket_len);
	ks3_xml_elem(&x, "Key", r->key, r->key_len);
	ks3_s3_upload_id_str(c->upload_id, id);
	ks3_xml_elem_str(&x, "UploadId", id);
	ks3_xml_elem_u64(&x, "PartNumberMarker", marker);
	/* The parts go in a second document: the head needs the result. */
	{
		struct ks3_xml parts;
		void *pbuf;
		size_t plen;

		ks3_xml_init(&parts, KS3_XML_MAX);
		l.x = &parts;
		ret = ks3_upload_list_parts(c->store, r->bucket, r->bucket_len,
					    r->key, r->key_len, c->upload_id,
					    marker, max, ks3_s3_list_part, &l,
					    &truncated, &next);
		if (ret == -ENOENT) {
			ks3_xml_free(&parts);
			ks3_xml_free(&x);
			return ks3_s3_no_such_upload(c);
		}
		if (ret || ks3_xml_take(&parts, &pbuf, &plen)) {
			ks3_xml_free(&parts);
			ks3_xml_free(&x);
			return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
		}
		ks3_xml_elem_u64(&x, "NextPartNumberMarker", next);
		ks3_xml_elem_u64(&x, "MaxParts", max);
		ks3_xml_elem_bool(&x, "IsTruncated", truncated);
		ks3_xml_raw(&x, pbuf, plen);
		kvfree(pbuf);
	}
	ks3_xml_open(&x, "Initiator");
	ks3_xml_elem_str(&x, "ID", c->auth.akid);
	ks3_xml_elem_str(&x, "DisplayName", c->auth.akid);
	ks3_xml_close(&x, "Initiator");
	ks3_xml_open(&x, "Owner");
	ks3_xml_elem_str(&x, "ID", c->auth.akid);
	ks3_xml_elem_str(&x, "DisplayName", c->auth.akid);
	ks3_xml_close(&x, "Owner");
	ks3_xml_elem_str(&x, "StorageClass", "STANDARD");
	if (c->meta->upload_cksum_algo)
		ks3_xml_elem_str(&x, "ChecksumAlgorithm",
				 ks3_cksum_name(c->meta->upload_cksum_algo));
	ks3_xml_close(&x, "ListPartsResult");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}

/* ---- ListMultipartUploads ---- */

struct ks3_s3_upload_lister {
	struct ks3_s3_ctx *c;
	struct ks3_xml uploads;
	struct ks3_xml prefixes;
	bool url;
	/* The last item listed: NextKeyMarker / NextUploadIdMarker. */
	char *next_key;
	size_t next_len;
	u64 next_id;
};

static void ks3_s3_mpu_elem(struct ks3_s3_upload_lister *l, struct ks3_xml *x,
			    const char *tag, const char *s, size_t len)
{
	ssize_t n;

	if (!l->url) {
		ks3_xml_elem(x, tag, s, len);
		return;
	}
	n = ks3_uri_encode(l->c->enc, sizeof(l->c->enc), s, len, true);
	if (n < 0) {
		x->err = -E2BIG;
		return;
	}
	ks3_xml_elem(x, tag, l->c->enc, n);
}

static int ks3_s3_list_upload(void *arg, const struct ks3_upload *u)
{
	struct ks3_s3_upload_lister *l = arg;
	struct ks3_xml *x = &l->uploads;
	char date[25], id[17];

	ks3_iso8601(div_u64(u->create_time, NSEC_PER_SEC), date);
	ks3_s3_upload_id_str(u->id, id);
	ks3_xml_open(x, "Upload");
	ks3_s3_mpu_elem(l, x, "Key", u->key, u->key_len);
	ks3_xml_elem_str(x, "UploadId", id);
	ks3_xml_open(x, "Initiator");
	ks3_xml_elem_str(x, "ID", l->c->auth.akid);
	ks3_xml_elem_str(x, "DisplayName", l->c->auth.akid);
	ks3_xml_close(x, "Initiator");
	ks3_xml_open(x, "Owner");
	ks3_xml_elem_str(x, "ID", l->c->auth.akid);
	ks3_xml_elem_str(x, "DisplayName", l->c->auth.akid);
	ks3_xml_close(x, "Owner");
	ks3_xml_elem_str(x, "StorageClass", "STANDARD");
	ks3_xml_elem_str(x, "Initiated", date);
	ks3_xml_close(x, "Upload");
	memcpy(l->next_key, u->key, u->key_len);
	l->next_len = u->key_len;
	l->next_id = u->id;
	return x->err;
}

static int ks3_s3_list_upload_prefix(void *arg, const char *p, size_t len)
{
	struct ks3_s3_upload_lister *l = arg;
	struct ks3_xml *x = &l->prefixes;

	ks3_xml_open(x, "CommonPrefixes");
	ks3_s3_mpu_elem(l, x, "Prefix", p, len);
	ks3_xml_close(x, "CommonPrefixes");
	memcpy(l->next_key, p, min_t(size_t, len, KS3_OBJECT_KEY_MAX));
	l->next_len = min_t(size_t, len, KS3_OBJECT_KEY_MAX);
	l->next_id = 0;
	return x->err;
}

int ks3_s3_list_uploads(struct ks3_s3_ctx *c)
{
	static const struct ks3_upload_list_ops ops = {
		.upload = ks3_s3_list_upload,
		.prefix = ks3_s3_list_upload_prefix,
	};
	struct ks3_s3_request *r = &c->req;
	struct ks3_upload_list_params p = { };
	struct ks3_s3_upload_lister l = { .c = c };
	struct ks3_s3_list_args *a = &r->list;
	char idm[24], enc[24], id[17];
	ssize_t n, idm_len;
	bool truncated;
	void *b1, *b2;
	size_t l1, l2;
	struct ks3_xml x;
	u16 klen;
	int ret;

	/* The listing arguments reuse the request's listing buffers. */
	n = ks3_s3_param(r, "prefix", a->prefix, sizeof(a->prefix));
	a->prefix_len = n > 0 ? n : 0;
	if (n < 0 && n != -ENOENT)
		goto bad_arg;
	n = ks3_s3_param(r, "delimiter", a->delim, sizeof(a->delim));
	a->delim_len = n > 0 ? n : 0;
	if (n < 0 && n != -ENOENT)
		goto bad_arg;
	n = ks3_s3_param(r, "key-marker", a->start, sizeof(a->start));
	klen = n > 0 ? n : 0;
	if (n < 0 && n != -ENOENT)
		goto bad_arg;
	idm_len = ks3_s3_param(r, "upload-id-marker", idm, sizeof(idm));
	if (idm_len < 0)
		idm_len = 0;
	n = ks3_s3_param(r, "encoding-type", enc, sizeof(enc));
	if (n >= 0) {
		if (n != 3 || strncasecmp(enc, "url", 3))
			return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
					    "Invalid Encoding Method specified in Request");
		l.url = true;
	}
	if (ks3_s3_limit_arg(c, "max-uploads", &p.max))
		return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
				    "Provided max-uploads not an integer or within integer range");
	p.prefix = a->prefix;
	p.prefix_len = a->prefix_len;
	p.delim = a->delim;
	p.delim_len = a->delim_len;
	p.key_marker = a->start;
	p.key_marker_len = klen;
	/* upload-id-marker counts only with a key-marker, as in AWS. */
	if (klen && idm_len)
		p.id_marker_set = ks3_s3_upload_id_parse(idm, idm_len,
							 &p.id_marker);
	l.next_key = c->next;
	ks3_xml_init(&l.uploads, KS3_XML_MAX);
	ks3_xml_init(&l.prefixes, KS3_XML_MAX);
	ret = ks3_upload_list(c->store, r->bucket, r->bucket_len, &p, &ops,
			      &l, &truncated);
	if (ret == -ENOENT) {
		ks3_xml_free(&l.uploads);
		ks3_xml_free(&l.prefixes);
		return ks3_s3_error(c, KS3_S3_NO_SUCH_BUCKET, NULL);
	}
	if (ret || ks3_xml_take(&l.uploads, &b1, &l1)) {
		ks3_xml_free(&l.uploads);
		ks3_xml_free(&l.prefixes);
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	}
	if (ks3_xml_take(&l.prefixes, &b2, &l2)) {
		kvfree(b1);
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	}
	ks3_xml_init(&x, KS3_XML_MAX);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, KS3_S3_XML_ROOT("ListMultipartUploadsResult"));
	ks3_xml_elem(&x, "Bucket", r->bucket, r->bucket_len);
	ks3_s3_mpu_elem(&l, &x, "KeyMarker", a->start, klen);
	ks3_xml_elem(&x, "UploadIdMarker", idm, idm_len);
	if (truncated) {
		ks3_s3_mpu_elem(&l, &x, "NextKeyMarker", l.next_key,
				l.next_len);
		if (l.next_id) {
			ks3_s3_upload_id_str(l.next_id, id);
			ks3_xml_elem_str(&x, "NextUploadIdMarker", id);
		} else {
			ks3_xml_elem_str(&x, "NextUploadIdMarker", "");
		}
	}
	if (a->delim_len)
		ks3_s3_mpu_elem(&l, &x, "Delimiter", a->delim, a->delim_len);
	ks3_s3_mpu_elem(&l, &x, "Prefix", a->prefix, a->prefix_len);
	ks3_xml_elem_u64(&x, "MaxUploads", p.max);
	ks3_xml_elem_bool(&x, "IsTruncated", truncated);
	ks3_xml_raw(&x, b1, l1);
	ks3_xml_raw(&x, b2, l2);
	kvfree(b1);
	kvfree(b2);
	if (l.url)
		ks3_xml_elem_str(&x, "EncodingType", "url");
	ks3_xml_close(&x, "ListMultipartUploadsResult");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
bad_arg:
	return ks3_s3_error(c, KS3_S3_INVALID_ARGUMENT,
			    "A listing argument is longer than 1024 bytes.");
}
