# SPDX-License-Identifier: GPL-2.0
# Shared by the client scenarios (awscli.sh, s3cmd.sh, ...): the endpoint and
# keys from tests/integration/s3/run.sh, result lines from tests/lib.sh, and
# small helpers. Source it; end with `summary`.
set -uo pipefail
s3_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
. "$s3_top/tests/lib.sh"

: "${KS3_S3_ENDPOINT:?run through tests/integration/s3/run.sh}"
: "${KS3_S3_ACCESS_KEY:?}" "${KS3_S3_SECRET_KEY:?}"
work=${KS3_S3_OUT:-$(mktemp -d)}
mkdir -p "$work"
log=$work/commands.log

# run CMD...: runs CMD with its output appended to the command log;
# returns its status.
run() {
	echo "\$ $*" >>"$log"
	"$@" >>"$log" 2>&1
}

# expect NAME CMD...: ok when CMD exits 0; on failure the last lines of
# its output go into the result line.
expect() {
	local name=$1 rc out
	shift
	echo "\$ $*" >>"$log"
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" >>"$log"
	if [ $rc -eq 0 ]; then
		ok "$name"
	else
		not_ok "$name (exit $rc: $(printf '%s' "$out" | tail -n 4 | tr '\n' ' ' | head -c 400))"
	fi
	return $rc
}

# same NAME FILE1 FILE2: ok when the files are identical.
same() {
	if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1 ($2 and $3 differ)"; fi
}

unique_bucket() {
	echo "$1-$(date +%s%N | tail -c 9)-$RANDOM"
}

# make_tree DIR: a small tree of files with awkward names, a few KiB each.
make_tree() {
	local d=$1
	mkdir -p "$d/sub/deep" "$d/with space"
	printf 'hello ks3\n' >"$d/hello.txt"
	head -c 10240 /dev/urandom >"$d/sub/random.bin"
	head -c 3000 /dev/urandom >"$d/sub/deep/nested.bin"
	printf 'spaces\n' >"$d/with space/file name.txt"
	printf 'plus\n' >"$d/sub/a+b.txt"
	printf 'utf8\n' >"$d/sub/\xc3\xa9t\xc3\xa9.txt"
	: >"$d/empty"
	# Older than anything the server stamps: the guest's clock may lag the
	# host's by a second or so, and sync tools compare mtimes.
	find "$d" -exec touch -d '-2 minutes' {} +
}
