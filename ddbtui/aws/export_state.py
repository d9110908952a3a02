"""The resume state of an export (``OUT.ddbtui-state.json``): what it holds, how it is checked, how it is saved.

A state file is input like any other: it may be hand-edited, truncated, from another version, or from an
export of another database. ``ExportState.load`` checks it against its schema (every field, its type and
range) and ``check_committed`` checks it against the file it describes (its length, its line count, and
that a complete line ends exactly at ``committed_bytes``); either refuses with one line naming the
problem, never a traceback and never a silently wrong resume.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO

from ddbtui.core.errors import UsageError
from ddbtui.core.values import av_to_ddb_json, ddb_json_to_av

STATE_SUFFIX = ".ddbtui-state.json"
# 2: the identity names the database (endpoint, region, account); pages go to OUT.ddbtui-partial
STATE_VERSION = 2
WHERE = ("endpoint", "region", "account", "table_created")  # what names the database (and the table)
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _key_to_json(key: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if key is None else {k: av_to_ddb_json(v) for k, v in key.items()}


def _key_from_json(key: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if key is None else {k: ddb_json_to_av(v) for k, v in key.items()}


class BadState(UsageError):
    """The state file is not a valid export state (the message names the field)."""


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _key_ok(key: Any) -> bool:
    """A LastEvaluatedKey as DynamoDB JSON: attribute -> {"S"|"N"|"B": text}."""
    if key is None:
        return True
    if not isinstance(key, dict) or not key:
        return False
    for name, av in key.items():
        if not isinstance(name, str) or not isinstance(av, dict) or len(av) != 1:
            return False
        ((tag, v),) = av.items()
        if tag not in ("S", "N", "B") or not isinstance(v, str):
            return False
        if tag == "N" and not _NUMBER.fullmatch(v):
            return False
        if tag == "B":
            try:
                base64.b64decode(v, validate=True)
            except ValueError:
                return False
    return True


def _schema_problem(raw: Any) -> str | None:
    """What is wrong with a parsed state file, or None."""
    if not isinstance(raw, dict):
        return f"it holds a JSON {type(raw).__name__ if raw is not None else 'null'}, not a JSON object"
    if raw.get("version") != STATE_VERSION:
        return None  # reported on its own: "written by another version"
    known = {f.name for f in fields(ExportState)}
    if unknown := sorted(set(raw) - known):
        return f"unknown field {unknown[0]!r}"
    if missing := sorted({"identity", "target"} - set(raw)):
        return f"{missing[0]} is missing"
    if not isinstance(raw["identity"], dict) or not all(isinstance(k, str) for k in raw["identity"]):
        return "identity must be a JSON object"
    if not isinstance(raw["target"], str):
        return "target must be a path"
    for name in ("committed_bytes", "committed_lines", "items", "scanned", "pages"):
        if name in raw and not _whole(raw[name]):
            return f"{name} must be a whole number of 0 or more, not {json.dumps(raw[name])[:40]}"
    for name in ("capacity", "started_at", "updated_at"):
        if name in raw and not _number(raw[name]):
            return f"{name} must be a number of 0 or more, not {json.dumps(raw[name])[:40]}"
    if "estimated" in raw and not isinstance(raw["estimated"], bool):
        return "estimated must be true or false"
    positions = raw.get("positions", {})
    if not isinstance(positions, dict) or not positions:
        return f"positions must be an object of segments, not {json.dumps(positions)[:40]}"
    for seg, p in positions.items():
        if not (isinstance(seg, str) and seg.isdigit() and str(int(seg)) == seg):
            return f"positions: {seg!r} is not a segment number"
        if not isinstance(p, dict) or set(p) != {"done", "key"}:
            return f'positions[{seg}] must be {{"done": true/false, "key": ...}}'
        if not isinstance(p["done"], bool):
            return f"positions[{seg}].done must be true or false"
        if not _key_ok(p["key"]) or (p["done"] and p["key"] is not None):
            return f"positions[{seg}].key is not a key in DynamoDB JSON"
    return None


@dataclass
class ExportState:
    """The resume state file. ``positions``: segment → {"done": bool, "key": LastEvaluatedKey as DDB JSON}.

    ``identity``: the export's options (``ExportSpec.identity``) and the database it reads (``WHERE``)."""

    identity: dict[str, Any]
    target: str
    committed_bytes: int = 0
    committed_lines: int = 0
    positions: dict[str, dict[str, Any]] = field(default_factory=dict)
    items: int = 0
    scanned: int = 0
    pages: int = 0
    capacity: float = 0.0
    estimated: bool = False
    started_at: float = field(default_factory=time.time)
    updated_at: float = field(default_factory=time.time)
    version: int = STATE_VERSION

    @classmethod
    def fresh(cls, spec: Any, where: dict[str, Any] | None = None) -> ExportState:
        """The state of a new export of ``spec`` (an ``ExportSpec``) from the database ``where`` names."""
        positions = {str(s): {"done": False, "key": None} for s in range(spec.segments)}
        return cls({**spec.identity(), **(where or {})}, str(spec.target), positions=positions)

    @classmethod
    def load(cls, path: Path) -> ExportState:
        """Read and check a state file; ``BadState`` (one line, naming the field) when it is not valid."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise BadState(f"cannot read the export state {path}: {e}") from None
        problem = _schema_problem(raw)
        if problem:
            raise BadState(f"{path} is not a valid export state: {problem}; delete it to start over")
        if raw.get("version") != STATE_VERSION:
            raise BadState(f"{path} was written by another version of ddbtui; delete it to start over")
        return cls(**raw)

    def save(self, path: Path) -> None:
        """Write atomically: a 0600 temp file in the same folder, fsync'd, then renamed over the old one."""
        self.updated_at = time.time()
        data = json.dumps(asdict(self), indent=1, sort_keys=True).encode()
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent or ".")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def check_segments(self, segments: int, path: Path) -> None:
        if set(self.positions) != {str(s) for s in range(segments)}:
            raise BadState(
                f"{path} is not a valid export state: positions name segments "
                f"{', '.join(sorted(self.positions, key=int))}, the export has {segments}; delete it to start over"
            )

    def start_keys(self) -> dict[int, Any]:
        """PageRunner's ``start``: a segment's LastEvaluatedKey, None for a finished one; a segment that
        has not read a page yet is left out (it starts from the beginning)."""
        return {
            int(s): None if p["done"] else _key_from_json(p["key"])
            for s, p in self.positions.items()
            if p["done"] or p["key"] is not None
        }

    def done_segments(self) -> set[int]:
        return {int(s) for s, p in self.positions.items() if p["done"]}

    def commit(self, page: Any, data_bytes: int, lines: int, capacity: float, estimated: bool) -> None:
        seg = str(page.segment or 0)
        self.positions[seg] = {
            "done": page.last_evaluated_key is None,
            "key": _key_to_json(page.last_evaluated_key),
        }
        self.committed_bytes += data_bytes
        self.committed_lines += lines
        self.items += lines
        self.scanned += page.scanned_count
        self.pages += 1
        self.capacity += capacity
        self.estimated = self.estimated or estimated

    @property
    def complete(self) -> bool:
        return all(p["done"] for p in self.positions.values())


