#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Crash testing of the whole module on Debian's stock kernel, through the
# real bio path: ks3's store on dm-log-writes, S3 load from boto3, every
# flush/FUA point and random points between replayed and checked
# (tests/crash/crash.py; docs/crash.md).
#
#   tests/crash/run.sh [--points N] [--rounds R] [--ops N] [--workers N]
#
# `make crash` runs 1000 points; `make check` a short sample (--points 8).
# KS3_CRASH_SEED picks the workload and the points (default: random,
# printed). Ends with `N passed, M failed`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=$top/var/crash
rm -rf "$out"
mkdir -p "$out"

make -s module userland >&2
make -s -C tools/crash >&2

seed=${KS3_CRASH_SEED:-$((RANDOM * 32768 + RANDOM))}
rc=0
# vda: the store (80 MiB: a small journal, so checkpoints and journal wrap
# happen under load), vdb: the dm-log-writes log.
tools/vm/run --kernel stock --mem 3072 --timeout "${KS3_VM_TIMEOUT:-14400}" \
	--disk "$out/data.img:80M" --disk "$out/log.img:4G" \
	--log "$out/console.log" -- \
	tests/crash/guest.sh module/ks3.ko /dev/vda /dev/vdb "$out" \
	--seed "$seed" "$@" 2>&1 | tee "$out/guest.out" || rc=$?
rm -f "$out/data.img" "$out/log.img"
if ! tail -n 1 "$out/guest.out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
	echo "not ok - the crash guest ran to completion (exit $rc, log: $out/console.log)"
	echo "0 passed, 1 failed"
	exit 1
fi
exit $rc
