"""DynamoDB's own export to S3 (ExportTableToPointInTime) and import from S3 (ImportTable), and the files.

An export reads no capacity and runs inside AWS for any table size; it needs point-in-time recovery on the
table. ``start_export`` checks PITR first (``PitrOff`` names the fix), ``wait`` polls DescribeExport /
DescribeImport until the job ends, ``export_files`` lists the manifest and the data files (from
``manifest-files.json``; when DescribeExport names no manifest, as moto's does not, the data files of the
export's folder), ``download`` fetches them and ``convert`` writes them as JSON Lines / DynamoDB JSON / CSV /
Parquet with the export's own writers. Nothing here prints: progress goes to a callback.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ddbtui.core.errors import DdbtuiError, UsageError
from ddbtui.core.s3_export import (
    TERMINAL,
    S3Url,
    data_file,
    export_id,
    export_line_item,
    export_request,
    import_request,
    manifest_keys,
)


class PitrOff(UsageError):
    """The table has point-in-time recovery off: an export to S3 cannot start."""

    def __init__(self, table: str) -> None:
        super().__init__(
            f"{table} has point-in-time recovery off, and DynamoDB exports to S3 only from PITR: turn it on "
            f"with\n  ddbtui alter {table} --pitr on --allow-writes={table}\n(PITR is billed per GB-month "
            "of table size), then run the export again"
        )


class JobFailed(DdbtuiError):
    """The export or import ended FAILED or CANCELLED (exit 3)."""


@dataclass
class ExportFiles:
    manifest: list[str] = field(default_factory=list)  # keys of the manifest files
    data: list[tuple[str, int]] = field(default_factory=list)  # (key, size)
    note: str | None = None


def s3_client(conn: Any, dynamodb: Any) -> Any:
    """An S3 client for the same account and region as ``dynamodb``. Against an emulator on loopback the
    same endpoint (moto serves S3 and DynamoDB at one address) unless AWS_ENDPOINT_URL_S3 says otherwise."""
    import boto3
    import botocore.config

    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3")
    if endpoint is None and conn is not None and conn.is_emulator:
        endpoint = dynamodb.meta.endpoint_url
    session = boto3.Session(profile_name=conn.profile if conn is not None else None)
    kw: dict[str, Any] = {}
    if session.get_credentials() is None and conn is not None and conn.is_emulator:
        kw = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    config = botocore.config.Config(
        retries={"mode": "standard", "total_max_attempts": getattr(conn, "max_attempts", 5)},
        s3={"addressing_style": "path"} if endpoint else {},
        user_agent_extra="ddbtui",
    )
    return session.client(
        "s3", region_name=dynamodb.meta.region_name, endpoint_url=endpoint, config=config, **kw
    )


def _error_code(e: Exception) -> str:
    return str(getattr(e, "response", {}).get("Error", {}).get("Code", ""))


def start_export(
    client: Any,
    table: str,
    url: S3Url,
    fmt: str = "ddb-json",
    incremental: bool = False,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, Any]:
    """Start ExportTableToPointInTime; returns its ExportDescription. ``PitrOff`` when PITR is off."""
    desc = client.describe_table(TableName=table)["Table"]
    params = export_request(desc["TableArn"], url, fmt, incremental, start, end)
    backups = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    pitr = (backups.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus")
    if pitr != "ENABLED":
        raise PitrOff(table)
    try:
        return client.export_table_to_point_in_time(**params)["ExportDescription"]
    except Exception as e:
        if _error_code(e) == "PointInTimeRecoveryUnavailableException":
            raise PitrOff(table) from None
        raise


def wait(
    describe: Callable[[], dict[str, Any]],
    on_progress: Callable[[dict[str, Any], float], None],
    poll: float = 10.0,
    first: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Call ``describe`` every ``poll`` seconds until the job's status is final; returns the last answer.
    ``on_progress`` sees every answer (``first`` too: the start call's description)."""
    started = time.monotonic()
    desc = first
    while True:
        if desc is not None:
            on_progress(desc, time.monotonic() - started)
            status = desc.get("ExportStatus") or desc.get("ImportStatus")
            if status in TERMINAL:
                break
            time.sleep(poll)
        desc = describe()
    if status != "COMPLETED":
        what = "export" if "ExportStatus" in desc else "import"
        why = ": ".join(x for x in (desc.get("FailureCode"), desc.get("FailureMessage")) if x)
        raise JobFailed(f"the {what} ended {status}" + (f": {why}" if why else ""))
    return desc


def wait_export(client: Any, first: dict[str, Any], on_progress: Any, poll: float) -> dict[str, Any]:
    arn = first["ExportArn"]
    return wait(lambda: client.describe_export(ExportArn=arn)["ExportDescription"], on_progress, poll, first)


