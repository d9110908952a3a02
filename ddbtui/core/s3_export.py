"""DynamoDB's own export to S3 and import from S3, without talking to AWS: URLs, requests, manifests, lines.

``ddbtui.aws.s3_transfer`` sends what this builds. An export writes, under ``PREFIX/AWSDynamoDB/EXPORT_ID/``,
``manifest-summary.json`` (the counts, the manifest's key), ``manifest-files.json`` (one JSON object a line,
each with ``dataFileS3Key``) and ``data/*.json.gz`` (or ``.ion.gz``): one item a line, ``{"Item": {...}}``
for a full export, ``{"Metadata": ..., "Keys": ..., "NewImage": ..., "OldImage": ...}`` for an incremental
one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ddbtui.core.errors import UsageError

EXPORT_FORMATS = {"ddb-json": "DYNAMODB_JSON", "ion": "ION"}
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED")


@dataclass(frozen=True)
class S3Url:
    bucket: str
    prefix: str  # without a leading or trailing "/"; may be ""

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def parse_s3_url(text: str, what: str = "--s3") -> S3Url:
    """``s3://bucket[/prefix]``: a bucket of 3-63 characters, and an optional key prefix."""
    if not text.startswith("s3://"):
        raise UsageError(f"{what} {text!r}: expected s3://BUCKET/PREFIX")
    bucket, _, prefix = text[5:].partition("/")
    if not 3 <= len(bucket) <= 63 or not all(c.isalnum() or c in "-." for c in bucket):
        raise UsageError(f"{what} {text!r}: {bucket!r} is not an S3 bucket name (3-63 of a-z 0-9 - .)")
    return S3Url(bucket, prefix.strip("/"))


def parse_time(text: str, what: str) -> datetime:
    """An ISO 8601 time (``2026-12-01T10:00:00Z``; no zone means UTC) or epoch seconds."""
    try:
        if text.replace(".", "", 1).isdigit():
            return datetime.fromtimestamp(float(text), tz=UTC)
        t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{what} {text!r}: expected an ISO 8601 time, e.g. 2026-12-01T10:00:00Z") from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def export_request(
    table_arn: str,
    url: S3Url,
    fmt: str = "ddb-json",
    incremental: bool = False,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, Any]:
    """The ExportTableToPointInTime parameters."""
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"--format {fmt!r}: an S3 export is ddb-json or ion")
    params: dict[str, Any] = {
        "TableArn": table_arn,
        "S3Bucket": url.bucket,
        "ExportFormat": EXPORT_FORMATS[fmt],
    }
    if url.prefix:
        params["S3Prefix"] = url.prefix
    if incremental:
        if start is None or end is None:
            raise UsageError("--incremental needs --from T and --to T (the window of changes to export)")
        if end <= start:
            raise UsageError("--to must be later than --from")
        params["ExportType"] = "INCREMENTAL_EXPORT"
        params["IncrementalExportSpecification"] = {
            "ExportFromTime": start,
            "ExportToTime": end,
            "ExportViewType": "NEW_AND_OLD_IMAGES",
        }
    elif start is not None or end is not None:
        raise UsageError("--from/--to select an incremental export: add --incremental")
    return params


def export_id(arn: str) -> str:
    """The last part of an export's ARN (``.../table/T/export/01234-abcd``): its folder under AWSDynamoDB/."""
    return arn.rstrip("/").rsplit("/", 1)[-1]


def progress_line(desc: dict[str, Any], elapsed: float) -> str:
    """One line of an export's or import's state from DescribeExport / DescribeImport."""
    status = desc.get("ExportStatus") or desc.get("ImportStatus") or "?"
    parts = [status]
    for key, label in (
        ("ItemCount", "items"),
        ("ImportedItemCount", "items imported"),
        ("ProcessedItemCount", "processed"),
        ("ErrorCount", "errors"),
    ):
        if desc.get(key) is not None:
            parts.append(f"{desc[key]:,} {label}")
    size = desc.get("BilledSizeBytes") or desc.get("ProcessedSizeBytes")
    if size:
        parts.append(f"{size:,} bytes")
    parts.append(f"{elapsed:,.0f} s")
    return " · ".join(parts)


def manifest_keys(manifest_files: str) -> list[str]:
    """The data files listed in ``manifest-files.json`` (one JSON object a line)."""
    keys = []
    for line in manifest_files.splitlines():
        if line.strip():
            keys.append(json.loads(line)["dataFileS3Key"])
    return keys


def data_file(key: str) -> bool:
    return "/data/" in key and key.endswith((".json.gz", ".ion.gz", ".gz", ".json"))


def export_line_item(record: dict[str, Any]) -> dict[str, Any] | None:
    """The item of one line of an export: a full export's ``Item``, an incremental export's ``NewImage``
    (None for a delete: the item is gone at the end of the window)."""
    if "Item" in record:
        return record["Item"]
    return record.get("NewImage")


def import_request(
    url: S3Url, table: str, key: list[dict[str, str]], attrs: list[dict[str, str]], gzip: bool
) -> dict[str, Any]:
    """The ImportTable parameters: DynamoDB JSON files under the prefix into a new on-demand table."""
    source: dict[str, Any] = {"S3Bucket": url.bucket}
    if url.prefix:
        source["S3KeyPrefix"] = url.prefix
    return {
        "S3BucketSource": source,
        "InputFormat": "DYNAMODB_JSON",
        "InputCompressionType": "GZIP" if gzip else "NONE",
        "TableCreationParameters": {
            "TableName": table,
            "AttributeDefinitions": attrs,
            "KeySchema": key,
            "BillingMode": "PAY_PER_REQUEST",
        },
    }
