"""Weekly aggregation, this week against last, daily series and logging streaks.

Every function takes entries sorted by date (oldest first) and returns plain values.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from skinlog.domain.entry import Entry
from skinlog.domain.regions import BY_ID, REGION_IDS


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


class Week(NamedTuple):
    """One ISO week (Monday start) of entries."""

    start: date
    days_logged: int
    mean_total: float | None
    max_total: int | None
    region_mean: dict[str, float]  # only regions with bumps that week
    region_max: dict[str, int]
    product_days: dict[str, int]
    change: float | None  # mean total minus the week before's (None without both)

    @property
    def iso(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    def to_public(self) -> dict[str, object]:
        return {
            "week": self.iso,
            "start": self.start.isoformat(),
            "days_logged": self.days_logged,
            "mean_total": _round(self.mean_total),
            "max_total": self.max_total,
            "region_mean": {r: round(v, 2) for r, v in self.region_mean.items()},
            "region_max": self.region_max,
            "product_days": self.product_days,
            "change": _round(self.change),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def weekly(entries: Sequence[Entry]) -> list[Week]:
    """Every ISO week from the first entry's to the last's, empty weeks included."""
    if not entries:
        return []
    buckets: dict[date, list[Entry]] = {}
    for entry in entries:
        buckets.setdefault(week_start(entry.date), []).append(entry)
    weeks: list[Week] = []
    monday, last = week_start(entries[0].date), week_start(entries[-1].date)
    previous_mean: float | None = None
    while monday <= last:
        days = buckets.get(monday, [])
        week = _summarise(monday, days, previous_mean)
        weeks.append(week)
        previous_mean = week.mean_total
        monday += timedelta(days=7)
    return weeks


def recent_weeks(entries: Sequence[Entry], count: int) -> list[Week]:
    """``weekly(entries)[-count:]``, worked out from the entries those weeks need only (a week's
    change needs the week before it), so a century of entries costs what twelve weeks do."""
    if count <= 0 or not entries:
        return []
    cutoff = week_start(entries[-1].date) - timedelta(weeks=count)  # the week before the first shown
    first = bisect_left([e.date for e in entries], cutoff) if entries[0].date < cutoff else 0
    if first == 0:
        return weekly(entries)[-count:]
    weeks = weekly(entries[first:])
    # the weeks between the cutoff and the first entry after it are empty in the whole journal too
    monday = weeks[0].start - timedelta(days=7)
    while monday > cutoff:
        weeks.insert(0, Week(monday, 0, None, None, {}, {}, {}, None))
        monday -= timedelta(days=7)
    return weeks[-count:]


def _summarise(monday: date, days: list[Entry], previous_mean: float | None) -> Week:
    if not days:
        return Week(monday, 0, None, None, {}, {}, {}, None)
    sums: dict[str, int] = {}
    maxes: dict[str, int] = {}
    products: dict[str, int] = {}
    totals = []
    for entry in days:
        total = 0
        for region, count in entry.counts.items():
            total += count
            sums[region] = sums.get(region, 0) + count
            if count > maxes.get(region, 0):
                maxes[region] = count
        totals.append(total)
        for name in entry.products:
            products[name] = products.get(name, 0) + 1
    n = len(days)
    mean = sum(totals) / n
    order = {r: i for i, r in enumerate(REGION_IDS)}
    region_mean = {r: sums[r] / n for r in sorted(sums, key=order.__getitem__) if sums[r]}
    return Week(
        start=monday,
        days_logged=n,
        mean_total=mean,
        max_total=max(totals),
        region_mean=region_mean,
        region_max={r: maxes[r] for r in region_mean},
        product_days=dict(sorted(products.items(), key=lambda kv: (-kv[1], kv[0].casefold()))),
        change=None if previous_mean is None else mean - previous_mean,
    )


class WeekComparison(NamedTuple):
    """This week against the one before, in words and numbers."""

    this: Week
    last: Week
    label: str  # "this week vs last" or "last week vs the week before"
    best_day: tuple[date, int] | None
    worst_day: tuple[date, int] | None
    movers: list[tuple[str, float]]  # regions by size of change in mean, biggest first
    trend: str

    def to_public(self) -> dict[str, object]:
        return {
            "label": self.label,
            "this_week": self.this.to_public(),
            "last_week": self.last.to_public(),
            "best_day": _day_public(self.best_day),
            "worst_day": _day_public(self.worst_day),
            "movers": [{"region": r, "change": round(c, 2)} for r, c in self.movers],
            "trend": self.trend,
        }


def _day_public(day: tuple[date, int] | None) -> dict[str, object] | None:
    return None if day is None else {"date": day[0].isoformat(), "total": day[1]}


TREND_SHARE = 0.15
TREND_MIN = 0.5
TREND_MIN_DAYS = 3  # logged days each compared window needs before a trend word is given
NOT_ENOUGH = "not enough days"
STALE_AFTER_DAYS = 14  # a journal whose last entry is older than this is read as of that entry


def reference_date(entries: Sequence[Entry], today: date) -> date:
    """The date flags and trends are computed as of: ``today`` while the last entry (on or
    before today) is at most 14 days old, else that entry's date. A person who stopped logging
    months ago still sees what their journal said when they stopped."""
    for entry in reversed(entries):
        if entry.date <= today:
            return today if (today - entry.date).days <= STALE_AFTER_DAYS else entry.date
    return today


def trend_word(
    before: float | None,
    after: float | None,
    days_before: int = TREND_MIN_DAYS,
    days_after: int = TREND_MIN_DAYS,
) -> str:
    """improving / stable / worsening, from two mean daily totals and the logged days behind each.

    The rule: each window needs at least 3 logged days, else "not enough days". A change counts
    when the mean moves by at least 15% of the earlier mean *and* by at least half a bump a day;
    a fall is "improving", a rise "worsening", anything smaller is "stable".
    """
    if before is None or after is None or min(days_before, days_after) < TREND_MIN_DAYS:
        return NOT_ENOUGH
    change = after - before
    if abs(change) < TREND_MIN or abs(change) < TREND_SHARE * before:
        return "stable"
    return "improving" if change < 0 else "worsening"


def compare_weeks(entries: Sequence[Entry], today: date) -> WeekComparison | None:
    """This ISO week against last; before anything is logged this week, last week against the
    week before. None for an empty journal."""
    if not entries:
        return None
    this_monday = week_start(today)
    label = "this week vs last"
    if not any(e.date >= this_monday for e in entries[-7:]):
        this_monday -= timedelta(days=7)
        label = "last week vs the week before"
    last_monday = this_monday - timedelta(days=7)
    this_days = [e for e in entries[-21:] if this_monday <= e.date < this_monday + timedelta(days=7)]
    last_days = [e for e in entries[-21:] if last_monday <= e.date < this_monday]
    last = _summarise(last_monday, last_days, None)
    this = _summarise(this_monday, this_days, last.mean_total)
    best = min(this_days, key=lambda e: (e.total, e.date), default=None)
    worst = max(this_days, key=lambda e: (e.total, e.date), default=None)
    movers = []
    for region in REGION_IDS:
        delta = this.region_mean.get(region, 0.0) - last.region_mean.get(region, 0.0)
        if this.days_logged and last.days_logged and abs(delta) >= 0.05:
            movers.append((region, delta))
    movers.sort(key=lambda rc: -abs(rc[1]))
    return WeekComparison(
        this=this,
        last=last,
        label=label,
        best_day=(best.date, best.total) if best else None,
        worst_day=(worst.date, worst.total) if worst else None,
        movers=movers[:3],
        trend=trend_word(last.mean_total, this.mean_total, last.days_logged, this.days_logged),
    )


class Trend(NamedTuple):
    """The mean daily total over the last ``weeks`` weeks up to ``end`` against the ``weeks``
    before, the logged days behind each mean, and the word for it."""

    end: date
    weeks: int
    before: float | None
    after: float | None
    days_before: int
    days_after: int
    word: str

    def to_public(self) -> dict[str, object]:
        return {
            "end": self.end.isoformat(),
            "weeks": self.weeks,
            "before": _round(self.before),
            "after": _round(self.after),
            "days_before": self.days_before,
            "days_after": self.days_after,
            "trend": self.word,
        }


def trend(entries: Sequence[Entry], end: date, weeks: int = 4) -> Trend:
    """The last ``weeks`` weeks up to ``end`` against the ``weeks`` before (``end`` is normally
    ``reference_date``)."""
    cut = end - timedelta(days=7 * weeks)
    start = cut - timedelta(days=7 * weeks)
    dates = [e.date for e in entries]
    window = entries[bisect_right(dates, start) : bisect_right(dates, end)]
    recent = [e.total for e in window if e.date > cut]
    before = [e.total for e in window if e.date <= cut]
    mean_recent = sum(recent) / len(recent) if recent else None
    mean_before = sum(before) / len(before) if before else None
    word = trend_word(mean_before, mean_recent, len(before), len(recent))
    return Trend(end, weeks, mean_before, mean_recent, len(before), len(recent), word)


def period_trend(
    entries: Sequence[Entry], today: date, weeks: int = 4
) -> tuple[float | None, float | None, str]:
    """Mean daily total over the last ``weeks`` weeks against the ``weeks`` before, and the word."""
    t = trend(entries, today, weeks)
    return t.before, t.after, t.word


class Series(NamedTuple):
    """Logged days in a range, with the daily total and each region's count."""

    start: date
    end: date
    dates: list[date]
    total: list[int]
    regions: dict[str, list[int]]


