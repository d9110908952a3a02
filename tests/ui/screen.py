"""Read what the app has on screen as plain text, and the raw bytes a terminal would receive."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


def _render(app: App) -> tuple[Console, str]:
    width, height = app.size
    out = io.StringIO()
    console = Console(
        width=width,
        height=height,
        file=out,
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console, out.getvalue()


def screen_text(app: App) -> str:
    """The screen's characters, one line per row (no styles)."""
    console, _ = _render(app)
    return console.export_text(styles=False)


def terminal_bytes(app: App) -> str:
    """What the terminal would be sent for a full repaint (escape sequences of the app's own styles included)."""
    return _render(app)[1]
