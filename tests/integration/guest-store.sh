#!/bin/bash
# Runs inside the guest on Debian's stock kernel (tests/integration/run.sh):
# the store's admin plane end to end. s3ctl formats the scratch disk
# /dev/vda, ks3.ko attaches it; keys, grants, buckets and quotas go in,
# persist across detach/attach and module reload; fsck finds the store
# clean; and every bad input (missing, busy, foreign, truncated, newer or
# damaged devices) is refused with one clear line, writing nothing.
# Prints ok/not ok lines and the summary.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/lib.sh
s3ctl=userland/s3ctl/s3ctl
dev=/dev/vda
tmp=$(mktemp -d)
dmesg -C

# expect_fail NAME STATUS REGEX COMMAND...: COMMAND exits STATUS and says
# REGEX in exactly one stderr line.
expect_fail() {
	local name=$1 status=$2 regex=$3 rc
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq "$status" ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
	   grep -Eq "$regex" "$tmp/err"; then
		ok "$name"
	else
		not_ok "$name (exit $rc: $(head -c 300 "$tmp/err"))"
	fi
}

# json FILE PYTHON: runs PYTHON with `j` the JSON document in FILE.
json() {
	python3 -c "
import json, sys
j = json.load(open(sys.argv[1]))
$2
" "$1"
}

# A loop device over FILE (printed).
loop() {
	losetup --find --show "$1"
}

load_deps module/ks3.ko
modprobe loop 2>/dev/null
check "insmod ks3.ko" insmod module/ks3.ko

# ------------------------------------------------------------- format --
expect_fail "attach before format: not a ks3 store" 1 \
	"not a ks3 store \(run s3ctl dev format\)" $s3ctl dev attach $dev
check "dev format $dev" bash -c "$s3ctl dev format $dev -j >$tmp/format.json"
check "dev format prints the uuid and sizes" json "$tmp/format.json" '
assert len(j["uuid"]) == 36, j
assert j["total_bytes"] == 1 << 30, j
assert 0 < j["data_bytes"] < j["total_bytes"], j
assert j["format_version"] == 1, j'
uuid=$(json "$tmp/format.json" 'print(j["uuid"])')
expect_fail "format refuses a ks3 store without --force" 1 \
	"holds a ks3 store \(uuid $uuid\); use --force" $s3ctl dev format $dev
check "format --force overwrites it" \
	bash -c "$s3ctl dev format --force $dev -j >$tmp/format.json"
uuid2=$(json "$tmp/format.json" 'print(j["uuid"])')
check "a new format has a new uuid" test "$uuid" != "$uuid2"
uuid=$uuid2

# ------------------------------------------------------------- attach --
check "dev attach $dev" $s3ctl dev attach $dev
expect_fail "a second attach is refused" 1 "a store is already attached" \
	$s3ctl dev attach $dev
expect_fail "format while attached: device is in use" 1 "device is in use" \
	$s3ctl dev format --force $dev
expect_fail "fsck while attached: device is in use (exit 2)" 2 \
	"device is in use" $s3ctl fsck $dev
$s3ctl status -j >"$tmp/status.json"
check "status -j: attached, with the store's sizes" json "$tmp/status.json" "
assert j['state'] == 'attached', j
assert j['device'] == '$dev', j
assert j['uuid'] == '$uuid', j
assert j['total_bytes'] == 1 << 30, j
assert j['free_bytes'] == j['data_bytes'] > 0, j
assert 0 <= j['journal_used_blocks'] < j['journal_blocks'], j
assert j['buckets'] == 0 and j['keys'] == 0, j
assert j['read_only'] is False and j['read_only_reason'] is None, j"
check "status (human) shows the store" \
	bash -c "$s3ctl status | grep -q '^uuid: *$uuid' && $s3ctl status | grep -q '^free:'"

# --------------------------------------------------------------- keys --
check "key create alice" bash -c "$s3ctl key create alice -j >$tmp/alice.json"
check "key create shows the access key and the secret once" \
	json "$tmp/alice.json" '
