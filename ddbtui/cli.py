"""The entry point: the parser and the dispatch. Every command lives in ``ddbtui.commands`` (the reads in
``commands.read``, what they share in ``commands.common``); the workbench in ``ddbtui.ui``.

Imports of boto3, moto and textual happen inside the commands, so `ddbtui --help` stays fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
from typing import Any

from ddbtui import __version__
from ddbtui.commands.common import (  # noqa: F401 - re-exported: the names scripts and tests used
    EXIT_AWS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_USAGE,
    FORMATS,
    MAX_KEPT_ROWS,
    connect,
    connection_options,
    error_line,
    json_arg,
)
from ddbtui.core.errors import DdbtuiError, ExprError, UsageError

_error = error_line
_json_arg = json_arg  # the name tests and scripts used


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ddbtui",
        description="A terminal workbench for Amazon DynamoDB. Without a command, opens the workbench.",
        epilog="Try: ddbtui --demo query Shop --key \"pk = 'CUSTOMER#0001'\"",
    )
    parser.add_argument("--version", action="version", version=f"ddbtui {__version__}")
    parser.add_argument("--table", help="open this table at start")
    parser.add_argument(
        "--allow-writes",
        nargs="?",
        const="*",
        default=None,
        metavar="TABLES",
        help="the workbench may write (read-only by default; ctrl+w in the app asks); =A,B: only those tables",
    )
    connection_options(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        connection_options(p, suppress=True)
        return p

    import importlib

    from ddbtui.commands import MODULES

    for module_name in MODULES:
        importlib.import_module(module_name).add_parser(command)
    return parser


def run_app(args: argparse.Namespace) -> int:
    try:
        from ddbtui.ui.app import run  # noqa: PLC0415
    except ImportError:
        sys.stderr.write("ddbtui: the workbench is not built yet; use a command, e.g. ddbtui --demo tables\n")
        return EXIT_USAGE
    return run(args)


# --- main ---------------------------------------------------------------------------------------------


def _terminate(signum: int, frame: Any) -> None:
    # SIGTERM would end Python without unwinding: turn it into an interrupt so the embedded engine stops
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    raw = list(sys.argv[1:] if argv is None else argv)
    # A bare --allow-writes means every table; spelled out, it can never swallow the word after it
    # (`ddbtui --allow-writes put T` must not read "put" as a table list).
    raw = ["--allow-writes=*" if a == "--allow-writes" else a for a in raw]
    try:
        args = parser.parse_args(raw)
    except SystemExit as e:  # argparse's refusal (2) or --help/--version (0): a code, like every command
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    if sys.stdout is None:  # started with stdout closed (`ddbtui scan T >&-`): nowhere to write a result
        _error("error: standard output is closed: nothing ddbtui prints could be written")
        return EXIT_USAGE
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command is None:
            return run_app(args)
        # every command sets its runner with p.set_defaults(run=...)
        return args.run(args)
    except KeyboardInterrupt:
        sys.stderr.write("ddbtui: interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (| head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except ExprError as e:
        _error(f"error: {e}")
        return EXIT_USAGE
    except UsageError as e:
        _error(f"error: {e}")
        return EXIT_USAGE
    except DdbtuiError as e:
        from ddbtui.aws.session import ConnectionSetupError

        _error(str(e))
        return EXIT_USAGE if isinstance(e, ConnectionSetupError) else EXIT_AWS
    except Exception as e:  # noqa: BLE001 - AWS/botocore errors: one line, exit 3
        from ddbtui.aws.errors import describe_aws_error

        message = describe_aws_error(e)
        if message is None and isinstance(e, OSError) and e.errno is not None:
            # a full disk or a dead terminal under stdout, a file that cannot be written
            _error(f"error: cannot write {e.filename or 'the output'}: {e.strerror or e}")
            return EXIT_OUTPUT
        if message is None:
            raise
        _error(message, own=False)  # the server's words: escaped, on one line
        return EXIT_AWS
