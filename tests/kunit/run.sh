#!/bin/bash
# KUnit in the project's debug kernel (KASAN, lockdep, kmemleak, ...):
# builds ks3.ko and the test modules against it, boots it in QEMU
# (tools/vm/run), runs tests/kunit/guest.sh there and judges the results
# here. Prints one line per test case and suite check, then
# `N passed, M failed`. Any KASAN/lockdep/WARN/BUG/kmemleak report fails the
# run even when every test passed; so does a runner self-test that does not
# fail the way it must.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/lib.sh

# KS3_DEBUG_KDIR: use this built debug kernel instead of tools/kernel's.
kdir=${KS3_DEBUG_KDIR:-$(tools/kernel/build.sh --print-path)}
src=$(tools/kernel/source.sh)
out=$top/var/kunit
build=$top/var/build/debug
# Fresh build trees: objects built against another kernel config must
# never be reused.
rm -rf "$out" "$build"
mkdir -p "$out" "$build"

# Out-of-tree builds land next to their sources, so each module kind is
# built in its own copy of the tree.
build_copy() {
	local dir=$1
	shift
	mkdir -p "$dir"
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' \
		Kbuild module uapi tests "$dir/"
	make -s -C "$kdir" M="$dir" "$@" modules KCFLAGS=-Werror >&2
}
build_copy "$build/ks3"
build_copy "$build/kunit" KS3_KUNIT=y

make -s -C userland >&2

vmlog=$out/console.log
if ! tools/vm/run --kernel "$kdir/arch/x86/boot/bzImage" --timeout "${KS3_KUNIT_TIMEOUT:-1200}" \
	--log "$vmlog" -- tests/kunit/guest.sh "$out" \
	"$build/ks3/module/ks3.ko" "$build/kunit/ks3_test.ko" \
	"$build/kunit/ks3_kunit_selftest.ko" >"$out/guest.out" 2>&1; then
	cat "$out/guest.out" >&2
	not_ok "debug kernel guest ran to completion (log: $vmlog)"
	summary
	exit 1
fi

while read -r line; do
	case $line in
	*": ok") ok "$line" ;;
	*) not_ok "$line" ;;
	esac
done <"$out/steps"

# kunit.py parses one KTAP document; each debugfs results file is one.
kunit_parse() {
	PYTHONDONTWRITEBYTECODE=1 python3 "$src/tools/testing/kunit/kunit.py" \
		parse "$1"
}

# Test-case lines of a suite's KTAP: "    ok N name" / "    not ok N name".
suites=0
for res in "$out"/results/*; do
	[ -e "$res" ] || continue
	suite=$(basename "$res")
	suites=$((suites + 1))
	# "ok N name # SKIP why" ran nothing: it is not a pass.
	while read -r status name skip; do
		if [ "$status" = ok ] && [ -z "$skip" ]; then
			ok "$suite.$name"
		elif [ "$status" = ok ]; then
			not_ok "$suite.$name (skipped)"
		else
			not_ok "$suite.$name"
		fi
	done < <(sed -nE 's/^[[:space:]]+(ok|not ok) [0-9]+ (- )?([^ #]+)([^#]*#[[:space:]]*(SKIP))?.*/\1 \3 \5/p' \
		"$res" | sed 's/^not ok/not_ok/')
	if kunit_parse "$res" >"$out/$suite.parsed" 2>&1; then
		ok "$suite: kunit.py parse"
	else
		not_ok "$suite: kunit.py parse (see $out/$suite.parsed)"
	fi
done
# Figures the suites report (crash states checked, group commit), from the
# kernel log: 6.1 keeps only 512 bytes of each test's log in debugfs.
grep -h -E "crash states checked|group commit:" "$out/dmesg.txt" |
	sed -E 's/^.*# [a-z0-9_]+: /# /' || true
awk '/crash states checked:/ {
		for (i = 1; i <= NF; i++)
			if ($i == "checked:") { n += $(i + 1); f += $NF }
	}
	END { if (n) printf "# crash states checked in all: %d, failed: %d\n", n, f }' \
	"$out/dmesg.txt"

# Every suite the sources define must have run: one that fails to
# register would otherwise just be missing from the count.
missing=
for name in $(sed -nE '/struct kunit_suite/,/};/ s/^[[:space:]]*\.name = "([a-z0-9_]+)".*/\1/p' \
		"$top"/tests/kunit/*_test.c); do
	[ -e "$out/results/$name" ] || missing="$missing $name"
done
if [ $suites -gt 0 ] && [ -z "$missing" ]; then
	ok "KUnit suites found: all $suites the sources define"
else
	not_ok "KUnit suites found: $suites, missing:${missing:- all}"
fi

check "no KASAN/lockdep/WARN/BUG report in the kernel log" \
	no_splats "$out/dmesg.txt"
# No scan file means no scan ran (kmemleak missing or off): not "no leaks".
if [ ! -e "$out/kmemleak.txt" ]; then
	not_ok "kmemleak: no scan ran (is kmemleak on in this kernel?)"
elif [ -s "$out/kmemleak.txt" ]; then
	head -n 30 "$out/kmemleak.txt" >&2
	not_ok "kmemleak: no leaks"
else
	ok "kmemleak: no leaks"
fi

# The self-test must fail both ways, or the checks above prove nothing.
selftest_res=$out/selftest/results
if [ -e "$selftest_res" ] && ! kunit_parse "$selftest_res" >/dev/null 2>&1 &&
   grep -q "not ok .* ks3_selftest_failed_assertion" "$selftest_res"; then
	ok "runner self-test: a failed KUnit assertion is detected"
else
	not_ok "runner self-test: a failed KUnit assertion is detected"
fi
if ! no_splats "$out/selftest/dmesg.txt" 2>/dev/null &&
   grep -q "KASAN: slab-out-of-bounds" "$out/selftest/dmesg.txt"; then
	ok "runner self-test: a KASAN report is detected"
else
	not_ok "runner self-test: a KASAN report is detected"
fi

summary
