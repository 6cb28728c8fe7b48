// SPDX-License-Identifier: GPL-2.0
/*
 * aws-chunked decoding: the two signed S3 examples at every split point,
 * byte by byte, and with every kind of damage; unsigned trailers.
 */
#include "s3/aws_chunked.c"
#include "s3/sigv4.c"
#include "s3/checksum.c"
#include "s3/hmac.c"
#include "s3/uri.c"
#include "digest_openssl.c"

#include "unit.h"
#include "s3_testdata.h"

#define EX_PLAIN "s3-examples/chunked-put-object"
#define EX_TRAILER "s3-examples/chunked-put-object-trailer"
#define EX_DECODED 66560

/* The example's key, time and scope as verification derives them. */
static void ex_stream(struct ks3_sigv4_stream *s, const char *dir)
{
	char rel[128], *sig;

	memset(s, 0, sizeof(*s));
	ASSERT_EQ(ks3_sigv4_signing_key(s->key,
					"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
					40, "20130524", "us-east-1", 9, "s3", 2),
		  0);
	memcpy(s->amz_date, "20130524T000000Z", 16);
	memcpy(s->scope, "20130524/us-east-1/s3/aws4_request", 34);
	s->scope_len = 34;
	snprintf(rel, sizeof(rel), "%s/signature.txt", dir);
	sig = td_read_line(rel);
	ASSERT_NOT_NULL(sig);
	ASSERT_EQ(ks3_hex_decode(s->seed, sig, 32, true), 0);
	free(sig);
}

struct run {
	int ret;
	size_t used;
	size_t out_len;
	bool all_a;
	char trailer[64];
};

/*
 * Decode @in in pieces: the first @split bytes, then the rest, each piece
 * possibly over several calls. @step > 0 feeds at most @step bytes a call.
 */
static void decode(const struct ks3_aws_chunked_params *p, const u8 *in,
		   size_t len, size_t split, size_t step, struct run *r)
{
	struct ks3_aws_chunked d;
	size_t off = 0, used, dlen, vlen;
	const u8 *data;
	const char *v;

	memset(r, 0, sizeof(*r));
	r->all_a = true;
	ks3_aws_chunked_init(&d, p);
	while (off < len) {
		size_t end = off < split ? split : len;
		size_t avail = end - off;

		if (step && avail > step)
			avail = step;
		r->ret = ks3_aws_chunked_decode(&d, in + off, avail, &used,
						&data, &dlen);
		if (used > avail)
			abort();
		if (dlen) {
			if (data < in + off || data + dlen > in + off + used)
				abort();
			r->out_len += dlen;
			for (size_t i = 0; i < dlen; i++)
				r->all_a &= data[i] == 'a';
		}
		off += used;
		if (r->ret)
			break;
		if (!used && avail)
			abort();	/* no progress without an answer */
	}
	r->used = off;
	v = ks3_aws_chunked_trailer(&d, "x-amz-checksum-crc32c", &vlen);
	if (r->ret == 1 && v && vlen < sizeof(r->trailer))
		memcpy(r->trailer, v, vlen);
	ks3_aws_chunked_release(&d);
}

static u8 *ex_body(const char *dir, size_t *len)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "%s/body.bin", dir);
	return (u8 *)td_read(rel, len);
}

