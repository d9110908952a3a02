"""The model file (#16): parsing, one error per mistake with its line, key templates, items against
entities, parameters from a sample, and the draft `model init` writes. Pure: no server."""

from __future__ import annotations

import pytest

from ddbtui.core.model import ModelError, Template, TemplateError, load_model
from ddbtui.core.model.draft import draft
from ddbtui.core.model.match import entity_of, fill, fit, get_key_json
from ddbtui.core.schema import KeySchema, TableSchema

GOOD = """\
table = "Shop"

[entities.customer]
pk = "CUSTOMER#{customerId}"
sk = "PROFILE"

[entities.order]
pk = "CUSTOMER#{customerId}"
sk = "ORDER#{orderDate}#{orderId}"

[[patterns]]
name = "orders of a customer"
request = "query key \\"pk = :cust AND begins_with(sk, 'ORDER#')\\" desc limit 10"
rate = 50
needs = ["total"]
entity = "order"

[[patterns]]
name = "a profile"
request = "get Shop key \\"pk = :cust AND sk = 'PROFILE'\\""
params = { cust = "CUSTOMER#0001" }
"""


def S(v):
    return {"S": v}


# --- parsing --------------------------------------------------------------------------------------------


def test_a_good_file_gives_its_entities_and_patterns():
    m = load_model(GOOD, "shop.toml")
    assert m.table == "Shop"
    assert list(m.entities) == ["customer", "order"]
    assert m.entities["order"].templates["sk"].fields == ("orderDate", "orderId")
    p = m.patterns[0]
    assert (p.name, p.rate, p.needs, p.entity, p.params) == (
        "orders of a customer",
        50.0,
        ("total",),
        "order",
        (":cust",),
    )
    assert (p.request.operation, p.request.table, p.request.descending, p.request.limit) == (
        "query",
        "Shop",
        True,
        10,
    )
    assert p.request.key == "pk = :cust AND begins_with(sk, 'ORDER#')"
    assert p.line == 12  # the line of its name
    assert m.patterns[1].given == {":cust": "CUSTOMER#0001"}
    assert m.patterns[1].request.operation == "get"


def test_every_mistake_is_reported_once_with_its_line():
    text = """\
table = "Shop"
colour = "red"

[entities.order]
pk = "ORDER#{id"
sk = 5

[[patterns]]
name = "one"
request = "query key \\"pk = = :x\\""
rate = -3

[[patterns]]
name = "two"
request = "scan Shop"
entity = "nobody"
needs = "total"
params = { nothing = 1 }
"""
    with pytest.raises(ModelError) as e:
        load_model(text, "bad.toml")
    got = [(line, msg.split(":")[0]) for line, msg in e.value.problems]
    lines = [line for line, _ in e.value.problems]
    assert lines == [2, 5, 6, 10, 11, 16, 17, 18], e.value.problems
    text_of = str(e.value).splitlines()
    assert text_of[0] == "the model file has 8 mistakes:"
    assert "bad.toml:2: unknown key 'colour'" in text_of[1]
    assert any("bad.toml:5: order.pk:" in line and "brace" in line for line in text_of)
    assert any(
        "bad.toml:10: pattern 'one': key column 6: expected a value after '='" in line for line in text_of
    )
    assert any("bad.toml:11: pattern 'one': rate is requests per second" in line for line in text_of)
    assert any("bad.toml:16: pattern 'two': no entity 'nobody'" in line for line in text_of)
    assert any(
        "bad.toml:18: pattern 'two': the request has no :nothing (it has: none)" in line for line in text_of
    )
    assert len(got) == 8


def test_a_toml_syntax_error_carries_tomllibs_line():
    with pytest.raises(ModelError) as e:
        load_model('table = "Shop"\n\n[[patterns]\nname = "x"\n', "s.toml")
    assert e.value.problems[0][0] == 3
    assert str(e.value).startswith("s.toml:3: not valid TOML:")


