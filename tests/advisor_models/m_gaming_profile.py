"""Game player profiles: one partition per player holding #METADATA#, FRIENDS#, ITEMS#, EQUIPMENTS#, TASK#
and ACTIVITY# items (AWS DynamoDB Developer Guide 'Gaming profile schema design in DynamoDB';
aws-samples/aws-dynamodb-examples SchemaExamples/GamingPlayerProfiles)."""

from __future__ import annotations

import random

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan, text

GUIDE = Citation(
    "guide-gaming-profile",
    "AWS DynamoDB Developer Guide — Gaming profile schema design in DynamoDB",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/data-modeling-schema-gaming-profile.html",
    "getPlayerFriends, getPlayerAllProfile, getPlayerAllItems, getPlayerSpecificItem",
)
SAMPLE = Citation(
    "aws-samples-gaming-profile",
    "aws-samples/aws-dynamodb-examples — GamePlayerProfilesSchema.json",
    "https://github.com/aws-samples/aws-dynamodb-examples/blob/master/schema_design/SchemaExamples/"
    "GamingPlayerProfiles/GamePlayerProfilesSchema.json",
    "commit f215ac6649ba5fc92cbe801b82467db9a0b67459",
)

ITEM_NAMES = ["Health Potion", "Armor of the Knight", "Sword of the Dragon", "Mana Elixir", "Shield", "Bow"]


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    players = [f"player{n:03d}" for n in range(1, 181)]
    for n, p in enumerate(players):
        items.append(
            {
                "PK": p,
                "SK": f"#METADATA#{p}",
                "Type": "Metadata",
                "Nickname": f"nick{n}",
                "Email": f"{p}@example.com",
                "Avatar": f"s3://avatars/{p}.png",
                "PlayerLevel": rng.randint(1, 80),
                "Bio": text(rng, rng.randint(100, 600)),
            }
        )
        friends = rng.sample(players, rng.randint(0, 12))
        items.append(
            {
                "PK": p,
                "SK": f"FRIENDS#{p}",
                "Type": "Friends",
                "FriendList": [
                    {"FriendId": f, "FriendName": f"nick{players.index(f)}"} for f in friends if f != p
                ],
            }
        )
        n_items = 45 if n == 0 else rng.randint(0, 4)
        for k in range(1, n_items + 1):
            items.append(
                {
                    "PK": p,
                    "SK": f"ITEMS#{k:03d}",
                    "Type": "Item",
                    "ItemName": ITEM_NAMES[0] if k == 1 else rng.choice(ITEM_NAMES),
                    "ItemCount": rng.randint(1, 20),
                    "ItemAttributes": {"power": rng.randint(1, 99), "lore": text(rng, rng.randint(60, 300))},
                }
            )
        for k in range(1, (12 if n == 0 else rng.randint(0, 2)) + 1):
            items.append(
                {
                    "PK": p,
                    "SK": f"EQUIPMENTS#{k:03d}",
                    "Type": "Equipment",
                    "EquipmentName": rng.choice(ITEM_NAMES),
                    "EquipmentAttributes": {"durability": rng.randint(1, 100)},
                }
            )
        for k in range(1, (20 if n == 0 else rng.randint(0, 3)) + 1):
            items.append(
                {
                    "PK": p,
                    "SK": f"TASK#{k:03d}",
                    "Type": "Task",
                    "TaskName": text(rng, 30),
                    "TaskDescription": text(rng, rng.randint(80, 400)),
                    "TaskStatus": rng.choices(["InProgress", "Completed", "Available"], [20, 60, 20])[0],
                }
            )
        for k in range(1, (10 if n == 0 else rng.randint(0, 2)) + 1):
            items.append(
                {"PK": p, "SK": f"ACTIVITY#{k:03d}", "Type": "Activity", "ActivityName": text(rng, 24)}
            )
    return items


MODEL = Model(
    name="profile",
    title="Game player profiles (AWS Developer Guide, aws-samples)",
    citations=(GUIDE, SAMPLE),
    table=Table(pk=("PK", "S"), sk=("SK", "S")),
    make_items=make_items,
    patterns=(
        Pattern(
            "profile-friends",
            "getPlayerFriends",
            naive=scan("PK = 'player001' AND SK = 'FRIENDS#player001'"),
            best=get("PK = 'player001' AND SK = 'FRIENDS#player001'"),
            tags=("get-item",),
            source=GUIDE.key,
        ),
        Pattern(
            "profile-all",
            "getPlayerAllProfile",
            naive=scan("PK = 'player001'"),
            best=query("PK = 'player001'"),
            tags=("query",),
            source=GUIDE.key,
        ),
        Pattern(
            "profile-items",
            "getPlayerAllItems",
            naive=query("PK = 'player001'", "Type = 'Item'"),
            best=query("PK = 'player001' AND begins_with(SK, 'ITEMS#')"),
            tags=("entity-prefix", "query-filter"),
            source=GUIDE.key,
        ),
        Pattern(
            "profile-tasks-in-progress",
            "A player's tasks in progress",
            naive=query("PK = 'player001'", "TaskStatus = 'InProgress'"),
            best=query("PK = 'player001' AND begins_with(SK, 'TASK#')", "TaskStatus = 'InProgress'"),
            tags=("entity-prefix", "query-filter", "filter-stays"),
            source=SAMPLE.key,
            note="Derived: TaskStatus exists only on TASK# items, so the prefix narrows the read first.",
        ),
    ),
)
