"""The window of a metrics read: ``--since 15m|6h|3d|2w`` and the period that fits CloudWatch's rules.

CloudWatch's rules for a standard-resolution metric (DynamoDB publishes only those): the period is a
multiple of 60 s; data older than 15 days exists only at 5-minute periods (a multiple of 300 s), older than
63 days only at 1 hour (3600 s); one GetMetricData result holds at most 100,800 points, and ddbtui keeps a
series at 1,440 points or fewer (a day at one minute). The window's end is the current minute; its start is
a whole number of periods before it, so a window shorter than one period is widened to one period.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

DEFAULT_SINCE = "3h"
MAX_POINTS = 1440  # per series
TARGET_POINTS = 360  # what an automatic period aims at (a sparkline resamples it anyway)
PERIODS = (60, 300, 900, 3600, 21600, 86400)  # the automatic choices
MAX_WINDOW = 455 * 86400  # CloudWatch keeps 1-hour data for 455 days
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw]?)\s*$", re.IGNORECASE)


class WindowError(ValueError):
    """A ``--since`` or ``--period`` CloudWatch would refuse, said in one sentence."""


def parse_duration(text: str, what: str = "--since", default_unit: str = "s") -> int:
    """``15m`` → 900, ``6h`` → 21600, ``3d``, ``2w``; a bare number is in ``default_unit``."""
    m = _DURATION.match(text or "")
    if not m or int(m.group(1)) <= 0:
        raise WindowError(
            f"{what} {text!r} is not a duration: a whole number and s, m, h, d or w (15m, 6h, 3d, 2w)"
        )
    return int(m.group(1)) * _UNITS[(m.group(2) or default_unit).lower()]


def minimum_period(age_seconds: int) -> int:
    """The smallest period CloudWatch serves for data this old: 60 s, 300 s beyond 15 days, 3600 s beyond 63."""
    if age_seconds > 63 * 86400:
        return 3600
    if age_seconds > 15 * 86400:
        return 300
    return 60


def choose_period(window_seconds: int) -> int:
    """The smallest of 1 min, 5 min, 15 min, 1 h, 6 h, 1 day that keeps the window at ≤ 360 points and
    that CloudWatch serves for the window's oldest data."""
    floor = minimum_period(window_seconds)
    for p in PERIODS:
        if p >= floor and math.ceil(window_seconds / p) <= TARGET_POINTS:
            return p
    return PERIODS[-1]


@dataclass(frozen=True)
class Window:
    """``start``..``end`` (epoch seconds, end exclusive) cut into ``points`` periods of ``period`` seconds."""

    start: int
    end: int
    period: int
    asked: int  # the window asked for, in seconds (shorter than one period: widened to it)

    @property
    def points(self) -> int:
        return (self.end - self.start) // self.period

    @property
    def seconds(self) -> int:
        return self.end - self.start

    @property
    def widened(self) -> bool:
        return self.seconds > self.asked

    def bucket_start(self, i: int) -> int:
        return self.start + i * self.period


def make_window(now: float, since: str | None = None, period: str | int | None = None) -> Window:
    """The window ending at the minute of ``now`` (epoch seconds): ``since`` (default 3h) and a period
    (given, or chosen by :func:`choose_period`). Raises :class:`WindowError` for what CloudWatch refuses."""
    asked = parse_duration(since or DEFAULT_SINCE)
    if asked > MAX_WINDOW:
        raise WindowError(f"--since {since} is longer than CloudWatch keeps DynamoDB's metrics (455 days)")
    if period is None:
        p = choose_period(asked)
    else:
        p = period if isinstance(period, int) else parse_duration(str(period), "--period")
        if p % 60:
            raise WindowError(
                f"--period {period} is not a multiple of 60 seconds (DynamoDB's metrics are per minute)"
            )
        floor = minimum_period(asked)
        if p % floor:
            raise WindowError(
                f"--period {period}: CloudWatch keeps data older than {15 if floor == 300 else 63} days only at "
                f"{floor // 60}-minute periods; use a multiple of {floor} seconds"
            )
    n = max(1, math.ceil(asked / p))
    if n > MAX_POINTS:
        raise WindowError(
            f"--period {period} over --since {since or DEFAULT_SINCE} is {n} points a series; at most "
            f"{MAX_POINTS}: use a period of at least {math.ceil(asked / MAX_POINTS / 60) * 60} s"
        )
    end = int(now) // 60 * 60
    return Window(start=end - n * p, end=end, period=p, asked=asked)


def format_duration(seconds: float) -> str:
    """900 → ``15m``, 10800 → ``3h``, 90000 → ``1d 1h``."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    parts = []
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size:
            parts.append(f"{s // size}{unit}")
            s %= size
        if len(parts) == 2:
            break
    return " ".join(parts)
