#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check-large (not make check): a 5 GiB object up and down through
# aws s3 cp (multipart, default thresholds) with its sha256 checked end to
# end, and a single PUT of 5 GiB + 1 byte refused with EntityTooLarge
# before any data is stored. Size: KS3_S3_LARGE5G_MIB (default 5120).
. "$(dirname "$0")/lib.sh"

export AWS_ACCESS_KEY_ID=$KS3_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$KS3_S3_SECRET_KEY
export AWS_DEFAULT_REGION=${KS3_S3_REGION:-us-east-1} AWS_PAGER=""
aws=${KS3_AWS:-/usr/bin/aws}
a() { "$aws" --endpoint-url "$KS3_S3_ENDPOINT" "$@"; }
mib=${KS3_S3_LARGE5G_MIB:-5120}
b=$(unique_bucket large5g)
d=$work/data
rm -rf "$d"
mkdir -p "$d"

# Random data (not sparse: zeroes would hide offset bugs), hashed as written.
want=$(head -c $((mib * 1024 * 1024)) /dev/urandom | tee "$d/big.bin" | sha256sum | cut -d' ' -f1)
expect "large5g: mb" a s3 mb "s3://$b" || { summary; exit 1; }
t0=$SECONDS
expect "large5g: aws s3 cp ${mib} MiB up (multipart)" a s3 cp "$d/big.bin" "s3://$b/big.bin"
echo "# upload ${mib} MiB: $((SECONDS - t0))s"
expect "large5g: multipart ETag and size" bash -c \
	"$(declare -f a); aws=$aws; a s3api head-object --bucket $b --key big.bin --query '[ETag,ContentLength]' --output text | grep -Eq -- '-[0-9]+\"?[[:space:]]+$((mib * 1024 * 1024))\$'"
t0=$SECONDS
got=$(a s3 cp "s3://$b/big.bin" - 2>>"$log" | sha256sum | cut -d' ' -f1)
echo "# download ${mib} MiB: $((SECONDS - t0))s"
if [ "$got" = "$want" ]; then ok "large5g: same sha256 after the round trip"
else not_ok "large5g: same sha256 after the round trip ($got != $want)"; fi
rm -f "$d/big.bin"

# 5 GiB + 1 in one PUT: refused at the head (sparse file, nothing read).
truncate -s $((5 * 1024 * 1024 * 1024 + 1)) "$d/over.bin"
out=$(a s3api put-object --bucket "$b" --key over.bin --body "$d/over.bin" 2>&1)
if printf '%s' "$out" | grep -q EntityTooLarge; then ok "large5g: a 5 GiB + 1 byte PUT is EntityTooLarge"
else not_ok "large5g: a 5 GiB + 1 byte PUT is EntityTooLarge ($(printf '%s' "$out" | tail -n 2 | tr '\n' ' '))"; fi
rm -f "$d/over.bin"
expect "large5g: nothing stored for it" bash -c \
	"$(declare -f a); aws=$aws; ! a s3api head-object --bucket $b --key over.bin"
expect "large5g: clean up" a s3 rb --force "s3://$b"
summary
