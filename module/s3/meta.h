/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-object metadata blob: storage keeps it opaque (struct
 * ks3_object's meta, at most KS3_OBJECT_META_MAX bytes); the S3 layer
 * encodes in it the standard headers a PUT sets and GET/HEAD return
 * (Content-Type, Content-Encoding, Content-Disposition, Content-Language,
 * Cache-Control, Expires), the user metadata (x-amz-meta-*, at most 2 KiB
 * of names and values, AWS's limit) and the object's checksum.
 *
 * Format (version 1): a version byte, then records of a type byte, a
 * little-endian u16 length and that many bytes. A user record holds a
 * name-length byte, the name (lower case, without "x-amz-meta-") and the
 * value; a checksum record an algorithm byte and the raw digest. Decoding
 * checks every length against the blob and ignores unknown record types,
 * so a later version can add some.
 */
#ifndef _KS3_S3_META_H
#define _KS3_S3_META_H

#include <linux/types.h>

#include "errors.h"
#include "s3/checksum.h"

struct ks3_http_request;

#define KS3_META_VERSION	1
#define KS3_META_USER_BYTES	2048	/* names + values, as AWS counts */
#define KS3_META_USER_MAX	128	/* = KS3_HTTP_FIELDS_MAX */
#define KS3_META_VALUE_MAX	2048	/* one standard header's value */
#define KS3_META_CE_MAX		256	/* Content-Encoding with aws-chunked */
/*
 * The fields of an object's metadata in a GET or HEAD answer, as
 * "Name: value\r\n" lines: what the response head (KS3_HTTP_RESP_HEAD_MAX)
 * has left after the fields every object answer has (ETag, Last-Modified,
 * x-amz-request-id, Content-Range, a checksum, ...). Metadata over this
 * is refused at PUT rather than cut short on GET.
 */
#define KS3_META_RESPONSE_MAX	3072

enum ks3_meta_std {
	KS3_META_CONTENT_TYPE,
	KS3_META_CONTENT_ENCODING,
	KS3_META_CONTENT_DISPOSITION,
	KS3_META_CONTENT_LANGUAGE,
	KS3_META_CACHE_CONTROL,
	KS3_META_EXPIRES,
	KS3_META_NR_STD
};

/* Header names of the standard fields, in enum order ("Content-Type"). */
extern const char *const ks3_meta_std_names[KS3_META_NR_STD];

struct ks3_meta_str {
	const char *p;
	u16 len;
};

struct ks3_meta_user {
	const char *name;		/* lower case after ks3_meta_from_request */
	const char *value;
	u8 name_len;
	u16 value_len;
};

/*
 * Decoded or about to be encoded; the strings point into the blob or the
 * request head (and @ce_buf), which must outlive the struct.
 */
struct ks3_meta {
	struct ks3_meta_str std[KS3_META_NR_STD];
	u16 nr_user;
	u16 user_bytes;
	struct ks3_meta_user user[KS3_META_USER_MAX];
	u8 cksum_algo;			/* enum ks3_cksum_alg */
	u8 cksum_len;
	u8 cksum[KS3_CKSUM_MAX_SIZE];
	/*
	 * The checksum algorithm a multipart upload was created with (its
	 * parts' checksums and the composite one follow it); kept by the
	 * completed object, which GET ignores.
	 */
	u8 upload_cksum_algo;
	bool upload_cksum_full;		/* FULL_OBJECT, else COMPOSITE */
	char ce_buf[KS3_META_CE_MAX];
	/* x-amz-meta-* names as received, lower-cased into here */
	char names[KS3_META_USER_BYTES];
};

/*
 * Fills @m from a PUT's headers: the standard fields (Content-Encoding
 * without its "aws-chunked" token) and x-amz-meta-*. Returns
 * KS3_S3_METADATA_TOO_LARGE over 2 KiB of user metadata or when the
 * fields would not fit an answer's head (KS3_META_RESPONSE_MAX),
 * KS3_S3_INVALID_ARGUMENT for an empty metadata name or a value over
 * KS3_META_VALUE_MAX, else KS3_S3_OK.
 */
enum ks3_s3_err ks3_meta_from_request(const struct ks3_http_request *req,
				      struct ks3_meta *m);

/* Bytes of @m's fields in an answer ("Name: value\r\n" each). */
size_t ks3_meta_response_bytes(const struct ks3_meta *m);

/*
 * Encodes @m into @buf (@size bytes). Returns the length, or -E2BIG if it
 * does not fit (the caller answers MetadataTooLarge).
 */
ssize_t ks3_meta_encode(const struct ks3_meta *m, u8 *buf, size_t size);
/* Decodes @len bytes at @buf; -EINVAL if malformed. */
int ks3_meta_decode(const u8 *buf, size_t len, struct ks3_meta *m);

/* Lower-cases ASCII @len bytes from @src to @dst. */
void ks3_meta_lower(char *dst, const char *src, size_t len);

#endif /* _KS3_S3_META_H */