RANGES = {"4w": 28, "12w": 84, "1y": 365, "all": None}


def chart_end(entries: Sequence[Entry], today: date) -> date:
    """The last day a chart shows: today once it is logged, else yesterday (a day still being
    lived would only add an empty stretch at the end)."""
    return today if entries and entries[-1].date >= today else today - timedelta(days=1)


def range_start(entries: Sequence[Entry], end: date, span: str) -> date:
    """First day of a named range (4w, 12w, 1y, all) ending on ``end``."""
    days = RANGES[span]
    if days is None:
        return entries[0].date if entries else end
    return end - timedelta(days=days - 1)


def default_range(entries: Sequence[Entry], end: date) -> str:
    """The range a chart opens on: everything while the journal spans less than 12 weeks up to
    ``end`` (a first week fills the chart instead of sitting at its right edge), else 12 weeks."""
    if not entries or (end - entries[0].date).days + 1 < (RANGES["12w"] or 0):
        return "all"
    return "12w"


def downsample(xs: Sequence[int], ys: Sequence[int], columns: int) -> tuple[list[int], list[int]]:
    """At most two points per column for a line ``columns`` wide: each column's lowest and
    highest point, in the order they come, so a one-day peak (or dip) survives.

    ``xs`` are increasing day numbers; a column covers an equal share of ``xs[0]..xs[-1]``.
    Lines that already fit are returned as they are.
    """
    if len(xs) != len(ys):
        raise ValueError("xs and ys differ in length")
    columns = max(1, columns)
    if len(xs) <= 2 * columns:
        return list(xs), list(ys)
    first = xs[0]
    span = xs[-1] - first + 1
    out_x: list[int] = []
    out_y: list[int] = []
    i, n = 0, len(xs)
    while i < n:
        column = (xs[i] - first) * columns // span
        lo = hi = i
        j = i + 1
        while j < n and (xs[j] - first) * columns // span == column:
            if ys[j] < ys[lo]:
                lo = j
            elif ys[j] > ys[hi]:
                hi = j
            j += 1
        for k in (lo, hi) if lo < hi else (hi, lo) if hi < lo else (lo,):
            out_x.append(xs[k])
            out_y.append(ys[k])
        i = j
    return out_x, out_y


