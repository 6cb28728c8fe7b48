/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-bucket ordered index of keys: the map behind lookups and behind
 * ListObjects (v1 and v2) and ListMultipartUploads.
 *
 * Keys are byte strings of 1..KS3_KEY_MAX bytes (any bytes, 0x00 and 0xff
 * included), ordered by unsigned byte comparison with a proper prefix first:
 * memcmp() order, which for UTF-8 is the code point order S3 calls "UTF-8
 * binary order".
 *
 * A struct ks3_index_node is embedded in the owner's entry, and the key's
 * bytes live in that same entry, at most 64 KiB after the node (typically a
 * flexible array at its end): the node stores their offset, not a pointer,
 * which keeps it at 32 bytes on 64-bit, rb_node included.
 *
 * Locking is the caller's: the index has none. Every call, including
 * iteration with first/next and ks3_index_list(), needs the caller's lock
 * (an rwsem per bucket: read for lookups and listing, write for insert and
 * erase), held for as long as any returned node or key pointer is used.
 */
#ifndef _KS3_STORAGE_INDEX_H
#define _KS3_STORAGE_INDEX_H

#include <linux/rbtree.h>
#include <linux/types.h>

/* Longest key: S3's limit, 1024 bytes of UTF-8. */
#define KS3_KEY_MAX	1024

struct ks3_index {
	struct rb_root root;
	u64 nr;				/* nodes in the tree */
};

struct ks3_index_node {
	struct rb_node rb;
	u16 key_len;
	u16 key_off;			/* key's offset from the node */
	/*
	 * Free for the embedding entry (a state bit, say): it fills what would
	 * be padding, and the index never reads or writes it.
	 */
	u32 flags;
};

static inline const char *ks3_index_key(const struct ks3_index_node *n)
{
	return (const char *)n + n->key_off;
}

/* memcmp() order of two byte strings, a proper prefix first: <0, 0, >0 */
int ks3_key_cmp(const char *a, size_t a_len, const char *b, size_t b_len);

void ks3_index_init(struct ks3_index *idx);

/*
 * Points @n at its key: @len bytes at @key, which must lie in the same
 * allocation as @n, after it and within 64 KiB. -EINVAL if @len is 0 or
 * above KS3_KEY_MAX (an empty key could not be told from "no start-after"),
 * or @key is out of that range. Call it before inserting @n;
 * the key must not change while @n is in an index.
 */
int ks3_index_node_init(struct ks3_index_node *n, const char *key, size_t len);

/*
 * Adds @n. Returns NULL when added, or the node already holding the same key
 * (then @n is not added), as rb_find_add() does.
 */
struct ks3_index_node *ks3_index_insert(struct ks3_index *idx,
					struct ks3_index_node *n);
void ks3_index_erase(struct ks3_index *idx, struct ks3_index_node *n);

/*
 * Removes every node without rebalancing (a post-order walk) and calls
 * @release on each, which may free it. For teardown.
 */
void ks3_index_clear(struct ks3_index *idx,
		     void (*release)(struct ks3_index_node *n));

struct ks3_index_node *ks3_index_lookup(const struct ks3_index *idx,
					const char *key, size_t len);
struct ks3_index_node *ks3_index_first(const struct ks3_index *idx);
struct ks3_index_node *ks3_index_next(const struct ks3_index_node *n);
/* The first node whose key is >= (seek_ge) or > (seek_gt) @key; or NULL. */
struct ks3_index_node *ks3_index_seek_ge(const struct ks3_index *idx,
					 const char *key, size_t len);
struct ks3_index_node *ks3_index_seek_gt(const struct ks3_index *idx,
					 const char *key, size_t len);
/*
 * The first node whose key sorts after every key that starts with @prefix
 * (after @prefix itself too); NULL if there is none. This is how a listing
 * skips a common prefix in O(log n), however many keys share it.
 */
struct ks3_index_node *ks3_index_seek_past_prefix(const struct ks3_index *idx,
						  const char *prefix,
						  size_t len);

