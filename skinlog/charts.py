"""Drawing the trend charts on a plotext-like object (the plotext module, or the ``plt`` of a
textual-plotext widget), so the CLI and the TUI draw the same chart.

Dates are plotted as day numbers with our own tick labels: plotext's date axis can shift days
under some time zones and repeats labels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from skinlog.domain.analysis import Series, downsample
from skinlog.domain.entry import Entry
from skinlog.domain.regions import BY_ID

if TYPE_CHECKING:
    from skinlog.domain.effects import Evaluation  # numpy: never imported here at run time

GAP = 18  # columns between date labels
FRAME_COLUMNS = 8  # what the y-axis labels and the frame take from a chart's width
FRAME_ROWS = 4  # what the title, the frame and the date labels take from its height
STEPS = (1, 2, 5)  # y ticks every 1, 2, 5, 10, 20, 50, ... bumps
COLORS = ("blue+", "red+", "green+", "orange+", "magenta+", "cyan+")
TOTAL_MARKER = "braille"  # the total's thin line
# one marker per region line (there are 20 regions), so the lines differ without colour too
MARKERS = ("x", "o", "+", "*", "#", "%", "=", "@", "&", "$", "~", "^", "v", "<", ">", "?", "!", ":", "s", "z")


def tick_positions(first: int, last: int, width: int) -> list[int]:
    """Day numbers (or bar positions) to label, the first and the last always among them.

    Labels are ten characters wide; they are kept at least 18 columns apart, more before the last
    label (the end labels are pushed inwards), because plotext drops labels that would overlap, in an order that changes
    from one process to the next.
    """
    if last <= first:
        return [first]
    columns = max(12, width - 8)  # less the y-axis labels and frame
    most = max(2, columns // GAP + 1)
    step = -(-(last - first) // (most - 1))  # ceiling division: whole steps keep even spacing
    positions = list(range(first, last + 1, step))
    if positions[-1] != last:
        if (last - positions[-1]) * columns < (GAP + 6) * (last - first):
            positions.pop()
        positions.append(last)
    return positions


def label(day: date) -> str:
    return day.isoformat()


def count_ticks(peak: float, rows: int) -> list[int]:
    """Whole-number y ticks from 0 up to ``peak`` (1, 2 or 5 times a power of ten apart), at most
    one every other row of a plot ``rows`` high, so counts never read 16.7 or 13.3."""
    whole = max(1, math.ceil(peak))
    most = max(2, rows // 2)
    scale = 1
    while True:
        for base in STEPS:
            step = base * scale
            if whole // step + 1 <= most:
                return list(range(0, whole + 1, step))
        scale *= 10


def _count_axis(plt: Any, peak: float, height: int) -> None:
    """The y axis from 0 to ``peak`` (at least 1) with whole-number ticks."""
    ticks = count_ticks(peak, height - FRAME_ROWS)
    plt.ylim(0, max(1, math.ceil(peak)))
    plt.yticks(ticks, [str(t) for t in ticks])


def _ticks(plt: Any, start: date, first: int, last: int, width: int) -> None:
    positions = tick_positions(first, last, width)
    plt.xticks(positions, [label(start + timedelta(days=p)) for p in positions])


class Line(NamedTuple):
    """One series as the chart draws it: its name, colour and marker (the same on every segment,
    so the legend names it once), and its segments: runs of logged days, each as the day numbers
    and counts to plot."""

    name: str
    color: str
    marker: str
    segments: list[tuple[list[int], list[int]]]


def runs(xs: Sequence[int], bucket: int) -> list[tuple[int, int]]:
    """Index ranges ``[i, j)`` of ``xs`` (increasing day numbers) with no ``bucket`` or more
    unlogged days in a row inside them: the line is broken at such a gap, so a stretch without
    entries is not drawn as a slope. A logged 0 is a point; only a day without an entry is a gap."""
    if not xs:
        return []
    bucket = max(1, bucket)
    cuts = [i for i in range(1, len(xs)) if xs[i] - xs[i - 1] > bucket]
    bounds = [0, *cuts, len(xs)]
    return list(zip(bounds, bounds[1:]))


def lines(series: Series, columns: int) -> list[Line]:
    """The lines ``draw_daily`` plots, total last (on top): each series cut into runs of logged
    days (``runs``), each run cut to the lowest and highest point of each of its columns
    (``downsample``). A gap is a run of unlogged days at least a column wide (a day when every
    day has its column), since a shorter one could not be seen."""
    span = (series.end - series.start).days + 1
    columns = max(1, columns)
    bucket = -(-span // columns)  # days a column covers, rounded up
    xs = [(d - series.start).days for d in series.dates]
    pieces = runs(xs, bucket)
    out = []
    for (name, colour, marker), values in zip(styles(series), [*series.regions.values(), series.total]):
        segments = []
        for i, j in pieces:
            share = max(1, -(-(xs[j - 1] - xs[i] + 1) * columns // span))
            segments.append(downsample(xs[i:j], values[i:j], share))
        out.append(Line(name, colour, marker, segments))
    return out


def styles(series: Series) -> list[tuple[str, str, str]]:
    """(name, colour, marker) of each line of ``series``: the chosen regions in order, then the
    total. Every line has its own marker, so the chart reads without colour."""
    regions = [
        (BY_ID[region].short, COLORS[(n + 1) % len(COLORS)], MARKERS[n % len(MARKERS)])
        for n, region in enumerate(series.regions)
    ]
    return [*regions, ("total", COLORS[0], TOTAL_MARKER)]


def draw_daily(plt: Any, series: Series, width: int, height: int, title: str = "") -> None:
    """Daily total (and chosen regions) over the series' range, on a plot ``width`` x ``height``.

    Each line is broken where days were not logged and cut down to the lowest and highest point
    of each column (``lines``): plotext takes time for every point, and a column shows no more
    than that anyway. No legend is drawn on the plot, where it would hide points: ``legend``
    gives it as a line of text to show beside the chart."""
    span = (series.end - series.start).days
    for line in lines(series, width - FRAME_COLUMNS):
        for xs, ys in line.segments:
            plt.plot(xs, ys, color=line.color, marker=line.marker)
    peak = max([*series.total, *(v for vals in series.regions.values() for v in vals), 1])
    _count_axis(plt, peak, height)
    plt.xlim(0, max(span, 1))
    _ticks(plt, series.start, 0, span, width)
    plt.title(title or f"Bumps a day, {label(series.start)} to {label(series.end)}")


def legend_items(series: Series) -> list[tuple[str, str, str]]:
    """(sample, colour, name) of each line, total first: the sample repeats the line's marker,
    so the legend reads without colour as well."""
    items = [(_sample(marker), colour, name) for name, colour, marker in styles(series)]
    return [items[-1], *items[:-1]]


def _legend_rows(items: Iterable[tuple[str, str, str]], width: int, *, color: bool) -> str:
    """Legend items (marker, colour, name) as lines of text no wider than ``width``, plotext's
    colour codes on the markers when ``color``."""
    import plotext as plt

    rows: list[str] = []
    row, used = "", 0
    for sample, colour, name in items:
        visible = f"{sample} {name}"
        item = f"{plt.colorize(sample, colour)} {name}" if color else visible
        if used and used + 3 + len(visible) > width:
            rows.append(row)
            row, used = "", 0
        row += ("   " if used else "") + item
        used += (3 if used else 0) + len(visible)
    rows.append(row)
    return "\n".join(rows)


def legend(series: Series, width: int, *, color: bool) -> str:
    """The chart's legend as lines of text no wider than ``width`` (plotext's colour codes when
    ``color``); it goes under the chart, never over its points."""

    return _legend_rows(legend_items(series), width, color=color)


def _sample(marker: str) -> str:
    return "⠒⠒⠒" if marker == TOTAL_MARKER else marker * 3


def draw_weekly(plt: Any, mondays: Sequence[date], means: Sequence[float], width: int, height: int) -> None:
    """Bars of the mean daily total per ISO week, at positions 0..n-1 labelled with the Mondays."""
    if not mondays:
        return
    xs = list(range(len(mondays)))
    plt.bar(xs, list(means), color=COLORS[0], width=0.6, marker="hd")
    _count_axis(plt, max([*means, 1]), height)
    positions = tick_positions(0, len(xs) - 1, width)
    plt.xticks(positions, [label(mondays[p]) for p in positions])
    plt.title(f"Mean bumps a day by week, weeks starting {label(mondays[0])} to {label(mondays[-1])}")


# -- as text, for the command line


def _as_text(draw: Callable[[Any], None], width: int, height: int, color: bool) -> str:
    """What ``draw`` puts on plotext's own figure, as ``width`` x ``height`` text for a terminal."""
    import plotext as plt

    plt.clear_figure()
    plt.limitsize(False, False)  # the size asked for, even when it is not the terminal's
    plt.plotsize(width, height)
    draw(plt)
    text = str(plt.build())
    return text if color else str(plt.uncolorize(text))


