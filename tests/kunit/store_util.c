// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the store KUnit suites. */
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "store_util.h"

#define KS3_TEST_PIECE	7000	/* not a multiple of a block or chunk */

/* Feeds @size pattern bytes to @w in uneven pieces; aborts on error. */
static int ks3_test_fill(struct ks3_object_writer *w, u64 size, u32 seed)
{
	u64 off = 0, i;
	u8 *buf;
	int ret = 0;

	buf = kmalloc(KS3_TEST_PIECE, GFP_KERNEL);
	if (!buf) {
		ks3_object_write_abort(w);
		return -ENOMEM;
	}
	while (off < size) {
		size_t n = min_t(u64, KS3_TEST_PIECE, size - off);

		for (i = 0; i < n; i++)
			buf[i] = ks3_test_byte(seed, off + i);
		ret = ks3_object_write(w, buf, n);
		if (ret) {
			ks3_object_write_abort(w);
			break;
		}
		off += n;
	}
	kfree(buf);
	return ret;
}

int ks3_test_put(struct ks3_store *s, const char *bucket, const char *key,
		 u64 size, u32 seed)
{
	struct ks3_object_writer *w;
	int ret;

	ret = ks3_object_write_begin(s, bucket, strlen(bucket), key,
				     strlen(key), size, &w);
	if (!ret)
		ret = ks3_test_fill(w, size, seed);
	if (!ret)
		ret = ks3_object_write_commit(w, "ct\0text/plain", 14, NULL,
					      NULL);
	return ret;
}

int ks3_test_put_part(struct ks3_store *s, const char *bucket, u64 upload_id,
		      u32 part, u64 size, u32 seed)
{
	struct ks3_object_writer *w;
	int ret;

	ret = ks3_part_write_begin(s, bucket, strlen(bucket), upload_id, part,
				   size, &w);
	if (!ret)
		ret = ks3_test_fill(w, size, seed);
	if (!ret)
		ret = ks3_part_write_commit(w, NULL);
	return ret;
}

int ks3_test_check_range(struct ks3_store *s, struct ks3_object *obj,
			 u64 start, u64 len, u32 seed)
{
	u64 off, i;
	u8 *buf;
	int ret = 0;

	buf = vmalloc(KS3_CHUNK_SIZE);
	if (!buf)
		return -ENOMEM;
	for (off = 0; off < len && !ret; off += KS3_CHUNK_SIZE) {
		size_t n = min_t(u64, KS3_CHUNK_SIZE, len - off);

		ret = ks3_object_read(s, obj, start + off, buf, n);
		for (i = 0; !ret && i < n; i++)
			if (buf[i] != ks3_test_byte(seed, off + i))
				ret = -EILSEQ;
	}
	vfree(buf);
	return ret;
}

int ks3_test_check_data(struct ks3_store *s, struct ks3_object *obj,
			u32 seed)
{
	return ks3_test_check_range(s, obj, 0, obj->size, seed);
}

u64 ks3_test_used_blocks(struct ks3_store *s)
{
	struct ks3_index_node *n;
	struct ks3_bucket *b;
	unsigned long id;
	u64 used = 0;

	down_read(&s->meta_lock);
	xa_for_each(&s->buckets_by_id, id, b)
		for (n = ks3_index_first(&b->index); n; n = ks3_index_next(n))
			if (container_of(n, struct ks3_entry, node)->obj)
				used += ks3_object_blocks(container_of(n,
					struct ks3_entry, node)->obj);
	used += ks3_uploads_blocks(s);
	up_read(&s->meta_lock);
	return used;
}

int ks3_test_read_all(struct ks3_store *s)
{
	struct ks3_index_node *n;
	struct ks3_bucket *b;
	unsigned long id;
	u8 *buf;
	int ret = 0;

	buf = vmalloc(KS3_CHUNK_SIZE);
	if (!buf)
		return -ENOMEM;
	down_read(&s->meta_lock);
	xa_for_each(&s->buckets_by_id, id, b) {
		for (n = ks3_index_first(&b->index); n && !ret;
		     n = ks3_index_next(n)) {
			struct ks3_object *obj =
				container_of(n, struct ks3_entry, node)->obj;
			u64 off;

			for (off = 0; obj && off < obj->size && !ret;
			     off += KS3_CHUNK_SIZE)
				ret = ks3_object_read(s, obj, off, buf,
						      min_t(u64, KS3_CHUNK_SIZE,
							    obj->size - off));
		}
	}
	up_read(&s->meta_lock);
	vfree(buf);
	return ret;
}
