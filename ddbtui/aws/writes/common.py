"""What the write senders share: error codes, the endpoint, and which capacity figure to show."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ddbtui.core.capacity import ConsumedCapacity

Progress = Callable[[int, int | None], None]
_THROTTLING = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


def _error_code(e: Exception) -> tuple[str, str] | None:
    response = getattr(e, "response", None)
    if not isinstance(response, dict) or "Error" not in response:
        return None
    err = response["Error"]
    return err.get("Code", ""), err.get("Message", "")


def _endpoint(client: Any) -> str:
    return str(client.meta.endpoint_url).rstrip("/")


def _reported(response: Mapping[str, Any]) -> ConsumedCapacity | None:
    caps = ConsumedCapacity.from_responses(response.get("ConsumedCapacity"), "write")
    if not caps:
        return None
    total = caps[0]
    for c in caps[1:]:
        total = total + c
    return total


def _choose(reported: ConsumedCapacity | None, estimated: ConsumedCapacity | None, prefer_estimate: bool):
    if prefer_estimate:
        return estimated or reported
    return reported or estimated


def _add_cap(a: ConsumedCapacity | None, b: ConsumedCapacity | None) -> ConsumedCapacity | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b