def daily_series(entries: Sequence[Entry], start: date, end: date, regions: Iterable[str] = ()) -> Series:
    """The logged days from ``start`` to ``end`` (inclusive); days without an entry are absent.
    ``entries`` are sorted by date, as everywhere here."""
    chosen = list(regions)
    dates = [e.date for e in entries]
    days = entries[bisect_left(dates, start) : bisect_right(dates, end)]
    return Series(
        start=start,
        end=end,
        dates=[e.date for e in days],
        total=[e.total for e in days],
        regions={r: [e.count(r) for e in days] for r in chosen},
    )


def weekly_series(entries: Sequence[Entry], start: date, end: date) -> tuple[list[date], list[float]]:
    """Mondays and mean daily totals of the weeks with entries in the range."""
    weeks = weekly([e for e in entries if start <= e.date <= end])
    return [w.start for w in weeks if w.mean_total is not None], [
        w.mean_total for w in weeks if w.mean_total is not None
    ]


def streak(entries: Sequence[Entry], today: date) -> tuple[int, date | None]:
    """Days in a row logged up to today (or up to yesterday when today is not logged yet),
    and the date of the last entry."""
    if not entries:
        return 0, None
    last = entries[-1].date
    expected = today if last >= today else today - timedelta(days=1)
    count = 0
    for entry in reversed(entries):
        if entry.date > expected:
            continue
        if entry.date != expected:
            break
        count += 1
        expected -= timedelta(days=1)
    return count, last


