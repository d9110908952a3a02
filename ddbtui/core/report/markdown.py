"""The report as Markdown (``ddbtui report --format md``). Table data is untrusted: every value is
passed through ``safe_text`` and Markdown-escaped."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ddbtui.core.capacity import format_units
from ddbtui.core.report.common import kb, pct, q, show
from ddbtui.core.report.fixes import fixable
from ddbtui.core.report.model import (
    COLLECTION_LIMIT,
    SEVERITY_ORDER,
    Finding,
    SampleFacts,
    TableFacts,
    Unknown,
)
from ddbtui.core.report.rules import findings
from ddbtui.core.report.rules.keys import census_shares
from ddbtui.core.report.summary import configuration, indexes
from ddbtui.core.report.usage import usage_markdown
from ddbtui.core.values import safe_text

# --------------------------------------------------------------------------------------------- markdown

# enough to keep data from forming links, code, emphasis, HTML or table cells; `#` and `_` inside a line
# are harmless in CommonMark and escaping them makes the raw text hard to read
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*[]<>|"})


def md(text: Any, width: int = 80) -> str:
    """Untrusted text for a Markdown cell or line: control characters visible, Markdown syntax escaped."""
    out = show(str(text), width).translate(_MD_SPECIAL)
    return "\\" + out if out[:1] in ("#", "-", "+", "=", "~") else out  # no heading or list at a line start


def _md_unknown(value: Mapping[str, Any]) -> str:
    return f"unknown ({md(value.get('reason', ''), 200)})"


def _config_rows(c: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("Status", md(c["status"]))]
    if c["billing_mode"] == "PROVISIONED":
        p = c["provisioned"] or {}
        rows.append(("Billing mode", f"provisioned: {p.get('read')} RCU / {p.get('write')} WCU"))
    else:
        rows.append(("Billing mode", "on-demand (PAY_PER_REQUEST)"))
    a = c["autoscaling"]
    if a["status"] == "unknown":
        rows.append(("Auto scaling", _md_unknown(a)))
    elif a["status"] == "not applicable":
        rows.append(("Auto scaling", "not applicable (on-demand)"))
    else:
        targets = "; ".join(f"{md(t['dimension'])} {t['min']}-{t['max']}" for t in a.get("targets", []))
        rows.append(("Auto scaling", f"{a['status']}" + (f": {targets}" if targets else "")))
    p = c["point_in_time_recovery"]
    rows.append(("Point-in-time recovery", _md_unknown(p) if p["status"] == "unknown" else p["status"]))
    rows.append(("Deletion protection", "on" if c["deletion_protection"] else "off"))
    e = c["encryption"]
    enc = "AWS owned key (default)" if e["type"] == "AWS_OWNED" else f"{md(e['type'])}"
    if e.get("kms_key"):
        enc += f" ({md(e['kms_key'])})"
    rows.append(("Encryption at rest", enc))
    t = c["ttl"]
    if t["status"] == "unknown":
        rows.append(("Time to live", _md_unknown(t)))
    else:
        rows.append(
            ("Time to live", t["status"] + (f" on {md(t['attribute'])}" if t.get("attribute") else ""))
        )
    rows.append(("Table class", md(c["table_class"])))
    s = c["stream"]
    rows.append(("Stream", f"on, {md(s['view_type'])}" if s["enabled"] else "off"))
    tags = c["tags"]
    if tags.get("status") == "unknown" and set(tags) == {"status", "reason"}:
        rows.append(("Tags", _md_unknown(tags)))
    else:
        rows.append(("Tags", ", ".join(f"{md(k)}={md(v)}" for k, v in tags.items()) or "none"))
    ci = c["contributor_insights"]
    rows.append(("Contributor Insights", _md_unknown(ci) if ci["status"] == "unknown" else ci["status"]))
    size = c.get("size_bytes")
    rows.append(
        (
            "Items / size (DescribeTable)",
            f"{c.get('item_count') or 0:,} items / {kb(size or 0)}"
            + (" (DescribeTable figures are refreshed about every 6 hours)" if size else ""),
        )
    )
    return rows


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def render_markdown(facts: TableFacts, found: list[Finding] | None = None) -> str:
    """The report as Markdown (``ddbtui report --format md``)."""
    found = findings(facts) if found is None else found
    s = facts.schema
    when = datetime.fromtimestamp(facts.generated_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = " · ".join(x for x in (facts.region, facts.endpoint_url) if x)
    lines = [f"# Table report: {md(facts.name)}", ""]
    key = f"{md(s.key.partition_key)}" + (f" / {md(s.key.sort_key)}" if s.key.sort_key else "")
    lines.append(f"Generated {when}" + (f" for {md(where, 200)}" if where else "") + f". Key: {key}.")
    sample = facts.sample
    if isinstance(sample, SampleFacts):
        total = facts.table.get("ItemCount") or 0
        of = f" of about {total:,}" if total and not sample.complete else ""
        est = " (est.)" if sample.estimated else ""
        lines.append(
            f"Sample: {sample.items:,}{of} items"
            + (" (the whole table)" if sample.complete else "")
            + f", read in {sample.segments} segment{'s' if sample.segments != 1 else ''}"
            f" for {format_units(sample.capacity)} RCU{est}."
        )
    lines.append("")
    counts = {sev: sum(1 for x in found if x.severity == sev) for sev in SEVERITY_ORDER}
    lines += [
        "## Findings",
        "",
        f"{counts['critical']} critical, {counts['warning']} warning, {counts['info']} info.",
        "",
    ]
    fixes = fixable(facts, found)
    for x in found:
        lines.append(f"### {x.severity.upper()}: {md(x.title, 200)}")
        lines += ["", md(x.detail, 2000), "", f"**Recommendation:** {md(x.recommendation, 2000)}", ""]
        if x.fix:
            lines += ["```sh", *(safe_text(line) for line in x.fix.split("\n")), "```", ""]
        if x.id in fixes:
            cmd = f"ddbtui report {q(facts.name)} --fix {q(x.id)} --allow-writes"
            lines += [f"**Fix ID:** `{safe_text(x.id)}` — ddbtui applies it: `{safe_text(cmd)}`", ""]
    lines += ["## Configuration", ""]
    lines += _md_table(["Setting", "Value"], [[a, b] for a, b in _config_rows(configuration(facts))])
    lines.append("")
    idx = indexes(facts)
    if idx:
        lines += ["## Indexes", ""]
        rows = []
        for i in idx:
            copies = i["copies"]
            copies_text = (
                md(copies) if isinstance(copies, str) else "keys + " + ", ".join(md(c) for c in copies)
            )
            in_sample = (
                f"{i['sample_items']:,} ({pct(i['sample_share'])})" if i["sample_share"] is not None else "-"
            )
            rows.append(
                [
                    md(i["name"]),
                    i["kind"].upper(),
                    md(i["partition_key"]) + (f" / {md(i['sort_key'])}" if i["sort_key"] else ""),
                    md(i["projection"]),
                    copies_text,
                    in_sample,
                ]
            )
        lines += _md_table(["Index", "Kind", "Key", "Projection", "Copies", "Sampled items in it"], rows)
        lines.append("")
    lines += _md_sample(facts)
    lines += ["", *usage_markdown(facts, md)]
    lines += _md_insights(facts)
    return "\n".join(lines).rstrip() + "\n"


def _md_insights(facts: TableFacts) -> list[str]:
    """Contributor Insights' top keys (traffic, the last 24 hours), when they were read."""
    ins = facts.insights
    if ins is None:
        return []
    lines = ["", "## Contributor Insights (traffic, last 24 hours)", ""]
    status = ", ".join(
        f"{'table' if r is None else md(r, 60)}: {(s or 'unknown').lower()}" for r, s in ins.status.items()
    )
    lines.append(f"Status: {status}." if status else "Status: unknown.")
    for t in ins.ordered():
        lines += ["", f"### {t.title[0].upper()}{md(t.title[1:], 120)}", ""]
        if not t.contributors:
            lines.append("No contributors in the window.")
            continue
        lines += _md_table(
            [" · ".join(md(x, 30) for x in t.labels) or "Key", t.statistic or "Value", "Share"],
            [
                [
                    " · ".join(md(k, 50) for k in c.keys),
                    f"{c.value:,.0f}",
                    "" if c.share is None else pct(c.share),
                ]
                for c in t.contributors
            ],
        )
    for n in ins.notes:
        lines += ["", f"Note: {md(n, 300)}"]
    return lines


