"""The questions before replacing a day say what differs, as "on disk → yours"."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, Static

from skinlog.domain.entry import make_entry
from skinlog.storage import Journal
from skinlog.tui.dialogs.ask import AskDialog
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.widgets.face_map import FaceMap
from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text

YESTERDAY = PINNED_TODAY - timedelta(days=1)


def stored(path):
    return {e.date: e for e in Journal(path).entries()}


def test_replacing_a_saved_day_lists_what_changes(tmp_path) -> None:
    path = demo_journal(tmp_path)
    before = stored(path)[YESTERDAY]

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("comma")  # yesterday, which has an entry
            await pilot.pause()
            region = app.screen.query_one(FaceMap).current
            app.screen.query_one("#note", Input).value = "new note"
            await pilot.press("plus", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            question = str(app.screen.query_one("#question", Static).render())
            was = before.count(region)
            from skinlog.domain.regions import BY_ID

            diff = question.split("(on disk → yours):\n")[1]
            assert (
                f"total {before.total} → {before.total + 1}: {BY_ID[region].short} {was} → {was + 1}" in diff
            )
            old_note = f'"{before.note[:23]}' if before.note else "none"
            assert f"note: {old_note}" in diff and '→ "new note"' in diff
            assert "products:" not in diff and "symptoms:" not in diff  # only what differs
            assert "on disk → yours" in screen_text(app)  # fits at 80x24

    run(scenario)


def test_a_day_changed_on_disk_shows_the_differences_not_two_days(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("comma", "down", "down", "right", "plus")  # an unsaved edit: the nose + 1
            await pilot.pause()
            assert app.screen.query_one(FaceMap).current == "nose"
            mine = stored(path)[YESTERDAY]
            nose, total = mine.count("nose") + 1, mine.total + 1
            Journal(path).save_entry(
                make_entry(YESTERDAY, {"chin": 6}, note="from the shell", picked=True), mode="replace"
            )
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            question = str(app.screen.query_one("#question", Static).render())
            diff = question.split("What differs (on disk → yours, not saved):\n")[1]
            assert f"total 6 → {total}:" in diff and f"chin 6 → {mine.count('chin')}" in diff
            assert f"nose 0 → {nose}" in diff
            assert "picked: yes → no" in diff and 'note: "from the shell" →' in diff
            assert "Yours, not saved" not in question

    run(scenario)
