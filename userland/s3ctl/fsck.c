// SPDX-License-Identifier: GPL-2.0
/*
 * s3ctl fsck (see fsck.h), in passes like attach itself: the superblock
 * copies, the checkpoint, the journal chain from the replay point, a model
 * of the metadata built from both exactly as replay builds it (every
 * operation that replay would refuse is a problem), then the space the
 * metadata references (inside the data region, no block used twice) and
 * last the data itself against its per-MiB crc32c.
 *
 * Everything read from the image is untrusted: lengths are checked against
 * the layout before they size a buffer, and operations are decoded by the
 * module's codec, which bounds every field.
 */
#include <errno.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/crc32c.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "fsck.h"
#include "storage/bucket_name.h"
#include "storage/op.h"
#include "storage/record.h"
#include "storage/super.h"

#define FK_CHUNK	(1U << KS3_CHUNK_SHIFT)
/* Chunks read per batch when checking data: 16 MiB in flight. */
#define FK_BATCH	16

/* A run of object data: a PUT's, or one part's. */
struct fk_seg {
	u64 size;
	u32 nr_extents;
	u32 nr_chunks;
	struct ks3_disk_extent *ext;
	u32 *crcs;
};

struct fk_bucket {
	u32 id;
	u16 name_len;
	char name[KS3_BUCKET_NAME_LEN_MAX + 1];
	u64 objects;
	u64 uploads;
};

struct fk_key {
	u32 id;
	char access[KS3_ACCESS_KEY_LEN];
};

struct fk_grant {
	u32 key_id;
	u32 bucket_id;
	u32 caps;
};

struct fk_object {
	u32 bucket_id;
	u16 key_len;
	char *key;
	u64 size;
	u32 nr_segs;
	struct fk_seg *segs;
};

struct fk_upload {
	u64 id;
	u32 bucket_id;
	u16 key_len;
	char *key;
};

struct fk_part {
	u64 upload_id;
	u32 number;
	struct fk_seg seg;
};

struct fk_setting {
	u16 len;
	char name[KS3_CONFIG_NAME_MAX];
};

/* An extent with what owns it, for the overlap check. */
struct fk_extent {
	u64 start;
	u64 blocks;
	const struct fk_object *obj;	/* or the part: */
	const struct fk_part *part;
};

struct fk {
	const struct s3ctl_img *img;
	struct s3ctl_fsck *r;
	struct ks3_layout l;
	u32 seed;
	void *buckets_id, *buckets_name, *keys_id, *keys_access, *grants;
	void *objects, *uploads, *parts, *settings;
	char where[64];			/* "checkpoint op 3" */
	/* Walks: what twalk_r collects. */
	void **items;
	size_t nr_items, cap_items;
	int err;			/* -ENOMEM or a read error */
};

/* ------------------------------------------------------------ reports -- */

static void fk_vproblem(struct fk *f, const char *area, const char *fmt,
			va_list ap)
{
	struct s3ctl_fsck *r = f->r;
	char *msg;

	r->nr_problems++;
	if (r->nr_kept == S3CTL_FSCK_PROBLEMS_MAX)
		return;
	if (!r->problems) {
		r->problems = calloc(S3CTL_FSCK_PROBLEMS_MAX,
				     sizeof(*r->problems));
		if (!r->problems) {
			f->err = -ENOMEM;
			return;
		}
	}
	if (vasprintf(&msg, fmt, ap) < 0) {
		f->err = -ENOMEM;
		return;
	}
	r->problems[r->nr_kept].area = area;
	r->problems[r->nr_kept].msg = msg;
	r->nr_kept++;
}

static void fk_problem(struct fk *f, const char *area, const char *fmt, ...)
	__printf(3, 4);
static void fk_problem(struct fk *f, const char *area, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fk_vproblem(f, area, fmt, ap);
	va_end(ap);
}

/* A problem of the operation being applied, prefixed with where it is. */
static void fk_op_problem(struct fk *f, const char *fmt, ...) __printf(2, 3);
static void fk_op_problem(struct fk *f, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		f->err = -ENOMEM;
		return;
	}
	fk_problem(f, "metadata", "%s: %s (replay refuses it)", f->where, msg);
	free(msg);
}

static void fk_note(struct fk *f, const char *fmt, ...) __printf(2, 3);
static void fk_note(struct fk *f, const char *fmt, ...)
{
	struct s3ctl_fsck *r = f->r;
	char **notes, *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0) {
		f->err = -ENOMEM;
		return;
	}
	notes = realloc(r->notes, (r->nr_notes + 1) * sizeof(*notes));
	if (!notes) {
		free(msg);
		f->err = -ENOMEM;
		return;
	}
	r->notes = notes;
	r->notes[r->nr_notes++] = msg;
}

