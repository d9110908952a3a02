"""One toast per message: a notification identical to one still on screen is not stacked again (#21).

A retry storm or a key held down would otherwise pile up the same toast a dozen times and push the useful
ones off the screen. Thread-safe, like ``App.notify``: workers notify from their threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ToastDedupe:
    """Remembers the toasts shown and until when they stay up."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._until: dict[tuple[str, str, str], float] = {}

    def admit(self, message: str, title: str, severity: str, timeout: float) -> bool:
        """True to show this toast; False while an identical one is still up."""
        now = self._clock()
        key = (str(message), str(title), str(severity))
        with self._lock:
            for k in [k for k, until in self._until.items() if until <= now]:
                del self._until[k]
            if key in self._until:
                return False
            self._until[key] = now + timeout
            return True
