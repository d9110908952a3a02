"""The tables the conformance suite reads, and their items (AttributeValues, as boto3 sends them).

Table names are templates (``@main``...): the conftest gives each a name of its own per session, and the
harness puts it into the CLI arguments and the boto3 requests alike.
"""

from __future__ import annotations

from tests.conformance.av import BOOL, MAP, NS, NULL, SS, B, L, M, N, S

# (template, pk, sk, gsis, lsis) as tests.conftest.create_table takes them
# fmt: off
TABLES = {
    "@main": dict(
        pk=("pk", "S"),
        sk=("sk", "S"),
        gsis=[
            ("byStatus", ("status", "S"), ("total", "N"), "ALL"),
            ("byEmail", ("email", "S"), None, "KEYS_ONLY"),
        ],
        lsis=[
            (
                "byDate",
                ("pk", "S"),
                ("date", "S"),
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["total"]},
            )
        ],
    ),
    "@nums": dict(pk=("pk", "S"), sk=("sk", "N")),
    "@simple": dict(pk=("id", "S"), sk=None),
    "@bin": dict(pk=("pk", "S"), sk=("sk", "B")),
}
# fmt: on

# The write tables: the CLI writes to "@W" as ``cli``, boto3 sends the same request to its twin ``ref``.
WRITE_TABLE = dict(pk=("pk", "S"), sk=("sk", "S"), gsis=[("byStatus", ("status", "S"), None, "ALL")])


def _order(pk: str, sk: str, status: str, total: str, date: str, **extra) -> dict:
    return {"pk": S(pk), "sk": S(sk), "status": S(status), "total": N(total), "date": S(date), **extra}


# fmt: off
MAIN_ITEMS = [
    {
        "pk": S("CUST#1"),
        "sk": S("PROFILE"),
        "name": S("Ada Lovelace"),
        "email": S("ada@example.com"),
        "tags": SS("vip", "beta"),
        "scores": NS(1, "2.5", -3),
        "address": M(city=S("Paris"), zip=S("75001"), geo=M(lat=N("48.85"), lon=N("2.35"))),
        "phones": L(S("+33 1 11"), S("+33 2 22")),
        "active": BOOL(True),
        "nickname": NULL,
        "avatar": B(b"\x00\x01\x02\xff"),
        "size": N(3),
        "count": N(7),
        "a.b": S("dotted"),
        "first-name": S("Ada"),
    },
    _order(
        "CUST#1", "ORDER#2024-01-05#001", "SHIPPED", "120.5", "2024-01-05",
        lines=L(M(sku=S("A1"), qty=N(2)), M(sku=S("B2"), qty=N(1))), comment=S("leave at door"),
    ),  # fmt: skip
    _order("CUST#1", "ORDER#2024-02-11#002", "OPEN", "35", "2024-02-11", lines=L(M(sku=S("C3"), qty=N(1)))),
    _order("CUST#1", "ORDER#2024-03-02#003", "CANCELLED", "0", "2024-03-02"),
    _order(
        "CUST#1", "ORDER#2024-03-15#004", "OPEN", "999.99", "2024-03-15", giftwrap=BOOL(True),
        lines=L(M(sku=S("A1"), qty=N(10)), M(sku=S("D4"), qty=N(3)), M(sku=S("E5"), qty=N(1))),
    ),  # fmt: skip
    _order("CUST#1", "ORDER#2024-04-01#005", "SHIPPED", "-5", "2024-04-01", comment=S("refund")),
    _order(
        "CUST#1", "ORDER#2024-05-20#006", "OPEN", "1E2", "2024-05-20", giftwrap=BOOL(False),
        comment=S("número ünicode 日本"),
    ),  # fmt: skip
    _order("CUST#1", "ORDER#2024-06-30#007", "RETURNED", "42.000", "2024-06-30"),
    {"pk": S("CUST#1"), "sk": S("INVOICE#001"), "amount": N(10)},
    {"pk": S("CUST#1"), "sk": S("invoice#002"), "amount": N(20)},
    {"pk": S("CUST#2"), "sk": S("PROFILE"), "name": S("Bob"), "tags": SS("beta"), "active": BOOL(False)},
    _order("CUST#2", "ORDER#2024-01-20#001", "OPEN", "15", "2024-01-20"),
    _order("CUST#2", "ORDER#2024-02-01#002", "SHIPPED", "250", "2024-02-01"),
    _order("CUST#2", "ORDER#2024-02-14#003", "OPEN", "75.25", "2024-02-14"),
    _order("CUST#2", "ORDER#2024-07-04#004", "CANCELLED", "10", "2024-07-04"),
    {
        "pk": S("CUST#3"),
        "sk": S("PROFILE"),
        "name": S("Cy"),
        "email": S("cy@example.com"),
        "nickname": S("cee"),
        "scores": NS(7),
    },
] + [
# fmt: on
    {
        "pk": S("PAGE#1"),
        "sk": S(f"ITEM#{i:02d}"),
        "n": N(i),
        "m": N(29 - i),
        "even": BOOL(i % 2 == 0),
        "grp": S(f"g{i % 3}"),
        "pad": S("x" * 1400),
    }
    for i in range(30)
]

