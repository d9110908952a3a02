"""A plan: the API calls a change makes, in order, with what each waits for, what it costs or risks, the
equivalent ``aws`` command line, and how it is undone (or why it cannot be).

Every value in a plan is plain JSON (timestamps as ISO 8601 text, which boto3 accepts), so a plan can be
printed, journaled and sent as it is. Pure: stdlib only.
"""

from __future__ import annotations

import json
import re
import shlex
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

_KEBAB = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Wait:
    """What to wait for after a call: ``table-active``, ``index-active`` (``index`` set), ``index-gone``,
    ``table-gone``. The table is the one named here (a restore waits for the new table)."""

    kind: str
    table: str
    index: str | None = None

    def describe(self) -> str:
        return {
            "table-active": f"wait until {self.table} is ACTIVE",
            "index-active": f"wait until index {self.index} is ACTIVE (backfilled)",
            "index-gone": f"wait until index {self.index} is gone",
            "table-gone": f"wait until {self.table} is deleted",
        }.get(self.kind, self.kind)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "table": self.table, "index": self.index}

    @classmethod
    def from_json(cls, obj: dict[str, Any] | None) -> Wait | None:
        return None if not obj else cls(obj["kind"], obj["table"], obj.get("index"))


@dataclass(frozen=True)
class Step:
    """One API call of a plan.

    ``kind`` names the setting it changes (``ttl``, ``pitr``, ``billing``, ``deletion-protection``,
    ``gsi-create``, ...): the journal files the change under it. ``undo`` is the calls that reverse it
    (None: it cannot be undone, ``irreversible`` says why; an empty tuple: nothing to reverse).
    """

    operation: str  # DynamoDB's name: UpdateTable, UpdateTimeToLive, RegisterScalableTarget, ...
    params: dict[str, Any]
    summary: str
    service: str = "dynamodb"  # or "application-autoscaling"
    kind: str = ""
    table: str = ""
    wait: Wait | None = None
    undo: tuple[Step, ...] | None = ()
    irreversible: str | None = None
    mutates: bool = True  # False for reads a plan makes (none today; restore diffs read afterwards)

    @property
    def method(self) -> str:
        """boto3's method name: ``update_time_to_live``."""
        return _KEBAB.sub("_", self.operation).lower()

    def aws_cli(self) -> str:
        """The equivalent AWS CLI v2 command, every parameter spelled out."""
        words = ["aws", self.service, _KEBAB.sub("-", self.operation).lower()]
        for name, value in self.params.items():
            flag = "--" + _KEBAB.sub("-", name).lower()
            if isinstance(value, bool):
                words.append(flag if value else "--no-" + flag[2:])
                continue
            if isinstance(value, dict | list):
                text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            else:
                text = str(value)
            words += [flag, shlex.quote(text)]
        return " ".join(words)

    def to_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "service": self.service,
            "params": self.params,
            "summary": self.summary,
            "kind": self.kind,
            "table": self.table,
            "wait": self.wait.to_json() if self.wait else None,
            "undo": None if self.undo is None else [s.to_json() for s in self.undo],
            "irreversible": self.irreversible,
            "aws_cli": self.aws_cli(),
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> Step:
        undo = obj.get("undo")
        return cls(
            operation=obj["operation"],
            params=dict(obj.get("params") or {}),
            summary=obj.get("summary", ""),
            service=obj.get("service", "dynamodb"),
            kind=obj.get("kind", ""),
            table=obj.get("table", ""),
            wait=Wait.from_json(obj.get("wait")),
            undo=None if undo is None else tuple(cls.from_json(s) for s in undo),
            irreversible=obj.get("irreversible"),
        )

    def with_(self, **changes: Any) -> Step:
        return replace(self, **changes)


@dataclass
class Plan:
    """The calls of one change, in the order DynamoDB accepts them, with its risks and costs."""

    title: str
    table: str
    steps: list[Step] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    costs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def empty(self) -> bool:
        return not self.steps

    @property
    def irreversible(self) -> list[Step]:
        return [s for s in self.steps if s.undo is None]

    def undo_plan(self, done: list[Step] | None = None) -> Plan:
        """The plan that reverses ``done`` (default: every step), last change first; steps without an
        undo are left out and named in the notes."""
        steps = list(self.steps if done is None else done)
        out = Plan(f"undo: {self.title}", self.table)
        for s in reversed(steps):
            if s.undo is None:
                out.notes.append(f"cannot undo: {s.summary} ({s.irreversible or 'no inverse'})")
            else:
                out.steps.extend(s.undo)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "table": self.table,
            "steps": [s.to_json() for s in self.steps],
            "risks": self.risks,
            "costs": self.costs,
            "notes": self.notes,
        }

    def render(self) -> str:
        """The plan as text: numbered calls with their waits, the aws commands, costs, risks, notes."""
        lines = [f"Plan: {self.title}"]
        if not self.steps:
            lines.append("  nothing to change: the table already has these settings")
        for i, s in enumerate(self.steps, 1):
            flag = "  [cannot be undone]" if s.undo is None else ""
            lines.append(f"  {i}. {s.operation} — {s.summary}{flag}")
            if s.wait is not None:
                lines.append(f"     then {s.wait.describe()}")
            if s.irreversible:
                lines.append(f"     ! {s.irreversible}")
        if self.steps:
            lines.append("Equivalent AWS CLI:")
            lines.extend(f"  {s.aws_cli()}" for s in self.steps)
        for title, items in (("Costs", self.costs), ("Risks", self.risks), ("Notes", self.notes)):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  - {x}" for x in items)
        return "\n".join(lines) + "\n"
