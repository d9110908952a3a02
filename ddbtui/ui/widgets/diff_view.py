"""What a write changes: one line per added, removed or changed attribute path, old → new.

Values are data: each is shown in its JSON form (strings quoted, so ``"5"`` and ``5`` differ; sets in
braces; binary as ``<n B> base64``), made terminal-safe by ``safe_text`` and wrapped in ``Text``. A value
longer than ``VALUE_WIDTH`` is cut (the editor and the item view show it whole).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Static

from ddbtui.core.values import display_av, safe_text, truncate
from ddbtui.core.writes import Change

VALUE_WIDTH = 300
_MARK = {"added": ("+", "green"), "removed": ("-", "red"), "changed": ("~", "yellow")}


def value_text(av: dict[str, Any] | None, width: int = VALUE_WIDTH) -> str:
    """One value on one line, terminal-safe: strings in quotes, everything else as ``display_av`` does."""
    if av is None:
        return "(none)"
    if "S" in av:
        return truncate(safe_text(json.dumps(av["S"], ensure_ascii=False)), width)
    return display_av(av, width)


def summary(changes: Iterable[Change]) -> str:
    """``2 changed · 1 added · 1 removed`` (only the kinds present); ``no changes``."""
    counts = {"changed": 0, "added": 0, "removed": 0}
    for c in changes:
        counts[c.kind] += 1
    parts = [f"{n} {kind}" for kind, n in counts.items() if n]
    return " · ".join(parts) if parts else "no changes"


def diff_text(changes: list[Change], *, width: int = VALUE_WIDTH) -> Text:
    """The changes as literal text: ``~ status  "OPEN" → "SHIPPED"``, ``+ note  "x"``, ``- old  5``."""
    out = Text(no_wrap=False)
    if not changes:
        out.append("no changes", style="dim")
        return out
    for i, change in enumerate(changes):
        if i:
            out.append("\n")
        mark, style = _MARK[change.kind]
        out.append(f"{mark} ", style=f"bold {style}")
        out.append(safe_text(change.label), style="bold")
        out.append("  ")
        if change.kind == "added":
            out.append(value_text(change.new, width), style=style)
        elif change.kind == "removed":
            out.append(value_text(change.old, width), style=f"{style} strike")
        else:
            out.append(value_text(change.old, width), style="red")
            out.append(" → ", style="dim")
            out.append(value_text(change.new, width), style="green")
    return out


class DiffView(Static):
    """A diff between two images of an item (``diff_items`` changes), never parsed as markup."""

    DEFAULT_CSS = "DiffView { height: auto; }"

    def __init__(self, changes: list[Change] | None = None, *, id: str | None = None) -> None:
        super().__init__(diff_text(changes or []), markup=False, id=id)
        self.changes = changes or []

    def show(self, changes: list[Change]) -> None:
        self.changes = changes
        self.update(diff_text(changes))
