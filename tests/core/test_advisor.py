"""The advisor against a table of schemas and requests: which index, which key condition, which warning."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from ddbtui.aws import demo_data
from ddbtui.core.advisor import RunStats, Suggestion, advise, review
from ddbtui.core.capacity import item_size
from ddbtui.core.patterns import PATTERNS, AccessPattern, by_id
from ddbtui.core.requests import ReadRequest, build
from ddbtui.core.schema import TableSchema


def _ks(pk: str, sk: str | None = None) -> list[dict[str, str]]:
    out = [{"AttributeName": pk, "KeyType": "HASH"}]
    if sk:
        out.append({"AttributeName": sk, "KeyType": "RANGE"})
    return out


def _index(name: str, pk: str, sk: str | None, projection: str = "ALL", include=(), **extra) -> dict:
    proj: dict[str, Any] = {"ProjectionType": projection}
    if include:
        proj["NonKeyAttributes"] = list(include)
    return {"IndexName": name, "KeySchema": _ks(pk, sk), "Projection": proj, **extra}


def schema(name, pk, sk=None, types=None, gsis=(), lsis=(), items=10_000, size=5_000_000) -> TableSchema:
    desc = {
        "TableName": name,
        "KeySchema": _ks(pk, sk),
        "AttributeDefinitions": [{"AttributeName": k, "AttributeType": v} for k, v in (types or {}).items()],
        "GlobalSecondaryIndexes": list(gsis),
        "LocalSecondaryIndexes": list(lsis),
        "ItemCount": items,
        "TableSizeBytes": size,
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    }
    return TableSchema.from_describe(desc)


ORDERS = schema(
    "Orders",
    "pk",
    "sk",
    {"pk": "S", "sk": "S", "status": "S", "created": "S", "customerId": "S", "email": "S", "total": "N"},
    gsis=[
        _index("ByStatus", "status", "created"),
        _index("ByCustomer", "customerId", None, "KEYS_ONLY"),
        _index("ByEmail", "email", None, "INCLUDE", ["name"]),
    ],
    lsis=[_index("ByTotal", "pk", "total", "KEYS_ONLY")],
)
SIMPLE = schema("Users", "id", None, {"id": "S"}, items=500, size=100_000)
NUMERIC = schema("Readings", "device", "ts", {"device": "N", "ts": "N"})
BINARY = schema("Blobs", "h", None, {"h": "B"})
RESERVED = schema(
    "Catalog",
    "name",
    "date",
    {"name": "S", "date": "S", "status": "S", "year": "N"},
    gsis=[_index("ByStatusYear", "status", "year")],
)
MULTI = schema(
    "Events",
    "id",
    None,
    {"id": "S", "tenant": "S", "created": "S", "kind": "S"},
    gsis=[
        _index("ByCreated", "tenant", "created", IndexSizeBytes=4_000_000, ItemCount=8_000),
        _index("ByKind", "tenant", "kind", IndexSizeBytes=3_000_000, ItemCount=6_000),
        _index("ByTenant", "tenant", None, IndexSizeBytes=5_000_000, ItemCount=10_000),
    ],
)
TWINS = schema(
    "Twins",
    "id",
    None,
    {"id": "S", "tenant": "S"},
    gsis=[
        _index("Big", "tenant", None, IndexSizeBytes=9_000_000, ItemCount=9_000),
        _index("Small", "tenant", None, IndexSizeBytes=1_000_000, ItemCount=1_000),
    ],
)
SHOP = TableSchema.from_describe(
    dict(
        demo_data.table_definition("Shop"),
        ItemCount=demo_data.item_count("Shop"),
        TableSizeBytes=4_117_980,
        BillingModeSummary={"BillingMode": "PAY_PER_REQUEST"},
    )
)
MUSIC = TableSchema.from_describe(
    dict(demo_data.table_definition("Music"), ItemCount=997, TableSizeBytes=350_000)
)
MOTO_LIKE = schema("Moto", "pk", "sk", {"pk": "S", "sk": "S"}, items=50_000, size=0)


def scan(table: TableSchema, filter: str, **kw: Any) -> ReadRequest:
    return ReadRequest("scan", table.name, filter=filter, **kw)


def query(table: TableSchema, key: str, filter: str | None = None, **kw: Any) -> ReadRequest:
    return ReadRequest("query", table.name, key=key, filter=filter, **kw)


def sql(statement: str, **kw: Any) -> ReadRequest:
    return ReadRequest("sql", statement=statement, **kw)


def first(suggestions: list[Suggestion], kind: str | None = None) -> Suggestion:
    for s in suggestions:
        if kind is None or s.kind == kind:
            return s
    raise AssertionError(f"no {kind} in {[s.kind for s in suggestions]}")


def kinds(suggestions: list[Suggestion]) -> list[str]:
    return [s.kind for s in suggestions]


# ---- the table of cases -------------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    schema: TableSchema
    request: ReadRequest
    kind: str | None  # kind of the top suggestion (None: no actionable suggestion at all)
    index: str | None = None
    key: str | None = None
    filter: str | None = None
    has: tuple[str, ...] = ()  # kinds that must be present
    not_has: tuple[str, ...] = ()  # kinds that must be absent
    reason: tuple[str, ...] = ()  # words the top suggestion's reason contains
    stats: RunStats | None = None
    extra: dict = field(default_factory=dict)


CASES = [
    Case("scan-pk-eq-query-table", ORDERS, scan(ORDERS, "pk = 'C#1'"), "use-query", None, "pk = 'C#1'"),
    Case(
        "scan-pk-and-prefix-moves-into-key",
        ORDERS,
        scan(ORDERS, "pk = 'C#1' AND begins_with(sk, 'ORDER#')"),
        "use-query",
        None,
        "pk = 'C#1' AND begins_with(sk, 'ORDER#')",
        None,
    ),
    Case(
        "scan-full-key-get-item",
        ORDERS,
        scan(ORDERS, "sk = 'PROFILE' AND pk = 'C#1'"),
        "use-get-item",
        None,
        "pk = 'C#1' AND sk = 'PROFILE'",
    ),
    Case(
        "scan-full-key-plus-filter-query-one-item",
        ORDERS,
        scan(ORDERS, "pk = 'C#1' AND sk = 'PROFILE' AND attribute_exists(email)"),
        "use-query",
        None,
        "pk = 'C#1' AND sk = 'PROFILE'",
        "attribute_exists(email)",
        not_has=("use-get-item",),
        reason=("one item",),
    ),
    Case(
        "scan-hash-only-table-get-item", SIMPLE, scan(SIMPLE, "id = 'u1'"), "use-get-item", None, "id = 'u1'"
    ),
    Case(
        "scan-gsi-key-query-gsi",
        ORDERS,
        scan(ORDERS, "status = 'OPEN'"),
        "use-query",
        "ByStatus",
        "status = 'OPEN'",
        None,
        reason=("ByStatus",),
    ),
    Case(
        "scan-gsi-range-pair-becomes-between",
        ORDERS,
        scan(ORDERS, "status = 'OPEN' AND created >= '2025-01' AND created <= '2025-12'"),
        "use-query",
        "ByStatus",
        "status = 'OPEN' AND created BETWEEN '2025-01' AND '2025-12'",
        None,
    ),
    Case(
        "scan-two-open-ranges-on-sort-key-not-a-query",
        ORDERS,
        scan(ORDERS, "status = 'OPEN' AND created > '2025-01' AND created < '2025-12'"),
        None,
        not_has=("use-query",),
    ),
    Case(
        "keys-only-gsi-lacks-attributes",
        ORDERS,
        scan(ORDERS, "customerId = 'C1'"),
        "use-query",
        "ByCustomer",
        "customerId = 'C1'",
        reason=("projects its keys only", "every attribute"),
    ),
    Case(
        "keys-only-gsi-covers-a-keys-projection",
        ORDERS,
        scan(ORDERS, "customerId = 'C1'", projection="pk, sk"),
        "use-query",
        "ByCustomer",
        "customerId = 'C1'",
        extra={"reason_lacks": "projects its keys only"},
    ),
    Case(
        "keys-only-gsi-lacks-projected-total",
        ORDERS,
        scan(ORDERS, "customerId = 'C1'", projection="pk, total"),
        "use-query",
        "ByCustomer",
        reason=("total",),
    ),
    Case(
        "keys-only-gsi-cannot-filter-unprojected",
        ORDERS,
        scan(ORDERS, "customerId = 'C1' AND note = 'x'"),
        "create-gsi",
        "customerId-note-index",
        "customerId = 'C1' AND note = 'x'",
        not_has=("use-query",),
        reason=("ByCustomer is keyed on customerId but cannot serve it", "DynamoDB rejects a filter"),
    ),
    Case(
        "include-gsi-covers-included",
        ORDERS,
        scan(ORDERS, "email = 'a@b.c'", projection="name"),
        "use-query",
        "ByEmail",
        "email = 'a@b.c'",
    ),
    Case(
        "lsi-sort-key-beats-table",
        ORDERS,
        scan(ORDERS, "pk = 'C#1' AND total > 100"),
        "use-query",
        "ByTotal",
        "pk = 'C#1' AND total > 100",
        None,
        reason=("LSI", "fetches"),
    ),
    Case(
        "lsi-needs-the-table-partition-key",
        ORDERS,
        scan(ORDERS, "total > 100"),
        None,
        not_has=("use-query", "create-gsi"),
        has=("full-scan-cost",),
    ),
    Case(
        "query-filter-on-lsi-sort-key-suggests-lsi",
        ORDERS,
        query(ORDERS, "pk = 'C#1'", "total BETWEEN 10 AND 20"),
        "use-query",
        "ByTotal",
        "pk = 'C#1' AND total BETWEEN 10 AND 20",
    ),
    Case(
        "lsi-rejected-when-sort-key-already-used",
        ORDERS,
        query(ORDERS, "pk = 'C#1' AND begins_with(sk, 'O')", "total > 5"),
        None,
        not_has=("use-query",),
    ),
    Case(
        "gsi-suggestion-drops-consistent-read",
        ORDERS,
        scan(ORDERS, "status = 'OPEN'", consistent=True),
        "use-query",
        "ByStatus",
        reason=("eventually consistent",),
        has=("consistent-read-cost",),
    ),
    Case("or-is-never-a-key", ORDERS, scan(ORDERS, "pk = 'A' OR pk = 'B'"), None, not_has=("use-query",)),
    Case(
        "or-stays-in-the-filter",
        ORDERS,
        scan(ORDERS, "pk = 'A' AND (status = 'X' OR status = 'Y')"),
        "use-query",
        None,
        "pk = 'A'",
        "status = 'X' OR status = 'Y'",
    ),
    Case("not-is-never-a-key", ORDERS, scan(ORDERS, "NOT pk = 'A'"), None, not_has=("use-query",)),
    Case(
        "not-on-sort-key-blocks-the-query",
        ORDERS,
        scan(ORDERS, "pk = 'A' AND NOT begins_with(sk, 'X')"),
        None,
        not_has=("use-query",),
    ),
    Case(
        "lsi-is-no-escape-from-a-sort-key-filter",
        ORDERS,
        scan(ORDERS, "pk = 'A' AND sk <> 'X'"),
        None,
        not_has=("use-query",),
    ),
    Case(
        "reserved-words-in-keys",
        RESERVED,
        scan(
            RESERVED,
            "#s = :s AND #y BETWEEN :a AND :b",
            names={"#s": "status", "#y": "year"},
            values={":s": "OPEN", ":a": 1990, ":b": 1999},
        ),
        "use-query",
        "ByStatusYear",
        "status = 'OPEN' AND year BETWEEN 1990 AND 1999",
        None,
    ),
    Case(
        "reserved-name-partition-key-get",
        RESERVED,
        scan(RESERVED, "`name` = 'x' AND `date` = '2024-01-01'"),
        "use-get-item",
        None,
        "name = 'x' AND date = '2024-01-01'",
    ),
    Case(
        "begins-with-on-number-sort-key-never-matches",
        MUSIC,
        scan(MUSIC, "Genre = 'Jazz' AND begins_with(Year, '19')"),
        None,
        has=("invalid-condition",),
        not_has=("use-query",),
    ),
    Case(
        "begins-with-on-number-key-in-query",
        MUSIC,
        query(MUSIC, "Genre = 'Jazz' AND begins_with(Year, '19')", index="GenreIndex"),
        None,
        has=("invalid-condition",),
    ),
    Case(
        "string-for-number-partition-key-never-matches",
        NUMERIC,
        scan(NUMERIC, "device = '7'"),
        None,
        has=("invalid-condition",),
        not_has=("use-query",),
    ),
    Case(
        "numeric-keys-query",
        NUMERIC,
        scan(NUMERIC, "device = 7 AND ts >= 100"),
        "use-query",
        None,
        "device = 7 AND ts >= 100",
    ),
    Case(
        "numeric-full-key-get-json-numbers",
        NUMERIC,
        scan(NUMERIC, "device = 7 AND ts = 1.50"),
        "use-get-item",
        extra={"get_key": '{"device": 7, "ts": 1.50}'},
    ),
    Case(
        "multiple-candidates-sort-key-fit",
        MULTI,
        scan(MULTI, "tenant = 'T' AND created > '2025'"),
        "use-query",
        "ByCreated",
        "tenant = 'T' AND created > '2025'",
    ),
    Case(
        "multiple-candidates-equality-on-sort-key",
        MULTI,
        scan(MULTI, "tenant = 'T' AND kind = 'invoice' AND created > '2025'"),
        "use-query",
        "ByKind",
        "tenant = 'T' AND kind = 'invoice'",
        "created > '2025'",
    ),
    Case(
        "sparse-indexes-lose-to-the-complete-one",
        MULTI,
        scan(MULTI, "tenant = 'T'"),
        "use-query",
        "ByTenant",
        "tenant = 'T'",
    ),
    Case(
        "index-size-breaks-ties",
        TWINS,
        scan(TWINS, "tenant = 'T'"),
        "use-query",
        "Small",
        "tenant = 'T'",
    ),
    Case(
        "sparse-index-only-candidate-says-so",
        SHOP,
        scan(SHOP, "flag = 'FRAUD_REVIEW'"),
        "use-query",
        "FlaggedIndex",
        "flag = 'FRAUD_REVIEW'",
        reason=("sparse", "flaggedAt"),
    ),
    Case(
        "sparse-index-exact-when-implied",
        SHOP,
        scan(SHOP, "flag = 'FRAUD_REVIEW' AND attribute_exists(flaggedAt)", projection="status, total"),
        "use-query",
        "FlaggedIndex",
        "flag = 'FRAUD_REVIEW'",
        None,
        extra={"reason_lacks": "sparse"},
    ),
    Case(
        "in-on-partition-key-parallel-queries",
        ORDERS,
        scan(ORDERS, "pk IN ('A', 'B', 'C')"),
        "use-parallel-queries",
        None,
        None,
        reason=("3 partitions", "--key \"pk = 'A'\""),
    ),
    Case(
        "in-on-partition-key-with-sort-eq-batch-get",
        ORDERS,
        scan(ORDERS, "pk IN ('A', 'B') AND sk = 'PROFILE'"),
        "use-batch-get",
        extra={"statement": "SELECT * FROM \"Orders\" WHERE \"pk\" IN ['A', 'B'] AND \"sk\" = 'PROFILE'"},
    ),
    Case("in-with-one-value-is-equality", ORDERS, scan(ORDERS, "pk IN ('A')"), "use-query", None, "pk = 'A'"),
    Case(
        "in-on-gsi-partition-key",
        ORDERS,
        scan(ORDERS, "status IN ('OPEN', 'PAID')"),
        "use-parallel-queries",
        "ByStatus",
    ),
    Case(
        "query-full-key-suggests-get-item",
        ORDERS,
        query(ORDERS, "pk = 'C#1' AND sk = 'PROFILE'"),
        "use-get-item",
        None,
        "pk = 'C#1' AND sk = 'PROFILE'",
    ),
    Case(
        "binary-key-has-no-get-item-json",
        BINARY,
        scan(BINARY, 'h = b64"AAE="'),
        "use-query",
        None,
        'h = b64"AAE="',
        not_has=("use-get-item",),
    ),
    Case(
        "partiql-without-key-scans",
        SHOP,
        sql("SELECT * FROM \"Shop\" WHERE status = 'OPEN'"),
        "create-gsi",
        has=("partiql-full-scan",),
    ),
    Case(
        "partiql-with-key-is-a-query",
        SHOP,
        sql("SELECT * FROM \"Shop\" WHERE pk = 'CUSTOMER#0002'"),
        None,
        not_has=("partiql-full-scan", "use-query", "full-scan-cost"),
    ),
    Case(
        "partiql-on-index-with-its-key",
        SHOP,
        sql('SELECT * FROM "Shop"."GSI1" WHERE "gsi1pk" = \'STATUS#OPEN\''),
        None,
        not_has=("partiql-full-scan",),
    ),
    Case(
        "partiql-from-table-on-gsi-key-needs-the-index",
        SHOP,
        sql("SELECT * FROM \"Shop\" WHERE gsi1pk = 'STATUS#OPEN' AND begins_with(gsi1sk, '2025')"),
        "use-query",
        "GSI1",
        "gsi1pk = 'STATUS#OPEN' AND begins_with(gsi1sk, '2025')",
        has=("partiql-full-scan",),
    ),
    Case(
        "partiql-in-on-key-is-not-a-scan",
        SHOP,
        sql("SELECT * FROM \"Shop\" WHERE pk IN ['CUSTOMER#0001', 'CUSTOMER#0002']"),
        None,
        not_has=("partiql-full-scan",),
    ),
    Case(
        "partiql-with-parameters-cannot-tell",
        SHOP,
        sql('SELECT * FROM "Shop" WHERE pk = ?'),
        None,
        has=("partiql-full-scan",),
        extra={"warning_words": "cannot tell"},
    ),
    Case(
        "partiql-lsi-from-key-query",
        SHOP,
        sql("SELECT * FROM \"Shop\" WHERE pk = 'CUSTOMER#0042' AND total > 5000"),
        "use-query",
        "ByTotal",
        "pk = 'CUSTOMER#0042' AND total > 5000",
    ),
    Case(
        "limit-before-filter",
        ORDERS,
        query(ORDERS, "pk = 'C#1'", "status = 'OPEN'", page_size=10),
        None,
        has=("limit-before-filter",),
    ),
    Case(
        "filter-on-sort-key-moves-into-key",
        ORDERS,
        query(ORDERS, "pk = 'C#1'", "begins_with(sk, 'ORDER#2025') AND status = 'OPEN'"),
        "filter-on-key",
        None,
        "pk = 'C#1' AND begins_with(sk, 'ORDER#2025')",
        "status = 'OPEN'",
    ),
    Case(
        "filter-on-key-completes-a-between",
        ORDERS,
        query(ORDERS, "pk = 'C#1' AND sk >= 'a'", "sk <= 'm'"),
        "filter-on-key",
        None,
        "pk = 'C#1' AND sk BETWEEN 'a' AND 'm'",
    ),
    Case(
        "filter-on-partition-key-redundant",
        ORDERS,
        query(ORDERS, "pk = 'C#1'", "begins_with(pk, 'C#')"),
        "filter-on-key",
        None,
        "pk = 'C#1'",
        None,
    ),
    Case(
        "filter-on-key-unmovable-warns",
        ORDERS,
        query(ORDERS, "pk = 'C#1' AND sk > 'a'", "sk < 'm'"),
        "filter-on-key",
        extra={"no_changes": True},
    ),
    Case(
        "full-scan-cost-unknown-on-emulator",
        MOTO_LIKE,
        scan(MOTO_LIKE, "attribute_exists(x)"),
        None,
        has=("full-scan-cost",),
        extra={"warning_words": "unknown"},
    ),
    Case(
        "full-scan-cost-from-run-average",
        MOTO_LIKE,
        scan(MOTO_LIKE, "attribute_exists(x)"),
        None,
        has=("full-scan-cost",),
        stats=RunStats(10, 1000, 1, 50.0, exhausted=False, average_item_size=400.0),
        extra={"warning_words": "ItemCount × the average item size"},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_planner_table(case: Case) -> None:
    out = advise(case.request, case.schema, case.stats)
    actionable = [s for s in out if s.actionable]
    if case.kind is None:
        assert all(s.kind in case.has for s in actionable), [(s.kind, s.index, s.reason) for s in actionable]
    else:
        top = out[0]
        assert top.kind == case.kind, [(s.kind, s.index, s.reason) for s in out]
        assert top.rank == 1
        if case.index is not None or case.kind in ("use-query", "use-get-item"):
            assert top.index == case.index
        if case.key is not None:
            assert top.key_condition == case.key
        if case.kind in ("use-query", "use-get-item", "filter-on-key") and case.key is not None:
            assert top.filter == case.filter
        for word in case.reason:
            assert word in top.reason, top.reason
        if "reason_lacks" in case.extra:
            assert case.extra["reason_lacks"] not in top.reason
        if "get_key" in case.extra:
            assert dict(top.changes)["key"] == case.extra["get_key"]
        if "statement" in case.extra:
            assert top.statement == case.extra["statement"]
        if case.extra.get("no_changes"):
            assert not top.changes and top.severity == "error"
    for kind in case.has:
        assert kind in kinds(out), kinds(out)
    for kind in case.not_has:
        assert kind not in kinds(out), [(s.kind, s.index, s.reason) for s in out]
    if "warning_words" in case.extra:
        assert any(case.extra["warning_words"] in s.reason for s in out if not s.actionable)
    # every suggestion that can run now builds into a valid request
    for s in out:
        if s.runnable:
            built = build(s.apply(case.request), case.schema if s.operation != "sql" else None)
            assert built.params


def test_at_least_forty_planner_cases():
    assert len(CASES) >= 40


# ---- behaviours the table does not show -----------------------------------------------------------------


def test_suggestion_json_has_exactly_the_design_fields():
    s = first(advise(scan(ORDERS, "status = 'OPEN'"), ORDERS))
    assert list(s.to_json()) == ["kind", "index", "key_condition", "filter", "reason", "estimated_rcu"]
    assert json.loads(json.dumps(s.to_json())) == s.to_json()


def test_apply_turns_a_scan_into_the_suggested_query():
    req = scan(ORDERS, "status = 'OPEN' AND total > 5", projection="pk, total", segments=4, consistent=True)
    s = first(advise(req, ORDERS), "use-query")
    new = s.apply(req)
    assert (new.operation, new.index, new.key, new.filter) == (
        "query",
        "ByStatus",
        "status = 'OPEN'",
        "total > 5",
    )
    assert new.projection == "pk, total" and new.segments == 1 and new.consistent is False
    built = build(new, ORDERS)
    assert built.api == "query" and built.params["IndexName"] == "ByStatus"


def test_reserved_words_survive_apply_and_build():
    req = CASES[[c.id for c in CASES].index("reserved-words-in-keys")].request
    s = first(advise(req, RESERVED), "use-query")
    built = build(s.apply(req), RESERVED)
    assert built.params["KeyConditionExpression"] == "#status = :v0 AND #year BETWEEN :v1 AND :v2"
    assert built.params["ExpressionAttributeNames"] == {"#status": "status", "#year": "year"}


def test_get_item_apply_gives_a_get_request():
    req = scan(ORDERS, "pk = 'C#1' AND sk = 'PROFILE'", projection="email")
    s = first(advise(req, ORDERS))
    new = s.apply(req)
    assert new.operation == "get" and json.loads(new.key) == {"pk": "C#1", "sk": "PROFILE"}
    assert build(new, ORDERS).params["Key"] == {"pk": {"S": "C#1"}, "sk": {"S": "PROFILE"}}
    assert s.estimated_rcu == 0.5  # one item of 500 B, eventually consistent


def test_scan_of_sparse_index_becomes_an_equivalent_table_query():
    req = ReadRequest("scan", "Shop", index="FlaggedIndex", filter="pk = 'CUSTOMER#0001'")
    s = first(advise(req, SHOP), "use-query")
    assert s.index is None and s.key_condition == "pk = 'CUSTOMER#0001'"
    # only items in the index, only the attributes it projects: the same result as the scan
    assert s.filter == "attribute_exists(flag) AND attribute_exists(flaggedAt)"
    assert s.projection == "customerId, flag, flaggedAt, pk, sk, status, total"


def test_unparsable_request_gives_no_advice():
    assert advise(scan(ORDERS, "pk = = 'x'"), ORDERS) == []
    assert advise(ReadRequest("scan", "Orders", index="Nope"), ORDERS) == []


def test_rejections_say_why_an_index_is_not_used():
    rv = review(scan(ORDERS, "status = 'OPEN' AND created > 'a' AND created < 'z'"), ORDERS)
    assert "two conditions on the sort key created" in rv.rejected["ByStatus"]
    rv = review(scan(MUSIC, "Genre = 'Jazz' AND begins_with(Year, '19')"), MUSIC)
    assert "holds numbers" in rv.rejected["GenreIndex"]


def test_consistent_read_on_gsi_is_an_error_with_a_fix():
    req = query(ORDERS, "status = 'OPEN'", index="ByStatus", consistent=True)
    s = first(advise(req, ORDERS), "consistent-read-cost")
    assert s.severity == "error" and s.apply(req).consistent is False


def test_consistent_read_on_table_doubles():
    req = scan(ORDERS, "attribute_exists(x)", consistent=True)
    s = first(advise(req, ORDERS), "consistent-read-cost")
    assert "doubles" in s.reason and s.severity == "info"
    assert "~1,221 RCU instead of ~610" in s.reason  # 5,000,000 B / 4 KB = 1,221 blocks


def test_limit_before_filter_apply_caps_results_instead():
    req = query(ORDERS, "pk = 'C#1'", "status = 'OPEN'", page_size=10)
    new = first(advise(req, ORDERS), "limit-before-filter").apply(req)
    assert new.page_size is None and new.limit == 10 and new.filter == req.filter


def test_full_scan_cost_from_table_size():
    s = first(advise(scan(ORDERS, "attribute_exists(x)"), ORDERS), "full-scan-cost")
    assert s.estimated_rcu == 610.5  # ceil(5,000,000 / 4096) × 0.5
    assert "~5 pages" in s.reason and "$" in s.reason


def test_full_scan_cost_respects_max_pages():
    s = first(advise(scan(ORDERS, "attribute_exists(x)", max_pages=2), ORDERS), "full-scan-cost")
    assert "--max-pages 2 stops it after ~256 RCU" in s.reason


def test_create_gsi_measures_the_saving_and_the_write_cost():
    stats = RunStats(count=40, scanned_count=10_000, pages=5, consumed_rcu=610.5, exhausted=True)
    s = first(advise(scan(ORDERS, "region = 'EU' AND amount > 100"), ORDERS, stats), "create-gsi")
    assert s.index == "region-amount-index"
    assert s.key_condition == "region = 'EU' AND amount > 100" and s.filter is None
    assert s.estimated_rcu == 2.5  # 40 items × 500 B = 20,000 B → 5 blocks × 0.5
    assert "kept 40 of 10,000" in s.reason and "244× fewer" in s.reason
    assert "~1 more WCU" in s.reason and "per million writes" in s.reason
    create = s.index_definition["Create"]
    assert create["KeySchema"] == [
        {"AttributeName": "region", "KeyType": "HASH"},
        {"AttributeName": "amount", "KeyType": "RANGE"},
    ]
    assert create["Projection"] == {"ProjectionType": "ALL"}
    assert s.index_definition["AttributeDefinitions"][1] == {"AttributeName": "amount", "AttributeType": "N"}
    assert not s.runnable  # the index must be created first


def test_create_gsi_projection_follows_the_request():
    req = scan(ORDERS, "region = 'EU' AND note = 'x'", projection="pk, amount")
    s = first(advise(req, ORDERS), "create-gsi")
    assert s.index_definition["Create"]["Projection"] == {
        "ProjectionType": "INCLUDE",
        "NonKeyAttributes": ["amount"],
    }
    req = scan(ORDERS, "region = 'EU'", projection="pk, sk")
    s = first(advise(req, ORDERS), "create-gsi")
    assert s.index_definition["Create"]["Projection"] == {"ProjectionType": "KEYS_ONLY"}


def test_create_gsi_write_cost_of_big_items():
    big = schema("Big", "pk", None, {"pk": "S"}, items=1000, size=3_000_000)
    s = first(advise(scan(big, "kind = 'x'"), big), "create-gsi")
    assert "~3 more WCU" in s.reason  # 3,000 B entries: 3 write blocks of 1 KB


def test_query_with_selective_filter_suggests_a_gsi():
    stats = RunStats(count=12, scanned_count=2500, pages=3, consumed_rcu=40.0, exhausted=True)
    req = query(SHOP, "pk = 'CUSTOMER#0042' AND begins_with(sk, 'ORDER#')", "status = 'RETURNED'")
    s = first(advise(req, SHOP, stats), "create-gsi")
    assert s.key_condition == "pk = 'CUSTOMER#0042' AND status = 'RETURNED'"
    assert s.filter == "begins_with(sk, 'ORDER#')"
    # an unselective filter does not
    stats = RunStats(count=2000, scanned_count=2500, pages=3, consumed_rcu=40.0, exhausted=True)
    assert "create-gsi" not in kinds(advise(req, SHOP, stats))


def test_ranking_cheapest_first_warnings_last():
    stats = RunStats(count=2, scanned_count=10_000, pages=5, consumed_rcu=610.5, exhausted=True)
    req = scan(ORDERS, "pk = 'C#1' AND total > 100", page_size=50, consistent=True)
    out = advise(req, ORDERS, stats)
    assert [s.rank for s in out] == list(range(1, len(out) + 1))
    actionable = [s for s in out if s.actionable]
    warnings = [s for s in out if not s.actionable]
    assert out[: len(actionable)] == actionable and warnings
    known = [s.estimated_rcu for s in actionable if s.estimated_rcu is not None]
    assert known == sorted(known)
    assert kinds(warnings) == ["consistent-read-cost", "limit-before-filter", "full-scan-cost"]


def test_measured_saving_is_reported():
    stats = RunStats(count=25, scanned_count=10_000, pages=5, consumed_rcu=610.5, exhausted=True)
    s = first(advise(scan(ORDERS, "status = 'OPEN'"), ORDERS, stats), "use-query")
    assert s.estimated_rcu == 2.0  # 25 × 500 B = 12,500 B → 4 blocks of 4 KB × 0.5
    assert "fewer read units" in s.reason


def test_partial_run_extrapolates_matches():
    stats = RunStats(count=5, scanned_count=1000, pages=1, consumed_rcu=60.0, exhausted=False)
    s = first(advise(scan(ORDERS, "status = 'OPEN'"), ORDERS, stats), "use-query")
    assert s.estimated_rcu == read_units_for(50 * 500)  # 0.5% of 10,000 items


def read_units_for(nbytes: int) -> float:
    from ddbtui.core.capacity import read_units

    return read_units(nbytes)


# ---- overloaded keys and the demo's anti-patterns -------------------------------------------------------


@pytest.fixture(scope="module")
def shop_items() -> list[dict]:
    return list(demo_data.items("Shop"))


def _stats_for(items: list[dict], keep) -> RunStats:
    kept = [i for i in items if keep(i)]
    rcu = sum(item_size(i) for i in items) / 4096 * 0.5
    return RunStats(len(kept), len(items), 4, rcu, estimated=True, exhausted=True, items=tuple(kept))


def _open(item: dict) -> bool:
    return item.get("status") == {"S": "OPEN"}


def test_overloaded_key_found_in_the_run(shop_items):
    stats = _stats_for(shop_items, _open)
    s = first(advise(scan(SHOP, "status = 'OPEN'"), SHOP, stats))
    assert (s.kind, s.index, s.key_condition, s.filter) == (
        "use-query",
        "GSI1",
        "gsi1pk = 'STATUS#OPEN'",
        "status = 'OPEN'",
    )
    assert "overloaded key" in s.reason and s.estimated_rcu < 10


def test_overloaded_key_needs_the_value_in_the_key(shop_items):
    # one matching item: every index key is "the same value", but only one that encodes the email counts
    email = next(i["email"]["S"] for i in shop_items if "email" in i)
    stats = _stats_for(shop_items, lambda i: i.get("email", {}).get("S") == email)
    s = first(advise(scan(SHOP, f"email = '{email}'"), SHOP, stats))
    assert s.index == "GSI1" and s.key_condition == f"gsi1pk = 'EMAIL#{email}'"
    # the table's key (CUSTOMER#…) does not carry the email: no table query is made up from the data
    assert [
        x.index for x in advise(scan(SHOP, f"email = '{email}'"), SHOP, stats) if x.kind == "use-query"
    ] == ["GSI1"]


def _request(p: AccessPattern) -> ReadRequest:
    return ReadRequest(
        p.operation,
        p.table,
        p.index,
        p.key,
        p.filter,
        p.projection,
        page_size=p.limit,
        descending=p.descending,
        statement=p.statement,
    )


ANTI = [p for p in PATTERNS if p.anti_pattern]


@pytest.mark.parametrize("pattern", ANTI, ids=[p.id for p in ANTI])
def test_anti_pattern_gets_its_better_alternative(pattern, shop_items):
    better = by_id(pattern.better)
    schemas = {"Shop": SHOP, "Music": MUSIC}
    # patterns whose better index is an overloaded key need the run's items to see it
    stats = (
        _stats_for(shop_items, _open)
        if pattern.filter == "status = 'OPEN'" or "status = 'OPEN'" in (pattern.statement or "")
        else None
    )
    req = _request(pattern)
    out = advise(req, schemas[pattern.table], stats)
    rewritten = [s for s in out if s.changes and s.apply(req).operation == better.operation]
    assert rewritten, [(s.kind, s.index) for s in out]
    best = rewritten[0]
    new = best.apply(req)
    assert (new.index, new.operation) == (better.index, better.operation), best
    # the same partition key attribute (the demo's better pattern may name another customer)
    assert new.key.split(" = ")[0] == better.key.split(" = ")[0]
    if best.kind in ("filter-on-key", "limit-before-filter") or pattern.id == "anti-scan-music-genre":
        assert new.key == better.key and new.filter == better.filter
    build(new, schemas[pattern.table])


def test_good_patterns_need_no_rewrite():
    schemas = {"Shop": SHOP, "Music": MUSIC}
    for p in PATTERNS:
        if p.anti_pattern or p.operation == "get":
            continue
        out = advise(_request(p), schemas[p.table])
        rewrites = [s for s in out if s.kind in ("use-query", "filter-on-key", "use-get-item")]
        assert not rewrites, (p.id, [(s.kind, s.index, s.reason) for s in rewrites])
