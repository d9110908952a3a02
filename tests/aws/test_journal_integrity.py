"""The write journal survives a crash mid-append, garbage, several processes and concurrent undos (#21
item 2), and stores anything that was written (item 4). Writes go to the session's moto server."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from ddbtui.aws import journal as journal_mod
from ddbtui.aws.catalog import load_schema
from ddbtui.aws.journal import TORN_SUFFIX, Journal, JournalBusy, JournalGap
from ddbtui.aws.session import Connection, make_client
from ddbtui.aws.writes import execute, undo_last
from ddbtui.core.errors import UsageError
from ddbtui.core.writes import JournalRecord, WritePolicy, put_request
from tests.conftest import create_table

ALLOW = WritePolicy.from_flag(True)


@pytest.fixture
def schema(moto_client, table_name):
    create_table(moto_client, table_name)
    return load_schema(moto_client, table_name)


@pytest.fixture
def warned():
    return []


@pytest.fixture
def journal(tmp_path, warned):
    return Journal(tmp_path / "data" / "journal.jsonl", on_warning=warned.append)


def put(client, schema, name: str, journal, group: str | None = None):
    item = {"pk": {"S": name}, "sk": {"S": "1"}, "v": {"S": name}}
    return execute(client, put_request(schema, item), schema, policy=ALLOW, journal=journal, group=group)


def exists(client, schema, name: str) -> bool:
    key = {"pk": {"S": name}, "sk": {"S": "1"}}
    return "Item" in client.get_item(TableName=schema.name, Key=key, ConsistentRead=True)


def record(table="t", pk="A", **kw) -> JournalRecord:
    return JournalRecord(table, {"pk": {"S": pk}}, "put", None, {"pk": {"S": pk}}, {}, "http://x", "r", **kw)


# --- a torn tail --------------------------------------------------------------------------------------------


def test_a_torn_tail_never_makes_undo_take_back_an_older_write(moto_client, schema, journal, warned):
    """The issue's probe: W4, W5, cut the journal's last bytes (a crash mid-append), W6, undo."""
    put(moto_client, schema, "W4", journal)
    put(moto_client, schema, "W5", journal)
    data = journal.path.read_bytes()
    journal.path.write_bytes(data[:-25])
    put(moto_client, schema, "W6", journal)
    lines = journal.path.read_bytes().splitlines()
    assert [json.loads(x).get("key", {}).get("pk") for x in lines] == [{"S": "W4"}, None, {"S": "W6"}]
    assert "torn" in json.loads(lines[1])  # W6 starts on a line of its own, after the marker
    kept = journal.path.with_name(journal.path.name + TORN_SUFFIX)
    assert kept.exists() and any("torn by a crash" in w for w in warned)

    result = undo_last(moto_client, journal, policy=ALLOW)
    assert [r.key["pk"]["S"] for r in result.records] == ["W6"] and result.ok
    assert not exists(moto_client, schema, "W6")
    assert exists(moto_client, schema, "W4") and exists(moto_client, schema, "W5")
    with pytest.raises(JournalGap, match="line 2") as info:
        undo_last(moto_client, journal, policy=ALLOW)  # W5's record is lost: never step past it to W4
    assert "\n" not in str(info.value)
    assert exists(moto_client, schema, "W4")


def test_a_torn_last_line_stops_undo(moto_client, schema, journal, warned):
    put(moto_client, schema, "W4", journal)
    put(moto_client, schema, "W5", journal)
    journal.path.write_bytes(journal.path.read_bytes()[:-25])
    with pytest.raises(JournalGap, match="cut short by a crash"):
        undo_last(moto_client, journal, policy=ALLOW)
    assert exists(moto_client, schema, "W4") and any("line 2" in w for w in warned)


def test_a_record_that_lost_only_its_newline_is_kept(journal, warned):
    journal.append(record(pk="A"))
    journal.path.write_bytes(journal.path.read_bytes().rstrip(b"\n"))
    journal.append(record(pk="B"))
    assert [r.key["pk"]["S"] for r in journal.records()] == ["A", "B"]
    assert not journal.path.with_name(journal.path.name + TORN_SUFFIX).exists() and warned == []


# --- garbage ------------------------------------------------------------------------------------------------


GARBAGE = [
    b"\xff\xfe\x00binary",
    b"[1, 2]",
    b'{"id": 5, "table": "t", "key": {"pk": {"S": "A"}}, "operation": "put"}',
    b'{"id": "x", "table": "t", "key": "notadict", "operation": "put"}',
    b'{"id": "y", "table": "t", "key": {"pk": {"B": "not base64!"}}, "operation": "put"}',
    b'{"id": "z", "table": "t", "key": {"pk": {"S": "A"}}, "operation": "put", "old": [1]}',
    b'{"id": "w", "table": "t", "key": {"pk": {"S": "A"}}, "operation": "put", "undoes": 7}',
]


def test_garbage_lines_are_skipped_with_a_warning_naming_each(journal, warned):
    journal.append(record(pk="old"))
    with journal.path.open("ab") as f:
        f.write(b"\n".join(GARBAGE) + b"\n")
    journal.append(latest := record(pk="new"))
    assert [r.key["pk"]["S"] for r in journal.records()] == ["old", "new"]
    assert sorted(int(w.split(" line ")[1].split()[0]) for w in warned) == list(range(2, 2 + len(GARBAGE)))
    assert journal.pending_undo() == [latest]  # every gap is older than the write undo takes back
    with journal.path.open("ab") as f:
        f.write(GARBAGE[3] + b"\n")
    with pytest.raises(JournalGap, match=f"line {len(GARBAGE) + 3}"):
        journal.pending_undo()  # an unreadable line newer than the last write: undo will not guess


def test_a_binary_journal_is_one_clear_refusal(journal, warned):
    journal.path.write_bytes(bytes(range(256)) * 4)
    assert journal.records() == []
    with pytest.raises(JournalGap) as info:
        journal.pending_undo()
    assert isinstance(info.value, UsageError) and isinstance(info.value, OSError)


# --- anything written can be stored (#21 item 4) -------------------------------------------------------------


def test_a_lone_surrogate_is_stored_and_read_back(journal):
    r = JournalRecord("t", {"pk": {"S": "A"}}, "put", None, {"pk": {"S": "A"}, "s": {"S": "x\ud800y"}}, {})
    journal.append(r)
    journal.path.read_bytes().decode("utf-8")  # the file stays UTF-8
    assert journal.records() == [r]


# --- several processes --------------------------------------------------------------------------------------


def test_appends_hold_the_file_lock_and_fsync(journal, monkeypatch):
    calls = []
    real_flock, real_fsync = journal_mod.fcntl.flock, journal_mod.os.fsync
    monkeypatch.setattr(
        journal_mod.fcntl, "flock", lambda fd, op: (calls.append(("flock", op)), real_flock(fd, op))
    )
    monkeypatch.setattr(journal_mod.os, "fsync", lambda fd: (calls.append(("fsync", None)), real_fsync(fd)))
    journal.append(record())
    assert calls == [("flock", journal_mod.fcntl.LOCK_EX), ("fsync", None)]
    calls.clear()
    journal.records()
    assert calls == [("flock", journal_mod.fcntl.LOCK_SH)]


APPENDER = """
import sys
from ddbtui.aws.journal import Journal
from ddbtui.core.writes import JournalRecord
j = Journal(sys.argv[1])
for i in range(40):
    j.append(JournalRecord("t", {"pk": {"S": sys.argv[2] + str(i)}}, "put", None,
                           {"pk": {"S": "x"}, "pad": {"S": "p" * 150_000}}, {}))
