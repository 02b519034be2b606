"""F1 help: readable at 80x24 (one column of sections that scrolls), two columns when there is room."""

from __future__ import annotations

from textual.containers import VerticalScroll

from skinlog.tui.dialogs.help import HelpScreen
from skinlog.tui.views import VIEWS
from tests.tui_helpers import demo_journal, open_app, run, screen_text


def test_at_80x24_the_help_is_one_column_of_sections_that_scrolls(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            box = app.screen.query_one("#help", VerticalScroll)
            assert box.region.right <= 80 and box.region.bottom <= 24  # the whole dialog on screen
            left, views = app.screen.query_one("#help-left"), app.screen.query_one("#help-views")
            assert views.region.y > left.region.y and views.region.x == left.region.x  # one column
            first = screen_text(app)
            assert "Keys everywhere" in first and "the Today view" in first and "Escape closes" in first
            for key in ("F2 ", "F8 ", "ctrl+z", "q "):
                assert key in first, key
            headings = [str(h.render()) for h in app.screen.query(".help-heading")]
            assert headings[:1] == ["Keys everywhere"] and "The map" in headings and "Your files" in headings
            assert all(view.title in headings for view in VIEWS if view.screen_class().HELP)
            assert box.max_scroll_y > 0
            await pilot.press("end")
            await pilot.pause()
            last = [v for v in VIEWS if v.screen_class().HELP][-1].screen_class().HELP.split()
            assert box.scroll_y == box.max_scroll_y and " ".join(last[-4:]) in screen_text(app)
            assert "**" not in screen_text(app) and "`" not in screen_text(app)  # no raw markup

    run(scenario)


def test_at_120x40_the_help_uses_two_columns(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f1")
            await pilot.pause()
            left, views = app.screen.query_one("#help-left"), app.screen.query_one("#help-views")
            assert views.region.y == left.region.y and views.region.x > left.region.right
            text = screen_text(app)
            assert "Keys everywhere" in text and "The map" in text and "Today" in text
            assert app.screen.query_one("#help").region.width > 100  # the room is used

    run(scenario)
