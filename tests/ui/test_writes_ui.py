"""Writes in the workbench, driven by keys through Pilot at 80x24 against the real moto server: read-only
by default, the confirmed toggle, the editor's round trip, conflicts, put / update / delete / rekey, undo,
$EDITOR, and hostile values in the diff and conflict screens."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from ddbtui.core.writes import items_equal
from ddbtui.ui.screens.edit_screen import EditScreen, item_text, parse_editor_text
from ddbtui.ui.screens.item_screen import ItemScreen
from ddbtui.ui.screens.write_screens import ConfirmScreen, ConflictScreen, DiffScreen, UpdateScreen
from tests.conftest import create_table
from tests.ui.conftest import settle
from tests.ui.screen import screen_text, terminal_bytes

SIZE = (80, 24)
BIG = "12345678901234567890123456789012345678"  # 38 digits: a float would lose most of them


def rich_item(pk: str = "A") -> dict:
    return {
        "pk": {"S": pk},
        "status": {"S": "OPEN"},
        "tags": {"SS": ["blue", "red"]},
        "blob": {"B": b"\x00\x01\xfe\xff"},
        "big": {"N": BIG},
        "sizes": {"NS": ["1", "2.5"]},
        "address": {"M": {"city": {"S": "Oslo"}, "zip": {"N": "150"}}},
    }


@pytest.fixture
def items_table(moto_client, table_name):
    create_table(moto_client, table_name, sk=None)
    moto_client.put_item(TableName=table_name, Item=rich_item())
    return table_name


def current(client, table: str, pk: str = "A") -> dict | None:
    return client.get_item(TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")


async def opened(pilot) -> None:
    await settle(pilot, 3)
    pilot.app.results.focus()
    await pilot.pause()


def messages(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


async def edit_text(pilot, old: str, new: str) -> None:
    area = pilot.app.screen.text_area
    assert old in area.text, area.text
    area.replace(area.text.replace(old, new, 1), area.document.start, area.document.end)
    await pilot.pause()


async def test_writes_refused_while_read_only_send_nothing(make_app, recorder, items_table, moto_client):
    app = make_app(client=recorder, table=items_table)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert "READ-ONLY" in screen_text(app)
        before = list(recorder.sent)
        for key in ("e", "u", "delete", "i", "ctrl+z"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, EditScreen | UpdateScreen | ConfirmScreen)
        app.results.action_open_item()  # and from the item view
        await pilot.pause()
        assert isinstance(app.screen, ItemScreen)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ItemScreen)
        assert recorder.sent == before  # not even the read an edit starts with
        said = messages(app)
        assert "--allow-writes" in said and "ctrl+w" in said
        assert items_equal(current(moto_client, items_table), rich_item())


async def test_toggle_asks_first_and_turns_the_badge_red(make_app, items_table):
    app = make_app(table=items_table)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        badge = app.query_one("#status-badge")
        await pilot.press("ctrl+w")
        assert isinstance(app.screen, ConfirmScreen)
        assert app.screen.focused.id == "choice-cancel"  # enter alone turns nothing on
        await pilot.press("enter")
        await pilot.pause()
        assert not app.writes.policy.enabled and "READ-ONLY" in screen_text(app)
        await pilot.press("ctrl+w", "escape")
        await pilot.pause()
        assert not app.writes.policy.enabled
        await pilot.press("ctrl+w", "right", "enter")  # "Only <this table>"
        await pilot.pause()
        assert app.writes.policy.allows(items_table) and not app.writes.policy.allows("Other")
        assert f"WRITES: {items_table}" in screen_text(app)
        assert badge.has_class("-writes")
        await pilot.press("ctrl+w")  # off: at once
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
        assert "READ-ONLY" in screen_text(app) and not badge.has_class("-writes")
        await pilot.press("ctrl+w", "right", "right", "enter")  # "All tables"
        await pilot.pause()
        assert "WRITES ON" in screen_text(app) and app.writes.policy.allows("Other")
        titles = {c.title for c in app.palette_commands()}
        assert "Writes: turn off (read-only)" in titles and "Undo the last write" in titles


async def test_allow_writes_flag_names_tables(make_app, items_table):
    app = make_app(table=items_table, allow_writes=f"{items_table},Other")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        assert f"WRITES: Other, {items_table}" in screen_text(app)


def test_allow_writes_on_the_command_line():
    from ddbtui.cli import build_parser

    assert build_parser().parse_args([]).allow_writes is None
    assert build_parser().parse_args(["--allow-writes"]).allow_writes == "*"
    assert build_parser().parse_args(["--allow-writes=A,B"]).allow_writes == "A,B"


async def test_edit_round_trip_keeps_sets_binary_and_38_digit_numbers(make_app, items_table, moto_client):
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, EditScreen)
        text = app.screen.text_area.text
        assert '"tags": {"SS": ["blue", "red"]}' in text and f'"big": {{"N": "{BIG}"}}' in text
        assert '"blob": {"B": "AAH+/w=="}' in text
        await pilot.press("f2")  # plain JSON would turn the set into a list: refused, with the reason
        await pilot.pause()
        assert app.screen.ddb_json and "set or binary" in messages(app)
        await edit_text(pilot, '"status": {"S": "OPEN"}', '"status": {"S": "DONE"}')
        assert "1 changed" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DiffScreen)
        shown = screen_text(app)
        assert '~ status  "OPEN" → "DONE"' in shown and "WCU" in shown
        assert app.screen.focused.id == "choice-back"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen | DiffScreen)
        expected = dict(rich_item(), status={"S": "DONE"})
        stored = current(moto_client, items_table)
        assert items_equal(stored, expected)
        assert stored["big"] == {"N": BIG} and stored["blob"] == {"B": b"\x00\x01\xfe\xff"}
        assert set(stored["tags"]["SS"]) == {"blue", "red"} and "NS" in stored["sizes"]
        assert app.results.rows[0]["status"] == {"S": "DONE"}  # the row shows the write
        assert app.ledger.totals().write_units >= 1 and "WCU" in screen_text(app)
        assert "WCU" in messages(app)
        journal = Path(os.environ["DDBTUI_DATA_DIR"]) / "journal.jsonl"
        assert stat.S_IMODE(journal.stat().st_mode) == 0o600


async def test_edit_conflict_shows_the_other_write_and_overwrites_nothing(make_app, items_table, moto_client):
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, EditScreen)
        # someone else writes the item after the app read it
        moto_client.update_item(
            TableName=items_table,
            Key={"pk": {"S": "A"}},
            UpdateExpression="SET #s = :v",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":v": {"S": "THEIRS"}},
        )
        await edit_text(pilot, '"status": {"S": "OPEN"}', '"status": {"S": "MINE"}')
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        shown = screen_text(app)
        assert "nothing was written" in shown and '"THEIRS"' in shown
        assert current(moto_client, items_table)["status"] == {"S": "THEIRS"}
        await pilot.press("right", "enter")  # reload the current item into the editor
        await pilot.pause()
        assert app.screen is editor
        assert '"status": {"S": "THEIRS"}' in editor.text_area.text
        assert editor.base["status"] == {"S": "THEIRS"}


async def test_delete_asks_first_and_undo_restores_it(make_app, items_table, moto_client):
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("enter", "delete")  # from the item view too
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen | ItemScreen)
        await pilot.press("delete")
        assert isinstance(app.screen, ConfirmScreen)
        assert '"pk": "A"' in screen_text(app)  # the key it would delete
        assert app.screen.focused.id == "choice-cancel"
        await pilot.press("escape")
        await settle(pilot)
        assert current(moto_client, items_table) is not None
        await pilot.press("delete", "enter")  # enter on Cancel: nothing either
        await settle(pilot)
        assert current(moto_client, items_table) is not None
        await pilot.press("delete", "right", "enter")
        await settle(pilot)
        assert current(moto_client, items_table) is None
        assert 0 in app.results.deleted
        await pilot.press("e")  # a deleted row cannot be edited
        await settle(pilot)
        assert not isinstance(app.screen, EditScreen)
        await pilot.press("ctrl+z")
        assert isinstance(app.screen, ConfirmScreen)
        assert "delete" in screen_text(app) and "Undo the last write?" in screen_text(app)
        await pilot.press("right", "enter")
        await settle(pilot)
        assert items_equal(current(moto_client, items_table), rich_item())
        assert 0 not in app.results.deleted
        assert "undone" in messages(app)


async def test_update_previews_the_new_image_and_writes_it(make_app, items_table, moto_client):
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, UpdateScreen)
        await pilot.press(*"SET big = big +")
        await pilot.pause()
        assert "column" in screen_text(app)  # incomplete: the error points at the column
        box = app.screen.query_one("#update-expr", Input)
        box.value += " 1 REMOVE address.zip ADD tags <<'green'>>"
        await pilot.pause()
        shown = screen_text(app)
        assert f"~ big  {BIG} →" in shown and f"{BIG[:-1]}9" in shown
        assert "- address.zip" in shown and "WCU" in shown
        await pilot.press("enter")
        await settle(pilot)
        stored = current(moto_client, items_table)
        assert stored["big"] == {"N": BIG[:-1] + "9"}
        assert set(stored["tags"]["SS"]) == {"blue", "red", "green"}
        assert "zip" not in stored["address"]["M"]
        assert app.results.rows[0]["big"] == {"N": BIG[:-1] + "9"}


async def test_new_item_put_creates_only(make_app, items_table, moto_client):
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("i")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditScreen) and editor.base is None
        assert '"pk": {"S": "A"}' in editor.text_area.text  # the key, prefilled from the cursor's row
        await edit_text(pilot, '"pk": {"S": "A"}', '"pk": {"S": "B"}, "n": {"N": "1"}')
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert current(moto_client, items_table, "B") == {"pk": {"S": "B"}, "n": {"N": "1"}}
        # the same key again: refused, the existing item shown
        await pilot.press("i")
        await pilot.pause()
        await edit_text(pilot, '"pk": {"S": "A"}', '"pk": {"S": "B"}, "n": {"N": "2"}')
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        assert current(moto_client, items_table, "B")["n"] == {"N": "1"}


async def test_key_change_offers_a_rekey_transaction_and_undo_takes_it_back(
    make_app, items_table, moto_client
):
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        await edit_text(pilot, '"pk": {"S": "A"}', '"pk": {"S": "Z"}')
        assert "key changed" in screen_text(app)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        assert "The key changed" in screen_text(app)
        await pilot.press("right", "enter")
        await settle(pilot)
        assert current(moto_client, items_table) is None
        assert items_equal(current(moto_client, items_table, "Z"), rich_item("Z"))
        assert 0 in app.results.deleted  # the old key is gone
        await pilot.press("ctrl+z", "right", "enter")
        await settle(pilot)
        assert items_equal(current(moto_client, items_table), rich_item())
        assert 0 not in app.results.deleted
        assert current(moto_client, items_table, "Z") is None


async def test_external_editor_round_trip_and_missing_editor(make_app, items_table, tmp_path, monkeypatch):
    script = tmp_path / "fake-editor"
    seen = tmp_path / "seen"
    script.write_text(
        f"#!{sys.executable}\nimport os, stat, sys\np = sys.argv[1]\n"
        f"open({str(seen)!r}, 'w').write(p + ' ' + oct(stat.S_IMODE(os.stat(p).st_mode)))\n"
        "t = open(p).read().replace('OPEN', 'EDITED')\nopen(p, 'w').write(t)\n"
    )
    script.chmod(0o700)
    app = make_app(table=items_table, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        monkeypatch.delenv("VISUAL", raising=False)
        monkeypatch.delenv("EDITOR", raising=False)
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert "$EDITOR" in messages(app)
        monkeypatch.setenv("EDITOR", str(script))
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)  # headless: no terminal to hand over
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert '"status": {"S": "EDITED"}' in app.screen.text_area.text
        path, mode = seen.read_text().split()
        assert mode == "0o600" and not Path(path).exists()


async def test_hostile_values_render_literally_in_diff_and_conflict(make_app, moto_client, table_name):
    esc, osc52 = "\x1b[2J\x1b[31mred", "\x1b]52;c;aGVsbG8=\x07"
    create_table(moto_client, table_name, sk=None)
    hostile = {
        "pk": {"S": "H"},
        "v": {"S": esc},
        "[@click=app.quit]": {"S": "[/x] \x9b31m \u202e"},
        "esc\x1bname": {"N": "1"},
    }
    moto_client.put_item(TableName=table_name, Item=hostile)
    app = make_app(table=table_name, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        text = app.screen.text_area.text
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
        assert "\\u001b[2J" in text and "\\u009b" in text and "\\u202e" in text  # JSON escapes: same value
        assert items_equal(parse_editor_text(text, ddb_json=True), hostile)
        await edit_text(pilot, '"v": {"S": "\\u001b[2J\\u001b[31mred"}', '"v": {"S": "calm"}')
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown, raw = screen_text(app), terminal_bytes(app)
        assert '"\\u001b[2J\\u001b[31mred" → "calm"' in shown  # JSON's escapes, as in the editor
        assert "\x1b[2J" not in raw and "\x1b[31mred" not in raw
        await pilot.press("escape")
        moto_client.update_item(
            TableName=table_name,
            Key={"pk": {"S": "H"}},
            UpdateExpression="SET #a = :v",
            ExpressionAttributeNames={"#a": "[@click=app.quit]"},
            ExpressionAttributeValues={":v": {"S": osc52}},
        )
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictScreen)
        shown, raw = screen_text(app), terminal_bytes(app)
        assert "\\u001b]52;c;aGVsbG8=\\u0007" in shown and "[@click=app.quit]" in shown
        assert "\\x9b31m" in shown and "\\u202e" in shown
        assert "\x1b]52" not in raw and "\x1b" not in shown
        assert app.is_running


async def test_plain_json_form_for_items_without_sets_or_binary(make_app, moto_client, table_name):
    create_table(moto_client, table_name, sk=None)
    moto_client.put_item(
        TableName=table_name, Item={"pk": {"S": "P"}, "n": {"N": BIG}, "l": {"L": [{"S": "x"}]}}
    )
    app = make_app(table=table_name, allow_writes=True)
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        editor = app.screen
        assert not editor.ddb_json and f'"n": {BIG}' in editor.text_area.text
        await edit_text(pilot, f'"n": {BIG}', '"n": 1.50,')
        assert "line" in screen_text(app) and "column" in screen_text(app)  # bad JSON: where
        await edit_text(pilot, '"n": 1.50,', '"n": 1.50')
        assert editor.parsed["n"] == {"N": "1.50"} and editor.parsed["l"] == {"L": [{"S": "x"}]}


def test_editor_text_parses_back_to_the_same_item():
    item = rich_item()
    for form in (True,):
        assert items_equal(parse_editor_text(item_text(item, ddb_json=form), ddb_json=form), item)
    plain = {"pk": {"S": "A"}, "n": {"N": BIG}, "m": {"M": {"x": {"NULL": True}, "b": {"BOOL": False}}}}
    assert items_equal(parse_editor_text(item_text(plain, ddb_json=False), ddb_json=False), plain)
    for bad, why in (
        ('{"a": {"N": "x"}}', "a:"),
        ('{"a": {"SS": []}}', "empty sets"),
        ('{"a": {"SS": ["x", "x"]}}', "once"),
        ('{"a": {"B": "***"}}', "base64"),
        ('{"a": {"Q": 1}}', "unknown type"),
        ('{"a": {"S": "x"}, "a": {"S": "y"}}', "twice"),
        ('{\n  "a": }', "line 2, column 8"),
    ):
        with pytest.raises(ValueError, match=why):
            parse_editor_text(bad, ddb_json=True)


async def test_f1_and_palette_list_the_write_keys(make_app, items_table):
    app = make_app(table=items_table)
    async with app.run_test(size=(100, 80)) as pilot:
        await opened(pilot)
        rows = [r for _title, section in app.key_sections() for r in section]
        keys = {k for k, _ in rows}
        for key in ("ctrl+w", "ctrl+z", "e", "u", "i", "delete", "ctrl+s", "ctrl+o", "f2"):
            assert key in keys, key
        titles = {c.title for c in app.palette_commands()}
        for title in (
            "Writes: turn on…",
            "Edit the item",
            "New item (put)",
            "Delete the item",
            "Undo the last write",
        ):
            assert title in titles
        buttons = app.query(Button)
        assert not buttons  # no dialog open
        assert not app.query(Input).filter("#update-expr")
