"""Calendar: the year grid (pure) and the view driven with keys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Static

from skinlog.domain import calendar as cal
from skinlog.domain.entry import make_entry
from skinlog.storage import Journal
from skinlog.tui.screens.calendar import CalendarScreen
from skinlog.tui.screens.today import TodayScreen
from skinlog.tui.widgets.face_map import FaceMap
from skinlog.tui.widgets.year_grid import LABEL_WIDTH, YearGrid, cell_width, line_of
from tests.tui_helpers import PINNED_TODAY, open_app, run

# -- the grid, from dates alone


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028, 2033, 1900, 2000])
def test_every_day_of_the_year_has_one_cell_and_every_cell_one_day(year):
    weeks = cal.week_count(year)
    assert weeks in (53, 54)
    days = [cal.day_at(year, column, row) for column in range(weeks) for row in range(7)]
    real = [d for d in days if d is not None]
    first, last = date(year, 1, 1), date(year, 12, 31)
    assert real == [first + timedelta(days=n) for n in range((last - first).days + 1)]
    for day in real:
        column, row = cal.cell_of(day)
        assert cal.day_at(year, column, row) == day and row == day.weekday()
    assert cal.day_at(year, weeks, 0) is None and cal.day_at(year, 0, 7) is None


def test_a_leap_year_starting_on_sunday_needs_54_weeks():
    assert date(2028, 1, 1).weekday() == 5 and cal.week_count(2028) == 53
    assert date(2012, 1, 1).weekday() == 6 and cal.week_count(2012) == 54


def test_months_start_where_their_first_day_is():
    starts = cal.month_starts(2026)
    assert [name for _, name in starts] == list(cal.MONTHS)
    assert starts[0] == (0, "Jan")
    assert starts[1][0] == cal.cell_of(date(2026, 2, 1))[0]
    assert [c for c, _ in starts] == sorted(c for c, _ in starts)


def test_a_gap_and_a_logged_zero_are_different_marks_and_levels_rise_with_the_total():
    assert cal.mark(None) != cal.mark(0)
    assert cal.level(None) == -1 and cal.level(0) == 0
    marks = [cal.mark(step.low) for step in cal.LEVELS]
    assert len(set(marks + [cal.GAP.mark])) == len(cal.LEVELS) + 1
    assert [cal.level(n) for n in (0, 1, 4, 5, 9, 10, 19, 20, 500)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_year_summary_and_moves():
    totals = cal.daily_totals(
        [
            make_entry(date(2026, 1, 5), {"nose": 3}),
            make_entry(date(2026, 3, 1), {}),
            make_entry(date(2025, 6, 1), {"chin": 9}),
        ]
    )
    assert cal.year_summary(totals, 2026) == cal.YearSummary(2, 3, 3)
    assert cal.year_summary(totals, 2024) == cal.YearSummary(0, 0, None)
    assert cal.move(date(2026, 1, 5), columns=1) == date(2026, 1, 12)
    assert cal.move(date(2026, 1, 5), rows=-1) == date(2026, 1, 4)
    assert cal.same_day_in(date(2024, 2, 29), 2025) == date(2025, 2, 28)


def test_cells_are_wider_when_there_is_room():
    assert cell_width(78, 53) == 1
    assert cell_width(118, 53) == 2
    assert cell_width(300, 54) == 3


# -- the view


def grid_lines(app) -> list[str]:
    return app.screen.query_one(YearGrid).render().plain.splitlines()


def cell(app, day: date) -> str:
    """The characters of ``day``'s cell as drawn."""
    grid = app.screen.query_one(YearGrid)
    width = cell_width(grid.size.width, cal.week_count(day.year))
    column, row = cal.cell_of(day)
    at = LABEL_WIDTH + column * width
    return grid_lines(app)[line_of(row, grid.size.height)][at : at + width]


def status(app) -> str:
    return str(app.screen.query_one("#calendar-day", Static).render())


