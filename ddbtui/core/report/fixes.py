"""The report's fixes as table changes: a finding that has one maps to the ``AlterRequest`` that
``ddbtui alter`` would send (so its plan, journal and undo are alter's own), by the finding's stable ID.

``ddbtui report TABLE --fix ID`` and the workbench apply them; the IDs are those the report prints
(``pitr-off``, ``deletion-protection-off``, ``ttl-off-candidate``, ``autoscaling-off``,
``gsi-write-capacity``, ``gsi-empty:NAME``). Pure: stdlib and ``ddbtui.core`` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ddbtui.core.admin.alter import AlterRequest
from ddbtui.core.admin.specs import Autoscaling
from ddbtui.core.report.model import Finding, SampleFacts, TableFacts

AUTOSCALING_TARGET = 70  # the console's default target utilisation, and the report's suggestion


@dataclass(frozen=True)
class Fix:
    """A finding's fix: the change to make, and what it does in one line."""

    finding_id: str
    summary: str
    request: AlterRequest


def _ttl_candidate(facts: TableFacts) -> str | None:
    sample = facts.sample if isinstance(facts.sample, SampleFacts) else None
    if sample is None or not sample.ttl_candidates:
        return None
    return sorted(sample.ttl_candidates.items(), key=lambda kv: -kv[1])[0][0]


def _gsi_write_capacity(facts: TableFacts) -> dict[str, tuple[int, int]]:
    """Every GSI with less write capacity than the table: its read capacity kept, its writes raised."""
    pt = facts.table.get("ProvisionedThroughput") or {}
    rcu, wcu = pt.get("ReadCapacityUnits") or 0, pt.get("WriteCapacityUnits") or 0
    out: dict[str, tuple[int, int]] = {}
    for g in facts.table.get("GlobalSecondaryIndexes") or []:
        gpt = g.get("ProvisionedThroughput") or {}
        gw = gpt.get("WriteCapacityUnits")
        if gw is not None and wcu and gw < wcu:
            out[str(g["IndexName"])] = (int(gpt.get("ReadCapacityUnits") or rcu or 1), int(wcu))
    return out


def fix_for(facts: TableFacts, finding: Finding) -> Fix | None:
    """The change that fixes ``finding`` on the table of ``facts``, or None when it has none ddbtui can
    make (a recommendation to act on the data, a finding that only informs)."""
    fid = finding.id
    if fid == "pitr-off":
        return Fix(fid, "turn point-in-time recovery on", AlterRequest(pitr=True))
    if fid == "deletion-protection-off":
        return Fix(fid, "turn deletion protection on", AlterRequest(deletion_protection=True))
    if fid == "ttl-off-candidate":
        attr = _ttl_candidate(facts)
        return None if attr is None else Fix(fid, f"turn TTL on for {attr!r}", AlterRequest(ttl=attr))
    if fid == "autoscaling-off":
        pt = facts.table.get("ProvisionedThroughput") or {}
        rcu, wcu = int(pt.get("ReadCapacityUnits") or 1), int(pt.get("WriteCapacityUnits") or 1)
        lo, hi = max(1, min(rcu, wcu) // 2), max(10, max(rcu, wcu) * 4)
        scaling = Autoscaling(lo, hi, AUTOSCALING_TARGET)
        return Fix(
            fid,
            f"auto scale table and GSIs between {lo} and {hi} units at {AUTOSCALING_TARGET}% utilisation",
            AlterRequest(autoscaling=scaling),
        )
    if fid == "gsi-write-capacity":
        own = _gsi_write_capacity(facts)
        if not own:
            return None
        names = ", ".join(sorted(own))
        return Fix(fid, f"give {names} the table's write capacity", AlterRequest(gsi_throughput=own))
    if fid.startswith("gsi-empty:"):
        name = fid.partition(":")[2]
        return Fix(fid, f"drop the empty GSI {name}", AlterRequest(drop_gsis=[name]))
    return None


def fixable(facts: TableFacts, found: list[Finding]) -> dict[str, Fix]:
    """The findings of ``found`` that have a fix, by ID (the report's order)."""
    out: dict[str, Fix] = {}
    for f in found:
        fx = fix_for(facts, f)
        if fx is not None:
            out.setdefault(f.id, fx)
    return out


__all__ = ["AUTOSCALING_TARGET", "Fix", "fix_for", "fixable"]
