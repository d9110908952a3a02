"""Splitting a condition into the parts of a Query's KeyConditionExpression, and saying why when DynamoDB
would refuse it: ``pk = value`` on the index's partition key, at most one of ``= < <= > >= BETWEEN
begins_with`` on its sort key, joined by AND, with values of the key's type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ddbtui.core.errors import ExprError
from ddbtui.core.expr.ast import (
    Between,
    Compare,
    Function,
    In,
    Literal,
    NameRef,
    Node,
    Not,
    Or,
    Path,
    Size,
    ValueRef,
    ValueSize,
    and_,
    conjuncts,
    walk,
)
from ddbtui.core.expr.compiler import Placeholders, type_name
from ddbtui.core.expr.printer import to_source
from ddbtui.core.schema import IndexSchema

SORT_KEY_OPS = ("=", "<", "<=", ">", ">=", "BETWEEN", "begins_with")
_FLIP = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<=", "<>": "<>"}


@dataclass(frozen=True)
class KeyCondition:
    """A valid key condition: the partition key's value and an optional sort key condition.

    ``partition`` is ``(attribute name, value node)``; ``sort`` is ``(op, value nodes)`` with op one of
    ``= < <= > >= BETWEEN begins_with`` (two values for BETWEEN, one otherwise), or None. Value nodes are
    ``Literal`` or ``ValueRef``, as the user wrote them.
    """

    index: IndexSchema
    partition: tuple[str, Node]
    sort: tuple[str, tuple[Node, ...]] | None = None
    # The paths as written (a #name stays a #name) so that compiling uses the user's placeholders.
    partition_path: Path | None = field(default=None, compare=False, repr=False)
    sort_path: Path | None = field(default=None, compare=False, repr=False)

    @property
    def partition_key(self) -> str:
        """Name of the partition key attribute."""
        return self.partition[0]

    @property
    def sort_key(self) -> str | None:
        """Name of the index's sort key attribute (None when the index has none)."""
        return self.index.key.sort_key

    def to_node(self) -> Node:
        """The key condition as a tree, ready for ``Placeholders.compile``."""
        pk_path = self.partition_path or Path((self.partition[0],))
        node: Node = Compare("=", pk_path, self.partition[1])
        if self.sort is None:
            return node
        sk = self.sort_key
        assert sk is not None
        sk_path = self.sort_path or Path((sk,))
        op, values = self.sort
        if op == "BETWEEN":
            sort_node: Node = Between(sk_path, values[0], values[1])
        elif op == "begins_with":
            sort_node = Function("begins_with", (sk_path, values[0]))
        else:
            sort_node = Compare(op, sk_path, values[0])
        return and_(node, sort_node)


