"""The command palette (ctrl+p): every workbench action, each open-able table and recent request.

Titles can hold table names, which are data: they are shown through ``highlight_plain`` because the
stock ``Matcher.highlight`` parses its text as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ddbtui.ui.safe import highlight_plain, plain_content

if TYPE_CHECKING:
    from ddbtui.ui.app import DdbtuiApp


@dataclass(frozen=True)
class PaletteCommand:
    title: str
    help: str  # our own words only: the palette parses help as markup
    callback: Callable[[], object]


class WorkbenchCommands(Provider):
    """Hits from ``DdbtuiApp.palette_commands()``."""

    def _commands(self) -> list[PaletteCommand]:
        return cast("DdbtuiApp", self.app).palette_commands()

    async def discover(self) -> Hits:
        for cmd in self._commands():
            yield DiscoveryHit(plain_content(cmd.title), cmd.callback, text=cmd.title, help=cmd.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for cmd in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, cmd.title)
            if score > 0:
                yield Hit(
                    score, highlight_plain(cmd.title, offsets), cmd.callback, text=cmd.title, help=cmd.help
                )
