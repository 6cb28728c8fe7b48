/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the S3 layer: the per-request state the handler (handler.c)
 * keeps, and the operations (ops_bucket.c, ops_object.c, ops_list.c) it
 * routes to. Every operation either responds (ks3_s3_respond*()) or, for a
 * request with a body, sets up what body()/end() need.
 */
#ifndef _KS3_S3_OPS_H
#define _KS3_S3_OPS_H

#include <linux/types.h>

#include "ks3.h"
#include "s3/aws_chunked.h"
#include "s3/checksum.h"
#include "s3/cond.h"
#include "s3/errors.h"
#include "s3/meta.h"
#include "s3/request.h"
#include "s3/sigv4.h"
#include "s3/xml.h"
#include "s3/xml_req.h"

struct ks3_chunk;

struct ks3_store;
struct ks3_object;
struct ks3_object_writer;

/* Largest object a single PUT may store: 5 GiB, as AWS. */
#define KS3_S3_PUT_MAX		(5ULL << 30)
/* CreateBucketConfiguration body */
#define KS3_S3_SMALL_BODY_MAX	4096
/*
 * A body whose signature can only be checked at its end (header auth
 * without x-amz-content-sha256, as curl before 8.1 sends) is held in
 * memory until then, so nothing on the device is touched before the
 * signature is known: bounded by this; larger ones are refused.
 */
#define KS3_S3_DEFERRED_BODY_MAX	(64U << 10)

enum ks3_s3_body {
	KS3_S3_BODY_NONE,
	KS3_S3_BODY_SMALL,		/* collected in @small (CreateBucket) */
	KS3_S3_BODY_OBJECT,		/* streamed to @writer (PutObject, UploadPart) */
	KS3_S3_BODY_XML,		/* collected in @xbody (Complete, DeleteObjects) */
	KS3_S3_BODY_DEFERRED,		/* held in @deferred until the signature is checked */
};

struct ks3_s3_ctx {
	struct ks3_exchange *x;
	struct ks3_store *store;	/* held until release() */
	struct ks3_config cfg;
	s64 now;			/* seconds, at begin() */
	bool authed;
	u32 key_id;			/* the authenticated key */
	struct ks3_sigv4 auth;
	struct ks3_s3_request req;

	/* Body handling */
	enum ks3_s3_body body;
	char *small;
	size_t small_len;
	u8 *deferred;			/* KS3_S3_BODY_DEFERRED, charged to the budget */
	size_t deferred_len;
	size_t deferred_cap;

	/* PutObject */
	struct ks3_object_writer *writer;
	struct ks3_meta *meta;
	struct ks3_aws_chunked *chunked;	/* aws-chunked bodies */
	bool chunked_done;
	bool sha256_on;
	struct ks3_digest sha256;
	struct ks3_cksum cksum;		/* alg NONE: no checksum */
	bool cksum_trailer;		/* the value comes in the trailer */
	const char *cksum_value;	/* from the header */
	size_t cksum_value_len;
	bool has_md5;
	u8 md5[16];
	bool if_none_match;
	bool has_if_match;
	u8 if_match[16];
	u64 expect_len;			/* decoded length if known */
	bool expect_known;
	u64 received;
	u64 body_max;			/* decoded bytes allowed */
	bool cksum_compute;		/* no value given: compute and keep */

	/* XML request bodies, bounded by KS3_S3_XML_BODY_MAX */
	char *xbody;
	size_t xbody_len;
	size_t xbody_cap;

	/* Multipart */
	u64 upload_id;
	u32 part_number;

	/* GetObject: cached chunks whose pages go to the socket */
	struct ks3_object *obj;
	u64 range_first;
	struct ks3_http_body_source src;
	struct ks3_chunk *get_cur;	/* being sent */
	u64 get_cur_off;		/* object offset of get_cur */
	struct ks3_chunk *get_next;	/* the one after, read ahead */
	u64 get_next_off;

	/*
	 * Scratch space from @meta_space to the end: not cleared per
	 * request (KS3_S3_CTX_CLEAR), so it must stay last.
	 */
	struct ks3_meta meta_space;	/* what c->meta points to */
	char enc[KS3_OBJECT_KEY_MAX * 3 + 4];	/* URL-encoding for listings */
	char next[KS3_OBJECT_KEY_MAX];
};

