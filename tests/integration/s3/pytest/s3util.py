# SPDX-License-Identifier: GPL-2.0
"""Helpers for the ks3 S3 integration suite: the endpoint and keys that
tests/integration/s3/run.sh exports, a SigV4 signer for the raw-socket
tests (header auth, presigned URLs, aws-chunked signed and unsigned, with
trailers), a small HTTP/1.1 response reader, CRC32C/CRC64NVME, and
tools/vm/s3ctl for admin calls into the guest.

The signer is checked against AWS's published examples in
../shared/testdata/s3-examples by test_signer.py, so a failure in the raw
tests is the server's, not the signer's."""
import base64
import binascii
import datetime
import hashlib
import hmac
import os
import socket
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ET

ENDPOINT = os.environ.get("KS3_S3_ENDPOINT", "")
PORT = int(os.environ.get("KS3_S3_PORT", "0") or 0)
REGION = os.environ.get("KS3_S3_REGION", "us-east-1")
ACCESS_KEY = os.environ.get("KS3_S3_ACCESS_KEY", "")
SECRET_KEY = os.environ.get("KS3_S3_SECRET_KEY", "")
LIMITED_ACCESS_KEY = os.environ.get("KS3_S3_LIMITED_ACCESS_KEY", "")
LIMITED_SECRET_KEY = os.environ.get("KS3_S3_LIMITED_SECRET_KEY", "")
TOP = os.environ.get("KS3_TOP") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
HOST = "127.0.0.1"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
S3NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


# ------------------------------------------------------------ checksums --

