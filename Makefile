# SPDX-License-Identifier: GPL-2.0
#
# ks3 top-level Makefile.
#
#   make            build module/ks3.ko (against KDIR), userland/s3ctl, tools
#   make run        start ks3 in a VM (foreground; DETACH=1 to background)
#   make stop       stop a detached instance cleanly
#   make check      every test suite; ends with "N passed, M failed"
#   make check-large  5 GiB multipart round trip and the 5 GiB PUT limit
#                   through aws-cli in a stock-kernel guest (not in check)
#   make crash      crash testing through the real bio path: S3 load on
#                   dm-log-writes, >= 1000 crash points replayed and checked
#                   in a stock-kernel guest (CRASH_POINTS; docs/crash.md)
#   make lint       checkpatch --strict over module/, uapi/, tests/kunit/
#   make kunit      KUnit suites in the debug kernel (QEMU)
#   make unit       userland unit tests (ASan/UBSan)
#   make fuzz       libFuzzer targets (FUZZ_SECONDS per target)
#   make bench      storage benchmark in a stock-kernel guest (BENCH_OBJECTS)
#   make bench-uml  CPU per 4 KiB GET/PUT at native speed in User-Mode Linux
#                   (BENCH_UML_ARGS, e.g. "--profile"; not in check)
#   make bench-s3   ks3 vs nginx vs s3rver over S3 in one stock-kernel guest
#                   (BENCH_RUNS, BENCH_QUICK=1, BENCH_S3=list; docs/performance.md)
#
# Kbuild switches pass through: make W=1, make C=1 (sparse).

KDIR ?= $(shell tools/kdir.sh)
KS3_VERSION := $(shell cat module/VERSION)

export KS3_VERSION

.PHONY: all module userland tools clean lint check kunit unit fuzz run stop \
	deps help bench bench-s3 bench-s3-list bench-uml check-large crash

all: module userland tools

module:
	@test -n "$(KDIR)" || { echo "make: no kernel build tree found (install linux-headers-amd64 or set KDIR=)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

userland:
	$(MAKE) -C userland

tools:
	$(MAKE) -C tools/testing
	$(MAKE) -C tools/bench
	$(MAKE) -C tools/crash

lint:
	tools/lint.sh

unit:
	$(MAKE) -C tools/testing test

fuzz:
	$(MAKE) -C tools/testing fuzz

kunit:
	tests/kunit/run.sh

check:
	tests/check.sh

# A 16 GiB sparse guest disk holds the 5 GiB object; the host needs 5 GiB
# free for the source file.
check-large:
	KS3_S3_DISK_SIZE=$${KS3_S3_DISK_SIZE:-16G} \
	KS3_S3_SUITE_TIMEOUT=$${KS3_S3_SUITE_TIMEOUT:-10800} \
	KS3_VM_TIMEOUT=$${KS3_VM_TIMEOUT:-14400} \
	tests/integration/s3/run.sh --kernel stock large5g

# Crash points in all, over CRASH_ROUNDS rounds (each round starts from a
# crash image of the one before); KS3_CRASH_SEED reruns a given workload.
crash:
	tests/crash/run.sh --points $${CRASH_POINTS:-1000} \
		--rounds $${CRASH_ROUNDS:-2} --ops $${CRASH_OPS:-60}

bench:
	tools/bench/run.sh

bench-s3:
	tools/bench/run-s3.sh

bench-s3-list:
	BENCH_S3=list tools/bench/run-s3.sh

bench-uml:
	tools/bench/uml.sh $(BENCH_UML_ARGS)

run:
	tools/vm/serve

stop:
	tools/vm/serve --stop

deps:
	tools/deps.sh

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	$(MAKE) -C userland clean
	$(MAKE) -C tools/testing clean
	$(MAKE) -C tools/bench clean
	$(MAKE) -C tools/crash clean

help:
	@sed -n '3,24p' Makefile | sed 's/^# \{0,1\}//'
