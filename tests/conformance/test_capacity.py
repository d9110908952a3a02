"""Consumed capacity with ``--capacity auto`` on DynamoDB Local: ddbtui shows what DynamoDB Local reports
(ReturnConsumedCapacity=INDEXES), per page and in total, not its own estimate."""

from __future__ import annotations

import pytest

from tests.conformance.cases import family
from tests.conformance.checks import check_read, check_undo, check_write, report

pytestmark = pytest.mark.ddblocal


@pytest.mark.parametrize("case", family("capacity"), ids=lambda c: c.id)
def test_capacity_is_dynamodb_locals(case, outcomes):
    out = outcomes.get(case)
    problems = check_write(out) if case.is_write else check_read(out)
    assert not problems, report(case, problems)


@pytest.mark.parametrize("case", [c for c in family("capacity") if c.is_write], ids=lambda c: c.id)
def test_undo_restores_the_original_item(case, outcomes):
    # here, not in test_writes: a module's runner runs each of its cases once, on its own item
    problems = check_undo(outcomes.get(case))
    assert not problems, report(case, problems)
