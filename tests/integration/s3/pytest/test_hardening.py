# SPDX-License-Identifier: GPL-2.0
"""Hardening (issue 11): what a client holding no secret can make ks3 do.

A request signed in the header without x-amz-content-sha256 (curl before
8.1) can only have its signature checked at the end of its body: such a
request must reserve nothing on the device and get no answer that depends
on buckets or permissions before its signature is known."""
import hashlib
import json
import re
import socket
import time

import pytest
from botocore.exceptions import ClientError

import s3util
from s3util import client_error

ZERO_SIG = "0" * 64


def free_bytes():
    return json.loads(s3util.s3ctl("-j", "status").stdout)["free_bytes"]


def unhashed_request(method, path, body=b"", content_length=None,
                     zero_signature=False):
    """Head (and body) of a request signed over the SHA-256 of BODY but
    sent without x-amz-content-sha256, as curl 7.88 does."""
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT),
         "Content-Length": str(len(body) if content_length is None else content_length)}
    names = ["host", "x-amz-date"]
    s3util.Signer().sign_headers(method, path, (), h,
                                 hashlib.sha256(body).hexdigest(),
                                 signed=names)
    del h["x-amz-content-sha256"]
    if zero_signature:
        h["Authorization"] = re.sub("Signature=[0-9a-f]+", "Signature=" + ZERO_SIG,
                                    h["Authorization"])
    return s3util.build_request(method, path, h, body)


def send(data):
    c = s3util.Conn()
    try:
        c.send(data)
        return c.read_response(), c
    except Exception:
        c.close()
        raise


def test_unhashed_large_body_is_refused_before_anything(s3, bucket):
    """A zero signature and a declared 1 GiB body: refused from the head
    alone, with the error AWS gives; no space reserved."""
    before = free_bytes()
    r, c = send(unhashed_request("PUT", "/%s/big" % bucket, content_length=1 << 30,
                                 zero_signature=True))
    try:
        assert (r.status, r.error_code()) == (400, "InvalidRequest"), r
        assert b"x-amz-content-sha256" in r.body
        assert c.closed_by_peer(), "the connection must not wait for 1 GiB"
    finally:
        c.close()
    assert free_bytes() == before


def test_unhashed_large_body_with_a_real_signature_is_refused_too(s3, bucket):
    r, c = send(unhashed_request("PUT", "/%s/big2" % bucket, content_length=(64 << 10) + 1))
    c.close()
    assert (r.status, r.error_code()) == (400, "InvalidRequest"), r


def test_unhashed_zero_signature_gets_403_and_reserves_nothing(s3, bucket):
    before = free_bytes()
    body = b"x" * 60000
    r, c = send(unhashed_request("PUT", "/%s/zero" % bucket, body, zero_signature=True))
    c.close()
    assert (r.status, r.error_code()) == (403, "SignatureDoesNotMatch"), r
    assert free_bytes() == before
    assert s3util.request("HEAD", "/%s/zero" % bucket).status == 404


def test_unhashed_answers_nothing_about_buckets_before_the_signature(s3):
    """A bucket that does not exist: still SignatureDoesNotMatch, not
    NoSuchBucket, for a bad signature."""
    for path in ("/no-such-bucket-%s/k" % s3util.unique(), "/no-such-bucket-x"):
        r, c = send(unhashed_request("PUT", path, b"<a/>", zero_signature=True))
        c.close()
        assert (r.status, r.error_code()) == (403, "SignatureDoesNotMatch"), (path, r)


def test_unhashed_small_put_with_a_good_signature_works(s3, bucket):
    body = b"curl 7.88 style " * 100
    r, c = send(unhashed_request("PUT", "/%s/curl788" % bucket, body))
    c.close()
    assert r.status == 200, r
    assert s3.get_object(Bucket=bucket, Key="curl788")["Body"].read() == body


