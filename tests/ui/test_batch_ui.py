"""Multi-select in the results and the batch actions on it — delete (checked + undo, conflicts, fast),
export of the selection, and the import dialog — driven by keys through Pilot at 80x24 against the real
moto server; every outcome is checked on the server."""

from __future__ import annotations

import os
import stat

import pytest
from textual.widgets import Checkbox, Input, Select

from ddbtui.aws.export import ExportSpec, run_export
from ddbtui.core.values import item_to_plain_json
from ddbtui.core.writes import items_equal
from ddbtui.ui.screens.batch_screens import BatchProgressScreen, ExportSelectionScreen, ImportScreen
from ddbtui.ui.screens.write_screens import ConfirmScreen
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle, wait_until
from tests.ui.screen import screen_text

SIZE = (80, 24)


def item(i: int) -> dict:
    return {
        "pk": {"S": f"P#{i}"},
        "sk": {"S": "A"},
        "n": {"N": str(i)},
        "note": {"S": f"note {i}"},
        "tags": {"SS": ["x", f"t{i}"]},
    }


ITEMS = [item(i) for i in range(6)]


@pytest.fixture
def six(moto_client, table_name):
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, ITEMS)
    return table_name


def stored(client, table: str, it: dict) -> dict | None:
    key = {"pk": it["pk"], "sk": it["sk"]}
    return client.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")


def messages(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def opened(pilot) -> None:
    await settle(pilot, 3)
    pilot.app.results.focus()
    await pilot.pause()


async def batch_done(pilot) -> BatchProgressScreen:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, BatchProgressScreen) and not app.screen.running)
    await settle(pilot)
    return app.screen


async def test_select_marks_rows_and_counts_them(make_app, six):
    app = make_app(table=six)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        before = screen_text(app)
        assert "selected" not in before
        await pilot.press("space", "space", "space")
        assert app.results.selected == {0, 1, 2} and app.results.cursor_row == 3
        shown = screen_text(app)
        assert "3 selected" in shown
        lines = [line for line in shown.splitlines() if "P#" in line]
        marked = [line for line in lines if "│* " in line]  # a character in the gutter, not colour alone
        assert len(marked) == 3, shown
        await pilot.press("up", "space")  # unselect row 2
        assert app.results.selected == {0, 1} and "2 selected" in screen_text(app)
        await pilot.press("ctrl+a")
        assert app.results.selected == set(range(6)) and "6 selected" in screen_text(app)
        await pilot.press("ctrl+u")
        assert not app.results.selected and "selected" not in screen_text(app)
        await pilot.press("space")
        await pilot.press("ctrl+r")  # a new request clears the selection
        await settle(pilot)
        assert not app.results.selected and "selected" not in screen_text(app)
        titles = {c.title for c in app.palette_commands()}
        for title in (
            "Select / unselect the row",
            "Select all loaded rows",
            "Clear the selection",
            "Delete the selected items…",
            "Export the selected items to a file…",
            "Import JSON Lines into this table…",
        ):
            assert title in titles
        keys = {k for _t, rows in app.key_sections() for k, _d in rows}
        assert {"space", "ctrl+a", "ctrl+u", "D", "X"} <= keys


async def test_delete_checked_then_undo_restores_the_selection(make_app, six, moto_client):
    app = make_app(table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("space", "space", "space")
        chosen = [dict(app.results.rows[r]) for r in (0, 1, 2)]
        others = [dict(app.results.rows[r]) for r in (3, 4, 5)]
        await pilot.press("D")
        assert isinstance(app.screen, ConfirmScreen)
        shown = screen_text(app)
        assert "Delete 3 selected items?" in shown and six in shown and "WCU" in shown
        assert app.screen.focused.id == "choice-cancel"  # enter alone deletes nothing
        await pilot.press("right", "enter")  # the first choice: checked
        screen = await batch_done(pilot)
        assert (
            "deleted 3 of 3" in screen.summary and "0 conflicts" in screen.summary and "WCU" in screen.summary
        )
        for it in chosen:
            assert stored(moto_client, six, it) is None
        for it in others:
            assert items_equal(stored(moto_client, six, it), it)
        assert app.results.deleted == {0, 1, 2} and not app.results.selected
        assert app.ledger.totals().write_units >= 3
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, ConfirmScreen) and "Undo the last 3 writes?" in screen_text(app)
        await pilot.press("right", "enter")
        await settle(pilot, 3)
        for it in chosen + others:
            assert items_equal(stored(moto_client, six, it), it)
        assert not app.results.deleted
        assert "3 writes restored" in messages(app)


