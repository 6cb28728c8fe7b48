# SPDX-License-Identifier: GPL-2.0
# Shared by the shell test suites: TAP-like result lines and the one summary
# line `N passed, M failed` that tests/check.sh sums. Source it, call
# check/ok/not_ok, end with `summary` (exits 1 when anything failed).

ks3_passed=0
ks3_failed=0

ok() {
	ks3_passed=$((ks3_passed + 1))
	echo "ok - $*"
}

not_ok() {
	ks3_failed=$((ks3_failed + 1))
	echo "not ok - $*"
}

# check NAME COMMAND...: runs COMMAND, ok when it exits 0.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# Kernel log lines that fail a run even when every test passed.
ks3_splat_regex='BUG:|WARNING:|KASAN:|UBSAN:|kmemleak:|Oops|general protection|possible circular locking|possible recursive locking|inconsistent lock state|Invalid wait context|suspicious RCU usage|INFO: task .* blocked|Call Trace:'

# no_splats FILE: ok when FILE (a guest kernel log) holds no report.
no_splats() {
	if grep -Eq "$ks3_splat_regex" "$1"; then
		echo "# kernel reports in $1:" >&2
		grep -E -A3 "$ks3_splat_regex" "$1" | head -n 40 >&2
		return 1
	fi
	return 0
}

summary() {
	echo "$ks3_passed passed, $ks3_failed failed"
	[ "$ks3_failed" -eq 0 ]
}

# load_deps KO: insmod loads no dependencies, so load the modules KO names
# as modprobe would: its soft dependencies first (the accelerated digest
# drivers, crc32c_intel before libcrc32c picks its driver), then libcrc32c
# and crc64 (modules on Debian's 6.1; built in on the debug kernel).
load_deps() {
	local m
	for m in $(modinfo -F softdep "$1" 2>/dev/null | sed 's/pre://; s/post:.*//') \
		libcrc32c $(modinfo -F depends "$1" 2>/dev/null | tr ',' ' '); do
		modprobe "$m" 2>/dev/null
	done
	return 0
}
