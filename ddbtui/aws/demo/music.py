"""Table ``Music``: the classic Artist / SongTitle design of the AWS documentation, with the GSI
``GenreIndex`` (Genre / Year); see :mod:`ddbtui.aws.demo_data`."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ddbtui.aws.demo.common import FIRST, LAST, _ks, _rng

MUSIC = "Music"

TABLE: dict[str, Any] = {
    "TableName": MUSIC,
    "AttributeDefinitions": [
        {"AttributeName": "Artist", "AttributeType": "S"},
        {"AttributeName": "SongTitle", "AttributeType": "S"},
        {"AttributeName": "Genre", "AttributeType": "S"},
        {"AttributeName": "Year", "AttributeType": "N"},
    ],
    "KeySchema": _ks("Artist", "SongTitle"),
    "BillingMode": "PAY_PER_REQUEST",
    "GlobalSecondaryIndexes": [
        {
            "IndexName": "GenreIndex",
            "KeySchema": _ks("Genre", "Year"),
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["AlbumTitle", "Price"]},
        },
    ],
}

GENRES = ("Rock", "Jazz", "Pop", "Hip-Hop", "Electronic", "Classical", "Folk", "Metal", "Blues", "K-Pop", "Latin", "Country")  # fmt: skip
GENRE_ERAS = {
    "Rock": (1965, 2020), "Jazz": (1955, 1985), "Pop": (1980, 2025), "Hip-Hop": (1985, 2025),
    "Electronic": (1990, 2025), "Classical": (1955, 2015), "Folk": (1960, 2020), "Metal": (1975, 2020),
    "Blues": (1955, 1995), "K-Pop": (2005, 2025), "Latin": (1970, 2025), "Country": (1960, 2025),
}  # fmt: skip
BAND_ADJ = ("Velvet", "Electric", "Silent", "Golden", "Neon", "Crimson", "Wandering", "Lunar", "Rusty", "Midnight", "Paper", "Glass")  # fmt: skip
BAND_NOUN = ("Foxes", "Engines", "Lanterns", "Harbour", "Orchard", "Satellites", "Owls", "Tide", "Parade", "Mirrors", "Comets")  # fmt: skip
SPECIAL_ARTISTS = (
    ("Sigur Ólöf", "Folk"), ("Nöel & the Ærials", "Rock"), ("Dúo Mañana", "Latin"), ("東京スカイライン", "Electronic"),
    ("Кино Ночь", "Rock"), ("银河 Express", "Pop"), ("빛나는 별", "K-Pop"), ("Miles Ahead Quartet", "Jazz"),
    ("The Blue Note Five", "Jazz"), ("Ella & The Swing Cats", "Jazz"),
)  # fmt: skip
TITLE_A = ("Love", "Night", "River", "Summer", "Ghost", "City", "Heart", "Fire", "Rain", "Dream", "Highway", "Ocean", "Stone", "Morning", "Wild", "Paper")  # fmt: skip
TITLE_B = ("Song", "Blues", "Lights", "Dance", "Waltz", "Train", "Sky", "Echo", "Runaway", "Lullaby", "Anthem", "Serenade", "Drive", "Garden")  # fmt: skip
TITLE_X = ("", "", "", " (Live)", " (Remastered)", " – Radio Edit", " Pt. II", " (Acoustic)", " ♪", " (Demo)")


@functools.cache
def _artists() -> tuple[tuple[str, str], ...]:
    rng = _rng("artists")
    names: dict[str, str] = {a: g for a, g in SPECIAL_ARTISTS}
    while len(names) < 90:
        name = (
            f"The {rng.choice(BAND_ADJ)} {rng.choice(BAND_NOUN)}"
            if rng.random() < 0.6
            else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        )
        names.setdefault(name, rng.choice(GENRES))
    return tuple(names.items())


def generate() -> Iterator[dict[str, Any]]:
    """Every Music item as plain Python values, artist by artist."""
    rng = _rng("music")
    for artist, genre in _artists():
        lo, hi = GENRE_ERAS[genre]
        start = rng.randint(lo, max(lo, hi - 10))
        titles: list[str] = []
        n_songs = rng.randint(6, 16)
        while len(titles) < n_songs:
            t = f"{rng.choice(TITLE_A)} {rng.choice(TITLE_B)}{rng.choice(TITLE_X)}"
            if t not in titles:
                titles.append(t)
        albums = [
            f"{rng.choice(TITLE_A)} {rng.choice(('Sessions', 'Vol. 1', 'Stories', 'Tapes', 'Nights', 'Years'))}"
            for _ in range(3)
        ]
        for k, title in enumerate(titles):
            year = min(2025, start + k // 3 + rng.randint(0, 4))
            song: dict[str, Any] = {
                "Artist": artist,
                "SongTitle": title,
                "AlbumTitle": albums[min(k // 5, 2)],
                "Year": year,
                "Price": Decimal(rng.choice(("0.99", "1.29", "1.49"))),
                "DurationSeconds": rng.randint(95, 540 if genre in ("Jazz", "Classical") else 330),
                "Explicit": genre in ("Hip-Hop", "Metal") and rng.random() < 0.5,
                "PlayCount": rng.randint(1_000, 9_999_999_999_999),
                "Isrc": f"{rng.choice(('US', 'GB', 'DE', 'JP', 'KR'))}{rng.randint(100, 999)}{year % 100:02d}{rng.randint(10000, 99999)}",
                "Credits": {"producer": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "writers": [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))]},
            }  # fmt: skip
            if rng.random() > 0.03:  # a few songs have no genre: they are not in GenreIndex
                song["Genre"] = genre
            if rng.random() < 0.25:
                song["ChartPositions"] = set(rng.sample(range(1, 101), rng.randint(1, 4)))
            if rng.random() < 0.08:
                song["Awards"] = set(
                    rng.sample(
                        ("Grammy", "Mercury Prize", "Echo", "Juno", "Gold Disc", "Platinum Disc"),
                        rng.randint(1, 2),
                    )
                )
            if rng.random() < 0.2:
                song["Remastered"] = None if rng.random() < 0.5 else min(2025, year + rng.randint(10, 30))
            yield song
