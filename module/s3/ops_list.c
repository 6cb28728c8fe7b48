// SPDX-License-Identifier: GPL-2.0
/*
 * ListObjects (v1) and ListObjectsV2. The index walks the bucket under
 * its lock and calls back for each key and common prefix; the entries go
 * into two documents (Contents, then CommonPrefixes, as AWS orders them),
 * and the head, which needs the count and IsTruncated, is written last.
 * With encoding-type=url, Key, Prefix, Delimiter, Marker, NextMarker,
 * StartAfter and each CommonPrefixes Prefix are %-encoded (UTF-8 bytes,
 * '/' kept), which botocore decodes with unquote_plus.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "storage/store.h"
#include "s3/ops.h"

struct ks3_s3_lister {
	struct ks3_s3_ctx *c;
	struct ks3_xml contents;
	struct ks3_xml prefixes;
	bool owner;
	char owner_id[KS3_ACCESS_KEY_LEN + 1];
	char owner_name[KS3_KEY_NAME_LEN_MAX + 1];
};

/* <tag>value</tag>, %-encoded when the request asked for it. */
static void ks3_s3_list_elem(struct ks3_s3_ctx *c, struct ks3_xml *x,
			     const char *tag, const char *s, size_t len)
{
	ssize_t n;

	if (!c->req.list.url_encode) {
		ks3_xml_elem(x, tag, s, len);
		return;
	}
	n = ks3_uri_encode(c->enc, sizeof(c->enc), s, len, true);
	if (n < 0) {
		x->err = -E2BIG;
		return;
	}
	ks3_xml_elem(x, tag, c->enc, n);
}

static int ks3_s3_list_content(void *arg, struct ks3_index_node *n)
{
	struct ks3_s3_lister *l = arg;
	struct ks3_object *obj = ks3_entry_of(n)->obj;
	struct ks3_xml *x = &l->contents;
	char etag[KS3_ETAG_MAX];
	char date[25];

	ks3_iso8601(div_u64(obj->mtime, NSEC_PER_SEC), date);
	ks3_etag(obj->etag, obj->nr_parts, etag);
	ks3_xml_open(x, "Contents");
	ks3_s3_list_elem(l->c, x, "Key", ks3_index_key(n), n->key_len);
	ks3_xml_elem_str(x, "LastModified", date);
	ks3_xml_elem_str(x, "ETag", etag);
	ks3_xml_elem_u64(x, "Size", obj->size);
	if (l->owner) {
		ks3_xml_open(x, "Owner");
		ks3_xml_elem_str(x, "ID", l->owner_id);
		ks3_xml_elem_str(x, "DisplayName", l->owner_name);
		ks3_xml_close(x, "Owner");
	}
	ks3_xml_elem_str(x, "StorageClass", "STANDARD");
	ks3_xml_close(x, "Contents");
	return x->err;
}

static int ks3_s3_list_prefix(void *arg, const char *p, u16 len)
{
	struct ks3_s3_lister *l = arg;
	struct ks3_xml *x = &l->prefixes;

	ks3_xml_open(x, "CommonPrefixes");
	ks3_s3_list_elem(l->c, x, "Prefix", p, len);
	ks3_xml_close(x, "CommonPrefixes");
	return x->err;
}

static const struct ks3_list_ops ks3_s3_list_ops = {
	.content = ks3_s3_list_content,
	.prefix = ks3_s3_list_prefix,
};

/* The bucket owner's key, for <Owner>; false if it has none. */
static bool ks3_s3_list_owner(struct ks3_s3_ctx *c, struct ks3_s3_lister *l)
{
	struct ks3_store *s = c->store;
	struct ks3_bucket *b;
	struct ks3_key *k = NULL;

	down_read(&s->meta_lock);
	b = ks3_bucket_find(s, c->req.bucket, c->req.bucket_len);
	if (b)
		k = xa_load(&s->keys_by_id, b->owner_key);
	if (k) {
		strscpy(l->owner_id, k->access_key, sizeof(l->owner_id));
		strscpy(l->owner_name, k->name, sizeof(l->owner_name));
	}
	up_read(&s->meta_lock);
	return k;
}

