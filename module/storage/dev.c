// SPDX-License-Identifier: GPL-2.0
/*
 * Block I/O for the store. Every request is split into bios of at most
 * BIO_MAX_VECS pages from a private bio_set (more than one bio at a time
 * from fs_bio_set can deadlock under memory pressure), chained to the last
 * one, which is waited on. PREFLUSH goes on the first bio, FUA on all.
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

void ks3_dev_init(struct ks3_dev *dev, const struct ks3_dev_ops *ops,
		  u64 nr_blocks)
{
	dev->ops = ops;
	dev->nr_blocks = nr_blocks;
	atomic64_set(&dev->nr_reads, 0);
	atomic64_set(&dev->nr_writes, 0);
	atomic64_set(&dev->nr_flushes, 0);
}

static struct ks3_bdev *ks3_bdev_of(struct ks3_dev *dev)
{
	return container_of(dev, struct ks3_bdev, dev);
}

static struct bio *ks3_bdev_next_bio(struct ks3_bdev *b, struct bio *prev,
				     blk_opf_t opf, sector_t sector,
				     unsigned int nr_vecs)
{
	struct bio *bio = bio_alloc_bioset(b->handle.bdev, nr_vecs, opf,
					   GFP_NOIO, &b->bio_set);

	bio->bi_iter.bi_sector = sector;
	if (prev) {
		bio_chain(prev, bio);
		submit_bio(prev);
	}
	return bio;
}

static int ks3_bdev_submit(struct ks3_dev *dev, const struct ks3_io *io)
{
	struct ks3_bdev *b = ks3_bdev_of(dev);
	sector_t sector = io->block * KS3_SECTORS_PER_BLOCK;
	unsigned int left = io->nr_bvec, i;
	struct bio *bio = NULL;
	blk_opf_t opf;
	int ret;

	if (io->op == KS3_IO_FLUSH) {
		bio = bio_alloc_bioset(b->handle.bdev, 0,
				       REQ_OP_WRITE | REQ_PREFLUSH, GFP_NOIO,
				       &b->bio_set);
		ret = submit_bio_wait(bio);
		bio_put(bio);
		return ret;
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
			bio = ks3_bdev_next_bio(b, bio, opf, sector,
						min_t(unsigned int, left,
						      BIO_MAX_VECS));
			/* Only the first bio flushes the cache ahead. */
			opf &= ~REQ_PREFLUSH;
			if (bio_add_page(bio, bv->bv_page, bv->bv_len,
					 bv->bv_offset) != bv->bv_len) {
				bio_put(bio);
				return -EIO;
			}
		}
		sector += bv->bv_len >> SECTOR_SHIFT;
		left--;
	}
	if (!bio)
		return 0;
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

static void ks3_bdev_dev_close(struct ks3_dev *dev)
{
	struct ks3_bdev *b = ks3_bdev_of(dev);

	ks3_bdev_close(&b->handle);
	bioset_exit(&b->bio_set);
	kfree(b);
}

static const struct ks3_dev_ops ks3_bdev_ops = {
	.submit = ks3_bdev_submit,
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

int ks3_dev_submit(struct ks3_dev *dev, const struct ks3_io *io)
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
	return dev->ops->submit(dev, io);
}

/* Pages of a kmalloc'd or vmalloc'd buffer, 4 KiB at a time. */
static struct page *ks3_buf_page(void *addr)
{
	return is_vmalloc_addr(addr) ? vmalloc_to_page(addr) :
				       virt_to_page(addr);
}

int ks3_dev_rw_buf(struct ks3_dev *dev, enum ks3_io_op op,
		   unsigned int flags, u64 block, void *buf, size_t len)
{
	unsigned int nr = len >> KS3_BLOCK_SHIFT, i;
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
	for (i = 0; i < nr; i++) {
		void *addr = (u8 *)buf + ((size_t)i << KS3_BLOCK_SHIFT);

		bv[i].bv_page = ks3_buf_page(addr);
		bv[i].bv_offset = offset_in_page(addr);
		bv[i].bv_len = KS3_BLOCK_SIZE;
	}
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
