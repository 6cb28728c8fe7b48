// SPDX-License-Identifier: GPL-2.0
/*
 * `s3ctl dev format` on image files (userland/s3ctl/cmd_dev.c, disk.c):
 * what it writes (both superblock copies as the module checks them, a
 * zeroed first journal block), and what it refuses without --force:
 * filesystems and partition tables libblkid recognises (fake ext4, XFS
 * and DOS signatures built here), a ks3 store, too small an image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <jansson.h>

#include "capture.h"
#include "disk.h"
#include "output.h"
#include "s3ctl.h"
#include "storage/super.h"
#include <asm/byteorder.h>
#include "unit.h"

struct result {
	int status;
	struct capture out, err;
};

static void run_argv(struct result *r, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	r->status = s3ctl_main(argc, argv, capture_start(&r->out),
			       capture_start(&r->err));
	capture_text(&r->out);
	capture_text(&r->err);
}

static void result_free(struct result *r)
{
	capture_free(&r->out);
	capture_free(&r->err);
}

#define RUN(r, ...) run_argv(r, (char *[]){ "s3ctl", __VA_ARGS__, NULL })

/* A temporary image of @size bytes, zero or with @init applied. */
static char *image(uint64_t size, void (*init)(uint8_t *buf))
{
	static char path[64];
	uint8_t *buf = calloc(1, 1 << 20);
	int fd;

	snprintf(path, sizeof(path), "/tmp/ks3-format-test.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || !buf || ftruncate(fd, (off_t)size))
		abort();
	if (init) {
		init(buf);
		if (pwrite(fd, buf, 1 << 20, 0) != 1 << 20)
			abort();
	}
	close(fd);
	free(buf);
	return path;
}

static void read_at(const char *path, void *buf, size_t len, off_t off)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0 || pread(fd, buf, len, off) != (ssize_t)len)
		abort();
	close(fd);
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v & 0xffff);
	put_le16(p + 2, v >> 16);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v & 0xffff);
}

/* The ext4 superblock fields libblkid's ext prober reads. */
static void fake_ext4(uint8_t *b)
{
	uint8_t *sb = b + 1024;

	put_le32(sb + 0x00, 2048);		/* inodes */
	put_le32(sb + 0x04, 8192);		/* blocks */
	put_le16(sb + 0x38, 0xef53);		/* magic */
	put_le32(sb + 0x4c, 1);			/* dynamic revision */
	put_le32(sb + 0x5c, 0x4);		/* has_journal */
	put_le32(sb + 0x60, 0x2 | 0x40);	/* filetype, extents */
}

/* A version 4 XFS superblock that passes libblkid's checks. */
static void fake_xfs(uint8_t *b)
{
	memcpy(b, "XFSB", 4);
	put_be32(b + 4, 4096);			/* blocksize */
	put_be32(b + 12, 2048);			/* dblocks (low half) */
	put_be32(b + 80, 1);			/* rextsize */
	put_be32(b + 84, 512);			/* agblocks */
	put_be32(b + 88, 4);			/* agcount */
	put_be16(b + 100, 4);			/* versionnum */
	put_be16(b + 102, 512);			/* sectsize */
	put_be16(b + 104, 512);			/* inodesize */
	put_be16(b + 106, 8);			/* inopblock */
	b[120] = 12;				/* blocklog */
	b[121] = 9;				/* sectlog */
	b[122] = 9;				/* inodelog */
	b[123] = 3;				/* inopblog */
	b[124] = 9;				/* agblklog */
	b[127] = 25;				/* imax_pct */
}

/* An MBR with one Linux partition. */
static void fake_dos(uint8_t *b)
{
	b[446 + 4] = 0x83;
	put_le32(b + 446 + 8, 2048);
	put_le32(b + 446 + 12, 4096);
	b[510] = 0x55;
	b[511] = 0xaa;
}

/* Checks @path holds a fresh store; returns its uuid in @uuid. */
static void expect_store(const char *path, uint64_t size, uint8_t uuid[16])
{
	static uint8_t blocks[3 * S3CTL_BLOCK_SIZE];
	static const uint8_t zero[S3CTL_BLOCK_SIZE];
	enum ks3_super_verdict v0, v1;
	const struct ks3_disk_super *sb;
	struct ks3_layout l0, l1;
	const char *why;

	read_at(path, blocks, sizeof(blocks), 0);
	v0 = ks3_super_check(blocks, size / S3CTL_BLOCK_SIZE, &l0, &why);
	v1 = ks3_super_check(blocks + S3CTL_BLOCK_SIZE,
			     size / S3CTL_BLOCK_SIZE, &l1, &why);
	EXPECT_EQ(v0, KS3_SUPER_OK);
	EXPECT_EQ(v1, KS3_SUPER_OK);
	EXPECT_MEMEQ(blocks, blocks + S3CTL_BLOCK_SIZE, S3CTL_BLOCK_SIZE);
	sb = (const void *)blocks;
	EXPECT_EQ(le64_to_cpu(sb->total_blocks), size / S3CTL_BLOCK_SIZE);
	EXPECT_EQ(le64_to_cpu(sb->generation), 1);
	EXPECT_EQ(le32_to_cpu(sb->ckpt_slot), KS3_NO_CHECKPOINT);
	EXPECT_EQ(le64_to_cpu(sb->replay_seq), 1);
	/* version 4, RFC 4122 variant */
	EXPECT_EQ(sb->uuid[6] >> 4, 4);
	EXPECT_EQ(sb->uuid[8] >> 6, 2);
	/* the first journal block, where replay starts, is zero */
	EXPECT_MEMEQ(blocks + 2 * S3CTL_BLOCK_SIZE, zero, sizeof(zero));
	memcpy(uuid, sb->uuid, 16);
}

