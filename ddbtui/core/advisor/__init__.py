"""The advisor: from a read request, the table's schema and (once run) the run's statistics, ranked
suggestions that each rewrite the request in one step.

How it thinks. The request's key condition and filter are split into their top-level conjuncts (``a AND b
AND c``); only those can become a key condition, never a condition nested under OR or NOT
(``analysis``). Every index of the table (the table itself, its LSIs, its GSIs) is then a *candidate*
when one conjunct fixes its partition key with ``=`` (``candidates``); the candidates are ranked by
sort-key fit, then projection coverage, then index size (``plan``). Each rule (``rules``) turns what it
sees into suggestions; the engine ranks them by estimated read units (``cost``), cheapest first, with
warnings after everything that can be applied (``engine``).

Numbers come from the schema (TableSizeBytes / ItemCount) and, when given, the run: ``RunStats.count`` /
``scanned_count`` measure what a filter keeps, ``items`` give item and index-entry sizes and reveal
*overloaded* keys.

Layout: ``model`` (RunStats, Suggestion, the kinds), ``analysis``, ``candidates``, ``plan``, ``cost``,
``sample`` (a bounded sample of the table's items, and the estimates from it), ``templates`` (key
templates learned from the sample) and ``learned`` (the candidates they give), ``context`` (what a rule is
given), ``rules`` (one module per family, all listed in ``rules.RULES``),
``engine`` (Advisor, advise, review, the ranking). Sub-modules import each other, never this package.

Pure: no boto3, no Textual.
"""

from ddbtui.core.advisor.analysis import Analysis, key_shape
from ddbtui.core.advisor.context import Context
from ddbtui.core.advisor.cost import rcu_text
from ddbtui.core.advisor.engine import Advisor, advise, analyse, rank, review
from ddbtui.core.advisor.model import (
    ACTIONABLE_KINDS,
    LARGE_SCAN_BYTES,
    MAX_QUERY_SUGGESTIONS,
    PAGE_BYTES,
    WARNING_KINDS,
    CannotAdvise,
    Review,
    RunStats,
    Suggestion,
)
from ddbtui.core.advisor.rules import RULES, Rule
from ddbtui.core.advisor.sample import TableSample

__all__ = [
    "ACTIONABLE_KINDS",
    "LARGE_SCAN_BYTES",
    "MAX_QUERY_SUGGESTIONS",
    "PAGE_BYTES",
    "RULES",
    "WARNING_KINDS",
    "Advisor",
    "Analysis",
    "CannotAdvise",
    "Context",
    "Review",
    "Rule",
    "RunStats",
    "Suggestion",
    "TableSample",
    "advise",
    "analyse",
    "key_shape",
    "rank",
    "rcu_text",
    "review",
]
