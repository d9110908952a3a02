"""Items kept compactly: the results pane may hold 100,000 of them.

An item as boto3 gives it is a dict of one-entry dicts: ``{"status": {"S": "OPEN"}, "total": {"N": "5"}}``.
Each of those little dicts costs ~180 bytes, more than the value in it. ``pack`` stores the common scalar
types without their wrapper — a string (S) as the ``str`` itself, a number (N) as its text in a ``Num``
(a ``str`` subclass, so it costs what the text does), BOOL as ``bool``, NULL as ``None`` — and keeps every
other type (M, L, sets, binary) as it was. ``unpack`` gives back an equal item. Attribute names are
interned: 100,000 items of one table share one copy of each name.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

Item = dict[str, Any]


class Num(str):
    """The text of a number (N) in a packed item: a ``str`` whose type says it was a number."""

    __slots__ = ()


def _pack_av(av: Any) -> Any:
    if type(av) is dict and len(av) == 1:
        ((tag, v),) = av.items()
        if tag == "S" and type(v) is str:
            return v
        if tag == "N" and type(v) is str:
            return Num(v)
        if tag == "BOOL" and type(v) is bool:
            return v
        if tag == "NULL" and v is True:
            return None
    return av


def _unpack_av(v: Any) -> Any:
    t = type(v)
    if t is str:
        return {"S": v}
    if t is Num:
        return {"N": str(v)}
    if t is bool:
        return {"BOOL": v}
    if v is None:
        return {"NULL": True}
    return v


def _name(name: str) -> str:
    return sys.intern(name) if type(name) is str and len(name) <= 255 else name


def pack(item: Item) -> dict[str, Any]:
    """The compact form of ``item`` (see the module's docstring)."""
    return {_name(name): _pack_av(av) for name, av in item.items()}


def unpack(packed: dict[str, Any]) -> Item:
    """An item equal to the one ``pack`` was given (new dicts for it and its scalars)."""
    return {name: _unpack_av(v) for name, v in packed.items()}


def unpack_value(packed: dict[str, Any], name: str) -> Any:
    """One attribute's AttributeValue (None when the item has no such attribute)."""
    if name not in packed:
        return None
    return _unpack_av(packed[name])


class CompactRows(Sequence[Item]):
    """A list of items stored packed; reading gives unpacked items: a new dict per item and per scalar,
    but maps, lists, sets and binary are the stored objects, as a list of items would share them."""

    __slots__ = ("data",)

    def __init__(self, items: Iterable[Item] = ()) -> None:
        self.data: list[dict[str, Any]] = [pack(it) for it in items]

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> Item: ...

    @overload
    def __getitem__(self, index: slice) -> list[Item]: ...

    def __getitem__(self, index: int | slice) -> Item | list[Item]:
        if isinstance(index, slice):
            return [unpack(p) for p in self.data[index]]
        return unpack(self.data[index])

    def __setitem__(self, index: int, item: Item) -> None:
        self.data[index] = pack(item)

    def __iter__(self) -> Iterator[Item]:
        return (unpack(p) for p in self.data)

    def __bool__(self) -> bool:
        return bool(self.data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CompactRows):
            return self.data == other.data
        if isinstance(other, list):
            return len(other) == len(self.data) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def append(self, item: Item) -> None:
        self.data.append(pack(item))

    def extend(self, items: Iterable[Item]) -> None:
        self.data.extend(pack(it) for it in items)

    def extend_packed(self, packed: Iterable[dict[str, Any]]) -> None:
        """Add items already packed (off the event loop, by ``pack``)."""
        self.data.extend(packed)

    def value(self, index: int, name: str) -> Any:
        """One attribute of one row, without unpacking the rest."""
        return unpack_value(self.data[index], name)
