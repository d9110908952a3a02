"""Table changes from the workbench's own screens (#14), on moto: the report's fix (f8, x), the
create-table form, dropping a table. Every change goes through the plan dialog and the write gate."""

from __future__ import annotations

from ddbtui.ui.screens.plan_screen import PlanScreen
from ddbtui.ui.screens.report_screen import ReportScreen
from tests.conftest import create_table
from tests.ui.conftest import settle, wait_until
from tests.ui.screen import screen_text
from tests.ui.test_workbench import open_by_typing

SIZE = (100, 32)


def _pitr(client, table: str) -> str:
    d = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    return d["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]


async def _report(pilot, app) -> ReportScreen:
    app.results.focus()
    await pilot.press("f8")
    await wait_until(pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.facts is not None,
                     timeout=15)  # fmt: skip
    return app.screen


async def test_x_in_the_report_fixes_pitr_and_the_finding_goes_away(make_app, moto_client, table_name):
    from ddbtui.aws.admin import admin_journal, undo_last
    from ddbtui.core.writes import WritePolicy

    t = table_name
    create_table(moto_client, t)
    assert _pitr(moto_client, t) == "DISABLED"
    app = make_app(allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        report = await _report(pilot, app)
        assert "pitr-off" in report.fixes
        report.query_one("#report-fixes").highlighted = list(report.fixes).index("pitr-off")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        text = screen_text(app)
        assert "UpdateContinuousBackups" in text and "aws dynamodb update-continuous-backups" in text
        assert _pitr(moto_client, t) == "DISABLED"  # not sent before the confirmation
        await pilot.press("y")
        await wait_until(pilot, lambda: app.screen is report and not app.admin.busy, timeout=15)
        await wait_until(pilot, lambda: report.facts is not None and "pitr-off" not in report.fixes
                         and "Point-in-time recovery is off" not in screen_text(app), timeout=15)  # fmt: skip
        assert _pitr(moto_client, t) == "ENABLED"
    journal = admin_journal()
    assert [r.table for r in journal.pending_undo()] == [t]  # journaled: `ddbtui undo` turns PITR off
    undo_last(moto_client, journal, policy=WritePolicy.from_flag("*"), poll=0.1)
    assert _pitr(moto_client, t) == "DISABLED"


async def test_x_without_writes_opens_no_plan(make_app, moto_client, table_name):
    t = table_name
    create_table(moto_client, t)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        report = await _report(pilot, app)
        assert "pitr-off" in report.fixes
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is report
        toasts = " ".join(str(n.message) for n in app._notifications)
        assert "writes are disabled" in toasts and "ctrl+w" in toasts
    assert _pitr(moto_client, t) == "DISABLED"


async def test_the_create_table_form_checks_fields_plans_creates_and_opens_the_table(
    make_app, moto_client, table_name
):
    from textual.widgets import Checkbox, Input, Select

    from ddbtui.ui.screens.create_table_screen import CreateTableScreen

    t = table_name
    app = make_app(allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.palette_commands()]
        assert "Create a table…" in titles and "Drop this table…" in titles
        app.admin.changes.create_table()
        await wait_until(pilot, lambda: isinstance(app.screen, CreateTableScreen))
        await settle(pilot)
        form = app.screen
        form.query_one("#ct-name", Input).value = t
        form.query_one("#ct-key", Input).value = "pk:X"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # not dismissed: the key's error shown under the form, the field marked
        assert "pk:X" in screen_text(app) and form.query_one("#ct-key").has_class("-invalid-field")
        form.query_one("#ct-key", Input).value = "pk:S,sk:N"
        form.query_one("#ct-provisioned", Input).value = "5,3"
        form.query_one("#ct-gsi", Input).value = "byColour=colour:S:KEYS_ONLY byDay=day:S,at:N:INCLUDE=a+b"
        form.query_one("#ct-ttl", Input).value = "expiresAt"
        form.query_one("#ct-stream", Select).value = "NEW_IMAGE"
        form.query_one("#ct-pitr", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        text = screen_text(app)
        assert "CreateTable" in text and "aws dynamodb create-table" in text and "UpdateTimeToLive" in text
        await pilot.press("y")
        await wait_until(pilot, lambda: app.schema is not None and app.schema.name == t, timeout=20)
        assert not app.admin.busy
    d = moto_client.describe_table(TableName=t)["Table"]
    assert d["TableStatus"] == "ACTIVE" and d["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert d["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    gsis = {g["IndexName"]: g["Projection"] for g in d["GlobalSecondaryIndexes"]}
    assert gsis == {"byColour": {"ProjectionType": "KEYS_ONLY"},
                    "byDay": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a", "b"]}}  # fmt: skip
    ttl = moto_client.describe_time_to_live(TableName=t)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expiresAt"}
    assert _pitr(moto_client, t) == "ENABLED"


async def test_drop_asks_for_the_name_refuses_with_deletion_protection_then_drops(
    make_app, moto_client, table_name
):
    from textual.widgets import Input

    from ddbtui.ui.screens.create_table_screen import DropTableScreen

    t = table_name
    create_table(moto_client, t)
    moto_client.update_table(TableName=t, DeletionProtectionEnabled=True)
    app = make_app(allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        for protected in (True, False):
            app.admin.changes.drop_table(t)
            await wait_until(pilot, lambda: isinstance(app.screen, DropTableScreen))
            await settle(pilot)
            app.screen.query_one("#drop-name", Input).value = t[:-1]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, DropTableScreen) and "does not match" in screen_text(app)
            app.screen.query_one("#drop-name", Input).value = t
            await pilot.press("enter")
            if protected:
                await wait_until(pilot, lambda: "deletion protection on" in " ".join(
                    str(n.message) for n in app._notifications), timeout=10)  # fmt: skip
                assert not isinstance(app.screen, PlanScreen)
                moto_client.update_table(TableName=t, DeletionProtectionEnabled=False)
        await wait_until(pilot, lambda: isinstance(app.screen, PlanScreen))
        assert "DeleteTable" in screen_text(app) and "cannot be undone" in screen_text(app)
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.admin.busy and t not in moto_client.list_tables()["TableNames"],
                         timeout=15)  # fmt: skip


def test_create_table_form_snapshot(snap_compare):
    from textual.app import App

    from ddbtui.ui.screens.create_table_screen import CreateTableScreen

    class FormApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(CreateTableScreen())

    assert snap_compare(FormApp(), terminal_size=(80, 24))


async def test_the_indexes_pane_shows_the_settings_and_watches_a_gsi_being_built(
    make_app, moto_client, table_name
):
    from dataclasses import replace

    from ddbtui.ui.widgets.schema_pane import SchemaPane, index_prompt

    t = table_name
    create_table(moto_client, t, gsis=[("byColour", ("colour", "S"), None, "ALL")])
    moto_client.update_table(TableName=t, DeletionProtectionEnabled=True,
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})  # fmt: skip
    moto_client.update_continuous_backups(
        TableName=t, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    app = make_app(allow_writes="*")
    async with app.run_test(size=SIZE) as pilot:
        await open_by_typing(pilot, t)
        pane = app.query_one(SchemaPane)
        await wait_until(pilot, lambda: pane.pitr is True)
        summary = str(pane.get_option_at_index(0).prompt)
        assert summary == "on-demand · 0 items · stream KEYS_ONLY · deletion protection · PITR on", summary
        # as DescribeTable shows a GSI being built; the pane asks again until DynamoDB says ACTIVE
        raw = dict(pane.schema.raw)
        raw["GlobalSecondaryIndexes"] = [{**raw["GlobalSecondaryIndexes"][0], "IndexStatus": "CREATING",
                                          "Backfilling": True, "ItemCount": 7}]  # fmt: skip
        building = replace(pane.schema, raw=raw)
        gsi = building.index("byColour")
        assert str(index_prompt(gsi, building)).endswith("\n  CREATING · backfilling · 7 items")
        pane.show(building)
        assert "CREATING" in str(pane.get_option_at_index(2).prompt)
        await wait_until(pilot, lambda: "CREATING" not in str(pane.get_option_at_index(2).prompt))
        assert pane.schema.raw["GlobalSecondaryIndexes"][0]["IndexStatus"] == "ACTIVE"
