# SPDX-License-Identifier: GPL-2.0
"""Crash testing of ks3 through the real bio path, inside a stock-kernel
guest (tests/crash/guest.sh runs this; tests/crash/run.sh boots it).

A round:
  1. the store (a base image: freshly formatted, or a crash image of the
     previous round) is copied to the data disk, which dm-log-writes puts
     behind /dev/mapper/ks3crash, logging every write, flush and FUA to the
     log disk;
  2. ks3 attaches that device (for a crash image, that is its recovery) and
     boto3 clients on several threads drive S3 load: PUT, overwrite,
     DELETE, CopyObject, multipart uploads of several 1 MiB chunks with
     Complete, Abort, or left open. Every request is recorded before it is
     sent; after each 2xx the client inserts a mark `a<ID>` into the log,
     so the log tells which requests had been acknowledged before any
     given write reached the disk;
  3. ks3 detaches (a last checkpoint: more crash points) and the log is
     closed;
  4. crash points are chosen: every FLUSH and FUA entry (the cut just
     before it, with the write itself torn or not, and just after it),
     every ack mark, and random entries in between; for each, the image a
     power cut could have left is rebuilt with tools/crash/ks3-replay-log
     (writes after the last flush kept, dropped, or kept/dropped/torn at
     random) and checked: `s3ctl fsck` clean on the detached image, then
     attach, and over S3 every key holds exactly the bytes of the last
     request on it acknowledged before the cut or of a later one that was
     sent (never older: that is a lost write; never anything else: that is
     half-visible or corrupt), LIST agrees with GET, every acknowledged
     multipart upload still open lists its acknowledged parts with their
     ETags and sizes, and every completed or aborted one is gone;
  5. one crash image becomes the next round's base: crash -> attach ->
     more writes (including completing the uploads it left open) -> crash
     again.

Prints `ok - ...` / `not ok - ...` lines, progress as `# ...` lines and
ends with `# crash.py: N passed, M failed`, which guest.sh folds into its
summary (tests/lib.sh's convention)."""
import argparse
import fcntl
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(TOP, "tests", "integration", "s3", "pytest"))
import s3util  # noqa: E402  (the SigV4 signer checked against AWS's examples)

S3CTL = os.path.join(TOP, "userland", "s3ctl", "s3ctl")
REPLAY = os.path.join(TOP, "tools", "crash", "build", "ks3-replay-log")
DM_NAME = "ks3crash"
BUCKET = "crash"
PORT = 9000
MIB = 1 << 20
S3NS = "{*}"  # any namespace

passed = 0
failed = 0


def ok(msg):
    global passed
    passed += 1
    print("ok - " + msg, flush=True)


def not_ok(msg):
    global failed
    failed += 1
    print("not ok - " + msg, flush=True)


def diag(msg):
    print("# " + msg, flush=True)


def run(*args, check=True, capture=True):
    p = subprocess.run(list(args), stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(args), p.returncode,
                                               (p.stderr or "").strip()[:500]))
    return p


def content(tag, size):
    """The bytes of object/part TAG: reproducible from the tag alone."""
    return random.Random(tag).randbytes(size)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def etag(s):
    """An ETag without its quotes (XML listings and SDKs differ)."""
    return (s or "").strip('"')


# ----------------------------------------------------------- dm-log-writes --

def _iowr(typ, nr, size):
    return (3 << 30) | (size << 16) | (typ << 8) | nr


DM_IOCTL_SIZE = 312
DM_TARGET_MSG = _iowr(0xfd, 14, DM_IOCTL_SIZE)


class DmMarker:
    """`dmsetup message DEV 0 mark NAME` as one ioctl (no fork per ack)."""

    def __init__(self, name):
        self.name = name.encode()
        self.fd = os.open("/dev/mapper/control", os.O_RDWR)
        self.lock = threading.Lock()

    def mark(self, label):
        msg = struct.pack("<Q", 0) + ("mark " + label).encode() + b"\0"
        total = (DM_IOCTL_SIZE + len(msg) + 7) & ~7
        buf = bytearray(total)
        struct.pack_into("<3IIIIiIII", buf, 0, 4, 0, 0, total, DM_IOCTL_SIZE,
                         0, 0, 0, 0, 0)
        buf[48:48 + len(self.name)] = self.name
        buf[DM_IOCTL_SIZE:DM_IOCTL_SIZE + len(msg)] = msg
        with self.lock:
            fcntl.ioctl(self.fd, DM_TARGET_MSG, buf, True)

    def close(self):
        os.close(self.fd)


