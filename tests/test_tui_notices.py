"""Notices never pile up, and never cover a dialog."""

from __future__ import annotations

from textual.widgets._toast import Toast

from tests.tui_helpers import demo_journal, open_app, run


def shown(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_a_new_notice_replaces_one_of_its_kind_and_at_most_two_show(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24), notifications=True) as (app, pilot):
            await pilot.press("f9")  # Calendar
            await pilot.pause()
            for _ in range(4):
                await pilot.press("right_square_bracket")  # a year that has not happened: a warning each time
                await pilot.pause()
            assert len(app.notices) >= 4 and shown(app) == ["That year has not happened yet."]
            app.notify("one", title="Exported")
            app.notify("two", title="Changed elsewhere")
            app.notify("three", title="Changed elsewhere")
            await pilot.pause()
            assert shown(app) == ["one", "three"]
            assert len(app.screen.query(Toast)) == 2

    run(scenario)


def test_opening_a_dialog_clears_the_notices(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24), notifications=True) as (app, pilot):
            await pilot.pause()
            app.notify("one", title="Exported")
            app.notify("two", title="Changed elsewhere")
            await pilot.pause()
            assert len(app.screen.query(Toast)) == 2
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            assert shown(app) == [] and len(app.screen.query(Toast)) == 0
            app.notify("after", title="Exported")  # one arriving while the dialog is open: alone
            await pilot.pause()
            assert shown(app) == ["after"]

    run(scenario)
