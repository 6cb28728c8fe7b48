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

# The guest scripts, one boot for all of them; each ends with its summary.
scripts=(tests/integration/guest-smoke.sh tests/integration/guest-store.sh
	 tests/integration/guest-4k.sh tests/integration/guest-listen.sh)

rc=0
tools/vm/run --kernel stock --timeout "${KS3_VM_TIMEOUT:-1200}" \
	--log "$out/console.log" -- \
	bash -c 'rc=0; for s in "$@"; do "$s" || rc=1; done; exit $rc' \
	guests "${scripts[@]}" | tee "$out/guest.out" || rc=$?
# One summary line per script, or the guest did not run to the end.
summaries=$(grep -Ec '^[0-9]+ passed, [0-9]+ failed$' "$out/guest.out" || true)
if [ "$summaries" -ne ${#scripts[@]} ]; then
	echo "not ok - stock-kernel guest ran every script to completion (exit $rc, log: $out/console.log)"
	rc=1
fi
awk -v extra=$((summaries == ${#scripts[@]} ? 0 : 1)) '
/^[0-9]+ passed, [0-9]+ failed$/ { p += $1; f += $3 }
END { print p " passed, " f + extra " failed" }' "$out/guest.out"
exit $rc
