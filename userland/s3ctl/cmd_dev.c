// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl dev format|attach|detach`. Formatting happens here in userland
 * (the kernel only ever attaches a formatted store): refuse a device that
 * holds anything (libblkid's signatures, or a ks3 store) unless --force,
 * then write the module's own superblock (disk.c) to both copies.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <blkid.h>

#include "blockdev.h"
#include "disk.h"
#include "ks3_policy.h"
#include "output.h"
#include "s3ctl.h"

/*
 * What libblkid finds on the device: 0 when nothing, 1 with @what filled
 * ("an ext4 filesystem"), or -errno.
 */
static int s3ctl_format_signature(int fd, char *what, size_t len)
{
	const char *type = NULL, *usage = NULL;
	blkid_probe pr = blkid_new_probe();
	int ret;

	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, 0, 0)) {
		blkid_free_probe(pr);
		return -EIO;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	ret = blkid_do_safeprobe(pr);
	if (ret == -2) {
		snprintf(what, len, "several conflicting signatures");
		ret = 1;
	} else if (ret == 0) {
		if (!blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL)) {
			snprintf(what, len, "a %s partition table", type);
		} else if (!blkid_probe_lookup_value(pr, "TYPE", &type, NULL)) {
			blkid_probe_lookup_value(pr, "USAGE", &usage, NULL);
			snprintf(what, len, "a %s %s", type,
				 usage && !strcmp(usage, "filesystem") ?
				 "filesystem" : "signature");
		} else {
			snprintf(what, len, "a signature");
		}
		ret = 1;
	} else {
		ret = ret == 1 ? 0 : -EIO;
	}
	blkid_free_probe(pr);
	return ret;
}

/* --force: erase every signature libblkid knows, as wipefs -a does. */
static int s3ctl_format_wipe(int fd)
{
	blkid_probe pr = blkid_new_probe();
	int ret = 0, n;

	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, 0, 0)) {
		blkid_free_probe(pr);
		return -EIO;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_MAGIC |
					  BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC);
	/* Each wipe makes the probe go on from the next signature. */
	for (n = 0; n < 64 && blkid_do_probe(pr) == 0; n++) {
		if (blkid_do_wipe(pr, 0)) {
			ret = -EIO;
			break;
		}
	}
	blkid_free_probe(pr);
	return ret;
}

/* A random (version 4) uuid. */
static int s3ctl_random_uuid(uint8_t uuid[16])
{
	ssize_t n;

	do {
		n = getrandom(uuid, 16, 0);
	} while (n < 0 && errno == EINTR);
	if (n != 16)
		return n < 0 ? -errno : -EIO;
	uuid[6] = (uuid[6] & 0x0f) | 0x40;
	uuid[8] = (uuid[8] & 0x3f) | 0x80;
	return 0;
}

static int s3ctl_format_print(struct s3ctl *ctx, const char *path,
			      const uint8_t uuid[16],
			      const struct s3ctl_layout *l)
{
	uint64_t total = l->total_blocks * S3CTL_BLOCK_SIZE;
	uint64_t data = l->data_blocks * S3CTL_BLOCK_SIZE;
	uint64_t journal = l->journal_blocks * S3CTL_BLOCK_SIZE;
	uint64_t ckpt = l->ckpt_blocks * S3CTL_BLOCK_SIZE;
	char id[37], t_total[32], t_data[32], t_journal[32], t_ckpt[48];
	struct s3ctl_record r;

	s3ctl_format_uuid(id, uuid);
	s3ctl_format_bytes(t_total, sizeof(t_total), total);
	s3ctl_format_bytes(t_data, sizeof(t_data), data);
	s3ctl_format_bytes(t_journal, sizeof(t_journal), journal);
	s3ctl_format_bytes(t_ckpt, sizeof(t_ckpt), ckpt);
	strncat(t_ckpt, " x 2", sizeof(t_ckpt) - strlen(t_ckpt) - 1);

	s3ctl_record_init(&r, ctx->json);
	s3ctl_record_str(&r, "device", "device", path);
	s3ctl_record_str(&r, "uuid", "uuid", id);
	s3ctl_record_u64(&r, "format_version", "format version",
			 s3ctl_disk_format_version());
	s3ctl_record_u64_text(&r, "total_bytes", "size", total, t_total);
	s3ctl_record_u64_text(&r, "data_bytes", "data", data, t_data);
	s3ctl_record_u64_text(&r, "journal_bytes", "journal", journal,
			      t_journal);
	s3ctl_record_u64_text(&r, "checkpoint_bytes", "checkpoints", ckpt,
			      t_ckpt);
	if (s3ctl_record_print(&r, ctx->out)) {
		s3ctl_error(ctx, "out of memory");
		return S3CTL_EXIT_FAIL;
	}
	return S3CTL_EXIT_OK;
}

