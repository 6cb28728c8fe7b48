#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# S3 integration with real clients: ks3 in a QEMU guest (tools/vm/run),
# the clients on the host talking to 127.0.0.1:PORT, forwarded into the
# guest.
#
#   tests/integration/s3/run.sh [--kernel stock|debug] [--large] [SUITE...]
#
# --kernel stock (default) is Debian's linux-image-amd64; debug is the
# project's KASAN/lockdep/kmemleak kernel (tools/kernel/build.sh), with
# ks3.ko built against it. --large adds the suites that need multipart
# uploads and big objects (not part of make check). SUITE names pick a
# subset: pytest awscli s3cmd rclone curl node (and node-upload with
# --large).
#
# The guest gets a fresh sparse scratch disk under var/s3-KERNEL/, formats
# and attaches it, listens on 0.0.0.0:9000, and creates an admin key and a
# key with no grants ("limited"). The host-side suites get:
#   KS3_S3_ENDPOINT   http://127.0.0.1:PORT (a free host port, never 9000)
#   KS3_S3_PORT, KS3_S3_REGION (us-east-1)
#   KS3_S3_ACCESS_KEY/KS3_S3_SECRET_KEY, KS3_S3_LIMITED_ACCESS_KEY/..._SECRET_KEY
#   KS3_RUN_DIR       so that tools/vm/s3ctl ARGS runs s3ctl in this guest
#   KS3_S3_OUT        a scratch directory for the suite
# Every suite prints `ok - ...`/`not ok - ...` lines; this script counts
# them, adds its own checks (setup, clean module unload, no kernel splat in
# the guest log, no kmemleak report) and ends with `N passed, M failed`.
# Wrap it in `flock /tmp/ks3-vm.lock` when other VMs may run.
# KS3_PYTEST_ARGS adds pytest arguments (e.g. "-k hardening"; no spaces inside one).
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
. tests/lib.sh
here=tests/integration/s3

kernel=stock
large=0
only=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:-}; shift 2 ;;
	--kernel=*) kernel=${1#--kernel=}; shift ;;
	--large) large=1; shift ;;
	-h|--help) sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "usage: $0 [--kernel stock|debug] [--large] [SUITE...]" >&2; exit 2 ;;
	*) only+=("$1"); shift ;;
	esac
done
case $kernel in
stock|debug) ;;
*) echo "$0: --kernel stock|debug" >&2; exit 2 ;;
esac

out=$top/var/s3-$kernel
rundir=$out/run
ctl=$rundir/ctl
rm -rf "$out"
mkdir -p "$ctl" "$out/suites"
start=$SECONDS

# ----------------------------------------------------------------- build --
if [ "$kernel" = stock ]; then
	if ! make -s module userland >"$out/build.log" 2>&1; then
		cat "$out/build.log"
		not_ok "s3-$kernel: build ks3.ko and s3ctl (log: $out/build.log)"
		summary
		exit 1
	fi
	ko=$top/module/ks3.ko
	vmkernel=stock
else
	kdir=$(tools/kernel/build.sh --print-path) || {
		not_ok "s3-$kernel: debug kernel build"
		summary
		exit 1
	}
	mkdir -p "$out/build"
	rsync -a Kbuild module uapi "$out/build/"
	if ! { make -s -C "$kdir" M="$out/build" modules &&
	       make -s userland; } >"$out/build.log" 2>&1; then
		cat "$out/build.log"
		not_ok "s3-$kernel: build ks3.ko for the debug kernel (log: $out/build.log)"
		summary
		exit 1
	fi
	ko=$out/build/module/ks3.ko
	vmkernel=$kdir/arch/x86/boot/bzImage
fi

