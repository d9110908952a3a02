"""Export against a real moto server: parallel equals serial, interruption and resume, caps, CSV, state."""

from __future__ import annotations

import json
import os
import stat
import threading

import botocore.awsrequest
import pytest

from ddbtui.aws import demo_data
from ddbtui.aws.export import (
    STATE_SUFFIX,
    ExportSpec,
    ExportState,
    run_export,
    s3_export_advice,
)
from ddbtui.aws.seed import seed
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.errors import UsageError
from ddbtui.core.values import ddb_json_to_av, item_to_plain_json
from tests.conftest import table_names

# the demo server (seeded with 12k items) lives on one xdist worker: see pyproject's --dist loadgroup
pytestmark = pytest.mark.xdist_group("demo")

PREFIX = "exp_"
SHOP, MUSIC = PREFIX + "Shop", PREFIX + "Music"


def seed_demo(client) -> None:
    """Load the demo tables under the exp_ prefix once per server (the report tests share them)."""
    existing = set(table_names(client))
    counts = {
        t: client.describe_table(TableName=PREFIX + t)["Table"]["ItemCount"]
        for t in demo_data.table_names()
        if PREFIX + t in existing
    }
    if counts != demo_data.ITEM_COUNTS:
        seed(client, table_prefix=PREFIX)


@pytest.fixture(scope="module")
def demo(demo_client):
    seed_demo(demo_client)
    return demo_client


@pytest.fixture
def client(demo_server, demo):
    """A client of its own, so fault-injection hooks touch no other test."""
    return make_client(Connection(endpoint_url=demo_server.endpoint_url, region="us-east-1"))


def lines(path) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return f.read().splitlines()


def scan_all(client, table) -> list[str]:
    """Every item as the jsonl line export writes, by a plain paginated Scan."""
    out = []
    for page in client.get_paginator("scan").paginate(TableName=table):
        out += [item_to_plain_json(it) for it in page["Items"]]
    return out


@pytest.fixture(scope="module")
def music_lines(demo):
    return scan_all(demo, MUSIC)


def hook_on_nth(client, n: int, action):
    """Register a before-send hook that runs ``action(request)`` on the n-th Scan (1-based)."""
    count = {"n": 0}
    lock = threading.Lock()

    def hook(request, **_kw):
        with lock:
            count["n"] += 1
            hit = count["n"] == n
        if hit:
            return action(request)
        return None

    client.meta.events.register("before-send.dynamodb.Scan", hook)
    return hook


def interrupt(_request):
    raise KeyboardInterrupt


def access_denied(request):
    body = json.dumps(
        {"__type": "com.amazonaws.dynamodb.v20120810#AccessDeniedException", "message": "injected"}
    )
    return botocore.awsrequest.AWSResponse(
        request.url, 400, {"Content-Type": "application/x-amz-json-1.0"}, _Raw(body.encode())
    )


class _Raw:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_kw):
        yield self.data


# --------------------------------------------------------------------------------------------- tests


def test_four_segments_export_the_same_items_as_one(client, tmp_path):
    # Music, not Shop: moto scans ~600 items/s, and the segments' logic is the same at 1k items as at 11k
    one, four = tmp_path / "one.jsonl", tmp_path / "four.jsonl"
    r1 = run_export(client, ExportSpec(MUSIC, str(one), page_size=100), estimate_capacity=True)
    r4 = run_export(client, ExportSpec(MUSIC, str(four), segments=4, page_size=100), estimate_capacity=True)
    assert r1.complete and r4.complete
    a, b = lines(one), lines(four)
    assert len(a) == len(b) == demo_data.ITEM_COUNTS["Music"]
    assert set(a) == set(b) and len(set(a)) == len(a)
    assert r4.progress.pages >= 4 and r1.progress.capacity > 0 and r1.progress.estimated


def test_export_matches_a_plain_scan_line_for_line(client, tmp_path, music_lines):
    out = tmp_path / "m.jsonl"
    run_export(client, ExportSpec(MUSIC, str(out)))
    assert lines(out) == music_lines


