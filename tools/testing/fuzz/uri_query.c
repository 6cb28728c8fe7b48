// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/s3/uri.c. The first byte holds options (parameter
 * slots, decode buffer size), the rest is a query string or path, in a
 * heap block of exactly its size. Checked:
 * - ks3_query_parse(): within the slots, parameters inside the input, in
 *   order, non-empty names, and (as uri.h promises) each name and value
 *   decodes without -EINVAL into a buffer of its raw length; the decoded
 *   name (when free of NUL) finds that parameter or an earlier one with
 *   the same decoded name;
 * - ks3_uri_decode() into a short buffer gives -ENOSPC or the same bytes
 *   as into a large one; decoded length never exceeds the input;
 * - encode(decode(x)) decodes back to decode(x), with and without '/'
 *   kept, and ks3_uri_encoded_len() is what encode writes; one byte less
 *   room is -ENOSPC; encode(x) decodes back to x for any bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "s3/uri.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "uri_query fuzz: %s failed at %s:%d\n",	\
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

#define SLOTS	40

static void round_trip(const char *x, size_t len, bool slash)
{
	size_t elen = ks3_uri_encoded_len(x, len, slash);
	char *enc = malloc(elen + 1), *back = malloc(len + 1);
	ssize_t n;

	if (!enc || !back)
		abort();
	FUZZ_CHECK(elen >= len && elen <= 3 * len);
	n = ks3_uri_encode(enc, elen, x, len, slash);
	FUZZ_CHECK(n == (ssize_t)elen);
	if (elen)
		FUZZ_CHECK(ks3_uri_encode(enc, elen - 1, x, len, slash) ==
			   -ENOSPC);
	n = ks3_uri_decode(back, len, enc, elen, true);
	FUZZ_CHECK(n == (ssize_t)len && !memcmp(back, x, len));
	free(enc);
	free(back);
}

static void check_query(const char *q, size_t len, unsigned int slots)
{
	static struct ks3_query_param p[SLOTS];
	int n = ks3_query_parse(q, len, p, slots);
	unsigned int i;

	if (n < 0) {
		FUZZ_CHECK(n == -EINVAL || n == -E2BIG);
		return;
	}
	FUZZ_CHECK((unsigned int)n <= slots);
	for (i = 0; i < (unsigned int)n; i++) {
		char name[256], *value;
		ssize_t nl, vl;
		const struct ks3_query_param *f;

		FUZZ_CHECK(p[i].name_len > 0);
		FUZZ_CHECK(p[i].name >= q && p[i].name + p[i].name_len <= q + len);
		FUZZ_CHECK(p[i].value >= p[i].name + p[i].name_len);
		FUZZ_CHECK(p[i].value + p[i].value_len <= q + len);
		FUZZ_CHECK(!memchr(p[i].name, '&', p[i].name_len));
		FUZZ_CHECK(!memchr(p[i].name, '=', p[i].name_len));
		FUZZ_CHECK(!memchr(p[i].value, '&', p[i].value_len));
		FUZZ_CHECK(p[i].has_value || p[i].value_len == 0);
		/* in order, an '&' at least between two */
		if (i)
			FUZZ_CHECK(p[i].name >= p[i - 1].value +
					       p[i - 1].value_len + 1);
		value = malloc(p[i].value_len + 1);
		if (!value)
			abort();
		vl = ks3_uri_decode(value, p[i].value_len, p[i].value,
				    p[i].value_len, true);
		FUZZ_CHECK(vl >= 0 && vl <= p[i].value_len);
		free(value);
		if (p[i].name_len >= sizeof(name))
			continue;
		nl = ks3_uri_decode(name, p[i].name_len, p[i].name,
				    p[i].name_len, true);
		FUZZ_CHECK(nl >= 0 && nl <= p[i].name_len);
		if (nl == 0 || memchr(name, 0, nl))
			continue;
		name[nl] = 0;
		f = ks3_query_find(p, n, name);
		FUZZ_CHECK(f && f <= &p[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len, small;
	char *in, *full, *part;
	ssize_t n, m;
	unsigned int slots;
	bool plus;

	if (size < 1)
		return 0;
	slots = data[0] % SLOTS;
	plus = data[0] & 0x40;
	len = size - 1;
	in = malloc(len ? len : 1);
	full = malloc(len ? len : 1);
	if (!in || !full)
		abort();
	memcpy(in, data + 1, len);

	check_query(in, len, slots);

	n = ks3_uri_decode(full, len, in, len, plus);
	FUZZ_CHECK(n == -EINVAL || (n >= 0 && (size_t)n <= len));
	/* a short buffer: -ENOSPC, or the same result */
	small = len ? (data[0] * 7u) % (len + 1) : 0;
	part = malloc(small ? small : 1);
	if (!part)
		abort();
	m = ks3_uri_decode(part, small, in, len, plus);
	if (n >= 0 && (size_t)n <= small)
		FUZZ_CHECK(m == n && !memcmp(part, full, n));
	else if (n >= 0)
		FUZZ_CHECK(m == -ENOSPC);
	else
		FUZZ_CHECK(m == -EINVAL || m == -ENOSPC);
	if (n >= 0) {
		round_trip(full, n, false);
		round_trip(full, n, true);
	}
	round_trip(in, len, data[0] & 0x80);

	free(part);
	free(full);
	free(in);
	return 0;
}
