"""Text UTF-8 cannot encode (an unpaired surrogate) is found wherever it hides, named by its path (#21
item 4). Expected paths and messages are written out by hand."""

from __future__ import annotations

import pytest

from ddbtui.core.errors import UsageError
from ddbtui.core.utf8 import check_text, find_unencodable, refuse_unpaired_surrogates, unpaired_surrogate


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("plain", None),
        ("café ☕ 𝄞", None),
        ("\ud834\udd1e", 0),
        ("a\ud800", 1),
        ("\udcff", 0),
        ("x\udd1e\ud834", 1),
    ],
)
def test_unpaired_surrogate(text, index):
    # "\ud834\udd1e" in a Python str is two lone halves (JSON text would join them into U+1D11E)
    assert unpaired_surrogate(text) == index


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"Item": {"pk": {"S": "\ud800"}}}, "Item.pk"),
        (
            {"Item": {"m": {"M": {"deep": {"L": [{"S": "ok"}, {"SS": ["a", "\udcff"]}]}}}}},
            "Item.m.deep[1][1]",
        ),
        ({"Item": {"my-attr": {"S": "\ud800"}}}, "Item['my-attr']"),
        ({"ExpressionAttributeValues": {":v": {"S": "\ud800"}}}, "ExpressionAttributeValues[':v']"),
        ({"ExpressionAttributeNames": {"#n": "\ud800"}}, "ExpressionAttributeNames['#n']"),
        ({"Item": {"n\ud800": {"S": "v"}}}, "Item (an attribute name)"),
        ({"Statement": "SELECT * FROM t WHERE pk = '\ud800'"}, "Statement"),
        (
            {"RequestItems": {"t": [{"PutRequest": {"Item": {"pk": {"S": "\ud800"}}}}]}},
            "RequestItems.t[0].PutRequest.Item.pk",
        ),
    ],
)
def test_the_path_names_the_attribute(params, path):
    assert find_unencodable(params)[0] == path


def test_binary_and_good_text_pass():
    check_text({"Item": {"b": {"B": b"\xff\xfe"}, "s": {"S": "𝄞 ok"}, "n": {"N": "1"}}})


def test_the_message_is_one_ascii_line_that_says_nothing_was_sent():
    class Model:
        name = "PutItem"

    with pytest.raises(UsageError) as info:
        refuse_unpaired_surrogates(params={"Item": {"s": {"S": "abc\ud800def"}}}, model=Model())
    assert str(info.value) == (
        "PutItem is refused before sending: Item.s holds an unpaired surrogate (U+D800) in 'abc\\ud800def'. "
        "DynamoDB strings are UTF-8, which cannot hold it; nothing was sent"
    )
