# SPDX-License-Identifier: GPL-2.0
"""Object operations through boto3: Put/Get/Head/Delete, standard and user
metadata headers, Range, conditionals, response-* overrides."""
import datetime
import email.utils
import hashlib
import time

import pytest
from botocore.exceptions import ClientError

import s3util
from s3util import client_error

DATA = bytes(range(256)) * 16  # 4 KiB


def test_put_get_roundtrip(s3, bucket):
    r = s3.put_object(Bucket=bucket, Key="obj", Body=DATA)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["ETag"] == '"%s"' % hashlib.md5(DATA).hexdigest()
    g = s3.get_object(Bucket=bucket, Key="obj")
    assert g["Body"].read() == DATA
    assert g["ContentLength"] == len(DATA)
    assert g["ETag"] == r["ETag"]
    h = g["ResponseMetadata"]["HTTPHeaders"]
    for name in ("date", "last-modified", "etag", "content-length", "x-amz-request-id"):
        assert name in h, name
    # Last-Modified is an HTTP date, within a few minutes of now.
    lm = email.utils.parsedate_to_datetime(h["last-modified"])
    assert abs((lm - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 600


def test_put_overwrites(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"one")
    s3.put_object(Bucket=bucket, Key="k", Body=b"second")
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"second"


def test_put_empty_object(s3, bucket):
    r = s3.put_object(Bucket=bucket, Key="empty", Body=b"")
    assert r["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'
    g = s3.get_object(Bucket=bucket, Key="empty")
    assert g["ContentLength"] == 0 and g["Body"].read() == b""


def test_keys_with_special_characters(s3, bucket):
    keys = ["a b", "plus+sign", "uni/\u00e9\u65e5\u672c", "q?x=1&y", "pct%20", "tilde~",
            "dir/sub/leaf", "semi;colon", "star*", "  spaces  "]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode())
    for k in keys:
        assert s3.get_object(Bucket=bucket, Key=k)["Body"].read() == k.encode(), k
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert listed == sorted(keys, key=lambda x: x.encode())


def test_head_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="h", Body=DATA, ContentType="text/plain")
    r = s3.head_object(Bucket=bucket, Key="h")
    assert r["ContentLength"] == len(DATA)
    assert r["ContentType"] == "text/plain"
    assert r["ETag"] == '"%s"' % hashlib.md5(DATA).hexdigest()
    assert r["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")


def test_head_missing_object_is_404_with_request_id(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="nope")
    assert client_error(e)[0] == 404
    assert e.value.response["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")


def test_get_missing_object_is_no_such_key(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=bucket, Key="nope")
    assert client_error(e) == (404, "NoSuchKey")


def test_get_object_in_missing_bucket_is_no_such_bucket(s3):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=s3util.unique("missing"), Key="k")
    assert client_error(e) == (404, "NoSuchBucket")


def test_put_object_in_missing_bucket_is_no_such_bucket(s3):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=s3util.unique("missing"), Key="k", Body=b"x")
    assert client_error(e) == (404, "NoSuchBucket")


def test_delete_object_is_204(s3, bucket):
    s3.put_object(Bucket=bucket, Key="d", Body=b"x")
    r = s3.delete_object(Bucket=bucket, Key="d")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="d")
    assert client_error(e)[0] == 404


def test_delete_missing_object_is_204(s3, bucket):
    r = s3.delete_object(Bucket=bucket, Key="never-existed")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_key_too_long(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="k" * 1025, Body=b"x")
    assert client_error(e) == (400, "KeyTooLongError")


# ----------------------------------------------------------- metadata --

def test_standard_headers_stored_and_returned(s3, bucket):
    exp = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    s3.put_object(Bucket=bucket, Key="m", Body=b"hello", ContentType="application/x-ks3",
                  ContentEncoding="gzip", ContentDisposition='attachment; filename="f.txt"',
                  ContentLanguage="de-DE", CacheControl="max-age=60", Expires=exp)
    for r in (s3.head_object(Bucket=bucket, Key="m"), s3.get_object(Bucket=bucket, Key="m")):
        assert r["ContentType"] == "application/x-ks3"
        assert r["ContentEncoding"] == "gzip"
        assert r["ContentDisposition"] == 'attachment; filename="f.txt"'
        assert r["ContentLanguage"] == "de-DE"
        assert r["CacheControl"] == "max-age=60"
        assert r["ResponseMetadata"]["HTTPHeaders"]["expires"] == "Wed, 02 Jan 2030 03:04:05 GMT"


