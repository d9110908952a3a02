"""``ddbtui model import-workbench --create``: a NoSQL Workbench model's tables created and its sample items
put, through ddbtui's own paths — each table's CreateTable plan (``core.admin.plan_create``) sent by
``aws.admin.execute`` (journaled in the admin journal, waiting for ACTIVE), then its items put by
``aws.writes.import_items`` (conditional puts, journaled as one group: ``ddbtui undo`` takes them back).
The conversion itself is ``ddbtui.core.model.workbench`` (pure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ddbtui.aws.admin import admin_journal, execute
from ddbtui.aws.catalog import load_schema
from ddbtui.aws.journal import Journal
from ddbtui.aws.writes import import_items
from ddbtui.aws.writes.importer import check_items
from ddbtui.core.admin import plan_create
from ddbtui.core.errors import UsageError
from ddbtui.core.model.workbench import Workbench
from ddbtui.core.writes import WritePolicy


@dataclass
class Loaded:
    table: str
    created: bool
    items: int
    written: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    group: str | None = None


def create_and_load(
    client: Any,
    wb: Workbench,
    *,
    policy: WritePolicy,
    estimate_capacity: bool = False,
    poll: float = 0.2,
    say: Callable[[str], None] = lambda _t: None,
    journal: Journal | None = None,
) -> list[Loaded]:
    """Create every table of ``wb`` and put its items. Every table is checked against ``policy`` and its
    items against its key before the first call. UsageError/AdminError stop it where it is."""
    plans = [plan_create(t.params, region=client.meta.region_name) for t in wb.tables]
    for t in wb.tables:
        policy.check(t.name)
    out = []
    for t, plan in zip(wb.tables, plans, strict=True):
        say(f"creating {t.name}")
        execute(client, plan, policy=policy, journal=admin_journal(), poll=poll)
        loaded = Loaded(t.name, True, len(t.items))
        if t.items:
            schema = load_schema(client, t.name)
            try:
                check_items(t.items, schema)
            except UsageError as e:
                raise UsageError(f"{t.name}'s sample data: {e}") from None
            say(f"putting {len(t.items):,} items into {t.name}")
            result = import_items(client, schema, t.items, policy=policy, journal=journal or Journal(),
                                  prefer_estimate=estimate_capacity)  # fmt: skip
            loaded.written, loaded.skipped = result.written, len(result.skipped)
            loaded.failed = [f.reason for f in result.failed]
            loaded.group = result.group if result.written else None
        out.append(loaded)
    return out
