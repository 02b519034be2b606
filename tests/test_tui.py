"""The app driven with keys through Textual's Pilot, checked against the journal file on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from textual.color import Color
from textual.widgets import DataTable, Input, SelectionList, Static

from skinlog.domain.entry import make_entry
from skinlog.domain.products import Product
from skinlog.storage import Journal
from skinlog.tui.app import OUTSIDE_NOTICE, UNSAVED_MARK
from skinlog.tui.dialogs.ask import AskDialog
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.dialogs.error import JournalErrorScreen
from skinlog.tui.screens.flags import FlagsScreen
from skinlog.tui.screens.history import HistoryScreen
from skinlog.tui.screens.products import ProductsScreen
from skinlog.tui.screens.today import TodayScreen
from skinlog.tui.screens.trends import TrendsScreen
from skinlog.tui.screens.week import WeekScreen
from skinlog.tui.views import VIEWS
from skinlog.tui.widgets.face_map import FaceMap, neighbour
from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text, wait_until


def stored(path):
    return {e.date: e for e in Journal(path).entries()}


def test_log_a_day_with_keys_only(tmp_path):
    path = tmp_path / "journal.json"

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            await pilot.press("3")  # forehead has focus first
            await pilot.press("down", "plus", "plus")  # left upper eyelid: 2
            await pilot.press("down", "down", "right", "1", "2")  # left cheek -> lips: 12
            await pilot.press("tab", "space")  # first product in the list
            await pilot.press("tab", "2")  # redness 2 (a field selects its text on focus)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "editing the saved entry" in str(app.screen.query_one("#day-title", Static).render())

    run(scenario)
    entry = stored(path)[PINNED_TODAY]
    assert dict(entry.counts) == {"forehead": 3, "eyelid_left": 2, "perioral": 12}
    assert entry.products == ("Retinol",)
    assert entry.symptoms.redness == 2


def test_arrow_keys_follow_the_face():
    assert neighbour("forehead", "down") == "eyelid_left"
    assert neighbour("eyelid_left", "down") == "under_eye_left"
    assert neighbour("under_eye_left", "right") == "nose"
    assert neighbour("nose", "down") == "perioral"
    assert neighbour("jaw_right", "down") == "genital"
    assert neighbour("forehead", "up") == "forehead"
    assert neighbour("ear_left", "left") == "ear_left"


def test_edit_a_day_asks_first_and_no_keeps_it(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)
    before = path.read_bytes()
    original = stored(path)[yesterday]

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            await pilot.press("f3")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press("enter")  # newest row: yesterday
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.screen.day == yesterday
            face = app.screen.query_one(FaceMap)
            assert face.counts["under_eye_left"] == original.count("under_eye_left")
            await pilot.press("plus")  # forehead + 1
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("n")
            await pilot.pause()
            assert path.read_bytes() == before
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()

    run(scenario)
    edited = stored(path)[yesterday]
    assert edited.count("forehead") == original.count("forehead") + 1
    assert edited.products == original.products and edited.note == original.note


def test_delete_a_day_after_confirmation(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)
    count = len(stored(path))

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            await pilot.press("y")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert table.get_row_at(0)[0] == (yesterday - timedelta(days=1)).isoformat()

    run(scenario)
    days = stored(path)
    assert yesterday not in days and len(days) == count - 1


def test_invalid_input_is_shown_inline_and_nothing_is_written(tmp_path):
    path = demo_journal(tmp_path)
    before = path.read_bytes()

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("2")
            note = app.screen.query_one("#note", Input)
            note.value = "x" * 1001
            await pilot.press("ctrl+s")
            await pilot.pause()
            error = str(app.screen.query_one("#form-error", Static).render())
            assert "note is too long (1001 characters; at most 1000)" in error
            assert isinstance(app.screen, TodayScreen)  # no question asked, nothing saved
            note.value = "ok\x1b[31m"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "control characters" in str(app.screen.query_one("#form-error", Static).render())

    run(scenario)
    assert path.read_bytes() == before


def test_symptoms_procedure_and_picking_are_chosen_with_keys(tmp_path):
    path = tmp_path / "journal.json"

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("1", "tab", "tab")  # past the products to redness
            assert app.focused.id == "redness"
            await pilot.press("right", "right", "tab", "3", "tab", "left", "tab", "space", "tab", "e")
            assert app.focused.id == "procedure"
            await pilot.press("ctrl+s")
            await pilot.pause()

    run(scenario)
    entry = stored(path)[PINNED_TODAY]
    assert entry.symptoms.to_dict() == {"redness": 2, "itch": 3, "pain": 3}
    assert entry.picked is True and entry.procedure == "extraction"


def test_corrupt_journal_shows_the_error_and_is_left_alone(tmp_path):
    path = demo_journal(tmp_path)
    damaged = path.read_bytes()[:5000]
    path.write_bytes(damaged)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert isinstance(app.screen, JournalErrorScreen)
            message = str(app.screen.query_one("#error-message", Static).render())
            assert str(path) in message and "not valid JSON" in message
            await pilot.press("f2", "f3", "3", "ctrl+s")  # nothing opens, nothing is written
            await pilot.pause()
            assert isinstance(app.screen, JournalErrorScreen)
            await pilot.press("q")
        assert app.journal_ok is False

    run(scenario)
    assert path.read_bytes() == damaged


def test_every_view_opens_from_its_key_and_the_badge_counts_flags(tmp_path):
    path = demo_journal(tmp_path)
    expected = {
        "f3": HistoryScreen,
        "f4": TrendsScreen,
        "f5": WeekScreen,
        "f6": FlagsScreen,
        "f7": ProductsScreen,
        "f2": TodayScreen,
    }

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.pause()
            assert app.sub_title == "Nothing logged today yet · ⚑ 2 flags · highest: see a clinician"
            for key, screen in expected.items():
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, screen), key
            await pilot.press("f6")
            await pilot.pause()
            text = " ".join(str(w.render()) for w in app.screen.query(Static))
            assert (
                "bumps that stay" in text
                and "under-eye L" in text
                and "not a diagnosis or medical advice" in text
            )
            assert "persistence window is 12 weeks" in text
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            await pilot.press("escape")

    run(scenario)


def test_trends_keys_switch_the_range(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f4")
            await pilot.pause()
            title = app.screen.query_one("#trends-title", Static)
            assert "12 weeks" in str(title.render())
            await pilot.press("4")
            await pilot.pause()
            assert "everything" in str(title.render()) and "266 days logged" in str(title.render())
            await pilot.press("1")
            await pilot.pause()
            assert "4 weeks" in str(title.render())

    run(scenario)


def test_add_a_product_from_the_products_view(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f7")
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*"Night balm")
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ProductsScreen)

    run(scenario)
    assert "Night balm" in [p.name for p in Journal(path).products()]


def test_saving_today_updates_the_streak(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("1", "ctrl+s")
            await pilot.pause()
            assert app.sub_title.startswith("Logged 117 days in a row")

    run(scenario)


def test_export_dialog_writes_through_the_export_service(tmp_path):
    import json
    import os
    import stat

    from skinlog.tui.dialogs.export import ExportDialog

    path = demo_journal(tmp_path)
    target = tmp_path / "for-the-clinic.fhir.json"

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog)
            await pilot.press("right")  # JSON -> FHIR
            field = app.screen.query_one("#path", Input)
            assert field.value.endswith(".fhir.json")
            field.value = str(target)
            await pilot.press("tab", "tab", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            await pilot.press("f8")
            await pilot.pause()
            app.screen.query_one("#path", Input).value = str(target)
            await pilot.press("tab", "tab", "enter")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)  # an existing file is never replaced silently
            await pilot.press("n")
            await pilot.pause()
            await pilot.press("escape")

    run(scenario)
    bundle = json.loads(target.read_bytes())
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) > 266
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_clicking_a_region_adds_one_and_shift_click_takes_one_away(tmp_path):
    path = tmp_path / "journal.json"

    async def scenario():
        async with open_app(path) as (app, pilot):
            face = app.screen.query_one(FaceMap)
            # content starts inside the border and padding (2 columns, 1 row); cells are 11 wide,
            # regions 2 rows tall: the nose is row 2, column 2
            nose = (2 + 2 * 11 + 5, 1 + 2 * 2)
            await pilot.click(FaceMap, offset=nose)
            await pilot.click(FaceMap, offset=nose)
            await pilot.click(FaceMap, offset=(2 + 2 * 11 + 5, 1))  # forehead
            await pilot.click(FaceMap, offset=nose, shift=True)
            await pilot.pause()
            assert face.counts["nose"] == 1 and face.counts["forehead"] == 1
            assert face.current == "nose"
            await pilot.press("ctrl+s")
            await pilot.pause()

    run(scenario)
    assert dict(stored(path)[PINNED_TODAY].counts) == {"nose": 1, "forehead": 1}


# -- the journal as it is on disk: changes made by another process while the app is open


def shell(path, *args):
    """Another skinlog process writing the journal, as a person would from a second terminal."""
    proc = subprocess.run(
        [sys.executable, "-m", "skinlog", "--db", str(path), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SKINLOG_TODAY": PINNED_TODAY.isoformat()},
    )
    assert proc.returncode == 0, proc.stderr
    return proc


def day_title(app):
    return str(app.screen.query_one("#day-title", Static).render())


def test_a_day_logged_from_the_shell_shows_without_a_key_press(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, stamp_every=0.1) as (app, pilot):
            await pilot.pause()
            assert "not saved yet" in day_title(app)
            shell(path, "add", "nose=4", "chin=1", "--note", "from the shell")
            await wait_until(pilot, lambda: OUTSIDE_NOTICE in app.notices)
            assert OUTSIDE_NOTICE in app.notices
            assert "editing the saved entry" in day_title(app) and "total 5" in day_title(app)
            assert app.screen.query_one("#note", Input).value == "from the shell"
            assert app.screen.query_one(FaceMap).counts["nose"] == 4
            assert app.sub_title.startswith("Logged 117 days in a row")

    run(scenario)


def test_saving_over_a_day_changed_in_the_shell_shows_it_and_asks(tmp_path):
    """The issue's reproduction: the app open on a day, `add --replace` from the shell, then +
    and ctrl+s in the app. Keeping the journal's entry leaves the shell's day as it is."""
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma")  # yesterday, which has an entry
            await pilot.pause()
            shell(
                path,
                "add",
                "--date",
                yesterday.isoformat(),
                "--replace",
                "chin=6",
                "--note",
                "from the shell",
            )
            await pilot.press("plus", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            question = str(app.screen.query_one("#question", Static).render())
            assert "changed outside the app" in question
            assert "total 6: chin 6" in question and 'note: "from the shell"' in question
            await pilot.press("escape")  # cancel: nothing written, the edits stay
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.screen.dirty
            assert stored(path)[yesterday].note == "from the shell"
            await pilot.press("ctrl+s")
            await pilot.pause()
            await pilot.press("k")  # keep the journal's: the form shows the shell's day
            await pilot.pause()
            assert not app.screen.dirty and "editing the saved entry" in day_title(app)
            assert app.screen.query_one(FaceMap).counts["chin"] == 6
            assert app.screen.query_one("#note", Input).value == "from the shell"

    run(scenario)
    entry = stored(path)[yesterday]
    assert dict(entry.counts) == {"chin": 6} and entry.note == "from the shell"


def test_unsaved_edits_are_kept_when_their_day_changes_elsewhere_and_the_app_says_so(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path, stamp_every=0.1) as (app, pilot):
            await pilot.press("comma", "plus")
            Journal(path).save_entry(make_entry(yesterday, {"chin": 6}), mode="replace")
            await wait_until(pilot, lambda: app.notices)
            assert app.notices[-1] == (
                f"{OUTSIDE_NOTICE} Your unsaved changes to {yesterday.isoformat()} "
                "are kept; saving shows that day as it is now first."
            )
            assert app.screen.dirty and app.screen.query_one(FaceMap).counts["forehead"] == 1
            assert day_title(app).endswith(
                "● unsaved; changed elsewhere · 1 photo"
            )  # the demo day has a photo

    run(scenario)


def test_overwrite_with_mine_is_a_choice_made_after_seeing_the_journals_day(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)
    original = stored(path)[yesterday]

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma")
            await pilot.pause()
            Journal(path).save_entry(
                make_entry(yesterday, {"chin": 6}, note="from elsewhere"), mode="replace"
            )
            await pilot.press("plus", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            await pilot.press("o")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and not app.screen.dirty

    run(scenario)
    entry = stored(path)[yesterday]
    assert entry.count("forehead") == original.count("forehead") + 1 and entry.note == ""
    assert entry.products == original.products


def test_the_replace_question_shows_the_day_as_it_is_now_and_saving_keeps_the_shells_entry(tmp_path):
    """Changed from the shell while the form has no edits: the form shows the new day at once,
    the replace question quotes it, and saving builds on it instead of discarding it."""
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path, stamp_every=0.1) as (app, pilot):
            await pilot.press("comma")
            await pilot.pause()
            shell(path, "add", "--date", "yesterday", "--replace", "chin=6", "--note", "from the shell")
            await wait_until(pilot, lambda: app.screen.query_one(FaceMap).counts["chin"] == 6)
            assert app.screen.query_one(FaceMap).counts["chin"] == 6
            await pilot.press("plus", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            question = str(app.screen.query_one("#question", Static).render())
            assert "total 6: chin 6" in question and "from the shell" in question
            await pilot.press("y")
            await pilot.pause()

    run(scenario)
    entry = stored(path)[yesterday]
    assert dict(entry.counts) == {"chin": 6, "forehead": 1} and entry.note == "from the shell"


def test_a_write_between_the_question_and_the_answer_is_not_overwritten(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma")
            await pilot.pause()
            await pilot.press("plus", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            Journal(path).save_entry(make_entry(yesterday, {"chin": 2}, note="meanwhile"), mode="replace")
            await pilot.press("y")  # replace what the question showed: but that is gone
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            assert "meanwhile" in str(app.screen.query_one("#question", Static).render())
            await pilot.press("escape")

    run(scenario)
    assert stored(path)[yesterday].note == "meanwhile"


def test_deleting_a_day_changed_elsewhere_while_asking_deletes_nothing(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            Journal(path).save_entry(make_entry(yesterday, {"chin": 2}, note="meanwhile"), mode="replace")
            await pilot.press("y")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            assert any("nothing was deleted" in n for n in app.notices)
            assert app.screen.query_one(DataTable).get_row_at(0)[1] == "2"  # shown as it is now

    run(scenario)
    assert stored(path)[yesterday].note == "meanwhile"


def test_history_shows_a_change_made_elsewhere_without_a_key_press(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, stamp_every=0.1) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert table.get_row_at(0)[0] == (PINNED_TODAY - timedelta(days=1)).isoformat()
            Journal(path).save_entry(make_entry(PINNED_TODAY, {"nose": 3}))
            await wait_until(pilot, lambda: table.get_row_at(0)[0] == PINNED_TODAY.isoformat())
            assert table.get_row_at(0)[0] == PINNED_TODAY.isoformat()
            assert OUTSIDE_NOTICE in app.notices

    run(scenario)


def test_today_follows_a_delete_in_history(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma")
            await pilot.pause()
            assert "editing the saved entry" in day_title(app)
            await pilot.press("f3", "d")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen.day == yesterday
            assert "not saved yet" in day_title(app) and "total 0" in day_title(app)
            assert app.screen.query_one(FaceMap).total == 0

    run(scenario)
    assert yesterday not in stored(path)


def test_unsaved_edits_survive_a_delete_in_history_and_save_as_a_new_day(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)
    original = stored(path)[yesterday]

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma", "plus")
            await pilot.press("f3", "d")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert app.screen.dirty and "● not saved yet" in day_title(app)
            await pilot.press("ctrl+s")  # deleted here, in the app: no question, saved as a new day
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and not app.screen.dirty

    run(scenario)
    assert stored(path)[yesterday].count("forehead") == original.count("forehead") + 1


def test_today_follows_a_product_renamed_in_products(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus")  # an unsaved edit: kept through the rename
            products = app.screen.query_one("#products", SelectionList)
            assert "Gentle cleanser" in products.selected
            await pilot.press("f7")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            row = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("Gentle cleanser")
            table.move_cursor(row=row)
            await pilot.press("r")
            await pilot.pause()
            app.screen.query_one("#name", Input).value = "Mild wash"
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert "Mild wash" in products.selected and "Gentle cleanser" not in products.selected
            names = [str(products.get_option_at_index(i).value) for i in range(products.option_count)]
            assert "Gentle cleanser" not in names and names.count("Mild wash") == 1
            assert app.screen.dirty
            await pilot.press("ctrl+s")  # no question: the rename was made here
            await pilot.pause()
            assert not app.screen.dirty

    run(scenario)
    assert "Mild wash" in stored(path)[PINNED_TODAY].products


def test_a_product_renamed_elsewhere_is_explained_in_the_apps_terms(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus")
            shell(path, "products", "rename", "Gentle cleanser", "Mild wash")
            await pilot.press("ctrl+s")
            await pilot.pause()
            error = str(app.screen.query_one("#form-error", Static).render())
            assert "unknown product 'Gentle cleanser'" in error and "Products (F7)" in error
            assert "--" not in error and "--" not in " ".join(app.notices)
            assert app.screen.dirty  # nothing lost: untick it and save again
            products = app.screen.query_one("#products", SelectionList)
            assert "Mild wash" in [
                str(products.get_option_at_index(i).value) for i in range(products.option_count)
            ]

    run(scenario)
    assert PINNED_TODAY not in stored(path)


def test_a_journal_damaged_elsewhere_shows_the_error_and_comes_back_when_mended(tmp_path):
    path = demo_journal(tmp_path)
    good = path.read_bytes()

    async def scenario():
        async with open_app(path, stamp_every=0.1) as (app, pilot):
            await pilot.press("plus")
            path.write_bytes(good[:100])
            await wait_until(pilot, lambda: isinstance(app.screen, JournalErrorScreen))
            assert isinstance(app.screen, JournalErrorScreen)
            assert "changed outside the app" in str(app.screen.query_one("#error-message", Static).render())
            await pilot.press("ctrl+s", "f3")  # nothing is written, nothing opens
            await pilot.pause()
            assert path.read_bytes() == good[:100]
            path.write_bytes(good)
            await wait_until(pilot, lambda: isinstance(app.screen, TodayScreen))
            assert isinstance(app.screen, TodayScreen) and app.screen.dirty  # the edit is still there
            assert "The journal can be read again" in app.notices[-1]
            await pilot.press("ctrl+s")
            await pilot.pause()

    run(scenario)
    assert stored(path)[PINNED_TODAY].count("forehead") == 1


def test_quitting_while_the_journal_cannot_be_read_says_the_edits_cannot_be_saved(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, stamp_every=0.1) as (app, pilot):
            await pilot.press("plus")
            path.write_text("not a journal")
            await wait_until(pilot, lambda: isinstance(app.screen, JournalErrorScreen))
            assert isinstance(app.screen, JournalErrorScreen)
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            assert "cannot be saved while the journal cannot be read" in str(
                app.screen.query_one("#question", Static).render()
            )
            assert not app.screen.query("#answer-save")  # only discard or cancel
            await pilot.press("d")
            await pilot.pause()
            assert app.return_code == 0

    run(scenario)
    assert path.read_text() == "not a journal"


# -- unsaved edits are marked and never dropped without asking


def test_edits_are_marked_in_the_title_and_undoing_them_clears_the_mark(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert app.title == "skinlog" and "●" not in day_title(app)
            await pilot.press("plus")
            assert app.title == f"skinlog {UNSAVED_MARK}" and "● not saved yet" in day_title(app)
            await pilot.press("f3")
            await pilot.pause()
            assert app.title == f"skinlog {UNSAVED_MARK}"  # seen from every view
            await pilot.press("f2", "minus")
            await pilot.pause()
            assert app.title == "skinlog" and not app.screen.dirty
            await pilot.press("plus", "ctrl+s")
            await pilot.pause()
            assert app.title == "skinlog"

    run(scenario)


def test_quit_without_edits_asks_nothing(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("q")
            await pilot.pause()
            assert app.return_code == 0

    run(scenario)


def test_quit_with_edits_asks_and_cancel_keeps_them(tmp_path):
    path = demo_journal(tmp_path)
    before = path.read_bytes()

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus", "q")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog) and app.return_code is None
            assert "Save them before quitting?" in str(app.screen.query_one("#question", Static).render())
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.screen.dirty
            await pilot.press("ctrl+q")  # the other way to quit asks too
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            await pilot.press("c")
            await pilot.pause()
            assert app.return_code is None and app.screen.dirty

    run(scenario)
    assert path.read_bytes() == before


def test_quit_from_another_view_shows_the_form_and_save_saves_then_quits(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus", "plus", "f5", "q")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            assert isinstance(app.screen_stack[0], TodayScreen)
            await pilot.press("s")
            await pilot.pause()
            assert app.return_code == 0

    run(scenario)
    assert stored(path)[PINNED_TODAY].count("forehead") == 2


def test_quit_and_discard_leaves_the_journal_as_it_was(tmp_path):
    path = demo_journal(tmp_path)
    before = path.read_bytes()

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus", "q")
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            assert app.return_code == 0

    run(scenario)
    assert path.read_bytes() == before


def test_changing_the_day_with_edits_asks_first(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus", "comma")
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.day == PINNED_TODAY and app.screen.dirty
            await pilot.press("comma")
            await pilot.pause()
            await pilot.press("d")  # discard: on to the day before, today still not logged
            await pilot.pause()
            assert app.screen.day == yesterday and not app.screen.dirty
            await pilot.press("plus", "full_stop")
            await pilot.pause()
            await pilot.press("s")  # save (no second question), then on to the day after
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.screen.day == PINNED_TODAY
            assert not app.screen.dirty

    run(scenario)
    days = stored(path)
    assert PINNED_TODAY not in days and days[yesterday].count("forehead") == 1


def test_opening_another_day_from_history_with_edits_asks_first(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("plus", "f3")
            await pilot.pause()
            await pilot.press("enter")  # yesterday
            await pilot.pause()
            assert isinstance(app.screen, AskDialog)
            assert "before opening" in str(app.screen.query_one("#question", Static).render())
            await pilot.press("s")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.screen.day == yesterday
            assert not app.screen.dirty

    run(scenario)
    assert stored(path)[PINNED_TODAY].count("forehead") == 1


def test_opening_the_day_being_edited_keeps_the_edits(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma", "plus", "f3")
            await pilot.pause()
            await pilot.press("enter")  # the same day
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and app.screen.dirty

    run(scenario)


# -- the app's date follows the clock


def test_the_date_follows_the_clock_past_midnight(tmp_path):
    path = demo_journal(tmp_path)
    now = [PINNED_TODAY]

    async def scenario():
        async with open_app(path, clock=lambda: now[0], clock_every=0.05) as (app, pilot):
            await pilot.pause()
            assert app.screen.day == PINNED_TODAY
            now[0] = PINNED_TODAY + timedelta(days=1)
            await wait_until(pilot, lambda: app.today == now[0])
            assert app.today == now[0] and app.screen.day == now[0]
            assert day_title(app).startswith(f"Today, {now[0].isoformat()}")
            await pilot.press("3", "ctrl+s")  # logged on the new day, not the one the app started on
            await pilot.pause()

    run(scenario)
    days = stored(path)
    assert PINNED_TODAY not in days and days[PINNED_TODAY + timedelta(days=1)].count("forehead") == 3


def test_past_midnight_unsaved_edits_stay_on_their_day(tmp_path):
    path = demo_journal(tmp_path)
    now = [PINNED_TODAY]

    async def scenario():
        async with open_app(path, clock=lambda: now[0], clock_every=0.05) as (app, pilot):
            await pilot.press("plus")
            now[0] = PINNED_TODAY + timedelta(days=1)
            await wait_until(pilot, lambda: app.today == now[0])
            assert app.today == now[0]
            assert app.screen.day == PINNED_TODAY and app.screen.dirty
            assert day_title(app).startswith("Sun, 2026-11-22")
            assert any("unsaved changes are kept for 2026-11-22" in n for n in app.notices)
            await pilot.press("ctrl+s", "full_stop")
            await pilot.pause()
            assert app.screen.day == now[0]

    run(scenario)
    assert stored(path)[PINNED_TODAY].count("forehead") == 1


# -- untrusted text is shown as it is


MARKUP_NAMES = ["[/]", "[b]x[/b]", "[red]y", "[link=javascript:alert(1)]z[/link]"]


def test_product_names_that_look_like_markup_are_shown_as_they_are(tmp_path):
    path = demo_journal(tmp_path)
    journal = Journal(path)
    for name in MARKUP_NAMES:
        journal.add_product(Product(name, "other"))
    journal.save_entry(
        make_entry(PINNED_TODAY - timedelta(days=1), {"nose": 1}, MARKUP_NAMES), mode="replace"
    )

    async def scenario():
        async with open_app(path, size=(160, 50), notifications=True) as (app, pilot):
            await pilot.pause()
            text = screen_text(app)  # Today's product list, starting from yesterday's products
            assert all(name in text for name in MARKUP_NAMES)
            for key in ("f3", "f5", "f7"):  # History, Week, Products
                await pilot.press(key)
                await pilot.pause()
                text = screen_text(app)
                assert "[/]" in text and "[b]x[/b]" in text, key
            table = app.screen.query_one(DataTable)
            row = [table.get_row_at(i)[0].plain for i in range(table.row_count)].index("[b]x[/b]")
            table.move_cursor(row=row)
            await pilot.press("r")
            await pilot.pause()
            assert "Rename [b]x[/b]" in screen_text(app)  # the dialog's title
            app.screen.query_one("#name", Input).value = "[/b][i]w"
            await pilot.press("enter")
            await pilot.pause()
            assert "Renamed to [/b][i]w; past entries follow." in app.notices
            assert "Renamed to [/b][i]w" in screen_text(app)  # the notification, as it is
            await pilot.press("f2", "comma", "plus", "ctrl+s")  # the replace question quotes the names
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            text = screen_text(app)
            assert "[/], [/b][i]w, [red]y" in text and "[link=javascript:alert(1)]z" in text
            await pilot.press("y")
            await pilot.pause()

    run(scenario)
    assert set(stored(path)[PINNED_TODAY - timedelta(days=1)].products) == {
        "[/]",
        "[/b][i]w",
        "[red]y",
        "[link=javascript:alert(1)]z[/link]",
    }


def test_the_error_screen_shows_a_path_that_looks_like_markup(tmp_path):
    folder = tmp_path / "a[" / "]b[b]"
    folder.mkdir(parents=True)
    path = folder / "journal.json"
    path.write_text('{"_meta": {"1": {"schema_version": 1}}, "entries": {')

    async def scenario():
        async with open_app(path, size=(140, 30)) as (app, pilot):
            await pilot.pause()
            assert isinstance(app.screen, JournalErrorScreen)
            message = str(app.screen.query_one("#error-message", Static).render())
            assert str(path) in message
            assert str(path).replace(str(tmp_path), "") in screen_text(app).replace("\n", "")

    run(scenario)


def test_an_export_path_that_looks_like_markup_is_shown_as_it_is(tmp_path):
    path = demo_journal(tmp_path)
    (tmp_path / "x[").mkdir()
    target = tmp_path / "x[" / "]y.json"  # the path reads x[/]y.json

    async def scenario():
        async with open_app(path, size=(160, 40), notifications=True) as (app, pilot):
            for _ in range(2):  # the second time the file exists: the question quotes the path
                await pilot.press("f8")
                await pilot.pause()
                app.screen.query_one("#path", Input).value = str(target)
                await pilot.press("tab", "tab", "enter")
                await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert str(app.screen.query_one("#question", Static).render()).startswith(
                f"{target} already exists"
            )
            await pilot.press("y")
            await pilot.pause()
            assert app.notices[-1] == f"Wrote {target} (readable only by you)."
            assert "x[/]y.json" in screen_text(app)

    run(scenario)
    assert target.exists()


# -- the cyclic garbage collector


def test_the_app_runs_with_the_garbage_collector_on_and_short_commands_without(tmp_path, monkeypatch):
    import gc

    import skinlog.tui.app
    from skinlog.cli import main

    seen = {}

    def fake_app(db_path, **_options):
        seen["app"] = gc.isenabled()
        return 0

    reads = Journal.entries

    def counting_entries(self, *args, **kwargs):
        seen.setdefault("command", gc.isenabled())
        return reads(self, *args, **kwargs)

    primary, secondary = os.openpty()  # a real terminal, as the app needs
    with os.fdopen(primary, "r") as tty_in, os.fdopen(secondary, "w") as tty_out:
        monkeypatch.setattr(sys, "stdin", tty_in)
        monkeypatch.setattr(sys, "stdout", tty_out)
        monkeypatch.setattr(skinlog.tui.app, "run_app", fake_app)
        assert gc.isenabled()
        assert main(["--db", str(tmp_path / "journal.json")]) == 0
        monkeypatch.setattr(Journal, "entries", counting_entries)
        assert main(["--db", str(tmp_path / "journal.json"), "list"]) == 0
    assert seen == {"app": True, "command": False}
    assert gc.isenabled()  # the caller's setting is back


# -- events


def test_events_are_logged_with_the_keyboard_and_shown_in_history(tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)
    Journal(path).save_entry(make_entry(yesterday, {"nose": 1}, events=["sunburn"]), mode="replace")

    async def scenario():
        async with open_app(path, size=(160, 40)) as (app, pilot):
            await pilot.press("comma")  # a saved day's events are ticked
            await pilot.pause()
            assert app.screen.query_one("#events", SelectionList).selected == ["sunburn"]
            await pilot.press("full_stop", "2")
            await pilot.pause()
            for _ in range(7):  # products, redness, itch, pain, picked, procedure, events
                await pilot.press("tab")
            assert app.focused.id == "events"
            await pilot.press("space", "down", "space")  # steroid cream, burn
            assert app.screen.dirty
            await pilot.press("ctrl+s", "f3")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert "steroid cream, burn" in str(table.get_row_at(0)[7])
            assert "sunburn" in str(table.get_row_at(1)[7])

    run(scenario)
    assert stored(path)[PINNED_TODAY].events == ("steroid_cream", "burn")
    assert stored(path)[yesterday].events == ("sunburn",)


def test_flags_view_opened_again_after_a_save_shows_the_new_flags_once(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f6")
            await pilot.pause()
            await pilot.press("f2", "plus", "ctrl+s")
            await pilot.pause()
            await pilot.press("f6")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, FlagsScreen)
            notices = [str(w.render()) for w in app.screen.query(".notice")]
            assert len(notices) == 1 and "not a diagnosis or medical advice" in notices[0]
            assert app.is_running

    run(scenario)


@pytest.mark.parametrize("theme", ["textual-light", "nord"])
def test_views_first_opened_after_a_theme_change_wear_that_theme(tmp_path, theme):
    # A view's screen is made when it first opens, without restyling the whole app (which is
    # only needed when the theme changed since the stylesheet was last refreshed).
    async def scenario():
        async with open_app(demo_journal(tmp_path)) as (app, pilot):
            app.theme = theme
            await pilot.pause()
            for view in VIEWS[1:]:
                await pilot.press(view.key)
                await pilot.pause()
                background = Color.parse(app.current_theme.background or "black")
                assert app.screen.styles.background == background, view.id

    run(scenario)


def test_opening_a_view_does_not_parse_every_stylesheet_again(tmp_path, monkeypatch):
    # Parsing all of Textual's and skinlog's CSS from scratch took 80-130 ms of each view's
    # first opening; the stylesheet is current, so a new view is styled without it.
    from textual.css.stylesheet import Stylesheet

    reparses: list[str] = []
    original = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        reparses.append("reparse")
        original(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)

    async def scenario():
        async with open_app(demo_journal(tmp_path)) as (app, pilot):
            await pilot.pause()
            before = len(reparses)
            for view in VIEWS[1:]:
                await pilot.press(view.key)
                await pilot.pause()
                assert app.screen.id == view.id or type(app.screen).__name__ in view.screen
            assert len(reparses) == before

    run(scenario)


def test_views_made_ahead_of_time_look_as_when_made_on_opening(tmp_path):
    # After the first screen the app makes every view in idle moments (so opening one only shows
    # it); each must show exactly what it shows when it is made as it opens.
    journal = demo_journal(tmp_path)

    async def views_text(ahead: bool) -> dict[str, str]:
        texts = {}
        async with open_app(journal, defer_status=ahead) as (app, pilot):
            if ahead:
                for _ in range(400):
                    await pilot.pause(0.02)
                    if all(view.id in app._screen_stacks for view in VIEWS):
                        break
                assert all(view.id in app._screen_stacks for view in VIEWS)
                assert isinstance(app.screen, TodayScreen)  # made, not shown
            for view in VIEWS[1:]:
                await pilot.press(view.key)
                await pilot.pause()
                await app.workers.wait_for_complete()  # a view that works things out in a thread
                for _ in range(200):  # (a worker started once the view is on screen)
                    if getattr(app.screen, "state", "ready") == "ready":
                        break
                    await pilot.pause(0.02)
                await pilot.pause(0.3)  # the chosen insight is scrolled into sight by then
                texts[view.id] = screen_text(app)
        return texts

    async def scenario():
        assert await views_text(ahead=True) == await views_text(ahead=False)

    run(scenario)
