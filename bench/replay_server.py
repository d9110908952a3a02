"""A DynamoDB stand-in that serves Scan/Query pages from memory, fast, with a chosen latency per request.

It speaks enough of the JSON protocol (``X-Amz-Target: DynamoDB_20120810.<Op>``; signatures are not
checked) for ``ddbtui export``, a boto3 paginator and ``aws dynamodb scan`` to page through a table:
Scan with Segment/TotalSegments, ExclusiveStartKey and Limit; Query on the partition key; DescribeTable,
DescribeTimeToLive and ListTables. Items are the demo ``Shop`` table repeated (partition keys renamed)
to N items; pages are cut at 1 MB of item size as DynamoDB does, and report ConsumedCapacity. Every item
is serialized once at start-up, so a page is a ``b",".join`` of ready bytes: the server is not what a
client benchmark measures (``--selftest`` prints its own maximum rate).

    .venv/bin/python bench/replay_server.py --items 100000 --latency-ms 0,50     # prints one URL per latency
    .venv/bin/python bench/replay_server.py --items 100000 --selftest
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGE_BYTES = 1024 * 1024
TABLE = "Shop"
TARGET_PREFIX = "DynamoDB_20120810."


class Data:
    """N items as ready JSON bytes, with their keys and DynamoDB sizes."""

    def __init__(self, n: int, table: str = TABLE) -> None:
        from ddbtui.aws import demo_data
        from ddbtui.core.capacity import item_size
        from ddbtui.core.values import item_to_ddb_json

        base = list(demo_data.items(table))
        self.definition = demo_data.table_definition(table)
        self.table = table
        self.blobs: list[bytes] = []
        self.keys: list[tuple[str, str]] = []
        self.sizes: list[int] = []
        copy = 0
        while len(self.blobs) < n:
            for item in base:
                if len(self.blobs) >= n:
                    break
                if copy:
                    item = dict(item)
                    item["pk"] = {"S": f"{item['pk']['S']}~{copy}"}
                self.blobs.append(item_to_ddb_json(item).encode("utf-8", "surrogatepass"))
                self.keys.append((item["pk"]["S"], item["sk"]["S"]))
                self.sizes.append(item_size(item))
            copy += 1
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.total_size = sum(self.sizes)
        self._segments: dict[int, list[list[int]]] = {}
        self._lock = threading.Lock()

    def segment(self, segment: int, total: int) -> list[int]:
        """Item positions of one segment (item i belongs to segment i mod total)."""
        with self._lock:
            if total not in self._segments:
                self._segments[total] = [list(range(s, len(self.blobs), total)) for s in range(total)]
            return self._segments[total][segment]

    def page(self, positions: list[int], start: int, limit: int | None) -> tuple[list[int], int | None]:
        """The positions of one page from ``start`` (index into ``positions``), and the next start."""
        out: list[int] = []
        size = 0
        i = start
        while i < len(positions):
            p = positions[i]
            if out and size + self.sizes[p] > PAGE_BYTES:
                break
            out.append(p)
            size += self.sizes[p]
            i += 1
            if limit is not None and len(out) >= limit:
                break
        return out, (i if i < len(positions) else None)

    def key_json(self, p: int) -> bytes:
        pk, sk = self.keys[p]
        return json.dumps({"pk": {"S": pk}, "sk": {"S": sk}}, ensure_ascii=False).encode()

    def body(self, page: list[int], last: int | None) -> bytes:
        units = -(-sum(self.sizes[p] for p in page) // 4096) / 2
        parts = [
            b'{"ConsumedCapacity":{"CapacityUnits":',
            repr(float(units)).encode(),
            b',"TableName":"' + self.table.encode() + b'"},"Count":',
            str(len(page)).encode(),
            b',"Items":[',
            b",".join([self.blobs[p] for p in page]),
            b"]",
        ]
        if last is not None:
            parts += [b',"LastEvaluatedKey":', self.key_json(last)]
        parts += [b',"ScannedCount":', str(len(page)).encode(), b"}"]
        return b"".join(parts)

    def describe(self) -> dict[str, Any]:
        d = dict(self.definition)
        d.pop("StreamSpecification", None)
        d.pop("BillingMode", None)
        for idx in d.get("GlobalSecondaryIndexes", []):
            idx.setdefault("IndexStatus", "ACTIVE")
        return {
            "Table": {
                **d,
                "TableStatus": "ACTIVE",
                "ItemCount": len(self.blobs),
                "TableSizeBytes": self.total_size,
                "TableArn": f"arn:aws:dynamodb:us-east-1:000000000000:table/{self.table}",
                "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
                "CreationDateTime": 1700000000.0,
            }
        }


def _error(code: str, message: str) -> tuple[int, bytes]:
    return 400, json.dumps(
        {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": message}
    ).encode()


def handle(data: Data, op: str, req: dict[str, Any]) -> tuple[int, bytes]:
    """One request: the HTTP status and the response body."""
    if op in ("DescribeTable", "Scan", "Query", "DescribeTimeToLive") and req.get("TableName") != data.table:
        return _error("ResourceNotFoundException", "Requested resource not found")
    if op == "ListTables":
        return 200, json.dumps({"TableNames": [data.table]}).encode()
    if op == "DescribeTable":
        return 200, json.dumps(data.describe()).encode()
    if op == "DescribeTimeToLive":
        return 200, b'{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}'
    if op not in ("Scan", "Query"):
        return _error("UnknownOperationException", f"{op} is not served by the replay server")
    total = int(req.get("TotalSegments", 1))
    positions = data.segment(int(req.get("Segment", 0)), total)
    if op == "Query":  # the partition key's value: the first string among the values
        values = req.get("ExpressionAttributeValues") or {}
        pk = next((v["S"] for v in values.values() if "S" in v), None)
        positions = [p for p in positions if data.keys[p][0] == pk]
    start = 0
    esk = req.get("ExclusiveStartKey")
    if esk:
        at = data.index.get((esk["pk"]["S"], esk["sk"]["S"]))
        if at is None:
            return _error("ValidationException", "The provided starting key is invalid")
        start = positions.index(at) + 1
    limit = req.get("Limit")
    page, nxt = data.page(positions, start, int(limit) if limit else None)
    return 200, data.body(page, page[-1] if nxt is not None and page else None)


def make_server(data: Data, latency: float, port: int = 0) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as DynamoDB

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            op = (self.headers.get("X-Amz-Target") or "").removeprefix(TARGET_PREFIX)
            if latency:
                time.sleep(latency)
            try:
                status, body = handle(data, op, json.loads(raw or b"{}"))
            except (KeyError, ValueError, TypeError) as e:
                status, body = _error("ValidationException", f"bad request: {e}")
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-amzn-RequestId", "REPLAY")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


def serve(data: Data, latencies: list[float]) -> dict[float, str]:
    """Start one server per latency on background threads; returns latency (s) → URL."""
    urls = {}
    for lat in latencies:
        server = make_server(data, lat)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        urls[lat] = f"http://127.0.0.1:{server.server_address[1]}"
    return urls


def selftest(url: str, table: str = TABLE) -> tuple[int, float]:
    """The server's own ceiling: a raw keep-alive ``http.client`` scan, bodies not parsed. (items, s)."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port))
    items = 0
    esk = None
    t0 = time.perf_counter()
    while True:
        req: dict[str, Any] = {"TableName": table}
        if esk:
            req["ExclusiveStartKey"] = esk
        conn.request("POST", "/", json.dumps(req), {"X-Amz-Target": TARGET_PREFIX + "Scan"})
        body = conn.getresponse().read()
        # the count and the next key without parsing the items
        items += int(body[body.index(b'"Count":') + 8 : body.index(b",", body.index(b'"Count":'))])
        at = body.rfind(b'"LastEvaluatedKey":')
        if at < 0:
            break
        esk = json.loads(body[at + 19 : body.rindex(b',"ScannedCount"')])
    return items, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=100_000)
    ap.add_argument("--latency-ms", default="0", help="comma-separated: one server per latency")
    ap.add_argument("--selftest", action="store_true", help="print the server's own maximum rate and exit")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    data = Data(args.items)
    built = time.perf_counter() - t0
    urls = serve(data, [float(x) / 1000 for x in args.latency_ms.split(",")])
    if args.selftest:
        n, secs = selftest(next(iter(urls.values())))
        print(json.dumps({"items": n, "seconds": secs, "items_per_s": n / secs, "build_s": built}))
        return
    print(json.dumps({"urls": {str(int(k * 1000)): v for k, v in urls.items()}, "items": len(data.blobs)}))
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


if __name__ == "__main__":
    main()
