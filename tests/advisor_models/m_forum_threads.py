"""Forum Thread table with the local secondary index LastPostIndex (ForumName, LastPostDateTime) projecting
Replies — queries that read the index only, and ones that fetch from the table (AWS DynamoDB Developer Guide,
'Local secondary indexes')."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan, text

LSI = Citation(
    "lsi",
    "AWS DynamoDB Developer Guide — Local secondary indexes (Scenario: Thread table, LastPostIndex)",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html",
    "Attribute projections (Replies projected), Querying a local secondary index (Tags fetched)",
)

FORUMS = {"S3": 420, "EC2": 300, "DynamoDB": 240, "Lambda": 150, "RDS": 110, "IAM": 70}
TOPICS = [
    "about",
    "billing",
    "cannot",
    "default",
    "error",
    "how",
    "is",
    "migrating",
    "question",
    "slow",
    "using",
]


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    start = datetime(2015, 1, 1)
    for forum, n in FORUMS.items():
        for i in range(n):
            first = rng.choice(TOPICS)
            subject = f"{first} {text(rng, rng.randint(10, 50))} #{i}"
            if forum == "S3" and i == 0:
                subject = "about lifecycle rules #0"
            last = start + timedelta(minutes=rng.randint(0, 364 * 24 * 60))
            items.append(
                {
                    "ForumName": forum,
                    "Subject": subject,
                    "LastPostDateTime": last.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                    "LastPostedBy": f"User {rng.randint(1, 400)}",
                    "Replies": int(rng.paretovariate(1.2)) - 1,
                    "Views": rng.randint(1, 20000),
                    "Tags": {
                        rng.choice(["index", "cost", "iam", "sdk", "perf", "backup", "cli"]) for _ in range(3)
                    },
                    "Message": text(rng, rng.randint(800, 3200)),
                }
            )
    return items


WINDOW = "LastPostDateTime BETWEEN '2015-08-31T00:00:00.000Z' AND '2015-11-30T23:59:59.999Z'"

MODEL = Model(
    name="forum",
    title="Forum threads with an LSI (AWS Developer Guide)",
    citations=(LSI,),
    table=Table(
        pk=("ForumName", "S"),
        sk=("Subject", "S"),
        lsis=(
            (
                "LastPostIndex",
                ("ForumName", "S"),
                ("LastPostDateTime", "S"),
                {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Replies"]},
            ),
        ),
    ),
    make_items=make_items,
    patterns=(
        Pattern(
            "forum-window-projected",
            "Threads posted in a forum within a time span, with Subject, LastPostDateTime and Replies",
            naive=query("ForumName = 'EC2'", WINDOW, project="Subject, LastPostDateTime, Replies"),
            best=query(
                f"ForumName = 'EC2' AND {WINDOW}",
                index="LastPostIndex",
                project="Subject, LastPostDateTime, Replies",
            ),
            tags=("lsi",),
            source=LSI.key,
        ),
        Pattern(
            "forum-window-tags",
            "The guide's example: the same, with Tags (not projected, so DynamoDB fetches it from the table)",
            naive=query("ForumName = 'EC2'", WINDOW, project="Subject, LastPostDateTime, Replies, Tags"),
            best=query(
                f"ForumName = 'EC2' AND {WINDOW}",
                index="LastPostIndex",
                project="Subject, LastPostDateTime, Replies, Tags",
            ),
            tags=("lsi", "lsi-fetch"),
            source=LSI.key,
        ),
        Pattern(
            "forum-recent-full",
            "All threads posted in the last three months in a forum (whole items)",
            naive=scan("ForumName = 'S3' AND LastPostDateTime > '2015-10-01T00:00:00.000Z'"),
            best=query(
                "ForumName = 'S3' AND LastPostDateTime > '2015-10-01T00:00:00.000Z'",
                index="LastPostIndex",
                select="ALL_ATTRIBUTES",
            ),
            tags=("lsi", "lsi-fetch"),
            source=LSI.key,
            note="Whole items through a partly projected LSI: Select=ALL_ATTRIBUTES, DynamoDB fetches the rest.",
        ),
        Pattern(
            "forum-latest-page",
            "A forum's threads with Subject, Replies and LastPostDateTime, most recent reply first",
            naive=scan("ForumName = 'DynamoDB'", project="Subject, LastPostDateTime, Replies"),
            best=query(
                "ForumName = 'DynamoDB'",
                index="LastPostIndex",
                project="Subject, LastPostDateTime, Replies",
                desc=True,
            ),
            tags=("lsi",),
            source=LSI.key,
            note="'The most efficient way to query this data and to avoid fetch operations' (Attribute projections).",
        ),
        Pattern(
            "forum-subject-prefix",
            "Threads in the S3 forum whose Subject begins with 'a'",
            naive=scan("ForumName = 'S3' AND begins_with(Subject, 'a')"),
            best=query("ForumName = 'S3' AND begins_with(Subject, 'a')"),
            tags=("query", "begins-with"),
            source=LSI.key,
        ),
        Pattern(
            "forum-thread",
            "One thread",
            naive=scan("ForumName = 'S3' AND Subject = 'about lifecycle rules #0'"),
            best=get("ForumName = 'S3' AND Subject = 'about lifecycle rules #0'"),
            tags=("get-item",),
            source=LSI.key,
        ),
    ),
)
