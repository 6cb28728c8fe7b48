// SPDX-License-Identifier: GPL-2.0
/*
 * Format, attach and detach of a store, its superblock, its read-only
 * switch and its settings.
 *
 * Attach, in passes (as jbd2's recovery): pick the superblock, load the
 * checkpoint it names, replay the journal after it, then rebuild free space
 * as the complement of every extent the metadata references.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>

#include "cache.h"
#include "store.h"

/* Writes both superblock copies: copy 0 then copy 1, each durable. */
static int ks3_super_write_copies(struct ks3_dev *dev,
				  const struct ks3_disk_super *sb)
{
	void *block = kzalloc(KS3_BLOCK_SIZE, GFP_KERNEL);
	int ret;

	if (!block)
		return -ENOMEM;
	memcpy(block, sb, sizeof(*sb));
	/* The flush orders everything written so far before the switch. */
	ret = ks3_dev_rw_buf(dev, KS3_IO_WRITE, KS3_IO_PREFLUSH | KS3_IO_FUA,
			     0, block, KS3_BLOCK_SIZE);
	if (!ret)
		ret = ks3_dev_rw_buf(dev, KS3_IO_WRITE, KS3_IO_FUA, 1, block,
				     KS3_BLOCK_SIZE);
	kfree(block);
	return ret;
}

int ks3_store_format(struct ks3_dev *dev, const u8 uuid[16], u64 now)
{
	struct ks3_disk_super sb;
	struct ks3_layout l;
	int ret;

	ret = ks3_layout_compute(dev->nr_blocks, &l);
	if (ret)
		return ret;
	ks3_super_init(&sb, &l, uuid, now);
	ks3_super_seal(&sb);
	return ks3_super_write_copies(dev, &sb);
}

int ks3_store_write_super(struct ks3_store *s)
{
	ks3_super_seal(&s->sb);
	return ks3_super_write_copies(s->dev, &s->sb);
}

void ks3_store_set_read_only(struct ks3_store *s, const char *reason)
{
	if (s->read_only)
		return;
	strscpy(s->ro_reason, reason, sizeof(s->ro_reason));
	/* Set last: readers of read_only then find the reason in place. */
	smp_store_release(&s->read_only, true);
	pr_err("store switched to read-only: %s\n", reason);
}

int ks3_store_commit_op(struct ks3_store *s, const struct ks3_op *op)
{
	struct ks3_txn t;
	int ret;

	if (s->read_only)
		return -EROFS;
	ks3_txn_init(&t);
	ret = ks3_txn_add(&t, op);
	if (!ret) {
		down_write(&s->meta_lock);
		ks3_txn_queue(s, &t);
		up_write(&s->meta_lock);
		ret = ks3_txn_commit_wait(s, &t);
	}
	ks3_txn_release(&t);
	return ret;
}

static struct ks3_store *ks3_store_alloc(struct ks3_dev *dev)
{
	struct ks3_store *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->dev = dev;
	ks3_journal_init(&s->journal);
	init_rwsem(&s->meta_lock);
	s->buckets = RB_ROOT;
	xa_init(&s->buckets_by_id);
	s->next_bucket_id = 1;
	s->keys = RB_ROOT;
	xa_init(&s->keys_by_id);
	s->next_key_id = 1;
	INIT_LIST_HEAD(&s->settings);
	s->uploads = RB_ROOT;
	mutex_init(&s->admin_mutex);
	ks3_wbuf_pool_init(&s->wbufs);
	s->hash_wq = alloc_workqueue("ks3_hash", WQ_UNBOUND | WQ_MEM_RECLAIM,
				     0);
	if (!s->hash_wq) {
		kfree(s);
		return NULL;
	}
	s->md5 = crypto_alloc_shash("md5", 0, 0);
	if (IS_ERR(s->md5)) {
		pr_err("no md5 hash: %ld\n", PTR_ERR(s->md5));
		destroy_workqueue(s->hash_wq);
		kfree(s);
		return NULL;
	}
	if (ks3_cache_create(s)) {
		crypto_free_shash(s->md5);
		kfree(s);
		return NULL;
	}
	return s;
}

static void ks3_store_free(struct ks3_store *s)
{
	ks3_meta_destroy(s);
	ks3_cache_destroy(s);
	xa_destroy(&s->buckets_by_id);
	xa_destroy(&s->keys_by_id);
	mutex_destroy(&s->admin_mutex);
	mutex_destroy(&s->journal.commit_mutex);
	crypto_free_shash(s->md5);
	destroy_workqueue(s->hash_wq);
	ks3_wbuf_pool_destroy(&s->wbufs);
	kfree(s);
}

