// SPDX-License-Identifier: GPL-2.0
/*
 * Per-bucket ordered index: an rbtree of keys in memcmp() order, and the S3
 * listing walk over it (prefix, delimiter, start-after, max-keys).
 *
 * The listing never walks the keys under a common prefix: having listed one,
 * it seeks to the first key past all keys that start with it, a tree descent
 * on "sorts after every key with this prefix". That predicate needs no
 * successor string, so prefixes ending in 0xff bytes need no special case and
 * no key-sized buffer is built. Delimiters are found with Knuth-Morris-Pratt,
 * so a long delimiter costs linear time per key, not delimiter x key length.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "index.h"

/* Delimiters up to this long keep their KMP table on the stack. */
#define KS3_DELIM_INLINE	16

static struct ks3_index_node *ks3_index_of(const struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct ks3_index_node, rb) : NULL;
}

/* memcmp() over the common length; memcmp() may not be given NULL */
static int ks3_bytes_cmp(const char *a, const char *b, size_t len)
{
	return len ? memcmp(a, b, len) : 0;
}

int ks3_key_cmp(const char *a, size_t a_len, const char *b, size_t b_len)
{
	int r = ks3_bytes_cmp(a, b, min(a_len, b_len));

	if (r)
		return r;
	if (a_len == b_len)
		return 0;
	return a_len < b_len ? -1 : 1;
}

static bool ks3_key_has_prefix(const char *key, size_t len,
			       const char *prefix, size_t prefix_len)
{
	return len >= prefix_len && !ks3_bytes_cmp(key, prefix, prefix_len);
}

static int ks3_node_cmp(const struct ks3_index_node *n, const char *key,
			size_t len)
{
	return ks3_key_cmp(ks3_index_key(n), n->key_len, key, len);
}

void ks3_index_init(struct ks3_index *idx)
{
	idx->root = RB_ROOT;
	idx->nr = 0;
}

int ks3_index_node_init(struct ks3_index_node *n, const char *key, size_t len)
{
	unsigned long off = (unsigned long)key - (unsigned long)n;

	if (!len || len > KS3_KEY_MAX ||
	    (unsigned long)key < (unsigned long)n ||
	    off < sizeof(*n) || off > U16_MAX)
		return -EINVAL;
	RB_CLEAR_NODE(&n->rb);
	n->key_len = len;
	n->key_off = off;
	return 0;
}

static int ks3_index_rb_cmp(struct rb_node *a, const struct rb_node *b)
{
	const struct ks3_index_node *y = ks3_index_of(b);

	return ks3_node_cmp(ks3_index_of(a), ks3_index_key(y), y->key_len);
}

struct ks3_index_node *ks3_index_insert(struct ks3_index *idx,
					struct ks3_index_node *n)
{
	struct rb_node *old = rb_find_add(&n->rb, &idx->root, ks3_index_rb_cmp);

	if (old)
		return ks3_index_of(old);
	idx->nr++;
	return NULL;
}

void ks3_index_erase(struct ks3_index *idx, struct ks3_index_node *n)
{
	if (WARN_ON_ONCE(RB_EMPTY_NODE(&n->rb)))
		return;
	rb_erase(&n->rb, &idx->root);
	RB_CLEAR_NODE(&n->rb);
	idx->nr--;
}

void ks3_index_clear(struct ks3_index *idx,
		     void (*release)(struct ks3_index_node *n))
{
	struct ks3_index_node *n, *tmp;

	rbtree_postorder_for_each_entry_safe(n, tmp, &idx->root, rb) {
		RB_CLEAR_NODE(&n->rb);
		release(n);
	}
	ks3_index_init(idx);
}

struct ks3_index_node *ks3_index_lookup(const struct ks3_index *idx,
					const char *key, size_t len)
{
	struct rb_node *rb = idx->root.rb_node;

	while (rb) {
		int c = ks3_node_cmp(ks3_index_of(rb), key, len);

		if (!c)
			return ks3_index_of(rb);
		rb = c > 0 ? rb->rb_left : rb->rb_right;
	}
	return NULL;
}

struct ks3_index_node *ks3_index_first(const struct ks3_index *idx)
{
	return ks3_index_of(rb_first(&idx->root));
}

struct ks3_index_node *ks3_index_next(const struct ks3_index_node *n)
{
	return ks3_index_of(rb_next(&n->rb));
}