/* An object key for a message: printable, escaped, at most 64 bytes. */
static const char *fk_str(char *buf, size_t size, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == 64) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c >= 0x7f || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 0xf];
		} else {
			buf[o++] = (char)c;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* ----------------------------------------------------------------- I/O -- */

/* Reads what the layout says is there: the image holds it (checked). */
static int fk_read(struct fk *f, u64 off, void *buf, u64 len)
{
	struct s3ctl_img_io io;
	int ret = 0;
	u64 n;

	if (off > f->img->size || len > f->img->size - off)
		ret = -EIO;
	while (!ret && len) {
		n = min_t(u64, len, 1U << 30);
		io = (struct s3ctl_img_io){ .off = off, .len = (u32)n,
					    .buf = buf };
		ret = f->img->read(f->img->ctx, &io, 1);
		off += n;
		buf = (u8 *)buf + n;
		len -= n;
	}
	if (ret && !f->err)
		f->err = ret;
	return ret;
}

/* Blocks of the journal from journal block @at, wrapping at its end. */
static int fk_read_journal(struct fk *f, u64 at, void *buf, u64 blocks)
{
	u64 jblocks = f->l.journal_blocks;
	u64 first = min(blocks, jblocks - at);
	int ret;

	ret = fk_read(f, (f->l.journal_start + at) << KS3_BLOCK_SHIFT, buf,
		      first << KS3_BLOCK_SHIFT);
	if (ret || first == blocks)
		return ret;
	return fk_read(f, f->l.journal_start << KS3_BLOCK_SHIFT,
		       (u8 *)buf + (first << KS3_BLOCK_SHIFT),
		       (blocks - first) << KS3_BLOCK_SHIFT);
}

/* --------------------------------------------------------------- trees -- */

static int fk_cmp_u32(u32 a, u32 b)
{
	return a < b ? -1 : a > b;
}

static int fk_cmp_u64(u64 a, u64 b)
{
	return a < b ? -1 : a > b;
}

static int fk_cmp_bytes(const char *a, size_t alen, const char *b,
			size_t blen)
{
	int c = memcmp(a, b, min(alen, blen));

	return c ? c : fk_cmp_u64(alen, blen);
}

static int fk_bucket_id_cmp(const void *a, const void *b)
{
	return fk_cmp_u32(((const struct fk_bucket *)a)->id,
			  ((const struct fk_bucket *)b)->id);
}

static int fk_bucket_name_cmp(const void *a, const void *b)
{
	const struct fk_bucket *x = a, *y = b;

	return fk_cmp_bytes(x->name, x->name_len, y->name, y->name_len);
}

static int fk_key_id_cmp(const void *a, const void *b)
{
	return fk_cmp_u32(((const struct fk_key *)a)->id,
			  ((const struct fk_key *)b)->id);
}

static int fk_key_access_cmp(const void *a, const void *b)
{
	return memcmp(((const struct fk_key *)a)->access,
		      ((const struct fk_key *)b)->access, KS3_ACCESS_KEY_LEN);
}

static int fk_grant_cmp(const void *a, const void *b)
{
	const struct fk_grant *x = a, *y = b;

	return fk_cmp_u32(x->key_id, y->key_id) ?:
	       fk_cmp_u32(x->bucket_id, y->bucket_id);
}

static int fk_object_cmp(const void *a, const void *b)
{
	const struct fk_object *x = a, *y = b;

	return fk_cmp_u32(x->bucket_id, y->bucket_id) ?:
	       fk_cmp_bytes(x->key, x->key_len, y->key, y->key_len);
}

static int fk_upload_cmp(const void *a, const void *b)
{
	return fk_cmp_u64(((const struct fk_upload *)a)->id,
			  ((const struct fk_upload *)b)->id);
}

static int fk_part_cmp(const void *a, const void *b)
{
	const struct fk_part *x = a, *y = b;

	return fk_cmp_u64(x->upload_id, y->upload_id) ?:
	       fk_cmp_u32(x->number, y->number);
}

static int fk_setting_cmp(const void *a, const void *b)
{
	const struct fk_setting *x = a, *y = b;

	return fk_cmp_bytes(x->name, x->len, y->name, y->len);
}

static void *fk_find(void *const *root, const void *key,
		     int (*cmp)(const void *, const void *))
{
	void **p = tfind(key, root, cmp);

	return p ? *p : NULL;
}

/* Adds @item (unique by @cmp, the caller checked): 0 or -ENOMEM. */
static int fk_add(struct fk *f, void **root, void *item,
		  int (*cmp)(const void *, const void *))
{
	if (!tsearch(item, root, cmp)) {
		f->err = -ENOMEM;
		return -ENOMEM;
	}
	return 0;
}

static void fk_collect(const void *nodep, VISIT which, void *closure)
{
	struct fk *f = closure;
	void **items;

	if (which != postorder && which != leaf)
		return;
	if (f->nr_items == f->cap_items) {
		f->cap_items = f->cap_items ? 2 * f->cap_items : 64;
		items = realloc(f->items, f->cap_items * sizeof(*items));
		if (!items) {
			f->err = -ENOMEM;
			f->cap_items = f->nr_items;
			return;
		}
		f->items = items;
	}
	f->items[f->nr_items++] = *(void *const *)nodep;
}

/* Every item of @root into f->items (in order), f->nr_items of them. */
static void fk_items(struct fk *f, void *root)
{
	f->nr_items = 0;
	twalk_r(root, fk_collect, f);
}

/* ---------------------------------------------------------------- model -- */

static void fk_seg_free(struct fk_seg *s)
{
	free(s->ext);
	free(s->crcs);
}

static int fk_seg_from(struct fk *f, struct fk_seg *s, u64 size,
		       u32 nr_extents, const struct ks3_disk_extent *ext,
		       u32 nr_chunks, const __le32 *crcs)
{
	u32 i;

	s->size = size;
	s->nr_extents = nr_extents;
	s->nr_chunks = nr_chunks;
	s->ext = calloc(max_t(u32, nr_extents, 1), sizeof(*s->ext));
	s->crcs = calloc(max_t(u32, nr_chunks, 1), sizeof(*s->crcs));
	if (!s->ext || !s->crcs) {
		fk_seg_free(s);
		f->err = -ENOMEM;
		return -ENOMEM;
	}
	memcpy(s->ext, ext, (size_t)nr_extents * sizeof(*ext));
	for (i = 0; i < nr_chunks; i++)
		s->crcs[i] = le32_to_cpu(crcs[i]);
	return 0;
}

static void fk_object_free(struct fk_object *o)
{
	u32 i;

	for (i = 0; i < o->nr_segs; i++)
		fk_seg_free(&o->segs[i]);
	free(o->segs);
	free(o->key);
	free(o);
}

static struct fk_bucket *fk_bucket(struct fk *f, u32 id)
{
	struct fk_bucket key = { .id = id };

	return fk_find(&f->buckets_id, &key, fk_bucket_id_cmp);
}

static struct fk_key *fk_key(struct fk *f, u32 id)
{
	struct fk_key key = { .id = id };

	return fk_find(&f->keys_id, &key, fk_key_id_cmp);
}

/* Drops the grants of key @key_id, or of bucket @bucket_id. */
static void fk_drop_grants(struct fk *f, bool by_key, u32 id)
{
	size_t i;

	fk_items(f, f->grants);
	for (i = 0; i < f->nr_items; i++) {
		struct fk_grant *g = f->items[i];

		if ((by_key ? g->key_id : g->bucket_id) != id)
			continue;
		tdelete(g, &f->grants, fk_grant_cmp);
		free(g);
	}
}

static void fk_bucket_put(struct fk *f, const struct ks3_op_bucket *v)
{
	struct fk_bucket key = { .name_len = v->name_len }, *b, *other;
	const char *problem;
	char name[80];

	memcpy(key.name, v->name, v->name_len);
	fk_str(name, sizeof(name), v->name, v->name_len);
	problem = ks3_bucket_name_problem(v->name, v->name_len);
	if (problem)
		fk_problem(f, "metadata", "%s: bucket '%s' has an invalid name: %s",
			   f->where, name, problem);
	b = fk_find(&f->buckets_name, &key, fk_bucket_name_cmp);
	if (b) {
		if (b->id != v->bucket_id)
			fk_op_problem(f, "bucket '%s' exists with id %u, the operation gives it id %u",
				      name, b->id, v->bucket_id);
		return;
	}
	other = fk_bucket(f, v->bucket_id);
	if (other) {
		fk_op_problem(f, "bucket id %u of '%s' is already used by bucket '%s'",
			      v->bucket_id, name, other->name);
		return;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		f->err = -ENOMEM;
		return;
	}
	*b = key;
	b->id = v->bucket_id;
	if (fk_add(f, &f->buckets_id, b, fk_bucket_id_cmp) ||
	    fk_add(f, &f->buckets_name, b, fk_bucket_name_cmp)) {
		tdelete(b, &f->buckets_id, fk_bucket_id_cmp);
		free(b);
	}
}

static void fk_bucket_delete(struct fk *f, const struct ks3_op_bucket *v)
{
	struct fk_bucket *b = fk_bucket(f, v->bucket_id);

	if (!b) {
		fk_op_problem(f, "deletes bucket id %u, which does not exist",
			      v->bucket_id);
		return;
	}
	if (b->objects) {
		fk_op_problem(f, "deletes bucket '%s', which still holds %llu objects",
			      b->name, (unsigned long long)b->objects);
		return;
	}
	if (b->uploads) {
		fk_op_problem(f, "deletes bucket '%s', which has %llu multipart uploads in progress",
			      b->name, (unsigned long long)b->uploads);
		return;
	}
	fk_drop_grants(f, false, b->id);
	tdelete(b, &f->buckets_id, fk_bucket_id_cmp);
	tdelete(b, &f->buckets_name, fk_bucket_name_cmp);
	free(b);
}

static void fk_key_put(struct fk *f, const struct ks3_op_key *v)
{
	struct fk_key *k = fk_key(f, v->key_id), *other, probe;
	char access[80];

	memcpy(probe.access, v->access_key, KS3_ACCESS_KEY_LEN);
	fk_str(access, sizeof(access), v->access_key, KS3_ACCESS_KEY_LEN);
	other = fk_find(&f->keys_access, &probe, fk_key_access_cmp);
	if (other && other != k) {
		fk_op_problem(f, "access key %s of key id %u is already used by key id %u",
			      access, v->key_id, other->id);
		return;
	}
	if (k) {
		if (memcmp(k->access, v->access_key, KS3_ACCESS_KEY_LEN))
			fk_op_problem(f, "key id %u changes its access key to %s",
				      v->key_id, access);
		return;
	}
	k = calloc(1, sizeof(*k));
	if (!k) {
		f->err = -ENOMEM;
		return;
	}
	k->id = v->key_id;
	memcpy(k->access, v->access_key, KS3_ACCESS_KEY_LEN);
	if (fk_add(f, &f->keys_id, k, fk_key_id_cmp) ||
	    fk_add(f, &f->keys_access, k, fk_key_access_cmp)) {
		tdelete(k, &f->keys_id, fk_key_id_cmp);
		free(k);
	}
}

static void fk_key_delete(struct fk *f, const struct ks3_op_key *v)
{
	struct fk_key *k = fk_key(f, v->key_id);

	if (!k) {
		fk_op_problem(f, "deletes key id %u, which does not exist",
			      v->key_id);
		return;
	}
	fk_drop_grants(f, true, k->id);
	tdelete(k, &f->keys_id, fk_key_id_cmp);
	tdelete(k, &f->keys_access, fk_key_access_cmp);
	free(k);
}

static void fk_grant(struct fk *f, const struct ks3_op_grant *v)
{
	struct fk_grant key = { .key_id = v->key_id,
				.bucket_id = v->bucket_id }, *g;

	if (!fk_key(f, v->key_id)) {
		fk_op_problem(f, "grants key id %u, which does not exist, access to bucket id %u",
			      v->key_id, v->bucket_id);
		return;
	}
	if (!fk_bucket(f, v->bucket_id)) {
		fk_op_problem(f, "grants key id %u access to bucket id %u, which does not exist",
			      v->key_id, v->bucket_id);
		return;
	}
	g = fk_find(&f->grants, &key, fk_grant_cmp);
	if (!v->caps) {
		if (g) {
			tdelete(g, &f->grants, fk_grant_cmp);
			free(g);
		}
		return;
	}
	if (!g) {
		g = malloc(sizeof(*g));
		if (!g) {
			f->err = -ENOMEM;
			return;
		}
		*g = key;
		if (fk_add(f, &f->grants, g, fk_grant_cmp)) {
			free(g);
			return;
		}
	}
	g->caps = v->caps;
}

static void fk_config(struct fk *f, const struct ks3_op_config *v)
{
	struct fk_setting key = { .len = v->name_len }, *s;

	memcpy(key.name, v->name, v->name_len);
	if (fk_find(&f->settings, &key, fk_setting_cmp))
		return;
	s = malloc(sizeof(*s));
	if (!s) {
		f->err = -ENOMEM;
		return;
	}
	*s = key;
	if (fk_add(f, &f->settings, s, fk_setting_cmp))
		free(s);
}

/* Puts @o (its key and segments filled) in place of the current version. */
static void fk_object_publish(struct fk *f, struct fk_bucket *b,
			      struct fk_object *o)
{
	struct fk_object *old = fk_find(&f->objects, o, fk_object_cmp);

	if (old) {
		tdelete(old, &f->objects, fk_object_cmp);
		fk_object_free(old);
		b->objects--;
	}
	if (fk_add(f, &f->objects, o, fk_object_cmp)) {
		fk_object_free(o);
		return;
	}
	b->objects++;
}

static struct fk_object *fk_object_new(struct fk *f, u32 bucket_id,
				       const char *key, u16 key_len,
				       u32 nr_segs)
{
	struct fk_object *o = calloc(1, sizeof(*o));

	if (o) {
		o->bucket_id = bucket_id;
		o->key_len = key_len;
		o->key = malloc(max_t(u16, key_len, 1));
		o->segs = calloc(max_t(u32, nr_segs, 1), sizeof(*o->segs));
	}
	if (!o || !o->key || !o->segs) {
		if (o) {
			free(o->key);
			free(o->segs);
		}
		free(o);
		f->err = -ENOMEM;
		return NULL;
	}
	memcpy(o->key, key, key_len);
	return o;
}

static void fk_object_put(struct fk *f, const struct ks3_op_object *v)
{
	struct fk_bucket *b = fk_bucket(f, v->bucket_id);
	struct fk_object *o;

	if (!b) {
		fk_op_problem(f, "puts an object in bucket id %u, which does not exist",
			      v->bucket_id);
		return;
	}
	o = fk_object_new(f, v->bucket_id, v->key, v->key_len, 1);
	if (!o)
		return;
	if (fk_seg_from(f, &o->segs[0], v->size, v->nr_extents, v->extents,
			v->nr_chunks, v->crcs)) {
		fk_object_free(o);
		return;
	}
	o->nr_segs = 1;
	o->size = v->size;
	fk_object_publish(f, b, o);
}

static void fk_object_delete(struct fk *f, const struct ks3_op_object *v)
{
	struct fk_bucket *b = fk_bucket(f, v->bucket_id);
	struct fk_object key = { .bucket_id = v->bucket_id,
				 .key = (char *)v->key,
				 .key_len = v->key_len }, *o;
	char name[300];

	o = b ? fk_find(&f->objects, &key, fk_object_cmp) : NULL;
	if (!o) {
		fk_op_problem(f, "deletes object '%s' in bucket id %u, which does not exist",
			      fk_str(name, sizeof(name), v->key, v->key_len),
			      v->bucket_id);
		return;
	}
	tdelete(o, &f->objects, fk_object_cmp);
	fk_object_free(o);
	b->objects--;
}

static struct fk_upload *fk_upload(struct fk *f, u64 id)
{
	struct fk_upload key = { .id = id };

	return fk_find(&f->uploads, &key, fk_upload_cmp);
}

static void fk_upload_create(struct fk *f, const struct ks3_op_upload *v)
{
	struct fk_bucket *b = fk_bucket(f, v->bucket_id);
	struct fk_upload *u;

	if (!b) {
		fk_op_problem(f, "starts upload %llu in bucket id %u, which does not exist",
			      (unsigned long long)v->upload_id, v->bucket_id);
		return;
	}
	if (fk_upload(f, v->upload_id)) {
		fk_op_problem(f, "starts upload %llu, which exists already",
			      (unsigned long long)v->upload_id);
		return;
	}
	u = calloc(1, sizeof(*u));
	if (u)
		u->key = malloc(max_t(u16, v->key_len, 1));
	if (!u || !u->key) {
		if (u)
			free(u->key);
		free(u);
		f->err = -ENOMEM;
		return;
	}
	u->id = v->upload_id;
	u->bucket_id = v->bucket_id;
	u->key_len = v->key_len;
	memcpy(u->key, v->key, v->key_len);
	if (fk_add(f, &f->uploads, u, fk_upload_cmp)) {
		free(u->key);
		free(u);
		return;
	}
	b->uploads++;
}

static struct fk_part *fk_part(struct fk *f, u64 upload_id, u32 number)
{
	struct fk_part key = { .upload_id = upload_id, .number = number };

	return fk_find(&f->parts, &key, fk_part_cmp);
}

static void fk_part_drop(struct fk *f, struct fk_part *p)
{
	tdelete(p, &f->parts, fk_part_cmp);
	fk_seg_free(&p->seg);
	free(p);
}

static void fk_upload_part(struct fk *f, const struct ks3_op_part *v)
{
	struct fk_part *p, *old;

	if (!fk_upload(f, v->upload_id)) {
		fk_op_problem(f, "adds part %u to upload %llu, which does not exist",
			      v->part_number, (unsigned long long)v->upload_id);
		return;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		f->err = -ENOMEM;
		return;
	}
	p->upload_id = v->upload_id;
	p->number = v->part_number;
	if (fk_seg_from(f, &p->seg, v->size, v->nr_extents, v->extents,
			v->nr_chunks, v->crcs)) {
		free(p);
		return;
	}
	old = fk_part(f, v->upload_id, v->part_number);
	if (old)
		fk_part_drop(f, old);
	if (fk_add(f, &f->parts, p, fk_part_cmp)) {
		fk_seg_free(&p->seg);
		free(p);
	}
}

/* Ends upload @u: its remaining parts and the upload itself go. */
static void fk_upload_end(struct fk *f, struct fk_upload *u)
{
	struct fk_bucket *b = fk_bucket(f, u->bucket_id);
	size_t i;

	fk_items(f, f->parts);
	for (i = 0; i < f->nr_items; i++) {
		struct fk_part *p = f->items[i];

		if (p->upload_id == u->id)
			fk_part_drop(f, p);
	}
	if (b)
		b->uploads--;
	tdelete(u, &f->uploads, fk_upload_cmp);
	free(u->key);
	free(u);
}

static void fk_upload_complete(struct fk *f, const struct ks3_op_complete *v)
{
	struct fk_upload *u = fk_upload(f, v->upload_id);
	struct fk_bucket *b;
	struct fk_object *o;
	struct fk_part *p;
	u32 i;

	if (!u) {
		fk_op_problem(f, "completes upload %llu, which does not exist",
			      (unsigned long long)v->upload_id);
		return;
	}
	/* An object has at most U16_MAX segments. */
	if (v->nr_parts > U16_MAX) {
		fk_op_problem(f, "completes upload %llu with %u parts, more than an object holds",
			      (unsigned long long)v->upload_id, v->nr_parts);
		return;
	}
	b = fk_bucket(f, u->bucket_id);
	if (!b) {
		fk_op_problem(f, "completes upload %llu in bucket id %u, which does not exist",
			      (unsigned long long)v->upload_id, u->bucket_id);
		return;
	}
	for (i = 0; i < v->nr_parts; i++) {
		if (!fk_part(f, v->upload_id, le32_to_cpu(v->parts[i]))) {
			fk_op_problem(f, "completes upload %llu with part %u, which does not exist",
				      (unsigned long long)v->upload_id,
				      le32_to_cpu(v->parts[i]));
			return;
		}
	}
	o = fk_object_new(f, u->bucket_id, u->key, u->key_len, v->nr_parts);
	if (!o)
		return;
	/* The object takes the listed parts' segments; the rest are freed. */
	for (i = 0; i < v->nr_parts; i++) {
		p = fk_part(f, v->upload_id, le32_to_cpu(v->parts[i]));
		o->segs[i] = p->seg;
		o->size += p->seg.size;
		memset(&p->seg, 0, sizeof(p->seg));
		o->nr_segs++;
	}
	fk_upload_end(f, u);
	fk_object_publish(f, b, o);
}

static void fk_upload_abort(struct fk *f, const struct ks3_op_upload *v)
{
	struct fk_upload *u = fk_upload(f, v->upload_id);

	if (!u) {
		fk_op_problem(f, "aborts upload %llu, which does not exist",
			      (unsigned long long)v->upload_id);
		return;
	}
	fk_upload_end(f, u);
}

static void fk_apply(struct fk *f, const struct ks3_op *op)
{
	switch (op->type) {
	case KS3_OP_BUCKET_PUT:
		fk_bucket_put(f, &op->bucket);
		break;
	case KS3_OP_BUCKET_DELETE:
		fk_bucket_delete(f, &op->bucket);
		break;
	case KS3_OP_KEY_PUT:
		fk_key_put(f, &op->key);
		break;
	case KS3_OP_KEY_DELETE:
		fk_key_delete(f, &op->key);
		break;
	case KS3_OP_GRANT:
		fk_grant(f, &op->grant);
		break;
	case KS3_OP_CONFIG_SET:
		fk_config(f, &op->config);
		break;
	case KS3_OP_OBJECT_PUT:
		fk_object_put(f, &op->object);
		break;
	case KS3_OP_OBJECT_DELETE:
		fk_object_delete(f, &op->object);
		break;
	case KS3_OP_UPLOAD_CREATE:
		fk_upload_create(f, &op->upload);
		break;
	case KS3_OP_UPLOAD_PART:
		fk_upload_part(f, &op->part);
		break;
	case KS3_OP_UPLOAD_COMPLETE:
		fk_upload_complete(f, &op->complete);
		break;
	case KS3_OP_UPLOAD_ABORT:
		fk_upload_abort(f, &op->upload);
		break;
	default:
		break;
	}
}

/*
 * Decodes and applies the @nr_ops operations of @len bytes at @buf, as
 * ks3_meta_apply_buf() does; @what names them for messages. Returns how
 * many decoded.
 */
static u64 fk_apply_buf(struct fk *f, const char *area, const char *what,
			const void *buf, size_t len, u64 nr_ops)
{
	struct ks3_op op;
	size_t pos = 0;
	u64 i;

	for (i = 0; i < nr_ops && !f->err; i++) {
		if (ks3_op_decode(buf, len, &pos, &op)) {
			fk_problem(f, area, "%s: operation %llu of %llu does not decode (at byte %zu of %zu)",
				   what, (unsigned long long)i + 1,
				   (unsigned long long)nr_ops, pos, len);
			return i;
		}
		snprintf(f->where, sizeof(f->where), "%s, operation %llu",
			 what, (unsigned long long)i + 1);
		fk_apply(f, &op);
	}
	if (i == nr_ops && pos != len)
		fk_problem(f, area, "%s: %zu bytes follow its %llu operations",
			   what, len - pos, (unsigned long long)nr_ops);
	return i;
}

/* ----------------------------------------------------------- superblock -- */

static int fk_super(struct fk *f)
{
	static const char *const names[] = { "copy 0", "copy 1" };
	enum ks3_super_verdict verdict, v[2];
	const struct ks3_disk_super *sb[2];
	struct s3ctl_fsck *r = f->r;
	struct ks3_layout l[2];
	const char *why, *w[2];
	u8 *blocks;
	int copy, other, ret;

	if (f->img->size < 2 * KS3_BLOCK_SIZE) {
		fk_problem(f, "superblock", "the device (%llu bytes) is too small to hold a ks3 superblock",
			   (unsigned long long)f->img->size);
		return 0;
	}
	blocks = malloc(2 * KS3_BLOCK_SIZE);
	if (!blocks)
		return -ENOMEM;
	ret = fk_read(f, 0, blocks, 2 * KS3_BLOCK_SIZE);
	if (ret)
		goto out;
	sb[0] = (const void *)blocks;
	sb[1] = (const void *)(blocks + KS3_BLOCK_SIZE);
	copy = ks3_super_pick(sb[0], sb[1], f->img->size >> KS3_BLOCK_SHIFT,
			      &f->l, &verdict, &why);
	if (copy < 0) {
		if (verdict == KS3_SUPER_NOT_KS3)
			fk_problem(f, "superblock", "not a ks3 store: no ks3 superblock in either copy");
		else
			fk_problem(f, "superblock", "no usable superblock: %s",
				   why);
		goto out;
	}
	other = !copy;
	v[0] = ks3_super_check(sb[0], f->img->size >> KS3_BLOCK_SHIFT, &l[0],
			       &w[0]);
	v[1] = ks3_super_check(sb[1], f->img->size >> KS3_BLOCK_SHIFT, &l[1],
			       &w[1]);
	if (v[other] != KS3_SUPER_OK && v[other] != KS3_SUPER_READ_ONLY) {
		fk_problem(f, "superblock", "%s is unusable: %s (%s is in use; the next superblock write rewrites both)",
			   names[other], w[other] ?: "not a ks3 superblock",
			   names[copy]);
	} else if (memcmp(sb[0]->uuid, sb[1]->uuid, 16) ||
		   memcmp(&l[0], &l[1], sizeof(l[0]))) {
		fk_problem(f, "superblock", "the two copies describe different stores");
	} else if (sb[0]->generation != sb[1]->generation) {
		fk_note(f, "%s is older (generation %llu, %s has %llu): a superblock write was cut short",
			names[other],
			(unsigned long long)le64_to_cpu(sb[other]->generation),
			names[copy],
			(unsigned long long)le64_to_cpu(sb[copy]->generation));
	}
	if (verdict == KS3_SUPER_READ_ONLY)
		fk_note(f, "%s: ks3 attaches it read-only", why);

	r->is_ks3 = true;
	r->sb_copy = copy;
	r->sb_generation = le64_to_cpu(sb[copy]->generation);
	r->version = le32_to_cpu(sb[copy]->version);
	memcpy(r->uuid, sb[copy]->uuid, 16);
	r->layout.total_blocks = f->l.total_blocks;
	r->layout.journal_start = f->l.journal_start;
	r->layout.journal_blocks = f->l.journal_blocks;
	r->layout.ckpt_start[0] = f->l.ckpt_start[0];
	r->layout.ckpt_start[1] = f->l.ckpt_start[1];
	r->layout.ckpt_blocks = f->l.ckpt_blocks;
	r->layout.data_start = f->l.data_start;
	r->layout.data_blocks = f->l.data_blocks;
	r->ckpt_slot = le32_to_cpu(sb[copy]->ckpt_slot);
	r->has_ckpt = r->ckpt_slot != KS3_NO_CHECKPOINT;
	r->ckpt_seq = le64_to_cpu(sb[copy]->ckpt_seq);
	r->replay_seq = le64_to_cpu(sb[copy]->replay_seq);
	r->replay_block = le64_to_cpu(sb[copy]->replay_block);
	f->seed = ks3_crc_seed(sb[copy]->uuid);
	if ((f->img->size >> KS3_BLOCK_SHIFT) > f->l.total_blocks)
		fk_note(f, "the device is larger than the store: %llu blocks at its end are not used",
			(unsigned long long)((f->img->size >> KS3_BLOCK_SHIFT) -
					     f->l.total_blocks));
out:
	free(blocks);
	return ret;
}

/* ----------------------------------------------------------- checkpoint -- */

/* Returns false when replay could not even start from it. */
static bool fk_checkpoint(struct fk *f)
{
	struct s3ctl_fsck *r = f->r;
	u64 slot_bytes = f->l.ckpt_blocks << KS3_BLOCK_SHIFT;
	struct ks3_disk_ckpt *h;
	u64 payload_len, nr_ops, total, start;
	char what[48];
	bool ok = false;

	if (!r->has_ckpt)
		return true;
	start = f->l.ckpt_start[r->ckpt_slot] << KS3_BLOCK_SHIFT;
	h = malloc(KS3_BLOCK_SIZE);
	if (!h) {
		f->err = -ENOMEM;
		return false;
	}
	if (fk_read(f, start, h, KS3_BLOCK_SIZE))
		goto out;
	payload_len = le64_to_cpu(h->payload_len);
	nr_ops = le64_to_cpu(h->nr_ops);
	if (le32_to_cpu(h->magic) != KS3_CKPT_MAGIC) {
		fk_problem(f, "checkpoint", "slot %u, which the superblock names, holds no checkpoint",
			   r->ckpt_slot);
		goto out;
	}
	if (le64_to_cpu(h->seq) != r->ckpt_seq ||
	    le64_to_cpu(h->replay_seq) != r->replay_seq) {
		fk_problem(f, "checkpoint", "slot %u holds checkpoint %llu (replay from %llu); the superblock expects %llu (replay from %llu)",
			   r->ckpt_slot,
			   (unsigned long long)le64_to_cpu(h->seq),
			   (unsigned long long)le64_to_cpu(h->replay_seq),
			   (unsigned long long)r->ckpt_seq,
			   (unsigned long long)r->replay_seq);
		goto out;
	}
	if (payload_len > slot_bytes - sizeof(*h)) {
		fk_problem(f, "checkpoint", "checkpoint %llu claims %llu bytes, more than its slot holds",
			   (unsigned long long)r->ckpt_seq,
			   (unsigned long long)payload_len);
		goto out;
	}
	total = ALIGN(sizeof(*h) + payload_len, (u64)KS3_BLOCK_SIZE);
	free(h);
	h = malloc(total);
	if (!h) {
		f->err = -ENOMEM;
		return false;
	}
	if (fk_read(f, start, h, total))
		goto out;
	if (le32_to_cpu(h->crc) !=
	    ks3_rec_crc(f->seed, h, sizeof(*h) + payload_len)) {
		fk_problem(f, "checkpoint", "checkpoint %llu in slot %u: checksum mismatch",
			   (unsigned long long)r->ckpt_seq, r->ckpt_slot);
		goto out;
	}
	snprintf(what, sizeof(what), "checkpoint %llu",
		 (unsigned long long)r->ckpt_seq);
	r->ckpt_ops = fk_apply_buf(f, "checkpoint", what, h + 1, payload_len,
				   nr_ops);
	ok = true;
out:
	free(h);
	return ok;
}

/* -------------------------------------------------------------- journal -- */

static int fk_jread(void *ctx, u64 at, void *buf, u64 blocks)
{
	return fk_read_journal(ctx, at, buf, blocks);
}

/*
 * Where the chain ended: a torn or stale tail is how a power cut leaves a
 * journal; a damaged record with a valid one after it is damage in the
 * middle, which attach refuses. The module's own look-ahead decides, so
 * fsck and attach agree, in the same words.
 */
static void fk_journal_end(struct fk *f, u64 pos, u64 seq, u64 scanned)
{
	u64 jblocks = f->l.journal_blocks, next = 0;
	int ret;

	ret = ks3_jrec_look_ahead(fk_jread, f, jblocks, f->seed, pos, seq,
				  jblocks - scanned, &next);
	if (ret == -ENOMEM)
		f->err = ret;
	else if (ret > 0)
		fk_problem(f, "journal", KS3_JREC_DAMAGED_FMT
			   " (blocks %llu, %llu): attach refuses the store, as this is damage in the middle, not a torn tail",
			   (unsigned long long)seq, (unsigned long long)seq + 1,
			   (unsigned long long)pos, (unsigned long long)next);
}

static void fk_journal(struct fk *f)
{
	struct s3ctl_fsck *r = f->r;
	u64 jblocks = f->l.journal_blocks;
	u64 pos = r->replay_block, seq = r->replay_seq;
	u64 scanned = 0, blocks, payload_len;
	struct ks3_disk_jrec *head, *rec;
	enum ks3_jrec_verdict v;
	char what[48];

	head = malloc(KS3_BLOCK_SIZE);
	if (!head) {
		f->err = -ENOMEM;
		return;
	}
	r->jend_reason = "the whole journal holds valid records";
	while (scanned < jblocks && !f->err) {
		if (fk_read_journal(f, pos, head, 1))
			break;
		v = ks3_jrec_check_head(head, seq, jblocks, jblocks - scanned,
					&blocks);
		if (v != KS3_JREC_OK) {
			r->jend_reason = ks3_jrec_verdict_str(v);
			fk_journal_end(f, pos, seq, scanned);
			break;
		}
		payload_len = le32_to_cpu(head->payload_len);
		rec = malloc(blocks << KS3_BLOCK_SHIFT);
		if (!rec) {
			f->err = -ENOMEM;
			break;
		}
		if (fk_read_journal(f, pos, rec, blocks)) {
			free(rec);
			break;
		}
		v = ks3_jrec_check(rec, payload_len, f->seed);
		if (v != KS3_JREC_OK) {
			free(rec);
			r->jend_reason = ks3_jrec_verdict_str(v);
			fk_journal_end(f, pos, seq, scanned);
			break;
		}
		snprintf(what, sizeof(what), "journal record %llu",
			 (unsigned long long)seq);
		r->jops += fk_apply_buf(f, "journal", what, rec + 1,
					payload_len, le32_to_cpu(rec->nr_ops));
		free(rec);
		r->jrecs++;
		pos = (pos + blocks) % jblocks;
		scanned += blocks;
		seq++;
	}
	r->jend_block = pos;
	r->jend_seq = seq;
	free(head);
}

/* ---------------------------------------------------------------- space -- */

static void fk_owner(char *buf, size_t size, struct fk *f,
		     const struct fk_extent *e)
{
	char key[300];
	struct fk_bucket *b;

	if (e->obj) {
		b = fk_bucket(f, e->obj->bucket_id);
		snprintf(buf, size, "object '%s/%s'", b ? b->name : "?",
			 fk_str(key, sizeof(key), e->obj->key,
				e->obj->key_len));
	} else {
		snprintf(buf, size, "part %u of upload %llu", e->part->number,
			 (unsigned long long)e->part->upload_id);
	}
}

static int fk_extent_cmp(const void *a, const void *b)
{
	const struct fk_extent *x = a, *y = b;

	return fk_cmp_u64(x->start, y->start);
}

static int fk_add_extents(struct fk_extent **v, size_t *n, size_t *cap,
			  const struct fk_seg *s, const struct fk_object *obj,
			  const struct fk_part *part)
{
	struct fk_extent *grown;
	u32 i;

	for (i = 0; i < s->nr_extents; i++) {
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 256;
			grown = realloc(*v, *cap * sizeof(*grown));
			if (!grown)
				return -ENOMEM;
			*v = grown;
		}
		(*v)[(*n)++] = (struct fk_extent){
			.start = le64_to_cpu(s->ext[i].start),
			.blocks = le32_to_cpu(s->ext[i].blocks),
			.obj = obj, .part = part,
		};
	}
	return 0;
}

