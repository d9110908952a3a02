"""ConsumedCapacity: what a request consumed, as DynamoDB reported it or as ddbtui estimated it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["read", "write"]


def _units(d: Mapping[str, Any] | None) -> float:
    if not d:
        return 0.0
    return float(d.get("CapacityUnits", 0.0) or 0.0)


@dataclass(frozen=True)
class ConsumedCapacity:
    """Capacity one request consumed, either as DynamoDB reported it or as ddbtui estimated it.

    ``table`` and ``indexes`` break ``total`` down (index name → units, GSIs and LSIs alike); ``kind``
    says whether the units are read or write units.
    """

    total: float
    table: float = 0.0
    indexes: dict[str, float] = field(default_factory=dict)
    estimated: bool = False
    kind: Kind = "read"
    table_name: str | None = None

    @classmethod
    def from_response(
        cls, consumed: Mapping[str, Any], kind: Kind | None = None, *, estimated: bool = False
    ) -> ConsumedCapacity:
        """Parse one ``ConsumedCapacity`` dict of a response.

        Index units come from both ``GlobalSecondaryIndexes`` and ``LocalSecondaryIndexes`` under their
        names — moto files GSI units under ``LocalSecondaryIndexes``, so the key is not trusted for the
        kind of index. ``kind`` comes from ``ReadCapacityUnits``/``WriteCapacityUnits`` when DynamoDB sends
        them, else from the argument (the caller knows its operation), else "read". Without a ``Table``
        breakdown (``ReturnConsumedCapacity=TOTAL``) the table gets what the indexes do not account for.
        """
        total = _units(consumed)
        indexes: dict[str, float] = {}
        for key in ("LocalSecondaryIndexes", "GlobalSecondaryIndexes"):
            for name, units in (consumed.get(key) or {}).items():
                indexes[name] = indexes.get(name, 0.0) + _units(units)
        # Without a breakdown (TOTAL) the table gets what the indexes do not account for.
        table = _units(consumed["Table"]) if "Table" in consumed else max(0.0, total - sum(indexes.values()))
        if kind is None:
            kind = "write" if consumed.get("WriteCapacityUnits") else "read"
        return cls(total, table, indexes, estimated, kind, consumed.get("TableName"))

    @classmethod
    def from_responses(
        cls, consumed: Mapping[str, Any] | list[Mapping[str, Any]] | None, kind: Kind | None = None
    ) -> list[ConsumedCapacity]:
        """Parse a response's ``ConsumedCapacity`` whatever its shape: absent (moto's ExecuteStatement,
        DynamoDB Local's PartiQL), one dict (single-item and Query/Scan calls) or a list, one per table
        (batch and transaction calls)."""
        if not consumed:
            return []
        if isinstance(consumed, Mapping):
            return [cls.from_response(consumed, kind)]
        return [cls.from_response(c, kind) for c in consumed]

    @classmethod
    def of_read(
        cls,
        units: float,
        *,
        index: str | None = None,
        fetch_units: float = 0.0,
        table_name: str | None = None,
        estimated: bool = True,
    ) -> ConsumedCapacity:
        """A read's capacity shaped like DynamoDB reports it: through an index the units go under the
        index's name and the table gets only the LSI fetches (0.0 otherwise)."""
        if index is None:
            return cls(units + fetch_units, units + fetch_units, {}, estimated, "read", table_name)
        return cls(units + fetch_units, fetch_units, {index: units}, estimated, "read", table_name)

    def __add__(self, other: ConsumedCapacity) -> ConsumedCapacity:
        indexes = dict(self.indexes)
        for name, units in other.indexes.items():
            indexes[name] = indexes.get(name, 0.0) + units
        return ConsumedCapacity(
            self.total + other.total,
            self.table + other.table,
            indexes,
            self.estimated or other.estimated,
            self.kind,
            self.table_name if self.table_name == other.table_name else None,
        )

    def to_json(self) -> dict[str, Any]:
        """``{"total", "table", "indexes": {name: units}, "estimated"}`` as in ddbtui's JSON output."""
        return {
            "total": self.total,
            "table": self.table,
            "indexes": dict(self.indexes),
            "estimated": self.estimated,
        }
