/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Opening what s3ctl formats or checks: a block device, opened
 * exclusively (as the kernel does when it attaches one, so neither can
 * happen while the other is under way), or a regular file holding an
 * image.
 */
#ifndef S3CTL_BLOCKDEV_H
#define S3CTL_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct s3ctl_blockdev {
	int fd;
	bool is_bdev;		/* else a regular file */
	uint64_t size;		/* bytes */
	unsigned int lbs;	/* logical block size; 512 for a file */
};

/*
 * Opens @path read-write (@write) or read-only. Returns 0, or -errno with
 * a sentence in @msg: "device is in use" for EBUSY, and so on.
 */
int s3ctl_blockdev_open(const char *path, bool write,
			struct s3ctl_blockdev *bd, char *msg, size_t len);
int s3ctl_blockdev_close(struct s3ctl_blockdev *bd);

/* pread()/pwrite() of exactly @len bytes: 0, or -errno (-EIO if short). */
int s3ctl_pread_all(int fd, void *buf, size_t len, uint64_t off);
int s3ctl_pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

#endif /* S3CTL_BLOCKDEV_H */
