"""What table administration reads: the table's state across APIs (for a plan), backups, item counts,
an Application Auto Scaling client, and DynamoDB's errors as one line saying what to do."""

from __future__ import annotations

import os
from typing import Any

from ddbtui.core.admin.alter import TableState
from ddbtui.core.admin.backup import CountDiff
from ddbtui.core.errors import DdbtuiError
from ddbtui.core.schema import TableSchema


class AdminError(DdbtuiError):
    """A refused or failed table change, in one line with what to do; ``done`` lists the steps of the
    plan that DynamoDB had accepted before it (they stay applied: ``ddbtui undo`` reverses them)."""

    def __init__(self, message: str, code: str = "", done: list[Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.done = list(done or [])


def _code(e: BaseException) -> tuple[str, str, int | None]:
    response = getattr(e, "response", None)
    if not isinstance(response, dict):
        return "", str(e), None
    err = response.get("Error") or {}
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    return str(err.get("Code", "")), str(err.get("Message", "")), status


def explain_error(
    e: BaseException, operation: str, table: str = "", region: str | None = None
) -> AdminError | None:
    """One line for an AWS error of ``operation`` on ``table``: the code, what it means here, what to do.
    None when ``e`` is not an AWS error."""
    code, msg, status = _code(e)
    if not code and status is None:
        from ddbtui.aws.errors import describe_aws_error

        line = describe_aws_error(e)
        return None if line is None else AdminError(line)
    t = table or "the table"
    low = msg.lower()
    if code == "LimitExceededException":
        text = (f"DynamoDB takes one index creation or deletion at a time per table and a limited number of table "
                f"changes at once ({msg}): wait until {t}'s current change is done (ddbtui describe {t}), then run it again")  # fmt: skip
    elif code == "ResourceInUseException" and operation in (
        "CreateTable",
        "RestoreTableFromBackup",
        "RestoreTableToPointInTime",
    ):
        text = f"a table named {t} already exists (or is being created or deleted): choose another name, or drop it first"
    elif code in ("ResourceInUseException", "TableInUseException"):
        text = f"{t} is busy with another change ({msg}): wait until it is ACTIVE again (ddbtui describe {t}) and retry"
    elif code in ("ResourceNotFoundException", "TableNotFoundException"):
        text = f"no table {t} at this endpoint in {region or 'this region'}: check the name, --region and --endpoint-url"
    elif code == "TableAlreadyExistsException":
        text = f"a table named {t} already exists: restore into a new name (--to)"
    elif code == "BackupNotFoundException":
        text = f"no such backup ({msg}): list the backups with ddbtui backups {table}".rstrip()
    elif code == "BackupInUseException":
        text = f"the backup is being created or restored ({msg}): wait and retry"
    elif code in ("PointInTimeRecoveryUnavailableException", "ContinuousBackupsUnavailableException"):
        text = (f"point-in-time recovery is off for {t} ({msg}): turn it on (ddbtui alter {t} --pitr on "
                "--allow-writes); a restore reaches back only to when it was turned on")  # fmt: skip
    elif code == "InvalidRestoreTimeException":
        text = f"that time is outside {t}'s restore window ({msg}): use --time latest or a time after the earliest restorable time"
    elif code in ("AccessDeniedException", "UnrecognizedClientException", "AccessDenied"):
        service = "application-autoscaling" if operation in _AAS_OPS else "dynamodb"
        text = f"these credentials may not call {operation} on {t} ({msg}): ask for the {service}:{operation} permission, or use another --profile"
    elif code == "UnknownOperationException" or (
        status is not None and status >= 500 and operation in _EMULATOR_GAPS
    ):
        text = (f"this endpoint does not implement {operation} (DynamoDB Local has no backups or point-in-time recovery; "
                "moto and DynamoDB Local lack Contributor Insights): run it against AWS (or moto for backups)")  # fmt: skip
    elif code == "ValidationException" and (
        "protected against deletion" in low or "deletionprotectionenabled" in low
    ):
        text = (f"{t} has deletion protection on ({msg}): turn it off first: ddbtui alter {t} --deletion-protection off "
                "--allow-writes")  # fmt: skip
    elif code == "ValidationException" and "nothing to update" in low:
        text = f"{t} already has these settings ({msg})"
    elif code == "ValidationException" and ("enum value set" in low or "attributetype" in low):
        text = f"DynamoDB refused a key type ({msg}): key attributes are S (string), N (number) or B (binary)"
    elif code == "ValidationException":
        text = f"DynamoDB refused the request: {msg}"
    elif status is not None and status >= 500:
        text = f"the server failed (HTTP {status}); emulators answer 500 to some requests DynamoDB rejects: retry, or check the request"
    else:
        text = msg or code
    return AdminError(f"{code or f'HTTP {status}'}: {text} ({operation})", code)


_AAS_OPS = frozenset(
    {"RegisterScalableTarget", "PutScalingPolicy", "DeregisterScalableTarget", "DescribeScalableTargets"}
)
_EMULATOR_GAPS = frozenset({"UpdateContributorInsights", "DescribeContributorInsights", "CreateBackup", "ListBackups",
                            "UpdateContinuousBackups", "DescribeContinuousBackups", "RestoreTableToPointInTime",
                            "RestoreTableFromBackup"})  # fmt: skip


def autoscaling_client(dynamodb: Any, profile: str | None = None) -> Any:
    """An Application Auto Scaling client for the region (and profile) of ``dynamodb``. On an emulator
    endpoint (loopback) it talks to the same endpoint (moto's server serves every service);
    ``AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING`` overrides it, as boto3 does."""
    import boto3

    from ddbtui.aws.session import Connection

    endpoint = os.environ.get("AWS_ENDPOINT_URL_APPLICATION_AUTO_SCALING")
    ddb_endpoint = str(dynamodb.meta.endpoint_url)
    emulator = Connection(endpoint_url=ddb_endpoint).is_emulator
    if endpoint is None and emulator:
        endpoint = ddb_endpoint
    region = dynamodb.meta.region_name
    session = boto3.Session(profile_name=profile, region_name=region)
    if emulator and session.get_credentials() is None:
        session = boto3.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=region)
    return session.client("application-autoscaling", endpoint_url=endpoint, config=dynamodb.meta.config)


def _optional(call: Any) -> Any:
    """The answer of a read the endpoint may not implement (DynamoDB Local: PITR), else None."""
    try:
        return call()
    except Exception as e:  # noqa: BLE001 - emulators lack some APIs; the setting is then unknown
        code, _msg, status = _code(e)
        if code in ("ResourceNotFoundException", "TableNotFoundException"):
            raise
        if code or status:
            return None
        raise


def table_state(client: Any, table: str, aas: Any = None) -> TableState:
    """The table now: DescribeTable, DescribeTimeToLive, DescribeContinuousBackups, Contributor
    Insights and (with ``aas``) its scalable targets; what the endpoint lacks is None (unknown)."""
    try:
        desc = client.describe_table(TableName=table)["Table"]
    except Exception as e:
        err = explain_error(e, "DescribeTable", table, client.meta.region_name)
        if err is None:
            raise
        raise err from None
    ttl = _optional(lambda: client.describe_time_to_live(TableName=table)) or {}
    ttl_desc = ttl.get("TimeToLiveDescription") or {}
    cb = _optional(lambda: client.describe_continuous_backups(TableName=table))
    pitr = None
    if cb is not None:
        status = (
            (cb.get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {}
        ).get("PointInTimeRecoveryStatus")
        pitr = status == "ENABLED" if status else None
    targets = None
    if aas is not None:
        found = _optional(lambda: aas.describe_scalable_targets(ServiceNamespace="dynamodb"))
        if found is not None:
            prefix = f"table/{table}"
            targets = {
                (t["ResourceId"], t["ScalableDimension"]): (t["MinCapacity"], t["MaxCapacity"])
                for t in found.get("ScalableTargets", [])
                if t["ResourceId"] == prefix or t["ResourceId"].startswith(prefix + "/index/")
            }
    ttl_status = ttl_desc.get("TimeToLiveStatus")
    attr = ttl_desc.get("AttributeName") if ttl_status in ("ENABLED", "ENABLING") else None
    schema = TableSchema.from_describe(desc, attr)
    return TableState(schema, attr, ttl_status, pitr, None, targets)


def list_backups(client: Any, table: str | None = None) -> list[dict[str, Any]]:
    """Every backup (of ``table``, or of every table), newest first."""
    out: list[dict[str, Any]] = []
    params: dict[str, Any] = {"TableName": table} if table else {}
    while True:
        try:
            page = client.list_backups(**params)
        except Exception as e:
            err = explain_error(e, "ListBackups", table or "", client.meta.region_name)
            if err is None:
                raise
            raise err from None
        out.extend(page.get("BackupSummaries", []))
        last = page.get("LastEvaluatedBackupArn")
        if not last:
            break
        params["ExclusiveStartBackupArn"] = last
    out.sort(key=lambda b: str(b.get("BackupCreationDateTime", "")), reverse=True)
    return out


def count_items(client: Any, table: str, cancel: Any = None) -> int:
    """Items in ``table``, counted by a Scan with Select=COUNT to the end (ItemCount lags by hours)."""
    total, start = 0, None
    while True:
        params: dict[str, Any] = {"TableName": table, "Select": "COUNT"}
        if start:
            params["ExclusiveStartKey"] = start
        page = client.scan(**params)
        total += page.get("Count", 0)
        start = page.get("LastEvaluatedKey")
        if not start or (cancel is not None and cancel.is_set()):
            return total


def count_diff(client: Any, source: str, target: str, restore_time: str | None = None) -> CountDiff:
    """The item counts of a restored table and its source (counted now; the source may be gone)."""
    try:
        src: int | None = count_items(client, source)
    except Exception as e:  # noqa: BLE001 - the source may have been dropped: the restore stands alone
        if _code(e)[0] != "ResourceNotFoundException":
            raise
        src = None
    return CountDiff(source, target, src, count_items(client, target), restore_time)
