// SPDX-License-Identifier: GPL-2.0
/*
 * The write-ahead journal: transactions, group commit and journal replay.
 *
 * Writers queue encoded transactions and then wait for the commit mutex.
 * Whoever holds it commits everything queued so far as one record: one
 * write with PREFLUSH (which also makes the writers' data durable) and FUA.
 * While that I/O runs, new transactions pile up and go together in the next
 * record, so concurrent writers share flushes (jbd2 does the same with its
 * running and committing transactions). After the write, the operations
 * are applied to the in-memory state in queue order, which is record
 * order, by the code replay uses.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include "record.h"
#include "store.h"

/* A transaction's operations: a 5 GiB PUT's op is the largest. */
#define KS3_TXN_MAX		(KS3_OP_PAYLOAD_MAX + 4096)

void ks3_journal_init(struct ks3_journal *j)
{
	mutex_init(&j->commit_mutex);
	spin_lock_init(&j->queue_lock);
	INIT_LIST_HEAD(&j->queue);
	j->next_seq = 1;
	j->head = 0;
	j->tail = 0;
	j->tail_seq = 1;
	j->used = 0;
	j->nr_commits = 0;
	j->nr_txns = 0;
	j->nr_checkpoints = 0;
	j->nr_finished = 0;
	init_waitqueue_head(&j->finished_wq);
}

void ks3_txn_init(struct ks3_txn *t)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->node);
}

void ks3_txn_release(struct ks3_txn *t)
{
	kvfree(t->buf);
	t->buf = NULL;
	t->len = 0;
	t->cap = 0;
}

