#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Multipart with stock command-line clients (issue 6): s3cmd multipart
# put/get (5 MiB chunks), multipart listing and abort through aws s3api,
# and a CopyObject of a multipart object through aws s3 cp.
. "$(dirname "$0")/lib.sh"

export AWS_ACCESS_KEY_ID=$KS3_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$KS3_S3_SECRET_KEY
export AWS_DEFAULT_REGION=${KS3_S3_REGION:-us-east-1} AWS_PAGER=""
aws=${KS3_AWS:-/usr/bin/aws}
a() { "$aws" --endpoint-url "$KS3_S3_ENDPOINT" "$@"; }

hostport=${KS3_S3_ENDPOINT#http://}
cfg=$work/s3cfg
cat >"$cfg" <<EOT
[default]
access_key = $KS3_S3_ACCESS_KEY
secret_key = $KS3_S3_SECRET_KEY
host_base = $hostport
host_bucket = $hostport
bucket_location = ${KS3_S3_REGION:-us-east-1}
use_https = False
signature_v2 = False
check_ssl_certificate = False
EOT
s() { s3cmd -c "$cfg" --no-progress "$@"; }
b=$(unique_bucket mpcli)
d=$work/data
rm -rf "$d"
mkdir -p "$d"
head -c $((12 * 1024 * 1024 + 4321)) /dev/urandom >"$d/mp.bin"
want=$(sha256sum <"$d/mp.bin" | cut -d' ' -f1)

expect "multipart: mb" a s3 mb "s3://$b" || { summary; exit 1; }
expect "multipart: s3cmd put in 5 MiB chunks" s put --multipart-chunk-size-mb=5 "$d/mp.bin" "s3://$b/s3cmd.bin"
expect "multipart: s3cmd's object has a 3-part ETag" bash -c \
	"$(declare -f a); aws=$aws; a s3api head-object --bucket $b --key s3cmd.bin --query ETag --output text | grep -q -- '-3\"\\?\$'"
expect "multipart: s3cmd get" s get "s3://$b/s3cmd.bin" "$d/s3cmd.back"
got=$(sha256sum <"$d/s3cmd.back" | cut -d' ' -f1)
if [ "$got" = "$want" ]; then ok "multipart: s3cmd round trip keeps the sha256"
else not_ok "multipart: s3cmd round trip keeps the sha256 ($got != $want)"; fi

# An upload left open is listed, then aborted.
id=$(a s3api create-multipart-upload --bucket "$b" --key open.bin --query UploadId --output text 2>>"$log")
if [ -n "$id" ]; then ok "multipart: create-multipart-upload"; else not_ok "multipart: create-multipart-upload"; fi
expect "multipart: upload-part" a s3api upload-part --bucket "$b" --key open.bin --upload-id "$id" \
	--part-number 1 --body "$d/mp.bin"
expect "multipart: list-multipart-uploads shows it" bash -c \
	"$(declare -f a); aws=$aws; a s3api list-multipart-uploads --bucket $b --query 'Uploads[].UploadId' --output text | grep -q $id"
expect "multipart: list-parts shows the part" bash -c \
	"$(declare -f a); aws=$aws; [ \"\$(a s3api list-parts --bucket $b --key open.bin --upload-id $id --query 'Parts[0].Size' --output text)\" = $((12 * 1024 * 1024 + 4321)) ]"
expect "multipart: s3cmd multipart lists it" bash -c "$(declare -f s); cfg='$cfg'; s multipart s3://$b | grep -q $id"
expect "multipart: abort-multipart-upload" a s3api abort-multipart-upload --bucket "$b" --key open.bin --upload-id "$id"
expect "multipart: no upload left" bash -c \
	"$(declare -f a); aws=$aws; [ \"\$(a s3api list-multipart-uploads --bucket $b --query 'length(Uploads || \`[]\`)' --output text)\" = 0 ]"

# Server-side copy of the multipart object.
expect "multipart: aws s3 cp s3:// s3:// (CopyObject)" a s3 cp "s3://$b/s3cmd.bin" "s3://$b/copy.bin"
expect "multipart: the copy downloads" a s3 cp "s3://$b/copy.bin" "$d/copy.back"
got=$(sha256sum <"$d/copy.back" | cut -d' ' -f1)
if [ "$got" = "$want" ]; then ok "multipart: the copy has the same sha256"
else not_ok "multipart: the copy has the same sha256 ($got != $want)"; fi
expect "multipart: aws s3 rm --recursive (DeleteObjects)" a s3 rm --recursive "s3://$b"
expect "multipart: rb" a s3 rb "s3://$b"
summary
