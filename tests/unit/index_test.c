// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of module/storage/index.c, compiled unchanged against
 * tools/testing/include with the kernel's own lib/rbtree (tools/ copy).
 * Each key lives in a heap block of exactly its size, right after its node,
 * so ASan catches any read past a key. Listings are checked against rules
 * written out by hand and against the naive model in index_model.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "storage/index.c"
#include <tools/lib/rbtree.c>

#include "../kunit/index_model.h"
#include "unit.h"

/* A string literal with its length, NULs included. */
#define S(lit)		(lit), (sizeof(lit) - 1)

struct tentry {
	struct ks3_index_node node;
	bool visible;
	char key[];
};

static struct tentry *tentry_of(struct ks3_index_node *n)
{
	return container_of(n, struct tentry, node);
}

static struct tentry *tentry_new(const char *key, size_t len, bool visible)
{
	struct tentry *e = malloc(sizeof(*e) + len);

	if (!e)
		abort();
	memcpy(e->key, key, len);
	e->visible = visible;
	if (ks3_index_node_init(&e->node, e->key, len))
		abort();
	return e;
}

static void tentry_release(struct ks3_index_node *n)
{
	free(tentry_of(n));
}

/* An index and the same keys as a model array (sorted by model_sort()). */
struct tset {
	struct ks3_index idx;
	struct ks3_model_key *keys;
	size_t nr, cap;
};

static void tset_init(struct tset *s)
{
	ks3_index_init(&s->idx);
	s->keys = NULL;
	s->nr = 0;
	s->cap = 0;
}

/* Adds a key to both; false (and nothing added) if it is there already. */
static bool tset_add(struct tset *s, const char *key, size_t len, bool visible)
{
	struct tentry *e = tentry_new(key, len, visible);

	if (ks3_index_insert(&s->idx, &e->node)) {
		free(e);
		return false;
	}
	if (s->nr == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->keys = realloc(s->keys, s->cap * sizeof(*s->keys));
		if (!s->keys)
			abort();
	}
	s->keys[s->nr].key = e->key;
	s->keys[s->nr].len = len;
	s->keys[s->nr].visible = visible;
	s->nr++;
	return true;
}

static void tset_sort(struct tset *s);

static void tset_add_str(struct tset *s, const char *const *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tset_add(s, keys[i], strlen(keys[i]), true);
	tset_sort(s);
}

static void tset_sort(struct tset *s)
{
	qsort(s->keys, s->nr, sizeof(*s->keys), ks3_model_key_cmp);
}

static void tset_destroy(struct tset *s)
{
	ks3_index_clear(&s->idx, tentry_release);
	free(s->keys);
}

struct collect {
	struct ks3_model_item *items;
	u32 nr, cap;
	unsigned long visited;		/* calls of visible() */
	u32 fail_at;			/* callback that fails (1-based) */
};

static bool c_visible(void *arg, struct ks3_index_node *n)
{
	struct collect *c = arg;

	c->visited++;
	return tentry_of(n)->visible;
}

static int c_add(struct collect *c, const char *p, u16 len, bool is_prefix)
{
	if (c->fail_at && c->nr + 1 == c->fail_at)
		return -EIO;
	if (c->nr == c->cap)
		return -EOVERFLOW;
	c->items[c->nr].p = p;
	c->items[c->nr].len = len;
	c->items[c->nr].is_prefix = is_prefix;
	c->nr++;
	return 0;
}

static int c_content(void *arg, struct ks3_index_node *n)
{
	return c_add(arg, ks3_index_key(n), n->key_len, false);
}

static int c_prefix(void *arg, const char *p, u16 len)
{
	return c_add(arg, p, len, true);
}

static const struct ks3_list_ops c_ops = {
	.visible = c_visible,
	.content = c_content,
	.prefix = c_prefix,
};

static struct ks3_list_params lp(const char *prefix, size_t prefix_len,
				 const char *delim, size_t delim_len,
				 const char *sa, size_t sa_len, u32 max)
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
#define LP(pre, del, sa, max)	lp(S(pre), S(del), S(sa), (max))

static size_t render_bytes(char *out, size_t o, size_t size, const char *s,
			   size_t len)
{
	size_t i;

	for (i = 0; i < len && o + 5 < size; i++) {
		unsigned char ch = s[i];

		if (ch > 0x20 && ch < 0x7f && ch != '\\' && ch != '[' &&
		    ch != ']' && ch != '+')
			out[o++] = ch;
		else
			o += snprintf(out + o, size - o, "\\x%02x", ch);
	}
	return o;
}

/*
 * A listing as text: keys as they are (other than printable ASCII as \xNN),
 * common prefixes in brackets, separated by spaces, " +" if truncated.
 */
