"""What ``ddbtui`` without a command connects to: the client of ``--profile``/``--region``/
``--endpoint-url``, or the embedded demo backend (its process started here, waited for in the app)."""

from __future__ import annotations

import argparse
from typing import Any

from ddbtui.core.errors import DdbtuiError


def connect(args: argparse.Namespace) -> tuple[Any, Any, Any]:
    """``(client, connection, engine)`` for ``args``; ``engine`` is None unless ``--demo``. Raises
    ``DdbtuiError`` for a setup that cannot work, with any engine it started stopped again."""
    from ddbtui.aws.session import Connection, demo_connection, make_client, retry_settings

    demo = bool(getattr(args, "demo", False))
    capacity = getattr(args, "capacity", None) or "auto"
    engine = None
    try:
        if demo:
            from ddbtui.aws.embedded import DynamoDBLocal, MotoServer

            engine = DynamoDBLocal() if getattr(args, "engine", None) == "dynamodb-local" else MotoServer()
            # The engine's process starts now and is waited for (and seeded) in a worker once the screen
            # is up; its port is known, so the client is built here, on the main thread.
            engine.spawn()
            conn = demo_connection(engine.endpoint_url, capacity, **retry_settings(args))
        else:
            if getattr(args, "engine", None):
                raise DdbtuiError("--engine selects the embedded backend of --demo")
            conn = Connection(
                profile=getattr(args, "profile", None),
                region=getattr(args, "region", None),
                endpoint_url=getattr(args, "endpoint_url", None),
                capacity_mode=capacity,
                **retry_settings(args),
            )
        client = make_client(conn)
    except DdbtuiError:
        if engine is not None:
            engine.stop()
        raise
    return client, conn, engine
