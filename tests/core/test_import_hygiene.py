"""core/ is pure: importing any of its modules must not load textual, boto3 or botocore."""

import pkgutil
import subprocess
import sys

import pytest

import ddbtui.core

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(ddbtui.core.__path__, prefix="ddbtui.core.") if not m.ispkg
) + ["ddbtui.core", "ddbtui.core.expr"]


def test_core_has_modules():
    assert "ddbtui.core.values" in CORE_MODULES and "ddbtui.core.capacity" in CORE_MODULES


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_io_or_ui_libraries(module):
    code = (
        f"import sys, {module}; "
        "bad = [m for m in ('textual', 'boto3', 'botocore', 'moto') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imports {out.stdout.strip()}"


def test_cli_help_imports_nothing_heavy():
    code = (
        "import sys\nfrom ddbtui.cli import build_parser\nbuild_parser()\n"
        "print(','.join(m for m in ('textual', 'boto3', 'botocore', 'moto') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
