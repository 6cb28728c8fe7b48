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

/*
 * Applies a durable record's transactions to the in-memory state, in
 * order. A transaction that cannot be applied (out of memory, or a bug:
 * it was checked when queued) fails with the ones after it, as their
 * checks assumed it: the store goes read-only, and the record, which is
 * on the device, is applied by the next attach's replay.
 */
static int ks3_journal_apply(struct ks3_store *s, struct ks3_txn *t)
{
	int ret;

	ret = ks3_meta_apply_buf(s, t->buf, t->len, t->nr_ops, KS3_APPLY_LIVE);
	if (!ret)
		return 0;
	if (ret == -ENOMEM) {
		ks3_store_set_read_only(s, "out of memory applying a committed change");
		return ret;
	}
	WARN_ON_ONCE(1);
	ks3_store_set_read_only(s, "applying a committed change failed");
	return ret;
}

/*
 * Ends the transactions of @batch: applied if @status is 0 (the record is
 * durable), failed otherwise. @written: the record's write was issued,
 * so even a failed one may be on the device.
 */
static void ks3_journal_finish(struct ks3_store *s, struct list_head *batch,
			       int status, bool written)
{
	struct ks3_txn *t, *next;

	down_write(&s->meta_lock);
	list_for_each_entry_safe(t, next, batch, node) {
		list_del_init(&t->node);
		if (!status)
			status = ks3_journal_apply(s, t);
		t->maybe_committed = status && written;
		if (t->finish)
			t->finish(s, t, status);
		t->status = status;
		t->done = true;
	}
	s->journal.nr_finished++;
	up_write(&s->meta_lock);
	wake_up_all(&s->journal.finished_wq);
}

/*
 * Folds the journal into a checkpoint before a record of @blocks would
 * take it past half full. Out of memory building the checkpoint is no
 * fault of the store: while the record still fits the journal it goes
 * without one, and the next commit tries again; when it does not, this
 * commit fails with -ENOMEM and the store stays writable.
 */
static int ks3_journal_make_room(struct ks3_store *s, u64 blocks)
{
	struct ks3_journal *j = &s->journal;
	u64 jblocks = s->layout.journal_blocks;
	int ret;

	if (j->used + blocks <= jblocks / 2)
		return 0;
	ret = ks3_checkpoint_write(s);
	if (ret == -ENOMEM && j->used + blocks <= jblocks) {
		pr_warn_ratelimited("out of memory for a checkpoint; the journal goes on (%llu of %llu blocks used)\n",
				    j->used + blocks, jblocks);
		return 0;
	}
	return ret;
}

/* Writes one record holding the queued transactions. */
static void ks3_journal_commit(struct ks3_store *s)
{
	struct ks3_journal *j = &s->journal;
	struct ks3_disk_jrec *rec;
	u64 payload_len, blocks, off;
	bool written = false;
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
	ret = ks3_journal_make_room(s, blocks);
	if (ret)
		goto out;

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

	written = true;
	ret = ks3_journal_rw(s, KS3_IO_WRITE, j->head, rec, blocks, true);
	kvfree(rec);
	if (ret) {
		/*
		 * The record may have landed anyway: its transactions'
		 * blocks stay allocated (maybe_committed) and nothing is
		 * written after it, as the next attach may replay it.
		 */
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
	ks3_journal_finish(s, &batch, ret, written);
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

static int ks3_journal_read(void *ctx, u64 at, void *buf, u64 blocks)
{
	return ks3_journal_rw(ctx, KS3_IO_READ, at, buf, blocks, false);
}

/*
 * Replay found no valid record @seq at journal block @pos, with @room
 * blocks of the journal not in the chain. A torn or stale tail is where
 * replay ends; a damaged record with a valid one after it is not: what
 * follows it was acknowledged, so the attach is refused rather than
 * losing it silently.
 */
static int ks3_journal_check_end(struct ks3_store *s, u64 pos, u64 seq,
				 u64 room, const char **why)
{
	u64 next = 0;
	int ret;

	ret = ks3_jrec_look_ahead(ks3_journal_read, s,
				  s->layout.journal_blocks, s->crc_seed, pos,
				  seq, room, &next);
	if (ret < 0) {
		*why = ret == -ENOMEM ? "out of memory replaying the journal" :
			"cannot read the journal";
		return ret;
	}
	if (!ret)
		return 0;
	pr_err("journal: " KS3_JREC_DAMAGED_FMT " (blocks %llu, %llu)\n",
	       seq, seq + 1, pos, next);
	*why = "a journal record is damaged but the record after it is valid";
	return -EUCLEAN;
}

/*
 * Replay: from the superblock's replay point, apply each record whose
 * magic, sequence and crc check, up to the first that does not: it was
 * torn by a power cut or is a stale record from an earlier lap, unless a
 * valid record follows it (ks3_journal_check_end()). Running out of
 * memory fails the attach with -ENOMEM, never as damage: the journal is
 * sound and a later attach can replay it.
 */
int ks3_journal_load(struct ks3_store *s, const char **why)
{
	struct ks3_journal *j = &s->journal;
	u64 jblocks = s->layout.journal_blocks;
	u64 pos = le64_to_cpu(s->sb.replay_block);
	u64 seq = le64_to_cpu(s->sb.replay_seq);
	u64 scanned = 0, blocks, payload_len;
	struct ks3_disk_jrec *head, *rec;
	bool valid;
	int ret = 0;

	head = kmalloc(KS3_BLOCK_SIZE, GFP_KERNEL);
	if (!head) {
		*why = "out of memory replaying the journal";
		return -ENOMEM;
	}
	j->tail = pos;
	j->tail_seq = seq;
	while (scanned < jblocks) {
		ret = ks3_journal_rw(s, KS3_IO_READ, pos, head, 1, false);
		if (ret) {
			*why = "cannot read the journal";
			break;
		}
		if (ks3_jrec_check_head(head, seq, jblocks, jblocks - scanned,
					&blocks) != KS3_JREC_OK) {
			ret = ks3_journal_check_end(s, pos, seq,
						    jblocks - scanned, why);
			break;
		}
		payload_len = le32_to_cpu(head->payload_len);
		rec = kvmalloc(blocks << KS3_BLOCK_SHIFT, GFP_KERNEL);
		if (!rec) {
			*why = "out of memory replaying the journal";
			ret = -ENOMEM;
			break;
		}
		ret = ks3_journal_rw(s, KS3_IO_READ, pos, rec, blocks, false);
		if (ret) {
			kvfree(rec);
			*why = "cannot read the journal";
			break;
		}
		valid = ks3_jrec_check(rec, payload_len, s->crc_seed) ==
			KS3_JREC_OK;
		if (valid)
			ret = ks3_meta_apply_buf(s, rec + 1, payload_len,
						 le32_to_cpu(rec->nr_ops),
						 KS3_APPLY_REPLAY);
		kvfree(rec);
		if (!valid) {
			ret = ks3_journal_check_end(s, pos, seq,
						    jblocks - scanned, why);
			break;
		}
		if (ret == -ENOMEM) {
			*why = "out of memory replaying the journal";
			break;
		}
		if (ret) {
			pr_err("journal record %llu does not apply: %d\n",
			       seq, ret);
			*why = "a journal record does not apply to the state before it";
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
