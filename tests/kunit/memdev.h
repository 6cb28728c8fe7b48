/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A memory block device for KUnit, in 4 KiB blocks, that can record every
 * write (with its FUA flag) and every cache flush, so tests can build the
 * images a power cut could leave behind, and that can fail I/O on demand.
 *
 * Asynchronous I/O (ks3_dev_submit_async) completes inside submit, unless
 * ks3_memdev_set_async() gave the device a worker: then each I/O is done,
 * recorded and completed by that worker, in submission order, after
 * @async_delay_us, while the submitter goes on. Either way a write is
 * recorded when it is done, with the flushes completed before it, so a
 * write not yet waited for is exactly an unflushed one to the crash tests.
 */
#ifndef _KS3_TEST_MEMDEV_H
#define _KS3_TEST_MEMDEV_H

#include <linux/mutex.h>
#include <linux/workqueue.h>

#include "storage/dev.h"

struct ks3_memdev_write {
	u64 block;
	u8 *data;		/* KS3_BLOCK_SIZE bytes written */
	bool fua;
	u64 flushes_before;	/* cache flushes completed before it */
};

struct ks3_memdev {
	struct ks3_dev dev;
	u8 **blocks;		/* NULL: never written (zeroes) */
	/* Recording, when @log is set. */
	struct ks3_memdev_write *log;
	size_t nr_log;
	size_t max_log;
	u64 nr_flushes;
	/* Device latency of a FUA write or flush, for group commit. */
	unsigned int fua_delay_us;
	/* The I/O with this number (counted from 1) and later fail. */
	u64 fail_from;
	/* The I/O with this number fails, alone. */
	u64 fail_at;
	u64 nr_io;		/* I/Os submitted */
	/*
	 * I/O of a kind in @bad_ops (BIT(KS3_IO_READ), BIT(KS3_IO_WRITE))
	 * that touches blocks [@bad_start, @bad_start + @bad_blocks)
	 * fails with -EIO; with @bad_lands a write lands first (the device
	 * wrote it, then reported an error). @bad_blocks 0: none.
	 */
	u64 bad_start;
	u64 bad_blocks;
	unsigned int bad_ops;
	bool bad_lands;
	/* Asynchronous completion, when set (ks3_memdev_set_async). */
	struct workqueue_struct *wq;
	unsigned int async_delay_us;
	atomic_t async_inflight;
	atomic_t async_max_inflight;	/* the most seen at once */
	/* Serializes the device state above and the blocks. */
	struct mutex lock;
};

struct ks3_memdev *ks3_memdev_create(u64 nr_blocks);
void ks3_memdev_destroy(struct ks3_memdev *m);
/* Starts recording writes, at most @max of them. */
int ks3_memdev_record(struct ks3_memdev *m, size_t max);
/* A copy of @m's blocks; recording and failures are not copied. */
struct ks3_memdev *ks3_memdev_clone(struct ks3_memdev *m);
/* Completes async I/O in a worker after @delay_us; 0 or -ENOMEM. */
int ks3_memdev_set_async(struct ks3_memdev *m, unsigned int delay_us);
int ks3_memdev_write_block(struct ks3_memdev *m, u64 block, const u8 *data,
			   size_t len);

#endif /* _KS3_TEST_MEMDEV_H */
