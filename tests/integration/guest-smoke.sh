#!/bin/bash
# Runs inside the guest on Debian's stock kernel (tests/integration/run.sh):
# ks3.ko loads and unloads cleanly, s3ctl reaches it over generic netlink,
# and every refusal is a clear one. Prints ok/not ok lines and the summary.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
s3ctl=userland/s3ctl/s3ctl
tmp=$(mktemp -d)
dmesg -C

# expect_fail NAME REGEX COMMAND...: COMMAND exits 1 and says REGEX in one
# stderr line.
expect_fail() {
	local name=$1 regex=$2 rc
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	   grep -Eq "$regex" "$tmp/err"; then
		ok "$name"
	else
		not_ok "$name (exit $rc: $(head -c 300 "$tmp/err"))"
	fi
}

expect_fail "s3ctl status without the module: one clear line, exit 1" \
	"module is not loaded" $s3ctl status

load_deps module/ks3.ko
check "insmod ks3.ko" insmod module/ks3.ko
check "/dev/ks3 is a root-only character device" \
	bash -c '[ -c /dev/ks3 ] && [ "$(stat -c %a /dev/ks3)" = 600 ]'

check "s3ctl version" $s3ctl version
version=$(cat module/VERSION)
check "s3ctl version shows the module version and kernel release" \
	bash -c "$s3ctl version | grep -q '$version' && \
		 $s3ctl version | grep -qF '$(uname -r)'"
check "s3ctl status" $s3ctl status
check "s3ctl status: no device attached" \
	bash -c "$s3ctl status | grep -q 'no-device'"
check "s3ctl status -j is JSON with the module state" \
	bash -c "$s3ctl status -j | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s[\"state\"] == \"no-device\", s
assert s[\"version\"] == \"$version\", s
assert isinstance(s[\"uptime_ms\"], int), s
'"
check "s3ctl version -j is JSON" \
	bash -c "$s3ctl version -j | python3 -m json.tool >/dev/null"

expect_fail "s3ctl status as an unprivileged user: refused, exit 1" \
	"[Pp]ermission|CAP_NET_ADMIN|not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups $s3ctl status

check "/dev/ks3 refuses a second agent (EBUSY)" bash -c '
	exec 3<>/dev/ks3 || exit 1
	if (exec 4<>/dev/ks3) 2>/dev/null; then exit 1; fi
	exec 3>&-
	exec 4<>/dev/ks3'
check "/dev/ks3 refuses an unprivileged opener" bash -c '
	! setpriv --reuid=65534 --regid=65534 --clear-groups \
		bash -c "exec 3<>/dev/ks3" 2>/dev/null'

check "rmmod ks3" rmmod ks3
expect_fail "s3ctl status after rmmod: module is not loaded" \
	"module is not loaded" $s3ctl status
check "reload and unload again" bash -c "insmod module/ks3.ko && \
	$s3ctl status >/dev/null && rmmod ks3"

dmesg >"$tmp/dmesg"
check "no WARN/BUG/lockdep report in the kernel log" no_splats "$tmp/dmesg"
rm -rf "$tmp"
summary
