"""PutItem, UpdateItem and DeleteItem with conditions: the stored item, the printed and the journaled
images are DynamoDB's, and after every write (each update, put and delete) ``ddbtui undo`` puts the
original item back."""

from __future__ import annotations

import pytest

from tests.conformance.cases import family
from tests.conformance.checks import check_undo, check_write, report

pytestmark = pytest.mark.ddblocal

WRITES = family("writes")


@pytest.mark.parametrize("case", WRITES, ids=lambda c: c.id)
def test_write_matches_dynamodb(case, outcomes):
    problems = check_write(outcomes.get(case))
    assert not problems, report(case, problems)


@pytest.mark.parametrize("case", [c for c in WRITES if c.expect == "ok"], ids=lambda c: c.id)
def test_undo_restores_the_original_item(case, outcomes):
    # every update (and put and delete) DynamoDB accepts: `ddbtui undo` puts the original item back
    problems = check_undo(outcomes.get(case))
    assert not problems, report(case, problems)
