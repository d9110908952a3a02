"""The write journal file: one JSON line per write (``ddbtui.core.writes.JournalRecord``), 0600, under the
data dir; append, read, and which records ``undo`` would take back.

The file is shared by every ddbtui process of the user, and it may be cut short by a crash:

- **Appends** take an exclusive ``flock`` on the journal, write whole lines and fsync. A line the last
  append left without its newline (a *torn tail*: a crash mid-write) is repaired first: when it is a
  whole record it only gets its newline; otherwise its bytes are moved to ``journal.jsonl.torn`` and a
  ``{"torn": ...}`` marker line takes their place, so the next record starts on a fresh line and never
  merges with garbage.
- **Reads** take a shared lock (never a half-appended line of another process). A line that is not a
  record (garbage, binary, wrong types, a torn marker) is skipped with a warning naming the line, never a
  traceback. It is a *gap*: the record it held is unknown, so ``pending_undo`` refuses to step back past
  it (``JournalGap``) instead of undoing an older write than the user's last one.
- **Undo** claims the journal (``claim_undo``: an exclusive, non-blocking lock on ``journal.jsonl.undo-lock``,
  released by ``release_undo`` or when the process ends): it reads the records to take back and marks them
  undone while it holds the claim, so two concurrent undos cannot take back two different writes; the
  second is refused (``JournalBusy``) and may run again once the first is done.
- Anything that was written can be stored: a line that is not valid UTF-8 as JSON text (a lone
  surrogate) is written with ``\\u`` escapes, which read back to the same string.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ddbtui.core.errors import DdbtuiError, UsageError
from ddbtui.core.paths import journal_path
from ddbtui.core.writes import JournalRecord

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: one process at a time, as before
    fcntl = None  # type: ignore[assignment]

TORN_SUFFIX = ".torn"
UNDO_LOCK_SUFFIX = ".undo-lock"
_BLOCK = 1 << 16


class JournalGap(UsageError, OSError):
    """Undo would step back past a line of the journal that could not be read (its write is unknown).

    An ``OSError`` too, so callers that report an unreadable journal show it as such."""


class JournalBusy(UsageError, OSError):
    """Another undo holds the journal's undo claim."""


@dataclass(frozen=True)
class Gap:
    """A line of the journal that is not a record: ``line`` 1-based, ``why`` in words."""

    line: int
    why: str


def _flock(fd: int, exclusive: bool) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)


def _is_av_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, dict) and len(v) == 1 for k, v in value.items()
    )


def _type_problem(obj: Any) -> str | None:
    """What keeps a parsed line from being a record, or None."""
    if not isinstance(obj, dict):
        return f"a JSON {type(obj).__name__}, not a record"
    if "torn" in obj and "id" not in obj:
        torn = obj["torn"] if isinstance(obj["torn"], dict) else {}
        return (
            f"{torn.get('bytes', '?')} bytes of a record torn by a crash (kept in {torn.get('kept_in', '?')})"
        )
    for name in ("id", "table", "operation"):
        if not isinstance(obj.get(name), str) or not obj[name]:
            return f"{name} is not a string"
    if not _is_av_map(obj.get("key")):
        return "key is not an item key"
    for name in ("old", "new"):
        if obj.get(name) is not None and not _is_av_map(obj[name]):
            return f"{name} is not an item"
    for name in ("group", "undoes", "endpoint", "region", "time", "new_digest"):
        if obj.get(name) is not None and not isinstance(obj[name], str):
            return f"{name} is not a string"
    if not isinstance(obj.get("old_known", True), bool):
        return "old_known is not true or false"
    if obj.get("request") is not None and not isinstance(obj["request"], dict):
        return "request is not an object"
    return None


def _parse(raw: bytes) -> JournalRecord | str:
    """A record, or why the line is not one."""
    try:
        obj = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except ValueError:
        return "not JSON (cut short, or garbage)"
    problem = _type_problem(obj)
    if problem:
        return problem
    try:
        return JournalRecord.from_json(obj)
    except (ValueError, KeyError, TypeError, AttributeError) as e:  # binascii.Error is a ValueError
        return f"a bad value ({type(e).__name__})"


