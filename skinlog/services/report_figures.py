"""The visit report's pictures, drawn as SVG with matplotlib: the face heat map and the timeline.

Imported only by the report (matplotlib costs a third of a second to import). Every figure is
drawn in shades of grey with the numbers written on it, so a black-and-white print reads the
same; the SVG carries no date and fixed ids, so the same journal gives the same bytes.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never a window, whatever the environment asks for

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Ellipse, FancyBboxPatch  # noqa: E402

from skinlog.domain.regions import REGIONS  # noqa: E402

MM = 1 / 25.4  # inches per millimetre
FONT = "DejaVu Sans"
RC: dict[Any, Any] = {  # matplotlib types the keys as every rc name
    "svg.hashsalt": "skinlog-report",
    "svg.fonttype": "path",
    "font.family": FONT,
    "font.size": 7,
    "axes.linewidth": 0.5,
    "xtick.major.width": 0.5,
    "ytick.major.width": 0.5,
    "xtick.labelsize": 6,
    "ytick.labelsize": 6,
    "path.simplify": True,
}

# A face seen from the front, in a box 0..10 wide and 0..12 high (y up). Each face region has a
# spot in the MIRROR view (the person's left on the left, as the app's map and the regions
# table's cells have it); the report turns it around (``_x``), as a clinician faces the person.
SPOTS: dict[str, tuple[float, float]] = {
    "forehead": (5.0, 10.4),
    "temple_left": (1.5, 8.9),
    "eyelid_left": (3.4, 8.6),
    "eyelid_right": (6.6, 8.6),
    "temple_right": (8.5, 8.9),
    "ear_left": (-0.2, 6.6),
    "under_eye_left": (3.1, 7.1),
    "nose": (5.0, 6.1),
    "under_eye_right": (6.9, 7.1),
    "ear_right": (10.2, 6.6),
    "cheek_left": (2.5, 5.2),
    "perioral": (5.0, 4.1),
    "cheek_right": (7.5, 5.2),
    "jaw_left": (2.5, 3.0),
    "chin": (5.0, 2.0),
    "jaw_right": (7.5, 3.0),
}
BODY_Y = -0.4  # the body regions: a row of boxes under the face


def _x(mirror_x: float) -> float:
    """A mirror-view x as the clinician sees it: the person's left moves to the viewer's right."""
    return 10.0 - mirror_x


def _shade(value: float, top: float) -> float:
    """Grey level (1 white .. 0.25 dark grey) for a mean: 0 is white, ``top`` the darkest."""
    if value <= 0 or top <= 0:
        return 1.0
    return 0.88 - 0.63 * min(value / top, 1.0)


def _svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        # a name in a script the bundled fonts lack (CJK) is drawn as boxes: no need to say so
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        fig.savefig(buf, format="svg", metadata={"Date": None}, transparent=False)
    return buf.getvalue()


@dataclass(frozen=True)
class RegionCell:
    """What the map shows for a region: the mean a day over the recent weeks, and the peak."""

    mean: float
    peak: int


def face_map(cells: Mapping[str, RegionCell], weeks_label: str) -> bytes:
    """The face heat map as SVG: every region at its place on a face outline seen from the front
    (the person's left on the viewer's right, marked), shaded by its recent mean (written in it),
    with the peak in small type; the body regions in a row underneath."""
    top = max([c.mean for c in cells.values()] + [1.0])
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(72 * MM, 80 * MM))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(-1.3, 11.3)
        ax.set_ylim(-1.55, 12.45)
        ax.set_aspect("equal")
        ax.axis("off")
        # outline: head, ears, neck
        ax.add_patch(Ellipse((5, 6.4), 8.4, 11.2, fill=False, lw=1.0, ec="0.35"))
        for side in (0.35, 9.65):
            ax.add_patch(Ellipse((side, 6.6), 1.3, 2.6, fill=False, lw=0.8, ec="0.5"))
        ax.text(-1.2, 12.1, "◀ patient's RIGHT", ha="left", va="center", fontsize=6.5, weight="bold")
        ax.text(11.2, 12.1, "patient's LEFT ▶", ha="right", va="center", fontsize=6.5, weight="bold")
        body = [r.id for r in REGIONS if r.id not in SPOTS]
        for region in REGIONS:
            cell = cells.get(region.id, RegionCell(0.0, 0))
            if region.id in SPOTS:
                mx, y = SPOTS[region.id]
                x, w, h = _x(mx), 1.7, 1.05
            else:  # the body: a row under the face, in the table's order
                x, y, w, h = 0.0 + 3.33 * body.index(region.id), BODY_Y, 2.3, 1.05
            grey = _shade(cell.mean, top)
            ax.add_patch(
                FancyBboxPatch(
                    (x - w / 2, y - h / 2),
                    w,
                    h,
                    boxstyle="round,pad=0.02,rounding_size=0.25",
                    fc=str(grey),
                    ec="0.2",
                    lw=0.5,
                )
            )
            ink = "white" if grey < 0.55 else "black"
            mean = "–" if cell.mean == 0 else f"{cell.mean:.1f}"
            ax.text(x, y + 0.2, mean, ha="center", va="center", fontsize=7.5, weight="bold", color=ink)
            size = 4.8 if len(region.short) <= 8 else 4.1
            ax.text(x, y - 0.28, region.short, ha="center", va="center", fontsize=size, color=ink)
            if cell.peak:
                ax.text(
                    x + w / 2, y + h / 2 + 0.03, f"peak {cell.peak}", ha="right", va="bottom", fontsize=4.3
                )
        ax.text(5.0, -1.25, f"body · bold: mean a day, {weeks_label}", ha="center", va="center", fontsize=5)
        return _svg(fig)


@dataclass(frozen=True)
class Lane:
    """A product's lane: the days it was used, and how it is named beside its bars."""

    label: str
    used: Sequence[date]
    dark: bool  # treatments (retinoids, acids) and heavy products drawn solid, others hatched


