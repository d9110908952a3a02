"""Fault injection for tests, without mocking boto3: botocore event hooks and a loopback proxy.

Hooks (``inject``) short-circuit a request before it is sent: a ``before-send`` handler that returns an
``AWSResponse`` is taken as the server's answer, and botocore's retry handler sees it as it would a real
one (so standard-mode retries retry throttling and 5xx, and give up after ``max_attempts``).

The proxy (``FaultProxy``) sits between a client and a real server (moto) and can delay, answer 500/503,
reset the connection after part of the response, or accept and never answer. It speaks just enough
HTTP/1.1 for botocore: one request per connection read fully by Content-Length, the answer relayed whole.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import botocore.awsrequest

JSON_TYPE = "application/x-amz-json-1.0"


class _Raw:
    """A body botocore can ``.stream()``."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_kw: Any) -> Iterator[bytes]:
        yield self.data


def response(request: Any, status: int, body: bytes | str = b"", content_type: str = JSON_TYPE):
    """An ``AWSResponse`` for ``request``; returned from a before-send hook it replaces the HTTP call."""
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": content_type, "Content-Length": str(len(data))}
    return botocore.awsrequest.AWSResponse(request.url, status, headers, _Raw(data))


def aws_error(code: str, message: str = "injected", status: int = 400) -> Callable[[Any], Any]:
    """An action answering with DynamoDB's JSON error ``code``."""
    body = json.dumps({"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message})
    return lambda request: response(request, status, body)


def http_error(status: int) -> Callable[[Any], Any]:
    """An action answering with a bare 5xx (an HTML body, as load balancers and moto send)."""
    return lambda request: response(request, status, f"<html>{status}</html>", "text/html")


THROTTLED = aws_error(
    "ProvisionedThroughputExceededException", "The level of configured provisioned throughput"
)
THROTTLING = aws_error("ThrottlingException", "Rate of requests exceeds the allowed throughput")
EXPIRED = aws_error("ExpiredTokenException", "The security token included in the request is expired")
DENIED = aws_error("AccessDeniedException", "User is not authorized to perform this action on the table")
HTTP_500 = http_error(500)
HTTP_503 = http_error(503)


def connection_reset(request: Any) -> Any:
    """An action failing as a reset connection does (botocore retries it as a connection error)."""
    raise botocore.exceptions.ConnectionClosedError(endpoint_url=request.url)


@dataclass
class Injector:
    """Counts the requests of one operation and runs an action on chosen ones (1-based numbers)."""

    client: Any
    operation: str
    action: Callable[[Any], Any]
    when: Callable[[int, Any], bool]
    seen: int = 0
    hits: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Any, **_kw: Any) -> Any:
        with self._lock:
            self.seen += 1
            hit = self.when(self.seen, request)
            if hit:
                self.hits += 1
        return self.action(request) if hit else None

    def remove(self) -> None:
        self.client.meta.events.unregister(f"before-send.dynamodb.{self.operation}", self)


def inject(
    client: Any,
    operation: str,
    action: Callable[[Any], Any],
    *,
    on: Callable[[int, Any], bool] | None = None,
    nth: int | None = None,
    times: int | None = None,
) -> Injector:
    """Run ``action`` on requests of ``operation`` (``Scan``, ``Query``, ``BatchWriteItem``...).

    Choose which: ``nth`` and ``times`` fault requests nth..nth+times-1 (``times=None``: every one from
    the nth on), or ``on(number, request)`` decides. Returns the hook; ``.remove()`` takes it away.
    """
    if on is None:
        first = nth or 1

        def on(n: int, _request: Any) -> bool:
            return n >= first and (times is None or n < first + times)

    hook = Injector(client, operation, action, on)
    client.meta.events.register(f"before-send.dynamodb.{operation}", hook)
    return hook


def on_table(table: str) -> Callable[[int, Any], bool]:
    """A chooser for ``inject(on=...)``: requests naming ``table`` (AccessDenied on one table)."""

    def pick(_n: int, request: Any) -> bool:
        body = request.body.decode() if isinstance(request.body, bytes) else (request.body or "")
        try:
            doc = json.loads(body)
        except ValueError:
            return False
        return doc.get("TableName") == table or table in (doc.get("RequestItems") or {})

    return pick


def count_requests(client: Any) -> dict[str, int]:
    """Count every request the client is about to send, by operation (``before-send`` sees them all)."""
    counts: dict[str, int] = {}

    def hook(request: Any, **_kw: Any) -> None:
        op = (request.headers.get("X-Amz-Target") or b"").decode().rpartition(".")[2] or "?"
        counts[op] = counts.get(op, 0) + 1

    client.meta.events.register("before-send.dynamodb", hook)
    return counts


# --------------------------------------------------------------------------------------------- proxy


@dataclass
class ProxyRule:
    """What the proxy does to one request: ``pass`` | ``status`` | ``reset`` | ``hang`` | ``delay`` |
    ``answer`` (200 with ``answer`` as the JSON body: an API the upstream emulator lacks)."""

    kind: str
    status: int = 503
    delay: float = 0.0
    after_bytes: int = 200  # reset: how much of the real response gets through first
    error_code: str | None = None  # status: answer DynamoDB's JSON error instead of an HTML page
    message: str = "injected"  # status with error_code: the error's message
    answer: dict | Callable[[dict], dict] | None = None  # answer: the JSON body (or made from the request's)

    @classmethod
    def aws_error(cls, code: str, status: int = 400) -> ProxyRule:
        return cls("status", status=status, error_code=code)


class FaultProxy:
    """A threaded loopback HTTP proxy in front of ``upstream`` (host, port).

    ``plan(number, target)`` returns the ``ProxyRule`` for each request (number is 1-based over all
    requests; target is the X-Amz-Target's operation, e.g. ``Scan``). ``log`` records (number, target,
    kind). Use as a context manager; ``url`` is its endpoint.
    """

    def __init__(self, upstream: str, plan: Callable[[int, str], ProxyRule] | None = None) -> None:
        from urllib.parse import urlparse

        u = urlparse(upstream)
        self.upstream = (u.hostname or "127.0.0.1", u.port or 80)
        self.plan = plan or (lambda _n, _t: ProxyRule("pass"))
        self.log: list[tuple[int, str, str]] = []
        self.answered: list[tuple[str, dict]] = []  # (target, request JSON) of each ``answer`` request
        self._n = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._conns: list[socket.socket] = []

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()
        for c in list(self._conns):
            with contextlib.suppress(OSError):
                c.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    @staticmethod
    def _read_request(conn: socket.socket) -> bytes | None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            body += chunk
        return head + b"\r\n\r\n" + body

    @staticmethod
    def _target(request: bytes) -> str:
        for line in request.split(b"\r\n\r\n")[0].split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"x-amz-target":
                return value.strip().decode().rpartition(".")[2]
        return "?"

    def _forward(self, request: bytes) -> bytes:
        # ask upstream to close after the answer, so reading to EOF gets exactly one response
        head, _, body = request.partition(b"\r\n\r\n")
        lines = [x for x in head.split(b"\r\n") if not x.lower().startswith(b"connection:")]
        request = b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(request)
            chunks = []
            while chunk := up.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks)

    def _handle(self, conn: socket.socket) -> None:
        try:
            while not self._stop.is_set():
                request = self._read_request(conn)
                if request is None:
                    return
                with self._lock:
                    self._n += 1
                    n = self._n
                target = self._target(request)
                rule = self.plan(n, target)
                self.log.append((n, target, rule.kind))
                if rule.kind == "hang":
                    self._stop.wait(60)
                    return
                if rule.delay:
                    time.sleep(rule.delay)
                if rule.kind == "answer":
                    asked = json.loads(request.partition(b"\r\n\r\n")[2] or b"{}")
                    self.answered.append((target, asked))
                    answer = rule.answer(asked) if callable(rule.answer) else rule.answer
                    body = json.dumps(answer or {}).encode()
                    conn.sendall(
                        f"HTTP/1.1 200 OK\r\nContent-Type: {JSON_TYPE}\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                    continue
                if rule.kind == "status":
                    if rule.error_code:
                        doc = {
                            "__type": f"com.amazonaws.dynamodb.v20120810#{rule.error_code}",
                            "message": rule.message,
                        }
                        body, ctype = json.dumps(doc).encode(), JSON_TYPE
                    else:
                        body, ctype = f"<html>{rule.status}</html>".encode(), "text/html"
                    conn.sendall(
                        f"HTTP/1.1 {rule.status} Injected\r\nContent-Type: {ctype}\r\n"
                        f"Content-Length: {len(body)}\r\n\r\n".encode()
                        + body
                    )
                    continue
                answer = self._forward(request)
                if rule.kind == "reset":
                    conn.sendall(answer[: rule.after_bytes])
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    return  # close with RST (linger 0) mid-response
                # the upstream answered "Connection: close"; keep the client's connection alive instead
                conn.sendall(answer.replace(b"Connection: close\r\n", b"", 1))
        except OSError:
            return
        finally:
            with contextlib.suppress(OSError):
                conn.close()
            with contextlib.suppress(ValueError):
                self._conns.remove(conn)


def on_requests(numbers: set[int], rule: ProxyRule, target: str | None = None):
    """A proxy plan: ``rule`` for the requests numbered in ``numbers`` (counting only ``target`` ones)."""
    counter = {"n": 0}
    lock = threading.Lock()

    def plan(_n: int, t: str) -> ProxyRule:
        if target is not None and t != target:
            return ProxyRule("pass")
        with lock:
            counter["n"] += 1
            k = counter["n"]
        return rule if k in numbers else ProxyRule("pass")

    return plan


def contributor_insights(table: str, hostile: str) -> tuple[Callable[[int, str], ProxyRule], list[str]]:
    """A proxy plan with DynamoDB's Contributor Insights answers, which moto lacks, for ``table``: on for the table (its 4 rules), off for
    ByX; GetInsightRuleReport's answer per rule. Every other request goes on to moto."""
    rules = [f"DynamoDBContributorInsights-{k}-{table}-1767225600000" for k in ("PKC", "PKT", "SKC", "SKT")]
    reports = {
        rules[0]: {  # most accessed partition keys: 600 of 1,000 on CUSTOMER#7
            "KeyLabels": ["pk"],
            "AggregationStatistic": "Sum",
            "AggregateValue": 1000.0,
            "ApproximateUniqueCount": 42,
            "Contributors": [
                {"Keys": ["CUSTOMER#9"], "ApproximateAggregateValue": 150.0, "Datapoints": []},
                {"Keys": ["CUSTOMER#7"], "ApproximateAggregateValue": 600.0, "Datapoints": []},
                {"Keys": [hostile], "ApproximateAggregateValue": 50.0, "Datapoints": []},
            ],
        },
        rules[1]: {  # most throttled: 30 of 32 throttles on CUSTOMER#7
            "KeyLabels": ["pk"],
            "AggregationStatistic": "Sum",
            "AggregateValue": 32.0,
            "ApproximateUniqueCount": 2,
            "Contributors": [
                {"Keys": ["CUSTOMER#7"], "ApproximateAggregateValue": 30.0, "Datapoints": []},
                {"Keys": ["CUSTOMER#9"], "ApproximateAggregateValue": 2.0, "Datapoints": []},
            ],
        },
        rules[2]: {"KeyLabels": ["pk", "sk"], "AggregateValue": 0.0, "Contributors": []},
        rules[3]: {"KeyLabels": ["pk", "sk"], "AggregateValue": 0.0, "Contributors": []},
    }

    def describe(asked: dict) -> dict:
        if asked.get("IndexName") == "ByX":
            return {"TableName": table, "IndexName": "ByX", "ContributorInsightsStatus": "DISABLED"}
        return {
            "TableName": table,
            "ContributorInsightsStatus": "ENABLED",
            "ContributorInsightsRuleList": rules,
        }

    def plan(_n: int, target: str) -> ProxyRule:
        if target == "DescribeContributorInsights":
            return ProxyRule("answer", answer=describe)
        if target == "GetInsightRuleReport":
            return ProxyRule("answer", answer=lambda asked: reports[asked["RuleName"]])
        return ProxyRule("pass")

    return plan, rules
