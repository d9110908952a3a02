"""The item editor: the item as JSON in a TextArea, checked as you type, or in ``$EDITOR``.

The text is DynamoDB JSON by default (``{"tags": {"SS": [...]}, "n": {"N": "123…"}, "b": {"B": base64}}``)
so sets stay sets, binary stays binary and numbers keep every digit; plain JSON is offered only for items
without sets or binary, which it cannot express. ``ctrl+s`` hands the parsed item to ``on_save`` (the
write controller shows the diff and writes); the editor stays open until the write succeeds, so a
conflict can reload the current item into it.

Untrusted text: values are put in the editor as valid JSON whose control, escape and bidi characters are
``\\uXXXX`` escapes — the same value, nothing a terminal acts on.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import subprocess
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from ddbtui.core.capacity import format_units, item_size, write_units
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import av_to_ddb_json, av_to_plain_json, number_text, safe_text, to_av
from ddbtui.core.writes import Item, check_item, diff_items, items_equal, key_of, key_text
from ddbtui.ui.external import run_on_file
from ddbtui.ui.widgets.diff_view import summary

_TAGS = ("S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M")
LARGE_TEXT = 50_000  # above this, validation waits for a pause in typing


class EditError(ValueError):
    """Why the editor's text is not a writable item (a sentence with the line/column or attribute path)."""


# --------------------------------------------------------------------------------------------- text


@cache
def _json_escapes() -> dict[int, str]:
    # Every character safe_text would make visible, as a JSON escape: valid JSON, the same value.
    table = {}
    for cp in [*range(0x80, 0xA0), 0x7F, *range(0x600, 0x700), *range(0x2000, 0x2100), 0xFEFF]:
        if safe_text(chr(cp)) != chr(cp):
            table[cp] = f"\\u{cp:04x}"
    return table


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(ensure_ascii=False)``, whose strings hold no raw C0 character) with
    the remaining terminal-unsafe characters turned into ``\\uXXXX`` escapes."""
    return text.translate(_json_escapes())


def _compact(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def item_text(item: Item, *, ddb_json: bool) -> str:
    """The item for the editor: one attribute per line, each value compact, terminal-safe, exact."""
    if ddb_json:
        lines = [f"  {_compact(name)}: {_compact(av_to_ddb_json(av))}" for name, av in item.items()]
    else:
        lines = [f"  {_compact(name)}: {av_to_plain_json(av)}" for name, av in item.items()]
    return json_safe("{\n" + ",\n".join(lines) + "\n}\n" if lines else "{\n}\n")


def has_sets_or_binary(item: Item | dict[str, Any]) -> bool:
    """True when plain JSON cannot hold the item: a set or binary value anywhere in it."""
    for av in item.values():
        ((tag, value),) = av.items()
        if tag in ("SS", "NS", "BS", "B"):
            return True
        if tag == "M" and has_sets_or_binary(value):
            return True
        if tag == "L" and any(has_sets_or_binary({"": v}) for v in value):
            return True
    return False


# --------------------------------------------------------------------------------------------- parsing


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise EditError(f"{json.dumps(k, ensure_ascii=False)} appears twice in one object")
        out[k] = v
    return out


def _number(value: Any, where: str) -> str:
    if isinstance(value, Decimal):
        value = str(value)
    if not isinstance(value, str):
        raise EditError(f'{where}: a number is written as text, e.g. {{"N": "42"}}')
    try:
        number_text(value.strip())
    except UsageError as e:
        raise EditError(f"{where}: {e}") from None
    return value.strip()


def _binary(value: Any, where: str) -> bytes:
    if not isinstance(value, str):
        raise EditError(f"{where}: binary is written as base64 text")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise EditError(f"{where}: {value[:20]!r} is not base64") from None


def _unique(values: list[Any], key: Callable[[Any], Any], where: str) -> None:
    if not values:
        raise EditError(f"{where}: DynamoDB stores no empty sets (remove the attribute instead)")
    if len({key(v) for v in values}) != len(values):
        raise EditError(f"{where}: a set holds each value once")


def ddb_av(obj: Any, where: str) -> dict[str, Any]:
    """One AttributeValue from DynamoDB JSON, checked the way DynamoDB checks it; EditError names ``where``."""
    if not isinstance(obj, dict) or len(obj) != 1:
        raise EditError(f'{where}: expected one type and its value, e.g. {{"S": "text"}} or {{"N": "1"}}')
    ((tag, value),) = obj.items()
    if tag not in _TAGS:
        raise EditError(f"{where}: unknown type {json.dumps(tag)} (one of {', '.join(_TAGS)})")
    if tag == "S":
        if not isinstance(value, str):
            raise EditError(f'{where}: S holds text in quotes, e.g. {{"S": "text"}}')
        return {"S": value}
    if tag == "N":
        return {"N": _number(value, where)}
    if tag == "B":
        return {"B": _binary(value, where)}
    if tag == "BOOL":
        if not isinstance(value, bool):
            raise EditError(f"{where}: BOOL is true or false")
        return {"BOOL": value}
    if tag == "NULL":
        if value is not True:
            raise EditError(f'{where}: NULL is written {{"NULL": true}}')
        return {"NULL": True}
    if tag in ("SS", "NS", "BS", "L"):
        if not isinstance(value, list):
            raise EditError(f"{where}: {tag} holds a JSON list [ … ]")
        if tag == "SS":
            if not all(isinstance(v, str) for v in value):
                raise EditError(f"{where}: SS holds only strings")
            _unique(value, lambda v: v, where)
            return {"SS": list(value)}
        if tag == "NS":
            numbers = [_number(v, where) for v in value]
            _unique(numbers, Decimal, where)
            return {"NS": numbers}
        if tag == "BS":
            blobs = [_binary(v, where) for v in value]
            _unique(blobs, lambda v: v, where)
            return {"BS": blobs}
        return {"L": [ddb_av(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    if not isinstance(value, dict):
        raise EditError(f"{where}: M holds a JSON object {{ … }}")
    return {"M": {k: ddb_av(v, f"{where}.{k}") for k, v in value.items()}}


def parse_editor_text(text: str, *, ddb_json: bool, schema: TableSchema | None = None) -> Item:
    """The editor's text as an item; EditError says where it is wrong (line and column for bad JSON,
    the attribute path for a bad value, and DynamoDB's own refusals: key, empty set, 400 KB)."""
    try:
        obj = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as e:
        raise EditError(f"line {e.lineno}, column {e.colno}: {e.msg}") from None
    if not isinstance(obj, dict):
        raise EditError("the item is a JSON object: { … }")
    if ddb_json:
        item = {name: ddb_av(av, name) for name, av in obj.items()}
    else:
        try:
            item = {name: to_av(value) for name, value in obj.items()}
        except UsageError as e:
            raise EditError(str(e)) from None
    if schema is not None:
        try:
            check_item(item, schema)
        except UsageError as e:
            raise EditError(str(e)) from None
    return item


