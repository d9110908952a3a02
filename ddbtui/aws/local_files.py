"""Where ddbtui keeps its own files: the config dir (``DDBTUI_CONFIG_DIR`` overrides the platform's) and
the data dir (``DDBTUI_DATA_DIR``), and the 0600 atomic write the history, the config and the saved
queries share. The workbench and the headless commands both read these files."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

APP_NAME = "ddbtui"
HISTORY_FILE = "history.json"


def config_dir() -> Path:
    if env := os.environ.get("DDBTUI_CONFIG_DIR"):
        return Path(env)
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def data_dir() -> Path:
    if env := os.environ.get("DDBTUI_DATA_DIR"):
        return Path(env)
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically to a file only the user can read (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # the history holds table data
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o600)  # O_CREAT's mode is masked by the umask, and an old tmp keeps its mode
    os.replace(tmp, path)


def history_path() -> Path:
    return data_dir() / HISTORY_FILE


def read_history(path: Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """The workbench's request history (table -> entries, newest first); {} when absent or unreadable."""
    with contextlib.suppress(OSError, ValueError):
        raw = json.loads((path or history_path()).read_text(encoding="utf-8"))
        if isinstance(raw, dict):
            return {k: v for k, v in raw.items() if isinstance(v, list)}
    return {}