_CHUNK = 1 << 20


def _last_line(f: BinaryIO, end: int) -> bytes:
    """The line that ends with the newline at ``end - 1`` (without it), read backwards in blocks."""
    parts: list[bytes] = []
    pos = end - 1
    while pos > 0:
        size = min(_CHUNK, pos)
        f.seek(pos - size)
        block = f.read(size)
        cut = block.rfind(b"\n")
        if cut >= 0:
            parts.append(block[cut + 1 :])
            break
        parts.append(block)
        pos -= size
    return b"".join(reversed(parts))


def check_committed(f: BinaryIO, state: ExportState, path: Path, state_path: Path) -> None:
    """The file agrees with its state: at least ``committed_bytes`` long, exactly ``committed_lines``
    newlines before that, the last of them at ``committed_bytes - 1``, and the line it ends is JSON.
    Reads the committed part once (the output's lines are JSON: no newline inside a line)."""
    n = state.committed_bytes
    size = os.fstat(f.fileno()).st_size
    start_over = f"delete {state_path} to start the export over"
    if size < n:
        raise BadState(
            f"cannot resume: {path} has {size:,} bytes, fewer than the {n:,} committed; {start_over}"
        )
    if n == 0:
        if state.committed_lines:
            raise BadState(
                f"cannot resume: {state_path} counts {state.committed_lines:,} lines in 0 bytes; {start_over}"
            )
        return
    f.seek(n - 1)
    if f.read(1) != b"\n":
        raise BadState(
            f"cannot resume: {path} has no complete line ending at byte {n:,}, where its state says the "
            f"committed part ends (the state does not belong to this file); {start_over}"
        )
    f.seek(0)
    lines, left = 0, n
    while left:
        chunk = f.read(min(_CHUNK, left))
        if not chunk:
            break
        lines += chunk.count(b"\n")
        left -= len(chunk)
    if lines != state.committed_lines:
        raise BadState(
            f"cannot resume: {path} has {lines:,} lines in its first {n:,} bytes, its state says "
            f"{state.committed_lines:,}; {start_over}"
        )
    try:
        json.loads(_last_line(f, n))
    except ValueError:
        raise BadState(
            f"cannot resume: the last committed line of {path} is not JSON; {start_over}"
        ) from None
