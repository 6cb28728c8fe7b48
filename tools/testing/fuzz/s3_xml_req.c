// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/s3/xml_req.c, the CompleteMultipartUpload and Delete
 * body parsers. Input: one byte choosing the schema (even: Complete, odd:
 * Delete), then the body, in a heap block of exactly its size so ASan
 * sees any read past it. Checked on every input:
 * - the raw tokenizer ends (bounded steps), never nests deeper than
 *   KS3_XML_DEPTH_MAX, and every token lies inside the body;
 * - parsing is deterministic: a second parse gives the same verdict and
 *   the same items;
 * - an accepted Complete lists 1..10000 parts with strictly ascending
 *   numbers in 1..10000 and bounded checksum strings;
 * - an accepted Delete lists 1..1000 objects, keys of 1..1024 bytes
 *   without NUL; written back with the module's XML writer (keys of ASCII
 *   bytes), the document parses to the same keys.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "s3/xml.c"
#include "s3/xml_req.c"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "s3_xml_req fuzz: %s failed at %s:%d\n", \
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

struct seen {
	unsigned int n;
	uint32_t last;
	uint64_t hash;			/* FNV-1a over what was seen */
	char (*keys)[KS3_OBJECT_KEY_MAX];
	uint16_t *key_lens;
	bool ascii;
};

static void mix(struct seen *s, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		s->hash = (s->hash ^ b[i]) * 1099511628211ULL;
}

static int on_part(void *arg, const struct ks3_xml_part *p)
{
	struct seen *s = arg;

	FUZZ_CHECK(p->number >= 1 && p->number <= KS3_PARTS_MAX);
	FUZZ_CHECK(p->number > s->last);
	FUZZ_CHECK(p->cksum_b64_len <= sizeof(p->cksum_b64));
	FUZZ_CHECK(p->cksum_alg < KS3_CKSUM_NR);
	FUZZ_CHECK(!p->etag_valid || p->has_etag);
	s->last = p->number;
	s->n++;
	mix(s, &p->number, sizeof(p->number));
	mix(s, p->etag, p->etag_valid ? 16 : 0);
	mix(s, p->cksum_b64, p->cksum_b64_len);
	return 0;
}

static int on_obj(void *arg, const struct ks3_xml_delete_obj *o)
{
	struct seen *s = arg;
	uint16_t i;

	FUZZ_CHECK(o->key_len >= 1 && o->key_len <= KS3_OBJECT_KEY_MAX);
	FUZZ_CHECK(!memchr(o->key, '\0', o->key_len));
	FUZZ_CHECK(o->version_len < sizeof(o->version));
	FUZZ_CHECK(s->n < KS3_S3_DELETE_MAX);
	mix(s, o->key, o->key_len);
	mix(s, o->version, o->version_len);
	if (s->keys) {
		memcpy(s->keys[s->n], o->key, o->key_len);
		s->key_lens[s->n] = o->key_len;
		for (i = 0; i < o->key_len; i++)
			if ((unsigned char)o->key[i] >= 0x80)
				s->ascii = false;
	}
	s->n++;
	return 0;
}

static void check_tokens(const char *buf, size_t len)
{
	struct ks3_xml_rd r;
	struct ks3_xml_tok t;
	size_t steps = 0;

	ks3_xml_rd_init(&r, buf, len);
	for (;;) {
		FUZZ_CHECK(steps++ <= 2 * len + 2);
		if (ks3_xml_next(&r, &t))
			break;
		FUZZ_CHECK(r.depth <= KS3_XML_DEPTH_MAX);
		if (t.type == KS3_XML_EOF)
			break;
		FUZZ_CHECK(t.p >= buf && t.p + t.len <= buf + len);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen a = { .hash = 14695981039346656037ULL, .ascii = true };
	struct seen b = { .hash = 14695981039346656037ULL };
	enum ks3_s3_err e1, e2;
	bool quiet, quiet2;
	char *buf;
	size_t len;

	if (!size)
		return 0;
	len = size - 1;
	buf = malloc(len ? len : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, len);
	check_tokens(buf, len);
	if (!(data[0] & 1)) {
		e1 = ks3_xml_parse_complete(buf, len, on_part, &a);
		e2 = ks3_xml_parse_complete(buf, len, on_part, &b);
		FUZZ_CHECK(e1 == e2);
		if (e1 == KS3_S3_OK) {
			FUZZ_CHECK(a.n >= 1 && a.n <= KS3_PARTS_MAX);
			FUZZ_CHECK(a.n == b.n && a.hash == b.hash);
		}
		free(buf);
		return 0;
	}
	a.keys = malloc(sizeof(*a.keys) * KS3_S3_DELETE_MAX);
	a.key_lens = malloc(sizeof(*a.key_lens) * KS3_S3_DELETE_MAX);
	FUZZ_CHECK(a.keys && a.key_lens);
	e1 = ks3_xml_parse_delete(buf, len, &quiet, on_obj, &a);
	e2 = ks3_xml_parse_delete(buf, len, &quiet2, on_obj, &b);
	FUZZ_CHECK(e1 == e2);
	if (e1 == KS3_S3_OK) {
		FUZZ_CHECK(a.n >= 1 && a.n <= KS3_S3_DELETE_MAX);
		FUZZ_CHECK(a.n == b.n && a.hash == b.hash && quiet == quiet2);
	}
	if (e1 == KS3_S3_OK && a.ascii) {
		/* Written back by the module's writer, read again: same keys. */
		struct seen c = { .hash = 14695981039346656037ULL };
		struct ks3_xml x;
		unsigned int i;
		void *doc;
		size_t dlen;

		ks3_xml_init(&x, KS3_XML_MAX);
		ks3_xml_str(&x, "<Delete>");
		if (quiet)
			ks3_xml_str(&x, "<Quiet>true</Quiet>");
		for (i = 0; i < a.n; i++) {
			ks3_xml_open(&x, "Object");
			ks3_xml_elem(&x, "Key", a.keys[i], a.key_lens[i]);
			ks3_xml_close(&x, "Object");
		}
		ks3_xml_str(&x, "</Delete>");
		FUZZ_CHECK(!ks3_xml_take(&x, &doc, &dlen));
		c.keys = NULL;
		FUZZ_CHECK(ks3_xml_parse_delete(doc, dlen, &quiet2, on_obj,
						&c) == KS3_S3_OK);
		FUZZ_CHECK(quiet2 == quiet && c.n == a.n);
		/* versions were dropped: compare keys through a fresh pass */
		{
			struct seen d = { .hash = 14695981039346656037ULL };

			for (i = 0; i < a.n; i++)
				mix(&d, a.keys[i], a.key_lens[i]);
			FUZZ_CHECK(d.hash == c.hash);
		}
		kvfree(doc);
	}
	free(a.keys);
	free(a.key_lens);
	free(buf);
	return 0;
}
