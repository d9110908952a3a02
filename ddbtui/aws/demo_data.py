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
"""

from __future__ import annotations

import functools
import random
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

SEED = 20260101
NOW = datetime(2026, 1, 1, tzinfo=UTC)
NOW_EPOCH = int(NOW.timestamp())  # 1767225600
HISTORY_DAYS = 3 * 365

N_CUSTOMERS = 250
HOT_CUSTOMER = "0042"
HOT_ORDERS = 2500
N_PRODUCTS = 200
N_SESSIONS = 300
WAREHOUSES = ("FRA1", "DUB1", "IAD1", "NRT1", "GRU1")
CATEGORIES = ("Kitchen", "Books", "Outdoor", "Electronics", "Toys", "Garden", "Apparel", "Office")
ORDER_FLAGS = ("FRAUD_REVIEW", "ADDRESS_CHECK", "PAYMENT_RETRY")

SHOP = "Shop"
MUSIC = "Music"


def _ks(pk: str, sk: str | None = None) -> list[dict[str, str]]:
    out = [{"AttributeName": pk, "KeyType": "HASH"}]
    if sk:
        out.append({"AttributeName": sk, "KeyType": "RANGE"})
    return out


TABLES: list[dict[str, Any]] = [
    {
        "TableName": SHOP,
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "gsi1pk", "AttributeType": "S"},
            {"AttributeName": "gsi1sk", "AttributeType": "S"},
            {"AttributeName": "flag", "AttributeType": "S"},
            {"AttributeName": "flaggedAt", "AttributeType": "S"},
            {"AttributeName": "total", "AttributeType": "N"},
        ],
        "KeySchema": _ks("pk", "sk"),
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "GSI1",
                "KeySchema": _ks("gsi1pk", "gsi1sk"),
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "FlaggedIndex",
                "KeySchema": _ks("flag", "flaggedAt"),
                "Projection": {
                    "ProjectionType": "INCLUDE",
                    "NonKeyAttributes": ["status", "total", "customerId"],
                },
            },
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": "ByTotal",
                "KeySchema": _ks("pk", "total"),
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    },
    {
        "TableName": MUSIC,
        "AttributeDefinitions": [
            {"AttributeName": "Artist", "AttributeType": "S"},
            {"AttributeName": "SongTitle", "AttributeType": "S"},
            {"AttributeName": "Genre", "AttributeType": "S"},
            {"AttributeName": "Year", "AttributeType": "N"},
        ],
        "KeySchema": _ks("Artist", "SongTitle"),
        "BillingMode": "PAY_PER_REQUEST",
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "GenreIndex",
                "KeySchema": _ks("Genre", "Year"),
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["AlbumTitle", "Price"]},
            },
        ],
    },
]

TTL: dict[str, str] = {SHOP: "expiresAt"}


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
    source = _shop() if table == SHOP else _music()
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


# --------------------------------------------------------------------------------------------------
# Python value -> AttributeValue


def _num(text: str | int | Decimal) -> Decimal:
    return text if isinstance(text, Decimal) else Decimal(str(text))


def _av(v: Any) -> dict[str, Any]:
    if isinstance(v, bool):
        return {"BOOL": v}
    if v is None:
        return {"NULL": True}
    if isinstance(v, str):
        return {"S": v}
    if isinstance(v, int | Decimal):
        return {"N": str(v)}
    if isinstance(v, bytes):
        return {"B": v}
    if isinstance(v, list | tuple):
        return {"L": [_av(x) for x in v]}
    if isinstance(v, dict):
        return {"M": {k: _av(x) for k, x in v.items()}}
    if isinstance(v, set | frozenset):
        elems = sorted(v)  # sets have no order: sort so the output is deterministic
        if not elems:
            raise ValueError("DynamoDB sets cannot be empty")
        if isinstance(elems[0], str):
            return {"SS": elems}
        if isinstance(elems[0], bytes):
            return {"BS": elems}
        return {"NS": [str(x) for x in elems]}
    raise TypeError(f"no AttributeValue for {type(v).__name__}")


_KEY_ATTRIBUTES = frozenset(("pk", "sk", "Artist", "SongTitle"))


def _weight(name: str, value: dict[str, Any]) -> int:
    if name in _KEY_ATTRIBUTES:
        return 0
    kind, v = next(iter(value.items()))
    if kind in ("S", "B"):
        return 1 if len(v) < 200 else 4
    if kind in ("N", "BOOL", "NULL"):
        return 1
    return 2 if kind in ("SS", "NS", "BS") else 3


def _to_item(d: dict[str, Any]) -> dict[str, Any]:
    """AttributeValues, ordered: keys, scalars, sets, lists and maps, long strings and binaries.

    DynamoDB keeps no attribute order; this one reads well and is cheap for moto, which re-measures
    the whole item each time it adds an attribute (big attributes last make that cheaper).
    """
    item = {k: _av(v) for k, v in d.items()}
    return dict(sorted(item.items(), key=lambda kv: _weight(*kv)))


# --------------------------------------------------------------------------------------------------
# helpers


def _rng(section: str) -> random.Random:
    """One generator per entity type, so changing one type does not reshuffle the others."""
    return random.Random(f"{SEED}:{section}")


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _price_key(cents: int) -> str:
    return f"PRICE#{cents // 100:06d}.{cents % 100:02d}"


def _past(rng: random.Random, skew: float = 1.6, max_days: int = HISTORY_DAYS) -> datetime:
    """A moment before NOW, more often recent than old (the shop grows)."""
    age = max_days * rng.random() ** skew
    return NOW - timedelta(seconds=int(age * 86400) + 1)


def _slug(text: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c for c in ascii_ if c.isalnum()) or "user"


FIRST = (
    "Ana", "José", "Zoë", "Łukasz", "Søren", "Ingrid", "Chloé", "Mateo", "Aiko", "太郎", "Olúwaseun",
    "Priya", "Fatima", "Noah", "Emma", "Liam", "Mia", "Björn", "Ελένη", "Дмитрий", "서연", "Minh",
    "Amélie", "Kaito", "Siobhán", "Ömer", "Ayşe", "Raúl", "Jürgen", "François", "Grace", "Wei",
)  # fmt: skip
LAST = (
    "García", "Müller", "Smith", "Nakamura", "山田", "Kowalski", "Østergaard", "O'Brien", "Nguyễn",
    "Papadopoulou", "Иванов", "김", "Dubois", "Rossi", "Silva", "Yılmaz", "Fernández", "Schröder",
    "Novák", "Andersson", "Okafor", "Patel", "Chen", "Jensen",
)  # fmt: skip
CITIES = (
    ("München", "80331", "DE", 48.137, 11.575), ("Kraków", "30-001", "PL", 50.061, 19.937),
    ("São Paulo", "01000-000", "BR", -23.550, -46.633), ("東京都", "100-0001", "JP", 35.689, 139.692),
    ("Zürich", "8001", "CH", 47.376, 8.541), ("Reykjavík", "101", "IS", 64.146, -21.942),
    ("Seattle", "98101", "US", 47.606, -122.332), ("Dublin", "D02", "IE", 53.349, -6.260),
    ("Lyon", "69001", "FR", 45.764, 4.835), ("Sevilla", "41001", "ES", 37.389, -5.984),
    ("Αθήνα", "105 52", "GR", 37.983, 23.727), ("서울", "04524", "KR", 37.566, 126.978),
    ("Hà Nội", "100000", "VN", 21.028, 105.834), ("Cape Town", "8001", "ZA", -33.925, 18.424),
)  # fmt: skip
STREETS = ("Hauptstraße", "ul. Floriańska", "Rua Augusta", "Main St", "Rue de la République", "Calle Sierpes", "Öxnagata")  # fmt: skip
INTERESTS = ("cooking", "hiking", "gadgets", "reading", "gardening", "fashion", "board games", "coffee", "cycling", "photography")  # fmt: skip

NOUNS = {
    "Kitchen": ("Teapot", "Chef's Knife", "Espresso Cup", "Cutting Board", "Crème Brûlée Torch", "Wok", "Spice Rack", "急須 Teapot"),
    "Books": ("Cookbook", "Field Guide", "Novel", "Atlas", "Poetry Collection", "Graphic Novel", "Phrasebook"),
    "Outdoor": ("Tent", "Sleeping Bag", "Headlamp", "Trekking Poles", "Water Filter", "Camp Stove"),
    "Electronics": ("USB-C Hub", "Headphones", "E-Reader", "Smart Plug", "Power Bank", "Webcam", "Thermostat"),
    "Toys": ("Puzzle", "Kite", "Building Blocks", "Plush Fox", "Board Game", "Yo-yo"),
    "Garden": ("Watering Can", "Pruning Shears", "Planter", "Seed Kit", "Hose Reel", "Bird Feeder"),
    "Apparel": ("Rain Jacket", "Wool Socks", "Scarf", "Sneakers", "T-Shirt", "Beanie"),
    "Office": ("Notebook", "Fountain Pen", "Desk Lamp", "Monitor Stand", "Stapler", "Ergonomic Chair"),
}  # fmt: skip
ADJECTIVES = ("Classic", "Nordic", "Compact", "Deluxe", "Eco", "Ærø", "Café", "Urban", "Alpine", "Zen", "Pro", "Mini", "Señor", "Über")  # fmt: skip
COLORS = ("black", "white", "forest green", "ocean blue", "terracotta", "sand", "graphite", "crimson")
REVIEW_TITLES = (
    "Great value", "Exactly as described", "Not what I expected", "Love it! 😍", "Sehr gut", "Très bien",
    "Muy recomendable", "とても良い", "Broke after a week", "Five stars ⭐⭐⭐⭐⭐", "Meh", "Perfect gift 🎁",
)  # fmt: skip
REVIEW_SENTENCES = (
    "Arrived quickly and well packed.", "The colour is a bit darker than in the photos.",
    "Works exactly as advertised.", "Die Qualität ist hervorragend.", "Un peu cher, mais ça vaut le coup.",
    "思ったより小さかったです。", "My kids use it every day 👍", "Customer service replaced it without fuss.",
    "Would buy again.", "Stopped working after two weeks 😞", "Entrega rápida, producto excelente.",
    "Instructions were only in Swedish — ingen fara.", "Fits perfectly.", "Смотрится отлично.",
)  # fmt: skip
HOSTILE_TITLE = "[bold red]BEST[/] mug [@click=app.quit]ever[/]"
HOSTILE_BODY = (
    "Loved it!\x1b[2J\x1b[H\x1b[31m red text\x1b[0m, a bell\x07, a tab\there, a NUL\x00, "
    "a bidi override \u202etxt.exe\u202c and a DEL\x7f. [/oops] [link=https://example.com]click[/link]"
)
USER_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1) Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0", "ShopApp/4.2.0 (Android 15)",
)  # fmt: skip


# --------------------------------------------------------------------------------------------------
# the shop's world (plain Python first, AttributeValues last)


@functools.cache
def _customers() -> tuple[dict[str, Any], ...]:
    rng = _rng("customers")
    out = []
    for n in range(1, N_CUSTOMERS + 1):
        cid = f"{n:04d}"
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, postcode, country, lat, lon = rng.choice(CITIES)
        created = _past(rng, skew=0.8, max_days=4 * 365)
        name = f"{first} {last}"
        if cid == HOT_CUSTOMER:
            first, last, name = "Northwind", "Traders", "Northwind Traders GmbH"
            city, postcode, country, lat, lon = CITIES[0]
        email = f"{_slug(first)}.{_slug(last)}.{cid}@example.com"
        address = {
            "street": f"{rng.choice(STREETS)} {rng.randint(1, 200)}",
            "city": city,
            "postcode": postcode,
            "country": country,
            "geo": {"lat": Decimal(f"{lat + rng.uniform(-0.05, 0.05):.6f}"), "lon": Decimal(f"{lon + rng.uniform(-0.05, 0.05):.6f}")},
        }  # fmt: skip
        out.append(
            {
                "id": cid,
                "name": name,
                "email": email,
                "created": created,
                "address": address,
            }
        )
    return tuple(out)


@functools.cache
def _products() -> tuple[dict[str, Any], ...]:
    rng = _rng("products")
    out = []
    for n in range(1, N_PRODUCTS + 1):
        pid = f"P-{n:04d}"
        category = CATEGORIES[(n - 1) % len(CATEGORIES)]
        noun = rng.choice(NOUNS[category])
        name = f"{rng.choice(ADJECTIVES)} {noun}"
        base = {"Electronics": 8000, "Outdoor": 9000, "Office": 6000}.get(category, 3000)
        cents = int(base * rng.lognormvariate(0, 0.8)) // 10 * 10 + rng.choice((0, 9, 50, 99))
        cents = max(199, min(cents, 249_999))
        out.append({"id": pid, "category": category, "name": name, "cents": cents})
    return tuple(out)


def _profile_item(c: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": f"CUSTOMER#{c['id']}",
        "sk": "PROFILE",
        "type": "customer",
        "customerId": c["id"],
        "name": c["name"],
        "email": c["email"],
        "createdAt": _iso(c["created"]),
        "address": c["address"],
        "addresses": [c["address"]]
        + (
            [{"label": "work", "street": f"{rng.choice(STREETS)} {rng.randint(1, 99)}", "city": rng.choice(CITIES)[0]}]
            if rng.random() < 0.3
            else []
        ),
        "loyaltyPoints": rng.randint(0, 25_000),
        "balance": _money(rng.randint(-5_000, 20_000)),
        "phone": None if rng.random() < 0.35 else f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000000, 9999999)}",
        "marketingOptIn": rng.random() < 0.4,
        "avatarHash": rng.randbytes(16),
        "preferences": {"language": rng.choice(("en", "de", "fr", "ja", "es", "pl")), "currency": rng.choice(("EUR", "USD", "JPY", "GBP")), "darkMode": rng.random() < 0.5},
        "gsi1pk": f"EMAIL#{c['email']}",
        "gsi1sk": "PROFILE",
    }  # fmt: skip
    if rng.random() < 0.7:
        item["interests"] = set(rng.sample(INTERESTS, rng.randint(1, 4)))
    if c["id"] == HOT_CUSTOMER:
        item.update(
            accountType="B2B",
            vatId="DE123456789",
            creditLimit=_money(50_000_000),
            lifetimeValueMicros=Decimal("123456789012345678901234567890"),
        )
    return item


def _product_item(p: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    color = rng.choice(COLORS)
    item: dict[str, Any] = {
        "pk": f"PRODUCT#{p['id']}",
        "sk": "META",
        "type": "product",
        "productId": p["id"],
        "name": p["name"],
        "category": p["category"],
        "price": _money(p["cents"]),
        "currency": "EUR",
        "stock": rng.randint(0, 500),
        "rating": Decimal(f"{rng.uniform(2.5, 5.0):.1f}"),
        "discontinued": rng.random() < 0.05,
        "tags": {
            p["category"].lower(),
            color,
            *rng.sample(("new", "sale", "bestseller", "eco", "gift", "limited"), 2),
        },
        "thumbnail": b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(120, 400)),
        "imageHashes": {rng.randbytes(16) for _ in range(rng.randint(1, 3))},
        "images": [f"https://img.example.com/{p['id']}/{i}.jpg" for i in range(rng.randint(1, 4))],
        "specs": {
            "color": color,
            "weightKg": Decimal(f"{rng.uniform(0.05, 12):.3f}"),
            "dimensionsCm": {"w": rng.randint(2, 120), "h": rng.randint(2, 120), "d": rng.randint(1, 80)},
            "operatingTempC": {"min": -rng.randint(0, 30), "max": rng.randint(30, 60)},
            "materials": rng.sample(
                ("steel", "oak", "cotton", "recycled PET", "ceramic", "glass", "wool"), 2
            ),
        },
        "gsi1pk": f"CATEGORY#{p['category']}",
        "gsi1sk": _price_key(p["cents"]),
    }
    if p["category"] in ("Apparel", "Outdoor"):
        item["sizes"] = set(rng.sample((36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46), 4))
    if p["category"] == "Electronics":
        item["specs"]["calibration"] = {
            "offset": Decimal("-1E-130"),
            "max": Decimal("9.9999999999999999999999999999999999999E+125"),
            "ppm": Decimal("-0.000123400"),
        }
    if rng.random() < 0.1:
        item["discontinuedAt"] = None
    return item


def _cart_item(c: dict[str, Any], products: tuple[dict[str, Any], ...], rng: random.Random) -> dict[str, Any]:
    saved = rng.random() < 0.35
    if saved:  # kept for years
        updated = _past(rng, skew=1.0, max_days=200)
        expires = NOW_EPOCH + rng.randint(9 * 365, 14 * 365) * 86400 + rng.randint(0, 86399)
    else:  # abandoned: 30 days after the last change, already in the past
        expires = NOW_EPOCH - rng.randint(3600, 200 * 86400)
        updated = datetime.fromtimestamp(expires - 30 * 86400, UTC)
    lines = [
        {"productId": p["id"], "name": p["name"], "qty": rng.randint(1, 3), "unitPrice": _money(p["cents"])}
        for p in rng.sample(products, rng.randint(1, 5))
    ]
    return {
        "pk": f"CUSTOMER#{c['id']}",
        "sk": "CART",
        "type": "cart",
        "customerId": c["id"],
        "items": lines,
        "subtotal": sum((x["unitPrice"] * x["qty"] for x in lines), Decimal(0)),
        "savedForLater": saved,
        "updatedAt": _iso(updated),
        "expiresAt": expires,
    }


_STATUS_WEIGHTS = (
    (7, (("OPEN", 70), ("PAID", 30))),
    (21, (("SHIPPED", 80), ("OPEN", 10), ("PAID", 10))),
    (45, (("SHIPPED", 35), ("DELIVERED", 60), ("CANCELLED", 5))),
    (10**9, (("DELIVERED", 85), ("CANCELLED", 8), ("RETURNED", 7))),
)


def _status(rng: random.Random, when: datetime) -> str:
    age = (NOW - when).days
    for limit, weights in _STATUS_WEIGHTS:
        if age < limit:
            names, w = zip(*weights, strict=True)
            return rng.choices(names, w)[0]
    raise AssertionError  # pragma: no cover


class _OrderSeq:
    def __init__(self) -> None:
        self.n = 0

    def next(self) -> str:
        self.n += 1
        return f"O-{self.n:06d}"


def _orders_of(
    c: dict[str, Any],
    count: int,
    products: tuple[dict[str, Any], ...],
    rng: random.Random,
    seq: _OrderSeq,
    b2b: bool = False,
) -> Iterator[dict[str, Any]]:
    """One customer's orders, each followed by its lines (ORDER#<id> partitions)."""
    dates = sorted(_past(rng) for _ in range(count))
    for when in dates:
        oid = seq.next()
        status = _status(rng, when)
        n_lines = rng.choices((1, 2, 3, 4, 5), (62, 22, 9, 5, 2))[0]
        lines = []
        for i, p in enumerate(rng.sample(products, n_lines), start=1):
            qty = rng.randint(1, 40) if b2b else rng.choices((1, 2, 3, 6), (80, 12, 5, 3))[0]
            lines.append((i, p, qty, p["cents"] * qty))
        subtotal = sum(x[3] for x in lines)
        coupon = rng.random() < 0.15
        discount = -(subtotal * rng.choice((5, 10, 15)) // 100) if coupon else 0
        shipping = 0 if subtotal > 5000 else 495
        total = subtotal + discount + shipping
        currency = rng.choices(("EUR", "USD", "GBP", "JPY"), (70, 15, 10, 5))[0]
        order: dict[str, Any] = {
            "pk": f"CUSTOMER#{c['id']}",
            "sk": f"ORDER#{_iso(when)}#{oid}",
            "type": "order",
            "orderId": oid,
            "customerId": c["id"],
            "orderDate": _iso(when),
            "status": status,
            "total": _money(total),
            "subtotal": _money(subtotal),
            "shippingFee": _money(shipping),
            "discount": _money(discount),
            "couponCode": f"SAVE{rng.randint(10, 99)}" if coupon else None,
            "currency": currency,
            "itemCount": sum(x[2] for x in lines),
            "shippingAddress": c["address"],
            "payment": {"method": rng.choice(("card", "paypal", "invoice", "sepa")), "last4": f"{rng.randint(0, 9999):04d}"},
            "history": [{"at": _iso(when), "status": "OPEN"}]
            + ([{"at": _iso(when + timedelta(hours=rng.randint(1, 48))), "status": status}] if status != "OPEN" else []),
            "gsi1pk": f"STATUS#{status}",
            "gsi1sk": f"{_iso(when)}#{oid}",
        }  # fmt: skip
        if currency != "EUR":
            order["fx"] = {"from": "EUR", "to": currency, "rate": Decimal(f"1.{rng.randrange(10**37):037d}")}
        if status in ("SHIPPED", "DELIVERED"):
            order["trackingNumber"] = f"1Z{rng.randrange(16**12):012X}"
        if rng.random() < 0.02:
            order["flag"] = rng.choice(ORDER_FLAGS)
            order["flaggedAt"] = _iso(when + timedelta(minutes=rng.randint(1, 600)))
        if status == "RETURNED":
            order["refund"] = _money(-total)
        yield order
        for i, p, qty, cents in lines:
            yield {
                "pk": f"ORDER#{oid}",
                "sk": f"LINE#{i:02d}",
                "type": "orderLine",
                "orderId": oid,
                "productId": p["id"],
                "productName": p["name"],
                "quantity": qty,
                "unitPrice": _money(p["cents"]),
                "lineTotal": _money(cents),
                "giftWrap": rng.random() < 0.05,
            }


def _bulk_order(c: dict[str, Any], products: tuple[dict[str, Any], ...], seq: _OrderSeq) -> dict[str, Any]:
    """The hot customer's yearly restock: 2,400 lines embedded in one item (~113 KB) - an anti-pattern."""
    rng = _rng("bulk-order")
    when = datetime(2025, 11, 28, 9, 30, 0, tzinfo=UTC)
    oid = seq.next()
    lines = []
    for i in range(2400):
        p = products[i % len(products)]
        qty = rng.randint(1, 24)
        lines.append({"line": i + 1, "productId": p["id"], "qty": qty, "unitPrice": _money(p["cents"])})
    total = sum(x["qty"] * products[i % len(products)]["cents"] for i, x in enumerate(lines))
    return {
        "pk": f"CUSTOMER#{c['id']}",
        "sk": f"ORDER#{_iso(when)}#{oid}",
        "type": "order",
        "orderId": oid,
        "customerId": c["id"],
        "orderDate": _iso(when),
        "status": "DELIVERED",
        "total": _money(total),
        "currency": "EUR",
        "itemCount": sum(x["qty"] for x in lines),
        "lineItems": lines,
        "note": "Bulk restock for the 2025 holiday season - all lines embedded in the order item.",
        "gsi1pk": "STATUS#DELIVERED",
        "gsi1sk": f"{_iso(when)}#{oid}",
    }


def _large_media(products: tuple[dict[str, Any], ...]) -> Iterator[dict[str, Any]]:
    rng = _rng("media")
    manual = products[6]  # P-0007
    yield {
        "pk": f"PRODUCT#{manual['id']}",
        "sk": "MEDIA#MANUAL",
        "type": "media",
        "productId": manual["id"],
        "contentType": "application/pdf",
        "fileName": "manual-de-en-fr-ja.pdf",
        "content": b"%PDF-1.7\n" + rng.randbytes(320_000),
    }
    gallery = products[12]  # P-0013
    yield {
        "pk": f"PRODUCT#{gallery['id']}",
        "sk": "MEDIA#GALLERY",
        "type": "media",
        "productId": gallery["id"],
        "images": [
            {
                "caption": f"View {i + 1} — {c}",
                "width": 640,
                "height": 480,
                "jpeg": b"\xff\xd8\xff\xe0" + rng.randbytes(15_000),
            }
            for i, c in enumerate(COLORS * 2)
        ],
    }


def _reviews(
    products: tuple[dict[str, Any], ...], customers: tuple[dict[str, Any], ...]
) -> Iterator[dict[str, Any]]:
    rng = _rng("reviews")
    for p in products:
        n = rng.choices((0, 1, 2, 3, 5, 8, 12), (15, 20, 20, 15, 15, 10, 5))[0]
        if p["id"] in ("P-0003", "P-0021"):
            n = max(n, 6)
        authors = rng.sample(customers, n)
        for k, c in enumerate(authors):
            when = _past(rng, skew=1.2)
            review: dict[str, Any] = {
                "pk": f"PRODUCT#{p['id']}",
                "sk": f"REVIEW#{_iso(when)}#{c['id']}",
                "type": "review",
                "productId": p["id"],
                "customerId": c["id"],
                "author": c["name"],
                "rating": rng.choices((1, 2, 3, 4, 5), (5, 7, 15, 33, 40))[0],
                "title": rng.choice(REVIEW_TITLES),
                "body": " ".join(rng.sample(REVIEW_SENTENCES, rng.randint(1, 4))),
                "helpfulVotes": rng.randint(0, 300),
                "verifiedPurchase": rng.random() < 0.8,
                "createdAt": _iso(when),
                "gsi1pk": f"CUSTOMER#{c['id']}",
                "gsi1sk": f"REVIEW#{_iso(when)}",
            }
            if p["id"] == "P-0003" and k == 0:
                review.update(title=HOSTILE_TITLE, body=HOSTILE_BODY, rating=5, verifiedPurchase=False)
                review.update(flag="REVIEW_REPORTED", flaggedAt=_iso(when + timedelta(hours=2)))
            elif p["id"] == "P-0021" and k == 0:
                text = "".join(rng.choice(REVIEW_SENTENCES[5:8]) + " " for _ in range(3000))
                review.update(title="詳細なレビュー 📝 (very long)", body=text[:110_000])
            elif rng.random() < 0.02:
                review.update(flag="REVIEW_REPORTED", flaggedAt=_iso(when + timedelta(days=1)))
            if rng.random() < 0.1:
                review["photos"] = {rng.randbytes(8) for _ in range(rng.randint(1, 3))}
            yield review


def _stock(products: tuple[dict[str, Any], ...]) -> Iterator[dict[str, Any]]:
    rng = _rng("stock")
    for w in WAREHOUSES:
        for p in products:
            if rng.random() < 0.55:
                yield {
                    "pk": f"WAREHOUSE#{w}",
                    "sk": f"PRODUCT#{p['id']}",
                    "type": "stock",
                    "warehouse": w,
                    "productId": p["id"],
                    "onHand": rng.randint(0, 900),
                    "reserved": rng.randint(0, 30),
                    "bin": f"{rng.choice('ABCDEFGH')}-{rng.randint(1, 40):02d}-{rng.randint(1, 6)}",
                    "gsi1pk": f"PRODUCT#{p['id']}",
                    "gsi1sk": f"WAREHOUSE#{w}",
                }


def _sessions(customers: tuple[dict[str, Any], ...]) -> Iterator[dict[str, Any]]:
    rng = _rng("sessions")
    for _ in range(N_SESSIONS):
        started = _past(rng, skew=1.0, max_days=120) - timedelta(days=2)
        long_lived = rng.random() < 0.3
        guest = rng.random() < 0.4
        expires = (
            NOW_EPOCH + rng.randint(10 * 365, 14 * 365) * 86400 + rng.randint(0, 86399)
            if long_lived
            else int(started.timestamp()) + rng.choice((1800, 3600, 86400))
        )
        yield {
            "pk": f"SESSION#{rng.randbytes(12).hex()}",
            "sk": "SESSION",
            "type": "session",
            "customerId": None if guest else rng.choice(customers)["id"],
            "startedAt": _iso(started),
            "ip": f"203.0.113.{rng.randint(1, 254)}" if rng.random() < 0.7 else f"2001:db8::{rng.randrange(65536):x}",
            "userAgent": rng.choice(USER_AGENTS),
            "rememberMe": long_lived,
            "csrfToken": rng.randbytes(32),
            "deviceKeys": {rng.randbytes(8) for _ in range(rng.randint(1, 2))},
            "pageViews": rng.randint(1, 80),
            "expiresAt": expires,
        }  # fmt: skip


def _shop() -> Iterator[dict[str, Any]]:
    customers, products = _customers(), _products()
    rng = _rng("shop-entities")
    for p in products:
        yield _product_item(p, rng)
    for c in customers:
        yield _profile_item(c, rng)
    for c in customers:
        if rng.random() < 0.35 or c["id"] == HOT_CUSTOMER:
            yield _cart_item(c, products, rng)
    yield from _large_media(products)
    seq = _OrderSeq()
    orng = _rng("orders")
    hot = None
    for c in customers:
        if c["id"] == HOT_CUSTOMER:
            hot = c
            continue
        count = orng.choices((0, 1, 2, 3, 4, 6, 9, 14), (8, 18, 18, 16, 14, 12, 8, 6))[0]
        yield from _orders_of(c, count, products, orng, seq)
    yield from _reviews(products, customers)
    yield from _stock(products)
    yield from _sessions(customers)
    assert hot is not None
    yield _bulk_order(hot, products, seq)
    yield from _orders_of(hot, HOT_ORDERS - 1, products, _rng("hot-orders"), seq, b2b=True)


# --------------------------------------------------------------------------------------------------
# Music

GENRES = ("Rock", "Jazz", "Pop", "Hip-Hop", "Electronic", "Classical", "Folk", "Metal", "Blues", "K-Pop", "Latin", "Country")  # fmt: skip
GENRE_ERAS = {
    "Rock": (1965, 2020), "Jazz": (1955, 1985), "Pop": (1980, 2025), "Hip-Hop": (1985, 2025),
    "Electronic": (1990, 2025), "Classical": (1955, 2015), "Folk": (1960, 2020), "Metal": (1975, 2020),
    "Blues": (1955, 1995), "K-Pop": (2005, 2025), "Latin": (1970, 2025), "Country": (1960, 2025),
}  # fmt: skip
BAND_ADJ = ("Velvet", "Electric", "Silent", "Golden", "Neon", "Crimson", "Wandering", "Lunar", "Rusty", "Midnight", "Paper", "Glass")  # fmt: skip
BAND_NOUN = ("Foxes", "Engines", "Lanterns", "Harbour", "Orchard", "Satellites", "Owls", "Tide", "Parade", "Mirrors", "Comets")  # fmt: skip
SPECIAL_ARTISTS = (
    ("Sigur Ólöf", "Folk"), ("Nöel & the Ærials", "Rock"), ("Dúo Mañana", "Latin"), ("東京スカイライン", "Electronic"),
    ("Кино Ночь", "Rock"), ("银河 Express", "Pop"), ("빛나는 별", "K-Pop"), ("Miles Ahead Quartet", "Jazz"),
    ("The Blue Note Five", "Jazz"), ("Ella & The Swing Cats", "Jazz"),
)  # fmt: skip
TITLE_A = ("Love", "Night", "River", "Summer", "Ghost", "City", "Heart", "Fire", "Rain", "Dream", "Highway", "Ocean", "Stone", "Morning", "Wild", "Paper")  # fmt: skip
TITLE_B = ("Song", "Blues", "Lights", "Dance", "Waltz", "Train", "Sky", "Echo", "Runaway", "Lullaby", "Anthem", "Serenade", "Drive", "Garden")  # fmt: skip
TITLE_X = ("", "", "", " (Live)", " (Remastered)", " – Radio Edit", " Pt. II", " (Acoustic)", " ♪", " (Demo)")


@functools.cache
def _artists() -> tuple[tuple[str, str], ...]:
    rng = _rng("artists")
    names: dict[str, str] = {a: g for a, g in SPECIAL_ARTISTS}
    while len(names) < 90:
        name = (
            f"The {rng.choice(BAND_ADJ)} {rng.choice(BAND_NOUN)}"
            if rng.random() < 0.6
            else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        )
        names.setdefault(name, rng.choice(GENRES))
    return tuple(names.items())


def _music() -> Iterator[dict[str, Any]]:
    rng = _rng("music")
    for artist, genre in _artists():
        lo, hi = GENRE_ERAS[genre]
        start = rng.randint(lo, max(lo, hi - 10))
        titles: list[str] = []
        n_songs = rng.randint(6, 16)
        while len(titles) < n_songs:
            t = f"{rng.choice(TITLE_A)} {rng.choice(TITLE_B)}{rng.choice(TITLE_X)}"
            if t not in titles:
                titles.append(t)
        albums = [
            f"{rng.choice(TITLE_A)} {rng.choice(('Sessions', 'Vol. 1', 'Stories', 'Tapes', 'Nights', 'Years'))}"
            for _ in range(3)
        ]
        for k, title in enumerate(titles):
            year = min(2025, start + k // 3 + rng.randint(0, 4))
            song: dict[str, Any] = {
                "Artist": artist,
                "SongTitle": title,
                "AlbumTitle": albums[min(k // 5, 2)],
                "Year": year,
                "Price": Decimal(rng.choice(("0.99", "1.29", "1.49"))),
                "DurationSeconds": rng.randint(95, 540 if genre in ("Jazz", "Classical") else 330),
                "Explicit": genre in ("Hip-Hop", "Metal") and rng.random() < 0.5,
                "PlayCount": rng.randint(1_000, 9_999_999_999_999),
                "Isrc": f"{rng.choice(('US', 'GB', 'DE', 'JP', 'KR'))}{rng.randint(100, 999)}{year % 100:02d}{rng.randint(10000, 99999)}",
                "Credits": {"producer": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "writers": [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))]},
            }  # fmt: skip
            if rng.random() > 0.03:  # a few songs have no genre: they are not in GenreIndex
                song["Genre"] = genre
            if rng.random() < 0.25:
                song["ChartPositions"] = set(rng.sample(range(1, 101), rng.randint(1, 4)))
            if rng.random() < 0.08:
                song["Awards"] = set(
                    rng.sample(
                        ("Grammy", "Mercury Prize", "Echo", "Juno", "Gold Disc", "Platinum Disc"),
                        rng.randint(1, 2),
                    )
                )
            if rng.random() < 0.2:
                song["Remastered"] = None if rng.random() < 0.5 else min(2025, year + rng.randint(10, 30))
            yield song