def _crc_table(poly, bits):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C_T = _crc_table(0x82F63B78, 32)
_CRC64NVME_T = _crc_table(0x9A6C9329AC4BC9B5, 64)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _CRC32C_T[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def crc64nvme(data):
    m = 0xFFFFFFFFFFFFFFFF
    c = m
    for b in data:
        c = _CRC64NVME_T[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ m


def checksum_b64(alg, data):
    """The value of an x-amz-checksum-ALG header for DATA."""
    alg = alg.lower()
    if alg == "crc32":
        raw = (binascii.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big")
    elif alg == "crc32c":
        raw = crc32c(data).to_bytes(4, "big")
    elif alg == "crc64nvme":
        raw = crc64nvme(data).to_bytes(8, "big")
    elif alg == "sha1":
        raw = hashlib.sha1(data).digest()
    elif alg == "sha256":
        raw = hashlib.sha256(data).digest()
    else:
        raise ValueError(alg)
    return base64.b64encode(raw).decode()


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


# ---------------------------------------------------------------- SigV4 --

def uri_encode(s, slash=True):
    """S3's UriEncode: everything but unreserved characters, '/' kept
    when SLASH."""
    if isinstance(s, str):
        s = s.encode()
    return urllib.parse.quote(s, safe="/~" if slash else "~")


def amz_now(skew=0):
    t = datetime.datetime.utcnow() + datetime.timedelta(seconds=skew)
    return t.strftime("%Y%m%dT%H%M%SZ")


def signing_key(secret, date, region, service="s3"):
    k = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def hmac_hex(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).hexdigest()


def canonical_query(query):
    """QUERY: list of (name, value) pairs, already decoded."""
    pairs = sorted((uri_encode(k, False), uri_encode(v, False)) for k, v in query)
    return "&".join("%s=%s" % kv for kv in pairs)


class Signer:
    def __init__(self, access=None, secret=None, region=None, service="s3"):
        self.access = ACCESS_KEY if access is None else access
        self.secret = SECRET_KEY if secret is None else secret
        self.region = REGION if region is None else region
        self.service = service

    def scope(self, date):
        return "%s/%s/%s/aws4_request" % (date, self.region, self.service)

    def key(self, date):
        return signing_key(self.secret, date, self.region, self.service)

    def sign_headers(self, method, path, query, headers, payload_hash,
                     amz_date=None, signed=None):
        """Adds x-amz-date, x-amz-content-sha256 and Authorization to
        HEADERS (a dict; Host must be in it). PATH is the raw, already
        encoded request path. Returns the seed signature."""
        amz_date = amz_date or amz_now()
        headers.setdefault("x-amz-date", amz_date)
        amz_date = headers["x-amz-date"]
        headers.setdefault("x-amz-content-sha256", payload_hash)
        lower = {k.lower(): " ".join(str(v).strip().split()) for k, v in headers.items()}
        names = sorted(signed if signed is not None else
                       [n for n in lower if n not in ("authorization", "content-length",
                                                      "user-agent", "expect",
                                                      "transfer-encoding")])
        creq = "\n".join([
            method, path, canonical_query(query),
            "".join("%s:%s\n" % (n, lower[n]) for n in names),
            ";".join(names), payload_hash])
        date = amz_date[:8]
        sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, self.scope(date),
                         hashlib.sha256(creq.encode()).hexdigest()])
        sig = hmac_hex(self.key(date), sts)
        headers["Authorization"] = (
            "AWS4-HMAC-SHA256 Credential=%s/%s,SignedHeaders=%s,Signature=%s"
            % (self.access, self.scope(date), ";".join(names), sig))
        return sig

    def presign(self, method, path, query=(), expires=300, amz_date=None,
                host=None):
        """Returns the query string of a presigned URL for PATH."""
        amz_date = amz_date or amz_now()
        date = amz_date[:8]
        host = host or "%s:%d" % (HOST, PORT)
        q = list(query) + [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "%s/%s" % (self.access, self.scope(date))),
            ("X-Amz-Date", amz_date),
            ("X-Amz-Expires", str(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        creq = "\n".join([method, path, canonical_query(q), "host:%s\n" % host,
                          "host", "UNSIGNED-PAYLOAD"])
        sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, self.scope(date),
                         hashlib.sha256(creq.encode()).hexdigest()])
        q.append(("X-Amz-Signature", hmac_hex(self.key(date), sts)))
        return canonical_query(q)

    def chunk_signature(self, amz_date, prev, data):
        date = amz_date[:8]
        sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, self.scope(date),
                         prev, EMPTY_SHA256, hashlib.sha256(data).hexdigest()])
        return hmac_hex(self.key(date), sts)

    def trailer_signature(self, amz_date, prev, trailer_canonical):
        date = amz_date[:8]
        sts = "\n".join(["AWS4-HMAC-SHA256-TRAILER", amz_date, self.scope(date),
                         prev, hashlib.sha256(trailer_canonical.encode()).hexdigest()])
        return hmac_hex(self.key(date), sts)

    def aws_chunked_signed(self, data, seed, amz_date, chunk=65536, trailer=None,
                           tamper_chunk=None):
        """The body of a STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]
        request. TRAILER: (name, value) or None."""
        out = []
        prev = seed
        pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] + [b""]
        for n, piece in enumerate(pieces):
            sig = self.chunk_signature(amz_date, prev, piece)
            prev = sig
            if tamper_chunk == n:
                sig = ("0" if sig[0] != "0" else "1") + sig[1:]
            out.append(b"%x;chunk-signature=%s\r\n" % (len(piece), sig.encode()))
            if piece:
                out.append(piece + b"\r\n")
        if trailer:
            canon = "%s:%s\n" % trailer
            tsig = self.trailer_signature(amz_date, prev, canon)
            out.append(("%s:%s\r\nx-amz-trailer-signature:%s\r\n\r\n"
                        % (trailer[0], trailer[1], tsig)).encode())
        else:
            out.append(b"\r\n")
        return b"".join(out)


def aws_chunked_unsigned(data, trailer=None, chunk=8192):
    """The body of a STREAMING-UNSIGNED-PAYLOAD-TRAILER request."""
    out = []
    for i in range(0, len(data), chunk):
        piece = data[i:i + chunk]
        out.append(b"%x\r\n" % len(piece) + piece + b"\r\n")
    out.append(b"0\r\n")
    if trailer:
        out.append(("%s:%s\r\n" % trailer).encode())
    out.append(b"\r\n")
    return b"".join(out)


def http_chunked(data, chunk=1000):
    out = []
    for i in range(0, len(data), chunk):
        piece = data[i:i + chunk]
        out.append(b"%x\r\n" % len(piece) + piece + b"\r\n")
    out.append(b"0\r\n\r\n")
    return b"".join(out)


# ------------------------------------------------------------ raw HTTP --

class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers          # list of (name, value)
        self.body = body

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def error_code(self):
        return error_field(self.body, "Code")

    def __repr__(self):
        return "<HTTP %d %s %r %r>" % (self.status, self.reason, self.headers,
                                       self.body[:300])