/*
 * Every extent inside the data region, no block used twice; the free
 * space ks3 rebuilds at attach is what is left.
 */
static void fk_space(struct fk *f)
{
	struct s3ctl_fsck *r = f->r;
	u64 lo = f->l.data_start, hi = f->l.total_blocks, end = lo, used = 0;
	struct fk_extent *v = NULL;
	size_t n = 0, cap = 0, i, last = 0;
	char a[400], b[400];
	u32 s;

	fk_items(f, f->objects);
	for (i = 0; i < f->nr_items && !f->err; i++) {
		const struct fk_object *o = f->items[i];

		for (s = 0; s < o->nr_segs; s++)
			if (fk_add_extents(&v, &n, &cap, &o->segs[s], o, NULL))
				f->err = -ENOMEM;
	}
	fk_items(f, f->parts);
	for (i = 0; i < f->nr_items && !f->err; i++) {
		const struct fk_part *p = f->items[i];

		if (fk_add_extents(&v, &n, &cap, &p->seg, NULL, p))
			f->err = -ENOMEM;
	}
	if (f->err)
		goto out;
	if (n)
		qsort(v, n, sizeof(*v), fk_extent_cmp);
	for (i = 0; i < n; i++) {
		u64 start = v[i].start, stop = v[i].start + v[i].blocks;

		if (start < lo || stop > hi) {
			fk_owner(a, sizeof(a), f, &v[i]);
			fk_problem(f, "space", "%s: blocks %llu-%llu are outside the data region (%llu-%llu)",
				   a, (unsigned long long)start,
				   (unsigned long long)stop - 1,
				   (unsigned long long)lo,
				   (unsigned long long)hi - 1);
			start = clamp(start, lo, hi);
			stop = clamp(stop, lo, hi);
		}
		if (start < end) {
			fk_owner(a, sizeof(a), f, &v[i]);
			fk_owner(b, sizeof(b), f, &v[last]);
			fk_problem(f, "space", "%s and %s both use blocks %llu-%llu",
				   a, b, (unsigned long long)start,
				   (unsigned long long)min(stop, end) - 1);
			start = min(end, stop);
		}
		if (stop > end) {
			used += stop - max(start, end);
			end = stop;
			last = i;
		}
	}
	r->referenced_blocks = used;
	r->free_blocks = f->l.data_blocks - used;
out:
	free(v);
}