int ks3_txn_add(struct ks3_txn *t, const struct ks3_op *op)
{
	size_t need = ks3_op_size(op), cap;
	u8 *buf;

	if (!need || need > KS3_TXN_MAX - t->len)
		return -EINVAL;
	if (t->len + need > t->cap) {
		cap = max_t(size_t, t->len + need, 512);
		buf = kvmalloc(cap, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		if (t->len)
			memcpy(buf, t->buf, t->len);
		kvfree(t->buf);
		t->buf = buf;
		t->cap = cap;
	}
	if (ks3_op_encode(t->buf + t->len, t->cap - t->len, op) != need)
		return -EINVAL;
	t->len += need;
	t->nr_ops++;
	return 0;
}

void ks3_txn_queue(struct ks3_store *s, struct ks3_txn *t)
{
	lockdep_assert_held_write(&s->meta_lock);
	spin_lock(&s->journal.queue_lock);
	list_add_tail(&t->node, &s->journal.queue);
	spin_unlock(&s->journal.queue_lock);
}

static u64 ks3_journal_bytes_max(struct ks3_store *s)
{
	/* A record never takes more than a quarter of the journal. */
	return ks3_jrec_bytes_max(s->layout.journal_blocks);
}

/*
 * Reads or writes @blocks journal blocks starting at journal block @at,
 * wrapping at the end of the journal. A write is made durable (FUA) and,
 * when @preflush, ordered after everything written before it.
 */
static int ks3_journal_rw(struct ks3_store *s, enum ks3_io_op op, u64 at,
			  void *buf, u64 blocks, bool preflush)
{
	u64 jblocks = s->layout.journal_blocks;
	u64 first = min(blocks, jblocks - at);
	unsigned int flags = 0;
	int ret;

	if (op == KS3_IO_WRITE)
		flags = KS3_IO_FUA | (preflush ? KS3_IO_PREFLUSH : 0);
	ret = ks3_dev_rw_buf(s->dev, op, flags, s->layout.journal_start + at,
			     buf, first << KS3_BLOCK_SHIFT);
	if (ret || first == blocks)
		return ret;
	return ks3_dev_rw_buf(s->dev, op, flags & ~KS3_IO_PREFLUSH,
			      s->layout.journal_start,
			      (u8 *)buf + (first << KS3_BLOCK_SHIFT),
			      (blocks - first) << KS3_BLOCK_SHIFT);
}

/* Takes queued transactions, in order, that fit one record. */
static void ks3_journal_take_batch(struct ks3_store *s, struct list_head *batch,
				   u64 *payload_len, u32 *nr_ops)
{
	u64 max = ks3_journal_bytes_max(s) - sizeof(struct ks3_disk_jrec);
	struct ks3_txn *t, *next;

	*payload_len = 0;
	*nr_ops = 0;
	spin_lock(&s->journal.queue_lock);
	list_for_each_entry_safe(t, next, &s->journal.queue, node) {
		if (*payload_len + t->len > max && !list_empty(batch))
			break;
		list_move_tail(&t->node, batch);
		*payload_len += t->len;
		*nr_ops += t->nr_ops;
	}
	spin_unlock(&s->journal.queue_lock);
}

static void ks3_journal_finish(struct ks3_store *s, struct list_head *batch,
			       int status)
{
	struct ks3_txn *t, *next;
	int ret;

	down_write(&s->meta_lock);
	list_for_each_entry_safe(t, next, batch, node) {
		list_del_init(&t->node);
		if (!status) {
			ret = ks3_meta_apply_buf(s, t->buf, t->len, t->nr_ops,
						 KS3_APPLY_LIVE);
			/* Checked when queued; failing now is a bug. */
			if (WARN_ON_ONCE(ret))
				ks3_store_set_read_only(s, "applying a committed change failed");
		}
		if (t->finish)
			t->finish(s, t, status);
		t->status = status;
		t->done = true;
	}
	s->journal.nr_finished++;
	up_write(&s->meta_lock);
	wake_up_all(&s->journal.finished_wq);
}

/* Writes one record holding the queued transactions. */
static void ks3_journal_commit(struct ks3_store *s)
{
	struct ks3_journal *j = &s->journal;
	struct ks3_disk_jrec *rec;
	u64 payload_len, blocks, off;
	struct ks3_txn *t;
	LIST_HEAD(batch);
	u32 nr_ops;
	int ret;

	lockdep_assert_held(&j->commit_mutex);
	ks3_journal_take_batch(s, &batch, &payload_len, &nr_ops);
	if (list_empty(&batch))
		return;
	if (s->read_only) {
		ret = -EROFS;
		goto out;
	}
	blocks = ks3_jrec_blocks(payload_len);
	/* Only a lone transaction can be this big: it never fits. */
	if (blocks << KS3_BLOCK_SHIFT > ks3_journal_bytes_max(s)) {
		ret = -E2BIG;
		goto out;
	}
	/* Past half full, fold the journal into a checkpoint first. */
	if (j->used + blocks > s->layout.journal_blocks / 2) {
		ret = ks3_checkpoint_write(s);
		if (ret)
			goto out;
	}

	rec = kvzalloc(blocks << KS3_BLOCK_SHIFT, GFP_KERNEL);
	if (!rec) {
		ret = -ENOMEM;
		goto out;
	}
	ks3_jrec_init(rec, j->next_seq, payload_len, nr_ops,
		      ktime_get_real_seconds());
	off = sizeof(*rec);
	list_for_each_entry(t, &batch, node) {
		memcpy((u8 *)rec + off, t->buf, t->len);
		off += t->len;
	}
	ks3_jrec_seal(rec, s->crc_seed);

	ret = ks3_journal_rw(s, KS3_IO_WRITE, j->head, rec, blocks, true);
	kvfree(rec);
	if (ret) {
		ks3_store_set_read_only(s, "journal write failed");
		goto out;
	}
	j->next_seq++;
	j->head = (j->head + blocks) % s->layout.journal_blocks;
	j->used += blocks;
	j->nr_commits++;
	list_for_each_entry(t, &batch, node)
		j->nr_txns++;
out:
	ks3_journal_finish(s, &batch, ret);
}

int ks3_txn_queue_commit(struct ks3_store *s, struct ks3_txn *t,
			 int (*queue)(struct ks3_store *s, struct ks3_txn *t,
				      void *arg), void *arg)
{
	int ret;

	for (;;) {
		u64 seen = READ_ONCE(s->journal.nr_finished);

		down_write(&s->meta_lock);
		ret = s->read_only ? -EROFS : queue(s, t, arg);
		up_write(&s->meta_lock);
		if (ret != -EAGAIN)
			break;
		/* A change to the same thing is queued: wait for a commit. */
		wait_event(s->journal.finished_wq,
			   READ_ONCE(s->journal.nr_finished) != seen);
	}
	return ret ?: ks3_txn_commit_wait(s, t);
}

int ks3_txn_commit_wait(struct ks3_store *s, struct ks3_txn *t)
{
	struct ks3_journal *j = &s->journal;

	mutex_lock(&j->commit_mutex);
	/* Someone else's commit may have taken ours along already. */
	while (!t->done)
		ks3_journal_commit(s);
	mutex_unlock(&j->commit_mutex);
	return t->status;
}

/*
 * Replay: from the superblock's replay point, apply each record whose
 * magic, sequence and crc check, and stop at the first that does not: it
 * was torn by a power cut, or is a stale record from an earlier lap.
 */
int ks3_journal_load(struct ks3_store *s)
{
	struct ks3_journal *j = &s->journal;
	u64 jblocks = s->layout.journal_blocks;
	u64 pos = le64_to_cpu(s->sb.replay_block);
	u64 seq = le64_to_cpu(s->sb.replay_seq);
	u64 scanned = 0, blocks, payload_len;
	struct ks3_disk_jrec *head, *rec;
	int ret = 0;

	head = kmalloc(KS3_BLOCK_SIZE, GFP_KERNEL);
	if (!head)
		return -ENOMEM;
	j->tail = pos;
	j->tail_seq = seq;
	while (scanned < jblocks) {
		ret = ks3_journal_rw(s, KS3_IO_READ, pos, head, 1, false);
		if (ret)
			break;
		if (ks3_jrec_check_head(head, seq, jblocks, jblocks - scanned,
					&blocks) != KS3_JREC_OK)
			break;
		payload_len = le32_to_cpu(head->payload_len);
		rec = kvmalloc(blocks << KS3_BLOCK_SHIFT, GFP_KERNEL);
		if (!rec) {
			ret = -ENOMEM;
			break;
		}
		ret = ks3_journal_rw(s, KS3_IO_READ, pos, rec, blocks, false);
		if (ret || ks3_jrec_check(rec, payload_len, s->crc_seed) !=
			   KS3_JREC_OK) {
			kvfree(rec);
			break;
		}
		ret = ks3_meta_apply_buf(s, rec + 1, payload_len,
					 le32_to_cpu(rec->nr_ops),
					 KS3_APPLY_REPLAY);
		kvfree(rec);
		if (ret) {
			pr_err("journal record %llu does not apply: %d\n",
			       seq, ret);
			ret = -EUCLEAN;
			break;
		}
		pos = (pos + blocks) % jblocks;
		scanned += blocks;
		seq++;
	}
	kfree(head);
	j->head = pos;
	j->next_seq = seq;
	j->used = scanned;
	return ret;
}
