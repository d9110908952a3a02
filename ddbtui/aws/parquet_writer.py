"""Items as a Parquet file (pyarrow, the optional extra ``ddbtui[parquet]``), in row groups, memory bounded.

The items come from a source that can be read twice (the export's staged DynamoDB JSON lines, or the files
of an S3 export): pass 1 decides every column's type (``ddbtui.core.parquet_schema``), pass 2 writes one
row group per ``ROW_GROUP`` items. Memory holds the columns' statistics and one row group, never the table.
Written to a temp file (0600) beside ``out`` and renamed, so ``out`` is never half written.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.parquet_schema import Column, Schema, cell

ROW_GROUP = 10_000
MISSING = "--format parquet needs pyarrow, which is not installed: pip install 'ddbtui[parquet]'"


def require_pyarrow() -> Any:
    """``pyarrow`` and ``pyarrow.parquet``, or a one-line ``UsageError`` saying how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise UsageError(MISSING) from None
    return pyarrow


def arrow_type(pa: Any, col: Column) -> Any:
    kind = col.kind
    if kind == "decimal":
        return pa.decimal128(col.precision, col.scale)
    if kind == "list-decimal":
        return pa.list_(pa.decimal128(col.precision, col.scale))
    if kind.startswith("list-"):
        return pa.list_(pa.binary() if kind == "list-binary" else pa.string())
    return {"binary": pa.binary(), "bool": pa.bool_(), "null": pa.null()}.get(kind, pa.string())


def arrow_schema(pa: Any, columns: list[Column]) -> Any:
    fields = []
    for c in columns:
        meta = {"ddbtui.dynamodb_type": c.dynamodb_type}
        if c.encoding:
            meta["ddbtui.encoding"] = c.encoding
        fields.append(pa.field(c.name, arrow_type(pa, c), nullable=True, metadata=meta))
    return pa.schema(fields)


def write_parquet(
    items: Callable[[], Iterable[dict[str, Any]]],
    out: Path,
    key_attributes: tuple[str, ...] = (),
    row_group: int = ROW_GROUP,
) -> int:
    """Write the items ``items()`` yields (called twice: DynamoDB AttributeValue items) to ``out``.

    Returns the number of rows."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    schema = Schema()
    for it in items():
        schema.observe(it)
    columns = schema.columns(key_attributes)
    arrow = arrow_schema(pa, columns)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    rows = 0
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as f:
            writer = pq.ParquetWriter(f, arrow)
            try:
                # column-wise, prefilled with nulls: a cell is made only for an attribute the item has
                # (a sparse table of 80 columns and 14 attributes an item costs 14 cells, not 80)
                index = {c.name: i for i, c in enumerate(columns)}
                data = [[None] * row_group for _ in columns]
                n = 0

                def flush() -> None:
                    arrays = [
                        pa.array(col if n == row_group else col[:n], type=fld.type)
                        for col, fld in zip(data, arrow, strict=True)
                    ]
                    writer.write_table(pa.Table.from_arrays(arrays, schema=arrow), row_group_size=row_group)

                for it in items():
                    for name, av in it.items():
                        i = index[name]
                        data[i][n] = cell(columns[i], av)
                    n += 1
                    rows += 1
                    if n == row_group:
                        flush()
                        data = [[None] * row_group for _ in columns]
                        n = 0
                if n or rows == 0:
                    flush()
            finally:
                writer.close()
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return rows


def ddb_json_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The items of a file of DynamoDB JSON lines (the export's staging file)."""
    with path.open("rb") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def staged_to_parquet(staging: Path, out: Path, key_attributes: tuple[str, ...]) -> int:
    return write_parquet(lambda: ddb_json_lines(staging), out, key_attributes)
