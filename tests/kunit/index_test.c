// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-bucket ordered index (storage/index.c): key order, seeks,
 * and S3 listing semantics, case by case and against the naive model in
 * index_model.h. tests/unit/index_test.c runs the same checks, and a bigger
 * randomized comparison, in userland under ASan/UBSan.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "storage/index.h"
#include "index_model.h"

/* String literals with their length, NULs included. */
#define KS3_IX_STR(lit)		{ (lit), sizeof(lit) - 1 }
#define KS3_IX_LIT(fn, idx, lit) fn((idx), (lit), sizeof(lit) - 1)
#define KS3_IX_ADD(s, lit, vis)	ks3_ix_add((s), (lit), sizeof(lit) - 1, (vis))

struct ks3_ix_entry {
	struct ks3_index_node node;
	bool visible;
	char key[];
};

/* An index and the same keys as a sorted array, for the model. */
struct ks3_ix_set {
	struct kunit *test;
	struct ks3_index idx;
	struct ks3_model_key *keys;
	size_t nr, cap;
};

static struct ks3_ix_entry *ks3_ix_of(struct ks3_index_node *n)
{
	return container_of(n, struct ks3_ix_entry, node);
}

/* Entries belong to the test (kunit_kmalloc): nothing to free. */
static void ks3_ix_release(struct ks3_index_node *n)
{
}

static struct ks3_ix_set *ks3_ix_set_new(struct kunit *test, size_t cap)
{
	struct ks3_ix_set *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->keys = kunit_kcalloc(test, cap, sizeof(*s->keys), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->keys);
	s->test = test;
	s->cap = cap;
	ks3_index_init(&s->idx);
	return s;
}

