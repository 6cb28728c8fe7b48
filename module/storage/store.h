/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A ks3 store: one device, its journal and the metadata held in RAM.
 *
 * Every mutation follows one protocol (docs/durability.md): data goes to
 * freshly allocated extents; the change is encoded as operations in a
 * transaction and queued under meta_lock, where it is checked against the
 * current state plus what other queued transactions will do (pending
 * markers); the journal commits queued transactions together (one cache
 * flush + one FUA record write for the whole group); only then are the
 * operations applied to the in-memory state, by the same code that replays
 * them at attach. Callers get success only after that.
 */
#ifndef _KS3_STORAGE_STORE_H
#define _KS3_STORAGE_STORE_H

#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <linux/ks3_disk.h>

#include "alloc.h"
#include "dev.h"
#include "index.h"
#include "multipart.h"
#include "object.h"
#include "op.h"
#include "super.h"

struct ks3_store;

/* A transaction: one caller's operations, committed atomically. */
struct ks3_txn {
	struct list_head node;		/* in ks3_journal.queue */
	u8 *buf;			/* encoded operations */
	size_t len;
	size_t cap;
	u32 nr_ops;
	/*
	 * Called under meta_lock once the commit is over, after the ops
	 * were applied (@status 0) or not: drop the pending marks.
	 */
	void (*finish)(struct ks3_store *s, struct ks3_txn *t, int status);
	void *priv;
	int status;
	bool done;
	/*
	 * Failed, but its record may be durable: the record's write
	 * failed (it can land despite the error) or it was written and
	 * could not be applied. What it references (a writer's blocks)
	 * must stay allocated; the store is read-only by then.
	 */
	bool maybe_committed;
};

struct ks3_journal {
	struct mutex commit_mutex;	/* one committer; held across I/O */
	spinlock_t queue_lock;
	struct list_head queue;		/* transactions waiting for a commit */
	u64 next_seq;			/* sequence of the next record */
	u64 head;			/* journal block the next record starts at */
	u64 tail_seq;			/* oldest record replay still needs */
	u64 tail;
	u64 used;			/* blocks from tail to head */
	/* Commits finished, for writers waiting on a queued one. */
	u64 nr_finished;
	wait_queue_head_t finished_wq;
	/* Statistics */
	u64 nr_commits;			/* records written */
	u64 nr_txns;			/* transactions in them */
	u64 nr_checkpoints;
};

struct ks3_bucket {
	struct rb_node by_name;
	u32 id;
	u32 owner_key;
	u64 create_time;
	u64 quota_bytes;		/* 0: no quota */
	u64 quota_objects;
	u64 nr_objects;			/* committed */
	u64 bytes;
	u64 pending_objects;		/* queued puts that add an object */
	u64 pending_bytes;		/* queued puts' bytes */
	u64 upload_bytes;		/* parts of unfinished uploads */
	u64 pending_part_bytes;		/* queued parts' bytes */
	/* Declared sizes of writers receiving data: no meta_lock needed. */
	atomic64_t writing_bytes;
	bool pending_delete;		/* delete queued */
	u64 nr_uploads;			/* multipart uploads in progress */
	u64 pending_uploads;		/* queued upload creates */
	struct rb_root uploads;		/* ks3_upload by (key, id) */
	struct ks3_index index;		/* ks3_entry by key */
	u8 name_len;
	char name[KS3_BUCKET_NAME_LEN_MAX + 1];
};

/*
 * What counts against a bucket's byte quota, writers in progress aside:
 * objects, queued puts, and the parts of uploads not yet completed.
 * meta_lock held.
 */
static inline u64 ks3_bucket_bytes_used(const struct ks3_bucket *b)
{
	return b->bytes + b->pending_bytes + b->upload_bytes +
	       b->pending_part_bytes;
}

struct ks3_key {
	struct rb_node by_access;
	u32 id;
	u32 flags;			/* KS3_KEY_ENABLED */
	u64 create_time;
	char access_key[KS3_ACCESS_KEY_LEN + 1];
	char secret_key[KS3_SECRET_KEY_LEN + 1];
	char name[KS3_KEY_NAME_LEN_MAX + 1];
	struct xarray grants;		/* bucket id -> caps (xa_mk_value) */
};

/* Settings persisted on the device (region, virtual-host domain, limits). */
struct ks3_setting {
	struct list_head node;
	char name[KS3_CONFIG_NAME_MAX + 1];
	char value[KS3_CONFIG_VALUE_MAX + 1];
};