assert len(j["access_key"]) == 20 and j["access_key"].startswith("KS3"), j
assert len(j["secret_key"]) == 40, j
assert j["name"] == "alice", j'
alice=$(json "$tmp/alice.json" 'print(j["access_key"])')
secret=$(json "$tmp/alice.json" 'print(j["secret_key"])')
bob=$($s3ctl key create bob -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])')
check "key create bob" test ${#bob} -eq 20
expect_fail "key create with an empty name: usage error" 2 "key name" \
	$s3ctl key create ""
expect_fail "key create with a control character in the name" 1 \
	"printable" $s3ctl key create "$(printf 'a\tb')"
$s3ctl key list -j >"$tmp/keys.json"
check "key list -j lists both keys" json "$tmp/keys.json" "
names = sorted(k['name'] for k in j)
assert names == ['alice', 'bob'], j
assert all(k['enabled'] and k['grants'] == [] for k in j), j"
check "key list never shows a secret" \
	bash -c "! $s3ctl key list -j | grep -q -e '$secret' -e secret && \
		 ! $s3ctl key list | grep -q '$secret'"

# ------------------------------------------------------------ buckets --
check "bucket create photos --owner alice" \
	$s3ctl bucket create photos --owner "$alice"
check "bucket create logs" $s3ctl bucket create logs
expect_fail "bucket create of an existing name" 1 "already exists" \
	$s3ctl bucket create photos
expect_fail "bucket create with an invalid name" 1 "[Bb]ucket name|lowercase|character" \
	$s3ctl bucket create Bad_Name
expect_fail "bucket create with an unknown owner" 1 "no such access key" \
	$s3ctl bucket create other --owner KS3AAAAAAAAAAAAAAAAA
expect_fail "bucket create with a malformed owner: usage error" 2 \
	"invalid access key" $s3ctl bucket create other --owner short

# -------------------------------------------------------------- grants --
check "key allow alice photos read,write" \
	bash -c "$s3ctl key allow $alice photos read,write -j >$tmp/allow.json"
check "allow reports the permissions now held" json "$tmp/allow.json" "
assert j == {'access_key': '$alice', 'bucket': 'photos',
	     'permissions': ['read', 'write']}, j"
check "allow adds to what is there" \
	bash -c "$s3ctl key allow $alice photos list | grep -q 'read,write,list'"
check "deny takes away only what it names" \
	bash -c "$s3ctl key deny $alice photos write | grep -q 'permissions: *read,list$'"
check "key allow bob logs all" bash -c "$s3ctl key allow $bob logs all >/dev/null"
expect_fail "allow on an unknown bucket" 1 "no such bucket" \
	$s3ctl key allow "$alice" nothere read
expect_fail "allow for an unknown key" 1 "no such access key" \
	$s3ctl key allow KS3AAAAAAAAAAAAAAAAA photos read
expect_fail "allow with unknown permissions: usage error" 2 \
	"invalid permissions 'fly'" $s3ctl key allow "$alice" photos fly
expect_fail "allow without PERMS: usage error" 2 "missing PERMS" \
	$s3ctl key allow "$alice" photos

# -------------------------------------------------------------- quotas --
check "bucket quota photos --bytes 10G --objects 1000" \
	$s3ctl bucket quota photos --bytes 10G --objects 1000
check "bucket quota photos --objects=5 keeps the byte quota" \
	$s3ctl bucket quota photos --objects=5
expect_fail "bucket quota without a quota: usage error" 2 "give --bytes" \
	$s3ctl bucket quota photos
expect_fail "bucket quota with a bad size: usage error" 2 "invalid size" \
	$s3ctl bucket quota photos --bytes 10X
expect_fail "bucket quota of an unknown bucket" 1 "no such bucket" \
	$s3ctl bucket quota nothere --bytes 1
$s3ctl bucket list -j >"$tmp/buckets.json"
check "bucket list -j: owner, quotas, usage" json "$tmp/buckets.json" "
b = {x['name']: x for x in j}
assert sorted(b) == ['logs', 'photos'], j
p = b['photos']
assert p['owner'] == '$alice' and p['owner_id'] > 0, p
assert p['quota_bytes'] == 10 << 30 and p['quota_objects'] == 5, p
assert p['objects'] == 0 and p['bytes'] == 0, p
assert b['logs']['owner'] is None and b['logs']['quota_bytes'] == 0, j"
$s3ctl key list -j >"$tmp/keys.json"
check "key list -j shows each key's grants" json "$tmp/keys.json" "
k = {x['name']: x for x in j}
assert [(g['bucket'], g['permissions']) for g in k['alice']['grants']] == \
	[('photos', ['read', 'list'])], k
assert [(g['bucket'], g['permissions']) for g in k['bob']['grants']] == \
	[('logs', ['read', 'write', 'list', 'owner'])], k"

# ------------------------------------------------------------- deletes --
check "bucket delete logs" $s3ctl bucket delete logs
expect_fail "bucket delete of an unknown bucket" 1 "no such bucket" \
	$s3ctl bucket delete logs
check "deleting a bucket drops its grants" \
	bash -c "$s3ctl key list -j | python3 -c '
import json, sys
k = {x[\"name\"]: x for x in json.load(sys.stdin)}
assert k[\"bob\"][\"grants\"] == [], k'"
check "key delete bob" $s3ctl key delete "$bob"
expect_fail "key delete of an unknown key" 1 "no such access key" \
	$s3ctl key delete "$bob"

# ------------------------------------- dumps longer than one message --
# 150 buckets with 63-character names, all granted to alice: both lists
# need several netlink messages, and alice's grants do not fit one.
long=$(printf 'b%.0s' $(seq 1 58))
for i in $(seq 100 249); do
	$s3ctl bucket create "$long-$i" && $s3ctl key allow "$alice" "$long-$i" read >/dev/null || break
done
check "150 more buckets, each granted to alice" \
	bash -c "[ \$($s3ctl bucket list -j | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -eq 151 ]"
$s3ctl key list -j >"$tmp/keys.json"
check "a key's 151 grants come whole across messages" json "$tmp/keys.json" "
k = {x['name']: x for x in j}
assert len(j) == 1, [x['name'] for x in j]
g = [x['bucket'] for x in k['alice']['grants']]
assert len(g) == 151 and len(set(g)) == 151, len(g)"
check "status counts them" bash -c "$s3ctl status -j | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s[\"buckets\"] == 151 and s[\"keys\"] == 1 and s[\"commits\"] > 300, s'"

# ------------------------------------------------- detach and persist --
$s3ctl key list -j >"$tmp/keys.before"
$s3ctl bucket list -j >"$tmp/buckets.before"
check "dev detach" $s3ctl dev detach
expect_fail "detach without a store" 1 "no store is attached" $s3ctl dev detach
expect_fail "key list without a store" 1 "no store is attached" \
	$s3ctl key list
check "status: no device after detach" \
	bash -c "$s3ctl status -j | python3 -c '
import json, sys
s = json.load(sys.stdin)
assert s[\"state\"] == \"no-device\" and \"uuid\" not in s, s'"
check "fsck $dev after detach: clean, exit 0" \
	bash -c "$s3ctl fsck $dev -j >$tmp/fsck.json"
check "fsck -j sees the metadata and a checkpoint" json "$tmp/fsck.json" "
assert j['clean'] and j['problems'] == [], j
assert j['superblock']['uuid'] == '$uuid', j
assert j['metadata']['buckets'] == 151 and j['metadata']['keys'] == 1, j
assert j['metadata']['grants'] == 151, j
assert j['checkpoint'] is not None and j['checkpoint']['ops'] > 0, j"
check "dev attach again" $s3ctl dev attach $dev
check "keys and grants persisted" \
	bash -c "$s3ctl key list -j | cmp -s - $tmp/keys.before"
check "buckets and quotas persisted" \
	bash -c "$s3ctl bucket list -j | cmp -s - $tmp/buckets.before"
check "rmmod with a store attached detaches it" rmmod ks3
check "insmod, attach: still all there" bash -c "insmod module/ks3.ko && \
	$s3ctl dev attach $dev && $s3ctl key list -j | cmp -s - $tmp/keys.before"

# A deleted key's id must not come back: its buckets still name it as
# their owner, and a new key with that id would own them after a
# checkpoint and re-attach.
carol=$($s3ctl key create carol -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])')
check "bucket create carols --owner carol" $s3ctl bucket create carols --owner "$carol"
check "key delete carol, who owns a bucket" $s3ctl key delete "$carol"
check "detach (checkpoint) and attach" bash -c "$s3ctl dev detach && $s3ctl dev attach $dev"
dave=$($s3ctl key create dave -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_key"])')
check "a new key does not inherit the deleted key's bucket" \
	bash -c "$s3ctl bucket list -j | python3 -c '
import json, sys
b = {x[\"name\"]: x for x in json.load(sys.stdin)}
assert b[\"carols\"][\"owner\"] != \"$dave\", b[\"carols\"]'"
$s3ctl bucket delete carols >/dev/null
$s3ctl key delete "$dave" >/dev/null
check "detach --force with nothing in flight" $s3ctl dev detach --force
check "fsck after the reload: clean" bash -c "$s3ctl fsck $dev >/dev/null"

# ---------------------------------------------------------- bad input --
expect_fail "attach a missing device" 1 "no such device" \
	$s3ctl dev attach /dev/nonexistent
truncate -s 64M "$tmp/file.img"
expect_fail "attach a regular file" 1 "not a block device" \
	$s3ctl dev attach "$tmp/file.img"
truncate -s 2M "$tmp/small.img"
expect_fail "format a 2 MiB image: too small" 1 "needs at least 4 MiB" \
	$s3ctl dev format "$tmp/small.img"
expect_fail "fsck a missing device: exit 2" 2 "no such device" \
	$s3ctl fsck /dev/nonexistent

# A foreign device: ext4 on a loop device.
truncate -s 64M "$tmp/ext4.img"
mkfs.ext4 -q -F "$tmp/ext4.img" >/dev/null 2>&1
ext4=$(loop "$tmp/ext4.img")
expect_fail "attach an ext4 device: not a ks3 store" 1 \
	"not a ks3 store \(run s3ctl dev format\)" $s3ctl dev attach "$ext4"
expect_fail "format refuses an ext4 device" 1 "holds a ext4 filesystem" \
	$s3ctl dev format "$ext4"
expect_fail "fsck of an ext4 device: a problem, exit 1" 1 "1 problem found" \
	$s3ctl fsck "$ext4"
check "format --force takes it, and erases the ext4 signature" \
	bash -c "$s3ctl dev format --force $ext4 >/dev/null && ! blkid -p $ext4 >/dev/null 2>&1"
check "attach the new store" $s3ctl dev attach "$ext4"
check "detach it" $s3ctl dev detach
losetup -d "$ext4"

# A truncated store: formatted at 64 MiB, cut to 32 MiB.
truncate -s 64M "$tmp/trunc.img"
$s3ctl dev format "$tmp/trunc.img" >/dev/null
truncate -s 32M "$tmp/trunc.img"
trunc=$(loop "$tmp/trunc.img")
expect_fail "attach a truncated store" 1 "smaller than the store.*truncated" \
	$s3ctl dev attach "$trunc"
expect_fail "fsck of a truncated store: exit 1" 1 "problem" $s3ctl fsck "$trunc"
losetup -d "$trunc"

# A newer format version in both copies: refused, and nothing written.
truncate -s 64M "$tmp/new.img"
$s3ctl dev format "$tmp/new.img" >/dev/null
for off in 8 4104; do
	printf '\x02' | dd of="$tmp/new.img" bs=1 seek=$off conv=notrunc status=none
done
newer=$(loop "$tmp/new.img")
sum=$(sha256sum <"$newer")
expect_fail "attach a store with a newer format version" 1 \
	"newer format version" $s3ctl dev attach "$newer"
check "a refused attach writes nothing" test "$(sha256sum <"$newer")" = "$sum"
losetup -d "$newer"

# Damaged superblocks: one bad copy still attaches, two do not.
truncate -s 64M "$tmp/bad.img"
$s3ctl dev format "$tmp/bad.img" >/dev/null
printf '\xff' | dd of="$tmp/bad.img" bs=1 seek=40 conv=notrunc status=none
expect_fail "fsck reports one bad superblock copy" 1 "1 problem found" \
	$s3ctl fsck "$tmp/bad.img"
check "fsck names the bad copy" \
	bash -c "$s3ctl fsck $tmp/bad.img 2>/dev/null | grep -q 'copy 0 is unusable: superblock checksum mismatch'"
bad=$(loop "$tmp/bad.img")
check "attach with one bad copy works (the other is used)" \
	bash -c "$s3ctl dev attach $bad && $s3ctl dev detach"
losetup -d "$bad"
check "attach rewrote the bad copy: fsck clean" $s3ctl fsck "$tmp/bad.img"
for off in 40 $((4096 + 40)); do
	printf '\xff' | dd of="$tmp/bad.img" bs=1 seek=$off conv=notrunc status=none
done
bad=$(loop "$tmp/bad.img")
expect_fail "attach with both copies damaged: the store is damaged" 1 \
	"the store is damaged: superblock checksum mismatch \(run s3ctl fsck" \
	$s3ctl dev attach "$bad"
losetup -d "$bad"

expect_fail "an unprivileged user cannot list keys" 1 \
	"[Pp]ermission|CAP_NET_ADMIN|not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups $s3ctl key list
check "rmmod ks3" rmmod ks3

dmesg >"$tmp/dmesg"
check "no WARN/BUG/lockdep report in the kernel log" no_splats "$tmp/dmesg"
rm -rf "$tmp"
summary