/* Adds a key to both; false if it is there already. */
static bool ks3_ix_add(struct ks3_ix_set *s, const char *key, size_t len,
		       bool visible)
{
	struct kunit *test = s->test;
	struct ks3_ix_entry *e;

	KUNIT_ASSERT_LT(test, s->nr, s->cap);
	e = kunit_kmalloc(test, sizeof(*e) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	memcpy(e->key, key, len);
	e->visible = visible;
	KUNIT_ASSERT_EQ(test, ks3_index_node_init(&e->node, e->key, len), 0);
	if (ks3_index_insert(&s->idx, &e->node))
		return false;
	s->keys[s->nr].key = e->key;
	s->keys[s->nr].len = len;
	s->keys[s->nr].visible = visible;
	s->nr++;
	return true;
}

static void ks3_ix_sort(struct ks3_ix_set *s)
{
	sort(s->keys, s->nr, sizeof(*s->keys), ks3_model_key_cmp, NULL);
}

static void ks3_ix_add_strs(struct ks3_ix_set *s, const char *const *keys,
			    size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ks3_ix_add(s, keys[i], strlen(keys[i]), true);
	ks3_ix_sort(s);
}

struct ks3_ix_collect {
	struct ks3_model_item *items;
	u32 nr, cap;
	unsigned long visited;		/* calls of visible() */
};

static bool ks3_ix_visible(void *arg, struct ks3_index_node *n)
{
	struct ks3_ix_collect *c = arg;

	c->visited++;
	return ks3_ix_of(n)->visible;
}

static int ks3_ix_item(struct ks3_ix_collect *c, const char *p, u16 len,
		       bool is_prefix)
{
	if (c->nr == c->cap)
		return -EOVERFLOW;
	c->items[c->nr].p = p;
	c->items[c->nr].len = len;
	c->items[c->nr].is_prefix = is_prefix;
	c->nr++;
	return 0;
}

static int ks3_ix_content(void *arg, struct ks3_index_node *n)
{
	return ks3_ix_item(arg, ks3_index_key(n), n->key_len, false);
}

static int ks3_ix_prefix(void *arg, const char *p, u16 len)
{
	return ks3_ix_item(arg, p, len, true);
}

static const struct ks3_list_ops ks3_ix_ops = {
	.visible = ks3_ix_visible,
	.content = ks3_ix_content,
	.prefix = ks3_ix_prefix,
};

static struct ks3_list_params ks3_ix_params(const char *prefix,
					    size_t prefix_len,
					    const char *delim, size_t delim_len,
					    const char *sa, size_t sa_len,
					    u32 max)
{
	struct ks3_list_params p = {
		.prefix = prefix, .prefix_len = prefix_len,
		.delim = delim, .delim_len = delim_len,
		.start_after = sa, .start_after_len = sa_len,
		.max_keys = max,
	};

	return p;
}

/* prefix, delimiter and start-after as string literals */
#define LP(pre, del, sa, max)						\
	ks3_ix_params((pre), sizeof(pre) - 1, (del), sizeof(del) - 1,	\
		      (sa), sizeof(sa) - 1, (max))

#define KS3_IX_TEXT	4096

/*
 * A listing as text: printable ASCII as is, other bytes as \xNN, common
 * prefixes in brackets, items separated by spaces, " +" if truncated.
 */
static void ks3_ix_render(char *buf, const struct ks3_model_item *items,
			  u32 nr, bool truncated)
{
	size_t o = 0, end = KS3_IX_TEXT - 8;
	u32 i, j;

	for (i = 0; i < nr && o < end; i++) {
		if (i)
			buf[o++] = ' ';
		if (items[i].is_prefix)
			buf[o++] = '[';
		for (j = 0; j < items[i].len && o < end; j++) {
			unsigned char ch = items[i].p[j];

			if (ch > 0x20 && ch < 0x7f && ch != '\\' && ch != '[' &&
			    ch != ']' && ch != '+')
				buf[o++] = ch;
			else
				o += scnprintf(buf + o, KS3_IX_TEXT - o,
					       "\\x%02x", ch);
		}
		if (items[i].is_prefix)
			buf[o++] = ']';
	}
	if (truncated) {
		buf[o++] = ' ';
		buf[o++] = '+';
	}
	buf[o] = '\0';
}

/* Runs a listing; checks count, next and truncation against the items. */
static int ks3_ix_run(struct ks3_ix_set *s, const struct ks3_list_params *p,
		      struct ks3_ix_collect *c, struct ks3_list_result *res)
{
	struct kunit *test = s->test;
	int ret;

	c->nr = 0;
	c->visited = 0;
	ret = ks3_index_list(&s->idx, p, &ks3_ix_ops, c, res);
	if (ret)
		return ret;
	KUNIT_EXPECT_EQ(test, res->count, c->nr);
	KUNIT_EXPECT_LE(test, res->count, p->max_keys);
	if (c->nr) {
		KUNIT_EXPECT_PTR_EQ(test, res->next, c->items[c->nr - 1].p);
		KUNIT_EXPECT_EQ(test, res->next_len, c->items[c->nr - 1].len);
	} else {
		KUNIT_EXPECT_NULL(test, res->next);
		KUNIT_EXPECT_FALSE(test, res->is_truncated);
	}
	return 0;
}

static void ks3_ix_expect(struct ks3_ix_set *s, struct ks3_list_params p,
			  const char *want)
{
	struct kunit *test = s->test;
	struct ks3_model_item items[32];
	struct ks3_ix_collect c = { .items = items, .cap = ARRAY_SIZE(items) };
	struct ks3_list_result res;
	char *got = kunit_kmalloc(test, KS3_IX_TEXT, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_EQ(test, ks3_ix_run(s, &p, &c, &res), 0);
	ks3_ix_render(got, items, c.nr, res.is_truncated);
	KUNIT_EXPECT_STREQ(test, got, want);
}

static bool ks3_ix_items_eq(const struct ks3_model_item *a, u32 a_nr,
			    const struct ks3_model_item *b, u32 b_nr)
{
	u32 i;

	if (a_nr != b_nr)
		return false;
	for (i = 0; i < a_nr; i++)
		if (a[i].is_prefix != b[i].is_prefix ||
		    ks3_model_bytes_cmp(a[i].p, a[i].len, b[i].p, b[i].len))
			return false;
	return true;
}

/* The index and the model list the same; on a difference, show both. */
static bool ks3_ix_agree(struct ks3_ix_set *s, struct ks3_list_params lp)
{
	const struct ks3_list_params *p = &lp;
	struct kunit *test = s->test;
	u32 cap = min_t(u32, p->max_keys, 1000);
	struct ks3_model_item *want, *got;
	struct ks3_ix_collect c;
	struct ks3_list_result res;
	char *text;
	bool trunc, ok;
	u32 n;

	want = kunit_kcalloc(test, cap + 1, sizeof(*want), GFP_KERNEL);
	got = kunit_kcalloc(test, cap + 1, sizeof(*got), GFP_KERNEL);
	text = kunit_kmalloc(test, KS3_IX_TEXT, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, want && got && text);
	c = (struct ks3_ix_collect){ .items = got, .cap = cap };
	n = ks3_model_list(s->keys, s->nr, p, want, &trunc);
	KUNIT_ASSERT_EQ(test, ks3_ix_run(s, p, &c, &res), 0);
	ok = ks3_ix_items_eq(want, n, got, c.nr) && trunc == res.is_truncated;
	if (!ok) {
		KUNIT_FAIL(test, "listing differs from the model, max-keys %u",
			   p->max_keys);
		kunit_info(test, "prefix %*ph\n",
			   (int)min_t(size_t, p->prefix_len, 64), p->prefix);
		kunit_info(test, "delimiter %*ph\n",
			   (int)min_t(size_t, p->delim_len, 64), p->delim);
		kunit_info(test, "start-after %*ph\n",
			   (int)min_t(size_t, p->start_after_len, 64),
			   p->start_after);
		ks3_ix_render(text, want, n, trunc);
		kunit_info(test, "want %s\n", text);
		ks3_ix_render(text, got, c.nr, res.is_truncated);
		kunit_info(test, "got  %s\n", text);
	}
	kunit_kfree(test, want);
	kunit_kfree(test, got);
	kunit_kfree(test, text);
	return ok;
}

/* Pages of @page items, each after the last one's next, add up to all. */
static void ks3_ix_paginate(struct ks3_ix_set *s, struct ks3_list_params p,
			    u32 page)
{
	struct kunit *test = s->test;
	struct ks3_model_item *all, *one;
	struct ks3_ix_collect c;
	struct ks3_list_result res;
	u32 n, got = 0, i;
	char *next;
	bool trunc;

	all = kunit_kcalloc(test, s->nr + 1, sizeof(*all), GFP_KERNEL);
	one = kunit_kcalloc(test, page, sizeof(*one), GFP_KERNEL);
	next = kunit_kmalloc(test, KS3_KEY_MAX, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, all && one && next);
	p.max_keys = s->nr + 1;
	n = ks3_model_list(s->keys, s->nr, &p, all, &trunc);
	p.max_keys = page;
	c = (struct ks3_ix_collect){ .items = one, .cap = page };
	for (;;) {
		KUNIT_ASSERT_EQ(test, ks3_ix_run(s, &p, &c, &res), 0);
		for (i = 0; i < c.nr; i++, got++) {
			KUNIT_ASSERT_LT(test, got, n);
			KUNIT_ASSERT_TRUE_MSG(test,
					      ks3_ix_items_eq(&one[i], 1,
							      &all[got], 1),
					      "page size %u, item %u",
					      page, got);
		}
		if (!res.is_truncated)
			break;
		KUNIT_ASSERT_EQ(test, c.nr, page);
		memcpy(next, res.next, res.next_len);
		p.start_after = next;
		p.start_after_len = res.next_len;
	}
	KUNIT_EXPECT_EQ(test, got, n);
	kunit_kfree(test, all);
	kunit_kfree(test, one);
	kunit_kfree(test, next);
}

static void ks3_index_order_test(struct kunit *test)
{
	/* in the order S3 lists them: unsigned bytes, prefixes first */
	static const struct { const char *k; size_t len; } sorted[] = {
		KS3_IX_STR("\x00"), KS3_IX_STR("\x00\x00"),
		KS3_IX_STR("\x00\x01"), KS3_IX_STR("\x01"), KS3_IX_STR("A"),
		KS3_IX_STR("a"), KS3_IX_STR("a\x00"), KS3_IX_STR("a\x00\xff"),
		KS3_IX_STR("a/"), KS3_IX_STR("a/b"), KS3_IX_STR("ab"),
		KS3_IX_STR("a\x7f"), KS3_IX_STR("a\x80"), KS3_IX_STR("a\xff"),
		KS3_IX_STR("a\xff\x00"), KS3_IX_STR("a\xff\xff"),
		KS3_IX_STR("b"), KS3_IX_STR("\xc3\xa9"), KS3_IX_STR("\xff"),
		KS3_IX_STR("\xff\xff"), KS3_IX_STR("\xff\xff\xff"),
	};
	/* inserted in a scrambled order */
	static const u8 order[] = { 7, 20, 0, 13, 3, 16, 9, 1, 18, 5, 11,
				    14, 2, 19, 8, 4, 17, 10, 6, 15, 12 };
	struct ks3_ix_set *s = ks3_ix_set_new(test, ARRAY_SIZE(sorted));
	struct ks3_index_node *n;
	size_t i;

	BUILD_BUG_ON(ARRAY_SIZE(order) != ARRAY_SIZE(sorted));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		KUNIT_EXPECT_TRUE(test, ks3_ix_add(s, sorted[order[i]].k,
						   sorted[order[i]].len, true));
	KUNIT_EXPECT_EQ(test, s->idx.nr, (u64)ARRAY_SIZE(sorted));
	for (i = 0, n = ks3_index_first(&s->idx); n;
	     n = ks3_index_next(n), i++) {
		KUNIT_ASSERT_LT(test, i, ARRAY_SIZE(sorted));
		KUNIT_EXPECT_EQ(test, n->key_len, sorted[i].len);
		KUNIT_EXPECT_EQ(test, memcmp(ks3_index_key(n), sorted[i].k,
					     sorted[i].len), 0);
		KUNIT_EXPECT_PTR_EQ(test, ks3_index_lookup(&s->idx,
							   sorted[i].k,
							   sorted[i].len), n);
	}
	KUNIT_EXPECT_EQ(test, i, ARRAY_SIZE(sorted));
	for (i = 0; i + 1 < ARRAY_SIZE(sorted); i++)
		KUNIT_EXPECT_LT(test, ks3_key_cmp(sorted[i].k, sorted[i].len,
						  sorted[i + 1].k,
						  sorted[i + 1].len), 0);
	n = KS3_IX_LIT(ks3_index_lookup, &s->idx, "a\xff\xff\xff");
	KUNIT_EXPECT_NULL(test, n);
	n = KS3_IX_LIT(ks3_index_lookup, &s->idx, "\x00\x00\x00");
	KUNIT_EXPECT_NULL(test, n);
	ks3_index_clear(&s->idx, ks3_ix_release);
	KUNIT_EXPECT_NULL(test, ks3_index_first(&s->idx));
	KUNIT_EXPECT_EQ(test, s->idx.nr, 0ULL);
}

static void ks3_index_long_key_test(struct kunit *test)
{
	struct ks3_ix_set *s = ks3_ix_set_new(test, 4);
	char *a = kunit_kmalloc(test, KS3_KEY_MAX + 1, GFP_KERNEL);
	char *b = kunit_kmalloc(test, KS3_KEY_MAX, GFP_KERNEL);
	struct ks3_ix_entry *e;
	struct ks3_index_node *n;

	KUNIT_ASSERT_TRUE(test, a && b);
	memset(a, 'k', KS3_KEY_MAX + 1);
	memset(b, 'k', KS3_KEY_MAX);
	b[KS3_KEY_MAX - 1] = 'l';
	KUNIT_EXPECT_TRUE(test, ks3_ix_add(s, b, KS3_KEY_MAX, true));
	KUNIT_EXPECT_TRUE(test, ks3_ix_add(s, a, KS3_KEY_MAX, true));
	KUNIT_EXPECT_TRUE(test, ks3_ix_add(s, a, KS3_KEY_MAX - 1, true));
	KUNIT_EXPECT_FALSE(test, ks3_ix_add(s, a, KS3_KEY_MAX, true));
	n = ks3_index_first(&s->idx);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->key_len, KS3_KEY_MAX - 1);
	n = ks3_index_next(n);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, n->key_len, KS3_KEY_MAX);
	KUNIT_EXPECT_PTR_EQ(test, ks3_index_seek_gt(&s->idx, a, KS3_KEY_MAX),
			    ks3_index_next(n));
	ks3_ix_sort(s);
	/* the whole 1024-byte key is a common prefix, "l" at its end */
	ks3_ix_agree(s, ks3_ix_params(a, 10, "l", 1, NULL, 0, 1000));
	ks3_ix_agree(s, ks3_ix_params(a, 10, "l", 1, b, KS3_KEY_MAX - 1, 1));

	e = kunit_kzalloc(test, sizeof(*e) + KS3_KEY_MAX + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, ks3_index_node_init(&e->node, e->key,
						  KS3_KEY_MAX + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_index_node_init(&e->node, e->key, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_index_node_init(&e->node,
						  (char *)&e->node, 1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks3_index_node_init(&e->node, e->key, 1), 0);
	KUNIT_EXPECT_PTR_EQ(test, ks3_index_key(&e->node),
			    (const char *)e->key);
	/* what each object pays for being indexed */
	KUNIT_EXPECT_EQ(test, sizeof(struct ks3_index_node),
			sizeof(struct rb_node) + 8);
}

static void ks3_index_dup_erase_test(struct kunit *test)
{
	static const char *const keys[] = { "a", "b", "c", "d", "e" };
	struct ks3_ix_set *s = ks3_ix_set_new(test, 8);
	struct ks3_ix_entry *dup;
	struct ks3_index_node *n;

	ks3_ix_add_strs(s, keys, ARRAY_SIZE(keys));
	dup = kunit_kmalloc(test, sizeof(*dup) + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dup);
	dup->key[0] = 'c';
	KUNIT_ASSERT_EQ(test, ks3_index_node_init(&dup->node, dup->key, 1), 0);
	n = KS3_IX_LIT(ks3_index_lookup, &s->idx, "c");
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_PTR_EQ(test, ks3_index_insert(&s->idx, &dup->node), n);
	KUNIT_EXPECT_EQ(test, s->idx.nr, 5ULL);
	/* replace: the old node out, the new one in */
	ks3_index_erase(&s->idx, n);
	KUNIT_EXPECT_TRUE(test, RB_EMPTY_NODE(&n->rb));
	KUNIT_EXPECT_NULL(test, KS3_IX_LIT(ks3_index_lookup, &s->idx, "c"));
	KUNIT_EXPECT_NULL(test, ks3_index_insert(&s->idx, &dup->node));
	KUNIT_EXPECT_PTR_EQ(test, KS3_IX_LIT(ks3_index_lookup, &s->idx, "c"),
			    &dup->node);
	ks3_index_erase(&s->idx, ks3_index_first(&s->idx));
	ks3_index_erase(&s->idx, KS3_IX_LIT(ks3_index_lookup, &s->idx, "e"));
	KUNIT_EXPECT_EQ(test, s->idx.nr, 3ULL);
	n = ks3_index_first(&s->idx);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, ks3_index_key(n)[0], 'b');
	n = ks3_index_next(ks3_index_next(n));
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, ks3_index_key(n)[0], 'd');
	KUNIT_EXPECT_NULL(test, ks3_index_next(n));
}

static void ks3_index_seek_test(struct kunit *test)
{
	static const char *const keys[] = { "b", "bb", "d", "d\xff",
					    "d\xff\xff", "e" };
	struct ks3_ix_set *s = ks3_ix_set_new(test, 8);
	const struct ks3_index *idx = &s->idx;

	ks3_ix_add_strs(s, keys, ARRAY_SIZE(keys));
#define KS3_IX_IS(node, lit) do {					\
	const struct ks3_index_node *n_ = (node);			\
	KUNIT_ASSERT_NOT_NULL(test, n_);				\
	KUNIT_EXPECT_EQ(test, n_->key_len, sizeof(lit) - 1);		\
	KUNIT_EXPECT_EQ(test, memcmp(ks3_index_key(n_), lit,		\
				     sizeof(lit) - 1), 0);		\
} while (0)
#define KS3_IX_GE(lit)		KS3_IX_LIT(ks3_index_seek_ge, idx, lit)
#define KS3_IX_GT(lit)		KS3_IX_LIT(ks3_index_seek_gt, idx, lit)
#define KS3_IX_PAST(lit)	KS3_IX_LIT(ks3_index_seek_past_prefix, idx, lit)
	KS3_IX_IS(KS3_IX_GE(""), "b");
	KS3_IX_IS(KS3_IX_GE("b"), "b");
	KS3_IX_IS(KS3_IX_GT("b"), "bb");
	KS3_IX_IS(KS3_IX_GT("b\x00"), "bb");
	KS3_IX_IS(KS3_IX_GE("bc"), "d");
	KS3_IX_IS(KS3_IX_GT("d"), "d\xff");
	KS3_IX_IS(KS3_IX_GE("d\xff\x00"), "d\xff\xff");
	KUNIT_EXPECT_NULL(test, KS3_IX_GT("e"));
	KUNIT_EXPECT_NULL(test, KS3_IX_GE("e\x00"));
	KS3_IX_IS(KS3_IX_PAST("b"), "d");
	KS3_IX_IS(KS3_IX_PAST("a"), "b");
	KS3_IX_IS(KS3_IX_PAST("d"), "e");
	KS3_IX_IS(KS3_IX_PAST("d\xff"), "e");
	KS3_IX_IS(KS3_IX_PAST("d\xff\xff\xff"), "e");
	KS3_IX_IS(KS3_IX_PAST("c\xff\xff"), "d");
	KS3_IX_IS(KS3_IX_PAST("d\x00"), "d\xff");
	KUNIT_EXPECT_NULL(test, KS3_IX_PAST("e"));
	KUNIT_EXPECT_NULL(test, KS3_IX_PAST("\xff"));
	KUNIT_EXPECT_NULL(test, KS3_IX_PAST(""));
#undef KS3_IX_IS
#undef KS3_IX_GE
#undef KS3_IX_GT
#undef KS3_IX_PAST
}

