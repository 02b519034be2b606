"""Small builders for hand-made journals."""

from __future__ import annotations

from datetime import date, timedelta

from skinlog.domain.entry import Entry, make_entry

TODAY = date(2026, 6, 15)  # a Monday


def day(offset: int) -> date:
    """``offset`` days before TODAY."""
    return TODAY - timedelta(days=offset)


def entry(offset: int, products=(), **counts) -> Entry:
    symptoms = {k: counts.pop(k) for k in ("redness", "itch", "pain") if k in counts}
    picked = counts.pop("picked", False)
    return make_entry(day(offset), counts, products, symptoms=symptoms, picked=picked)


def daily(first: int, last: int, step: int = 1, products=(), **counts) -> list[Entry]:
    """Entries every ``step`` days from ``first`` days ago down to ``last`` days ago."""
    return [entry(o, products, **counts) for o in range(first, last - 1, -step)]
