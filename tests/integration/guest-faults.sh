#!/bin/bash
# Runs inside a guest on the debug kernel (tests/integration/faults.sh): I/O
# errors injected with fail_make_request into the store's device, during a
# journal commit and during a checkpoint. Each time the change that hit the
# error is refused with a clear line, the store turns read-only and says
# why, reads go on, and after re-attaching everything acknowledged before
# is there and s3ctl fsck finds the device clean.
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
check "detach, and fsck clean" bash -c \
	"$s3ctl dev detach && $s3ctl fsck $store >/dev/null"
losetup -d "$store"
check "rmmod ks3" rmmod ks3

dmesg >"$tmp/dmesg"
# The injected errors print I/O error lines; anything else is a failure.
check "no WARN/BUG/KASAN/lockdep report in the kernel log" no_splats \
	"$tmp/dmesg"
rm -rf "$tmp"
summary
