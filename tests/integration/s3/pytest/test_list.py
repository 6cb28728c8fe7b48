# SPDX-License-Identifier: GPL-2.0
"""ListObjects v1 and v2: prefix, delimiter, max-keys, markers,
continuation tokens, start-after, fetch-owner, KeyCount, CommonPrefixes
and encoding-type=url."""
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

import s3util

KEYS = ["a", "b/1", "b/2", "b/c/3", "c", "d/1", "d/2", "e f", "g+h", "zz"]
WEIRD = ["sp ace", "pl+us", "\u00fcml\u00e4ut/\u65e5", "new\nline", "tab\tkey", "pct%2F", "amp&lt"]


@pytest.fixture(scope="module")
def listing(s3):
    name = s3util.unique("ls")
    s3.create_bucket(Bucket=name)
    for k in KEYS:
        s3.put_object(Bucket=name, Key=k, Body=k.encode())
    yield name
    from conftest import empty_bucket
    empty_bucket(s3, name)


@pytest.fixture(scope="module")
def weird(s3):
    name = s3util.unique("lw")
    s3.create_bucket(Bucket=name)
    for k in WEIRD:
        s3.put_object(Bucket=name, Key=k, Body=b"x")
    yield name
    from conftest import empty_bucket
    empty_bucket(s3, name)


def keys(r):
    return [o["Key"] for o in r.get("Contents", [])]


def prefixes(r):
    return [p["Prefix"] for p in r.get("CommonPrefixes", [])]


def test_v2_all(s3, listing):
    r = s3.list_objects_v2(Bucket=listing)
    assert keys(r) == sorted(KEYS)
    assert r["KeyCount"] == len(KEYS)
    assert r["IsTruncated"] is False
    assert r["Name"] == listing
    assert r["MaxKeys"] == 1000
    o = r["Contents"][0]
    assert o["Size"] == 1 and o["ETag"].startswith('"') and o["LastModified"]
    assert o["StorageClass"] == "STANDARD"
    assert "Owner" not in o


def test_v2_prefix(s3, listing):
    assert keys(s3.list_objects_v2(Bucket=listing, Prefix="b/")) == ["b/1", "b/2", "b/c/3"]
    r = s3.list_objects_v2(Bucket=listing, Prefix="nothing")
    assert keys(r) == [] and r["KeyCount"] == 0


def test_v2_delimiter(s3, listing):
    r = s3.list_objects_v2(Bucket=listing, Delimiter="/")
    assert keys(r) == ["a", "c", "e f", "g+h", "zz"]
    assert prefixes(r) == ["b/", "d/"]
    assert r["KeyCount"] == 7
    r = s3.list_objects_v2(Bucket=listing, Delimiter="/", Prefix="b/")
    assert keys(r) == ["b/1", "b/2"] and prefixes(r) == ["b/c/"]


def test_v2_max_keys_and_continuation(s3, listing):
    seen, token, pages = [], None, 0
    while True:
        kw = {"Bucket": listing, "MaxKeys": 3}
        if token:
            kw["ContinuationToken"] = token
        r = s3.list_objects_v2(**kw)
        pages += 1
        assert r["KeyCount"] == len(keys(r)) <= 3
        if token:
            assert r["ContinuationToken"] == token
        seen += keys(r)
        if not r["IsTruncated"]:
            assert "NextContinuationToken" not in r
            break
        token = r["NextContinuationToken"]
        assert pages < 10
    assert seen == sorted(KEYS) and pages == 4


def test_v2_max_keys_with_delimiter_counts_prefixes(s3, listing):
    seen, token = [], None
    for _ in range(10):
        kw = {"Bucket": listing, "MaxKeys": 2, "Delimiter": "/"}
        if token:
            kw["ContinuationToken"] = token
        r = s3.list_objects_v2(**kw)
        assert r["KeyCount"] == len(keys(r)) + len(prefixes(r)) <= 2
        seen += keys(r) + prefixes(r)
        if not r["IsTruncated"]:
            break
        token = r["NextContinuationToken"]
    assert seen == ["a", "b/", "c", "d/", "e f", "g+h", "zz"]


def test_v2_max_keys_zero(s3, listing):
    r = s3.list_objects_v2(Bucket=listing, MaxKeys=0)
    assert keys(r) == [] and r["KeyCount"] == 0


def test_v2_start_after(s3, listing):
    r = s3.list_objects_v2(Bucket=listing, StartAfter="b/2")
    assert keys(r) == ["b/c/3", "c", "d/1", "d/2", "e f", "g+h", "zz"]
    assert r["StartAfter"] == "b/2"
    r = s3.list_objects_v2(Bucket=listing, StartAfter="b/c", Delimiter="/", Prefix="b/")
    assert keys(r) == [] and prefixes(r) == ["b/c/"]


def test_v2_fetch_owner(s3, listing):
    r = s3.list_objects_v2(Bucket=listing, FetchOwner=True, MaxKeys=1)
    assert r["Contents"][0]["Owner"]["ID"]


