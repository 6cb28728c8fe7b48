# SPDX-License-Identifier: GPL-2.0
"""Multipart uploads, CopyObject/UploadPartCopy, DeleteObjects, conditional
writes and size limits (issue 6), with boto3 and raw signed requests."""
import base64
import datetime
import hashlib
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from botocore.exceptions import ClientError

import s3util
from s3util import client_error, checksum_b64

MIB = 1024 * 1024
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def data(n, seed=0):
    block = hashlib.sha256(b"%d" % seed).digest() * 2048
    out = (block * (n // len(block) + 1))[:n]
    return out


def mp_etag(parts):
    md5s = b"".join(hashlib.md5(p).digest() for p in parts)
    return '"%s-%d"' % (hashlib.md5(md5s).hexdigest(), len(parts))


def upload(s3, bucket, key, parts, **create):
    mpu = s3.create_multipart_upload(Bucket=bucket, Key=key, **create)
    uid = mpu["UploadId"]
    done = []
    for i, p in enumerate(parts, 1):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=i, Body=p)
        done.append({"PartNumber": i, "ETag": r["ETag"]})
    return uid, done


def complete(s3, bucket, key, uid, done, **kw):
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid,
                                        MultipartUpload={"Parts": done}, **kw)


def raw(method, bucket, key, query=(), headers=None, body=b"", **kw):
    path = "/%s/%s" % (bucket, s3util.uri_encode(key)) if key else "/%s" % bucket
    return s3util.request(method, path, list(query), headers=headers, body=body, **kw)


# ------------------------------------------------------------ multipart --

def test_multipart_round_trip(s3, bucket):
    parts = [data(5 * MIB, 1), data(1234, 2)]
    uid, done = upload(s3, bucket, "mp/obj", parts, ContentType="text/x-mp",
                       Metadata={"color": "blue"})
    assert done[0]["ETag"] == '"%s"' % hashlib.md5(parts[0]).hexdigest()
    r = complete(s3, bucket, "mp/obj", uid, done)
    assert r["ETag"] == mp_etag(parts)
    assert r["Bucket"] == bucket and r["Key"] == "mp/obj"
    g = s3.get_object(Bucket=bucket, Key="mp/obj")
    body = g["Body"].read()
    assert body == b"".join(parts)
    assert g["ETag"] == mp_etag(parts)
    assert g["ContentType"] == "text/x-mp"
    assert g["Metadata"] == {"color": "blue"}
    # a range across the part boundary
    g = s3.get_object(Bucket=bucket, Key="mp/obj", Range="bytes=%d-%d" % (5 * MIB - 10, 5 * MIB + 9))
    assert g["Body"].read() == body[5 * MIB - 10:5 * MIB + 10]
    # the upload is gone
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")


def test_single_part_and_replaced_part(s3, bucket):
    mpu = s3.create_multipart_upload(Bucket=bucket, Key="one")
    uid = mpu["UploadId"]
    s3.upload_part(Bucket=bucket, Key="one", UploadId=uid, PartNumber=1, Body=b"first")
    e = s3.upload_part(Bucket=bucket, Key="one", UploadId=uid, PartNumber=1, Body=b"second")["ETag"]
    r = complete(s3, bucket, "one", uid, [{"PartNumber": 1, "ETag": e}])
    assert r["ETag"] == mp_etag([b"second"])
    assert s3.get_object(Bucket=bucket, Key="one")["Body"].read() == b"second"


def test_list_parts_paging(s3, bucket):
    uid, done = upload(s3, bucket, "lp", [b"a" * 10, b"b" * 20, b"c" * 30])
    r = s3.list_parts(Bucket=bucket, Key="lp", UploadId=uid, MaxParts=2)
    assert [p["PartNumber"] for p in r["Parts"]] == [1, 2]
    assert r["IsTruncated"] and r["NextPartNumberMarker"] == 2
    assert [p["Size"] for p in r["Parts"]] == [10, 20]
    assert r["Parts"][0]["ETag"] == done[0]["ETag"]
    r = s3.list_parts(Bucket=bucket, Key="lp", UploadId=uid, PartNumberMarker=2)
    assert [p["PartNumber"] for p in r["Parts"]] == [3]
    assert not r["IsTruncated"]
    # the upload belongs to its key
    with pytest.raises(ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="other", UploadId=uid)
    assert client_error(e) == (404, "NoSuchUpload")
    s3.abort_multipart_upload(Bucket=bucket, Key="lp", UploadId=uid)