def test_unhashed_good_signature_then_bucket_errors(s3):
    """Once the signature is verified, the answers are the usual ones."""
    r, c = send(unhashed_request("PUT", "/no-such-bucket-%s/k" % s3util.unique(), b"abc"))
    c.close()
    assert (r.status, r.error_code()) == (404, "NoSuchBucket"), r


def test_unhashed_body_tampered_is_signature_mismatch(s3, bucket):
    """Signed over one body, another sent: the body is the payload."""
    data = unhashed_request("PUT", "/%s/tampered" % bucket, b"A" * 100)
    data = data[:-100] + b"B" * 100
    r, c = send(data)
    c.close()
    assert (r.status, r.error_code()) == (403, "SignatureDoesNotMatch"), r
    assert s3util.request("HEAD", "/%s/tampered" % bucket).status == 404


def test_zero_signature_with_content_sha256_is_403_at_once(s3, bucket):
    """The signature covers UNSIGNED-PAYLOAD: checked from the head, before
    any of the declared 1 GiB arrives."""
    before = free_bytes()
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Length": str(1 << 30)}
    s3util.Signer().sign_headers("PUT", "/%s/big3" % bucket, (), h, "UNSIGNED-PAYLOAD")
    h["Authorization"] = re.sub("Signature=[0-9a-f]+", "Signature=" + ZERO_SIG,
                                h["Authorization"])
    r, c = send(s3util.build_request("PUT", "/%s/big3" % bucket, h))
    c.close()
    assert (r.status, r.error_code()) == (403, "SignatureDoesNotMatch"), r
    assert free_bytes() == before


# ------------------------------------------------ connection slots (2) --

class settings:
    """s3ctl config set NAME VALUE ... for the block, unset after."""

    def __init__(self, **kv):
        self.kv = kv

    def __enter__(self):
        for k, v in self.kv.items():
            s3util.s3ctl("config", "set", k, str(v))

    def __exit__(self, *exc):
        for k in self.kv:
            s3util.s3ctl("config", "unset", k, check=False)


def trickle_until_closed(c, data, interval, limit):
    """Sends DATA a byte every INTERVAL s until the server closes (True)
    or LIMIT s pass (False); answers received are kept in c.buf."""
    t0 = time.monotonic()
    for ch in data:
        try:
            c.send(bytes([ch]))
        except (BrokenPipeError, ConnectionResetError):
            return True, time.monotonic() - t0
        c.sock.settimeout(interval)
        try:
            d = c.sock.recv(65536)
            if not d:
                return True, time.monotonic() - t0
            c.buf += d
        except socket.timeout:
            pass
        except ConnectionResetError:
            return True, time.monotonic() - t0
        if time.monotonic() - t0 > limit:
            break
    return False, time.monotonic() - t0


def bad_put_head(bucket, key, length):
    """A PUT head with a zero signature over UNSIGNED-PAYLOAD: answered
    403 before its body."""
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Length": str(length)}
    s3util.Signer().sign_headers("PUT", "/%s/%s" % (bucket, key), (), h, "UNSIGNED-PAYLOAD")
    h["Authorization"] = re.sub("Signature=[0-9a-f]+", "Signature=" + ZERO_SIG,
                                h["Authorization"])
    return s3util.build_request("PUT", "/%s/%s" % (bucket, key), h)


def test_discard_after_early_answer_has_a_deadline(bucket):
    """403 before the body, then the body trickled a byte at a time: the
    answer comes and the connection closes after discard_timeout_ms, not
    after the whole (small) body."""
    with settings(discard_timeout_ms=1500):
        c = s3util.Conn()
        try:
            c.send(bad_put_head(bucket, "trickle", 4000))
            closed, elapsed = trickle_until_closed(c, b"x" * 4000, 0.5, 20)
            assert closed or c.closed_by_peer(5), "slot held %.1fs" % elapsed
            assert elapsed < 8, elapsed
            assert c.buf.startswith(b"HTTP/1.1 403"), c.buf[:200]
            assert b"<Code>SignatureDoesNotMatch</Code>" in c.buf
        finally:
            c.close()


