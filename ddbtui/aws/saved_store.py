"""The saved queries file: ``queries.toml`` in the config dir (``DDBTUI_CONFIG_DIR`` or the platform's,
as ``ddbtui.ui.config``), read and written whole, atomically. The format is ``ddbtui.core.saved``'s."""

from __future__ import annotations

import os
from pathlib import Path

from ddbtui.aws.local_files import config_dir
from ddbtui.core.errors import UsageError
from ddbtui.core.saved import SavedQuery, format_saved, parse_saved

FILE_NAME = "queries.toml"


def saved_path() -> Path:
    return config_dir() / FILE_NAME


class SavedStore:
    """The saved queries of one file (default ``saved_path()``)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or saved_path()

    def load(self) -> dict[str, SavedQuery]:
        """Every query by name ({} when there is no file); UsageError naming the file when it is bad."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"{self.path} cannot be read: {e}") from None
        try:
            return parse_saved(text)
        except UsageError as e:
            raise UsageError(f"{self.path}: {e}") from None

    def get(self, name: str) -> SavedQuery:
        queries = self.load()
        if name not in queries:
            known = ", ".join(sorted(queries)) or "none yet"
            raise UsageError(f"no saved query {name!r} in {self.path} (saved: {known})")
        return queries[name]

    def save(self, query: SavedQuery) -> None:
        """Add ``query``, replacing one of the same name."""
        queries = self.load()
        queries[query.name] = query
        self._write(queries)

    def delete(self, name: str) -> None:
        queries = self.load()
        if name not in queries:
            raise UsageError(f"no saved query {name!r} in {self.path}")
        del queries[name]
        self._write(queries)

    def _write(self, queries: dict[str, SavedQuery]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(format_saved(queries), encoding="utf-8")
        os.replace(tmp, self.path)