def test_complete_errors(s3, bucket):
    big, small = data(5 * MIB, 3), b"x" * 100
    uid, done = upload(s3, bucket, "ce", [small, small, big])
    # a wrong ETag, a missing part
    bad = [{"PartNumber": 1, "ETag": '"%s"' % ("0" * 32)}]
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "ce", uid, bad)
    assert client_error(e) == (400, "InvalidPart")
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "ce", uid, [{"PartNumber": 7, "ETag": done[0]["ETag"]}])
    assert client_error(e) == (400, "InvalidPart")
    # out of order
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "ce", uid, [done[1], done[0]])
    assert client_error(e) == (400, "InvalidPartOrder")
    # parts but the last under 5 MiB
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "ce", uid, done[:2])
    assert client_error(e) == (400, "EntityTooSmall")
    # a bogus upload id
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "ce", "0123456789abcdef", done)
    assert client_error(e) == (404, "NoSuchUpload")
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "ce", "not-an-id", done)
    assert client_error(e) == (404, "NoSuchUpload")
    # malformed documents
    for doc in (b"", b"<CompleteMultipartUpload>", b"<x/>",
                b"<!DOCTYPE a [<!ENTITY e 'x'>]><CompleteMultipartUpload/>"):
        r = raw("POST", bucket, "ce", [("uploadId", uid)], body=doc,
                headers={"Content-Length": str(len(doc))})
        assert (r.status, r.error_code()) == (400, "MalformedXML"), r
    # nothing of that broke the upload: the last part alone completes it
    r = complete(s3, bucket, "ce", uid, [{"PartNumber": 3, "ETag": done[2]["ETag"]}])
    assert r["ETag"] == mp_etag([big])
    assert s3.get_object(Bucket=bucket, Key="ce")["Body"].read() == big


def test_retried_complete_answers_again(s3, bucket):
    uid, done = upload(s3, bucket, "rc", [b"retry"])
    first = complete(s3, bucket, "rc", uid, done)
    again = complete(s3, bucket, "rc", uid, done)
    assert again["ETag"] == first["ETag"]
    # but not once the object was replaced
    s3.put_object(Bucket=bucket, Key="rc", Body=b"other")
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "rc", uid, done)
    assert client_error(e) == (404, "NoSuchUpload")


def test_abort(s3, bucket):
    uid, done = upload(s3, bucket, "ab", [b"abort me"])
    s3.abort_multipart_upload(Bucket=bucket, Key="ab", UploadId=uid)
    for call in (lambda: s3.list_parts(Bucket=bucket, Key="ab", UploadId=uid),
                 lambda: s3.upload_part(Bucket=bucket, Key="ab", UploadId=uid, PartNumber=2,
                                        Body=b"x"),
                 lambda: s3.abort_multipart_upload(Bucket=bucket, Key="ab", UploadId=uid),
                 lambda: complete(s3, bucket, "ab", uid, done)):
        with pytest.raises(ClientError) as e:
            call()
        assert client_error(e) == (404, "NoSuchUpload")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="ab")
    assert client_error(e)[0] == 404


@pytest.mark.parametrize("number", ["0", "10001", "x"])
def test_part_number_range(bucket, s3, number):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="pn")["UploadId"]
    r = raw("PUT", bucket, "pn", [("partNumber", number), ("uploadId", uid)], body=b"x")
    assert (r.status, r.error_code()) == (400, "InvalidArgument"), r
    r = raw("PUT", bucket, "pn", [("partNumber", "10000"), ("uploadId", uid)], body=b"x")
    assert r.status == 200, r
    s3.abort_multipart_upload(Bucket=bucket, Key="pn", UploadId=uid)


