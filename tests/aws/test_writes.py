"""Writes against real servers (moto and DynamoDB Local): conflicts are detected and never overwritten,
undo round-trips, batches survive UnprocessedItems, transactions report why they were cancelled, and
every type survives an edit."""

from __future__ import annotations

import json
import stat
import threading
import uuid
from collections import Counter
from decimal import Decimal

import pytest
from botocore.awsrequest import AWSResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ddbtui.aws.catalog import load_schema
from ddbtui.aws.session import Connection, make_client
from ddbtui.aws.writes import (
    BatchWriteError,
    BatchWriter,
    Journal,
    TransactionFailed,
    delete_keys,
    execute,
    import_jsonl,
    read_item,
    transact,
    undo_last,
)
from ddbtui.core.capacity import Ledger
from ddbtui.core.errors import UsageError
from ddbtui.core.expr import Placeholders
from ddbtui.core.expr.update import apply_update, parse_update
from ddbtui.core.values import to_av
from ddbtui.core.writes import (
    WriteConflict,
    WritePolicy,
    delete_request,
    edit_request,
    put_request,
    rekey_transaction,
    transact_requests,
    update_request,
)
from tests.conftest import create_table

ALLOW = WritePolicy.from_flag(True)


@pytest.fixture
def table(any_client, table_name):
    create_table(any_client, table_name, gsis=[("ByStatus", ("status", "S"), None, "ALL")])
    return load_schema(any_client, table_name)


@pytest.fixture
def journal(tmp_path):
    return Journal(tmp_path / "data" / "journal.jsonl")


def second_client(client):
    """Another client on the same server: another user of the table."""
    return make_client(Connection(endpoint_url=client.meta.endpoint_url, region="us-east-1"))


def key(pk="A", sk="1"):
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def put(client, schema, item, journal=None, **kw):
    return execute(client, put_request(schema, item, **kw), schema, policy=ALLOW, journal=journal)


# --- optimistic locking -------------------------------------------------------------------------------------


def test_a_concurrent_modification_is_detected_and_never_overwritten(any_client, table, journal):
    mine, theirs = any_client, second_client(any_client)
    put(mine, table, {**key(), "n": {"N": "1"}, "status": {"S": "OPEN"}})
    read = read_item(mine, table, key())
    # someone else changes the item between our read and our write
    theirs.update_item(TableName=table.name, Key=key(), UpdateExpression="SET n = :n",
                       ExpressionAttributeValues={":n": {"N": "2"}})  # fmt: skip
    edited = {**read, "status": {"S": "SHIPPED"}}
    assert journal.pending_undo() == []  # the setup's put went unjournaled
    with pytest.raises(WriteConflict) as e:
        execute(mine, edit_request(table, read, edited), table, policy=ALLOW, journal=journal)
    assert "changed since it was read" in str(e.value)
    assert e.value.current["n"] == {"N": "2"}  # the item as it is now, from the failed request
    now = read_item(mine, table, key())
    assert now["n"] == {"N": "2"} and now["status"] == {"S": "OPEN"}  # their write stands, ours did not land
    assert journal.pending_undo() == []  # a write that did not land is not journaled


def test_an_edit_never_drops_an_attribute_someone_else_added(any_client, table):
    mine, theirs = any_client, second_client(any_client)
    put(mine, table, {**key(), "n": {"N": "1"}})
    read = read_item(mine, table, key())
    theirs.update_item(TableName=table.name, Key=key(), UpdateExpression="SET extra = :x",
                       ExpressionAttributeValues={":x": {"S": "theirs"}})  # fmt: skip
    result = execute(mine, edit_request(table, read, {**read, "n": {"N": "5"}}), table, policy=ALLOW)
    assert read_item(mine, table, key()) == {**read, "n": {"N": "5"}, "extra": {"S": "theirs"}}
    assert result.new == read_item(mine, table, key())
    # ... and adding the same attribute they added is a conflict, not an overwrite
    read = {**read, "n": {"N": "5"}}
    with pytest.raises(WriteConflict):
        execute(mine, edit_request(table, read, {**read, "extra": {"S": "mine"}}), table, policy=ALLOW)


def test_a_version_attribute_guards_an_edit(any_client, table):
    put(any_client, table, {**key(), "n": {"N": "1"}, "version": {"N": "3"}})
    read = read_item(any_client, table, key())
    execute(any_client, edit_request(table, read, {**read, "n": {"N": "2"}}, version_attribute="version"), table,
            policy=ALLOW)  # fmt: skip
    assert read_item(any_client, table, key())["version"] == {"N": "4"}
    with pytest.raises(WriteConflict):  # the same stale read again
        execute(any_client, edit_request(table, read, {**read, "n": {"N": "9"}}, version_attribute="version"),
                table, policy=ALLOW)  # fmt: skip


