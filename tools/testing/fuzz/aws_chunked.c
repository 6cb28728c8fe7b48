// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/s3/aws_chunked.c. Input: one mode byte (bit 0:
 * signed chunks with the S3 trailer example's key and seed, bit 1: a
 * trailer is expected), two bytes choosing a split point, then the body.
 * Checked on every input:
 * - decoding in one piece, split in two at the chosen point, and (for
 *   short inputs) byte by byte give the same answer, the same consumed
 *   length, the same data and the same trailer;
 * - data pointers stay inside the piece just passed, nothing past the
 *   end of the body is consumed, progress is made or an answer given;
 * - signed: a body that verifies carries exactly what the example signed
 *   (66560 'a' and, with a trailer, x-amz-checksum-crc32c:sOO8/Q==), so a
 *   signature check never passes on anything else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "s3/aws_chunked.c"
#include "s3/sigv4.c"
#include "s3/checksum.c"
#include "s3/hmac.c"
#include "s3/uri.c"
#include "digest_openssl.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "aws_chunked fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

#define EX_DECODED 66560

static struct ks3_sigv4_stream ex;

static void ex_setup(void)
{
	static const char seed[] =
		"106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e";
	static bool done;

	if (done)
		return;
	FUZZ_CHECK(!ks3_sigv4_signing_key(ex.key,
		   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 40, "20130524",
		   "us-east-1", 9, "s3", 2));
	memcpy(ex.amz_date, "20130524T000000Z", 16);
	memcpy(ex.scope, "20130524/us-east-1/s3/aws4_request", 34);
	ex.scope_len = 34;
	FUZZ_CHECK(!ks3_hex_decode(ex.seed, seed, 32, true));
	done = true;
}

struct result {
	int ret;
	size_t used;
	size_t out_len;
	u8 *out;
	char trailer[64];
	size_t trailer_len;
};

static void run(const struct ks3_aws_chunked_params *p, const u8 *in,
		size_t len, size_t split, size_t step, struct result *r)
{
	struct ks3_aws_chunked d;
	size_t off = 0, used, dlen, vlen;
	const u8 *data;
	const char *v;

	r->ret = 0;
	r->out_len = 0;
	r->trailer_len = 0;
	ks3_aws_chunked_init(&d, p);
	while (off < len) {
		size_t end = off < split ? split : len;
		size_t avail = end - off;

		if (step && avail > step)
			avail = step;
		r->ret = ks3_aws_chunked_decode(&d, in + off, avail, &used,
						&data, &dlen);
		FUZZ_CHECK(used <= avail);
		if (dlen) {
			FUZZ_CHECK(data >= in + off &&
				   data + dlen <= in + off + used);
			FUZZ_CHECK(r->out_len + dlen <= len);
			memcpy(r->out + r->out_len, data, dlen);
			r->out_len += dlen;
		}
		off += used;
		if (r->ret)
			break;
		FUZZ_CHECK(used || !avail);
	}
	r->used = off;
	if (r->ret < 0) {
		/* sticky */
		FUZZ_CHECK(ks3_aws_chunked_decode(&d, in, len, &used, &data,
						  &dlen) == r->ret);
	}
	v = ks3_aws_chunked_trailer(&d, "x-amz-checksum-crc32c", &vlen);
	if (r->ret == 1 && v) {
		FUZZ_CHECK(vlen <= KS3_AWS_CHUNKED_TRAILER_MAX);
		r->trailer_len = vlen < sizeof(r->trailer) ? vlen :
			sizeof(r->trailer);
		memcpy(r->trailer, v, r->trailer_len);
	}
	ks3_aws_chunked_release(&d);
}

static void same(const struct result *a, const struct result *b)
{
	FUZZ_CHECK(a->ret == b->ret);
	FUZZ_CHECK(a->used == b->used);
	FUZZ_CHECK(a->out_len == b->out_len);
	FUZZ_CHECK(!memcmp(a->out, b->out, a->out_len));
	FUZZ_CHECK(a->trailer_len == b->trailer_len);
	FUZZ_CHECK(!memcmp(a->trailer, b->trailer, a->trailer_len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks3_aws_chunked_params p = { 0 };
	struct result whole, split, bytes;
	const u8 *in;
	u8 *copy;
	size_t len, at, i;

	if (size < 3)
		return 0;
	ex_setup();
	p.stream = data[0] & 1 ? &ex : NULL;
	p.trailer = data[0] & 2;
	p.decoded_length = p.stream ? EX_DECODED : data[0] >> 2;
	p.allowed = data[0] & 0x80 ? "x-amz-checksum-crc32c, x-amz-checksum-sha1" :
				     "x-amz-checksum-crc32c";
	p.allowed_len = strlen(p.allowed);
	len = size - 3;
	/* the body alone in a heap block of its size: ASan sees overreads */
	copy = malloc(len ? len : 1);
	memcpy(copy, data + 3, len);
	in = copy;
	at = len ? ((size_t)data[1] << 8 | data[2]) % (len + 1) : 0;
	whole.out = malloc(len + 1);
	split.out = malloc(len + 1);
	bytes.out = malloc(len + 1);

	run(&p, in, len, 0, 0, &whole);
	run(&p, in, len, at, 0, &split);
	same(&whole, &split);
	if (len <= 4096) {
		run(&p, in, len, 0, 1, &bytes);
		same(&whole, &bytes);
	}
	if (whole.ret == 1) {
		FUZZ_CHECK(whole.out_len == p.decoded_length);
		if (p.stream) {
			for (i = 0; i < whole.out_len; i++)
				FUZZ_CHECK(whole.out[i] == 'a');
			if (p.trailer)
				FUZZ_CHECK(whole.trailer_len == 8 &&
					   !memcmp(whole.trailer, "sOO8/Q==", 8));
		}
	}
	free(whole.out);
	free(split.out);
	free(bytes.out);
	free(copy);
	return 0;
}