@pytest.mark.parametrize(
    ("request_text", "message"),
    [
        ("select * from T", "a request starts with query, scan, get"),
        ("query", "names no table"),
        ("query T", 'a query needs key "EXPR"'),
        ("query T key", "key needs a value"),
        ("query T key 'pk = :a' limit 0", "limit takes a whole number above 0"),
        ("query T key 'pk = :a' sideways", "unknown word 'sideways'"),
        ("scan T key 'pk = :a'", "a scan takes no key condition"),
        ("get T index G key 'pk = :a'", "a get takes key"),
        ("query T key 'pk = :a' key 'pk = :b'", "key is given twice"),
        ("query T key \"pk = 'x", "cannot split the request into words"),
    ],
)
def test_a_bad_request_says_what_is_wrong(request_text, message):
    text = f'[[patterns]]\nname = "p"\nrequest = {request_text!r}\n'.replace("'", "'")
    text = '[[patterns]]\nname = "p"\nrequest = """' + request_text + '"""\n'
    with pytest.raises(ModelError) as e:
        load_model(text, "r.toml")
    assert e.value.problems[0][0] == 3
    assert message in str(e.value)


def test_a_file_without_patterns_is_refused():
    with pytest.raises(ModelError, match="no access patterns"):
        load_model('table = "T"\n', "empty.toml")


def test_two_patterns_of_one_name_are_refused_at_the_second():
    text = '[[patterns]]\nname = "a"\nrequest = "scan T"\n\n[[patterns]]\nname = "a"\nrequest = "scan T"\n'
    with pytest.raises(ModelError) as e:
        load_model(text, "d.toml")
    assert e.value.problems == [(6, "two patterns are named 'a'")]


# --- templates ------------------------------------------------------------------------------------------


def test_templates_match_fill_and_report_prefixes():
    t = Template.parse("ORDER#{created_at}#{order_id}")
    assert t.match("ORDER#2025-03-14T10:22:05Z#O-000123") == {
        "created_at": "2025-03-14T10:22:05Z",
        "order_id": "O-000123",
    }
    assert t.match("ORDER#2025") is None  # the second field is missing
    assert t.match("CART") is None
    assert t.match(5) is None
    assert t.prefix == "ORDER#"
    assert t.render({"created_at": "2025", "order_id": "O-1"}) == "ORDER#2025#O-1"
    assert t.render_partial({"created_at": "2025"}) == "ORDER#2025#"
    assert t.could_start("ORDER#2025") and t.could_start("ORD") and not t.could_start("PROFILE")
    assert t.fixed_by_prefix("ORDER#") == ([], None)
    assert t.fixed_by_prefix("ORDER#2025-03") == ([], "created_at")
    assert t.fixed_by_prefix("ORDER#2025-03-14T10:22:05Z#O-0") == (["created_at"], "order_id")
    c = Template.parse("PROFILE")
    assert c.constant and c.match("PROFILE") == {} and c.match("PROFILES") is None
    assert Template.parse("{n}").match(7) == {"n": "7"}  # a number key is its field
    same = Template.parse("{a}#{a}")
    assert same.match("x#x") == {"a": "x"} and same.match("x#y") is None


@pytest.mark.parametrize("bad", ["A#{x", "A#{x}{y}", "A#x}"])
def test_a_template_that_cannot_be_read_is_refused(bad):
    with pytest.raises(TemplateError):
        Template.parse(bad)


# --- items against entities ------------------------------------------------------------------------------


def test_items_fit_the_most_specific_entity_and_conflicts_are_counted():
    m = load_model(GOOD, "shop.toml")
    profile = {"pk": S("CUSTOMER#0001"), "sk": S("PROFILE"), "customerId": S("0001")}
    order = {"pk": S("CUSTOMER#0001"), "sk": S("ORDER#2025-01-01#O-1"), "orderId": S("O-1")}
    liar = {"pk": S("CUSTOMER#0002"), "sk": S("ORDER#2025-01-02#O-2"), "customerId": S("0003")}
    stray = {"pk": S("SESSION#ab"), "sk": S("SESSION")}
    assert entity_of(m, profile).name == "customer"
    assert entity_of(m, order).name == "order"
    assert entity_of(m, stray) is None
    f = fit(m, [profile, order, liar, stray], ("pk", "sk"))
    assert f.items == 4
    assert dict(f.by_entity) == {"customer": 1, "order": 2}
    assert f.unmatched == 1 and f.unmatched_keys == ["SESSION#ab / SESSION"]
    assert dict(f.conflicts) == {"order": 1}
    assert "customerId" in f.conflict_examples["order"]


