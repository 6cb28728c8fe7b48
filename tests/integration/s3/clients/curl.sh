#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# curl --aws-sigv4 against ks3: PUT --data-binary, PUT -T, GET, Range,
# HEAD, listings, DELETE and errors.
#
# Debian's curl 7.88 sends no x-amz-content-sha256 header (curl >= 8.1
# adds one for service s3). Given one with -H, it signs it and uses its
# value as the payload hash, so every request here passes one: the data's
# SHA-256, or UNSIGNED-PAYLOAD. AWS refuses a request without the header
# (400 InvalidRequest "Missing required header for this request:
# x-amz-content-sha256"); how ks3 answers a bare curl 7.88 request is
# logged as a # line.
. "$(dirname "$0")/lib.sh"

sig=(--aws-sigv4 "aws:amz:${KS3_S3_REGION:-us-east-1}:s3" --user "$KS3_S3_ACCESS_KEY:$KS3_S3_SECRET_KEY")
unsigned=(-H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
c() { curl -sS -m 60 "${sig[@]}" "$@"; }
e=$KS3_S3_ENDPOINT
b=$(unique_bucket curl)
d=$work/data
rm -rf "$d"
mkdir -p "$d"
head -c 5000 /dev/urandom >"$d/blob"
blob_sha=$(sha256sum <"$d/blob" | cut -d' ' -f1)
echo "# $(curl --version | head -n 1)"

# code ARGS...: prints the HTTP status of a signed curl request.
code() { c -o "$d/body" -w '%{http_code}' "$@"; }

expect_code() {
	local name=$1 want=$2 got
	shift 2
	got=$(code "$@" 2>>"$log")
	if [ "$got" = "$want" ]; then ok "$name"
	else not_ok "$name (HTTP $got, want $want: $(head -c 300 "$d/body" 2>/dev/null | tr '\n' ' '))"; fi
}

expect_code "curl: PUT bucket" 200 "${unsigned[@]}" -X PUT "$e/$b"
expect_code "curl: PUT --data-binary with the data's x-amz-content-sha256" 200 \
	-X PUT -H "x-amz-content-sha256: $blob_sha" -H 'Content-Type: application/octet-stream' \
	--data-binary @"$d/blob" "$e/$b/blob"
expect_code "curl: GET" 200 "${unsigned[@]}" "$e/$b/blob"
same "curl: GET returns the PUT data" "$d/blob" "$d/body"
expect_code "curl: PUT --data-binary with x-amz-content-sha256: UNSIGNED-PAYLOAD" 200 \
	-X PUT -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -H 'Content-Type: text/plain' \
	--data-binary @"$d/blob" "$e/$b/unsigned"
expect_code "curl: PUT -T with the real x-amz-content-sha256" 200 \
	-H "x-amz-content-sha256: $blob_sha" -T "$d/blob" "$e/$b/uploaded"
expect_code "curl: GET the -T upload" 200 "${unsigned[@]}" "$e/$b/uploaded"
same "curl: -T upload round trip" "$d/blob" "$d/body"
c -I "${unsigned[@]}" "$e/$b/blob" 2>>"$log" | tr -d '\r' >"$d/head"
expect "curl: HEAD is 200 with Content-Length and ETag" bash -c \
	"grep -q '^HTTP/1.1 200' '$d/head' && grep -qi '^content-length: 5000\$' '$d/head' &&
	 grep -qi '^etag: \"$(md5sum <"$d/blob" | cut -d' ' -f1)\"' '$d/head'"
expect_code "curl: GET with a Range" 206 "${unsigned[@]}" -H 'Range: bytes=0-99' "$e/$b/blob"
expect "curl: the range is the first 100 bytes" bash -c "cmp -n 100 '$d/blob' '$d/body' && [ \$(stat -c %s '$d/body') = 100 ]"
expect_code "curl: GET bucket (ListObjects)" 200 "${unsigned[@]}" "$e/$b"
expect "curl: the listing names the objects" bash -c \
	"grep -q '<Key>blob</Key>' '$d/body' && grep -q '<Key>unsigned</Key>' '$d/body'"
expect_code "curl: GET ?list-type=2&prefix=u" 200 "${unsigned[@]}" "$e/$b?list-type=2&prefix=u"
expect "curl: v2 listing with a prefix" bash -c \
	"grep -q '<Key>unsigned</Key>' '$d/body' && ! grep -q '<Key>blob</Key>' '$d/body' && grep -q '<KeyCount>2</KeyCount>' '$d/body'"
expect_code "curl: wrong secret is 403" 403 "${unsigned[@]}" --user "$KS3_S3_ACCESS_KEY:wrongsecretwrongsecret" "$e/$b/blob"
expect "curl: ... SignatureDoesNotMatch" grep -q '<Code>SignatureDoesNotMatch</Code>' "$d/body"
got=$(curl -sS -m 60 -o "$d/body" -w '%{http_code}' "$e/$b/blob" 2>>"$log")
if [ "$got" = 403 ] && grep -q '<Code>AccessDenied</Code>' "$d/body"; then
	ok "curl: unsigned GET is 403 AccessDenied"
else
	not_ok "curl: unsigned GET is 403 AccessDenied (HTTP $got: $(head -c 300 "$d/body"))"
fi
for k in blob unsigned uploaded; do
	expect_code "curl: DELETE $k is 204" 204 "${unsigned[@]}" -X DELETE "$e/$b/$k"
done
expect_code "curl: GET after DELETE is 404" 404 "${unsigned[@]}" "$e/$b/blob"
expect "curl: ... NoSuchKey" grep -q '<Code>NoSuchKey</Code>' "$d/body"
got=$(code -X PUT --data-binary @"$d/blob" "$e/$b/bare" 2>>"$log")
echo "# bare curl 7.88 PUT --data-binary (no x-amz-content-sha256): HTTP $got $(grep -o '<Code>[^<]*</Code>' "$d/body")"
got=$(code "$e/$b/blob" 2>>"$log")
echo "# bare curl 7.88 GET (no x-amz-content-sha256): HTTP $got $(grep -o '<Code>[^<]*</Code>' "$d/body")"
c "${unsigned[@]}" -X DELETE "$e/$b/bare" >/dev/null 2>&1
expect_code "curl: DELETE bucket is 204" 204 "${unsigned[@]}" -X DELETE "$e/$b"
summary
