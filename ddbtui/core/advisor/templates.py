"""Key templates learned from a sample: composite keys (``STATE#DATE``, ``v0#Account Rep``), entity
prefixes (``i#…`` for every invoice), keys that repeat another attribute (``GSI1-PK`` = ``SK``), and
write-sharded keys (``2014-07-09.1`` … ``.10``, a GSI bucket 0–14).

``derive`` turns the conditions of a request into a key condition on one key attribute of an index:

- a *fill*: segment j of the key (split at its delimiter) always equals attribute A, so ``A = 'x'`` pins
  segment j to ``x``, ``begins_with(A, 'x')`` and a range on A become a prefix or a range of the key;
- a *pin*: every sampled item the conditions keep has the same segment j (an entity prefix), when no
  attribute fills that segment;
- the longest prefix the conditions pin becomes ``begins_with(key, 'PREFIX#')``; a key pinned whole
  becomes ``key = 'value'``; a last segment that takes a few small numbers (0..N-1) is a shard: one
  key per value.

Everything here is a belief from the sample: the rules keep the request's filter, so a key that breaks
the template loses an item at worst, and the reason says what was learned from how many items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ddbtui.core.advisor.analysis import key_shape, tops
from ddbtui.core.advisor.sample import Item, TableSample, keeps, literal_text, scalar_text
from ddbtui.core.expr import Literal, Node
from ddbtui.core.schema import IndexSchema

DELIMITERS = "#|~:/."
MIN_WITNESSES = 2
MAX_SHARDS = 64
MAX_DECORATION = 8  # characters of constant text before a value in a key part (v of v0)
MAX_TAGS = 32  # distinct values of a key part that can be type tags


@dataclass
class Derived:
    """A key condition on one key attribute, learned from the sample: ``op`` is ``=``, ``begins_with``,
    ``BETWEEN``, ``<``, ``<=``, ``>``, ``>=`` or ``shards`` (one ``=`` per value in ``values``)."""

    attr: str
    op: str
    values: tuple[Literal, ...]
    why: list[str] = field(default_factory=list)
    used: list[Node] = field(default_factory=list)  # the conjuncts the key now carries

    @property
    def fit(self) -> int:
        return 3 if self.op == "=" else 2


def delimiter(values: Sequence[str]) -> str | None:
    """The delimiter of composite values: the first of ``#|~:/.`` found in at least 10% of them."""
    if not values:
        return None
    for d in DELIMITERS:
        if sum(d in v for v in values) * 10 >= len(values):
            return d
    return None


def _population(sample: TableSample, index: IndexSchema, attr: str) -> tuple[list[Item], list[str]]:
    def make() -> tuple[list[Item], list[str]]:
        items = [i for i in sample.in_index(index) if scalar_text(i.get(attr)) is not None]
        return items, [scalar_text(i[attr]) or "" for i in items]

    return sample.cached(("pop", index.label, attr), make)


def _segments(value: str, d: str | None) -> list[str]:
    return value.split(d) if d else [value]


def _fills(items: Sequence[Item], attr: str, d: str | None, j: int | None, other: str) -> bool:
    """Among ``items`` that have ``other``, segment ``j`` of ``attr`` (the whole value for None) always
    equals ``other``'s value — with at least two witnesses."""
    return _decoration(items, attr, d, j, other) == ""


def _decoration(items: Sequence[Item], attr: str, d: str | None, j: int | None, other: str) -> str | None:
    """The constant text before ``other``'s value in segment ``j`` of ``attr`` (``v`` of ``v0`` for a
    JobVersion of 0; empty when the segment is the value itself), among ``items`` that have ``other`` —
    with at least two witnesses; None when the segment is not made that way."""
    n = 0
    prefix: str | None = None
    for it in items:
        o = scalar_text(it.get(other))
        if o is None:
            continue
        v = scalar_text(it.get(attr)) or ""
        segs = _segments(v, d)
        got = v if j is None else (segs[j] if j < len(segs) else None)
        if got is None or not got.endswith(o) or (not o and got):
            return None
        here = got[: len(got) - len(o)]
        if prefix is None:
            prefix = here
        if here != prefix or len(here) > MAX_DECORATION or (j is None and here):
            return None
        n += 1
    return prefix if n >= MIN_WITNESSES else None