static const char *render(const struct ks3_model_item *items, u32 nr,
			  bool truncated)
{
	static char buf[8192];
	size_t o = 0;
	u32 i;

	for (i = 0; i < nr && o + 8 < sizeof(buf); i++) {
		if (i)
			buf[o++] = ' ';
		if (items[i].is_prefix)
			buf[o++] = '[';
		o = render_bytes(buf, o, sizeof(buf) - 4, items[i].p,
				 items[i].len);
		if (items[i].is_prefix)
			buf[o++] = ']';
	}
	if (truncated && o + 3 < sizeof(buf)) {
		memcpy(buf + o, " +", 2);
		o += 2;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * Runs a listing into @items (room for @cap) and checks what holds for any
 * listing: count, next, and no callback after the lookahead.
 */
static int run_list(const struct ks3_index *idx,
		    const struct ks3_list_params *p,
		    struct ks3_model_item *items, u32 cap,
		    struct ks3_list_result *res, struct collect *c, int line)
{
	int ret;

	memset(c, 0, sizeof(*c));
	c->items = items;
	c->cap = cap;
	ret = ks3_index_list(idx, p, &c_ops, c, res);
	if (ret)
		return ret;
	if (res->count != c->nr || res->count > p->max_keys)
		unit_fail(__FILE__, line, "count %u, %u items, max-keys %u",
			  res->count, c->nr, p->max_keys);
	if (c->nr) {
		const struct ks3_model_item *last = &items[c->nr - 1];

		if (res->next != last->p || res->next_len != last->len)
			unit_fail(__FILE__, line, "next is not the last item");
	} else if (res->next || res->is_truncated) {
		unit_fail(__FILE__, line, "nothing listed, yet next/truncated");
	}
	return 0;
}

static void expect_list_(struct tset *s, const struct ks3_list_params *p,
			 const char *want, int line)
{
	struct ks3_model_item items[64];
	struct ks3_list_result res;
	struct collect c;
	const char *got;

	if (run_list(&s->idx, p, items, 64, &res, &c, line)) {
		unit_fail(__FILE__, line, "listing failed");
		return;
	}
	got = render(items, c.nr, res.is_truncated);
	if (strcmp(got, want))
		unit_fail(__FILE__, line, "got \"%s\", want \"%s\"", got, want);
}

#define EXPECT_LIST(s, p, want) do {					\
	struct ks3_list_params p_ = (p);				\
	expect_list_((s), &p_, (want), __LINE__);			\
} while (0)

static void diag_params(const struct ks3_list_params *p)
{
	unit_diag("prefix \"%s\"", unit_quote(p->prefix, p->prefix_len));
	unit_diag("delimiter \"%s\"", unit_quote(p->delim, p->delim_len));
	unit_diag("start-after \"%s\"",
		  unit_quote(p->start_after, p->start_after_len));
	unit_diag("max-keys %u", p->max_keys);
}

static bool items_eq(const struct ks3_model_item *a, u32 a_nr,
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

/* ks3_index_list() and the model agree on @p. */
static bool agree_(struct tset *s, const struct ks3_list_params *p, int line)
{
	static struct ks3_model_item got[1001], want[1001];
	u32 cap = p->max_keys < 1001 ? p->max_keys : 1001;
	struct ks3_list_result res;
	struct collect c;
	bool trunc;
	u32 n;

	if (p->max_keys > 1000)
		abort();
	n = ks3_model_list(s->keys, s->nr, p, want, &trunc);
	if (run_list(&s->idx, p, got, cap, &res, &c, line))
		return unit_fail(__FILE__, line, "listing failed");
	if (!items_eq(want, n, got, c.nr) || trunc != res.is_truncated) {
		static char w[8192];

		snprintf(w, sizeof(w), "%s", render(want, n, trunc));
		unit_fail(__FILE__, line, "listing differs from the model");
		diag_params(p);
		unit_diag("want %s", w);
		unit_diag("got  %s", render(got, c.nr, res.is_truncated));
		return false;
	}
	return true;
}

#define EXPECT_AGREE(s, p) do {						\
	struct ks3_list_params p_ = (p);				\
	agree_((s), &p_, __LINE__);					\
} while (0)

/*
 * Lists page by page with @page keys per page, each page starting after the
 * last one's @next, and checks the pages add up to one full listing.
 */
static bool paginate_(struct tset *s, const struct ks3_list_params *full,
		      u32 page, int line)
{
	struct ks3_model_item *all = calloc(s->nr + 1, sizeof(*all));
	struct ks3_model_item *one = calloc(page, sizeof(*one));
	struct ks3_list_params p = *full;
	char next[KS3_KEY_MAX];
	struct ks3_list_result res;
	struct collect c;
	bool trunc, ok = false;
	u32 n, got = 0, pages = 0;

	if (!all || !one)
		abort();
	/* the full listing: room for every key, so never truncated */
	p.max_keys = s->nr + 1;
	n = ks3_model_list(s->keys, s->nr, &p, all, &trunc);
	p.max_keys = page;
	for (;;) {
		u32 i;

		if (run_list(&s->idx, &p, one, page, &res, &c, line)) {
			unit_fail(__FILE__, line, "listing failed");
			goto out;
		}
		for (i = 0; i < c.nr; i++, got++) {
			if (got >= n || !items_eq(&one[i], 1, &all[got], 1)) {
				unit_fail(__FILE__, line,
					  "page %u (of %u) item %u differs",
					  pages, page, i);
				diag_params(&p);
				unit_diag("got %s", render(&one[i], 1, false));
				if (got < n)
					unit_diag("want %s",
						  render(&all[got], 1, false));
				goto out;
			}
		}
		pages++;
		if (!res.is_truncated)
			break;
		if (c.nr != page) {
			unit_fail(__FILE__, line, "short truncated page");
			goto out;
		}
		memcpy(next, res.next, res.next_len);
		p.start_after = next;
		p.start_after_len = res.next_len;
	}
	if (got != n)
		unit_fail(__FILE__, line, "pages hold %u items, want %u",
			  got, n);
	else
		ok = true;
out:
	free(all);
	free(one);
	return ok;
}

#define EXPECT_PAGINATE(s, p, page) do {				\
	struct ks3_list_params p_ = (p);				\
	paginate_((s), &p_, (page), __LINE__);				\
} while (0)

static u64 rng_state;

static u64 rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static u32 rnd(u32 n)
{
	return n ? rng() % n : 0;
}

/* Index structure */

TEST(node_size)
{
	/* rb_node plus 8 bytes: what each object pays for being indexed */
	EXPECT_EQ(sizeof(struct ks3_index_node), sizeof(struct rb_node) + 8);
	EXPECT_EQ(sizeof(struct ks3_index_node), 32);
}

