"""Key templates learned from a sample (``core.advisor.templates``): delimiters, composite keys filled by
attributes (``STATE#DATE``, ``v0#TITLE``), entity prefixes, keys that repeat an attribute, write shards.

Expected values are worked out by hand from the items; the parser of composite values is also checked with
hypothesis on generated templates.
"""

from __future__ import annotations

import string
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ddbtui.core.advisor import TableSample
from ddbtui.core.advisor.templates import DELIMITERS, Derived, _shards, delimiter, derive
from ddbtui.core.expr import Literal, conjuncts, parse_condition
from ddbtui.core.schema import IndexSchema, KeySchema

TABLE = IndexSchema(None, "table", KeySchema("pk", "sk"), "ALL")


def S(v: str) -> dict:
    return {"S": v}


def conds(text: str) -> list:
    return conjuncts(parse_condition(text))


def sample(items: list[dict], complete: bool = True) -> TableSample:
    return TableSample(tuple(items), len(items) if complete else len(items) * 10, complete)


def values(d: Derived | None) -> tuple | None:
    return None if d is None else (d.op, tuple(v.value for v in d.values))


# ---- delimiters ----------------------------------------------------------------------------------------


def test_delimiter_is_the_first_found_in_a_tenth_of_the_values():
    assert delimiter(["WARNING1#2020-04-01", "NORMAL#2020-04-02"]) == "#"
    assert delimiter(["a#b.c", "d#e.f"]) == "#"  # # comes before . in DELIMITERS
    assert delimiter(["2014-07-09.1"] + ["plain"] * 9) == "."  # 1 in 10 is enough
    assert delimiter(["2014-07-09.1"] + ["plain"] * 10) is None  # 1 in 11 is not
    assert delimiter(["plain", "words"]) is None
    assert delimiter([]) is None


_PART = st.text(alphabet=string.ascii_letters + string.digits + "-_ ", min_size=1, max_size=8)


@given(
    st.sampled_from(DELIMITERS), st.lists(st.lists(_PART, min_size=2, max_size=4), min_size=1, max_size=20)
)
def test_delimiter_of_joined_parts(d, rows):
    """Values made of parts joined by one delimiter (parts that hold none) give that delimiter back."""
    assert delimiter([d.join(parts) for parts in rows]) == d


# ---- composite keys filled by attributes ---------------------------------------------------------------


def _devlog() -> list[dict]:
    out = []
    for i, (state, date) in enumerate(
        [
            ("WARNING1", "2020-04-01"),
            ("WARNING1", "2020-04-03"),
            ("WARNING2", "2020-04-10"),
            ("WARNING2", "2020-04-12"),
            ("NORMAL", "2020-04-20"),
        ]
    ):
        out.append(
            {"pk": S("d#1"), "sk": S(f"{state}#{date}"), "State": S(state), "Date": S(date), "n": S(str(i))}
        )
    return out


def test_an_equality_on_the_first_part_is_a_prefix():
    d = derive(sample(_devlog()), TABLE, "sk", conds("State = 'WARNING1'"))
    assert values(d) == ("begins_with", ("WARNING1#",))
    assert d.why == ["part 1 of sk is State", "from a sample of 5 items (the whole table)"]
    assert d.fit == 2


def test_both_parts_pinned_is_the_whole_key():
    d = derive(sample(_devlog()), TABLE, "sk", conds("State = 'WARNING2' AND Date = '2020-04-10'"))
    assert values(d) == ("=", ("WARNING2#2020-04-10",))
    assert d.fit == 3 and len(d.used) == 2


def test_a_range_on_the_last_part_is_a_range_of_the_key():
    items = _devlog()
    d = derive(
        sample(items), TABLE, "sk", conds("State = 'WARNING2' AND Date BETWEEN '2020-04-09' AND '2020-04-11'")
    )
    assert values(d) == ("BETWEEN", ("WARNING2#2020-04-09", "WARNING2#2020-04-11"))
    d = derive(sample(items), TABLE, "sk", conds("State = 'WARNING1' AND begins_with(Date, '2020-04-0')"))
    assert values(d) == ("begins_with", ("WARNING1#2020-04-0",))
    d = derive(sample(items), TABLE, "sk", conds("State = 'WARNING1' AND Date <= '2020-04-02'"))
    assert values(d) == ("BETWEEN", ("WARNING1#", "WARNING1#2020-04-02"))