def _list(s3: Any, bucket: str, prefix: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out.extend(page.get("Contents") or [])
    return out


def export_files(s3: Any, desc: dict[str, Any]) -> ExportFiles:
    """The manifest files and the data files of a completed export."""
    bucket, prefix = desc["S3Bucket"], (desc.get("S3Prefix") or "").strip("/")
    root = f"{prefix}/AWSDynamoDB/" if prefix else "AWSDynamoDB/"
    manifest = desc.get("ExportManifest")
    if manifest:
        summary = json.loads(s3.get_object(Bucket=bucket, Key=manifest)["Body"].read())
        files_key = summary["manifestFilesS3Key"]
        text = s3.get_object(Bucket=bucket, Key=files_key)["Body"].read().decode("utf-8")
        keys = manifest_keys(text)
        sizes = {o["Key"]: o["Size"] for o in _list(s3, bucket, files_key.rsplit("/", 1)[0] + "/data/")}
        return ExportFiles([manifest, files_key], [(k, sizes.get(k, 0)) for k in keys])
    objects = _list(s3, bucket, root + export_id(desc["ExportArn"]) + "/")
    note = None
    if not objects:  # no folder named after the export's id (moto names its folder otherwise)
        objects = _list(s3, bucket, root)
        folders = {o["Key"][len(root) :].split("/", 1)[0] for o in objects}
        if len(folders) > 1:
            raise UsageError(
                f"DescribeExport names no manifest and s3://{bucket}/{root} holds {len(folders)} exports: "
                "cannot tell which files are this export's (give each export a prefix of its own)"
            )
        note = (
            f"DescribeExport names no manifest and no folder {export_id(desc['ExportArn'])}: the files are "
            f"those of the one export folder under s3://{bucket}/{root}"
        )
    found = ExportFiles(note=note)
    for o in objects:
        if data_file(o["Key"]):
            found.data.append((o["Key"], o["Size"]))
        elif o["Key"].endswith((".json", ".md5")):
            found.manifest.append(o["Key"])
    return found


def download(s3: Any, bucket: str, keys: list[str], folder: Path) -> list[Path]:
    """Fetch the data files into ``folder/data/`` (their base names are unique uuids)."""
    dest = folder / "data"
    dest.mkdir(parents=True, exist_ok=True)
    paths = []
    for key in keys:
        path = dest / key.rsplit("/", 1)[-1]
        s3.download_file(bucket, key, str(path))
        paths.append(path)
    return paths


def file_items(paths: list[Path]) -> Iterator[dict[str, Any]]:
    """The items of downloaded DynamoDB JSON export files (gzip or not), one line each."""
    for path in paths:
        opener: Any = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as f:
            for line in f:
                if line.strip():
                    item = export_line_item(json.loads(line))
                    if item is not None:
                        yield item


def convert(paths: list[Path], fmt: str, out: Path, key_attributes: tuple[str, ...]) -> int:
    """Write the files' items to ``out`` as ``jsonl``, ``ddb-json``, ``csv`` or ``parquet``; the count."""
    from ddbtui.aws.export import staged_to_csv
    from ddbtui.aws.pagewriter import page_writer

    if fmt == "parquet":
        from ddbtui.aws.parquet_writer import write_parquet

        return write_parquet(lambda: file_items(paths), out, key_attributes)
    line_fmt = "jsonl" if fmt == "jsonl" else "ddb-json"  # CSV: staged as DynamoDB JSON, as export does
    write = page_writer(line_fmt, fast=False)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    rows = 0
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            batch: list[dict[str, Any]] = []
            for item in file_items(paths):
                batch.append(item)
                if len(batch) >= 1000:
                    f.write(write(batch))
                    rows += len(batch)
                    batch = []
            f.write(write(batch))
            rows += len(batch)
        if fmt == "csv":
            staged_to_csv(Path(tmp), out, key_attributes)
            os.unlink(tmp)
        else:
            os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return rows


def import_source(s3: Any, url: S3Url) -> tuple[S3Url, bool, str | None]:
    """Where ImportTable should read, and whether the files are gzip: a prefix holding one export's
    folder is narrowed to its ``data/`` (ImportTable would read the manifests as items too)."""
    objects = _list(s3, url.bucket, url.prefix)
    if not objects:
        raise UsageError(f"{url} holds no files to import")
    data = [o["Key"] for o in objects if data_file(o["Key"])]
    note = None
    if data and len(data) < len(objects):
        folders = {k.rsplit("/", 1)[0] for k in data}
        if len(folders) > 1:
            raise UsageError(
                f"{url} holds {len(folders)} exports' data folders: give the prefix of one "
                "(…/AWSDynamoDB/EXPORT_ID/data)"
            )
        (folder,) = folders
        note = f"importing the export's data files under s3://{url.bucket}/{folder}/ (not its manifests)"
        url = S3Url(url.bucket, folder)
    keys = data or [o["Key"] for o in objects]
    return url, all(k.endswith(".gz") for k in keys), note


def start_import(client: Any, url: S3Url, table: str, key: Any, gz: bool) -> dict[str, Any]:
    """Start ImportTable into the new table ``table`` (``key``: the parsed ``--key`` attributes)."""
    schema = [{"AttributeName": a.name, "KeyType": "HASH" if i == 0 else "RANGE"} for i, a in enumerate(key)]
    attrs = [{"AttributeName": a.name, "AttributeType": a.type} for a in key]
    params = import_request(url, table, schema, attrs, gz)
    return client.import_table(**params)["ImportTableDescription"]


def wait_import(client: Any, first: dict[str, Any], on_progress: Any, poll: float) -> dict[str, Any]:
    arn = first["ImportArn"]
    return wait(
        lambda: client.describe_import(ImportArn=arn)["ImportTableDescription"], on_progress, poll, first
    )