/* ceph s3-tests test_bucket_list_delimiter_prefix, which AWS passes */
static void ks3_list_s3_tests_test(struct kunit *test)
{
	static const char *const keys[] = {
		"asdf", "boo/bar", "boo/baz/xyzzy", "cquux/thud", "cquux/bla",
	};
	struct ks3_ix_set *s = ks3_ix_set_new(test, 8);

	ks3_ix_add_strs(s, keys, ARRAY_SIZE(keys));
	ks3_ix_expect(s, LP("", "/", "", 1), "asdf +");
	ks3_ix_expect(s, LP("", "/", "asdf", 1), "[boo/] +");
	ks3_ix_expect(s, LP("", "/", "boo/", 1), "[cquux/]");
	ks3_ix_expect(s, LP("", "/", "", 2), "asdf [boo/] +");
	ks3_ix_expect(s, LP("", "/", "boo/", 2), "[cquux/]");
	ks3_ix_expect(s, LP("boo/", "/", "", 1), "boo/bar +");
	ks3_ix_expect(s, LP("boo/", "/", "boo/bar", 1), "[boo/baz/]");
	ks3_ix_expect(s, LP("boo/", "/", "", 2), "boo/bar [boo/baz/]");
	ks3_ix_expect(s, LP("", "", "", 1000),
		      "asdf boo/bar boo/baz/xyzzy cquux/bla cquux/thud");
	/* s3-tests: a prefix without matches, and one ending in "/" */
	ks3_ix_expect(s, LP("nope", "/", "", 1000), "");
	ks3_ix_expect(s, LP("boo/baz/", "/", "", 1000), "boo/baz/xyzzy");
}

