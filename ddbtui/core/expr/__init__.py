"""The expression language: DynamoDB's condition grammar with inline literals, compiled to placeholders.

``parse_condition`` / ``parse_projection`` build a tree, ``to_source`` writes it back, a ``Placeholders``
per request compiles trees to expression text plus ExpressionAttributeNames/Values, and
``split_key_condition`` checks a tree as a Query key condition.
"""

from __future__ import annotations

from ddbtui.core.expr.ast import (
    ATTRIBUTE_TYPES,
    COMPARATORS,
    FUNCTIONS,
    And,
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
    children,
    conjuncts,
    literal_type,
    or_,
    walk,
)
from ddbtui.core.expr.compiler import Placeholders, to_attribute_value, type_name
from ddbtui.core.expr.keycond import (
    SORT_KEY_OPS,
    KeyCondition,
    check_filter,
    check_projection,
    split_key_condition,
)
from ddbtui.core.expr.parser import parse_condition, parse_operand, parse_projection
from ddbtui.core.expr.printer import literal_source, name_source, to_source
from ddbtui.core.expr.reserved import RESERVED_WORDS, is_reserved

__all__ = [
    "ATTRIBUTE_TYPES",
    "COMPARATORS",
    "FUNCTIONS",
    "RESERVED_WORDS",
    "SORT_KEY_OPS",
    "And",
    "Between",
    "Compare",
    "Function",
    "In",
    "KeyCondition",
    "Literal",
    "NameRef",
    "Node",
    "Not",
    "Or",
    "Path",
    "Placeholders",
    "Size",
    "ValueSize",
    "ValueRef",
    "and_",
    "check_filter",
    "check_projection",
    "children",
    "conjuncts",
    "is_reserved",
    "literal_source",
    "literal_type",
    "name_source",
    "or_",
    "parse_condition",
    "parse_operand",
    "parse_projection",
    "split_key_condition",
    "to_attribute_value",
    "to_source",
    "type_name",
    "walk",
]