def test_a_huge_image_is_checked_by_a_consistent_read_before_the_write(any_client, table):
    item = {**key(), **{f"attribute_{i:03d}": {"N": str(i)} for i in range(300)}}
    put(any_client, table, item)
    read = read_item(any_client, table, key())
    req = edit_request(table, read, {**read, "attribute_000": {"S": "x"}})
    assert req.precheck
    # a change to an attribute the condition does not compare is still caught, by the precheck read
    unchecked = next(n for n in read if n not in req.params.get("ExpressionAttributeNames", {}).values()
                     and f"{n} =" not in req.params["ConditionExpression"] and n not in ("pk", "sk"))  # fmt: skip
    second_client(any_client).update_item(TableName=table.name, Key=key(), UpdateExpression=f"SET {unchecked} = :v",
                                          ExpressionAttributeValues={":v": {"S": "changed"}})  # fmt: skip
    with pytest.raises(WriteConflict) as e:
        execute(any_client, req, table, policy=ALLOW)
    assert e.value.current[unchecked] == {"S": "changed"}
    fresh = read_item(any_client, table, key())
    execute(
        any_client, edit_request(table, fresh, {**fresh, "attribute_000": {"S": "x"}}), table, policy=ALLOW
    )
    assert read_item(any_client, table, key())["attribute_000"] == {"S": "x"}


def test_put_refuses_to_overwrite_and_update_and_delete_refuse_a_missing_item(any_client, table):
    put(any_client, table, {**key(), "n": {"N": "1"}})
    with pytest.raises(WriteConflict) as e:
        put(any_client, table, {**key(), "n": {"N": "2"}})
    assert "already exists" in str(e.value) and e.value.current["n"] == {"N": "1"}
    for req in (update_request(table, key("B"), "SET n = 1"), delete_request(table, key("B"))):
        with pytest.raises(WriteConflict, match="no item with this key"):
            execute(any_client, req, table, policy=ALLOW)
    assert read_item(any_client, table, key("B")) is None
    with pytest.raises(UsageError, match="read-only"):
        execute(any_client, delete_request(table, key()), table, policy=WritePolicy())


# --- journal and undo ----------------------------------------------------------------------------------------


def test_undo_round_trips_put_update_and_delete(any_client, table, journal):
    original = {**key(), "n": {"N": "1"}, "status": {"S": "OPEN"}, "b": {"B": b"\x00\x01"}}
    put(any_client, table, original, journal)
    execute(any_client, update_request(table, key(), "SET n = n + 1 ADD tags <<'x'>> REMOVE status"), table,
            policy=ALLOW, journal=journal)  # fmt: skip
    after_update = read_item(any_client, table, key())
    assert after_update == {**key(), "n": {"N": "2"}, "tags": {"SS": ["x"]}, "b": {"B": b"\x00\x01"}}
    records = journal.records()
    assert records[-1].old == original and records[-1].new == after_update  # both images of that very write
    execute(any_client, delete_request(table, key()), table, policy=ALLOW, journal=journal)
    assert read_item(any_client, table, key()) is None

    undo_last(any_client, journal, policy=ALLOW)  # the delete
    assert read_item(any_client, table, key()) == after_update
    undo_last(any_client, journal, policy=ALLOW)  # the update
    assert read_item(any_client, table, key()) == original
    undo_last(any_client, journal, policy=ALLOW)  # the put
    assert read_item(any_client, table, key()) is None
    with pytest.raises(UsageError, match="nothing to undo"):
        undo_last(any_client, journal, policy=ALLOW)
    assert [r.operation for r in journal.records()].count("undo") == 3


def test_undo_refuses_when_the_item_changed_since(any_client, table, journal):
    put(any_client, table, {**key(), "n": {"N": "1"}}, journal)
    execute(any_client, update_request(table, key(), "SET n = 2"), table, policy=ALLOW, journal=journal)
    second_client(any_client).update_item(TableName=table.name, Key=key(), UpdateExpression="SET n = :n",
                                          ExpressionAttributeValues={":n": {"N": "3"}})  # fmt: skip
    result = undo_last(any_client, journal, policy=ALLOW)
    assert not result.ok and result.conflicts[0][1].current["n"] == {"N": "3"}
    assert read_item(any_client, table, key())["n"] == {"N": "3"}
    # an attribute added by someone else also counts as a change (the undo compares the exact image)
    second_client(any_client).update_item(TableName=table.name, Key=key(), UpdateExpression="SET n = :n, x = :x",
                                          ExpressionAttributeValues={":n": {"N": "2"}, ":x": {"S": "new"}})  # fmt: skip
    assert not undo_last(any_client, journal, policy=ALLOW).ok
    assert read_item(any_client, table, key())["x"] == {"S": "new"}