static void ks3_list_delimiters_test(struct kunit *test)
{
	static const char *const keys[] = {
		"a//b", "a/b", "a/", "a///", "a", "b//", "aaab", "aab",
		"aaaab/c", "ab", "x-a--b", "x--", "x-", "dir/", "dir/a",
	};
	struct ks3_ix_set *s = ks3_ix_set_new(test, 16);

	ks3_ix_add_strs(s, keys, ARRAY_SIZE(keys));
	/* runs of the delimiter */
	ks3_ix_expect(s, LP("a/", "/", "", 1000), "a/ [a//] a/b");
	ks3_ix_expect(s, LP("a//", "/", "", 1000), "[a///] a//b");
	ks3_ix_expect(s, LP("a/", "//", "", 1000), "a/ [a///] a//b a/b");
	ks3_ix_expect(s, LP("b", "/", "", 1000), "[b/]");
	/* multi-byte, with a self-overlapping delimiter */
	ks3_ix_expect(s, LP("x", "--", "", 1000), "x- [x--] [x-a--]");
	ks3_ix_expect(s, LP("x-", "--", "", 1000), "x- x-- [x-a--]");
	ks3_ix_expect(s, LP("a", "aab", "", 1000),
		      "a a/ a/// a//b a/b [aaaab] [aaab] aab ab");
	ks3_ix_expect(s, LP("aa", "aab", "", 1000), "[aaaab] aaab aab");
	/* the delimiter ending the key: the key is its own prefix */
	ks3_ix_expect(s, LP("d", "/", "", 1000), "[dir/]");
	ks3_ix_expect(s, LP("dir/", "/", "", 1000), "dir/ dir/a");
}