def _line_bytes(record: JournalRecord) -> bytes:
    line = record.to_line()
    try:
        return line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: JSON's \u escapes keep it, and read back the same
        return (json.dumps(json.loads(line), ensure_ascii=True, separators=(",", ":")) + "\n").encode("ascii")


def _stderr_warning(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"ddbtui: warning: {message}\n")


class Journal:
    """The write journal: one JSON line per write (``JournalRecord``), in a 0600 file under the data dir
    (``DDBTUI_DATA_DIR`` or the platform's). Appends are whole lines under a file lock, safe from several
    threads and processes; see the module's docs for torn lines, gaps and the undo claim.

    ``on_warning`` hears each unreadable line once per instance (default: a line on stderr);
    ``warnings`` keeps them."""

    def __init__(
        self, path: Path | str | None = None, on_warning: Callable[[str], None] | None = None
    ) -> None:
        self.path = Path(path) if path is not None else journal_path()
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._lock = threading.RLock()
        self._on_warning = on_warning or _stderr_warning
        self.warnings: list[str] = []
        self._warned: set[tuple[int, str]] = set()
        self._claim_fd: int | None = None

    # --- files ----------------------------------------------------------------------------------------

    def _open(self, flags: int) -> int:
        fd = os.open(self.path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0), 0o600)
        if os.name == "posix" and (os.fstat(fd).st_mode & 0o077):
            os.fchmod(fd, 0o600)
        return fd

    @contextlib.contextmanager
    def _locked(self, exclusive: bool) -> Iterator[int | None]:
        """The journal's descriptor under its file lock (None when there is no journal to read)."""
        with self._lock:
            try:
                fd = self._open(os.O_RDWR | os.O_APPEND | os.O_CREAT if exclusive else os.O_RDONLY)
            except FileNotFoundError:
                if exclusive:
                    raise
                yield None
                return
            try:
                _flock(fd, exclusive)
                yield fd
            finally:
                os.close(fd)  # releases the lock

    # --- append ---------------------------------------------------------------------------------------

    def append(self, *records: JournalRecord) -> None:
        """Append whole lines and fsync them, under the exclusive lock, after repairing a torn tail."""
        data = b"".join(_line_bytes(r) for r in records)
        with self._locked(exclusive=True) as fd:
            assert fd is not None
            data = self._repair_tail(fd) + data
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)

    def _repair_tail(self, fd: int) -> bytes:
        """What to write before the next record so that it starts on a fresh line (b"" when the file ends
        with a newline). A torn record's bytes go to ``journal.jsonl.torn`` and are cut off the journal."""
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return b""
        start = size
        while start > 0:
            block = os.pread(fd, min(_BLOCK, start), start - min(_BLOCK, start))
            cut = block.rfind(b"\n")
            if cut >= 0:
                start = start - len(block) + cut + 1
                break
            start -= len(block)
        torn = os.pread(fd, size - start, start)
        if isinstance(_parse(torn), JournalRecord):
            return b"\n"  # a whole record that only lost its newline
        kept = self.path.with_name(self.path.name + TORN_SUFFIX)
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "journal": str(self.path),
            "offset": start,
            "bytes": len(torn),
            "base64": base64.b64encode(torn).decode("ascii"),
        }
        qfd = os.open(kept, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.write(qfd, (json.dumps(entry) + "\n").encode("ascii"))
            os.fsync(qfd)
        finally:
            os.close(qfd)
        os.ftruncate(fd, start)
        marker = {"torn": {"bytes": len(torn), "kept_in": str(kept), "time": entry["time"]}}
        self._warn(
            0, f"the journal {self.path} ended in a record torn by a crash: {len(torn)} bytes moved to {kept}"
        )
        return (json.dumps(marker) + "\n").encode("utf-8")

    # --- read -----------------------------------------------------------------------------------------

    def _warn(self, line: int, message: str) -> None:
        if (line, message) in self._warned:
            return
        self._warned.add((line, message))
        self.warnings.append(message)
        self._on_warning(message)

    def _read(self) -> list[JournalRecord | Gap]:
        """Every line, oldest first: a record or a gap (each gap warned about once)."""
        with self._locked(exclusive=False) as fd:
            if fd is None:
                return []
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
        data = b"".join(chunks)
        out: list[JournalRecord | Gap] = []
        seen: set[str] = set()
        lines = data.split(b"\n")
        for n, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            torn = n == len(lines)  # no newline after it
            parsed = _parse(raw)
            if isinstance(parsed, JournalRecord) and parsed.id in seen:
                parsed = f"a second record with the id {parsed.id}"
            if isinstance(parsed, JournalRecord):
                seen.add(parsed.id)
                out.append(parsed)
                continue
            why = "the last line, cut short by a crash" if torn else parsed
            self._warn(n, f"{self.path} line {n} is skipped: {why}")
            out.append(Gap(n, why))
        return out

    def records(self) -> list[JournalRecord]:
        """Every record, oldest first (a line that is not one is skipped, with a warning naming it)."""
        return [e for e in self._read() if isinstance(e, JournalRecord)]

    def pending_undo(self) -> list[JournalRecord]:
        """The writes ``undo`` would take back: the latest group of writes not undone yet (an undo itself
        is never undone: undo steps back through history). ``JournalGap`` when an unreadable line is newer
        than that group: the write it held may be the last one, and undo will not guess."""
        entries = self._read()
        records = [e for e in entries if isinstance(e, JournalRecord)]
        undone = {r.undoes for r in records if r.undoes}
        group = None
        for r in reversed(records):
            if r.undoes is None and r.id not in undone:
                group = r.group
                break
        pending = [r for r in records if r.group == group and r.undoes is None and r.id not in undone]
        ids = {r.id for r in pending}
        first = next((i for i, e in enumerate(entries) if isinstance(e, JournalRecord) and e.id in ids), 0)
        later = [e for e in entries[first:] if isinstance(e, Gap)]
        if later:
            gap = later[-1]
            what = f"the last write, {pending[-1].operation} {pending[-1].table}, " if pending else ""
            raise JournalGap(
                f"undo stops at line {gap.line} of {self.path}: {gap.why}. The write it held is unknown and "
                f"may be newer than {what or 'every record'}: undo will not step back past it. Remove that "
                "line from the journal to undo older writes anyway"
            )
        return pending

    # --- undo claim -----------------------------------------------------------------------------------

    def claim_undo(self) -> list[JournalRecord]:
        """``pending_undo`` under the undo claim, held until ``release_undo`` (or the next claim by this
        instance, or the end of the process). ``JournalBusy`` when another undo holds it."""
        with self._lock:
            self.release_undo()
            lock_path = self.path.with_name(self.path.name + UNDO_LOCK_SUFFIX)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
                os.close(fd)
                if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                who = f" (ddbtui process {holder})" if holder else ""
                raise JournalBusy(
                    f"another undo is in progress{who}: wait until it is done, then undo again (it may "
                    "already have taken back the write you meant)"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            self._claim_fd = fd
            try:
                return self.pending_undo()
            except BaseException:
                self.release_undo()
                raise

    def release_undo(self, result: Any = None) -> Any:
        """Give the undo claim back (nothing when none is held); returns ``result`` for a one-line return."""
        with self._lock:
            fd, self._claim_fd = self._claim_fd, None
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                os.close(fd)
        return result

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.release_undo()


def _journal(journal: Journal | None, *records: JournalRecord) -> None:
    if journal is None or not records:
        return
    try:
        journal.append(*records)
    except OSError as e:
        raise DdbtuiError(
            f"the write succeeded, but the journal {journal.path} could not be written: {e}"
        ) from e