def test_a_prefix_the_user_wrote_is_extended():
    d = derive(sample(_devlog()), TABLE, "sk", conds("begins_with(sk, 'WARNING2#') AND Date = '2020-04-12'"))
    assert values(d) == ("=", ("WARNING2#2020-04-12",))


def test_an_attribute_that_breaks_the_template_fills_nothing():
    items = _devlog()
    items.append(
        {"pk": S("d#1"), "sk": S("WARNING1#2020-05-01"), "State": S("WARNING9"), "Date": S("2020-05-01")}
    )
    assert derive(sample(items), TABLE, "sk", conds("State = 'WARNING1'")) is None


def test_a_decorated_part():
    """``v0#Account Rep``: part 1 is ``v`` + JobVersion, part 2 is JobTitle."""
    items = [
        {"pk": S(f"E{i}"), "sk": S(f"v{v}#{t}"), "JobVersion": {"N": str(v)}, "JobTitle": S(t)}
        for i, (v, t) in enumerate([(0, "Rep"), (1, "Rep"), (0, "Driver"), (2, "Analyst"), (1, "Driver")])
    ]
    d = derive(sample(items), TABLE, "sk", conds("JobVersion = 0 AND JobTitle = 'Rep'"))
    assert values(d) == ("=", ("v0#Rep",))
    assert d.why[0] == "part 1 of sk is 'v' + JobVersion"
    assert values(derive(sample(items), TABLE, "sk", conds("JobVersion = 2"))) == ("begins_with", ("v2#",))


# ---- what the items the conditions keep have in common -----------------------------------------------


def _shop() -> list[dict]:
    out = []
    for i in range(6):
        out.append({"pk": S("o#1"), "sk": S(f"i#{100 + i}"), "EntityType": S("invoice")})
        out.append({"pk": S("o#1"), "sk": S(f"p#{200 + i}"), "EntityType": S("product")})
    return out


def test_an_entity_prefix_is_pinned():
    d = derive(sample(_shop()), TABLE, "sk", conds("EntityType = 'invoice'"))
    assert values(d) == ("begins_with", ("i#",))
    assert d.why[0] == "every item like these has sk part 1 = 'i'"


def test_a_shared_data_value_is_not_pinned():
    """The items a condition keeps all have one date in their key: a coincidence, not a tag (the key's
    first part takes as many values as there are items)."""
    items = [
        {"pk": S("A"), "sk": S(f"2020-01-{i:02d}#{i}"), "kind": S("x" if i < 3 else "y")}
        for i in range(1, 30)
    ]
    for it in items[:3]:
        it["sk"] = S(f"2020-01-01#{it['sk']['S']}")
    assert derive(sample(items), TABLE, "sk", conds("kind = 'x'")) is None


def test_a_partition_key_is_never_pinned_by_the_kept_items():
    items = [
        {"pk": S("d#1" if i < 4 else f"d#{i}"), "sk": S(str(i)), "who": S("Sara" if i < 4 else "Tom")}
        for i in range(12)
    ]
    assert derive(sample(items), TABLE, "pk", conds("who = 'Sara'"), shards=True) is None


def test_what_every_item_of_an_entity_shape_has_is_pinned():
    """Every item that has EmployeeName has SK ``Employee_Name`` (although the key's parts vary a lot)."""
    items = [{"pk": S(f"E{i}"), "sk": S("Employee_Name"), "EmployeeName": S(f"n{i}")} for i in range(3)]
    items += [{"pk": S(f"E{i}"), "sk": S(f"other-{i}#{j}")} for i in range(3) for j in range(20)]
    d = derive(sample(items), TABLE, "sk", conds("EmployeeName = 'n1'"))
    assert values(d) == ("=", ("Employee_Name",))


def test_a_key_that_repeats_an_attribute():
    gsi = IndexSchema("GSI1", "gsi", KeySchema("GSI1PK", None), "ALL")
    items = [
        {"pk": S(f"o#{i}"), "sk": S("meta"), "GSI1PK": S(f"c#{i % 3}"), "customer": S(f"c#{i % 3}")}
        for i in range(6)
    ]
    d = derive(sample(items), gsi, "GSI1PK", conds("customer = 'c#2'"), shards=True)
    assert values(d) == ("=", ("c#2",))
    assert d.why == ["GSI1PK holds the value of customer (from a sample of 6 items (the whole table))"]