class _Splitter:
    def __init__(
        self,
        index: IndexSchema,
        attribute_types: dict[str, str],
        placeholders: Placeholders | None,
        source: str | None,
    ) -> None:
        self.index = index
        self.types = attribute_types
        self.ph = placeholders or Placeholders()
        self.source = source
        self.pk = index.key.partition_key
        self.sk = index.key.sort_key
        self.where = "the table" if index.name is None else f"index {index.name}"
        keys = ", ".join(index.key.attributes)
        self.keys_note = f"(its keys: {keys})"

    def error(self, message: str, node: Node) -> ExprError:
        return ExprError(message, node.column, self.source)

    def need_pk(self) -> str:
        return f"a Query needs `{self.pk} = value` on the partition key '{self.pk}' of {self.where}"

    def split(self, node: Node) -> KeyCondition:
        partition: tuple[str, Node] | None = None
        partition_path: Path | None = None
        sort: tuple[str, tuple[Node, ...]] | None = None
        sort_path: Path | None = None
        for part in conjuncts(node):
            path, op, values = self.part(part)
            name = self.attribute(path)
            if name == self.pk:
                if op != "=":
                    shown = {"BETWEEN": "BETWEEN", "begins_with": "begins_with()"}.get(op, f"'{op}'")
                    raise self.error(
                        f"{shown} cannot be used on the partition key '{self.pk}': {self.need_pk()} "
                        "(ranges and prefixes work on the sort key only)",
                        part,
                    )
                if partition is not None:
                    raise self.error(
                        f"the partition key '{self.pk}' has two conditions; a Query reads one partition", part
                    )
                self.check_values(name, op, values, part)
                partition, partition_path = (name, values[0]), path
            elif self.sk is not None and name == self.sk:
                if sort is not None:
                    raise self.error(
                        f"the sort key '{self.sk}' has two conditions; DynamoDB allows one (use BETWEEN for a range)",
                        part,
                    )
                if op == "begins_with" and self.types.get(name) not in (None, "S", "B"):
                    raise self.error(
                        f"begins_with() needs a string or binary sort key, but '{name}' is a "
                        f"{type_name(self.types[name])}; use BETWEEN or < > for a range",
                        part,
                    )
                self.check_values(name, op, values, part)
                sort, sort_path = (op, tuple(values)), path
            else:
                raise self.error(
                    f"`{_clip(to_source(part))}` is not on a key of {self.where} {self.keys_note}; "
                    "move it to --filter",
                    part,
                )
        if partition is None:
            raise ExprError(self.need_pk(), None, self.source)
        return KeyCondition(self.index, partition, sort, partition_path, sort_path)

    def part(self, part: Node) -> tuple[Path, str, list[Node]]:
        """(key path, op, values) of one conjunct, or ExprError saying why it cannot be a key condition."""
        move = f"`{_clip(to_source(part))}` cannot be part of a key condition"
        if isinstance(part, Or):
            raise self.error(
                "OR cannot be used in a key condition: a Query reads one partition key value and one sort key "
                "range; run one query per alternative, or put the OR in --filter",
                part,
            )
        if isinstance(part, Not):
            raise self.error(
                f"NOT cannot be used in a key condition; move `{_clip(to_source(part))}` to --filter", part
            )
        if isinstance(part, In):
            raise self.error(
                "IN cannot be used in a key condition (a Query takes `=` on the partition key and one of "
                "= < <= > >= BETWEEN begins_with on the sort key); run one query per value, or move the IN "
                "to --filter",
                part,
            )
        if isinstance(part, Function):
            if part.name != "begins_with":
                raise self.error(f"{move}: only begins_with() is allowed there; move it to --filter", part)
            path = self.key_path(part.args[0], part)
            return path, "begins_with", [self.key_value(part.args[1], part)]
        if isinstance(part, Between):
            path = self.key_path(part.operand, part)
            return path, "BETWEEN", [self.key_value(part.low, part), self.key_value(part.high, part)]
        if isinstance(part, Compare):
            left, right, op = part.left, part.right, part.op
            if any(isinstance(side, Size | ValueSize) for side in (left, right)):
                raise self.error(f"{move}: size() is not allowed there; move it to --filter", part)
            if not isinstance(left, Path) and isinstance(right, Path):
                left, right, op = right, left, _FLIP[op]
            path = self.key_path(left, part)
            if op == "<>":
                raise self.error(
                    f"'<>' cannot be used in a key condition (the sort key takes = < <= > >= BETWEEN "
                    f"begins_with); move `{_clip(to_source(part))}` to --filter",
                    part,
                )
            return path, op, [self.key_value(right, part)]
        raise self.error(f"{move}", part)

    def key_path(self, node: Node, part: Node) -> Path:
        if not isinstance(node, Path):
            raise self.error(
                f"`{_clip(to_source(part))}` compares no key attribute; a key condition compares a key with a value",
                part,
            )
        if len(node.elements) != 1:
            raise self.error(
                f"{to_source(node)} is a nested path; a key condition uses top-level key attributes only "
                f"{self.keys_note}; move `{_clip(to_source(part))}` to --filter",
                node,
            )
        return node

    def key_value(self, node: Node, part: Node) -> Node:
        if isinstance(node, Literal | ValueRef):
            return node
        what = "two attributes" if isinstance(node, Path) else "an attribute with size()"
        raise self.error(
            f"`{_clip(to_source(part))}` compares {what}; a key condition compares a key with a value "
            "(move it to --filter)",
            part,
        )

    def attribute(self, path: Path) -> str:
        top = path.top
        if isinstance(top, NameRef):
            name = self.ph.resolve_name(top)
            if name is None:
                raise ExprError(
                    f'{top.name} is not defined: give it with --names, e.g. --names \'{{"{top.name}": "{self.pk}"}}\'',
                    top.column,
                    self.source,
                )
            return name
        return top

    def value(self, node: Node) -> tuple[str, Any] | None:
        """(type letter, plain value or AttributeValue payload) of a value node, None if unknown."""
        if isinstance(node, Literal):
            return node.type, node.value
        assert isinstance(node, ValueRef)
        av = self.ph.value_of(node)
        if av is None:
            raise ExprError(
                f'{node.name} has no value: give it with --values, e.g. --values \'{{"{node.name}": "text"}}\'',
                node.column,
                self.source,
            )
        kind, payload = next(iter(av.items()))
        return kind, payload

    def check_values(self, name: str, op: str, values: list[Node], part: Node) -> None:
        expected = self.types.get(name)
        typed: list[tuple[str, Any]] = []
        for v in values:
            got = self.value(v)
            assert got is not None
            kind, payload = got
            shown = _clip(to_source(v))
            if kind not in ("S", "N", "B"):
                raise self.error(
                    f"key attribute '{name}' holds strings, numbers or binary; {shown} is a {type_name(kind)}",
                    v,
                )
            if expected is not None and kind != expected:
                raise self.error(
                    f"key attribute '{name}' is {expected} ({type_name(expected)}) but {shown} is {kind} "
                    f"({type_name(kind)})",
                    v,
                )
            if kind in ("S", "B") and len(payload) == 0:
                raise self.error(f"the value for key attribute '{name}' cannot be empty ({shown})", v)
            typed.append((kind, payload))
        if op == "BETWEEN" and typed[0][0] == typed[1][0]:
            low, high = (_order(k, p) for k, p in typed)
            if low > high:
                raise self.error(
                    f"BETWEEN needs the lower bound first: {to_source(values[0])} is greater than "
                    f"{to_source(values[1])}",
                    values[0],
                )
        elif op == "BETWEEN":
            raise self.error(
                f"BETWEEN needs bounds of one type; found {type_name(typed[0][0])} and {type_name(typed[1][0])}",
                values[1],
            )


