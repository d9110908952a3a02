"""NO_COLOR (https://no-color.org): the workbench sends no colour codes at all.

Textual's own answer to NO_COLOR is its ``Monochrome`` filter, which still sends 256-colour greys
(``38;5;232``…) unless the theme uses ANSI colours; its ``NoColor`` filter drops every colour, and with
it every cursor drawn only as a background (the results' row cursor, the selected table, a focused
button). ``NoColour`` drops every colour too, and shows a background that stands out from the screen's
(brightness differing by more than ``CONTRAST``) as reverse video, so what was highlighted still is.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

CONTRAST = 0.12
_DEFAULT = Style(color=RichColor.default(), bgcolor=RichColor.default())
_REVERSE = _DEFAULT + Style(reverse=True)


def _brightness(color: RichColor) -> float:
    r, g, b = color.get_truecolor()
    return (299 * r + 587 * g + 114 * b) / 1000 / 255


@lru_cache(1024)
def plain_style(style: Style, base: float) -> Style:
    """``style`` without colours; reverse when its background stood out from ``base`` brightness."""
    bg = style.bgcolor
    stands_out = bg is not None and not bg.is_default and abs(_brightness(bg) - base) > CONTRAST
    return style + (_REVERSE if stands_out else _DEFAULT)


class NoColour(LineFilter):
    """Every colour removed; a highlight kept as reverse video (see the module's docs)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        base = round(background.brightness, 2)
        return [
            Segment(text, None if style is None else plain_style(style, base), control)
            for text, style, control in segments
        ]
