"""Read requests as ddbtui models them, checked against the table's schema and turned into boto3 params.

Everything that DynamoDB would reject and ddbtui can tell in advance is refused here, with a message,
before any request is sent.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.expr import (
    Placeholders,
    check_filter,
    check_projection,
    parse_condition,
    parse_projection,
    split_key_condition,
)
from ddbtui.core.partiql import placeholder_count
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import parse_plain_json, safe_text, to_av

Operation = Literal["query", "scan", "get", "sql"]
MAX_SEGMENTS = 1_000_000  # DynamoDB's TotalSegments limit
MAX_PAGE_SIZE = 1_000_000


@dataclass(frozen=True)
class ReadRequest:
    """A Query, Scan, GetItem or PartiQL SELECT as the user built it (expression text, not params)."""

    operation: Operation
    table: str = ""
    index: str | None = None
    key: str | None = None  # query: a key condition; get: a JSON object of the key
    filter: str | None = None
    projection: str | None = None
    limit: int | None = None  # items in total, across pages
    page_size: int | None = None  # DynamoDB's Limit per request
    max_pages: int | None = None
    descending: bool = False
    consistent: bool = False
    segments: int = 1
    statement: str | None = None  # sql
    parameters: tuple[dict[str, Any], ...] | None = None  # sql: the AttributeValues of its ? placeholders
    names: dict[str, str] | None = None
    values: dict[str, Any] | None = None

    def with_(self, **changes: Any) -> ReadRequest:
        return replace(self, **changes)


@dataclass
class BuiltRequest:
    """boto3 params for the first page, plus what the runner needs to page and price it."""

    request: ReadRequest
    api: Literal["query", "scan", "get_item", "execute_statement"]
    params: dict[str, Any]
    index_kind: str = "table"  # table | gsi | lsi
    consistent: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def has_filter(self) -> bool:
        return "FilterExpression" in self.params


def _positive(name: str, value: int | None, maximum: int | None = None) -> None:
    if value is None:
        return
    if value < 1:
        raise UsageError(f"{name} must be at least 1 (got {value})")
    if maximum is not None and value > maximum:
        raise UsageError(f"{name} must be at most {maximum} (got {value})")


def _expr(kind: str, fn: Any, text: str) -> Any:
    try:
        return fn(text)
    except ExprError as e:
        e.message = f"{kind}: {e.message}"
        e.text = text
        raise


def parse_key_json(text: str, schema: TableSchema) -> dict[str, Any]:
    """A GetItem key from plain JSON, checked: exactly the table's key attributes, with the right types."""
    key = parse_plain_json(text, "key JSON")
    if not isinstance(key, dict):
        raise UsageError('--key must be a JSON object such as {"pk": "A", "sk": "B"}')
    wanted = set(schema.key.attributes)
    if set(key) != wanted:
        missing = ", ".join(sorted(wanted - set(key)))
        extra = ", ".join(sorted(set(key) - wanted))
        parts = [f"missing {missing}" if missing else "", f"not key attributes: {extra}" if extra else ""]
        raise UsageError(
            f"the key of {schema.name} is {' + '.join(schema.key.attributes)}; "
            + "; ".join(p for p in parts if p)
        )
    out = {}
    for name, value in key.items():
        av = to_av(value)
        want = schema.attribute_types.get(name)
        (got,) = av
        if want and got != want:
            raise UsageError(f"key attribute {name} is of type {want}, but the value given is of type {got}")
        out[name] = av
    return out