def test_a_type_attribute_decides_between_entities_of_one_shape():
    text = """\
type_attribute = "kind"
[entities.a]
type = "A"
pk = "X#{id}"
[entities.b]
type = "B"
pk = "X#{id}"
[[patterns]]
name = "p"
request = "scan T"
"""
    m = load_model(text, "t.toml")
    assert entity_of(m, {"pk": S("X#1"), "kind": S("B")}).name == "b"
    assert entity_of(m, {"pk": S("X#1"), "kind": S("C")}) is None


def test_parameters_are_filled_from_the_first_item_the_request_keeps():
    m = load_model(GOOD, "shop.toml")
    schema = TableSchema("Shop", KeySchema("pk", "sk"), {"pk": "S", "sk": "S"})
    items = [
        {"pk": S("CUSTOMER#0001"), "sk": S("PROFILE")},
        {"pk": S("CUSTOMER#0002"), "sk": S("ORDER#2025#O-9")},
    ]
    values, how = fill(m.patterns[0], items, schema.table_index, schema.key, m.entities["order"])
    assert values == {":cust": "CUSTOMER#0002"}  # the profile's partition holds no ORDER# item
    assert how == "from the sampled item CUSTOMER#0002 / ORDER#2025#O-9"
    given, how = fill(m.patterns[1], items, schema.table_index, schema.key)
    assert given == {":cust": "CUSTOMER#0001"} and how == "from the model file"
    none, why = fill(m.patterns[0], items[:1], schema.table_index, schema.key)
    assert none is None and "no sampled item of table fits" in why
    assert get_key_json("pk = :c AND sk = 'PROFILE'", {":c": "CUSTOMER#0001"}) == (
        '{"pk": "CUSTOMER#0001", "sk": "PROFILE"}'
    )


# --- the draft of model init ------------------------------------------------------------------------------


def test_a_draft_names_entities_from_prefixes_and_reads_back():
    schema = TableSchema.from_describe(
        {
            "TableName": "App",
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
                {"AttributeName": "g1", "AttributeType": "S"},
            ],
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "ByG",
                    "KeySchema": [{"AttributeName": "g1", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "ALL"},
                },
            ],
        }
    )
    items = [
        {"pk": S(f"USER#{i}"), "sk": S("PROFILE"), "userId": S(str(i)), "g1": S(f"EMAIL#u{i}@x")}
        for i in range(3)
    ] + [
        {"pk": S(f"USER#{i}"), "sk": S(f"ORDER#{i}-{j}"), "userId": S(str(i)), "orderId": S(f"{i}-{j}")}
        for i in range(2)
        for j in range(2)
    ]
    text = draft(schema, items)
    m = load_model(text, "draft.toml")
    assert m.table == "App"
    assert {n: {a: t.text for a, t in e.templates.items()} for n, e in m.entities.items()} == {
        # named after the first tag of pk and of sk; a field after the item's attribute of that value, or
        # after the tag before it (no attribute holds u0@x)
        "user_order": {"pk": "USER#{userId}", "sk": "ORDER#{orderId}"},
        "user_profile": {"pk": "USER#{userId}", "sk": "PROFILE", "g1": "EMAIL#{email_id}"},
    }
    assert [p.request.operation for p in m.patterns] == ["query", "get", "query"]
    assert m.patterns[0].request.key == "pk = :pk AND begins_with(sk, 'ORDER#')"
    assert m.patterns[1].request.key == "pk = :pk AND sk = 'PROFILE'"
    assert (m.patterns[2].request.index, m.patterns[2].request.key) == ("ByG", "g1 = :g1")


