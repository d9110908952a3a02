"""Chat system: comments in user partitions sorted by time, rooms' meta items, and the GSI
RoomID_Comment_IDX (RoomID, CreatedAt) for a room's timeline
(aws-samples/aws-dynamodb-examples SchemaExamples/ChatSystem)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan, text, zipf_weights

SAMPLE = Citation(
    "aws-samples-chat",
    "aws-samples/aws-dynamodb-examples — Chat System Data Modeling with Amazon DynamoDB",
    "https://github.com/aws-samples/aws-dynamodb-examples/tree/master/schema_design/SchemaExamples/ChatSystem",
    "README.md (access-pattern table), ChatSystemSchema.json (commit f215ac6649ba5fc92cbe801b82467db9a0b67459)",
)

ROOMS = ["Music", "Movie", "Art", "Games", "Books", "Travel", "Food", "Tech"]


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    users = ["UserA", "UserB", "UserC"] + [f"User{n}" for n in range(100, 157)]
    user_w = [30.0, 10.0, 8.0] + zipf_weights(57, 0.6)
    room_w = zipf_weights(len(ROOMS), 1.0)
    for room in ROOMS:
        items.append(
            {"PK": f"Room:{room}", "SK": "meta", "CreatedBy": rng.choice(users), "Topic": text(rng, 80)}
        )
    joined = set()
    for u in users:
        for room in {rng.choices(ROOMS, room_w)[0] for _ in range(rng.randint(1, 4))}:
            joined.add((u, room))
    joined |= {("UserA", "Art"), ("UserA", "Music")}
    for u, room in sorted(joined):
        items.append({"PK": f"User:{u}", "SK": f"Join:{room}", "JoinedAt": "2023-03-30T10:00:00.000Z"})
    t = datetime(2023, 4, 1, 12, 0)
    for _ in range(1250):
        t += timedelta(seconds=rng.randint(5, 500), milliseconds=rng.randint(1, 999))
        u = rng.choices(users, user_w)[0]
        room = rng.choices(ROOMS, room_w)[0]
        stamp = _ts(t)
        items.append(
            {
                "PK": f"User:{u}",
                "SK": stamp,
                "RoomID": room,
                "Comment": text(rng, rng.randint(10, 420)),
                "CreatedAt": stamp,
            }
        )
    return items


MODEL = Model(
    name="chat",
    title="Chat system (aws-samples schema examples)",
    citations=(SAMPLE,),
    table=Table(
        pk=("PK", "S"),
        sk=("SK", "S"),
        gsis=(("RoomID_Comment_IDX", ("RoomID", "S"), ("CreatedAt", "S"), "ALL"),),
    ),
    make_items=make_items,
    patterns=(
        Pattern(
            "chat-latest",
            "getLatestComments (a room's comments, newest first)",
            naive=scan("RoomID = 'Music'"),
            best=query("RoomID = 'Music'", index="RoomID_Comment_IDX", desc=True),
            tags=("gsi",),
            source=SAMPLE.key,
        ),
        Pattern(
            "chat-window",
            "getFromPositionToPositionComments",
            naive=scan(
                "RoomID = 'Art' AND CreatedAt BETWEEN '2023-04-02T00:00:00.000Z' AND '2023-04-03T00:00:00.000Z'"
            ),
            best=query(
                "RoomID = 'Art' AND CreatedAt BETWEEN '2023-04-02T00:00:00.000Z' AND '2023-04-03T00:00:00.000Z'",
                index="RoomID_Comment_IDX",
            ),
            tags=("gsi",),
            source=SAMPLE.key,
        ),
        Pattern(
            "chat-joined-rooms",
            "The rooms a user joined",
            naive=scan("PK = 'User:UserA' AND begins_with(SK, 'Join:')"),
            best=query("PK = 'User:UserA' AND begins_with(SK, 'Join:')"),
            tags=("query", "begins-with"),
            source=SAMPLE.key,
        ),
        Pattern(
            "chat-room-meta",
            "A room's meta item (who created it)",
            naive=scan("PK = 'Room:Art' AND SK = 'meta'"),
            best=get("PK = 'Room:Art' AND SK = 'meta'"),
            tags=("get-item",),
            source=SAMPLE.key,
        ),
        Pattern(
            "chat-user-window",
            "A user's comments in a time window (the sort key is the comment's timestamp)",
            naive=query(
                "PK = 'User:UserA'",
                "CreatedAt BETWEEN '2023-04-02T00:00:00.000Z' AND '2023-04-03T00:00:00.000Z'",
            ),
            best=query(
                "PK = 'User:UserA' AND SK BETWEEN '2023-04-02T00:00:00.000Z' AND '2023-04-03T00:00:00.000Z'"
            ),
            tags=("composite-sort-key", "query-filter"),
            source=SAMPLE.key,
            note="SK holds the same timestamp as CreatedAt on comment items (Join: items sort after any date).",
        ),
    ),
)