def test_undo_refuses_another_endpoint_and_needs_the_policy(
    any_client, table, journal, moto_client, ddblocal_client
):
    put(any_client, table, {**key(), "n": {"N": "1"}}, journal)
    other = ddblocal_client if any_client is moto_client else moto_client
    with pytest.raises(UsageError, match="Connect there to undo it"):
        undo_last(other, journal, policy=ALLOW)
    with pytest.raises(UsageError, match="read-only"):
        undo_last(any_client, journal, policy=WritePolicy())
    assert read_item(any_client, table, key()) is not None


def test_journal_file_is_private(any_client, table, tmp_path, monkeypatch):
    monkeypatch.setenv("DDBTUI_DATA_DIR", str(tmp_path / "ddbtui"))
    journal = Journal()
    assert journal.path == tmp_path / "ddbtui" / "journal.jsonl"
    put(any_client, table, {**key(), "n": {"N": "1"}}, journal)
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700
    record = json.loads(journal.path.read_text().splitlines()[-1])
    assert record["operation"] == "put" and record["old"] is None and record["new"]["n"] == {"N": "1"}


# --- capacity ----------------------------------------------------------------------------------------------


def test_write_capacity_is_reported_estimated_and_recorded(any_client, table, ddblocal_client):
    ledger = Ledger()
    item = {**key(), "status": {"S": "OPEN"}, "note": {"S": "x" * 1500}}
    result = execute(
        any_client, put_request(table, item), table, policy=ALLOW, ledger=ledger, prefer_estimate=True
    )
    assert result.estimated.total == 4.0 and result.estimated.indexes == {"ByStatus": 2.0}
    assert result.estimated.estimated and result.capacity(True) is result.estimated
    assert ledger.write_units == 4.0 and ledger.estimated
    if any_client is ddblocal_client:  # AWS's own engine reports what ddbtui estimates
        assert result.reported.total == 4.0 and result.reported.indexes == {"ByStatus": 2.0}


# --- batches -------------------------------------------------------------------------------------------------


class _Raw:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_kw):
        yield self.data


def _fake_response(body: dict) -> AWSResponse:
    headers = {"x-amzn-requestid": uuid.uuid4().hex, "content-type": "application/x-amz-json-1.0"}
    return AWSResponse("http://fake", 200, headers, _Raw(json.dumps(body).encode()))


def test_a_batch_with_unprocessed_items_writes_every_item_exactly_once(any_client, table):
    client, writer_client = second_client(any_client), second_client(any_client)
    sends: Counter[str] = Counter()
    faked = 0

    def hook(request, **_):
        nonlocal faked
        body = json.loads(request.body)
        (reqs,) = body["RequestItems"].values()
        if faked < 4 and len(reqs) > 1:
            # The server "processes" the first third; the rest comes back as UnprocessedItems.
            faked += 1
            done, left = reqs[: len(reqs) // 3], reqs[len(reqs) // 3 :]
            writer_client.batch_write_item(RequestItems={table.name: done})
            sends.update(r["PutRequest"]["Item"]["sk"]["S"] for r in done)
            return _fake_response({"UnprocessedItems": {table.name: left}})
        sends.update(r["PutRequest"]["Item"]["sk"]["S"] for r in reqs)
        return None  # sent for real

    client.meta.events.register("before-send.dynamodb.BatchWriteItem", hook)
    progress = []
    items = [{**key("B", f"{i:03d}"), "n": {"N": str(i)}} for i in range(60)]
    with BatchWriter(client, table, policy=ALLOW, total=60, sleep=lambda s: None,
                     progress=lambda done, total: progress.append((done, total))) as w:  # fmt: skip
        for it in items:
            w.put(it)
    result = w.result
    assert result.ok and result.written == 60 and not result.failed and result.retries >= 4
    assert sends == Counter(f"{i:03d}" for i in range(60))  # each item sent (and written) exactly once
    assert progress[-1] == (60, 60) and [d for d, _ in progress] == sorted(d for d, _ in progress)
    got = any_client.query(TableName=table.name, KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "B"}}, ConsistentRead=True)["Items"]  # fmt: skip
    assert sorted(got, key=lambda i: i["sk"]["S"]) == items


