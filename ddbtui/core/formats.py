"""Output formats of the headless commands: jsonl, json, csv, ddb-json and a Rich table.

Items stay in AttributeValue form until written, so numbers keep every digit. The table form renders every
value through ``safe_text`` inside ``rich.text.Text``: nothing from a table is read as markup or reaches
the terminal as a control sequence.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from ddbtui.core.values import _SAFE as _SAFE_TABLE
from ddbtui.core.values import (
    Item,
    av_to_plain_json,
    display_av,
    item_to_ddb_json,
    item_to_plain_json,
    safe_text,
)

FORMATS = ("jsonl", "json", "table", "csv", "ddb-json")


def columns_for(items: Iterable[Item], key_attributes: Sequence[str] = ()) -> list[str]:
    """Key attributes first (in key order), then every other attribute seen, alphabetically (stable)."""
    seen: set[str] = set()
    for it in items:
        seen.update(it)
    keys = [k for k in key_attributes if k in seen]
    return keys + sorted(seen - set(keys))


def csv_cell(av: dict[str, Any] | None) -> str:
    """Scalars as their text, binary as base64, nested values and sets as JSON; missing is empty."""
    if av is None:
        return ""
    ((tag, v),) = av.items()
    if tag in ("S", "N"):
        return v
    if tag == "BOOL":
        return "true" if v else "false"
    if tag == "NULL":
        return "null"
    if tag == "B":
        return base64.b64encode(v if isinstance(v, bytes) else base64.b64decode(v)).decode()
    return av_to_plain_json(av)


# What CSV on stdout may not carry raw: ESC and the other C0 controls but tab and newline (CSV quotes
# a newline), DEL, C1 and the bidi controls. A lone CR is escaped too: csv.writer with "\n" line ends
# leaves it unquoted, and readers split the row there. Zero-width joiners stay: emoji need them.
_CSV_UNSAFE = {
    cp: _SAFE_TABLE[cp]
    for cp in [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        0x0D,
        *range(0x0E, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
}


def write_csv(
    out: TextIO, items: Sequence[Item], key_attributes: Sequence[str] = (), terminal_safe: bool = False
) -> None:
    """CSV with a header of every attribute. ``terminal_safe`` (the command line's stdout) writes escape,
    C1 and bidi characters as visible escapes (``\\e``), as the table does; files keep them exact."""
    cols = columns_for(items, key_attributes)
    w = csv.writer(out, lineterminator="\r\n")

    def safe(text: str) -> str:
        return text.translate(_CSV_UNSAFE) if terminal_safe else text

    w.writerow([safe(c) for c in cols])
    for it in items:
        w.writerow([safe(csv_cell(it.get(c))) for c in cols])


def write_item_line(out: TextIO, item: Item, fmt: str) -> None:
    out.write(item_to_ddb_json(item) if fmt == "ddb-json" else item_to_plain_json(item))
    out.write("\n")


def write_items(out: TextIO, items: Sequence[Item], fmt: str, key_attributes: Sequence[str] = ()) -> None:
    """Items as a file of ``ddbtui export``: ``jsonl`` (plain JSON lines), ``ddb-json`` (DynamoDB JSON
    lines) or ``csv`` (CRLF rows, key attributes first). ``out`` should be opened with ``newline=""``."""
    if fmt == "csv":
        write_csv(out, items, key_attributes)
        return
    if fmt not in ("jsonl", "ddb-json"):
        raise ValueError(f"unknown file format {fmt!r}")
    for it in items:
        write_item_line(out, it, fmt)


def plain_key(key: Item | None) -> Any:
    return None if key is None else json.loads(item_to_plain_json(key))


class JsonDocumentWriter:
    """The `--format json` object of DESIGN §2, streamed: items are written as pages arrive, the totals
    (which are known only at the end) after them. Memory stays flat however many items there are."""

    def __init__(self, out: TextIO, render: Callable[[Item], str] = item_to_plain_json) -> None:
        """``render`` writes one item as plain JSON: ``item_to_plain_json`` or a faster equal (the
        fast path's ``plain_json_line``, tested byte-identical)."""
        self.out = out
        self.render = render
        self.n = 0
        out.write('{"items": [')

    def item(self, item: Item) -> None:
        self.out.write(",\n  " if self.n else "\n  ")
        self.out.write(self.render(item))
        self.n += 1

    def items(self, items: Sequence[Item]) -> None:
        """A page of items in one write."""
        if not items:
            return
        lead = ",\n  " if self.n else "\n  "
        self.out.write(lead + ",\n  ".join([self.render(it) for it in items]))
        self.n += len(items)

    def close(
        self,
        count: int,
        scanned_count: int,
        pages: Sequence[dict[str, Any]],
        consumed_capacity: dict[str, Any] | None,
        last_evaluated_key: Item | str | None,
    ) -> None:
        self.out.write("\n]" if self.n else "]")
        head = {
            "count": count,
            "scanned_count": scanned_count,
            "pages": list(pages),
            "consumed_capacity": consumed_capacity,
        }
        for k, v in head.items():
            self.out.write(f", {json.dumps(k)}: {json.dumps(v)}")
        if isinstance(last_evaluated_key, str):  # PartiQL: the NextToken (what --start-key takes)
            lek = json.dumps(last_evaluated_key)
        else:
            lek = "null" if last_evaluated_key is None else item_to_plain_json(last_evaluated_key)
        self.out.write(f', "last_evaluated_key": {lek}}}\n')


def json_document(
    items: Sequence[Item],
    count: int,
    scanned_count: int,
    pages: Sequence[dict[str, Any]],
    consumed_capacity: dict[str, Any] | None,
    last_evaluated_key: Item | str | None,
) -> str:
    """The whole `--format json` object as one string (see JsonDocumentWriter)."""
    buf = io.StringIO()
    w = JsonDocumentWriter(buf)
    for it in items:
        w.item(it)
    w.close(count, scanned_count, pages, consumed_capacity, last_evaluated_key)
    return buf.getvalue()


def rich_table(items: Sequence[Item], key_attributes: Sequence[str] = (), width: int = 40) -> Any:
    """A Rich Table of items; every header and cell is a ``Text`` of terminal-safe characters."""
    from rich.table import Table
    from rich.text import Text

    cols = columns_for(items, key_attributes)
    table = Table(show_lines=False, header_style="bold")
    for c in cols:
        table.add_column(Text(safe_text(c)), overflow="fold" if c in key_attributes else "ellipsis")
    for it in items:
        table.add_row(*[Text(display_av(it[c], width)) if c in it else Text("") for c in cols])
    return table
