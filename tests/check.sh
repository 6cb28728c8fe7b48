#!/bin/bash
# make check: every level of test, in order of cost. Each suite prints
# `ok`/`not ok` lines and ends with `N passed, M failed`; single build and
# lint steps count as one check each. The last line of this script's output
# is the sum over all of them; the exit status is non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
logs=$top/var/check
mkdir -p "$logs"

tools/deps.sh || exit 1

total_passed=0
total_failed=0
summary_re='^([0-9]+) passed, ([0-9]+) failed$'

# step NAME COMMAND...: one check, passed when COMMAND exits 0.
step() {
	local name=$1 log=$logs/$1.log
	shift
	echo "== $name"
	if "$@" >"$log" 2>&1; then
		echo "ok - $name"
		total_passed=$((total_passed + 1))
	else
		tail -n 30 "$log"
		echo "not ok - $name (log: $log)"
		total_failed=$((total_failed + 1))
	fi
}

# suite NAME COMMAND...: COMMAND prints its own results and summary line.
suite() {
	local name=$1 log=$logs/$1.log rc=0 last
	shift
	echo "== $name"
	"$@" 2>&1 | tee "$log" || rc=$?
	# The summary is the last such line (make may print after it).
	last=$(grep -E "$summary_re" "$log" | tail -n 1)
	if [[ $last =~ $summary_re ]]; then
		total_passed=$((total_passed + BASH_REMATCH[1]))
		total_failed=$((total_failed + BASH_REMATCH[2]))
		if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
			echo "not ok - $name exited $rc"
			total_failed=$((total_failed + 1))
		fi
	else
		echo "not ok - $name ended without a summary (exit $rc, log: $log)"
		total_failed=$((total_failed + 1))
	fi
}

# no_output_matching REGEX COMMAND...: COMMAND succeeds and prints nothing
# matching REGEX (sparse reports warnings without failing the build).
no_output_matching() {
	local regex=$1 out
	shift
	out=$("$@" 2>&1) || { echo "$out"; return 1; }
	echo "$out"
	! grep -Eq "$regex" <<<"$out"
}

kdir=$(tools/kdir.sh)
step build-module-W1-Werror make -s module W=1 KCFLAGS=-Werror
step build-module-sparse no_output_matching 'warning:|error:' \
	make -s -C "$kdir" M="$top" C=2 modules
step build-userland make -s userland
step build-tools make -s tools
step lint tools/lint.sh
if command -v dkms >/dev/null; then
	step dkms-build tools/dkms-check.sh
fi
suite unit make -s --no-print-directory -C tools/testing test
suite fuzz-short make -s --no-print-directory -C tools/testing fuzz \
	FUZZ_SECONDS="${FUZZ_SECONDS:-5}"
suite vm-selftest tools/vm/selftest.sh
suite kunit tests/kunit/run.sh
suite integration tests/integration/run.sh
suite faults tests/integration/faults.sh
# A few crash points of `make crash` (dm-log-writes under S3 load, replayed
# and checked), including crash -> attach -> more writes -> crash again.
suite crash-sample env KS3_VM_TIMEOUT=900 tests/crash/run.sh --points "${CRASH_SAMPLE_POINTS:-6}" \
	--rounds 2 --ops 10 --workers 2 --keys 3 --verbose
# Real S3 clients on the host against ks3 in a guest: Debian's stock kernel,
# then the debug kernel (KASAN, lockdep, kmemleak), same suites.
suite s3-stock tests/integration/s3/run.sh --kernel stock
suite s3-debug tests/integration/s3/run.sh --kernel debug

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
