"""The Parquet writer's row groups: a full group, a short last one, the nulls of missing attributes."""

from __future__ import annotations

from decimal import Decimal

import pyarrow.parquet as pq

from ddbtui.aws.parquet_writer import write_parquet


def test_row_groups_of_the_given_size_and_every_row_in_order(tmp_path):
    items = [{"pk": {"S": f"k{i}"}, "n": {"N": str(i)}} for i in range(5)]
    items[3]["tag"] = {"S": "only here"}
    out = tmp_path / "t.parquet"
    assert write_parquet(lambda: iter(items), out, ("pk",), row_group=2) == 5
    f = pq.ParquetFile(out)
    assert [f.metadata.row_group(i).num_rows for i in range(f.metadata.num_row_groups)] == [2, 2, 1]
    assert f.read().to_pylist() == [
        {"pk": "k0", "n": Decimal("0"), "tag": None},
        {"pk": "k1", "n": Decimal("1"), "tag": None},
        {"pk": "k2", "n": Decimal("2"), "tag": None},
        {"pk": "k3", "n": Decimal("3"), "tag": "only here"},
        {"pk": "k4", "n": Decimal("4"), "tag": None},
    ]
    assert str(f.schema_arrow.field("n").type) == "decimal128(1, 0)"
    assert oct(out.stat().st_mode & 0o777) == "0o600"


def test_no_items_is_an_empty_file_with_no_columns(tmp_path):
    out = tmp_path / "empty.parquet"
    assert write_parquet(lambda: iter([]), out) == 0
    assert pq.read_table(out).num_rows == 0 and not list(tmp_path.glob("*.tmp"))
