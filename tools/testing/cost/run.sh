#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Instructions per SigV4-verified request (callgrind), without and with the
# signing-key cache: (Ir of N+1 requests - Ir of 1 request) / N. Build first
# with `make -C tools/testing cost`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${KS3_COST_BIN:-$here/../build/cost/sigv4_cost}
n=${1:-1000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ir() {
	valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$bin" "$@" \
		2>"$tmp/err" >"$tmp/out" || { cat "$tmp/err" >&2; exit 1; }
	sed -n 's/.*Collected : //p' "$tmp/err"
}

for mode in uncached cached; do
	base=$(ir 0 "$mode")
	total=$(ir "$n" "$mode")
	echo "$mode: $(( (total - base) / n )) instructions per request" \
		"($(cat "$tmp/out" | sed 's/.*: //'))"
done
