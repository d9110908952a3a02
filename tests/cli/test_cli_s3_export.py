"""``ddbtui export --format parquet``, ``export --s3`` (+ ``--download``) and ``import --s3``: the installed
``ddbtui`` in a subprocess against the session's moto server (DynamoDB and S3 at one endpoint).

What moto 5.2.5 does (read in moto/dynamodb/models/table_export.py, table_import.py): the export runs in a
thread and usually reports COMPLETED in its first answer; it writes ONE gzip file of ``{"Item": ...}``
lines under ``PREFIX/AWSDynamoDB/<uuid>/data/`` (a uuid that is not the export's id), and no manifest
files; DescribeExport has no ExportManifest. ION and incremental exports are accepted and written as a
full DYNAMODB_JSON export. ImportTable reads every object under its prefix (GZIP or NONE).
"""

from __future__ import annotations

import gzip
import json
import subprocess
import time
from decimal import Decimal

import boto3
import pytest

from tests.cli.test_cli_export_report import DDBTUI, env, run
from tests.conftest import create_table, table_names

SRC, NO_PITR, BUCKET = "s3x_src", "s3x_nopitr", "s3x-bucket"
BIG = "123456789012345678901234567890123456789"  # 39 digits: wider than decimal128
ITEMS = [
    {
        "pk": {"S": "a"},
        "sk": {"S": "1"},
        "s": {"S": "hello"},
        "n": {"N": "1.5"},
        "big": {"N": BIG},
        "bin": {"B": b"\x00\xff"},
        "flag": {"BOOL": True},
        "nul": {"NULL": True},
        "m": {"M": {"x": {"N": "1"}, "y": {"S": "z"}}},
        "l": {"L": [{"S": "q"}, {"N": "2"}]},
        "ss": {"SS": ["b", "a"]},
        "ns": {"NS": ["10", "2.25"]},
        "bs": {"BS": [b"\x02", b"\x01"]},
        "mixed": {"S": "5"},
    },
    {
        "pk": {"S": "b"},
        "sk": {"S": "2"},
        "s": {"S": "world"},
        "n": {"N": "-20"},
        "big": {"N": "7"},
        "flag": {"BOOL": False},
        "mixed": {"N": "5"},
        "ns": {"NS": ["3"]},
    },
    {"pk": {"S": "c"}, "sk": {"S": "3"}, "n": {"N": "0.005"}},
]
# README "Parquet", applied by hand: n is decimal128(5, 3) (2 integer digits, 3 decimals), ns
# list<decimal128(4, 2)>, big the number's text (39 digits), m and l plain JSON, mixed DynamoDB JSON
COLUMNS = ["pk", "sk", "big", "bin", "bs", "flag", "l", "m", "mixed", "n", "ns", "nul", "s", "ss"]
TYPES = {
    "pk": "string", "sk": "string", "big": "string", "bin": "binary", "bs": "list<element: binary>",
    "flag": "bool", "l": "string", "m": "string", "mixed": "string", "n": "decimal128(5, 3)",
    "ns": "list<element: decimal128(4, 2)>", "nul": "null", "s": "string", "ss": "list<element: string>",
}  # fmt: skip
ROWS = [
    {
        "pk": "a", "sk": "1", "big": BIG, "bin": b"\x00\xff", "bs": [b"\x01", b"\x02"], "flag": True,
        "l": '["q", 2]', "m": '{"x": 1, "y": "z"}', "mixed": '{"S": "5"}', "n": Decimal("1.500"),
        "ns": [Decimal("2.25"), Decimal("10.00")], "nul": None, "s": "hello", "ss": ["a", "b"],
    },
    {
        "pk": "b", "sk": "2", "big": "7", "bin": None, "bs": None, "flag": False, "l": None, "m": None,
        "mixed": '{"N": "5"}', "n": Decimal("-20.000"), "ns": [Decimal("3.00")], "nul": None,
        "s": "world", "ss": None,
    },
    {
        "pk": "c", "sk": "3", "big": None, "bin": None, "bs": None, "flag": None, "l": None, "m": None,
        "mixed": None, "n": Decimal("0.005"), "ns": None, "nul": None, "s": None, "ss": None,
    },
]  # fmt: skip


@pytest.fixture(scope="module")
def s3c(moto_server):
    return boto3.client("s3", endpoint_url=moto_server.endpoint_url, region_name="us-east-1")


