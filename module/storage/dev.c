// SPDX-License-Identifier: GPL-2.0
/*
 * Block I/O for the store. Every request is split into bios of at most
 * BIO_MAX_VECS pages from a private bio_set (more than one bio at a time
 * from fs_bio_set can deadlock under memory pressure), GFP_NOIO, each
 * counted in a struct ks3_io_batch; their bi_end_io (IRQ or softirq
 * context) records the status and completes the batch, nothing more.
 * Synchronous I/O is the same with a batch on the stack, waited for at
 * once. PREFLUSH goes on the first bio, FUA on all.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/ks3_disk.h>

#include "compat.h"
#include "dev.h"

#define KS3_SECTORS_PER_BLOCK	(KS3_BLOCK_SIZE >> SECTOR_SHIFT)

struct ks3_bdev {
	struct ks3_dev dev;
	struct ks3_bdev_handle handle;
	struct bio_set bio_set;
};

static void ks3_dev_faults_off(struct ks3_dev *dev)
{
#if IS_ENABLED(CONFIG_KUNIT)
	int i;

	for (i = 0; i < KS3_FAULT_NR; i++)
		atomic_set(&dev->fault_after[i], -1);
#endif
}

void ks3_dev_init(struct ks3_dev *dev, const struct ks3_dev_ops *ops,
		  u64 nr_blocks)
{
	dev->ops = ops;
	dev->nr_blocks = nr_blocks;
	atomic64_set(&dev->nr_reads, 0);
	atomic64_set(&dev->nr_writes, 0);
	atomic64_set(&dev->nr_flushes, 0);
	ks3_dev_faults_off(dev);
}

void ks3_io_batch_init(struct ks3_io_batch *b)
{
	atomic_set(&b->pending, 1);
	b->error = 0;
	init_completion(&b->done);
}

void ks3_io_batch_error(struct ks3_io_batch *b, int err)
{
	/* The first error wins; later ones are consequences or equal. */
	if (err)
		cmpxchg(&b->error, 0, err);
}

void ks3_io_batch_end(struct ks3_io_batch *b, int err)
{
	ks3_io_batch_error(b, err);
	/* complete() is the last touch of @b: the waiter may free it then. */
	if (atomic_dec_and_test(&b->pending))
		complete(&b->done);
}

int ks3_io_batch_wait(struct ks3_io_batch *b)
{
	int err;

	/* Drop the submitter's count; the last I/O completes the batch. */
	if (!atomic_dec_and_test(&b->pending))
		wait_for_completion_io(&b->done);
	err = READ_ONCE(b->error);
	ks3_io_batch_init(b);
	return err;
}

static struct ks3_bdev *ks3_bdev_of(struct ks3_dev *dev)
{
	return container_of(dev, struct ks3_bdev, dev);
}

static void ks3_bdev_end_io(struct bio *bio)
{
	struct ks3_io_batch *batch = bio->bi_private;
	int err = blk_status_to_errno(bio->bi_status);

	/* The bio_set outlives no batch: put the bio before completing. */
	bio_put(bio);
	ks3_io_batch_end(batch, err);
}

static struct bio *ks3_bdev_bio(struct ks3_bdev *b, blk_opf_t opf,
				sector_t sector, unsigned int nr_vecs,
				struct ks3_io_batch *batch)
{
	struct bio *bio = bio_alloc_bioset(b->handle.bdev, nr_vecs, opf,
					   GFP_NOIO, &b->bio_set);

	bio->bi_iter.bi_sector = sector;
	bio->bi_end_io = ks3_bdev_end_io;
	bio->bi_private = batch;
	return bio;
}

static void ks3_bdev_start(struct bio *bio)
{
	ks3_io_batch_add(bio->bi_private);
	submit_bio(bio);
}

/*
 * Every bio of @io (at most BIO_MAX_VECS pages each) counts in @batch on
 * its own: a bio is submitted as soon as it is full, and the batch
 * completes when the last one ends, whatever their order.
 */
