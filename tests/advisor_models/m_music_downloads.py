"""Music library: download items under each song, and monthly aggregate items indexed by a sparse GSI on
(Month, DownloadCount) for 'most downloaded this month' (AWS DynamoDB Developer Guide, 'Using Global
Secondary Indexes for materialized aggregation queries')."""

from __future__ import annotations

import random

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan, text, zipf_weights

GUIDE = Citation(
    "bp-gsi-aggregation",
    "AWS DynamoDB Developer Guide — Using Global Secondary Indexes for materialized aggregation queries",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-gsi-aggregation.html",
    "Partition-Key=songID, Sort-Key=DownloadID / Month; GSI query Month=2018-01, ScanIndexForward=False",
)

MONTHS = ["2017-10", "2017-11", "2017-12", "2018-01", "2018-02", "2018-03"]


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    songs = [f"song-{i:03d}" for i in range(1, 61)]
    weights = zipf_weights(len(songs), 1.0)
    for s in songs:
        items.append(
            {
                "songID": s,
                "sk": "details",
                "Title": text(rng, 30),
                "Artist": text(rng, 16),
                "Lyrics": text(rng, 1500),
            }
        )
    for n in range(1300):
        s = rng.choices(songs, weights)[0]
        m = rng.choice(MONTHS)
        items.append(
            {
                "songID": s,
                "sk": f"did#{n:06d}",
                "DownloadDate": f"{m}-{rng.randint(1, 28):02d}",
                "UserId": f"user-{rng.randint(1, 900)}",
                "Client": rng.choice(["ios", "android", "web"]),
            }
        )
    for i, s in enumerate(songs):
        for m in MONTHS:
            count = int(weights[i] * rng.uniform(2500, 6000))
            items.append({"songID": s, "sk": f"month#{m}", "Month": m, "DownloadCount": count})
    return items


MODEL = Model(
    name="music",
    title="Music downloads with a materialized-aggregation GSI (AWS Developer Guide)",
    citations=(GUIDE,),
    table=Table(
        pk=("songID", "S"),
        sk=("sk", "S"),
        gsis=(("MonthIndex", ("Month", "S"), ("DownloadCount", "N"), "ALL"),),
    ),
    make_items=make_items,
    notes="Sort-key values did#<n> / month#<YYYY-MM> / details are ours; the guide names only DownloadID and Month.",
    patterns=(
        Pattern(
            "music-top-month",
            "The most downloaded songs of a month, in near real time",
            naive=scan("Month = '2018-01'"),
            best=query("Month = '2018-01'", index="MonthIndex", desc=True),
            tags=("sparse-index", "gsi", "aggregation"),
            source=GUIDE.key,
        ),
        Pattern(
            "music-popular-month",
            "Songs downloaded more than 1000 times in a month",
            naive=scan("Month = '2018-01' AND DownloadCount > 1000"),
            best=query("Month = '2018-01' AND DownloadCount > 1000", index="MonthIndex"),
            tags=("sparse-index", "gsi", "aggregation"),
            source=GUIDE.key,
        ),
        Pattern(
            "music-song-downloads",
            "A song's download items",
            naive=query("songID = 'song-001'", "attribute_exists(DownloadDate)"),
            best=query("songID = 'song-001' AND begins_with(sk, 'did#')"),
            tags=("entity-prefix", "query-filter", "control"),
            source=GUIDE.key,
        ),
        Pattern(
            "music-song-months",
            "A song's monthly aggregates",
            naive=query("songID = 'song-001'", "attribute_exists(Month)"),
            best=query("songID = 'song-001' AND begins_with(sk, 'month#')"),
            tags=("entity-prefix", "query-filter"),
            source=GUIDE.key,
        ),
        Pattern(
            "music-song-month",
            "One song's aggregate for one month",
            naive=scan("songID = 'song-001' AND Month = '2018-01'"),
            best=get("songID = 'song-001' AND sk = 'month#2018-01'"),
            tags=("composite-sort-key", "get-item"),
            source=GUIDE.key,
        ),
    ),
)
