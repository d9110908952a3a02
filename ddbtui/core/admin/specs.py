"""The command line's short forms for table administration, parsed into plain values.

``pk:S[,sk:N]`` (a key), ``NAME=pk:S[,sk:S][:ALL|:KEYS_ONLY|:INCLUDE=a+b]`` (a GSI), ``NAME=sk:N[:proj]``
(an LSI: the table's partition key with another sort key), ``RCU,WCU``, ``MIN,MAX,PCT``, ``on|off``.
Every refusal is a ``UsageError`` that quotes the spec and says what would be accepted. Pure: stdlib only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ddbtui.core.errors import UsageError

KEY_TYPES = ("S", "N", "B")
PROJECTIONS = ("ALL", "KEYS_ONLY", "INCLUDE")
STREAM_VIEWS = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
TABLE_CLASSES = {"STANDARD": "STANDARD", "IA": "STANDARD_INFREQUENT_ACCESS",
                 "STANDARD_INFREQUENT_ACCESS": "STANDARD_INFREQUENT_ACCESS"}  # fmt: skip
_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
_PROJECTION_SUFFIX = re.compile(r":(ALL|KEYS_ONLY|INCLUDE=[^:]*)$", re.IGNORECASE)
MAX_GSIS, MAX_LSIS, MAX_INCLUDE = 20, 5, 100


@dataclass(frozen=True)
class KeyAttr:
    """One key attribute: its name and DynamoDB type (S, N or B)."""

    name: str
    type: str


@dataclass(frozen=True)
class IndexSpec:
    """A secondary index to create: name, kind (gsi/lsi), key attributes, projection, throughput."""

    name: str
    kind: str  # "gsi" | "lsi"
    key: tuple[KeyAttr, ...]
    projection: str = "ALL"
    non_key_attributes: tuple[str, ...] = ()
    throughput: tuple[int, int] | None = None  # (RCU, WCU) on a provisioned table

    @property
    def partition_key(self) -> KeyAttr:
        return self.key[0]

    @property
    def sort_key(self) -> KeyAttr | None:
        return self.key[1] if len(self.key) > 1 else None

    def key_schema(self) -> list[dict[str, str]]:
        return key_schema(self.key)

    def projection_params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ProjectionType": self.projection}
        if self.projection == "INCLUDE":
            out["NonKeyAttributes"] = list(self.non_key_attributes)
        return out

    def describe(self) -> str:
        """``byEmail (email S, created N) INCLUDE name+total``."""
        keys = ", ".join(f"{k.name} {k.type}" for k in self.key)
        proj = self.projection + (f" {'+'.join(self.non_key_attributes)}" if self.non_key_attributes else "")
        return f"{self.name} ({keys}) {proj}"


@dataclass(frozen=True)
class Autoscaling:
    """Application Auto Scaling for a provisioned table: capacity bounds and the target utilisation."""

    minimum: int
    maximum: int
    target: int  # percent of the provisioned capacity, 20..90


def key_schema(attrs: tuple[KeyAttr, ...]) -> list[dict[str, str]]:
    return [{"AttributeName": a.name, "KeyType": "HASH" if i == 0 else "RANGE"} for i, a in enumerate(attrs)]


def check_name(name: str, what: str) -> str:
    """A table or index name as DynamoDB accepts it: 3-255 of ``A-Z a-z 0-9 _ - .``."""
    if not _NAME.match(name or ""):
        raise UsageError(
            f"{what} {name!r} is not a valid name: 3 to 255 characters, letters, digits, '_', '-' and '.'"
        )
    return name


def _key_attr(text: str, spec: str, what: str) -> KeyAttr:
    name, sep, typ = text.strip().rpartition(":")
    if not sep:
        name, typ = typ, "S"
    name, typ = name.strip(), typ.strip().upper()
    if not name:
        raise UsageError(f"{what} {spec!r}: a key attribute has no name (expected name:S, name:N or name:B)")
    if typ not in KEY_TYPES:
        raise UsageError(
            f"{what} {spec!r}: key attribute {name} has type {typ!r}; key types are S (string), N (number) "
            "or B (binary)"
        )
    if len(name.encode("utf-8")) > 255:
        raise UsageError(f"{what} {spec!r}: a key attribute name is at most 255 bytes")
    return KeyAttr(name, typ)


def parse_key(spec: str, what: str = "--key") -> tuple[KeyAttr, ...]:
    """``pk:S`` or ``pk:S,sk:N`` (a missing type means S)."""
    parts = [p for p in (spec or "").split(",")]
    if not spec or not 1 <= len(parts) <= 2 or not all(p.strip() for p in parts):
        raise UsageError(
            f"{what} {spec!r}: expected a partition key and an optional sort key, e.g. pk:S or pk:S,sk:N"
        )
    attrs = tuple(_key_attr(p, spec, what) for p in parts)
    if len(attrs) == 2 and attrs[0].name == attrs[1].name:
        raise UsageError(f"{what} {spec!r}: the partition key and the sort key must be different attributes")
    return attrs


def _projection(suffix: str | None, spec: str, what: str) -> tuple[str, tuple[str, ...]]:
    if suffix is None:
        return "ALL", ()
    kind, _, attrs = suffix.partition("=")
    kind = kind.upper()
    if kind != "INCLUDE":
        return kind, ()
    names = tuple(a.strip() for a in attrs.split("+") if a.strip())
    if not names:
        raise UsageError(f"{what} {spec!r}: INCLUDE needs the attributes to copy, e.g. :INCLUDE=name+total")
    if len(set(names)) != len(names):
        raise UsageError(f"{what} {spec!r}: INCLUDE names an attribute twice")
    if len(names) > MAX_INCLUDE:
        raise UsageError(
            f"{what} {spec!r}: INCLUDE copies at most {MAX_INCLUDE} attributes across all indexes"
        )
    return "INCLUDE", names


def _split_index(spec: str, what: str, example: str) -> tuple[str, str, str | None]:
    name, sep, rest = (spec or "").partition("=")
    if not sep or not rest:
        raise UsageError(f"{what} {spec!r}: expected NAME=KEYS[:PROJECTION], e.g. {example}")
    m = _PROJECTION_SUFFIX.search(rest)
    suffix = m.group(1) if m else None
    keys = rest[: m.start()] if m else rest
    return check_name(name.strip(), f"{what}: index"), keys, suffix


def parse_gsi(spec: str, throughput: tuple[int, int] | None = None) -> IndexSpec:
    """``NAME=pk:S[,sk:S][:ALL|:KEYS_ONLY|:INCLUDE=a+b]`` (projection ALL when left out)."""
    name, keys, suffix = _split_index(spec, "--gsi", "byEmail=email:S:KEYS_ONLY")
    key = parse_key(keys, f"--gsi {name}:")
    projection, include = _projection(suffix, spec, "--gsi")
    return IndexSpec(name, "gsi", key, projection, include, throughput)


def parse_lsi(spec: str, table_key: tuple[KeyAttr, ...]) -> IndexSpec:
    """``NAME=sk:N[:projection]``: an LSI has the table's partition key and its own sort key."""
    name, keys, suffix = _split_index(spec, "--lsi", "byDate=created:N")
    parts = keys.split(",")
    if len(parts) == 2 and _key_attr(parts[0], spec, "--lsi").name == table_key[0].name:
        parts = parts[1:]  # NAME=pk:S,sk:N: the partition key spelled out, accepted when it is the table's
    if len(parts) != 1:
        raise UsageError(
            f"--lsi {spec!r}: an LSI shares the table's partition key; give only its sort key, e.g. byDate=created:N"
        )
    if len(table_key) < 2:
        raise UsageError(f"--lsi {spec!r}: local secondary indexes need a table with a sort key")
    sort = _key_attr(parts[0], spec, "--lsi")
    if sort.name == table_key[0].name:
        raise UsageError(f"--lsi {spec!r}: the LSI's sort key must differ from the table's partition key")
    projection, include = _projection(suffix, spec, "--lsi")
    return IndexSpec(name, "lsi", (table_key[0], sort), projection, include)


