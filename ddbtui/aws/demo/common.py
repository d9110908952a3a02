"""What every demo table shares: the frozen clock, one seeded random generator per entity type, the
conversion of plain Python values to DynamoDB AttributeValues (in a stable attribute order), and the
names both tables draw from."""

from __future__ import annotations

import random
import unicodedata
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

SEED = 20260101
NOW = datetime(2026, 1, 1, tzinfo=UTC)
NOW_EPOCH = int(NOW.timestamp())  # 1767225600
HISTORY_DAYS = 3 * 365


def _ks(pk: str, sk: str | None = None) -> list[dict[str, str]]:
    out = [{"AttributeName": pk, "KeyType": "HASH"}]
    if sk:
        out.append({"AttributeName": sk, "KeyType": "RANGE"})
    return out


# --------------------------------------------------------------------------------------------------
# Python value -> AttributeValue


def _num(text: str | int | Decimal) -> Decimal:
    return text if isinstance(text, Decimal) else Decimal(str(text))


def _av(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"BOOL": v}
    if v is None:
        return {"NULL": True}
    if isinstance(v, str):
        return {"S": v}
    if isinstance(v, int | Decimal):
        return {"N": str(v)}
    if isinstance(v, bytes):
        return {"B": v}
    if isinstance(v, list | tuple):
        return {"L": [_av(x) for x in v]}
    if isinstance(v, dict):
        return {"M": {k: _av(x) for k, x in v.items()}}
    if isinstance(v, set | frozenset):
        elems = sorted(v)  # sets have no order: sort so the output is deterministic
        if not elems:
            raise ValueError("DynamoDB sets cannot be empty")
        if isinstance(elems[0], str):
            return {"SS": elems}
        if isinstance(elems[0], bytes):
            return {"BS": elems}
        return {"NS": [str(x) for x in elems]}
    raise TypeError(f"no AttributeValue for {type(v).__name__}")


_KEY_ATTRIBUTES = frozenset(("pk", "sk", "Artist", "SongTitle"))


def _weight(name: str, value: dict[str, Any]) -> int:
    if name in _KEY_ATTRIBUTES:
        return 0
    kind, v = next(iter(value.items()))
    if kind in ("S", "B"):
        return 1 if len(v) < 200 else 4
    if kind in ("N", "BOOL", "NULL"):
        return 1
    return 2 if kind in ("SS", "NS", "BS") else 3


def _to_item(d: dict[str, Any]) -> dict[str, Any]:
    """AttributeValues, ordered: keys, scalars, sets, lists and maps, long strings and binaries.

    DynamoDB keeps no attribute order; this one reads well and is cheap for moto, which re-measures
    the whole item each time it adds an attribute (big attributes last make that cheaper).
    """
    item = {k: _av(v) for k, v in d.items()}
    return dict(sorted(item.items(), key=lambda kv: _weight(*kv)))


# --------------------------------------------------------------------------------------------------
# helpers


def _rng(section: str) -> random.Random:
    """One generator per entity type, so changing one type does not reshuffle the others."""
    return random.Random(f"{SEED}:{section}")


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _price_key(cents: int) -> str:
    return f"PRICE#{cents // 100:06d}.{cents % 100:02d}"


def _past(rng: random.Random, skew: float = 1.6, max_days: int = HISTORY_DAYS) -> datetime:
    """A moment before NOW, more often recent than old (the shop grows)."""
    age = max_days * rng.random() ** skew
    return NOW - timedelta(seconds=int(age * 86400) + 1)


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in ascii_ if c.isalnum()) or "user"


FIRST = (
    "Ana", "José", "Zoë", "Łukasz", "Søren", "Ingrid", "Chloé", "Mateo", "Aiko", "太郎", "Olúwaseun",
    "Priya", "Fatima", "Noah", "Emma", "Liam", "Mia", "Björn", "Ελένη", "Дмитрий", "서연", "Minh",
    "Amélie", "Kaito", "Siobhán", "Ömer", "Ayşe", "Raúl", "Jürgen", "François", "Grace", "Wei",
)  # fmt: skip
LAST = (
    "García", "Müller", "Smith", "Nakamura", "山田", "Kowalski", "Østergaard", "O'Brien", "Nguyễn",
    "Papadopoulou", "Иванов", "김", "Dubois", "Rossi", "Silva", "Yılmaz", "Fernández", "Schröder",
    "Novák", "Andersson", "Okafor", "Patel", "Chen", "Jensen",
)  # fmt: skip
