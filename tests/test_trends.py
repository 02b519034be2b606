"""Trends: the range it opens on, whole-number ticks, distinct labels and lines cut to the width."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from textual.widgets import SelectionList, Static

from skinlog import charts
from skinlog.domain.analysis import daily_series, default_range, downsample
from skinlog.domain.entry import make_entry
from skinlog.domain.regions import REGIONS
from skinlog.services import preferences
from skinlog.storage import Journal
from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text

END = date(2026, 11, 21)


def entries_over(days: int, end: date = END) -> list:
    return [make_entry(end - timedelta(days=n), {"nose": n % 5}) for n in reversed(range(days))]


# -- the range it opens on


@pytest.mark.parametrize(
    "days, expected", [(0, "all"), (1, "all"), (7, "all"), (83, "all"), (84, "12w"), (400, "12w")]
)
def test_the_default_range_shows_a_young_journal_whole(days: int, expected: str) -> None:
    assert default_range(entries_over(days), END) == expected


def test_a_journal_that_stopped_long_ago_counts_from_its_first_entry_to_the_end() -> None:
    # five days logged a year ago: the span to the chart's end is long, so 12 weeks
    assert default_range(entries_over(5, END - timedelta(days=365)), END) == "12w"


# -- downsampling


def test_a_one_day_peak_in_a_hundred_years_survives() -> None:
    days = 36_500
    xs = list(range(days))
    ys = [3] * days
    ys[20_001] = 250
    ys[31_337] = 0
    for width in (20, 57, 80, 200):
        out_x, out_y = downsample(xs, ys, width)
        assert len(out_x) == len(out_y) <= 2 * width
        assert max(out_y) == 250 and out_x[out_y.index(250)] == 20_001
        assert min(out_y) == 0 and out_x[out_y.index(0)] == 31_337
        assert out_x == sorted(out_x) and len(set(out_x)) == len(out_x)


def test_every_column_keeps_its_lowest_and_highest_point() -> None:
    rng = random.Random(4)
    xs = sorted(rng.sample(range(5_000), 3_000))  # days with gaps between them
    ys = [rng.randint(0, 40) for _ in xs]
    width = 37
    out_x, out_y = downsample(xs, ys, width)
    assert len(out_x) <= 2 * width
    span = xs[-1] - xs[0] + 1

    def column(x: int) -> int:
        return (x - xs[0]) * width // span

    for col in {column(x) for x in xs}:
        before = [y for x, y in zip(xs, ys) if column(x) == col]
        after = [y for x, y in zip(out_x, out_y) if column(x) == col]
        assert (min(after), max(after)) == (min(before), max(before))


def test_a_line_that_fits_is_left_as_it_is() -> None:
    assert downsample([0, 1, 5], [2, 9, 4], 2) == ([0, 1, 5], [2, 9, 4])
    assert downsample([], [], 10) == ([], [])
    with pytest.raises(ValueError):
        downsample([0, 1], [1], 10)


def test_the_chart_is_drawn_from_at_most_two_points_a_column() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.lines: list[tuple[list[int], list[int]]] = []

        def plot(self, xs, ys, **_):
            self.lines.append((list(xs), list(ys)))

        def __getattr__(self, name):
            return lambda *a, **k: None

    start = END - timedelta(days=36_499)
    entries = [make_entry(start + timedelta(days=n), {"nose": n % 7, "chin": 1}) for n in range(36_500)]
    series = daily_series(entries, start, END, ["chin"])
    plt = Recorder()
    charts.draw_daily(plt, series, 100, 30)
    assert len(plt.lines) == 2
    for xs, ys in plt.lines:
        assert 0 < len(xs) == len(ys) <= 2 * 100
    assert max(plt.lines[-1][1]) == 7  # the total's peak is still there


# -- whole-number ticks


@pytest.mark.parametrize("rows", [2, 5, 8, 13, 20, 36, 60])
def test_count_ticks_are_whole_numbers_that_cover_the_peak(rows: int) -> None:
    for peak in [0, 0.4, 1, 3, 7, 16, 16.7, 23, 99, 101, 1000, 36_500]:
        ticks = charts.count_ticks(peak, rows)
        assert all(isinstance(t, int) for t in ticks)
        assert ticks[0] == 0 and len(ticks) <= max(2, rows // 2)
        step = ticks[1] - ticks[0]
        assert ticks == list(range(0, ticks[-1] + 1, step))
        assert ticks[-1] <= max(1, peak + 1) and ticks[-1] + step > peak


def _y_labels(text: str) -> list[str]:
    return re.findall(r"^\s*(\S+)\s*┤", text, re.M)


@pytest.mark.parametrize("size", [(40, 10), (80, 24), (120, 40), (200, 60)])
def test_the_charts_label_counts_as_whole_numbers(size) -> None:
    width, height = size
    start = END - timedelta(days=83)
    entries = [make_entry(start + timedelta(days=n), {"nose": n % 17}) for n in range(84)]
    daily = charts.daily_text(daily_series(entries, start, END), width, height, color=False)
    labels = _y_labels(daily)
    assert len(labels) >= 2 and all(label.isdigit() for label in labels), labels
    weekly = charts.weekly_text([start, start + timedelta(days=7)], [2.5, 16.7], width, height, color=False)
    labels = _y_labels(weekly)
    assert len(labels) >= 2 and all(label.isdigit() for label in labels), labels


# -- in the app


def _journal_of(tmp_path, days: int):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    for n in range(days):
        journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=n + 1), {"nose": 2 + n % 3, "chin": 1}))
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_first_week_opens_on_everything_with_whole_ticks(tmp_path, size) -> None:
    path = _journal_of(tmp_path, 5)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            title = str(app.screen.query_one("#trends-title", Static).render())
            assert "over everything" in title and "(5 days logged)" in title
            text = screen_text(app)
            labels = _y_labels(text)
            assert labels and all(label.isdigit() for label in labels), labels
            await pilot.press("2")
            await pilot.pause()
            title = str(app.screen.query_one("#trends-title", Static).render())
            assert "over 12 weeks" in title

    run(scenario)


def test_a_long_journal_opens_on_twelve_weeks(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            title = str(app.screen.query_one("#trends-title", Static).render())
            assert "over 12 weeks" in title
            assert all(label.isdigit() for label in _y_labels(screen_text(app)))

    run(scenario)


def _trends_title(app) -> str:
    return str(app.screen.query_one("#trends-title", Static).render())


def test_the_range_chosen_is_kept_and_trends_opens_on_it_next_time(tmp_path) -> None:
    path = demo_journal(tmp_path)  # long enough to open on 12 weeks by default

    async def choose_a_year():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            assert "over 12 weeks" in _trends_title(app)
            await pilot.press("3")
            await pilot.pause()
            assert "over 1 year" in _trends_title(app)
            assert app.prefs.get("trends_range") == "1y"

    async def open_again(expected: str):
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            assert f"over {expected}" in _trends_title(app)

    run(choose_a_year)
    assert preferences.load().values == {"trends_range": "1y"}  # kept on disk
    run(lambda: open_again("1 year"))
    preferences.save({"trends_range": "nonsense"})  # an unknown range: the default as before
    run(lambda: open_again("12 weeks"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_every_region_label_shows_in_full_and_distinct(tmp_path, size) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            regions = app.screen.query_one("#regions", SelectionList)
            shown = []
            for n in range(regions.option_count):
                regions.highlighted = n  # scrolls the option into view
                await pilot.pause()
                text = screen_text(app)
                label = str(regions.get_option_at_index(n).prompt)
                shown.append(label)
                assert re.search(rf"▌{re.escape(label)}(?![\w…])", text), (
                    label
                )  # in full, not cut to "under-eye…"
            assert shown == [r.short for r in REGIONS]
            assert len(set(shown)) == len(shown)

    run(scenario)