TEST(format_writes_both_copies_and_prints_the_layout)
{
	char *path = image(64 << 20, NULL);
	json_error_t jerr;
	struct result r;
	uint8_t uuid[16];
	char text[37];
	json_t *j;

	RUN(&r, "dev", "format", path, "-j");
	EXPECT_EQ(r.status, S3CTL_EXIT_OK);
	EXPECT_STREQ(r.err.buf, "");
	expect_store(path, 64 << 20, uuid);
	j = json_loads(r.out.buf, 0, &jerr);
	ASSERT_NOT_NULL(j);
	s3ctl_format_uuid(text, uuid);
	EXPECT_STREQ(json_string_value(json_object_get(j, "uuid")), text);
	EXPECT_STREQ(json_string_value(json_object_get(j, "device")), path);
	EXPECT_EQ(json_integer_value(json_object_get(j, "total_bytes")),
		  64 << 20);
	EXPECT_EQ(json_integer_value(json_object_get(j, "journal_bytes")),
		  256 * 4096);
	EXPECT_EQ(json_integer_value(json_object_get(j, "format_version")), 1);
	json_decref(j);
	result_free(&r);

	/* Human form: the same facts, one per line. */
	RUN(&r, "dev", "format", "--force", path);
	EXPECT_EQ(r.status, S3CTL_EXIT_OK);
	EXPECT_NOT_NULL(strstr(r.out.buf, "size:           64.0 MiB\n"));
	EXPECT_NOT_NULL(strstr(r.out.buf, "checkpoints:    2.0 MiB x 2\n"));
	result_free(&r);
	unlink(path);
}

TEST(format_refuses_a_ks3_store_unless_forced)
{
	char *path = image(8 << 20, NULL), want[256], text[37];
	uint8_t uuid[16], uuid2[16];
	struct result r;

	RUN(&r, "dev", "format", path);
	ASSERT_EQ(r.status, S3CTL_EXIT_OK);
	result_free(&r);
	expect_store(path, 8 << 20, uuid);

	RUN(&r, "dev", "format", path);
	s3ctl_format_uuid(text, uuid);
	snprintf(want, sizeof(want),
		 "s3ctl: dev format: %s holds a ks3 store (uuid %s); use --force to overwrite it\n",
		 path, text);
	EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
	EXPECT_STREQ(r.out.buf, "");
	EXPECT_STREQ(r.err.buf, want);
	result_free(&r);

	RUN(&r, "dev", "format", "--force", path);
	EXPECT_EQ(r.status, S3CTL_EXIT_OK);
	result_free(&r);
	expect_store(path, 8 << 20, uuid2);
	EXPECT_NE(memcmp(uuid, uuid2, 16), 0);
	unlink(path);
}

TEST(format_refuses_a_damaged_ks3_store_unless_forced)
{
	char *path = image(8 << 20, NULL);
	struct result r;
	uint8_t byte = 0xff;
	int fd;

	RUN(&r, "dev", "format", path);
	ASSERT_EQ(r.status, S3CTL_EXIT_OK);
	result_free(&r);
	/* damage both copies' uuid: the crcs no longer match */
	fd = open(path, O_WRONLY);
	ASSERT_TRUE(fd >= 0);
	EXPECT_EQ(pwrite(fd, &byte, 1, 40), 1);
	EXPECT_EQ(pwrite(fd, &byte, 1, 4096 + 40), 1);
	close(fd);
	RUN(&r, "dev", "format", path);
	EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
	EXPECT_NOT_NULL(strstr(r.err.buf,
		"holds a ks3 store that cannot be attached (superblock checksum mismatch); use --force"));
	result_free(&r);
	unlink(path);
}

