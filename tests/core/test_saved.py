"""Saved queries (#17): the TOML file's round trip, parameters, and what cannot be saved."""

from __future__ import annotations

import tomllib
from decimal import Decimal

import pytest

from ddbtui.core.errors import UsageError
from ddbtui.core.requests import ReadRequest
from ddbtui.core.saved import SavedQuery, bind, format_saved, from_request, parse_param_args, parse_saved


def test_round_trip_of_every_field_through_the_file():
    q = from_request(
        'orders "open" \\ of a customer',
        ReadRequest(operation="query", table="Shop", index="GSI1", key="pk = :customer AND sk > :after",
                    filter="#s = :status", projection="pk, sk, #s", limit=10, page_size=5, descending=True,
                    consistent=True, names={"#s": "status"},
                    values={":status": "OPEN\u202e\n", ":after": Decimal("1.5E+3"), ":n": 7, ":b": False}),
    )  # fmt: skip
    text = format_saved(
        {q.name: q, "s": SavedQuery("s", ReadRequest(operation="sql", statement="SELECT * FROM T"))}
    )
    assert '[queries."orders \\"open\\" \\\\ of a customer"]' in text
    assert '":status" = "OPEN\u202e\\u000A"' in text  # a control character escaped, TOML's way
    back = parse_saved(text)
    assert list(back) == [q.name, "s"]
    assert back[q.name].request == q.request.with_(page_size=None)  # page size is the session's, not saved
    assert back[q.name].request.values == {":status": "OPEN\u202e\n", ":after": Decimal("1500"), ":n": 7,
                                           ":b": False}  # fmt: skip
    assert back["s"].request == ReadRequest(operation="sql", statement="SELECT * FROM T")
    # what tomllib reads, by hand: the file is plain TOML anyone can edit or keep in git
    raw = tomllib.loads(text)["queries"][q.name]
    assert (raw["table"], raw["limit"], raw["descending"], raw["names"]) == (
        "Shop",
        10,
        True,
        {"#s": "status"},
    )


def test_parameters_are_the_placeholders_values_do_not_give_and_are_typed():
    text = """
[queries.q]
table = "T"
key = "pk = :who AND sk = ':not' AND n > :min"
filter = "flag = :on"
[queries.q.values]
":min" = 3
[queries.q.params]
on = "BOOL"
min = "N"
"""
    q = parse_saved(text)["q"]
    assert q.parameters() == ["who", "min", "on"]
    assert q.required() == ["who", "on"]
    with pytest.raises(UsageError, match=r"needs --param on=VALUE"):
        bind(q, {"who": "A"})
    req = bind(q, parse_param_args(["who=A=B", ":on=true", "min=4.5"]))
    assert req.values == {":min": Decimal("4.5"), ":who": "A=B", ":on": True}
    with pytest.raises(UsageError, match="no parameter zz"):
        bind(q, {"who": "A", "on": "false", "zz": "1"})
    with pytest.raises(UsageError, match="is true or false"):
        bind(q, {"who": "A", "on": "yes"})


def test_a_partiql_statement_gets_positional_values_in_order():
    q = parse_saved(
        """[queries.s]\noperation = "sql"\nstatement = "SELECT * FROM \\"T\\" WHERE pk = :p AND x <> ':p' AND n = :n"\n[queries.s.params]\nn = "N"\n"""
    )["s"]
    req = bind(q, {"p": "A", "n": "5"})
    assert req.statement == "SELECT * FROM \"T\" WHERE pk = ? AND x <> ':p' AND n = ?"
    assert req.parameters == ({"S": "A"}, {"N": "5"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[queries.a]\noperation = "drop"\ntable = "T"', "operation must be one of"),
        ('[queries.a]\nkey = "pk = :a"', "table is missing"),
        ('[queries.a]\ntable = "T"\nlimit = 0', "limit must be a whole number"),
        ('[queries.a]\ntable = "T"\n[queries.a.params]\nx = "SS"', "must be S, N or BOOL"),
        ("queries = 3", "queries must be a table"),
        ("[queries.a", "not TOML"),
    ],
)
def test_a_bad_file_is_refused_in_words(text, message):
    with pytest.raises(UsageError, match=message):
        parse_saved(text)


def test_what_cannot_be_saved_is_refused():
    with pytest.raises(UsageError, match="strings, numbers and true/false"):
        from_request("x", ReadRequest(operation="scan", table="T", values={":l": [1, 2]}))
    with pytest.raises(UsageError, match="needs a name"):
        from_request("  ", ReadRequest(operation="scan", table="T"))


def test_the_builder_gets_values_inline_and_parameters_left_to_fill():
    from ddbtui.core.saved import for_builder

    q = parse_saved(
        """[queries.q]
table = "T"
key = "pk = :who AND sk = ':min'"
filter = "#s = :status AND n > :min AND `#s` <> 'x'"
[queries.q.names]
"#s" = "status"
[queries.q.values]
":status" = "it's"
":min" = 3
"""
    )["q"]
    req = for_builder(q)
    assert req.key == "pk = :who AND sk = ':min'"  # a parameter without a value stays; a quoted one too
    # bare: ddbtui's language escapes DynamoDB's reserved words itself; backticks only for its own keywords
    assert req.filter == "status = 'it\\'s' AND n > 3 AND `#s` <> 'x'"
    assert (req.names, req.values) == (None, None)
