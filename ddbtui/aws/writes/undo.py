"""Undo: take back the latest group of journaled writes, each conditional on the item being unchanged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ddbtui.aws.journal import Journal, _journal
from ddbtui.aws.writes.common import _endpoint
from ddbtui.aws.writes.single import WriteResult, execute, read_item
from ddbtui.core.capacity import Ledger
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.writes import (
    JournalRecord,
    WriteConflict,
    WritePolicy,
    items_equal,
    key_text,
    transition_request,
)
from ddbtui.core.writes.journal import item_digest


@dataclass
class UndoResult:
    """What an undo did: the records it took back, the writes it made, and those refused because the
    item changed since (each with the item as it is now)."""

    records: list[JournalRecord]
    results: list[WriteResult] = field(default_factory=list)
    conflicts: list[tuple[JournalRecord, WriteConflict]] = field(default_factory=list)
    unchanged: list[JournalRecord] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts


def check_undoable(records: list[JournalRecord], client: Any) -> None:
    """Raise UsageError unless ``records`` can be undone through ``client``: same endpoint and region as
    the writes (undo must not land in another account or emulator), and old images known."""
    endpoint, region = _endpoint(client), client.meta.region_name
    for r in records:
        if (r.endpoint or "").rstrip("/") != endpoint or r.region != region:
            raise UsageError(
                f"the last write ({r.operation} {r.table} {key_text(r.key)}) went to {r.endpoint} in {r.region}; "
                f"this connection is {endpoint} in {region}. Connect there to undo it"
            )
        if not r.old_known:
            raise UsageError(
                f"the last write ({r.operation} {r.table}) was a batch write: DynamoDB returns no old images "
                "for those, so it cannot be undone"
            )


def undo_last(
    client: Any,
    journal: Journal,
    *,
    policy: WritePolicy,
    schema_for: Callable[[str], TableSchema] | None = None,
    ledger: Ledger | None = None,
    prefer_estimate: bool = False,
) -> UndoResult:
    """Take back the latest group of writes in ``journal``: put each old image back (or delete the item
    when there was none), each conditional on the item still being exactly the journaled new image (a
    consistent read plus the write's condition). The undo is journaled; undoing again steps further back.
    """
    records = journal.claim_undo()  # read and marked under the undo claim (#21 item 2)
    if not records:
        raise UsageError(f"nothing to undo: the journal ({journal.path}) has no write left to undo")
    check_undoable(records, client)
    for r in records:
        policy.check(r.table)
    if schema_for is None:
        from ddbtui.aws.catalog import load_schema

        def schema_for(table: str) -> TableSchema:
            return load_schema(client, table)

    schemas: dict[str, TableSchema] = {}
    result = UndoResult(records)
    group = f"undo-{records[0].group}"
    for r in records:
        if r.table not in schemas:
            schemas[r.table] = schema_for(r.table)
    digested = [r for r in records if r.new_digest is not None]
    if digested:
        # an import: one key each (the import refuses a key twice), so the order does not matter and
        # they are taken back in parallel, as they were written
        from concurrent.futures import ThreadPoolExecutor

        from ddbtui.aws.writes.importer import IMPORT_WORKERS

        def one(r: JournalRecord) -> None:
            _undo_digested(
                client, journal, r, schemas[r.table], result, group, policy, ledger, prefer_estimate
            )

        with ThreadPoolExecutor(max_workers=IMPORT_WORKERS, thread_name_prefix="ddbtui-undo") as pool:
            for _ in pool.map(one, digested):
                pass
    for r in reversed(records):
        schema = schemas[r.table]
        if r.new_digest is not None:
            continue
        if items_equal(r.old, r.new):
            # the write changed nothing; mark it undone so the next undo goes further back
            _journal(journal, JournalRecord(r.table, r.key, "undo", r.new, r.old, {}, _endpoint(client),
                                            client.meta.region_name, group=group, undoes=r.id))  # fmt: skip
            result.unchanged.append(r)
            continue
        request = transition_request(schema, r.new, r.old, precheck=True)
        try:
            result.results.append(
                execute(
                    client,
                    request,
                    schema,
                    policy=policy,
                    journal=journal,
                    ledger=ledger,
                    prefer_estimate=prefer_estimate,
                    group=group,
                    undoes=r.id,
                )  # fmt: skip
            )
        except WriteConflict as e:
            result.conflicts.append((r, e))
    return journal.release_undo(result)


def _undo_digested(
    client: Any,
    journal: Journal,
    r: JournalRecord,
    schema: TableSchema,
    result: UndoResult,
    group: str,
    policy: WritePolicy,
    ledger: Ledger | None,
    prefer_estimate: bool,
) -> None:
    """Undo a write journaled with a digest of its new image (an import): read the item, and only while
    its digest is still the journaled one, write the old image back (or delete the item) on the condition
    that it is exactly the item read. The undo's own record is as small as the import's."""
    current = read_item(client, schema, r.key, ledger=ledger, prefer_estimate=prefer_estimate)
    if current is None or item_digest(current) != r.new_digest:
        what = "was deleted" if current is None else "changed"
        result.conflicts.append(
            (
                r,
                WriteConflict(
                    f"undo import {r.table} {key_text(r.key)}: the item {what} since it was imported", current
                ),
            )  # fmt: skip
        )
        return
    record = JournalRecord(r.table, r.key, "undo", None, r.old, {}, _endpoint(client), client.meta.region_name,
                           group=group, undoes=r.id)  # fmt: skip
    if items_equal(current, r.old):  # the import wrote what was there: nothing to take back
        _journal(journal, record)
        result.unchanged.append(r)
        return
    request = transition_request(schema, current, r.old)
    try:
        res = execute(client, request, schema, policy=policy, ledger=ledger, prefer_estimate=prefer_estimate)
    except WriteConflict as e:
        result.conflicts.append((r, e))
        return
    _journal(journal, record)
    res.record = record
    result.results.append(res)
