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
