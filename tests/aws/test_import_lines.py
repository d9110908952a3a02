"""What `ddbtui import` reads before it connects (#21 items 3 and 7): one clear line for a file it cannot
read, and a key twice refused before anything is written."""

from __future__ import annotations

import pytest

from ddbtui.aws.writes import load_jsonl
from ddbtui.aws.writes.importer import read_lines
from ddbtui.core.errors import UsageError
from ddbtui.core.schema import KeySchema, TableSchema

SCHEMA = TableSchema(name="t", key=KeySchema("pk", "sk"), attribute_types={"pk": "S", "sk": "N"})


def test_files_that_cannot_be_read_are_one_line_each(tmp_path):
    with pytest.raises(UsageError, match=r"^--file .*nope: no such file$"):
        read_lines(str(tmp_path / "nope"))
    with pytest.raises(UsageError, match="is a directory, not a JSON Lines file$"):
        read_lines(str(tmp_path))
    binary = tmp_path / "bin"
    binary.write_bytes(b'{"pk": "a", "sk": 1}\n{"pk": "\xff"}\n')
    with pytest.raises(UsageError, match=r"bin line 2: not UTF-8 text \(a binary file\?\)$"):
        read_lines(str(binary))


def test_a_key_twice_is_refused_naming_both_items_numbers_by_value():
    lines = ['{"pk": "a", "sk": 1}\n', "\n", '{"pk": "b", "sk": 1}\n', '{"pk": "a", "sk": 1.0, "x": 2}\n']
    with pytest.raises(UsageError, match="^item 3 has the same key as item 1"):
        load_jsonl(lines, SCHEMA)
    assert load_jsonl(lines[:3], SCHEMA) == [
        {"pk": {"S": "a"}, "sk": {"N": "1"}},
        {"pk": {"S": "b"}, "sk": {"N": "1"}},
    ]
