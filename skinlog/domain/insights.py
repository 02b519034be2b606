"""Product insights: how the days with a product compare with the days without it, once the
trend is taken out (each day against the mean of the four weeks around it). Whether a product
was followed by a change is ``effects``' question (``skinlog effect``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from skinlog.domain.entry import Entry

TREND_DAYS = 14
"""A day's trend: the mean total of the logged days up to this many days either side of it."""


class Insight(NamedTuple):
    """How far above (+) or below (-) the trend around them the logged days with and without one
    product were, on average, over a window."""

    product: str
    days_with: int
    days_without: int
    mean_with: float
    mean_without: float

    @property
    def difference(self) -> float:
        return self.mean_with - self.mean_without

    def sentence(self) -> str:
        """The finding, worded as an association (it cannot show cause)."""
        if abs(self.difference) < 0.05:
            return f"Days with {self.product} were about the same as days without it, against the weeks around them."
        side = "fewer" if self.difference < 0 else "more"
        return (
            f"Days with {self.product} had {abs(self.difference):.1f} {side} bumps than days without it, "
            f"each against the trend of the weeks around it."
        )

    def to_public(self) -> dict[str, object]:
        return {
            "product": self.product,
            "days_with": self.days_with,
            "days_without": self.days_without,
            "mean_with": round(self.mean_with, 2),
            "mean_without": round(self.mean_without, 2),
            "difference": round(self.difference, 2),
        }


# The settings that choose the window and minimum days ``product_insights`` is called with.
SETTINGS_READ: tuple[str, ...] = ("insight_weeks", "insight_min_days")
CAVEAT = (
    "These are associations in your own log, not causes: each day is compared with the weeks around "
    "it, so slow changes do not count. Whether things changed after you started something: "
    "skinlog effect --all."
)


def product_insights(entries: Sequence[Entry], today: date, weeks: int, min_days: int = 3) -> list[Insight]:
    """Per product over the last ``weeks`` weeks, shown only with ``min_days`` logged days on
    each side; sorted from the biggest fall in bumps to the biggest rise."""
    start = today - timedelta(days=7 * weeks - 1)
    window = [e for e in entries if start <= e.date <= today]
    totals = _departures(entries, window)
    grand = sum(totals)
    sums: dict[str, float] = {}
    days: dict[str, int] = {}
    for entry, total in zip(window, totals):
        for name in entry.products:
            sums[name] = sums.get(name, 0) + total
            days[name] = days.get(name, 0) + 1
    found = []
    for name, n_with in days.items():
        n_without = len(window) - n_with
        if n_with < min_days or n_without < min_days:
            continue
        found.append(Insight(name, n_with, n_without, sums[name] / n_with, (grand - sums[name]) / n_without))
    return sorted(found, key=lambda i: (i.difference, i.product.casefold()))


def _departures(entries: Sequence[Entry], window: Sequence[Entry]) -> list[float]:
    """Each day's total less the mean total of the logged days within ``TREND_DAYS`` of it."""
    ordered = sorted(entries, key=lambda e: e.date)
    ordinals = [e.date.toordinal() for e in ordered]
    prefix = [0]
    for entry in ordered:
        prefix.append(prefix[-1] + entry.total)
    from bisect import bisect_left, bisect_right

    out = []
    for entry in window:
        day = entry.date.toordinal()
        lo, hi = bisect_left(ordinals, day - TREND_DAYS), bisect_right(ordinals, day + TREND_DAYS)
        out.append(entry.total - (prefix[hi] - prefix[lo]) / (hi - lo))
    return out