NUM_KEYS = ["-100", "-10.5", "-1", "-0.001", "0", "0.001", "1", "2", "10", "10.5", "99", "1000", "12345678901234567890"]
# fmt: off
NUMS_ITEMS = [{"pk": S("N"), "sk": N(k), "label": S(f"n{k}")} for k in NUM_KEYS] + [
    {"pk": S("M"), "sk": N(k), "label": S(f"m{k}")} for k in ("1", "2", "3")
]
# fmt: on

# fmt: off
SIMPLE_ITEMS = [
    {"id": S("a"), "kind": S("fruit"), "n": N(1), "name": S("apple"), "tags": SS("red", "sweet")},
    {"id": S("b"), "kind": S("fruit"), "n": N(2), "name": S("banana")},
    {"id": S("c"), "kind": S("veg"), "n": N(3), "name": S("carrot"), "info": M(color=S("orange"), weight=N("0.1"))},
    {"id": S("d"), "kind": S("veg"), "n": N("4.5"), "name": S("daikon")},
    {"id": S("e"), "kind": S("nut"), "n": N(-1), "name": S("elm")},
    {"id": S("f"), "n": N(0), "name": S("fig")},
    {"id": S("g"), "kind": S("fruit"), "n": N(100), "flag": BOOL(True), "name": S("grape")},
    {"id": S("h"), "kind": S("fruit"), "n": N("0.001"), "flag": BOOL(False), "name": S("huckleberry")},
    {"id": S("i"), "kind": NULL, "n": N(9)},
    {"id": S("j"), "kind": N(5), "n": N(10)},
    {"id": S("k"), "kind": S("misc"), "mixed": L(S("a"), N(1), BOOL(True), NULL), "n": N(11)},
    {"id": S("l"), "kind": S("fruit"), "name": S("Lime"), "n": N(12), "meta": MAP({"x-y": S("z")})},
]
# fmt: on

BIN_KEYS = [b"\x00", b"\x00\x01", b"\x00\x02", b"\x01", b"\x7f\x00", b"\xff"]
BIN_ITEMS = [{"pk": S("bin"), "sk": B(k), "label": S(k.hex())} for k in BIN_KEYS]

ITEMS = {"@main": MAIN_ITEMS, "@nums": NUMS_ITEMS, "@simple": SIMPLE_ITEMS, "@bin": BIN_ITEMS}

# The item most write cases start from (its key is the case's own).
# fmt: off
BASE = {
    "status": S("NEW"),
    "price": N(10),
    "qty": N(3),
    "name": S("Widget"),
    "tags": SS("a", "b"),
    "nums": NS(1, 2),
    "RelatedItems": L(S("Hammer"), S("Nails")),
    "info": M(color=S("red"), dims=M(w=N(1), h=N(2))),
    "counter": N(0),
    "flag": BOOL(True),
    "blob": B(b"\x01\x02"),
    "nothing": NULL,
    "precise": N("1.1"),
    "big": N("99999999999999999999999999999999999998"),
}
# fmt: on