def test_a_batch_that_stays_unprocessed_lists_every_failure(any_client, table):
    client = second_client(any_client)
    client.meta.events.register(
        "before-send.dynamodb.BatchWriteItem",
        lambda request, **_: _fake_response({"UnprocessedItems": json.loads(request.body)["RequestItems"]}),
    )
    delays = []
    result = delete_keys(client, table, [key("C", str(i)) for i in range(30)], policy=ALLOW, max_attempts=4,
                         sleep=delays.append, base_delay=0.01)  # fmt: skip
    assert result.written == 0 and len(result.failed) == 30 and not result.ok
    assert all("after 4 attempts" in f.reason for f in result.failed)
    assert len(delays) == 6 and all(0 <= d <= 0.01 * 2**4 for d in delays)  # 3 backoffs per group of 25 / 5
    assert "delete {" in result.failure_summary()


def test_duplicate_keys_in_a_batch_go_in_separate_requests(any_client, table):
    with BatchWriter(any_client, table, policy=ALLOW) as w:
        w.put({**key("D", "1"), "n": {"N": "1"}})
        w.put({**key("D", "1"), "n": {"N": "2"}})
        w.delete(key("D", "2"))
    assert w.result.written == 3 and w.result.requests == 2
    assert read_item(any_client, table, key("D", "1"))["n"] == {"N": "2"}


def test_a_write_whose_duplicate_flush_fails_is_not_counted(moto_server, table_name):
    """A key that comes twice flushes the first; when that flush fails (AccessDenied), the second write
    was never queued: total counts only what was queued, so a caller's tally of unsent writes is right."""
    from tests import faults

    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    create_table(client, table_name)
    schema = load_schema(client, table_name)
    faults.inject(client, "BatchWriteItem", faults.DENIED)
    w = BatchWriter(client, schema, policy=ALLOW)
    w.put({**key("D", "1"), "n": {"N": "1"}})
    with pytest.raises(BatchWriteError):
        w.put({**key("D", "1"), "n": {"N": "2"}})
    assert w.result.total == 1 and len(w.result.failed) == 1 and w.result.written == 0


def test_import_jsonl_checks_every_line_first_then_writes_in_batches(any_client, table, tmp_path, journal):
    good = tmp_path / "good.jsonl"
    good.write_text(
        "".join(json.dumps({"pk": "E", "sk": f"{i:02d}", "n": i}) + "\n" for i in range(40)) + "\n"
    )
    result = import_jsonl(any_client, table, good, policy=ALLOW, journal=journal)
    assert result.ok and result.written == 40 and result.requests == 2
    assert len(journal.records()) == 40 and not journal.records()[0].old_known
    with pytest.raises(UsageError, match="batch write: DynamoDB returns no old images"):
        undo_last(any_client, journal, policy=ALLOW)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"pk": "F", "sk": "1"}\n{"pk": "F"}\n')
    with pytest.raises(UsageError, match="item 2: .*lacks the key attribute sk"):
        import_jsonl(any_client, table, bad, policy=ALLOW)
    assert read_item(any_client, table, key("F", "1")) is None  # nothing written
    with pytest.raises(UsageError, match="line 1"):
        import_jsonl(any_client, table, ["{nope"], policy=ALLOW)


# --- transactions --------------------------------------------------------------------------------------------


def test_rekey_moves_the_item_in_one_transaction_and_undo_moves_it_back(any_client, table, journal):
    put(any_client, table, {**key(), "n": {"N": "1"}})
    read = read_item(any_client, table, key())
    moved = {**read, "sk": {"S": "2"}}
    transact(
        any_client, rekey_transaction(read, moved, table), {table.name: table}, policy=ALLOW, journal=journal
    )
    assert (
        read_item(any_client, table, key()) is None and read_item(any_client, table, key("A", "2")) == moved
    )
    result = undo_last(any_client, journal, policy=ALLOW)
    assert result.ok and len(result.results) == 2
    assert read_item(any_client, table, key()) == read and read_item(any_client, table, key("A", "2")) is None


