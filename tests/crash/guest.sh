#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the stock-kernel guest for tests/crash/run.sh:
#   guest.sh KS3_KO DATA_DEV LOG_DEV OUT [crash.py options...]
# Loads ks3 and dm-log-writes, runs tests/crash/crash.py (ok/not ok lines
# and its summary), then fails on any kernel report (WARN, BUG, KASAN,
# lockdep...) in the guest's log and prints the final summary.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/lib.sh
ko=$1 data=$2 logdev=$3 out=$4
shift 4
dmesg -C
load_deps "$ko"
modprobe loop 2>/dev/null
check "modprobe dm-log-writes" modprobe dm-log-writes
check "insmod ks3.ko" insmod "$ko"
python3 tests/crash/crash.py --data-dev "$data" --log-dev "$logdev" --out "$out" "$@" |
	tee "$out/crash.out"
# crash.py's own summary line, folded into ours
last=$(sed -n 's/^# crash.py: \([0-9]* passed, [0-9]* failed\)$/\1/p' "$out/crash.out" |
	tail -n 1)
if [ -n "$last" ]; then
	ks3_passed=$((ks3_passed + ${last%% passed*}))
	f=${last#*, }
	ks3_failed=$((ks3_failed + ${f%% failed}))
else
	not_ok "crash.py ended without a summary"
fi
check "rmmod ks3" rmmod ks3
dmesg >"$out/dmesg.txt"
check "no WARN/BUG/KASAN/lockdep report in the kernel log" no_splats "$out/dmesg.txt"
summary
