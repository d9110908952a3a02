"""Code for a request built in ddbtui: the boto3 client call, the AWS CLI command, the PartiQL statement and
the ddbtui command line, each as plain text with the name of a Pygments lexer (highlighting is the UI's).

The boto3 code uses the exact params ddbtui sends (``BuiltRequest.params``: ExpressionAttributeNames and
Values in AttributeValue form, binary as ``bytes`` literals) and pages with ``LastEvaluatedKey`` /
``NextToken`` as ddbtui's runner does. The CLI command passes the same params as flags, JSON for the maps
(binary in base64, which is what AWS CLI v2 expects) and quotes every argument with ``shlex.quote``. The
PartiQL statement exists only when one means exactly the same (see ``ddbtui.core.partiql``).

Characters that could disguise code in a terminal or an editor (control, bidi and zero-width characters)
are written as ``\\uXXXX`` escapes inside strings, which Python, JSON and PartiQL's double-quoted names all
read back as the same character.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ddbtui.core.advisor import CannotAdvise, analyse
from ddbtui.core.errors import ExprError, UsageError
from ddbtui.core.partiql import parameters_text, to_partiql
from ddbtui.core.requests import BuiltRequest, ReadRequest
from ddbtui.core.schema import TableSchema

WIDTH = 100

_DISGUISING = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]"
)


@dataclass(frozen=True)
class Snippet:
    """One rendering of a request: a title for the tab, a Pygments lexer name, and the code."""

    title: str
    language: str
    code: str
    note: str | None = None


def _visible(text: str) -> str:
    """Escape characters that hide or reorder text; only call on JSON/Python string literal bodies."""
    return _DISGUISING.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# ================================================================================================ Python


def _py_str(text: str) -> str:
    # JSON's string escapes are a subset of Python's, so json.dumps gives a valid Python literal.
    return _visible(json.dumps(text, ensure_ascii=False))


def py_literal(value: Any, indent: int = 0, width: int = WIDTH, lead: int = 0) -> str:
    """``value`` (dicts, lists, str, bytes, numbers, bools, None) as Python source, on one line when it
    fits in ``width`` (after ``indent`` spaces and ``lead`` characters before it), else one element per
    line."""
    flat = _py_flat(value)
    if indent + lead + len(flat) + 1 <= width or not isinstance(value, dict | list | tuple) or not value:
        return flat
    pad = " " * (indent + 4)
    if isinstance(value, dict):
        rows = []
        for k, v in value.items():
            head = f"{_py_str(str(k))}: "
            rows.append(f"{pad}{head}{py_literal(v, indent + 4, width, len(head))},")
        return "{\n" + "\n".join(rows) + "\n" + " " * indent + "}"
    rows = [f"{pad}{py_literal(v, indent + 4, width)}," for v in value]
    return "[\n" + "\n".join(rows) + "\n" + " " * indent + "]"


def _py_flat(value: Any) -> str:
    if isinstance(value, str):
        return _py_str(value)
    if isinstance(value, bytes | bytearray):
        return repr(bytes(value))
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if isinstance(value, Decimal):
        return f'Decimal("{value}")'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_py_str(str(k))}: {_py_flat(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_py_flat(v) for v in value) + "]"
    raise TypeError(f"no Python literal for {type(value).__name__}")


def boto3_code(built: BuiltRequest) -> str:
    """A runnable boto3 script for ``built``: the client call with ddbtui's exact params, paging until
    DynamoDB has no more (or ``--limit`` / ``--max-pages`` say stop), leaving the items in ``items``."""
    req = built.request
    api = built.api
    params = dict(built.params)
    lines = ["import boto3", ""]
    segments = req.segments if api == "scan" and req.segments > 1 else 1
    if segments > 1:
        lines[0:0] = ["from concurrent.futures import ThreadPoolExecutor", ""]
    lines += [
        'client = boto3.client("dynamodb")',
        f"params = {py_literal(params, lead=len('params = '))}",
        "",
    ]
    if api == "get_item":
        lines += [
            "response = client.get_item(**params)",
            'item = response.get("Item")  # None when there is no such item',
            "items = [item] if item else []",
        ]
    elif segments > 1:
        lines += _segment_loop(api, segments, req)
    else:
        token, start = (
            ("NextToken", "NextToken")
            if api == "execute_statement"
            else ("LastEvaluatedKey", "ExclusiveStartKey")
        )
        head = "while True:" if not req.max_pages else f"for _ in range({req.max_pages}):  # --max-pages"
        lines += ["items = []", head, f"    page = client.{api}(**params)", '    items.extend(page["Items"])']
        if req.limit:
            lines += [
                f"    if len(items) >= {req.limit}:  # --limit",
                f"        del items[{req.limit}:]",
                "        break",
            ]
        lines += [
            f'    if "{token}" not in page:',
            "        break",
            f'    params["{start}"] = page["{token}"]',
        ]
    lines += ["", "for item in items:", "    print(item)"]
    return "\n".join(lines) + "\n"


def _segment_loop(api: str, segments: int, req: ReadRequest) -> list[str]:
    lines = [
        "",
        "def scan_segment(segment):",
        f"    seg_params = dict(params, Segment=segment, TotalSegments={segments})",
        "    found = []",
        "    while True:",
        f"        page = client.{api}(**seg_params)",
        '        found.extend(page["Items"])',
        '        if "LastEvaluatedKey" not in page:',
        "            return found",
        '        seg_params["ExclusiveStartKey"] = page["LastEvaluatedKey"]',
        "",
        "",
        f"with ThreadPoolExecutor(max_workers={segments}) as pool:",
        f"    items = [item for part in pool.map(scan_segment, range({segments})) for item in part]",
    ]
    if req.limit:
        lines.append(f"items = items[:{req.limit}]  # --limit")
    return lines


# ================================================================================================ AWS CLI

_CLI_API = {
    "query": "query",
    "scan": "scan",
    "get_item": "get-item",
    "execute_statement": "execute-statement",
}


def _cli_json(value: Any) -> str:
    """JSON for a CLI argument: binary as base64 (AWS CLI v2's default ``cli_binary_format``)."""

    def plain(v: Any) -> Any:
        if isinstance(v, bytes | bytearray):
            return base64.b64encode(bytes(v)).decode("ascii")
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        return v

    return _visible(json.dumps(plain(value), ensure_ascii=False, separators=(",", ":")))


def aws_cli(built: BuiltRequest) -> str:
    """The ``aws dynamodb …`` command for ``built``, one flag per line, each value quoted for a POSIX shell.

    The CLI pages Query and Scan itself: ``Limit`` becomes ``--page-size`` and ``--limit`` ``--max-items``.
    ExecuteStatement returns one page: the comment says how to ask for the next.
    """
    req, p = built.request, built.params
    args: list[tuple[str, str | None]] = []
    simple = {
        "TableName": "--table-name",
        "IndexName": "--index-name",
        "KeyConditionExpression": "--key-condition-expression",
        "FilterExpression": "--filter-expression",
        "ProjectionExpression": "--projection-expression",
        "Statement": "--statement",
        "Select": "--select",
    }
    for name, flag in simple.items():
        if name in p:
            args.append((flag, str(p[name])))
    for name, flag in (
        ("ExpressionAttributeNames", "--expression-attribute-names"),
        ("ExpressionAttributeValues", "--expression-attribute-values"),
        ("Key", "--key"),
        ("Parameters", "--parameters"),
    ):
        if name in p:
            args.append((flag, _cli_json(p[name])))
    if p.get("ConsistentRead"):
        args.append(("--consistent-read", None))
    if p.get("ScanIndexForward") is False:
        args.append(("--no-scan-index-forward", None))
    comments: list[str] = []
    if "Limit" in p:
        args.append(("--limit" if built.api == "execute_statement" else "--page-size", str(p["Limit"])))
    if req.limit and built.api in ("query", "scan"):
        args.append(("--max-items", str(req.limit)))
    if req.max_pages and built.api in ("query", "scan"):
        comments.append(f"# --max-pages {req.max_pages}: the CLI reads every page; stop it with --max-items")
    if "ReturnConsumedCapacity" in p:
        args.append(("--return-consumed-capacity", str(p["ReturnConsumedCapacity"])))
    args.append(("--output", "json"))
    segments = req.segments if built.api == "scan" and req.segments > 1 else 1
    if segments > 1:
        args += [("--segment", '"$segment"'), ("--total-segments", str(segments))]
    if built.api == "execute_statement":
        comments.append(
            "# one page per call: repeat with --next-token <NextToken> while the response has one"
        )
    if any(_has_binary(p.get(k)) for k in ("ExpressionAttributeValues", "Key", "Parameters")):
        comments.append(
            "# binary values are base64, as AWS CLI v2 reads them (v1 would send the base64 text as the bytes)"
        )
    parts = [f"aws dynamodb {_CLI_API[built.api]}"]
    for flag, value in args:
        if value is None:
            parts.append(flag)
        elif value == '"$segment"':
            parts.append(f"{flag} {value}")
        else:
            parts.append(f"{flag} {shlex.quote(value)}")
    indent = "    " if segments > 1 else ""
    body = (" \\\n" + indent + "  ").join(parts)
    if segments > 1:
        body = f"for segment in {' '.join(str(s) for s in range(segments))}; do\n{indent}{body}\ndone"
    return "\n".join([*comments, body]) + "\n"


def _has_binary(value: Any) -> bool:
    if isinstance(value, dict):
        return any(k in ("B", "BS") or _has_binary(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_binary(v) for v in value)
    return False


def create_gsi_cli(table: str, definition: dict[str, Any]) -> str:
    """``aws dynamodb update-table`` that creates the GSI the advisor proposes (``index_definition``)."""
    parts = [
        "aws dynamodb update-table",
        f"--table-name {shlex.quote(table)}",
        f"--attribute-definitions {shlex.quote(_cli_json(definition['AttributeDefinitions']))}",
        f"--global-secondary-index-updates {shlex.quote(_cli_json([{'Create': definition['Create']}]))}",
    ]
    return " \\\n  ".join(parts) + "\n"


# ================================================================================================ PartiQL


def partiql(request: ReadRequest, schema: TableSchema | None = None) -> str | None:
    """The PartiQL SELECT that reads exactly what ``request`` reads, or None when there is none.

    Query, Scan and GetItem translate (``SELECT … FROM "T"."I" WHERE key AND filter``, ``ORDER BY sk DESC``
    for a descending Query); a PartiQL request is its own statement. None for binary values, nested
    projection paths, a descending Query projecting no partition key, and anything that does not parse.
    ConsistentRead, Limit and --limit are parameters of
    ExecuteStatement or of the client, not of the statement.
    """
    if request.operation == "sql":
        return request.statement
    if schema is None:
        return None
    try:
        a = analyse(request, schema)
    except (ExprError, UsageError, CannotAdvise, ValueError):
        return None
    where = [*a.key, *a.filter]
    sk = a.reads.key.sort_key if request.operation == "query" else None
    if sk and request.descending and a.projection:
        shown = {p.elements[0] for p in a.projection}
        if a.reads.key.partition_key not in shown:
            # DynamoDB Local 3.3 fails (HTTP 500) on ORDER BY … DESC with a projection that lacks the
            # partition key; ddbtui offers no statement it cannot check
            return None
    return to_partiql(
        schema.name,
        a.reads.name if request.operation != "get" else None,
        where,
        a.projection,
        order_by=sk,
        descending=request.descending,
    )


# ================================================================================================ ddbtui


def _sh(text: str) -> str:
    """Shell quoting that reads well: bare, '…', or "…" when the text has single quotes but nothing a
    double-quoted string would expand; shlex.quote otherwise."""
    if text and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", text):
        return text
    if "'" not in text:
        return f"'{text}'"
    if not re.search(r'["$`\\!]', text):
        return f'"{text}"'
    return shlex.quote(text)


def ddbtui_command(request: ReadRequest) -> str:
    """The ``ddbtui`` command line that runs ``request`` (one line, quoted for a POSIX shell)."""
    r = request
    if r.operation == "sql":
        parts = ["ddbtui sql", _sh(r.statement or "")]
        if r.parameters:  # DynamoDB JSON: the one form that keeps every type (sets, binary) as sent
            parts += ["--params", _sh(parameters_text(r.parameters))]
    else:
        parts = [f"ddbtui {r.operation}", _sh(r.table)]
        if r.index:
            parts += ["--index", _sh(r.index)]
        if r.key:
            parts += ["--key", _sh(r.key)]
        if r.filter:
            parts += ["--filter", _sh(r.filter)]
        if r.projection:
            parts += ["--project", _sh(r.projection)]
        if r.descending:
            parts.append("--desc")
        if r.segments and r.segments > 1:
            parts += ["--segments", str(r.segments)]
    if r.consistent:
        parts.append("--consistent")
    for flag, value in (("--limit", r.limit), ("--page-size", r.page_size), ("--max-pages", r.max_pages)):
        if value:
            parts += [flag, str(value)]
    if r.names and r.operation != "sql":
        parts += ["--names", _sh(json.dumps(r.names, ensure_ascii=False))]
    if r.values and r.operation != "sql":
        parts += ["--values", _sh(json.dumps(r.values, ensure_ascii=False, default=str))]
    return " ".join(parts)


# ================================================================================================ all


def snippets(built: BuiltRequest, schema: TableSchema | None = None) -> list[Snippet]:
    """Every rendering of ``built``: boto3, AWS CLI, PartiQL (when one is exact) and ddbtui."""
    out = [
        Snippet("boto3", "python", boto3_code(built)),
        Snippet("AWS CLI", "bash", aws_cli(built)),
    ]
    statement = partiql(built.request, schema)
    if statement is not None:
        note = None
        r = built.request
        if built.api != "execute_statement" and (r.consistent or r.page_size or r.limit or r.max_pages):
            note = (
                "ConsistentRead and Limit are parameters of ExecuteStatement, and --limit / --max-pages are the "
                "client's: none of them is part of the statement."
            )
        out.append(Snippet("PartiQL", "sql", statement + "\n", note))
    out.append(Snippet("ddbtui", "bash", ddbtui_command(built.request) + "\n"))
    return out
