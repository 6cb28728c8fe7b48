#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench-s3: ks3, nginx and s3rver on the same workloads in ONE boot of
# Debian's stock kernel (2 vCPUs, QEMU), each on the same kind of virtio
# disk (ks3 raw on vda, nginx and s3rver on ext4 on vdb and vdc), with
# tools/bench/s3bench running in the guest against 127.0.0.1. Prints one
# table (medians over BENCH_RUNS) and writes var/bench/s3-results.json.
# Under TCG only ratios within one boot mean anything. See docs/performance.md.
#
#   BENCH_RUNS      repeats of the whole set in the boot (default 1; medians)
#   BENCH_DURATION  seconds per row (default 8; rows of 16 MiB objects
#                   run BENCH_LARGE_DURATION, default 3x that)
#   BENCH_QUICK=1   smoke test: 4 KiB and 1 MiB GET, 4 KiB PUT, 16
#                   connections, 3 s rows
#   BENCH_TARGETS   subset of "ks3 nginx s3rver"
#   BENCH_CONNS     connection counts (default "16 64")
#   BENCH_S3=list   LIST at scale instead (ks3 only): fill a bucket with
#                   BENCH_LIST_OBJECTS (default 1000000) objects of
#                   BENCH_LIST_SIZE bytes (default 0) over
#                   BENCH_LIST_FILL_CONNS (default 128) connections, then
#                   ListObjectsV2 pages of 1000 keys: plain, with a prefix,
#                   with a delimiter; results in var/bench/s3-list-results.json
set -euo pipefail
{ # parsed whole before it runs: editing this file cannot break a running instance
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=$top/var/bench/s3
rm -rf "$out"
mkdir -p "$out"

mode=${BENCH_S3:-s3}
case $mode in
s3|list) ;;
*) echo "run-s3.sh: BENCH_S3 must be empty or list" >&2; exit 2 ;;
esac

make -s module userland >"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
make -s -C tools/bench >>"$out/build.log" 2>&1 || { cat "$out/build.log"; exit 1; }
if [ "$mode" = s3 ] && [[ " ${BENCH_TARGETS:-s3rver} " == *" s3rver "* ]] &&
   [ ! -f tools/bench/s3rver/node_modules/s3rver/bin/s3rver.js ]; then
	echo "run-s3.sh: s3rver is not installed: run tools/deps.sh" >&2
	exit 1
fi
command -v nginx >/dev/null || { echo "run-s3.sh: nginx is missing: run tools/deps.sh" >&2; exit 1; }

if [ "${BENCH_QUICK:-0}" = 1 ]; then
	get_sizes="4096 1048576" put_sizes=4096 conns=${BENCH_CONNS:-16}
	duration=${BENCH_DURATION:-3}
else
	get_sizes="4096 65536 1048576 16777216" put_sizes="4096 1048576"
	conns=${BENCH_CONNS:-16 64} duration=${BENCH_DURATION:-8}
fi
runs=${BENCH_RUNS:-1}
cat >"$out/env" <<EOT
TOP=$top
OUT=$out
KO=$top/module/ks3.ko
S3BENCH=$top/tools/bench/build/s3bench
BENCH_S3=$mode
BENCH_TARGETS="${BENCH_TARGETS:-ks3 nginx s3rver}"
BENCH_RUNS=$runs
BENCH_DURATION=$duration
BENCH_LARGE_DURATION=${BENCH_LARGE_DURATION:-$((duration * 3))}
BENCH_GET_SIZES="$get_sizes"
BENCH_PUT_SIZES="$put_sizes"
BENCH_CONNS="$conns"
BENCH_GET_OBJECTS=${BENCH_GET_OBJECTS:-256}
BENCH_PUT_OBJECTS=${BENCH_PUT_OBJECTS:-256}
BENCH_LIST_OBJECTS=${BENCH_LIST_OBJECTS:-1000000}
BENCH_LIST_SIZE=${BENCH_LIST_SIZE:-0}
BENCH_LIST_FILL_CONNS=${BENCH_LIST_FILL_CONNS:-128}
BENCH_LIST_CONNS="${BENCH_LIST_CONNS:-1 16}"
EOT

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- module 2>/dev/null || commit="$commit+dirty"
start=$(date -u +%FT%TZ)
echo "bench-s3: $mode on $commit, $runs run(s) of ${duration}s rows (guest log: $out/console.log)" >&2
# One disk size for all three; sparse, fresh every time.
disk=${BENCH_DISK_SIZE:-8G}
rc=0
disks=(--disk "$out/ks3.img:$disk")
[ "$mode" = list ] ||
	disks+=(--disk "$out/nginx.img:$disk" --disk "$out/s3rver.img:$disk")
tools/vm/run --kernel stock --cpus 2 --mem "${BENCH_MEM:-4096}" "${disks[@]}" \
	--timeout "${BENCH_TIMEOUT:-5400}" --log "$out/console.log" \
	-- tools/bench/guest-s3.sh "$out/env" || rc=$?
rm -f "$out"/*.img
[ -s "$out/rows.jsonl" ] || { echo "bench-s3: no results (exit $rc)" >&2; exit 1; }
if [ "$mode" = list ]; then
	json=$top/var/bench/s3-list-results.json
else
	json=$top/var/bench/s3-results.json
fi
python3 tools/bench/s3-report.py "$out/rows.jsonl" "$json" \
	date="$start" commit="$commit" kernel="$(ls /boot/vmlinuz-6.1.* | sort -V | tail -n1 | sed 's|.*/vmlinuz-||')" \
	duration_s="$duration" accel="${KS3_ACCEL:-auto}" | tee "$out/table.txt"
exit $rc
}
