"""Scan segments read in worker processes: each child sends, per page, its output bytes already formatted.

Why: one process formats ~20k items/s (json.loads of the body + the line writer, ~44 µs an item, all under
the GIL), so at 50 ms latency N segment *threads* give ~1.25× one segment. Here the CPU-heavy part (HTTP,
botocore, parsing, formatting the lines) runs in children; the parent keeps everything else: the output
file, fsync, the resume state, progress, the capacity ledger, cancel. So correctness does not move: the
parent writes and commits pages exactly as it does for threads, and a segment's resume key advances only
when the parent has committed that page. Whatever the children read past that is dropped with them.

The children are plain ``python -m ddbtui.aws.procsource`` subprocesses (spawned, never forked: the parent
has threads), talking length-prefixed pickles over their stdin/stdout:

* each runs in a process group of its own, so a terminal's ^C reaches only the parent, which stops them;
  they also ignore SIGINT;
* a child exits as soon as its stdin reaches EOF, i.e. when the parent goes away by any path (even a
  SIGKILL): children never outlive their parent, with no helper process and no polling;
* flow control is the pipe itself: a parent that falls behind stops reading, a child's send blocks, and a
  child holds at most its small page queue (2) plus one page per segment thread.

A child builds its own client from the picklable ``Connection`` (so credentials resolve in each child the
way boto3 resolves them in the parent) and runs its share of the segments as threads.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from ddbtui.core.errors import DdbtuiError

_LEN = struct.Struct("!Q")
_PAGE_QUEUE = 2  # pages formatted and waiting in a child (as runner's small queue)


class WorkerFailed(DdbtuiError):
    """A worker process failed with an error that could not be sent back as itself, or died."""


@dataclass
class WrittenPage:
    """One page as the export loop consumes it: like runner's ``Page``, with the output bytes made."""

    segment: int
    data: bytes
    lines: int
    count: int
    scanned_count: int
    cap: Any  # ConsumedCapacity | None, already chosen (reported or estimated) by the child
    last_evaluated_key: dict[str, Any] | None
    seconds: float = 0.0

    def capacity(self, _prefer_estimate: bool = False) -> Any:
        return self.cap


@dataclass
class Job:
    """What a child does: these segments of this built Scan, from these keys, formatted so."""

    connection: Any  # ddbtui.aws.session.Connection
    built: Any  # ddbtui.core.requests.BuiltRequest
    schema: Any  # ddbtui.core.schema.TableSchema
    segments: list[int]
    total: int
    start: dict[int, Any]
    fmt: str
    fast: bool
    estimate_capacity: bool


# --------------------------------------------------------------------------------------------- framing


def _send(stream: BinaryIO, obj: Any) -> None:
    blob = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LEN.pack(len(blob)) + blob)
    stream.flush()


def _recv(stream: BinaryIO) -> Any:
    """The next object, or raise EOFError at the end of the stream (also mid-frame: the writer died)."""
    head = stream.read(_LEN.size)
    if len(head) < _LEN.size:
        raise EOFError
    (n,) = _LEN.unpack(head)
    blob = stream.read(n)
    if len(blob) < n:
        raise EOFError
    return pickle.loads(blob)


def _pack_error(e: BaseException) -> tuple[str, bytes | None, str]:
    """An exception to send: itself when it pickles (ClientError, botocore's errors do), else its text."""
    from ddbtui.aws.errors import describe_aws_error

    text = describe_aws_error(e) or str(e) or type(e).__name__
    try:
        blob = pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(blob)
    except Exception:  # noqa: BLE001 - any failure to round-trip: send the text
        blob = None
    return ("error", blob, text)


# --------------------------------------------------------------------------------------------- child


def _exit_at_eof(fd: int) -> None:
    with contextlib.suppress(OSError):
        while os.read(fd, 4096):
            pass
    os._exit(0)


def _child(stdin: BinaryIO, stdout: BinaryIO) -> int:
    from ddbtui.aws.pagewriter import page_writer
    from ddbtui.aws.retries import watch_retries
    from ddbtui.aws.runner import PageRunner
    from ddbtui.aws.session import make_client

    job: Job = _recv(stdin)
    # the parent keeps our stdin open for as long as it wants us: EOF means it is gone (or done with us)
    threading.Thread(target=_exit_at_eof, args=(stdin.fileno(),), daemon=True).start()
    out: queue.Queue[Any] = queue.Queue(maxsize=_PAGE_QUEUE)
    try:
        client = make_client(job.connection)
        watch_retries(client, lambda ev: out.put(("note", ev.describe())))
        runner = PageRunner(client, job.built, job.schema, start=job.start, raw=job.fast)
        write = page_writer(job.fmt, job.fast)
    except BaseException as e:  # noqa: BLE001 - sent to the parent, which raises it
        _send(stdout, _pack_error(e))
        return 1

    def segment(seg: int) -> None:
        try:
            for page in runner._segment_pages(seg, job.total):
                data = write(page.items)
                cap = page.capacity(job.estimate_capacity)
                out.put(
                    (
                        "page",
                        WrittenPage(
                            seg,
                            data,
                            len(page.items),
                            page.count,
                            page.scanned_count,
                            cap,
                            page.last_evaluated_key,
                            page.seconds,
                        ),
                    )
                )
            out.put(("done", seg))
        except BaseException as e:  # noqa: BLE001 - sent to the parent, which raises it
            out.put(_pack_error(e))

    threads = [threading.Thread(target=segment, args=(s,), daemon=True) for s in job.segments]
    for t in threads:
        t.start()
    finished = 0
    while finished < len(job.segments):
        msg = out.get()
        _send(stdout, msg)
        if msg[0] == "done":
            finished += 1
        elif msg[0] == "error":
            return 1  # the parent stops every worker
    return 0