struct ks3_store {
	struct ks3_dev *dev;
	struct ks3_layout layout;
	struct ks3_disk_super sb;	/* the superblock as last written */
	u32 crc_seed;
	bool read_only;
	char ro_reason[96];

	struct ks3_alloc alloc;
	bool alloc_ready;		/* free space built: attach is over */
	struct ks3_journal journal;
	struct ks3_cache *cache;	/* object data in RAM (cache.h) */
	struct crypto_shash *md5;	/* for ETags; a desc per writer */
	struct ks3_wbuf_pool wbufs;	/* writers' data buffers */
	/*
	 * Writers' hashing (object.c): unbound, and WQ_MEM_RECLAIM because
	 * writers wait for it from the connections' WQ_MEM_RECLAIM queue.
	 */
	struct workqueue_struct *hash_wq;

	/* Metadata: readers share, queuing and applying are exclusive. */
	struct rw_semaphore meta_lock;
	struct rb_root buckets;		/* by name */
	struct xarray buckets_by_id;
	u32 next_bucket_id;
	struct rb_root keys;		/* by access key */
	struct xarray keys_by_id;
	u32 next_key_id;
	struct list_head settings;
	struct rb_root uploads;		/* ks3_upload by id */
	/* Serialises admin changes (buckets, keys, settings) end to end. */
	struct mutex admin_mutex;
};

/* Attach/detach (store.c) */
int ks3_store_format(struct ks3_dev *dev, const u8 uuid[16], u64 now);
struct ks3_store *ks3_store_attach(struct ks3_dev *dev, const char **why);
void ks3_store_detach(struct ks3_store *s);
/* Detach without the final checkpoint: the next attach replays more. */
void ks3_store_detach_nocheckpoint(struct ks3_store *s);
void ks3_store_set_read_only(struct ks3_store *s, const char *reason);
int ks3_store_write_super(struct ks3_store *s);
/* Commits @op as a transaction of its own (admin changes). */
int ks3_store_commit_op(struct ks3_store *s, const struct ks3_op *op);

/* Transactions (journal.c) */
void ks3_txn_init(struct ks3_txn *t);
void ks3_txn_release(struct ks3_txn *t);
int ks3_txn_add(struct ks3_txn *t, const struct ks3_op *op);
/* Queue @t: the caller holds meta_lock for writing. */
void ks3_txn_queue(struct ks3_store *s, struct ks3_txn *t);
/* Waits until @t is durable and applied (0) or failed. */
int ks3_txn_commit_wait(struct ks3_store *s, struct ks3_txn *t);
/*
 * Calls @queue under meta_lock to check @t against the state and queue it
 * (0), refuse it (an error), or ask to wait for the commit of a queued
 * change to the same thing (-EAGAIN: retried after the next commit); then
 * waits for the commit.
 */
int ks3_txn_queue_commit(struct ks3_store *s, struct ks3_txn *t,
			 int (*queue)(struct ks3_store *s, struct ks3_txn *t,
				      void *arg), void *arg);
/*
 * Replays the journal at attach; on an error *@why says what (static),
 * -ENOMEM and -EIO are never reported as damage (-EUCLEAN).
 */
int ks3_journal_load(struct ks3_store *s, const char **why);
void ks3_journal_init(struct ks3_journal *j);

/* Applying operations: live commits and replay share it (apply.c) */
enum ks3_apply_mode {
	KS3_APPLY_REPLAY,	/* attach: no readers, allocator not built */
	KS3_APPLY_LIVE,		/* after a commit: clear pending marks */
};

int ks3_meta_apply(struct ks3_store *s, const struct ks3_op *op,
		   enum ks3_apply_mode mode);
int ks3_meta_apply_buf(struct ks3_store *s, const void *buf, size_t len,
		       u64 nr_ops, enum ks3_apply_mode mode);
void ks3_meta_destroy(struct ks3_store *s);
/* Makes @obj the committed version of @key in @b (apply.c). */
int ks3_object_publish(struct ks3_store *s, struct ks3_bucket *b,
		       const char *key, size_t key_len,
		       struct ks3_object *obj);
/* Takes every referenced extent out of free space (attach). */
int ks3_meta_claim_extents(struct ks3_store *s);

/* Checkpoint (checkpoint.c): caller holds the journal's commit_mutex. */
int ks3_checkpoint_write(struct ks3_store *s);
int ks3_checkpoint_load(struct ks3_store *s);
/* The committed state, encoded as a checkpoint would hold it (vmalloc). */
int ks3_meta_dump(struct ks3_store *s, void **buf, size_t *len);

