#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# aws-cli against ks3: s3 mb/cp/ls/sync/rm --recursive/rb, s3api calls
# (head-object, list-objects-v2 with a delimiter, put/get-object with
# metadata, get-bucket-location), presign. Runs with every aws found:
# Debian's awscli (/usr/bin/aws, v2.9, before the 2025 checksum defaults)
# and the `aws` on PATH if it is another one (e.g. aws-cli v1 with
# botocore >= 1.36, which sends CRC32 checksums by default). KS3_AWS
# overrides the list. Each one's checksum path is logged as a # line. The
# generated config sets signature_version = s3v4: aws-cli v1's `s3 presign`
# otherwise makes SigV2 URLs, which ks3 (SigV4 only) refuses.
. "$(dirname "$0")/lib.sh"

export AWS_ACCESS_KEY_ID=$KS3_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$KS3_S3_SECRET_KEY
export AWS_DEFAULT_REGION=${KS3_S3_REGION:-us-east-1}
unset AWS_PROFILE AWS_SESSION_TOKEN
export AWS_PAGER=""
export AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials
cat >"$AWS_CONFIG_FILE" <<EOT
[default]
region = ${KS3_S3_REGION:-us-east-1}
s3 =
    addressing_style = path
    signature_version = s3v4
EOT
: >"$AWS_SHARED_CREDENTIALS_FILE"

if [ -n "${KS3_AWS:-}" ]; then
	read -r -a clis <<<"$KS3_AWS"
else
	clis=()
	[ -x /usr/bin/aws ] && clis+=(/usr/bin/aws)
	p=$(command -v aws 2>/dev/null)
	if [ -n "$p" ] && [ "$(readlink -f "$p")" != /usr/bin/aws ] &&
	   "$p" --version >/dev/null 2>&1; then
		clis+=("$p")
	fi
