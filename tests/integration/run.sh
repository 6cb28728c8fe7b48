#!/bin/bash
# Integration on Debian's stock kernel (what users run), in QEMU: builds
# ks3.ko against linux-headers-amd64 and s3ctl, boots linux-image-amd64 with
# tools/vm/run and runs the guest scripts. Ends with `N passed, M failed`.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=$top/var/integration
rm -rf "$out"
mkdir -p "$out"

make -s module userland >&2

rc=0
tools/vm/run --kernel stock --timeout "${KS3_VM_TIMEOUT:-600}" \
	--log "$out/console.log" -- tests/integration/guest-smoke.sh \
	| tee "$out/smoke.out" || rc=$?
if ! tail -n 1 "$out/smoke.out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
	echo "not ok - stock-kernel guest ran to completion (exit $rc, log: $out/console.log)"
	echo "0 passed, 1 failed"
	exit 1
fi
exit $rc
