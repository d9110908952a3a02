"""Where ddbtui keeps its own files: the platform's data dir (``DDBTUI_DATA_DIR`` overrides it).

Directories are created 0700 and files 0600: the journal holds table data, so only the user may read it.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "DDBTUI_DATA_DIR"
JOURNAL_NAME = "journal.jsonl"


def data_dir(create: bool = True) -> Path:
    """``$DDBTUI_DATA_DIR``, else ``platformdirs.user_data_path("ddbtui")``; created 0700 when asked."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = platformdirs.user_data_path("ddbtui")  # the same place as ddbtui.ui.config.data_dir
    if create:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def journal_path() -> Path:
    """The write journal: one JSON line per write, with the old and new images."""
    return data_dir() / JOURNAL_NAME


def open_private(path: Path, mode: str = "a") -> int:
    """Open ``path`` for appending (``"a"``) or writing (``"w"``) as a 0600 file; return the descriptor.

    A file that exists with looser permissions is tightened first.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    if os.name == "posix" and (os.fstat(fd).st_mode & 0o077):
        os.fchmod(fd, 0o600)
    return fd