/* The part of a request context begin() clears. */
#define KS3_S3_CTX_CLEAR	offsetof(struct ks3_s3_ctx, meta_space)

/* handler.c */
void ks3_s3_add_common(struct ks3_s3_ctx *c);
/* Answers @err (message @msg or the table's) as an XML error document. */
int ks3_s3_error(struct ks3_s3_ctx *c, enum ks3_s3_err err, const char *msg);
/* Error with extra elements already filled in @e (err, message, extras). */
int ks3_s3_error_full(struct ks3_s3_ctx *c, struct ks3_s3_error *e);
/* Responds @status with the XML document in @x (freed on failure). */
int ks3_s3_respond_xml(struct ks3_s3_ctx *c, u16 status, struct ks3_xml *x);
/* An errno from storage as the S3 error to answer. */
enum ks3_s3_err ks3_s3_errno(int err);
/*
 * The capabilities of the authenticated key on bucket @name: KS3_CAP_* or
 * -ENOENT if the bucket does not exist. The owner has them all.
 */
int ks3_s3_caps(struct ks3_s3_ctx *c, const char *name, size_t len);
enum ks3_s3_err ks3_s3_check_payload(struct ks3_s3_ctx *c, const u8 *sum);

/* ops_bucket.c */
int ks3_s3_list_buckets(struct ks3_s3_ctx *c);
int ks3_s3_create_bucket_begin(struct ks3_s3_ctx *c);
int ks3_s3_create_bucket_end(struct ks3_s3_ctx *c);
int ks3_s3_delete_bucket(struct ks3_s3_ctx *c);
int ks3_s3_head_bucket(struct ks3_s3_ctx *c);
int ks3_s3_get_bucket_location(struct ks3_s3_ctx *c);

/* ops_object.c */
int ks3_s3_put_object_begin(struct ks3_s3_ctx *c);
int ks3_s3_put_object_body(struct ks3_s3_ctx *c, const u8 *data,
			   size_t len);
int ks3_s3_put_object_end(struct ks3_s3_ctx *c);
void *ks3_s3_put_object_room(struct ks3_s3_ctx *c, size_t *len);
int ks3_s3_put_object_filled(struct ks3_s3_ctx *c, const u8 *data,
			     size_t len);
int ks3_s3_get_object(struct ks3_s3_ctx *c);
int ks3_s3_delete_object(struct ks3_s3_ctx *c);
void ks3_s3_object_release(struct ks3_s3_ctx *c);

/* ops_list.c */
int ks3_s3_list_objects(struct ks3_s3_ctx *c);

/* ops_multipart.c */
int ks3_s3_create_multipart(struct ks3_s3_ctx *c);
int ks3_s3_abort_multipart(struct ks3_s3_ctx *c);
int ks3_s3_list_parts(struct ks3_s3_ctx *c);
int ks3_s3_list_uploads(struct ks3_s3_ctx *c);
/*
 * The PUT body pipeline (ops_object.c) for bodies that are not a
 * PutObject: an UploadPart streams into a part writer, Complete and
 * DeleteObjects collect XML. begin: 0 or responded; end runs once the body
 * passed every check (length, signatures, checksums).
 */
int ks3_s3_sink_begin(struct ks3_s3_ctx *c);
int ks3_s3_sink_end(struct ks3_s3_ctx *c);
int ks3_s3_xbody_append(struct ks3_s3_ctx *c, const u8 *d, size_t n);
int ks3_s3_complete_multipart(struct ks3_s3_ctx *c);
/* Parses the uploadId query parameter: 0, or -ENOENT having responded. */
int ks3_s3_upload_id(struct ks3_s3_ctx *c);

/* ops_copy.c */
int ks3_s3_copy_object(struct ks3_s3_ctx *c);
int ks3_s3_upload_part_copy(struct ks3_s3_ctx *c);
/* GetObjectTagging: an empty TagSet for an existing object. */
int ks3_s3_get_object_tagging(struct ks3_s3_ctx *c);

/* ops_delete.c */
int ks3_s3_delete_objects(struct ks3_s3_ctx *c);

#endif /* _KS3_S3_OPS_H */