def test_discard_of_a_prompt_body_keeps_the_connection(s3, bucket):
    """A small body sent at once after an early answer is dropped and the
    connection serves the next request."""
    c = s3util.Conn()
    try:
        c.send(bad_put_head(bucket, "prompt", 1000) + b"y" * 1000)
        r = c.read_response()
        assert (r.status, r.error_code()) == (403, "SignatureDoesNotMatch"), r
        c.send(s3util.signed_request("GET", "/" + bucket, [("list-type", "2")]))
        assert c.read_response().status == 200
    finally:
        c.close()


def test_min_rate_closes_a_trickled_head():
    """One byte every 0.4 s is below min_rate_bytes=100: closed after the
    grace period although header_timeout_ms (30 s) is far off."""
    with settings(min_rate_bytes=100, min_rate_grace_ms=2000):
        c = s3util.Conn()
        try:
            head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
            closed, elapsed = trickle_until_closed(c, head, 0.4, 20)
            assert closed or c.closed_by_peer(5), "slow head kept %.1fs" % elapsed
            assert elapsed < 10, elapsed
        finally:
            c.close()


def test_min_rate_closes_a_trickled_body(s3, bucket):
    with settings(min_rate_bytes=100, min_rate_grace_ms=2000):
        h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Length": "100000"}
        s3util.Signer().sign_headers("PUT", "/%s/slowbody" % bucket, (), h,
                                     "UNSIGNED-PAYLOAD")
        c = s3util.Conn()
        try:
            c.send(s3util.build_request("PUT", "/%s/slowbody" % bucket, h))
            closed, elapsed = trickle_until_closed(c, b"z" * 100000, 0.4, 20)
            assert closed or c.closed_by_peer(5), "slow body kept %.1fs" % elapsed
            assert elapsed < 10, elapsed
        finally:
            c.close()
    assert s3util.request("HEAD", "/%s/slowbody" % bucket).status == 404


def test_min_rate_lets_a_steady_client_through(s3, bucket):
    """A body at about 1 KiB/s for 4 s with min_rate_bytes=500 and a 1 s
    grace: above the rate, so it completes."""
    with settings(min_rate_bytes=500, min_rate_grace_ms=1000):
        body = b"s" * 4096
        h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT),
             "Content-Length": str(len(body))}
        s3util.Signer().sign_headers("PUT", "/%s/steady" % bucket, (), h,
                                     "UNSIGNED-PAYLOAD")
        c = s3util.Conn()
        try:
            c.send(s3util.build_request("PUT", "/%s/steady" % bucket, h))
            for i in range(0, len(body), 256):
                c.send(body[i:i + 256])
                time.sleep(0.25)
            assert c.read_response().status == 200
        finally:
            c.close()
    assert s3.get_object(Bucket=bucket, Key="steady")["Body"].read() == body


def test_connections_per_address_are_limited(s3, bucket):
    """With max_conns_per_addr=8, some connection among the first nine
    from this address is refused 503 and closed (other clients of this
    test run may hold a few); one closed makes room for one more."""
    def works(c):
        c.send(s3util.signed_request("GET", "/" + bucket, [("list-type", "2")]))
        return c.read_response().status == 200

    with settings(max_conns_per_addr=8):
        held = []
        try:
            refused = None
            for _ in range(9):
                c = s3util.Conn()
                c.sock.settimeout(0.5)
                try:
                    c.buf = c.sock.recv(4096)   # a refusal comes unasked
                except socket.timeout:
                    c.buf = b""
                c.sock.settimeout(30)
                if c.buf:
                    refused = c
                    break
                assert works(c)
                held.append(c)
            assert refused is not None, "9 connections from one address accepted"
            try:
                r = refused.read_response()
                assert r.status == 503, r
                assert refused.closed_by_peer(5)
            finally:
                refused.close()
            held.pop().close()
            time.sleep(0.5)
            again = s3util.Conn()
            try:
                assert works(again)
            finally:
                again.close()
        finally:
            for c in held:
                c.close()


