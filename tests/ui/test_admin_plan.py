"""The advisor's create-gsi suggestion applied from the workbench (#14), on moto: ``g`` opens the plan
dialog (API calls, aws commands, backfill cost, the measured saving); confirmed, the index is created in a
worker, waited for, the builder's request is rewritten to query it and run once. Writes off: no dialog,
nothing sent."""

from __future__ import annotations

from textual.widgets import Input

from ddbtui.ui.screens.plan_screen import PlanScreen
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle, wait_until
from tests.ui.screen import screen_text
from tests.ui.test_workbench import open_by_typing

SIZE = (100, 32)


def _table(client, name: str) -> str:
    create_table(client, name)
    colours = ["red", "blue", "green", "black"]
    put_items(client, name, [{"pk": {"S": f"p{i}"}, "sk": {"S": "1"}, "colour": {"S": colours[i % 4]}}
                             for i in range(40)])  # fmt: skip
    return name


async def _advised(pilot) -> None:
    app = pilot.app
    app.builder.query_one("#qb-page", Input).value = ""
    app.builder.query_one("#qb-filter", Input).value = "colour = 'red'"
    await wait_until(
        pilot, lambda: app.advice.request is not None and app.advice.request.filter == "colour = 'red'"
    )
    await pilot.press("ctrl+r")
    await settle(pilot)
    await wait_until(pilot, lambda: app.advice.can_create_index and app.advice.stats is not None)


async def test_g_plans_the_advised_index_confirm_creates_it_and_runs_the_query(
    make_app, moto_client, table_name
):
    t = _table(moto_client, table_name)
    app = make_app(allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        await _advised(pilot)
        assert "[g] create index" in app.query_one("#advisor").text
        app.results.focus()
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        text = screen_text(app)
        assert "UpdateTable" in text and "aws dynamodb update-table" in text
        assert "Saving:" in text and "Backfill" in text and "colour-index" in text
        assert not moto_client.describe_table(TableName=t)["Table"].get("GlobalSecondaryIndexes")  # not sent
        await pilot.press("y")
        await wait_until(
            pilot, lambda: app.result is not None and app.result.built.api == "query", timeout=20
        )
        await settle(pilot)
        gsis = moto_client.describe_table(TableName=t)["Table"]["GlobalSecondaryIndexes"]
        assert [g["IndexName"] for g in gsis] == ["colour-index"] and gsis[0]["IndexStatus"] == "ACTIVE"
        assert app.result.built.params["IndexName"] == "colour-index"
        assert len(app.results.rows) == 10 and app.admin.progress == "index colour-index is ACTIVE"
        from ddbtui.aws.admin import admin_journal

        assert [r.table for r in admin_journal().pending_undo()] == [t]  # journaled: `ddbtui undo` drops it
        # the capacity of the old request (a Scan) next to the new one's (a Query on the index)
        await wait_until(pilot, lambda: app.admin.comparison != "")
        assert (
            app.admin.comparison.startswith("before: scan ~")
            and "after: Query on colour-index ~" in app.admin.comparison
        )


async def test_g_in_the_suggestions_list_opens_the_plan_of_the_highlighted_index(
    make_app, moto_client, table_name
):
    from ddbtui.ui.screens.advice_screen import AdviceScreen

    t = _table(moto_client, table_name)
    app = make_app(allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        await _advised(pilot)
        app.results.focus()
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, AdviceScreen))
        screen = app.screen
        screen.query_one("#advice-list").highlighted = 2 * next(
            i for i, s in enumerate(screen.suggestions) if s.kind == "create-gsi"
        )
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "colour-index" in screen_text(app)
        await pilot.press("escape")  # nothing sent
        await settle(pilot)
        assert not isinstance(app.screen, PlanScreen)
        assert not moto_client.describe_table(TableName=t)["Table"].get("GlobalSecondaryIndexes")


def test_plan_dialog_snapshot(snap_compare):
    """The dialog of a fixed plan: a GSI on a provisioned table, its backfill estimate from a sample."""
    from textual.app import App

    from ddbtui.core.admin import AlterRequest, TableState, parse_gsi, plan_alter
    from ddbtui.core.schema import TableSchema
    from ddbtui.ui.screens.plan_screen import PlanScreen

    desc = {
        "TableName": "Orders",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
        "ItemCount": 120000,
        "TableSizeBytes": 120000 * 300,
        "TableStatus": "ACTIVE",
    }  # fmt: skip
    sample = [
        {"pk": {"S": f"c{i}"}, "sk": {"S": "o"}, "colour": {"S": "red"}, "note": {"S": "x" * 200}}
        for i in range(20)
    ]
    plan = plan_alter(
        TableState(TableSchema.from_describe(desc), pitr=True),
        AlterRequest(add_gsis=[parse_gsi("colour-index=colour:S:ALL")]),
        region="us-east-1",
        sample=sample,
    )
    header = [
        "Advisor: no index serves this filter — a new GSI colour-index would.",
        "Saving: this scan ~1,406 RCU a run → Query on colour-index ~12 RCU a run (117× fewer RCU)",
        "Backfill: see Costs below (the index's one-time write units)",
    ]

    class PlanApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(PlanScreen(plan, header))

    assert snap_compare(PlanApp(), terminal_size=(110, 34))


async def test_escape_while_the_change_is_sent_stops_waiting_and_runs_nothing(
    make_app, moto_server, moto_client, table_name
):
    from ddbtui.aws.session import Connection, make_client
    from tests.ui.conftest import Gate

    t = _table(moto_client, table_name)
    client = make_client(Connection(endpoint_url=moto_server.endpoint_url, region="us-east-1"))
    gate = Gate()
    client.meta.events.register("before-send.dynamodb.*", gate.hook)
    app = make_app(client=client, allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        await _advised(pilot)
        app.results.focus()
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        gate.close()
        await pilot.press("y")
        await wait_until(pilot, gate.entered.is_set)  # UpdateTable is on the wire
        assert app.admin.busy
        await pilot.press("escape")
        gate.open()
        await wait_until(pilot, lambda: not app.admin.busy)
        await settle(pilot)
        assert app.admin.progress.startswith("stopped:"), app.admin.progress
        assert app.builder.operation == "scan" and app.result.built.api == "scan"  # nothing rewritten or run


async def test_without_writes_g_opens_no_plan_and_sends_nothing(make_app, moto_client, table_name):
    t = _table(moto_client, table_name)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        await _advised(pilot)
        app.results.focus()
        await pilot.press("g")
        await settle(pilot)
        assert not isinstance(app.screen, PlanScreen)
        toasts = " ".join(str(n.message) for n in app._notifications)
        assert "writes are disabled" in toasts and "ctrl+w" in toasts
        assert not moto_client.describe_table(TableName=t)["Table"].get("GlobalSecondaryIndexes")
