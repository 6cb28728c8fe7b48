# SPDX-License-Identifier: GPL-2.0
#
# How s3ctl is compiled, shared by userland/Makefile (the binary) and
# tools/testing/Makefile (unit tests and fuzz targets). Needs TOP, the
# repository root.

PKG_CONFIG ?= pkg-config
KS3_VERSION := $(shell cat $(TOP)/module/VERSION 2>/dev/null || echo unknown)

S3CTL_DIR := $(TOP)/userland/s3ctl
S3CTL_PKGS := libmnl jansson blkid liburing
S3CTL_LIBS := $(or $(shell $(PKG_CONFIG) --libs $(S3CTL_PKGS) 2>/dev/null),-lmnl -ljansson -lblkid -luring)
S3CTL_PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(S3CTL_PKGS) 2>/dev/null)
# -I uapi first: <linux/ks3.h> is the repository's, not an installed one.
S3CTL_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-I$(TOP)/uapi $(S3CTL_PKG_CFLAGS) -DKS3_VERSION='"$(KS3_VERSION)"'

# The on-disk format comes from the module itself: these module files are
# linked into s3ctl, compiled unchanged against the shims of tools/testing
# (as the unit tests compile them), and so are the s3ctl files that use
# them (S3CTL_DISK_SRCS: they include module headers).
S3CTL_MOD_SRCS := $(addprefix $(TOP)/module/storage/,\
	bucket_name.c op.c record.c super.c)
S3CTL_DISK_SRCS := $(S3CTL_DIR)/disk.c $(S3CTL_DIR)/fsck.c
S3CTL_DISK_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-I$(TOP)/tools/testing/include -I$(TOP)/uapi -I$(TOP)/module \
	$(S3CTL_PKG_CFLAGS) -DKS3_VERSION='"$(KS3_VERSION)"' \
	-DKBUILD_MODNAME='"ks3"'
# The flags for s3ctl source $(1).
s3ctl_cflags = $(if $(filter $(S3CTL_DISK_SRCS),$(1)),$(S3CTL_DISK_CFLAGS),$(S3CTL_CFLAGS))

# Everything but main.c, which the tests replace with their own main().
S3CTL_LIB_SRCS := $(filter-out $(S3CTL_DIR)/main.c,$(wildcard $(S3CTL_DIR)/*.c))
S3CTL_HDRS := $(wildcard $(S3CTL_DIR)/*.h) $(TOP)/uapi/linux/ks3.h \
	$(TOP)/uapi/linux/ks3_disk.h $(TOP)/module/VERSION \
	$(wildcard $(TOP)/module/storage/*.h) \
	$(TOP)/tools/testing/include/linux/crc32c.h
