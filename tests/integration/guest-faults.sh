#!/bin/bash
# Runs inside a guest on the debug kernel (tests/integration/faults.sh): I/O
# errors injected with fail_make_request into the store's device, during a
# journal commit, during a checkpoint and during an object's data write.
# A metadata write error refuses the change with a clear line and turns the
# store read-only (it says why, reads go on, and after re-attaching
# everything acknowledged before is there and s3ctl fsck finds the device
# clean); a data write error fails that PUT only.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
s3ctl=userland/s3ctl/s3ctl
ko=$1
fi_dir=/sys/kernel/debug/fail_make_request
tmp=$(mktemp -d)

json() {
	python3 -c "import json, sys; j = json.load(sys.stdin); $1"
}

status_field() {
	$s3ctl status -j | json "print(j['$1'])"
}

# inject on|off: fail every request to the store's device, or none.
inject() {
	local dev=$(basename "$store")
	if [ "$1" = on ]; then
		echo 100 >$fi_dir/probability
		echo -1 >$fi_dir/times
		echo 0 >$fi_dir/verbose
		echo 1 >/sys/block/"$dev"/make-it-fail
	else
		echo 0 >/sys/block/"$dev"/make-it-fail
	fi
}

dmesg -C
check "fail_make_request is available" test -d $fi_dir
load_deps "$ko"
check "insmod ks3.ko" insmod "$ko"
# A 4 MiB store: a 256-block journal, so a checkpoint comes every 128
# commits. A loop device has its own make-it-fail switch.
truncate -s 4M "$tmp/store.img"
store=$(losetup --find --show "$tmp/store.img")
check "format and attach a small store" bash -c \
	"$s3ctl dev format $store >/dev/null && $s3ctl dev attach $store"

# ---------------------------------------------------- during a commit --
check "bucket kept-1 created" $s3ctl bucket create kept-1
inject on
$s3ctl bucket create lost-1 >"$tmp/out" 2>"$tmp/err"
rc=$?
inject off
check "a commit that hits an I/O error fails (exit 1, one line)" \
	bash -c "[ $rc -eq 1 ] && [ \$(wc -l <$tmp/err) -eq 1 ]"
check "the store reports read-only, with the reason" bash -c \
	"[ \"\$($s3ctl status -j | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j[\"read_only\"], j[\"read_only_reason\"])')\" = 'True journal write failed' ]"
check "writes are refused while read-only" bash -c \
	"! $s3ctl bucket create later 2>/dev/null"
check "reads go on while read-only" bash -c \
	"$s3ctl bucket list | grep -q kept-1"
check "detach the read-only store" $s3ctl dev detach
check "fsck clean after the failed commit" $s3ctl fsck "$store"
check "re-attach" $s3ctl dev attach "$store"
check "the acknowledged bucket is there" bash -c \
	"$s3ctl bucket list | grep -q kept-1"
check "the failed bucket is not" bash -c \
	"! $s3ctl bucket list | grep -q lost-1"

# ------------------------------------------------ during a checkpoint --
# Commit until the next one must first fold the journal into a checkpoint.
i=0
while [ "$(status_field journal_used_blocks)" -lt 128 ] && [ $i -lt 300 ]; do
	$s3ctl bucket create "fill-$i" >/dev/null || break
	i=$((i + 1))
done
checkpoints=$(status_field checkpoints)
check "journal filled to the checkpoint threshold ($i commits)" \
	test "$(status_field journal_used_blocks)" -ge 128
inject on
$s3ctl bucket create lost-2 >"$tmp/out" 2>"$tmp/err"
rc=$?
inject off
check "the commit that needed a checkpoint fails (exit 1)" test $rc -eq 1
check "no checkpoint was counted" \
	test "$(status_field checkpoints)" = "$checkpoints"
check "read-only because the checkpoint write failed" bash -c \
	"$s3ctl status -j | grep -q 'checkpoint write failed'"
check "detach" $s3ctl dev detach
check "fsck clean after the failed checkpoint" $s3ctl fsck "$store"
check "re-attach after the failed checkpoint" $s3ctl dev attach "$store"
check "every acknowledged bucket is there" bash -c \
	"[ \$($s3ctl bucket list -j | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq $((i + 1)) ]"
check "the failed one is not" bash -c "! $s3ctl bucket list | grep -q lost-2"
check "writes work again" $s3ctl bucket create after-faults

# ------------------------------------------------ during object data --
# An S3 PUT whose data write fails: that request fails (500 InternalError),
# nothing of it is visible, its blocks go back, and the store stays
# writable: only metadata errors turn it read-only.
port=9100
key=$($s3ctl key create faults -j)
ak=$(echo "$key" | json "print(j['access_key'])")
sk=$(echo "$key" | json "print(j['secret_key'])")
url=http://127.0.0.1:$port
s3() {
	curl -s -o "$tmp/body" -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 \
		--user "$ak:$sk" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"
}
check "listen on 127.0.0.1:$port" $s3ctl listen add 127.0.0.1:$port
check "bucket created over S3" test "$(s3 -X PUT $url/data)" = 200
head -c 200000 /dev/urandom >"$tmp/obj"
check "an object stored" test "$(s3 -T $tmp/obj $url/data/kept)" = 200
free_before=$(status_field free_bytes)
inject on
code=$(s3 -T "$tmp/obj" "$url/data/lost")
inject off
check "a PUT whose data write fails answers 500 InternalError" bash -c \
	"[ '$code' = 500 ] && grep -q '<Code>InternalError</Code>' $tmp/body"
check "the store stays writable after a data write error" \
	test "$(status_field read_only)" = False
check "the failed write's blocks are free again" \
	test "$(status_field free_bytes)" = "$free_before"
check "the failed object is not there" test "$(s3 $url/data/lost)" = 404
check "the next PUT of it works" test "$(s3 -T $tmp/obj $url/data/lost)" = 200
check "the acknowledged object reads back intact" bash -c \
	"[ \"\$(curl -s -o $tmp/got -w '%{http_code}' --aws-sigv4 aws:amz:us-east-1:s3 --user '$ak:$sk' -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' $url/data/kept)\" = 200 ] && cmp -s $tmp/got $tmp/obj"
check "stop listening" $s3ctl listen del 127.0.0.1:$port
check "detach, and fsck clean" bash -c \
	"$s3ctl dev detach && $s3ctl fsck $store >/dev/null"
losetup -d "$store"
check "rmmod ks3" rmmod ks3

dmesg >"$tmp/dmesg"
# The injected errors print I/O error lines; anything else is a failure.
check "no WARN/BUG/KASAN/lockdep report in the kernel log" no_splats \
	"$tmp/dmesg"
# This runs on the kmemleak kernel: failed writes must leak nothing.
dbg=/sys/kernel/debug
if [ -w $dbg/kmemleak ]; then
	sleep 6		# objects younger than 5 s are never reported
	echo scan >$dbg/kmemleak
	echo scan >$dbg/kmemleak
	cat $dbg/kmemleak >"$tmp/kmemleak"
	check "kmemleak finds no leak after the injected failures" \
		test "$(wc -c <"$tmp/kmemleak")" -eq 0
	head -n 30 "$tmp/kmemleak" | sed 's/^/# /'
else
	not_ok "kmemleak scan (not available in this kernel)"
fi
rm -rf "$tmp"
summary
