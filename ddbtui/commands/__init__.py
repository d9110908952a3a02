"""The headless subcommands, one module per family (``ddbtui.cli`` is only the parser and the dispatch).

Each module here has ``add_parser(command) -> None``: ``command(name, help)`` returns a subparser that
already has the connection options, and the module calls ``p.set_defaults(run=its_run_function)``. Modules import only argparse at import time:
`ddbtui --help` must stay fast; everything heavy is imported inside ``run``.
"""

MODULES: tuple[str, ...] = (
    "ddbtui.commands.tables",
    "ddbtui.commands.read",
    "ddbtui.commands.writes",
    "ddbtui.commands.transact",
    "ddbtui.commands.saved",
    "ddbtui.commands.export",
    "ddbtui.commands.report",
    "ddbtui.commands.stream",
    "ddbtui.commands.explain",
    "ddbtui.commands.admin",
    "ddbtui.commands.model",
    "ddbtui.commands.metrics",
)