def test_a_cancelled_transaction_says_why_for_each_write(any_client, table):
    put(any_client, table, {**key(), "n": {"N": "1"}})
    put(any_client, table, {**key("A", "2"), "n": {"N": "1"}})
    read = read_item(any_client, table, key())
    second_client(any_client).update_item(TableName=table.name, Key=key(), UpdateExpression="SET n = :n",
                                          ExpressionAttributeValues={":n": {"N": "7"}})  # fmt: skip
    tx = transact_requests([
        edit_request(table, read, {**read, "n": {"N": "2"}}),
        update_request(table, key("A", "2"), "SET n = 3"),
    ])  # fmt: skip
    with pytest.raises(TransactionFailed) as e:
        transact(any_client, tx, {table.name: table}, policy=ALLOW)
    (reason,) = e.value.reasons
    assert reason.code == "ConditionalCheckFailed" and reason.op.key == key()
    assert reason.item["n"] == {"N": "7"}
    assert "update" in str(e.value) and '"sk": "1"' in str(e.value)
    assert read_item(any_client, table, key("A", "2"))["n"] == {"N": "1"}  # nothing was written


# --- update evaluation matches the engine ----------------------------------------------------------------------

UPDATE_CASES = [
    "SET n = n + 1.5, z = if_not_exists(z, n), l = list_append(l, [4])",
    "SET l[1] = 'x' REMOVE l[0]",
    "REMOVE l[0], l[2], m.y",
    "SET l[99] = 'end', m.z = m.x - 1",
    "ADD n 1, fresh 2, ss <<'b', 'c'>>, m.w <<1>>",
    'DELETE ns <<2.5>>, bs <<b64"AQ==">>',
    "DELETE ss <<'a', 'b'>>",
    "SET n = 12345678901234567890123456789012345678 - 12345678901234567890123456789012345677",
]


@pytest.mark.parametrize("text", UPDATE_CASES)
def test_apply_update_matches_the_engine(any_client, table, text, moto_client):
    old = {**key(), "n": {"N": "1.5"}, "l": {"L": [{"N": str(i)} for i in range(4)]},
           "m": {"M": {"x": {"N": "1"}, "y": {"S": "keep"}}}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]},
           "bs": {"BS": [b"\x01", b"\x02"]}}  # fmt: skip
    put(any_client, table, old)
    ph = Placeholders()
    req = update_request(table, key(), text)
    resp = any_client.update_item(**{**req.params, "ReturnValues": "ALL_NEW"})
    ours = apply_update(old, parse_update(text), ph)
    from ddbtui.core.writes import items_equal

    assert items_equal(ours, resp["Attributes"]), (ours, resp["Attributes"])


# --- every type survives an edit -------------------------------------------------------------------------------

numbers = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: d == 0 or (-120 < d.adjusted() < 120 and len(d.as_tuple().digits) <= 38)
    ),
    st.integers(min_value=10**37, max_value=10**38 - 1).map(Decimal),  # 38 digits
    st.integers(min_value=10**37, max_value=10**38 - 1).map(lambda i: -Decimal(i).scaleb(-37)),
)
scalars = st.one_of(st.text(max_size=12), numbers, st.booleans(), st.none(), st.binary(max_size=12))
values = st.recursive(
    st.one_of(
        scalars,
        st.sets(st.text(min_size=1, max_size=5), min_size=1, max_size=4),
        st.sets(numbers, min_size=1, max_size=4),
        st.sets(st.binary(min_size=1, max_size=5), min_size=1, max_size=4),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)
names = st.text(min_size=1, max_size=10).filter(lambda n: n not in ("pk", "sk"))
attrs = st.dictionaries(names, values, max_size=6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=attrs, after=attrs, keep=st.sets(st.integers(0, 5)))
def test_types_survive_an_edit_round_trip(any_client, table, before, after, keep):
    k = key("H", uuid.uuid4().hex)
    item = {**k, **{n: to_av(v) for n, v in before.items()}}
    put(any_client, table, item)
    read = read_item(any_client, table, k)
    from ddbtui.core.writes import items_equal

    assert items_equal(read, item)
    # keep some attributes, drop the others, change or add what `after` says
    kept = {n: av for i, (n, av) in enumerate(read.items()) if n in ("pk", "sk") or i % 6 in keep}
    edited = {**kept, **{n: to_av(v) for n, v in after.items()}}
    if items_equal(edited, read):
        return
    result = execute(any_client, edit_request(table, read, edited), table, policy=ALLOW)
    back = read_item(any_client, table, k)
    assert items_equal(back, edited)
    assert items_equal(result.new, back) and items_equal(result.old, read)


def test_the_journal_is_safe_to_append_from_threads(tmp_path):
    from ddbtui.core.writes import JournalRecord

    journal = Journal(tmp_path / "j.jsonl")
    rec = JournalRecord("T", key(), "put", None, {**key(), "s": {"S": "x" * 5000}}, {})

    def work():
        for _ in range(50):
            journal.append(rec.with_(id=uuid.uuid4().hex))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(journal.records()) == 200
