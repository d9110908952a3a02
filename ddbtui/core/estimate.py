"""ddbtui's own capacity figure for one page of a read, from what the page returned.

Emulators report constants (moto: 1.0 for any Query/Scan page), so this is what ddbtui shows there.
Items a filter discarded never reach the client: they are counted at the table's average item size.
"""

from __future__ import annotations

import math
from typing import Any

from ddbtui.core.capacity import ConsumedCapacity, get_item_units, item_size, query_page_units
from ddbtui.core.requests import BuiltRequest


def estimate_read(
    built: BuiltRequest, items: list[dict[str, Any]], scanned_count: int, average_item_size: float | None
) -> ConsumedCapacity:
    """Estimated capacity of one page of ``built`` that returned ``items`` out of ``scanned_count`` read.

    For PartiQL (neither moto nor DynamoDB Local report its capacity, and its plan is hidden: no
    ScannedCount) the figure is a lower bound: the items it returned, priced as one Query page.
    """
    if built.api == "execute_statement":
        units = query_page_units([item_size(it) for it in items], built.consistent)
        return ConsumedCapacity.of_read(units, table_name=built.request.table or None)
    consistent = built.consistent and built.index_kind != "gsi"
    trimmed = "ProjectionExpression" in built.params or built.params.get("Select") == "COUNT"
    sizes = [item_size(it) for it in items]
    if built.api == "get_item":
        units = get_item_units(sizes[0], consistent) if sizes else get_item_units(0, consistent)
    else:
        if trimmed and average_item_size:
            # the items came back cut down; DynamoDB charged for the whole items it read
            sizes = [math.ceil(average_item_size)] * scanned_count
        unseen = max(scanned_count - len(items), 0)
        if unseen and average_item_size and not trimmed:
            sizes += [math.ceil(average_item_size)] * unseen
        units = query_page_units(sizes, consistent)
    return ConsumedCapacity.of_read(
        units, index=built.params.get("IndexName"), table_name=built.request.table
    )
