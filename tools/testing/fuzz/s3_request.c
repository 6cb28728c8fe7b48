// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/s3/router.c (path-style and virtual-hosted request
 * targets, the query, sub-resource routing, listing arguments) and the
 * XML escaping of whatever key comes out. Input: one byte picking the
 * method, then the Host value up to the first '\n', then the request
 * target (path and query). Every string sits in a heap block of exactly
 * its size, so ASan reports a read past it. Checked on every input:
 * - an accepted request names a valid operation; its bucket is 1..63
 *   bytes without NUL or '/', its key at most 1024 bytes without NUL;
 * - bucket operations have no key, object operations have one, and only
 *   ListBuckets has no bucket;
 * - listing arguments: max-keys <= 1000, lengths within their buffers, and
 *   a continuation token given decodes to the resume key it stands for;
 * - the key escaped for XML has exactly ks3_xml_escaped_len() bytes, no
 *   raw '<', '>', '&', quote or control byte, and is valid UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "http/parse.c"
#include "s3/uri.c"
#include "s3/checksum.c"
#include "s3/router.c"
#include "digest_openssl.c"
#include "s3/xml.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "s3_request fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

static struct ks3_http_request http;
static struct ks3_s3_request req;

static bool utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t n = ks3_utf8_seq(s + i, len - i);

		if (!n)
			return false;
		i += n;
	}
	return true;
}

static void check_xml(const char *s, size_t len)
{
	struct ks3_xml x;
	void *buf;
	size_t n, i;
	const unsigned char *o;

	ks3_xml_init(&x, KS3_XML_MAX);
	ks3_xml_text(&x, s, len);
	FUZZ_CHECK(!ks3_xml_take(&x, &buf, &n));
	FUZZ_CHECK(n == ks3_xml_escaped_len(s, len));
	o = buf;
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(o[i] != '<' && o[i] != '>' && o[i] != '"' &&
			   o[i] != '\'' && o[i] >= 0x20 && o[i] != 0x7f);
		if (o[i] == '&')
			FUZZ_CHECK(memchr(o + i, ';', n - i));
	}
	FUZZ_CHECK(utf8_valid(o, n));
	kvfree(buf);
}

static void check(const char *domain)
{
	enum ks3_s3_err err = ks3_s3_parse(&req, &http, domain);
	struct ks3_s3_list_args *l = &req.list;

	FUZZ_CHECK(err == req.err);
	if (err != KS3_S3_OK) {
		FUZZ_CHECK(req.key_len <= KS3_OBJECT_KEY_MAX);
		return;
	}
	FUZZ_CHECK(req.op > KS3_S3OP_NONE && req.op < KS3_S3OP_NR);
	FUZZ_CHECK(req.key_len <= KS3_OBJECT_KEY_MAX);
	FUZZ_CHECK(!memchr(req.key, '\0', req.key_len));
	if (req.op == KS3_S3OP_LIST_BUCKETS) {
		FUZZ_CHECK(!req.has_bucket);
		return;
	}
	FUZZ_CHECK(req.has_bucket);
	FUZZ_CHECK(req.bucket_len >= 1 && req.bucket_len <= 63);
	FUZZ_CHECK(strlen(req.bucket) == req.bucket_len);
	FUZZ_CHECK(!memchr(req.bucket, '/', req.bucket_len));
	switch (req.op) {
	case KS3_S3OP_PUT_OBJECT:
	case KS3_S3OP_GET_OBJECT:
	case KS3_S3OP_HEAD_OBJECT:
	case KS3_S3OP_DELETE_OBJECT:
	case KS3_S3OP_COPY_OBJECT:
	case KS3_S3OP_CREATE_MULTIPART:
	case KS3_S3OP_UPLOAD_PART:
	case KS3_S3OP_UPLOAD_PART_COPY:
	case KS3_S3OP_COMPLETE_MULTIPART:
	case KS3_S3OP_ABORT_MULTIPART:
	case KS3_S3OP_LIST_PARTS:
	case KS3_S3OP_GET_OBJECT_TAGGING:
		FUZZ_CHECK(req.key_len > 0);
		break;
	default:
		FUZZ_CHECK(req.key_len == 0);
		break;
	}
	if (req.op == KS3_S3OP_LIST_OBJECTS ||
	    req.op == KS3_S3OP_LIST_OBJECTS_V2) {
		FUZZ_CHECK(l->max_keys <= KS3_S3_LIST_MAX_KEYS);
		FUZZ_CHECK(l->prefix_len <= sizeof(l->prefix));
		FUZZ_CHECK(l->delim_len <= sizeof(l->delim));
		FUZZ_CHECK(l->start_len <= sizeof(l->start));
		FUZZ_CHECK(l->v2 == (req.op == KS3_S3OP_LIST_OBJECTS_V2));
		if (l->has_token) {
			char tok[sizeof(l->token_raw)];
			ssize_t n;

			n = ks3_s3_token_encode(l->start, l->start_len, tok,
						sizeof(tok));
			FUZZ_CHECK(n == l->token_raw_len);
			FUZZ_CHECK(!memcmp(tok, l->token_raw, n));
		}
		check_xml(l->prefix, l->prefix_len);
	}
	check_xml(req.key, req.key_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ks3_http_method methods[] = {
		KS3_HTTP_GET, KS3_HTTP_HEAD, KS3_HTTP_PUT, KS3_HTTP_DELETE,
		KS3_HTTP_POST, KS3_HTTP_OTHER, KS3_HTTP_OPTIONS,
	};
	const uint8_t *nl;
	char *host, *target, *q;
	size_t hlen, tlen;

	if (size < 1 || size > 8192)
		return 0;
	memset(&http, 0, sizeof(http));
	http.method = methods[data[0] % ARRAY_SIZE(methods)];
	data++;
	size--;
	nl = memchr(data, '\n', size);
	hlen = nl ? (size_t)(nl - data) : 0;
	host = malloc(hlen ? hlen : 1);
	memcpy(host, data, hlen);
	if (nl) {
		data += hlen + 1;
		size -= hlen + 1;
	}
	tlen = size;
	target = malloc(tlen ? tlen : 1);
	memcpy(target, data, tlen);
	q = memchr(target, '?', tlen);
	http.target = target;
	http.target_len = tlen;
	http.path = target;
	http.path_len = q ? (u32)(q - target) : tlen;
	http.query = q ? q + 1 : target + tlen;
	http.query_len = q ? tlen - (q - target) - 1 : 0;
	if (nl) {
		http.nr_fields = 1;
		http.fields[0].name = "Host";
		http.fields[0].name_len = 4;
		http.fields[0].value = host;
		http.fields[0].value_len = hlen;
	}
	check("");
	check("s3.example.com");
	free(target);
	free(host);
	return 0;
}