def build(req: ReadRequest, schema: TableSchema | None) -> BuiltRequest:
    """Check ``req`` and produce the boto3 params of its first page (without paging tokens).

    ``schema`` is required for query/scan/get (it decides key validity and index kinds); PartiQL needs none.
    """
    _positive("--limit", req.limit)
    _positive("--page-size", req.page_size, MAX_PAGE_SIZE)
    _positive("--max-pages", req.max_pages)
    _positive("--segments", req.segments, MAX_SEGMENTS)
    if req.operation == "sql":
        return _build_sql(req)
    if schema is None:
        raise UsageError("a table schema is needed to build this request")
    try:
        index = schema.index(req.index)
    except KeyError as e:
        raise UsageError(str(e.args[0])) from None
    if req.consistent and index.kind == "gsi":
        raise UsageError(f"ConsistentRead is not supported on a global secondary index ({index.name})")
    ph = Placeholders(names=req.names, values=req.values)
    params: dict[str, Any] = {"TableName": schema.name, "ReturnConsumedCapacity": "INDEXES"}
    if req.index:
        params["IndexName"] = req.index
    if req.projection is not None:
        paths = _expr("projection", parse_projection, req.projection)
        check_projection(paths, schema.attribute_types, ph, req.projection)
        params["ProjectionExpression"] = ph.compile_projection(paths, req.projection)
    if req.consistent:
        params["ConsistentRead"] = True
    warnings: list[str] = []

    if req.operation == "get":
        if req.index:
            raise UsageError("GetItem reads the table, not an index; use a Query on the index")
        if not req.key:
            raise UsageError("GetItem needs --key JSON with the full primary key")
        if req.filter is not None:
            raise UsageError("GetItem takes no filter")
        params["Key"] = parse_key_json(req.key, schema)
        params.pop("IndexName", None)
        api = "get_item"
    elif req.operation == "query":
        if not req.key:
            pk = index.key.partition_key
            raise UsageError(f"a Query needs --key with `{pk} = value` on the partition key of {index.label}")
        node = _expr("key condition", parse_condition, req.key)
        kc = split_key_condition(node, index, schema.attribute_types, ph, req.key)
        params["KeyConditionExpression"] = ph.compile(kc.to_node(), req.key)
        if req.descending:
            params["ScanIndexForward"] = False
        if req.segments != 1:
            raise UsageError("--segments is for scans; a Query reads one partition")
        api = "query"
    elif req.operation == "scan":
        if req.key:
            raise UsageError("a Scan takes no key condition; use a Query, or put the condition in --filter")
        if req.descending:
            raise UsageError("a Scan has no order; --desc applies to a Query")
        api = "scan"
    else:
        raise UsageError(f"unknown operation {req.operation!r}")

    if req.filter is not None:
        node = _expr("filter", parse_condition, req.filter)
        check_filter(node, schema.attribute_types, index if api == "query" else None, ph, req.filter)
        params["FilterExpression"] = ph.compile(node, req.filter)
        if req.page_size:
            warnings.append(
                "Limit (--page-size) applies before the filter: a page may return fewer items than asked, "
                "or none, and still cost capacity"
            )
    if req.page_size and api != "get_item":
        params["Limit"] = req.page_size
    ph.check_all_used()
    if ph.expression_attribute_names:
        params["ExpressionAttributeNames"] = ph.expression_attribute_names
    if ph.expression_attribute_values:
        params["ExpressionAttributeValues"] = ph.expression_attribute_values
    return BuiltRequest(req, api, params, index.kind, bool(req.consistent), warnings)


def _build_sql(req: ReadRequest) -> BuiltRequest:
    statement = (req.statement or "").strip()
    if not statement:
        raise UsageError("a PartiQL statement is empty")
    first = statement.split(None, 1)[0].upper()
    if first in ("INSERT", "UPDATE", "DELETE", "REPLACE", "UPSERT", "EXISTS"):  # EXISTS: transactions only
        raise UsageError(
            f"ddbtui sql runs reads only (SELECT); {first} changes data — use put/update/delete with --allow-writes"
        )
    if first != "SELECT":
        raise UsageError(f"a PartiQL read starts with SELECT, not {safe_text(first)!r}")
    params: dict[str, Any] = {"Statement": statement, "ReturnConsumedCapacity": "INDEXES"}
    wanted, given = placeholder_count(statement), len(req.parameters or ())
    if wanted != given:
        raise UsageError(
            f"the statement has {wanted} ? placeholder{'s' if wanted != 1 else ''} and --params gives "
            f"{given} value{'s' if given != 1 else ''}"
        )
    if req.parameters:
        params["Parameters"] = [dict(p) for p in req.parameters]
    if req.consistent:
        params["ConsistentRead"] = True
    if req.page_size:
        params["Limit"] = req.page_size
    return BuiltRequest(req, "execute_statement", params, "table", bool(req.consistent))


_FIELDS = frozenset(f.name for f in dataclasses.fields(ReadRequest))


def request_to_json(req: ReadRequest) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(req).items() if v not in (None, False, "")}


def request_from_json(raw: dict[str, Any]) -> ReadRequest | None:
    try:
        return ReadRequest(**{k: v for k, v in raw.items() if k in _FIELDS})
    except TypeError:
        return None