def test_default_content_type(s3, bucket):
    s3util.request("PUT", "/%s/noct" % bucket, body=b"x")
    r = s3.head_object(Bucket=bucket, Key="noct")
    assert r["ContentType"] in ("binary/octet-stream", "application/octet-stream")


def test_user_metadata_roundtrip(s3, bucket):
    meta = {"color": "blue", "multi-word": "a b  c", "num": "42"}
    s3.put_object(Bucket=bucket, Key="um", Body=b"x", Metadata=meta)
    for r in (s3.head_object(Bucket=bucket, Key="um"), s3.get_object(Bucket=bucket, Key="um")):
        assert r["Metadata"]["color"] == "blue"
        assert r["Metadata"]["num"] == "42"
        assert r["Metadata"]["multi-word"].split() == ["a", "b", "c"]


def test_user_metadata_names_are_lowercased(s3, bucket):
    r = s3util.request("PUT", "/%s/case" % bucket, headers={"X-Amz-Meta-MixedCase": "v"}, body=b"x")
    assert r.status == 200, r
    assert s3.head_object(Bucket=bucket, Key="case")["Metadata"] == {"mixedcase": "v"}


def test_user_metadata_under_2k_accepted(s3, bucket):
    s3.put_object(Bucket=bucket, Key="m1", Body=b"x", Metadata={"a": "v" * 1500})
    assert s3.head_object(Bucket=bucket, Key="m1")["Metadata"]["a"] == "v" * 1500


def test_user_metadata_over_2k_is_metadata_too_large(s3, bucket):
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="m2", Body=b"x", Metadata={"a": "v" * 1500, "b": "w" * 1000})
    assert client_error(e) == (400, "MetadataTooLarge")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="m2")
    assert client_error(e)[0] == 404


def test_aws_chunked_not_kept_in_content_encoding(bucket):
    data = b"z" * 3000
    s = s3util.Signer()
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Encoding": "aws-chunked",
         "x-amz-decoded-content-length": str(len(data)),
         "x-amz-trailer": "x-amz-checksum-crc32"}
    body = s3util.aws_chunked_unsigned(data, ("x-amz-checksum-crc32", s3util.checksum_b64("crc32", data)))
    h["Content-Length"] = str(len(body))
    s.sign_headers("PUT", "/%s/ae" % bucket, [], h, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
    c = s3util.Conn()
    c.send(s3util.build_request("PUT", "/%s/ae" % bucket, h, body))
    r = c.read_response()
    assert r.status == 200, r
    g = s3util.request("GET", "/%s/ae" % bucket)
    assert g.body == data
    assert "aws-chunked" not in (g.header("content-encoding") or "")


# -------------------------------------------------------------- range --

@pytest.fixture
def ranged(s3, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=DATA)
    return bucket


@pytest.mark.parametrize("rng,start,end", [("bytes=0-9", 0, 9), ("bytes=100-199", 100, 199),
                                           ("bytes=4000-", 4000, 4095), ("bytes=-10", 4086, 4095),
                                           ("bytes=4090-9999", 4090, 4095),
                                           ("bytes=-99999", 0, 4095)])
def test_range_get(s3, ranged, rng, start, end):
    r = s3.get_object(Bucket=ranged, Key="r", Range=rng)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert r["Body"].read() == DATA[start:end + 1]
    assert r["ContentRange"] == "bytes %d-%d/%d" % (start, end, len(DATA))
    assert r["ContentLength"] == end - start + 1
    assert r["ResponseMetadata"]["HTTPHeaders"].get("accept-ranges") == "bytes"


@pytest.mark.parametrize("rng", ["bytes=4096-", "bytes=5000-6000"])
def test_range_unsatisfiable_is_416(s3, ranged, rng):
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=ranged, Key="r", Range=rng)
    assert client_error(e) == (416, "InvalidRange")
    assert e.value.response["ResponseMetadata"]["HTTPHeaders"].get("content-range") == "bytes */4096"