def test_list_multipart_uploads(s3, bucket):
    ids = {}
    for k in ["a/1", "a/2", "b", "c", "c"]:
        ids.setdefault(k, []).append(s3.create_multipart_upload(Bucket=bucket, Key=k)["UploadId"])
    r = s3.list_multipart_uploads(Bucket=bucket)
    got = [(u["Key"], u["UploadId"]) for u in r["Uploads"]]
    assert [k for k, _ in got] == ["a/1", "a/2", "b", "c", "c"]
    assert sorted(i for k, i in got if k == "c") == sorted(ids["c"])
    assert not r["IsTruncated"]
    r = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in r["CommonPrefixes"]] == ["a/"]
    assert [u["Key"] for u in r["Uploads"]] == ["b", "c", "c"]
    r = s3.list_multipart_uploads(Bucket=bucket, Prefix="a/")
    assert [u["Key"] for u in r["Uploads"]] == ["a/1", "a/2"]
    # paging two at a time visits each upload once
    seen, kw = [], {}
    for _ in range(10):
        r = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2, **kw)
        seen += [(u["Key"], u["UploadId"]) for u in r.get("Uploads", [])]
        if not r["IsTruncated"]:
            break
        assert len(r["Uploads"]) == 2
        kw = {"KeyMarker": r["NextKeyMarker"], "UploadIdMarker": r["NextUploadIdMarker"]}
    assert seen == got
    # key-marker alone skips every upload of that key
    r = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="b")
    assert [u["Key"] for u in r["Uploads"]] == ["c", "c"]
    for k, l in ids.items():
        for i in l:
            s3.abort_multipart_upload(Bucket=bucket, Key=k, UploadId=i)
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")


@pytest.mark.parametrize("alg", ["CRC32", "CRC32C", "SHA1", "SHA256"])
def test_composite_checksum(s3, bucket, alg):
    parts = [data(5 * MIB, 4), b"tail of the object"]
    uid = s3.create_multipart_upload(Bucket=bucket, Key="ck", ChecksumAlgorithm=alg)["UploadId"]
    done = []
    for i, p in enumerate(parts, 1):
        cv = checksum_b64(alg, p)
        r = raw("PUT", bucket, "ck", [("partNumber", str(i)), ("uploadId", uid)],
                headers={"x-amz-checksum-" + alg.lower(): cv}, body=p)
        assert r.status == 200, r
        assert r.header("x-amz-checksum-" + alg.lower()) == cv
        done.append({"PartNumber": i, "ETag": r.header("ETag"), "Checksum" + alg: cv})
    lp = s3.list_parts(Bucket=bucket, Key="ck", UploadId=uid)
    assert [p["Checksum" + alg] for p in lp["Parts"]] == [d["Checksum" + alg] for d in done]
    r = complete(s3, bucket, "ck", uid, done)
    raws = b"".join(base64.b64decode(d["Checksum" + alg]) for d in done)
    assert r["Checksum" + alg] == "%s-2" % checksum_b64(alg, raws)
    assert s3.get_object(Bucket=bucket, Key="ck")["Body"].read() == b"".join(parts)


@pytest.mark.parametrize("alg", ["CRC32", "CRC32C", "CRC64NVME"])
def test_full_object_checksum(s3, bucket, alg):
    """FULL_OBJECT: the CRC of the whole object, combined from the parts'."""
    parts = [data(5 * MIB + 3, 11), data(5 * MIB, 12), b"last bit"]
    r = raw("POST", bucket, "fo", [("uploads", "")],
            headers={"x-amz-checksum-algorithm": alg, "x-amz-checksum-type": "FULL_OBJECT"})
    assert r.status == 200, r
    assert r.header("x-amz-checksum-type") == "FULL_OBJECT"
    uid = ET.fromstring(r.body).find(NS + "UploadId").text
    xml_parts = []
    for i, p in enumerate(parts, 1):
        cv = checksum_b64(alg, p)
        r = raw("PUT", bucket, "fo", [("partNumber", str(i)), ("uploadId", uid)],
                headers={"x-amz-checksum-" + alg.lower(): cv}, body=p)
        assert r.status == 200, r
        xml_parts.append("<Part><PartNumber>%d</PartNumber><ETag>%s</ETag><Checksum%s>%s</Checksum%s></Part>"
                         % (i, r.header("ETag"), alg, cv, alg))
    doc = ("<CompleteMultipartUpload>%s</CompleteMultipartUpload>" % "".join(xml_parts)).encode()
    r = raw("POST", bucket, "fo", [("uploadId", uid)], body=doc)
    assert r.status == 200, r
    root = ET.fromstring(r.body)
    assert root.find(NS + "Checksum" + alg).text == checksum_b64(alg, b"".join(parts))
    assert root.find(NS + "ChecksumType").text == "FULL_OBJECT"
    # SHA cannot be full-object, CRC64NVME cannot be composite
    for a, t in (("SHA256", "FULL_OBJECT"), ("CRC64NVME", "COMPOSITE")):
        r = raw("POST", bucket, "fo2", [("uploads", "")],
                headers={"x-amz-checksum-algorithm": a, "x-amz-checksum-type": t})
        assert (r.status, r.error_code()) == (400, "InvalidRequest"), r