static void ks3_list_0xff_test(struct kunit *test)
{
	static const struct { const char *k; size_t len; } keys[] = {
		KS3_IX_STR("a\xff"), KS3_IX_STR("a\xff\xff"),
		KS3_IX_STR("a\xff\xff\xff"), KS3_IX_STR("a\xff\xff/x"),
		KS3_IX_STR("a\xff/y"), KS3_IX_STR("b"), KS3_IX_STR("\xff\xff"),
		KS3_IX_STR("\xff\xff/a"), KS3_IX_STR("\xff\xff/b"),
		KS3_IX_STR("\xff\xff\xff"), KS3_IX_STR("a\x00"),
		KS3_IX_STR("a\x00\xff"),
	};
	struct ks3_ix_set *s = ks3_ix_set_new(test, ARRAY_SIZE(keys));
	u32 page;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		ks3_ix_add(s, keys[i].k, keys[i].len, true);
	ks3_ix_sort(s);
	ks3_ix_expect(s, LP("", "\xff", "", 1000),
		      "a\\x00 [a\\x00\\xff] [a\\xff] b [\\xff]");
	ks3_ix_expect(s, LP("a\xff", "\xff", "", 1000),
		      "a\\xff a\\xff/y [a\\xff\\xff]");
	ks3_ix_expect(s, LP("\xff\xff", "/", "\xff\xff/", 1000),
		      "\\xff\\xff\\xff");
	ks3_ix_expect(s, LP("\xff", "\xff", "", 1000), "[\\xff\\xff]");
	for (page = 1; page <= 7; page++) {
		ks3_ix_paginate(s, LP("", "\xff", "", 0), page);
		ks3_ix_paginate(s, LP("", "/", "", 0), page);
		ks3_ix_paginate(s, LP("a", "\xff\xff", "", 0), page);
	}
}