def error_field(body, field):
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    el = root.find(field)
    return el.text if el is not None else None


class Conn:
    """One client TCP connection with a buffered response reader."""

    def __init__(self, timeout=30):
        self.sock = socket.create_connection((HOST, PORT), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def close(self):
        self.sock.close()

    def _fill(self):
        d = self.sock.recv(65536)
        if not d:
            raise EOFError("connection closed by the server")
        self.buf += d

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n:
            self._fill()
        d, self.buf = self.buf[:n], self.buf[n:]
        return d

    def read_response(self, head=False):
        """The next response; 1xx responses are returned too."""
        status_line = self._line()
        parts = status_line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError("bad status line %r" % status_line)
        status = int(parts[1])
        reason = parts[2] if len(parts) > 2 else ""
        headers = []
        while True:
            line = self._line()
            if not line:
                break
            k, _, v = line.decode("latin-1").partition(":")
            headers.append((k.strip(), v.strip()))
        r = Response(status, reason, headers, b"")
        if head or status < 200 or status in (204, 304):
            return r
        te = (r.header("transfer-encoding") or "").lower()
        if "chunked" in te:
            body = []
            while True:
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line():
                        pass
                    break
                body.append(self._exact(size))
                self._exact(2)
            r.body = b"".join(body)
        elif r.header("content-length") is not None:
            r.body = self._exact(int(r.header("content-length")))
        else:
            try:
                while True:
                    self._fill()
            except EOFError:
                pass
            r.body, self.buf = self.buf, b""
        return r

    def closed_by_peer(self, wait=5.0):
        """True when the server closes the connection (EOF or reset)
        within WAIT seconds, with no further bytes."""
        self.sock.settimeout(wait)
        try:
            d = self.sock.recv(1)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        return d == b"" and not self.buf


def build_request(method, path, headers, body=b""):
    lines = ["%s %s HTTP/1.1" % (method, path)]
    lines += ["%s: %s" % kv for kv in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def signed_request(method, path, query=(), headers=None, body=b"", signer=None,
                   payload_hash=None, host=None, amz_date=None):
    """Bytes of a signed request. PATH is the encoded path, QUERY a list of
    decoded (name, value) pairs."""
    h = {"Host": host or "%s:%d" % (HOST, PORT)}
    h.update(headers or {})
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k in h):
        h["Content-Length"] = str(len(body))
    if payload_hash is None:
        payload_hash = hashlib.sha256(body).hexdigest()
    (signer or Signer()).sign_headers(method, path, query, h, payload_hash, amz_date)
    target = path + ("?" + canonical_query(query) if query else "")
    return build_request(method, target, h, body)


def request(method, path, query=(), headers=None, body=b"", signer=None, **kw):
    """One signed request on a fresh connection; returns the Response."""
    c = Conn()
    try:
        c.send(signed_request(method, path, query, headers, body, signer, **kw))
        return c.read_response(head=(method == "HEAD"))
    finally:
        c.close()


# --------------------------------------------------------------- s3ctl --

def s3ctl(*args, check=True):
    """Runs s3ctl ARGS in the guest through tools/vm/s3ctl."""
    p = subprocess.run([os.path.join(TOP, "tools/vm/s3ctl")] + list(args),
                       capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise RuntimeError("s3ctl %s: exit %d: %s" % (" ".join(args), p.returncode,
                                                      p.stderr.strip()))
    return p


def unique(prefix="t"):
    return "%s-%x-%x" % (prefix, int(time.time() * 1000) & 0xFFFFFFF,
                         int.from_bytes(os.urandom(3), "big"))


def client_error(excinfo_or_exc):
    """(HTTP status, S3 error code) of a botocore ClientError."""
    e = getattr(excinfo_or_exc, "value", excinfo_or_exc)
    return (e.response["ResponseMetadata"]["HTTPStatusCode"],
            e.response.get("Error", {}).get("Code"))


def add_headers(client, headers, event="before-sign.s3.*"):
    """Makes CLIENT send HEADERS (signed) on every request; returns a
    function that removes them."""
    def hook(request, **kw):
        for k, v in headers.items():
            request.headers[k] = v
    client.meta.events.register(event, hook)
    return lambda: client.meta.events.unregister(event, hook)