def test_part_checksum_computed_and_checked(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="pc", ChecksumAlgorithm="CRC32")["UploadId"]
    # no checksum sent: computed and kept
    r = raw("PUT", bucket, "pc", [("partNumber", "1"), ("uploadId", uid)], body=b"hello")
    assert r.status == 200, r
    assert r.header("x-amz-checksum-crc32") == checksum_b64("crc32", b"hello")
    # a wrong one: BadDigest, the part unchanged
    r = raw("PUT", bucket, "pc", [("partNumber", "1"), ("uploadId", uid)],
            headers={"x-amz-checksum-crc32": checksum_b64("crc32", b"other")}, body=b"world")
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    lp = s3.list_parts(Bucket=bucket, Key="pc", UploadId=uid)
    assert lp["Parts"][0]["Size"] == 5
    # the Complete document's checksum must be the part's
    bad = [{"PartNumber": 1, "ETag": lp["Parts"][0]["ETag"],
            "ChecksumCRC32": checksum_b64("crc32", b"other")}]
    with pytest.raises(ClientError) as e:
        complete(s3, bucket, "pc", uid, bad)
    assert client_error(e) == (400, "InvalidPart")
    s3.abort_multipart_upload(Bucket=bucket, Key="pc", UploadId=uid)


def chunked_part(bucket, key, query, payload, mode, trailer=None):
    s = s3util.Signer()
    path = "/%s/%s" % (bucket, key)
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Encoding": "aws-chunked",
         "x-amz-decoded-content-length": str(len(payload))}
    if trailer:
        h["x-amz-trailer"] = trailer[0]
    amz = s3util.amz_now()
    if mode.startswith("STREAMING-AWS4"):
        probe = s.aws_chunked_signed(payload, "0" * 64, amz, 4096, trailer)
        h["Content-Length"] = str(len(probe))
        seed = s.sign_headers("PUT", path, query, h, mode, amz)
        body = s.aws_chunked_signed(payload, seed, amz, 4096, trailer)
    else:
        body = s3util.aws_chunked_unsigned(payload, trailer, 4096)
        h["Content-Length"] = str(len(body))
        s.sign_headers("PUT", path, query, h, mode, amz)
    c = s3util.Conn()
    try:
        c.send(s3util.build_request("PUT", path + "?" + s3util.canonical_query(query), h, body))
        return c.read_response()
    finally:
        c.close()


@pytest.mark.parametrize("mode", ["STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
                                  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
                                  "STREAMING-UNSIGNED-PAYLOAD-TRAILER"])
def test_upload_part_aws_chunked(s3, bucket, mode):
    payload = data(100000, 5)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="ac")["UploadId"]
    trailer = None
    if mode.endswith("TRAILER"):
        trailer = ("x-amz-checksum-crc32c", checksum_b64("crc32c", payload))
    r = chunked_part(bucket, "ac", [("partNumber", "1"), ("uploadId", uid)], payload, mode, trailer)
    assert r.status == 200, r
    assert r.header("ETag") == '"%s"' % hashlib.md5(payload).hexdigest()
    if trailer:
        assert r.header("x-amz-checksum-crc32c") == trailer[1]
    complete(s3, bucket, "ac", uid, [{"PartNumber": 1, "ETag": r.header("ETag")}])
    assert s3.get_object(Bucket=bucket, Key="ac")["Body"].read() == payload