# --------------------------------------------------------------------------------------------- screen

SaveHandler = Callable[["EditScreen", Item], None]


class EditScreen(ModalScreen[None]):
    """Edit one item (``base``: the item as read) or write a new one (``base`` None).

    ``on_save(screen, item)`` is called with the parsed item on ``ctrl+s``; the caller dismisses the
    screen once the write is done, or calls ``reload`` after a conflict.
    """

    DEFAULT_CSS = """
    #edit-dialog { height: 90%; }
    #edit-text { height: 1fr; }
    #edit-title, #edit-hint { text-wrap: nowrap; text-overflow: ellipsis; }
    #edit-status { height: auto; max-height: 3; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Review + save", id="edit.save", tooltip="Show the diff, then write"),
        Binding("ctrl+o", "external", "$EDITOR", id="edit.external", tooltip="Edit the JSON in $EDITOR"),
        Binding("f2", "toggle_format", "JSON form", id="edit.format", tooltip="DynamoDB JSON ⇄ plain JSON"),
        Binding("escape", "close", "Cancel", id="edit.cancel", tooltip="Close the editor, writing nothing"),
    ]

    def __init__(
        self,
        schema: TableSchema,
        base: Item | None,
        on_save: SaveHandler,
        *,
        initial: Item | None = None,
        ddb_json: bool = True,
    ) -> None:
        super().__init__()
        self.schema = schema
        self.base = base
        self.on_save = on_save
        self.ddb_json = ddb_json
        self.parsed: Item | None = None
        self.error: str | None = None
        self._initial = initial if initial is not None else base or {}
        self._saved_text = ""  # the text as loaded: escape asks before dropping changes to it
        self._validate_timer: Any = None

    # --- layout ---

    def compose(self) -> ComposeResult:
        with Vertical(id="edit-dialog", classes="dialog"):
            yield Static(self._title(), id="edit-title")
            yield Static(self._hint(), id="edit-hint")
            yield TextArea(
                item_text(self._initial, ddb_json=self.ddb_json),
                language="json",
                soft_wrap=True,
                show_line_numbers=True,
                tab_behavior="focus",  # "indent" would swallow escape
                compact=True,
                id="edit-text",
            )
            yield Static("", id="edit-status")
            yield Footer()

    def _title(self) -> Text:
        table = safe_text(self.schema.name)
        if self.base is None:
            return Text(f"New item · {table} (put: only if no item has this key)", style="bold")
        key = safe_text(key_text(key_of(self.base, self.schema)))
        return Text(f"Edit · {table} · {key}", style="bold", no_wrap=True, overflow="ellipsis")

    def _hint(self) -> Text:
        if self.ddb_json:
            text = 'DynamoDB JSON: {"S": "x"} {"N": "1"} {"SS": ["x"]} {"B": "base64"} {"M": {}}'
        else:
            text = "plain JSON: numbers exact; no sets, no binary (f2: DynamoDB JSON)"
        return Text(text, style="dim", no_wrap=True, overflow="ellipsis")

    def on_mount(self) -> None:
        area = self.text_area
        area.cursor_blink = False
        area.focus()
        self._saved_text = area.text
        self._validate()

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#edit-text", TextArea)

    # --- validation ---

    @on(TextArea.Changed, "#edit-text")
    def _changed(self) -> None:
        if self._validate_timer is not None:
            self._validate_timer.stop()
            self._validate_timer = None
        if len(self.text_area.text) > LARGE_TEXT:
            self._validate_timer = self.set_timer(0.3, self._validate)
        else:
            self._validate()

    def _validate(self) -> None:
        self._validate_timer = None
        try:
            self.parsed = parse_editor_text(self.text_area.text, ddb_json=self.ddb_json, schema=self.schema)
            self.error = None
        except EditError as e:
            self.parsed, self.error = None, str(e)
        self.query_one("#edit-status", Static).update(self._status())

    def _status(self) -> Text:
        if self.error is not None:
            return Text("✗ " + safe_text(self.error), style="bold red")
        item = self.parsed or {}
        out = Text("✓ ", style="bold green")
        size = item_size(item)
        cost = write_units(self.base, item, self.schema)
        out.append(f"{size:,} B · ~{format_units(cost.total)} WCU")
        if self.base is None:
            out.append(" · new item")
            return out
        if not items_equal(key_of(self.base, self.schema), key_of(item, self.schema)):
            out.append(" · key changed: ctrl+s offers copy to the new key + delete", style="bold yellow")
            return out
        out.append(" · " + summary(diff_items(self.base, item)))
        return out

    # --- actions ---

    def action_save(self) -> None:
        self._validate()
        if self.parsed is None:
            self.notify(safe_text(self.error or "the item is not valid"), severity="error", markup=False)
            return
        self.on_save(self, self.parsed)

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from ddbtui.ui.screens.write_screens import ConfirmScreen

        def chosen(choice: str | None) -> None:
            if choice == "discard":
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen(
                "Discard your changes?",
                [Text("The item is not written; your changes to the text are lost.")],
                [("discard", "Discard", "error")],
                cancel_label="Keep editing",
            ),
            chosen,
        )

    @property
    def dirty(self) -> bool:
        """Whether the text holds changes that escape would lose (another JSON form of the same item
        is no change)."""
        if self.text_area.text == self._saved_text:
            return False
        return self.parsed is None or not items_equal(self.parsed, self._initial)

    def action_toggle_format(self) -> None:
        self._validate()
        if self.parsed is None:
            self.notify("fix the JSON first, then switch its form", severity="warning", markup=False)
            return
        if self.ddb_json and has_sets_or_binary(self.parsed):
            self.notify(
                "plain JSON cannot hold this item: it has a set or binary value, which plain JSON would "
                "turn into a list or text. It stays DynamoDB JSON",
                severity="warning",
                markup=False,
                timeout=6,
            )
            return
        self.ddb_json = not self.ddb_json
        self._replace_text(item_text(self.parsed, ddb_json=self.ddb_json))
        self.query_one("#edit-hint", Static).update(self._hint())
        self._validate()

    def _replace_text(self, text: str) -> None:
        area = self.text_area
        area.replace(text, area.document.start, area.document.end)  # one undo step, not a reset
        area.move_cursor((0, 0))

    def reload(self, current: Item | None) -> None:
        """After a conflict: ``current`` (the item as it is now) becomes the base and the text; None (the
        item was deleted) keeps the text and turns the edit into a new item."""
        self.base = current
        if current is not None:
            form = self.ddb_json or has_sets_or_binary(current)
            self.ddb_json = form
            self._replace_text(item_text(current, ddb_json=form))
            self._initial, self._saved_text = current, self.text_area.text
            self.query_one("#edit-hint", Static).update(self._hint())
            self.query_one("#edit-title", Static).update(self._title())
        self._validate()

    def action_external(self) -> None:
        """Edit the text in ``$VISUAL`` / ``$EDITOR``: a 0600 temp file, deleted afterwards."""
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify(
                "no editor: set $EDITOR (e.g. export EDITOR=vim) to edit the item in your own editor",
                severity="warning",
                markup=False,
                timeout=6,
            )
            return
        try:
            text = run_external_editor(self.app, editor, self.text_area.text)
        except SuspendNotSupported:
            self.notify("this terminal cannot hand over to an editor", severity="warning", markup=False)
            return
        except (OSError, ValueError, subprocess.SubprocessError) as e:
            self.notify(safe_text(f"the editor failed: {e}"), severity="error", markup=False)
            return
        if text is None:
            self.notify("the editor exited with an error: the text is unchanged", markup=False)
            return
        if text != self.text_area.text:
            self._replace_text(text)
        self._validate()


def run_external_editor(app: Any, editor: str, text: str) -> str | None:
    """``text`` edited in ``editor`` with the app suspended (``ui.external.run_on_file``); None when the
    editor exits with an error."""
    return run_on_file(app, editor, text, read_back=True)[1]