/*
 * Pass 1: the superblock to trust. Each copy is read on its own, so an
 * I/O error on one leaves the other to decide; @copies gets both as read
 * (an unreadable one as zeroes), *@copy the one in use.
 */
static int ks3_attach_super(struct ks3_store *s, u8 *copies, int *copy,
			    const char **why)
{
	enum ks3_super_verdict verdict;
	int err[KS3_SUPER_BLOCKS], i;

	for (i = 0; i < KS3_SUPER_BLOCKS; i++) {
		err[i] = ks3_dev_rw_buf(s->dev, KS3_IO_READ, 0, i,
					copies + i * KS3_BLOCK_SIZE,
					KS3_BLOCK_SIZE);
		if (err[i])
			memset(copies + i * KS3_BLOCK_SIZE, 0, KS3_BLOCK_SIZE);
	}
	*copy = ks3_super_pick(copies, copies + KS3_BLOCK_SIZE,
			       s->dev->nr_blocks, &s->layout, &verdict, why);
	if (*copy < 0) {
		if (verdict == KS3_SUPER_TOO_NEW)
			return -EOPNOTSUPP;
		/* What an unreadable copy holds is unknown: an I/O error. */
		if (err[0] || err[1]) {
			*why = "cannot read the superblocks";
			return err[0] ?: err[1];
		}
		switch (verdict) {
		case KS3_SUPER_NOT_KS3:
			return -ENODATA;
		case KS3_SUPER_TRUNCATED:
			return -ENOSPC;
		default:
			return -EUCLEAN;
		}
	}
	if (err[!*copy])
		pr_warn("superblock copy %d cannot be read (%d); using copy %d\n",
			!*copy, err[!*copy], *copy);
	memcpy(&s->sb, copies + *copy * KS3_BLOCK_SIZE, sizeof(s->sb));
	s->crc_seed = ks3_crc_seed(s->sb.uuid);
	if (verdict == KS3_SUPER_READ_ONLY)
		ks3_store_set_read_only(s, *why);
	return 0;
}

/*
 * The last pass, once everything else checked: a superblock copy that is
 * stale (a cut between the two writes of a switch), damaged or unreadable
 * is rewritten from @copy, so the store again survives losing either. Only
 * that copy is written, with FUA and the generation of @copy: a cut during
 * the write leaves the good copy as it was. Everything @copy names is
 * durable already (it was written after a flush). A store attached
 * read-only is never written.
 */
static void ks3_attach_repair_super(struct ks3_store *s, u8 *copies, int copy)
{
	int other = !copy, ret;

	if (s->read_only ||
	    !memcmp(copies, copies + KS3_BLOCK_SIZE, KS3_BLOCK_SIZE))
		return;
	ret = ks3_dev_rw_buf(s->dev, KS3_IO_WRITE, KS3_IO_FUA, other,
			     copies + copy * KS3_BLOCK_SIZE, KS3_BLOCK_SIZE);
	if (ret) {
		ks3_store_set_read_only(s, "rewriting a damaged superblock copy failed");
		return;
	}
	pr_info("superblock copy %d was stale, damaged or unreadable: rewritten from copy %d\n",
		other, copy);
}

struct ks3_store *ks3_store_attach(struct ks3_dev *dev, const char **why)
{
	struct ks3_store *s = ks3_store_alloc(dev);
	u8 *copies = NULL;
	int copy, ret;

	*why = NULL;
	if (!s)
		return ERR_PTR(-ENOMEM);
	copies = kmalloc(KS3_SUPER_BLOCKS * KS3_BLOCK_SIZE, GFP_KERNEL);
	if (!copies) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = ks3_attach_super(s, copies, &copy, why);
	if (ret)
		goto err_free;
	ret = ks3_checkpoint_load(s);
	if (ret) {
		*why = ret == -ENOMEM ? "out of memory loading the checkpoint" :
			"the checkpoint cannot be loaded";
		goto err_free;
	}
	ret = ks3_journal_load(s, why);
	if (ret)
		goto err_free;
	ret = ks3_alloc_init(&s->alloc, s->layout.data_start,
			     s->layout.data_blocks);
	if (ret) {
		*why = "out of memory building free space";
		goto err_free;
	}
	ret = ks3_meta_claim_extents(s);
	if (ret) {
		*why = ret == -ENOMEM ? "out of memory building free space" :
			"objects claim overlapping or invalid extents";
		goto err_alloc;
	}
	ks3_attach_repair_super(s, copies, copy);
	kfree(copies);
	return s;

err_alloc:
	ks3_alloc_destroy(&s->alloc);
err_free:
	kfree(copies);
	ks3_store_free(s);
	return ERR_PTR(ret);
}

