// SPDX-License-Identifier: GPL-2.0
/*
 * The recording memory device of memdev.h. I/O completes synchronously, so
 * a write is "completed" when submit returns, or, with a worker
 * (ks3_memdev_set_async), when the worker has done it; whether it is
 * durable is for the crash tests to decide from the FUA flags and flushes
 * recorded.
 */
#include <linux/bits.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/ks3_disk.h>

#include "memdev.h"

static struct ks3_memdev *ks3_memdev_of(struct ks3_dev *dev)
{
	return container_of(dev, struct ks3_memdev, dev);
}

int ks3_memdev_write_block(struct ks3_memdev *m, u64 block, const u8 *data,
			   size_t len)
{
	if (block >= m->dev.nr_blocks || len > KS3_BLOCK_SIZE)
		return -EINVAL;
	if (!m->blocks[block]) {
		m->blocks[block] = kzalloc(KS3_BLOCK_SIZE, GFP_KERNEL);
		if (!m->blocks[block])
			return -ENOMEM;
	}
	memcpy(m->blocks[block], data, len);
	return 0;
}

static int ks3_memdev_log(struct ks3_memdev *m, u64 block, const u8 *data,
			  bool fua)
{
	struct ks3_memdev_write *w;

	if (!m->log)
		return 0;
	if (m->nr_log == m->max_log)
		return -ENOSPC;
	w = &m->log[m->nr_log];
	w->data = kmemdup(data, KS3_BLOCK_SIZE, GFP_KERNEL);
	if (!w->data)
		return -ENOMEM;
	w->block = block;
	w->fua = fua;
	w->flushes_before = m->nr_flushes;
	m->nr_log++;
	return 0;
}

/* Whether @io touches the bad blocks and is of a kind that fails there. */
static bool ks3_memdev_bad(struct ks3_memdev *m, const struct ks3_io *io)
{
	u64 blocks = 0;
	unsigned int i;

	if (!m->bad_blocks || !(m->bad_ops & BIT(io->op)))
		return false;
	for (i = 0; i < io->nr_bvec; i++)
		blocks += io->bvec[i].bv_len / KS3_BLOCK_SIZE;
	return blocks && io->block < m->bad_start + m->bad_blocks &&
	       m->bad_start < io->block + blocks;
}

/* Does I/O number @nr: fails it if asked to, records writes. */
static int ks3_memdev_do(struct ks3_memdev *m, const struct ks3_io *io,
			 u64 nr)
{
	u64 block = io->block;
	unsigned int i, off;
	bool bad;
	int ret = 0;

	if ((m->fail_from && nr >= m->fail_from) ||
	    (m->fail_at && nr == m->fail_at))
		return -EIO;
	bad = ks3_memdev_bad(m, io);
	if (bad && !(m->bad_lands && io->op == KS3_IO_WRITE))
		return -EIO;
	if (io->op == KS3_IO_FLUSH ||
	    (io->op == KS3_IO_WRITE && (io->flags & KS3_IO_PREFLUSH))) {
		mutex_lock(&m->lock);
		m->nr_flushes++;
		mutex_unlock(&m->lock);
	}
	if (m->fua_delay_us && (io->op == KS3_IO_FLUSH ||
				(io->flags & KS3_IO_FUA)))
		usleep_range(m->fua_delay_us, m->fua_delay_us + 50);
	mutex_lock(&m->lock);
	for (i = 0; i < io->nr_bvec && !ret; i++) {
		const struct bio_vec *bv = &io->bvec[i];

		for (off = 0; off < bv->bv_len && !ret;
		     off += KS3_BLOCK_SIZE, block++) {
			u8 *p = kmap_local_page(bv->bv_page) + bv->bv_offset +
				off;

			if (io->op == KS3_IO_READ) {
				if (m->blocks[block])
					memcpy(p, m->blocks[block],
					       KS3_BLOCK_SIZE);
				else
					memset(p, 0, KS3_BLOCK_SIZE);
			} else {
				ret = ks3_memdev_write_block(m, block, p,
							     KS3_BLOCK_SIZE);
				if (!ret)
					ret = ks3_memdev_log(m, block, p,
							     io->flags &
							     KS3_IO_FUA);
			}
			kunmap_local(p);
		}
	}
	mutex_unlock(&m->lock);
	return ret ?: (bad ? -EIO : 0);
}

static u64 ks3_memdev_number(struct ks3_memdev *m)
{
	u64 nr;

	mutex_lock(&m->lock);
	nr = ++m->nr_io;
	mutex_unlock(&m->lock);
	return nr;
}

