"""The case table itself: ids unique, every case sourced, and the two spellings of each request agree on
the paging and read flags (``--page-size`` is ``Limit``, ``--desc`` is ``ScanIndexForward=false``...)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.conformance.cases import ALL, Case

FAMILIES = ("reads", "writes", "errors", "partiql", "capacity")


def _flag(case: Case, name: str) -> str | None:
    args = list(case.cli)
    if name not in args:
        return None
    i = args.index(name)
    return args[i + 1] if i + 1 < len(args) else ""


def test_the_table_is_big_enough_and_ids_are_unique():
    assert len(ALL) >= 170
    dupes = [k for k, n in Counter(c.id for c in ALL).items() if n > 1]
    assert not dupes
    assert {c.family for c in ALL} == set(FAMILIES)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.id)
def test_both_spellings_agree(case):
    assert case.source.startswith(("AWS DynamoDB Developer Guide: ", "getmoto/moto tests/test_dynamodb/"))
    assert case.expect in ("ok", "refuse", "ValidationException", "ConditionalCheckFailedException",
                           "ResourceNotFoundException")  # fmt: skip
    req = case.request
    page_size = _flag(case, "--page-size")
    assert req.get("Limit") == (int(page_size) if page_size else None)
    assert case.limit == (int(_flag(case, "--limit")) if _flag(case, "--limit") else None)
    assert case.max_pages == (int(_flag(case, "--max-pages")) if _flag(case, "--max-pages") else None)
    assert case.segments == (int(_flag(case, "--segments")) if _flag(case, "--segments") else None)
    assert req.get("IndexName") == _flag(case, "--index")
    assert bool(req.get("ConsistentRead")) == ("--consistent" in case.cli)
    assert (req.get("ScanIndexForward") is False) == ("--desc" in case.cli)
    assert ("FilterExpression" in req) == ("--filter" in case.cli)
    if case.op in ("query", "scan", "get_item"):
        assert ("ProjectionExpression" in req) == ("--project" in case.cli)
    if case.is_write:
        assert case.key is not None and case.request["TableName"] == "@W"
        assert (
            ("ConditionExpression" in req)
            or "--overwrite" in case.cli
            or "--missing-ok" in case.cli
            or ("--upsert" in case.cli)
        )
    if case.defect:
        assert case.defect in (1, 2, 3, 4)
        assert case.defect != 2 or case.expect == "refuse"
