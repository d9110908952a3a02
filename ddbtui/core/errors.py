"""Errors raised by ddbtui's own code: user errors carry a message fit to print, never a traceback."""

from __future__ import annotations


class DdbtuiError(Exception):
    """Base of every error ddbtui raises on purpose."""


class UsageError(DdbtuiError):
    """Bad input from the user: a bad flag, an unknown index, a wrong key type. Exit status 2."""


class ExprError(UsageError):
    """A bad expression. ``column`` is 1-based; ``text`` is the expression it points into."""

    def __init__(self, message: str, column: int | None = None, text: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.text = text

    def __str__(self) -> str:
        if self.column is None:
            return self.message
        out = f"column {self.column}: {self.message}"
        if self.text is not None:
            caret = " " * (self.column - 1) + "^"
            out += f"\n  {self.text}\n  {caret}"
        return out