@dataclass(frozen=True)
class Marker:
    day: date
    kind: str  # "procedure" or "event"
    text: str


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    totals: Mapping[date, int]
    regions: Sequence[tuple[str, Mapping[date, int]]]  # the most affected regions' daily counts
    lanes: Sequence[Lane]
    more_lanes: int
    markers: Sequence[Marker]


def _runs(days: Sequence[date], join: int = 1) -> list[tuple[date, int]]:
    """Days as (first day, length) runs; gaps shorter than ``join`` days are joined (on a long
    period a bar a day would be thinner than the ink)."""
    runs: list[tuple[date, int]] = []
    for d in sorted(days):
        if runs and (d - runs[-1][0]).days - runs[-1][1] < join:
            runs[-1] = (runs[-1][0], (d - runs[-1][0]).days + 1)
        else:
            runs.append((d, 1))
    return runs


def _binned_missed(start: date, span: int, missed: Sequence[date], step: int) -> list[date]:
    """On a long period (``step`` days a point), the days of the bins mostly not logged."""
    if step == 1:
        return list(missed)
    per_bin: dict[int, int] = {}
    for d in missed:
        b = (d - start).days // step
        per_bin[b] = per_bin.get(b, 0) + 1
    return [
        start + timedelta(days=b * step + k)
        for b, n in sorted(per_bin.items())
        if 2 * n >= min(step, span - b * step)
        for k in range(min(step, span - b * step))
    ]


def _missed(start: date, end: date, logged: Mapping[date, int]) -> list[date]:
    span = (end - start).days + 1
    return [d for d in (start + timedelta(days=i) for i in range(span)) if d not in logged]


def _series(start: date, end: date, values: Mapping[date, int], step: int) -> tuple[list[float], list[float]]:
    """x (day numbers) and y: daily values, or the mean of each ``step`` days over a long period;
    a gap (NaN) where nothing was logged, so a line never bridges missed days."""
    xs: list[float] = []
    ys: list[float] = []
    span = (end - start).days + 1
    for first in range(0, span, step):
        got = [
            values[d]
            for d in (start + timedelta(days=first + k) for k in range(min(step, span - first)))
            if d in values
        ]
        xs.append(first + (min(step, span - first) - 1) / 2)
        ys.append(sum(got) / len(got) if got else float("nan"))
    return xs, ys


