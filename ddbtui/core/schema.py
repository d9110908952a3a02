"""A table's shape, read from a DescribeTable response: keys, key types, indexes and their projections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

IndexKind = Literal["table", "gsi", "lsi"]


@dataclass(frozen=True)
class KeySchema:
    """The partition key and optional sort key of a table or an index."""

    partition_key: str
    sort_key: str | None = None

    @property
    def attributes(self) -> tuple[str, ...]:
        return (self.partition_key,) if self.sort_key is None else (self.partition_key, self.sort_key)


@dataclass(frozen=True)
class IndexSchema:
    """A table's primary index or one of its secondary indexes."""

    name: str | None  # None for the table itself
    kind: IndexKind
    key: KeySchema
    projection: Literal["ALL", "KEYS_ONLY", "INCLUDE"] = "ALL"
    non_key_attributes: tuple[str, ...] = ()
    item_count: int | None = None
    size_bytes: int | None = None

    @property
    def label(self) -> str:
        return self.name or "table"

    def projects(self, attribute: str, table_key: KeySchema) -> bool:
        """True when an item read through this index carries ``attribute``."""
        if self.kind == "table" or self.projection == "ALL":
            return True
        if attribute in self.key.attributes or attribute in table_key.attributes:
            return True
        return self.projection == "INCLUDE" and attribute in self.non_key_attributes


@dataclass(frozen=True)
class TableSchema:
    """What ddbtui needs to know of a table to build, check and price requests."""

    name: str
    key: KeySchema
    attribute_types: dict[str, str] = field(default_factory=dict)  # "S" | "N" | "B" for key attributes
    gsis: tuple[IndexSchema, ...] = ()
    lsis: tuple[IndexSchema, ...] = ()
    billing_mode: str = "PROVISIONED"
    read_capacity: int | None = None
    write_capacity: int | None = None
    item_count: int | None = None
    size_bytes: int | None = None
    status: str | None = None
    stream_view_type: str | None = None
    stream_arn: str | None = None
    table_class: str | None = None
    deletion_protection: bool | None = None
    sse_type: str | None = None
    ttl_attribute: str | None = None  # from DescribeTimeToLive, set by the caller when known
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def table_index(self) -> IndexSchema:
        return IndexSchema(None, "table", self.key, item_count=self.item_count, size_bytes=self.size_bytes)

    @property
    def indexes(self) -> tuple[IndexSchema, ...]:
        """The table itself first, then its LSIs, then its GSIs."""
        return (self.table_index, *self.lsis, *self.gsis)

    def index(self, name: str | None) -> IndexSchema:
        """The named index (None: the table). Raises KeyError with the known names."""
        if name is None:
            return self.table_index
        for idx in (*self.lsis, *self.gsis):
            if idx.name == name:
                return idx
        known = ", ".join(i.name for i in (*self.lsis, *self.gsis) if i.name) or "none"
        raise KeyError(f"table {self.name} has no index {name!r} (indexes: {known})")

    @property
    def average_item_size(self) -> float | None:
        if self.item_count and self.size_bytes:
            return self.size_bytes / self.item_count
        return None

    @classmethod
    def from_describe(cls, desc: dict[str, Any], ttl_attribute: str | None = None) -> TableSchema:
        """Build from ``DescribeTable()["Table"]`` (the inner dict)."""

        def keys(key_schema: list[dict[str, str]]) -> KeySchema:
            pk = next(k["AttributeName"] for k in key_schema if k["KeyType"] == "HASH")
            sk = next((k["AttributeName"] for k in key_schema if k["KeyType"] == "RANGE"), None)
            return KeySchema(pk, sk)

        def index(raw: dict[str, Any], kind: IndexKind) -> IndexSchema:
            proj = raw.get("Projection", {})
            return IndexSchema(
                name=raw["IndexName"],
                kind=kind,
                key=keys(raw["KeySchema"]),
                projection=proj.get("ProjectionType", "ALL"),
                non_key_attributes=tuple(proj.get("NonKeyAttributes", ())),
                item_count=raw.get("ItemCount"),
                size_bytes=raw.get("IndexSizeBytes"),
            )

        billing = desc.get("BillingModeSummary", {}).get("BillingMode") or "PROVISIONED"
        throughput = desc.get("ProvisionedThroughput", {})
        stream = desc.get("StreamSpecification") or {}
        return cls(
            name=desc["TableName"],
            key=keys(desc["KeySchema"]),
            attribute_types={
                a["AttributeName"]: a["AttributeType"] for a in desc.get("AttributeDefinitions", [])
            },
            gsis=tuple(index(g, "gsi") for g in desc.get("GlobalSecondaryIndexes", [])),
            lsis=tuple(index(ix, "lsi") for ix in desc.get("LocalSecondaryIndexes", [])),
            billing_mode=billing,
            read_capacity=throughput.get("ReadCapacityUnits") or None,
            write_capacity=throughput.get("WriteCapacityUnits") or None,
            item_count=desc.get("ItemCount"),
            size_bytes=desc.get("TableSizeBytes"),
            status=desc.get("TableStatus"),
            stream_view_type=stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
            stream_arn=desc.get("LatestStreamArn"),
            table_class=(desc.get("TableClassSummary") or {}).get("TableClass"),
            deletion_protection=desc.get("DeletionProtectionEnabled"),
            sse_type=(desc.get("SSEDescription") or {}).get("SSEType"),
            ttl_attribute=ttl_attribute,
            raw=desc,
        )
