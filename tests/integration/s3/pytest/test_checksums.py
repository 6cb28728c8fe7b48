# SPDX-License-Identifier: GPL-2.0
"""Content-MD5 and the additional checksums (x-amz-checksum-*), in a header
and as an aws-chunked trailer; a mismatch is BadDigest and stores nothing;
x-amz-checksum-mode: ENABLED returns the stored checksum."""
import base64
import hashlib

import pytest
from botocore.exceptions import ClientError

import s3util
from s3util import checksum_b64, client_error

DATA = b"The quick brown fox jumps over the lazy dog\n" * 50
ALGS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"]
BOTO_NATIVE = {"crc32": "CRC32", "sha1": "SHA1", "sha256": "SHA256"}


def put_raw(bucket, key, data, headers):
    return s3util.request("PUT", "/%s/%s" % (bucket, key), headers=headers, body=data)


def get_checksum_header(bucket, key, alg, mode=True):
    h = {"x-amz-checksum-mode": "ENABLED"} if mode else {}
    r = s3util.request("HEAD", "/%s/%s" % (bucket, key), headers=h)
    assert r.status == 200, r
    return r.header("x-amz-checksum-" + alg)


@pytest.mark.parametrize("alg", ["crc32", "sha1", "sha256"])
def test_boto3_checksum_algorithm(s3, bucket, alg):
    # botocore computes the header itself (this botocore has no CRC32C/
    # CRC64NVME without awscrt; those are sent raw below).
    r = s3.put_object(Bucket=bucket, Key="k", Body=DATA, ChecksumAlgorithm=BOTO_NATIVE[alg])
    want = checksum_b64(alg, DATA)
    assert r.get("Checksum" + BOTO_NATIVE[alg]) == want
    g = s3.get_object(Bucket=bucket, Key="k", ChecksumMode="ENABLED")
    assert g.get("Checksum" + BOTO_NATIVE[alg]) == want
    assert g["Body"].read() == DATA


@pytest.mark.parametrize("alg", ALGS)
def test_checksum_header_stored_and_returned(bucket, alg):
    want = checksum_b64(alg, DATA)
    r = put_raw(bucket, "h-" + alg, DATA, {"x-amz-checksum-" + alg: want,
                                           "x-amz-sdk-checksum-algorithm": alg.upper()})
    assert r.status == 200, r
    assert r.header("x-amz-checksum-" + alg) == want
    assert get_checksum_header(bucket, "h-" + alg, alg) == want
    g = s3util.request("GET", "/%s/h-%s" % (bucket, alg), headers={"x-amz-checksum-mode": "ENABLED"})
    assert g.header("x-amz-checksum-" + alg) == want and g.body == DATA


def test_checksum_not_returned_without_mode(bucket):
    put_raw(bucket, "nm", DATA, {"x-amz-checksum-crc32": checksum_b64("crc32", DATA)})
    assert get_checksum_header(bucket, "nm", "crc32", mode=False) is None


@pytest.mark.parametrize("alg", ALGS)
def test_wrong_checksum_header_is_bad_digest_and_stores_nothing(s3, bucket, alg):
    wrong = checksum_b64(alg, DATA + b"!")
    r = put_raw(bucket, "w-" + alg, DATA, {"x-amz-checksum-" + alg: wrong})
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="w-" + alg)
    assert client_error(e)[0] == 404


def test_wrong_checksum_keeps_previous_version(s3, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"old")
    r = put_raw(bucket, "keep", DATA, {"x-amz-checksum-sha256": checksum_b64("sha256", b"other")})
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    assert s3.get_object(Bucket=bucket, Key="keep")["Body"].read() == b"old"


def test_malformed_checksum_header_is_invalid_request(bucket):
    r = put_raw(bucket, "mal", DATA, {"x-amz-checksum-crc32": "not base64!"})
    assert r.status == 400, r
    assert r.error_code() in ("InvalidRequest", "InvalidArgument", "BadDigest"), r


def test_content_md5_correct(s3, bucket):
    r = s3.put_object(Bucket=bucket, Key="md5", Body=DATA, ContentMD5=s3util.md5_b64(DATA))
    assert r["ETag"] == '"%s"' % hashlib.md5(DATA).hexdigest()


def test_content_md5_wrong_is_bad_digest(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="md5w", Body=DATA, ContentMD5=s3util.md5_b64(b"x"))
    assert client_error(e) == (400, "BadDigest")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="md5w")
    assert client_error(e)[0] == 404


def test_content_md5_malformed_is_invalid_digest(bucket):
    r = put_raw(bucket, "md5m", DATA, {"Content-MD5": base64.b64encode(b"short").decode()})
    assert (r.status, r.error_code()) == (400, "InvalidDigest"), r