# --- verdicts (model check's pure half) --------------------------------------------------------------------


def _shop_schema():
    from ddbtui.core.schema import IndexSchema

    gsi = IndexSchema("ByStatus", "gsi", KeySchema("status", "created"), "KEYS_ONLY")
    return TableSchema(
        "Shop",
        KeySchema("pk", "sk"),
        {"pk": "S", "sk": "S", "status": "S", "created": "S"},
        gsis=(gsi,),
        billing_mode="PAY_PER_REQUEST",
        item_count=1000,
        size_bytes=1000 * 2000,
    )


def _verdict(request: str, needs: tuple[str, ...] = (), measured=None, values=None):
    from ddbtui.core.model.check import Verdict, finish, prepare

    text = '[[patterns]]\nname = "p"\nrequest = """' + request + '"""\nrate = 10\n'
    m = load_model(text, "v.toml")
    p = m.patterns[0]
    from dataclasses import replace

    p = replace(p, needs=needs)
    req = p.request.with_(values=values)
    schema = _shop_schema()
    v = Verdict(p)
    prepare(v, schema, req, None, "us-east-1")
    finish(v, schema, req, None, "us-east-1", measured, m)
    return v


def test_a_missing_index_fails_with_the_indexes_there_are():
    v = _verdict("query Shop index ByEmail key 'email = :e'", values={":e": "a@b"})
    assert (v.status, v.operation) == ("fail", "—")
    assert v.why == "index ByEmail does not exist on Shop (indexes: ByStatus)"


def test_a_scan_fails_and_is_priced_by_the_advisor():
    v = _verdict("scan Shop filter 'status = :s'", values={":s": "OPEN"})
    assert (v.status, v.operation, v.why) == ("fail", "Scan", "a Scan: it reads every item of table")
    # 2,000,000 bytes of items: 489 blocks of 4 KB, half a unit each (eventually consistent)
    assert v.rcu == 244.5 and v.rcu_estimated
    assert v.rcu_per_s == 2445.0
    assert v.advice is not None and v.advice.index == "ByStatus"  # the advisor's use-query on the GSI


def test_an_index_that_does_not_project_what_is_needed_fails():
    v = _verdict("query Shop index ByStatus key 'status = :s'", needs=("total",), values={":s": "OPEN"})
    assert v.status == "fail" and v.why == "ByStatus does not project total (projection KEYS_ONLY)"
    assert v.built is not None  # still run once, for what it costs


def test_a_query_that_reads_far_more_than_it_returns_is_a_warning():
    from ddbtui.core.model.check import Measured

    v = _verdict(
        "query Shop key 'pk = :c' filter 'total > 100'",
        values={":c": "C#1"},
        measured=Measured(rcu=4.0, count=2, scanned=80, pages=1),
    )
    assert (v.status, v.operation, v.rcu, v.rcu_per_s) == ("warn", "Query", 4.0, 40.0)
    assert v.why == "wasteful: reads 80 items to return 2"
    # 40 RCU/s for 730 hours at $0.125 per million read request units
    assert v.usd_month == pytest.approx(40 * 730 * 3600 * 0.125 / 1e6)


def test_a_draft_of_plain_keys_keeps_them_as_bare_fields():
    schema = TableSchema("Music", KeySchema("Artist", "SongTitle"), {"Artist": "S", "SongTitle": "S"})
    items = [
        {"Artist": S(a), "SongTitle": S(t)} for a in ("Björk", "Sigur Rós") for t in ("Hyperballad", "Jóga")
    ]
    m = load_model(draft(schema, items), "music.toml")
    assert {n: {a: t.text for a, t in e.templates.items()} for n, e in m.entities.items()} == {
        "music": {"Artist": "{Artist}", "SongTitle": "{SongTitle}"}
    }
    (p,) = m.patterns
    assert p.request.key == "Artist = :Artist"