def daily_text(series: Series, width: int, height: int, *, color: bool) -> str:
    """The daily chart (``draw_daily``) as text with its legend under it; ``color`` keeps
    plotext's colour codes."""
    key = legend(series, width, color=color)
    rows = max(4, height - key.count("\n") - 1)  # the chart and its legend fill ``height``
    chart = _as_text(lambda plt: draw_daily(plt, series, width, rows), width, rows, color)
    return chart.rstrip("\n") + "\n" + key


def weekly_text(
    mondays: Sequence[date], means: Sequence[float], width: int, height: int, *, color: bool
) -> str:
    """The weekly bars (``draw_weekly``) as text; ``color`` keeps plotext's colour codes."""
    return _as_text(lambda plt: draw_weekly(plt, mondays, means, width, height), width, height, color)


# -- is it working? one change, before and after


class EffectMark(NamedTuple):
    """One thing the before/after chart draws: its name for the legend, colour and marker, and
    the day numbers and values of its points."""

    name: str
    color: str
    marker: str
    xs: list[int]
    ys: list[float]


EFFECT_MARGIN = 7
"""Days shown before the baseline and after the response window."""


def effect_marks(
    ev: Evaluation, entries: Sequence[Entry], columns: int
) -> tuple[date, int, list[EffectMark]]:
    """What ``draw_effect`` plots for the evaluation ``ev`` of ``entries``: the first day shown,
    the days shown, and the marks, daily bumps first. The daily bumps are the total (a procedure:
    the total in its regions, as evaluated); the baseline's mean is drawn over the baseline, the
    mean after over the response window, and the straight-line trend of the baseline carried
    through the response window (what the estimate compares with); two upright lines mark the
    start and the response window's beginning (the lag between them)."""
    first = ev.baseline[0] - timedelta(days=EFFECT_MARGIN)
    last = ev.window[1] + timedelta(days=EFFECT_MARGIN)
    span = (last - first).days
    regions = ev.regions if ev.change.is_procedure and ev.regions else None
    xs: list[int] = []
    ys: list[int] = []
    for entry in entries:
        if first <= entry.date <= last:
            xs.append((entry.date - first).days)
            ys.append(sum(entry.counts.get(r, 0) for r in regions) if regions is not None else entry.total)
    marks = []
    bucket = -(-max(span, 1) // max(1, columns))
    for i, j in runs(xs, bucket):
        share = max(1, -(-(xs[j - 1] - xs[i] + 1) * columns // max(span, 1)))
        sx, sy = downsample(xs[i:j], ys[i:j], share)
        marks.append(EffectMark("bumps a day", COLORS[0], TOTAL_MARKER, sx, [float(y) for y in sy]))
    day = (ev.change.day - first).days
    b0, b1 = (ev.baseline[0] - first).days, (ev.baseline[1] - first).days
    w0, w1 = (ev.window[0] - first).days, (ev.window[1] - first).days
    est = ev.total
    if est is not None:
        # the fitted line passes through the baseline's mean day and mean count
        days = [x for x in xs if b0 <= x <= b1]
        middle = sum(days) / len(days) if days else (b0 + b1) / 2
        per_day = est.slope / 7
        trend = list(range(b0, w1 + 1))
        marks.append(
            EffectMark(
                "trend before, carried on",
                COLORS[3],
                "·",
                trend,
                [max(0.0, est.before + per_day * (x - middle)) for x in trend],
            )
        )
        marks.append(EffectMark("mean before", COLORS[2], "─", [b0, b1], [est.before, est.before]))
        marks.append(EffectMark("mean after", COLORS[1], "═", [w0, w1], [est.after, est.after]))
    peak = max([*ys, *(y for m in marks for y in m.ys), 1.0])
    top = float(math.ceil(peak))
    marks.append(EffectMark("start", COLORS[4], "┃", [day, day], [0.0, top]))
    marks.append(EffectMark("response window", COLORS[5], "┆", [w0, w0, w1, w1], [0.0, top, top, 0.0]))
    return first, span, marks


def draw_effect(plt: Any, ev: Evaluation, entries: Sequence[Entry], width: int, height: int) -> None:
    """The before/after chart of one evaluation (``effect_marks``) on a plot ``width`` x
    ``height``; the dates of the baseline's start, the change and the window's end label the axis."""
    first, span, marks = effect_marks(ev, entries, width - FRAME_COLUMNS)
    for mark in marks:
        if mark.name == "response window":  # two upright lines, not a box
            for k in (0, 2):
                plt.plot(mark.xs[k : k + 2], mark.ys[k : k + 2], color=mark.color, marker=mark.marker)
        else:
            plt.plot(mark.xs, mark.ys, color=mark.color, marker=mark.marker)
    peak = max([y for m in marks for y in m.ys] + [1.0])
    _count_axis(plt, peak, height)
    plt.xlim(0, max(span, 1))
    wanted = [ev.baseline[0], ev.change.day, ev.window[0], ev.window[1]]
    columns = max(12, width - FRAME_COLUMNS)
    positions: list[int] = []
    for day in wanted:
        x = (day - first).days
        if all(abs(x - p) * columns >= 12 * max(span, 1) for p in positions):
            positions.append(x)
    plt.xticks(positions, [label(first + timedelta(days=p)) for p in positions])
    plt.title(" ")


def effect_legend_items(ev: Evaluation) -> list[tuple[str, str, str]]:
    """(sample, colour, words) of each mark of the before/after chart, as the legend says them."""
    items = [(_sample(TOTAL_MARKER), COLORS[0], "bumps a day")]
    if ev.total is not None:
        items += [
            ("───", COLORS[2], f"mean before {ev.total.before:.1f}"),
            ("═══", COLORS[1], f"mean after {ev.total.after:.1f}"),
            ("···", COLORS[3], f"trend before, carried on {ev.total.expected:.1f}"),
        ]
    items += [
        ("┃", COLORS[4], "procedure" if ev.change.is_procedure else "start"),
        ("┆ ┆", COLORS[5], "response window"),
    ]
    return items


def effect_legend(ev: Evaluation, width: int, *, color: bool) -> str:
    """The before/after chart's legend as lines of text no wider than ``width`` (plotext's
    colour codes when ``color``): every mark is named beside its marker, so it reads without colour."""

    return _legend_rows(effect_legend_items(ev), width, color=color)


def effect_text(ev: Evaluation, entries: Sequence[Entry], width: int, height: int, *, color: bool) -> str:
    """The before/after chart with its legend under it, as text."""
    key = effect_legend(ev, width, color=color)
    rows = max(6, height - key.count("\n") - 1)
    chart = _as_text(lambda plt: draw_effect(plt, ev, entries, width, rows), width, rows, color)
    return chart.rstrip("\n") + "\n" + key
