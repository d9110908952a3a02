"""The create-table form (#14): what ``ddbtui create-table`` takes, field by field.

Keys and indexes use the command line's own spec syntax, parsed by ``core.admin.specs`` (``pk:S[,sk:N]``;
GSIs ``NAME=pk:S[,sk:S][:ALL|:KEYS_ONLY|:INCLUDE=a+b]``, LSIs ``NAME=sk:N[:projection]``, several indexes
separated by spaces); the CreateTable request is ``core.admin.TableDesign.params()``, checked by
``validate_create``. A field that does not parse is marked and its error shown under the form; nothing
is planned until every field is right. ctrl+s (or enter in a field) dismisses with a ``NewTable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Footer, Input, Label, Select, Static

from ddbtui.core.errors import UsageError
from ddbtui.core.values import safe_text

STREAMS = ["off", "NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"]
CLASSES = ["STANDARD", "STANDARD_INFREQUENT_ACCESS"]

# (field id, label, placeholder)
TEXT_FIELDS = [
    ("ct-name", "Table name", "Orders"),
    ("ct-key", "Key", "pk:S[,sk:N]"),
    ("ct-provisioned", "Provisioned", "RCU,WCU (empty: on-demand)"),
    ("ct-gsi", "GSIs", "NAME=pk:S[,sk:S][:ALL|:KEYS_ONLY|:INCLUDE=a+b] …"),
    ("ct-lsi", "LSIs", "NAME=sk:N[:projection] …"),
    ("ct-ttl", "TTL attribute", "expiresAt (empty: off)"),
]


@dataclass(frozen=True)
class NewTable:
    """The form's result: CreateTable's parameters, then what ``plan_create`` adds after it."""

    params: dict[str, Any]
    ttl: str | None = None
    pitr: bool = False

    @property
    def name(self) -> str:
        return str(self.params["TableName"])


def new_table(values: dict[str, Any]) -> NewTable:
    """The form's values (by field id) as a ``NewTable``; a ``UsageError`` whose ``args[1]`` is the id of
    the field at fault (None when the whole request is at fault)."""
    from ddbtui.core import admin as core

    def field(fid: str, parse: Any) -> Any:
        try:
            return parse()
        except UsageError as e:
            raise UsageError(str(e), fid) from e

    text = {k: str(values.get(k) or "").strip() for k, *_ in TEXT_FIELDS}
    if not text["ct-name"]:
        raise UsageError("give the table a name", "ct-name")
    if not text["ct-key"]:
        raise UsageError("give its key: pk:S, or pk:S,sk:N for a sort key too", "ct-key")
    key = field("ct-key", lambda: core.parse_key(text["ct-key"], "key"))
    prov = field("ct-provisioned", lambda: core.parse_throughput(text["ct-provisioned"], "provisioned")
                 if text["ct-provisioned"] else None)  # fmt: skip
    gsis = field("ct-gsi", lambda: [core.parse_gsi(s) for s in text["ct-gsi"].split()])
    lsis = field("ct-lsi", lambda: [core.parse_lsi(s, key) for s in text["ct-lsi"].split()])
    stream = values.get("ct-stream")
    cls = values.get("ct-class")
    design = core.TableDesign(
        name=text["ct-name"],
        key=key,
        gsis=gsis,
        lsis=lsis,
        provisioned=prov,
        stream=None if stream in (None, "off", Select.BLANK) else str(stream),
        deletion_protection=bool(values.get("ct-protect")),
        table_class=None if cls in (None, "STANDARD", Select.BLANK) else str(cls),
    )
    params = field("ct-name", design.params)  # validate_create: names, attribute types, index limits
    return NewTable(params, ttl=text["ct-ttl"] or None, pitr=bool(values.get("ct-pitr")))


class CreateTableScreen(ModalScreen[NewTable | None]):
    """Dismissed with the new table's ``NewTable`` (to plan), or None (escape)."""

    DEFAULT_CSS = """
    CreateTableScreen #ct-dialog { height: auto; max-height: 100%; }
    CreateTableScreen #ct-form { height: auto; max-height: 16; }
    CreateTableScreen .ct-row { height: 1; }
    CreateTableScreen .ct-row Label { width: 16; }
    CreateTableScreen .ct-row Input, CreateTableScreen .ct-row Select { width: 1fr; }
    CreateTableScreen Checkbox { border: none; height: 1; padding: 0; }
    CreateTableScreen .-invalid-field { background: $error 30%; }
    CreateTableScreen #ct-error { height: auto; color: $error; }
    """

    BINDINGS = [
        Binding("ctrl+s", "submit", "Plan", id="create_table.submit", tooltip="Create-table form: plan it"),
        Binding("escape", "cancel", "Cancel", id="create_table.cancel", tooltip="Create-table form: close"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="ct-dialog", classes="dialog"):
            yield Static(Text("Create a table", style="bold"))
            with VerticalScroll(id="ct-form"):
                for fid, label, hint in TEXT_FIELDS:
                    with Horizontal(classes="ct-row"):
                        yield Label(label)
                        yield Input(placeholder=hint, id=fid, compact=True)
                with Horizontal(classes="ct-row"):
                    yield Label("Stream")
                    yield Select([(s, s) for s in STREAMS], value="off", allow_blank=False,
                                 id="ct-stream", compact=True)  # fmt: skip
                with Horizontal(classes="ct-row"):
                    yield Label("Table class")
                    yield Select([(c, c) for c in CLASSES], value="STANDARD", allow_blank=False,
                                 id="ct-class", compact=True)  # fmt: skip
                yield Checkbox("Deletion protection", id="ct-protect")
                yield Checkbox("Point-in-time recovery (PITR)", id="ct-pitr")
            yield Static(Text(""), id="ct-error")
            yield Static(Text("ctrl+s plan · escape cancel · indexes: several, separated by spaces",
                              style="dim"))  # fmt: skip
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ct-name", Input).focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {fid: self.query_one(f"#{fid}", Input).value for fid, *_ in TEXT_FIELDS}
        out["ct-stream"] = self.query_one("#ct-stream", Select).value
        out["ct-class"] = self.query_one("#ct-class", Select).value
        out["ct-protect"] = self.query_one("#ct-protect", Checkbox).value
        out["ct-pitr"] = self.query_one("#ct-pitr", Checkbox).value
        return out

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        for w in self.query(".-invalid-field"):
            w.remove_class("-invalid-field")
        try:
            result = new_table(self.values())
        except UsageError as e:
            fid = e.args[1] if len(e.args) > 1 else None
            self.query_one("#ct-error", Static).update(Text("✗ " + safe_text(str(e.args[0]))))
            if fid:
                w = self.query_one(f"#{fid}")
                w.add_class("-invalid-field")
                w.focus()
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


class DropTableScreen(ModalScreen[bool]):
    """Dropping ``table``: the user types its name; True only when it matches exactly (enter)."""

    DEFAULT_CSS = """
    DropTableScreen #drop-dialog { height: auto; }
    DropTableScreen #drop-error { height: auto; color: $error; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="drop_table.cancel", tooltip="Drop table: keep it")]

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        with Vertical(id="drop-dialog", classes="dialog"):
            yield Static(Text(f"Drop table {safe_text(self.table)}", style="bold red"))
            yield Static(Text("This deletes the table and every item, and cannot be undone. "
                              "Type the table's name to go on to its plan."))  # fmt: skip
            yield Input(placeholder=safe_text(self.table), id="drop-name")
            yield Static(Text(""), id="drop-error")
            yield Footer()

    def on_mount(self) -> None:
        self.query_one("#drop-name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value != self.table:
            self.query_one("#drop-error", Static).update(
                Text("✗ the name does not match: type it exactly, or escape")
            )
            return
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