/* ----------------------------------------------------------------- data -- */

/* Queues the reads of chunk @c of @s into @buf; false if out of range. */
static bool fk_chunk_ios(struct fk *f, const struct fk_seg *s, u32 c,
			 u8 *buf, struct s3ctl_img_io *ios, unsigned int *n,
			 unsigned int max_ios)
{
	u64 off = (u64)c << KS3_CHUNK_SHIFT;
	u64 len = ALIGN(min_t(u64, FK_CHUNK, s->size - off),
			(u64)KS3_BLOCK_SIZE);
	u64 pos = 0, done = 0;
	u32 i;

	for (i = 0; i < s->nr_extents && done < len; i++) {
		u64 start = le64_to_cpu(s->ext[i].start);
		u64 bytes = (u64)le32_to_cpu(s->ext[i].blocks) <<
			    KS3_BLOCK_SHIFT;
		u64 skip, take;

		if (pos + bytes <= off + done) {
			pos += bytes;
			continue;
		}
		skip = off + done - pos;
		take = min(bytes - skip, len - done);
		if (*n == max_ios || start > f->l.total_blocks ||
		    (start << KS3_BLOCK_SHIFT) + skip + take > f->img->size)
			return false;
		ios[(*n)++] = (struct s3ctl_img_io){
			.off = (start << KS3_BLOCK_SHIFT) + skip,
			.len = (u32)take, .buf = buf + done,
		};
		done += take;
		pos += bytes;
	}
	return done == len;
}

