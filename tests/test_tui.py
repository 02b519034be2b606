"""The app driven with keys through Textual's Pilot, checked against the journal file on disk."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import DataTable, Input, Static

from skinlog.storage import Journal
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.dialogs.error import JournalErrorScreen
from skinlog.tui.screens.flags import FlagsScreen
from skinlog.tui.screens.history import HistoryScreen
from skinlog.tui.screens.products import ProductsScreen
from skinlog.tui.screens.today import TodayScreen
from skinlog.tui.screens.trends import TrendsScreen
from skinlog.tui.screens.week import WeekScreen
from skinlog.tui.widgets.face_map import FaceMap, neighbour
from tests.tui_helpers import PINNED_TODAY, demo_journal, make_app, run


def stored(path):
    return {e.date: e for e in Journal(path).entries()}


def test_log_a_day_with_keys_only(tmp_path):
    path = tmp_path / "journal.json"

    async def scenario():
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
    expected = {"f3": HistoryScreen, "f4": TrendsScreen, "f5": WeekScreen, "f6": FlagsScreen,
                "f7": ProductsScreen, "f2": TodayScreen}

    async def scenario():
        app = make_app(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.sub_title == "Nothing logged today yet · ⚑ 2 flags: see a clinician"
            for key, screen in expected.items():
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, screen), key
            await pilot.press("f6")
            await pilot.pause()
            text = " ".join(str(w.render()) for w in app.screen.query(Static))
            assert "bumps that stay" in text and "Left under-eye" in text and "not a diagnosis or medical advice" in text
            assert "persistence window is 12 weeks" in text
            await pilot.press("f1")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            await pilot.press("escape")

    run(scenario)


def test_trends_keys_switch_the_range(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        app = make_app(path)
        async with app.run_test(size=(120, 40)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
        app = make_app(path)
        async with app.run_test(size=(100, 32)) as pilot:
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