def _free_fill(items: Sequence[Item], attr: str, d: str | None, j: int, fixed: set[str]) -> str | None:
    """An attribute (not one the conditions fix) that fills segment ``j`` among ``items``."""
    names: set[str] = set()
    for it in items[:50]:
        names |= set(it)
    for name in sorted(names - fixed - {attr}):
        if _fills(items, attr, d, j, name):
            return name
    return None


def _tags(items: Sequence[Item], attr: str, d: str | None, j: int) -> bool:
    """Does part ``j`` of ``attr`` hold a few type tags across ``items`` (``i``, ``SUB``, ``v0``,
    ``METADATA``), rather than data (a date, an id)? Only a tag can be pinned by what the few items the
    conditions keep have in common: a value they share may be a coincidence (every log of one supervisor
    in one state is on one device). What every item of an entity shape has (every item that has
    EmployeeName has SK ``Employee_Name``) is a template and needs no tag. A partition key is never pinned
    by the items the conditions keep: that they sit in one partition says nothing of the next ones."""
    values = {segs[j] for i in items if len(segs := _segments(scalar_text(i.get(attr)) or "", d)) > j}
    return len(values) <= max(2, min(MAX_TAGS, len(items) // 20))


def _lit(text: str, kind: str) -> Literal | None:
    if kind == "N":
        try:
            return Literal(Decimal(text))
        except InvalidOperation:
            return None
    return Literal(text)


def derive(
    sample: TableSample,
    index: IndexSchema,
    attr: str,
    conds: Sequence[Node],
    *,
    shards: bool = False,
    kind: str = "S",
) -> Derived | None:
    """See ``_derive``; the values come as ``kind`` (the key attribute's type), None when one cannot."""
    found = _derive(sample, index, attr, conds, shards=shards)
    if found is None or (kind == "N" and found.op not in ("=", "shards", "<", "<=", ">", ">=", "BETWEEN")):
        return None
    values = [_lit(literal_text(v) or "", kind) for v in found.values]
    if any(v is None for v in values):
        return None
    found.values = tuple(v for v in values if v is not None)
    return found


def _derive(
    sample: TableSample, index: IndexSchema, attr: str, conds: Sequence[Node], *, shards: bool = False
) -> Derived | None:
    """The key condition on ``attr`` (a key attribute of ``index``) that the conjuncts ``conds`` imply
    according to the sample; None when they imply none. ``shards``: a last segment of a few small
    numbers may become one key per value (for a partition key)."""
    items, values = _population(sample, index, attr)
    if len(items) < MIN_WITNESSES:
        return None
    shapes = [(c, s) for c in conds if (s := key_shape(c)) is not None and s[0] != attr]
    fixed = {s[0] for _c, s in shapes}

    def others(a: str) -> list[Item]:
        """The items to check a fill by ``a`` on: those the other conditions keep (a fill may hold for one
        entity type only), or every item when they keep too few to tell (a condition on a unique id)."""
        rest = [c for c in conds if a not in tops(c) and attr not in tops(c)]
        kept = [i for i in items if keeps(rest, i)] if rest else items
        if sum(a in i for i in kept) < MIN_WITNESSES:
            return items
        return kept

    # the key repeats an attribute whole
    for c, (a, op, vals) in shapes:
        if op in ("IN", "<>") or any(v.type not in ("S", "N") for v in vals):
            continue
        if _fills(others(a), attr, None, None, a):
            texts = [literal_text(v) or "" for v in vals]
            return Derived(
                attr,
                op,
                tuple(Literal(t) for t in texts),
                [f"{attr} holds the value of {a} ({sample.label()})"],
                [c],
            )
    d = delimiter(values)
    keep = [c for c in conds if attr not in tops(c)]
    target = [i for i in items if keeps(keep, i)]
    implied = {a for c in keep for a in tops(c)}
    having = [i for i in items if all(a in i for a in implied)]
    pop = target if len(target) >= MIN_WITNESSES else having if len(having) >= MIN_WITNESSES else []
    parts: list[str] = []
    why: list[str] = []
    used: list[Node] = []
    j = 0
    for c in conds:  # begins_with(key, 'PREFIX#') written by the user: its whole segments are pinned
        s = key_shape(c)
        if s is not None and s[0] == attr and s[1] == "begins_with" and d and s[2][0].type == "S":
            text = s[2][0].value
            if text.endswith(d):
                parts = text[: -len(d)].split(d)
                j = len(parts)
                used.append(c)
                break
    while True:
        seg: str | None = None
        filler = next(
            (
                (c, sh, deco)
                for c, sh in shapes
                if (deco := _decoration(others(sh[0]), attr, d, j, sh[0])) is not None
            ),
            None,
        )
        if filler is not None:
            c, (a, op, vals), deco = filler
            text = literal_text(vals[0])
            part = f"part {j + 1} of {attr} is {f'{deco!r} + ' if deco else ''}{a}"
            if op == "=" and text is not None:
                seg = deco + text
                why.append(part)
                used.append(c)
            elif text is not None and op in ("begins_with", "BETWEEN", "<", "<=", ">", ">="):
                pre = ((d or "").join(parts) + (d or "") if parts else "") + deco
                why.append(part)
                used.append(c)
                last = bool(pop) and all(len(_segments(scalar_text(i[attr]) or "", d)) == j + 1 for i in pop)
                if op == "begins_with":
                    return Derived(attr, "begins_with", (Literal(pre + text),), why, used)
                if op == "BETWEEN" and last:
                    hi = literal_text(vals[1])
                    if hi is not None:
                        return Derived(attr, "BETWEEN", (Literal(pre + text), Literal(pre + hi)), why, used)
                if not pre and op in (">", ">=") and j == 0:
                    return Derived(attr, op, (Literal(text),), why, used)
                if op in ("<", "<=") and last and pre:
                    return Derived(attr, "BETWEEN", (Literal(pre), Literal(pre + text)), why, used)
                break
            else:
                break
        elif (
            pop
            and _free_fill(pop, attr, d, j, fixed) is None
            and (pop is not target or (not shards and _tags(items, attr, d, j)))
        ):
            segs = {tuple(_segments(scalar_text(i[attr]) or "", d)[j : j + 1]) for i in pop}
            if len(segs) == 1 and (only := next(iter(segs))):
                seg = only[0]
                why.append(f"every item like these has {attr} part {j + 1} = {seg!r}")
        if seg is None:
            break
        parts.append(seg)
        j += 1
        if (
            pop
            and all(len(_segments(scalar_text(i[attr]) or "", d)) == j for i in pop)
            and not (filler is None and len(pop) < MIN_WITNESSES)
        ):
            return Derived(attr, "=", (Literal((d or "").join(parts)),), _said(why, sample), used)
        if d is None:
            break
    if shards:
        found = _shards(items, attr, d, parts)
        if found is not None:
            why.append(f"its last part takes {len(found)} values ({found[0]}..{found[-1]}), a write shard")
            pre = (d or "").join(parts) + (d or "") if parts else ""
            return Derived(attr, "shards", tuple(Literal(pre + s) for s in found), _said(why, sample), used)
    if parts and d:
        return Derived(attr, "begins_with", (Literal(d.join(parts) + d),), _said(why, sample), used)
    return None


def _said(why: list[str], sample: TableSample) -> list[str]:
    return [*why, sample.label()] if why and sample.label() not in why else why


def _shards(items: Sequence[Item], attr: str, d: str | None, parts: list[str]) -> list[str] | None:
    """The values of the segment after ``parts`` when it is the last one and takes a few small numbers
    forming a (nearly) contiguous range: every shard suffix, from the smallest to the largest seen."""
    j = len(parts)
    seen: set[int] = set()
    width = 0
    for it in items:
        segs = _segments(scalar_text(it.get(attr)) or "", d)
        if len(segs) != j + 1:
            continue
        s = segs[j]
        if not s.isdigit() or (len(s) > 1 and s.startswith("0")):
            return None
        seen.add(int(s))
        width = max(width, len(s))
    if len(seen) < 2 or len(seen) > MAX_SHARDS:
        return None
    lo, hi = min(seen), max(seen)
    if hi - lo + 1 > MAX_SHARDS or len(seen) * 10 < (hi - lo + 1) * 8 or lo > 1:
        return None
    return [str(n) for n in range(lo, hi + 1)]