static void ks3_list_start_after_test(struct kunit *test)
{
	static const char *const keys[] = {
		"photos/2023/a", "photos/2024/x", "photos/2024/y",
		"photos/index", "photos0", "readme", "videos/a",
	};
	struct ks3_ix_set *s = ks3_ix_set_new(test, 8);

	ks3_ix_add_strs(s, keys, ARRAY_SIZE(keys));
	/* before, on and inside a common prefix */
	ks3_ix_expect(s, LP("", "/", "photos", 1000),
		      "[photos/] photos0 readme [videos/]");
	ks3_ix_expect(s, LP("", "/", "photos/", 1000),
		      "photos0 readme [videos/]");
	ks3_ix_expect(s, LP("", "/", "photos/2024/x", 1000),
		      "photos0 readme [videos/]");
	/* after it */
	ks3_ix_expect(s, LP("", "/", "photos0", 1000), "readme [videos/]");
	ks3_ix_expect(s, LP("", "/", "w", 1000), "");
	/* with a prefix */
	ks3_ix_expect(s, LP("photos/", "/", "photos/2024/x", 1000),
		      "photos/index");
	ks3_ix_expect(s, LP("photos/", "/", "photos/2024", 1000),
		      "[photos/2024/] photos/index");
	ks3_ix_expect(s, LP("photos/", "/", "a", 1000),
		      "[photos/2023/] [photos/2024/] photos/index");
	ks3_ix_expect(s, LP("photos/", "/", "q", 1000), "");
	/* versitygw#1275 */
	ks3_ix_expect(s, LP("photos", "/", "photos", 1000),
		      "[photos/] photos0");
}