def _order(kind: str, payload: Any) -> Any:
    # Code-point order of str is UTF-8 byte order, which is how DynamoDB sorts strings.
    return Decimal(payload) if kind == "N" else bytes(payload) if kind == "B" else payload


def _clip(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _key_paths(nodes: Iterable[Node], placeholders: Placeholders | None) -> Iterator[tuple[Path, str]]:
    ph = placeholders or Placeholders()
    for root in nodes:
        for node in walk(root):
            if isinstance(node, Path):
                top = node.top
                name = ph.resolve_name(top) if isinstance(top, NameRef) else top
                if name is not None:
                    yield node, name


def _check_scalar_keys(
    nodes: Iterable[Node],
    attribute_types: dict[str, str],
    placeholders: Placeholders | None,
    source: str | None,
) -> None:
    for path, name in _key_paths(nodes, placeholders):
        if name in attribute_types and len(path.elements) > 1:
            kind = attribute_types[name]
            raise ExprError(
                f"'{name}' is a key attribute and holds a {type_name(kind)}, so {to_source(path)} reaches into "
                "nothing; DynamoDB rejects paths into key attributes",
                path.column,
                source,
            )


def check_filter(
    node: Node,
    attribute_types: dict[str, str],
    query_index: IndexSchema | None = None,
    placeholders: Placeholders | None = None,
    source: str | None = None,
) -> None:
    """Raise ExprError for what DynamoDB refuses in a filter because of the table's keys.

    ``attribute_types`` lists every key attribute of the table and its indexes: a path into one of them
    (``pk.a``, ``sk[0]``) is refused. For a Query pass ``query_index``: its own key attributes cannot be
    in the filter (they belong in the key condition).
    """
    _check_scalar_keys([node], attribute_types, placeholders, source)
    if query_index is None:
        return
    where = "the table" if query_index.name is None else f"index {query_index.name}"
    for path, name in _key_paths([node], placeholders):
        if name in query_index.key.attributes:
            raise ExprError(
                f"'{name}' is a key of {where}, and a Query's filter cannot use the keys it queries by; "
                f"put the condition on '{name}' in the key condition (--key) or Scan instead",
                path.column,
                source,
            )


def check_projection(
    paths: Iterable[Path],
    attribute_types: dict[str, str],
    placeholders: Placeholders | None = None,
    source: str | None = None,
) -> None:
    """Raise ExprError for a projection path into a key attribute (``pk.a``), which DynamoDB refuses."""
    _check_scalar_keys(paths, attribute_types, placeholders, source)


def split_key_condition(
    node: Node,
    index: IndexSchema,
    attribute_types: dict[str, str],
    placeholders: Placeholders | None = None,
    source: str | None = None,
) -> KeyCondition:
    """Check ``node`` as the KeyConditionExpression of a Query on ``index`` and split it into its parts.

    ``attribute_types`` maps key attributes to ``S``/``N``/``B`` (``TableSchema.attribute_types``); pass the
    request's ``placeholders`` so that ``#name`` / ``:value`` references can be resolved and type-checked.
    Raises ExprError saying why DynamoDB would refuse the condition, with a column into ``source``.
    """
    return _Splitter(index, attribute_types, placeholders, source).split(node)