static int ks3_bdev_submit_async(struct ks3_dev *dev, const struct ks3_io *io,
				 struct ks3_io_batch *batch)
{
	struct ks3_bdev *b = ks3_bdev_of(dev);
	sector_t sector = io->block * KS3_SECTORS_PER_BLOCK;
	unsigned int left = io->nr_bvec, i;
	struct bio *bio = NULL;
	blk_opf_t opf;

	if (io->op == KS3_IO_FLUSH) {
		ks3_bdev_start(ks3_bdev_bio(b, REQ_OP_WRITE | REQ_PREFLUSH, 0,
					    0, batch));
		return 0;
	}

	opf = io->op == KS3_IO_READ ? REQ_OP_READ : REQ_OP_WRITE;
	if (io->op == KS3_IO_WRITE && (io->flags & KS3_IO_FUA))
		opf |= REQ_FUA;
	if (io->op == KS3_IO_WRITE && (io->flags & KS3_IO_PREFLUSH))
		opf |= REQ_PREFLUSH;

	for (i = 0; i < io->nr_bvec; i++) {
		const struct bio_vec *bv = &io->bvec[i];

		if (!bio || bio_add_page(bio, bv->bv_page, bv->bv_len,
					 bv->bv_offset) != bv->bv_len) {
			if (bio)
				ks3_bdev_start(bio);
			bio = ks3_bdev_bio(b, opf, sector,
					   min_t(unsigned int, left,
						 BIO_MAX_VECS), batch);
			/* Only the first bio flushes the cache ahead. */
			opf &= ~REQ_PREFLUSH;
			if (bio_add_page(bio, bv->bv_page, bv->bv_len,
					 bv->bv_offset) != bv->bv_len) {
				bio_put(bio);
				/* Earlier bios may be in flight: the batch. */
				ks3_io_batch_error(batch, -EIO);
				return -EIO;
			}
		}
		sector += bv->bv_len >> SECTOR_SHIFT;
		left--;
	}
	if (bio)
		ks3_bdev_start(bio);
	return 0;
}

static void ks3_bdev_dev_close(struct ks3_dev *dev)
{
	struct ks3_bdev *b = ks3_bdev_of(dev);

	ks3_bdev_close(&b->handle);
	bioset_exit(&b->bio_set);
	kfree(b);
}

static const struct ks3_dev_ops ks3_bdev_ops = {
	.submit_async = ks3_bdev_submit_async,
	.close = ks3_bdev_dev_close,
};

struct ks3_dev *ks3_dev_open_bdev(const char *path, void *holder)
{
	struct ks3_bdev *b;
	unsigned int lbs;
	int ret;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return ERR_PTR(-ENOMEM);
	ret = bioset_init(&b->bio_set, BIO_POOL_SIZE, 0, BIOSET_NEED_BVECS);
	if (ret)
		goto err_free;
	ret = ks3_bdev_open(&b->handle, path, holder);
	if (ret)
		goto err_bioset;
	/* All I/O is in whole, aligned 4 KiB blocks. */
	lbs = bdev_logical_block_size(b->handle.bdev);
	if (lbs > KS3_BLOCK_SIZE) {
		ret = -EINVAL;
		goto err_close;
	}
	ks3_dev_init(&b->dev, &ks3_bdev_ops,
		     bdev_nr_bytes(b->handle.bdev) >> KS3_BLOCK_SHIFT);
	return &b->dev;

err_close:
	ks3_bdev_close(&b->handle);
err_bioset:
	bioset_exit(&b->bio_set);
err_free:
	kfree(b);
	return ERR_PTR(ret);
}

void ks3_dev_close(struct ks3_dev *dev)
{
	dev->ops->close(dev);
}