async def test_delete_checked_keeps_an_item_changed_since_it_was_read(make_app, six, moto_client):
    app = make_app(table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("space", "space", "space")
        chosen = [dict(app.results.rows[r]) for r in (0, 1, 2)]
        changed = chosen[1]
        # someone else writes one of them after the app listed it
        moto_client.update_item(
            TableName=six,
            Key={"pk": changed["pk"], "sk": changed["sk"]},
            UpdateExpression="SET note = :v",
            ExpressionAttributeValues={":v": {"S": "THEIRS"}},
        )
        await pilot.press("D", "right", "enter")
        screen = await batch_done(pilot)
        assert "deleted 2 of 3" in screen.summary and "1 conflict (kept)" in screen.summary
        assert any("kept (conflict)" in line and changed["pk"]["S"] in line for line in screen.report)
        assert "kept (conflict)" in screen_text(app)
        assert stored(moto_client, six, chosen[0]) is None and stored(moto_client, six, chosen[2]) is None
        assert stored(moto_client, six, changed)["note"] == {"S": "THEIRS"}  # never overwritten
        assert app.results.rows[1]["note"] == {"S": "THEIRS"}  # the row shows it as it is now
        assert app.results.selected == {1} and app.results.deleted == {0, 2}


async def test_delete_selected_refused_while_read_only_sends_nothing(make_app, recorder, six, moto_client):
    app = make_app(client=recorder, table=six)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("space", "space")
        before = list(recorder.sent)
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen | BatchProgressScreen)
        assert recorder.sent == before
        said = messages(app)
        assert "--allow-writes" in said and "ctrl+w" in said
        for it in ITEMS:
            assert items_equal(stored(moto_client, six, it), it)