def test_upload_part_content_md5(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="md")["UploadId"]
    r = raw("PUT", bucket, "md", [("partNumber", "1"), ("uploadId", uid)],
            headers={"Content-MD5": s3util.md5_b64(b"nope")}, body=b"data")
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    assert not s3.list_parts(Bucket=bucket, Key="md", UploadId=uid).get("Parts")
    s3.abort_multipart_upload(Bucket=bucket, Key="md", UploadId=uid)


def test_upload_part_copy(s3, bucket):
    src = data(6 * MIB, 6)
    s3.put_object(Bucket=bucket, Key="src", Body=src)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="upc")["UploadId"]
    r1 = s3.upload_part_copy(Bucket=bucket, Key="upc", UploadId=uid, PartNumber=1,
                             CopySource={"Bucket": bucket, "Key": "src"})
    assert r1["CopyPartResult"]["ETag"] == '"%s"' % hashlib.md5(src).hexdigest()
    r2 = s3.upload_part_copy(Bucket=bucket, Key="upc", UploadId=uid, PartNumber=2,
                             CopySource={"Bucket": bucket, "Key": "src"},
                             CopySourceRange="bytes=100-199")
    with pytest.raises(ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="upc", UploadId=uid, PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "src"},
                            CopySourceIfMatch='"%s"' % ("1" * 32))
    assert client_error(e) == (412, "PreconditionFailed")
    with pytest.raises(ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="upc", UploadId=uid, PartNumber=3,
                            CopySource={"Bucket": bucket, "Key": "src"},
                            CopySourceRange="bytes=0-%d" % (6 * MIB))
    assert client_error(e) == (400, "InvalidArgument")
    done = [{"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"]},
            {"PartNumber": 2, "ETag": r2["CopyPartResult"]["ETag"]}]
    complete(s3, bucket, "upc", uid, done)
    assert s3.get_object(Bucket=bucket, Key="upc")["Body"].read() == src + src[100:200]


def test_uploads_survive_reattach(s3, bucket):
    uid, done = upload(s3, bucket, "durable", [data(5 * MIB, 7), b"end"])
    s3util.s3ctl("dev", "detach")
    s3util.s3ctl("dev", "attach", "/dev/vda")
    lp = s3.list_parts(Bucket=bucket, Key="durable", UploadId=uid)
    assert [p["ETag"] for p in lp["Parts"]] == [d["ETag"] for d in done]
    complete(s3, bucket, "durable", uid, done)
    s3util.s3ctl("dev", "detach")
    s3util.s3ctl("dev", "attach", "/dev/vda")
    g = s3.get_object(Bucket=bucket, Key="durable")
    assert g["Body"].read() == data(5 * MIB, 7) + b"end"
    assert g["ETag"] == mp_etag([data(5 * MIB, 7), b"end"])


def test_abort_during_inflight_upload_part(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="inflight")["UploadId"]
    payload = data(4 * MIB, 8)
    path = "/%s/inflight" % bucket
    query = [("partNumber", "1"), ("uploadId", uid)]
    req = s3util.signed_request("PUT", path, query, body=payload,
                                payload_hash="UNSIGNED-PAYLOAD")
    head_end = req.index(b"\r\n\r\n") + 4
    c = s3util.Conn(timeout=120)
    try:
        c.send(req[:head_end + MIB])
        time.sleep(0.5)
        s3.abort_multipart_upload(Bucket=bucket, Key="inflight", UploadId=uid)
        c.send(req[head_end + MIB:])
        r = c.read_response()
    finally:
        c.close()
    assert (r.status, r.error_code()) == (404, "NoSuchUpload"), r
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
    with pytest.raises(ClientError) as e:
        s3.head_object(Bucket=bucket, Key="inflight")
    assert client_error(e)[0] == 404


def test_concurrent_complete_and_abort(s3, bucket):
    for round_ in range(4):
        key = "race%d" % round_
        uid, done = upload(s3, bucket, key, [b"race %d" % round_])
        results = {}

        def run(name, fn):
            try:
                fn()
                results[name] = 200
            except ClientError as e:
                results[name] = client_error(e)

        t1 = threading.Thread(target=run, args=("complete", lambda: complete(s3, bucket, key, uid, done)))
        t2 = threading.Thread(target=run, args=("abort", lambda: s3.abort_multipart_upload(
            Bucket=bucket, Key=key, UploadId=uid)))
        t1.start()
        t2.start()
        t1.join()
        t2.join()
        # exactly one wins; the object exists iff Complete won
        assert sorted(str(v) for v in results.values()) == sorted(["200", str((404, "NoSuchUpload"))]), results
        exists = True
        try:
            s3.head_object(Bucket=bucket, Key=key)
        except ClientError:
            exists = False
        assert exists == (results["complete"] == 200), results
        assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")


