"""Where a paged read stopped, as one token the user can paste back with ``--start-key``.

A run's resume map (``PageRunner.state.resume``) is segment -> LastEvaluatedKey (or NextToken for PartiQL);
None means that segment finished, a missing segment starts from the beginning. The token is:

- one segment: the key in DynamoDB JSON, as ``aws dynamodb scan --exclusive-start-key`` takes it
  (``{"pk": {"S": "A"}, "sk": {"S": "B"}}``) — exact for numbers and binary;
- PartiQL: the NextToken as a JSON string;
- N segments: ``{"total_segments": N, "segments": {"0": null, "1": {...key...}}}`` (null: finished).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.schema import TableSchema
from ddbtui.core.values import av_to_ddb_json, no_duplicate_keys
from ddbtui.core.writes import parse_item

WHAT = "--start-key"


def _key_json(key: Mapping[str, Any]) -> dict[str, Any]:
    return {name: av_to_ddb_json(av) for name, av in key.items()}


def format_resume(resume: Mapping[int, Any], segments: int, api: str) -> str | None:
    """The token for a resume map; None when there is nothing left to read."""
    if segments <= 1:
        at = resume.get(0)
        if at is None:
            return None
        return json.dumps(at if api == "execute_statement" else _key_json(at), ensure_ascii=True)
    if all(s in resume and resume[s] is None for s in range(segments)):
        return None
    return json.dumps(
        {
            "total_segments": segments,
            "segments": {
                str(s): (None if resume[s] is None else _key_json(resume[s])) for s in sorted(resume)
            },
        },
        ensure_ascii=True,
    )


def _parse_key(obj: Any, key_attributes: tuple[str, ...] | None) -> dict[str, Any]:
    if not isinstance(obj, dict) or not obj:
        raise UsageError(f'{WHAT} must be a key in DynamoDB JSON, e.g. {{"pk": {{"S": "A"}}}}')
    try:
        key = parse_item(json.dumps(obj), ddb_json=True, what=WHAT)
    except UsageError as e:
        message = str(e)
        raise UsageError(message if WHAT in message else f"bad {WHAT}: {message}") from None
    if key_attributes is not None and set(key) != set(key_attributes):
        raise UsageError(
            f"{WHAT} must name exactly {', '.join(key_attributes)} (it names {', '.join(sorted(key))})"
        )
    return key


def resume_key_attributes(schema: TableSchema | None, index: str | None) -> tuple[str, ...] | None:
    """The attributes of a LastEvaluatedKey: the table's key, plus the index's own key on an index."""
    if schema is None:
        return None
    attrs = list(schema.key.attributes)
    if index:
        attrs += [a for a in schema.index(index).key.attributes if a not in attrs]
    return tuple(attrs)


def parse_resume(
    text: str, *, segments: int, api: str, key_attributes: tuple[str, ...] | None = None
) -> dict[int, Any]:
    """A token from ``format_resume`` back into a resume map for ``PageRunner(start=...)``."""

    try:  # a name twice: the last would win silently, a key attribute or a segment's rest lost
        obj = json.loads(text, object_pairs_hook=no_duplicate_keys(WHAT))
    except json.JSONDecodeError as e:
        raise UsageError(f"bad {WHAT} JSON at column {e.colno}: {e.msg}") from None
    except RecursionError:
        raise UsageError(f"bad {WHAT} JSON: nested too deeply") from None
    if api == "execute_statement":
        if not isinstance(obj, str) or not obj:
            raise UsageError(f"{WHAT} for a PartiQL statement is the NextToken as a JSON string")
        return {0: obj}
    if api not in ("query", "scan"):
        raise UsageError(f"{WHAT} is for query, scan and sql")
    if isinstance(obj, dict) and "total_segments" in obj:
        total = obj.get("total_segments")
        if not isinstance(total, int) or isinstance(total, bool) or total < 1:
            raise UsageError(f"{WHAT}: total_segments must be a whole number of 1 or more, not {total!r}")
        if total != segments:
            raise UsageError(
                f"this {WHAT} is for --segments {total}; run with --segments {total} to resume it"
            )
        raw = obj.get("segments")
        if not isinstance(raw, dict):
            raise UsageError(f"{WHAT}: segments must be a JSON object of segment -> key or null")
        out: dict[int, Any] = {}
        for name, key in raw.items():
            if not name.isdigit() or int(name) >= segments:
                raise UsageError(f"{WHAT}: {name!r} is not a segment of {segments}")
            if int(name) in out:  # "1" and "01": the last would win and the other's unread rest be lost
                raise UsageError(f"{WHAT}: segment {int(name)} is named twice")
            out[int(name)] = None if key is None else _parse_key(key, key_attributes)
        return out
    if segments > 1:
        raise UsageError(f"this {WHAT} is for one segment; run without --segments to resume it")
    return {0: _parse_key(obj, key_attributes)}