/*
 * A listing, with S3's semantics. The caller maps the request onto it:
 *  - ListObjects v1: @start_after = marker.
 *  - ListObjectsV2: @start_after = the key a continuation-token stands for,
 *    else start-after. The token a page ends with is @next of the result.
 *  - @max_keys: the request's max-keys, already clamped to 1000. 0 lists
 *    nothing and is not truncated (as S3 answers max-keys=0).
 *  - An empty delimiter is no delimiter.
 * Lengths above KS3_KEY_MAX are allowed and simply match no key.
 */
struct ks3_list_params {
	const char *prefix;
	size_t prefix_len;
	const char *delim;
	size_t delim_len;
	const char *start_after;	/* exclusive; empty: from the start */
	size_t start_after_len;
	u32 max_keys;
};

/*
 * Callbacks of ks3_index_list(), called with the caller's lock held; they
 * must not change the index.
 * @visible: NULL, or false for an entry a listing must not show (its object
 *	is not committed yet): it is neither listed nor forms a common prefix.
 *	Such entries are walked one by one, so a listing's work grows with
 *	them; they are bounded by the writes in flight.
 * @content: lists @n. 0 to go on; a negative errno ends the listing, and
 *	ks3_index_list() returns it.
 * @prefix: lists a common prefix, @len bytes at @p (which point into an
 *	indexed key). Called only when a delimiter is given. Return as
 *	@content.
 */
struct ks3_list_ops {
	bool (*visible)(void *arg, struct ks3_index_node *n);
	int (*content)(void *arg, struct ks3_index_node *n);
	int (*prefix)(void *arg, const char *p, u16 len);
};

/*
 * @count: keys plus common prefixes listed; each counts toward max-keys.
 * @is_truncated: true iff at least one more visible key or common prefix
 *	follows the last one listed.
 * @next, @next_len: the last key or common prefix listed (NULL if none),
 *	pointing into an indexed key: copy it before the lock is dropped. It
 *	becomes NextContinuationToken (v2) or NextMarker (v1; S3 returns
 *	NextMarker only when a delimiter was given, and both only when the
 *	listing is truncated). Given back as @start_after, it resumes the
 *	listing right after this page: a common prefix is never repeated.
 */
struct ks3_list_result {
	u32 count;
	bool is_truncated;
	const char *next;
	u16 next_len;
};

/*
 * Lists the keys that start with @p->prefix and sort after @p->start_after,
 * in key order, at most @p->max_keys keys and common prefixes together.
 *
 * With a delimiter, a key whose remainder after the prefix contains it is
 * not listed; instead its common prefix is: the key up to and including the
 * first delimiter after the prefix. Each common prefix is listed once, and
 * the rest of the keys under it are skipped by one seek. A common prefix
 * that @start_after starts with is not listed at all: the page that ended
 * inside it (or on it) already listed it, as AWS does (ceph s3-tests
 * test_bucket_list_delimiter_prefix: marker "boo/" does not list "boo/"
 * again).
 *
 * Work: O(log n) per item listed, plus one step per invisible entry passed
 * over, plus one lookahead for @is_truncated; no recursion. Allocates only
 * for a delimiter longer than 16 bytes (a table of 2 bytes per delimiter
 * byte, GFP_KERNEL, freed before returning), so it may sleep: hold a sleeping
 * lock (the bucket's rwsem), not a spinlock. Returns 0, -ENOMEM, or a
 * callback's error.
 *
 * Items are whole index nodes: ListMultipartUploads, whose max-uploads counts
 * uploads and whose upload-id-marker resumes inside one key, must keep one
 * node per upload or page within a key itself.
 */
int ks3_index_list(const struct ks3_index *idx,
		   const struct ks3_list_params *p,
		   const struct ks3_list_ops *ops, void *arg,
		   struct ks3_list_result *res);

#endif /* _KS3_STORAGE_INDEX_H */
