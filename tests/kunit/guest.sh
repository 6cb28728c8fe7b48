#!/bin/bash
# Runs inside the debug-kernel guest (tests/kunit/run.sh boots it):
#   guest.sh OUT KS3_KO TEST_KO SELFTEST_KO
# Loads and unloads ks3.ko, runs the KUnit suites in TEST_KO, then the
# runner self-test, saving debugfs results, kmemleak and kernel logs in OUT
# for the host to judge. Exit status only reports whether the steps ran.
set -uo pipefail
out=$1 ks3_ko=$2 test_ko=$3 selftest_ko=$4
dbg=/sys/kernel/debug
mkdir -p "$out/results" "$out/selftest"

step() { echo "$1" >>"$out/steps"; }

kmemleak_scan() {
	[ -w $dbg/kmemleak ] || return 0
	# Objects younger than 5 s are never reported: let them age.
	sleep 6
	echo scan >$dbg/kmemleak
	echo scan >$dbg/kmemleak
	cat $dbg/kmemleak >"$1"
}

: >"$out/steps"
[ -w $dbg/kmemleak ] && echo clear >$dbg/kmemleak
dmesg -C

# ks3.ko itself: load, answer over netlink, unload, leak nothing.
if insmod "$ks3_ko"; then
	step "insmod ks3: ok"
	if userland/s3ctl/s3ctl status >"$out/status.txt" 2>&1; then
		step "s3ctl status: ok"
	else
		step "s3ctl status: failed"
	fi
	if rmmod ks3; then step "rmmod ks3: ok"; else step "rmmod ks3: failed"; fi
else
	step "insmod ks3: failed"
fi

if insmod "$test_ko"; then
	step "insmod ks3_test: ok"
	for d in $dbg/kunit/*/; do
		suite=$(basename "$d")
		cp "$d/results" "$out/results/$suite" 2>/dev/null
	done
	rmmod ks3_test || step "rmmod ks3_test: failed"
else
	step "insmod ks3_test: failed"
fi
kmemleak_scan "$out/kmemleak.txt"
dmesg >"$out/dmesg.txt"

# The runner self-test: a suite that must fail and a KASAN report.
dmesg -C
if insmod "$selftest_ko"; then
	step "insmod selftest: ok"
	cp $dbg/kunit/ks3_runner_selftest/results "$out/selftest/results" \
		2>/dev/null
	rmmod ks3_kunit_selftest
else
	step "insmod selftest: failed"
fi
dmesg >"$out/selftest/dmesg.txt"
exit 0
