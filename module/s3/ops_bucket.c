// SPDX-License-Identifier: GPL-2.0
/*
 * Bucket operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket,
 * GetBucketLocation.
 */
#include <linux/kernel.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "storage/bucket_name.h"
#include "storage/store.h"
#include "s3/ops.h"

/* <Owner> for key @k (ID: its access key, DisplayName: its name). */
static void ks3_s3_owner_xml(struct ks3_xml *x, const char *akid,
			     const char *name)
{
	ks3_xml_open(x, "Owner");
	ks3_xml_elem_str(x, "ID", akid);
	ks3_xml_elem_str(x, "DisplayName", name);
	ks3_xml_close(x, "Owner");
}

int ks3_s3_list_buckets(struct ks3_s3_ctx *c)
{
	struct ks3_store *s = c->store;
	struct ks3_xml x;
	struct ks3_key *k;
	struct rb_node *n;
	char date[25];

	ks3_xml_init(&x, KS3_XML_MAX);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, "<ListAllMyBucketsResult xmlns=\"" KS3_XML_NS "\">");
	/* Buckets by name (the tree's order), those the key may use. */
	down_read(&s->meta_lock);
	k = xa_load(&s->keys_by_id, c->key_id);
	if (k)
		ks3_s3_owner_xml(&x, k->access_key, k->name);
	ks3_xml_open(&x, "Buckets");
	for (n = rb_first(&s->buckets); n && k && !x.err; n = rb_next(n)) {
		struct ks3_bucket *b = rb_entry(n, struct ks3_bucket, by_name);

		if (b->owner_key != c->key_id && !ks3_key_caps(s, k, b->id))
			continue;
		ks3_iso8601(b->create_time, date);
		ks3_xml_open(&x, "Bucket");
		ks3_xml_elem(&x, "Name", b->name, b->name_len);
		ks3_xml_elem_str(&x, "CreationDate", date);
		ks3_xml_close(&x, "Bucket");
	}
	up_read(&s->meta_lock);
	ks3_xml_close(&x, "Buckets");
	ks3_xml_close(&x, "ListAllMyBucketsResult");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}

int ks3_s3_create_bucket_begin(struct ks3_s3_ctx *c)
{
	c->small = kmalloc(KS3_S3_SMALL_BODY_MAX, GFP_KERNEL);
	if (!c->small)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "Out of memory, please retry.");
	c->body = KS3_S3_BODY_SMALL;
	return 0;
}

static const char *ks3_s3_find(const char *hay, size_t len, const char *n)
{
	size_t nl = strlen(n), i;

	for (i = 0; i + nl <= len; i++)
		if (!memcmp(hay + i, n, nl))
			return hay + i;
	return NULL;
}

/*
 * The LocationConstraint of a CreateBucketConfiguration body: 0 with
 * *@loc and *@len (len 0: none), or -EINVAL for a body that is not one.
 */
static int ks3_s3_location(const char *body, size_t len, const char **loc,
			   size_t *loc_len)
{
	static const char open[] = "<LocationConstraint>";
	const char *s, *e;
	size_t i;

	*loc = NULL;
	*loc_len = 0;
	for (i = 0; i < len; i++)
		if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r' &&
		    body[i] != '\n')
			break;
	if (i == len)
		return 0;		/* empty body */
	if (!ks3_s3_find(body, len, "<CreateBucketConfiguration"))
		return -EINVAL;
	s = ks3_s3_find(body, len, open);
	if (!s)
		return 0;
	s += sizeof(open) - 1;
	e = ks3_s3_find(s, body + len - s, "</LocationConstraint>");
	if (!e)
		return -EINVAL;
	while (s < e && (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\r' ||
			 e[-1] == '\t'))
		e--;
	*loc = s;
	*loc_len = e - s;
	return 0;
}

/* Does the payload hash match x-amz-content-sha256 for a small body? */
static bool ks3_s3_small_body_ok(struct ks3_s3_ctx *c)
{
	u8 sum[KS3_SHA256_SIZE];

	if (c->auth.payload != KS3_SIGV4_PAYLOAD_SHA256)
		return true;
	if (ks3_digest_oneshot(KS3_DIGEST_SHA256, c->small, c->small_len, sum))
		return false;
	return ks3_s3_check_payload(c, sum) == KS3_S3_OK;
}

