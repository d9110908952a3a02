"""Repeated identical toasts are shown once while the first is up, again after it expires (#21 item 11)."""

from __future__ import annotations

from ddbtui.ui.toasts import ToastDedupe
from tests.ui.conftest import settle


def test_an_identical_toast_waits_for_the_first_to_expire():
    now = [100.0]
    d = ToastDedupe(clock=lambda: now[0])
    assert d.admit("throttled, retrying", "", "warning", 5) is True
    assert d.admit("throttled, retrying", "", "warning", 5) is False
    assert d.admit("throttled, retrying", "", "error", 5) is True  # another severity is another toast
    assert d.admit("other", "", "warning", 5) is True
    now[0] = 104.9
    assert d.admit("throttled, retrying", "", "warning", 5) is False
    now[0] = 105.0
    assert d.admit("throttled, retrying", "", "warning", 5) is True


async def test_the_workbench_stacks_no_identical_toasts(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = len(list(app._notifications))
        for _ in range(6):
            app.notify("[b]same[/b] text", severity="warning", markup=False)
        app.notify("another", markup=False)
        await settle(pilot)
        shown = [str(n.message) for n in app._notifications]
        assert len(shown) == before + 2, shown
        assert shown.count("[b]same[/b] text") == 1