static void ks3_list_max_keys_test(struct kunit *test)
{
	struct ks3_ix_set *s = ks3_ix_set_new(test, 1100);
	char key[16];
	int i;

	for (i = 0; i < 1050; i++)
		ks3_ix_add(s, key, scnprintf(key, sizeof(key), "k%05d", i),
			   true);
	for (i = 0; i < 20; i++)
		ks3_ix_add(s, key, scnprintf(key, sizeof(key), "d%02d/x", i),
			   true);
	ks3_ix_sort(s);
	/* max-keys 0 lists nothing and is not truncated, as in S3 */
	ks3_ix_expect(s, LP("", "", "", 0), "");
	ks3_ix_expect(s, LP("", "/", "", 0), "");
	ks3_ix_expect(s, LP("", "/", "", 1), "[d00/] +");
	ks3_ix_expect(s, LP("", "/", "k01048", 1), "k01049");
	ks3_ix_agree(s, LP("", "", "", 1000));
	ks3_ix_agree(s, LP("", "/", "", 1000));
	ks3_ix_agree(s, LP("k", "/", "k00049", 1000));
	ks3_ix_agree(s, LP("k", "/", "k00050", 1000));
}

static void ks3_list_pagination_test(struct kunit *test)
{
	static const char *const keys[] = {
		"a", "a/1", "a/2", "a/b/1", "a/b/2", "a/c/", "a//", "ab",
		"b/", "b/x/y/z", "c", "c/", "d/e", "d/f/", "dd", "e//f",
		"f", "f/a", "f/b", "g/",
	};
	static const char *const delims[] = { "", "/", "//", "b", "/b/" };
	static const char *const prefixes[] = { "", "a", "a/", "d", "f/" };
	struct ks3_ix_set *s = ks3_ix_set_new(test, ARRAY_SIZE(keys));
	struct ks3_list_params p;
	size_t d, i;
	u32 page;

	ks3_ix_add_strs(s, keys, ARRAY_SIZE(keys));
	for (d = 0; d < ARRAY_SIZE(delims); d++) {
		for (i = 0; i < ARRAY_SIZE(prefixes); i++) {
			p = ks3_ix_params(prefixes[i], strlen(prefixes[i]),
					  delims[d], strlen(delims[d]),
					  NULL, 0, 0);
			for (page = 1; page <= 7; page++)
				ks3_ix_paginate(s, p, page);
		}
	}
}

static void ks3_list_invisible_test(struct kunit *test)
{
	struct ks3_ix_set *s = ks3_ix_set_new(test, 128);
	char key[16];
	int i;

	KS3_IX_ADD(s, "a", true);
	KS3_IX_ADD(s, "b/1", false);
	KS3_IX_ADD(s, "b/2", false);
	KS3_IX_ADD(s, "c/1", false);
	KS3_IX_ADD(s, "c/2", true);
	KS3_IX_ADD(s, "d", false);
	KS3_IX_ADD(s, "e/1", true);
	KS3_IX_ADD(s, "e/2", false);
	KS3_IX_ADD(s, "f", false);
	ks3_ix_sort(s);
	/* invisible keys form no common prefix: no b/ */
	ks3_ix_expect(s, LP("", "/", "", 1000), "a [c/] [e/]");
	ks3_ix_expect(s, LP("", "", "", 1000), "a c/2 e/1");
	/* truncated only when something visible follows */
	ks3_ix_expect(s, LP("", "/", "", 2), "a [c/] +");
	ks3_ix_expect(s, LP("", "/", "", 3), "a [c/] [e/]");
	ks3_ix_expect(s, LP("", "", "", 2), "a c/2 +");
	ks3_ix_expect(s, LP("", "/", "c/", 1), "[e/]");
	ks3_ix_expect(s, LP("b", "/", "", 1000), "");
	ks3_ix_paginate(s, LP("", "/", "", 0), 1);
	ks3_ix_paginate(s, LP("", "", "", 0), 1);

	/* the rest inside the last common prefix, or invisible */
	for (i = 0; i < 100; i++)
		ks3_ix_add(s, key, scnprintf(key, sizeof(key), "p/%03d", i),
			   true);
	KS3_IX_ADD(s, "q", false);
	ks3_ix_sort(s);
	ks3_ix_expect(s, LP("", "/", "e/", 1), "[p/]");
	ks3_ix_expect(s, LP("", "", "p/098", 1), "p/099");
	ks3_ix_expect(s, LP("", "", "p/097", 1), "p/098 +");
}

/* A common prefix is passed with one seek, not walked key by key. */
static void ks3_list_big_prefix_test(struct kunit *test)
{
	struct ks3_ix_set *s = ks3_ix_set_new(test, 10002);
	struct ks3_model_item items[8];
	struct ks3_ix_collect c = { .items = items, .cap = ARRAY_SIZE(items) };
	struct ks3_list_params p = LP("", "/", "", 8);
	struct ks3_list_result res;
	char key[32];
	int i;

	for (i = 0; i < 10000; i++)
		ks3_ix_add(s, key, scnprintf(key, sizeof(key), "big/%07d", i),
			   true);
	KS3_IX_ADD(s, "big", true);
	KS3_IX_ADD(s, "zz", true);
	KUNIT_ASSERT_EQ(test, ks3_ix_run(s, &p, &c, &res), 0);
	KUNIT_EXPECT_EQ(test, c.nr, 3U);
	KUNIT_EXPECT_EQ(test, c.visited, 3UL);
	p = LP("", "/", "big/0005000", 8);
	KUNIT_ASSERT_EQ(test, ks3_ix_run(s, &p, &c, &res), 0);
	KUNIT_EXPECT_EQ(test, c.nr, 1U);
	KUNIT_EXPECT_EQ(test, c.visited, 1UL);
}

