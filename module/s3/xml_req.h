/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Request bodies in XML: CompleteMultipartUpload and Delete (DeleteObjects).
 *
 * A small pull tokenizer over a body the caller has bounded
 * (KS3_S3_XML_BODY_MAX): start tags (attributes skipped), end tags checked
 * against their start, text with the five predefined entities and
 * character references decoded, CDATA, comments and processing
 * instructions skipped. No DTD (a DOCTYPE is refused, so no entity is ever
 * expanded), no recursion: open elements live in a fixed stack of
 * KS3_XML_DEPTH_MAX. Every text value is copied into a fixed-size field;
 * longer ones are refused. Pure code, unit-tested and fuzzed in userland.
 */
#ifndef _KS3_S3_XML_REQ_H
#define _KS3_S3_XML_REQ_H

#include <linux/types.h>
#include <linux/ks3_disk.h>

#include "errors.h"

/* Largest XML request body: 10000 parts with checksums, or 1000 keys. */
#define KS3_S3_XML_BODY_MAX	(4U << 20)
#define KS3_XML_DEPTH_MAX	8
#define KS3_S3_DELETE_MAX	1000

enum ks3_xml_tok_type {
	KS3_XML_EOF,
	KS3_XML_START,			/* name */
	KS3_XML_END,			/* name */
	KS3_XML_TEXT,			/* raw text (entities not decoded) */
	KS3_XML_CDATA,			/* literal text */
};

struct ks3_xml_tok {
	enum ks3_xml_tok_type type;
	const char *p;			/* local name (no prefix) or text */
	size_t len;
};

struct ks3_xml_rd {
	const char *buf;
	size_t len;
	size_t pos;
	u8 depth;
	bool root_done;			/* the root element has ended */
	bool pending_end;		/* <x/>: the END comes next */
	struct {
		const char *p;		/* full name, prefix included */
		size_t len;
	} stack[KS3_XML_DEPTH_MAX];
};

void ks3_xml_rd_init(struct ks3_xml_rd *r, const char *buf, size_t len);
/*
 * The next token: 0, or -EBADMSG for anything not well-formed (or a
 * DOCTYPE, or deeper than KS3_XML_DEPTH_MAX).
 */
int ks3_xml_next(struct ks3_xml_rd *r, struct ks3_xml_tok *t);
/*
 * Appends the text of @t (entities decoded unless CDATA) to @out, which
 * holds *@len bytes of @size. -EBADMSG for a bad entity, -ENOSPC if it
 * does not fit.
 */
int ks3_xml_text_append(const struct ks3_xml_tok *t, char *out, size_t size,
			size_t *len);

/* One <Part> of a CompleteMultipartUpload body. */
struct ks3_xml_part {
	u32 number;
	bool has_etag;
	bool etag_valid;		/* 32 hex digits, quoted or not */
	u8 etag[16];
	u8 cksum_alg;			/* enum ks3_cksum_alg, 0: none given */
	u8 cksum_b64_len;
	char cksum_b64[64];		/* as given (base64) */
};

/*
 * Parses a CompleteMultipartUpload body, calling @fn for each part in
 * document order (@fn may return a negative errno to stop: returned as
 * KS3_S3_INTERNAL_ERROR). Returns KS3_S3_OK, KS3_S3_MALFORMED_XML (not
 * well-formed, not the schema, no part, a part without a number, more
 * than KS3_PARTS_MAX parts, two checksums in one part), KS3_S3_INVALID_PART_ORDER
 * (numbers not strictly ascending) or KS3_S3_INVALID_ARGUMENT (a part
 * number outside 1..10000).
 */
enum ks3_s3_err ks3_xml_parse_complete(const char *buf, size_t len,
				       int (*fn)(void *arg,
						 const struct ks3_xml_part *p),
				       void *arg);

/* One <Object> of a Delete body. */
struct ks3_xml_delete_obj {
	char key[KS3_OBJECT_KEY_MAX];
	u16 key_len;
	bool has_version;
	u8 version_len;
	char version[64];
};

/*
 * Parses a Delete body: *@quiet from <Quiet>, @fn for each object. Returns
 * KS3_S3_OK, KS3_S3_MALFORMED_XML (not well-formed, not the schema, no
 * object or more than KS3_S3_DELETE_MAX, an empty key or one over 1024
 * bytes, a version id over 63 bytes), or KS3_S3_INTERNAL_ERROR if @fn
 * failed.
 */
enum ks3_s3_err ks3_xml_parse_delete(const char *buf, size_t len, bool *quiet,
				     int (*fn)(void *arg,
					       const struct ks3_xml_delete_obj *o),
				     void *arg);

#endif /* _KS3_S3_XML_REQ_H */
