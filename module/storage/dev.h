/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device under a store, in 4 KiB blocks. Two backends: a real block
 * device (bios from a private bio_set) and, for KUnit, memory that records
 * every write, flush and FUA so power cuts can be replayed.
 *
 * ks3_dev_submit() is synchronous, from process context: metadata (journal,
 * checkpoints, superblocks) uses it, and group commit batches before it
 * submits. Object data is written with ks3_dev_submit_async(): the I/O
 * counts in a struct ks3_io_batch, its completion (IRQ or softirq context)
 * only records the status and completes the batch, and the submitter waits
 * with ks3_io_batch_wait() before it reuses the pages or relies on the data.
 * A completed write is in the device's cache, not yet durable: durability
 * still comes from the flush (PREFLUSH) before the journal record.
 */
#ifndef _KS3_STORAGE_DEV_H
#define _KS3_STORAGE_DEV_H

#include <linux/atomic.h>
#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/types.h>

enum ks3_io_op {
	KS3_IO_READ,
	KS3_IO_WRITE,
	KS3_IO_FLUSH,		/* write cache flush, no data */
};

#define KS3_IO_FUA	0x1U	/* this write is durable on completion */
#define KS3_IO_PREFLUSH	0x2U	/* flush the write cache before it */

struct ks3_io {
	enum ks3_io_op op;
	unsigned int flags;
	u64 block;		/* first 4 KiB block */
	struct bio_vec *bvec;	/* lengths and offsets multiples of 4 KiB */
	unsigned int nr_bvec;
};

/*
 * I/O in flight, waited for together. One owner submits and waits; I/O
 * completion may run in any context. Reusable after each wait.
 */
struct ks3_io_batch {
	atomic_t pending;	/* I/Os in flight, plus one until waited for */
	int error;		/* the first error, 0 if none */
	struct completion done;
};

void ks3_io_batch_init(struct ks3_io_batch *b);
/* Records @err (if any) in @b without ending an I/O; any context. */
void ks3_io_batch_error(struct ks3_io_batch *b, int err);
/* One more I/O of @b is about to start. */
static inline void ks3_io_batch_add(struct ks3_io_batch *b)
{
	atomic_inc(&b->pending);
}

/* One I/O of @b ended with @err (0 or -errno); any context, never sleeps. */
void ks3_io_batch_end(struct ks3_io_batch *b, int err);
/*
 * Waits until every I/O submitted to @b has completed; returns the first
 * error and leaves @b ready for the next round. Process context.
 */
int ks3_io_batch_wait(struct ks3_io_batch *b);

struct ks3_dev;

struct ks3_dev_ops {
	/* Synchronous I/O; optional when submit_async is set. */
	int (*submit)(struct ks3_dev *dev, const struct ks3_io *io);
	/*
	 * Starts @io: each part of it is counted in @batch
	 * (ks3_io_batch_add()) before it starts and ends with
	 * ks3_io_batch_end(); errors
	 * found before anything starts are returned. Optional: without it
	 * ks3_dev_submit_async() runs submit and completes the batch itself.
	 */
	int (*submit_async)(struct ks3_dev *dev, const struct ks3_io *io,
			    struct ks3_io_batch *batch);
	void (*close)(struct ks3_dev *dev);
};

/*
 * Fault injection for KUnit, compiled in only with CONFIG_KUNIT: places
 * in the storage code where a memory allocation can be made to fail, to
 * test what the store does then. A test arms a point on the device it
 * owns, so no other store is affected.
 */
enum ks3_fault {
	KS3_FAULT_APPLY_NOMEM,	/* applying an operation to the state */
	KS3_FAULT_CKPT_NOMEM,	/* building a checkpoint */
	KS3_FAULT_NR,
};

struct ks3_dev {
	const struct ks3_dev_ops *ops;
	u64 nr_blocks;
	/* Counters: group commit is judged by flushes per commit. */
	atomic64_t nr_reads;
	atomic64_t nr_writes;
	atomic64_t nr_flushes;	/* cache flushes, explicit or PREFLUSH */
#if IS_ENABLED(CONFIG_KUNIT)
	/*
	 * Per point: how many more calls succeed before every later one
	 * fails; -1 (ks3_dev_init()'s) for none.
	 */
	atomic_t fault_after[KS3_FAULT_NR];
#endif
};

/* Whether the allocation at point @f should fail (KUnit only). */
static inline bool ks3_fault(struct ks3_dev *dev, enum ks3_fault f)
{
#if IS_ENABLED(CONFIG_KUNIT)
	/* -1 stays -1 (off), 0 stays 0 (fail), a count goes down. */
	return atomic_dec_if_positive(&dev->fault_after[f]) == -1;
#else
	return false;
#endif
}

void ks3_dev_init(struct ks3_dev *dev, const struct ks3_dev_ops *ops,
		  u64 nr_blocks);

/* Opens @path exclusively (holder @holder) as a ks3 device. */
struct ks3_dev *ks3_dev_open_bdev(const char *path, void *holder);
void ks3_dev_close(struct ks3_dev *dev);

int ks3_dev_submit(struct ks3_dev *dev, const struct ks3_io *io);
/*
 * Starts @io and returns, counted in @batch; @io->bvec may go once it
 * returns, the pages only after ks3_io_batch_wait(). Any error, returned or
 * not, is also recorded in @batch, so waiting for it is enough; the batch
 * must be waited for whatever this returns. GFP_NOIO, may sleep for bios.
 */
int ks3_dev_submit_async(struct ks3_dev *dev, const struct ks3_io *io,
			 struct ks3_io_batch *batch);

/*
 * Fills @bv with one entry per 4 KiB block of @buf (@len bytes, page
 * aligned, kmalloc'd or vmalloc'd). vmalloc'd data must be flushed
 * (flush_kernel_vmap_range) before it is written.
 */
void ks3_dev_buf_bvecs(void *buf, size_t len, struct bio_vec *bv);

/*
 * Reads or writes @len bytes (a multiple of 4 KiB) at @block from or to
 * @buf, which is page aligned: kmalloc'd pages or vmalloc memory.
 */
int ks3_dev_rw_buf(struct ks3_dev *dev, enum ks3_io_op op,
		   unsigned int flags, u64 block, void *buf, size_t len);
int ks3_dev_flush(struct ks3_dev *dev);

#endif /* _KS3_STORAGE_DEV_H */
