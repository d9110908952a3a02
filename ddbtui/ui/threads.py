"""The workbench's thread workers: an executor whose shutdown does not wait for them, and the check, once
the app has closed, for a worker still blocked inside a request."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

WORKER_THREADS = "ddbtui-worker"


class QuitWithoutWaiting(ThreadPoolExecutor):
    """The executor of the app's thread workers, whose shutdown does not wait for them.

    A thread blocked in an HTTP request cannot be interrupted; the stock executor makes ``ctrl+q`` wait
    for it (up to the read timeout, times the retries). Its result would be dropped anyway.
    """

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        super().shutdown(wait=False, cancel_futures=True)


def requests_still_running() -> bool:
    """True when a worker thread is still inside a request after the app has closed."""
    busy = [t for t in threading.enumerate() if t.name.startswith(WORKER_THREADS) and t.is_alive()]
    for t in busy:
        t.join(0.2)  # idle pool threads leave as soon as they see the shutdown
    return any(t.is_alive() for t in busy)