# ------------------------------------------------------------- the guest --
port=$(/usr/bin/python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
guest_port=9000
disk=$out/disk.img
timeout=${KS3_VM_TIMEOUT:-3600}

# The VM runs in its own session so that a Ctrl-C here reaches only us;
# we stop it through CTL/stop.
setsid tools/vm/run --kernel "$vmkernel" --mem "${KS3_S3_VM_MEM:-2048}" \
	--disk "$disk:${KS3_S3_DISK_SIZE:-4G}" --fwd "$port:$guest_port" \
	--ctl "$ctl" --timeout "$timeout" --log "$out/console.log" \
	-- "$here/guest.sh" "$ctl" "$ko" "$guest_port" \
	</dev/null >"$out/vm.out" 2>&1 &
vm=$!

vm_rc=
stop_vm() {
	[ -n "$vm_rc" ] && return 0
	: >"$ctl/stop"
	local i
	for i in $(seq 1 600); do
		kill -0 "$vm" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$vm" 2>/dev/null; then
		echo "# the guest did not stop within 5 minutes; killing our VM" >&2
		kill -TERM -- "-$vm" 2>/dev/null || kill -TERM "$vm" 2>/dev/null
	fi
	wait "$vm"
	vm_rc=$?
}
trap 'stop_vm' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

while [ ! -e "$ctl/ready" ] && [ ! -e "$ctl/failed" ]; do
	if ! kill -0 "$vm" 2>/dev/null; then
		break
	fi
	sleep 0.3
done
boot_s=$((SECONDS - start))

if [ ! -e "$ctl/ready" ]; then
	if [ -e "$ctl/failed" ]; then
		not_ok "s3-$kernel: guest setup: $(tr '\n' ' ' <"$ctl/failed" | head -c 600)"
	else
		not_ok "s3-$kernel: guest came up (log: $out/console.log): $(tail -n 5 "$out/vm.out" | tr '\n' ' ')"
	fi
	stop_vm
	no_splats "$out/console.log" || not_ok "s3-$kernel: no kernel reports in the guest log ($out/console.log)"
	summary
	exit 1
fi
ok "s3-$kernel: guest up, ks3 loaded, store attached, listener and keys created (${boot_s}s)"

set -a
# shellcheck disable=SC1091
. "$ctl/ready"
KS3_S3_PORT=$port
KS3_S3_ENDPOINT=http://127.0.0.1:$port
KS3_S3_REGION=us-east-1
KS3_RUN_DIR=$rundir
KS3_TOP=$top
set +a
# Clients must not pick up a developer's own AWS setup.
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN \
	AWS_ENDPOINT_URL AWS_CA_BUNDLE
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true

# An HTTP answer of any kind on the forwarded port.
code=$(curl -s -o /dev/null -m 30 -w '%{http_code}' "$KS3_S3_ENDPOINT/" 2>/dev/null)
if [[ $code =~ ^[1-5][0-9][0-9]$ ]]; then
	ok "s3-$kernel: the server answers HTTP on 127.0.0.1:$port (status $code)"
else
	not_ok "s3-$kernel: the server answers HTTP on 127.0.0.1:$port (got '$code')"
fi

# ---------------------------------------------------------------- suites --
suites=(pytest awscli s3cmd rclone curl node multipart node-upload large)
# large5g (make check-large) runs only when named.
[ ${#only[@]} -gt 0 ] && suites=("${only[@]}")

suite_cmd() {
	case $1 in
	pytest)	echo /usr/bin/python3 -m pytest -p no:cacheprovider -q \
			-o console_output_style=classic "$here/pytest" \
			"${KS3_PYTEST_ARGS:-}" ;;
	awscli|s3cmd|rclone|curl) echo "$here/clients/$1.sh" ;;
	node)	echo node "$here/node/basic.mjs" ;;
	node-upload) echo node "$here/node/upload.mjs" ;;
	large)	echo "$here/clients/large.sh" ;;
	multipart|large5g|hold) echo "$here/clients/$1.sh" ;;
	*)	return 1 ;;
	esac
}

for s in "${suites[@]}"; do
	cmd=$(suite_cmd "$s") || { not_ok "s3-$kernel: unknown suite $s"; continue; }
	log=$out/suites/$s.log
	export KS3_S3_OUT=$out/suites/$s.d
	mkdir -p "$KS3_S3_OUT"
	echo "# suite $s: $cmd"
	t0=$SECONDS
	rc=0
	# shellcheck disable=SC2086
	timeout -k 10 "${KS3_S3_SUITE_TIMEOUT:-1200}" $cmd >"$log" 2>&1 </dev/null || rc=$?
	grep -E '^(ok|not ok) - ' "$log" | sed "s/^\(ok\|not ok\) - /&$s: /"
	np=$(grep -Ec '^ok - ' "$log")
	nf=$(grep -Ec '^not ok - ' "$log")
	ks3_passed=$((ks3_passed + np))
	ks3_failed=$((ks3_failed + nf))
	echo "# suite $s: $np passed, $nf failed, exit $rc, $((SECONDS - t0))s (log: $log)"
	if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		tail -n 20 "$log" | sed 's/^/# /'
		not_ok "s3-$kernel: suite $s exited $rc with no failure reported (log: $log)"
	elif [ "$np" -eq 0 ] && [ "$nf" -eq 0 ]; then
		not_ok "s3-$kernel: suite $s ran no test (log: $log)"
	fi
done

# ----------------------------------------------------------- shut down --
stop_vm
[ -s "$ctl/memory" ] && echo "# s3-$kernel: $(cat "$ctl/memory")"
if [ "$vm_rc" -eq 0 ]; then
	ok "s3-$kernel: guest stopped cleanly, rmmod ks3 succeeded"
else
	not_ok "s3-$kernel: guest stopped cleanly, rmmod ks3 succeeded (exit $vm_rc: $(tail -n 3 "$out/vm.out" | tr '\n' ' '))"
fi
if no_splats "$out/console.log"; then
	ok "s3-$kernel: no kernel reports in the guest log"
else
	not_ok "s3-$kernel: no kernel reports in the guest log ($out/console.log)"
fi
if [ "$kernel" = debug ]; then
	if [ ! -e "$ctl/kmemleak" ]; then
		not_ok "s3-$kernel: kmemleak scan after rmmod ran"
	elif [ -s "$ctl/kmemleak" ]; then
		head -n 30 "$ctl/kmemleak" | sed 's/^/# /'
		not_ok "s3-$kernel: kmemleak reports nothing after rmmod ($ctl/kmemleak)"
	else
		ok "s3-$kernel: kmemleak reports nothing after rmmod"
	fi
fi
echo "# s3-$kernel: wall time $((SECONDS - start))s (boot+setup ${boot_s}s)"
summary