TEST(node_init_checks)
{
	struct tentry *e = calloc(1, sizeof(*e) + KS3_KEY_MAX + 1);

	ASSERT_NOT_NULL(e);
	EXPECT_EQ(ks3_index_node_init(&e->node, e->key, KS3_KEY_MAX), 0);
	EXPECT_EQ(e->node.key_len, KS3_KEY_MAX);
	EXPECT_PTR_EQ(ks3_index_key(&e->node), e->key);
	EXPECT_EQ(ks3_index_node_init(&e->node, e->key, KS3_KEY_MAX + 1),
		  -EINVAL);
	EXPECT_EQ(ks3_index_node_init(&e->node, e->key, 0), -EINVAL);
	/* the key must follow the node */
	EXPECT_EQ(ks3_index_node_init(&e->node, (char *)&e->node, 1), -EINVAL);
	EXPECT_EQ(ks3_index_node_init(&e->node, (char *)e - 1, 1), -EINVAL);
	EXPECT_EQ(ks3_index_node_init(&e->node, (char *)e + 65536, 1),
		  -EINVAL);
	free(e);
}

TEST(order_bytes)
{
	/* in the order S3 lists them: unsigned bytes, prefixes first */
	static const struct { const char *k; size_t len; } sorted[] = {
		{ S("\x00") }, { S("\x00\x00") }, { S("\x00\x01") },
		{ S("\x01") }, { S("A") }, { S("a") }, { S("a\x00") },
		{ S("a\x00\xff") }, { S("a/") }, { S("a/b") }, { S("ab") },
		{ S("a\x7f") }, { S("a\x80") }, { S("a\xff") },
		{ S("a\xff\x00") }, { S("a\xff\xff") }, { S("b") },
		{ S("\xc3\xa9") }, { S("\xff") }, { S("\xff\xff") },
		{ S("\xff\xff\xff") },
	};
	size_t n = ARRAY_SIZE(sorted), i, order[ARRAY_SIZE(sorted)];
	struct ks3_index_node *node;
	struct tset s;

	tset_init(&s);
	rng_state = 42;
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j = rnd(i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++)
		EXPECT_TRUE(tset_add(&s, sorted[order[i]].k,
				     sorted[order[i]].len, true));
	EXPECT_EQ(s.idx.nr, n);
	for (i = 0, node = ks3_index_first(&s.idx); node;
	     node = ks3_index_next(node), i++) {
		ASSERT_TRUE(i < n);
		EXPECT_EQ(node->key_len, sorted[i].len);
		EXPECT_MEMEQ(ks3_index_key(node), sorted[i].k, sorted[i].len);
	}
	EXPECT_EQ(i, n);
	for (i = 0; i + 1 < n; i++) {
		EXPECT_LT(ks3_key_cmp(sorted[i].k, sorted[i].len,
				      sorted[i + 1].k, sorted[i + 1].len), 0);
		EXPECT_GT(ks3_key_cmp(sorted[i + 1].k, sorted[i + 1].len,
				      sorted[i].k, sorted[i].len), 0);
		EXPECT_EQ(ks3_key_cmp(sorted[i].k, sorted[i].len,
				      sorted[i].k, sorted[i].len), 0);
	}
	for (i = 0; i < n; i++) {
		node = ks3_index_lookup(&s.idx, sorted[i].k, sorted[i].len);
		ASSERT_NOT_NULL(node);
		EXPECT_EQ(node->key_len, sorted[i].len);
	}
	EXPECT_NULL(ks3_index_lookup(&s.idx, S("a\xff\xff\xff")));
	EXPECT_NULL(ks3_index_lookup(&s.idx, S("\x00\x00\x00")));
	tset_destroy(&s);
}

TEST(long_keys)
{
	char a[KS3_KEY_MAX], b[KS3_KEY_MAX];
	struct ks3_model_item items[4];
	struct ks3_list_result res;
	struct ks3_index_node *n;
	struct collect c;
	struct tset s;

	tset_init(&s);
	memset(a, 'k', sizeof(a));
	memcpy(b, a, sizeof(b));
	b[KS3_KEY_MAX - 1] = 'l';
	EXPECT_TRUE(tset_add(&s, b, sizeof(b), true));
	EXPECT_TRUE(tset_add(&s, a, sizeof(a), true));
	EXPECT_TRUE(tset_add(&s, a, sizeof(a) - 1, true));
	EXPECT_FALSE(tset_add(&s, a, sizeof(a), true));
	n = ks3_index_first(&s.idx);
	ASSERT_NOT_NULL(n);
	EXPECT_EQ(n->key_len, KS3_KEY_MAX - 1);
	n = ks3_index_next(n);
	ASSERT_NOT_NULL(n);
	EXPECT_MEMEQ(ks3_index_key(n), a, sizeof(a));
	n = ks3_index_next(n);
	ASSERT_NOT_NULL(n);
	EXPECT_MEMEQ(ks3_index_key(n), b, sizeof(b));
	EXPECT_NULL(ks3_index_next(n));
	EXPECT_PTR_EQ(ks3_index_seek_gt(&s.idx, a, sizeof(a)), n);
	/* a 1024-byte common prefix: the key itself, delimiter at its end */
	ASSERT_EQ(run_list(&s.idx, &(struct ks3_list_params){
			.prefix = a, .prefix_len = 10, .delim = "l",
			.delim_len = 1, .max_keys = 4 },
			items, 4, &res, &c, __LINE__), 0);
	ASSERT_EQ(c.nr, 3);
	EXPECT_FALSE(items[1].is_prefix);
	EXPECT_TRUE(items[2].is_prefix);
	EXPECT_EQ(items[2].len, KS3_KEY_MAX);
	EXPECT_MEMEQ(items[2].p, b, sizeof(b));
	tset_sort(&s);
	EXPECT_AGREE(&s, lp(a, 10, S("l"), NULL, 0, 1000));
	EXPECT_AGREE(&s, lp(a, 10, S("l"), b, 1023, 1));
	tset_destroy(&s);
}

