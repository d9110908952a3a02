"""The conformance table: each case is one request, written twice.

``cli`` is the request as a user types it to ddbtui (inline literals, reserved words as they are); ``request``
is the same request as boto3 sends it (placeholders, ``ExpressionAttributeNames`` for reserved words and the
conditions ddbtui adds by design: a put creates only, an update or delete needs the item to exist). The
oracle is boto3 on DynamoDB Local; nothing here is computed with ddbtui.

``expect`` says what DynamoDB does with ``request`` (checked too, so a wrong case shows up as such):
``ok``, an error code (``ValidationException``, ``ConditionalCheckFailedException``,
``ResourceNotFoundException``), or ``refuse``: DynamoDB answers ValidationException and ddbtui must refuse
the request itself, before sending it (exit 2).

``defect`` names the issue's known defect a case pins (#19: 1 list SET order, 2 refusals, 3 PartiQL
parameters, 4 reported capacity); those cases failed on the code before the fixes.

Every write DynamoDB accepts is undone with ``ddbtui undo`` afterwards and the item compared with the
original (``test_undo_restores_the_original_item`` in test_writes and test_capacity).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.conformance.av import BOOL, BS, NS, NULL, SS, B, L, M, N, S, item_to_ddb_json
from tests.conformance.data import BASE

AV = dict[str, Any]


@dataclass(frozen=True)
class Case:
    id: str
    family: str  # reads | writes | errors | partiql | capacity
    source: str
    cli: tuple[str, ...]  # after "ddbtui"; the connection flags and --format are added by the harness
    op: str  # the boto3 operation
    request: dict[str, Any]
    expect: str = "ok"
    limit: int | None = None  # ddbtui's --limit: items in total
    max_pages: int | None = None  # ddbtui's --max-pages
    ordered: bool | None = None  # None: Query and PartiQL in order, Scan as a set
    segments: int | None = None  # parallel scan: boto3 reads each segment
    resume: bool = False  # run ddbtui again from the key it printed; the two runs must give the whole result
    key: dict[str, AV] | None = None  # writes: the item's key
    seed: dict[str, AV] | None = None  # writes: the item before the request (key included), None: no item
    defect: int | None = None
    compare_capacity: bool = False
    note: str = ""
    params: tuple[AV, ...] = field(default=())  # PartiQL parameters (boto3 side)

    @property
    def is_write(self) -> bool:
        return self.op in ("put_item", "update_item", "delete_item")


# ------------------------------------------------------------------------------------------ sources


def dg(page: str, section: str | None = None) -> str:
    """A page (and section) of the Amazon DynamoDB Developer Guide."""
    return f"AWS DynamoDB Developer Guide: {page}" + (f" > {section}" if section else "")


def moto(file: str, test: str) -> str:
    return f"getmoto/moto tests/test_dynamodb/{file}::{test}"


KEYCOND = "Key condition expressions for the Query operation (Query.KeyConditionExpressions)"
QFILTER = "Filter expressions for the Query operation (Query.FilterExpression)"
QPAGE = "Paginating table query results (Query.Pagination)"
QLIMIT = "Limiting the number of items in the result set (Query.Limit)"
SFILTER = "Filter expressions for Scan (Scan.FilterExpression)"
SPAGE = "Paginating the results (Scan.Pagination)"
SPARALLEL = "Parallel scan (Scan.ParallelScan)"
OPS = "Condition and filter expressions, operators, and functions (Expressions.OperatorsAndFunctions)"
PROJ = "Using projection expressions (Expressions.ProjectionExpressions)"
NAMES = "Expression attribute names (Expressions.ExpressionAttributeNames)"
VALUES = "Using expression attribute values (Expressions.ExpressionAttributeValues)"
DOCPATH = "Referring to item attributes when using expressions (Expressions.Attributes)"
UPD = "Using update expressions (Expressions.UpdateExpressions)"
COND = "Condition expression CLI example (Expressions.ConditionExpressions)"
GSIQ = "Querying a global secondary index (GSI.Querying)"
GSIS = "Scanning a global secondary index (GSI.Scanning)"
LSI = "Local secondary indexes (LSI): Querying a local secondary index"
READ = "Reading an item (WorkingWithItems.ReadingData)"
WRITE = "Writing an item / Conditional writes (WorkingWithItems.WritingData)"
NUMS = "Supported data types: Number (HowItWorks.NamingRulesDataTypes)"
LIMITS = "Quotas in Amazon DynamoDB: attributes, expression parameters (ServiceQuotas)"
PQSEL = "PartiQL select statements for DynamoDB (ql-reference.select)"
PQFN = "Using PartiQL functions with DynamoDB (ql-functions)"
PQOPS = "PartiQL arithmetic, comparison, and logical operators for DynamoDB (ql-operators)"
CAPR = "DynamoDB read and write operations: read consumption (read-write-operations)"
CAPW = "DynamoDB read and write operations: write consumption (read-write-operations)"


# ------------------------------------------------------------------------------------------ builders


def V(**values: AV) -> dict[str, AV]:
    """ExpressionAttributeValues: ``V(p=S("a"))`` → ``{":p": {"S": "a"}}``."""
    return {f":{k}": v for k, v in values.items()}


def NM(*names: str, **special: str) -> dict[str, str]:
    """ExpressionAttributeNames: ``NM("status")`` → ``{"#status": "status"}``; ``NM(ab="a.b")``."""
    out = {f"#{n}": n for n in names}
    out.update({f"#{k}": v for k, v in special.items()})
    return out


def _expr(params: dict[str, Any], names: dict | None, values: dict | None) -> dict[str, Any]:
    out = dict(params)
    if names:
        out["ExpressionAttributeNames"] = names
    if values:
        out["ExpressionAttributeValues"] = values
    return out


def query(id, source, key, kce, *, values=None, names=None, table="@main", cli=(), family="reads", **kw):
    params = _expr({"TableName": table, "KeyConditionExpression": kce, **kw.pop("params", {})}, names, values)
    return Case(id, family, source, ("query", table, "--key", key, *cli), "query", params, **kw)


def scan(id, source, *, values=None, names=None, table="@main", cli=(), family="reads", **kw):
    params = _expr({"TableName": table, **kw.pop("params", {})}, names, values)
    return Case(id, family, source, ("scan", table, *cli), "scan", params, **kw)


def get(
    id, source, key: dict[str, AV], cli_key: str, *, names=None, table="@main", cli=(), family="reads", **kw
):
    params = _expr({"TableName": table, "Key": key, **kw.pop("params", {})}, names, None)
    return Case(id, family, source, ("get", table, "--key", cli_key, *cli), "get_item", params, **kw)


def sql(id, source, statement, *, cli=(), family="partiql", **kw):
    params = {"Statement": statement, **kw.pop("params", {})}
    return Case(id, family, source, ("sql", statement, *cli), "execute_statement", params, **kw)


def _plain(av: AV) -> str:
    """An AttributeValue as plain JSON text (numbers as written), for ``--item``/``--key``."""
    (kind, value), *_ = av.items()
    if kind == "S":
        return json.dumps(value, ensure_ascii=False)
    if kind == "N":
        return value
    if kind == "BOOL":
        return "true" if value else "false"
    if kind == "NULL":
        return "null"
    if kind == "L":
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if kind == "M":
        return "{" + ", ".join(f"{json.dumps(k)}: {_plain(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"{kind} has no plain JSON form: use --ddb-json")


def _needs_ddb_json(av: AV) -> bool:
    (kind, value), *_ = av.items()
    if kind in ("B", "SS", "NS", "BS"):
        return True
    if kind == "L":
        return any(_needs_ddb_json(v) for v in value)
    if kind == "M":
        return any(_needs_ddb_json(v) for v in value.values())
    return False


def item_arg(item: dict[str, AV]) -> tuple[str, ...]:
    """``--item`` for ``item``: plain JSON where it can carry every type, else DynamoDB JSON."""
    if any(_needs_ddb_json(v) for v in item.values()):
        return ("--item", json.dumps(item_to_ddb_json(item), ensure_ascii=False), "--ddb-json")
    return ("--item", "{" + ", ".join(f"{json.dumps(k)}: {_plain(v)}" for k, v in item.items()) + "}")


def wkey(id: str) -> dict[str, AV]:
    return {"pk": S(f"W#{id}"), "sk": S("0")}


def _key_arg(key: dict[str, AV]) -> str:
    return "{" + ", ".join(f"{json.dumps(k)}: {_plain(v)}" for k, v in key.items()) + "}"


def _seed(id: str, seed: dict[str, AV] | None) -> dict[str, AV] | None:
    return None if seed is None else {**wkey(id), **seed}


def _guarded(params: dict[str, Any], guard: str | None, cond: str | None) -> None:
    """The ConditionExpression ddbtui sends: its own ``guard`` AND the user's ``cond``. An empty ``cond`` is
    sent as it is (DynamoDB refuses it, and so must ddbtui)."""
    if cond == "":
        params["ConditionExpression"] = ""
    elif guard and cond:
        params["ConditionExpression"] = f"{guard} AND ({cond})"
    elif guard or cond:
        params["ConditionExpression"] = guard or cond


def update(id, source, upd, expr, *, names=None, values=None, seed=BASE, condition=None, cond=None,
           upsert=False, cli=(), family="writes", **kw):  # fmt: skip
    """UpdateItem: ``upd``/``condition`` as typed to ddbtui, ``expr``/``cond`` with placeholders. Without
    ``upsert`` ddbtui adds ``attribute_exists(pk)`` to the condition, so the boto3 request does too."""
    key = wkey(id)
    args = ["update", "@W", "--key", _key_arg(key), "--update", upd]
    if condition is not None:
        args += ["--condition", condition]
    if upsert:
        args.append("--upsert")
    params = {"TableName": "@W", "Key": key, "UpdateExpression": expr}
    _guarded(params, None if upsert else "attribute_exists(pk)", cond)
    return Case(id, family, source, (*args, *cli), "update_item", _expr(params, names, values), key=key,
                seed=_seed(id, seed), **kw)  # fmt: skip


def put(id, source, item: dict[str, AV], *, names=None, values=None, seed=None, condition=None, cond=None,
        overwrite=False, cli=(), family="writes", **kw):  # fmt: skip
    """PutItem of ``item`` (the case's key added). ddbtui creates only unless ``--overwrite`` or
    ``--condition``, which replaces that check."""
    key = wkey(id)
    full_item = {**key, **item}
    args = ["put", "@W", *item_arg(full_item)]
    if condition is not None:
        args += ["--condition", condition]
    if overwrite:
        args.append("--overwrite")
    params: dict[str, Any] = {"TableName": "@W", "Item": full_item}
    if condition is not None:
        params["ConditionExpression"] = cond
    elif not overwrite:
        params["ConditionExpression"] = "attribute_not_exists(pk)"
    return Case(id, family, source, (*args, *cli), "put_item", _expr(params, names, values), key=key,
                seed=_seed(id, seed), **kw)  # fmt: skip


def delete(id, source, *, names=None, values=None, seed=BASE, condition=None, cond=None, missing_ok=False,
           cli=(), family="writes", **kw):  # fmt: skip
    """DeleteItem; ddbtui needs the item to exist unless ``--missing-ok``, AND the user's condition."""
    key = wkey(id)
    args = ["delete", "@W", "--key", _key_arg(key)]
    if condition is not None:
        args += ["--condition", condition]
    if missing_ok:
        args.append("--missing-ok")
    params: dict[str, Any] = {"TableName": "@W", "Key": key}
    _guarded(params, None if missing_ok else "attribute_exists(pk)", cond)
    return Case(id, family, source, (*args, *cli), "delete_item", _expr(params, names, values), key=key,
                seed=_seed(id, seed), **kw)  # fmt: skip


C1 = V(p=S("CUST#1"))
P1 = V(p=S("PAGE#1"))
ORD = "pk = :p AND begins_with(sk, :o)"


def c1(**values: AV) -> dict[str, AV]:
    return {**C1, **V(**values)}


def orders(**values: AV) -> dict[str, AV]:
    return {**C1, ":o": S("ORDER#"), **V(**values)}


def p1(**values: AV) -> dict[str, AV]:
    return {**P1, **V(**values)}


# ------------------------------------------------------------------------------------------ reads: Query

# fmt: off
R_QUERY = [
    query("q-pk-only", dg(KEYCOND, "Key condition expression examples"), "pk = 'CUST#1'", "pk = :p", values=C1),
    query("q-sk-lt", dg(KEYCOND), "pk = 'CUST#1' AND sk < 'ORDER#2024-03'", "pk = :p AND sk < :s",
          values=c1(s=S("ORDER#2024-03"))),  # fmt: skip
    query("q-sk-gt", dg(KEYCOND), "pk = 'CUST#1' AND sk > 'ORDER#2024-05'", "pk = :p AND sk > :s",
          values=c1(s=S("ORDER#2024-05"))),  # fmt: skip
    query("q-sk-between", moto("test_dynamodb_query.py", "test_key_condition_expressions"),
          "pk = 'CUST#1' AND sk BETWEEN 'ORDER#2024-02' AND 'ORDER#2024-04'", "pk = :p AND sk BETWEEN :a AND :b",
          values=c1(a=S("ORDER#2024-02"), b=S("ORDER#2024-04"))),  # fmt: skip
    query("q-sk-begins", dg(KEYCOND), "pk = 'CUST#1' AND begins_with(sk, 'ORDER#')", ORD, values=orders()),
    query("q-sk-begins-utf8-order", dg(KEYCOND, "results in order of UTF-8 bytes"),
          "pk = 'CUST#1' AND begins_with(sk, 'invoice')", "pk = :p AND begins_with(sk, :s)",
          values=c1(s=S("invoice"))),  # fmt: skip
    query("q-pk-absent", dg(KEYCOND), "pk = 'CUST#9'", "pk = :p", values=V(p=S("CUST#9"))),
    query("q-desc", dg(KEYCOND, "ScanIndexForward"), "pk = 'CUST#1' AND begins_with(sk, 'ORDER#')", ORD,
          values=orders(), cli=("--desc",), params={"ScanIndexForward": False}),  # fmt: skip
    query("q-sort-key-first", moto("test_dynamodb_query.py", "test_key_condition_expressions"),
          "begins_with(sk, 'ORDER#') AND pk = 'CUST#2'", "begins_with(sk, :o) AND pk = :p",
          values=V(p=S("CUST#2"), o=S("ORDER#"))),  # fmt: skip
    query("q-key-one-paren", moto("test_dynamodb_query.py", "test_key_condition_expression_with_brackets"),
          "pk = 'CUST#1' AND (sk BETWEEN 'A' AND 'J')", "pk = :p AND (sk BETWEEN :a AND :b)",
          values=c1(a=S("A"), b=S("J"))),  # fmt: skip
    query("q-placeholders", dg(VALUES), "pk = :p AND begins_with(sk, :s)", "pk = :p AND begins_with(sk, :s)",
          values=c1(s=S("INV")), cli=("--values", '{":p": "CUST#1", ":s": "INV"}')),  # fmt: skip
    query("qn-numeric-order", moto("test_dynamodb_query.py", "test_gsi_verify_negative_number_order"),
          "pk = 'N'", "pk = :p", values=V(p=S("N")), table="@nums"),  # fmt: skip
    query("qn-gt-negative", moto("test_dynamodb_query.py", "test_sorted_query_with_numerical_sort_key"),
          "pk = 'N' AND sk > -1", "pk = :p AND sk > :v", values=V(p=S("N"), v=N(-1)), table="@nums"),  # fmt: skip
    query("qn-eq-exponent", dg(NUMS), "pk = 'N' AND sk = 1E3", "pk = :p AND sk = :v",
          values=V(p=S("N"), v=N("1E3")), table="@nums"),  # fmt: skip
    query("qn-20-digits", dg(NUMS, "up to 38 digits of precision"), "pk = 'N' AND sk >= 12345678901234567890",
          "pk = :p AND sk >= :v", values=V(p=S("N"), v=N("12345678901234567890")), table="@nums"),  # fmt: skip
    query("qb-begins-with-binary", dg(KEYCOND, "begins_with (a, substr)"), "pk = 'bin' AND begins_with(sk, b64\"AA==\")",
          "pk = :p AND begins_with(sk, :b)", values=V(p=S("bin"), b=B(b"\x00")), table="@bin"),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ reads: filters


def qf(id, source, flt, expr, *, values=None, names=None, key="orders", **kw):
    """A Query of CUST#1's orders (or the whole partition, ``key="all"``) with a filter."""
    if key == "orders":
        cli_key, kce, vals = "pk = 'CUST#1' AND begins_with(sk, 'ORDER#')", ORD, orders()
    elif key == "all":
        cli_key, kce, vals = "pk = 'CUST#1'", "pk = :p", dict(C1)
    else:
        cli_key, kce, vals = "pk = 'PAGE#1'", "pk = :p", dict(P1)
    vals.update(values or {})
    return query(id, source, cli_key, kce, values=vals, names=names, cli=("--filter", flt, *kw.pop("cli", ())),
                 params={"FilterExpression": expr, **kw.pop("params", {})}, **kw)  # fmt: skip


# fmt: off
R_FILTER = [
    qf("f-eq-reserved-word", dg(QFILTER), "status = 'OPEN'", "#status = :v", names=NM("status"), values=V(v=S("OPEN")),
       note="status is a reserved word: ddbtui escapes it"),  # fmt: skip
    qf("f-in", dg(OPS, "Making comparisons"), "status IN ('OPEN', 'RETURNED')", "#status IN (:a, :b)",
       names=NM("status"), values=V(a=S("OPEN"), b=S("RETURNED"))),  # fmt: skip
    qf("f-and-binds-tighter-than-or", dg(OPS, "Precedence in conditions"),
       "status = 'OPEN' OR status = 'SHIPPED' AND total > 100", "#status = :a OR #status = :b AND #total > :c",
       names=NM("status", "total"), values=V(a=S("OPEN"), b=S("SHIPPED"), c=N(100))),  # fmt: skip
    qf("f-parentheses", dg(OPS, "Parentheses"), "(status = 'OPEN' OR status = 'SHIPPED') AND total > 100",
       "(#status = :a OR #status = :b) AND #total > :c", names=NM("status", "total"),
       values=V(a=S("OPEN"), b=S("SHIPPED"), c=N(100))),  # fmt: skip
    qf("f-not-contains-missing-attr", dg(OPS, "Logical evaluations"), "NOT contains(comment, 'door')",
       "NOT contains(#comment, :v)", names=NM("comment"), values=V(v=S("door"))),  # fmt: skip
    qf("f-attribute-not-exists", moto("test_dynamodb.py", "test_filter_expression"),
       "attribute_not_exists(comment)", "attribute_not_exists(#comment)", names=NM("comment")),  # fmt: skip
    qf("f-begins-with-reserved", dg(OPS, "Functions"), "begins_with(date, '2024-03')", "begins_with(#date, :v)",
       names=NM("date"), values=V(v=S("2024-03"))),  # fmt: skip
    qf("f-contains-unicode", dg(OPS, "Functions"), "contains(comment, 'ünicode')", "contains(#comment, :v)",
       names=NM("comment"), values=V(v=S("ünicode"))),  # fmt: skip
    qf("f-contains-map-in-list", dg(OPS, "Functions"), 'contains(lines, {"sku": "C3", "qty": 1})',
       "contains(#lines, :v)", names=NM("lines"), values=V(v=M(sku=S("C3"), qty=N(1)))),  # fmt: skip
    qf("f-size-list", dg(OPS, "Functions"), "size(lines) >= 2", "size(#lines) >= :v", names=NM("lines"),
       values=V(v=N(2))),
    qf("f-attribute-type-null", dg(OPS, "Functions"), "attribute_type(nickname, 'NULL')",
       "attribute_type(nickname, :t)", values=V(t=S("NULL")), key="all"),  # fmt: skip
    qf("f-nested-map", dg(DOCPATH, "Nested attributes"), "address.city = 'Paris'", "address.city = :v",
       values=V(v=S("Paris")), key="all"),  # fmt: skip
    qf("f-list-index", dg(DOCPATH, "List elements"), "lines[0].sku = 'A1'", "#lines[0].sku = :v", names=NM("lines"),
       values=V(v=S("A1"))),  # fmt: skip
    qf("f-null", dg(OPS, "Making comparisons"), "nickname = null", "nickname = :v", values=V(v=NULL), key="all"),
    qf("f-binary-equals", dg(OPS, "Making comparisons"), 'avatar = b64"AAEC/w=="', "avatar = :v",
       values=V(v=B(b"\x00\x01\x02\xff")), key="all"),  # fmt: skip
    qf("f-name-with-dot", dg(NAMES, "Attribute names containing dots"), "`a.b` = 'dotted'", "#ab = :v",
       names=NM(ab="a.b"), values=V(v=S("dotted")), key="all"),  # fmt: skip
    qf("f-path-vs-path", dg(OPS, "Making comparisons"), "n > m", "n > m", key="page"),
    qf("f-type-mismatch-matches-nothing", dg(OPS, "Making comparisons"), "total = '35'", "#total = :v",
       names=NM("total"), values=V(v=S("35"))),  # fmt: skip
    qf("f-number-by-value-exponent", dg(NUMS), "total = 100", "#total = :v", names=NM("total"), values=V(v=N(100)),
       note="the item stores 1E2"),  # fmt: skip
    qf("f-not-exists-list-element", dg(OPS, "Functions"), "attribute_not_exists(lines[1])",
       "attribute_not_exists(#lines[1])", names=NM("lines")),  # fmt: skip
    qf("f-size-of-a-value", dg(OPS, "Functions: size"), "size('abc') = 3", "size(:s) = :n",
       values=V(s=S("abc"), n=N(3)), note="DynamoDB accepts size() of a value"),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ reads: projections

PROFILE1 = "pk = 'CUST#1' AND sk = 'PROFILE'"
PROFILE1_KCE = "pk = :p AND sk = :s"
PROFILE1_V = c1(s=S("PROFILE"))


def qp(id, source, project, expr, *, names=None, key="orders", **kw):
    if key == "profile":
        cli_key, kce, vals = PROFILE1, PROFILE1_KCE, dict(PROFILE1_V)
    else:
        cli_key, kce, vals = "pk = 'CUST#1' AND begins_with(sk, 'ORDER#')", ORD, orders()
    vals.update(kw.pop("values", {}) or {})
    return query(id, source, cli_key, kce, values=vals, names=names, cli=("--project", project, *kw.pop("cli", ())),
                 params={"ProjectionExpression": expr, **kw.pop("params", {})}, **kw)  # fmt: skip


# fmt: off
R_PROJECT = [
    qp("p-reserved-words", moto("test_dynamodb.py", "test_basic_projection_expressions_using_query_with_attr_expression_names"),
       "status, date, comment", "#status, #date, #comment", names=NM("status", "date", "comment")),  # fmt: skip
    qp("p-list-elements", moto("test_dynamodb.py", "test_projection_expression_accessing_list_elements"),
       "lines[0].sku, lines[1]", "#lines[0].sku, #lines[1]", names=NM("lines")),  # fmt: skip
    qp("p-absent-attribute", dg(PROJ, "attributes that do not exist are not returned"), "nosuch", "nosuch"),
    qp("p-sets-and-binary", dg(PROJ), "tags, scores, avatar, nickname", "tags, scores, avatar, nickname",
       key="profile"),  # fmt: skip
    qp("p-special-names", dg(NAMES, "Attribute names containing dots"), "`a.b`, `first-name`", "#ab, #fn",
       names=NM(ab="a.b", fn="first-name"), key="profile"),  # fmt: skip
    qp("p-with-filter-on-other-attr", moto("test_dynamodb.py", "test_projection_expression_execution_order"), "sk",
       "sk", cli=("--filter", "total > 50"), names=NM("total"), values=V(v=N(50)),
       params={"FilterExpression": "#total > :v"}),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ reads: indexes

# fmt: off
R_INDEX = [
    query("gsi-range", moto("test_dynamodb_query.py", "test_query_gsi_range_comparison"),
          "status = 'OPEN' AND total BETWEEN 20 AND 200", "#status = :s AND #total BETWEEN :a AND :b",
          names=NM("status", "total"), values=V(s=S("OPEN"), a=N(20), b=N(200)), cli=("--index", "byStatus"),
          params={"IndexName": "byStatus"}),  # fmt: skip
    query("gsi-filter-on-table-key", dg(GSIQ), "status = 'OPEN'", "#status = :s", names=NM("status"),
          values=V(s=S("OPEN"), c=S("CUST#2")), cli=("--index", "byStatus", "--filter", "begins_with(pk, 'CUST#2')"),
          params={"IndexName": "byStatus", "FilterExpression": "begins_with(pk, :c)"}),  # fmt: skip
    query("gsi-keys-only", moto("test_dynamodb.py", "test_gsi_projection_type_keys_only"),
          "email = 'ada@example.com'", "email = :e", values=V(e=S("ada@example.com")), cli=("--index", "byEmail"),
          params={"IndexName": "byEmail"}),  # fmt: skip
    query("lsi-range-reserved-key", dg(LSI), "pk = 'CUST#1' AND date >= '2024-03-01'", "pk = :p AND #date >= :d",
          names=NM("date"), values=c1(d=S("2024-03-01")), cli=("--index", "byDate"),
          params={"IndexName": "byDate"}),  # fmt: skip
    query("lsi-fetches-unprojected", moto("test_dynamodb.py", "test_lsi_projection_type_keys_only"),
          "pk = 'CUST#1' AND date < '2024-03'", "pk = :p AND #date < :d", names=NM("date", "comment"),
          values=c1(d=S("2024-03")), cli=("--index", "byDate", "--project", "sk, comment"),
          params={"IndexName": "byDate", "ProjectionExpression": "sk, #comment"}),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ reads: Scan

# fmt: off
R_SCAN = [
    scan("s-project", moto("test_dynamodb.py", "test_basic_projection_expressions_using_scan"), table="@simple",
         cli=("--project", "id, n"), params={"ProjectionExpression": "id, n"}),  # fmt: skip
    scan("s-list-elements-mixed", dg(DOCPATH), table="@simple", cli=("--filter", "mixed[1] = 1 AND mixed[3] = null"),
         values=V(a=N(1), b=NULL), params={"FilterExpression": "mixed[1] = :a AND mixed[3] = :b"}),  # fmt: skip
    scan("s-map-key-with-hyphen", dg(NAMES), table="@simple", cli=("--filter", "meta.`x-y` = 'z'"),
         names=NM(xy="x-y"), values=V(v=S("z")), params={"FilterExpression": "meta.#xy = :v"}),  # fmt: skip
    scan("s-gsi", moto("test_dynamodb_scan.py", "test_scan_by_global_index"), cli=("--index", "byStatus"),
         params={"IndexName": "byStatus"}),  # fmt: skip
    scan("s-gsi-keys-only-sparse", dg(GSIS, "sparse indexes"), cli=("--index", "byEmail"),
         params={"IndexName": "byEmail"}),  # fmt: skip
    scan("s-parallel-3", dg(SPARALLEL), cli=("--segments", "3", "--filter", "attribute_exists(pad)"),
         names=NM("pad"), params={"FilterExpression": "attribute_exists(#pad)"}, segments=3),  # fmt: skip
    scan("s-filter-on-key", moto("test_dynamodb_scan.py", "test_scan_with_numeric_range_key"), table="@nums",
         cli=("--filter", "sk BETWEEN -1 AND 1"), values=V(a=N(-1), b=N(1)),
         params={"FilterExpression": "sk BETWEEN :a AND :b"}),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ reads: paging

PAGE1 = ("pk = 'PAGE#1'", "pk = :p")

# fmt: off
R_PAGING = [
    query("pg-q-page-size", dg(QPAGE), *PAGE1, values=P1, cli=("--page-size", "7"), params={"Limit": 7}),
    query("pg-q-page-size-divides", dg(QPAGE, "LastEvaluatedKey with an empty last page"), *PAGE1, values=P1,
          cli=("--page-size", "10"), params={"Limit": 10}),  # fmt: skip
    query("pg-q-max-pages", moto("test_dynamodb_query.py", "test_query_pagination"), *PAGE1, values=P1,
          cli=("--page-size", "4", "--max-pages", "2"), params={"Limit": 4}, max_pages=2),  # fmt: skip
    query("pg-q-limit-and-page-size", dg(QLIMIT), *PAGE1, values=P1, cli=("--limit", "10", "--page-size", "4"),
          params={"Limit": 4}, limit=10),  # fmt: skip
    query("pg-q-limit-with-filter", dg(QLIMIT, "Limit applies before the filter"), *PAGE1, values=p1(t=BOOL(True)),
          cli=("--limit", "4", "--filter", "even = true"), params={"FilterExpression": "even = :t"}, limit=4),  # fmt: skip
    query("pg-q-page-size-with-filter", dg(QFILTER, "Limit and ScannedCount"), *PAGE1, values=p1(v=N(20)),
          cli=("--page-size", "5", "--filter", "n >= 20"), params={"Limit": 5, "FilterExpression": "n >= :v"}),  # fmt: skip
    query("pg-q-resume", dg(QPAGE, "ExclusiveStartKey"), *PAGE1, values=P1, cli=("--limit", "7", "--page-size", "3"),
          params={"Limit": 3}, limit=7, resume=True),  # fmt: skip
    query("pg-q-resume-gsi", moto("test_dynamodb.py", "test_gsi_lastevaluatedkey"), "status = 'OPEN'", "#status = :s",
          names=NM("status"), values=V(s=S("OPEN")), cli=("--index", "byStatus", "--limit", "2"),
          params={"IndexName": "byStatus"}, limit=2, resume=True),  # fmt: skip
    query("pg-q-resume-numeric", moto("test_dynamodb_query.py", "test_query_pagination_with_float_numeric_key_in_exclusive_start_key"),
          "pk = 'N'", "pk = :p", values=V(p=S("N")), table="@nums", cli=("--limit", "4"), limit=4, resume=True),  # fmt: skip
    query("pg-q-limit-exact", dg(QLIMIT), *PAGE1, values=P1, cli=("--limit", "30"), limit=30),
    scan("pg-s-page-size", moto("test_dynamodb_table_without_range_key.py", "test_scan_pagination"),
         cli=("--page-size", "10"), params={"Limit": 10}),  # fmt: skip
    scan("pg-s-limit-with-filter", dg(SPAGE, "Limit applies before the filter"),
         cli=("--limit", "3", "--filter", "status = 'OPEN'"), names=NM("status"), values=V(v=S("OPEN")),
         params={"FilterExpression": "#status = :v"}, limit=3),  # fmt: skip
    scan("pg-s-resume", moto("test_dynamodb_scan.py", "test_scan_with_unknown_last_evaluated_key"), table="@simple",
         cli=("--limit", "5"), limit=5, resume=True),  # fmt: skip
    scan("pg-s-resume-gsi", moto("test_dynamodb_scan.py", "test_scan_gsi_exlusive_start_key"),
         cli=("--index", "byStatus", "--limit", "4"), params={"IndexName": "byStatus"}, limit=4, resume=True),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ reads: GetItem

KP1 = {"pk": S("CUST#1"), "sk": S("PROFILE")}
KP1_ARG = '{"pk": "CUST#1", "sk": "PROFILE"}'

# fmt: off
R_GET = [
    get("g-full-item", dg(READ), KP1, KP1_ARG),
    get("g-absent", moto("test_dynamodb_consumedcapacity.py", "test_consumed_capacity_get_unknown_item"),
        {"pk": S("CUST#9"), "sk": S("PROFILE")}, '{"pk": "CUST#9", "sk": "PROFILE"}'),  # fmt: skip
    get("g-project-nested", moto("test_dynamodb.py", "test_nested_projection_expression_using_get_item"), KP1, KP1_ARG,
        cli=("--project", "address.geo.lon, phones[1]"), params={"ProjectionExpression": "address.geo.lon, phones[1]"}),  # fmt: skip
    get("g-project-reserved", moto("test_dynamodb.py", "test_basic_projection_expression_using_get_item_with_attr_expression_names"),
        KP1, KP1_ARG, names=NM("size", "count"), cli=("--project", "size, count"),
        params={"ProjectionExpression": "#size, #count"}),  # fmt: skip
    get("g-project-absent", dg(PROJ), KP1, KP1_ARG, cli=("--project", "nosuch"), params={"ProjectionExpression": "nosuch"},
        note="DynamoDB answers Item: {} (an item with no attributes)"),  # fmt: skip
    get("g-number-key-other-spelling", dg(NUMS), {"pk": S("N"), "sk": N("1E3")}, '{"pk": "N", "sk": 1E3}',
        table="@nums"),  # fmt: skip
]
# fmt: on

READS = R_QUERY + R_FILTER + R_PROJECT + R_INDEX + R_SCAN + R_PAGING + R_GET

# ------------------------------------------------------------------------------------------ writes


def _u(section: str) -> str:
    return dg(UPD, section)


# fmt: off
W_UPDATE = [
    update("u-set-several-reserved", moto("test_dynamodb.py", "test_multiple_updates"),
           "SET price = 11, qty = 4, name = 'Gadget'", "SET price = :a, qty = :b, #name = :c", names=NM("name"),
           values=V(a=N(11), b=N(4), c=S("Gadget"))),  # fmt: skip
    update("u-increment", _u("Incrementing and decrementing numeric attributes"), "SET price = price + 5",
           "SET price = price + :v", values=V(v=N(5))),  # fmt: skip
    update("u-decimal-precision", moto("test_dynamodb.py", "test_update_item_arithmetic_preserves_decimal_precision"),
           "SET precise = precise + 2.2", "SET precise = precise + :v", values=V(v=N("2.2"))),  # fmt: skip
    update("u-38-digit-arithmetic", dg(NUMS, "up to 38 digits of precision"), "SET big = big + 1",
           "SET big = big + :v", values=V(v=N(1))),  # fmt: skip
    update("u-swap-reads-old-item", _u("multiple actions read the item as it was before the update"),
           "SET price = qty, qty = price", "SET price = qty, qty = price"),  # fmt: skip
    update("u-list-replace-element", moto("test_dynamodb.py", "test_update_list_index__set_existing_index"),
           "SET RelatedItems[1] = 'Screws'", "SET RelatedItems[1] = :v", values=V(v=S("Screws"))),  # fmt: skip
    update("u-list-index-past-end", moto("test_dynamodb.py", "test_update_list_index__set_index_out_of_range"),
           "SET RelatedItems[7] = 'Saw'", "SET RelatedItems[7] = :v", values=V(v=S("Saw"))),  # fmt: skip
    update("u-list-two-past-end-defect1", _u("Adding elements to a list: elements are sorted by element number"),
           "SET RelatedItems[5] = 'Wrench', RelatedItems[3] = 'Pliers'", "SET RelatedItems[5] = :a, RelatedItems[3] = :b",
           values=V(a=S("Wrench"), b=S("Pliers")), defect=1,
           note="DynamoDB stores [Hammer, Nails, Pliers, Wrench]; ddbtui journals [.., Wrench, Pliers]"),  # fmt: skip
    update("u-list-past-end-and-replace", _u("Adding elements to a list"),
           "SET RelatedItems[9] = 'Level', RelatedItems[0] = 'Mallet'", "SET RelatedItems[9] = :a, RelatedItems[0] = :b",
           values=V(a=S("Level"), b=S("Mallet"))),  # fmt: skip
    update("u-list-append", moto("test_dynamodb.py", "test_update_supports_list_append"),
           "SET RelatedItems = list_append(RelatedItems, ['Drill'])", "SET RelatedItems = list_append(RelatedItems, :v)",
           values=V(v=L(S("Drill")))),  # fmt: skip
    update("u-nested-map-attribute", moto("test_dynamodb_update_expressions.py", "test_update_different_map_elements_in_single_request"),
           "SET info.color = 'green', info.dims.w = 5", "SET info.color = :a, info.dims.w = :b",
           values=V(a=S("green"), b=N(5))),  # fmt: skip
    update("u-set-map-literal", moto("test_dynamodb.py", "test_update_supports_complex_expression_attribute_values"),
           'SET meta = {"a": 1, "b": [true, null]}', "SET meta = :v", values=V(v=M(a=N(1), b=L(BOOL(True), NULL)))),  # fmt: skip
    update("u-if-not-exists-absent", moto("test_dynamodb.py", "test_update_if_not_exists"),
           "SET views = if_not_exists(views, 0) + 1", "SET #views = if_not_exists(#views, :z) + :o",
           names=NM("views"), values=V(z=N(0), o=N(1))),  # fmt: skip
    update("u-remove-nested", moto("test_dynamodb_table_without_range_key.py", "test_update_item_double_nested_remove"),
           "REMOVE info.dims.h", "REMOVE info.dims.h"),  # fmt: skip
    update("u-remove-list-elements", moto("test_dynamodb.py", "test_remove_list_index__remove_multiple_indexes"),
           "REMOVE RelatedItems[0], RelatedItems[1]", "REMOVE RelatedItems[0], RelatedItems[1]"),  # fmt: skip
    update("u-remove-absent-attribute", moto("test_dynamodb.py", "test_remove_top_level_attribute_non_existent"),
           "REMOVE nosuch", "REMOVE nosuch"),  # fmt: skip
    update("u-add-number", _u("ADD - updating numbers and sets: adding a number"), "ADD counter 5", "ADD #counter :v",
           names=NM("counter"), values=V(v=N(5))),  # fmt: skip
    update("u-add-negative-decimal", moto("test_dynamodb_update_expressions.py", "test_update_item_add_float"),
           "ADD price -2.5", "ADD price :v", values=V(v=N("-2.5"))),  # fmt: skip
    update("u-add-to-string-set", _u("ADD - adding elements to a set"), "ADD tags <<'c', 'd'>>", "ADD tags :v",
           values=V(v=SS("c", "d"))),  # fmt: skip
    update("u-delete-from-set", _u("DELETE - removing elements from a set"), "DELETE tags <<'a'>>", "DELETE tags :v",
           values=V(v=SS("a"))),  # fmt: skip
    update("u-delete-whole-set", moto("test_dynamodb.py", "test_set_attribute_is_dropped_if_empty_after_update_expression"),
           "DELETE tags <<'a', 'b'>>", "DELETE tags :v", values=V(v=SS("a", "b"))),  # fmt: skip
    update("u-all-four-clauses", _u("Using multiple update expressions"),
           "SET a = 1 REMOVE flag ADD counter 1 DELETE tags <<'b'>>", "SET a = :a REMOVE flag ADD #counter :c DELETE tags :t",
           names=NM("counter"), values=V(a=N(1), c=N(1), t=SS("b"))),  # fmt: skip
    update("u-set-and-remove-list", moto("test_dynamodb_update_expressions.py", "test_update_expression_remove_list_and_attribute"),
           "SET RelatedItems[0] = 'Mallet' REMOVE RelatedItems[1]", "SET RelatedItems[0] = :v REMOVE RelatedItems[1]",
           values=V(v=S("Mallet"))),  # fmt: skip
    update("u-upsert-creates", moto("test_dynamodb_table_with_range_key.py", "test_update_item_does_not_exist_is_created"),
           "SET price = 1", "SET price = :v", values=V(v=N(1)), seed=None, upsert=True),  # fmt: skip
    update("u-condition-true", moto("test_dynamodb_table_without_range_key.py", "test_update_item_conditions_pass"),
           "SET price = 20", "SET price = :v", values=V(v=N(20), c=N(10)), condition="price = 10", cond="price = :c"),  # fmt: skip
    update("u-condition-false", moto("test_dynamodb_table_without_range_key.py", "test_update_item_conditions_fail"),
           "SET price = 20", "SET price = :v", values=V(v=N(20), c=N(100)), condition="price > 100", cond="price > :c",
           expect="ConditionalCheckFailedException"),  # fmt: skip
    update("u-item-absent", moto("test_dynamodb.py", "test_update_non_existing_item_raises_error_and_does_not_contain_item_afterwards"),
           "SET price = 1", "SET price = :v", values=V(v=N(1)), seed=None, expect="ConditionalCheckFailedException",
           note="without --upsert ddbtui updates only an existing item"),  # fmt: skip
    update("u-condition-and-or", dg(OPS, "Precedence in conditions"), "SET qty = 0",
           "SET qty = :z", names=NM("status"), values=V(z=N(0), a=S("NEW"), b=S("OLD"), q=N(3)),
           condition="(status = 'NEW' OR status = 'OLD') AND qty >= 3", cond="(#status = :a OR #status = :b) AND qty >= :q"),  # fmt: skip
    update("u-change-gsi-key", moto("test_dynamodb.py", "test_gsi_key_can_be_updated"), "SET status = 'DONE'",
           "SET #status = :v", names=NM("status"), values=V(v=S("DONE"))),  # fmt: skip
    update("u-nested-list-in-map", moto("test_dynamodb.py", "test_update_supports_nested_list_append"),
           "SET info.parts = list_append(if_not_exists(info.parts, []), ['bolt'])",
           "SET info.parts = list_append(if_not_exists(info.parts, :e), :v)", values=V(e=L(), v=L(S("bolt")))),  # fmt: skip
    update("u-one-pair-around-operands", _u("SET: an operand in one pair of parentheses (DynamoDB takes it)"),
           "SET price = (qty) + (1), name = (list_append(RelatedItems, ['x']))",
           "SET price = (qty) + (:o), #name = (list_append(RelatedItems, :l))", names=NM("name"),
           values=V(o=N(1), l=L(S("x")))),  # fmt: skip
]
# fmt: on

# fmt: off
W_PUT = [
    put("w-put-create", dg(WRITE, "PutItem"), {"status": S("NEW"), "price": N(5)}),
    put("w-put-existing-refused", dg(COND, "Preventing overwrites of an existing item"), {"price": N(5)}, seed=BASE,
        expect="ConditionalCheckFailedException", note="ddbtui's put creates only"),  # fmt: skip
    put("w-put-overwrite", moto("test_dynamodb.py", "test_put_return_attributes"), {"price": N(6), "status": S("OLD")},
        seed=BASE, overwrite=True),  # fmt: skip
    put("w-put-condition-false", moto("test_dynamodb_table_without_range_key.py", "test_put_item_conditions_fail"),
        {"price": N(7)}, seed=BASE, condition="price = 11", cond="price = :p", values=V(p=N(11)),
        expect="ConditionalCheckFailedException"),  # fmt: skip
    put("w-put-every-type", dg("Supported data types (HowItWorks.NamingRulesDataTypes)"),
        {"s": S("x"), "n": N("-1.5"), "b": B(b"\x00\xff"), "bool": BOOL(False), "null": NULL, "ss": SS("p", "q"),
         "ns": NS(1, "2.5"), "bs": BS(b"\x01", b"\x02"), "l": L(S("a"), N(1), L()), "m": M(k=M(deep=SS("z")))}),  # fmt: skip
    put("w-put-number-forms", dg(NUMS), {"a": N("0.10E2"), "b": N("-0"), "c": N("1.2345678901234567890123456789012345678"),
        "d": N("1E-130"), "e": N("99999999999999999999999999999999999999"), "f": N("9.9999999999999999999999999999999999999E+125")}),  # fmt: skip
    put("w-put-unicode", moto("test_dynamodb.py", "test_put_item_with_special_chars"),
        {"name": S("Zoë 日本 🚀"), "emoji-key 🚀": S("v"), "esc": S("tab\tnew\nline")}),  # fmt: skip
]
# fmt: on

# fmt: off
W_DELETE = [
    delete("w-delete", dg(WRITE, "DeleteItem")),
    delete("w-delete-absent", moto("test_dynamodb_update_expressions.py", "test_delete_non_existing_item"), seed=None,
           expect="ConditionalCheckFailedException", note="ddbtui deletes only an existing item unless --missing-ok"),  # fmt: skip
    delete("w-delete-absent-missing-ok", dg(WRITE, "DeleteItem"), seed=None, missing_ok=True),
    delete("w-delete-condition-false", dg(COND, "Conditional deletes"), condition="qty > 5", cond="qty > :q",
           values=V(q=N(5)), expect="ConditionalCheckFailedException"),  # fmt: skip
    delete("w-delete-condition-binary", dg(COND), condition='blob = b64"AQI="', cond="#blob = :b", names=NM("blob"),
           values=V(b=B(b"\x01\x02"))),  # fmt: skip
]
# fmt: on

WRITES = W_UPDATE + W_PUT + W_DELETE

# ------------------------------------------------------------------------------------------ errors

E = "errors"
VE = "ValidationException"
PAREN = dg(OPS, "Parentheses: DynamoDB refuses redundant parentheses")
CASE = dg(OPS, "Functions: function names are case-sensitive")
EMPTY = dg("Expressions (Expressions): an expression cannot be empty")

# fmt: off
ERRORS = [
    # -- defect 2: DynamoDB refuses these; ddbtui must refuse them before sending
    qf("e-redundant-parens-filter", PAREN, "((total < 100))", "((#total < :v))", names=NM("total"), values=V(v=N(100)),
       family=E, expect="refuse", defect=2),  # fmt: skip
    query("e-redundant-parens-key", PAREN, "pk = 'CUST#1' AND ((sk > 'A'))", "pk = :p AND ((sk > :s))",
          values=c1(s=S("A")), family=E, expect="refuse", defect=2),  # fmt: skip
    put("e-redundant-parens-put-condition", PAREN, {"price": N(1)}, condition="((attribute_not_exists(pk)))",
        cond="((attribute_not_exists(pk)))", family=E, expect="refuse", defect=2),  # fmt: skip
    delete("e-redundant-parens-delete-condition", PAREN, condition="((price = 10))", cond="((price = :p))",
           values=V(p=N(10)), family=E, expect="refuse", defect=2),  # fmt: skip
    query("e-upper-case-begins-with", CASE, "pk = 'CUST#1' AND BEGINS_WITH(sk, 'ORDER')",
          "pk = :p AND BEGINS_WITH(sk, :s)", values=c1(s=S("ORDER")), family=E, expect="refuse", defect=2),  # fmt: skip
    qf("e-mixed-case-contains", CASE, "Contains(comment, 'door')", "Contains(#comment, :v)", names=NM("comment"),
       values=V(v=S("door")), family=E, expect="refuse", defect=2),  # fmt: skip
    put("e-mixed-case-put-condition", CASE, {"price": N(1)}, condition="Attribute_Not_Exists(pk)",
        cond="Attribute_Not_Exists(pk)", family=E, expect="refuse", defect=2),  # fmt: skip
    qf("e-empty-filter", EMPTY, "", "", family=E, expect="refuse", defect=2),
    qp("e-empty-projection", EMPTY, "", "", family=E, expect="refuse", defect=2),
    scan("e-empty-scan-filter", EMPTY, table="@simple", cli=("--filter", ""), params={"FilterExpression": ""},
         family=E, expect="refuse", defect=2),  # fmt: skip
    get("e-empty-get-projection", EMPTY, KP1, KP1_ARG, cli=("--project", ""), params={"ProjectionExpression": ""},
        family=E, expect="refuse", defect=2),  # fmt: skip
    put("e-empty-put-condition", EMPTY, {"price": N(1)}, condition="", cond="", family=E, expect="refuse", defect=2,
        note="ddbtui today drops an empty --condition and writes"),  # fmt: skip
    delete("e-empty-delete-condition", EMPTY, condition="", cond="", family=E, expect="refuse", defect=2),
    update("e-empty-update-condition", EMPTY, "SET qty = 1", "SET qty = :q", values=V(q=N(1)), condition="", cond="",
           family=E, expect="refuse", defect=2),  # fmt: skip
    update("e-empty-update-expression", moto("test_dynamodb.py", "test_error_when_providing_empty_update_expression"),
           "", "", family=E, expect="refuse", defect=2),  # fmt: skip
    update("e-redundant-parens-update", PAREN, "SET price = ((qty))", "SET price = ((qty))", family=E, expect="refuse",
           defect=2),  # fmt: skip
    update("e-redundant-parens-update-sum", PAREN, "SET price = ((qty + 1))", "SET price = ((qty + :o))",
           values=V(o=N(1)), family=E, expect="refuse", defect=2),  # fmt: skip
    update("e-upper-case-list-append", CASE, "SET RelatedItems = LIST_APPEND(RelatedItems, ['x'])",
           "SET RelatedItems = LIST_APPEND(RelatedItems, :l)", values=V(l=L(S("x"))), family=E, expect="refuse",
           defect=2),  # fmt: skip
    update("e-mixed-case-if-not-exists", CASE, "SET qty = If_Not_Exists(qty, 0)", "SET qty = If_Not_Exists(qty, :z)",
           values=V(z=N(0)), family=E, expect="refuse", defect=2),  # fmt: skip
    # -- key conditions DynamoDB refuses
    query("e-key-non-key-attribute", moto("exceptions/test_dynamodb_exceptions.py", "test_query_table_with_wrong_attrs_used_in_key_condition_expression"),
          "pk = 'CUST#1' AND status = 'OPEN'", "pk = :p AND #status = :s", names=NM("status"), values=c1(s=S("OPEN")),
          family=E, expect=VE),  # fmt: skip
    query("e-key-or", dg(KEYCOND), "pk = 'CUST#1' OR pk = 'CUST#2'", "pk = :p OR pk = :q", values=c1(q=S("CUST#2")),
          family=E, expect=VE),  # fmt: skip
    query("e-key-begins-with-partition", moto("exceptions/test_dynamodb_exceptions.py", "test_hash_key_cannot_use_begins_with_operations"),
          "begins_with(pk, 'CUST')", "begins_with(pk, :p)", values=V(p=S("CUST")), family=E, expect=VE),  # fmt: skip
    query("e-key-wrong-type", dg(KEYCOND), "pk = 5", "pk = :p", values=V(p=N(5)), family=E, expect=VE),
    query("e-key-between-reversed", dg(KEYCOND, "a BETWEEN b AND c"), "pk = 'CUST#1' AND sk BETWEEN 'Z' AND 'A'",
          "pk = :p AND sk BETWEEN :a AND :b", values=c1(a=S("Z"), b=S("A")), family=E, expect=VE),  # fmt: skip
    qf("e-query-filter-on-sort-key", dg(QFILTER, "A filter expression cannot contain partition key or sort key attributes"),
       "sk = 'PROFILE'", "sk = :s", values=V(s=S("PROFILE")), key="all", family=E, expect=VE),  # fmt: skip
    query("e-gsi-consistent-read", moto("exceptions/test_dynamodb_exceptions.py", "test_cannot_query_gsi_with_consistent_read"),
          "status = 'OPEN'", "#status = :s", names=NM("status"), values=V(s=S("OPEN")),
          cli=("--index", "byStatus", "--consistent"), params={"IndexName": "byStatus", "ConsistentRead": True},
          family=E, expect=VE),  # fmt: skip
    query("e-unknown-table", moto("test_dynamodb.py", "test_query_invalid_table"), "pk = 'x'", "pk = :p",
          values=V(p=S("x")), table="cf_no_such_table", family=E, expect="ResourceNotFoundException"),  # fmt: skip
    # -- filters and projections DynamoDB refuses
    qf("e-attribute-type-unknown", dg(OPS, "Functions: attribute_type"), "attribute_type(total, 'X')",
       "attribute_type(#total, :t)", names=NM("total"), values=V(t=S("X")), family=E, expect=VE),  # fmt: skip
    qf("e-in-101-values", dg(LIMITS, "IN: up to 100 values"), "total IN (" + ", ".join(str(i) for i in range(101)) + ")",
       "#total IN (" + ", ".join(f":v{i}" for i in range(101)) + ")", names=NM("total"),
       values={f":v{i}": N(i) for i in range(101)}, family=E, expect=VE),  # fmt: skip
    qf("e-filter-between-reversed", dg(OPS, "Making comparisons: a BETWEEN b AND c"), "total BETWEEN 10 AND 1",
       "#total BETWEEN :a AND :b", names=NM("total"), values=V(a=N(10), b=N(1)), family=E, expect=VE),  # fmt: skip
    qp("e-projection-overlap", moto("test_dynamodb.py", "test_invalid_projection_expressions"), "lines, lines[0]",
       "#lines, #lines[0]", names=NM("lines"), family=E, expect=VE),  # fmt: skip
    # -- GetItem keys DynamoDB refuses
    get("e-get-missing-sort-key", moto("test_dynamodb_table_with_range_key.py", "test_get_item_without_range_key"),
        {"pk": S("CUST#1")}, '{"pk": "CUST#1"}', family=E, expect=VE),  # fmt: skip
    # -- writes DynamoDB refuses
    update("e-update-key-attribute", moto("exceptions/test_dynamodb_exceptions.py", "test_update_primary_key_with_sortkey"),
           "SET sk = 'x'", "SET sk = :v", values=V(v=S("x")), family=E, expect=VE),  # fmt: skip
    update("e-update-overlapping-paths", _u("two actions on the same path"), "SET price = 1, price = 2",
           "SET price = :a, price = :b", values=V(a=N(1), b=N(2)), family=E, expect=VE),  # fmt: skip
    update("e-update-absent-operand", moto("test_dynamodb.py", "test_non_existing_attribute_should_raise_exception"),
           "SET x = nosuch + 1", "SET x = nosuch + :o", values=V(o=N(1)), family=E, expect=VE),  # fmt: skip
    update("e-update-index-into-string", moto("test_dynamodb.py", "test_update_list_index__set_index_of_a_string"),
           "SET name[0] = 'x'", "SET #name[0] = :v", names=NM("name"), values=V(v=S("x")), family=E, expect=VE),  # fmt: skip
    update("e-update-add-to-list", _u("ADD: only numbers and sets"), "ADD RelatedItems ['x']", "ADD RelatedItems :v",
           values=V(v=L(S("x"))), family=E, expect=VE),  # fmt: skip
    update("e-update-missing-parent-map", moto("test_dynamodb_validation.py", "test_validation_set_path_does_not_need_to_be_resolvable_but_must_be_creatable_when_setting_a_new_attribute"),
           "SET nomap.child = 1", "SET nomap.child = :v", values=V(v=N(1)), family=E, expect=VE),  # fmt: skip
    put("e-put-missing-sort-key", moto("test_dynamodb.py", "test_put_item_nonexisting_range_key"), {},
        family=E, expect=VE, cli=()),  # replaced below: the item lacks sk  # fmt: skip
    put("e-put-empty-string-key", moto("test_dynamodb.py", "test_item_add_empty_string_range_key_exception"), {},
        family=E, expect=VE),  # replaced below  # fmt: skip
    put("e-put-empty-set", moto("exceptions/test_dynamodb_exceptions.py", "test_put_item_empty_set"), {"s": SS()},
        family=E, expect=VE),  # fmt: skip
    put("e-put-number-too-large", dg(NUMS, "Positive range: 1E-130 to 9.9999999999999999999999999999999999999E+125"),
        {"n": N("1E126")}, family=E, expect=VE),  # fmt: skip
    delete("e-delete-condition-syntax", moto("test_dynamodb_expressions.py", "test_expression_tokenizer_2_different_operators_back_to_back"),
           condition="price = = 1", cond="price = = :p", values=V(p=N(1)), family=E, expect=VE),  # fmt: skip
    put("e-put-condition-unknown-function", dg(OPS, "Functions"), {"price": N(1)}, condition="exists(pk)",
        cond="exists(pk)", family=E, expect=VE),  # fmt: skip
]
# fmt: on


def _replace_item(case: Case, item: dict[str, AV]) -> Case:
    """A put case whose item is not the usual key + attributes (bad keys)."""
    from dataclasses import replace

    args = list(case.cli)
    i = args.index("--item")
    new_args = ("put", "@W", *item_arg(item), *args[i + 2 :])
    return replace(case, cli=tuple(new_args), request={**case.request, "Item": item})


# fmt: off
_BAD_ITEMS = {
    "e-put-missing-sort-key": {"pk": S("W#e-put-missing-sort-key")},
    "e-put-key-wrong-type": {"pk": S("W#e-put-key-wrong-type"), "sk": N(1)},
    "e-put-empty-string-key": {"pk": S("W#e-put-empty-string-key"), "sk": S("")},
}
# fmt: on
ERRORS = [_replace_item(c, _BAD_ITEMS[c.id]) if c.id in _BAD_ITEMS else c for c in ERRORS]

# ------------------------------------------------------------------------------------------ PartiQL

PQ = "partiql"


def _params_cli(values: list[Any]) -> tuple[str, ...]:
    return ("--params", json.dumps(values))


# fmt: off
PARTIQL = [
    sql("sql-select-star", moto("test_dynamodb_statements.py", "test_execute_statement_select_star"),
        "SELECT * FROM \"@main\" WHERE pk = 'CUST#2'"),  # fmt: skip
    sql("sql-select-attributes", moto("test_dynamodb_statements.py", "test_execute_statement_select_attr"),
        "SELECT sk, total FROM \"@main\" WHERE pk = 'CUST#1'"),  # fmt: skip
    sql("sql-select-nested-paths", dg(PQSEL, "expression: document paths"),
        "SELECT address.city, phones[0] FROM \"@main\" WHERE pk = 'CUST#1' AND sk = 'PROFILE'"),  # fmt: skip
    sql("sql-begins-with", dg(PQFN, "BEGINS_WITH"), "SELECT * FROM \"@main\" WHERE pk = 'CUST#1' AND begins_with(sk, 'ORDER#')"),
    sql("sql-in-partition-keys", dg(PQSEL, "WHERE pk IN [...]"), "SELECT * FROM \"@main\" WHERE pk IN ['CUST#2', 'CUST#3']",
        ordered=False),  # fmt: skip
    sql("sql-number-compare", dg(PQOPS), "SELECT sk FROM \"@main\" WHERE pk = 'CUST#1' AND total > 50"),
    sql("sql-is-missing", dg(PQFN, "MISSING"), "SELECT sk FROM \"@main\" WHERE pk = 'CUST#1' AND comment IS MISSING"),
    sql("sql-contains-set", dg(PQFN, "CONTAINS"), "SELECT sk FROM \"@main\" WHERE pk = 'CUST#1' AND contains(tags, 'vip')"),
    sql("sql-on-gsi", moto("test_dynamodb_statements.py", "test_execute_statement_on_gsi"),
        "SELECT * FROM \"@main\".\"byStatus\" WHERE \"status\" = 'OPEN'"),  # fmt: skip
    sql("sql-full-scan", dg(PQSEL, "a full table scan"), "SELECT * FROM \"@simple\"", ordered=False),
    sql("sql-scan-with-filter", dg(PQSEL), "SELECT id, n FROM \"@simple\" WHERE kind = 'fruit'", ordered=False),
    sql("sql-or-in-parentheses", dg(PQOPS, "logical operators"),
        "SELECT sk FROM \"@main\" WHERE pk = 'CUST#1' AND (\"status\" = 'OPEN' OR total < 0)"),  # fmt: skip
    sql("sql-page-size", dg("ExecuteStatement API: Limit and NextToken"), "SELECT * FROM \"@main\" WHERE pk = 'PAGE#1'",
        cli=("--page-size", "7"), params={"Limit": 7}),  # fmt: skip
    sql("sql-limit", dg("ExecuteStatement API: Limit and NextToken"), "SELECT sk FROM \"@main\" WHERE pk = 'PAGE#1'",
        cli=("--limit", "5"), limit=5),  # fmt: skip
    sql("sql-max-pages", dg("ExecuteStatement API: Limit and NextToken"), "SELECT sk FROM \"@main\" WHERE pk = 'PAGE#1'",
        cli=("--page-size", "4", "--max-pages", "2"), params={"Limit": 4}, max_pages=2),  # fmt: skip
    sql("sql-params-plain-defect3", moto("test_dynamodb_statements.py", "test_execute_statement_with_parameter"),
        "SELECT * FROM \"@simple\" WHERE id = ?", cli=_params_cli(["a"]), params={"Parameters": [S("a")]}, defect=3),  # fmt: skip
    sql("sql-params-ddb-json-defect3", moto("test_dynamodb_statements.py", "test_execute_statement_with_parameter"),
        "SELECT * FROM \"@simple\" WHERE id = ?", cli=_params_cli([{"S": "a"}]), params={"Parameters": [S("a")]},
        defect=3),  # fmt: skip
    sql("sql-params-two-plain-defect3", dg("ExecuteStatement API: Parameters"),
        "SELECT sk FROM \"@main\" WHERE pk = ? AND total > ?", cli=_params_cli(["CUST#1", 50]),
        params={"Parameters": [S("CUST#1"), N(50)]}, defect=3),  # fmt: skip
    sql("sql-params-in-list-defect3", dg("ExecuteStatement API: Parameters"),
        "SELECT * FROM \"@nums\" WHERE pk = ? AND sk IN [?, ?]", cli=_params_cli(["N", -1, 10.5]),
        params={"Parameters": [S("N"), N(-1), N("10.5")]}, defect=3),  # fmt: skip
    sql("sql-error-syntax", moto("test_dynamodb_statements.py", "test_execute_statement_with_no_results"),
        "SELECT * FORM \"@simple\"", expect=VE),  # fmt: skip
    sql("sql-error-unknown-table", dg(PQSEL), "SELECT * FROM \"cf_no_such_table\"", expect="ResourceNotFoundException"),
    sql("sql-error-unknown-index", moto("test_dynamodb_statements.py", "test_execute_statement_on_unknown_gsi_table"),
        "SELECT * FROM \"@main\".\"nosuchindex\" WHERE pk = 'CUST#1'", expect=VE),  # fmt: skip
]
# fmt: on

# ------------------------------------------------------------------------------------------ capacity

CP = "capacity"

# fmt: off
CAPACITY = [
    scan("cap-scan-filtered-defect4", dg(CAPR, "Scan: filtered items are charged too"),
         cli=("--filter", "status = 'OPEN'"), names=NM("status"), values=V(v=S("OPEN")),
         params={"FilterExpression": "#status = :v"}, family=CP, compare_capacity=True, defect=4),  # fmt: skip
    query("cap-query-eventual", dg(CAPR, "Query: sum of item sizes, rounded up to 4 KB"), *PAGE1, values=P1,
          family=CP, compare_capacity=True, defect=4),  # fmt: skip
    query("cap-query-strong", dg(CAPR, "strongly consistent reads cost twice"), *PAGE1, values=P1,
          cli=("--consistent",), params={"ConsistentRead": True}, family=CP, compare_capacity=True, defect=4),  # fmt: skip
    query("cap-query-pages", dg(CAPR, "each page rounded up"), *PAGE1, values=P1, cli=("--page-size", "7"),
          params={"Limit": 7}, family=CP, compare_capacity=True, defect=4),  # fmt: skip
    query("cap-query-filtered", dg(CAPR, "Query: filtered items are charged too"), *PAGE1, values=p1(v=N(3)),
          cli=("--filter", "n = 3"), params={"FilterExpression": "n = :v"}, family=CP, compare_capacity=True, defect=4),  # fmt: skip
    query("cap-query-gsi", dg(CAPR, "Global secondary indexes"), "status = 'OPEN'", "#status = :s", names=NM("status"),
          values=V(s=S("OPEN")), cli=("--index", "byStatus"), params={"IndexName": "byStatus"}, family=CP,
          compare_capacity=True, defect=4),  # fmt: skip
    query("cap-query-lsi-fetch", dg(CAPR, "Local secondary indexes: fetches from the table"),
          "pk = 'CUST#1' AND date < '2024-03'", "pk = :p AND #date < :d", names=NM("date", "comment"),
          values=c1(d=S("2024-03")), cli=("--index", "byDate", "--project", "sk, comment"),
          params={"IndexName": "byDate", "ProjectionExpression": "sk, #comment"}, family=CP, compare_capacity=True,
          defect=4),  # fmt: skip
    get("cap-get-strong", dg(CAPR, "GetItem"), KP1, KP1_ARG, cli=("--consistent",), params={"ConsistentRead": True},
        family=CP, compare_capacity=True, defect=4),  # fmt: skip
    scan("cap-scan-gsi", dg(CAPR, "Scan of an index"), cli=("--index", "byStatus"), params={"IndexName": "byStatus"},
         family=CP, compare_capacity=True, defect=4),  # fmt: skip
    put("cap-put-with-gsi", dg(CAPW, "PutItem: table and each index"), {"status": S("NEW"), "pad": S("y" * 1500)},
        family=CP, compare_capacity=True, defect=4),  # fmt: skip
    update("cap-update-gsi-key", dg(CAPW, "UpdateItem: an index key change is a delete and a put"),
           "SET status = 'DONE'", "SET #status = :v", names=NM("status"), values=V(v=S("DONE")), family=CP,
           compare_capacity=True, defect=4),  # fmt: skip
    delete("cap-delete-with-gsi", dg(CAPW, "DeleteItem"), family=CP, compare_capacity=True, defect=4),
]
# fmt: on

ALL = READS + WRITES + ERRORS + PARTIQL + CAPACITY


def family(name: str) -> list[Case]:
    return [c for c in ALL if c.family == name]