/* The checks that --force skips: nothing may be on the device. */
static int s3ctl_format_check_empty(struct s3ctl *ctx, const char *path,
				    int fd, uint64_t size)
{
	static char blocks[2 * S3CTL_BLOCK_SIZE];
	char what[128], id[37];
	uint8_t uuid[16];
	const char *why = NULL;
	int ret;

	ret = s3ctl_pread_all(fd, blocks, sizeof(blocks), 0);
	if (ret) {
		s3ctl_error(ctx, "%s: cannot read: %s", path, strerror(-ret));
		return S3CTL_EXIT_FAIL;
	}
	switch (s3ctl_disk_probe(blocks, size, uuid, &why)) {
	case S3CTL_DISK_KS3:
		s3ctl_format_uuid(id, uuid);
		s3ctl_error(ctx, "%s holds a ks3 store (uuid %s); use --force to overwrite it",
			    path, id);
		return S3CTL_EXIT_FAIL;
	case S3CTL_DISK_KS3_UNUSABLE:
		s3ctl_error(ctx, "%s holds a ks3 store that cannot be attached (%s); use --force to overwrite it",
			    path, why);
		return S3CTL_EXIT_FAIL;
	case S3CTL_DISK_OTHER:
		break;
	}
	ret = s3ctl_format_signature(fd, what, sizeof(what));
	if (ret < 0) {
		s3ctl_error(ctx, "%s: cannot probe for signatures: %s", path,
			    strerror(-ret));
		return S3CTL_EXIT_FAIL;
	}
	if (ret) {
		s3ctl_error(ctx, "%s holds %s; use --force to overwrite it",
			    path, what);
		return S3CTL_EXIT_FAIL;
	}
	return S3CTL_EXIT_OK;
}

static int s3ctl_format_write(int fd, const void *super,
			      const struct s3ctl_layout *l)
{
	static const char zero[S3CTL_BLOCK_SIZE];
	int ret;

	/*
	 * Replay starts at journal block 0 expecting record 1. A record left
	 * there by an earlier format could never pass: every crc but the
	 * superblock's is seeded with the uuid, which is new. Zero it anyway,
	 * belt and braces, before the superblocks make the store valid.
	 */
	ret = s3ctl_pwrite_all(fd, zero, sizeof(zero),
			       l->journal_start * S3CTL_BLOCK_SIZE);
	if (!ret && fdatasync(fd))
		ret = -errno;
	if (!ret)
		ret = s3ctl_pwrite_all(fd, super, S3CTL_BLOCK_SIZE, 0);
	if (!ret)
		ret = s3ctl_pwrite_all(fd, super, S3CTL_BLOCK_SIZE,
				       S3CTL_BLOCK_SIZE);
	if (!ret && fdatasync(fd))
		ret = -errno;
	return ret;
}