static void expect_signature_refused(void (*init)(uint8_t *buf),
				     const char *what)
{
	char *path = image(16 << 20, init), want[256];
	uint8_t uuid[16];
	struct result r;

	RUN(&r, "dev", "format", path);
	snprintf(want, sizeof(want),
		 "s3ctl: dev format: %s holds %s; use --force to overwrite it\n",
		 path, what);
	EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
	EXPECT_STREQ(r.out.buf, "");
	EXPECT_STREQ(r.err.buf, want);
	result_free(&r);

	/* --force wipes the signature and formats */
	RUN(&r, "dev", "format", "--force", path);
	EXPECT_EQ(r.status, S3CTL_EXIT_OK);
	EXPECT_STREQ(r.err.buf, "");
	result_free(&r);
	expect_store(path, 16 << 20, uuid);
	/* nothing of the old signature is left for libblkid to find */
	RUN(&r, "dev", "format", path);
	EXPECT_NOT_NULL(strstr(r.err.buf, "holds a ks3 store"));
	result_free(&r);
	unlink(path);
}

TEST(format_refuses_ext4)
{
	expect_signature_refused(fake_ext4, "a ext4 filesystem");
}

TEST(format_refuses_xfs)
{
	expect_signature_refused(fake_xfs, "a xfs filesystem");
}

TEST(format_refuses_a_partition_table)
{
	expect_signature_refused(fake_dos, "a dos partition table");
}

TEST(format_refuses_too_small_an_image)
{
	char *path = image((4 << 20) - 4096, NULL), want[160];
	struct result r;

	RUN(&r, "dev", "format", "--force", path);
	snprintf(want, sizeof(want),
		 "s3ctl: dev format: %s is too small: a store needs at least 4 MiB\n",
		 path);
	EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
	EXPECT_STREQ(r.err.buf, want);
	result_free(&r);
	unlink(path);

	/* exactly 4 MiB is enough */
	path = image(4 << 20, NULL);
	RUN(&r, "dev", "format", path);
	EXPECT_EQ(r.status, S3CTL_EXIT_OK);
	result_free(&r);
	unlink(path);
}

TEST(format_usage_and_open_errors)
{
	struct result r;

	RUN(&r, "dev", "format");
	EXPECT_EQ(r.status, S3CTL_EXIT_USAGE);
	EXPECT_STREQ(r.err.buf, "s3ctl: dev format: missing DEV\n");
	result_free(&r);

	RUN(&r, "dev", "format", "/nonexistent/ks3.img");
	EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
	EXPECT_STREQ(r.err.buf,
		     "s3ctl: dev format: /nonexistent/ks3.img: no such device or file\n");
	result_free(&r);

	RUN(&r, "dev", "format", "/tmp");
	EXPECT_EQ(r.status, S3CTL_EXIT_FAIL);
	EXPECT_STREQ(r.err.buf,
		     "s3ctl: dev format: /tmp: not a block device or a regular file\n");
	result_free(&r);

	RUN(&r, "dev", "format", "--force=yes", "x");
	EXPECT_EQ(r.status, S3CTL_EXIT_USAGE);
	EXPECT_STREQ(r.err.buf,
		     "s3ctl: dev format: option '--force' takes no value\n");
	result_free(&r);

	RUN(&r, "dev", "format", "--force", "--force", "x");
	EXPECT_EQ(r.status, S3CTL_EXIT_USAGE);
	EXPECT_STREQ(r.err.buf,
		     "s3ctl: dev format: option '--force' given twice\n");
	result_free(&r);
}

TEST(disk_probe_and_layout)
{
	static uint8_t blocks[2 * S3CTL_BLOCK_SIZE];
	uint8_t uuid[16] = { 1, 2, 3 }, got[16];
	struct s3ctl_layout l;
	const char *why = NULL;

	EXPECT_EQ(s3ctl_disk_format(s3ctl_disk_min_bytes() - 1, uuid, 0,
				    blocks, &l), -ENOSPC);
	EXPECT_EQ(s3ctl_disk_probe(blocks, 8 << 20, got, &why),
		  S3CTL_DISK_OTHER);
	ASSERT_EQ(s3ctl_disk_format(8 << 20, uuid, 0, blocks, &l), 0);
	EXPECT_EQ(l.total_blocks, 2048);
	EXPECT_EQ(l.journal_start, 2);
	EXPECT_EQ(l.data_start + l.data_blocks, l.total_blocks);
	memcpy(blocks + S3CTL_BLOCK_SIZE, blocks, S3CTL_BLOCK_SIZE);
	EXPECT_EQ(s3ctl_disk_probe(blocks, 8 << 20, got, &why), S3CTL_DISK_KS3);
	EXPECT_MEMEQ(got, uuid, 16);
	/* the device shrank: a ks3 store, but not one ks3 attaches */
	EXPECT_EQ(s3ctl_disk_probe(blocks, 4 << 20, got, &why),
		  S3CTL_DISK_KS3_UNUSABLE);
	EXPECT_STREQ(why, "the device is smaller than the store (truncated?)");
}