@pytest.fixture(scope="module")
def server(moto_server, moto_client, s3c):
    if SRC not in table_names(moto_client):
        create_table(moto_client, SRC)
        for it in ITEMS:
            moto_client.put_item(TableName=SRC, Item=it)
        moto_client.update_continuous_backups(
            TableName=SRC, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
        create_table(moto_client, NO_PITR)
        s3c.create_bucket(Bucket=BUCKET)
    return moto_server.endpoint_url


def _wait_for_objects(s3c, prefix):
    """moto writes an export's file from a thread: poll the listing (a bounded number of times)."""
    for _ in range(100):
        objects = s3c.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents") or []
        if objects:
            return objects
        time.sleep(0.05)
    raise AssertionError(f"no export file under {prefix}")


def scan(client, table):
    items = client.scan(TableName=table, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda it: (it["pk"]["S"], it["sk"]["S"]))


def plain(line: str):
    return json.loads(line, parse_float=Decimal, parse_int=Decimal)


def test_parquet_export_rows_equal_the_items(server, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "t.parquet"
    r = run("export", SRC, "--format", "parquet", "--out", str(out), endpoint=server)
    assert r.returncode == 0, r.stderr
    assert "exported 3 items" in r.stderr
    table = pq.read_table(out)
    assert table.column_names == COLUMNS
    assert {f.name: str(f.type) for f in table.schema} == TYPES
    assert table.schema.field("mixed").metadata == {
        b"ddbtui.dynamodb_type": b"mixed",
        b"ddbtui.encoding": b"dynamodb-json",
    }
    assert sorted(table.to_pylist(), key=lambda r: r["pk"]) == ROWS
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert not list(tmp_path.glob("*.ddbtui-*"))  # staging and state gone


def test_parquet_without_pyarrow_is_one_line(server, tmp_path):
    fake = tmp_path / "nopyarrow" / "pyarrow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('No module named pyarrow')\n")
    e = env()
    e["PYTHONPATH"] = str(fake.parent)
    argv = [DDBTUI, "export", SRC, "--format", "parquet", "--out", str(tmp_path / "x.parquet")]
    r = subprocess.run([*argv, "--endpoint-url", server], capture_output=True, text=True, env=e, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "ddbtui: error: --format parquet needs pyarrow, which is not installed: pip install 'ddbtui[parquet]'"
    ]
    assert not (tmp_path / "x.parquet").exists()


def test_export_s3_download_jsonl_matches_a_scan(server, moto_client, s3c, tmp_path):
    r = run("export", SRC, "--s3", f"s3://{BUCKET}/full", "--download", str(tmp_path), endpoint=server)
    assert r.returncode == 0, r.stderr
    assert f"export of {SRC} to s3://{BUCKET}/full started: arn:" in r.stderr
    assert "export: COMPLETED · 3 items" in r.stderr  # the progress line of the final DescribeExport
    assert "note: DescribeExport names no manifest" in r.stderr  # moto writes none
    result = json.loads(r.stdout)
    assert result["status"] == "COMPLETED" and result["item_count"] == 3
    assert result["format"] == "DYNAMODB_JSON" and result["manifest"] == []
    (f,) = result["files"]
    assert f["url"].startswith(f"s3://{BUCKET}/full/AWSDynamoDB/") and "/data/" in f["url"]
    key = f["url"][len(f"s3://{BUCKET}/") :]
    assert f["size"] == s3c.head_object(Bucket=BUCKET, Key=key)["ContentLength"]
    out = tmp_path / f"{SRC}.jsonl"
    assert result["download"]["out"] == str(out) and result["download"]["items"] == 3
    (raw,) = (tmp_path / "data").iterdir()
    assert gzip.decompress(raw.read_bytes()) == gzip.decompress(
        s3c.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    )
    # item for item: the file's rows against the scan export of the same table (sorted by key)
    ref = tmp_path / "ref.jsonl"
    r2 = run("export", SRC, "--out", str(ref), endpoint=server)
    assert r2.returncode == 0, r2.stderr
    got = sorted((plain(x) for x in out.read_text().splitlines()), key=lambda d: d["pk"])
    want = sorted((plain(x) for x in ref.read_text().splitlines()), key=lambda d: d["pk"])
    assert got == want and len(got) == len(scan(moto_client, SRC)) == 3
    assert got[0]["bin"] == "AP8=" and got[0]["ns"] == [Decimal("2.25"), Decimal("10")]


def test_export_s3_download_parquet_and_import_s3_into_a_new_table(server, moto_client, tmp_path):
    r = run(
        "export", SRC, "--s3", f"s3://{BUCKET}/forimport", "--download", str(tmp_path),
        "--format", "parquet", endpoint=server,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / f"{SRC}.parquet")
    assert {f.name: str(f.type) for f in table.schema} == TYPES
    assert sorted(table.to_pylist(), key=lambda r: r["pk"]) == ROWS

    new = "s3x_imported"
    argv = ["import", "--s3", f"s3://{BUCKET}/forimport", "--to", new, "--key", "pk:S,sk:S"]
    refused = run(*argv, endpoint=server)
    assert refused.returncode == 2 and "--allow-writes" in refused.stderr
    r = run(*argv, "--allow-writes", endpoint=server)
    assert r.returncode == 0, r.stderr
    assert f"import of s3://{BUCKET}/forimport into {new} started" in r.stderr
    assert "import: COMPLETED · 3 items imported" in r.stderr
    result = json.loads(r.stdout)
    assert result["status"] == "COMPLETED" and result["imported"] == 3 and result["compression"] == "GZIP"
    assert scan(moto_client, new) == scan(moto_client, SRC) == sorted(ITEMS, key=lambda it: it["pk"]["S"])
    again = run(*argv, "--allow-writes", endpoint=server)
    assert again.returncode == 2 and f"{new} exists" in again.stderr


def test_export_s3_without_pitr_names_the_fix(server, s3c):
    r = run("export", NO_PITR, "--s3", f"s3://{BUCKET}/nopitr", endpoint=server)
    assert r.returncode == 2
    assert "point-in-time recovery off" in r.stderr
    assert f"ddbtui alter {NO_PITR} --pitr on --allow-writes={NO_PITR}" in r.stderr
    assert "Traceback" not in r.stderr
    listed = s3c.list_objects_v2(Bucket=BUCKET, Prefix="nopitr")
    assert listed.get("KeyCount", 0) == 0


def test_download_over_an_existing_file_is_refused_before_the_export_starts(server, s3c, tmp_path):
    (tmp_path / f"{SRC}.jsonl").write_text("keep\n")
    r = run("export", SRC, "--s3", f"s3://{BUCKET}/refused", "--download", str(tmp_path), endpoint=server)
    assert r.returncode == 2 and "exists: add --overwrite" in r.stderr, r.stderr
    assert (tmp_path / f"{SRC}.jsonl").read_text() == "keep\n"
    assert s3c.list_objects_v2(Bucket=BUCKET, Prefix="refused").get("KeyCount", 0) == 0


def test_export_s3_layout_with_a_manifest_as_aws_writes_it(server, moto_client, s3c):
    """AWS's layout (manifest-summary.json naming manifest-files.json naming the data files), built in S3
    by hand beside moto's data file: ``export_files`` follows the manifest, ``import_source`` narrows an
    export folder to its data/. moto itself writes no manifest, so this part is not end to end."""
    from ddbtui.aws.s3_transfer import export_files, import_source
    from ddbtui.core.s3_export import S3Url

    c = s3c
    arn = moto_client.describe_table(TableName=SRC)["Table"]["TableArn"]
    moto_client.export_table_to_point_in_time(TableArn=arn, S3Bucket=BUCKET, S3Prefix="aws")
    (moto_key,) = [o["Key"] for o in _wait_for_objects(c, "aws/")]
    base = "aws2/AWSDynamoDB/01700000000000-abcd1234"
    data_key = f"{base}/data/x1.json.gz"
    c.put_object(Bucket=BUCKET, Key=data_key, Body=c.get_object(Bucket=BUCKET, Key=moto_key)["Body"].read())
    c.put_object(
        Bucket=BUCKET, Key=f"{base}/manifest-files.json", Body=json.dumps({"dataFileS3Key": data_key}) + "\n"
    )
    summary = {"manifestFilesS3Key": f"{base}/manifest-files.json", "itemCount": 3}
    c.put_object(Bucket=BUCKET, Key=f"{base}/manifest-summary.json", Body=json.dumps(summary))
    desc = {
        "ExportArn": f"arn:aws:dynamodb:us-east-1:123456789012:table/{SRC}/export/01700000000000-abcd1234",
        "S3Bucket": BUCKET,
        "S3Prefix": "aws2",
        "ExportManifest": f"{base}/manifest-summary.json",
    }
    files = export_files(c, desc)
    assert files.manifest == [f"{base}/manifest-summary.json", f"{base}/manifest-files.json"]
    assert files.data == [(data_key, c.head_object(Bucket=BUCKET, Key=data_key)["ContentLength"])]
    assert import_source(c, S3Url(BUCKET, "aws2")) == (
        S3Url(BUCKET, f"{base}/data"),
        True,
        f"importing the export's data files under s3://{BUCKET}/{base}/data/ (not its manifests)",
    )
    del desc["ExportManifest"]  # no manifest, but a folder named after the export's id
    assert export_files(c, desc).data == files.data