static void fk_check_seg(struct fk *f, const struct fk_seg *s,
			 const struct fk_extent *owner, u64 seg_off, u8 *buf,
			 struct s3ctl_img_io *ios, unsigned int max_ios)
{
	struct s3ctl_fsck *r = f->r;
	u32 c = 0, first, k;
	unsigned int n;
	char who[400];
	int ret;

	while (c < s->nr_chunks && !f->err) {
		first = c;
		n = 0;
		for (k = 0; k < FK_BATCH && c < s->nr_chunks; k++, c++)
			if (!fk_chunk_ios(f, s, c, buf + ((size_t)k << KS3_CHUNK_SHIFT),
					  ios, &n, max_ios))
				return;	/* reported by fk_space() */
		ret = f->img->read(f->img->ctx, ios, n);
		if (ret) {
			f->err = ret;
			return;
		}
		for (k = 0; first + k < c; k++) {
			u64 off = (u64)(first + k) << KS3_CHUNK_SHIFT;
			u32 len = (u32)min_t(u64, FK_CHUNK, s->size - off);
			u32 crc = crc32c(~0U, buf + ((size_t)k << KS3_CHUNK_SHIFT),
					 len);

			r->chunks_checked++;
			r->bytes_checked += len;
			if (crc == s->crcs[first + k])
				continue;
			fk_owner(who, sizeof(who), f, owner);
			fk_problem(f, "data", "%s: bytes %llu-%llu fail their checksum (crc32c %08x, expected %08x)",
				   who, (unsigned long long)(seg_off + off),
				   (unsigned long long)(seg_off + off + len - 1),
				   crc, s->crcs[first + k]);
		}
	}
}

