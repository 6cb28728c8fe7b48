# SPDX-License-Identifier: GPL-2.0
#
# How s3ctl is compiled, shared by userland/Makefile (the binary) and
# tools/testing/Makefile (unit tests and fuzz targets). Needs TOP, the
# repository root.

PKG_CONFIG ?= pkg-config
KS3_VERSION := $(shell cat $(TOP)/module/VERSION 2>/dev/null || echo unknown)

S3CTL_DIR := $(TOP)/userland/s3ctl
S3CTL_LIBS := $(or $(shell $(PKG_CONFIG) --libs libmnl jansson 2>/dev/null),-lmnl -ljansson)
# -I uapi first: <linux/ks3.h> is the repository's, not an installed one.
S3CTL_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
	-I$(TOP)/uapi $(shell $(PKG_CONFIG) --cflags libmnl jansson 2>/dev/null) \
	-DKS3_VERSION='"$(KS3_VERSION)"'
# Everything but main.c, which the tests replace with their own main().
S3CTL_LIB_SRCS := $(filter-out $(S3CTL_DIR)/main.c,$(wildcard $(S3CTL_DIR)/*.c))
S3CTL_HDRS := $(wildcard $(S3CTL_DIR)/*.h) $(TOP)/uapi/linux/ks3.h $(TOP)/module/VERSION
