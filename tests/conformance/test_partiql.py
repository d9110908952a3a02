"""PartiQL SELECT through ``ddbtui sql``: the same items, pages and errors as ExecuteStatement."""

from __future__ import annotations

import pytest

from tests.conformance.cases import family
from tests.conformance.checks import check_read, report

pytestmark = pytest.mark.ddblocal


@pytest.mark.parametrize("case", family("partiql"), ids=lambda c: c.id)
def test_sql_matches_execute_statement(case, outcomes):
    problems = check_read(outcomes.get(case))
    assert not problems, report(case, problems)
