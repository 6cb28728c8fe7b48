/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device under a store, in 4 KiB blocks. Two backends: a real block
 * device (bios from a private bio_set) and, for KUnit, memory that records
 * every write, flush and FUA so power cuts can be replayed. I/O is
 * synchronous from process context; callers that want concurrency (group
 * commit) batch before they submit.
 */
#ifndef _KS3_STORAGE_DEV_H
#define _KS3_STORAGE_DEV_H

#include <linux/atomic.h>
#include <linux/bvec.h>
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

struct ks3_dev;

struct ks3_dev_ops {
	int (*submit)(struct ks3_dev *dev, const struct ks3_io *io);
	void (*close)(struct ks3_dev *dev);
};

struct ks3_dev {
	const struct ks3_dev_ops *ops;
	u64 nr_blocks;
	/* Counters: group commit is judged by flushes per commit. */
	atomic64_t nr_reads;
	atomic64_t nr_writes;
	atomic64_t nr_flushes;	/* cache flushes, explicit or PREFLUSH */
};

void ks3_dev_init(struct ks3_dev *dev, const struct ks3_dev_ops *ops,
		  u64 nr_blocks);

/* Opens @path exclusively (holder @holder) as a ks3 device. */
struct ks3_dev *ks3_dev_open_bdev(const char *path, void *holder);
void ks3_dev_close(struct ks3_dev *dev);

int ks3_dev_submit(struct ks3_dev *dev, const struct ks3_io *io);

/*
 * Reads or writes @len bytes (a multiple of 4 KiB) at @block from or to
 * @buf, which is page aligned: kmalloc'd pages or vmalloc memory.
 */
int ks3_dev_rw_buf(struct ks3_dev *dev, enum ks3_io_op op,
		   unsigned int flags, u64 block, void *buf, size_t len);
int ks3_dev_flush(struct ks3_dev *dev);

#endif /* _KS3_STORAGE_DEV_H */