def dm_create(data_dev, log_dev):
    sectors = run("blockdev", "--getsz", data_dev).stdout.strip()
    env = dict(os.environ, DM_DISABLE_UDEV="1")
    subprocess.run(["dmsetup", "create", DM_NAME, "--noudevsync", "--table",
                    "0 %s log-writes %s %s" % (sectors, data_dev, log_dev)],
                   check=True, env=env)
    path = "/dev/mapper/" + DM_NAME
    for _ in range(50):
        if os.path.exists(path):
            return path
        time.sleep(0.1)
    raise RuntimeError("no %s after dmsetup create" % path)


def dm_remove():
    env = dict(os.environ, DM_DISABLE_UDEV="1")
    subprocess.run(["dmsetup", "remove", "--noudevsync", DM_NAME], check=True, env=env)


def log_entries(log_dev):
    """[(flags, sector, nr_sectors, mark)] of the log on LOG_DEV."""
    out = run(REPLAY, "--log", log_dev, "--list").stdout.splitlines()
    entries = []
    for line in out:
        if line.startswith("#"):
            continue
        f = line.split(" ", 4)
        entries.append((f[1], int(f[2]), int(f[3]), f[4] if len(f) > 4 else None))
    return entries


# ------------------------------------------------------------------ S3 raw --

class Raw:
    """Signed requests over one keep-alive connection (the checker)."""

    def __init__(self, access, secret):
        self.signer = s3util.Signer(access, secret, "us-east-1")
        self.conn = None

    def request(self, method, path, query=(), body=b""):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
            headers = {"Host": "127.0.0.1:%d" % PORT}
            self.signer.sign_headers(method, s3util.uri_encode(path), list(query),
                                     headers, sha(body))
            q = s3util.canonical_query(list(query))
            url = s3util.uri_encode(path) + ("?" + q if q else "")
            try:
                self.conn.request(method, url, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                return r.status, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self):
        if self.conn:
            self.conn.close()
            self.conn = None


def xml_code(body):
    m = re.search(rb"<Code>([^<]*)</Code>", body)
    return m.group(1).decode() if m else "?"


# -------------------------------------------------------------- the model --

class Model:
    """What the clients sent and what ks3 acknowledged.

    ops: every request, in the order sent; for each: id, kind, key,
    upload, part, state (a key's state after it: None, or (sha, size)),
    ack (True once a 2xx came back; its mark `a<id>` follows in the log).
    """

    def __init__(self, keys, initial, uploads0):
        self.lock = threading.Lock()
        self.ops = []
        self.keys = list(keys)
        self.initial = dict(initial)          # key -> state at the base
        self.uploads0 = dict(uploads0)        # upload id -> info (open at the base)
        self.part_tags = {}                   # part ETag -> content tag
        self.errors = []

    def add(self, **op):
        with self.lock:
            op["id"] = len(self.ops)
            op.setdefault("ack", False)
            self.ops.append(op)
            return op

    def acked(self, op, marker):
        op["ack"] = True
        marker.mark("ack%d" % op["id"])

    def dump(self, path):
        with open(path, "w") as f:
            for op in self.ops:
                f.write(json.dumps(op) + "\n")