def test_output_and_state_are_private_and_the_state_goes_when_done(client, tmp_path):
    out = tmp_path / "m.jsonl"
    out.write_text("old content\n")
    os.chmod(out, 0o644)
    modes = []

    def progress(_p):
        modes.append(stat.S_IMODE(os.stat(str(out) + STATE_SUFFIX).st_mode))

    run_export(client, ExportSpec(MUSIC, str(out), page_size=300, overwrite=True), on_progress=progress)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert modes and set(modes) == {0o600}
    assert not os.path.exists(str(out) + STATE_SUFFIX)
    assert "old content" not in out.read_text()


@pytest.mark.parametrize("segments", [1, 4])
@pytest.mark.parametrize("fault", [interrupt, access_denied], ids=["ctrl-c", "aws-error"])
def test_interrupted_export_resumes_without_duplicates_or_gaps(
    client, tmp_path, music_lines, segments, fault
):
    out = tmp_path / "m.jsonl"
    spec = ExportSpec(MUSIC, str(out), segments=segments, page_size=100)
    hook = hook_on_nth(client, 5, fault)
    with pytest.raises((KeyboardInterrupt, botocore.exceptions.ClientError)):
        run_export(client, spec)
    state = ExportState.load(spec.state_path)
    assert 0 < state.committed_lines < len(music_lines)
    assert not out.exists()  # the pages are in the partial file until the export is complete (#21 5)
    assert spec.target.stat().st_size >= state.committed_bytes
    with open(spec.target, "ab") as f:  # a torn write after the last commit must not survive the resume
        f.write(b'{"half": "a line')
    client.meta.events.unregister("before-send.dynamodb.Scan", hook)
    fresh = make_client(Connection(endpoint_url=client.meta.endpoint_url, region="us-east-1"))
    r = run_export(fresh, spec, resume=True)
    assert r.complete
    got = lines(out)
    assert len(got) == len(set(got)) == len(music_lines)
    assert set(got) == set(music_lines)
    assert r.progress.items == len(music_lines)
    assert not spec.state_path.exists()


def test_capacity_cap_stops_cleanly_and_resume_finishes(client, tmp_path, music_lines):
    out = tmp_path / "m.jsonl"
    spec = ExportSpec(MUSIC, str(out), page_size=100, max_capacity=3)
    r = run_export(client, spec, estimate_capacity=True)
    assert r.status == "capacity-cap" and not r.complete
    assert r.state_path == spec.state_path and spec.state_path.exists()
    assert 0 < r.progress.items < len(music_lines)
    assert r.progress.run_capacity >= 3
    assert "--resume" in r.notes[0]
    r2 = run_export(client, ExportSpec(MUSIC, str(out), page_size=100), resume=True, estimate_capacity=True)
    assert r2.complete
    assert lines(out) == music_lines  # one segment: the same order as a plain scan


def test_csv_export_has_every_column_and_survives_a_resume(client, tmp_path):
    whole, resumed = tmp_path / "a.csv", tmp_path / "b.csv"
    run_export(client, ExportSpec(MUSIC, str(whole), fmt="csv"))
    text = whole.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    assert header[:2] == ["Artist", "SongTitle"]
    assert {"Awards", "ChartPositions", "Credits", "Remastered"} <= set(header)  # attributes few items have
    assert header[2:] == sorted(header[2:])

    spec = ExportSpec(MUSIC, str(resumed), fmt="csv", page_size=200)
    hook = hook_on_nth(client, 3, interrupt)
    with pytest.raises(KeyboardInterrupt):
        run_export(client, spec)
    assert spec.staging_path.exists() and not resumed.exists()
    client.meta.events.unregister("before-send.dynamodb.Scan", hook)
    run_export(make_client(Connection(endpoint_url=client.meta.endpoint_url)), spec, resume=True)
    assert resumed.read_text(encoding="utf-8") == text
    assert stat.S_IMODE(resumed.stat().st_mode) == 0o600
    assert not spec.staging_path.exists() and not spec.state_path.exists()


