// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl fsck DEV`: runs the checker (fsck.c) over a detached store, read
 * with io_uring, and reports. Exit 0 when clean, 1 when it found problems,
 * 2 for a usage error or a device it cannot read.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <liburing.h>

#include "blockdev.h"
#include "cmd_fsck.h"
#include "output.h"

/* Reads in flight at most: a batch of fsck's data check is 16 MiB. */
#define S3CTL_URING_DEPTH	64

struct s3ctl_uring_img {
	struct io_uring ring;
	int fd;
};

/* Finishes a short read synchronously: rare (signals, odd devices). */
static int s3ctl_uring_rest(int fd, const struct s3ctl_img_io *io,
			    uint32_t done)
{
	return s3ctl_pread_all(fd, (char *)io->buf + done, io->len - done,
			       io->off + done);
}

static int s3ctl_uring_read(void *ctx, struct s3ctl_img_io *ios,
			    unsigned int n)
{
	struct s3ctl_uring_img *u = ctx;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned int i, k, batch;
	int ret = 0, res;

	for (i = 0; i < n; i += batch) {
		batch = n - i < S3CTL_URING_DEPTH ? n - i : S3CTL_URING_DEPTH;
		for (k = 0; k < batch; k++) {
			sqe = io_uring_get_sqe(&u->ring);
			if (!sqe)
				return -EBUSY;
			io_uring_prep_read(sqe, u->fd, ios[i + k].buf,
					   ios[i + k].len, ios[i + k].off);
			io_uring_sqe_set_data64(sqe, i + k);
		}
		res = io_uring_submit_and_wait(&u->ring, batch);
		if (res < 0)
			return res;
		/* Reap every completion of the batch, whatever happens. */
		for (k = 0; k < batch; k++) {
			res = io_uring_wait_cqe(&u->ring, &cqe);
			if (res < 0)
				return res;
			res = cqe->res;
			io_uring_cqe_seen(&u->ring, cqe);
			if (ret)
				continue;
			if (res < 0)
				ret = res;
			else if ((uint32_t)res < ios[cqe->user_data].len)
				ret = s3ctl_uring_rest(u->fd,
						       &ios[cqe->user_data],
						       (uint32_t)res);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static json_t *s3ctl_fsck_problems_json(const struct s3ctl_fsck *r)
{
	json_t *a = json_array(), *p;
	size_t i;

	for (i = 0; a && i < r->nr_kept; i++) {
		p = json_pack("{s:s,s:o?}", "area", r->problems[i].area,
			      "message", s3ctl_json_string(r->problems[i].msg));
		if (!p || json_array_append_new(a, p)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *s3ctl_fsck_notes_json(const struct s3ctl_fsck *r)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < r->nr_notes; i++) {
		if (json_array_append_new(a, s3ctl_json_string(r->notes[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

#define U64(x)	s3ctl_json_u64(x)

static json_t *s3ctl_fsck_json(const char *dev, const struct s3ctl_fsck *r)
{
	char uuid[37];
	json_t *j;

	j = json_pack("{s:o?,s:b,s:I,s:o?,s:o?}",
		      "device", s3ctl_json_string(dev),
		      "clean", !r->nr_problems,
		      "problem_count", (json_int_t)r->nr_problems,
		      "problems", s3ctl_fsck_problems_json(r),
		      "notes", s3ctl_fsck_notes_json(r));
	if (!j || !r->is_ks3)
		return j;
	s3ctl_format_uuid(uuid, r->uuid);
	if (json_object_set_new(j, "superblock", json_pack(
			"{s:i,s:o?,s:s,s:I}", "copy", r->sb_copy,
			"generation", U64(r->sb_generation), "uuid", uuid,
			"format_version", (json_int_t)r->version)) ||
	    json_object_set_new(j, "layout", json_pack(
			"{s:o?,s:o?,s:o?,s:o?,s:o?,s:o?}",
			"total_blocks", U64(r->layout.total_blocks),
			"journal_start", U64(r->layout.journal_start),
			"journal_blocks", U64(r->layout.journal_blocks),
			"checkpoint_blocks", U64(r->layout.ckpt_blocks),
			"data_start", U64(r->layout.data_start),
			"data_blocks", U64(r->layout.data_blocks))) ||
	    json_object_set_new(j, "checkpoint", !r->has_ckpt ? json_null() :
			json_pack("{s:I,s:o?,s:o?}",
				  "slot", (json_int_t)r->ckpt_slot,
				  "seq", U64(r->ckpt_seq),
				  "ops", U64(r->ckpt_ops))) ||
	    json_object_set_new(j, "journal", json_pack(
			"{s:o?,s:o?,s:o?,s:o?,s:o?,s:o?,s:s?}",
			"replay_seq", U64(r->replay_seq),
			"replay_block", U64(r->replay_block),
			"records", U64(r->jrecs), "ops", U64(r->jops),
			"end_block", U64(r->jend_block),
			"end_seq", U64(r->jend_seq),
			"end_reason", r->jend_reason)) ||
	    json_object_set_new(j, "metadata", json_pack(
			"{s:o?,s:o?,s:o?,s:o?,s:o?,s:o?,s:o?,s:o?}",
			"buckets", U64(r->buckets), "keys", U64(r->keys),
			"grants", U64(r->grants), "settings", U64(r->settings),
			"objects", U64(r->objects),
			"object_bytes", U64(r->object_bytes),
			"uploads", U64(r->uploads), "parts", U64(r->parts))) ||
	    json_object_set_new(j, "space", json_pack(
			"{s:o?,s:o?,s:o?}",
			"data_blocks", U64(r->layout.data_blocks),
			"referenced_blocks", U64(r->referenced_blocks),
			"free_blocks", U64(r->free_blocks))) ||
	    json_object_set_new(j, "data", json_pack(
			"{s:o?,s:o?}", "chunks_checked", U64(r->chunks_checked),
			"bytes_checked", U64(r->bytes_checked)))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

static void s3ctl_fsck_text(FILE *f, const char *dev,
			    const struct s3ctl_fsck *r)
{
	char uuid[37], bytes[32];
	size_t i;

	fputs("device:     ", f);
	s3ctl_print_text(f, dev);
	fputc('\n', f);
	if (r->is_ks3) {
		s3ctl_format_uuid(uuid, r->uuid);
		fprintf(f, "superblock: copy %d, generation %" PRIu64 ", uuid %s, format %" PRIu32 "\n",
			r->sb_copy, r->sb_generation, uuid, r->version);
		if (r->has_ckpt)
			fprintf(f, "checkpoint: %" PRIu64 " in slot %" PRIu32 ", %" PRIu64 " operations\n",
				r->ckpt_seq, r->ckpt_slot, r->ckpt_ops);
		else
			fputs("checkpoint: none yet\n", f);
		fprintf(f, "journal:    %" PRIu64 " records (%" PRIu64 " operations) from record %" PRIu64 " at block %" PRIu64 "; ends at block %" PRIu64 " (record %" PRIu64 "): %s\n",
			r->jrecs, r->jops, r->replay_seq, r->replay_block,
			r->jend_block, r->jend_seq,
			r->jend_reason ? r->jend_reason : "not scanned");
		s3ctl_format_bytes(bytes, sizeof(bytes), r->object_bytes);
		fprintf(f, "metadata:   %" PRIu64 " buckets, %" PRIu64 " keys, %" PRIu64 " grants, %" PRIu64 " settings, %" PRIu64 " objects (%s), %" PRIu64 " uploads, %" PRIu64 " parts\n",
			r->buckets, r->keys, r->grants, r->settings,
			r->objects, bytes, r->uploads, r->parts);
		fprintf(f, "space:      %" PRIu64 " of %" PRIu64 " data blocks referenced, %" PRIu64 " free\n",
			r->referenced_blocks, r->layout.data_blocks,
			r->free_blocks);
		s3ctl_format_bytes(bytes, sizeof(bytes), r->bytes_checked);
		fprintf(f, "data:       %" PRIu64 " chunks (%s) verified\n",
			r->chunks_checked, bytes);
	}
	for (i = 0; i < r->nr_notes; i++) {
		fputs("note:       ", f);
		s3ctl_print_text(f, r->notes[i]);
		fputc('\n', f);
	}
	for (i = 0; i < r->nr_kept; i++) {
		fprintf(f, "problem:    %s: ", r->problems[i].area);
		s3ctl_print_text(f, r->problems[i].msg);
		fputc('\n', f);
	}
	if (r->nr_problems > r->nr_kept)
		fprintf(f, "problem:    and %zu more\n",
			r->nr_problems - r->nr_kept);
	if (r->nr_problems)
		fprintf(f, "result:     %zu problem%s\n", r->nr_problems,
			r->nr_problems == 1 ? "" : "s");
	else
		fputs("result:     clean\n", f);
}

int s3ctl_fsck_report(struct s3ctl *ctx, const char *dev,
		      const struct s3ctl_fsck *r)
{
	if (ctx->json) {
		if (s3ctl_json_print(s3ctl_fsck_json(dev, r), ctx->out)) {
			s3ctl_error(ctx, "out of memory");
			return S3CTL_EXIT_FAIL;
		}
	} else {
		s3ctl_fsck_text(ctx->out, dev, r);
	}
	if (!r->nr_problems)
		return S3CTL_EXIT_OK;
	s3ctl_error(ctx, "%s: %zu problem%s found", dev, r->nr_problems,
		    r->nr_problems == 1 ? "" : "s");
	return S3CTL_EXIT_FAIL;
}

int s3ctl_cmd_fsck(struct s3ctl *ctx, int argc, char **argv)
{
	struct s3ctl_uring_img u;
	struct s3ctl_blockdev bd;
	struct s3ctl_fsck r;
	struct s3ctl_img img;
	char msg[128];
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "DEV");
	if (ret)
		return ret;
	ret = s3ctl_blockdev_open(argv[0], false, &bd, msg, sizeof(msg));
	if (ret) {
		s3ctl_error(ctx, "%s: %s", argv[0], msg);
		return S3CTL_EXIT_USAGE;
	}
	ret = io_uring_queue_init(S3CTL_URING_DEPTH, &u.ring, 0);
	if (ret) {
		s3ctl_error(ctx, "cannot set up io_uring: %s", strerror(-ret));
		s3ctl_blockdev_close(&bd);
		return S3CTL_EXIT_USAGE;
	}
	u.fd = bd.fd;
	img = (struct s3ctl_img){ .size = bd.size, .read = s3ctl_uring_read,
				  .ctx = &u };
	ret = s3ctl_fsck_run(&img, &r);
	io_uring_queue_exit(&u.ring);
	s3ctl_blockdev_close(&bd);
	if (ret) {
		s3ctl_error(ctx, "%s: cannot read the store: %s", argv[0],
			    strerror(-ret));
		s3ctl_fsck_free(&r);
		return S3CTL_EXIT_USAGE;
	}
	ret = s3ctl_fsck_report(ctx, argv[0], &r);
	s3ctl_fsck_free(&r);
	return ret;
}