class Worker(threading.Thread):
    """One boto3 client owning some keys: requests on a key are sequential."""

    def __init__(self, n, model, marker, creds, keys, nops, seed, state, uploads):
        super().__init__(name="w%d" % n)
        self.n, self.model, self.marker = n, model, marker
        self.keys, self.nops = keys, nops
        self.rng = random.Random(seed)
        self.state = state            # key -> current state as this worker knows it
        self.open = uploads           # upload id -> {"key", "parts": [(num, tag, size, etag)]}
        self.creds = creds

    def client(self):
        import boto3.session
        import botocore.config
        # a session per thread: boto3's default session is not thread-safe
        return boto3.session.Session().client(
            "s3", endpoint_url="http://127.0.0.1:%d" % PORT,
            aws_access_key_id=self.creds[0], aws_secret_access_key=self.creds[1],
            region_name="us-east-1",
            config=botocore.config.Config(
                s3={"addressing_style": "path"}, retries={"total_max_attempts": 1},
                connect_timeout=30, read_timeout=300))

    def tag(self, what):
        return "%s-%d-%d" % (what, self.n, self.rng.getrandbits(48))

    def size(self):
        r = self.rng.random()
        if r < 0.08:
            return 0
        if r < 0.65:
            return self.rng.randint(1, 64 << 10)
        if r < 0.88:
            return self.rng.randint(64 << 10, MIB)
        return self.rng.randint(MIB + 1, 3 * MIB + 12345)

    def do(self, op, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 (any failure is recorded)
            op["error"] = "%s: %s" % (type(e).__name__, str(e)[:300])
            self.model.errors.append("%s %s: %s" % (op["kind"], op.get("key") or op.get("ukey"),
                                                    op["error"]))
            return False
        self.model.acked(op, self.marker)
        return True

    def put(self, s3, key):
        size = self.size()
        tag = self.tag("obj")
        data = content(tag, size)
        st = (sha(data), size)
        op = self.model.add(kind="put", key=key, state=st, tag=tag)
        if self.do(op, lambda: s3.put_object(Bucket=BUCKET, Key=key, Body=data)):
            self.state[key] = st

    def delete(self, s3, key):
        op = self.model.add(kind="delete", key=key, state=None)
        if self.do(op, lambda: s3.delete_object(Bucket=BUCKET, Key=key)):
            self.state[key] = None

    def copy(self, s3, src, dst):
        st = self.state[src]
        op = self.model.add(kind="copy", key=dst, src=src, state=st)
        if self.do(op, lambda: s3.copy_object(Bucket=BUCKET, Key=dst,
                                              CopySource={"Bucket": BUCKET, "Key": src})):
            self.state[dst] = st

    def multipart(self, s3, key):
        op = self.model.add(kind="create_upload", key=key, upload=None)
        res = {}

        def create():
            res["id"] = s3.create_multipart_upload(Bucket=BUCKET, Key=key)["UploadId"]
            op["upload"] = res["id"]
        if not self.do(op, create):
            return
        up = {"key": key, "parts": []}
        self.open[res["id"]] = up
        nparts = self.rng.choice([2, 2, 3])
        for num in range(1, nparts + 1):
            size = 5 * MIB if num < nparts else self.rng.randint(1, MIB + 300000)
            tag = self.tag("part")
            data = content(tag, size)
            pop = self.model.add(kind="part", key=key, upload=res["id"], part=num,
                                 size=size, tag=tag, etag=hashlib.md5(data).hexdigest())
            self.model.part_tags[pop["etag"]] = tag

            def upload(num=num, data=data, pop=pop):
                r = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=res["id"],
                                   PartNumber=num, Body=data)
                if etag(r["ETag"]) != pop["etag"]:
                    raise RuntimeError("part ETag %s, expected %s" % (r["ETag"], pop["etag"]))
            if not self.do(pop, upload):
                return
            up["parts"].append((num, tag, size, pop["etag"]))

    def finish(self, s3, uid, complete):
        up = self.open.pop(uid)
        key = up["key"]
        if complete and up["parts"]:
            parts = sorted(up["parts"])
            data = b"".join(content(t, s) for _, t, s, _ in parts)
            st = (sha(data), len(data))
            op = self.model.add(kind="complete", key=key, upload=uid, state=st)
            if self.do(op, lambda: s3.complete_multipart_upload(
                    Bucket=BUCKET, Key=key, UploadId=uid,
                    MultipartUpload={"Parts": [{"PartNumber": n, "ETag": '"%s"' % e}
                                               for n, _, _, e in parts]})):
                self.state[key] = st
        else:
            op = self.model.add(kind="abort", key=None, ukey=key, upload=uid)
            self.do(op, lambda: s3.abort_multipart_upload(Bucket=BUCKET, Key=key,
                                                          UploadId=uid))

    def run(self):
        try:
            s3 = self.client()
        except Exception as e:  # noqa: BLE001
            self.model.errors.append("boto3 client: %s" % e)
            return
        # uploads a crash left open: finish them first (crash -> attach ->
        # more writes)
        for uid in list(self.open):
            self.finish(s3, uid, self.rng.random() < 0.7)
        for _ in range(self.nops):
            if self.model.errors:
                return
            r = self.rng.random()
            key = self.rng.choice(self.keys)
            if self.open and self.rng.random() < 0.3:
                self.finish(s3, self.rng.choice(list(self.open)), self.rng.random() < 0.7)
            elif r < 0.55:
                self.put(s3, key)
            elif r < 0.72:
                self.delete(s3, key)
            elif r < 0.87:
                present = [k for k in self.keys if self.state.get(k) is not None]
                if present:
                    src = self.rng.choice(present)
                    dst = self.rng.choice([k for k in self.keys if k != src])
                    self.copy(s3, src, dst)
                else:
                    self.put(s3, key)
            elif not self.open:
                self.multipart(s3, key)
                if self.open and self.rng.random() < 0.6:
                    self.finish(s3, self.rng.choice(list(self.open)),
                                self.rng.random() < 0.75)
            else:
                self.put(s3, key)


