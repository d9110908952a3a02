"""The write policy: which tables may be written (``--allow-writes``); read-only by default."""

from __future__ import annotations

from collections.abc import Iterable

from ddbtui.core.errors import UsageError


class WritePolicy:
    """Which tables may be written: none (the default, read-only), all, or the named ones."""

    def __init__(self, enabled: bool = False, tables: Iterable[str] | None = None) -> None:
        self.enabled = enabled
        self.tables: frozenset[str] | None = frozenset(tables) if tables is not None else None

    @classmethod
    def from_flag(cls, value: str | bool | None) -> WritePolicy:
        """From ``--allow-writes``: absent (None/False) → read-only; bare (True, ``"*"`` or ``""``) → every
        table; ``"Orders,Users"`` → those tables only."""
        if value is None or value is False:
            return cls(False)
        if value is True or str(value).strip() in ("", "*"):
            return cls(True)
        names = [n.strip() for n in str(value).split(",") if n.strip()]
        return cls(True, names)

    def allows(self, table: str) -> bool:
        return self.enabled and (self.tables is None or table in self.tables)

    def check(self, table: str) -> None:
        """Raise UsageError, saying how to enable writes, unless ``table`` may be written."""
        if not self.enabled:
            raise UsageError(
                f"writes are disabled: ddbtui is read-only by default. Add --allow-writes to write to any "
                f"table, or --allow-writes={table} to allow this one only"
            )
        if not self.allows(table):
            allowed = ", ".join(sorted(self.tables or ()))
            raise UsageError(
                f"writes to {table} are not allowed: --allow-writes names only {allowed}; "
                f"add it, e.g. --allow-writes={','.join([*sorted(self.tables or ()), table])}"
            )

    @property
    def label(self) -> str:
        """For a badge: ``READ-ONLY``, ``WRITES ON`` or ``WRITES: Orders, Users``."""
        if not self.enabled:
            return "READ-ONLY"
        if self.tables is None:
            return "WRITES ON"
        return "WRITES: " + ", ".join(sorted(self.tables))
