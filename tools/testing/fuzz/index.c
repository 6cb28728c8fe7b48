// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target: module/storage/index.c. The input is a set of keys (each
 * possibly sharing a run of bytes with the one before, so common prefixes
 * are frequent) and listing parameters. Checked on every input:
 * - iteration visits the keys in memcmp() order, once each;
 * - seek_ge/seek_gt/seek_past_prefix land where a linear scan says;
 * - ks3_index_list() agrees with the naive model of index_model.h on the
 *   items, their order, truncation and next;
 * - listing page by page from next to next adds up to the full listing;
 * - every key lives in a heap block of its exact size: ASan sees any
 *   read past it.
 *
 * Input: max-keys byte, page byte, then prefix, delimiter and start-after
 * as a length byte and bytes, then keys: a byte (bit 0: invisible, bits
 * 1-3: bytes taken from the previous key) and a length byte (low 6 bits)
 * followed by that many new bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "storage/index.c"
#include <tools/lib/rbtree.c>

#include "../../../tests/kunit/index_model.h"

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "index fuzz: %s failed at %s:%d\n",	\
			#cond, __FILE__, __LINE__);			\
		abort();						\
	}								\
} while (0)

#define FUZZ_KEYS_MAX	512

struct fentry {
	struct ks3_index_node node;
	bool visible;
	char key[];
};

struct input {
	const uint8_t *p;
	size_t left;
};

static size_t take(struct input *in, const uint8_t **bytes, size_t want)
{
	size_t n = want < in->left ? want : in->left;

	*bytes = in->p;
	in->p += n;
	in->left -= n;
	return n;
}

static unsigned int take_byte(struct input *in)
{
	const uint8_t *b;

	return take(in, &b, 1) ? b[0] : 0;
}

/* A field: a length byte, reduced mod @mod, then that many bytes (copied). */
static size_t take_field(struct input *in, char *buf, unsigned int mod)
{
	const uint8_t *b;
	size_t n = take(in, &b, take_byte(in) % mod);

	memcpy(buf, b, n);
	return n;
}

struct collect {
	struct ks3_model_item *items;
	uint32_t nr, cap;
};

static bool f_visible(void *arg, struct ks3_index_node *n)
{
	(void)arg;
	return container_of(n, struct fentry, node)->visible;
}

static int f_add(struct collect *c, const char *p, u16 len, bool is_prefix)
{
	FUZZ_CHECK(c->nr < c->cap);
	c->items[c->nr].p = p;
	c->items[c->nr].len = len;
	c->items[c->nr].is_prefix = is_prefix;
	c->nr++;
	return 0;
}

static int f_content(void *arg, struct ks3_index_node *n)
{
	return f_add(arg, ks3_index_key(n), n->key_len, false);
}

static int f_prefix(void *arg, const char *p, u16 len)
{
	return f_add(arg, p, len, true);
}

static const struct ks3_list_ops f_ops = {
	.visible = f_visible,
	.content = f_content,
	.prefix = f_prefix,
};

static bool item_eq(const struct ks3_model_item *a,
		    const struct ks3_model_item *b)
{
	return a->is_prefix == b->is_prefix &&
	       !ks3_model_bytes_cmp(a->p, a->len, b->p, b->len);
}

/* First key in @keys (sorted) for which @pred holds, by linear scan. */
static size_t scan(const struct ks3_model_key *keys, size_t nr,
		   const char *s, size_t len, int kind)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const struct ks3_model_key *k = &keys[i];
		int c = ks3_model_bytes_cmp(k->key, k->len, s, len);

		if (kind == 0 && c >= 0)
			break;
		if (kind == 1 && c > 0)
			break;
		if (kind == 2 && c > 0 &&
		    !ks3_model_starts_with(k->key, k->len, s, len))
			break;
	}
	return i;
}

static void check_seek(const struct ks3_index *idx,
		       const struct ks3_model_key *keys, size_t nr,
		       const char *s, size_t len)
{
	struct ks3_index_node *got[3] = {
		ks3_index_seek_ge(idx, s, len),
		ks3_index_seek_gt(idx, s, len),
		ks3_index_seek_past_prefix(idx, s, len),
	};
	int kind;

	for (kind = 0; kind < 3; kind++) {
		size_t i = scan(keys, nr, s, len, kind);

		if (i == nr) {
			FUZZ_CHECK(!got[kind]);
		} else {
			FUZZ_CHECK(got[kind]);
			FUZZ_CHECK(ks3_index_key(got[kind]) == keys[i].key);
		}
	}
}