static void ks3_s3_list_append(struct ks3_xml *dst, struct ks3_xml *src)
{
	if (src->err)
		dst->err = src->err;
	else if (src->len)
		ks3_xml_raw(dst, src->buf, src->len);
}

int ks3_s3_list_objects(struct ks3_s3_ctx *c)
{
	struct ks3_s3_list_args *a = &c->req.list;
	struct ks3_list_params p = {
		.prefix = a->prefix, .prefix_len = a->prefix_len,
		.delim = a->delim, .delim_len = a->delim_len,
		.start_after = a->start, .start_after_len = a->start_len,
		.max_keys = a->max_keys,
	};
	struct ks3_list_result res = { };
	struct ks3_s3_lister *l;
	struct ks3_xml x;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "Out of memory, please retry.");
	l->c = c;
	ks3_xml_init(&l->contents, KS3_XML_MAX);
	ks3_xml_init(&l->prefixes, KS3_XML_MAX);
	/* v1 always names the owner, v2 with fetch-owner=true. */
	if (!a->v2 || a->fetch_owner)
		l->owner = ks3_s3_list_owner(c, l);

	ret = ks3_object_list(c->store, c->req.bucket, c->req.bucket_len, &p,
			      &ks3_s3_list_ops, l, &res, c->next,
			      sizeof(c->next));
	if (ret) {
		ks3_xml_free(&l->contents);
		ks3_xml_free(&l->prefixes);
		kfree(l);
		if (ret == -ENOENT)
			return ks3_s3_error(c, KS3_S3_NO_SUCH_BUCKET, NULL);
		if (ret == -ENOMEM)
			return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
					    "Out of memory, please retry.");
		pr_warn_ratelimited("list %s: %d\n", c->req.bucket, ret);
		return ks3_s3_error(c, KS3_S3_INTERNAL_ERROR, NULL);
	}

	ks3_xml_init(&x, KS3_XML_MAX);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, "<ListBucketResult xmlns=\"" KS3_XML_NS "\">");
	ks3_xml_elem(&x, "Name", c->req.bucket, c->req.bucket_len);
	ks3_s3_list_elem(c, &x, "Prefix", a->prefix, a->prefix_len);
	if (!a->v2) {
		ks3_s3_list_elem(c, &x, "Marker", a->start, a->start_len);
		/* NextMarker only for a truncated, delimited listing (AWS). */
		if (res.is_truncated && a->delim_len && res.next)
			ks3_s3_list_elem(c, &x, "NextMarker", res.next,
					 res.next_len);
	}
	if (a->delim_len)
		ks3_s3_list_elem(c, &x, "Delimiter", a->delim, a->delim_len);
	ks3_xml_elem_u64(&x, "MaxKeys", a->max_keys);
	if (a->url_encode)
		ks3_xml_elem_str(&x, "EncodingType", "url");
	if (a->v2) {
		ks3_xml_elem_u64(&x, "KeyCount", res.count);
		if (a->has_token)
			ks3_xml_elem(&x, "ContinuationToken", a->token_raw,
				     a->token_raw_len);
		if (res.is_truncated && res.next) {
			char *tok = c->enc;
			ssize_t n;

			n = ks3_s3_token_encode(res.next, res.next_len, tok,
						sizeof(c->enc));
			if (n < 0)
				x.err = -E2BIG;
			else
				ks3_xml_elem(&x, "NextContinuationToken", tok,
					     n);
		}
		if (a->has_start_after)
			ks3_s3_list_elem(c, &x, "StartAfter", a->start_after,
					 a->start_after_len);
	}
	ks3_xml_elem_bool(&x, "IsTruncated", res.is_truncated);
	ks3_s3_list_append(&x, &l->contents);
	ks3_s3_list_append(&x, &l->prefixes);
	ks3_xml_close(&x, "ListBucketResult");
	ks3_xml_free(&l->contents);
	ks3_xml_free(&l->prefixes);
	kfree(l);
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}
