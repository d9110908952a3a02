"""Seeing botocore's retries as they happen.

botocore retries throttling, 5xx answers and dropped connections by itself (standard mode, with backoff
and jitter); ddbtui does not retry on top. What it adds is a report of each retry, so the workbench can say
"retrying Scan: try 2 of 5 after ThrottlingException" while a request is held up, instead of a spinner
that just spins. Two event hooks on the client: ``needs-retry`` notes why an attempt failed (in the
request's own context dict, so parallel requests on other threads don't mix), and ``request-created``,
which fires once per attempt, reports every attempt after the first.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_CAUSE = "ddbtui_retry_cause"
_ids = itertools.count()


@dataclass(frozen=True)
class RetryEvent:
    """An attempt about to be sent again: ``attempt`` 2 is the first retry."""

    operation: str
    attempt: int
    max_attempts: int | None
    cause: str

    def describe(self) -> str:
        of = f" of {self.max_attempts}" if self.max_attempts else ""
        return f"retrying {self.operation}: try {self.attempt}{of} after {self.cause}"


def _cause(response: Any, caught_exception: BaseException | None) -> str | None:
    if caught_exception is not None:
        return type(caught_exception).__name__
    if not response:
        return None
    http, parsed = response
    status = getattr(http, "status_code", 200)
    if status < 300:
        return None
    code = (parsed or {}).get("Error", {}).get("Code") if isinstance(parsed, dict) else None
    if not code or str(code) == str(status):  # botocore names a bodiless error by its status code
        return f"HTTP {status}"
    return str(code)


def watch_retries(client: Any, callback: Callable[[RetryEvent], None]) -> Callable[[], None]:
    """Call ``callback`` (on the requesting thread) before each retry of any call on ``client``.

    Returns a function that removes the hooks."""
    events = client.meta.events
    retries = getattr(client.meta.config, "retries", None) or {}
    max_attempts = retries.get("total_max_attempts")
    if max_attempts is None and retries.get("max_attempts") is not None:
        max_attempts = retries["max_attempts"] + 1
    uid = f"ddbtui-retries-{next(_ids)}"

    def on_needs_retry(
        response: Any = None, caught_exception: Any = None, request_dict: Any = None, **_: Any
    ):
        if request_dict is not None:
            request_dict.setdefault("context", {})[_CAUSE] = _cause(response, caught_exception)
        # None: the decision stays with botocore's own retry handler

    def on_request_created(request: Any = None, operation_name: str = "", **_: Any) -> None:
        context = getattr(request, "context", None) or {}
        attempt = (context.get("retries") or {}).get("attempt", 1)
        if attempt > 1:
            callback(RetryEvent(operation_name, attempt, max_attempts, context.get(_CAUSE) or "an error"))

    events.register("needs-retry.dynamodb", on_needs_retry, unique_id=f"{uid}-needs")
    events.register("request-created.dynamodb", on_request_created, unique_id=f"{uid}-created")

    def unwatch() -> None:
        events.unregister("needs-retry.dynamodb", unique_id=f"{uid}-needs")
        events.unregister("request-created.dynamodb", unique_id=f"{uid}-created")

    return unwatch
