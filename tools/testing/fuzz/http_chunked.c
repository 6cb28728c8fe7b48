// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: the chunked body decoder (module/http/parse.c). The first
 * four input bytes choose how the body arrives in pieces (each byte a
 * piece size, cyclically; 0 = all of it), the rest is the body. It is
 * decoded twice, once with everything available and once in those pieces,
 * each piece in a heap block of exactly its size. Checked:
 * - both give the same result (done, error code or still going), and when
 *   not failed the same decoded bytes and the same input consumed;
 * - every call consumes no more than given, makes progress or stops, and
 *   returns data that lies inside what it consumed;
 * - done means the consumed input ends in CRLF and the count of decoded
 *   bytes matches the decoder's total;
 * - the decoded bytes are never more than the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/parse.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "http_chunked fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

struct result {
	int ret;
	size_t consumed;
	size_t out_len;
	u64 total;
	u8 *out;
};

static void decode(struct result *r, const u8 *in, size_t len,
		   const u8 *steps)
{
	struct ks3_http_chunked d;
	size_t avail = 0, pos = 0;
	unsigned int k = 0;

	ks3_http_chunked_init(&d);
	r->ret = 0;
	r->out_len = 0;
	while (r->ret == 0) {
		size_t used, dlen, n = avail - pos;
		const u8 *data;
		u8 *copy;

		if (pos == avail) {
			size_t step = steps ? steps[k++ % 4] : 0;

			if (avail == len)
				break;
			avail += step ? min(step, len - avail) : len - avail;
			n = avail - pos;
		}
		copy = malloc(n);
		if (!copy)
			abort();
		memcpy(copy, in + pos, n);
		r->ret = ks3_http_chunked_decode(&d, copy, n, &used, &data,
						 &dlen);
		FUZZ_CHECK(r->ret <= 1);
		if (r->ret >= 0) {
			FUZZ_CHECK(used <= n);
			/* progress, or a finished body */
			FUZZ_CHECK(used > 0 || r->ret == 1);
			if (dlen) {
				FUZZ_CHECK(data >= copy && data + dlen <= copy + used);
				FUZZ_CHECK(r->out_len + dlen <= len);
				memcpy(r->out + r->out_len, data, dlen);
				r->out_len += dlen;
			}
			pos += used;
			if (r->ret == 1)
				FUZZ_CHECK(pos >= 5 && in[pos - 2] == '\r' &&
					   in[pos - 1] == '\n');
		} else {
			FUZZ_CHECK(r->ret == -EBADMSG || r->ret == -EMSGSIZE);
		}
		free(copy);
	}
	r->consumed = pos;
	r->total = d.total;
	FUZZ_CHECK(r->total == r->out_len || r->ret < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result whole, split;
	const u8 *in = data + 4;
	size_t len;

	if (size < 4)
		return 0;
	len = size - 4;
	whole.out = malloc(len + 1);
	split.out = malloc(len + 1);
	if (!whole.out || !split.out)
		abort();
	decode(&whole, in, len, NULL);
	decode(&split, in, len, data);
	FUZZ_CHECK(whole.ret == split.ret);
	if (whole.ret >= 0) {
		FUZZ_CHECK(whole.consumed == split.consumed);
		FUZZ_CHECK(whole.out_len == split.out_len);
		FUZZ_CHECK(!memcmp(whole.out, split.out, whole.out_len));
		FUZZ_CHECK(whole.total == split.total);
	}
	if (whole.ret == 0)
		FUZZ_CHECK(whole.consumed == len);
	free(whole.out);
	free(split.out);
	return 0;
}
