"""Writes as ddbtui models them: the write policy, requests turned into boto3 params, optimistic locking
of edits, item diffs, transactions, and the journal's record format. Pure: no boto3, no I/O.

Safety rules (DESIGN §9) live here, so the CLI and the workbench share them:

- Nothing is written unless a ``WritePolicy`` allows the table.
- ``put`` without a condition creates only (``attribute_not_exists(pk)``; the user's ``--condition``
  replaces that check, ``overwrite`` drops it); ``update`` and ``delete`` need the item to exist, AND the
  user's condition, unless ``upsert`` / ``missing_ok``.
- The journal holds what DynamoDB stored, so undo can take it back: PutItem, DeleteItem and edits ask
  for the old image (``ReturnValues=ALL_OLD``); an UpdateItem written as an update expression asks for
  the new one (``ALL_NEW``) and gets the old one from a read its condition pins (``images``). Every
  request asks for ``ReturnConsumedCapacity=INDEXES`` and, when conditional,
  ``ReturnValuesOnConditionCheckFailure=ALL_OLD`` so a conflict shows the item as it is now.

Optimistic locking of an edit (``edit_request``): the edit is sent as an UpdateItem that SETs the
attributes the user changed or added and REMOVEs those they deleted, on the condition that every attribute
of the image as read still has the value read and every attribute the edit adds is still absent. A
PutItem with the same condition would silently drop an attribute someone else added meanwhile (a
condition cannot name attributes it does not know); the UpdateItem leaves such an attribute alone, so
nothing anyone wrote is ever lost. With a version attribute, the condition is ``version = :read`` and the
edit writes ``read + 1``.

DynamoDB caps a condition at 300 operators and 4 KB. An image too large to compare whole (about 150
attributes, fewer with long names) is compared in part: the condition keeps the key, every attribute the
write replaces or removes, and as many others as fit, and the request carries ``precheck``: the executor
reads the item (strongly consistent) just before writing and refuses when it differs from the image as
read. That leaves a window of one round trip in which a change to an attribute the edit does not touch
goes unnoticed (it is never overwritten, only not reported); naming a version attribute closes it.

Layout: ``policy`` (WritePolicy), ``items`` (keys, equality, checks, JSON parsing), ``diff`` (Change,
diff_items), ``requests`` (WriteRequest, put/update/delete), ``images`` (the pinned UpdateItem and its
two images), ``transition`` (edits and undo: image conditions), ``transact`` (TransactWriteItems, rekey),
``journal`` (JournalRecord). Sub-modules import each other, never this package.
"""

from ddbtui.core.writes.diff import Change, diff_items
from ddbtui.core.writes.items import (
    Item,
    check_item,
    items_equal,
    key_identity,
    key_of,
    key_text,
    parse_item,
    parse_key,
)
from ddbtui.core.writes.journal import JournalRecord, params_from_json, params_to_json
from ddbtui.core.writes.policy import WritePolicy
from ddbtui.core.writes.requests import (
    Operation,
    WriteConflict,
    WriteRequest,
    delete_request,
    put_request,
    update_request,
)
from ddbtui.core.writes.transact import (
    MAX_TRANSACTION_ITEMS,
    TransactOp,
    TransactWrite,
    rekey_transaction,
    transact_requests,
)
from ddbtui.core.writes.transition import edit_request, transition_request

__all__ = [
    "MAX_TRANSACTION_ITEMS",
    "Change",
    "Item",
    "JournalRecord",
    "Operation",
    "TransactOp",
    "TransactWrite",
    "WriteConflict",
    "WritePolicy",
    "WriteRequest",
    "check_item",
    "delete_request",
    "diff_items",
    "edit_request",
    "items_equal",
    "key_identity",
    "key_of",
    "key_text",
    "params_from_json",
    "params_to_json",
    "parse_item",
    "parse_key",
    "put_request",
    "rekey_transaction",
    "transact_requests",
    "transition_request",
    "update_request",
]