/* Checks @io against the device and counts it; 0 if it may go. */
static int ks3_dev_account(struct ks3_dev *dev, const struct ks3_io *io)
{
	u64 blocks = 0;
	unsigned int i;

	for (i = 0; i < io->nr_bvec; i++) {
		if (!IS_ALIGNED(io->bvec[i].bv_len, KS3_BLOCK_SIZE) ||
		    !IS_ALIGNED(io->bvec[i].bv_offset, KS3_BLOCK_SIZE))
			return -EINVAL;
		blocks += io->bvec[i].bv_len >> KS3_BLOCK_SHIFT;
	}
	if (io->block > dev->nr_blocks || blocks > dev->nr_blocks - io->block)
		return -EINVAL;

	switch (io->op) {
	case KS3_IO_READ:
		atomic64_inc(&dev->nr_reads);
		break;
	case KS3_IO_FLUSH:
		atomic64_inc(&dev->nr_flushes);
		break;
	case KS3_IO_WRITE:
		atomic64_inc(&dev->nr_writes);
		if (io->flags & KS3_IO_PREFLUSH)
			atomic64_inc(&dev->nr_flushes);
		break;
	}
	return 0;
}

int ks3_dev_submit(struct ks3_dev *dev, const struct ks3_io *io)
{
	struct ks3_io_batch batch;
	int ret = ks3_dev_account(dev, io);

	if (ret)
		return ret;
	if (dev->ops->submit)
		return dev->ops->submit(dev, io);
	ks3_io_batch_init(&batch);
	dev->ops->submit_async(dev, io, &batch);
	/* Whatever submit_async returned is in the batch too. */
	return ks3_io_batch_wait(&batch);
}

int ks3_dev_submit_async(struct ks3_dev *dev, const struct ks3_io *io,
			 struct ks3_io_batch *batch)
{
	int ret = ks3_dev_account(dev, io);

	if (!ret && dev->ops->submit_async)
		return dev->ops->submit_async(dev, io, batch);
	if (!ret)
		ret = dev->ops->submit(dev, io);
	ks3_io_batch_error(batch, ret);
	return ret;
}

/* Pages of a kmalloc'd or vmalloc'd buffer, 4 KiB at a time. */
static struct page *ks3_buf_page(void *addr)
{
	return is_vmalloc_addr(addr) ? vmalloc_to_page(addr) :
				       virt_to_page(addr);
}

void ks3_dev_buf_bvecs(void *buf, size_t len, struct bio_vec *bv)
{
	size_t i, nr = len >> KS3_BLOCK_SHIFT;

	for (i = 0; i < nr; i++) {
		void *addr = (u8 *)buf + (i << KS3_BLOCK_SHIFT);

		bv[i].bv_page = ks3_buf_page(addr);
		bv[i].bv_offset = offset_in_page(addr);
		bv[i].bv_len = KS3_BLOCK_SIZE;
	}
}

int ks3_dev_rw_buf(struct ks3_dev *dev, enum ks3_io_op op,
		   unsigned int flags, u64 block, void *buf, size_t len)
{
	unsigned int nr = len >> KS3_BLOCK_SHIFT;
	struct bio_vec *bv;
	struct ks3_io io;
	int ret;

	if (!len || !IS_ALIGNED(len, KS3_BLOCK_SIZE) ||
	    !IS_ALIGNED((unsigned long)buf, KS3_BLOCK_SIZE) ||
	    len >> KS3_BLOCK_SHIFT > UINT_MAX)
		return -EINVAL;
	bv = kvmalloc_array(nr, sizeof(*bv), GFP_NOIO);
	if (!bv)
		return -ENOMEM;
	ks3_dev_buf_bvecs(buf, len, bv);
	io = (struct ks3_io){ .op = op, .flags = flags, .block = block,
			      .bvec = bv, .nr_bvec = nr };
	ret = ks3_dev_submit(dev, &io);
	kvfree(bv);
	return ret;
}

int ks3_dev_flush(struct ks3_dev *dev)
{
	struct ks3_io io = { .op = KS3_IO_FLUSH };

	return ks3_dev_submit(dev, &io);
}
