"""Bar charts drawn on the server as SVG geometry (no chart library, no script needed to see them):
the search page's articles over time, whose bars are links to their period and which a drag selects
(static/histogram.js), and an entity's quotes over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ..search import DateBucket
from .params import SearchState

WIDTH, HEIGHT = 600, 90
UNITS = {"d": "days", "w": "weeks", "M": "months", "q": "quarters", "y": "years"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    start: str  # first day of the period
    end: str  # last day of it
    count: int
    href: str | None = None  # the search narrowed to this period


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    peak: int = 0

    @property
    def first(self) -> str:
        return self.bars[0].start if self.bars else ""

    @property
    def last(self) -> str:
        return self.bars[-1].end if self.bars else ""


def period_end(start: str, interval: str | None) -> str:
    """The last day of the period that starts on `start` and spans `interval` ("1d", "7d", "3M", "1y")."""
    first = date.fromisoformat(start[:10])
    if not interval or interval[-1] not in UNITS or not interval[:-1].isdigit():
        return first.isoformat()
    unit, n = UNITS[interval[-1]], int(interval[:-1])
    if unit == "quarters":
        unit, n = "months", 3 * n
    return (first + relativedelta(**{unit: n}) - timedelta(days=1)).isoformat()


def bars(buckets: list[DateBucket], interval: str | None = None, state: SearchState | None = None) -> Chart:
    """Bars for the buckets; with a search `state`, each bar links to the search narrowed to its period."""
    if not buckets:
        return Chart([])
    peak = max(b.count for b in buckets) or 1
    width = WIDTH / len(buckets)
    drawn = []
    for i, bucket in enumerate(buckets):
        end = period_end(bucket.start, interval)
        height = (HEIGHT - 4) * bucket.count / peak
        href = state.at_dates(bucket.start[:10], end).url() if state is not None else None
        drawn.append(Bar(round(i * width, 2), round(HEIGHT - height, 2), round(max(width - 1, 1), 2),
                         round(height, 2), bucket.start[:10], end, bucket.count, href))
    return Chart(drawn, peak=peak)