def journal_with_gap_and_zero(path):
    journal = Journal(path)
    journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=3), {"nose": 12}))
    journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=1), {}))  # logged, no bumps
    journal.save_entry(make_entry(date(2024, 7, 1), {"chin": 2}))
    return path


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_starts_on_today_and_shows_a_gap_apart_from_a_logged_zero(tmp_path, size):
    path = journal_with_gap_and_zero(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            await pilot.press("f9")
            await pilot.pause()
            assert isinstance(app.screen, CalendarScreen)
            grid = app.screen.query_one(YearGrid)
            assert grid.focused_day == PINNED_TODAY and app.focused is grid
            assert status(app).startswith(f"Sun {PINNED_TODAY.isoformat()} · no entry")
            zero, gap, twelve = (PINNED_TODAY - timedelta(days=n) for n in (1, 2, 3))
            assert cell(app, zero).strip() == cal.mark(0) * len(cell(app, zero).strip())
            assert cell(app, gap).strip()[0] == cal.GAP.mark
            assert cell(app, twelve).strip()[0] == cal.mark(12)
            assert cell(app, zero) != cell(app, gap)
            assert cell(app, PINNED_TODAY + timedelta(days=1)).strip() == ""  # not happened yet
            lines = grid_lines(app)
            assert "Jan" in lines[0] and "Dec" in lines[0]
            assert max(len(line) for line in lines) <= grid.size.width
            legend = str(app.screen.query_one("#calendar-legend", Static).render())
            assert "no entry" in legend and f"{cal.mark(0)} 0" in legend

    run(scenario)


def test_arrows_move_by_day_and_week_and_the_status_line_follows(tmp_path):
    path = journal_with_gap_and_zero(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f9", "up")
            await pilot.pause()
            grid = app.screen.query_one(YearGrid)
            assert grid.focused_day == PINNED_TODAY - timedelta(days=1)
            assert "total 0" in status(app)
            await pilot.press("up", "up")
            await pilot.pause()
            assert "total 12" in status(app) and "nose 12" in status(app)
            await pilot.press("left")
            assert grid.focused_day == PINNED_TODAY - timedelta(days=10)
            await pilot.press("right", "right", "down", "down")  # never past today
            assert grid.focused_day == PINNED_TODAY

    run(scenario)


def test_brackets_change_the_year_within_the_journal(tmp_path):
    path = journal_with_gap_and_zero(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f9", "right_square_bracket")
            await pilot.pause()
            grid = app.screen.query_one(YearGrid)
            assert grid.year == 2026  # next year has not happened yet
            await pilot.press("left_square_bracket")
            await pilot.pause()
            assert grid.focused_day == date(2025, 11, 22)
            assert "2025 · 0 days logged" in str(app.screen.query_one("#calendar-title", Static).render())
            await pilot.press("left_square_bracket", "left_square_bracket")  # 2024, then nothing earlier
            await pilot.pause()
            assert grid.year == 2024
            assert "2024 · 1 day logged · highest daily total 2" in str(
                app.screen.query_one("#calendar-title", Static).render()
            )
            assert any("before 2024" in notice for notice in app.notices)
            await pilot.press("right_square_bracket", "right_square_bracket")
            await pilot.pause()
            assert grid.focused_day == PINNED_TODAY  # the same date, this year

    run(scenario)


def test_enter_opens_the_focused_day_in_today_with_focus_on_the_map(tmp_path):
    path = journal_with_gap_and_zero(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f9", "up", "up", "up", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            assert app.screen.day == PINNED_TODAY - timedelta(days=3)
            assert isinstance(app.focused, FaceMap)
            assert app.screen.query_one(FaceMap).counts.get("nose") == 12

    run(scenario)


def test_the_calendar_follows_a_save(tmp_path):
    path = journal_with_gap_and_zero(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f9")
            await pilot.pause()
            assert cell(app, PINNED_TODAY).strip()[0] == cal.GAP.mark
            await pilot.press("f2", "plus", "plus", "plus", "plus", "plus", "ctrl+s", "f9")
            await pilot.pause()
            assert cell(app, PINNED_TODAY).strip()[0] == cal.mark(5)
            assert "total 5" in status(app)

    run(scenario)


@pytest.mark.parametrize("no_color", [False, True])
def test_without_colour_the_busiest_days_are_drawn_in_full_strength(tmp_path, monkeypatch, no_color):
    """Under NO_COLOR the marks keep the text's own colour: greys made from the colours would
    draw the 20+ days darkest of all, on a dark background."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    path = tmp_path / "journal.json"
    Journal(path).replace_all([make_entry(PINNED_TODAY - timedelta(days=1), {"nose": 25}, [])], [], {})

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f9")
            await pilot.pause()
            drawn = app.screen.query_one(YearGrid).render()
            assert "█" in drawn.plain
            colours = {
                span.style.color
                for span in drawn.spans
                if "█" in drawn.plain[span.start : span.end] and not isinstance(span.style, str)
            }
            assert bool(colours - {None}) is not no_color

    run(scenario)
