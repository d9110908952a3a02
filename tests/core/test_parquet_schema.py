"""The Parquet column rules (README "Parquet") and the S3 export's requests, worked out by hand."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ddbtui.core.errors import UsageError
from ddbtui.core.parquet_schema import Column, Schema, cell, row
from ddbtui.core.s3_export import (
    S3Url,
    data_file,
    export_id,
    export_line_item,
    export_request,
    manifest_keys,
    parse_s3_url,
    parse_time,
    progress_line,
)


def columns(*items, keys=("pk",)):
    s = Schema()
    for it in items:
        s.observe(it)
    return {c.name: c for c in s.columns(keys)}


def test_one_type_a_typed_column_numbers_as_decimal_from_the_widest_value():
    cols = columns(
        {"pk": {"S": "a"}, "n": {"N": "1.5"}, "b": {"B": "AP8="}, "f": {"BOOL": True}},
        {"pk": {"S": "b"}, "n": {"N": "-20"}, "f": {"NULL": True}},
        {"pk": {"S": "c"}, "n": {"N": "0.005"}},
    )
    assert list(cols) == ["pk", "b", "f", "n"]
    assert cols["pk"] == Column("pk", "string", "S")
    assert cols["b"] == Column("b", "binary", "B")
    assert cols["f"] == Column("f", "bool", "BOOL")  # NULL beside one type: that type, NULL as null
    # 2 integer digits (-20), 3 decimals (0.005): decimal128(5, 3)
    assert cols["n"] == Column("n", "decimal", "N", precision=5, scale=3)
    assert cell(cols["n"], {"N": "1.5"}) == Decimal("1.500")
    assert str(cell(cols["n"], {"N": "-20"})) == "-20.000"
    assert cell(cols["b"], {"B": "AP8="}) == b"\x00\xff"
    assert cell(cols["b"], {"B": b"\x00\xff"}) == b"\x00\xff"
    assert cell(cols["f"], {"NULL": True}) is None
    assert cell(cols["f"], None) is None


def test_38_digits_fit_decimal128_and_39_fall_back_to_the_exact_text():
    n38, n39 = "9" * 38, "1" + "0" * 38
    assert columns({"pk": {"S": "a"}, "x": {"N": n38}})["x"] == Column("x", "decimal", "N", 38, 0)
    cols = columns({"pk": {"S": "a"}, "x": {"N": n39}}, {"pk": {"S": "b"}, "x": {"N": "7"}})
    assert cols["x"] == Column("x", "number-text", "N")
    assert cell(cols["x"], {"N": n39}) == n39
    # 37 integer digits and 2 decimals in different items: 39 together
    cols = columns({"pk": {"S": "a"}, "x": {"N": "1" * 37}}, {"pk": {"S": "b"}, "x": {"N": "0.25"}})
    assert cols["x"].kind == "number-text"
    assert columns({"pk": {"S": "a"}, "x": {"N": "1E+3"}})["x"] == Column("x", "decimal", "N", 4, 0)


def test_sets_are_sorted_lists_maps_and_lists_plain_json_mixed_types_dynamodb_json():
    a = {
        "pk": {"S": "a"},
        "ss": {"SS": ["b", "a"]},
        "ns": {"NS": ["10", "2.25"]},
        "bs": {"BS": ["Ag==", "AQ=="]},
        "m": {"M": {"x": {"N": "1"}, "y": {"S": "z"}}},
        "l": {"L": [{"S": "q"}, {"N": "2"}]},
        "mixed": {"S": "5"},
        "nul": {"NULL": True},
    }
    b = {"pk": {"S": "b"}, "mixed": {"N": "5"}, "ns": {"NS": ["3"]}}
    cols = columns(a, b)
    assert cols["ss"] == Column("ss", "list-string", "SS")
    assert cols["ns"] == Column("ns", "list-decimal", "NS", 4, 2)
    assert cols["bs"] == Column("bs", "list-binary", "BS")
    assert cols["m"] == Column("m", "json", "M") and cols["m"].encoding == "plain-json"
    assert cols["l"] == Column("l", "json", "L")
    assert cols["mixed"] == Column("mixed", "ddb-json", "mixed") and cols["mixed"].encoding == "dynamodb-json"
    assert cols["nul"] == Column("nul", "null", "NULL")
    order = ["pk", "bs", "l", "m", "mixed", "ns", "nul", "ss"]
    assert list(cols) == order
    assert row([cols[n] for n in order], a) == [
        "a",
        [b"\x01", b"\x02"],
        '["q", 2]',
        '{"x": 1, "y": "z"}',
        '{"S": "5"}',
        [Decimal("2.25"), Decimal("10.00")],
        None,
        ["a", "b"],
    ]
    assert cell(cols["mixed"], {"N": "5"}) == '{"N": "5"}'
    assert json.loads(cell(cols["mixed"], {"NULL": True})) == {"NULL": True}


def test_s3_urls_times_and_the_export_request():
    assert parse_s3_url("s3://my-bucket/a/b/") == S3Url("my-bucket", "a/b")
    assert str(parse_s3_url("s3://my-bucket")) == "s3://my-bucket"
    for bad in ("my-bucket/x", "s3://ab/x", "s3://a_b/x"):
        with pytest.raises(UsageError):
            parse_s3_url(bad)
    t0 = parse_time("2026-12-01T10:00:00Z", "--from")
    assert t0 == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert parse_time("2026-12-01T11:00:00", "--to") == datetime(2026, 12, 1, 11, tzinfo=UTC)
    url = S3Url("bkt", "exports/t")
    assert export_request("arn:t", url) == {
        "TableArn": "arn:t",
        "S3Bucket": "bkt",
        "ExportFormat": "DYNAMODB_JSON",
        "S3Prefix": "exports/t",
    }
    t1 = datetime(2026, 12, 1, 11, tzinfo=UTC)
    inc = export_request("arn:t", url, "ion", incremental=True, start=t0, end=t1)
    assert inc["ExportFormat"] == "ION" and inc["ExportType"] == "INCREMENTAL_EXPORT"
    assert inc["IncrementalExportSpecification"] == {
        "ExportFromTime": t0,
        "ExportToTime": t1,
        "ExportViewType": "NEW_AND_OLD_IMAGES",
    }
    for kw in ({"incremental": True}, {"start": t0}, {"incremental": True, "start": t1, "end": t0}):
        with pytest.raises(UsageError):
            export_request("arn:t", url, **kw)
    with pytest.raises(UsageError):
        export_request("arn:t", url, "csv")


def test_manifests_lines_and_progress():
    assert export_id("arn:aws:dynamodb:us-east-1:1:table/T/export/0170-ab") == "0170-ab"
    text = '{"itemCount":2,"dataFileS3Key":"p/AWSDynamoDB/0170-ab/data/x.json.gz"}\n\n{"dataFileS3Key":"y"}\n'
    assert manifest_keys(text) == ["p/AWSDynamoDB/0170-ab/data/x.json.gz", "y"]
    assert data_file("p/AWSDynamoDB/E/data/x.json.gz") and not data_file(
        "p/AWSDynamoDB/E/manifest-files.json"
    )
    assert export_line_item({"Item": {"pk": {"S": "a"}}}) == {"pk": {"S": "a"}}
    assert export_line_item(
        {"Keys": {"pk": {"S": "a"}}, "NewImage": {"pk": {"S": "a"}, "v": {"N": "1"}}}
    ) == {
        "pk": {"S": "a"},
        "v": {"N": "1"},
    }
    assert export_line_item({"Keys": {"pk": {"S": "a"}}, "OldImage": {"pk": {"S": "a"}}}) is None  # deleted
    desc = {"ExportStatus": "IN_PROGRESS", "ItemCount": 1200, "BilledSizeBytes": 4096}
    assert progress_line(desc, 12.4) == "IN_PROGRESS · 1,200 items · 4,096 bytes · 12 s"