# ------------------------------------------------------------- the checker --

class Checker:
    def __init__(self, model, entries, creds):
        self.model = model
        self.raw = Raw(*creds)
        n = len(entries)
        marks = {}
        for i, e in enumerate(entries):
            if e[3]:
                marks.setdefault(e[3], i)
        inf = n + 1
        for op in model.ops:
            op["ack_at"] = marks.get("ack%d" % op["id"], inf) if op["ack"] else inf
        self.by_key = {k: [op for op in model.ops if op.get("key") == k and "state" in op]
                       for k in model.keys}
        self.uploads = {}
        for uid, info in model.uploads0.items():
            self.uploads[uid] = {"key": info["key"], "create": None, "base": True,
                                 "parts": {n: (et, sz) for n, et, sz in info["parts"]},
                                 "part_ops": [], "end": None}
        for op in model.ops:
            if op["kind"] == "create_upload" and op.get("upload"):
                self.uploads[op["upload"]] = {"key": op["key"], "create": op, "base": False,
                                              "parts": {}, "part_ops": [], "end": None}
        for op in model.ops:
            if op["kind"] == "part" and op["upload"] in self.uploads:
                self.uploads[op["upload"]]["part_ops"].append(op)
            elif op["kind"] in ("complete", "abort") and op["upload"] in self.uploads:
                self.uploads[op["upload"]]["end"] = op

    def key_state(self, key):
        st, body = self.raw.request("GET", "/%s/%s" % (BUCKET, key))
        if st == 200:
            return (sha(body), len(body))
        if st == 404 and xml_code(body) == "NoSuchKey":
            return None
        raise RuntimeError("GET %s: %d %s" % (key, st, xml_code(body)))

    def check(self, K):
        """Problems of the attached image cut before entry K: ([msg], lost)."""
        probs = []
        lost = 0
        seen = {}
        for key in self.model.keys:
            ops = self.by_key[key]
            states = [self.model.initial.get(key)] + [op["state"] for op in ops]
            last = 0
            for i, op in enumerate(ops):
                if op["ack_at"] < K:
                    last = i + 1
            allowed = states[last:]
            try:
                actual = self.key_state(key)
            except Exception as e:  # noqa: BLE001
                probs.append(str(e))
                continue
            seen[key] = actual
            if actual in allowed:
                continue
            what = "absent" if actual is None else "sha256 %s.. size %d" % (actual[0][:12],
                                                                            actual[1])
            if actual in states[:last]:
                lost += 1
                probs.append("LOST WRITE: %s is %s, an older state; acknowledged before the "
                             "cut: op %d (%s)" % (key, what, ops[last - 1]["id"],
                                                  ops[last - 1]["kind"]))
            else:
                probs.append("WRONG CONTENT: %s is %s, which no request wrote" % (key, what))
        # LIST agrees with GET; nothing unknown is listed
        st, body = self.raw.request("GET", "/" + BUCKET, [("list-type", "2")])
        if st != 200:
            probs.append("LIST: %d %s" % (st, xml_code(body)))
        else:
            root = ET.fromstring(body)
            listed = {}
            for c in root.findall(S3NS + "Contents"):
                listed[c.find(S3NS + "Key").text] = int(c.find(S3NS + "Size").text)
            want = {k: s[1] for k, s in seen.items() if s is not None}
            if listed != want and len(seen) == len(self.model.keys):
                probs.append("LIST %s != GET %s" % (sorted(listed.items()),
                                                    sorted(want.items())))
        # multipart uploads
        st, body = self.raw.request("GET", "/" + BUCKET, [("uploads", "")])
        if st != 200:
            probs.append("ListMultipartUploads: %d %s" % (st, xml_code(body)))
        else:
            root = ET.fromstring(body)
            for u in root.findall(S3NS + "Upload"):
                uid = u.find(S3NS + "UploadId").text
                if uid not in self.uploads:
                    probs.append("unknown upload %s listed" % uid)
        for uid, up in self.uploads.items():
            probs += self.check_upload(uid, up, K)
        return probs, lost

    def check_upload(self, uid, up, K):
        end = up["end"]
        ended = end is not None and end["ack_at"] < K
        created = up["base"] or up["create"]["ack_at"] < K
        st, body = self.raw.request("GET", "/%s/%s" % (BUCKET, up["key"]),
                                    [("uploadId", uid)])
        if st == 404 and xml_code(body) == "NoSuchUpload":
            if created and end is None:
                return ["LOST WRITE: upload %s of %s (acknowledged) is gone" % (uid, up["key"])]
            return []
        if st != 200:
            return ["ListParts %s: %d %s" % (uid, st, xml_code(body))]
        if ended:
            return ["upload %s still open after its %s was acknowledged" % (uid, end["kind"])]
        root = ET.fromstring(body)
        listed = {}
        for p in root.findall(S3NS + "Part"):
            listed[int(p.find(S3NS + "PartNumber").text)] = (
                etag(p.find(S3NS + "ETag").text), int(p.find(S3NS + "Size").text))
        probs = []
        sent = dict(up["parts"])
        for op in up["part_ops"]:
            sent[op["part"]] = (op["etag"], op["size"])
            if op["ack_at"] < K and listed.get(op["part"]) != (op["etag"], op["size"]):
                probs.append("LOST WRITE: part %d of upload %s (acknowledged) is %s" % (
                    op["part"], uid, listed.get(op["part"])))
        for num, (et, size) in up["parts"].items():
            if listed.get(num) != (et, size):
                probs.append("LOST WRITE: part %d of upload %s (from the base) is %s" % (
                    num, uid, listed.get(num)))
        for num, v in listed.items():
            if sent.get(num) != v:
                probs.append("WRONG CONTENT: upload %s lists part %d as %s" % (uid, num, v))
        return probs

    def observe(self):
        """The attached store's state, as the next round's base."""
        initial = {k: self.key_state(k) for k in self.model.keys}
        uploads = {}
        st, body = self.raw.request("GET", "/" + BUCKET, [("uploads", "")])
        for u in ET.fromstring(body).findall(S3NS + "Upload"):
            uid = u.find(S3NS + "UploadId").text
            key = u.find(S3NS + "Key").text
            st, pb = self.raw.request("GET", "/%s/%s" % (BUCKET, key), [("uploadId", uid)])
            parts = []
            for p in ET.fromstring(pb).findall(S3NS + "Part"):
                parts.append((int(p.find(S3NS + "PartNumber").text),
                              etag(p.find(S3NS + "ETag").text),
                              int(p.find(S3NS + "Size").text)))
            uploads[uid] = {"key": key, "parts": parts}
        return initial, uploads


