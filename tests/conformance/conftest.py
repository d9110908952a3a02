"""The conformance suite's tables on DynamoDB Local (once per session), and a runner per test module that
computes the module's selected cases a few at a time, ahead of the tests that check them."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.conformance.cases import ALL
from tests.conformance.data import ITEMS, TABLES, WRITE_TABLE
from tests.conformance.harness import Env, Runner
from tests.conftest import create_table

WORKERS = 4  # CLI processes at once; each is mostly interpreter start-up


def _batch_put(client, table: str, items: list[dict]) -> None:
    for i in range(0, len(items), 25):
        pending = {table: [{"PutRequest": {"Item": it}} for it in items[i : i + 25]]}
        while pending:
            pending = client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


@pytest.fixture(scope="session")
def conformance_env(ddblocal_server, ddblocal_client, tmp_path_factory):
    suffix = uuid.uuid4().hex[:8]
    names = {t: f"cf_{t[1:]}_{suffix}" for t in TABLES}
    for template, spec in TABLES.items():
        create_table(ddblocal_client, names[template], **spec)
        _batch_put(ddblocal_client, names[template], ITEMS[template])
    w_cli, w_ref = f"cf_w_cli_{suffix}", f"cf_w_ref_{suffix}"
    for name in (w_cli, w_ref):
        create_table(ddblocal_client, name, **WRITE_TABLE)
        _batch_put(ddblocal_client, name, [c.seed for c in ALL if c.is_write and c.seed is not None])
    yield Env(
        endpoint=ddblocal_server.endpoint_url,
        client=ddblocal_client,
        cli_tables={**names, "@W": w_cli},
        ref_tables={**names, "@W": w_ref},
        base_dir=tmp_path_factory.mktemp("conformance"),
    )
    for name in [*names.values(), w_cli, w_ref]:
        ddblocal_client.delete_table(TableName=name)


@pytest.fixture(scope="module")
def outcomes(request, conformance_env):
    """The module's runner. Outside xdist it starts every case this session selected in the module at once;
    under xdist a worker runs only its own tests' cases, one at a time, when they ask."""
    runner = Runner(conformance_env, 1 if os.environ.get("PYTEST_XDIST_WORKER") else WORKERS)
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        selected = []
        for item in request.session.items:
            case = getattr(getattr(item, "callspec", None), "params", {}).get("case")
            if getattr(item, "module", None) is request.module and case is not None:
                selected.append(case)
        runner.prefetch(selected)
    yield runner
    runner.close()