static void fk_data(struct fk *f)
{
	unsigned int max_ios = FK_BATCH * (FK_CHUNK >> KS3_BLOCK_SHIFT);
	struct s3ctl_img_io *ios;
	struct fk_extent owner;
	size_t i;
	u64 off;
	u8 *buf;
	u32 s;

	if (!f->objects && !f->parts)
		return;
	buf = malloc((size_t)FK_BATCH << KS3_CHUNK_SHIFT);
	ios = calloc(max_ios, sizeof(*ios));
	if (!buf || !ios) {
		f->err = -ENOMEM;
		goto out;
	}
	fk_items(f, f->objects);
	for (i = 0; i < f->nr_items && !f->err; i++) {
		const struct fk_object *o = f->items[i];

		owner = (struct fk_extent){ .obj = o };
		for (s = 0, off = 0; s < o->nr_segs; off += o->segs[s].size, s++)
			fk_check_seg(f, &o->segs[s], &owner, off, buf, ios,
				     max_ios);
	}
	fk_items(f, f->parts);
	for (i = 0; i < f->nr_items && !f->err; i++) {
		const struct fk_part *p = f->items[i];

		owner = (struct fk_extent){ .part = p };
		fk_check_seg(f, &p->seg, &owner, 0, buf, ios, max_ios);
	}
out:
	free(ios);
	free(buf);
}