/* Randomized, with a fixed seed: the index against the model. */
static const char ks3_ix_alphabet[] = { 'a', 'b', '/', '\0', '\xff', '-' };

static size_t ks3_ix_rand_str(struct rnd_state *r, char *buf, size_t max)
{
	size_t len = prandom_u32_state(r) % (min_t(size_t, max, 12) + 1);
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = ks3_ix_alphabet[prandom_u32_state(r) %
					 sizeof(ks3_ix_alphabet)];
	return len;
}

/* empty, random, a piece of a key, or a key with a byte more or not */
static size_t ks3_ix_rand_param(struct rnd_state *r, struct ks3_ix_set *s,
				char *buf)
{
	const struct ks3_model_key *k = &s->keys[prandom_u32_state(r) % s->nr];
	size_t len;

	switch (prandom_u32_state(r) % 4) {
	case 0:
		return 0;
	case 1:
		return ks3_ix_rand_str(r, buf, 12);
	case 2:
		len = prandom_u32_state(r) % (k->len + 1);
		break;
	default:
		len = k->len;
		break;
	}
	memcpy(buf, k->key, len);
	if (prandom_u32_state(r) % 4 == 0)
		buf[len++] = ks3_ix_alphabet[prandom_u32_state(r) %
					     sizeof(ks3_ix_alphabet)];
	return len;
}

static void ks3_list_random_test(struct kunit *test)
{
	static const struct { const char *d; size_t len; } delims[] = {
		KS3_IX_STR(""), KS3_IX_STR("/"), KS3_IX_STR("a"),
		KS3_IX_STR("\xff"), KS3_IX_STR("\x00"), KS3_IX_STR("//"),
		KS3_IX_STR("ab"), KS3_IX_STR("aab"), KS3_IX_STR("/a/"),
		KS3_IX_STR("-a-a-a-a-a-a-a-a-a"),
	};
	static const u32 maxes[] = { 0, 1, 2, 3, 7, 100, 1000 };
	struct ks3_ix_set *s = ks3_ix_set_new(test, 2000);
	char *prefix = kunit_kmalloc(test, 32, GFP_KERNEL);
	char *start = kunit_kmalloc(test, 32, GFP_KERNEL);
	struct ks3_list_params p;
	struct rnd_state r;
	int i, bad = 0;

	KUNIT_ASSERT_TRUE(test, prefix && start);
	prandom_seed_state(&r, 0x6b7333696e646578ULL);
	while (s->nr < 2000) {
		char key[16];
		size_t len = ks3_ix_rand_str(&r, key, sizeof(key));

		if (len)
			ks3_ix_add(s, key, len, prandom_u32_state(&r) % 10);
	}
	ks3_ix_sort(s);
	for (i = 0; i < 400 && bad < 3; i++) {
		size_t d = prandom_u32_state(&r) % ARRAY_SIZE(delims);

		p.prefix = prefix;
		p.prefix_len = min_t(size_t, ks3_ix_rand_param(&r, s, prefix),
				     prandom_u32_state(&r) % 6);
		p.delim = delims[d].d;
		p.delim_len = delims[d].len;
		p.start_after = start;
		p.start_after_len = ks3_ix_rand_param(&r, s, start);
		p.max_keys = maxes[prandom_u32_state(&r) % ARRAY_SIZE(maxes)];
		if (!ks3_ix_agree(s, p))
			bad++;
		if (i % 20 == 0)
			ks3_ix_paginate(s, p, 1 + prandom_u32_state(&r) % 50);
	}
}

static struct kunit_case ks3_index_cases[] = {
	KUNIT_CASE(ks3_index_order_test),
	KUNIT_CASE(ks3_index_long_key_test),
	KUNIT_CASE(ks3_index_dup_erase_test),
	KUNIT_CASE(ks3_index_seek_test),
	KUNIT_CASE(ks3_list_s3_tests_test),
	KUNIT_CASE(ks3_list_delimiters_test),
	KUNIT_CASE(ks3_list_0xff_test),
	KUNIT_CASE(ks3_list_start_after_test),
	KUNIT_CASE(ks3_list_max_keys_test),
	KUNIT_CASE(ks3_list_pagination_test),
	KUNIT_CASE(ks3_list_invisible_test),
	KUNIT_CASE(ks3_list_big_prefix_test),
	KUNIT_CASE(ks3_list_random_test),
	{}
};

static struct kunit_suite ks3_index_suite = {
	.name = "ks3_index",
	.test_cases = ks3_index_cases,
};

kunit_test_suite(ks3_index_suite);
