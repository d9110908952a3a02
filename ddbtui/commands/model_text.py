"""``ddbtui model check``'s text output: the sample and the templates' fit, then one row per pattern (✓ ⚠ ✗,
operation, index, RCU per call, at its rate RCU/s and $/month) with one line of why, and the advisor's
fix under a pattern that has one. Everything that can hold table data is escaped for the terminal."""

from __future__ import annotations

from typing import Any

from ddbtui.core.capacity import format_cost, format_units
from ddbtui.core.model.check import MARK, templates_note
from ddbtui.core.values import safe_text


def _rcu(v: Any) -> str:
    if v.rcu is None:
        return "—"
    return f"{'~' if v.rcu_estimated else ''}{format_units(round(v.rcu, 2))}"


def check_text(result: Any, path: str) -> str:
    out: list[str] = [f"Model {path}"]
    for name, sample in result.samples.items():
        read = sample.read_text() if sample is not None else "no sample read"
        out.append(f"  {name}: {read}")
        for line in templates_note(result.model, result.fits.get(name), result.model_tables.get(name, name)):
            out.append(f"    {line}")
    out.append("")
    rows = [("", "pattern", "operation", "index", "RCU/call", "rate", "RCU/s", "$/month")]
    for v in result.verdicts:
        rate = f"{v.pattern.rate:g}/s" if v.pattern.rate else "—"
        per_s = format_units(round(v.rcu_per_s, 2)) if v.rcu_per_s is not None else "—"
        usd = format_cost(v.usd_month) if v.usd_month is not None else "—"
        rows.append((MARK[v.status], v.pattern.name, v.operation, v.index, _rcu(v), rate, per_s, usd))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    widths[1] = min(widths[1], 48)

    def fmt(r: tuple[str, ...]) -> str:
        cells = [
            r[0].ljust(widths[0]),
            r[1][: widths[1]].ljust(widths[1]),
            *(
                c.rjust(w) if i >= 2 else c.ljust(w)
                for i, (c, w) in enumerate(zip(r[2:], widths[2:], strict=True), 2)
            ),
        ]
        return "  " + "  ".join(cells).rstrip()

    out.append(fmt(rows[0]))
    for v, row in zip(result.verdicts, rows[1:], strict=True):
        out.append(fmt(row))
        out.append(f"      {v.why}")
        for note in v.notes:
            out.append(f"      note: {note}")
        if v.advice is not None:
            a = v.advice
            where = f" on {a.index}" if a.index else ""
            key = f": key {a.key_condition}" if a.key_condition else ""
            est = f" (~{format_units(round(a.estimated_rcu, 2))} RCU)" if a.estimated_rcu is not None else ""
            lead = "fix" if a.actionable else "advisor"
            out.append(f"      {lead}: {a.kind}{where}{key}{est} — {a.reason}")
    failed = sum(v.status == "fail" for v in result.verdicts)
    warned = sum(v.status == "warn" for v in result.verdicts)
    total = len(result.verdicts)
    out.append("")
    if failed:
        out.append(
            f"{failed} of {total} patterns are not served by a key read (✗); {warned} with warnings (⚠)"
        )
    else:
        out.append(
            f"all {total} patterns are served by key reads"
            + (f"; {warned} with warnings (⚠)" if warned else "")
        )
    if any(v.rcu_estimated for v in result.verdicts):
        out.append("~: ddbtui's estimate (the engine reports no capacity, or the pattern was not run)")
    return "\n".join(safe_text(line) for line in out) + "\n"
