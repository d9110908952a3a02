"""Coverage-guided fuzzing of the text parsers with atheris (not collected by pytest).

    python tests/fuzz_atheris.py -runs=200000        # bounded; prints the case count at the end
    python tests/fuzz_atheris.py -max_total_time=60

Each input is routed by its first byte to one parser: condition expressions, update expressions, JSON
items (plain and DynamoDB JSON), PartiQL. Anything but a DdbtuiError is a crash atheris reports.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from ddbtui.core.errors import DdbtuiError
    from ddbtui.core.expr import Placeholders, parse_condition, parse_projection, to_source
    from ddbtui.core.expr.update import apply_update, parse_update, update_source
    from ddbtui.core.requests import ReadRequest, build
    from ddbtui.core.writes import parse_item

CASES = {"n": 0}
ITEM = {"pk": {"S": "k"}, "a": {"N": "1"}, "l": {"L": [{"S": "x"}]}}


def one(data: bytes) -> None:
    CASES["n"] += 1
    if not data:
        return
    route, text = data[0] % 5, data[1:].decode("utf-8", "replace")
    try:
        if route == 0:
            node = parse_condition(text)
            assert parse_condition(to_source(node)) == node
            Placeholders().compile(node, text)
        elif route == 1:
            parse_projection(text)
        elif route == 2:
            update = parse_update(text)
            assert parse_update(update_source(update)) == update
            apply_update(dict(ITEM), update, None, text)
        elif route == 3:
            parse_item(text, ddb_json=bool(data[0] & 8))
        else:
            build(ReadRequest(operation="sql", statement=text), None)
    except DdbtuiError:
        pass


def main() -> None:
    import atexit

    atexit.register(lambda: print(f"atheris: {CASES['n']:,} cases", file=sys.stderr))
    atheris.Setup(sys.argv, one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
