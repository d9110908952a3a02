"""The demo data set: an online shop in one DynamoDB table, plus a classic music catalogue.

Everything here is deterministic: the same items, byte for byte, on every run and every machine
(``random.Random`` with fixed seeds, one per entity type; a frozen clock). No boto3 import: the items are
plain DynamoDB AttributeValue dicts (``{"pk": {"S": "CUSTOMER#0001"}, "total": {"N": "12.50"}}``) that
any client, a test or a report can use.

The shop's clock is frozen at **2026-01-01T00:00:00Z** (:data:`NOW`). Orders, reviews and sessions lie
before it. TTL values (``expiresAt``, epoch seconds) are either before it (already expired, and they stay
expired forever) or far after it (2035-2040), so the demo shows both kinds for years to come.

Table ``Shop`` - a single-table design
======================================
One table holds every entity of the shop. The partition key ``pk`` and the sort key ``sk`` are generic
strings; each entity type puts a prefixed value in them, so items that are read together share a
partition (an *item collection*) and come back from one Query.

    entity            pk                   sk                                   gsi1pk / gsi1sk (GSI1)
    ----------------  -------------------  -----------------------------------  ----------------------------------
    customer profile  CUSTOMER#0001        PROFILE                              EMAIL#<email> / PROFILE
    cart (TTL)        CUSTOMER#0001        CART                                 -
    order             CUSTOMER#0001        ORDER#2025-03-14T10:22:05Z#O-000123  STATUS#SHIPPED / <date>#<order id>
    order line        ORDER#O-000123       LINE#01                              -
    product           PRODUCT#P-0001       META                                 CATEGORY#Kitchen / PRICE#000012.50
    product media     PRODUCT#P-0007       MEDIA#MANUAL                         -
    review            PRODUCT#P-0001       REVIEW#<date>#<customer id>          CUSTOMER#0001 / REVIEW#<date>
    stock level       WAREHOUSE#FRA1       PRODUCT#P-0001                       PRODUCT#P-0001 / WAREHOUSE#FRA1
    session (TTL)     SESSION#<hex token>  SESSION                              -

* **Customer profile** - name (many scripts: ``Zoë``, ``Łukasz``, ``山田``), email, nested ``address`` map
  with a ``geo`` map, a list of ``addresses``, ``interests`` (string set), ``loyaltyPoints``, a
  ``balance`` that may be negative, ``phone`` that is NULL for some, ``marketingOptIn`` (boolean),
  ``avatarHash`` (binary). Its GSI1 entry makes "find a customer by email" a Query.
* **Cart** - one per customer who has one, in the customer's partition; ``items`` is a list of maps.
  Abandoned carts carry an ``expiresAt`` before NOW (expired), saved carts one far in the future.
* **Order** - in the customer's partition, sort key ``ORDER#<ISO date>#<order id>``: a Query with
  ``begins_with(sk, 'ORDER#')`` lists the orders, oldest first or (descending) newest first, and
  ``begins_with(sk, 'ORDER#2025-12')`` narrows it to one month. ``total`` (a number) is the sort key
  of the LSI ``ByTotal``. Orders carry nested ``shippingAddress``/``payment`` maps, a ``history`` list,
  an ``fx`` map whose ``rate`` has 38 significant digits, a negative ``discount`` when a coupon was used,
  ``couponCode`` NULL otherwise. About 2% are flagged for review (``flag``/``flaggedAt``: the sparse
  index). GSI1 lists them by status and date: ``STATUS#OPEN``, ``STATUS#PAID``, ``STATUS#SHIPPED``,
  ``STATUS#DELIVERED``, ``STATUS#CANCELLED``, ``STATUS#RETURNED``.
* **Order line** - ``ORDER#<id>`` / ``LINE#nn``: the lines of one order are one Query. A line's value
  is ``lineTotal``, not ``total``, so lines stay out of the LSI (which would only grow the index).
* **Product** - ``PRODUCT#<id>`` / ``META`` with ``price``, ``stock``, ``tags`` (string set), ``sizes``
  (number set), ``imageHashes`` (binary set), a binary ``thumbnail``, nested ``specs`` (including the
  extremes of DynamoDB's number range) and ``images`` (a list). GSI1 lists the products of a category
  by price; the price is zero-padded in ``gsi1sk`` (``PRICE#000012.50``) because GSI1's sort key is a
  string and strings sort character by character.
* **Product media** - a few very large items (100-350 KB): a manual (one binary attribute), an image
  gallery (a list of maps holding binaries). They live in the product's partition, so reading that whole
  collection is expensive: a lesson about large items and ``begins_with`` on the sort key.
* **Review** - in the product's partition (a product page reads the product and its newest reviews in
  one Query); GSI1 also lists them by author (``CUSTOMER#<id>`` / ``REVIEW#<date>``). One review is
  hostile user input (markup, ANSI escapes, a bidi override) to show that data is displayed literally;
  one is a huge multibyte text. Reported reviews carry ``flag = 'REVIEW_REPORTED'``.
* **Stock level** - ``WAREHOUSE#<code>`` / ``PRODUCT#<id>``: a warehouse's stock is one Query; GSI1
  inverts the key (``PRODUCT#<id>`` / ``WAREHOUSE#<code>``) so a product's stock in every warehouse is
  one Query too (the adjacency-list pattern).
* **Session** - ``SESSION#<token>`` / ``SESSION`` with ``customerId`` (NULL for guests), a binary
  ``csrfToken``, ``deviceKeys`` (binary set) and ``expiresAt``: most have expired, some are long-lived.

Indexes of Shop
---------------
* ``GSI1`` (``gsi1pk``/``gsi1sk``, projection ALL) - the **overloaded** GSI: five entity types write
  five different kinds of values into the same two attributes, so one index answers five access patterns
  (customer by email, orders by status and date, products by category and price, reviews by author,
  stock by product). Items without ``gsi1pk`` (lines, carts, sessions, media) are not in it.
* ``FlaggedIndex`` (``flag``/``flaggedAt``, projection INCLUDE ``status``, ``total``, ``customerId``) -
  the **sparse** GSI: only the ~1% of items that carry ``flag`` appear in it, so scanning the whole
  index is cheap. Values: ``FRAUD_REVIEW``, ``ADDRESS_CHECK``, ``PAYMENT_RETRY`` (orders) and
  ``REVIEW_REPORTED`` (reviews).
* ``ByTotal`` (``pk``/``total`` number, projection ALL) - the **LSI**: the same partition as the table,
  another sort order: a customer's orders by value (``total > 1000``). Only orders carry ``total``, so
  the LSI is sparse as well: profiles and carts of the same partition are not in it.
* TTL on ``expiresAt`` (carts, sessions). Emulators do not delete expired items; DynamoDB would, within
  days; until then Query/Scan still return them, so the usual filter is ``expiresAt > <now>``.
* A stream (NEW_AND_OLD_IMAGES).

The **hot partition**: customer ``CUSTOMER#0042`` (:data:`HOT_CUSTOMER`, a reseller) has 2,500 orders in
one partition - thousands of items under one partition key, several pages to read, and one order with
an unbounded embedded ``lineItems`` list (a large item) as the anti-pattern it is.

Table ``Music`` - the classic design
====================================
``Artist`` (partition key) / ``SongTitle`` (sort key), as in the AWS documentation: one item per song,
with ``AlbumTitle``, ``Year`` (number), ``Genre``, ``Price``, ``DurationSeconds``, ``Explicit``
(boolean), ``ChartPositions`` (number set), ``Awards`` (string set), ``Credits`` (a map with a list),
``PlayCount`` (large numbers) and ``Remastered`` (NULL or a year). The GSI ``GenreIndex``
(``Genre``/``Year`` number, INCLUDE ``AlbumTitle``, ``Price``) answers "songs of a genre in a range of
years"; the few songs without a genre are not in it.

Layout: the generators live in :mod:`ddbtui.aws.demo`, one module per table (``shop``, ``music``) and
``common`` (clock, seeded generators, AttributeValue conversion); this module is the public face.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from ddbtui.aws.demo import music, shop
from ddbtui.aws.demo.common import HISTORY_DAYS, NOW, NOW_EPOCH, SEED, _to_item
from ddbtui.aws.demo.music import MUSIC
from ddbtui.aws.demo.shop import (
    CATEGORIES,
    HOT_CUSTOMER,
    HOT_ORDERS,
    N_CUSTOMERS,
    N_PRODUCTS,
    N_SESSIONS,
    ORDER_FLAGS,
    SHOP,
    WAREHOUSES,
)

TABLES: list[dict[str, Any]] = [shop.TABLE, music.TABLE]

TTL: dict[str, str] = {SHOP: shop.TTL_ATTRIBUTE}


def table_names() -> list[str]:
    return [t["TableName"] for t in TABLES]


def table_definition(table: str) -> dict[str, Any]:
    for t in TABLES:
        if t["TableName"] == table:
            return t
    raise KeyError(f"no demo table {table!r}; demo tables: {', '.join(table_names())}")


def items(table: str) -> Iterator[dict[str, Any]]:
    """Every item of a demo table, in DynamoDB AttributeValue form, in the order they should be loaded.

    Shop: products and profiles first, then customers' orders and lines customer by customer, the hot
    customer last - so the small, often-used partitions exist early while seeding runs.
    """
    table_definition(table)  # an unknown name raises KeyError here, not on the first next()
    source = shop.generate() if table == SHOP else music.generate()
    return (_to_item(i) for i in source)


# What items() yields; a test checks these against the generator (update them when the data changes).
ITEM_COUNTS: dict[str, int] = {SHOP: 11285, MUSIC: 997}


def item_count(table: str) -> int:
    """Number of items :func:`items` yields for ``table``, without generating them."""
    table_definition(table)
    return ITEM_COUNTS[table]


@functools.cache
def _sizes(table: str, indexes: tuple[Any, ...], key: Any) -> tuple[int, int, tuple[tuple[int, int], ...]]:
    from ddbtui.core.capacity import in_index, index_entry_size, item_size

    count = size = 0
    per_index = [[0, 0] for _ in indexes]
    for item in items(table):
        count += 1
        size += item_size(item)
        for i, idx in enumerate(indexes):
            if in_index(item, idx):
                per_index[i][0] += 1
                per_index[i][1] += index_entry_size(item, key, idx)
    return count, size, tuple((n, b) for n, b in per_index)


def sized_schema(schema: Any) -> Any:
    """A demo table's schema with the ItemCount and TableSizeBytes it has once loaded (per index too).

    Emulators report 0 for both, so capacity estimates would size the items a filter or a projection
    hides from the ones returned; the demo data's own figures make them right. Other tables: unchanged."""
    from dataclasses import replace

    if schema is None or schema.name not in table_names():
        return schema
    indexes = (*schema.gsis, *schema.lsis)
    count, size, per_index = _sizes(schema.name, indexes, schema.key)
    sized = {
        idx.name: replace(idx, item_count=n, size_bytes=b)
        for idx, (n, b) in zip(indexes, per_index, strict=True)
    }
    return replace(
        schema,
        item_count=count,
        size_bytes=size,
        gsis=tuple(sized[g.name] for g in schema.gsis),
        lsis=tuple(sized[x.name] for x in schema.lsis),
    )


__all__ = [
    "CATEGORIES",
    "HISTORY_DAYS",
    "HOT_CUSTOMER",
    "HOT_ORDERS",
    "ITEM_COUNTS",
    "MUSIC",
    "NOW",
    "NOW_EPOCH",
    "N_CUSTOMERS",
    "N_PRODUCTS",
    "N_SESSIONS",
    "ORDER_FLAGS",
    "SEED",
    "SHOP",
    "TABLES",
    "TTL",
    "WAREHOUSES",
    "item_count",
    "items",
    "sized_schema",
    "table_definition",
    "table_names",
]
