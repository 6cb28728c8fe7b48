# SPDX-License-Identifier: GPL-2.0
"""Bucket operations through boto3: ListBuckets, CreateBucket, DeleteBucket,
HeadBucket, GetBucketLocation."""
import pytest
from botocore.exceptions import ClientError

import s3util
from s3util import client_error, unique


def test_list_buckets_shows_created_bucket(s3, bucket):
    r = s3.list_buckets()
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    names = [b["Name"] for b in r["Buckets"]]
    assert bucket in names
    b = [b for b in r["Buckets"] if b["Name"] == bucket][0]
    assert b["CreationDate"] is not None
    assert "Owner" in r and r["Owner"].get("ID")


def test_create_bucket_returns_200_and_location(s3):
    name = unique("cb")
    r = s3.create_bucket(Bucket=name)
    try:
        assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert r.get("Location") == "/" + name
    finally:
        s3.delete_bucket(Bucket=name)


def test_create_bucket_again_by_owner_is_200(s3, bucket):
    # us-east-1 semantics: re-creating your own bucket succeeds.
    r = s3.create_bucket(Bucket=bucket)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_create_bucket_taken_by_other_key_is_bucket_already_exists(s3_limited, bucket):
    with pytest.raises(ClientError) as e:
        s3_limited.create_bucket(Bucket=bucket)
    assert client_error(e) == (409, "BucketAlreadyExists")


@pytest.mark.parametrize("name", ["ab", "a" * 64, "UpperCase", "under_score", "-leading",
                                  "trailing-", "double..dot", "192.168.5.4", "xn--prefixed",
                                  "suffix-s3alias"])
def test_create_bucket_invalid_name(s3, name):
    # botocore validates some names itself; send these raw.
    r = s3util.request("PUT", "/" + s3util.uri_encode(name))
    try:
        assert (r.status, r.error_code()) == (400, "InvalidBucketName"), r
    finally:
        if r.status == 200:
            s3.delete_bucket(Bucket=name)


def test_delete_bucket_is_204_and_gone(s3):
    name = unique("db")
    s3.create_bucket(Bucket=name)
    r = s3.delete_bucket(Bucket=name)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=name)
    assert client_error(e)[0] == 404
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_delete_bucket_not_empty(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=bucket)
    assert client_error(e) == (409, "BucketNotEmpty")
    s3.head_object(Bucket=bucket, Key="k")


def test_delete_missing_bucket_is_no_such_bucket(s3):
    with pytest.raises(ClientError) as e:
        s3.delete_bucket(Bucket=unique("missing"))
    assert client_error(e) == (404, "NoSuchBucket")


def test_head_bucket(s3, bucket):
    r = s3.head_bucket(Bucket=bucket)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert r["ResponseMetadata"]["HTTPHeaders"].get("x-amz-request-id")


def test_head_missing_bucket_is_404(s3):
    with pytest.raises(ClientError) as e:
        s3.head_bucket(Bucket=unique("missing"))
    assert client_error(e)[0] == 404


def test_get_bucket_location_us_east_1_is_empty(s3, bucket):
    r = s3.get_bucket_location(Bucket=bucket)
    assert r["ResponseMetadata"]["HTTPStatusCode"] == 200
    # us-east-1 is reported as an empty LocationConstraint.
    assert r.get("LocationConstraint") in (None, "")


def test_get_bucket_location_missing_bucket(s3):
    with pytest.raises(ClientError) as e:
        s3.get_bucket_location(Bucket=unique("missing"))
    assert client_error(e) == (404, "NoSuchBucket")