TEST(insert_duplicate)
{
	struct tentry *a = tentry_new(S("dup"), true);
	struct tentry *b = tentry_new(S("dup"), true);
	struct ks3_index idx;

	ks3_index_init(&idx);
	EXPECT_NULL(ks3_index_insert(&idx, &a->node));
	EXPECT_PTR_EQ(ks3_index_insert(&idx, &b->node), &a->node);
	EXPECT_EQ(idx.nr, 1);
	EXPECT_TRUE(RB_EMPTY_NODE(&b->node.rb));
	EXPECT_PTR_EQ(ks3_index_lookup(&idx, S("dup")), &a->node);
	/* replace: erase the old node, insert the new one */
	ks3_index_erase(&idx, &a->node);
	EXPECT_TRUE(RB_EMPTY_NODE(&a->node.rb));
	EXPECT_NULL(ks3_index_insert(&idx, &b->node));
	EXPECT_PTR_EQ(ks3_index_lookup(&idx, S("dup")), &b->node);
	EXPECT_EQ(idx.nr, 1);
	free(a);
	ks3_index_clear(&idx, tentry_release);
	EXPECT_EQ(idx.nr, 0);
	EXPECT_NULL(ks3_index_first(&idx));
}

TEST(erase)
{
	static const char *const keys[] = { "a", "b", "c", "d", "e" };
	struct ks3_index_node *n;
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	n = ks3_index_lookup(&s.idx, S("c"));
	ASSERT_NOT_NULL(n);
	ks3_index_erase(&s.idx, n);
	free(tentry_of(n));
	n = ks3_index_first(&s.idx);
	ks3_index_erase(&s.idx, n);
	free(tentry_of(n));
	n = ks3_index_lookup(&s.idx, S("e"));
	ks3_index_erase(&s.idx, n);
	free(tentry_of(n));
	EXPECT_EQ(s.idx.nr, 2);
	EXPECT_NULL(ks3_index_lookup(&s.idx, S("c")));
	EXPECT_NULL(ks3_index_lookup(&s.idx, S("a")));
	n = ks3_index_first(&s.idx);
	ASSERT_NOT_NULL(n);
	EXPECT_MEMEQ(ks3_index_key(n), "b", 1);
	n = ks3_index_next(n);
	ASSERT_NOT_NULL(n);
	EXPECT_MEMEQ(ks3_index_key(n), "d", 1);
	EXPECT_NULL(ks3_index_next(n));
	EXPECT_PTR_EQ(ks3_index_seek_ge(&s.idx, S("c")), n);
	/* s.keys still holds the erased keys: no model listing here */
	ks3_index_clear(&s.idx, tentry_release);
	free(s.keys);
}

TEST(seek)
{
	static const char *const keys[] = { "b", "bb", "d", "d\xff",
					    "d\xff\xff", "e" };
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
#define KEY_IS(node, lit) do {						\
	ASSERT_NOT_NULL(node);						\
	EXPECT_EQ((node)->key_len, sizeof(lit) - 1);			\
	EXPECT_MEMEQ(ks3_index_key(node), lit, sizeof(lit) - 1);	\
} while (0)
	KEY_IS(ks3_index_seek_ge(&s.idx, S("")), "b");
	KEY_IS(ks3_index_seek_ge(&s.idx, S("a")), "b");
	KEY_IS(ks3_index_seek_ge(&s.idx, S("b")), "b");
	KEY_IS(ks3_index_seek_gt(&s.idx, S("b")), "bb");
	KEY_IS(ks3_index_seek_gt(&s.idx, S("b\x00")), "bb");
	KEY_IS(ks3_index_seek_ge(&s.idx, S("bc")), "d");
	KEY_IS(ks3_index_seek_gt(&s.idx, S("d")), "d\xff");
	KEY_IS(ks3_index_seek_ge(&s.idx, S("d\xff\x00")), "d\xff\xff");
	EXPECT_NULL(ks3_index_seek_gt(&s.idx, S("e")));
	EXPECT_NULL(ks3_index_seek_ge(&s.idx, S("e\x00")));
	KEY_IS(ks3_index_seek_gt(&s.idx, NULL, 0), "b");
	/* past every key starting with ... */
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("b")), "d");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("a")), "b");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("bb")), "d");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("d")), "e");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("d\xff")), "e");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("d\xff\xff\xff")), "e");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("c\xff\xff")), "d");
	KEY_IS(ks3_index_seek_past_prefix(&s.idx, S("d\x00")), "d\xff");
	EXPECT_NULL(ks3_index_seek_past_prefix(&s.idx, S("e")));
	EXPECT_NULL(ks3_index_seek_past_prefix(&s.idx, S("\xff")));
	EXPECT_NULL(ks3_index_seek_past_prefix(&s.idx, S("")));
#undef KEY_IS
	tset_destroy(&s);
}

TEST(empty_index)
{
	struct tset s;

	tset_init(&s);
	EXPECT_NULL(ks3_index_first(&s.idx));
	EXPECT_NULL(ks3_index_lookup(&s.idx, S("a")));
	EXPECT_NULL(ks3_index_seek_ge(&s.idx, S("")));
	EXPECT_NULL(ks3_index_seek_past_prefix(&s.idx, S("a")));
	EXPECT_LIST(&s, LP("", "", "", 1000), "");
	EXPECT_LIST(&s, LP("a", "/", "x", 1), "");
	tset_destroy(&s);
}

/* Listing: the rules, case by case */

static const char *const s3_tests_keys[] = {
	"asdf", "boo/bar", "boo/baz/xyzzy", "cquux/thud", "cquux/bla",
};