def main() -> None:
    """A worker process: ``python -m ddbtui.aws.procsource``, started by ``ProcessPages``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ^C is the parent's to handle; it stops us
    stdout = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print must not corrupt the frames
    sys.stdout = sys.stderr
    code = 0
    try:
        code = _child(sys.stdin.buffer, stdout)
        stdout.flush()
    except (EOFError, BrokenPipeError):
        code = 0  # the parent went away
    finally:
        sys.stderr.flush()
        # no interpreter shutdown: segment threads and the stdin watcher may still be blocked
        os._exit(code)


# --------------------------------------------------------------------------------------------- parent


def default_processes(segments: int) -> int:
    """Worker processes for ``segments`` parallel segments: one per CPU core at most (the work they
    share is CPU; more processes than cores only add start-up and memory), never more than segments."""
    return min(segments, os.cpu_count() or 1)


class ProcessPages:
    """Iterate the formatted pages of a parallel Scan read by ``processes`` worker processes.

    ``start`` is runner's: segment → LastEvaluatedKey, None for a finished segment, absent from the start.
    ``cancel`` is checked about every 0.1 s while waiting. Pages of one segment arrive in order; segments
    interleave. Leaving the iteration by any path (the end, break/close, an error, KeyboardInterrupt)
    stops and reaps every child."""

    def __init__(
        self,
        connection: Any,
        built: Any,
        schema: Any,
        *,
        start: dict[int, Any],
        fmt: str,
        fast: bool,
        estimate_capacity: bool,
        processes: int,
        cancel: threading.Event,
        on_notice: Any = None,
    ) -> None:
        self.connection = connection
        self.built = built
        self.schema = schema
        self.start = dict(start)
        self.fmt = fmt
        self.fast = fast
        self.estimate_capacity = estimate_capacity
        self.total = built.request.segments
        self.processes = max(1, processes)
        self.cancel = cancel
        self.on_notice = on_notice or (lambda _m: None)
        self.children: list[subprocess.Popen[bytes]] = []

    def _jobs(self) -> list[Job]:
        todo = [s for s in range(self.total) if not (s in self.start and self.start[s] is None)]
        n = min(self.processes, len(todo))
        shares = [todo[i::n] for i in range(n)]
        return [
            Job(
                self.connection,
                self.built,
                self.schema,
                share,
                self.total,
                {s: self.start[s] for s in share if s in self.start},
                self.fmt,
                self.fast,
                self.estimate_capacity,
            )
            for share in shares
        ]

    def _spawn(self, job: Job) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ddbtui.aws.procsource"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            # a group of its own: a terminal's ^C goes to the parent only
            **({"process_group": 0} if os.name == "posix" else {}),
        )
        self.children.append(proc)
        assert proc.stdin is not None
        _send(proc.stdin, job)  # stdin stays open: it is the child's lifeline
        return proc

    def pages(self) -> Iterator[WrittenPage]:
        jobs = self._jobs()
        if not jobs:
            return
        out: queue.Queue[Any] = queue.Queue(maxsize=_PAGE_QUEUE)
        stop = threading.Event()

        def put(msg: Any) -> bool:
            while not stop.is_set():
                try:
                    out.put(msg, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def reader(proc: subprocess.Popen[bytes], expect: int) -> None:
            assert proc.stdout is not None
            done = 0
            try:
                while True:
                    msg = _recv(proc.stdout)
                    if not put(msg) or msg[0] == "error":
                        return
                    if msg[0] == "done":
                        done += 1
            except (EOFError, OSError):
                if done < expect and not stop.is_set():
                    code = proc.wait()
                    put(("error", None, f"an export worker process stopped (exit status {code})"))
            except BaseException as e:  # noqa: BLE001 - a frame that does not unpickle: stop the export
                put(("error", None, f"an export worker process sent what cannot be read: {e!r}"))

        readers = []
        try:
            for job in jobs:
                proc = self._spawn(job)
                t = threading.Thread(target=reader, args=(proc, len(job.segments)), daemon=True)
                t.start()
                readers.append(t)
            remaining = sum(len(j.segments) for j in jobs)
            while remaining:
                if self.cancel.is_set():
                    return
                try:
                    msg = out.get(timeout=0.1)
                except queue.Empty:
                    # belt and braces: every reader reports its child's end; never wait on none of them
                    if not any(t.is_alive() for t in readers) and out.empty():
                        raise WorkerFailed("the export worker processes stopped before the end") from None
                    continue
                kind = msg[0]
                if kind == "page":
                    yield msg[1]
                elif kind == "done":
                    remaining -= 1
                elif kind == "note":
                    self.on_notice(msg[1])
                elif kind == "error":
                    self.cancel.set()
                    _, blob, text = msg
                    if blob is not None:
                        raise pickle.loads(blob)
                    raise WorkerFailed(text)
        finally:
            stop.set()
            self._stop_children()
            for t in readers:
                t.join(5)
            self.close()

    def _stop_children(self) -> None:
        for proc in self.children:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.terminate()
        for proc in self.children:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self) -> None:
        """Stop and reap every child (terminate, then kill after 5 s) and close its pipes; idempotent."""
        self._stop_children()
        for proc in self.children:
            for stream in (proc.stdin, proc.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()


if __name__ == "__main__":
    # run as ``-m``: pickle must name this module's classes ddbtui.aws.procsource, not __main__
    from ddbtui.aws import procsource

    procsource.main()
