"""What the advisor takes and gives: the run's statistics, a suggestion, the kinds of suggestion and their
order, the limits the rules share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.requests import ReadRequest

PAGE_BYTES = 1024 * 1024  # a Query or Scan page reads at most 1 MB
LARGE_SCAN_BYTES = PAGE_BYTES  # a scan of more than one page is worth a warning
MAX_QUERY_SUGGESTIONS = 3

#: Kinds that rewrite the request (ranked first), in the order used to break ties.
ACTIONABLE_KINDS = (
    "filter-on-key",
    "use-get-item",
    "use-batch-get",
    "use-query",
    "use-parallel-queries",
    "create-gsi",
)
#: Warnings, in the order they are listed after the actionable suggestions.
WARNING_KINDS = (
    "invalid-condition",
    "consistent-read-cost",
    "partiql-full-scan",
    "no-better-request",
    "limit-before-filter",
    "full-scan-cost",
)


@dataclass(frozen=True)
class RunStats:
    """What the last run of the request measured.

    ``count``/``scanned_count`` are DynamoDB's Count and ScannedCount summed over the pages read;
    ``exhausted`` says the run read to the end (so they are totals, not a sample); ``consumed_rcu`` is the
    read capacity of those pages (``estimated`` when it is ddbtui's own figure); ``items`` are returned
    items in AttributeValue form (all of them or a sample), used for sizes and to spot overloaded keys.
    """

    count: int
    scanned_count: int
    pages: int = 1
    consumed_rcu: float | None = None
    estimated: bool = False
    exhausted: bool = False
    items: tuple[Mapping[str, Any], ...] = ()
    average_item_size: float | None = None  # of the items read, when the caller knows it

    @property
    def selectivity(self) -> float | None:
        """Count / ScannedCount: the share of the items read that the filter kept."""
        return self.count / self.scanned_count if self.scanned_count else None


@dataclass(frozen=True)
class Suggestion:
    """One piece of advice. ``to_json`` gives DESIGN §6's fields; ``apply`` rewrites the request.

    ``key_condition`` and ``filter`` are ddbtui expressions with inline literals, ready for ``--key`` /
    ``--filter``; ``index`` is None for the table; ``operation`` is the operation the request switches to
    (None for a warning that changes nothing). ``severity`` is ``info``, ``warning`` or ``error`` (DynamoDB
    would reject the request, or it can never match); ``rank`` is 1 for the best suggestion.
    """

    kind: str
    reason: str
    index: str | None = None
    key_condition: str | None = None
    filter: str | None = None
    operation: str | None = None
    estimated_rcu: float | None = None
    severity: str = "info"
    rank: int = 0
    projection: str | None = None
    statement: str | None = None
    changes: tuple[tuple[str, Any], ...] = ()
    # one key condition per Query (use-parallel-queries: one per partition, each with ``filter``)
    key_conditions: tuple[str, ...] = ()
    # create-gsi: the GlobalSecondaryIndexUpdates "Create" entry and the AttributeDefinitions it needs
    index_definition: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    @property
    def actionable(self) -> bool:
        """True for a suggestion of another way to read (as opposed to a warning)."""
        return self.kind in ACTIONABLE_KINDS

    @property
    def runnable(self) -> bool:
        """True when ``apply`` gives a request that can run now (a proposed index must be created first)."""
        return bool(self.changes) and self.kind != "create-gsi"

    def to_json(self) -> dict[str, Any]:
        """``{"kind", "index", "key_condition", "filter", "reason", "estimated_rcu"}``, then
        ``projection`` and ``key_conditions`` when the suggestion has them (the request it sends)."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "index": self.index,
            "key_condition": self.key_condition,
            "filter": self.filter,
            "reason": self.reason,
            "estimated_rcu": self.estimated_rcu,
        }
        if self.projection:
            out["projection"] = self.projection
        if self.key_conditions:
            out["key_conditions"] = list(self.key_conditions)
        return out

    def apply(self, request: ReadRequest) -> ReadRequest:
        """``request`` rewritten to follow this suggestion (unchanged for a warning without a fix)."""
        return request.with_(**dict(self.changes)) if self.changes else request


@dataclass(frozen=True)
class Review:
    """The suggestions, and why each index that has its partition key fixed cannot serve the request."""

    suggestions: list[Suggestion]
    rejected: dict[str, str]  # index label ("table" or its name) -> why


class CannotAdvise(Exception):
    """The request cannot be analysed (it does not parse, or names something the schema lacks)."""