/* Buckets (bucket.c) */
struct ks3_bucket *ks3_bucket_find(struct ks3_store *s, const char *name,
				   size_t len);
int ks3_bucket_create(struct ks3_store *s, const char *name, size_t len,
		      u32 owner_key);
int ks3_bucket_delete(struct ks3_store *s, const char *name, size_t len);
int ks3_bucket_set_quota(struct ks3_store *s, const char *name, size_t len,
			 u64 bytes, u64 objects);

/* Lookup structures, for apply.c */
int ks3_bucket_insert(struct ks3_store *s, struct ks3_bucket *b);
void ks3_bucket_remove(struct ks3_store *s, struct ks3_bucket *b);
int ks3_key_insert(struct ks3_store *s, struct ks3_key *k);
void ks3_key_remove(struct ks3_store *s, struct ks3_key *k);
struct ks3_key *ks3_key_find_n(struct ks3_store *s, const char *access_key,
			       size_t len);

/* Keys (keystore.c) */
struct ks3_key *ks3_key_find(struct ks3_store *s, const char *access_key);
int ks3_key_create(struct ks3_store *s, const char *name, size_t len,
		   struct ks3_key *out);
int ks3_key_delete(struct ks3_store *s, const char *access_key);
int ks3_key_grant(struct ks3_store *s, const char *access_key,
		  const char *bucket, size_t bucket_len, u32 caps);
u32 ks3_key_caps(struct ks3_store *s, struct ks3_key *k, u32 bucket_id);

/* Settings (store.c) */
int ks3_setting_set(struct ks3_store *s, const char *name, const char *value);
int ks3_setting_get(struct ks3_store *s, const char *name, char *value,
		    size_t size);

/*
 * For the admin plane (control/genl.c): a snapshot of a store's state, and
 * walks over buckets, keys and grants for netlink dumps. A walk calls @fn
 * for each item whose id is >= *@pos, in id order, under meta_lock (read):
 * @fn must not sleep or keep the pointers. It returns 0 to go on; any other
 * value ends the walk with *@pos at that item, and is returned. A walk to
 * the end leaves *@pos past the last id, so a dump resumes correctly
 * whatever was created or deleted in between.
 */
struct ks3_store_stats {
	u8 uuid[16];
	u64 total_bytes;
	u64 data_bytes;
	u64 free_bytes;
	u64 journal_used;		/* blocks */
	u64 journal_blocks;
	u32 nr_buckets;
	u32 nr_keys;
	u64 nr_checkpoints;
	u64 nr_commits;
	bool read_only;
	char ro_reason[96];
};

void ks3_store_stats(struct ks3_store *s, struct ks3_store_stats *st);
/* @owner: the owner's key, NULL if it has none or it was deleted. */
int ks3_bucket_for_each(struct ks3_store *s, u32 *pos,
			int (*fn)(void *arg, const struct ks3_bucket *b,
				  const struct ks3_key *owner),
			void *arg);
/* Changes the quotas given, keeps those that are NULL. */
int ks3_bucket_change_quota(struct ks3_store *s, const char *name,
			    size_t len, const u64 *bytes, const u64 *objects);
int ks3_key_for_each(struct ks3_store *s, u32 *pos,
		     int (*fn)(void *arg, struct ks3_key *k), void *arg);
/* From within ks3_key_for_each(): @k's grants by bucket id, from *@pos. */
int ks3_key_for_each_grant(struct ks3_store *s, struct ks3_key *k,
			   u32 *pos,
			   int (*fn)(void *arg, const struct ks3_bucket *b,
				     u32 caps),
			   void *arg);
/*
 * Sets the caps of a key on a bucket to (caps | @add) & ~@remove, one
 * atomic admin change; *@now gets the result. -ENOKEY for an unknown
 * access key, -ENOENT for an unknown bucket.
 */
int ks3_key_change_caps(struct ks3_store *s, const char *access_key,
			const char *bucket, size_t bucket_len, u32 add,
			u32 remove, u32 *now);
/* The id of the key with @access_key, or -ENOKEY. */
int ks3_key_id(struct ks3_store *s, const char *access_key, u32 *id);
/* A key name: 1 to KS3_KEY_NAME_LEN_MAX printable ASCII characters. */
bool ks3_key_name_valid(const char *name, size_t len);

#endif /* _KS3_STORAGE_STORE_H */