/* The leftmost node with c(node) > @gt, where c is key order vs @key. */
static struct ks3_index_node *ks3_index_seek(const struct ks3_index *idx,
					     const char *key, size_t len,
					     int gt)
{
	struct rb_node *rb = idx->root.rb_node, *best = NULL;

	while (rb) {
		if (ks3_node_cmp(ks3_index_of(rb), key, len) > gt) {
			best = rb;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return ks3_index_of(best);
}

struct ks3_index_node *ks3_index_seek_ge(const struct ks3_index *idx,
					 const char *key, size_t len)
{
	return ks3_index_seek(idx, key, len, -1);
}

struct ks3_index_node *ks3_index_seek_gt(const struct ks3_index *idx,
					 const char *key, size_t len)
{
	return ks3_index_seek(idx, key, len, 0);
}

/*
 * A key sorts after every key starting with @prefix iff it differs from
 * @prefix, upwards, within their common length: if it does not differ there,
 * it either starts with @prefix or is a prefix of it (and sorts before it).
 * Along key order the predicate goes false...false, true...true, so one
 * descent finds the first key where it holds.
 */
struct ks3_index_node *ks3_index_seek_past_prefix(const struct ks3_index *idx,
						  const char *prefix,
						  size_t len)
{
	struct rb_node *rb = idx->root.rb_node, *best = NULL;

	while (rb) {
		const struct ks3_index_node *n = ks3_index_of(rb);

		if (ks3_bytes_cmp(ks3_index_key(n), prefix,
				  min_t(size_t, n->key_len, len)) > 0) {
			best = rb;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return ks3_index_of(best);
}

/* A delimiter and its Knuth-Morris-Pratt failure table. */
struct ks3_delim {
	const char *d;
	size_t len;			/* 0: none, or longer than any key */
	u16 *fail;
	u16 fail_inline[KS3_DELIM_INLINE];
};

static int ks3_delim_prepare(struct ks3_delim *dl, const char *d, size_t len)
{
	size_t i, k = 0;

	dl->d = d;
	/* Longer than any key can be, it is in none: as if there were none. */
	dl->len = len <= KS3_KEY_MAX ? len : 0;
	dl->fail = dl->fail_inline;
	if (dl->len > KS3_DELIM_INLINE) {
		dl->fail = kmalloc_array(dl->len, sizeof(*dl->fail),
					 GFP_KERNEL);
		if (!dl->fail)
			return -ENOMEM;
	}
	/* fail[i]: longest proper prefix of d[0..i] that also ends there */
	if (dl->len)
		dl->fail[0] = 0;
	for (i = 1; i < dl->len; i++) {
		while (k && d[i] != d[k])
			k = dl->fail[k - 1];
		if (d[i] == d[k])
			k++;
		dl->fail[i] = k;
	}
	return 0;
}

static void ks3_delim_release(struct ks3_delim *dl)
{
	if (dl->fail != dl->fail_inline)
		kfree(dl->fail);
}

/* End of the first delimiter in @s (offset just past it), or 0 if none. */
static size_t ks3_delim_find(const struct ks3_delim *dl, const char *s,
			     size_t len)
{
	size_t i, k = 0;

	if (!dl->len || len < dl->len)
		return 0;
	for (i = 0; i < len; i++) {
		while (k && s[i] != dl->d[k])
			k = dl->fail[k - 1];
		if (s[i] == dl->d[k])
			k++;
		if (k == dl->len)
			return i + 1;
	}
	return 0;
}

/* Length of @key's common prefix, or 0 if the key is listed itself. */
static size_t ks3_list_common_prefix(const struct ks3_list_params *p,
				     const struct ks3_delim *dl,
				     const char *key, size_t len)
{
	size_t end = ks3_delim_find(dl, key + p->prefix_len,
				    len - p->prefix_len);

	return end ? p->prefix_len + end : 0;
}

/* The first node a listing looks at. */
static struct ks3_index_node *ks3_list_start(const struct ks3_index *idx,
					     const struct ks3_list_params *p,
					     const struct ks3_delim *dl)
{
	const char *sa = p->start_after;
	size_t sa_len = p->start_after_len, cp;

	if (!sa_len || ks3_key_cmp(sa, sa_len, p->prefix, p->prefix_len) < 0)
		return ks3_index_seek_ge(idx, p->prefix, p->prefix_len);
	/* Inside a common prefix: it was listed, so are all keys under it. */
	if (ks3_key_has_prefix(sa, sa_len, p->prefix, p->prefix_len)) {
		cp = ks3_list_common_prefix(p, dl, sa, sa_len);
		if (cp)
			return ks3_index_seek_past_prefix(idx, sa, cp);
	}
	return ks3_index_seek_gt(idx, sa, sa_len);
}

int ks3_index_list(const struct ks3_index *idx,
		   const struct ks3_list_params *p,
		   const struct ks3_list_ops *ops, void *arg,
		   struct ks3_list_result *res)
{
	struct ks3_index_node *n;
	struct ks3_delim dl;
	int ret;

	memset(res, 0, sizeof(*res));
	if (!p->max_keys)
		return 0;
	ret = ks3_delim_prepare(&dl, p->delim, p->delim_len);
	if (ret)
		return ret;

	n = ks3_list_start(idx, p, &dl);
	while (n) {
		const char *key = ks3_index_key(n);
		size_t cp;

		if (!ks3_key_has_prefix(key, n->key_len, p->prefix,
					p->prefix_len))
			break;
		if (ops->visible && !ops->visible(arg, n)) {
			n = ks3_index_next(n);
			continue;
		}
		/* A visible key is left: it or its common prefix comes next. */
		if (res->count == p->max_keys) {
			res->is_truncated = true;
			break;
		}
		cp = ks3_list_common_prefix(p, &dl, key, n->key_len);
		if (cp) {
			ret = ops->prefix(arg, key, cp);
			n = ks3_index_seek_past_prefix(idx, key, cp);
		} else {
			cp = n->key_len;
			ret = ops->content(arg, n);
			n = ks3_index_next(n);
		}
		if (ret)
			break;
		res->count++;
		res->next = key;
		res->next_len = cp;
	}
	ks3_delim_release(&dl);
	return ret;
}
