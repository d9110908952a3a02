"""Query, Scan, GetItem, filters, projections, indexes and paging: ddbtui's answer is DynamoDB's."""

from __future__ import annotations

import pytest

from tests.conformance.cases import family
from tests.conformance.checks import check_read, report

pytestmark = pytest.mark.ddblocal


@pytest.mark.parametrize("case", family("reads"), ids=lambda c: c.id)
def test_read_matches_dynamodb(case, outcomes):
    problems = check_read(outcomes.get(case))
    assert not problems, report(case, problems)
