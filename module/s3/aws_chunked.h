/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoder for "Content-Encoding: aws-chunked" request bodies (pure code).
 * Its input is the body after HTTP framing (Content-Length or
 * Transfer-Encoding: chunked already removed), in pieces split anywhere:
 *
 *   signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]):
 *     <hex size>;chunk-signature=<64 hex>\r\n <data> \r\n   ...
 *     0;chunk-signature=<64 hex>\r\n
 *   unsigned (STREAMING-UNSIGNED-PAYLOAD-TRAILER):
 *     <hex size>\r\n <data> \r\n   ...   0\r\n
 *   then, with a trailer:
 *     x-amz-checksum-crc32c:<base64>\r\n   (the fields x-amz-trailer named)
 *     x-amz-trailer-signature:<64 hex>\r\n (signed variant only)
 *   then "\r\n".
 *
 * (One blank line between the last chunk and the trailer fields, which
 * some clients send, is tolerated in the signed trailer variant.)
 *
 * Data is not copied: *data / *data_len point into the input, as with
 * ks3_http_chunked_decode(). Chunk signatures are checked at the end of
 * each chunk (the data is hashed as it passes), so data is handed out
 * before its chunk is verified: the handler must not make the object
 * visible before ks3_aws_chunked_decode() returned 1.
 *
 * Bounds: a chunk-size line at most KS3_AWS_CHUNKED_LINE_MAX bytes; chunk
 * sizes may not pass the declared decoded length (x-amz-decoded-content-
 * length), and the decoded total must equal it at the end; at most
 * KS3_AWS_CHUNKED_TRAILERS trailer fields in KS3_AWS_CHUNKED_TRAILER_MAX
 * bytes, only names listed in x-amz-trailer, each at most once.
 */
#ifndef _KS3_S3_AWS_CHUNKED_H
#define _KS3_S3_AWS_CHUNKED_H

#include <linux/types.h>

#include "s3/digest.h"
#include "s3/sigv4.h"

#define KS3_AWS_CHUNKED_LINE_MAX	128	/* "<16 hex>;chunk-signature=<64>" is 98 */
#define KS3_AWS_CHUNKED_TRAILER_MAX	1024	/* "name:value\n" bytes, all fields */
#define KS3_AWS_CHUNKED_TRAILERS	4	/* trailer fields, signature excluded */

struct ks3_aws_chunked_params {
	/* Signed variants: the request's key, scope and seed (from ks3_sigv4). */
	const struct ks3_sigv4_stream *stream;	/* NULL: chunks are unsigned */
	bool trailer;				/* a *-TRAILER variant */
	u64 decoded_length;			/* x-amz-decoded-content-length */
	/*
	 * The x-amz-trailer header value (comma-separated names, case
	 * insensitive), which must stay valid while decoding; NULL/0 if none.
	 */
	const char *allowed;
	size_t allowed_len;
};

struct ks3_aws_trailer_field {
	u16 off;			/* name at trailer[off], lower-cased */
	u8 name_len;
	u16 value_len;			/* value at trailer[off + name_len + 1] */
};

struct ks3_aws_chunked {
	struct ks3_aws_chunked_params p;
	u8 state;
	bool hashing;			/* chunk_hash active */
	bool blank_seen;
	u16 line_len;
	int err;			/* sticky error */
	u64 remaining;			/* data bytes left in this chunk */
	u64 total;			/* decoded bytes so far */
	u8 prev[KS3_SHA256_SIZE];	/* previous signature */
	u8 expect[KS3_SHA256_SIZE];	/* this chunk's claimed signature */
	struct ks3_digest chunk_hash;
	char line[KS3_AWS_CHUNKED_LINE_MAX];
	u8 nr_trailers;
	bool trailer_signed;		/* x-amz-trailer-signature seen */
	u16 trailer_len;
	char trailer[KS3_AWS_CHUNKED_TRAILER_MAX];
	struct ks3_aws_trailer_field fields[KS3_AWS_CHUNKED_TRAILERS];
};

/* Set up @d; @p is copied. Nothing to free until the first decode. */
void ks3_aws_chunked_init(struct ks3_aws_chunked *d,
			  const struct ks3_aws_chunked_params *p);

/*
 * Decode from @in (@in_len bytes). Consumes up to the end of the aws-chunked
 * body and no further. *@data / *@data_len: the next run of decoded data
 * inside @in (maybe 0 bytes); *@used: how much of @in was consumed
 * including that run. Call again with the rest.
 * Returns 1 when the body is complete and verified, 0 to go on, or (sticky:
 * every later call returns it again, consuming nothing) a negative errno,
 * *@used then counting the input up to and including the bad byte:
 *   -EBADMSG      malformed framing (S3: IncompleteBody / InvalidRequest)
 *   -EMSGSIZE     a chunk-size line or the trailer over its bound, or more
 *                 data than the decoded length (S3: InvalidRequest / 400)
 *   -ERANGE       the decoded total differs from decoded_length (S3:
 *                 IncompleteBody)
 *   -EKEYREJECTED a chunk or trailer signature does not match (S3:
 *                 SignatureDoesNotMatch)
 *   -EPROTO       a trailer field not announced in x-amz-trailer, or
 *                 repeated, or announced but missing (S3: InvalidRequest)
 *   other         a digest failure (S3: InternalError)
 */
int ks3_aws_chunked_decode(struct ks3_aws_chunked *d, const u8 *in,
			   size_t in_len, size_t *used, const u8 **data,
			   size_t *data_len);

/*
 * After decode returned 1: the value of trailer field @lname (lower case),
 * or NULL. *@len gets the value's length (not NUL-terminated).
 */
const char *ks3_aws_chunked_trailer(const struct ks3_aws_chunked *d,
				    const char *lname, size_t *len);

/* Free what a decoder in progress holds (the chunk hash). Idempotent. */
void ks3_aws_chunked_release(struct ks3_aws_chunked *d);

#endif /* _KS3_S3_AWS_CHUNKED_H */
