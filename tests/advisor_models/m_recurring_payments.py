"""Recurring payments: subscriptions (SUB#…) and receipts (REC#<date>#SKU#…) under each account, and two
GSIs with INCLUDE projections for the daily reminder and payment workflows
(aws-samples/aws-dynamodb-examples SchemaExamples/RecurringPayments)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, money, query, scan

SAMPLE = Citation(
    "aws-samples-recurring-payments",
    "aws-samples/aws-dynamodb-examples — Recurring Payments Data Modeling with Amazon DynamoDB",
    "https://github.com/aws-samples/aws-dynamodb-examples/tree/master/schema_design/SchemaExamples/RecurringPayments",
    "README.md (base table and GSI-1/GSI-2 pattern tables), RecurringPaymentsSchema.json "
    "(commit f215ac6649ba5fc92cbe801b82467db9a0b67459)",
)
GUIDE = Citation(
    "guide-recurring-payments",
    "AWS DynamoDB Developer Guide — Recurring payments schema design in DynamoDB",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/data-modeling-schema-recurring-payments.html",
)

REMINDER_INCLUDE = ["SKU", "Email", "NextPaymentDate"]
PAYMENT_INCLUDE = ["Email", "PaymentDay", "PaymentAmount", "SKU", "PaymentDetails"]


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    for a in range(110):
        acc = "ACC#123" if a == 0 else f"ACC#{1000 + a}"
        email = f"billing{a}@example.com"
        for s in range(3 if a == 0 else rng.randint(1, 2)):
            sub, sku = (
                ("123", "999") if (a == 0 and s == 0) else (f"{a * 10 + s}", f"{rng.randint(100, 999)}")
            )
            day = 28 if (a == 0 and s == 0) else rng.randint(1, 28)
            amount = money(rng, 2, 60)
            nxt = datetime(2023, 6, day)
            items.append(
                {
                    "PK": acc,
                    "SK": f"SUB#{sub}#SKU#{sku}",
                    "Email": email,
                    "PaymentDay": day,
                    "PaymentAmount": amount,
                    "LastPaymentDate": (nxt - timedelta(days=31)).strftime("%Y-%m-%dT10:15:39.247Z"),
                    "NextPaymentDate": nxt.strftime("%Y-%m-%d"),
                    "LastReminderDate": (nxt - timedelta(days=38)).strftime("%Y-%m-%dT14:15:39.247Z"),
                    "NextReminderDate": (nxt - timedelta(days=7)).strftime("%Y-%m-%d"),
                    "SKU": sku,
                    "PaymentDetails": {
                        "method": rng.choice(["card", "sepa"]),
                        "token": f"tok_{rng.randint(10**9, 10**10)}",
                    },
                    "CreatedDate": "2022-05-18T09:41:25.856Z",
                }
            )
            for m in range(12 if a == 0 else rng.randint(3, 8)):
                month = 5 - m
                year = 2023 if month >= 1 else 2022
                month = month if month >= 1 else month + 12
                processed = f"{year}-{month:02d}-{day:02d}T10:15:39.247Z"
                items.append(
                    {
                        "PK": acc,
                        "SK": f"REC#{processed}#SKU#{sku}",
                        "Email": email,
                        "SKU": sku,
                        "ProcessedDate": processed,
                        "ProcessedAmount": amount,
                        "TTL": 1700318200 + m,
                    }
                )
    return items


MODEL = Model(
    name="payments",
    title="Recurring payments (aws-samples schema examples)",
    citations=(SAMPLE, GUIDE),
    table=Table(
        pk=("PK", "S"),
        sk=("SK", "S"),
        gsis=(
            (
                "GSI-1",
                ("NextReminderDate", "S"),
                ("LastReminderDate", "S"),
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": REMINDER_INCLUDE},
            ),
            (
                "GSI-2",
                ("NextPaymentDate", "S"),
                ("LastPaymentDate", "S"),
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": PAYMENT_INCLUDE},
            ),
        ),
    ),
    make_items=make_items,
    notes="The sample's INCLUDE lists name PK and SK too; key attributes are always projected, so they are left out.",
    patterns=(
        Pattern(
            "payments-subscriptions",
            "Get all subscriptions for an account",
            naive=query("PK = 'ACC#123'", "attribute_exists(PaymentDay)"),
            best=query("PK = 'ACC#123' AND begins_with(SK, 'SUB#')"),
            tags=("entity-prefix", "query-filter"),
            source=SAMPLE.key,
        ),
        Pattern(
            "payments-receipts",
            "Get all receipts for an account",
            naive=scan("PK = 'ACC#123' AND begins_with(SK, 'REC#')"),
            best=query("PK = 'ACC#123' AND begins_with(SK, 'REC#')"),
            tags=("query", "begins-with"),
            source=SAMPLE.key,
        ),
        Pattern(
            "payments-receipts-month",
            "An account's receipts of one month",
            naive=query("PK = 'ACC#123'", "begins_with(ProcessedDate, '2023-03')"),
            best=query("PK = 'ACC#123' AND begins_with(SK, 'REC#2023-03')"),
            tags=("composite-sort-key", "query-filter"),
            source=SAMPLE.key,
            note="Derived: the receipt sort key is REC#<ProcessedDate>#SKU#<SKU>.",
        ),
        Pattern(
            "payments-reminders",
            "Find accounts needing reminders for a specific date",
            naive=scan("NextReminderDate = '2023-06-21'", project="PK, SK, SKU, Email, NextPaymentDate"),
            best=query(
                "NextReminderDate = '2023-06-21'",
                index="GSI-1",
                project="PK, SK, SKU, Email, NextPaymentDate",
            ),
            tags=("gsi", "include-projection"),
            source=SAMPLE.key,
        ),
        Pattern(
            "payments-due",
            "Find accounts with payments due on a specific date",
            naive=scan("NextPaymentDate = '2023-06-28'", project="PK, SK, Email, PaymentAmount, SKU"),
            best=query(
                "NextPaymentDate = '2023-06-28'", index="GSI-2", project="PK, SK, Email, PaymentAmount, SKU"
            ),
            tags=("gsi", "include-projection"),
            source=SAMPLE.key,
        ),
    ),
)
