#!/bin/bash
# Fault injection on the debug kernel (fail_make_request): boots it with
# tools/vm/run and runs tests/integration/guest-faults.sh against a ks3.ko
# built for it. Ends with `N passed, M failed`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
kdir=$(tools/kernel/build.sh --print-path)
out=$top/var/faults
build=$out/build
rm -rf "$out"
mkdir -p "$build"
rsync -a Kbuild module uapi "$build/"
make -s -C "$kdir" M="$build" modules KCFLAGS=-Werror >&2
make -s userland >&2

rc=0
tools/vm/run --kernel "$kdir/arch/x86/boot/bzImage" \
	--timeout "${KS3_VM_TIMEOUT:-1200}" --log "$out/console.log" \
	-- tests/integration/guest-faults.sh "$build/module/ks3.ko" |
	tee "$out/guest.out" || rc=$?
if ! tail -n 1 "$out/guest.out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
	echo "not ok - debug-kernel guest ran to completion (exit $rc, log: $out/console.log)"
	echo "0 passed, 1 failed"
	exit 1
fi
exit $rc
