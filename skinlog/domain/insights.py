"""Product insights: how the days with a product compare with the days without it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple

from skinlog.domain.entry import Entry


class Insight(NamedTuple):
    """Mean daily total on logged days with and without one product, over a window."""

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
            return (
                f"Days with {self.product} averaged about the same as days without it ({self.mean_with:.1f})."
            )
        side = "fewer" if self.difference < 0 else "more"
        return (
            f"Days with {self.product} averaged {abs(self.difference):.1f} {side} bumps "
            f"({self.mean_with:.1f} vs {self.mean_without:.1f} on days without)."
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
    "These are associations in your own log, not causes: other things change at the same time, "
    "and milia respond slowly."
)


def product_insights(entries: Sequence[Entry], today: date, weeks: int, min_days: int = 3) -> list[Insight]:
    """Per product over the last ``weeks`` weeks, shown only with ``min_days`` logged days on
    each side; sorted from the biggest fall in bumps to the biggest rise."""
    start = today - timedelta(days=7 * weeks - 1)
    window = [e for e in entries if start <= e.date <= today]
    totals = [e.total for e in window]
    grand = sum(totals)
    sums: dict[str, int] = {}
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