fi
if [ ${#clis[@]} -eq 0 ]; then
	not_ok "aws-cli: no aws found (install Debian's awscli)"
	summary
	exit 1
fi

scenario() {
	local aws=$1 v b d e3 n
	v=$("$aws" --version 2>&1 | awk '{print $1}')
	a() { "$aws" --endpoint-url "$KS3_S3_ENDPOINT" "$@"; }
	d=$work/$(echo "$v" | tr '/' '-')
	rm -rf "$d"
	mkdir -p "$d"
	b=$(unique_bucket awscli)
	echo "# $v ($aws): $("$aws" --version 2>&1)"

	expect "$v: s3 mb" a s3 mb "s3://$b" || return
	expect "$v: s3 ls shows the bucket" bash -c \
		"$(declare -f a); aws=$aws; a s3 ls | grep -q ' $b\$'"

	printf 'single file\n' >"$d/one.txt"
	expect "$v: s3 cp upload" a s3 cp "$d/one.txt" "s3://$b/one.txt"
	expect "$v: s3 cp download" a s3 cp "s3://$b/one.txt" "$d/one.back"
	same "$v: s3 cp round trip" "$d/one.txt" "$d/one.back"
	a s3 cp - "s3://$b/stdin.txt" <"$d/one.txt" >>"$log" 2>&1
	expect "$v: s3 cp from stdin and to stdout" bash -c \
		"$(declare -f a); aws=$aws; a s3 cp s3://$b/stdin.txt - | cmp - '$d/one.txt'"
	expect "$v: s3 ls lists the object" bash -c \
		"$(declare -f a); aws=$aws; a s3 ls s3://$b/ | grep -q ' one.txt\$'"

	make_tree "$d/tree"
	expect "$v: s3 sync up" a s3 sync "$d/tree" "s3://$b/tree/"
	expect "$v: s3 sync down" a s3 sync "s3://$b/tree/" "$d/tree.back"
	expect "$v: synced trees are identical" diff -r "$d/tree" "$d/tree.back"
	printf 'changed\n' >"$d/tree/hello.txt"
	n=$(a s3 sync "$d/tree" "s3://$b/tree/" 2>&1 | tr '\r' '\n' | tee -a "$log" | grep -c '^upload:')
	if [ "$n" = 1 ]; then ok "$v: s3 sync uploads only the changed file"
	else not_ok "$v: s3 sync uploads only the changed file (uploaded $n)"; fi
	n=$(a s3 ls --recursive "s3://$b/tree/" 2>>"$log" | wc -l)
	if [ "$n" = 7 ]; then ok "$v: s3 ls --recursive counts 7 objects"
	else not_ok "$v: s3 ls --recursive counts 7 objects (got $n)"; fi

	expect "$v: s3api head-object" bash -c \
		"$(declare -f a); aws=$aws; a s3api head-object --bucket $b --key tree/sub/random.bin --output json |
		 /usr/bin/python3 -c 'import json,sys; assert json.load(sys.stdin)[\"ContentLength\"] == 10240'"
	expect "$v: s3api list-objects-v2 with a delimiter" bash -c \
		"$(declare -f a); aws=$aws; a s3api list-objects-v2 --no-paginate --bucket $b --prefix tree/ --delimiter / --output json |
		 /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
assert sorted(p[\"Prefix\"] for p in r[\"CommonPrefixes\"]) == [\"tree/sub/\", \"tree/with space/\"], r
assert sorted(o[\"Key\"] for o in r[\"Contents\"]) == [\"tree/empty\", \"tree/hello.txt\"], r
assert r[\"KeyCount\"] == 4, r'"
	expect "$v: s3api put-object with metadata and content type" \
		a s3api put-object --bucket "$b" --key meta.txt --body "$d/one.txt" \
		--content-type text/x-ks3 --metadata color=green,size=small
	expect "$v: s3api get-object returns them" bash -c \
		"$(declare -f a); aws=$aws; a s3api get-object --bucket $b --key meta.txt '$d/meta.out' --output json |
		 /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r[\"ContentType\"] == \"text/x-ks3\", r
assert r[\"Metadata\"] == {\"color\": \"green\", \"size\": \"small\"}, r' && cmp '$d/meta.out' '$d/one.txt'"
	expect "$v: s3api get-bucket-location" a s3api get-bucket-location --bucket "$b"

	# Which checksum path this aws takes for a PutObject over http://.
	a --debug s3api put-object --bucket "$b" --key probe.txt --body "$d/one.txt" \
		>"$d/debug.log" 2>&1
	local cs te
	cs=$(grep -oiE "'x-amz-(checksum-[a-z0-9]+|sdk-checksum-algorithm|content-sha256)': b?'[^']*'" \
		"$d/debug.log" | sort -u | tr '\n' ' ')
	te=$(grep -oiE "'(content-encoding|transfer-encoding|x-amz-trailer)': b?'[^']*'" \
		"$d/debug.log" | sort -u | tr '\n' ' ')
	echo "# $v PutObject sends: ${cs:-no checksum headers} ${te}"

	url=$(a s3 presign "s3://$b/one.txt" --expires-in 300 2>>"$log")
	expect "$v: s3 presign URL works with curl" bash -c "curl -sf '$url' | cmp - '$d/one.txt'"

	expect "$v: s3 rm --recursive" a s3 rm --recursive "s3://$b/tree/"
	n=$(a s3 ls --recursive "s3://$b/tree/" 2>>"$log" | wc -l)
	if [ "$n" = 0 ]; then ok "$v: nothing left under tree/"
	else not_ok "$v: nothing left under tree/ ($n left)"; fi
	# Each refusal must be the one S3 error meant, not any failure.
	expect "$v: s3 rb refuses a non-empty bucket: BucketNotEmpty" bash -c \
		"$(declare -f a); aws=$aws; out=\$(a s3 rb s3://$b 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -ne 0 ] && grep -q BucketNotEmpty <<<\"\$out\""
	expect "$v: s3 rm the rest" a s3 rm --recursive "s3://$b/"
	expect "$v: s3 rb" a s3 rb "s3://$b"
	expect "$v: the bucket is gone: HeadBucket 404" bash -c \
		"$(declare -f a); aws=$aws; out=\$(a s3api head-bucket --bucket $b 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -ne 0 ] && grep -q '(404)' <<<\"\$out\""
}

for cli in "${clis[@]}"; do
	scenario "$cli"
done
summary