# -- the same words for the command line and the app


def change_arrow(change: float | None) -> str:
    """ "↑ +1.2" (more bumps), "↓ -0.4" (fewer) or "→ 0.0"; empty without a week before."""
    if change is None:
        return ""
    if abs(change) < 0.05:
        return "→ 0.0"
    return f"{'↑' if change > 0 else '↓'} {change:+.1f}"


def top_regions(region_mean: dict[str, float], count: int = 3) -> str:
    top = sorted(region_mean.items(), key=lambda kv: -kv[1])[:count]
    return ", ".join(f"{BY_ID[r].short} {v:.1f}" for r, v in top)


def summary_lines(entries: Sequence[Entry], today: date) -> list[str]:
    """This week against last (best and worst day, regions that moved most, products) and the
    four-week trend, as lines of plain text; as of ``reference_date`` (said first when that is
    not today)."""
    from skinlog.domain.words import as_of_line

    lines: list[str] = []
    as_of = reference_date(entries, today)
    stamp = as_of_line(as_of, today)
    if stamp:
        lines.append(f"{stamp[0].upper()}{stamp[1:]}:")
    c = compare_weeks(entries, as_of)
    if c is not None:
        means = "no entries"
        if c.last.mean_total is not None and c.this.mean_total is not None:
            means = f"{c.last.mean_total:.1f} → {c.this.mean_total:.1f} a day"
        label = f"the week of {c.this.start.isoformat()} vs the one before" if stamp else c.label
        lines.append(f"{label[0].upper()}{label[1:]}: {c.trend} ({means})")
        if c.best_day and c.worst_day:
            lines.append(
                f"  Best day {c.best_day[0].isoformat()} (total {c.best_day[1]}), "
                f"worst day {c.worst_day[0].isoformat()} (total {c.worst_day[1]})"
            )
        if c.movers:
            lines.append(
                "  Moved most: "
                + ", ".join(f"{BY_ID[r].short} {'↑' if d > 0 else '↓'} {d:+.1f}" for r, d in c.movers)
            )
        if c.this.product_days:
            used = ", ".join(f"{name} {n}/{c.this.days_logged}" for name, n in c.this.product_days.items())
            lines.append(f"  Products (days used): {used}")
    t = trend(entries, as_of)
    if t.before is not None and t.after is not None:
        pct = f", {100 * (t.after - t.before) / t.before:+.0f}%" if t.before else ""
        lines.append(f"Last 4 weeks vs the 4 before: {t.word} ({t.before:.1f} → {t.after:.1f} a day{pct})")
    return lines
