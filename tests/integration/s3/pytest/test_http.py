# SPDX-License-Identifier: GPL-2.0
"""HTTP/1.1 on raw sockets: keep-alive, pipelining, Expect: 100-continue,
chunked request bodies, malformed and oversized requests, Connection:
close, the header timeout; and the S3 XML error document."""
import hashlib
import socket
import time
import xml.etree.ElementTree as ET

import pytest

import s3util
from s3util import Conn, build_request, signed_request

HOSTHDR = lambda: "%s:%d" % (s3util.HOST, s3util.PORT)


def test_keep_alive_two_requests_one_connection(s3, bucket):
    s3.put_object(Bucket=bucket, Key="ka", Body=b"keepalive")
    c = Conn()
    try:
        for _ in range(3):
            c.send(signed_request("GET", "/%s/ka" % bucket))
            r = c.read_response()
            assert (r.status, r.body) == (200, b"keepalive"), r
            assert (r.header("connection") or "").lower() != "close"
    finally:
        c.close()


def test_pipelined_requests_in_one_write(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p1", Body=b"first")
    s3.put_object(Bucket=bucket, Key="p2", Body=b"second-body")
    c = Conn()
    try:
        c.send(signed_request("GET", "/%s/p1" % bucket) + signed_request("HEAD", "/%s/p2" % bucket)
               + signed_request("GET", "/%s/p2" % bucket))
        r1 = c.read_response()
        r2 = c.read_response(head=True)
        r3 = c.read_response()
        assert (r1.status, r1.body) == (200, b"first")
        assert r2.status == 200 and r2.header("content-length") == "11"
        assert (r3.status, r3.body) == (200, b"second-body")
        ids = {r1.header("x-amz-request-id"), r2.header("x-amz-request-id"), r3.header("x-amz-request-id")}
        assert len(ids) == 3 and None not in ids
    finally:
        c.close()


def test_pipelined_put_then_get(bucket):
    c = Conn()
    try:
        c.send(signed_request("PUT", "/%s/pp" % bucket, body=b"payload-1")
               + signed_request("GET", "/%s/pp" % bucket))
        r1, r2 = c.read_response(), c.read_response()
        assert r1.status == 200, r1
        assert (r2.status, r2.body) == (200, b"payload-1"), r2
    finally:
        c.close()


def test_expect_100_continue(bucket):
    body = b"E" * 5000
    c = Conn()
    try:
        req = signed_request("PUT", "/%s/ex" % bucket, headers={"Expect": "100-continue"}, body=body)
        head = req[:len(req) - len(body)]
        c.send(head)
        r = c.read_response()
        assert r.status == 100, r
        c.send(body)
        r = c.read_response()
        assert r.status == 200, r
        c.send(signed_request("GET", "/%s/ex" % bucket))
        assert c.read_response().body == body
    finally:
        c.close()


def test_expect_100_continue_refused_early(bucket):
    # A request that will fail anyway (no such bucket) gets its final
    # answer instead of 100 Continue, without waiting for the body.
    body = b"E" * 5000
    c = Conn()
    try:
        req = signed_request("PUT", "/%s-nope/ex" % bucket, headers={"Expect": "100-continue"}, body=body)
        c.send(req[:len(req) - len(body)])
        c.sock.settimeout(30)
        r = c.read_response()
        assert r.status == 404, r
    finally:
        c.close()


@pytest.mark.parametrize("payload", ["signed", "UNSIGNED-PAYLOAD"])
def test_chunked_request_body(bucket, payload):
    data = bytes(range(256)) * 20
    h = {"Transfer-Encoding": "chunked"}
    ph = hashlib.sha256(data).hexdigest() if payload == "signed" else payload
    req = signed_request("PUT", "/%s/ch" % bucket, headers=h, body=b"", payload_hash=ph)
    c = Conn()
    try:
        c.send(req + s3util.http_chunked(data, 700))
        r = c.read_response()
        assert r.status == 200, r
        c.send(signed_request("GET", "/%s/ch" % bucket))
        g = c.read_response()
        assert g.body == data
    finally:
        c.close()


@pytest.mark.parametrize("garbage", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nNoColonHere\r\n\r\n",
                                     b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                                     b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                                     b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"])
def test_malformed_request_is_400_and_close(garbage):
    c = Conn()
    try:
        c.send(garbage)
        r = c.read_response()
        assert r.status in (400, 505) if b"9.9" in garbage else r.status == 400, r
        assert c.closed_by_peer(10), "connection left open after a malformed request"
    finally:
        c.close()


def test_malformed_request_answer_has_request_id():
    # "x-amz-request-id on every response", the 400 for a bad head too.
    c = Conn()
    try:
        c.send(b"GARBAGE\r\n\r\n")
        r = c.read_response()
        assert r.status == 400, r
        assert r.header("x-amz-request-id"), r
    finally:
        c.close()


def test_idle_connection_closed_after_idle_timeout():
    # A connection that sends nothing at all is closed by the idle timeout.
    s3util.s3ctl("config", "set", "idle_timeout_ms", "2000")
    try:
        c = Conn()
        try:
            t0 = time.monotonic()
            assert c.closed_by_peer(15), "an idle connection stayed open 15 s"
            assert time.monotonic() - t0 < 12
        finally:
            c.close()
    finally:
        if s3util.s3ctl("config", "unset", "idle_timeout_ms", check=False).returncode:
            s3util.s3ctl("config", "set", "idle_timeout_ms", "60000", check=False)


def test_huge_header_is_431_or_400():
    c = Conn()
    try:
        c.send(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (20 * 1024) + b"\r\n\r\n")
        try:
            r = c.read_response()
        except (ConnectionResetError, BrokenPipeError) as e:
            pytest.fail("connection reset without a response: %r" % e)
        assert r.status in (431, 400), r
        assert c.closed_by_peer(10)
    finally:
        c.close()


def test_many_headers_refused():
    c = Conn()
    try:
        hdrs = b"".join(b"X-H%d: v\r\n" % i for i in range(500))
        c.send(b"GET / HTTP/1.1\r\nHost: x\r\n" + hdrs + b"\r\n")
        r = c.read_response()
        assert r.status in (431, 400), r
    finally:
        c.close()


def test_long_url_refused():
    c = Conn()
    try:
        c.send(b"GET /" + b"u" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        r = c.read_response()
        assert (r.status, r.error_code()) == (414, "RequestURITooLong"), r
    finally:
        c.close()


def test_connection_close(s3, bucket):
    s3.put_object(Bucket=bucket, Key="cc", Body=b"bye")
    c = Conn()
    try:
        c.send(signed_request("GET", "/%s/cc" % bucket, headers={"Connection": "close"}))
        r = c.read_response()
        assert (r.status, r.body) == (200, b"bye")
        assert (r.header("connection") or "").lower() == "close"
        assert c.closed_by_peer(10)
    finally:
        c.close()


def test_http10_closes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="h10", Body=b"old")
    req = signed_request("GET", "/%s/h10" % bucket).replace(b" HTTP/1.1\r\n", b" HTTP/1.0\r\n", 1)
    c = Conn()
    try:
        c.send(req)
        r = c.read_response()
        assert (r.status, r.body) == (200, b"old"), r
        assert c.closed_by_peer(10)
    finally:
        c.close()


def test_head_has_no_body_but_content_length(s3, bucket):
    s3.put_object(Bucket=bucket, Key="hd", Body=b"123456")
    c = Conn()
    try:
        c.send(signed_request("HEAD", "/%s/hd" % bucket) + signed_request("GET", "/%s/hd" % bucket))
        r1 = c.read_response(head=True)
        assert r1.header("content-length") == "6"
        r2 = c.read_response()  # would be garbage if HEAD had sent a body
        assert (r2.status, r2.body) == (200, b"123456")
    finally:
        c.close()


def test_header_timeout_closes_slow_client():
    s3util.s3ctl("config", "set", "header_timeout_ms", "2000")
    try:
        c = Conn()
        try:
            t0 = time.monotonic()
            c.send(b"GET / HTTP/1.1\r\n")
            closed = False
            # One byte a second: must not keep the connection alive.
            for ch in b"Host: slow-client-header\r\n":
                try:
                    c.send(bytes([ch]))
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                c.sock.settimeout(1.0)
                try:
                    d = c.sock.recv(4096)
                    if not d:
                        closed = True
                        break
                    c.buf += d
                except socket.timeout:
                    pass
                if time.monotonic() - t0 > 20:
                    break
            elapsed = time.monotonic() - t0
            assert closed or c.closed_by_peer(10), "slow client kept the connection %.1fs" % elapsed
            assert elapsed < 15, elapsed
            if c.buf:
                assert c.buf.startswith(b"HTTP/1.1 408") or c.buf.startswith(b"HTTP/1.1 400"), c.buf[:100]
        finally:
            c.close()
    finally:
        if s3util.s3ctl("config", "unset", "header_timeout_ms", check=False).returncode:
            s3util.s3ctl("config", "set", "header_timeout_ms", "30000", check=False)


def test_idle_keepalive_connection_does_not_block_others(s3, bucket):
    idle = [Conn() for _ in range(8)]
    try:
        s3.put_object(Bucket=bucket, Key="idle", Body=b"x")
        assert s3.get_object(Bucket=bucket, Key="idle")["Body"].read() == b"x"
    finally:
        for c in idle:
            c.close()


def test_server_and_date_headers(bucket):
    r = s3util.request("GET", "/" + bucket, [("list-type", "2")])
    assert r.status == 200
    assert r.header("date") and r.header("date").endswith("GMT")
    assert r.header("server")
    assert r.header("content-type", "").startswith("application/xml")


# ------------------------------------------------------ XML errors ----

def check_error_doc(r, status, code, resource=None):
    assert r.status == status, r
    assert r.header("content-type", "").startswith("application/xml"), r
    root = ET.fromstring(r.body)
    assert root.tag == "Error", root.tag
    assert root.findtext("Code") == code, r
    assert root.findtext("Message"), r
    rid = r.header("x-amz-request-id")
    assert rid and root.findtext("RequestId") == rid, r
    if resource is not None:
        assert root.findtext("Resource") == resource, r


def test_error_document_no_such_key(bucket):
    check_error_doc(s3util.request("GET", "/%s/missing-key" % bucket), 404, "NoSuchKey",
                    "/%s/missing-key" % bucket)


def test_error_document_no_such_bucket():
    check_error_doc(s3util.request("GET", "/no-such-bucket-xyz/k"), 404, "NoSuchBucket")


def test_error_document_access_denied(bucket):
    c = Conn()
    c.send(build_request("GET", "/%s/k" % bucket, {"Host": HOSTHDR()}))
    check_error_doc(c.read_response(), 403, "AccessDenied")


def test_request_ids_are_unique():
    ids = {s3util.request("GET", "/").header("x-amz-request-id") for _ in range(5)}
    assert len(ids) == 5 and None not in ids


@pytest.mark.parametrize("method,sub,objkey", [("GET", "website", None), ("GET", "replication", None),
                                               ("GET", "analytics&id=a", None),
                                               ("GET", "intelligent-tiering&id=a", None),
                                               ("PUT", "object-lock", None),
                                               ("GET", "torrent", "k"), ("POST", "restore", "k"),
                                               ("POST", "select&select-type=2", "k")])
def test_unsupported_subresource_is_501(s3, bucket, method, sub, objkey):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    path = "/" + bucket + ("/" + objkey if objkey else "")
    query = [tuple((kv.split("=", 1) + [""])[:2]) for kv in sub.split("&")]
    r = s3util.request(method, path, query, body=b"<x/>" if method != "GET" else b"")
    check_error_doc(r, 501, "NotImplemented")


def test_unknown_method_is_refused(bucket):
    r = s3util.request("PATCH", "/%s/k" % bucket)
    check_error_doc(r, 405, "MethodNotAllowed")