"""


def test_two_processes_appending_at_once_leave_only_whole_lines(journal, warned):
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, str(journal.path), tag]) for tag in "ab"]
    assert [p.wait(60) for p in procs] == [0, 0]
    keys = sorted(r.key["pk"]["S"] for r in journal.records())
    assert keys == sorted(f"{t}{i}" for t in "ab" for i in range(40)) and warned == []


# --- concurrent undos ---------------------------------------------------------------------------------------


def test_a_second_undo_claim_is_refused_until_the_first_is_given_back(tmp_path):
    path = tmp_path / "journal.jsonl"
    first, second = Journal(path), Journal(path)
    first.append(record())
    assert len(first.claim_undo()) == 1
    with pytest.raises(JournalBusy, match="another undo is in progress"):
        second.claim_undo()
    first.release_undo()
    assert len(second.claim_undo()) == 1
    second.release_undo()


def test_two_concurrent_undos_cannot_take_back_two_different_writes(
    moto_server, moto_client, schema, tmp_path
):
    """A group of two writes; undo A is held between its two restores while undo B runs. Before, B took
    back the write A had not reached yet and A then conflicted: each undid half the group."""
    path = tmp_path / "journal.jsonl"
    put(moto_client, schema, "Ga", Journal(path), group="g1")
    put(moto_client, schema, "Gb", Journal(path), group="g1")
    client_a = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    paused, go = threading.Event(), threading.Event()
    deletes = []

    def hold_the_second_delete(**_kw):
        deletes.append(1)
        if len(deletes) == 2:
            paused.set()
            go.wait(30)

    client_a.meta.events.register("before-send.dynamodb.DeleteItem", hold_the_second_delete)
    results = {}
    thread = threading.Thread(
        target=lambda: results.setdefault("a", undo_last(client_a, Journal(path), policy=ALLOW))
    )
    thread.start()
    try:
        assert paused.wait(30)
        with pytest.raises(JournalBusy):
            undo_last(moto_client, Journal(path), policy=ALLOW)
    finally:
        go.set()
        thread.join(30)
    assert results["a"].ok and len(results["a"].results) == 2
    assert not exists(moto_client, schema, "Ga") and not exists(moto_client, schema, "Gb")
