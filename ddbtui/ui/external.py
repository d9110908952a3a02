"""Hand the terminal to another program ($EDITOR, $PAGER) on a private temp file, with the app suspended.

``App.suspend`` needs a real terminal: headless (Pilot) it raises ``SuspendNotSupported``, which the
callers turn into one line.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any


def run_on_file(app: Any, command: str, text: str, *, read_back: bool = False) -> tuple[int, str | None]:
    """Write ``text`` to a 0600 temp file, run ``command`` (a command line, as $EDITOR / $PAGER hold it)
    on it with ``app`` suspended, and delete the file. The exit status, and the file's text afterwards
    when ``read_back`` and the program succeeded (else None)."""
    fd, name = tempfile.mkstemp(prefix="ddbtui-item-", suffix=".json")  # created 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        with app.suspend():
            code = subprocess.call([*shlex.split(command), str(path)])
        return code, (path.read_text(encoding="utf-8") if read_back and code == 0 else None)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


__all__ = ["run_on_file"]
