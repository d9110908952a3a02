"""run_export against hostile targets and resume states, in process (#21 5, 6): the CLI's probes are in
tests/cli/test_cli_export_targets.py; these reach what a subprocess cannot (a disk that fills after the
first page, a symlinked partial file, a table dropped and created again, another engine's state)."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path

import pytest

from ddbtui.aws import export as export_mod
from ddbtui.aws.export import BadState, ExportFileError, ExportSpec, ExportState, run_export
from ddbtui.aws.session import Connection, make_client
from ddbtui.core.values import item_to_plain_json
from tests.conftest import create_table, table_names

N = 60
PAGE = 10


def fill(client, name: str, n: int = N) -> None:
    for i in range(n):
        client.put_item(TableName=name, Item={"pk": {"S": f"p{i:03d}"}, "sk": {"S": "x"}, "v": {"N": str(i)}})


@pytest.fixture
def table(moto_client, table_name):
    create_table(moto_client, table_name)
    fill(moto_client, table_name)
    return table_name


def all_lines(client, name: str) -> list[str]:
    out = []
    for page in client.get_paginator("scan").paginate(TableName=name):
        out += [item_to_plain_json(it) for it in page["Items"]]
    return sorted(out)


def stopped(client, name: str, out: Path) -> ExportState:
    """An export stopped at its capacity cap after its first page."""
    spec = ExportSpec(name, str(out), page_size=PAGE, max_capacity=0.1)
    r = run_export(client, spec, estimate_capacity=True)
    assert r.status == "capacity-cap"
    return ExportState.load(spec.state_path)


def test_a_symlink_to_a_device_is_a_device(moto_client, table, tmp_path):
    if os.geteuid() == 0:
        device = tmp_path / "null-device"  # a fresh node: chmodding it could not touch /dev/null
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    before = os.stat(device).st_mode
    link = tmp_path / "e.jsonl"
    link.symlink_to(device)
    with pytest.raises(ExportFileError, match="not a regular file"):
        run_export(moto_client, ExportSpec(table, str(link), overwrite=True))
    assert os.stat(device).st_mode == before and link.is_symlink()
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in (link, device) if p.parent == tmp_path)


def test_a_disk_that_fills_mid_export_stops_resumably(moto_client, table, tmp_path, monkeypatch):
    out = tmp_path / "e.jsonl"
    spec = ExportSpec(table, str(out), page_size=PAGE)
    real, calls = export_mod._write_all, []

    def full_on_the_third_page(fd, data):
        calls.append(fd)
        if len(calls) == 3:
            os.write(fd, data[:7])  # a torn write: part of the page reached the disk
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(export_mod, "_write_all", full_on_the_third_page)
    with pytest.raises(ExportFileError, match="No space left on device") as info:
        run_export(moto_client, spec)
    assert info.value.resumable and "\n" not in str(info.value)
    monkeypatch.setattr(export_mod, "_write_all", real)
    assert ExportState.load(spec.state_path).committed_lines == 2 * PAGE and not out.exists()
    assert run_export(moto_client, spec, resume=True).complete
    assert sorted(out.read_text().splitlines()) == all_lines(moto_client, table)


def test_a_partial_file_replaced_by_a_symlink_is_not_followed(moto_client, table, tmp_path):
    out = tmp_path / "e.jsonl"
    stopped(moto_client, table, out)
    partial = Path(str(out) + ".ddbtui-partial")
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_bytes(partial.read_bytes())
    partial.unlink()
    partial.symlink_to(elsewhere)
    with pytest.raises(ExportFileError, match="symlink"):
        run_export(moto_client, ExportSpec(table, str(out), page_size=PAGE), resume=True)
    assert elsewhere.read_bytes().count(b"\n") == PAGE and not out.exists()


@pytest.mark.parametrize(
    "key", [{"pk": {"N": "abc"}}, {"pk": {"B": "not base64!"}}, {"pk": {"SS": ["a"]}}], ids=["N", "B", "SS"]
)
def test_a_resume_key_that_is_not_a_key_is_refused(moto_client, table, tmp_path, key):
    out = tmp_path / "e.jsonl"
    stopped(moto_client, table, out)
    path = Path(str(out) + ".ddbtui-state.json")
    raw = json.loads(path.read_text())
    raw["positions"]["0"]["key"] = key
    path.write_text(json.dumps(raw))
    with pytest.raises(BadState, match=r"positions\[0\]\.key") as info:
        run_export(moto_client, ExportSpec(table, str(out), page_size=PAGE), resume=True)
    assert "--resume" not in str(info.value)


def test_a_table_dropped_and_created_again_is_another_table(moto_client, table, tmp_path):
    out = tmp_path / "e.jsonl"
    stopped(moto_client, table, out)
    moto_client.delete_table(TableName=table)
    create_table(moto_client, table)
    fill(moto_client, table, 5)
    with pytest.raises(BadState, match="another table"):
        run_export(moto_client, ExportSpec(table, str(out), page_size=PAGE), resume=True)


def test_another_url_of_the_same_server_resumes_with_a_note(moto_server, moto_client, table, tmp_path):
    out = tmp_path / "e.jsonl"
    stopped(moto_client, table, out)
    alias = moto_server.endpoint_url.replace("127.0.0.1", "localhost")
    assert alias != moto_server.endpoint_url
    notes: list[str] = []
    client = make_client(Connection(endpoint_url=alias, region="us-east-1"))
    r = run_export(client, ExportSpec(table, str(out), page_size=PAGE), resume=True, on_notice=notes.append)
    assert r.complete and any("resuming through endpoint" in n for n in notes)
    assert sorted(out.read_text().splitlines()) == all_lines(moto_client, table)


def test_a_state_left_after_the_rename_only_goes(moto_client, table, tmp_path):
    """Stopped between renaming the finished file into place and deleting the state: resume just ends."""
    out = tmp_path / "e.jsonl"
    state = stopped(moto_client, table, out)
    spec = ExportSpec(table, str(out), page_size=PAGE)
    for p in state.positions.values():
        p.update(done=True, key=None)
    state.save(spec.state_path)
    os.replace(spec.target, out)
    before = out.read_bytes()
    r = run_export(moto_client, spec, resume=True)
    assert r.complete and not spec.state_path.exists() and out.read_bytes() == before


def test_a_state_from_dynamodb_local_is_refused_on_moto(ddblocal_client, moto_client, tmp_path):
    """The account and the endpoint both differ (DynamoDB Local's ARNs name account 000000000000)."""
    name = "exp_targets_engines"
    for client in (ddblocal_client, moto_client):
        if name not in table_names(client):
            create_table(client, name)
            fill(client, name, 25)
    out = tmp_path / "e.jsonl"
    state = stopped(ddblocal_client, name, out)
    assert state.identity["account"] == "000000000000"
    assert state.identity["endpoint"] == ddblocal_client.meta.endpoint_url
    with pytest.raises(BadState, match="account") as info:
        run_export(moto_client, ExportSpec(name, str(out), page_size=PAGE), resume=True)
    assert "\n" not in str(info.value)
    r = run_export(ddblocal_client, ExportSpec(name, str(out), page_size=PAGE), resume=True)
    assert r.complete and sorted(out.read_text().splitlines()) == all_lines(ddblocal_client, name)