def test_payload_sha256_mismatch(bucket):
    r = s3util.request("PUT", "/%s/sha" % bucket, body=DATA,
                       payload_hash=hashlib.sha256(b"other").hexdigest())
    assert (r.status, r.error_code()) == (400, "XAmzContentSHA256Mismatch"), r


def test_unsigned_payload(bucket):
    r = s3util.request("PUT", "/%s/unsigned" % bucket, body=DATA, payload_hash="UNSIGNED-PAYLOAD")
    assert r.status == 200, r
    assert s3util.request("GET", "/%s/unsigned" % bucket).body == DATA


# ------------------------------------------------------- aws-chunked ------

def chunked_put(bucket, key, data, mode, trailer=None, tamper_chunk=None, chunk=1024):
    s = s3util.Signer()
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Encoding": "aws-chunked",
         "x-amz-decoded-content-length": str(len(data))}
    if trailer:
        h["x-amz-trailer"] = trailer[0]
    amz = s3util.amz_now()
    if mode.startswith("STREAMING-AWS4"):
        # The body length must be known before signing; sign with a dummy
        # seed first to learn it (chunk signatures have fixed length).
        probe = s.aws_chunked_signed(data, "0" * 64, amz, chunk, trailer)
        h["Content-Length"] = str(len(probe))
        seed = s.sign_headers("PUT", "/%s/%s" % (bucket, key), [], h, mode, amz)
        body = s.aws_chunked_signed(data, seed, amz, chunk, trailer, tamper_chunk)
    else:
        body = s3util.aws_chunked_unsigned(data, trailer, chunk)
        h["Content-Length"] = str(len(body))
        s.sign_headers("PUT", "/%s/%s" % (bucket, key), [], h, mode, amz)
    c = s3util.Conn()
    try:
        c.send(s3util.build_request("PUT", "/%s/%s" % (bucket, key), h, body))
        return c.read_response()
    finally:
        c.close()


def test_streaming_signed_payload(bucket):
    r = chunked_put(bucket, "sig", DATA, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
    assert r.status == 200, r
    assert s3util.request("GET", "/%s/sig" % bucket).body == DATA


def test_streaming_signed_payload_bad_chunk_signature(s3, bucket):
    r = chunked_put(bucket, "sigbad", DATA, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", tamper_chunk=1)
    assert (r.status, r.error_code()) == (403, "SignatureDoesNotMatch"), r
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="sigbad")
    assert client_error(e)[0] == 404


@pytest.mark.parametrize("alg", ALGS)
def test_streaming_signed_payload_trailer(bucket, alg):
    tr = ("x-amz-checksum-" + alg, checksum_b64(alg, DATA))
    r = chunked_put(bucket, "st-" + alg, DATA, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", tr)
    assert r.status == 200, r
    assert get_checksum_header(bucket, "st-" + alg, alg) == tr[1]


@pytest.mark.parametrize("alg", ALGS)
def test_streaming_unsigned_payload_trailer(bucket, alg):
    tr = ("x-amz-checksum-" + alg, checksum_b64(alg, DATA))
    r = chunked_put(bucket, "ut-" + alg, DATA, "STREAMING-UNSIGNED-PAYLOAD-TRAILER", tr)
    assert r.status == 200, r
    assert r.header("x-amz-checksum-" + alg) == tr[1]
    assert get_checksum_header(bucket, "ut-" + alg, alg) == tr[1]
    assert s3util.request("GET", "/%s/ut-%s" % (bucket, alg)).body == DATA


@pytest.mark.parametrize("mode", ["STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                                  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"])
def test_streaming_trailer_wrong_checksum_is_bad_digest(s3, bucket, mode):
    tr = ("x-amz-checksum-crc32", checksum_b64("crc32", DATA + b"x"))
    r = chunked_put(bucket, "tbad", DATA, mode, tr)
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="tbad")
    assert client_error(e)[0] == 404


def test_streaming_decoded_length_mismatch(s3, bucket):
    s = s3util.Signer()
    body = s3util.aws_chunked_unsigned(DATA, ("x-amz-checksum-crc32", checksum_b64("crc32", DATA)))
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Encoding": "aws-chunked",
         "x-amz-decoded-content-length": str(len(DATA) + 5), "x-amz-trailer": "x-amz-checksum-crc32",
         "Content-Length": str(len(body))}
    s.sign_headers("PUT", "/%s/dl" % bucket, [], h, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    c = s3util.Conn()
    c.send(s3util.build_request("PUT", "/%s/dl" % bucket, h, body))
    r = c.read_response()
    assert r.status == 400, r
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="dl")