# ---------------------------------------------------------------- planning --

def plan(entries, budget, rng):
    """Crash points: (K, volatile mode, seed, tear the write at K)."""
    n = len(entries)
    cands = []
    for i, (fl, _, nr, mark) in enumerate(entries):
        if "F" in fl or "U" in fl:
            # dm splits a PREFLUSH|FUA write (a journal record) into an
            # empty flush (logged "FU", 0 sectors) and the FUA write ("U")
            cands.append((i, "random", nr > 0))   # the FUA write torn, cache at random
            cands.append((i, "drop", False))      # cache lost just before it
            cands.append((i + 1, "keep", False))  # just after it
        elif mark and mark.startswith("ack"):
            cands.append((i, "random", False))
    rng.shuffle(cands)
    pts = cands[:budget]
    while len(pts) < budget:
        pts.append((rng.randint(0, n), rng.choice(["keep", "drop", "random"]),
                    rng.random() < 0.5))
    pts = [(k, m, rng.getrandbits(32), t) for k, m, t in pts]
    pts.sort()
    return pts


# ------------------------------------------------------------------- round --

def s3ctl(*args):
    return run(S3CTL, *args)


def losetup(path):
    return run("losetup", "--find", "--show", path).stdout.strip()


def round_(args, rnd, base, model, creds, budget, tmp, out, last):
    """One round; returns (points checked, lost writes, next base, next model)."""
    rng = random.Random(args.seed * 1000 + rnd)
    diag("round %d: %d workers x %d requests, %d crash points" % (
        rnd, args.workers, args.ops, budget))
    run("dd", "if=" + base, "of=" + args.data_dev, "bs=1M", "conv=fsync", "status=none")
    run("dd", "if=/dev/zero", "of=" + args.log_dev, "bs=1M", "count=1", "conv=fsync",
        "status=none")
    dev = dm_create(args.data_dev, args.log_dev)
    marker = DmMarker(DM_NAME)
    marker.mark("round-%d" % rnd)
    t0 = time.time()
    attach = run(S3CTL, "dev", "attach", dev, check=False)
    if attach.returncode != 0:
        not_ok("round %d: attach of the base image: %s" % (rnd, attach.stderr.strip()))
        marker.close()
        dm_remove()
        return 0, 0, None, None
    marker.mark("attached")
    # the workers: the keys split between them, each with the state and the
    # open uploads of its keys
    workers = []
    for w in range(args.workers):
        keys = [k for i, k in enumerate(model.keys) if i % args.workers == w]
        state = {k: model.initial.get(k) for k in keys}
        ups = {uid: {"key": u["key"], "parts": [
            (n, model.part_tags[et], sz, et) for n, et, sz in u["parts"]]}
            for uid, u in model.uploads0.items() if u["key"] in keys}
        workers.append(Worker(w, model, marker, creds, keys, args.ops,
                              rng.getrandbits(64), state, ups))
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    marker.mark("load-done")
    stj = run(S3CTL, "-j", "status", check=False)
    try:
        j = json.loads(stj.stdout)
        diag("round %d: after the load: %d commits, %d checkpoints, journal %d of %d blocks "
             "used, %d of %d data bytes free" % (
                 rnd, j["commits"], j["checkpoints"], j["journal_used_blocks"],
                 j["journal_blocks"], j["free_bytes"], j["data_bytes"]))
    except (ValueError, KeyError) as e:
        diag("round %d: s3ctl status -j: %s %s" % (rnd, e, stj.stderr.strip()))
    det = run(S3CTL, "dev", "detach", "--force", check=False)
    marker.close()
    dm_remove()
    model.dump(os.path.join(out, "round%d-requests.jsonl" % rnd))
    nack = sum(1 for op in model.ops if op["ack"])
    if model.errors:
        not_ok("round %d: %d of %d requests failed: %s" % (
            rnd, len(model.errors), len(model.ops), "; ".join(model.errors[:3])))
    else:
        ok("round %d: %d S3 requests acknowledged under dm-log-writes (%.0fs)" % (
            rnd, nack, time.time() - t0))
    if det.returncode != 0:
        not_ok("round %d: detach: %s" % (rnd, det.stderr.strip()))
    entries = log_entries(args.log_dev)
    nflush = sum(1 for e in entries if "F" in e[0])
    nfua = sum(1 for e in entries if "U" in e[0])
    nw = sum(1 for e in entries if e[0] not in ("M",) and e[2] > 0)
    diag("round %d: log of %d entries: %d writes, %d flushes, %d FUA, %d marks" % (
        rnd, len(entries), nw, nflush, nfua, sum(1 for e in entries if e[3])))
    with open(os.path.join(out, "round%d-log.txt" % rnd), "w") as f:
        for i, e in enumerate(entries):
            f.write("%d %s %d %d %s\n" % (i, e[0], e[1], e[2], e[3] or ""))

    points = plan(entries, budget, rng)
    checker = Checker(model, entries, creds)
    cur = os.path.join(tmp, "cur.img")
    test = os.path.join(tmp, "test.img")
    shutil.copyfile(base, cur)
    cur_at = 0
    bad = lost_total = 0
    next_base = None
    load_end = next((i for i, e in enumerate(entries) if e[3] == "load-done"), len(entries))
    in_load = [i for i, p in enumerate(points) if p[0] < load_end]
    pick = rng.choice(in_load) if in_load and not last else len(points)
    picked = None
    selftest = None
    stats = {"dropped": 0, "torn": 0, "volatile": 0}
    modes = {}
    t1 = time.time()
    for pi, (K, mode, seed, tear) in enumerate(points):
        # the image durable at the last flush before K, built incrementally
        b = 0
        for i in range(K - 1, -1, -1):
            if "F" in entries[i][0]:
                b = i + 1
                break
        if b > cur_at:
            run(REPLAY, "--log", args.log_dev, "--replay", cur, "--from", str(cur_at),
                "--to", str(b))
            cur_at = b
        shutil.copyfile(cur, test)
        cmd = [REPLAY, "--log", args.log_dev, "--replay", test, "--from", str(cur_at),
               "--to", str(K), "--volatile", mode, "--seed", str(seed)]
        if tear:
            cmd.append("--tear-next")
        rep = run(*cmd).stdout.strip()
        f = rep.split()
        for k in stats:
            stats[k] += int(f[f.index(k) + 1])
        mk = mode + ("+tear" if tear else "")
        modes[mk] = modes.get(mk, 0) + 1
        name = "round %d point %d: cut before entry %d/%d, %s%s (%s)" % (
            rnd, pi, K, len(entries), mode, ", write in flight torn" if tear else "", rep)
        # self-test once per round: at a cut with key writes acknowledged
        # after it, claiming they came before must show lost writes
        later = selftest is None and any(
            K < op["ack_at"] <= len(entries) for ops in checker.by_key.values()
            for op in ops)
        probs, lost, lost_all = check_image(checker, test, K, later)
        if later and not probs:
            selftest = lost_all
            if lost_all:
                ok("round %d: self-test: at point %d, the writes acknowledged after the cut "
                   "count as %d lost writes when claimed acknowledged before it" % (
                       rnd, pi, lost_all))
            else:
                not_ok("round %d: self-test: the checker found no lost write at point %d "
                       "when told every request was acknowledged before the cut" % (rnd, pi))
        lost_total += lost
        if probs:
            bad += 1
            kept = os.path.join(out, "round%d-point%d.img" % (rnd, pi))
            shutil.copyfile(test, kept)
            not_ok(name)
            for p in probs[:20]:
                diag("  " + p)
            diag("  image kept: %s; rebuild: %s" % (kept, " ".join(cmd)))
        elif args.verbose:
            ok(name)
        if pi >= pick and picked is None and not probs:
            next_base = os.path.join(tmp, "next-base.img")
            shutil.copyfile(test, next_base)
            picked = pi
        if (pi + 1) % 25 == 0 or pi + 1 == len(points):
            el = time.time() - t1
            diag("round %d: %d/%d crash points checked, %d failed, %d lost writes "
                 "(%.1fs per point)" % (rnd, pi + 1, len(points), bad, lost_total,
                                        el / (pi + 1)))
    checker.raw.close()
    diag("round %d: %d crash images at %d distinct cut points (%s); %d writes were in the "
         "cache at the cut, %d of them dropped; %d writes torn (cached or in flight)" % (
             rnd, len(points), len(set(p[0] for p in points)),
             ", ".join("%s %d" % kv for kv in sorted(modes.items())),
             stats["volatile"], stats["dropped"], stats["torn"]))
    if not args.verbose:
        if bad == 0:
            ok("round %d: %d crash points: fsck clean, every acknowledged write "
               "readable with its exact bytes, nothing else visible" % (rnd, len(points)))
    if lost_total == 0:
        ok("round %d: no acknowledged write lost" % rnd)
    else:
        not_ok("round %d: %d acknowledged writes lost" % (rnd, lost_total))

    # the next round starts from one of these crash images
    nm = None
    if next_base:
        # observed on a copy: attach and detach write (a checkpoint), and
        # the next round must start from the crash image itself
        shutil.copyfile(next_base, test)
        lo = losetup(test)
        try:
            s3ctl("dev", "attach", lo)
            obs = Checker(model, entries, creds)
            initial, uploads = obs.observe()
            obs.raw.close()
            s3ctl("dev", "detach")
        finally:
            run("losetup", "-d", lo, check=False)
        nm = Model(model.keys, initial, uploads)
        nm.part_tags = dict(model.part_tags)
        K = points[picked][0]
        diag("round %d: next round starts from crash point %d (cut before entry %d); "
             "%d objects, %d open uploads" % (rnd, picked, K, sum(
                 1 for v in initial.values() if v is not None), len(uploads)))
    return len(points), lost_total, next_base, nm


