#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests for tools/vm/run, tools/vm/s3ctl and tools/kernel (the debug kernel
# checks run only if that kernel is already built, or always with
# KS3_SELFTEST_DEBUG=1, which builds it).  Prints "ok - name" /
# "not ok - name" per check and "N passed, M failed"; exits 1 on failure.
set -uo pipefail
{ # the whole body is parsed before it runs: editing this file cannot break a running instance

here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
project=$(cd "$here/../.." && pwd)
run=$here/run
pass=0
fail=0

ok() {
	echo "ok - $1"
	pass=$((pass + 1))
}
notok() {
	echo "not ok - $1"
	fail=$((fail + 1))
	shift
	[ $# -gt 0 ] && printf '#   %s\n' "$@"
	return 0
}
check() { # name, condition...
	local name=$1
	shift
	if "$@"; then ok "$name"; else notok "$name"; fi
}

st=$(mktemp -d "$project/var/selftest.XXXXXX" 2>/dev/null) || {
	mkdir -p "$project/var"
	st=$(mktemp -d "$project/var/selftest.XXXXXX")
}
tmp=$(mktemp -d)
bgpid=
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
	[ -n "$bgpid" ] && kill "$bgpid" 2>/dev/null && wait "$bgpid" 2>/dev/null
	rm -rf "$st" "$tmp"
}
trap cleanup EXIT

freeport() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

t0=$SECONDS

# ---- no boot needed -------------------------------------------------------
"$run" >/dev/null 2>&1
check "run without a command is a usage error (2)" [ $? = 2 ]
"$run" --bogus -- true >/dev/null 2>&1
check "run with an unknown option is a usage error (2)" [ $? = 2 ]

err=$(KS3_RUN_DIR=$st/none "$here/s3ctl" status 2>&1 >/dev/null)
rc=$?
check "s3ctl without a VM: exit 1" [ $rc = 1 ]
check "s3ctl without a VM: says so" [ "$err" = "ks3 is not running (start it with make run)" ]

# ---- boot 1 (stock): many checks in one guest, with port forward + ctl ----
port=$(freeport)
cat >"$st/guest.sh" <<'GUEST'
st=$1
echo hello
echo to-stderr >&2
echo "cwd=$PWD"
echo "in_vm=${KS3_IN_VM:-}"
echo "vda=$(($(cat /sys/block/vda/size) * 512))"
echo "vdb=$(($(cat /sys/block/vdb/size) * 512))"
if touch /usr/.ks3-ro-test 2>/dev/null; then echo "rootro=no"; else echo "rootro=yes"; fi
echo "written in the guest" >"$st/guest-wrote" && echo "projrw=yes"
echo "eth0=$(cat /sys/class/net/eth0/operstate 2>/dev/null)"
# one-shot HTTP server for the port-forward check
python3 - <<'PY' &
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        b = b"ks3-fwd-ok\n"
        self.send_response(200); self.send_header("Content-Length", str(len(b)))
        self.end_headers(); self.wfile.write(b)
    def log_message(self, *a): pass
http.server.HTTPServer(("0.0.0.0", 8080), H).handle_request()
PY
# stay up until the host has done its side (fwd + ctl), at most 90 s
for i in $(seq 1 450); do [ -e "$st/host-done" ] && break; sleep 0.2; done
echo "host-done=$([ -e "$st/host-done" ] && echo yes || echo no)"
exit 7
GUEST
cat >"$st/fake-s3ctl" <<'FAKE'
#!/bin/sh
echo "fake out: $# args: $*"
echo "fake err" >&2
[ "$1" = fail ] && exit 3
exit 0
FAKE
chmod +x "$st/fake-s3ctl"

s=$SECONDS
(cd "$project/tools" && exec "$run" --timeout 300 --fwd "$port:8080" \
	--disk "$tmp/a.img:64M" --disk "$tmp/b.img:32M" --ctl "$st/ctl" \
	--log "$tmp/boot1.log" -- bash "$st/guest.sh" "$st") \
	>"$tmp/boot1.out" 2>"$tmp/boot1.err" &
bgpid=$!

# host side: port forward
body=
for _ in $(seq 1 120); do
	body=$(curl -s --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null) && [ -n "$body" ] && break
	sleep 0.5
done
check "port forward 127.0.0.1:$port -> guest :8080" [ "$body" = "ks3-fwd-ok" ]

# host side: s3ctl mailbox
export KS3_RUN_DIR=$st KS3_S3CTL=$st/fake-s3ctl
out=$("$here/s3ctl" one "two words" 2>"$tmp/ctl.err")
rc=$?
check "s3ctl round trip: exit status" [ $rc = 0 ]
check "s3ctl round trip: stdout and argv" [ "$out" = "fake out: 2 args: one two words" ]
check "s3ctl round trip: stderr" [ "$(cat "$tmp/ctl.err")" = "fake err" ]
"$here/s3ctl" fail >/dev/null 2>&1
check "s3ctl round trip: nonzero status (3)" [ $? = 3 ]
left=$(find "$st/ctl" -name '*.req' -o -name '*.out' -o -name '*.err' -o -name '*.rc' | wc -l)
check "s3ctl leaves no request files" [ "$left" = 0 ]
unset KS3_RUN_DIR KS3_S3CTL
touch "$st/host-done"

wait "$bgpid"
rc=$?
bgpid=
boot1=$((SECONDS - s))
out=$(cat "$tmp/boot1.out")
check "exit status propagates (7)" [ $rc = 7 ] || sed 's/^/#   /' "$tmp/boot1.err"
check "stdout passthrough" grep -qx hello "$tmp/boot1.out"
check "stderr passthrough" grep -qx to-stderr "$tmp/boot1.err"
check "guest cwd follows the host cwd (tools/)" grep -qx "cwd=$project/tools" "$tmp/boot1.out"
check "KS3_IN_VM=1" grep -qx "in_vm=1" "$tmp/boot1.out"
check "--disk 64M is /dev/vda with 64 MiB" grep -qx "vda=67108864" "$tmp/boot1.out"
check "--disk 32M is /dev/vdb with 32 MiB" grep -qx "vdb=33554432" "$tmp/boot1.out"
check "host / is read-only in the guest" grep -qx "rootro=yes" "$tmp/boot1.out"
check "project tree is writable from the guest" \
	[ "$(cat "$st/guest-wrote" 2>/dev/null)" = "written in the guest" ]
check "guest saw the host's signal through the project tree" grep -qx "host-done=yes" "$tmp/boot1.out"
check "console log written" grep -q "KS3_VM_EXIT=7" "$tmp/boot1.log"
check "vm.pid removed after the run" [ ! -e "$st/vm.pid" ]

# ---- boot 2 (stock): true -> 0, default scratch disk ----------------------
s=$SECONDS
# shellcheck disable=SC2016 # expanded in the guest
out=$("$run" --timeout 300 -- 'true && echo "vda=$(($(cat /sys/block/vda/size) * 512))"' 2>"$tmp/boot2.err")
rc=$?
boot2=$((SECONDS - s))
check "true -> exit 0" [ $rc = 0 ] || sed 's/^/#   /' "$tmp/boot2.err"
check "default scratch disk is a 1 GiB /dev/vda" [ "$out" = "vda=1073741824" ]

# ---- timeout ---------------------------------------------------------------
s=$SECONDS
TMPDIR=$tmp "$run" --timeout 4 -- sleep 600 >/dev/null 2>"$tmp/to.err"
rc=$?
check "timeout -> exit 124" [ $rc = 124 ]
check "timeout is enforced promptly" [ $((SECONDS - s)) -lt 30 ]
check "timeout reports the console log" grep -q "timeout after 4s" "$tmp/to.err"
check "no QEMU left behind" [ -z "$(pgrep -f "$tmp/ks3-vm" || true)" ]

# ---- debug kernel -----------------------------------------------------------
boot3=
dbg=$("$project/tools/kernel/build.sh" --print-path --no-build 2>/dev/null || true)
if [ -n "$dbg" ] || [ "${KS3_SELFTEST_DEBUG:-0}" = 1 ]; then
	s=$SECONDS
	out=$("$run" --kernel debug --timeout 400 -- \
		'uname -r; [ -d /sys/kernel/debug/kunit ] && echo kunit=yes; [ -e /sys/kernel/debug/kmemleak ] && echo kmemleak=yes' \
		2>"$tmp/boot3.err")
	rc=$?
	boot3=$((SECONDS - s))
	check "debug kernel boots (exit 0)" [ $rc = 0 ] || sed 's/^/#   /' "$tmp/boot3.err"
	check "debug kernel uname -r is 6.1.x" grep -qE '^6\.1\.[0-9]+$' <<<"$out"
	check "debug kernel has /sys/kernel/debug/kunit" grep -qx kunit=yes <<<"$out"
	check "debug kernel has /sys/kernel/debug/kmemleak" grep -qx kmemleak=yes <<<"$out"
else
	echo "# debug kernel not built: skipping its checks (tools/kernel/build.sh)"
fi

echo "# boot times (wall, s): stock+checks=$boot1 stock-true=$boot2${boot3:+ debug=$boot3} total=$((SECONDS - t0))"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
exit
}
