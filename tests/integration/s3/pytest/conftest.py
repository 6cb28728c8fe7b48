# SPDX-License-Identifier: GPL-2.0
"""Fixtures for the boto3 suite, and `ok - `/`not ok - ` result lines that
tests/integration/s3/run.sh counts."""
import os
import sys

import boto3
import botocore
import pytest
from botocore.config import Config

sys.path.insert(0, os.path.dirname(__file__))
import s3util  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if not s3util.ENDPOINT:
        skip = pytest.mark.skip(reason="KS3_S3_ENDPOINT not set (run tests/integration/s3/run.sh)")
        for it in items:
            if "test_signer" not in it.nodeid:
                it.add_marker(skip)


def _short(report):
    text = getattr(report, "longreprtext", "") or ""
    lines = [ln[2:].strip() for ln in text.splitlines() if ln.startswith("E ")]
    msg = " | ".join(lines[:3]) if lines else (text.strip().splitlines() or [""])[-1]
    return msg[:400]


def pytest_runtest_logreport(report):
    tr = _reporter
    if tr is None:
        return
    name = report.nodeid.split("::", 1)[-1]
    # Our lines start a line of their own, whatever progress output came
    # before.
    tr.write("\n")
    if report.failed:
        tr.write_line("not ok - %s (%s): %s" % (name, report.when, _short(report)))
    elif report.when == "call" and report.passed:
        tr.write_line("ok - %s" % name)
    elif report.skipped and report.when in ("setup", "call"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        tr.write_line("# skip - %s: %s" % (name, reason))


_reporter = None


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    global _reporter
    _reporter = config.pluginmanager.get_plugin("terminalreporter")


def make_client(access=None, secret=None, region=None, addressing="path", endpoint=None,
                **cfg):
    return boto3.client(
        "s3",
        endpoint_url=endpoint or s3util.ENDPOINT,
        aws_access_key_id=s3util.ACCESS_KEY if access is None else access,
        aws_secret_access_key=s3util.SECRET_KEY if secret is None else secret,
        region_name=region or s3util.REGION,
        config=Config(s3={"addressing_style": addressing}, signature_version="s3v4",
                      retries={"max_attempts": 1}, connect_timeout=30, read_timeout=120,
                      **cfg))


@pytest.fixture(scope="session")
def s3():
    return make_client()


@pytest.fixture(scope="session")
def s3_limited():
    return make_client(s3util.LIMITED_ACCESS_KEY, s3util.LIMITED_SECRET_KEY)


@pytest.fixture(scope="session")
def s3_anon():
    return make_client(config_unsigned=True) if False else boto3.client(
        "s3", endpoint_url=s3util.ENDPOINT, region_name=s3util.REGION,
        config=Config(signature_version=botocore.UNSIGNED, s3={"addressing_style": "path"},
                      retries={"max_attempts": 1}))


def empty_bucket(client, name):
    try:
        token = None
        while True:
            kw = {"Bucket": name}
            if token:
                kw["ContinuationToken"] = token
            r = client.list_objects_v2(**kw)
            for o in r.get("Contents", []):
                client.delete_object(Bucket=name, Key=o["Key"])
            if not r.get("IsTruncated"):
                break
            token = r["NextContinuationToken"]
        client.delete_bucket(Bucket=name)
    except Exception:
        pass


@pytest.fixture
def bucket(s3):
    """A fresh bucket owned by the admin key, removed afterwards."""
    name = s3util.unique("b")
    s3.create_bucket(Bucket=name)
    yield name
    empty_bucket(s3, name)
