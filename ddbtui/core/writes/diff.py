"""Item diffs: what changed between two images, attribute by attribute (maps descended on request)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ddbtui.core.capacity import canonical


@dataclass(frozen=True)
class Change:
    """One difference between two items: ``path`` from the top-level attribute down (maps only)."""

    path: tuple[str, ...]
    kind: Literal["added", "removed", "changed"]
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def name(self) -> str:
        """The top-level attribute."""
        return self.path[0]

    @property
    def label(self) -> str:
        """``a.b.c``."""
        return ".".join(self.path)


def diff_items(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, deep: bool = False
) -> list[Change]:
    """What changed from ``old`` to ``new`` (None: no item), attribute by attribute in a stable order.

    ``deep``: descend into maps changed on both sides, to show ``address.city`` rather than ``address``.
    Values are compared as DynamoDB does (numbers by value, sets in any order).
    """
    return _diff(dict(old or {}), dict(new or {}), (), deep)


def _diff(
    old: Mapping[str, Any], new: Mapping[str, Any], prefix: tuple[str, ...], deep: bool
) -> list[Change]:
    out: list[Change] = []
    for name in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(name), new.get(name)
        path = (*prefix, name)
        if a is None:
            out.append(Change(path, "added", None, b))
        elif b is None:
            out.append(Change(path, "removed", a, None))
        elif canonical(a) != canonical(b):
            if deep and "M" in a and "M" in b:
                out.extend(_diff(a["M"], b["M"], path, deep))
            else:
                out.append(Change(path, "changed", a, b))
    return out
