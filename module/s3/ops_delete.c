// SPDX-License-Identifier: GPL-2.0
/*
 * DeleteObjects: POST /bucket?delete with a <Delete> document of up to
 * 1000 keys. The body came through the PUT pipeline (ops_object.c), which
 * checked its aws-chunked framing, signatures and x-amz-checksum-*; the
 * required integrity header (Content-MD5, or any x-amz-checksum-* as
 * today's SDKs send) was demanded at begin and Content-MD5 checked at the
 * end. The document is parsed whole once before anything is deleted, so
 * a malformed one deletes nothing; then each key is deleted (each its own
 * durable commit) and reported: <Deleted> (unless Quiet) or <Error>.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "storage/store.h"
#include "s3/ops.h"
#include "s3/xml_req.h"

struct ks3_s3_deleter {
	struct ks3_s3_ctx *c;
	struct ks3_xml *x;
	bool quiet;
};

static int ks3_s3_delete_check(void *arg, const struct ks3_xml_delete_obj *o)
{
	return 0;
}

static void ks3_s3_delete_err(struct ks3_xml *x,
			      const struct ks3_xml_delete_obj *o,
			      const char *code, const char *msg)
{
	ks3_xml_open(x, "Error");
	ks3_xml_elem(x, "Key", o->key, o->key_len);
	if (o->has_version)
		ks3_xml_elem(x, "VersionId", o->version, o->version_len);
	ks3_xml_elem_str(x, "Code", code);
	ks3_xml_elem_str(x, "Message", msg);
	ks3_xml_close(x, "Error");
}

static int ks3_s3_delete_one(void *arg, const struct ks3_xml_delete_obj *o)
{
	struct ks3_s3_deleter *d = arg;
	struct ks3_s3_request *r = &d->c->req;
	const struct ks3_s3_error_info *info;
	struct ks3_xml *x = d->x;
	int ret;

	/* Unversioned buckets have the one version "null". */
	if (o->has_version &&
	    !(o->version_len == 4 && !memcmp(o->version, "null", 4))) {
		ks3_s3_delete_err(x, o, "NoSuchVersion",
				  "The specified version does not exist.");
		return x->err;
	}
	/* Going away (unload, reset): nobody reads the answer, stop. */
	if (ks3_http_exchange_cancelled(d->c->x))
		return 0;
	ret = ks3_object_delete(d->c->store, r->bucket, r->bucket_len, o->key,
				o->key_len);
	cond_resched();
	if (ret && ret != -ENOENT) {
		info = ks3_s3_error_info(ret == -EROFS ?
					 KS3_S3_SERVICE_UNAVAILABLE :
					 ks3_s3_errno(ret));
		ks3_s3_delete_err(x, o, info->code, info->message);
		return x->err;
	}
	if (!d->quiet) {
		ks3_xml_open(x, "Deleted");
		ks3_xml_elem(x, "Key", o->key, o->key_len);
		if (o->has_version)
			ks3_xml_elem(x, "VersionId", o->version,
				     o->version_len);
		ks3_xml_close(x, "Deleted");
	}
	return x->err;
}

int ks3_s3_delete_objects(struct ks3_s3_ctx *c)
{
	struct ks3_s3_deleter d = { .c = c };
	enum ks3_s3_err err;
	struct ks3_xml x;
	bool quiet;

	/* A whole pass first: a bad document deletes nothing. */
	err = ks3_xml_parse_delete(c->xbody, c->xbody_len, &quiet,
				   ks3_s3_delete_check, NULL);
	if (err)
		return ks3_s3_error(c, err, NULL);
	ks3_xml_init(&x, KS3_XML_MAX);
	ks3_xml_str(&x, KS3_XML_PROLOG);
	ks3_xml_str(&x, "<DeleteResult xmlns=\"" KS3_XML_NS "\">");
	d.x = &x;
	d.quiet = quiet;
	err = ks3_xml_parse_delete(c->xbody, c->xbody_len, &quiet,
				   ks3_s3_delete_one, &d);
	if (err) {
		ks3_xml_free(&x);
		return ks3_s3_error(c, err, NULL);
	}
	ks3_xml_close(&x, "DeleteResult");
	ks3_s3_add_common(c);
	return ks3_s3_respond_xml(c, 200, &x);
}