def test_ddb_json_export_round_trips_the_items(client, tmp_path):
    out = tmp_path / "m.ddb.jsonl"
    run_export(client, ExportSpec(SHOP, str(out), fmt="ddb-json", filter="begins_with(pk, 'PRODUCT#P-000')"))
    items = [{k: ddb_json_to_av(v) for k, v in json.loads(line).items()} for line in lines(out)]
    assert items and all(it["pk"]["S"].startswith("PRODUCT#P-000") for it in items)
    thumb = next(it for it in items if "thumbnail" in it)
    assert isinstance(thumb["thumbnail"]["B"], bytes) and thumb["thumbnail"]["B"].startswith(b"\x89PNG")
    got = client.get_item(TableName=SHOP, Key={"pk": thumb["pk"], "sk": thumb["sk"]})["Item"]
    assert item_to_plain_json(got) == item_to_plain_json(thumb)


def test_refuses_to_overwrite_an_unfinished_export(client, tmp_path):
    out = tmp_path / "m.jsonl"
    spec = ExportSpec(MUSIC, str(out), page_size=100, max_capacity=2)
    run_export(client, spec)
    with pytest.raises(UsageError, match="--resume"):
        run_export(client, spec)
    with pytest.raises(UsageError, match="segments=1"):
        run_export(client, ExportSpec(MUSIC, str(out), segments=2), resume=True)


def test_resume_without_state_says_there_is_nothing_to_resume(client, tmp_path):
    with pytest.raises(UsageError, match="nothing to resume"):
        run_export(client, ExportSpec(MUSIC, str(tmp_path / "x.jsonl")), resume=True)


def test_large_table_gets_the_s3_export_advice(client, tmp_path):
    def huge(parsed, **_kw):
        parsed["Table"]["TableSizeBytes"] = 50 * 1024**3

    client.meta.events.register("after-call.dynamodb.DescribeTable", huge)
    notes = []
    run_export(client, ExportSpec(MUSIC, str(tmp_path / "m.jsonl")), on_notice=notes.append)
    assert any("export-table-to-point-in-time" in n for n in notes)


def test_s3_export_advice_names_the_table_arn_and_region():
    desc = {
        "TableName": "Big",
        "TableArn": "arn:aws:dynamodb:eu-west-1:1:table/Big",
        "TableSizeBytes": 20 * 1024**3,
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    }
    text = s3_export_advice(desc, "eu-west-1")
    assert "--table-arn arn:aws:dynamodb:eu-west-1:1:table/Big" in text
    assert "--region eu-west-1" in text and "PointInTimeRecoveryEnabled=true" in text
    assert "20.0 GB" in text
    assert s3_export_advice(dict(desc, TableSizeBytes=10**6), "eu-west-1") is None


def test_cancel_stops_between_pages_and_is_resumable(client, tmp_path, music_lines):
    out = tmp_path / "m.jsonl"
    spec = ExportSpec(MUSIC, str(out), page_size=100)
    cancel = threading.Event()
    r = run_export(client, spec, cancel=cancel, on_progress=lambda p: cancel.set() if p.pages == 2 else None)
    assert r.status == "cancelled" and r.progress.items == 200
    assert run_export(client, spec, resume=True).complete
    assert lines(out) == music_lines


def test_export_on_dynamodb_local_matches_a_plain_scan(ddblocal_client, tmp_path):
    from tests.conftest import create_table

    name = "exp_local_items"
    if name not in table_names(ddblocal_client):
        create_table(ddblocal_client, name)
        for i in range(300):
            ddblocal_client.put_item(
                TableName=name,
                Item={
                    "pk": {"S": f"P{i % 37}"},
                    "sk": {"S": f"{i:05d}"},
                    "n": {"N": f"{i}.25"},
                    "pad": {"S": "x" * 900},
                },
            )
    out = tmp_path / "l.jsonl"
    spec = ExportSpec(name, str(out), segments=3, page_size=40)
    hook = hook_on_nth(ddblocal_client, 4, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_export(ddblocal_client, spec)
    finally:
        ddblocal_client.meta.events.unregister("before-send.dynamodb.Scan", hook)
    run_export(ddblocal_client, spec, resume=True)
    got = lines(out)
    assert sorted(got) == sorted(scan_all(ddblocal_client, name)) and len(got) == 300
