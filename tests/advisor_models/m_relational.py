"""Relational order entry + HR schema in one table: adjacency list, an overloaded GSI-1 on (SK, Data), a
write-sharded GSI-2 on (GSIBucket, Data) and version-prefixed sort keys (AWS DynamoDB Developer Guide)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tests.advisor_models.corpus import (
    Citation,
    Model,
    Pattern,
    Table,
    money,
    queries,
    query,
    scan,
    text,
)

EXAMPLE = Citation(
    "bp-modeling-nosql-B",
    "AWS DynamoDB Developer Guide — Example of modeling relational data in DynamoDB",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-modeling-nosql-B.html",
    "entities, GSI 1 (overloaded), GSI 2 (write-sharded, N = 15), access-pattern table 1–14",
)
OVERLOAD = Citation(
    "bp-gsi-overloading",
    "AWS DynamoDB Developer Guide — Overloading Global Secondary Indexes",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-gsi-overloading.html",
    "Employee_Name / Warehouse_01 / HR_confidential in the sort key, the value in Data",
)
GSI_SHARD = Citation(
    "bp-indexes-gsi-sharding",
    "AWS DynamoDB Developer Guide — Using Global Secondary Index write sharding for selective table queries",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-gsi-sharding.html",
)
VERSIONS = Citation(
    "bp-sort-keys-versions",
    "AWS DynamoDB Developer Guide — Using sort keys for version control",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-sort-keys.html",
    "v0_ prefix holds the latest version",
)

STATUSES = ["OPEN", "SHIPPED", "DELIVERED", "CANCELLED"]
STATUS_W = [20, 45, 30, 5]
TITLES = ["Account Rep", "Warehouse Associate", "Software Engineer", "Analyst", "Manager", "Driver"]
LAST = ["Murphy", "Garcia", "Nguyen", "Okafor", "Schmidt", "Rossi", "Kowalski", "Silva", "Tanaka", "Haddad"]
FIRST = ["John", "Ana", "Minh", "Ada", "Jonas", "Luca", "Ewa", "Rafael", "Yuki", "Omar", "Mary", "Li"]
N_BUCKETS = 15


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    reps: list[str] = []
    for n in range(1, 121):
        emp = f"HR-EMPLOYEE{n}"
        name = "Murphy, John" if n == 1 else f"{rng.choice(LAST)}, {rng.choice(FIRST)} {n}"
        items.append(
            {
                "PK": emp,
                "SK": "Employee_Name",
                "Data": name,
                "EmployeeName": name,
                "Email": f"employee{n}@example.com",
                "Address": {"street": text(rng, 30), "zip": f"{rng.randint(10000, 99999)}"},
            }
        )
        hired = date(2010, 1, 1) + timedelta(days=rng.randint(0, 3200))
        items.append(
            {
                "PK": emp,
                "SK": "HR_confidential",
                "Data": hired.isoformat(),
                "HireDate": hired.isoformat(),
                "Salary": rng.randint(40, 180) * 1000,
                "Notes": text(rng, rng.randint(50, 300)),
            }
        )
        if rng.random() < 0.7:
            wh = rng.choices(
                ["Warehouse_01", "Warehouse_02", "Warehouse_03", "Warehouse_04"], [40, 25, 20, 15]
            )[0]
            items.append({"PK": emp, "SK": wh, "Data": name, "Shift": rng.choice(["day", "night"])})
        versions = 25 if n == 7 else rng.randint(1, 4)
        title = rng.choice(TITLES)
        start = hired
        for v in range(1, versions + 1):
            if v > 1 and rng.random() < 0.4:
                title = rng.choice(TITLES)
            start = start + timedelta(days=rng.randint(60, 400))
            job = {
                "JobVersion": v,
                "JobTitle": title,
                "StartDate": start.isoformat(),
                "Description": text(rng, rng.randint(150, 400)),
            }
            items.append({"PK": emp, "SK": f"v{v}#{title}", "Data": start.isoformat(), **job})
            if v == versions:
                items.append(
                    {
                        "PK": emp,
                        "SK": f"v0#{title}",
                        "Data": start.isoformat(),
                        **job,
                        "JobVersion": 0,
                        "Latest": v,
                    }
                )
        if title == "Account Rep":
            reps.append(emp)
            for q in (1, 2, 3, 4):
                total = money(rng, 1000, 90000)
                items.append(
                    {
                        "PK": emp,
                        "SK": f"2018-Q{q}",
                        "Data": f"{total:012.2f}",
                        "OrderTotal": total,
                        "Rep": name,
                    }
                )
    for w in range(1, 5):
        wid = f"OE-WAREHOUSE{w}"
        items.append(
            {"PK": wid, "SK": wid, "Data": rng.choice(["EMEA", "AMER", "APAC"]), "Address": text(rng, 60)}
        )
    products = [f"OE-PRODUCT{p}" for p in range(1, 41)]
    for p in products:
        inv = {f"OE-WAREHOUSE{w}": rng.randint(0, 400) for w in range(1, 5)}
        items.append(
            {
                "PK": p,
                "SK": p,
                "Data": text(rng, 20),
                "Inventory": inv,
                "TotalInventory": sum(inv.values()),
                "Description": text(rng, rng.randint(200, 700)),
            }
        )
    customers = [f"OE-CUSTOMER{c}" for c in range(1, 81)]
    for c in customers:
        rep = rng.choice(reps) if reps else "HR-EMPLOYEE7"
        if c == "OE-CUSTOMER1":
            rep = "HR-EMPLOYEE7"
        items.append(
            {"PK": c, "SK": rep, "Data": f"Customer {c[11:]}", "Phone": f"+46-{rng.randint(10**7, 10**8)}"}
        )
    cust_w = [30.0] + [1.0] * 79
    for o in range(1, 261):
        oid = f"OE-ORDER{o}"
        cust = rng.choices(customers, cust_w)[0]
        status = rng.choices(STATUSES, STATUS_W)[0]
        when = (date(2018, 1, 1) + timedelta(days=rng.randint(0, 180))).isoformat()
        items.append(
            {
                "PK": oid,
                "SK": cust,
                "Data": f"{status}#{when}",
                "OrderStatus": status,
                "OrderDate": when,
                "GSIBucket": rng.randint(0, N_BUCKETS - 1),
                "Total": money(rng, 20, 3000),
                "ShipTo": {"street": text(rng, 30)},
            }
        )
        for p in rng.sample(products, rng.randint(1, 4)):
            items.append(
                {"PK": oid, "SK": p, "Data": when, "Quantity": rng.randint(1, 9), "Price": money(rng, 2, 300)}
            )
    return items


def _per_status(lo: str, hi: str) -> list[str]:
    return [f"SK = 'OE-CUSTOMER1' AND Data BETWEEN '{s}#{lo}' AND '{s}#{hi}'" for s in STATUSES]


MODEL = Model(
    name="relational",
    title="Relational order entry + HR (AWS Developer Guide)",
    citations=(EXAMPLE, OVERLOAD, GSI_SHARD, VERSIONS),
    table=Table(
        pk=("PK", "S"),
        sk=("SK", "S"),
        gsis=(
            ("GSI-1", ("SK", "S"), ("Data", "S"), "ALL"),
            ("GSI-2", ("GSIBucket", "N"), ("Data", "S"), "ALL"),
        ),
    ),
    make_items=make_items,
    notes="The guide shows the table and its GSIs as pictures; keys and values here follow its text and "
    "access-pattern table (sort keys Employee_Name / HR_confidential / Warehouse_NN / v0#title / 2018-Qn, "
    "order Data = STATUS#DATE, GSIBucket 0–14).",
    patterns=(
        Pattern(
            "rel-employee-name",
            "Query employee details by employee name",
            naive=scan("SK = 'Employee_Name' AND Data = 'Murphy, John'"),
            best=query("SK = 'Employee_Name' AND Data = 'Murphy, John'", index="GSI-1"),
            tags=("overloaded-gsi",),
            source=OVERLOAD.key,
        ),
        Pattern(
            "rel-employee-name-attr",
            "Query employee details by employee name (filtering on the EmployeeName attribute)",
            naive=scan("EmployeeName = 'Murphy, John'"),
            best=query("SK = 'Employee_Name' AND Data = 'Murphy, John'", index="GSI-1"),
            tags=("overloaded-gsi",),
            source=OVERLOAD.key,
            note="EmployeeName exists only on the Employee_Name items, whose Data holds the same value.",
        ),
        Pattern(
            "rel-current-job",
            "Get an employee's current job details only",
            naive=query("PK = 'HR-EMPLOYEE7'", "JobVersion = 0"),
            best=query("PK = 'HR-EMPLOYEE7' AND begins_with(SK, 'v0#')"),
            tags=("composite-sort-key", "query-filter"),
            source=VERSIONS.key,
        ),
        Pattern(
            "rel-customer-orders-range",
            "Get orders for a customer for a date range (one query per status code)",
            naive=scan("SK = 'OE-CUSTOMER1' AND OrderDate BETWEEN '2018-03-01' AND '2018-04-30'"),
            best=queries(_per_status("2018-03-01", "2018-04-30"), index="GSI-1"),
            tags=("overloaded-gsi", "composite-sort-key"),
            source=EXAMPLE.key,
        ),
        Pattern(
            "rel-open-orders",
            "Show all orders in OPEN status for a date range across all customers",
            naive=scan("OrderStatus = 'OPEN' AND OrderDate BETWEEN '2018-03-01' AND '2018-03-31'"),
            best=queries(
                [
                    f"GSIBucket = {b} AND Data BETWEEN 'OPEN#2018-03-01' AND 'OPEN#2018-03-31'"
                    for b in range(N_BUCKETS)
                ],
                index="GSI-2",
            ),
            tags=("gsi-sharding", "composite-sort-key"),
            source=GSI_SHARD.key,
        ),
        Pattern(
            "rel-recent-hires",
            "All employees hired recently",
            naive=scan("SK = 'HR_confidential' AND Data > '2018-01-01'"),
            best=query("SK = 'HR_confidential' AND Data > '2018-01-01'", index="GSI-1"),
            tags=("overloaded-gsi",),
            source=OVERLOAD.key,
        ),
        Pattern(
            "rel-warehouse-staff",
            "Find all employees in a specific warehouse",
            naive=scan("SK = 'Warehouse_01'"),
            best=query("SK = 'Warehouse_01'", index="GSI-1"),
            tags=("overloaded-gsi",),
            source=OVERLOAD.key,
        ),
        Pattern(
            "rel-product-orderitems",
            "Get all order items for a product (with the product's inventory)",
            naive=scan("SK = 'OE-PRODUCT3'"),
            best=query("SK = 'OE-PRODUCT3'", index="GSI-1"),
            tags=("overloaded-gsi", "adjacency-list"),
            source=EXAMPLE.key,
        ),
        Pattern(
            "rel-job-title",
            "Get all employees with a specific (current) job title",
            naive=scan("JobVersion = 0 AND JobTitle = 'Account Rep'"),
            best=query("SK = 'v0#Account Rep'", index="GSI-1"),
            tags=("overloaded-gsi", "composite-sort-key"),
            source=EXAMPLE.key,
        ),
        Pattern(
            "rel-rep-ranking",
            "Get account reps ranked by order total for a sales period",
            naive=scan("SK = '2018-Q1'"),
            best=query("SK = '2018-Q1'", index="GSI-1", desc=True),
            tags=("overloaded-gsi",),
            source=EXAMPLE.key,
        ),
    ),
)
