"""Findings about settings and protection: point-in-time recovery, deletion protection, tags, Contributor
Insights. Each rule has the signature of ``rules.Rule``: ``(facts, schema, sample) -> list[Finding]``."""

from __future__ import annotations

from ddbtui.core.report.common import aws_cli, q
from ddbtui.core.report.model import (
    Finding,
    SampleFacts,
    TableFacts,
    Unknown,
)
from ddbtui.core.schema import TableSchema


def pitr(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    b = f.backups
    cmd = aws_cli(
        f,
        f"dynamodb update-continuous-backups --table-name {q(f.name)} "
        "--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
    )
    if isinstance(b, Unknown):
        return [
            Finding(
                "pitr-unknown",
                "info",
                "Point-in-time recovery: unknown",
                f"DescribeContinuousBackups failed: {b.reason}.",
                "Check that point-in-time recovery is on for tables whose data matters.",
                cmd,
            )
        ]
    status = (b.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus")
    if status == "ENABLED":
        return []
    return [
        Finding(
            "pitr-off",
            "warning",
            "Point-in-time recovery is off",
            "A bad deploy or a mistaken delete cannot be undone: without PITR, the table can only be "
            "restored from on-demand backups, if any were taken.",
            "Turn on point-in-time recovery (restores to any second of the last 35 days).",
            cmd,
        )
    ]


def deletion_protection(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    if f.table.get("DeletionProtectionEnabled"):
        return []
    return [
        Finding(
            "deletion-protection-off",
            "warning",
            "Deletion protection is off",
            "One DeleteTable call (a script, a misdirected IaC change) removes the table and its data.",
            "Turn on deletion protection for tables that hold data worth keeping.",
            aws_cli(f, f"dynamodb update-table --table-name {q(f.name)} --deletion-protection-enabled"),
        )
    ]


def tags(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    if isinstance(f.tags, Unknown) or f.tags:
        return []
    arn = f.table.get("TableArn") or f"arn:aws:dynamodb:REGION:ACCOUNT:table/{f.name}"
    return [
        Finding(
            "no-tags",
            "info",
            "The table has no tags",
            "Without tags its cost cannot be allocated to a team or a service in Cost Explorer.",
            "Tag the table (and activate the tag keys as cost allocation tags).",
            aws_cli(f, f"dynamodb tag-resource --resource-arn {q(arn)} --tags Key=team,Value=YOUR-TEAM"),
        )
    ]


def contributor_insights(f: TableFacts, s: TableSchema, sample: SampleFacts | None) -> list[Finding]:
    ci = f.contributor_insights
    if not isinstance(ci, Unknown):
        return []  # when it is off and a key looks hot, the hot-partition finding carries the command
    return [
        Finding(
            "contributor-insights-unknown",
            "info",
            "Contributor Insights: unknown",
            f"DescribeContributorInsights failed: {ci.reason}.",
            "Contributor Insights shows the most accessed and most throttled keys.",
            None,
        )
    ]