def test_numbers_come_back_as_numbers():
    items = [
        {"pk": S(f"o#{i}"), "sk": S("x"), "bucket": {"N": str(i % 4)}, "b": {"N": str(i % 4)}}
        for i in range(8)
    ]
    gsi = IndexSchema("G", "gsi", KeySchema("bucket", None), "ALL")
    d = derive(sample(items), gsi, "bucket", conds("b = 3"), shards=True, kind="N")
    assert d is not None and d.values == (Literal(Decimal("3")),)


# ---- write shards --------------------------------------------------------------------------------------


def _sharded(days: int = 2, n: int = 10) -> list[dict]:
    return [
        {
            "pk": S(f"2014-07-0{d}.{s}"),
            "sk": S(f"O-{d}{s}"),
            "Day": S(f"2014-07-0{d}"),
            "OrderId": S(f"O-{d}{s}"),
        }
        for d in range(1, days + 1)
        for s in range(1, n + 1)
    ]


def test_a_day_spread_over_ten_shards():
    d = derive(sample(_sharded()), TABLE, "pk", conds("Day = '2014-07-02'"), shards=True)
    assert values(d) == ("shards", tuple(f"2014-07-02.{s}" for s in range(1, 11)))
    assert d.why[:2] == ["part 1 of pk is Day", "its last part takes 10 values (1..10), a write shard"]


def test_shards_from_a_prefix_filter():
    d = derive(sample(_sharded()), TABLE, "pk", conds("begins_with(pk, '2014-07-01.')"), shards=True)
    assert values(d) == ("shards", tuple(f"2014-07-01.{s}" for s in range(1, 11)))


def test_without_shards_the_filled_part_is_a_prefix():
    """Asked for a sort key (no shards), the same template gives a prefix; the candidate search takes
    only ``=`` or shards for a partition key."""
    d = derive(sample(_sharded()), TABLE, "pk", conds("Day = '2014-07-02'"))
    assert values(d) == ("begins_with", ("2014-07-02.",))


def test_shard_suffixes_must_be_small_contiguous_numbers():
    def items(*suffixes: str) -> list[dict]:
        return [{"pk": S(f"d.{s}")} for s in suffixes]

    assert _shards(items("0", "1", "2"), "pk", ".", ["d"]) == ["0", "1", "2"]
    assert _shards(items("1", "2", "3", "5"), "pk", ".", ["d"]) == ["1", "2", "3", "4", "5"]  # 4 of 5 seen
    assert _shards(items("1", "5", "9"), "pk", ".", ["d"]) is None  # too sparse to be every shard
    assert _shards(items("01", "02"), "pk", ".", ["d"]) is None  # zero-padded: not a counter
    assert _shards(items("7", "8", "9"), "pk", ".", ["d"]) is None  # does not start at 0 or 1
    assert _shards(items("1"), "pk", ".", ["d"]) is None  # one value is no spread
    assert _shards(items(*map(str, range(1, 66))), "pk", ".", ["d"]) is None  # more than 64


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=64), st.sampled_from(["0", "1"]), st.sampled_from(".#|:"))
def test_shards_found_whatever_their_number(n, first, d):
    lo = int(first)
    items = [{"pk": S(f"A{d}{s}"), "sk": S(str(s)), "Grp": S("A")} for s in range(lo, lo + n)] + [
        {"pk": S(f"B{d}{s}"), "sk": S(str(s)), "Grp": S("B")} for s in range(lo, lo + n)
    ]
    got = derive(sample(items), TABLE, "pk", conds("Grp = 'B'"), shards=True)
    assert values(got) == ("shards", tuple(f"B{d}{s}" for s in range(lo, lo + n)))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=6), min_size=2, max_size=5, unique=True
    ),
    st.lists(
        st.text(alphabet=string.digits + "-", min_size=1, max_size=8), min_size=2, max_size=6, unique=True
    ),
    st.data(),
)
def test_composite_template_learned_for_any_tags_and_values(tags, rest, data):
    """Keys ``TAG#VALUE`` built from two attributes: a tag pins the prefix, tag and value the whole key."""
    items = [{"pk": S("p"), "sk": S(f"{t}#{v}"), "Tag": S(t), "Val": S(v)} for t in tags for v in rest]
    t = data.draw(st.sampled_from(tags))
    v = data.draw(st.sampled_from(rest))
    assert values(derive(sample(items), TABLE, "sk", conds(f"Tag = '{t}'"))) == ("begins_with", (f"{t}#",))
    assert values(derive(sample(items), TABLE, "sk", conds(f"Tag = '{t}' AND Val = '{v}'"))) == (
        "=",
        (f"{t}#{v}",),
    )