/*
 * Detach: the caller has stopped every request. Everything acknowledged is
 * already durable in the journal; a last checkpoint shortens the next
 * attach and is not needed for correctness, so @checkpoint may skip it.
 */
static void ks3_store_release(struct ks3_store *s, bool checkpoint)
{
	mutex_lock(&s->journal.commit_mutex);
	if (checkpoint && !s->read_only && s->journal.used &&
	    ks3_checkpoint_write(s))
		pr_warn("final checkpoint failed; the journal will be replayed at the next attach\n");
	mutex_unlock(&s->journal.commit_mutex);
	ks3_alloc_destroy(&s->alloc);
	ks3_store_free(s);
}

void ks3_store_detach(struct ks3_store *s)
{
	ks3_store_release(s, true);
}

void ks3_store_detach_nocheckpoint(struct ks3_store *s)
{
	ks3_store_release(s, false);
}

/* The names control/config.c has in its table. */
static const char *const ks3_setting_names[] = {
	"region", "vhost_domain", "max_connections", "max_header_bytes",
	"max_header_count", "max_url_bytes", "idle_timeout_ms",
	"header_timeout_ms", "body_timeout_ms", "conn_buffer_bytes",
	"global_buffer_bytes", "discard_timeout_ms", "min_rate_bytes",
	"min_rate_grace_ms", "max_conns_per_addr",
};

static bool ks3_setting_known(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ks3_setting_names); i++)
		if (!strcmp(name, ks3_setting_names[i]))
			return true;
	return false;
}

int ks3_setting_set(struct ks3_store *s, const char *name, const char *value)
{
	struct ks3_op op = { .type = KS3_OP_CONFIG_SET };
	int ret;

	if (!ks3_setting_known(name))
		return -ENOENT;
	if (strlen(value) > KS3_CONFIG_VALUE_MAX)
		return -EINVAL;
	op.config.name = name;
	op.config.name_len = strlen(name);
	op.config.value = value;
	op.config.value_len = strlen(value);
	mutex_lock(&s->admin_mutex);
	ret = ks3_store_commit_op(s, &op);
	mutex_unlock(&s->admin_mutex);
	return ret;
}

int ks3_setting_get(struct ks3_store *s, const char *name, char *value,
		    size_t size)
{
	struct ks3_setting *set;
	int ret = -ENOENT;

	down_read(&s->meta_lock);
	list_for_each_entry(set, &s->settings, node) {
		if (!strcmp(set->name, name)) {
			ret = strscpy(value, set->value, size) < 0 ? -E2BIG : 0;
			break;
		}
	}
	up_read(&s->meta_lock);
	return ret;
}

void ks3_store_stats(struct ks3_store *s, struct ks3_store_stats *st)
{
	struct ks3_bucket *b;
	struct ks3_key *k;
	unsigned long id;

	memset(st, 0, sizeof(*st));
	memcpy(st->uuid, s->sb.uuid, sizeof(st->uuid));
	st->total_bytes = s->layout.total_blocks << KS3_BLOCK_SHIFT;
	st->data_bytes = s->layout.data_blocks << KS3_BLOCK_SHIFT;
	st->free_bytes = ks3_alloc_free_blocks(&s->alloc) << KS3_BLOCK_SHIFT;
	st->journal_blocks = s->layout.journal_blocks;

	mutex_lock(&s->journal.commit_mutex);
	st->journal_used = s->journal.used;
	st->nr_checkpoints = s->journal.nr_checkpoints;
	st->nr_commits = s->journal.nr_commits;
	mutex_unlock(&s->journal.commit_mutex);

	down_read(&s->meta_lock);
	xa_for_each(&s->buckets_by_id, id, b)
		st->nr_buckets++;
	xa_for_each(&s->keys_by_id, id, k)
		st->nr_keys++;
	up_read(&s->meta_lock);

	/* ks3_store_set_read_only() sets the reason before the flag. */
	st->read_only = smp_load_acquire(&s->read_only);
	if (st->read_only)
		strscpy(st->ro_reason, s->ro_reason, sizeof(st->ro_reason));
}
