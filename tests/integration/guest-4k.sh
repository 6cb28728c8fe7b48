#!/bin/bash
# Runs inside the guest on Debian's stock kernel (tests/integration/run.sh):
# a store on a device with 4096-byte logical sectors (a loop device with
# --sector-size 4096) formats, attaches, keeps what it is given across a
# detach, and checks clean, as one on 512-byte sectors (/dev/vda, in
# guest-store.sh) does. Prints ok/not ok lines and the summary.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
s3ctl=userland/s3ctl/s3ctl
tmp=$(mktemp -d)

load_deps module/ks3.ko
modprobe loop 2>/dev/null
lsmod | grep -q '^ks3 ' || insmod module/ks3.ko
# A store still attached by an earlier script is not ours to keep.
$s3ctl dev detach --force >/dev/null 2>&1
dmesg -C

truncate -s 64M "$tmp/4k.img"
dev=$(losetup --find --show --sector-size 4096 "$tmp/4k.img")
check "loop device with 4096-byte logical sectors" \
	test "$(cat /sys/block/"$(basename "$dev")"/queue/logical_block_size)" = 4096
check "dev format on 4096-byte sectors" $s3ctl dev format "$dev"
check "dev attach on 4096-byte sectors" $s3ctl dev attach "$dev"
check "bucket create" $s3ctl bucket create four-k
check "key create" bash -c "$s3ctl key create sector-test >/dev/null"
check "dev detach" $s3ctl dev detach
check "dev attach again" $s3ctl dev attach "$dev"
check "the bucket persisted" bash -c "$s3ctl bucket list | grep -q four-k"
check "the key persisted" bash -c "$s3ctl key list | grep -q sector-test"
check "dev detach again" $s3ctl dev detach
check "fsck clean on 4096-byte sectors" $s3ctl fsck "$dev"
losetup -d "$dev"
rmmod ks3

dmesg >"$tmp/dmesg"
check "no WARN/BUG/lockdep report in the kernel log" no_splats "$tmp/dmesg"
rm -rf "$tmp"
summary