static void every_split(const char *dir, bool trailer)
{
	struct ks3_sigv4_stream s;
	struct ks3_aws_chunked_params p = {
		.stream = &s, .trailer = trailer, .decoded_length = EX_DECODED,
		.allowed = "x-amz-checksum-crc32c", .allowed_len = 21,
	};
	struct run r;
	size_t len, k, bad = 0;
	u8 *body = ex_body(dir, &len), *padded;

	ASSERT_NOT_NULL(body);
	ex_stream(&s, dir);
	EXPECT_EQ(len, trailer ? 66946 : 66824);
	/*
	 * Every split point around the framing (the chunk lines, CRLFs and
	 * trailer: every state of the machine), every 61st inside the runs of
	 * data, which only cut a data run in two; byte by byte below covers
	 * every boundary at once.
	 */
	for (k = 0; k <= len; k++) {
		size_t j, lo = k > 160 ? k - 160 : 0, hi = min(k + 160, len);
		bool framing = false;

		for (j = lo; j < hi && !framing; j += 8)
			framing = body[j] != 'a';
		if (!framing && k % 61)
			continue;
		decode(&p, body, len, k, 0, &r);
		if (r.ret != 1 || r.used != len || r.out_len != EX_DECODED ||
		    !r.all_a ||
		    (trailer && strcmp(r.trailer, "sOO8/Q=="))) {
			if (!bad++)
				unit_fail(__FILE__, __LINE__,
					  "%s split %zu: ret %d used %zu out %zu",
					  dir, k, r.ret, r.used, r.out_len);
		}
	}
	EXPECT_EQ(bad, 0);
	decode(&p, body, len, 0, 1, &r);	/* byte by byte */
	EXPECT_EQ(r.ret, 1);
	EXPECT_EQ(r.out_len, EX_DECODED);
	decode(&p, body, len, 0, 4093, &r);
	EXPECT_EQ(r.ret, 1);
	/* a pipelined request after the body is not consumed */
	padded = malloc(len + 10);
	memcpy(padded, body, len);
	memcpy(padded + len, "GET / HTTP", 10);
	decode(&p, padded, len + 10, len - 3, 0, &r);
	EXPECT_EQ(r.ret, 1);
	EXPECT_EQ(r.used, len);
	free(padded);
	free(body);
}

TEST(example_every_split)
{
	every_split(EX_PLAIN, false);
}

TEST(example_trailer_every_split)
{
	every_split(EX_TRAILER, true);
}

/* The trailer example with @from replaced by @to (first occurrence). */
static int damaged(const char *from, const char *to, u64 decoded,
		   const char *allowed)
{
	struct ks3_sigv4_stream s;
	struct ks3_aws_chunked_params p = {
		.stream = &s, .trailer = true, .decoded_length = decoded,
		.allowed = allowed, .allowed_len = allowed ? strlen(allowed) : 0,
	};
	struct run r;
	size_t len, fl = strlen(from), tl = strlen(to);
	u8 *body = ex_body(EX_TRAILER, &len), *out, *hit = NULL;
	size_t i;

	ex_stream(&s, EX_TRAILER);
	for (i = 0; i + fl <= len; i++)
		if (!memcmp(body + i, from, fl)) {
			hit = body + i;
			break;
		}
	if (!hit)
		abort();
	out = malloc(len - fl + tl);
	memcpy(out, body, hit - body);
	memcpy(out + (hit - body), to, tl);
	memcpy(out + (hit - body) + tl, hit + fl, len - (hit - body) - fl);
	decode(&p, out, len - fl + tl, 7, 0, &r);
	free(out);
	free(body);
	return r.ret;
}

