"""The workbench's settings and where its files live.

``config.json`` under the platform's config dir (``DDBTUI_CONFIG_DIR`` overrides it, as tests do) holds
the page size, theme, keymap overrides (Binding id → keys) and the price region. Written 0600: it holds no
credentials, but it is the user's alone.
"""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from ddbtui.aws.local_files import config_dir, write_private


@dataclass
class Config:
    page_size: int = 25  # DynamoDB's Limit for the first page of a table and for `n`
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)  # Binding id -> keys, e.g. {"run": "ctrl+r,f5"}
    price_region: str | None = None  # None: the connection's region
    max_cell_width: int = 32
    fetch_all_cap: float = 1000.0  # capacity units "fetch all" proposes to stop at
    max_rows: int = 100_000  # items the results pane keeps (~2.2 KB each): reading stops there
    model: str | None = None  # f7's model file of access patterns (else ./ddbtui.model.toml)

    @classmethod
    def load(cls, path: Path | None = None) -> Config:
        """The saved config, or the defaults where the file is missing or a value is unusable."""
        path = path or config_dir() / "config.json"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        config = cls()
        for f in fields(cls):
            value = raw.get(f.name)
            default = getattr(config, f.name)
            if value is None:
                continue
            ok = (
                isinstance(value, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
                if isinstance(default, dict)
                else isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)  # json reads Infinity and NaN
                and value >= (1 if isinstance(default, int) else 0)
                and value > 0  # whole-number settings are truncated: 0.1 would become 0
                if isinstance(default, int | float)
                else isinstance(value, str)
            )
            if ok:
                setattr(config, f.name, int(value) if isinstance(default, int) else value)
        return config

    def save(self, path: Path | None = None) -> None:
        path = path or config_dir() / "config.json"
        with contextlib.suppress(OSError):  # a read-only home must not stop the app
            write_private(path, json.dumps(asdict(self), indent=2) + "\n")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
