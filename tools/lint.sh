#!/bin/bash
# checkpatch.pl --strict (from Debian's linux-source-6.1) over the kernel
# code: module/, uapi/, the KUnit suites and the storage benchmark module
# (tools/bench/ks3_*.c; s3bench next to it is userland, like s3ctl).
# compat.h is the one file allowed to test LINUX_VERSION_CODE, so those two
# checks are off for it alone.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
src=$(tools/kernel/source.sh)
checkpatch=("$src/scripts/checkpatch.pl" --strict --no-tree --terse
	    --show-types --no-summary -f)

mapfile -t files < <(git ls-files -co --exclude-standard -- \
	'module/*.[ch]' 'uapi/*.h' 'tests/kunit/*.[ch]' 'tools/bench/ks3_*.c' |
	grep -v -e '\.mod\.c$' -e '^module/compat\.h$')
status=0
"${checkpatch[@]}" "${files[@]}" || status=1
"${checkpatch[@]}" --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON \
	module/compat.h || status=1
if [ $status -eq 0 ]; then
	echo "lint: checkpatch --strict clean ($((${#files[@]} + 1)) files)"
else
	echo "lint: checkpatch --strict found problems" >&2
fi
exit $status