TEST(damage)
{
	const char *crc = "x-amz-checksum-crc32c";

	/* unchanged: verifies */
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED, crc), 1);
	/* one data byte */
	EXPECT_EQ(damaged("aaaa", "aaba", EX_DECODED, crc), -EKEYREJECTED);
	/* chunk signatures */
	EXPECT_EQ(damaged("chunk-signature=b", "chunk-signature=c", EX_DECODED, crc),
		  -EKEYREJECTED);
	EXPECT_EQ(damaged("chunk-signature=b", "chunk-signature=B", EX_DECODED, crc),
		  -EBADMSG);
	EXPECT_EQ(damaged("chunk-signature=b", "chunk-signaturE=b", EX_DECODED, crc),
		  -EBADMSG);
	EXPECT_EQ(damaged(";chunk-signature=b", "; chunk-signature=b", EX_DECODED, crc),
		  -EBADMSG);
	/* the last chunk's signature */
	EXPECT_EQ(damaged("0;chunk-signature=2", "0;chunk-signature=3", EX_DECODED, crc),
		  -EKEYREJECTED);
	/* trailer value, name case, signature, order */
	EXPECT_EQ(damaged("sOO8/Q==", "sOO8/Q=A", EX_DECODED, crc), -EKEYREJECTED);
	EXPECT_EQ(damaged("x-amz-checksum-crc32c:", "X-Amz-Checksum-Crc32c:", EX_DECODED, crc),
		  1);
	EXPECT_EQ(damaged("x-amz-checksum-crc32c:", "x-amz-checksum-crc32c: ", EX_DECODED, crc),
		  1);
	EXPECT_EQ(damaged("x-amz-trailer-signature:d", "x-amz-trailer-signature:e", EX_DECODED, crc),
		  -EKEYREJECTED);
	EXPECT_EQ(damaged("x-amz-trailer-signature:", "x-amz-trailer-signaturf:", EX_DECODED, crc),
		  -EPROTO);
	EXPECT_EQ(damaged("x-amz-checksum-crc32c:sOO8/Q==\r\n", "", EX_DECODED, crc),
		  -EKEYREJECTED);
	EXPECT_EQ(damaged("x-amz-checksum-crc32c:sOO8/Q==\r\n", "", EX_DECODED, NULL),
		  -EKEYREJECTED);
	/* a trailer not announced in x-amz-trailer */
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED, "x-amz-checksum-crc32"), -EPROTO);
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED, NULL), -EPROTO);
	/* announced among others: fine, as long as each one arrives */
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED, " X-Amz-Checksum-CRC32C "), 1);
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED, "x-amz-checksum-crc32c,x-amz-checksum-sha1"),
		  -EPROTO);
	/* the tolerated blank line before the trailer; not two */
	EXPECT_EQ(damaged("\r\nx-amz-checksum-crc32c", "\r\n\r\nx-amz-checksum-crc32c",
			  EX_DECODED, crc), 1);
	EXPECT_EQ(damaged("\r\nx-amz-checksum-crc32c", "\r\n\r\n\r\nx-amz-checksum-crc32c",
			  EX_DECODED, crc), -EBADMSG);
	/* decoded length: too small for a chunk, larger than the data */
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED - 1, crc), -EMSGSIZE);
	EXPECT_EQ(damaged("aaaa", "aaaa", EX_DECODED + 1, crc), -ERANGE);
	/* framing */
	EXPECT_EQ(damaged("10000;", "10000 ;", EX_DECODED, crc), -EBADMSG);
	EXPECT_EQ(damaged("10000;", ";", EX_DECODED, crc), -EBADMSG);
	EXPECT_EQ(damaged("10000;", "010000;", EX_DECODED, crc), 1);
	EXPECT_EQ(damaged("10000;", "00000000000010000;", EX_DECODED, crc), -EMSGSIZE);
	EXPECT_EQ(damaged("aaaa\r\n400", "aaaa\n400", EX_DECODED, crc), -EBADMSG);
	EXPECT_EQ(damaged("aaaa\r\n400", "aaaa\r\r\n400", EX_DECODED, crc), -EBADMSG);
	EXPECT_EQ(damaged("aaaa\r\n400", "aaaa\r\n400\r", EX_DECODED, crc), -EBADMSG);
}

TEST(long_lines)
{
	struct ks3_aws_chunked_params p = { .decoded_length = 10 };
	struct ks3_aws_chunked d;
	u8 line[300];
	const u8 *data;
	size_t used, dlen;

	memset(line, '0', sizeof(line));
	ks3_aws_chunked_init(&d, &p);
	EXPECT_EQ(ks3_aws_chunked_decode(&d, line, sizeof(line), &used, &data,
					 &dlen), -EMSGSIZE);
	/* sticky */
	EXPECT_EQ(ks3_aws_chunked_decode(&d, (const u8 *)"\r\n", 2, &used,
					 &data, &dlen), -EMSGSIZE);
	ks3_aws_chunked_release(&d);
}

