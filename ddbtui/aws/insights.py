"""Read Contributor Insights for a table and its GSIs (``ddbtui.core.metrics.insights`` says what it is).

DescribeContributorInsights per resource (the table, then each GSI), then for each resource where it is
ENABLED one GetInsightRuleReport per rule DynamoDB created, over the metrics window. What the caller may
not call, or the backend lacks (moto and DynamoDB Local implement neither), is a note, never an error:
the rest of the metrics works without it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from ddbtui.aws.metrics import access_denied
from ddbtui.core.metrics.insights import TOP, Insights, enabled_rules, top_keys
from ddbtui.core.metrics.window import Window

# GetInsightRuleReport's periods (seconds): the report's datapoints are not shown, so the coarsest
# period that fits the window keeps the answer small
PERIODS = (60, 300, 3600, 86400)


def report_period(window: Window) -> int:
    fitting = [p for p in PERIODS if p <= max(60, window.seconds)]
    return fitting[-1]


def _reason(e: BaseException, operation: str) -> str:
    response = getattr(e, "response", None) or {}
    err = response.get("Error", {}) if isinstance(response, dict) else {}
    code = str(err.get("Code") or type(e).__name__)
    status = (
        (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") if isinstance(response, dict) else None
    )
    msg = str(err.get("Message") or "")
    if access_denied(e):
        return f"not allowed to call {operation} ({code})"
    if (
        (status and status >= 400 and "<" in msg)
        or code
        in (
            "UnknownOperationException",
            "InvalidAction",
            "UnrecognizedClientException",
        )
        or (status and status >= 500)
    ):
        return f"the backend does not serve {operation} (HTTP {status or code})"
    first = msg.splitlines()[0][:200] if msg else ""
    return f"{operation} failed: {code}{': ' + first if first else ''}"


def read_insights(
    conn: Any,
    table: str,
    indexes: list[str],
    window: Window,
    *,
    top: int = TOP,
    client: Any = None,
    cw: Any = None,
) -> Insights:
    """Contributor Insights of ``table`` and its GSIs ``indexes`` over ``window``. The clients come from
    ``conn`` unless given: one try each on an emulator (its 500 for an API it lacks is not worth retrying,
    nor worth a retry notice in the workbench)."""
    import botocore.exceptions

    from ddbtui.aws.stream import service_client

    attempts = 1 if getattr(conn, "is_emulator", False) else None
    client = client or service_client(conn, "dynamodb", max_attempts=attempts)
    cw = cw or service_client(conn, "cloudwatch", max_attempts=attempts)

    errors = (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError)
    out = Insights()
    described: dict[str | None, dict[str, Any]] = {}
    for index in [None, *indexes]:
        params = {"TableName": table} | ({"IndexName": index} if index else {})
        try:
            described[index] = client.describe_contributor_insights(**params)
        except errors as e:
            out.status[index] = None
            reason = _reason(e, "DescribeContributorInsights")
            if reason not in out.notes:
                out.notes.append(reason)
            if "does not serve" in reason:  # an emulator: the GSIs would say the same
                for rest in indexes:
                    out.status.setdefault(rest, None)
                return out
            continue
        out.status[index] = described[index].get("ContributorInsightsStatus")
    asks = [(index, rule) for index, d in described.items() for rule in enabled_rules(d)]
    if not asks:
        return out
    start, end = datetime.fromtimestamp(window.start, UTC), datetime.fromtimestamp(window.end, UTC)
    period = report_period(window)

    def ask(index: str | None, rule: str) -> Any:
        try:
            report = cw.get_insight_rule_report(
                RuleName=rule,
                StartTime=start,
                EndTime=end,
                Period=period,
                MaxContributorCount=top,
                OrderBy="Sum",
            )
        except errors as e:
            return _reason(e, "cloudwatch:GetInsightRuleReport")
        return top_keys(index, rule, report, top)

    with ThreadPoolExecutor(min(4, len(asks)), thread_name_prefix="ddbtui-insights") as pool:
        answers = list(pool.map(lambda a: ask(*a), asks))
    for a in answers:
        if isinstance(a, str):
            if a not in out.notes:
                out.notes.append(a)
        elif a is not None:
            out.tops.append(a)
    return out


__all__ = ["read_insights", "report_period"]