/* ceph s3-tests test_bucket_list_delimiter_prefix, which AWS passes */
TEST(list_s3_tests_delimiter_prefix)
{
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, s3_tests_keys, ARRAY_SIZE(s3_tests_keys));
	EXPECT_LIST(&s, LP("", "/", "", 1), "asdf +");
	EXPECT_LIST(&s, LP("", "/", "asdf", 1), "[boo/] +");
	EXPECT_LIST(&s, LP("", "/", "boo/", 1), "[cquux/]");
	EXPECT_LIST(&s, LP("", "/", "", 2), "asdf [boo/] +");
	EXPECT_LIST(&s, LP("", "/", "boo/", 2), "[cquux/]");
	EXPECT_LIST(&s, LP("boo/", "/", "", 1), "boo/bar +");
	EXPECT_LIST(&s, LP("boo/", "/", "boo/bar", 1), "[boo/baz/]");
	EXPECT_LIST(&s, LP("boo/", "/", "", 2), "boo/bar [boo/baz/]");
	/* versitygw#816: not truncated when only the last prefix is left */
	EXPECT_LIST(&s, LP("", "/", "boo/", 1), "[cquux/]");
	EXPECT_LIST(&s, LP("", "", "", 1000),
		    "asdf boo/bar boo/baz/xyzzy cquux/bla cquux/thud");
	tset_destroy(&s);
}

TEST(list_prefix)
{
	static const char *const keys[] = {
		"foo/bar", "foo/baz", "foo/", "foo", "fop", "quux",
	};
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	EXPECT_LIST(&s, LP("", "", "", 1000),
		    "foo foo/ foo/bar foo/baz fop quux");
	EXPECT_LIST(&s, LP("foo/", "", "", 1000), "foo/ foo/bar foo/baz");
	EXPECT_LIST(&s, LP("foo", "", "", 1000), "foo foo/ foo/bar foo/baz");
	EXPECT_LIST(&s, LP("fo", "/", "", 1000), "foo [foo/] fop");
	EXPECT_LIST(&s, LP("nope", "", "", 1000), "");
	EXPECT_LIST(&s, LP("foo/bar/", "/", "", 1000), "");
	EXPECT_LIST(&s, LP("\xff", "", "", 1000), "");
	EXPECT_LIST(&s, LP("a", "", "", 1000), "");
	/* delimiter at the end of the prefix: the rest is searched */
	EXPECT_LIST(&s, LP("foo/", "/", "", 1000), "foo/ foo/bar foo/baz");
	/* s3-tests: the alt delimiter "a" splits after the prefix */
	EXPECT_LIST(&s, LP("", "a", "", 1000), "foo foo/ [foo/ba] fop quux");
	EXPECT_LIST(&s, LP("foo/b", "a", "", 1000), "[foo/ba]");
	tset_destroy(&s);
}

/* s3-tests test_bucket_list_prefix_delimiter_alt and _delimiter_alt */
TEST(list_alt_delimiter)
{
	static const char *const keys[] = { "bar", "bazar", "cab", "foo" };
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	EXPECT_LIST(&s, LP("", "a", "", 1000), "[ba] [ca] foo");
	EXPECT_LIST(&s, LP("ba", "a", "", 1000), "bar [baza]");
	tset_destroy(&s);
}

TEST(list_delimiter_runs)
{
	static const char *const keys[] = {
		"a//b", "a/b", "a/", "a///", "a", "b//",
	};
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	EXPECT_LIST(&s, LP("", "/", "", 1000), "a [a/] [b/]");
	EXPECT_LIST(&s, LP("a/", "/", "", 1000), "a/ [a//] a/b");
	EXPECT_LIST(&s, LP("a//", "/", "", 1000), "[a///] a//b");
	EXPECT_LIST(&s, LP("", "//", "", 1000), "a a/ [a//] a/b [b//]");
	EXPECT_LIST(&s, LP("a/", "//", "", 1000), "a/ [a///] a//b a/b");
	EXPECT_LIST(&s, LP("", "///", "", 1000),
		    "a a/ [a///] a//b a/b b//");
	EXPECT_PAGINATE(&s, LP("", "/", "", 1000), 1);
	EXPECT_PAGINATE(&s, LP("a/", "//", "", 1000), 1);
	tset_destroy(&s);
}

TEST(list_multibyte_delimiter)
{
	static const char *const keys[] = {
		"x-a--b", "x--", "x-", "aaab", "aab", "aaaab/c", "ab",
		"q\xe2\x86\x92r\xe2\x86\x92s", "q\xe2\x86\x92t", "q\xe2\x86",
	};
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	EXPECT_LIST(&s, LP("x", "--", "", 1000), "x- [x--] [x-a--]");
	EXPECT_LIST(&s, LP("x-", "--", "", 1000), "x- x-- [x-a--]");
	/* a delimiter whose own prefix repeats (what KMP's table is for) */
	EXPECT_LIST(&s, LP("a", "aab", "", 1000), "[aaaab] [aaab] aab ab");
	EXPECT_LIST(&s, LP("aa", "aab", "", 1000), "[aaaab] aaab aab");
	/* U+2192 as a delimiter, and a key with a cut-off copy of it */
	EXPECT_LIST(&s, LP("q", "\xe2\x86\x92", "", 1000),
		    "q\\xe2\\x86 [q\\xe2\\x86\\x92]");
	EXPECT_LIST(&s, LP("q\xe2\x86\x92", "\xe2\x86\x92", "", 1000),
		    "[q\\xe2\\x86\\x92r\\xe2\\x86\\x92] q\\xe2\\x86\\x92t");
	tset_destroy(&s);
}

