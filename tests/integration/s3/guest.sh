#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest for tests/integration/s3/run.sh:
#   guest.sh CTL KS3_KO GUEST_PORT
# Loads ks3, formats and attaches /dev/vda, opens a listener on
# 0.0.0.0:GUEST_PORT, creates an admin key and a limited key, and publishes
# them in CTL/ready (shell assignments); a step that fails is named in
# CTL/failed instead. Then waits for CTL/stop (s3ctl requests from the host
# go through the --ctl mailbox meanwhile), unloads ks3 and, on a kernel
# with kmemleak, leaves a scan in CTL/kmemleak. Exit 0 only if the unload
# succeeded.
set -uo pipefail
ctl=$1 ko=$2 port=$3
s3ctl=userland/s3ctl/s3ctl
dbg=/sys/kernel/debug

fail() {
	{ echo "$1"; cat "$ctl/.step.err" 2>/dev/null; } >"$ctl/.failed.tmp"
	mv "$ctl/.failed.tmp" "$ctl/failed"
}

# step NAME COMMAND...: runs COMMAND, stdout to .step.out; on failure
# publishes NAME and its stderr in CTL/failed.
step() {
	local name=$1
	shift
	"$@" >"$ctl/.step.out" 2>"$ctl/.step.err" && return 0
	fail "$name failed (exit $?)"
	return 1
}

# key_json FIELD: FIELD of the JSON in .step.out
key_json() {
	python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" \
		"$ctl/.step.out" "$1"
}

[ -w $dbg/kmemleak ] && echo clear >$dbg/kmemleak
# insmod loads no dependencies: load what ks3.ko names as modprobe would,
# its soft dependencies (the accelerated digest drivers) first, then
# libcrc32c and crc64 (on Debian's 6.1; built in on the debug kernel,
# where modprobe has no module tree).
for m in $(modinfo -F softdep "$ko" 2>/dev/null | sed 's/pre://; s/post:.*//') \
	libcrc32c $(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' '); do
	modprobe "$m" 2>/dev/null
done

setup() {
	step "insmod ks3.ko" insmod "$ko" || return 1
	step "s3ctl dev format /dev/vda" $s3ctl dev format /dev/vda || return 1
	step "s3ctl dev attach /dev/vda" $s3ctl dev attach /dev/vda || return 1
	step "s3ctl listen add 0.0.0.0:$port" \
		$s3ctl listen add "0.0.0.0:$port" || return 1
	step "s3ctl key create admin" $s3ctl -j key create admin || return 1
	admin_ak=$(key_json access_key) && admin_sk=$(key_json secret_key) || {
		fail "s3ctl -j key create: no access_key/secret_key in $(cat "$ctl/.step.out")"
		return 1
	}
	step "s3ctl key create limited" $s3ctl -j key create limited || return 1
	lim_ak=$(key_json access_key) && lim_sk=$(key_json secret_key) || return 1
	{
		echo "KS3_S3_ACCESS_KEY=$admin_ak"
		echo "KS3_S3_SECRET_KEY=$admin_sk"
		echo "KS3_S3_LIMITED_ACCESS_KEY=$lim_ak"
		echo "KS3_S3_LIMITED_SECRET_KEY=$lim_sk"
		echo "KS3_GUEST_KERNEL=$(uname -r)"
	} >"$ctl/.ready.tmp"
	mv "$ctl/.ready.tmp" "$ctl/ready"
}

setup
# Wait for the host to finish (also after a failed setup, so the host can
# collect the failure; it stops us at once then).
# Meanwhile, the guest's memory: the lowest MemAvailable while the suites
# ran, against what was available once ks3 was set up.
meminfo() { awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo; }
mem_base=$(meminfo MemAvailable) mem_low=$(meminfo MemAvailable)
while [ ! -e "$ctl/stop" ]; do
	sleep 0.3
	avail=$(meminfo MemAvailable)
	[ "$avail" -lt "$mem_low" ] && mem_low=$avail
done
echo "guest memory: $(meminfo MemTotal) kB in all, $mem_base kB available after setup, lowest $mem_low kB: peak use by the run $((mem_base - mem_low)) kB" \
	>"$ctl/memory"
rm -f "$ctl/.step.out" "$ctl/.step.err"
rc=0
if lsmod | grep -q '^ks3 '; then
	$s3ctl status >"$ctl/status-at-stop" 2>&1
	if ! rmmod ks3 2>"$ctl/rmmod.err"; then
		echo "guest: rmmod ks3 failed: $(cat "$ctl/rmmod.err")" >&2
		rc=1
	fi
fi
if [ -w $dbg/kmemleak ]; then
	# Objects younger than 5 s are never reported: let them age.
	sleep 6
	echo scan >$dbg/kmemleak
	echo scan >$dbg/kmemleak
	cat $dbg/kmemleak >"$ctl/kmemleak"
fi
dmesg >"$ctl/dmesg"
sync
exit $rc