# ----------------------------------------------------------- CopyObject --

def test_copy_object(s3, bucket):
    body = data(3 * MIB + 7, 9)
    s3.put_object(Bucket=bucket, Key="orig", Body=body, ContentType="text/plain",
                  Metadata={"a": "1"})
    r = s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "orig"})
    assert r["CopyObjectResult"]["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    assert isinstance(r["CopyObjectResult"]["LastModified"], datetime.datetime)
    g = s3.get_object(Bucket=bucket, Key="copy")
    assert g["Body"].read() == body
    assert g["ContentType"] == "text/plain" and g["Metadata"] == {"a": "1"}
    # REPLACE
    s3.copy_object(Bucket=bucket, Key="copy2", CopySource={"Bucket": bucket, "Key": "orig"},
                   MetadataDirective="REPLACE", ContentType="text/x-new", Metadata={"b": "2"})
    h = s3.head_object(Bucket=bucket, Key="copy2")
    assert h["ContentType"] == "text/x-new" and h["Metadata"] == {"b": "2"}
    # cross bucket
    other = s3util.unique("cp")
    s3.create_bucket(Bucket=other)
    try:
        s3.copy_object(Bucket=other, Key="x", CopySource={"Bucket": bucket, "Key": "orig"})
        assert s3.get_object(Bucket=other, Key="x")["Body"].read() == body
        s3.delete_object(Bucket=other, Key="x")
    finally:
        s3.delete_bucket(Bucket=other)
    # a multipart source copies to a plain object
    uid, done = upload(s3, bucket, "mpsrc", [data(5 * MIB, 10), b"z"])
    complete(s3, bucket, "mpsrc", uid, done)
    r = s3.copy_object(Bucket=bucket, Key="mpcopy", CopySource={"Bucket": bucket, "Key": "mpsrc"})
    both = data(5 * MIB, 10) + b"z"
    assert r["CopyObjectResult"]["ETag"] == '"%s"' % hashlib.md5(both).hexdigest()
    assert s3.get_object(Bucket=bucket, Key="mpcopy")["Body"].read() == both


def test_copy_onto_itself(s3, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"same", Metadata={"v": "1"})
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"})
    assert client_error(e) == (400, "InvalidRequest")
    s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"},
                   MetadataDirective="REPLACE", Metadata={"v": "2"})
    g = s3.get_object(Bucket=bucket, Key="self")
    assert g["Body"].read() == b"same" and g["Metadata"] == {"v": "2"}


def test_copy_conditions(s3, bucket):
    etag = s3.put_object(Bucket=bucket, Key="cond", Body=b"c")["ETag"]
    src = {"Bucket": bucket, "Key": "cond"}
    past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    for kw in ({"CopySourceIfMatch": '"%s"' % ("f" * 32)},
               {"CopySourceIfNoneMatch": etag},
               {"CopySourceIfModifiedSince": future},
               {"CopySourceIfUnmodifiedSince": past}):
        with pytest.raises(ClientError) as e:
            s3.copy_object(Bucket=bucket, Key="dst", CopySource=src, **kw)
        assert client_error(e) == (412, "PreconditionFailed"), kw
    for kw in ({"CopySourceIfMatch": etag}, {"CopySourceIfNoneMatch": '"%s"' % ("f" * 32)},
               {"CopySourceIfModifiedSince": past}, {"CopySourceIfUnmodifiedSince": future}):
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=src, **kw)


