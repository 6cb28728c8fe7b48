# SPDX-License-Identifier: GPL-2.0
"""Authentication and authorisation: presigned URLs, wrong secret, unknown
key, skewed clock, wrong region, anonymous requests, per-key capabilities
(s3ctl key allow|deny), path-style and virtual-hosted-style addressing."""
import socket
import time
import urllib.parse
import urllib.request

import pytest
from botocore.exceptions import ClientError

import s3util
from conftest import make_client
from s3util import client_error


def http(method, url, body=None, headers=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read(), dict(e.headers)


# ----------------------------------------------------------- presigned --

def test_presigned_get(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p", Body=b"presigned")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=300)
    status, body, _ = http("GET", url)
    assert (status, body) == (200, b"presigned")


def test_presigned_put(s3, bucket):
    url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "pp"}, ExpiresIn=300)
    status, body, _ = http("PUT", url, body=b"uploaded")
    assert status == 200, body
    assert s3.get_object(Bucket=bucket, Key="pp")["Body"].read() == b"uploaded"


def test_presigned_expired(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=1)
    # The guest's clock may lag the host's by a second or so.
    time.sleep(4)
    status, body, _ = http("GET", url)
    assert (status, s3util.error_field(body, "Code")) == (403, "AccessDenied"), body
    assert "expired" in (s3util.error_field(body, "Message") or "").lower()


def test_presigned_expired_long_ago(s3, bucket):
    # Signed ten minutes ago, valid for one: no waiting, no clock race.
    s3.put_object(Bucket=bucket, Key="p", Body=b"x")
    q = s3util.Signer().presign("GET", "/%s/p" % bucket, expires=60, amz_date=s3util.amz_now(-600))
    status, body, _ = http("GET", "%s/%s/p?%s" % (s3util.ENDPOINT, bucket, q))
    assert (status, s3util.error_field(body, "Code")) == (403, "AccessDenied"), body


def test_presigned_tampered_signature(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p", Body=b"x")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=300)
    u = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qsl(u.query)
    q = [(k, ("0" if v[0] != "0" else "1") + v[1:]) if k == "X-Amz-Signature" else (k, v) for k, v in q]
    status, body, _ = http("GET", urllib.parse.urlunsplit(u._replace(query=urllib.parse.urlencode(q))))
    assert (status, s3util.error_field(body, "Code")) == (403, "SignatureDoesNotMatch"), body


def test_presigned_tampered_key(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p", Body=b"x")
    s3.put_object(Bucket=bucket, Key="q", Body=b"secret")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "p"}, ExpiresIn=300)
    status, body, _ = http("GET", url.replace("/p?", "/q?"))
    assert (status, s3util.error_field(body, "Code")) == (403, "SignatureDoesNotMatch"), body


def test_presigned_expiry_over_7_days_refused(bucket):
    q = s3util.Signer().presign("GET", "/%s/p" % bucket, expires=604801)
    c = s3util.Conn()
    c.send(s3util.build_request("GET", "/%s/p?%s" % (bucket, q),
                                {"Host": "%s:%d" % (s3util.HOST, s3util.PORT)}))
    r = c.read_response()
    assert (r.status, r.error_code()) == (400, "AuthorizationQueryParametersError"), r


def test_sigv2_presigned_refused_cleanly(s3, bucket):
    # ks3 speaks SigV4 only; a SigV2 query string (what aws-cli v1's
    # `s3 presign` makes by default) gets an S3 error, never a 500 or data.
    s3.put_object(Bucket=bucket, Key="v2", Body=b"x")
    c = s3util.Conn()
    c.send(s3util.build_request(
        "GET", "/%s/v2?AWSAccessKeyId=%s&Signature=AAAA%%3D&Expires=%d"
        % (bucket, s3util.ACCESS_KEY, int(time.time()) + 300),
        {"Host": "%s:%d" % (s3util.HOST, s3util.PORT)}))
    r = c.read_response()
    assert r.status in (400, 403) and r.error_code(), r


