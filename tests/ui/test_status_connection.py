"""The status line keeps the connection in sight at 80 columns, however long the activity text is (the
demo's "seeding demo data 8,725/12,282 items" used to push "demo · us-east-1" off the line)."""

from __future__ import annotations

from ddbtui.ui.widgets.status_bar import StatusBar
from tests.ui.conftest import settle
from tests.ui.screen import screen_text


def status_text(app) -> str:
    """The status line as the terminal shows it (cut to the screen's width)."""
    return next(line for line in screen_text(app).splitlines() if "READ-ONLY" in line)


async def test_a_long_activity_is_cut_before_the_connection(make_app):
    app = make_app(connection_label="prod-account · eu-west-1 · Orders")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.query_one(StatusBar)
        assert "prod-account" in status_text(app)
        bar.set_activity(
            "seeding demo data 8,725/12,282 items while something else is also going on", busy=True
        )
        await pilot.pause()
        text = status_text(app)
        assert "seeding demo data 8,725" in text and "…" in text
        assert "prod-account · eu" in text  # the label's first columns (20 with its two spaces and "…")
        bar.set_activity("")
        await pilot.pause()
        assert "session: 0 requests" in status_text(app) and "prod-account" in status_text(app)
