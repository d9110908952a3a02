"""Complaint management: complaint metadata and communications in one partition, and three GSIs — by
customer, by escalation agent, by communicating agent (aws-samples/aws-dynamodb-examples
SchemaExamples/ComplainManagement). Includes the design's one documented Scan (severity and state)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, query, scan, text

SAMPLE = Citation(
    "aws-samples-complaints",
    "aws-samples/aws-dynamodb-examples — Complaint Management System Data Modeling with Amazon DynamoDB",
    "https://github.com/aws-samples/aws-dynamodb-examples/tree/master/schema_design/SchemaExamples/ComplainManagement",
    "README.md (access-pattern table), ComplaintManagementSchema.json (commit f215ac6649ba5fc92cbe801b82467db9a0b67459)",
)

STATES = ["waiting", "assigned", "investigating", "resolved"]
AGENTS = ["AgentA", "AgentB", "AgentC"] + [f"Agent{n}" for n in range(10, 19)]


def _t(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    customers = ["custXYZ", "custABC", "custXY32"] + [f"cust{n}" for n in range(1000, 1117)]
    cust_w = [20.0, 5.0, 3.0] + [1.0] * 117
    for n in range(300):
        cid = "Complaint123" if n == 0 else f"Complaint{2000 + n * 3}"
        created = datetime(2023, 1, 1) + timedelta(minutes=rng.randint(0, 180 * 24 * 60))
        comms = 24 if n == 0 else rng.randint(0, 5)
        state_i = 0
        t = created
        for k in range(comms):
            t += timedelta(minutes=rng.randint(5, 3000))
            state_i = min(3, state_i + (1 if rng.random() < 0.45 else 0))
            comm = {
                "PK": cid,
                "SK": f"comm#{_t(t)}#comm{k}",
                "comm_id": f"comm{k}",
                "comm_date": _t(t),
                "complaint_state": STATES[state_i],
                "comm_text": text(rng, rng.randint(100, 800)),
            }
            if rng.random() < 0.85:
                comm["agentID"] = rng.choices(AGENTS, [30, 15, 10] + [5] * 9)[0]
            if rng.random() < 0.2:
                comm["attachments"] = {
                    f"s3://attachments/{cid}/{k}-{j}.png" for j in range(rng.randint(1, 3))
                }
            items.append(comm)
        meta = {
            "PK": cid,
            "SK": "metadata",
            "customer_id": "custABC" if n == 0 else rng.choices(customers, cust_w)[0],
            "complaint_id": cid,
            "current_state": STATES[state_i] if comms else "waiting",
            "creation_time": _t(created),
            "severity": rng.choices(["P1", "P2", "P3"], [15, 45, 40])[0],
            "complaint_description": text(rng, rng.randint(200, 1000)),
        }
        if rng.random() < 0.15:
            meta["escalated_to"] = rng.choices(AGENTS, [10, 50, 10] + [3] * 9)[0]
            meta["escalation_time"] = _t(created + timedelta(days=rng.randint(1, 9)))
        items.append(meta)
    return items


MODEL = Model(
    name="complaint",
    title="Complaint management (aws-samples schema examples)",
    citations=(SAMPLE,),
    table=Table(
        pk=("PK", "S"),
        sk=("SK", "S"),
        gsis=(
            ("Customer_Complaint_GSI", ("customer_id", "S"), ("complaint_id", "S"), "ALL"),
            ("Escalations_GSI", ("escalated_to", "S"), ("escalation_time", "S"), "ALL"),
            ("Agents_Comments_GSI", ("agentID", "S"), ("comm_date", "S"), "ALL"),
        ),
    ),
    make_items=make_items,
    patterns=(
        Pattern(
            "complaint-comms",
            "Get all communications for a complaint",
            naive=query("PK = 'Complaint123'", "attribute_exists(comm_id)"),
            best=query("PK = 'Complaint123' AND begins_with(SK, 'comm#')"),
            tags=("entity-prefix", "query-filter", "control"),
            source=SAMPLE.key,
        ),
        Pattern(
            "complaint-by-customer",
            "Get all complaints for a customer",
            naive=scan("customer_id = 'custXYZ'"),
            best=query("customer_id = 'custXYZ'", index="Customer_Complaint_GSI"),
            tags=("gsi",),
            source=SAMPLE.key,
        ),
        Pattern(
            "complaint-escalated",
            "Find complaints escalated to an agent",
            naive=scan("escalated_to = 'AgentB'"),
            best=query("escalated_to = 'AgentB'", index="Escalations_GSI"),
            tags=("gsi", "sparse-index"),
            source=SAMPLE.key,
        ),
        Pattern(
            "complaint-agent-history",
            "View an agent's communication history since a date",
            naive=scan("agentID = 'AgentA' AND comm_date > '2023-05-01'"),
            best=query("agentID = 'AgentA' AND comm_date > '2023-05-01'", index="Agents_Comments_GSI"),
            tags=("gsi",),
            source=SAMPLE.key,
        ),
        Pattern(
            "complaint-severity-state",
            "Find complaints by severity and state (documented as a Scan with a filter)",
            naive=scan("severity = 'P1' AND current_state = 'assigned'"),
            best=scan("severity = 'P1' AND current_state = 'assigned'"),
            tags=("documented-scan", "control"),
            source=SAMPLE.key,
            note="Nothing better is documented: a GSI on severity or current_state would be a hot, "
            "low-cardinality partition key.",
        ),
        Pattern(
            "complaint-state-changes",
            "Track a complaint's state changes",
            naive=query("PK = 'Complaint123'", "complaint_state = 'resolved'"),
            best=query("PK = 'Complaint123' AND begins_with(SK, 'comm#')", "complaint_state = 'resolved'"),
            tags=("entity-prefix", "filter-stays", "control"),
            source=SAMPLE.key,
        ),
    ),
)
