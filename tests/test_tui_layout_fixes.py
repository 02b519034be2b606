"""What a daily user saw at 80x24 and 200x50: notices that covered Save, the Week table cut
mid-word, scrollbars where nothing scrolls (or that did not look like one), a short Events list."""

from __future__ import annotations

import re

import pytest
from textual.widgets import DataTable, SelectionList
from textual.widgets._toast import Toast

from skinlog.domain.entry import EVENTS
from skinlog.domain.regions import REGIONS
from skinlog.tui.views import VIEWS
from tests.tui_helpers import demo_journal, open_app, run, wait_until


def test_the_saved_notice_covers_neither_save_nor_the_last_entry_line_at_80x24(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24), notifications=True) as (app, pilot):
            await pilot.press("plus", "ctrl+s")
            await wait_until(pilot, lambda: list(app.screen.query(Toast)))
            await pilot.pause()
            save = app.screen.query_one("#save").region
            last = app.screen.query_one("#last-entry").region
            for toast in app.screen.query(Toast):
                assert not toast.region.overlaps(save)
                assert not toast.region.overlaps(last)
                assert toast.region.y >= 2  # under the two-line header

    run(scenario)


SHORT = "|".join(sorted((re.escape(r.short) for r in REGIONS), key=len, reverse=True))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_week_table_shows_whole_short_region_names_and_does_not_scroll_sideways(tmp_path, size):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            await pilot.press("f5")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert table.virtual_size.width <= table.scrollable_content_region.width
            assert not table.show_horizontal_scrollbar
            column = list(table.columns)[-1]
            for row in table.rows:
                text = str(table.get_cell(row, column))
                parts = text.split(", ")
                for part in parts:
                    assert (
                        part == "…"
                        or re.fullmatch(rf"({SHORT}) \d+\.\d", part)
                        or part
                        in (
                            "clear",
                            "nothing logged",
                        )
                    ), text

    run(scenario)


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 50)])
def test_a_scrollbar_shows_only_where_something_scrolls_and_is_one_column(tmp_path, size):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            for view in VIEWS:
                await pilot.press(view.key)
                await pilot.pause()
                for widget in app.screen.query("*"):
                    if not widget.display or not widget.region.area:
                        continue
                    where = f"{view.id}: {widget!r} at {size}"
                    if widget.show_vertical_scrollbar:
                        assert widget.max_scroll_y > 0, where
                        assert widget.styles.scrollbar_size_vertical == 1, where
                    if widget.show_horizontal_scrollbar:
                        assert widget.max_scroll_x > 0, where

    run(scenario)


def test_the_events_list_shows_every_event_on_a_tall_terminal(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(200, 50)) as (app, pilot):
            await pilot.pause()
            events = app.screen.query_one("#events", SelectionList)
            assert events.option_count == len(EVENTS)
            assert events.size.height >= len(EVENTS)
            assert not events.show_vertical_scrollbar

    run(scenario)
