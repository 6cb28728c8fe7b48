#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rclone against ks3, configured from the environment only
# (RCLONE_CONFIG_KS3_*: type s3, provider Other): mkdir, copy, check,
# sync (with a deletion), lsjson, cat, delete, rmdir.
. "$(dirname "$0")/lib.sh"

export RCLONE_CONFIG=$work/rclone.conf
: >"$RCLONE_CONFIG"
export RCLONE_CONFIG_KS3_TYPE=s3
export RCLONE_CONFIG_KS3_PROVIDER=Other
export RCLONE_CONFIG_KS3_ENV_AUTH=false
export RCLONE_CONFIG_KS3_ACCESS_KEY_ID=$KS3_S3_ACCESS_KEY
export RCLONE_CONFIG_KS3_SECRET_ACCESS_KEY=$KS3_S3_SECRET_KEY
export RCLONE_CONFIG_KS3_ENDPOINT=$KS3_S3_ENDPOINT
export RCLONE_CONFIG_KS3_REGION=${KS3_S3_REGION:-us-east-1}
export RCLONE_CONFIG_KS3_FORCE_PATH_STYLE=true
r() { rclone --retries 1 --low-level-retries 1 "$@"; }
b=$(unique_bucket rclone)
d=$work/data
rm -rf "$d"
mkdir -p "$d"
echo "# $(rclone version | head -n 1)"

expect "rclone: mkdir (bucket)" r mkdir "ks3:$b" || { summary; exit 1; }
make_tree "$d/tree"
expect "rclone: copy" r copy "$d/tree" "ks3:$b/tree"
expect "rclone: check (sizes and MD5)" r check "$d/tree" "ks3:$b/tree"
expect "rclone: check --download (content)" r check --download "$d/tree" "ks3:$b/tree"
expect "rclone: lsjson lists every file with sizes" bash -c "$(declare -f r); r lsjson -R --files-only ks3:$b/tree |
	/usr/bin/python3 -c '
import json, os, sys
got = {e[\"Path\"]: e[\"Size\"] for e in json.load(sys.stdin)}
want = {}
for root, _, files in os.walk(\"$d/tree\"):
    for f in files:
        p = os.path.join(root, f)
        want[os.path.relpath(p, \"$d/tree\")] = os.path.getsize(p)
assert got == want, (got, want)'"
expect "rclone: lsjson --hash gives MD5s" bash -c "$(declare -f r); r lsjson --hash ks3:$b/tree/sub |
	/usr/bin/python3 -c '
import json, sys, hashlib
e = {x[\"Path\"]: x for x in json.load(sys.stdin)}
want = hashlib.md5(open(\"$d/tree/sub/random.bin\", \"rb\").read()).hexdigest()
assert e[\"random.bin\"][\"Hashes\"][\"md5\"] == want, e'"
rm "$d/tree/sub/deep/nested.bin"
rmdir "$d/tree/sub/deep"  # S3 keeps no empty directories
printf 'new file\n' >"$d/tree/new.txt"
printf 'changed\n' >"$d/tree/hello.txt"
expect "rclone: sync (a change, an addition, a deletion)" r sync "$d/tree" "ks3:$b/tree"
expect "rclone: check after sync" r check "$d/tree" "ks3:$b/tree"
expect "rclone: cat" bash -c "$(declare -f r); r cat ks3:$b/tree/hello.txt | cmp - '$d/tree/hello.txt'"
expect "rclone: copy back" r copy "ks3:$b/tree" "$d/back"
expect "rclone: copied back tree is identical" diff -r "$d/tree" "$d/back"
expect "rclone: delete" r delete "ks3:$b"
expect "rclone: rmdir (bucket)" r rmdir "ks3:$b"
expect "rclone: bucket is gone" bash -c \
	"$(declare -f r); out=\$(r lsd ks3:) && ! grep -q ' $b\$' <<<\"\$out\""
summary
