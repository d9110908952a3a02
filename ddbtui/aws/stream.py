"""Tail a table's DynamoDB stream: records as they arrive, across shards and their splits.

A stream is a set of shards; a shard is open for a few hours, then closes and gets one or two children
that carry on. ``StreamTail`` lists the shards (DescribeStream, paged with ``ExclusiveStartShardId``),
reads every open shard with GetRecords, reads a child only once its parent is drained (the order of the
changes to one key is kept), and lists the shards again from time to time and whenever one closes, to pick
up the new ones. It starts at LATEST (only new changes) or at TRIM_HORIZON (the last 24 hours).

Nothing here prints: ``StreamTail.events()`` yields ``StreamEvent`` objects and stops on ``cancel``, after
``max_records`` or after ``idle_timeout`` seconds without a record.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from ddbtui.core.capacity import canonical
from ddbtui.core.errors import UsageError

Item = dict[str, dict[str, Any]]

ENABLE_HINT = (
    "aws dynamodb update-table --table-name {table} "
    "--stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES"
)


class StreamNotEnabled(UsageError):
    """The table has no enabled stream (exit 2, with the command that turns it on)."""


# --------------------------------------------------------------------------------------------- clients


def _sibling_endpoint(conn: Any, service: str) -> str | None:
    """The endpoint of another AWS service for a connection whose DynamoDB endpoint may be custom.

    Emulators (moto, DynamoDB Local, LocalStack) serve every API on the DynamoDB endpoint, so it is used
    as is; a real AWS DynamoDB endpoint (``dynamodb.<region>.amazonaws.com``, a VPC endpoint) says nothing
    about the other service's, so boto3's default (or ``AWS_ENDPOINT_URL_<SERVICE>``) is used.
    """
    env = "AWS_ENDPOINT_URL_" + service.upper().replace("-", "_")
    if os.environ.get(env):
        return None  # boto3 reads it itself
    url = conn.effective_endpoint
    if not url:
        return None
    host = urlparse(url).hostname or ""
    if host.endswith(".amazonaws.com") or host.endswith(".amazonaws.com.cn"):
        return None
    return url


def service_client(conn: Any, service: str, *, max_attempts: int | None = None) -> Any:
    """A boto3 client of ``service`` (``dynamodbstreams``, ``application-autoscaling``, ``dynamodb``) built
    from a ``Connection`` exactly as ``ddbtui.aws.session.make_client`` builds the DynamoDB client: the
    same profile, region, credential chain (dummy credentials on emulators) and retry/timeout settings.

    ``max_attempts`` overrides the retries (probes of optional APIs on an emulator answer 500 at once;
    retrying them only waits).
    """
    import boto3
    import botocore.config
    import botocore.exceptions

    from ddbtui.aws.session import ConnectionSetupError

    try:
        session = boto3.Session(profile_name=conn.profile)
    except botocore.exceptions.ProfileNotFound as e:
        raise ConnectionSetupError(f"{e}. Check --profile / AWS_PROFILE, or try --demo.") from None
    region = conn.region or os.environ.get("AWS_REGION") or session.region_name
    if region is None:
        if not conn.is_emulator:
            raise ConnectionSetupError("No AWS region: pass --region or set AWS_REGION, or try --demo.")
        region = "us-east-1"
    try:
        creds = session.get_credentials()
    except botocore.exceptions.BotoCoreError as e:
        raise ConnectionSetupError(f"Could not load AWS credentials: {e}.") from None
    if creds is None:
        if not conn.is_emulator:
            raise ConnectionSetupError(
                "No AWS credentials found: configure a profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID, "
                "or try --demo."
            )
        session = boto3.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=region)
    config = botocore.config.Config(
        retries={"mode": "standard", "max_attempts": max_attempts or conn.max_attempts},
        connect_timeout=conn.connect_timeout,
        read_timeout=conn.read_timeout,
        max_pool_connections=32,
        user_agent_extra="ddbtui",
    )
    endpoint = conn.effective_endpoint if service == "dynamodb" else _sibling_endpoint(conn, service)
    return session.client(service, region_name=region, endpoint_url=endpoint, config=config)


def streams_client(conn: Any) -> Any:
    """The DynamoDB Streams client for a ``Connection`` (same session, region and emulator endpoint)."""
    return service_client(conn, "dynamodbstreams")


# --------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class ImageDiff:
    """Attribute names an update added, removed and changed (DynamoDB's equality: 5 = 5.0)."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()


def image_diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> ImageDiff:
    """What changed between two item images (either may be None: an INSERT or a REMOVE)."""
    old, new = old or {}, new or {}
    added = tuple(sorted(k for k in new if k not in old))
    removed = tuple(sorted(k for k in old if k not in new))
    changed = tuple(sorted(k for k in new if k in old and canonical(old[k]) != canonical(new[k])))
    return ImageDiff(added, removed, changed)


@dataclass(frozen=True)
class StreamEvent:
    """One stream record: what happened to which item, when (approximately), and the images if any."""

    event_name: str  # INSERT | MODIFY | REMOVE
    keys: Item
    old: Item | None
    new: Item | None
    approximate_time: datetime | None
    sequence_number: str
    shard_id: str
    view_type: str | None = None
    size_bytes: int | None = None
    by_ttl: bool = False  # a REMOVE made by TTL, not by a client

    @property
    def diff(self) -> ImageDiff:
        if self.old is None and self.new is None:
            return ImageDiff()
        return image_diff(self.old, self.new)

    @classmethod
    def from_record(cls, record: Mapping[str, Any], shard_id: str) -> StreamEvent:
        ddb = record.get("dynamodb") or {}
        identity = record.get("userIdentity") or {}
        when = ddb.get("ApproximateCreationDateTime")
        if isinstance(when, int | float):
            when = datetime.fromtimestamp(when, UTC)
        return cls(
            event_name=str(record.get("eventName", "?")),
            keys=dict(ddb.get("Keys") or {}),
            old=ddb.get("OldImage"),
            new=ddb.get("NewImage"),
            approximate_time=when if isinstance(when, datetime) else None,
            sequence_number=str(ddb.get("SequenceNumber", "")),
            shard_id=shard_id,
            view_type=ddb.get("StreamViewType"),
            size_bytes=ddb.get("SizeBytes"),
            by_ttl=identity.get("type") == "Service"
            and identity.get("principalId") == "dynamodb.amazonaws.com",
        )


# --------------------------------------------------------------------------------------------- shards


@dataclass
class ShardInfo:
    shard_id: str
    parent_id: str | None
    closed: bool  # has an EndingSequenceNumber: it takes no new records
    new: bool  # appeared after the tail started: read from its beginning


@dataclass
class ShardTracker:
    """Which shards to read, in which order. Pure bookkeeping: fed DescribeStream's shard lists.

    A shard is *readable* once its parent is drained or unknown (expired, or closed before the tail began);
    this keeps the order of the changes to one item across a split. A drained shard is never read again.
    """

    from_start: bool = False
    shards: dict[str, ShardInfo] = field(default_factory=dict)
    drained: set[str] = field(default_factory=set)
    skipped: set[str] = field(default_factory=set)  # closed before a LATEST tail began: old records only
    started: bool = False

    def update(self, shards: Sequence[Mapping[str, Any]]) -> list[str]:
        """Record the shards of one complete listing; returns the ids seen for the first time."""
        fresh = []
        for s in shards:
            sid = s["ShardId"]
            closed = bool((s.get("SequenceNumberRange") or {}).get("EndingSequenceNumber"))
            if sid in self.shards:
                self.shards[sid].closed = closed
                continue
            info = ShardInfo(sid, s.get("ParentShardId"), closed, new=self.started)
            self.shards[sid] = info
            fresh.append(sid)
            if not self.started and not self.from_start and closed:
                self.skipped.add(sid)
        self.started = True
        return fresh

    def start_position(self, shard_id: str) -> str:
        """TRIM_HORIZON for shards born after the start (every record is new) and for --from-start."""
        info = self.shards[shard_id]
        return "TRIM_HORIZON" if self.from_start or info.new else "LATEST"

    def _parent_pending(self, info: ShardInfo) -> bool:
        p = info.parent_id
        return bool(p and p in self.shards and p not in self.drained and p not in self.skipped)

    def readable(self) -> list[str]:
        """Shards to read now, parents before children, oldest first."""
        out = [
            sid
            for sid, info in self.shards.items()
            if sid not in self.drained and sid not in self.skipped and not self._parent_pending(info)
        ]
        return sorted(out)

    def drain(self, shard_id: str) -> None:
        self.drained.add(shard_id)

    def forget(self, shard_id: str) -> None:
        """The shard is gone (trimmed after 24 hours): stop reading it, let its children go."""
        self.drained.add(shard_id)


def list_shards(streams: Any, stream_arn: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """DescribeStream, every page (``ExclusiveStartShardId``): the description and all its shards."""
    shards: list[dict[str, Any]] = []
    params: dict[str, Any] = {"StreamArn": stream_arn}
    desc: dict[str, Any] = {}
    seen: set[str | None] = set()
    while True:
        desc = streams.describe_stream(**params)["StreamDescription"]
        shards.extend(desc.get("Shards") or [])
        last = desc.get("LastEvaluatedShardId")
        if not last or last in seen:  # a server that ignores the start id must not loop forever
            break
        seen.add(last)
        params["ExclusiveStartShardId"] = last
    unique = {s["ShardId"]: s for s in shards}
    return desc, list(unique.values())


def stream_arn_of(client: Any, table: str) -> tuple[str, str]:
    """(stream ARN, view type) of an enabled stream, or StreamNotEnabled saying how to enable it."""
    desc = client.describe_table(TableName=table)["Table"]
    spec = desc.get("StreamSpecification") or {}
    arn = desc.get("LatestStreamArn")
    if not spec.get("StreamEnabled") or not arn:
        raise StreamNotEnabled(
            f"table {table} has no stream. Turn it on with:\n  " + ENABLE_HINT.format(table=table)
        )
    return arn, spec.get("StreamViewType") or "?"


# --------------------------------------------------------------------------------------------- tail


class StreamTail:
    """Follow one stream. Call ``start()`` (lists the shards and positions the iterators: from then on no
    change is missed), then iterate ``events()``.

    ``poll_interval``: seconds to wait when no shard had anything (AWS allows 5 GetRecords/s per shard);
    ``rediscover_interval``: seconds between shard listings while nothing closes.
    """

    def __init__(
        self,
        streams: Any,
        stream_arn: str,
        *,
        from_start: bool = False,
        cancel: threading.Event | None = None,
        poll_interval: float = 1.0,
        rediscover_interval: float = 10.0,
        batch: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.streams = streams
        self.stream_arn = stream_arn
        self.cancel = cancel or threading.Event()
        self.poll_interval = poll_interval
        self.rediscover_interval = rediscover_interval
        self.batch = batch
        self.clock = clock
        self.tracker = ShardTracker(from_start=from_start)
        self.iterators: dict[str, str] = {}
        self.start_kind: dict[str, str] = {}  # where each shard's reading began (LATEST, TRIM_HORIZON)
        self.last_sequence: dict[str, str] = {}
        self.description: dict[str, Any] = {}
        self.records = 0
        self._listed_at = 0.0

    # --- shards and iterators -----------------------------------------------------------------------

    def _iterator(self, shard_id: str, kind: str, sequence: str | None = None) -> str | None:
        import botocore.exceptions

        params: dict[str, Any] = {
            "StreamArn": self.stream_arn,
            "ShardId": shard_id,
            "ShardIteratorType": kind,
        }
        if sequence is not None:
            params["SequenceNumber"] = sequence
        try:
            return self.streams.get_shard_iterator(**params).get("ShardIterator")
        except botocore.exceptions.ClientError as e:
            code = e.response.get("Error", {}).get("Code")
            if code == "ResourceNotFoundException":  # the shard expired meanwhile
                self.tracker.forget(shard_id)
                return None
            if code == "TrimmedDataAccessException" and kind != "TRIM_HORIZON":
                return self._iterator(shard_id, "TRIM_HORIZON")
            raise

    def refresh_shards(self) -> list[str]:
        """List the shards again; give each new readable one an iterator. Returns the new shard ids."""
        self.description, shards = list_shards(self.streams, self.stream_arn)
        fresh = self.tracker.update(shards)
        self._listed_at = self.clock()
        self._open_iterators()
        return fresh

    def _open_iterators(self) -> None:
        for sid in self.tracker.readable():
            if sid not in self.iterators:
                kind = self.start_kind.setdefault(sid, self.tracker.start_position(sid))
                it = self._iterator(sid, kind)
                if it:
                    self.iterators[sid] = it

    def start(self) -> StreamTail:
        self.refresh_shards()
        return self

    @property
    def shard_count(self) -> int:
        return len(self.tracker.shards)

    # --- records -------------------------------------------------------------------------------------

    def _read(self, shard_id: str) -> list[dict[str, Any]]:
        import botocore.exceptions

        try:
            resp = self.streams.get_records(ShardIterator=self.iterators[shard_id], Limit=self.batch)
        except botocore.exceptions.ClientError as e:
            code = e.response.get("Error", {}).get("Code")
            if code in ("ExpiredIteratorException", "TrimmedDataAccessException"):
                # carry on after the last record read; before any, from where the shard was started
                last = self.last_sequence.get(shard_id)
                if code == "TrimmedDataAccessException":
                    it = self._iterator(shard_id, "TRIM_HORIZON")
                elif last:
                    it = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", last)
                else:
                    it = self._iterator(shard_id, self.start_kind.get(shard_id, "TRIM_HORIZON"))
                if it:
                    self.iterators[shard_id] = it
                else:
                    self.iterators.pop(shard_id, None)
                return []
            if code == "ResourceNotFoundException":
                self.iterators.pop(shard_id, None)
                self.tracker.forget(shard_id)
                return []
            raise
        records = resp.get("Records") or []
        nxt = resp.get("NextShardIterator")
        if nxt:
            self.iterators[shard_id] = nxt
        else:  # the shard is closed and drained: its children may start now
            self.iterators.pop(shard_id, None)
            self.tracker.drain(shard_id)
            self._listed_at = 0.0  # list the shards at once
        return records

    def _reposition(self, shard_id: str) -> None:
        """Stopped inside a batch: point the shard's iterator just after the last record handed out, so
        the rest of the batch comes with the next ``events()`` call."""
        with contextlib.suppress(Exception):  # may run while the generator closes: never raise from there
            it = self._iterator(shard_id, "AFTER_SEQUENCE_NUMBER", self.last_sequence[shard_id])
            if it:
                self.iterators[shard_id] = it
                self.tracker.drained.discard(shard_id)

    def events(
        self, *, max_records: int | None = None, idle_timeout: float | None = None
    ) -> Iterator[StreamEvent]:
        """Yield records until ``cancel``, ``max_records`` or ``idle_timeout`` seconds without one."""
        if not self.tracker.started:
            self.start()
        last_record = self.clock()
        count = 0
        while not self.cancel.is_set():
            got = 0
            for sid in sorted(self.iterators):
                if self.cancel.is_set():
                    return
                records = self._read(sid)
                for i, record in enumerate(records):
                    got += 1
                    count += 1
                    self.records += 1
                    self.last_sequence[sid] = str(record.get("dynamodb", {}).get("SequenceNumber", ""))
                    rest = i + 1 < len(records)
                    try:
                        yield StreamEvent.from_record(record, sid)
                    except GeneratorExit:
                        if rest:
                            self._reposition(sid)
                        raise
                    if max_records is not None and count >= max_records:
                        if rest:
                            self._reposition(sid)
                        return
            now = self.clock()
            if got:
                last_record = now
            if now - self._listed_at >= self.rediscover_interval or not self.iterators:
                self.refresh_shards()
            else:
                self._open_iterators()  # children whose parent was just drained
            if idle_timeout is not None and now - last_record >= idle_timeout:
                return
            if not got:
                wait = self.poll_interval
                if idle_timeout is not None:
                    wait = max(0.0, min(wait, idle_timeout - (now - last_record)))
                self.cancel.wait(wait)
