#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Large objects (run.sh --large, not make check): aws s3 cp of a 100 MiB
# file up and down (multipart with the default 8 MiB threshold) with the
# same sha256, and rclone copy/check of a tree holding a multipart object.
# Size: KS3_S3_LARGE_MIB (default 100).
. "$(dirname "$0")/lib.sh"

export AWS_ACCESS_KEY_ID=$KS3_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$KS3_S3_SECRET_KEY
export AWS_DEFAULT_REGION=${KS3_S3_REGION:-us-east-1} AWS_PAGER=""
aws=${KS3_AWS:-/usr/bin/aws}
a() { "$aws" --endpoint-url "$KS3_S3_ENDPOINT" "$@"; }
mib=${KS3_S3_LARGE_MIB:-100}
b=$(unique_bucket large)
d=$work/data
rm -rf "$d"
mkdir -p "$d/tree"
head -c $((mib * 1024 * 1024)) /dev/urandom >"$d/tree/big.bin"
want=$(sha256sum <"$d/tree/big.bin" | cut -d' ' -f1)

expect "large: mb" a s3 mb "s3://$b" || { summary; exit 1; }
t0=$SECONDS
expect "large: aws s3 cp ${mib} MiB up (multipart)" a s3 cp "$d/tree/big.bin" "s3://$b/big.bin"
echo "# upload ${mib} MiB: $((SECONDS - t0))s"
expect "large: the ETag is a multipart ETag" bash -c \
	"$(declare -f a); aws=$aws; a s3api head-object --bucket $b --key big.bin --query ETag --output text | grep -Eq -- '-[0-9]+\"?\$'"
t0=$SECONDS
expect "large: aws s3 cp ${mib} MiB down" a s3 cp "s3://$b/big.bin" "$d/big.back"
echo "# download ${mib} MiB: $((SECONDS - t0))s"
got=$(sha256sum <"$d/big.back" | cut -d' ' -f1)
if [ "$got" = "$want" ]; then ok "large: same sha256 after the round trip"
else not_ok "large: same sha256 after the round trip ($got != $want)"; fi
rm -f "$d/big.back"

export RCLONE_CONFIG=$work/rclone.conf
: >"$RCLONE_CONFIG"
export RCLONE_CONFIG_KS3_TYPE=s3 RCLONE_CONFIG_KS3_PROVIDER=Other RCLONE_CONFIG_KS3_ENV_AUTH=false
export RCLONE_CONFIG_KS3_ACCESS_KEY_ID=$KS3_S3_ACCESS_KEY RCLONE_CONFIG_KS3_SECRET_ACCESS_KEY=$KS3_S3_SECRET_KEY
export RCLONE_CONFIG_KS3_ENDPOINT=$KS3_S3_ENDPOINT RCLONE_CONFIG_KS3_REGION=${KS3_S3_REGION:-us-east-1}
printf 'small\n' >"$d/tree/small.txt"
expect "large: rclone copy of a tree with a multipart object" \
	rclone --retries 1 --s3-upload-cutoff 16M --s3-chunk-size 8M copy "$d/tree" "ks3:$b/tree"
expect "large: rclone check --download" rclone --retries 1 check --download "$d/tree" "ks3:$b/tree"
expect "large: clean up" a s3 rb --force "s3://$b"
summary