def parse_throughput(spec: str, what: str = "--provisioned") -> tuple[int, int]:
    """``RCU,WCU``: two whole numbers, each at least 1."""
    parts = (spec or "").split(",")
    try:
        rcu, wcu = (int(p) for p in parts)
    except ValueError:
        raise UsageError(f"{what} {spec!r}: expected RCU,WCU, two whole numbers, e.g. 5,5") from None
    if rcu < 1 or wcu < 1:
        raise UsageError(f"{what} {spec!r}: read and write capacity are at least 1 each")
    return rcu, wcu


def parse_index_throughput(spec: str) -> tuple[str, tuple[int, int]]:
    """``NAME=RCU,WCU``: a GSI's own provisioned throughput."""
    name, sep, rest = (spec or "").partition("=")
    if not sep:
        raise UsageError(f"--gsi-provisioned {spec!r}: expected NAME=RCU,WCU, e.g. byEmail=5,5")
    return check_name(name.strip(), "--gsi-provisioned: index"), parse_throughput(rest, "--gsi-provisioned")


def parse_autoscaling(spec: str) -> Autoscaling:
    """``MIN,MAX,PCT``: capacity between MIN and MAX units, tracking PCT % utilisation (20 to 90)."""
    try:
        lo, hi, pct = (int(p) for p in (spec or "").split(","))
    except ValueError:
        raise UsageError(f"--autoscaling {spec!r}: expected MIN,MAX,PCT, e.g. 5,100,70") from None
    if lo < 1 or hi < lo:
        raise UsageError(f"--autoscaling {spec!r}: MIN must be at least 1 and MAX at least MIN")
    if not 20 <= pct <= 90:
        raise UsageError(f"--autoscaling {spec!r}: the target utilisation is a percentage from 20 to 90")
    return Autoscaling(lo, hi, pct)