TEST(list_long_delimiter)
{
	char key[KS3_KEY_MAX], delim[KS3_KEY_MAX + 1];
	struct ks3_model_item items[4];
	struct ks3_list_result res;
	struct collect c;
	struct tset s;

	tset_init(&s);
	/* a...ab as delimiter: naive search would cost 512 * 512 per key */
	memset(delim, 'a', sizeof(delim));
	delim[511] = 'b';
	memset(key, 'a', sizeof(key));
	EXPECT_TRUE(tset_add(&s, key, sizeof(key), true));
	key[700] = 'b';
	EXPECT_TRUE(tset_add(&s, key, sizeof(key), true));
	key[1000] = 'b';
	EXPECT_TRUE(tset_add(&s, key, 1001, true));
	tset_sort(&s);
	EXPECT_AGREE(&s, lp(NULL, 0, delim, 512, NULL, 0, 1000));
	EXPECT_AGREE(&s, lp(key, 1, delim, 512, NULL, 0, 1000));
	EXPECT_AGREE(&s, lp(key, 600, delim, 512, NULL, 0, 1000));
	EXPECT_AGREE(&s, lp(NULL, 0, delim, 512, key, 701, 1000));
	EXPECT_AGREE(&s, lp(NULL, 0, delim, 512, key, 701, 1));
	/* longer than any key: matches nothing, costs nothing */
	ASSERT_EQ(run_list(&s.idx, &(struct ks3_list_params){
			.delim = delim, .delim_len = sizeof(delim),
			.max_keys = 4 }, items, 4, &res, &c, __LINE__), 0);
	EXPECT_EQ(res.count, 3);
	EXPECT_FALSE(items[0].is_prefix);
	tset_destroy(&s);
}

TEST(list_delimiter_at_key_end)
{
	static const char *const keys[] = { "dir/", "dir/a", "file", "z/" };
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	EXPECT_LIST(&s, LP("", "/", "", 1000), "[dir/] file [z/]");
	EXPECT_LIST(&s, LP("dir/", "/", "", 1000), "dir/ dir/a");
	EXPECT_LIST(&s, LP("z/", "/", "", 1000), "z/");
	EXPECT_LIST(&s, LP("z", "/", "", 1000), "[z/]");
	tset_destroy(&s);
}

TEST(list_0xff_prefixes)
{
	static const struct { const char *k; size_t len; } keys[] = {
		{ S("a\xff") }, { S("a\xff\xff") }, { S("a\xff\xff\xff") },
		{ S("a\xff\xff/x") }, { S("a\xff/y") }, { S("b") },
		{ S("\xff\xff") }, { S("\xff\xff/a") }, { S("\xff\xff/b") },
		{ S("\xff\xff\xff") }, { S("a\x00") }, { S("a\x00\xff") },
	};
	struct tset s;
	size_t i;

	tset_init(&s);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		tset_add(&s, keys[i].k, keys[i].len, true);
	tset_sort(&s);
	EXPECT_LIST(&s, LP("", "\xff", "", 1000),
		    "a\\x00 [a\\x00\\xff] [a\\xff] b [\\xff]");
	EXPECT_LIST(&s, LP("a\xff", "\xff", "", 1000),
		    "a\\xff a\\xff/y [a\\xff\\xff]");
	EXPECT_LIST(&s, LP("", "/", "", 1000),
		    "a\\x00 a\\x00\\xff a\\xff [a\\xff/] a\\xff\\xff "
		    "[a\\xff\\xff/] a\\xff\\xff\\xff b \\xff\\xff "
		    "[\\xff\\xff/] \\xff\\xff\\xff");
	EXPECT_LIST(&s, LP("\xff\xff", "/", "\xff\xff/", 1000),
		    "\\xff\\xff\\xff");
	EXPECT_LIST(&s, LP("\xff", "\xff", "", 1000),
		    "[\\xff\\xff]");
	EXPECT_LIST(&s, LP("", "\x00", "", 1000),
		    "[a\\x00] a\\xff a\\xff/y a\\xff\\xff a\\xff\\xff/x "
		    "a\\xff\\xff\\xff b \\xff\\xff \\xff\\xff/a \\xff\\xff/b "
		    "\\xff\\xff\\xff");
	for (i = 1; i <= 7; i++) {
		EXPECT_PAGINATE(&s, LP("", "\xff", "", 1000), i);
		EXPECT_PAGINATE(&s, LP("", "/", "", 1000), i);
		EXPECT_PAGINATE(&s, LP("a", "\xff\xff", "", 1000), i);
	}
	tset_destroy(&s);
}

TEST(list_start_after)
{
	static const char *const keys[] = {
		"photos/2023/a", "photos/2024/x", "photos/2024/y",
		"photos/index", "photos0", "readme", "videos/a",
	};
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	/* before, on and inside a common prefix */
	EXPECT_LIST(&s, LP("", "/", "photo", 1000),
		    "[photos/] photos0 readme [videos/]");
	EXPECT_LIST(&s, LP("", "/", "photos", 1000),
		    "[photos/] photos0 readme [videos/]");
	EXPECT_LIST(&s, LP("", "/", "photos/", 1000),
		    "photos0 readme [videos/]");
	EXPECT_LIST(&s, LP("", "/", "photos/2024/x", 1000),
		    "photos0 readme [videos/]");
	EXPECT_LIST(&s, LP("", "/", "photos/zzz", 1000),
		    "photos0 readme [videos/]");
	/* after it */
	EXPECT_LIST(&s, LP("", "/", "photos0", 1000), "readme [videos/]");
	EXPECT_LIST(&s, LP("", "/", "s", 1000), "[videos/]");
	EXPECT_LIST(&s, LP("", "/", "w", 1000), "");
	/* with a prefix: deeper common prefixes */
	EXPECT_LIST(&s, LP("photos/", "/", "", 1000),
		    "[photos/2023/] [photos/2024/] photos/index");
	EXPECT_LIST(&s, LP("photos/", "/", "photos/2024/x", 1000),
		    "photos/index");
	EXPECT_LIST(&s, LP("photos/", "/", "photos/2024", 1000),
		    "[photos/2024/] photos/index");
	EXPECT_LIST(&s, LP("photos/", "/", "photos/2023/a", 1000),
		    "[photos/2024/] photos/index");
	/* start-after before the prefix: no effect; after it: nothing */
	EXPECT_LIST(&s, LP("photos/", "/", "a", 1000),
		    "[photos/2023/] [photos/2024/] photos/index");
	EXPECT_LIST(&s, LP("photos/", "/", "q", 1000), "");
	/* versitygw#1275: start-after sorting just before the prefix */
	EXPECT_LIST(&s, LP("photos", "/", "photos", 1000),
		    "[photos/] photos0");
	/* no delimiter: a plain cut */
	EXPECT_LIST(&s, LP("", "", "photos/2024/x", 3),
		    "photos/2024/y photos/index photos0 +");
	tset_destroy(&s);
}

