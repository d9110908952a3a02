"""The SQL box's params line (#19 defect 3): shown once the statement has a ?, its values sent as the
statement's Parameters, a count that does not match refused before any request."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from tests.ui.conftest import settle
from tests.ui.test_workbench import SIZE, open_by_typing


async def test_params_line_runs_a_statement_with_placeholders(make_app, moto_server, orders_table):
    from ddbtui.aws.session import Connection, make_client

    sent: list[dict] = []
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))

    def record(request, **kwargs) -> None:  # the request body as it goes on the wire
        if request.headers.get("X-Amz-Target", b"").endswith(b"ExecuteStatement"):
            sent.append(json.loads(request.body))

    client.meta.events.register("before-send.dynamodb", record)
    app = make_app(client=client)
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, orders_table)
        b = app.builder
        b.query_one("#qb-op", Select).value = "sql"
        await pilot.pause()
        row = b.query_one("#qb-params-row")
        assert not row.display  # no ? yet: no params line
        b.query_one("#qb-sql").text = f'SELECT * FROM "{orders_table}" WHERE pk = ? AND sk = ?'
        await pilot.pause()
        assert row.display
        assert b.built is None and "2 ? placeholders and --params gives 0 values" in b.error
        b.query_one("#qb-params", Input).value = '["C#2", "ORDER#0005"]'
        await pilot.pause()
        assert b.built is not None, b.error
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert [(r["pk"]["S"], r["sk"]["S"]) for r in app.results.rows] == [("C#2", "ORDER#0005")]
        assert sent and sent[-1]["Parameters"] == [{"S": "C#2"}, {"S": "ORDER#0005"}]
        b.query_one("#qb-params", Input).value = '["C#2"'
        await pilot.pause()
        assert b.built is None and "bad --params at column" in b.error