# ----------------------------------------------------- error order (7) --

def raw(data):
    c = s3util.Conn()
    try:
        c.send(data)
        return c.read_response()
    finally:
        c.close()


def test_bad_escape_is_400_before_authentication(bucket):
    """No Authorization at all: a malformed path is InvalidURI, not
    AccessDenied."""
    r = raw(b"GET /%s/bad%%zzkey HTTP/1.1\r\nHost: x\r\n\r\n" % bucket.encode())
    assert (r.status, r.error_code()) == (400, "InvalidURI"), r


def test_unknown_huge_method_is_405_before_authentication(bucket):
    r = raw(b"%s /%s/k HTTP/1.1\r\nHost: x\r\n\r\n" % (b"X" * 2000, bucket.encode()))
    assert (r.status, r.error_code()) == (405, "MethodNotAllowed"), r


def test_url_over_the_limit_is_414_before_authentication():
    r = raw(b"GET /" + b"u" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert (r.status, r.error_code()) == (414, "RequestURITooLong"), r


def test_presigned_url_for_another_region_is_403(s3, bucket):
    s3.put_object(Bucket=bucket, Key="r", Body=b"x")
    q = s3util.Signer(region="eu-west-3").presign("GET", "/%s/r" % bucket, expires=60)
    r = raw(b"GET /%s/r?%s HTTP/1.1\r\nHost: %s:%d\r\n\r\n" %
            (bucket.encode(), q.encode(), s3util.HOST.encode(), s3util.PORT))
    assert (r.status, r.error_code()) == (403, "AuthorizationQueryParametersError"), r
    assert b"<Region>" + s3util.REGION.encode() + b"</Region>" in r.body


def test_metadata_that_would_not_fit_an_answer_is_refused_at_put(s3, bucket):
    """20 user fields of 4 + 90 bytes (1880: under AWS's 2 KiB of user
    metadata) and a 1900-byte Content-Disposition: each within its own
    limit, but together more header lines than a GET's head has room
    for: refused at PUT, never cut short on GET."""
    meta = {"m%03d" % i: "v" * 90 for i in range(20)}
    disp = "attachment; filename=" + "d" * 1900
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="fat", Body=b"x", Metadata=meta,
                      ContentDisposition=disp)
    assert client_error(e) == (400, "MetadataTooLarge")
    # what is accepted comes back whole
    s3.put_object(Bucket=bucket, Key="fits", Body=b"x", Metadata=meta,
                  ContentDisposition="attachment")
    for r in (s3.head_object(Bucket=bucket, Key="fits"),
              s3.get_object(Bucket=bucket, Key="fits")):
        assert r["Metadata"] == meta
        assert r["ContentDisposition"] == "attachment"


# ------------------------------------------------------ quotas (5, 21) --

def set_quota(bucket, nbytes):
    s3util.s3ctl("bucket", "quota", bucket, "--bytes", str(nbytes))


def quota_error(e):
    assert client_error(e) == (403, "QuotaExceeded"), e.value.response


def test_quota_refuses_put_at_the_start(s3, bucket):
    """A declared Content-Length over the quota is refused before its
    body is taken: nothing reserved on the device."""
    set_quota(bucket, 100000)
    before = free_bytes()
    h = {"Host": "%s:%d" % (s3util.HOST, s3util.PORT), "Content-Length": str(1 << 30)}
    s3util.Signer().sign_headers("PUT", "/%s/big" % bucket, (), h, "UNSIGNED-PAYLOAD")
    c = s3util.Conn()
    try:
        c.send(s3util.build_request("PUT", "/%s/big" % bucket, h))
        r = c.read_response()
    finally:
        c.close()
    assert (r.status, r.error_code()) == (403, "QuotaExceeded"), r
    assert free_bytes() == before
    s3.put_object(Bucket=bucket, Key="small", Body=b"s" * 60000)
    with pytest.raises(ClientError) as e:
        s3.put_object(Bucket=bucket, Key="second", Body=b"s" * 60000)
    quota_error(e)
    # an overwrite replaces: it fits
    s3.put_object(Bucket=bucket, Key="small", Body=b"t" * 90000)


