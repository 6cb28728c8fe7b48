#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs each libFuzzer target for SECONDS, starting from its seeds in
# CORPUS_DIR/NAME/ (read only: new inputs go to BINARY-corpus/ beside the
# binary, crashes to BINARY-artifacts/). Prints "ok - fuzz/NAME" or
# "not ok - fuzz/NAME" with the end of the fuzzer's log, then one line
# "N passed, M failed". A crashing input belongs in CORPUS_DIR/NAME/ once
# fixed: `make test` replays that directory on every run.
#
# usage: run-fuzz.sh SECONDS CORPUS_DIR BINARY...

secs=$1
corpus=$2
shift 2
passed=0
failed=0

for bin in "$@"; do
	name=${bin##*/}
	mkdir -p "$bin-corpus" "$bin-artifacts"
	set -- "$bin-corpus"
	[ -d "$corpus/$name" ] && set -- "$@" "$corpus/$name"
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$bin-artifacts/" \
		"$@" >"$bin.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$bin.log")
		echo "ok - fuzz/$name (${runs:-?} runs in ${secs}s)"
		passed=$((passed + 1))
	else
		echo "not ok - fuzz/$name"
		tail -n 40 "$bin.log" | sed 's/^/# /'
		echo "# inputs that failed: $bin-artifacts/"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