static void check_list(const struct ks3_index *idx,
		       const struct ks3_model_key *keys, size_t nr,
		       const struct ks3_list_params *p, uint32_t page)
{
	struct ks3_model_item *want = calloc(nr + 1, sizeof(*want));
	struct ks3_model_item *got = calloc(nr + 1, sizeof(*got));
	struct ks3_list_params q = *p;
	struct collect c = { .items = got, .cap = nr + 1 };
	struct ks3_list_result res;
	char next[KS3_KEY_MAX];
	uint32_t n, all, i, done;
	bool trunc;

	FUZZ_CHECK(want && got);
	/* one listing, as asked */
	n = ks3_model_list(keys, nr, p, want, &trunc);
	FUZZ_CHECK(!ks3_index_list(idx, p, &f_ops, &c, &res));
	FUZZ_CHECK(c.nr == n && res.count == n && res.is_truncated == trunc);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(item_eq(&got[i], &want[i]));
	if (n) {
		FUZZ_CHECK(res.next == got[n - 1].p);
		FUZZ_CHECK(res.next_len == got[n - 1].len);
	} else {
		FUZZ_CHECK(!res.next && !res.is_truncated);
	}

	/* page by page, against the full listing */
	q.max_keys = nr + 1;
	all = ks3_model_list(keys, nr, &q, want, &trunc);
	FUZZ_CHECK(!trunc);
	q.max_keys = page;
	done = 0;
	for (;;) {
		c.nr = 0;
		c.cap = page;
		FUZZ_CHECK(!ks3_index_list(idx, &q, &f_ops, &c, &res));
		for (i = 0; i < c.nr; i++, done++) {
			FUZZ_CHECK(done < all);
			FUZZ_CHECK(item_eq(&got[i], &want[done]));
		}
		if (!res.is_truncated)
			break;
		FUZZ_CHECK(c.nr == page);
		memcpy(next, res.next, res.next_len);
		q.start_after = next;
		q.start_after_len = res.next_len;
	}
	FUZZ_CHECK(done == all);
	free(want);
	free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ks3_model_key keys[FUZZ_KEYS_MAX];
	static char prefix[16], delim[8], start[32], key[KS3_KEY_MAX];
	struct input in = { data, size };
	struct ks3_list_params p = { 0 };
	struct ks3_index_node *n;
	struct ks3_index idx;
	size_t nr = 0, len = 0, i;
	unsigned int max, page;

	max = take_byte(&in);
	p.max_keys = max == 255 ? 1000 : max;
	page = 1 + take_byte(&in) % 16;
	p.prefix = prefix;
	p.prefix_len = take_field(&in, prefix, sizeof(prefix));
	p.delim = delim;
	p.delim_len = take_field(&in, delim, sizeof(delim));
	p.start_after = start;
	p.start_after_len = take_field(&in, start, sizeof(start));

	ks3_index_init(&idx);
	while (in.left && nr < FUZZ_KEYS_MAX) {
		unsigned int hdr = take_byte(&in);
		size_t share = (hdr >> 1) & 7;
		const uint8_t *b;
		struct fentry *e;
		size_t add;

		add = take(&in, &b, take_byte(&in) & 63);
		len = (share < len ? share : len);
		if (len + add > KS3_KEY_MAX)
			add = KS3_KEY_MAX - len;
		memcpy(key + len, b, add);
		len += add;
		if (!len)
			continue;
		e = malloc(sizeof(*e) + len);
		FUZZ_CHECK(e);
		memcpy(e->key, key, len);
		e->visible = !(hdr & 1);
		FUZZ_CHECK(!ks3_index_node_init(&e->node, e->key, len));
		if (ks3_index_insert(&idx, &e->node)) {
			free(e);
			continue;
		}
		keys[nr].key = e->key;
		keys[nr].len = len;
		keys[nr].visible = e->visible;
		nr++;
	}
	FUZZ_CHECK(idx.nr == nr);
	qsort(keys, nr, sizeof(keys[0]), ks3_model_key_cmp);

	for (i = 0, n = ks3_index_first(&idx); n; n = ks3_index_next(n), i++) {
		FUZZ_CHECK(i < nr);
		FUZZ_CHECK(ks3_index_key(n) == keys[i].key);
		FUZZ_CHECK(ks3_index_lookup(&idx, keys[i].key, keys[i].len) ==
			   n);
	}
	FUZZ_CHECK(i == nr);

	check_seek(&idx, keys, nr, prefix, p.prefix_len);
	check_seek(&idx, keys, nr, start, p.start_after_len);
	check_list(&idx, keys, nr, &p, page);

	for (i = 0; i < nr; i++) {
		n = ks3_index_lookup(&idx, keys[i].key, keys[i].len);
		FUZZ_CHECK(n);
		ks3_index_erase(&idx, n);
		free(container_of(n, struct fentry, node));
	}
	FUZZ_CHECK(idx.nr == 0 && !ks3_index_first(&idx));
	return 0;
}