def test_quota_counts_parts_of_unfinished_uploads(s3, bucket):
    set_quota(bucket, 12 << 20)
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    try:
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=up, PartNumber=1,
                       Body=b"a" * (5 << 20))
        s3.upload_part(Bucket=bucket, Key="mp", UploadId=up, PartNumber=2,
                       Body=b"b" * (5 << 20))
        # 10 MiB in parts: a 3 MiB PUT does not fit in 12 MiB
        with pytest.raises(ClientError) as e:
            s3.put_object(Bucket=bucket, Key="other", Body=b"o" * (3 << 20))
        quota_error(e)
        with pytest.raises(ClientError) as e:
            s3.upload_part(Bucket=bucket, Key="mp", UploadId=up, PartNumber=3,
                           Body=b"c" * (3 << 20))
        quota_error(e)
    finally:
        s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=up)
    # aborted: the room is back
    s3.put_object(Bucket=bucket, Key="other", Body=b"o" * (3 << 20))


def test_quota_holds_for_complete(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp2")["UploadId"]
    parts = []
    for n in (1, 2):
        etag = s3.upload_part(Bucket=bucket, Key="mp2", UploadId=up, PartNumber=n,
                              Body=bytes([96 + n]) * (5 << 20))["ETag"]
        parts.append({"PartNumber": n, "ETag": etag})
    set_quota(bucket, 8 << 20)      # lowered below what the parts hold
    with pytest.raises(ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp2", UploadId=up,
                                     MultipartUpload={"Parts": parts})
    quota_error(e)
    set_quota(bucket, 0)
    s3.complete_multipart_upload(Bucket=bucket, Key="mp2", UploadId=up,
                                 MultipartUpload={"Parts": parts})
    assert s3.head_object(Bucket=bucket, Key="mp2")["ContentLength"] == 10 << 20


def test_quota_holds_for_copy(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"c" * 70000)
    set_quota(bucket, 100000)
    with pytest.raises(ClientError) as e:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    quota_error(e)


# ------------------------------------------------ long operations (4) --

def test_a_long_copy_does_not_hold_up_other_requests(s3, bucket):
    """CopyObject of 64 MiB runs in its connection's work: other
    connections are answered meanwhile, new ones accepted."""
    import threading
    s3.put_object(Bucket=bucket, Key="big", Body=b"B" * (64 << 20))
    s3.put_object(Bucket=bucket, Key="small", Body=b"s")
    done = threading.Event()
    errors = []

    def copy():
        try:
            s3.copy_object(Bucket=bucket, Key="big-copy",
                           CopySource={"Bucket": bucket, "Key": "big"})
        except Exception as e:      # reported below
            errors.append(e)
        done.set()

    t = threading.Thread(target=copy)
    t.start()
    served_during = 0
    try:
        time.sleep(0.2)
        for _ in range(20):
            if done.is_set():
                break
            c = s3util.Conn()       # a new connection: accepts go on
            try:
                c.send(s3util.signed_request("GET", "/%s/small" % bucket))
                r = c.read_response()
                assert (r.status, r.body) == (200, b"s"), r
            finally:
                c.close()
            if not done.is_set():
                served_during += 1
    finally:
        t.join(120)
    assert not errors, errors
    assert served_during > 0, "the copy ended before any other request: inconclusive"
    h = s3.head_object(Bucket=bucket, Key="big-copy")
    assert h["ContentLength"] == 64 << 20


# ------------------------------------- a key without a grant (21) --

def test_key_without_a_grant_is_denied_every_operation(s3, s3_limited, bucket):
    """The limited key has no grant on this bucket: multipart, batch
    delete, part copy and HEAD are AccessDenied like GET and PUT, and
    change nothing."""
    s3.put_object(Bucket=bucket, Key="obj", Body=b"data")
    up = s3.create_multipart_upload(Bucket=bucket, Key="mp")["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=up, PartNumber=1,
                          Body=b"p" * 1000)["ETag"]
    calls = {
        "CreateMultipartUpload": lambda: s3_limited.create_multipart_upload(
            Bucket=bucket, Key="x"),
        "UploadPart": lambda: s3_limited.upload_part(
            Bucket=bucket, Key="mp", UploadId=up, PartNumber=2, Body=b"q"),
        "UploadPartCopy": lambda: s3_limited.upload_part_copy(
            Bucket=bucket, Key="mp", UploadId=up, PartNumber=3,
            CopySource={"Bucket": bucket, "Key": "obj"}),
        "ListParts": lambda: s3_limited.list_parts(Bucket=bucket, Key="mp", UploadId=up),
        "CompleteMultipartUpload": lambda: s3_limited.complete_multipart_upload(
            Bucket=bucket, Key="mp", UploadId=up,
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]}),
        "AbortMultipartUpload": lambda: s3_limited.abort_multipart_upload(
            Bucket=bucket, Key="mp", UploadId=up),
        "DeleteObjects": lambda: s3_limited.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": "obj"}]}),
        "CopyObject": lambda: s3_limited.copy_object(
            Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "obj"}),
    }
    for name, fn in calls.items():
        with pytest.raises(ClientError) as e:
            fn()
        assert client_error(e) == (403, "AccessDenied"), name
    with pytest.raises(ClientError) as e:
        s3_limited.head_object(Bucket=bucket, Key="obj")
    assert client_error(e)[0] == 403     # HEAD answers have no body: status only
    # nothing changed
    assert s3.get_object(Bucket=bucket, Key="obj")["Body"].read() == b"data"
    parts = s3.list_parts(Bucket=bucket, Key="mp", UploadId=up)["Parts"]
    assert [p["PartNumber"] for p in parts] == [1]
    s3.abort_multipart_upload(Bucket=bucket, Key="mp", UploadId=up)
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="copy")


