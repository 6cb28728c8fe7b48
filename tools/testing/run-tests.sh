#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs unit test binaries (tools/testing/unit.h protocol: "ok - name" /
# "not ok - name" lines and a final "N passed, M failed") and prints their
# results as "ok - BINARY: name", then exactly one line summing them all.
# A binary that dies, or exits non-zero with no failure reported, counts as
# one failed test; its stderr (ASan/UBSan reports) is shown as "# " lines.
# A binary still running after UNIT_TIMEOUT seconds (default 300) is
# killed and fails. Exit status 1 if anything failed.
#
# usage: run-tests.sh BINARY...

passed=0
failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

for bin in "$@"; do
	name=${bin##*/}
	case $bin in
	*/s3ctl/*) name=s3ctl/$name ;;
	*/replay/*) name=fuzz-replay/$name ;;
	*/bench/*) name=bench/$name ;;
	*/crash/*) name=crash/$name ;;
	esac
	timeout "${UNIT_TIMEOUT:-300}" "$bin" >"$tmp/out" 2>"$tmp/err"
	status=$?
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" | tail -n 1)
	grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$tmp/out" |
		sed -e "s|^ok - |ok - $name: |" -e "s|^not ok - |not ok - $name: |"
	p=0
	f=0
	if [ -n "$summary" ]; then
		p=${summary%% passed*}
		f=${summary#*, }
		f=${f%% failed}
	fi
	if [ -z "$summary" ] || { [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "not ok - $name (exit status $status)"
		f=$((f + 1))
	fi
	if [ "$f" -ne 0 ] && [ -s "$tmp/err" ]; then
		sed 's/^/# /' "$tmp/err"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