def test_copy_source_forms(s3, bucket):
    key = "dir/sp ace+plus%&ü"
    s3.put_object(Bucket=bucket, Key=key, Body=b"enc")
    enc = "/%s/%s" % (bucket, s3util.uri_encode(key))
    r = raw("PUT", bucket, "d1", headers={"x-amz-copy-source": enc})
    assert r.status == 200, r
    r = raw("PUT", bucket, "d2", headers={"x-amz-copy-source": enc[1:] + "?versionId=null"})
    assert r.status == 200, r
    r = raw("PUT", bucket, "d3", headers={"x-amz-copy-source": enc + "?versionId=3HL4kqtJlcpXroDTDmJ"})
    assert (r.status, r.error_code()) == (400, "InvalidArgument"), r
    for bad in ("/%s" % bucket, "/", "nobucketkey"):
        r = raw("PUT", bucket, "d4", headers={"x-amz-copy-source": bad})
        assert (r.status, r.error_code()) == (400, "InvalidArgument"), (bad, r)
    r = raw("PUT", bucket, "d5", headers={"x-amz-copy-source": "/%s/missing" % bucket})
    assert (r.status, r.error_code()) == (404, "NoSuchKey"), r
    r = raw("PUT", bucket, "d6", headers={"x-amz-copy-source": "/no-such-bucket-xyz/k"})
    assert (r.status, r.error_code()) == (404, "NoSuchBucket"), r
    assert s3.get_object(Bucket=bucket, Key="d2")["Body"].read() == b"enc"


def test_copy_needs_read_on_source(s3, s3_limited, bucket):
    s3.put_object(Bucket=bucket, Key="secret", Body=b"s")
    other = s3util.unique("lim")
    s3.create_bucket(Bucket=other)
    try:
        s3util.s3ctl("key", "allow", s3util.LIMITED_ACCESS_KEY, other, "write")
        with pytest.raises(ClientError) as e:
            s3_limited.copy_object(Bucket=other, Key="x", CopySource={"Bucket": bucket, "Key": "secret"})
        assert client_error(e) == (403, "AccessDenied")
    finally:
        s3util.s3ctl("key", "deny", s3util.LIMITED_ACCESS_KEY, other, "write", check=False)
        s3.delete_bucket(Bucket=other)


# -------------------------------------------------------- DeleteObjects --

def delete_doc(keys, quiet=False):
    objs = "".join("<Object><Key>%s</Key></Object>" % k for k in keys)
    q = "<Quiet>true</Quiet>" if quiet else ""
    return ('<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s%s</Delete>'
            % (q, objs)).encode()


def test_delete_objects(s3, bucket):
    for k in ("d1", "d2", "d&3"):
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in
                                                             ("d1", "d2", "d&3", "missing")]})
    assert sorted(d["Key"] for d in r["Deleted"]) == ["d&3", "d1", "d2", "missing"]
    assert not r.get("Errors")
    assert not s3.list_objects_v2(Bucket=bucket).get("Contents")
    s3.put_object(Bucket=bucket, Key="q", Body=b"x")
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "q"}], "Quiet": True})
    assert not r.get("Deleted") and not r.get("Errors")
    r = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "v", "VersionId": "abc"},
                                                             {"Key": "w", "VersionId": "null"}]})
    assert [(e["Key"], e["Code"]) for e in r["Errors"]] == [("v", "NoSuchVersion")]
    assert [d["Key"] for d in r["Deleted"]] == ["w"]


def test_delete_objects_integrity(s3, bucket):
    s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
    doc = delete_doc(["keep"])
    r = raw("POST", bucket, None, [("delete", "")], body=doc)
    assert (r.status, r.error_code()) == (400, "InvalidRequest"), r
    r = raw("POST", bucket, None, [("delete", "")], body=doc,
            headers={"Content-MD5": s3util.md5_b64(b"other")})
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    r = raw("POST", bucket, None, [("delete", "")], body=doc,
            headers={"x-amz-checksum-crc32": checksum_b64("crc32", b"other")})
    assert (r.status, r.error_code()) == (400, "BadDigest"), r
    s3.head_object(Bucket=bucket, Key="keep")
    # malformed: nothing deleted
    bad = doc.replace(b"</Delete>", b"")
    r = raw("POST", bucket, None, [("delete", "")], body=bad,
            headers={"Content-MD5": s3util.md5_b64(bad)})
    assert (r.status, r.error_code()) == (400, "MalformedXML"), r
    s3.head_object(Bucket=bucket, Key="keep")
    # 1001 keys
    many = delete_doc(["k%d" % i for i in range(1001)])
    r = raw("POST", bucket, None, [("delete", "")], body=many,
            headers={"Content-MD5": s3util.md5_b64(many)})
    assert (r.status, r.error_code()) == (400, "MalformedXML"), r
    # any checksum header will do
    for alg in ("crc32", "crc32c", "sha256"):
        s3.put_object(Bucket=bucket, Key="keep", Body=b"x")
        r = raw("POST", bucket, None, [("delete", "")], body=doc,
                headers={"x-amz-checksum-" + alg: checksum_b64(alg, doc)})
        assert r.status == 200, r
        root = ET.fromstring(r.body)
        assert [e.text for e in root.iter(NS + "Key")] == ["keep"]
    r = raw("POST", bucket, None, [("delete", "")], body=doc,
            headers={"Content-MD5": s3util.md5_b64(doc)})
    assert r.status == 200, r


