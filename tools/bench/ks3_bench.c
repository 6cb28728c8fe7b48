// SPDX-License-Identifier: GPL-2.0
/*
 * ks3_bench.ko: storage engine benchmark, run by tools/bench/run.sh in a
 * guest on a real (virtio) block device. Links the module's storage code
 * like the KUnit module does. On load it formats @dev, puts @objects small
 * objects from @writers threads (group commit: flushes per object), detaches
 * (final checkpoint), then attaches again and reports the time and the RAM
 * the metadata takes. Results are "ks3_bench: " lines in the kernel log.
 */
#define pr_fmt(fmt) "ks3_bench: " fmt

#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "storage/store.h"

static char *dev = "/dev/vda";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "block device to format and use");
static unsigned long objects = 100000;
module_param(objects, ulong, 0444);
MODULE_PARM_DESC(objects, "objects to put");
static unsigned int writers = 32;
module_param(writers, uint, 0444);
MODULE_PARM_DESC(writers, "concurrent writer threads");
static unsigned int size = 1;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "bytes per object");

#define KS3_BENCH_KEY_LEN	12	/* "w00-0000000" + NUL-less */

struct ks3_bench_writer {
	struct ks3_store *s;
	struct completion *go;
	struct completion done;
	unsigned int id;
	unsigned long first;
	unsigned long count;
	int err;
};

static int ks3_bench_writer(void *arg)
{
	struct ks3_bench_writer *w = arg;
	struct ks3_object_writer *ow;
	char key[KS3_BENCH_KEY_LEN + 1];
	unsigned long i;
	u8 *data;

	data = kzalloc(max(size, 1U), GFP_KERNEL);
	if (!data) {
		w->err = -ENOMEM;
		goto out;
	}
	wait_for_completion(w->go);
	for (i = 0; i < w->count && !w->err; i++) {
		snprintf(key, sizeof(key), "w%02u-%07lu", w->id % 100,
			 (w->first + i) % 10000000);
		w->err = ks3_object_write_begin(w->s, "bench", 5, key,
						KS3_BENCH_KEY_LEN - 1, size,
						&ow);
		if (w->err)
			break;
		w->err = ks3_object_write(ow, data, size);
		if (w->err) {
			ks3_object_write_abort(ow);
			break;
		}
		w->err = ks3_object_write_commit(ow, NULL, 0, NULL, NULL);
	}
	kfree(data);
out:
	complete(&w->done);
	return 0;
}

static int ks3_bench_put(struct ks3_store *s, struct ks3_dev *d)
{
	DECLARE_COMPLETION_ONSTACK(go);
	struct ks3_bench_writer *w;
	u64 flushes, commits, t0, ms;
	unsigned int i;
	int err = 0;

	w = kcalloc(writers, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	for (i = 0; i < writers; i++) {
		w[i].s = s;
		w[i].go = &go;
		w[i].id = i;
		w[i].first = objects / writers * i;
		w[i].count = objects / writers +
			     (i == writers - 1 ? objects % writers : 0);
		init_completion(&w[i].done);
		if (IS_ERR(kthread_run(ks3_bench_writer, &w[i], "ks3b%u", i))) {
			w[i].err = -ENOMEM;
			complete(&w[i].done);
		}
	}
	flushes = atomic64_read(&d->nr_flushes);
	commits = s->journal.nr_commits;
	t0 = ktime_get_ns();
	complete_all(&go);
	for (i = 0; i < writers; i++) {
		wait_for_completion(&w[i].done);
		err = err ?: w[i].err;
	}
	ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	flushes = atomic64_read(&d->nr_flushes) - flushes;
	commits = s->journal.nr_commits - commits;
	pr_info("put %lu objects of %u bytes with %u writers in %llu ms (%llu/s): %llu records, %llu flushes, %llu.%03llu flushes per object, %llu checkpoints\n",
		objects, size, writers, ms, ms ? objects * 1000 / ms : 0,
		commits, flushes, flushes / objects,
		flushes * 1000 / objects % 1000, s->journal.nr_checkpoints);
	kfree(w);
	return err;
}

static long ks3_bench_free_bytes(void)
{
	struct sysinfo si;

	si_meminfo(&si);
	return si.freeram * si.mem_unit;
}

static int __init ks3_bench_init(void)
{
	struct ks3_store *s;
	struct ks3_dev *d;
	long free_before;
	const char *why;
	u8 uuid[16];
	u64 t0, ms, used;
	int ret;

	if (!objects || !writers)
		return -EINVAL;
	d = ks3_dev_open_bdev(dev, &objects);
	if (IS_ERR(d))
		return PTR_ERR(d);
	get_random_bytes(uuid, sizeof(uuid));
	ret = ks3_store_format(d, uuid, ktime_get_real_seconds());
	if (ret)
		goto out_close;
	s = ks3_store_attach(d, &why);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		goto out_close;
	}
	ret = ks3_bucket_create(s, "bench", 5, 1);
	if (!ret)
		ret = ks3_bench_put(s, d);
	t0 = ktime_get_ns();
	ks3_store_detach(s);
	pr_info("detach (final checkpoint) in %llu ms\n",
		(ktime_get_ns() - t0) / NSEC_PER_MSEC);
	if (ret)
		goto out_close;

	free_before = ks3_bench_free_bytes();
	t0 = ktime_get_ns();
	s = ks3_store_attach(d, &why);
	ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		goto out_close;
	}
	used = free_before - ks3_bench_free_bytes();
	pr_info("attach with %llu objects in %llu ms; RAM %llu bytes, %llu bytes per object excluding %u key bytes\n",
		ks3_bucket_find(s, "bench", 5)->nr_objects, ms, used,
		(used - objects * (KS3_BENCH_KEY_LEN - 1)) / objects,
		KS3_BENCH_KEY_LEN - 1);
	ks3_store_detach(s);
out_close:
	ks3_dev_close(d);
	pr_info("done: %d\n", ret);
	return ret;
}

static void __exit ks3_bench_exit(void)
{
}

module_init(ks3_bench_init);
module_exit(ks3_bench_exit);

MODULE_DESCRIPTION("ks3 storage benchmark");
MODULE_LICENSE("GPL");
