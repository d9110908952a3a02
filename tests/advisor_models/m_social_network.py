"""Social network: partition keys u#<id>#follower / #following / #post / #timeline and p#<id>#likelist /
#likecount (aws-samples/aws-dynamodb-examples SchemaExamples/SocialNetwork; AWS Developer Guide 'Social
network schema design in DynamoDB')."""

from __future__ import annotations

import random

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan, text

SAMPLE = Citation(
    "aws-samples-social-network",
    "aws-samples/aws-dynamodb-examples — Social Network Data Modeling with Amazon DynamoDB",
    "https://github.com/aws-samples/aws-dynamodb-examples/tree/master/schema_design/SchemaExamples/SocialNetwork",
    "README.md (access-pattern table), SocialNetworkSchema.json (commit f215ac6649ba5fc92cbe801b82467db9a0b67459)",
)
GUIDE = Citation(
    "guide-social-network",
    "AWS DynamoDB Developer Guide — Social network schema design in DynamoDB",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/data-modeling-schema-social-network.html",
)


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    users = ["u#12345"] + [f"u#{20000 + 11 * i}" for i in range(99)]
    posts: list[str] = []
    for n, u in enumerate(users):
        followers = rng.sample(users[1:], 90) if n == 0 else rng.sample(users, rng.randint(0, 6))
        following = rng.sample(users[1:], rng.randint(1, 8))
        if n == 0 and users[1] not in following:
            following.append(users[1])
        n_posts = 40 if n == 0 else rng.randint(0, 6)
        items.append(
            {
                "PK": u,
                "SK": "info",
                "name": f"user{n}",
                "content": text(rng, rng.randint(40, 200)),
                "imageUrl": f"s3://media/{u[2:]}.png",
            }
        )
        items.append(
            {
                "PK": u,
                "SK": "count",
                "follower#": len(followers),
                "following#": len(following),
                "post#": n_posts,
            }
        )
        items += [
            {"PK": f"{u}#follower", "SK": f, "since": rng.randint(1500000000, 1700000000)}
            for f in followers
            if f != u
        ]
        items += [
            {"PK": f"{u}#following", "SK": f, "since": rng.randint(1500000000, 1700000000)}
            for f in following
            if f != u
        ]
        for k in range(n_posts):
            pid = "p#12345" if (n == 0 and k == 0) else f"p#{100000 + len(posts) * 7}"
            posts.append(pid)
            items.append(
                {
                    "PK": f"{u}#post",
                    "SK": pid,
                    "content": text(rng, rng.randint(100, 900)),
                    "imageUrl": f"s3://media/{pid[2:]}.jpg",
                    "timestamp": 1571827560 + k * 86400 + rng.randint(0, 80000),
                }
            )
    for pid in posts[:60]:
        likers = rng.sample(users, 50 if pid == "p#12345" else rng.randint(0, 8))
        items += [{"PK": f"{pid}#likelist", "SK": u} for u in likers]
        items.append({"PK": f"{pid}#likecount", "SK": "count", "count": len(likers)})
    for u in users[:25]:
        for k in range(rng.randint(5, 25)):
            p = rng.choice(posts)
            items.append({"PK": f"{u}#timeline", "SK": f"{p}#{rng.choice(users)}", "ttl": 1700000000 + k})
    dedup = {}
    for it in items:
        dedup[(it["PK"], it["SK"])] = it
    return list(dedup.values())


MODEL = Model(
    name="social",
    title="Social network (aws-samples schema examples)",
    citations=(SAMPLE, GUIDE),
    table=Table(pk=("PK", "S"), sk=("SK", "S")),
    make_items=make_items,
    patterns=(
        Pattern(
            "social-user-info",
            "getUserInfoByUserID",
            naive=scan("PK = 'u#12345'"),
            best=query("PK = 'u#12345'"),
            tags=("query",),
            source=SAMPLE.key,
        ),
        Pattern(
            "social-followers",
            "getFollowerListByUserID",
            naive=scan("PK = 'u#12345#follower'"),
            best=query("PK = 'u#12345#follower'"),
            tags=("query",),
            source=SAMPLE.key,
        ),
        Pattern(
            "social-posts-since",
            "getPostListByUserID, posts after a timestamp",
            naive=scan("PK = 'u#12345#post' AND timestamp > 1573000000"),
            best=query("PK = 'u#12345#post'", "timestamp > 1573000000"),
            tags=("query", "filter-stays"),
            source=SAMPLE.key,
            note="The timestamp condition is ours; the post id is the sort key, so it stays a filter.",
        ),
        Pattern(
            "social-like-count",
            "getLikeCountByPostID",
            naive=scan("PK = 'p#12345#likecount'"),
            best=get("PK = 'p#12345#likecount' AND SK = 'count'"),
            tags=("get-item",),
            source=SAMPLE.key,
        ),
        Pattern(
            "social-is-following",
            "Does u#12345 follow a given user?",
            naive=scan("PK = 'u#12345#following' AND SK = 'u#20000'"),
            best=get("PK = 'u#12345#following' AND SK = 'u#20000'"),
            tags=("get-item",),
            source=GUIDE.key,
        ),
    ),
)