# -------------------------------------------------- memory budget (3) --

def test_many_clients_with_large_listings_stay_in_the_budget(s3, bucket):
    """900 connections each ask for a listing of 200 keys of 900 bytes
    (about 200 KB of XML each, 180 MB together) and read nothing until
    all are sent. With global_buffer_bytes at 16 MiB, what does not fit
    is answered 503 SlowDown; every other answer is a whole listing; no
    connection breaks. (The runner prints the guest's peak memory.)"""
    import resource
    import xml.etree.ElementTree as ET
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2000:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    keys = ["k%03d-" % i + "n" * 895 for i in range(200)]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"")
    n = 900
    with settings(global_buffer_bytes=16 << 20, max_conns_per_addr=2000,
                  max_connections=2000):
        conns = []
        try:
            req = s3util.signed_request("GET", "/" + bucket,
                                        [("list-type", "2"), ("max-keys", "1000")])
            for _ in range(n):
                c = s3util.Conn(timeout=120)
                c.send(req)
                conns.append(c)
            ok = slow = 0
            for c in conns:
                r = c.read_response()
                if r.status == 503:
                    assert r.error_code() == "SlowDown", r
                    slow += 1
                    continue
                assert r.status == 200, r
                root = ET.fromstring(r.body)
                got = [e.text for e in root.iter() if e.tag.endswith("}Key") or e.tag == "Key"]
                assert got == keys, len(got)
                ok += 1
        finally:
            for c in conns:
                c.close()
    print("# %d listings whole, %d answered SlowDown" % (ok, slow))
    assert ok + slow == n
    assert ok > 0