TEST(list_max_keys)
{
	char key[16];
	struct tset s;
	int i;

	tset_init(&s);
	for (i = 0; i < 1500; i++) {
		snprintf(key, sizeof(key), "k%05d", i);
		tset_add(&s, key, strlen(key), true);
	}
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "d%02d/x", i);
		tset_add(&s, key, strlen(key), true);
	}
	tset_sort(&s);
	/* max-keys 0: nothing, and not truncated (as S3) */
	EXPECT_LIST(&s, LP("", "", "", 0), "");
	EXPECT_LIST(&s, LP("", "/", "", 0), "");
	EXPECT_LIST(&s, LP("", "/", "", 1), "[d00/] +");
	EXPECT_LIST(&s, LP("k01499", "/", "", 1), "k01499");
	EXPECT_LIST(&s, LP("", "/", "k01498", 1), "k01499");
	EXPECT_AGREE(&s, LP("", "", "", 1000));
	EXPECT_AGREE(&s, LP("", "/", "", 1000));
	EXPECT_AGREE(&s, LP("k", "/", "", 1000));
	EXPECT_AGREE(&s, LP("k", "/", "k00499", 1000));
	EXPECT_AGREE(&s, LP("k", "/", "k00500", 1000));
	EXPECT_AGREE(&s, LP("k", "/", "k00499", 999));
	EXPECT_AGREE(&s, LP("", "/", "d05", 1000));
	tset_destroy(&s);
}

TEST(list_pagination)
{
	static const char *const keys[] = {
		"a", "a/1", "a/2", "a/b/1", "a/b/2", "a/c/", "a//", "ab",
		"b/", "b/x/y/z", "c", "c/", "d/e", "d/f/", "dd", "e//f",
		"f", "f/a", "f/b", "g/",
	};
	static const char *const delims[] = { "", "/", "//", "b", "/b/" };
	static const char *const prefixes[] = { "", "a", "a/", "d", "f/" };
	struct tset s;
	size_t d, p;
	u32 page;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	tset_sort(&s);
	for (d = 0; d < ARRAY_SIZE(delims); d++)
		for (p = 0; p < ARRAY_SIZE(prefixes); p++)
			for (page = 1; page <= 7; page++)
				EXPECT_PAGINATE(&s, lp(prefixes[p],
						       strlen(prefixes[p]),
						       delims[d],
						       strlen(delims[d]),
						       NULL, 0, 1000), page);
	tset_destroy(&s);
}

TEST(list_invisible)
{
	struct tset s;

	tset_init(&s);
	tset_add(&s, S("a"), true);
	tset_add(&s, S("b/1"), false);
	tset_add(&s, S("b/2"), false);
	tset_add(&s, S("c/1"), false);
	tset_add(&s, S("c/2"), true);
	tset_add(&s, S("d"), false);
	tset_add(&s, S("e/1"), true);
	tset_add(&s, S("e/2"), false);
	tset_add(&s, S("f"), false);
	tset_sort(&s);
	/* invisible keys form no common prefix: b/ is not listed */
	EXPECT_LIST(&s, LP("", "/", "", 1000), "a [c/] [e/]");
	EXPECT_LIST(&s, LP("", "", "", 1000), "a c/2 e/1");
	/* truncated only if something visible follows */
	EXPECT_LIST(&s, LP("", "/", "", 2), "a [c/] +");
	EXPECT_LIST(&s, LP("", "/", "", 3), "a [c/] [e/]");
	EXPECT_LIST(&s, LP("", "", "", 3), "a c/2 e/1");
	EXPECT_LIST(&s, LP("", "", "", 2), "a c/2 +");
	EXPECT_LIST(&s, LP("", "", "", 1), "a +");
	EXPECT_LIST(&s, LP("b", "/", "", 1000), "");
	EXPECT_LIST(&s, LP("", "/", "c/", 1), "[e/]");
	EXPECT_LIST(&s, LP("", "", "e/1", 1), "");
	EXPECT_PAGINATE(&s, LP("", "/", "", 1000), 1);
	EXPECT_PAGINATE(&s, LP("", "", "", 1000), 1);
	tset_destroy(&s);
}

TEST(list_truncation_exact)
{
	struct tset s;
	char key[16];
	int i;

	tset_init(&s);
	tset_add(&s, S("a"), true);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof(key), "p/%03d", i);
		tset_add(&s, key, strlen(key), true);
	}
	/* all that follows p/ sits inside it, or is invisible */
	tset_add(&s, S("q"), false);
	EXPECT_LIST(&s, LP("", "/", "", 2), "a [p/]");
	EXPECT_LIST(&s, LP("", "/", "", 1), "a +");
	EXPECT_LIST(&s, LP("", "", "p/098", 1), "p/099");
	EXPECT_LIST(&s, LP("", "", "p/097", 1), "p/098 +");
	tset_add(&s, S("r"), true);
	EXPECT_LIST(&s, LP("", "/", "", 2), "a [p/] +");
	tset_destroy(&s);
}

TEST(list_callback_error)
{
	static const char *const keys[] = { "a", "b/c", "d" };
	struct ks3_model_item items[8];
	struct ks3_list_params p = LP("", "/", "", 10);
	struct ks3_list_result res;
	struct collect c = { .items = items, .cap = 8 };
	struct tset s;

	tset_init(&s);
	tset_add_str(&s, keys, ARRAY_SIZE(keys));
	c.fail_at = 2;
	EXPECT_EQ(ks3_index_list(&s.idx, &p, &c_ops, &c, &res), -EIO);
	EXPECT_EQ(c.nr, 1);
	c.nr = 0;
	c.fail_at = 3;
	EXPECT_EQ(ks3_index_list(&s.idx, &p, &c_ops, &c, &res), -EIO);
	EXPECT_EQ(c.nr, 2);
	tset_destroy(&s);
}

