// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: ks3_http_parse_head() (module/http/parse.c). The first two
 * input bytes pick the limits (head max, URL max, field count), the rest is
 * the bytes received, in a heap block of exactly that size. Checked:
 * - a success is at most the input and the head limit long, ends in
 *   CRLFCRLF, and every pointer in the request lies inside it;
 * - fields: count within the limit, non-empty token names, values without
 *   CR, LF, NUL or other controls and without OWS at either end; the
 *   request-target is origin-form and within the URL limit;
 * - framing is never ambiguous: not Content-Length and chunked together,
 *   Host exactly once in 1.1, Connection-less 1.1 keeps alive;
 * - restartable: every prefix of a complete head needs more (0), more
 *   bytes behind it change nothing, and parsing twice gives one answer;
 * - "need more" only below the head limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/parse.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "http_head fuzz: %s failed at %s:%d\n",	\
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

static struct ks3_http_request req, again;

static bool inside(const char *p, size_t n, const char *buf, size_t len)
{
	return p >= buf && p <= buf + len && n <= (size_t)(buf + len - p);
}

static bool tchar(u8 c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static void check_success(const char *buf, size_t r, size_t max,
			  size_t url_max, unsigned int max_fields)
{
	unsigned int i;

	FUZZ_CHECK(r >= 16 && r <= max && r <= KS3_HTTP_HEAD_MAX);
	FUZZ_CHECK(!memcmp(buf + r - 4, "\r\n\r\n", 4));
	FUZZ_CHECK(req.method_len > 0 && req.method_name >= buf &&
		   inside(req.method_name, req.method_len, buf, r));
	for (i = 0; i < req.method_len; i++)
		FUZZ_CHECK(tchar(req.method_name[i]));
	FUZZ_CHECK(req.version_minor <= 1);
	FUZZ_CHECK(inside(req.target, req.target_len, buf, r));
	FUZZ_CHECK(req.target_len >= 1 && req.target_len <= url_max);
	FUZZ_CHECK(req.target[0] == '/');
	for (i = 0; i < req.target_len; i++)
		FUZZ_CHECK((u8)req.target[i] > 0x20 && (u8)req.target[i] < 0x7f);
	FUZZ_CHECK(req.path == req.target && req.path_len <= req.target_len);
	FUZZ_CHECK(!memchr(req.path, '?', req.path_len));
	if (req.path_len < req.target_len) {
		FUZZ_CHECK(req.query == req.path + req.path_len + 1);
		FUZZ_CHECK(req.path_len + 1 + req.query_len == req.target_len);
	} else {
		FUZZ_CHECK(req.query_len == 0);
	}
	FUZZ_CHECK(inside(req.query, req.query_len, buf, r));

	FUZZ_CHECK(req.nr_fields <= max_fields &&
		   req.nr_fields <= KS3_HTTP_FIELDS_MAX);
	for (i = 0; i < req.nr_fields; i++) {
		const struct ks3_http_field *f = &req.fields[i];
		unsigned int j;

		FUZZ_CHECK(f->name_len > 0);
		FUZZ_CHECK(inside(f->name, f->name_len, buf, r));
		FUZZ_CHECK(inside(f->value, f->value_len, buf, r));
		FUZZ_CHECK(f->name > req.target);
		for (j = 0; j < f->name_len; j++)
			FUZZ_CHECK(tchar(f->name[j]));
		FUZZ_CHECK(f->name[f->name_len] == ':');
		for (j = 0; j < f->value_len; j++) {
			u8 c = f->value[j];

			FUZZ_CHECK(c == '\t' || (c >= 0x20 && c != 0x7f));
		}
		if (f->value_len) {
			FUZZ_CHECK(f->value[0] != ' ' && f->value[0] != '\t');
			FUZZ_CHECK(f->value[f->value_len - 1] != ' ' &&
				   f->value[f->value_len - 1] != '\t');
		}
		if (i)
			FUZZ_CHECK(f->name > req.fields[i - 1].value);
	}
	FUZZ_CHECK(!(req.has_length && req.chunked));
	FUZZ_CHECK(ks3_http_field_count(&req, "transfer-encoding") == req.chunked);
	if (req.version_minor == 1) {
		FUZZ_CHECK(ks3_http_field_count(&req, "host") == 1);
		if (!ks3_http_field_find(&req, "connection"))
			FUZZ_CHECK(req.keep_alive);
	} else {
		FUZZ_CHECK(ks3_http_field_count(&req, "host") <= 1);
		FUZZ_CHECK(!req.chunked && !req.expect_continue);
		if (!ks3_http_field_find(&req, "connection"))
			FUZZ_CHECK(!req.keep_alive);
	}
	if (!ks3_http_field_find(&req, "content-length"))
		FUZZ_CHECK(!req.has_length);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t max, url_max, len, k;
	unsigned int max_fields;
	char *buf;
	int r, r2;

	if (size < 2)
		return 0;
	/* small limits often, the real ones too */
	max = data[0] & 1 ? KS3_HTTP_HEAD_MAX : 16 + (data[0] >> 1) * 8;
	url_max = data[1] & 1 ? 8192 : 1 + (data[1] >> 4) * 4;
	max_fields = data[1] & 2 ? KS3_HTTP_FIELDS_MAX : (data[1] >> 2) & 3;
	len = size - 2;
	buf = malloc(len ? len : 1);
	if (!buf)
		abort();
	memcpy(buf, data + 2, len);

	r = ks3_http_parse_head(&req, buf, len, max, url_max, max_fields);
	FUZZ_CHECK(r <= (int)len);
	if (r == 0)
		FUZZ_CHECK(len < max && len < KS3_HTTP_HEAD_MAX);
	if (r < 0)
		FUZZ_CHECK(r == -EMSGSIZE || r == -E2BIG || r == -EBADMSG ||
			   r == -EPROTONOSUPPORT || r == -EOPNOTSUPP ||
			   r == -ENAMETOOLONG);
	/* same input, same answer */
	r2 = ks3_http_parse_head(&again, buf, len, max, url_max, max_fields);
	FUZZ_CHECK(r == r2);
	if (r <= 0)
		goto out;
	FUZZ_CHECK(req.nr_fields == again.nr_fields &&
		   req.content_length == again.content_length);
	check_success(buf, r, max, url_max, max_fields);

	/* restartable: prefixes need more, bytes after the head do nothing */
	for (k = 0; k < (size_t)r; k += 1 + k / 2)
		FUZZ_CHECK(ks3_http_parse_head(&again, buf, k, max, url_max,
					       max_fields) == 0);
	FUZZ_CHECK(ks3_http_parse_head(&again, buf, r - 1, max, url_max,
				       max_fields) == 0);
	FUZZ_CHECK(ks3_http_parse_head(&again, buf, r, max, url_max,
				       max_fields) == r);
out:
	free(buf);
	return 0;
}