int ks3_s3_create_bucket_end(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	struct ks3_store *s = c->store;
	const char *loc;
	size_t loc_len;
	struct ks3_bucket *b;
	u32 owner = 0;
	int ret;

	if (ks3_sigv4_payload_chunked(c->auth.payload))
		return ks3_s3_error(c, KS3_S3_NOT_IMPLEMENTED,
				    "aws-chunked CreateBucket bodies are not supported.");
	if (!ks3_s3_small_body_ok(c))
		return ks3_s3_error(c, KS3_S3_SHA256_MISMATCH, NULL);
	if (ks3_s3_location(c->small, c->small_len, &loc, &loc_len))
		return ks3_s3_error(c, KS3_S3_MALFORMED_XML, NULL);
	if (loc_len != strlen(c->cfg.region) ||
	    memcmp(loc, c->cfg.region, loc_len)) {
		/* No constraint means us-east-1 (AWS's default). */
		if (loc_len || strcmp(c->cfg.region, "us-east-1"))
			return ks3_s3_error(c, KS3_S3_INVALID_LOCATION, NULL);
	}
	if (ks3_bucket_name_problem(r->bucket, r->bucket_len))
		return ks3_s3_error(c, KS3_S3_INVALID_BUCKET_NAME,
				    ks3_bucket_name_problem(r->bucket,
							    r->bucket_len));
	if (s->read_only)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	ret = ks3_bucket_create(s, r->bucket, r->bucket_len, c->key_id);
	if (ret == -EEXIST) {
		down_read(&s->meta_lock);
		b = ks3_bucket_find(s, r->bucket, r->bucket_len);
		ret = b ? 0 : -EAGAIN;
		if (b)
			owner = b->owner_key;
		up_read(&s->meta_lock);
		/* us-east-1 semantics: the owner re-creating gets 200. */
		if (!ret && owner != c->key_id)
			return ks3_s3_error(c, KS3_S3_BUCKET_EXISTS, NULL);
		if (ret)
			return ks3_s3_error(c, KS3_S3_CONDITIONAL_CONFLICT,
					    "The bucket is being deleted; retry.");
	}
	if (ret == -ENOSPC)
		return ks3_s3_error(c, KS3_S3_TOO_MANY_BUCKETS, NULL);
	if (ret == -EINVAL)
		return ks3_s3_error(c, KS3_S3_INVALID_BUCKET_NAME, NULL);
	if (ret)
		return ks3_s3_error(c, ks3_s3_errno(ret), NULL);
	ks3_s3_add_common(c);
	ks3_http_add_field(c->x, "Location", "/%s", r->bucket);
	ks3_http_respond(c->x, 200, NULL, 0);
	return 0;
}

int ks3_s3_delete_bucket(struct ks3_s3_ctx *c)
{
	struct ks3_s3_request *r = &c->req;
	int ret;

	ret = ks3_bucket_delete(c->store, r->bucket, r->bucket_len);
	if (ret == -ENOTEMPTY)
		return ks3_s3_error(c, KS3_S3_BUCKET_NOT_EMPTY, NULL);
	if (ret == -EROFS)
		return ks3_s3_error(c, KS3_S3_SERVICE_UNAVAILABLE,
				    "The store is read-only.");
	if (ret)
		return ks3_s3_error(c, ks3_s3_errno(ret), NULL);
	ks3_s3_add_common(c);
	ks3_http_respond(c->x, 204, NULL, 0);
	return 0;
}

int ks3_s3_head_bucket(struct ks3_s3_ctx *c)
{
	ks3_s3_add_common(c);
	ks3_http_add_field(c->x, "x-amz-bucket-region", "%s", c->cfg.region);
	ks3_http_respond(c->x, 200, NULL, 0);
	return 0;
}

int ks3_s3_get_bucket_location(struct ks3_s3_ctx *c)
{
	struct ks3_xml x;

	ks3_xml_init(&x, 4096);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, "<LocationConstraint xmlns=\"" KS3_XML_NS "\">");
	/* us-east-1 is the empty constraint, as AWS answers. */
	if (strcmp(c->cfg.region, "us-east-1"))
		ks3_xml_text(&x, c->cfg.region, strlen(c->cfg.region));
	ks3_xml_close(&x, "LocationConstraint");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}
