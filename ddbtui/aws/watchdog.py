"""Run a command and stop it when the process that asked for it goes away.

``python -m ddbtui.aws.watchdog PARENT_PID CMD...``: starts CMD, then polls. If PARENT_PID is no longer our
parent (it exited or crashed: we were re-parented), or we get SIGTERM/SIGINT/SIGHUP, CMD is terminated
(then killed after 5 s). Linux's PR_SET_DEATHSIG would be simpler, but it fires when the *thread* that
started the child exits, and the workbench starts its engine from a worker thread.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    parent, cmd = int(argv[0]), argv[1:]
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    while not stopping and child.poll() is None and os.getppid() == parent:
        time.sleep(0.2)
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return child.returncode or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
