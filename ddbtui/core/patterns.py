"""The access patterns of the demo data set (and a few anti-patterns), ready to load into the builder.

Pure data. Every value names something that exists in the demo data (``ddbtui.aws.demo_data``): the hot
customer ``CUSTOMER#0042``, the category ``Kitchen``, order ``O-000005``. Key conditions and filters are
in ddbtui's expression language with inline literals, ready for ``--key`` / ``--filter``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Operation = Literal["query", "scan", "get", "sql"]


@dataclass(frozen=True)
class AccessPattern:
    """One request a student can load with one key.

    ``key`` is the key condition (``query``) or the full primary key as equalities joined by AND
    (``get``); ``filter`` a FilterExpression; ``projection`` a comma-separated attribute list;
    ``limit`` DynamoDB's ``Limit`` request parameter, i.e. items *read* per request (the CLI's
    ``--page-size``), not a cap on results; ``statement`` the PartiQL text (``sql``).
    ``better`` is the id of the pattern that does the same job well (for anti-patterns).
    """

    id: str
    title: str
    explanation: str
    table: str
    operation: Operation
    index: str | None = None
    key: str | None = None
    filter: str | None = None
    projection: str | None = None
    limit: int | None = None
    descending: bool = False
    statement: str | None = None
    anti_pattern: bool = False
    better: str | None = None


PATTERNS: tuple[AccessPattern, ...] = (
    AccessPattern(
        id="get-customer",
        title="Get one customer's profile",
        explanation=(
            "GetItem reads exactly one item by its full primary key: the partition key and the sort key. "
            "It is the cheapest read there is: one item, rounded up to 4 KB, half a unit when eventually "
            "consistent."
        ),
        table="Shop",
        operation="get",
        key="pk = 'CUSTOMER#0042' AND sk = 'PROFILE'",
    ),
    AccessPattern(
        id="customer-orders-newest",
        title="A customer's orders, newest first",
        explanation=(
            "The orders live in the customer's partition with sort keys like ORDER#2025-12-31T06:25:33Z#O-1, "
            "so begins_with(sk, 'ORDER#') selects them and skips the profile and the cart. Reading "
            "descending (ScanIndexForward=false) returns the newest first; the date in the sort key is "
            "what makes that order meaningful. This customer is the hot partition: 2,500 orders, many pages."
        ),
        table="Shop",
        operation="query",
        key="pk = 'CUSTOMER#0042' AND begins_with(sk, 'ORDER#')",
        descending=True,
    ),
    AccessPattern(
        id="customer-orders-month",
        title="A customer's orders in one month",
        explanation=(
            "Because the sort key starts with the ISO date, a longer prefix narrows the range: "
            "begins_with(sk, 'ORDER#2025-12') reads only December's orders. DynamoDB reads, and bills, "
            "just those items instead of the whole partition."
        ),
        table="Shop",
        operation="query",
        key="pk = 'CUSTOMER#0042' AND begins_with(sk, 'ORDER#2025-12')",
        descending=True,
    ),
    AccessPattern(
        id="order-lines",
        title="The lines of one order",
        explanation=(
            "Each order has its own partition ORDER#<id> holding one item per line (LINE#01, LINE#02, ...). "
            "A Query on the partition key alone returns the whole item collection in sort-key order."
        ),
        table="Shop",
        operation="query",
        key="pk = 'ORDER#O-000005'",
    ),
    AccessPattern(
        id="customer-by-email",
        title="Find a customer by email (GSI1)",
        explanation=(
            "The table's key is the customer id, not the email. Each profile also writes EMAIL#<email> into "
            "gsi1pk, so a Query on GSI1 finds the customer by email without reading anything else. GSIs are "
            "eventually consistent: a brand-new customer may take a moment to appear."
        ),
        table="Shop",
        operation="query",
        index="GSI1",
        key="gsi1pk = 'EMAIL#emma.kowalski.0001@example.com'",
    ),
    AccessPattern(
        id="orders-by-status-date",
        title="Shipped orders in December (GSI1, BETWEEN)",
        explanation=(
            "Orders put STATUS#<status> in gsi1pk and their date in gsi1sk, so GSI1 groups all shops' orders "
            "by status, sorted by date. BETWEEN on the sort key reads one date range; ISO dates sort as "
            "strings, so '2025-12-01' to '2026-01-01' covers the whole month."
        ),
        table="Shop",
        operation="query",
        index="GSI1",
        key="gsi1pk = 'STATUS#SHIPPED' AND gsi1sk BETWEEN '2025-12-01' AND '2026-01-01'",
        projection="orderId, customerId, orderDate, total",
    ),
    AccessPattern(
        id="open-orders",
        title="Open orders, newest first (GSI1)",
        explanation=(
            "The warehouse dashboard needs every open order. With STATUS#OPEN as a GSI1 partition this is "
            "one Query that reads only the open orders, newest first, instead of a Scan of the whole table."
        ),
        table="Shop",
        operation="query",
        index="GSI1",
        key="gsi1pk = 'STATUS#OPEN'",
        descending=True,
    ),
    AccessPattern(
        id="products-by-category-price",
        title="Kitchen products between 10 and 50 EUR (overloaded GSI1)",
        explanation=(
            "GSI1 is overloaded: products write CATEGORY#<name> and a zero-padded price (PRICE#000012.50) "
            "into the same attributes orders use for their status and date. Zero-padding matters because "
            "gsi1sk is a string: without it '9.99' would sort after '10.00'."
        ),
        table="Shop",
        operation="query",
        index="GSI1",
        key="gsi1pk = 'CATEGORY#Kitchen' AND gsi1sk BETWEEN 'PRICE#000010.00' AND 'PRICE#000050.00'",
        projection="productId, name, price, stock",
    ),
    AccessPattern(
        id="product-reviews-newest",
        title="A product's reviews, newest first",
        explanation=(
            "Reviews live in the product's partition next to its META item, so a product page can read the "
            "product and its reviews together. begins_with(sk, 'REVIEW#') and descending order give the "
            "newest reviews. One review here is hostile input (markup and escape codes): it must show "
            "literally."
        ),
        table="Shop",
        operation="query",
        key="pk = 'PRODUCT#P-0003' AND begins_with(sk, 'REVIEW#')",
        descending=True,
    ),
    AccessPattern(
        id="customer-reviews",
        title="Reviews written by one customer (GSI1)",
        explanation=(
            "Reviews are stored under the product, but each one also writes its author into gsi1pk. GSI1 "
            "turns the relation around, so the same items can be read by author as well as by product."
        ),
        table="Shop",
        operation="query",
        index="GSI1",
        key="gsi1pk = 'CUSTOMER#0140' AND begins_with(gsi1sk, 'REVIEW#')",
    ),
    AccessPattern(
        id="product-stock",
        title="A product's stock in every warehouse (inverted index)",
        explanation=(
            "Stock levels are stored as WAREHOUSE#<code> / PRODUCT#<id>, so one warehouse's stock is a "
            "Query. GSI1 stores the inverse (PRODUCT#<id> / WAREHOUSE#<code>), so one product's stock across "
            "warehouses is a Query too: the adjacency-list pattern."
        ),
        table="Shop",
        operation="query",
        index="GSI1",
        key="gsi1pk = 'PRODUCT#P-0001' AND begins_with(gsi1sk, 'WAREHOUSE#')",
    ),
    AccessPattern(
        id="flagged-items",
        title="Everything flagged for review (sparse index)",
        explanation=(
            "Only items that carry a 'flag' attribute appear in FlaggedIndex: about 1% of the table. "
            "Scanning this sparse index reads just those few items, so it is cheap even though it is a "
            "Scan. It projects only status, total and customerId besides the keys."
        ),
        table="Shop",
        operation="scan",
        index="FlaggedIndex",
    ),
    AccessPattern(
        id="fraud-review-queue",
        title="Orders waiting for a fraud check (sparse index, Query)",
        explanation=(
            "The same sparse index, queried by flag: the fraud team's work queue, oldest first. Clearing "
            "the flag (REMOVE flag) takes the order out of the index automatically."
        ),
        table="Shop",
        operation="query",
        index="FlaggedIndex",
        key="flag = 'FRAUD_REVIEW'",
    ),
    AccessPattern(
        id="big-orders-lsi",
        title="A customer's biggest orders (LSI ByTotal)",
        explanation=(
            "The local secondary index ByTotal keeps the table's partition key but sorts by the number "
            "'total' instead of sk. So 'total > 5000' is a key condition: DynamoDB reads only the big "
            "orders, largest first, rather than filtering all 2,500. LSIs must be created with the table."
        ),
        table="Shop",
        operation="query",
        index="ByTotal",
        key="pk = 'CUSTOMER#0042' AND total > 5000",
        descending=True,
        projection="orderId, orderDate, status, total",
    ),
    AccessPattern(
        id="customer-orders-by-status",
        title="A customer's returned orders (Query + filter)",
        explanation=(
            "The key condition reads the customer's orders; the filter keeps the returned ones. Filtering "
            "happens after the read, so you pay for every order read, not only those returned; for a hot "
            "partition a GSI keyed on customer and status would be cheaper. Without Limit, paging returns "
            "every match."
        ),
        table="Shop",
        operation="query",
        key="pk = 'CUSTOMER#0042' AND begins_with(sk, 'ORDER#')",
        filter="status = 'RETURNED'",
        descending=True,
    ),
    AccessPattern(
        id="partiql-key",
        title="PartiQL SELECT with the partition key",
        explanation=(
            "PartiQL is SQL-like syntax for the same operations. With equality on the partition key in "
            "WHERE, DynamoDB runs it as a Query on that partition; without it, the same SELECT becomes a "
            "full table scan."
        ),
        table="Shop",
        operation="sql",
        statement="SELECT * FROM \"Shop\" WHERE pk = 'CUSTOMER#0002'",
    ),
    AccessPattern(
        id="music-genre-decade",
        title="Jazz from the 1960s (GenreIndex)",
        explanation=(
            "The classic Music table is keyed by Artist and SongTitle. Its GSI GenreIndex is keyed by Genre "
            "and Year (a number), so songs of one genre in a range of years are a Query with BETWEEN. The "
            "index projects AlbumTitle and Price besides the keys."
        ),
        table="Music",
        operation="query",
        index="GenreIndex",
        key="Genre = 'Jazz' AND Year BETWEEN 1960 AND 1969",
    ),
    AccessPattern(
        id="music-artist",
        title="All songs of one artist",
        explanation=(
            "Artist is the partition key of Music, so one Query returns all of an artist's songs. They come "
            "back sorted by SongTitle, the sort key. This is the classic two-attribute key from the AWS "
            "documentation, one item per song."
        ),
        table="Music",
        operation="query",
        key="Artist = 'Miles Ahead Quartet'",
    ),
    # ---- anti-patterns ------------------------------------------------------------------------------
    AccessPattern(
        id="anti-scan-for-customer",
        title="Anti-pattern: Scan + filter for one customer's orders",
        explanation=(
            "This Scan reads every item of the table, over 11,000, and the filter throws almost all of them "
            "away after they have been read and paid for. The filter names the partition key, so a Query "
            "on that partition reads only the matching items."
        ),
        table="Shop",
        operation="scan",
        filter="pk = 'CUSTOMER#0002' AND begins_with(sk, 'ORDER#')",
        anti_pattern=True,
        better="customer-orders-newest",
    ),
    AccessPattern(
        id="anti-scan-open-orders",
        title="Anti-pattern: Scan + filter on status",
        explanation=(
            "Looking for open orders by scanning reads the whole table to keep about a hundred items. GSI1 "
            "already groups orders by status (gsi1pk = 'STATUS#OPEN'), so a Query on the index reads only "
            "those."
        ),
        table="Shop",
        operation="scan",
        filter="status = 'OPEN'",
        anti_pattern=True,
        better="open-orders",
    ),
    AccessPattern(
        id="anti-filter-on-key",
        title="Anti-pattern: filtering on the sort key",
        explanation=(
            "The date range is expressed as a filter on sk, a key attribute, so DynamoDB reads the whole "
            "partition (2,500 orders) before filtering. Real DynamoDB rejects a filter on a key attribute "
            "in a Query; moto accepts it. Put the condition in the key instead: begins_with(sk, "
            "'ORDER#2025-12')."
        ),
        table="Shop",
        operation="query",
        key="pk = 'CUSTOMER#0042'",
        filter="begins_with(sk, 'ORDER#2025-12')",
        anti_pattern=True,
        better="customer-orders-month",
    ),
    AccessPattern(
        id="anti-limit-with-filter",
        title="Anti-pattern: Limit with a filter",
        explanation=(
            "Limit caps the items DynamoDB *reads* per request, before the filter. Here it reads the 10 "
            "newest orders, none of them returned, and answers with 0 items and a LastEvaluatedKey: an "
            "empty page that is not the end. Drop Limit (cap results on the client) or use an index."
        ),
        table="Shop",
        operation="query",
        key="pk = 'CUSTOMER#0042' AND begins_with(sk, 'ORDER#')",
        filter="status = 'RETURNED'",
        limit=10,
        descending=True,
        anti_pattern=True,
        better="customer-orders-by-status",
    ),
    AccessPattern(
        id="anti-partiql-scan",
        title="Anti-pattern: PartiQL SELECT without the partition key",
        explanation=(
            "This looks like a harmless SQL query, but its WHERE clause has no equality on the partition "
            "key, so DynamoDB runs it as a full table scan, billed for every item. Query GSI1 on "
            "STATUS#OPEN instead."
        ),
        table="Shop",
        operation="sql",
        statement="SELECT * FROM \"Shop\" WHERE status = 'OPEN'",
        anti_pattern=True,
        better="open-orders",
    ),
    AccessPattern(
        id="anti-scan-music-genre",
        title="Anti-pattern: Scan Music for one genre",
        explanation=(
            "Scanning the Music table and filtering on Genre reads every song. GenreIndex is keyed by Genre, "
            "so a Query on it reads only that genre's songs, and can narrow the years too."
        ),
        table="Music",
        operation="scan",
        filter="Genre = 'Jazz' AND Year BETWEEN 1960 AND 1969",
        anti_pattern=True,
        better="music-genre-decade",
    ),
)


def by_id(pattern_id: str) -> AccessPattern:
    for p in PATTERNS:
        if p.id == pattern_id:
            return p
    raise KeyError(f"no access pattern {pattern_id!r}")