# ------------------------------------------------- conditional writes --

def test_conditional_put(s3, bucket):
    r = raw("PUT", bucket, "c", headers={"If-None-Match": "*"}, body=b"1")
    assert r.status == 200, r
    etag = r.header("ETag")
    r = raw("PUT", bucket, "c", headers={"If-None-Match": "*"}, body=b"2")
    assert (r.status, r.error_code()) == (412, "PreconditionFailed"), r
    r = raw("PUT", bucket, "c", headers={"If-Match": '"%s"' % ("0" * 32)}, body=b"3")
    assert (r.status, r.error_code()) == (412, "PreconditionFailed"), r
    r = raw("PUT", bucket, "c", headers={"If-Match": etag}, body=b"4")
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="c")["Body"].read() == b"4"


def test_conditional_complete(s3, bucket):
    s3.put_object(Bucket=bucket, Key="cc", Body=b"exists")
    uid, done = upload(s3, bucket, "cc", [b"new"])
    doc = ("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>%s</ETag></Part>"
           "</CompleteMultipartUpload>" % done[0]["ETag"]).encode()
    r = raw("POST", bucket, "cc", [("uploadId", uid)], headers={"If-None-Match": "*"}, body=doc)
    assert (r.status, r.error_code()) == (412, "PreconditionFailed"), r
    r = raw("POST", bucket, "cc", [("uploadId", uid)],
            headers={"If-Match": '"%s"' % ("0" * 32)}, body=doc)
    assert (r.status, r.error_code()) == (412, "PreconditionFailed"), r
    etag = s3.head_object(Bucket=bucket, Key="cc")["ETag"]
    r = raw("POST", bucket, "cc", [("uploadId", uid)], headers={"If-Match": etag}, body=doc)
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="cc")["Body"].read() == b"new"


def test_conditional_put_race(s3, bucket):
    """Of many concurrent If-None-Match: * PUTs of one key, exactly one wins."""
    results = []

    def put(i):
        r = raw("PUT", bucket, "race", headers={"If-None-Match": "*"}, body=b"%d" % i)
        results.append(r.status)

    ts = [threading.Thread(target=put, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(results).count(200) == 1, results
    assert all(s in (200, 412, 409) for s in results), results


# ------------------------------------------------------------- limits --

def test_single_put_over_5gib_is_refused(bucket):
    path = "/%s/huge" % bucket
    req = s3util.signed_request("PUT", path, headers={"Content-Length": str(5 * 1024 ** 3 + 1)},
                                payload_hash="UNSIGNED-PAYLOAD")
    c = s3util.Conn()
    try:
        c.send(req)
        r = c.read_response()
    finally:
        c.close()
    assert (r.status, r.error_code()) == (400, "EntityTooLarge"), r


def test_upload_part_over_5gib_is_refused(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="hugepart")["UploadId"]
    req = s3util.signed_request("PUT", "/%s/hugepart" % bucket,
                                [("partNumber", "1"), ("uploadId", uid)],
                                headers={"Content-Length": str(5 * 1024 ** 3 + 1)},
                                payload_hash="UNSIGNED-PAYLOAD")
    c = s3util.Conn()
    try:
        c.send(req)
        r = c.read_response()
    finally:
        c.close()
    assert (r.status, r.error_code()) == (400, "EntityTooLarge"), r
    s3.abort_multipart_upload(Bucket=bucket, Key="hugepart", UploadId=uid)