/* ------------------------------------------------------------ the whole -- */

static void fk_count(struct fk *f)
{
	struct s3ctl_fsck *r = f->r;
	size_t i;

	fk_items(f, f->buckets_id);
	r->buckets = f->nr_items;
	fk_items(f, f->keys_id);
	r->keys = f->nr_items;
	fk_items(f, f->grants);
	r->grants = f->nr_items;
	fk_items(f, f->settings);
	r->settings = f->nr_items;
	fk_items(f, f->uploads);
	r->uploads = f->nr_items;
	fk_items(f, f->parts);
	r->parts = f->nr_items;
	fk_items(f, f->objects);
	r->objects = f->nr_items;
	for (i = 0; i < f->nr_items; i++)
		r->object_bytes += ((struct fk_object *)f->items[i])->size;
}

static void fk_free_obj(void *p)
{
	fk_object_free(p);
}

static void fk_free_upload(void *p)
{
	struct fk_upload *u = p;

	free(u->key);
	free(u);
}

static void fk_free_part(void *p)
{
	struct fk_part *part = p;

	fk_seg_free(&part->seg);
	free(part);
}

static void fk_nop(void *p)
{
	(void)p;
}

static void fk_destroy(struct fk *f)
{
	/* Buckets and keys are in two trees each: free them with one. */
	tdestroy(f->buckets_name, fk_nop);
	tdestroy(f->buckets_id, free);
	tdestroy(f->keys_access, fk_nop);
	tdestroy(f->keys_id, free);
	tdestroy(f->grants, free);
	tdestroy(f->settings, free);
	tdestroy(f->objects, fk_free_obj);
	tdestroy(f->parts, fk_free_part);
	tdestroy(f->uploads, fk_free_upload);
	free(f->items);
}

int s3ctl_fsck_run(const struct s3ctl_img *img, struct s3ctl_fsck *r)
{
	struct fk f = { .img = img, .r = r };

	int ret;

	memset(r, 0, sizeof(*r));
	r->sb_copy = -1;
	ret = fk_super(&f);
	if (ret)
		f.err = ret;
	if (!f.err && r->is_ks3) {
		if (fk_checkpoint(&f))
			fk_journal(&f);
		else
			r->jend_reason = "not scanned: the checkpoint is unusable";
	}
	if (!f.err && r->is_ks3) {
		fk_count(&f);
		fk_space(&f);
	}
	if (!f.err && r->is_ks3)
		fk_data(&f);
	fk_destroy(&f);
	return f.err;
}

void s3ctl_fsck_free(struct s3ctl_fsck *r)
{
	size_t i;

	for (i = 0; i < r->nr_kept; i++)
		free(r->problems[i].msg);
	free(r->problems);
	for (i = 0; i < r->nr_notes; i++)
		free(r->notes[i]);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}
