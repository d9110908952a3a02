"""Update expressions: ``SET a = a + 1, b = if_not_exists(b, 0) REMOVE c[0] ADD n 5 DELETE s <<'x'>>``.

The grammar is DynamoDB's UpdateExpression with the inline literals of the condition language (quoted
strings, numbers, true/false/null, JSON lists and maps, ``b64"..."``), plus sets: ``<<'a', 'b'>>`` anywhere
a value goes (a JSON list stays a list, as in a condition). Trees compile through the
same ``Placeholders`` as the request's condition, so names and values are shared.

Besides parsing and compiling, ``apply_update`` evaluates an update on an item the way DynamoDB does (all
right-hand sides read the item as it was; SET, ADD and DELETE apply before REMOVE, whose list indexes
refer to the list as it was). It serves previews only: what a write stored comes from DynamoDB itself
(``ReturnValues=ALL_NEW``, see ``ddbtui.core.writes.images``), and tests hold the evaluator to DynamoDB
Local's answers on the same updates.

Layout: ``update_ast`` (the tree), ``update_parser`` (parse_update), ``update_compile`` (update_source,
compile_update, check_update), ``update_eval`` (apply_update). This module re-exports them.
"""

from ddbtui.core.expr.update_ast import (
    CLAUSES,
    UPDATE_FUNCTIONS,
    Action,
    Arithmetic,
    SetLiteral,
    UpdateExpression,
    UpdateFunction,
    count_update_operators,
)
from ddbtui.core.expr.update_compile import (
    av_placeholder,
    check_update,
    compile_update,
    path_text,
    update_source,
)
from ddbtui.core.expr.update_eval import apply_update
from ddbtui.core.expr.update_parser import parse_update

__all__ = [
    "CLAUSES",
    "UPDATE_FUNCTIONS",
    "Action",
    "Arithmetic",
    "SetLiteral",
    "UpdateExpression",
    "UpdateFunction",
    "apply_update",
    "av_placeholder",
    "path_text",
    "check_update",
    "compile_update",
    "count_update_operators",
    "parse_update",
    "update_source",
]
