/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A naive model of S3 listing, to check ks3_index_list() against: a sorted
 * array walked key by key, each rule applied literally, the delimiter found
 * by trying every position. Shared by the KUnit suite, the userland unit
 * test and the fuzz target, so it uses only what both worlds have.
 */
#ifndef _KS3_TESTS_INDEX_MODEL_H
#define _KS3_TESTS_INDEX_MODEL_H

#include <linux/string.h>
#include <linux/types.h>

#include "storage/index.h"

struct ks3_model_key {
	const char *key;
	u16 len;
	bool visible;
};

struct ks3_model_item {
	const char *p;
	u16 len;
	bool is_prefix;
};

static inline int ks3_model_bytes_cmp(const char *a, size_t a_len,
				      const char *b, size_t b_len)
{
	size_t i;

	for (i = 0; i < a_len && i < b_len; i++)
		if (a[i] != b[i])
			return (unsigned char)a[i] < (unsigned char)b[i] ?
				-1 : 1;
	if (a_len == b_len)
		return 0;
	return a_len < b_len ? -1 : 1;
}

/* For sort() and qsort() over struct ks3_model_key. */
static inline int ks3_model_key_cmp(const void *a, const void *b)
{
	const struct ks3_model_key *x = a, *y = b;

	return ks3_model_bytes_cmp(x->key, x->len, y->key, y->len);
}

static inline bool ks3_model_starts_with(const char *s, size_t len,
					 const char *prefix, size_t prefix_len)
{
	return len >= prefix_len &&
	       !ks3_model_bytes_cmp(s, prefix_len, prefix, prefix_len);
}

/* Length of @key's common prefix, or 0: the first delimiter after prefix. */
static inline size_t ks3_model_common_prefix(const struct ks3_list_params *p,
					     const char *key, size_t len)
{
	size_t i;

	if (!p->delim_len)
		return 0;
	for (i = p->prefix_len; i + p->delim_len <= len; i++)
		if (ks3_model_starts_with(key + i, len - i, p->delim,
					  p->delim_len))
			return i + p->delim_len;
	return 0;
}

/*
 * Lists @keys (sorted, unique) into @out, which holds @p->max_keys items.
 * Returns how many; *@truncated tells whether another item would follow.
 */
static inline u32 ks3_model_list(const struct ks3_model_key *keys, size_t nr,
				 const struct ks3_list_params *p,
				 struct ks3_model_item *out, bool *truncated)
{
	const char *sa = p->start_after;
	size_t sa_len = p->start_after_len;
	u32 count = 0;
	size_t i;

	*truncated = false;
	if (!p->max_keys)
		return 0;
	for (i = 0; i < nr; i++) {
		const struct ks3_model_key *k = &keys[i];
		struct ks3_model_item it = { k->key, k->len, false };
		size_t cp;

		if (!ks3_model_starts_with(k->key, k->len, p->prefix,
					   p->prefix_len))
			continue;
		if (sa_len && ks3_model_bytes_cmp(k->key, k->len,
						  sa, sa_len) <= 0)
			continue;
		if (!k->visible)
			continue;
		cp = ks3_model_common_prefix(p, k->key, k->len);
		if (cp) {
			it.len = cp;
			it.is_prefix = true;
			/* listed by the page that start-after came from */
			if (sa_len && ks3_model_starts_with(sa, sa_len,
							    k->key, cp))
				continue;
			/* listed already, for an earlier key */
			if (count && out[count - 1].is_prefix &&
			    !ks3_model_bytes_cmp(out[count - 1].p,
						 out[count - 1].len,
						 k->key, cp))
				continue;
		}
		if (count == p->max_keys) {
			*truncated = true;
			break;
		}
		out[count++] = it;
	}
	return count;
}

#endif /* _KS3_TESTS_INDEX_MODEL_H */
