"""Table ``Shop``: an online shop in one table (single-table design); see :mod:`ddbtui.aws.demo_data`
for the entities, their keys and indexes, and the known problems the data carries on purpose."""

from __future__ import annotations

import functools
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from ddbtui.aws.demo.common import (
    FIRST,
    LAST,
    NOW,
    NOW_EPOCH,
    _iso,
    _ks,
    _money,
    _past,
    _price_key,
    _rng,
    _slug,
)

N_CUSTOMERS = 250
HOT_CUSTOMER = "0042"
HOT_ORDERS = 2500
N_PRODUCTS = 200
N_SESSIONS = 300
WAREHOUSES = ("FRA1", "DUB1", "IAD1", "NRT1", "GRU1")
CATEGORIES = ("Kitchen", "Books", "Outdoor", "Electronics", "Toys", "Garden", "Apparel", "Office")
ORDER_FLAGS = ("FRAUD_REVIEW", "ADDRESS_CHECK", "PAYMENT_RETRY")

SHOP = "Shop"

TABLE: dict[str, Any] = {
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
}

TTL_ATTRIBUTE = "expiresAt"

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


def generate() -> Iterator[dict[str, Any]]:
    """Every Shop item as plain Python values, in load order (the hot customer last)."""
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
