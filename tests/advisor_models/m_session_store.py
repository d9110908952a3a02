"""Session store: sessions with customer and child-session items, and GSI1_inverse (SK, PK) for the reverse
lookups (aws-samples/aws-dynamodb-examples SchemaExamples/SessionManagement)."""

from __future__ import annotations

import random

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan

SAMPLE = Citation(
    "aws-samples-session-store",
    "aws-samples/aws-dynamodb-examples — Session Management Data Modeling with Amazon DynamoDB",
    "https://github.com/aws-samples/aws-dynamodb-examples/tree/master/schema_design/SchemaExamples/SessionManagement",
    "README.md (access-pattern table), SessionManagementSchema.json (commit f215ac6649ba5fc92cbe801b82467db9a0b67459)",
)

ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _sid(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(9))


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    customers = ["c#ABC", "c#XYZ"] + [f"c#C{1000 + i}" for i in range(78)]
    weights = [40.0, 8.0] + [1.0] * 78
    for n in range(320):
        sid = {0: "c342etj3", 1: "d0004tj2"}.get(n) or _sid(rng)
        cust = "c#ABC" if n < 2 else rng.choices(customers, weights)[0]
        state = rng.choices(["active", "closing", "expired"], [55, 15, 30])[0]
        day, hour = rng.randint(1, 31), rng.randint(0, 23)
        month = rng.choice(["04", "05"])
        items.append(
            {
                "PK": f"suuid#{sid}",
                "SK": cust,
                "customer_id": cust[2:],
                "last_login_time": f"2023-{month}-{min(day, 30):02d}T{hour:02d}:{rng.randint(0, 59):02d}:00",
                "access_token": _sid(rng) * 12,
                "session_state": state,
                "device": {
                    "ua": "Mozilla/5.0 " + _sid(rng) * 6,
                    "ip": f"10.0.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                },
            }
        )
        children = ["ert54fbgn", "kljhfytf23"] if n == 0 else [_sid(rng) for _ in range(rng.randint(0, 3))]
        for child in children:
            items.append(
                {
                    "PK": f"suuid#{sid}",
                    "SK": f"child#suuid#{child}",
                    "access_token": _sid(rng) * 12,
                    "session_state": rng.choice(["active", "closing"]),
                }
            )
    return items


MODEL = Model(
    name="session",
    title="Session store (aws-samples schema examples)",
    citations=(SAMPLE,),
    table=Table(pk=("PK", "S"), sk=("SK", "S"), gsis=(("GSI1_inverse", ("SK", "S"), ("PK", "S"), "ALL"),)),
    make_items=make_items,
    patterns=(
        Pattern(
            "session-by-id",
            "getSessionBySessionId",
            naive=scan("PK = 'suuid#c342etj3' AND SK = 'c#ABC'"),
            best=get("PK = 'suuid#c342etj3' AND SK = 'c#ABC'"),
            tags=("get-item",),
            source=SAMPLE.key,
        ),
        Pattern(
            "session-children",
            "getChildSessionsBySessionId",
            naive=scan("PK = 'suuid#c342etj3' AND begins_with(SK, 'child#')"),
            best=query("PK = 'suuid#c342etj3' AND begins_with(SK, 'child#')"),
            tags=("query", "begins-with"),
            source=SAMPLE.key,
        ),
        Pattern(
            "session-by-child",
            "getSessionByChildSessionId",
            naive=scan("SK = 'child#suuid#ert54fbgn'"),
            best=query("SK = 'child#suuid#ert54fbgn'", index="GSI1_inverse"),
            tags=("gsi", "inverted-index"),
            source=SAMPLE.key,
        ),
        Pattern(
            "session-by-customer",
            "getSessionsByCustomerId",
            naive=scan("SK = 'c#ABC'"),
            best=query("SK = 'c#ABC'", index="GSI1_inverse"),
            tags=("gsi", "inverted-index"),
            source=SAMPLE.key,
        ),
        Pattern(
            "session-active-by-customer",
            "A customer's active sessions",
            naive=scan("SK = 'c#ABC' AND session_state = 'active'"),
            best=query("SK = 'c#ABC'", "session_state = 'active'", index="GSI1_inverse"),
            tags=("gsi", "inverted-index", "filter-stays"),
            source=SAMPLE.key,
        ),
        Pattern(
            "session-id-by-customer",
            "getSessionIdByCustomerId (customer and session known)",
            naive=scan("SK = 'c#ABC' AND PK = 'suuid#d0004tj2'"),
            best=query("SK = 'c#ABC' AND PK = 'suuid#d0004tj2'", index="GSI1_inverse"),
            tags=("gsi", "inverted-index"),
            source=SAMPLE.key,
            note="GetItem on the table reads the same single item: 'reads no more' accepts it.",
        ),
    ),
)