def test_presigned_own_signer(s3, bucket):
    s3.put_object(Bucket=bucket, Key="own", Body=b"own")
    q = s3util.Signer().presign("GET", "/%s/own" % bucket, expires=60)
    status, body, _ = http("GET", "%s/%s/own?%s" % (s3util.ENDPOINT, bucket, q))
    assert (status, body) == (200, b"own")


# ---------------------------------------------------------- bad auth --

def test_wrong_secret_is_signature_does_not_match(bucket):
    c = make_client(secret="x" * 40)
    with pytest.raises(ClientError) as e:
        c.list_objects_v2(Bucket=bucket)
    assert client_error(e) == (403, "SignatureDoesNotMatch")
    with pytest.raises(ClientError) as e:
        c.put_object(Bucket=bucket, Key="w", Body=b"x")
    assert client_error(e) == (403, "SignatureDoesNotMatch")


def test_unknown_key_is_invalid_access_key_id(bucket):
    c = make_client(access="KS3UNKNOWNKEY0000000", secret="x" * 40)
    with pytest.raises(ClientError) as e:
        c.list_buckets()
    assert client_error(e) == (403, "InvalidAccessKeyId")


@pytest.mark.parametrize("skew", [-20 * 60, 20 * 60])
def test_skewed_clock_is_request_time_too_skewed(bucket, skew):
    r = s3util.request("GET", "/" + bucket, [("list-type", "2")], amz_date=s3util.amz_now(skew))
    assert (r.status, r.error_code()) == (403, "RequestTimeTooSkewed"), r


def test_small_skew_accepted(bucket):
    r = s3util.request("GET", "/" + bucket, [("list-type", "2")], amz_date=s3util.amz_now(-5 * 60))
    assert r.status == 200, r


def test_wrong_region_is_authorization_header_malformed(bucket):
    r = s3util.request("GET", "/" + bucket, [("list-type", "2")],
                       signer=s3util.Signer(region="eu-west-1"))
    assert (r.status, r.error_code()) == (400, "AuthorizationHeaderMalformed"), r
    assert "us-east-1" in s3util.error_field(r.body, "Message"), r
    assert s3util.error_field(r.body, "Region") == "us-east-1", r


def test_boto3_with_wrong_region_follows_the_region_hint(bucket):
    # botocore's S3 region redirector reads <Region> from the 400 above,
    # re-signs for us-east-1 and retries: the call succeeds.
    c = make_client(region="eu-west-1")
    r = c.list_objects_v2(Bucket=bucket)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_malformed_authorization_header(bucket):
    c = s3util.Conn()
    c.send(s3util.build_request("GET", "/" + bucket, {
        "Host": "%s:%d" % (s3util.HOST, s3util.PORT), "x-amz-date": s3util.amz_now(),
        "x-amz-content-sha256": s3util.EMPTY_SHA256,
        "Authorization": "AWS4-HMAC-SHA256 Credential=garbage"}))
    r = c.read_response()
    assert r.status == 400 and r.error_code() in ("AuthorizationHeaderMalformed", "InvalidArgument"), r


def test_anonymous_is_access_denied(s3, s3_anon, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"x")
    for call in (lambda: s3_anon.get_object(Bucket=bucket, Key="a"),
                 lambda: s3_anon.list_objects_v2(Bucket=bucket),
                 lambda: s3_anon.put_object(Bucket=bucket, Key="b", Body=b"x"),
                 lambda: s3_anon.list_buckets()):
        with pytest.raises(ClientError) as e:
            call()
        assert client_error(e) == (403, "AccessDenied")


# ------------------------------------------------------ capabilities --

