"""A year of daily totals as a grid: one cell a day, weeks as columns, weekdays (Monday first) as rows.

The grid is worked out from dates alone; the totals come from ``daily_totals``, built once from
the entries, so changing the year only looks days up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

from skinlog.domain.entry import Entry

WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS: tuple[str, ...] = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


class Level(NamedTuple):
    """One step of the legend: the lowest total it holds, its label and the mark drawn for it."""

    low: int
    label: str
    mark: str


GAP = Level(-1, "no entry", "·")
"""A day with nothing logged: drawn differently from a day logged with no bumps."""

LEVELS: tuple[Level, ...] = (
    Level(0, "0", "○"),
    Level(1, "1-4", "░"),
    Level(5, "5-9", "▒"),
    Level(10, "10-19", "▓"),
    Level(20, "20+", "█"),
)
"""The steps of the legend, lowest first; the mark alone tells them apart (without colour)."""


def level(total: int | None) -> int:
    """The legend step of a day's total: -1 for no entry, else an index into LEVELS."""
    if total is None:
        return -1
    found = 0
    for n, step in enumerate(LEVELS):
        if total >= step.low:
            found = n
    return found


def mark(total: int | None) -> str:
    """The character drawn for a day's total (GAP's for no entry)."""
    step = level(total)
    return GAP.mark if step < 0 else LEVELS[step].mark


def daily_totals(entries: Iterable[Entry]) -> dict[int, int]:
    """Each logged day's total bumps, by date ordinal."""
    return {entry.date.toordinal(): entry.total for entry in entries}


def first_cell(year: int) -> date:
    """The Monday on or before 1 January: the top-left cell of the year's grid."""
    start = date(year, 1, 1)
    return start - timedelta(days=start.weekday())


def cell_of(day: date) -> tuple[int, int]:
    """The (column, row) of ``day`` in its year's grid: its week and its weekday."""
    column = (day.toordinal() - first_cell(day.year).toordinal()) // 7
    return column, day.weekday()


def week_count(year: int) -> int:
    """How many week columns the year's grid has (53 or 54)."""
    return cell_of(date(year, 12, 31))[0] + 1


def day_at(year: int, column: int, row: int) -> date | None:
    """The day in a cell of the year's grid, or None for a cell before 1 January or after 31 December."""
    if not 0 <= row < 7 or column < 0:
        return None
    day = first_cell(year) + timedelta(days=column * 7 + row)
    return day if day.year == year else None


def month_starts(year: int) -> list[tuple[int, str]]:
    """The column of each month's first day and the month's short name, January first."""
    return [(cell_of(date(year, month, 1))[0], MONTHS[month - 1]) for month in range(1, 13)]


class YearSummary(NamedTuple):
    days: int
    """How many days of the year were logged."""
    total: int
    """Bumps counted over those days, summed."""
    highest: int | None
    """The highest daily total, or None when nothing was logged."""


def year_summary(totals: Mapping[int, int], year: int) -> YearSummary:
    start = date(year, 1, 1).toordinal()
    end = date(year, 12, 31).toordinal()
    values = [totals[day] for day in range(start, end + 1) if day in totals]
    return YearSummary(len(values), sum(values), max(values) if values else None)


def move(day: date, columns: int = 0, rows: int = 0) -> date:
    """The day ``rows`` days and ``columns`` weeks from ``day`` (the cell that far away)."""
    return day + timedelta(days=rows + 7 * columns)


def same_day_in(day: date, year: int) -> date:
    """``day``'s month and day in another year (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 2, 28)