int s3ctl_cmd_dev_format(struct s3ctl *ctx, int argc, char **argv)
{
	static char super[S3CTL_BLOCK_SIZE];
	bool force = s3ctl_opt(ctx, "--force");
	struct s3ctl_blockdev bd;
	struct s3ctl_layout l;
	uint8_t uuid[16];
	char msg[128];
	const char *path;
	int ret;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "DEV");
	if (ret)
		return ret;
	path = argv[0];
	ret = s3ctl_blockdev_open(path, true, &bd, msg, sizeof(msg));
	if (ret) {
		s3ctl_error(ctx, "%s: %s", path, msg);
		return S3CTL_EXIT_FAIL;
	}
	ret = S3CTL_EXIT_FAIL;
	if (bd.lbs > S3CTL_BLOCK_SIZE) {
		s3ctl_error(ctx, "%s: logical block size %u is above %u bytes",
			    path, bd.lbs, S3CTL_BLOCK_SIZE);
		goto out_close;
	}
	if (bd.size < s3ctl_disk_min_bytes()) {
		s3ctl_error(ctx, "%s is too small: a store needs at least %" PRIu64 " MiB",
			    path, s3ctl_disk_min_bytes() >> 20);
		goto out_close;
	}
	if (!force) {
		ret = s3ctl_format_check_empty(ctx, path, bd.fd, bd.size);
		if (ret)
			goto out_close;
		ret = S3CTL_EXIT_FAIL;
	} else if (s3ctl_format_wipe(bd.fd)) {
		s3ctl_error(ctx, "%s: cannot erase the signatures on it", path);
		goto out_close;
	}
	if (s3ctl_random_uuid(uuid)) {
		s3ctl_error(ctx, "cannot get random bytes for the uuid");
		goto out_close;
	}
	if (s3ctl_disk_format(bd.size, uuid, (uint64_t)time(NULL), super, &l)) {
		s3ctl_error(ctx, "%s is too small for a store", path);
		goto out_close;
	}
	ret = s3ctl_format_write(bd.fd, super, &l);
	if (ret) {
		s3ctl_error(ctx, "%s: write failed: %s", path, strerror(-ret));
		ret = S3CTL_EXIT_FAIL;
		goto out_close;
	}
	if (s3ctl_blockdev_close(&bd)) {
		s3ctl_error(ctx, "%s: close failed: %s", path, strerror(errno));
		return S3CTL_EXIT_FAIL;
	}
	return s3ctl_format_print(ctx, path, uuid, &l);

out_close:
	s3ctl_blockdev_close(&bd);
	return ret;
}

int s3ctl_cmd_dev_attach(struct s3ctl *ctx, int argc, char **argv)
{
	char path[KS3_DEVICE_PATH_MAX], cwd[PATH_MAX];
	struct s3ctl_nlerr e;
	struct nlmsghdr *req;
	int ret, n;

	ret = s3ctl_expect_args(ctx, argc, argv, 1, "DEV");
	if (ret)
		return ret;
	/* The kernel keeps the path to show it: make it absolute. */
	if (argv[0][0] == '/') {
		n = snprintf(path, sizeof(path), "%s", argv[0]);
	} else {
		if (!getcwd(cwd, sizeof(cwd))) {
			s3ctl_error(ctx, "cannot get the current directory: %s",
				    strerror(errno));
			return S3CTL_EXIT_FAIL;
		}
		n = snprintf(path, sizeof(path), "%s/%s",
			     strcmp(cwd, "/") ? cwd : "", argv[0]);
	}
	if (n < 0 || (size_t)n >= sizeof(path))
		return s3ctl_usage_error(ctx,
			"device path longer than %d bytes",
			KS3_DEVICE_PATH_MAX - 1);
	req = s3ctl_start(ctx, KS3_CMD_DEV_ATTACH);
	if (!req)
		return S3CTL_EXIT_FAIL;
	mnl_attr_put_strz(req, KS3_A_DEVICE, path);
	if (!s3ctl_exec_err(ctx, req, false, NULL, NULL, &e))
		return S3CTL_EXIT_OK;
	/* A damaged store: the kernel says what, s3ctl what to do. */
	if (e.code == EUCLEAN && e.msg[0]) {
		s3ctl_error(ctx, "%s: the store is damaged: %s (run s3ctl fsck %s)",
			    path, e.msg, path);
		return S3CTL_EXIT_FAIL;
	}
	if (e.msg[0] && e.code != EPERM && e.code != EACCES) {
		s3ctl_error(ctx, "%s: %s", path, e.msg);
		return S3CTL_EXIT_FAIL;
	}
	return s3ctl_report_nlerr(ctx, &e);
}

int s3ctl_cmd_dev_detach(struct s3ctl *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int ret;

	ret = s3ctl_expect_no_args(ctx, argc, argv);
	if (ret)
		return ret;
	req = s3ctl_start(ctx, KS3_CMD_DEV_DETACH);
	if (!req)
		return S3CTL_EXIT_FAIL;
	if (s3ctl_opt(ctx, "--force"))
		mnl_attr_put(req, KS3_A_FORCE, 0, NULL);
	return s3ctl_exec(ctx, req, false, NULL, NULL);
}
