"""f7 with a model file (#16): the patterns of the open table's model checked as `ddbtui model check` does
(in a worker), each ✓ / ✗ with its cost; enter loads one into the builder with parameters from a sampled
item; `l` still opens the demo data's lessons. A Pilot test and a snapshot, on a moto server of their own
holding fixed data (Music: the table name the demo lessons read)."""

from __future__ import annotations

import pytest

from ddbtui.aws.embedded import MotoServer
from ddbtui.aws.session import Connection, make_client
from ddbtui.ui.app import DdbtuiApp
from ddbtui.ui.config import Config
from ddbtui.ui.history import History
from ddbtui.ui.screens.model_patterns_screen import ModelPatternsScreen
from ddbtui.ui.screens.patterns_screen import PatternsScreen
from tests.conftest import create_table
from tests.ui.conftest import put_items, settle, wait_until
from tests.ui.screen import screen_text

MODEL = """\
table = "Music"

[entities.song]
Artist = "{Artist}"
SongTitle = "{SongTitle}"

[[patterns]]
name = "one song"
request = "get Music key \\"Artist = :artist AND SongTitle = :title\\""
entity = "song"
rate = 20

[[patterns]]
name = "songs of an artist"
request = "query Music key \\"Artist = :artist\\" limit 10"
rate = 5

[[patterns]]
name = "songs of a genre in a range of years"
request = "query Music index GenreIndex key \\"Genre = :genre AND Year BETWEEN :from AND :to\\" limit 20"
params = { from = 1960, to = 1990 }
rate = 2

[[patterns]]
name = "songs of an album"
request = "scan Music filter \\"AlbumTitle = :album\\""
rate = 1
"""


@pytest.fixture(scope="module")
def music_model_server():
    with MotoServer() as server:
        client = make_client(Connection(endpoint_url=server.endpoint_url, region="us-east-1"))
        create_table(client, "Music", pk=("Artist", "S"), sk=("SongTitle", "S"),
                     gsis=[("GenreIndex", ("Genre", "S"), ("Year", "N"), "ALL")])  # fmt: skip
        put_items(
            client,
            "Music",
            [
                {
                    "Artist": {"S": f"Artist {i % 3}"},
                    "SongTitle": {"S": f"Song {i:02d}"},
                    "Genre": {"S": "Jazz" if i % 2 else "Rock"},
                    "Year": {"N": str(1960 + i)},
                    "AlbumTitle": {"S": f"Album {i % 4}"},
                }
                for i in range(12)
            ],  # fmt: skip
        )
        yield server


@pytest.fixture
def model_app(music_model_server, tmp_path):
    path = tmp_path / "music.model.toml"
    path.write_text(MODEL, encoding="utf-8")

    def make() -> DdbtuiApp:
        conn = Connection(endpoint_url=music_model_server.endpoint_url, region="us-east-1")
        return DdbtuiApp(make_client(conn), conn, config=Config(model=str(path)),
                         history=History(tmp_path / "history.json"), connection_label="snapshot · us-east-1",
                         clock=lambda: 1_800_000_000.0)  # fmt: skip

    return make


async def _open_patterns(pilot) -> ModelPatternsScreen:
    await settle(pilot)
    await pilot.press("f7")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ModelPatternsScreen))
    await pilot.pause()
    return pilot.app.screen


async def test_f7_checks_the_model_and_loads_a_pattern_with_sampled_values(model_app):
    app = model_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_patterns(pilot)
        got = {v.pattern.name: (v.status, v.operation, v.index) for v in screen.verdicts}
        assert got == {
            "one song": ("ok", "GetItem", "table"),
            "songs of an artist": ("ok", "Query", "table"),
            "songs of a genre in a range of years": ("ok", "Query", "GenreIndex"),
            "songs of an album": ("fail", "Scan", "table"),
        }
        text = screen_text(app)
        assert "✗" in text and "✓" in text and "RCU" in text and "/month" in text
        # a GetItem of one item under 4 KB: 0.5 RCU (eventually consistent), at 20/s for 730 h
        one = screen.verdicts[0]
        assert one.rcu == 0.5
        assert one.usd_month == pytest.approx(0.5 * 20 * 730 * 3600 * 0.125 / 1e6)

        await pilot.press("down")  # "songs of an artist"
        await pilot.press("enter")
        await settle(pilot)
        assert app.schema is not None and app.schema.name == "Music"
        built = app.builder.built
        assert built is not None and built.api == "query"
        (artist,) = [v["S"] for v in built.params["ExpressionAttributeValues"].values()]  # from the sample
        assert artist in {"Artist 0", "Artist 1", "Artist 2"}, built.params
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.results.rows and {r["Artist"]["S"] for r in app.results.rows} == {artist}

        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, ModelPatternsScreen))
        await pilot.press("l")  # the demo lessons stay reachable
        await wait_until(pilot, lambda: isinstance(app.screen, PatternsScreen))
        assert {p.table for p in app.screen.patterns} == {"Music"}


def test_model_patterns_snapshot(snap_compare, model_app):
    async def run_before(pilot) -> None:
        await _open_patterns(pilot)
        await pilot.press("end")  # the ✗ pattern's detail: the Scan and the advisor's fix
        await pilot.pause(0.2)

    assert snap_compare(model_app(), run_before=run_before, terminal_size=(120, 40))