def test_range_malformed_is_ignored(s3, ranged):
    # An unparseable Range header is ignored: the whole object, 200.
    r = s3.get_object(Bucket=ranged, Key="r", Range="bytes=abc")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["Body"].read() == DATA


def test_range_on_head(s3, ranged):
    r = s3.head_object(Bucket=ranged, Key="r", Range="bytes=0-99")
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert r["ContentLength"] == 100


# -------------------------------------------------------- conditionals --

@pytest.fixture
def cond(s3, bucket):
    r = s3.put_object(Bucket=bucket, Key="c", Body=b"conditional")
    lm = s3.head_object(Bucket=bucket, Key="c")["LastModified"]
    return bucket, r["ETag"], lm


def _status(fn):
    try:
        return fn()["ResponseMetadata"]["HTTPStatusCode"], None
    except ClientError as e:
        return client_error(e)


PAST = datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)
FUTURE = datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("op", ["get", "head"])
def test_conditionals(s3, cond, op):
    b, etag, lm = cond
    f = s3.get_object if op == "get" else s3.head_object
    call = lambda **kw: _status(lambda: f(Bucket=b, Key="c", **kw))
    assert call(IfMatch=etag)[0] == 200
    assert call(IfMatch="*")[0] == 200
    assert call(IfMatch='"0123456789abcdef0123456789abcdef"')[0] == 412
    assert call(IfNoneMatch=etag)[0] == 304
    assert call(IfNoneMatch='"0123456789abcdef0123456789abcdef"')[0] == 200
    assert call(IfModifiedSince=PAST)[0] == 200
    assert call(IfModifiedSince=lm)[0] == 304
    assert call(IfModifiedSince=FUTURE)[0] in (200, 304)  # a future date is ignored by AWS
    assert call(IfUnmodifiedSince=PAST)[0] == 412
    assert call(IfUnmodifiedSince=lm)[0] == 200
    # RFC 7232 precedence, as S3 documents it:
    assert call(IfMatch=etag, IfUnmodifiedSince=PAST)[0] == 200
    assert call(IfNoneMatch='"0123456789abcdef0123456789abcdef"', IfModifiedSince=lm)[0] == 200
    assert call(IfNoneMatch=etag, IfModifiedSince=PAST)[0] == 304


def test_precondition_failed_error_document(s3, cond):
    b, _, _ = cond
    with pytest.raises(ClientError) as e:
        s3.get_object(Bucket=b, Key="c", IfMatch='"0123456789abcdef0123456789abcdef"')
    assert client_error(e) == (412, "PreconditionFailed")


def test_not_modified_has_etag_and_request_id(cond):
    b, etag, _ = cond
    r = s3util.request("GET", "/%s/c" % b, headers={"If-None-Match": etag})
    assert r.status == 304, r
    assert r.body == b""
    assert r.header("etag") == etag
    assert r.header("x-amz-request-id")


# ---------------------------------------------------- response-* overrides

def test_response_overrides(s3, bucket):
    s3.put_object(Bucket=bucket, Key="o", Body=b"x", ContentType="text/plain")
    r = s3.get_object(Bucket=bucket, Key="o", ResponseContentType="application/json",
                      ResponseContentLanguage="fr", ResponseExpires=FUTURE,
                      ResponseCacheControl="no-cache",
                      ResponseContentDisposition="attachment; filename=x.json",
                      ResponseContentEncoding="identity")
    h = r["ResponseMetadata"]["HTTPHeaders"]
    assert h["content-type"] == "application/json"
    assert h["content-language"] == "fr"
    assert h["cache-control"] == "no-cache"
    assert h["content-disposition"] == "attachment; filename=x.json"
    assert h["content-encoding"] == "identity"
    assert h["expires"] == "Thu, 01 Jan 2099 00:00:00 GMT"
    # The stored value is unchanged.
    assert s3.head_object(Bucket=bucket, Key="o")["ContentType"] == "text/plain"
