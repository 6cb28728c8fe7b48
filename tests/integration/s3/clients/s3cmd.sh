#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# s3cmd against ks3 with a generated config (path style: host_bucket
# without %(bucket)s; SigV4: signature_v2 = False): mb, put, get, ls,
# info, sync, del, rb.
. "$(dirname "$0")/lib.sh"

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
guess_mime_type = True
EOT
s() { s3cmd -c "$cfg" --no-progress "$@"; }
b=$(unique_bucket s3cmd)
d=$work/data
rm -rf "$d"
mkdir -p "$d"
echo "# $(s3cmd --version)"

expect "s3cmd: mb" s mb "s3://$b" || { summary; exit 1; }
expect "s3cmd: ls shows the bucket" bash -c "$(declare -f s); cfg='$cfg'; s ls | grep -q 's3://$b\$'"
printf 'hello from s3cmd\n' >"$d/hello.txt"
head -c 20000 /dev/urandom >"$d/blob.bin"
expect "s3cmd: put" s put "$d/hello.txt" "$d/blob.bin" "s3://$b/dir/"
expect "s3cmd: get" s get "s3://$b/dir/blob.bin" "$d/blob.back"
same "s3cmd: get returns what put stored" "$d/blob.bin" "$d/blob.back"
expect "s3cmd: ls lists both objects" bash -c \
	"$(declare -f s); cfg='$cfg'; [ \$(s ls s3://$b/dir/ | grep -c 's3://$b/dir/') = 2 ]"
expect "s3cmd: ls shows a directory prefix" bash -c \
	"$(declare -f s); cfg='$cfg'; s ls s3://$b/ | grep -q 'DIR *s3://$b/dir/'"
expect "s3cmd: info shows the MD5 and the content type" bash -c \
	"$(declare -f s); cfg='$cfg'; s info s3://$b/dir/hello.txt | tee /dev/stderr |
	 grep -q \"MD5 sum: *$(md5sum <"$d/hello.txt" | cut -d' ' -f1)\" &&
	 s info s3://$b/dir/hello.txt | grep -qi 'MIME type: *text/plain'"
make_tree "$d/tree"
expect "s3cmd: sync up" s sync "$d/tree/" "s3://$b/tree/"
expect "s3cmd: sync down" s sync "s3://$b/tree/" "$d/tree.back/"
expect "s3cmd: synced trees are identical" diff -r "$d/tree" "$d/tree.back"
expect "s3cmd: del" s del "s3://$b/dir/hello.txt"
# Negative checks: the listing must succeed and lack the name; a refusal
# must be the S3 error meant, not any failure (a dead server included).
expect "s3cmd: deleted object is gone" bash -c \
	"$(declare -f s); cfg='$cfg'; out=\$(s ls s3://$b/dir/) && ! grep -q hello.txt <<<\"\$out\""
expect "s3cmd: rb refuses a non-empty bucket: BucketNotEmpty" bash -c \
	"$(declare -f s); cfg='$cfg'; out=\$(s rb s3://$b 2>&1); rc=\$?; echo \"\$out\"; [ \$rc -ne 0 ] && grep -q BucketNotEmpty <<<\"\$out\""
expect "s3cmd: del --recursive --force" s del --recursive --force "s3://$b/"
expect "s3cmd: rb" s rb "s3://$b"
expect "s3cmd: the bucket is gone" bash -c \
	"$(declare -f s); cfg='$cfg'; out=\$(s ls) && ! grep -q 's3://$b\$' <<<\"\$out\""
summary
