"""GameScores leaderboard: a KEYS_ONLY GSI GameTitleIndex (GameTitle, TopScore) and a sparse GSI on Award
(AWS DynamoDB Developer Guide: the GSI scenario and 'Take advantage of sparse indexes')."""

from __future__ import annotations

import random

from tests.advisor_models.corpus import Citation, Model, Pattern, Table, get, query, scan, zipf_weights

GSI = Citation(
    "gsi-scenario",
    "AWS DynamoDB Developer Guide — Using Global Secondary Indexes in DynamoDB (Scenario: GameScores)",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html",
    "GameTitleIndex: partition key GameTitle, sort key TopScore, keys only (plus UserId)",
)
SPARSE = Citation(
    "bp-sparse-indexes",
    "AWS DynamoDB Developer Guide — Take advantage of sparse indexes",
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-indexes-general-sparse-indexes.html",
    "Award present only on the items where the user achieved an award (Champ)",
)

GAMES = [
    "Meteor Blasters",
    "Galaxy Invaders",
    "Comet Quest",
    "Alien Adventure",
    "Attack Ships",
    "Starship X",
    "Asteroid Run",
    "Nebula Racer",
]


def make_items(rng: random.Random) -> list[dict]:
    items: list[dict] = []
    weights = zipf_weights(len(GAMES), 0.9)
    for u in range(600):
        user = str(101 + u)
        games = {rng.choices(GAMES, weights)[0] for _ in range(rng.randint(1, 4))}
        if user == "101":
            games |= {"Galaxy Invaders", "Meteor Blasters"}
        for g in sorted(games):
            hard = g == "Comet Quest"
            score = (
                0 if hard and rng.random() < 0.4 else int(rng.paretovariate(1.3) * (900 if hard else 2500))
            )
            score = min(score, 25000)
            wins, losses = rng.randint(0, 60), rng.randint(0, 60)
            it = {
                "UserId": user,
                "GameTitle": g,
                "TopScore": score,
                "TopScoreDateTime": f"2015-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00",
                "Wins": wins,
                "Losses": losses,
                "History": [rng.randint(0, score + 1) for _ in range(rng.randint(3, 30))],
            }
            if score >= 12000 and rng.random() < 0.6:
                it["Award"] = "Champ"
            elif 6000 <= score < 12000 and rng.random() < 0.15:
                it["Award"] = "Gold"
            items.append(it)
    return items


MODEL = Model(
    name="scores",
    title="GameScores leaderboard (AWS Developer Guide)",
    citations=(GSI, SPARSE),
    table=Table(
        pk=("UserId", "S"),
        sk=("GameTitle", "S"),
        gsis=(
            ("GameTitleIndex", ("GameTitle", "S"), ("TopScore", "N"), "KEYS_ONLY"),
            ("AwardIndex", ("Award", "S"), ("TopScore", "N"), "ALL"),
        ),
    ),
    make_items=make_items,
    notes="The sparse-index page shows its GSI as a picture: AwardIndex (Award, TopScore) is our reading.",
    patterns=(
        Pattern(
            "scores-top-meteor",
            "What is the top score ever recorded for the game Meteor Blasters? (leaderboard, highest first)",
            naive=scan("GameTitle = 'Meteor Blasters'", project="UserId, TopScore"),
            best=query(
                "GameTitle = 'Meteor Blasters'", index="GameTitleIndex", project="UserId, TopScore", desc=True
            ),
            tags=("gsi", "keys-only"),
            source=GSI.key,
        ),
        Pattern(
            "scores-comet-over",
            "All scores on Comet Quest that are over 9000",
            naive=scan(
                "GameTitle = 'Comet Quest' AND TopScore > 9000", project="UserId, GameTitle, TopScore"
            ),
            best=query(
                "GameTitle = 'Comet Quest' AND TopScore > 9000",
                index="GameTitleIndex",
                project="UserId, GameTitle, TopScore",
            ),
            tags=("gsi", "keys-only"),
            source=GSI.key,
        ),
        Pattern(
            "scores-champs",
            "All Champ awards (the frequently queried high scores)",
            naive=scan("Award = 'Champ'"),
            best=query("Award = 'Champ'", index="AwardIndex"),
            tags=("sparse-index", "gsi"),
            source=SPARSE.key,
        ),
        Pattern(
            "scores-champs-over",
            "Champ awards with a score of at least 15000",
            naive=scan("Award = 'Champ' AND TopScore >= 15000"),
            best=query("Award = 'Champ' AND TopScore >= 15000", index="AwardIndex"),
            tags=("sparse-index", "gsi"),
            source=SPARSE.key,
        ),
        Pattern(
            "scores-champs-game",
            "Champ awards in one game",
            naive=scan("Award = 'Champ' AND GameTitle = 'Meteor Blasters'"),
            best=query("Award = 'Champ'", "GameTitle = 'Meteor Blasters'", index="AwardIndex"),
            tags=("sparse-index", "gsi"),
            source=SPARSE.key,
        ),
        Pattern(
            "scores-user",
            "All the scores of one user",
            naive=scan("UserId = '101'"),
            best=query("UserId = '101'"),
            tags=("query",),
            source=GSI.key,
        ),
        Pattern(
            "scores-user-game",
            "One user's score in one game",
            naive=scan("UserId = '101' AND GameTitle = 'Galaxy Invaders'"),
            best=get("UserId = '101' AND GameTitle = 'Galaxy Invaders'"),
            tags=("get-item",),
            source=GSI.key,
        ),
    ),
)
