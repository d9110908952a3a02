"""The digest an import journals instead of the item it wrote (#21 item 3): equal exactly as DynamoDB
compares items, and the same in every process (sets are sorted, never hashed)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from ddbtui.core.writes.journal import item_digest


def test_the_digest_is_sha256_of_the_canonical_text_worked_out_by_hand():
    # canonical(S "x") is ("S", "x"); the stable text of {"a": ("S", "x")} is <"a":("S","x")>
    want = "sha256:" + hashlib.sha256(b'<"a":("S","x")>').hexdigest()
    assert item_digest({"a": {"S": "x"}}) == want


def test_numbers_by_value_and_sets_in_any_order_have_one_digest_other_values_another():
    a = {
        "n": {"N": "1.50"},
        "s": {"SS": ["b", "a", "c"]},
        "ns": {"NS": ["10", "2"]},
        "m": {"M": {"x": {"N": "0"}}},
    }
    b = {
        "m": {"M": {"x": {"N": "-0.0"}}},
        "ns": {"NS": ["2", "1E1"]},
        "s": {"SS": ["c", "a", "b"]},
        "n": {"N": "1.5"},
    }
    assert item_digest(a) == item_digest(b)
    assert item_digest(a) != item_digest({**a, "n": {"N": "1.51"}})
    assert item_digest(a) != item_digest({**a, "n": {"S": "1.5"}})
    assert item_digest({"l": {"L": [{"S": "a"}, {"S": "b"}]}}) != item_digest(
        {"l": {"L": [{"S": "b"}, {"S": "a"}]}}
    )


def test_the_digest_of_a_set_is_the_same_under_any_hash_seed():
    code = "from ddbtui.core.writes.journal import item_digest; print(item_digest({'s': {'SS': list('abcdefgh')}}))"
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout  # fmt: skip
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1 and outs.pop().strip() == item_digest({"s": {"SS": list("hgfedcba")}})