def test_v2_invalid_continuation_token(s3, listing):
    r = s3util.request("GET", "/" + listing, [("list-type", "2"), ("continuation-token", "!!bogus")])
    assert (r.status, r.error_code()) == (400, "InvalidArgument"), r


def test_v2_max_keys_over_1000_accepted(s3, listing):
    r = s3util.request("GET", "/" + listing, [("list-type", "2"), ("max-keys", "5000")])
    assert r.status == 200, r
    root = ET.fromstring(r.body)
    assert len(root.findall(s3util.S3NS + "Contents")) == len(KEYS)


@pytest.mark.parametrize("mk", ["-1", "abc"])
def test_v2_max_keys_invalid(listing, mk):
    r = s3util.request("GET", "/" + listing, [("list-type", "2"), ("max-keys", mk)])
    assert (r.status, r.error_code()) == (400, "InvalidArgument"), r


def test_v1_marker_and_next_marker(s3, listing):
    r = s3.list_objects(Bucket=listing, MaxKeys=4)
    assert keys(r) == sorted(KEYS)[:4]
    assert r["IsTruncated"] is True
    r2 = s3.list_objects(Bucket=listing, Marker=keys(r)[-1], MaxKeys=100)
    assert keys(r2) == sorted(KEYS)[4:]
    assert r2["IsTruncated"] is False
    assert r2["Marker"] == keys(r)[-1]


def test_v1_next_marker_with_delimiter(s3, listing):
    r = s3.list_objects(Bucket=listing, Delimiter="/", MaxKeys=2)
    assert keys(r) + prefixes(r) == ["a", "b/"]
    assert r["IsTruncated"] is True
    assert r["NextMarker"] == "b/"
    r = s3.list_objects(Bucket=listing, Delimiter="/", Marker=r["NextMarker"])
    assert keys(r) == ["c", "e f", "g+h", "zz"] and prefixes(r) == ["d/"]


def test_v1_owner_present(s3, listing):
    r = s3.list_objects(Bucket=listing, MaxKeys=1)
    assert r["Contents"][0]["Owner"]["ID"]


def test_list_missing_bucket(s3):
    from botocore.exceptions import ClientError
    with pytest.raises(ClientError) as e:
        s3.list_objects_v2(Bucket=s3util.unique("missing"))
    assert s3util.client_error(e) == (404, "NoSuchBucket")


def test_weird_keys_roundtrip_through_boto3_decoding(s3, weird):
    # botocore asks for encoding-type=url and decodes every key itself.
    r = s3.list_objects_v2(Bucket=weird)
    assert keys(r) == sorted(WEIRD, key=lambda k: k.encode())
    r = s3.list_objects(Bucket=weird)
    assert keys(r) == sorted(WEIRD, key=lambda k: k.encode())


def _raw_list(bucket, query):
    r = s3util.request("GET", "/" + bucket, query)
    assert r.status == 200, r
    return ET.fromstring(r.body)


@pytest.mark.parametrize("v2", [True, False])
def test_encoding_type_url_encodes_every_key(weird, v2):
    q = [("encoding-type", "url")] + ([("list-type", "2")] if v2 else [])
    root = _raw_list(weird, q)
    assert root.find(s3util.S3NS + "EncodingType").text == "url"
    raw = [c.find(s3util.S3NS + "Key").text for c in root.findall(s3util.S3NS + "Contents")]
    for k in raw:
        assert all(0x21 <= ord(ch) < 0x7f for ch in k), k  # nothing raw: no space, newline, UTF-8
    # botocore decodes with unquote_plus.
    assert [urllib.parse.unquote_plus(k) for k in raw] == sorted(WEIRD, key=lambda k: k.encode())


def test_encoding_type_url_applies_to_prefix_delimiter_and_common_prefixes(weird):
    q = [("encoding-type", "url"), ("list-type", "2"), ("delimiter", "/"),
         ("prefix", "\u00fcml"), ("start-after", "\u00fc")]
    root = _raw_list(weird, q)
    t = lambda tag: root.find(s3util.S3NS + tag).text
    assert urllib.parse.unquote_plus(t("Prefix")) == "\u00fcml"
    assert t("Prefix") != "\u00fcml"
    assert urllib.parse.unquote_plus(t("StartAfter")) == "\u00fc"
    assert urllib.parse.unquote_plus(t("Delimiter")) == "/"
    cps = [cp.find(s3util.S3NS + "Prefix").text for cp in root.findall(s3util.S3NS + "CommonPrefixes")]
    assert [urllib.parse.unquote_plus(p) for p in cps] == ["\u00fcml\u00e4ut/"]
    assert all(ord(ch) < 0x7f for ch in cps[0])


def test_encoding_type_invalid(weird):
    r = s3util.request("GET", "/" + weird, [("encoding-type", "base64"), ("list-type", "2")])
    assert (r.status, r.error_code()) == (400, "InvalidArgument"), r


def test_xml_escaping_without_encoding_type(weird):
    root = _raw_list(weird, [("list-type", "2")])
    raw = [c.find(s3util.S3NS + "Key").text for c in root.findall(s3util.S3NS + "Contents")]
    assert "amp&lt" in raw
