"""Requests DynamoDB refuses: ddbtui fails too (exit 2 with its own message, or 3 naming the AWS error),
changes nothing and journals nothing; what DynamoDB refuses as malformed, ddbtui refuses before sending."""

from __future__ import annotations

import pytest

from tests.conformance.cases import family
from tests.conformance.checks import check_read, check_write, report

pytestmark = pytest.mark.ddblocal


@pytest.mark.parametrize("case", family("errors"), ids=lambda c: c.id)
def test_error_matches_dynamodb(case, outcomes):
    out = outcomes.get(case)
    problems = check_write(out) if case.is_write else check_read(out)
    assert not problems, report(case, problems)
