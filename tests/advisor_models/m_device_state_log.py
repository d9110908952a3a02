"""Device state log: composite sort key State#Date instead of a filter, a GSI for a new item collection,
and a sparse GSI on EscalatedTo (aws-samples/amazon-dynamodb-design-patterns, examples/device-state-log)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, query, scan, text

SRC = Citation(
    "aws-samples-device-state-log",
    "aws-samples/amazon-dynamodb-design-patterns — Device State Log",
    "https://github.com/aws-samples/amazon-dynamodb-design-patterns/tree/master/examples/device-state-log",
    "README.md, json/DeviceStateLog_7.json, aws-cli-commands/aws-cli-dynamodb-commands.txt "
    "(commit 6dceeaa7818135ef3045f032b6ff93d126f4a539)",
)
SORT_KEYS = Citation(
    "bp-sort-keys",
    "AWS DynamoDB Developer Guide — Best practices for using sort keys to organize data",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-sort-keys.html",
)

STATES = ["NORMAL", "WARNING1", "WARNING2", "WARNING3", "WARNING4", "WARNING5"]
STATE_W = [55, 20, 12, 7, 4, 2]
OPERATORS = ["Liz", "Ahmed", "Chen", "Maria", "Olu", "Kim"]
OPERATOR_W = [30, 18, 16, 14, 12, 10]
SUPERVISORS = ["Sara", "Tom", "Ines"]
SUPERVISOR_W = [60, 25, 15]
START = datetime(2020, 4, 1)


def _episode(rng, device, when, state, operator, escalated, n):
    out = []
    for k in range(n):
        date = (when + timedelta(minutes=5 * k)).strftime("%Y-%m-%dT%H:%M:%S")
        it = {
            "DeviceID": device,
            "State#Date": f"{state}#{date}",
            "State": state,
            "Date": date,
            "Operator": operator,
            "Detail": text(rng, rng.randint(80, 420)),
            "Temperature": Decimal(f"{rng.uniform(20, 95):.1f}"),
        }
        if escalated:
            it["EscalatedTo"] = escalated
        out.append(it)
    return out


def make_items(rng: random.Random) -> list[dict]:
    devices = ["d#12345", "d#54321"] + [f"d#{10000 + i * 37}" for i in range(38)]
    sizes = [320, 90] + [rng.randint(8, 45) for _ in range(38)]
    items: list[dict] = []
    for device, total in zip(devices, sizes, strict=True):
        when = START + timedelta(minutes=5 * rng.randint(0, 200))
        made, forced = 0, False
        while made < total:
            state = rng.choices(STATES, STATE_W)[0]
            n = min(total - made, rng.randint(1, 6) if state == "NORMAL" else rng.randint(2, 9))
            escalated = None
            if state in ("WARNING3", "WARNING4", "WARNING5") and rng.random() < 0.5:
                escalated = rng.choices(SUPERVISORS, SUPERVISOR_W)[0]
            operator = rng.choices(OPERATORS, OPERATOR_W)[0]
            if (
                device == "d#12345" and made >= 150 and not forced
            ):  # the README's example: WARNING4, Sara, the 27th
                state, escalated, operator, n, forced = "WARNING4", "Sara", "Liz", 6, True
                when = datetime(2020, 4, 27, 9, 0)
            items += _episode(rng, device, when, state, operator, escalated, n)
            made += n
            when += timedelta(minutes=5 * n + rng.randint(30, 1900))
    return items


MODEL = Model(
    name="devlog",
    title="Device state log (aws-samples design patterns)",
    citations=(SRC, SORT_KEYS),
    table=Table(
        pk=("DeviceID", "S"),
        sk=("State#Date", "S"),
        gsis=(
            ("GSI1", ("Operator", "S"), ("Date", "S"), "ALL"),
            ("GSI2", ("EscalatedTo", "S"), ("State#Date", "S"), "ALL"),
        ),
    ),
    make_items=make_items,
    patterns=(
        Pattern(
            "devlog-state-recent",
            "Get all logs for a specific device state showing the most recent logs first",
            naive=query("DeviceID = 'd#12345'", "State = 'WARNING1'", desc=True),
            best=query("DeviceID = 'd#12345' AND begins_with(`State#Date`, 'WARNING1#')", desc=True),
            tags=("composite-sort-key", "query-filter"),
            source=SRC.key,
            note="The README's own before/after: a filter on State, then the composite sort key State#Date.",
        ),
        Pattern(
            "devlog-state-scan",
            "Logs of one device in one state (written as a Scan)",
            naive=scan("DeviceID = 'd#12345' AND State = 'WARNING1'"),
            best=query("DeviceID = 'd#12345' AND begins_with(`State#Date`, 'WARNING1#')"),
            tags=("composite-sort-key",),
            source=SRC.key,
        ),
        Pattern(
            "devlog-escalated",
            "Get all escalated device logs for a given supervisor",
            naive=scan("EscalatedTo = 'Sara'"),
            best=query("EscalatedTo = 'Sara'", index="GSI2"),
            tags=("sparse-index", "gsi"),
            source=SRC.key,
        ),
        Pattern(
            "devlog-escalated-state",
            "Get all escalated logs with a specific device state for a given supervisor",
            naive=scan("EscalatedTo = 'Sara' AND State = 'WARNING4'"),
            best=query("EscalatedTo = 'Sara' AND begins_with(`State#Date`, 'WARNING4#')", index="GSI2"),
            tags=("sparse-index", "composite-sort-key"),
            source=SRC.key,
        ),
        Pattern(
            "devlog-escalated-state-date",
            "Get all escalated logs with a specific device state for a given supervisor for a specific date",
            naive=scan("EscalatedTo = 'Sara' AND State = 'WARNING4' AND begins_with(Date, '2020-04-27')"),
            best=query(
                "EscalatedTo = 'Sara' AND begins_with(`State#Date`, 'WARNING4#2020-04-27')", index="GSI2"
            ),
            tags=("sparse-index", "composite-sort-key"),
            source=SRC.key,
        ),
        Pattern(
            "devlog-gsi2-filter",
            "Escalated logs of a supervisor in one state (a Query on GSI2 that filters on State)",
            naive=query("EscalatedTo = 'Sara'", "State = 'WARNING4'", index="GSI2"),
            best=query("EscalatedTo = 'Sara' AND begins_with(`State#Date`, 'WARNING4#')", index="GSI2"),
            tags=("composite-sort-key", "query-filter"),
            source=SRC.key,
        ),
        Pattern(
            "devlog-state-range",
            "Logs of one device in one state within a date range",
            naive=query(
                "DeviceID = 'd#12345'", "State = 'WARNING2' AND Date BETWEEN '2020-04-10' AND '2020-04-25'"
            ),
            best=query(
                "DeviceID = 'd#12345' AND `State#Date` BETWEEN 'WARNING2#2020-04-10' AND 'WARNING2#2020-04-25'"
            ),
            tags=("composite-sort-key", "query-filter"),
            source=SORT_KEYS.key,
            note="A range query on the composite key (bp-sort-keys: 'range queries with between'), derived.",
        ),
    ),
)