def timeline(t: Timeline) -> bytes:
    """The timeline as SVG: the daily total and the most affected regions on top, a lane for each
    product beneath it (a bar for each run of days it was used), then procedures and events as
    markers; days not logged are grey marks under the chart."""
    span = (t.end - t.start).days + 1
    step = 1 if span <= 400 else 7 if span <= 3 * 366 else 30
    lanes = len(t.lanes) + 1  # + procedures and events
    chart_mm, lane_mm = 30.0, 3.3
    height = chart_mm + lane_mm * lanes + 8
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(186 * MM, height * MM))
        left, right = 0.2, 0.985
        bottom_lanes = 5 / height
        lanes_h = lane_mm * lanes / height
        chart = fig.add_axes(
            (left, bottom_lanes + lanes_h + 1.5 / height, right - left, (chart_mm - 3) / height)
        )
        lane_ax = fig.add_axes((left, bottom_lanes, right - left, lanes_h), sharex=chart)
        xs, ys = _series(t.start, t.end, t.totals, step)
        chart.plot(
            xs, ys, color="black", lw=1.1, label="all regions" + ("" if step == 1 else f" ({step}-day mean)")
        )
        styles = [("0.35", (0, (4, 1.5))), ("0.5", (0, (1, 1)))]
        for (name, counts), (grey, dash) in zip(t.regions, styles):
            rx, ry = _series(t.start, t.end, counts, step)
            chart.plot(rx, ry, color=grey, lw=0.9, linestyle=dash, label=name)
        if step == 1 and span <= 120:
            logged_x = [(d - t.start).days for d in t.totals]
            chart.plot(
                logged_x, [t.totals[d] for d in t.totals], ls="none", marker="o", ms=1.4, color="black"
            )
        top = max([y for y in ys if y == y] + [1])  # what is drawn: the highest day, or mean
        chart.set_ylim(-0.06 * top - 0.5, top * 1.12 + 0.5)
        missed = _missed(t.start, t.end, t.totals)
        if missed:  # one collection, however many gaps: a century of them draws at once
            chart.broken_barh(
                [
                    ((first - t.start).days - 0.5, length)
                    for first, length in _runs(_binned_missed(t.start, span, missed, step))
                ],
                (0, 0.035),
                transform=chart.get_xaxis_transform(),
                facecolors="0.55",
                linewidth=0,
            )
        chart.set_ylabel("bumps a day", fontsize=6)
        chart.grid(axis="y", color="0.85", lw=0.4)
        chart.tick_params(labelbottom=False)
        handles, labels = chart.get_legend_handles_labels()
        if missed:
            from matplotlib.patches import Patch

            handles.append(Patch(color="0.55", lw=0))
            labels.append(f"not logged ({len(missed)} days)")
        chart.legend(
            handles,
            labels,
            loc="lower left",
            bbox_to_anchor=(0, 0.98),
            fontsize=5.5,
            ncol=4,
            frameon=False,
            handlelength=2.2,
            borderaxespad=0,
            borderpad=0.1,
        )
        for spine in ("top", "right"):
            chart.spines[spine].set_visible(False)
        # lanes: products, then procedures and events
        lane_ax.set_ylim(lanes - 0.5, -0.5)
        lane_ax.set_yticks(range(lanes))
        names = [lane.label for lane in t.lanes] + ["procedures ▲ / events ◆"]
        lane_ax.set_yticklabels(names, fontsize=5.6)
        lane_ax.tick_params(axis="y", length=0, pad=2)
        for i, lane in enumerate(t.lanes):
            bars = [((d - t.start).days - 0.5, n) for d, n in _runs(lane.used, step)]
            lane_ax.broken_barh(
                bars,
                (i - 0.32, 0.64),
                facecolors="0.15" if lane.dark else "white",
                edgecolors="0.15",
                linewidth=0.3 if lane.dark else 0.4,
                hatch=None if lane.dark else "////////",
            )
        for i in range(lanes):
            lane_ax.axhline(i + 0.5, color="0.88", lw=0.3)
        row = lanes - 1
        done = [(m.day - t.start).days for m in t.markers if m.kind == "procedure"]
        happened = [(m.day - t.start).days for m in t.markers if m.kind != "procedure"]
        if done:
            lane_ax.plot(done, [row] * len(done), marker="^", ms=4, color="black", ls="none")
            chart.vlines(
                done, 0, 1, transform=chart.get_xaxis_transform(), color="0.3", lw=0.5, ls=(0, (2, 2))
            )
        if happened:
            lane_ax.plot(
                happened,
                [row] * len(happened),
                marker="D",
                ms=3,
                mfc="white",
                mec="black",
                mew=0.6,
                ls="none",
            )
        for spine in ("top", "right"):
            lane_ax.spines[spine].set_visible(False)
        lane_ax.set_xlim(-0.5, span - 0.5)
        ticks = _ticks(t.start, t.end)
        lane_ax.set_xticks([(d - t.start).days for d in ticks])
        lane_ax.set_xticklabels([_tick_label(d, span) for d in ticks], fontsize=5.6)
        if t.more_lanes:
            fig.text(
                0.01,
                0.5 / height,
                f"+ {t.more_lanes} more product{'s' if t.more_lanes != 1 else ''} (listed below)",
                fontsize=5.5,
                va="bottom",
            )
        return _svg(fig)


def _ticks(start: date, end: date) -> list[date]:
    """About eight dates on the axis: first of months, of quarters or of years."""
    span = (end - start).days + 1
    if span <= 21:
        return [start + timedelta(days=i) for i in range(0, span, max(1, span // 7))]
    if span <= 120:
        days = [start + timedelta(days=i) for i in range(span)]
        return [d for d in days if d.weekday() == 0][:: max(1, span // 60)]
    months = span // 30
    every = next(m for m in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600) if months / m <= 9)
    out = []
    y, m = start.year, start.month
    while True:
        m += 1
        if m > 12:
            y, m = y + 1, 1
        d = date(y, m, 1)
        if d > end:
            break
        if (m - 1) % every == 0 if every < 12 else (m == 1 and y % (every // 12) == 0):
            out.append(d)
    return out


def _tick_label(d: date, span: int) -> str:
    if span <= 120:
        return d.strftime("%d %b")
    if span <= 3 * 366:
        return d.strftime("%b %Y") if d.month == 1 or span <= 200 else d.strftime("%b")
    return str(d.year) if d.month == 1 else d.strftime("%b %Y")
