"""Trends: lines break where days were not logged, the legend sits under the chart, and every
line has its own marker so the chart reads without colour."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import SelectionList, Static
from textual_plotext import PlotextPlot

from skinlog import charts
from skinlog.domain.analysis import daily_series
from skinlog.domain.entry import make_entry
from skinlog.domain.regions import REGIONS
from skinlog.storage import Journal
from tests.tui_helpers import PINNED_TODAY, open_app, run, screen_text

START = date(2026, 9, 1)


def journal_with_gap(tmp_path, before: int, gap: int, after: int, counts=None):
    """A journal file of ``before`` logged days, ``gap`` unlogged days, then ``after`` logged days,
    from START; returns its entries as read back from the file."""
    path = tmp_path / "journal.json"
    days = [*range(before), *range(before + gap, before + gap + after)]
    entries = [
        make_entry(START + timedelta(days=n), counts or {"nose": 1 + n % 3, "chin": n % 2}) for n in days
    ]
    Journal(path).replace_all(entries, [], {})
    return path, Journal(path).entries()


class Recorder:
    """Takes the calls ``draw_daily`` makes on plotext."""

    def __init__(self) -> None:
        self.plots: list[tuple[list[int], list[int], dict]] = []

    def plot(self, xs, ys, **options):
        self.plots.append((list(xs), list(ys), options))

    def __getattr__(self, name):
        return lambda *a, **k: None


# -- gaps


@pytest.mark.parametrize("gap", [1, 3, 7, 30])
def test_a_gap_of_unlogged_days_splits_every_line(tmp_path, gap) -> None:
    _, entries = journal_with_gap(tmp_path, 10, gap, 12)
    end = START + timedelta(days=10 + gap + 11)
    series = daily_series(entries, START, end, ["nose"])
    lines = charts.lines(series, 100)
    assert [line.name for line in lines] == ["nose", "total"]
    for line in lines:
        assert len(line.segments) == 2
        (xs1, _), (xs2, _) = line.segments
        assert xs1 == list(range(10)) and xs2 == list(range(10 + gap, 22 + gap))
    plt = Recorder()
    charts.draw_daily(plt, series, 100, 30)
    assert len(plt.plots) == 4  # two segments per line
    for *_, options in plt.plots:
        assert "label" not in options  # no legend on the plot
    assert {plt.plots[0][2]["marker"], plt.plots[1][2]["marker"]} == {"x"}  # one look per line
    assert plt.plots[0][2]["color"] == plt.plots[1][2]["color"]


def test_days_logged_with_no_bumps_are_points_not_gaps(tmp_path) -> None:
    _, entries = journal_with_gap(tmp_path, 20, 0, 0, counts={"nose": 0})
    series = daily_series(entries, START, START + timedelta(days=19))
    (total,) = charts.lines(series, 100)
    assert total.segments == [(list(range(20)), [0] * 20)]


def test_the_broken_line_shows_on_the_chart(tmp_path) -> None:
    _, entries = journal_with_gap(tmp_path, 10, 10, 10, counts={"nose": 5})
    series = daily_series(entries, START, START + timedelta(days=29))
    text = charts.daily_text(series, 62, 16, color=False)
    rows = text.splitlines()
    top = rows[next(n for n, row in enumerate(rows) if "┌" in row) + 1]  # the peak's row: 5
    drawn = top.split("│")[1]
    # drawn over the days logged, blank over the ten days between them
    assert drawn.strip() and " " * 10 in drawn.strip()


def test_a_hundred_years_stays_cut_to_the_width_and_keeps_long_gaps(tmp_path) -> None:
    end = PINNED_TODAY
    start = end - timedelta(days=36_499)
    gone = range(20_000, 21_000)  # a thousand days not logged, in the middle
    entries = [
        make_entry(start + timedelta(days=n), {"nose": n % 7})
        for n in range(36_500)
        if n not in gone and n % 3
    ]
    series = daily_series(entries, start, end)
    (total,) = charts.lines(series, 100)
    assert len(total.segments) == 2  # the short gaps (a day in three) are narrower than a column
    assert total.segments[0][0][-1] < 20_000 <= 21_000 <= total.segments[1][0][0]
    assert sum(len(xs) for xs, _ in total.segments) <= 2 * 100 + 4
    assert max(max(ys) for _, ys in total.segments) == 6


def test_every_line_has_its_own_marker() -> None:
    series = daily_series([], START, START, [r.id for r in REGIONS])
    markers = [marker for _, _, marker in charts.styles(series)]
    assert len(markers) == len(REGIONS) + 1 == len(set(markers))
    samples = [sample for sample, _, _ in charts.legend_items(series)]
    assert len(set(samples)) == len(samples)


def test_the_command_line_chart_has_its_legend_under_it(tmp_path) -> None:
    _, entries = journal_with_gap(tmp_path, 10, 2, 10)
    series = daily_series(entries, START, START + timedelta(days=21), ["nose", "chin"])
    text = charts.daily_text(series, 80, 20, color=False)
    rows = text.splitlines()
    assert len(rows) <= 20
    assert rows[-1].split() == ["⠒⠒⠒", "total", "xxx", "nose", "ooo", "chin"]
    assert not any("total" in row for row in rows[:-1])


# -- in the app


def _app_journal(tmp_path):
    path = tmp_path / "journal.json"
    days = [n for n in range(1, 29) if not 8 <= n < 15]  # a week not logged
    Journal(path).replace_all(
        [make_entry(PINNED_TODAY - timedelta(days=n), {"nose": 2 + n % 3, "chin": n % 2}) for n in days],
        [],
        {},
    )
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_legend_is_under_the_chart_not_on_it(tmp_path, size) -> None:
    path = _app_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            app.screen.query_one("#regions", SelectionList).select("nose")
            await pilot.pause()
            plot = app.screen.query_one(PlotextPlot)
            drawn = plot.render().plain
            assert "total" not in drawn and "nose" not in drawn
            key = app.screen.query_one("#trend-legend", Static)
            assert str(key.render()).split() == ["⠒⠒⠒", "total", "xxx", "nose"]
            assert key.region.y >= plot.region.bottom  # below the plot, not over it
            assert "⠒⠒⠒ total   xxx nose" in screen_text(app)

    run(scenario)


def test_without_colour_the_lines_and_the_region_boxes_read(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    path = _app_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            assert app.no_color
            regions = app.screen.query_one("#regions", SelectionList)
            regions.select("nose")
            regions.select("chin")
            await pilot.pause()
            drawn = app.screen.query_one(PlotextPlot).render().plain
            assert "x" in drawn and "o" in drawn  # nose and chin, apart from the total's braille
            text = screen_text(app)
            assert "⠒⠒⠒ total   xxx nose   ooo chin" in text
            # ticked and not ticked differ in the text, not only in colour
            boxes = [regions.render_line(n).text.rstrip() for n in range(regions.option_count)]
            ticked = [line for line in boxes if line.startswith("▐X▌")]
            assert ticked == ["▐X▌ nose", "▐X▌ chin"] and "▐ ▌ forehead" in boxes

    run(scenario)
