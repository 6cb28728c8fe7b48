// SPDX-License-Identifier: GPL-2.0
/*
 * The recording memory device of memdev.h. I/O completes synchronously, so
 * a write is "completed" when submit returns; whether it is durable is for
 * the crash tests to decide from the FUA flags and flushes recorded.
 */
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

static int ks3_memdev_submit(struct ks3_dev *dev, const struct ks3_io *io)
{
	struct ks3_memdev *m = ks3_memdev_of(dev);
	u64 block = io->block;
	unsigned int i, off;
	int ret = 0;

	if (m->fail_from && ++m->nr_io >= m->fail_from)
		return -EIO;
	if (io->op == KS3_IO_FLUSH ||
	    (io->op == KS3_IO_WRITE && (io->flags & KS3_IO_PREFLUSH)))
		m->nr_flushes++;
	if (m->fua_delay_us && (io->op == KS3_IO_FLUSH ||
				(io->flags & KS3_IO_FUA)))
		usleep_range(m->fua_delay_us, m->fua_delay_us + 50);
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
	return ret;
}

static void ks3_memdev_close(struct ks3_dev *dev)
{
	/* The test owns the memdev and destroys it itself. */
}

static const struct ks3_dev_ops ks3_memdev_ops = {
	.submit = ks3_memdev_submit,
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
	ks3_dev_init(&m->dev, &ks3_memdev_ops, nr_blocks);
	return m;
}

void ks3_memdev_destroy(struct ks3_memdev *m)
{
	size_t i;

	if (!m)
		return;
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