def test_limited_key_capabilities(s3, s3_limited, bucket):
    ak = s3util.LIMITED_ACCESS_KEY
    s3.put_object(Bucket=bucket, Key="obj", Body=b"data")

    def denied(fn):
        with pytest.raises(ClientError) as e:
            fn()
        assert client_error(e) == (403, "AccessDenied")

    get = lambda: s3_limited.get_object(Bucket=bucket, Key="obj")["Body"].read()
    put = lambda: s3_limited.put_object(Bucket=bucket, Key="new", Body=b"n")
    lst = lambda: s3_limited.list_objects_v2(Bucket=bucket)
    dele = lambda: s3_limited.delete_object(Bucket=bucket, Key="obj")
    rmb = lambda: s3_limited.delete_bucket(Bucket=bucket)

    # No grant at all.
    for fn in (get, put, lst, dele, rmb):
        denied(fn)
    assert bucket not in [b["Name"] for b in s3_limited.list_buckets().get("Buckets", [])]

    s3util.s3ctl("key", "allow", ak, bucket, "read")
    assert get() == b"data"
    for fn in (put, lst, dele):
        denied(fn)

    s3util.s3ctl("key", "allow", ak, bucket, "list")
    assert [o["Key"] for o in lst()["Contents"]] == ["obj"]
    denied(put)

    s3util.s3ctl("key", "allow", ak, bucket, "write")
    put()
    assert s3.get_object(Bucket=bucket, Key="new")["Body"].read() == b"n"

    s3util.s3ctl("key", "deny", ak, bucket, "read")
    denied(get)
    assert [o["Key"] for o in lst()["Contents"]] == ["new", "obj"]
    denied(rmb)
    s3util.s3ctl("key", "deny", ak, bucket, "all")
    denied(lst)


def test_key_owns_the_bucket_it_creates(s3, s3_limited):
    name = s3util.unique("own")
    s3_limited.create_bucket(Bucket=name)
    try:
        s3_limited.put_object(Bucket=name, Key="k", Body=b"x")
        assert s3_limited.get_object(Bucket=name, Key="k")["Body"].read() == b"x"
        assert name in [b["Name"] for b in s3_limited.list_buckets()["Buckets"]]
        s3_limited.delete_object(Bucket=name, Key="k")
    finally:
        s3_limited.delete_bucket(Bucket=name)


# ------------------------------------------------ addressing styles --

VHOST_DOMAIN = "s3.ks3.test"


@pytest.fixture(scope="module")
def vhost():
    s3util.s3ctl("config", "set", "vhost_domain", VHOST_DOMAIN)
    real = socket.getaddrinfo

    def fake(host, *a, **kw):
        if isinstance(host, str) and (host == VHOST_DOMAIN or host.endswith("." + VHOST_DOMAIN)):
            host = "127.0.0.1"
        return real(host, *a, **kw)
    socket.getaddrinfo = fake
    yield
    socket.getaddrinfo = real
    if s3util.s3ctl("config", "unset", "vhost_domain", check=False).returncode:
        s3util.s3ctl("config", "set", "vhost_domain", "", check=False)


def test_path_style(s3, bucket):
    s3.put_object(Bucket=bucket, Key="dir/x", Body=b"path")
    assert s3.get_object(Bucket=bucket, Key="dir/x")["Body"].read() == b"path"


def test_virtual_hosted_style_boto3(s3, bucket, vhost):
    c = make_client(addressing="virtual", endpoint="http://%s:%d" % (VHOST_DOMAIN, s3util.PORT))
    c.put_object(Bucket=bucket, Key="dir/v", Body=b"vhost")
    assert s3.get_object(Bucket=bucket, Key="dir/v")["Body"].read() == b"vhost"
    assert c.get_object(Bucket=bucket, Key="dir/v")["Body"].read() == b"vhost"
    assert "dir/v" in [o["Key"] for o in c.list_objects_v2(Bucket=bucket)["Contents"]]
    c.head_bucket(Bucket=bucket)


@pytest.mark.parametrize("with_port", [True, False])
def test_virtual_hosted_style_raw_host_header(s3, bucket, vhost, with_port):
    s3.put_object(Bucket=bucket, Key="raw", Body=b"raw-vhost")
    host = "%s.%s" % (bucket, VHOST_DOMAIN) + (":%d" % s3util.PORT if with_port else "")
    r = s3util.request("GET", "/raw", host=host)
    assert (r.status, r.body) == (200, b"raw-vhost"), r


def test_virtual_hosted_missing_bucket(vhost):
    host = "nosuchbucket-%d.%s:%d" % (time.time(), VHOST_DOMAIN, s3util.PORT)
    r = s3util.request("GET", "/", [("list-type", "2")], host=host)
    assert (r.status, r.error_code()) == (404, "NoSuchBucket"), r
