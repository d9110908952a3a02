"""Which engine is behind a loopback endpoint decides whose capacity figure `--capacity auto` shows."""

from __future__ import annotations

import http.server
import threading

import pytest

from ddbtui.aws.session import Connection, engine_from_server_header, make_client


def test_server_headers_name_the_engines():
    # the headers as each engine sends them (measured: FACTS.md, round 2)
    assert engine_from_server_header("Jetty(12.0.31)") == "dynamodb-local"
    assert engine_from_server_header("Werkzeug/3.1.9 Python/3.11.7") == "moto"
    assert engine_from_server_header("nginx") is None
    assert engine_from_server_header(None) is None


@pytest.mark.ddblocal
def test_auto_mode_shows_dynamodb_locals_own_figure(ddblocal_server):
    conn = Connection(endpoint_url=ddblocal_server.endpoint_url, region="us-east-1")
    assert conn.engine == "dynamodb-local"
    assert conn.estimate_capacity is False
    assert Connection(endpoint_url=ddblocal_server.endpoint_url, capacity_mode="estimate").estimate_capacity


def test_auto_mode_estimates_on_moto(moto_server):
    conn = Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1")
    assert conn.engine == "moto"
    assert conn.estimate_capacity is True
    assert (
        Connection(endpoint_url=moto_server.endpoint_url, capacity_mode="reported").estimate_capacity is False
    )


def test_an_engine_it_cannot_name_gets_the_estimate():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Server", "something-else/1.0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        conn = Connection(endpoint_url=f"http://127.0.0.1:{server.server_port}", region="us-east-1")
        assert conn.engine is None
        assert conn.estimate_capacity is True
    finally:
        server.shutdown()
    # nothing listening: cannot be told either, and it is asked again later rather than remembered
    assert Connection(endpoint_url="http://127.0.0.1:9", region="us-east-1").estimate_capacity is True


def test_aws_endpoints_are_never_probed():
    conn = Connection(region="us-east-1")
    assert conn.engine is None
    assert conn.estimate_capacity is False


@pytest.mark.ddblocal
def test_responses_teach_the_engine_without_a_probe(ddblocal_server):
    from ddbtui.aws import session

    url = ddblocal_server.endpoint_url.rstrip("/") + "/"  # another spelling: not in the cache yet
    session._ENGINES.pop(url, None)
    client = make_client(Connection(endpoint_url=url, region="us-east-1"))
    client.list_tables(Limit=1)
    assert session._ENGINES[url] == "dynamodb-local"