static int unsigned_body(const char *body, const char *allowed, u64 decoded,
			 char *out, size_t out_size, char *crc, size_t crc_size)
{
	struct ks3_aws_chunked_params p = {
		.trailer = true, .decoded_length = decoded,
		.allowed = allowed, .allowed_len = strlen(allowed),
	};
	struct ks3_aws_chunked d;
	size_t len = strlen(body), off = 0, used, dlen, o = 0, vlen;
	const u8 *data;
	const char *v;
	int ret = 0;

	ks3_aws_chunked_init(&d, &p);
	while (off < len && !ret) {
		ret = ks3_aws_chunked_decode(&d, (const u8 *)body + off, 1,
					     &used, &data, &dlen);
		if (dlen && o + dlen < out_size) {
			memcpy(out + o, data, dlen);
			o += dlen;
		}
		off += used;
	}
	out[o] = '\0';
	crc[0] = '\0';
	v = ks3_aws_chunked_trailer(&d, "x-amz-checksum-crc32", &vlen);
	if (v && vlen < crc_size) {
		memcpy(crc, v, vlen);
		crc[vlen] = '\0';
	}
	ks3_aws_chunked_release(&d);
	return ret;
}

TEST(unsigned_trailer)
{
	char out[64], crc[64];
	u8 raw[4];
	struct ks3_cksum c;

	/* what botocore sends for STREAMING-UNSIGNED-PAYLOAD-TRAILER */
	EXPECT_EQ(unsigned_body("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n",
				"x-amz-checksum-crc32", 11, out, sizeof(out), crc,
				sizeof(crc)), 1);
	EXPECT_STREQ(out, "hello world");
	EXPECT_STREQ(crc, "DUoRhQ==");
	ASSERT_EQ(ks3_cksum_init(&c, KS3_CKSUM_CRC32), 0);
	ks3_cksum_update(&c, out, strlen(out));
	EXPECT_EQ(ks3_cksum_final(&c, raw), 4);
	EXPECT_TRUE(ks3_cksum_matches(KS3_CKSUM_CRC32, raw, crc, strlen(crc)));
	/* a signature extension where none belongs */
	EXPECT_EQ(unsigned_body("5;chunk-signature=00\r\nhello\r\n0\r\n\r\n",
				"x-amz-checksum-crc32", 5, out, sizeof(out), crc,
				sizeof(crc)), -EBADMSG);
	/* a trailer signature where none belongs */
	EXPECT_EQ(unsigned_body("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\nx-amz-trailer-signature:00\r\n\r\n",
				"x-amz-checksum-crc32", 5, out, sizeof(out), crc,
				sizeof(crc)), -EBADMSG);
	/* announced, never sent */
	EXPECT_EQ(unsigned_body("5\r\nhello\r\n0\r\n\r\n",
				"x-amz-checksum-crc32", 5, out, sizeof(out), crc,
				sizeof(crc)), -EPROTO);
	/* repeated */
	EXPECT_EQ(unsigned_body("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n",
				"x-amz-checksum-crc32", 5, out, sizeof(out), crc,
				sizeof(crc)), -EPROTO);
	/* more data than declared */
	EXPECT_EQ(unsigned_body("5\r\nhello\r\n0\r\n\r\n",
				"x-amz-checksum-crc32", 4, out, sizeof(out), crc,
				sizeof(crc)), -EMSGSIZE);
	/* missing CRLF after data */
	EXPECT_EQ(unsigned_body("5\r\nhello0\r\n\r\n",
				"x-amz-checksum-crc32", 5, out, sizeof(out), crc,
				sizeof(crc)), -EBADMSG);
	/* a bare LF line end */
	EXPECT_EQ(unsigned_body("5\nhello\r\n0\r\n\r\n",
				"x-amz-checksum-crc32", 5, out, sizeof(out), crc,
				sizeof(crc)), -EBADMSG);
}

TEST(trailer_bounds)
{
	struct ks3_aws_chunked_params p = {
		.trailer = true, .decoded_length = 0,
		.allowed = "a,b,c,d,e", .allowed_len = 9,
	};
	struct ks3_aws_chunked d;
	const char *body = "0\r\na:1\r\nb:2\r\nc:3\r\nd:4\r\ne:5\r\n\r\n";
	size_t used, dlen, off = 0;
	const u8 *data;
	int ret = 0;

	ks3_aws_chunked_init(&d, &p);
	while (!ret && off < strlen(body)) {
		ret = ks3_aws_chunked_decode(&d, (const u8 *)body + off,
					     strlen(body) - off, &used, &data,
					     &dlen);
		off += used;
	}
	EXPECT_EQ(ret, -EMSGSIZE);
	ks3_aws_chunked_release(&d);
}
