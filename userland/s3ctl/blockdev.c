// SPDX-License-Identifier: GPL-2.0
/*
 * Block devices and image files for dev format and fsck (see blockdev.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include "blockdev.h"

static int s3ctl_blockdev_fail(int err, char *msg, size_t len,
			       const char *what)
{
	snprintf(msg, len, "%s", what);
	return -err;
}

int s3ctl_blockdev_open(const char *path, bool write,
			struct s3ctl_blockdev *bd, char *msg, size_t len)
{
	int flags = (write ? O_RDWR : O_RDONLY) | O_CLOEXEC;
	struct stat st;
	int err, lbs;

	memset(bd, 0, sizeof(*bd));
	bd->fd = -1;
	if (stat(path, &st)) {
		err = errno;
		if (err == ENOENT)
			return s3ctl_blockdev_fail(err, msg, len,
						   "no such device or file");
		snprintf(msg, len, "cannot stat: %s", strerror(err));
		return -err;
	}
	if (S_ISBLK(st.st_mode)) {
		bd->is_bdev = true;
		/* Exclusive: fails while mounted, attached or being formatted. */
		flags |= O_EXCL;
	} else if (!S_ISREG(st.st_mode)) {
		return s3ctl_blockdev_fail(EINVAL, msg, len,
					   "not a block device or a regular file");
	}
	bd->fd = open(path, flags);
	if (bd->fd < 0) {
		err = errno;
		if (err == EBUSY)
			return s3ctl_blockdev_fail(err, msg, len,
				"device is in use (mounted, attached or opened exclusively)");
		if (err == EACCES || err == EPERM)
			return s3ctl_blockdev_fail(err, msg, len,
						   "permission denied");
		if (err == EROFS)
			return s3ctl_blockdev_fail(err, msg, len,
						   "the device is read-only");
		snprintf(msg, len, "cannot open: %s", strerror(err));
		return -err;
	}
	if (!bd->is_bdev) {
		bd->size = (uint64_t)st.st_size;
		bd->lbs = 512;
		return 0;
	}
	if (ioctl(bd->fd, BLKGETSIZE64, &bd->size) ||
	    ioctl(bd->fd, BLKSSZGET, &lbs)) {
		err = errno;
		snprintf(msg, len, "cannot get the device size: %s",
			 strerror(err));
		close(bd->fd);
		bd->fd = -1;
		return -err;
	}
	bd->lbs = (unsigned int)lbs;
	return 0;
}

int s3ctl_blockdev_close(struct s3ctl_blockdev *bd)
{
	int ret = 0;

	if (bd->fd >= 0 && close(bd->fd))
		ret = -errno;
	bd->fd = -1;
	return ret;
}

int s3ctl_pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

int s3ctl_pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}