async def test_delete_fast_uses_batch_write_and_cannot_be_undone(make_app, recorder, six, moto_client):
    app = make_app(client=recorder, table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+a", "D")
        assert "Fast (no undo)" in screen_text(app)
        await pilot.press("right", "right", "enter")
        screen = await batch_done(pilot)
        assert "deleted 6 of 6" in screen.summary and "0 failed" in screen.summary
        assert "BatchWriteItem" in recorder.sent and "DeleteItem" not in recorder.sent
        for it in ITEMS:
            assert stored(moto_client, six, it) is None
        assert app.results.deleted == set(range(6))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "cannot be undone" in messages(app)


async def test_delete_projected_rows_says_it_checks_only_what_was_read(make_app, six, moto_client):
    app = make_app(table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        app.builder.query_one("#qb-project", Input).value = "pk, sk, n"
        await pilot.press("ctrl+r")
        await settle(pilot)
        app.results.focus()
        await pilot.press("space")
        row = dict(app.results.rows[0])
        assert set(row) == {"pk", "sk", "n"}
        await pilot.press("D")
        assert "projection" in screen_text(app)
        await pilot.press("right", "enter")
        screen = await batch_done(pilot)
        assert "deleted 1 of 1" in screen.summary
        assert stored(moto_client, six, row) is None
        await pilot.press("escape", "ctrl+z", "right", "enter")
        await settle(pilot, 3)
        full = next(it for it in ITEMS if it["pk"] == row["pk"])
        assert items_equal(stored(moto_client, six, full), full)  # undo restores the whole item


async def test_export_selection_writes_what_ddbtui_export_writes(make_app, six, moto_client, tmp_path):
    app = make_app(table=six)  # read-only: an export needs no write permission
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("space", "down", "space")
        picked = [app.results.rows[0], app.results.rows[2]]
        await pilot.press("X")
        screen = app.screen
        assert isinstance(screen, ExportSelectionScreen)
        out = tmp_path / "sel.jsonl"
        screen.query_one("#export-sel-path", Input).value = str(out)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.written is not None)
        assert out.read_text(encoding="utf-8") == "".join(item_to_plain_json(it) + "\n" for it in picked)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        # an existing file is refused unless overwrite is ticked
        out.write_text("keep")
        screen.written = None
        await pilot.press("enter")
        await settle(pilot)
        assert out.read_text() == "keep" and "exists" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # every row, as CSV and DynamoDB JSON: the same bytes as `ddbtui export` of the table
        await pilot.press("ctrl+a")
        for fmt in ("csv", "ddb-json"):
            await pilot.press("X")
            screen = app.screen
            mine, theirs = tmp_path / f"mine.{fmt}", tmp_path / f"theirs.{fmt}"
            mine.write_text("old")
            os.chmod(mine, 0o644)
            screen.query_one("#export-sel-path", Input).value = str(mine)
            screen.query_one("#export-sel-format", Select).value = fmt
            screen.query_one("#export-sel-overwrite", Checkbox).value = True
            await pilot.pause()
            screen.query_one("#export-sel-path", Input).focus()
            await pilot.press("enter")
            await wait_until(pilot, lambda s=screen: s.written is not None)
            run_export(moto_client, ExportSpec(table=six, out=str(theirs), fmt=fmt))
            assert mine.read_bytes() == theirs.read_bytes(), fmt
            assert stat.S_IMODE(mine.stat().st_mode) == 0o600
            await pilot.press("escape")
            await pilot.pause()


async def _open_import(pilot) -> ImportScreen:
    app = pilot.app
    command = next(c for c in app.palette_commands() if c.title == "Import JSON Lines into this table…")
    command.callback()
    await pilot.pause()
    assert isinstance(app.screen, ImportScreen)
    return app.screen


async def test_import_dialog_checks_the_file_then_writes_it(make_app, six, moto_client, tmp_path):
    new = [
        {"pk": {"S": f"NEW#{i}"}, "sk": {"S": "B"}, "n": {"N": "12345678901234567890.5"}} for i in range(30)
    ]
    plain = tmp_path / "items.jsonl"
    plain.write_text("".join(item_to_plain_json(it) + "\n" for it in new) + "\n")
    app = make_app(table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        screen = await _open_import(pilot)
        screen.query_one("#import-path", Input).value = str(plain)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.items is not None)
        assert "30 items read and checked" in screen_text(app) and "WCU" in screen_text(app)
        assert stored(moto_client, six, new[0]) is None  # checked, nothing sent yet
        await pilot.press("enter")
        done = await batch_done(pilot)
        assert "imported 30 of 30" in done.summary and "0 failed" in done.summary
        for it in new:
            assert items_equal(stored(moto_client, six, it), it)
        assert app.ledger.totals().write_units >= 30
        await pilot.press("escape")
        await pilot.pause()
        # DynamoDB JSON lines: one new item and one whose key exists. As `ddbtui import` (#21 item 3), the
        # existing item is skipped and left as it is, never replaced
        from ddbtui.core.values import item_to_ddb_json

        existing = stored(moto_client, six, ITEMS[0])
        clash = dict(ITEMS[0], note={"S": "REPLACED"}, blob={"B": b"\x00\xff"})
        fresh = {"pk": {"S": "FRESH"}, "sk": {"S": "B"}, "blob": {"B": b"\x00\xff"}}
        ddb = tmp_path / "items.ddb.jsonl"
        ddb.write_text(item_to_ddb_json(clash) + "\n" + item_to_ddb_json(fresh) + "\n")
        screen = await _open_import(pilot)
        screen.query_one("#import-format", Select).value = "ddb-json"
        screen.query_one("#import-path", Input).value = str(ddb)
        screen.query_one("#import-path", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.items is not None)
        await pilot.press("enter")
        done = await batch_done(pilot)
        assert "imported 1 of 2" in done.summary and "1 skipped (the key exists" in done.summary
        assert items_equal(stored(moto_client, six, clash), existing)
        assert items_equal(stored(moto_client, six, fresh), fresh)
        await pilot.press("escape")
        await pilot.pause()
        # the import is one journal group: ctrl+z takes back what it wrote, and only that
        await pilot.press("ctrl+z", "right", "enter")
        await settle(pilot)
        assert stored(moto_client, six, fresh) is None
        assert items_equal(stored(moto_client, six, clash), existing)


async def test_import_bad_line_sends_nothing(make_app, recorder, six, moto_client, tmp_path):
    good = {"pk": {"S": "GOOD"}, "sk": {"S": "B"}}
    bad = tmp_path / "bad.jsonl"
    bad.write_text(item_to_plain_json(good) + '\n{"pk": "X", "sk": \n')
    nokey = tmp_path / "nokey.jsonl"
    nokey.write_text(item_to_plain_json(good) + '\n{"other": 1}\n')
    app = make_app(client=recorder, table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        before = list(recorder.sent)
        screen = await _open_import(pilot)
        for path, said in ((bad, "line 2"), (nokey, "item 2"), (tmp_path / "missing.jsonl", "No such file")):
            screen.query_one("#import-path", Input).value = str(path)
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen.error is not None)
            shown = screen_text(app)
            assert said in screen.error and "nothing was sent" in screen.error
            assert said in shown, shown
            await pilot.press("enter")  # still refused: the file is read again
            await wait_until(pilot, lambda: screen.error is not None)
            assert isinstance(app.screen, ImportScreen)
        assert recorder.sent == before
        assert stored(moto_client, six, good) is None


async def test_import_refused_while_read_only(make_app, six):
    app = make_app(table=six)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        command = next(c for c in app.palette_commands() if c.title == "Import JSON Lines into this table…")
        command.callback()
        await pilot.pause()
        assert not isinstance(app.screen, ImportScreen)
        assert "ctrl+w" in messages(app)


async def test_escape_cancels_a_checked_delete_between_items(make_app, slow_client, six, moto_client):
    app = make_app(client=slow_client, table=six, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("space", "space", "space")
        chosen = [dict(app.results.rows[r]) for r in (0, 1, 2)]
        await pilot.press("D")
        slow_client.gate.close()  # the first DeleteItem is held on the wire
        await pilot.press("right", "enter")
        await wait_until(pilot, slow_client.gate.entered.is_set)
        assert isinstance(app.screen, BatchProgressScreen)
        await pilot.press("escape")
        assert app.screen.cancel.is_set() and app.screen.running
        slow_client.gate.open()
        screen = await batch_done(pilot)
        assert "deleted 1 of 3" in screen.summary and "2 not sent (cancelled)" in screen.summary
        assert stored(moto_client, six, chosen[0]) is None
        for it in chosen[1:]:
            assert items_equal(stored(moto_client, six, it), it)
        assert app.results.deleted == {0} and app.results.selected == {1, 2}


async def test_undo_of_a_large_selection_shows_the_first_writes_and_restores_all(
    make_app, moto_client, table_name
):
    from ddbtui.ui.write_actions import UNDO_SHOWN

    many = [item(i) for i in range(UNDO_SHOWN + 5)]
    create_table(moto_client, table_name)
    put_items(moto_client, table_name, many)
    app = make_app(table=table_name, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+a")  # every loaded row: the first page (25)
        await pilot.pause()
        chosen = list(app.results.rows)
        assert len(chosen) == len(app.results.selected) == UNDO_SHOWN + 5
        await pilot.press("D")
        await pilot.press("right", "enter")  # checked
        screen = await batch_done(pilot)
        assert f"deleted {len(chosen)} of {len(chosen)}" in screen.summary
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.pause()
        text = screen_text(app)
        assert f"Undo the last {len(chosen)} writes?" in text
        dialog = app.screen.query_one("#undo-dialog")
        from ddbtui.ui.widgets.diff_view import DiffView

        assert len(dialog.query(DiffView)) == UNDO_SHOWN  # not one per write of the group
        body = " ".join(str(s.render()) for s in dialog.query("Static"))
        assert "… and 5 more writes of this group" in body
        await pilot.press("right", "enter")
        await settle(pilot, 3)
        for it in chosen:
            assert items_equal(stored(moto_client, table_name, it), it)
