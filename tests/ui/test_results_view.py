"""The virtual results view: 100,000 items append page by page without freezing, and render safely."""

from __future__ import annotations

from textual.app import App, ComposeResult

from ddbtui.ui.results import PageInfo, ResultSet, key_columns, prepare_page
from ddbtui.ui.widgets.results_view import ResultsView
from tests.ui.screen import screen_text


def item(i: int) -> dict:
    return {
        "pk": {"S": f"C#{i % 100:03d}"},
        "sk": {"S": f"ORDER#{i:06d}"},
        "total": {"N": str(i)},
        "tags": {"SS": ["a", "b"]},
        "nested": {"M": {"k": {"L": [{"N": "1"}, {"BOOL": True}]}}},
        **({"late": {"S": "only on some"}} if i % 1000 == 999 else {}),
    }


class ViewApp(App):
    def compose(self) -> ComposeResult:
        yield ResultsView(id="results")


async def test_100k_items_append_in_pages_quickly_and_scroll():
    app = ViewApp()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(ResultsView)
        view.reset(["pk", "sk"])
        pages = [prepare_page([item(i) for i in range(s, s + 5000)], 32) for s in range(0, 100_000, 5000)]
        # how long each page takes is measured in bench/ui_stall.py, not asserted here
        for page in pages:
            view.append(page)
            await pilot.pause()
        assert len(view.rows) == 100_000
        assert view.columns == ["pk", "sk", "total", "tags", "nested", "late"]
        view.focus()
        await pilot.press("end")
        assert view.cursor_row == 99_999
        assert "ORDER#099999" in screen_text(app)
        await pilot.press("home", "right", "right")
        assert view.current_column == "total"
        assert "ORDER#000000" in screen_text(app)


async def test_numbers_right_aligned_and_missing_attributes_blank():
    app = ViewApp()
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ResultsView)
        view.reset(["pk"])
        view.append(
            prepare_page(
                [
                    {"pk": {"S": "a"}, "n": {"N": "7"}},
                    {"pk": {"S": "b"}, "n": {"N": "12345"}},
                    {"pk": {"S": "c"}},
                ],
                32,
            )
        )
        await pilot.pause()
        lines = screen_text(app).splitlines()
        assert lines[0].startswith("pk  n")
        assert lines[1].startswith("a       7")
        assert lines[2].startswith("b   12345")
        assert lines[3].rstrip() == "c"


def test_result_set_pages_know_their_rows():
    rs = ResultSet(built=None, schema=None, generation=1)  # type: ignore[arg-type]
    rs.add_page(PageInfo(1, 0, 25, 25, 25, None, 0.1, True))
    rs.add_page(PageInfo(2, 25, 10, 10, 30, None, 0.1, False))
    assert rs.page_of_row(0).number == 1 and rs.page_of_row(24).number == 1
    assert rs.page_of_row(25).number == 2 and rs.page_of_row(34).number == 2
    assert rs.items == 35 and rs.scanned == 55
    assert key_columns(None, None) == []