def _md_census(sample: SampleFacts) -> list[str]:
    """The key census's paragraph and top keys (nothing when the sample was the whole table)."""
    c = sample.census
    if c is None:
        if sample.census_note and not sample.complete:
            return ["", f"Key census: not taken ({md(sample.census_note, 300)})."]
        return []
    lines = [
        "",
        "### Key census",
        "",
        f"{md(c.describe()[:1].upper() + c.describe()[1:], 400)}; {c.keys:,} distinct partition keys, "
        f"median {c.median_items_per_key:g} item{'' if c.median_items_per_key == 1 else 's'} per key, "
        f"skew {c.gini:.2f}.",
    ]
    ranked = census_shares(sample, c)
    if ranked:
        share = "Share of the table" if c.complete else "Share of the table (est.)"
        lines += [
            "",
            *_md_table(
                ["Partition key", "Items", share],
                [
                    [md(k.key, 50), f"{k.items:,}", ("≥ " if k.at_least else "") + pct(k.share)]
                    for k in ranked[:5]
                ],
            ),
        ]
    return lines


def _md_sample(facts: TableFacts) -> list[str]:
    sample = facts.sample
    if sample is None:
        return []
    lines = ["## Sample", ""]
    if isinstance(sample, Unknown):
        return [*lines, f"Unknown: {md(sample.reason, 300)}", ""]
    d = sample.distribution
    if d.items == 0:
        return [*lines, "The table is empty.", ""]
    lines.append(
        f"{d.items:,} items, {kb(d.bytes)}, {d.partitions:,} partition keys "
        f"({d.mean_items_per_partition:.1f} items each on average), mean item {kb(d.mean_item_size)}, "
        f"skew (Gini of items per key) {d.gini:.2f}."
        + (
            ""
            if sample.complete
            else " The sample is read from the start of each segment, so it holds whole item collections "
            "from a few places in the key space: partition figures are lower bounds."
        )
    )
    lines += _md_census(sample)
    lines += ["", "### Item sizes", ""]
    lines += _md_table(
        ["Size", "Items", "Share"],
        [[b.label, f"{b.items:,}", pct(b.items / d.items)] for b in d.histogram if b.items],
    )
    sk = facts.schema.key.sort_key
    lines += ["", "### Largest items", ""]
    header = ["Partition key", *(["Sort key"] if sk else []), "Size", "Of 400 KB"]
    lines += _md_table(
        header,
        [
            [
                md(x.partition_key, 50),
                *([md(x.sort_key or "", 50)] if sk else []),
                kb(x.size),
                pct(x.share_of_limit),
            ]
            for x in d.largest_items[:5]
        ],
    )
    lines += ["", "### Partitions by item count", ""]
    lines += _md_table(
        ["Partition key", "Items", "Share", "Bytes"],
        [[md(p.key, 50), f"{p.items:,}", pct(p.share_items), kb(p.bytes)] for p in d.top_by_items[:5]],
    )
    lines += ["", "### Partitions by size", ""]
    lines += _md_table(
        ["Partition key", "Bytes", "Share", "Items"],
        [[md(p.key, 50), kb(p.bytes), pct(p.share_bytes), f"{p.items:,}"] for p in d.top_by_bytes[:5]],
    )
    if d.collections:
        lines += ["", "### Item collections (LSI: 10 GB limit)", ""]
        lines += _md_table(
            ["Partition key", "Items + LSI entries", "Of 10 GB"],
            [
                [md(p.key, 50), kb(p.bytes), f"{100 * p.bytes / COLLECTION_LIMIT:.4f}%"]
                for p in d.collections[:5]
            ],
        )
    t = sample.ttl
    if t is not None:
        lines += ["", f"### Time to live ({md(t.attribute)})", ""]
        lines += _md_table(
            ["State", "Items"],
            [
                ["expired, not yet deleted", f"{t.expired:,}"],
                ["expires later", f"{t.live:,}"],
                ["no TTL attribute", f"{t.missing:,}"],
                ["not a number (ignored)", f"{t.not_number:,}"],
                ["in milliseconds (never expire)", f"{t.millis:,}"],
            ],
        )
    lines.append("")
    return lines
