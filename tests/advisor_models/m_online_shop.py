"""Online shop: one table with entity-prefixed sort keys and two overloaded GSIs
(aws-samples/amazon-dynamodb-design-patterns, examples/an-online-shop)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.advisor_models.corpus import (
    Citation,
    Model,
    Pattern,
    Table,
    get,
    money,
    query,
    scan,
    text,
    zipf_weights,
)

SRC = Citation(
    "aws-samples-online-shop",
    "aws-samples/amazon-dynamodb-design-patterns — Online Shop",
    "https://github.com/aws-samples/amazon-dynamodb-design-patterns/tree/master/examples/an-online-shop",
    "README.md (steps 2–15, access-pattern tables), json/AnOnlineShop_13.json "
    "(commit 6dceeaa7818135ef3045f032b6ff93d126f4a539)",
)

G1P, G1S, G2P, G2S = "GSI1-PK", "GSI1-SK", "GSI2-PK", "GSI2-SK"


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    customers = ["c#12345", "c#23456", "c#54321"] + [f"c#{30000 + 17 * i}" for i in range(97)]
    products = ["p#99887", "p#12345"] + [f"p#{40000 + 23 * i}" for i in range(58)]
    warehouses = ["w#12345", "w#12376", "w#20001", "w#20002", "w#20003"]
    for c in customers:
        name = rng.choice(
            ["Samaneh", "Kathleen", "Henrik", "Aiko", "Bruno", "Chidi", "Dana", "Emil", "Farah"]
        )
        items.append(
            {
                "PK": c,
                "SK": c,
                "EntityType": "customer",
                "Email": f"{name.lower()}.{c[2:]}@example.com",
                "Name": name,
                "Address": {"street": text(rng, 30), "city": rng.choice(["Stockholm", "Oslo", "Lund"])},
            }
        )
    for i, p in enumerate(products):
        items.append(
            {
                "PK": p,
                "SK": p,
                "EntityType": "product",
                "Detail": {
                    "name": text(rng, 24),
                    "description": text(rng, 7000 if i < 2 else rng.randint(200, 900)),
                },
                "Price": money(rng, 5, 400),
            }
        )
        chosen = warehouses if i < 2 else rng.sample(warehouses, rng.randint(1, 4))
        for w in chosen:
            items.append(
                {
                    "PK": p,
                    "SK": w,
                    "EntityType": "warehouseItem",
                    G2P: w,
                    G2S: p,
                    "Quantity": rng.randint(0, 500),
                }
            )
    for w in warehouses:
        items.append({"PK": w, "SK": w, "EntityType": "warehouse", "Address": {"street": text(rng, 40)}})

    cust_w = [25.0, 6.0, 4.0] + [1.0] * 97
    prod_w = zipf_weights(len(products), 1.0)
    order_ids = ["o#12345"] + [f"o#{50000 + 13 * i}" for i in range(179)]
    n_id = iter(range(60000, 99999, 7))
    for oi, o in enumerate(order_ids):
        c = "c#12345" if oi == 0 else rng.choices(customers, cust_w)[0]
        when = datetime(2020, 6, 1) + timedelta(minutes=rng.randint(0, 29 * 24 * 60))
        if oi == 0:
            when = datetime(2020, 6, 21, 19, 10)
        items.append({"PK": o, "SK": c, "EntityType": "order", "Date": _stamp(when)})
        lines = (
            products[:2] + rng.sample(products[2:], 22)
            if oi == 0
            else list(dict.fromkeys(rng.choices(products, prod_w, k=rng.randint(1, 5))))
        )
        total = 0
        for k, p in enumerate(lines):
            t = _stamp(when + timedelta(minutes=8 + k))
            qty = rng.randint(1, 6)
            total += qty
            items.append(
                {
                    "PK": o,
                    "SK": p,
                    "EntityType": "orderItem",
                    G1P: p,
                    G1S: t,
                    G2P: c,
                    G2S: f"p#{t}",
                    "Quantity": qty,
                    "Price": money(rng, 5, 400),
                }
            )
        inv = "i#55443" if oi == 0 else f"i#{next(n_id)}"
        inv_t = _stamp(when + timedelta(minutes=8))
        items.append(
            {
                "PK": o,
                "SK": inv,
                "EntityType": "invoice",
                G1P: inv,
                G1S: inv,
                G2P: c,
                G2S: f"i#{inv_t}",
                "Amount": money(rng, 10, 2000),
                "Date": inv_t,
                "Detail": {
                    "Payments": [
                        {
                            "Type": rng.choice(["CreditCard", "GiftCard", "Discount"]),
                            "Amount": money(rng, 1, 500),
                        }
                        for _ in range(rng.randint(1, 3))
                    ]
                },
            }
        )
        n_ship = 4 if oi == 0 else rng.randint(1, 2)
        ships = (["sh#98765", "sh#88899"] if oi == 0 else []) + [f"sh#{next(n_id)}" for _ in range(n_ship)]
        ships = ships[:n_ship]
        for s_i, sh in enumerate(ships):
            w = "w#12345" if s_i == 0 and oi == 0 else rng.choice(warehouses)
            items.append(
                {
                    "PK": o,
                    "SK": sh,
                    "EntityType": "shipment",
                    G1P: sh,
                    G1S: sh,
                    G2P: w,
                    G2S: sh,
                    "Address": {"street": text(rng, 40)},
                    "Type": rng.choice(["Express", "Standard"]),
                    "Date": _stamp(when + timedelta(days=1, minutes=s_i)),
                }
            )
        for k, p in enumerate(lines):
            items.append(
                {
                    "PK": o,
                    "SK": f"shp#{next(n_id)}",
                    "EntityType": "shipmentItem",
                    G1P: ships[k % len(ships)],
                    G1S: p,
                    "Quantity": rng.randint(1, 6),
                }
            )
    return items


MODEL = Model(
    name="shop",
    title="Online shop (aws-samples design patterns)",
    citations=(SRC,),
    table=Table(
        pk=("PK", "S"),
        sk=("SK", "S"),
        gsis=(("GSI1", (G1P, "S"), (G1S, "S"), "ALL"), ("GSI2", (G2P, "S"), (G2S, "S"), "ALL")),
    ),
    make_items=make_items,
    patterns=(
        Pattern(
            "shop-customer",
            "Get customer for a given customerId",
            naive=scan("PK = 'c#12345' AND SK = 'c#12345'"),
            best=get("PK = 'c#12345' AND SK = 'c#12345'"),
            tags=("get-item",),
            source=SRC.key,
        ),
        Pattern(
            "shop-product-inventory",
            "Get a product inventory for all warehouses by a productId",
            naive=query("PK = 'p#99887'", "EntityType = 'warehouseItem'"),
            best=query("PK = 'p#99887' AND begins_with(SK, 'w#')"),
            tags=("entity-prefix", "query-filter"),
            source=SRC.key,
        ),
        Pattern(
            "shop-order-products",
            "Get all products for a given orderId",
            naive=query("PK = 'o#12345'", "EntityType = 'orderItem'"),
            best=query("PK = 'o#12345' AND begins_with(SK, 'p#')"),
            tags=("entity-prefix", "query-filter"),
            source=SRC.key,
        ),
        Pattern(
            "shop-order-invoice",
            "Get invoice for a given orderId",
            naive=scan("PK = 'o#12345' AND EntityType = 'invoice'"),
            best=query("PK = 'o#12345' AND begins_with(SK, 'i#')"),
            tags=("entity-prefix",),
            source=SRC.key,
        ),
        Pattern(
            "shop-product-orders-range",
            "Get all orders for a given productId for a given date range",
            naive=scan(
                "`GSI1-PK` = 'p#99887' AND `GSI1-SK` BETWEEN '2020-06-21T00:00:00' AND '2020-06-21T23:59:00'"
            ),
            best=query(
                "`GSI1-PK` = 'p#99887' AND `GSI1-SK` BETWEEN '2020-06-21T00:00:00' AND '2020-06-21T23:59:00'",
                index="GSI1",
            ),
            tags=("gsi", "overloaded-gsi"),
            source=SRC.key,
        ),
        Pattern(
            "shop-invoice-by-id",
            "Get invoice (and its payments) for a given invoiceId",
            naive=scan("EntityType = 'invoice' AND SK = 'i#55443'"),
            best=query("`GSI1-PK` = 'i#55443' AND `GSI1-SK` = 'i#55443'", index="GSI1"),
            tags=("overloaded-gsi",),
            source=SRC.key,
            note="The naive request knows the invoice id (the item's SK), not its order; GSI1 holds it as GSI1-PK.",
        ),
        Pattern(
            "shop-warehouse-shipments",
            "Get all shipments for a given warehouseId",
            naive=scan("`GSI2-PK` = 'w#12345' AND EntityType = 'shipment'"),
            best=query("`GSI2-PK` = 'w#12345' AND begins_with(`GSI2-SK`, 'sh#')", index="GSI2"),
            tags=("overloaded-gsi", "entity-prefix"),
            source=SRC.key,
        ),
        Pattern(
            "shop-warehouse-inventory",
            "Get inventory of all products for a given warehouseId",
            naive=query("`GSI2-PK` = 'w#12345'", "EntityType = 'warehouseItem'", index="GSI2"),
            best=query("`GSI2-PK` = 'w#12345' AND begins_with(`GSI2-SK`, 'p#')", index="GSI2"),
            tags=("overloaded-gsi", "entity-prefix", "query-filter"),
            source=SRC.key,
        ),
        Pattern(
            "shop-customer-invoices",
            "Get all invoices for a given customerId for a given date range",
            naive=scan(
                "`GSI2-PK` = 'c#12345' AND EntityType = 'invoice' AND Date BETWEEN '2020-06-01' AND '2020-06-15'"
            ),
            best=query(
                "`GSI2-PK` = 'c#12345' AND `GSI2-SK` BETWEEN 'i#2020-06-01' AND 'i#2020-06-15'", index="GSI2"
            ),
            tags=("overloaded-gsi", "composite-sort-key"),
            source=SRC.key,
        ),
    ),
)