def parse_switch(value: str, what: str) -> bool:
    """``on`` / ``off`` (also true/false, yes/no, 1/0)."""
    v = (value or "").strip().lower()
    if v in ("on", "true", "yes", "1", "enable", "enabled"):
        return True
    if v in ("off", "false", "no", "0", "disable", "disabled"):
        return False
    raise UsageError(f"{what} {value!r}: expected on or off")


def parse_stream(value: str) -> str | None:
    """A stream view type, or None for ``off``."""
    v = (value or "").strip().upper().replace("-", "_")
    if v in ("OFF", "NONE", "FALSE", "DISABLED"):
        return None
    if v == "ON":
        v = "NEW_AND_OLD_IMAGES"
    if v not in STREAM_VIEWS:
        raise UsageError(f"--stream {value!r}: expected {', '.join(STREAM_VIEWS)} or off")
    return v


def parse_table_class(value: str) -> str:
    v = (value or "").strip().upper().replace("-", "_")
    if v not in TABLE_CLASSES:
        raise UsageError(f"--table-class {value!r}: expected STANDARD or IA (STANDARD_INFREQUENT_ACCESS)")
    return TABLE_CLASSES[v]


def parse_ttl(value: str) -> str | None:
    """The TTL attribute, or None for ``off``."""
    v = (value or "").strip()
    if not v:
        raise UsageError("--ttl: give the attribute that holds the expiry time (epoch seconds), or off")
    return None if v.lower() == "off" else v


def parse_tags(values: list[str] | None) -> list[dict[str, str]]:
    """``KEY=VALUE`` pairs as DynamoDB's Tags list."""
    out: list[dict[str, str]] = []
    for v in values or []:
        k, sep, val = v.partition("=")
        if not sep or not k:
            raise UsageError(f"--tag {v!r}: expected KEY=VALUE")
        out.append({"Key": k, "Value": val})
    return out