def check_image(checker, img, K, selftest=False):
    """fsck, attach, check over S3, detach. Returns ([problems], lost,
    lost when every request counts as acknowledged before the cut (the
    harness's self-test; with SELFTEST only))."""
    lo = losetup(img)
    probs = []
    lost = 0
    lost_all = None
    try:
        fs = run(S3CTL, "fsck", lo, check=False)
        if fs.returncode != 0:
            probs.append("fsck exit %d: %s" % (fs.returncode, (fs.stdout + fs.stderr)
                                               .strip().replace("\n", " | ")[:800]))
        at = run(S3CTL, "dev", "attach", lo, check=False)
        if at.returncode != 0:
            probs.append("attach: " + at.stderr.strip())
            return probs, lost, lost_all
        try:
            p, lost = checker.check(K)
            probs += p
            if selftest:
                lost_all = checker.check(1 << 62)[1]
        except Exception as e:  # noqa: BLE001
            probs.append("check: %s: %s" % (type(e).__name__, e))
        finally:
            checker.raw.close()
            dt = run(S3CTL, "dev", "detach", "--force", check=False)
            if dt.returncode != 0:
                probs.append("detach: " + dt.stderr.strip())
    finally:
        run("losetup", "-d", lo, check=False)
    return probs, lost, lost_all


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dev", required=True)
    ap.add_argument("--log-dev", required=True)
    ap.add_argument("--points", type=int, default=1000, help="crash points in all")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--ops", type=int, default=40, help="requests per worker and round")
    ap.add_argument("--keys", type=int, default=5, help="keys per worker")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--verbose", action="store_true", help="one ok line per crash point")
    args = ap.parse_args()

    tmp = "/tmp/ks3-crash"
    os.makedirs(tmp, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    diag("seed %d (rerun with KS3_CRASH_SEED=%d)" % (args.seed, args.seed))

    # the base store: formatted, a key and the bucket, before any logging
    base = os.path.join(tmp, "base0.img")
    s3ctl("dev", "format", "--force", args.data_dev)
    s3ctl("dev", "attach", args.data_dev)
    key = json.loads(s3ctl("-j", "key", "create", "crash").stdout)
    creds = (key["access_key"], key["secret_key"])
    s3ctl("bucket", "create", BUCKET, "--owner", creds[0])
    s3ctl("dev", "detach")
    run("dd", "if=" + args.data_dev, "of=" + base, "bs=1M", "status=none")
    lst = run(S3CTL, "listen", "add", "127.0.0.1:%d" % PORT, check=False)
    if lst.returncode != 0:
        not_ok("listen add: " + lst.stderr.strip())

    keys = ["w%d/k%d" % (i % args.workers, i // args.workers)
            for i in range(args.workers * args.keys)]
    model = Model(keys, {}, {})
    total_pts = total_lost = 0
    t0 = time.time()
    for rnd in range(1, args.rounds + 1):
        budget = args.points // args.rounds + (1 if rnd <= args.points % args.rounds else 0)
        n, lost, nb, nm = round_(args, rnd, base, model, creds, budget, tmp, args.out,
                                 rnd == args.rounds)
        total_pts += n
        total_lost += lost
        if rnd < args.rounds:
            if nb is None:
                not_ok("round %d: no crash image to continue from" % rnd)
                break
            shutil.move(nb, os.path.join(tmp, "base%d.img" % rnd))
            base = os.path.join(tmp, "base%d.img" % rnd)
            model = nm
    diag("crash points checked: %d in %d rounds, lost acknowledged writes: %d, %.0fs" % (
        total_pts, args.rounds, total_lost, time.time() - t0))
    with open(os.path.join(args.out, "result.json"), "w") as f:
        json.dump({"points": total_pts, "lost": total_lost, "passed": passed,
                   "failed": failed, "seconds": round(time.time() - t0)}, f)


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        not_ok("crash test aborted: %s: %s" % (type(e).__name__, e))
    # guest.sh folds these into its own summary line
    print("# crash.py: %d passed, %d failed" % (passed, failed), flush=True)
    sys.exit(1 if failed else 0)