/* A common prefix is skipped with a seek, not walked key by key. */
TEST(list_big_prefix_is_one_seek)
{
	struct ks3_model_item items[8];
	struct ks3_list_result res;
	struct collect c;
	struct tset s;
	char key[32];
	int i;

	tset_init(&s);
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "big/%07d", i);
		tset_add(&s, key, strlen(key), true);
	}
	tset_add(&s, S("big"), true);
	tset_add(&s, S("zz"), true);
	ASSERT_EQ(run_list(&s.idx, &(struct ks3_list_params){
			.delim = "/", .delim_len = 1, .max_keys = 8 },
			items, 8, &res, &c, __LINE__), 0);
	EXPECT_STREQ(render(items, c.nr, res.is_truncated), "big [big/] zz");
	EXPECT_EQ(c.visited, 3);
	ASSERT_EQ(run_list(&s.idx, &(struct ks3_list_params){
			.delim = "/", .delim_len = 1, .max_keys = 2 },
			items, 8, &res, &c, __LINE__), 0);
	EXPECT_STREQ(render(items, c.nr, res.is_truncated), "big [big/] +");
	EXPECT_EQ(c.visited, 3);
	/* start-after deep inside: one seek past it as well */
	ASSERT_EQ(run_list(&s.idx, &(struct ks3_list_params){
			.delim = "/", .delim_len = 1, .max_keys = 8,
			.start_after = "big/0050000", .start_after_len = 11 },
			items, 8, &res, &c, __LINE__), 0);
	EXPECT_STREQ(render(items, c.nr, res.is_truncated), "zz");
	EXPECT_EQ(c.visited, 1);
	tset_destroy(&s);
}

/* Randomized: the index against the model */

static const char rand_alphabet[] = { 'a', 'b', '/', '\0', '\xff', '-' };

static size_t rand_string(char *buf, size_t max)
{
	size_t len = rnd(8) ? rnd(max < 14 ? max + 1 : 14) : rnd(max + 1);
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = rand_alphabet[rnd(sizeof(rand_alphabet))];
	return len;
}

static void rand_set(struct tset *s, size_t n)
{
	char key[KS3_KEY_MAX];

	while (s->nr < n) {
		size_t len = rand_string(key, rnd(50) ? 40 : KS3_KEY_MAX);

		if (len)
			tset_add(s, key, len, rnd(10) != 0);
	}
	tset_sort(s);
}

static const struct { const char *d; size_t len; } rand_delims[] = {
	{ S("") }, { S("/") }, { S("a") }, { S("\xff") }, { S("\x00") },
	{ S("//") }, { S("a/") }, { S("ab") }, { S("aab") }, { S("\xff\xff") },
	{ S("/a/") }, { S("-a-a-a-a-a-a-a-a-a") }, { S("aaaaaaaaaaaaaaaaab") },
};

/* A random string, or a piece of a random key, or a key */
static size_t rand_param(const struct tset *s, char *buf, size_t max)
{
	const struct ks3_model_key *k = &s->keys[rnd(s->nr)];
	size_t len;

	switch (rnd(4)) {
	case 0:
		return 0;
	case 1:
		return rand_string(buf, max < 12 ? max : 12);
	case 2:
		len = rnd(k->len + 1);
		break;
	default:
		len = k->len;
		break;
	}
	len = len < max ? len : max;
	memcpy(buf, k->key, len);
	/* sometimes one byte more, past a key or between two */
	if (rnd(4) == 0 && len < max)
		buf[len++] = rand_alphabet[rnd(sizeof(rand_alphabet))];
	return len;
}

static void rand_params(const struct tset *s, struct ks3_list_params *p,
			char *prefix, char *start)
{
	static const u32 maxes[] = { 0, 1, 2, 3, 5, 7, 10, 100, 1000 };
	size_t d = rnd(ARRAY_SIZE(rand_delims));

	p->prefix = prefix;
	p->prefix_len = rand_param(s, prefix, rnd(3) ? 6 : KS3_KEY_MAX);
	p->delim = rand_delims[d].d;
	p->delim_len = rand_delims[d].len;
	p->start_after = start;
	p->start_after_len = rand_param(s, start, KS3_KEY_MAX);
	p->max_keys = rnd(2) ? maxes[rnd(ARRAY_SIZE(maxes))] : rnd(1001);
}

TEST(random_against_model)
{
	char prefix[KS3_KEY_MAX + 1], start[KS3_KEY_MAX + 1];
	struct ks3_list_params p;
	struct tset s;
	int i, bad = 0;

	rng_state = 0x6b7333696e646578ull;	/* "ks3index" */
	tset_init(&s);
	rand_set(&s, 10000);
	for (i = 0; i < 20000 && bad < 5; i++) {
		rand_params(&s, &p, prefix, start);
		if (!agree_(&s, &p, __LINE__))
			bad++;
	}
	tset_destroy(&s);
}

TEST(random_pagination)
{
	char prefix[KS3_KEY_MAX + 1], start[KS3_KEY_MAX + 1];
	struct ks3_list_params p;
	struct tset s;
	int i, bad = 0;

	rng_state = 0x7061676573ull;		/* "pages" */
	tset_init(&s);
	rand_set(&s, 3000);
	for (i = 0; i < 1000 && bad < 5; i++) {
		rand_params(&s, &p, prefix, start);
		if (!paginate_(&s, &p, 1 + rnd(40), __LINE__))
			bad++;
	}
	tset_destroy(&s);
}