static int ks3_memdev_submit(struct ks3_dev *dev, const struct ks3_io *io)
{
	struct ks3_memdev *m = ks3_memdev_of(dev);

	return ks3_memdev_do(m, io, ks3_memdev_number(m));
}

struct ks3_memdev_async {
	struct work_struct work;
	struct ks3_memdev *m;
	struct ks3_io_batch *batch;
	u64 nr;
	struct ks3_io io;
	struct bio_vec bvec[];
};

static void ks3_memdev_async_work(struct work_struct *work)
{
	struct ks3_memdev_async *a = container_of(work, typeof(*a), work);
	struct ks3_memdev *m = a->m;
	int ret;

	if (m->async_delay_us)
		usleep_range(m->async_delay_us, m->async_delay_us + 50);
	ret = ks3_memdev_do(m, &a->io, a->nr);
	atomic_dec(&m->async_inflight);
	/* Like bi_end_io: completion must not sleep. */
	local_bh_disable();
	ks3_io_batch_end(a->batch, ret);
	local_bh_enable();
	kfree(a);
}

static int ks3_memdev_submit_async(struct ks3_dev *dev,
				   const struct ks3_io *io,
				   struct ks3_io_batch *batch)
{
	struct ks3_memdev *m = ks3_memdev_of(dev);
	struct ks3_memdev_async *a;
	int ret, n;

	if (!m->wq) {
		ret = ks3_memdev_submit(dev, io);
		ks3_io_batch_error(batch, ret);
		return ret;
	}
	a = kmalloc(struct_size(a, bvec, io->nr_bvec), GFP_NOIO);
	if (!a) {
		ks3_io_batch_error(batch, -ENOMEM);
		return -ENOMEM;
	}
	INIT_WORK(&a->work, ks3_memdev_async_work);
	a->m = m;
	a->batch = batch;
	a->io = *io;
	a->io.bvec = a->bvec;
	memcpy(a->bvec, io->bvec, io->nr_bvec * sizeof(*a->bvec));
	a->nr = ks3_memdev_number(m);
	n = atomic_inc_return(&m->async_inflight);
	if (n > atomic_read(&m->async_max_inflight))
		atomic_set(&m->async_max_inflight, n);
	ks3_io_batch_add(batch);
	queue_work(m->wq, &a->work);
	return 0;
}

int ks3_memdev_set_async(struct ks3_memdev *m, unsigned int delay_us)
{
	/* Ordered: I/O is done, and recorded, in submission order. */
	m->wq = alloc_ordered_workqueue("ks3_memdev", WQ_MEM_RECLAIM);
	if (!m->wq)
		return -ENOMEM;
	m->async_delay_us = delay_us;
	return 0;
}

static void ks3_memdev_close(struct ks3_dev *dev)
{
	/* The test owns the memdev and destroys it itself. */
}

static const struct ks3_dev_ops ks3_memdev_ops = {
	.submit = ks3_memdev_submit,
	.submit_async = ks3_memdev_submit_async,
	.close = ks3_memdev_close,
};

struct ks3_memdev *ks3_memdev_create(u64 nr_blocks)
{
	struct ks3_memdev *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return NULL;
	m->blocks = vzalloc(array_size(nr_blocks, sizeof(*m->blocks)));
	if (!m->blocks) {
		kfree(m);
		return NULL;
	}
	mutex_init(&m->lock);
	ks3_dev_init(&m->dev, &ks3_memdev_ops, nr_blocks);
	return m;
}

void ks3_memdev_destroy(struct ks3_memdev *m)
{
	size_t i;

	if (!m)
		return;
	/* Waits for any I/O still queued. */
	if (m->wq)
		destroy_workqueue(m->wq);
	for (i = 0; i < m->dev.nr_blocks; i++)
		kfree(m->blocks[i]);
	for (i = 0; i < m->nr_log; i++)
		kfree(m->log[i].data);
	vfree(m->log);
	vfree(m->blocks);
	kfree(m);
}

int ks3_memdev_record(struct ks3_memdev *m, size_t max)
{
	m->log = vzalloc(array_size(max, sizeof(*m->log)));
	if (!m->log)
		return -ENOMEM;
	m->max_log = max;
	return 0;
}

struct ks3_memdev *ks3_memdev_clone(struct ks3_memdev *m)
{
	struct ks3_memdev *c = ks3_memdev_create(m->dev.nr_blocks);
	size_t i;

	if (!c)
		return NULL;
	for (i = 0; i < m->dev.nr_blocks; i++) {
		if (m->blocks[i] &&
		    ks3_memdev_write_block(c, i, m->blocks[i], KS3_BLOCK_SIZE)) {
			ks3_memdev_destroy(c);
			return NULL;
		}
	}
	return c;
}
