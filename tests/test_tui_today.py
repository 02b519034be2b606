"""Today with keys alone: focus goes back to the map, Choice fields show every value, the
product picker grows, keeps its order and filters, and a day can start from the last entry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from textual.widgets import Button, Input, SelectionList

from skinlog.domain.entry import PROCEDURES, make_entry
from skinlog.domain.products import Product
from skinlog.services.days import picker_products
from skinlog.storage import Journal
from skinlog.tui.screens.today import TodayScreen
from skinlog.tui.widgets.choice import Choice
from skinlog.tui.widgets.face_map import FaceMap
from skinlog.tui.widgets.product_picker import ProductPicker
from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text

YESTERDAY = PINNED_TODAY - timedelta(days=1)


def stored(path):
    return {e.date: e for e in Journal(path).entries()}


def on_screen(app, widget) -> bool:
    """The whole widget is inside the screen's visible area (not scrolled away, not cut)."""
    region = widget.region
    return bool(region.area) and app.screen.region.contains_region(region)


def with_products(folder, total: int = 30):
    """The demo journal with extra products, ``total`` in all."""
    path = demo_journal(folder)
    journal = Journal(path)
    for n in range(total - len(journal.products())):
        journal.add_product(Product(f"Extra product {n + 1:02d}", "other"))
    assert len(journal.products()) == total
    return path


# -- focus


def test_keys_meant_for_the_map_after_save_view_change_and_day_change_never_edit_a_field(tmp_path):
    """The reported bug: saved with focus on Procedure, then F2 and `,`, then `j j 1 0 l + +`
    meant for the map set Procedure and saved a wrong day."""
    path = demo_journal(tmp_path)
    original = stored(path)[YESTERDAY]

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("1")
            for _ in range(6):  # products, redness, itch, pain, picked, procedure
                await pilot.press("tab")
            assert app.focused.id == "procedure"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.focused, FaceMap)  # after saving
            await pilot.press("f2", "comma")
            await pilot.pause()
            assert isinstance(app.focused, FaceMap)
            await pilot.press("j", "j", "1", "0", "l", "+", "+")
            assert app.screen.query_one("#procedure", Choice).value == original.procedure
            await pilot.press("ctrl+s", "y")
            await pilot.pause()

    run(scenario)
    entry = stored(path)[YESTERDAY]
    assert entry.procedure == original.procedure
    assert entry.count("under_eye_left") == 10
    assert entry.count("nose") == original.count("nose") + 2


FIELDS = ["products", "redness", "itch", "pain", "picked", "procedure", "events", "note"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_escape_from_every_field_goes_back_to_the_map_and_shows_it(tmp_path, size):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            face_map = app.screen.query_one(FaceMap)
            for field in FIELDS:
                while app.focused.id != field:
                    await pilot.press("tab")
                await pilot.pause()
                assert on_screen(app, app.focused), field  # the focused field is scrolled into view
                await pilot.press("escape")
                await pilot.pause()
                assert app.focused is face_map, field
                assert on_screen(app, face_map), field

    run(scenario)


def test_m_goes_back_to_the_map_except_where_it_is_typed(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            face_map = app.screen.query_one(FaceMap)
            for field in ["redness", "itch", "pain", "picked", "procedure", "events"]:
                app.screen.query_one(f"#{field}").focus()
                await pilot.press("m")
                assert app.focused is face_map, field
            app.screen.query_one("#note", Input).focus()
            await pilot.press("m")
            assert app.focused.id == "note"
            assert app.screen.query_one("#note", Input).value == "m"
            app.screen.query_one("#products", SelectionList).focus()
            await pilot.press("m")  # in the product list a letter narrows it
            assert app.focused.id == "product-filter"

    run(scenario)


def test_coming_back_to_today_from_another_view_puts_focus_on_the_map(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            app.screen.query_one("#note", Input).focus()
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen) and isinstance(app.focused, FaceMap)
            await pilot.press("tab", "tab")  # a dialog over Today leaves the focus where it was
            assert app.focused.id == "redness"
            await pilot.press("f1")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert app.focused.id == "redness"

    run(scenario)


# -- Choice fields


def test_every_value_of_every_choice_shows_with_both_arrows_at_80x24(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            for choice in app.screen.query(Choice):
                choice.focus()
                await pilot.pause()
                await pilot.wait_for_scheduled_animations()  # the form scrolls the field into view
                for shown, value in choice.options:
                    choice.value = value
                    await pilot.pause()
                    assert choice.content_region.width >= len(choice.render().plain), (choice.id, shown)
                    label = re.escape(choice.label.strip())
                    pattern = rf"{label}\s*◂ {re.escape(shown)}\s*▸"
                    assert re.search(pattern, screen_text(app)), (choice.id, shown)

    run(scenario)
    assert "electrodesiccation" in PROCEDURES  # the longest value is among those checked


# -- the product picker


def test_picker_products_keep_catalogue_order_and_keep_a_ticked_name_the_catalogue_lost():
    catalogue = [Product("B", "other"), Product("A", "other"), Product("C", "other")]
    assert picker_products(catalogue, ["C", "A"]) == ["B", "A", "C"]
    assert picker_products(catalogue, ["gone", "a"]) == ["B", "A", "C", "gone"]


def test_thirty_products_all_show_at_200x50_in_catalogue_order(tmp_path):
    path = with_products(tmp_path)
    catalogue = [p.name for p in Journal(path).products()]
    assert stored(path)[YESTERDAY].products  # yesterday's products are ticked, and not moved up

    async def scenario():
        async with open_app(path, size=(200, 50)) as (app, pilot):
            await pilot.pause()
            options = app.screen.query_one("#products", SelectionList)
            names = [str(options.get_option_at_index(i).value) for i in range(options.option_count)]
            assert names == catalogue
            assert set(options.selected) == set(stored(path)[YESTERDAY].products)
            assert options.max_scroll_y == 0  # nothing hidden below a scroll
            text = screen_text(app)
            assert all(name in text for name in catalogue)

    run(scenario)


def test_thirty_products_at_80x24_scroll_inside_the_list_and_save_stays_in_sight(tmp_path):
    path = with_products(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            save = app.screen.query_one("#save", Button)
            assert on_screen(app, save)
            await pilot.press("tab", "end", "space")  # the last product
            await pilot.pause()
            options = app.screen.query_one("#products", SelectionList)
            assert on_screen(app, options) and on_screen(app, save)
            assert "Extra product 19" in screen_text(app)
            for _ in range(7):  # redness, itch, pain, picked, procedure, events, note
                await pilot.press("tab")
            assert app.focused.id == "note" and on_screen(app, app.focused) and on_screen(app, save)
            await pilot.click("#save")
            await pilot.pause()

    run(scenario)
    assert "Extra product 19" in stored(path)[PINNED_TODAY].products


def test_typing_in_the_picker_narrows_it_and_escape_clears_it_keeping_what_is_ticked(tmp_path):
    path = with_products(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            picker = app.screen.query_one(ProductPicker)
            options = picker.options
            ticked = set(options.selected)
            await pilot.press("tab", "e", "x", "t", "r", "a", "space", "1")  # words in any order
            await pilot.pause()
            assert app.focused.id == "product-filter"
            shown = [str(options.get_option_at_index(i).value) for i in range(options.option_count)]
            assert shown == ["Extra product 01"] + [f"Extra product 1{n}" for n in range(10)]
            # Enter ticks the top match and goes to the list; tick the third too
            await pilot.press("enter", "down", "down", "space")
            await pilot.pause()
            assert app.focused is options
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.focused, FaceMap)
            assert picker.filter == "" and options.option_count == 30
            assert set(options.selected) == ticked | {"Extra product 01", "Extra product 11"}
            await pilot.press("slash", "c", "r", "e", "a", "m")  # / from the map opens the filter
            await pilot.pause()
            shown = [str(options.get_option_at_index(i).value) for i in range(options.option_count)]
            assert shown == ["Occlusive cream", "Eye cream"]
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.focused, FaceMap) and options.option_count == 30

    run(scenario)
    assert set(stored(path)[PINNED_TODAY].products) == set(stored(path)[YESTERDAY].products) | {
        "Extra product 01",
        "Extra product 11",
    }


# -- same as last entry


def test_ctrl_r_fills_the_map_and_products_from_the_last_entry(tmp_path):
    path = demo_journal(tmp_path)
    journal = Journal(path)
    journal.save_entry(
        make_entry(YESTERDAY, {"nose": 4, "chin": 2}, ["Retinol", "Eye cream"], note="old"), mode="replace"
    )

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("tab", "space")  # untick the first: the key replaces what is ticked
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert isinstance(app.focused, FaceMap)
            face_map = app.screen.query_one(FaceMap)
            assert {r: n for r, n in face_map.counts.items() if n} == {"nose": 4, "chin": 2}
            assert app.screen.dirty
            assert app.screen.query_one("#note", Input).value == ""  # only counts and products
            assert "Started from" in " ".join(app.notices)
            await pilot.press("ctrl+s")
            await pilot.pause()

    run(scenario)
    entry = stored(path)[PINNED_TODAY]
    assert dict(entry.counts) == {"nose": 4, "chin": 2}
    assert entry.products == ("Retinol", "Eye cream") and entry.note == ""


def test_ctrl_r_with_no_earlier_entry_says_so_and_changes_nothing(tmp_path):
    path = tmp_path / "journal.json"

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("3", "ctrl+r")
            await pilot.pause()
            assert app.screen.query_one(FaceMap).counts["forehead"] == 3
            assert "There is no entry before 2026-11-22 to start from." in app.notices

    run(scenario)
    assert not path.exists()


def test_the_key_is_in_the_footer_and_in_the_help():
    assert "ctrl+r" in TodayScreen.HELP
    assert any(b.key == "ctrl+r" and b.show for b in TodayScreen.BINDINGS)  # type: ignore[union-attr]


# -- typing is never lost


def test_letters_typed_one_at_a_time_in_the_picker_all_stay_in_the_filter(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("tab")
            for key in "gly":  # a person types with pauses; each letter must stay
                await pilot.press(key)
                await pilot.pause(0.1)
            picker = app.screen.query_one(ProductPicker)
            assert picker.filter == "gly"
            shown = [
                str(picker.options.get_option_at_index(i).value) for i in range(picker.options.option_count)
            ]
            assert shown == ["Glycolic acid"]

    run(scenario)


def test_tab_into_a_saved_note_and_typing_adds_to_it(tmp_path):
    path = demo_journal(tmp_path)
    journal = Journal(path)
    kept = journal.entry(YESTERDAY)
    journal.save_entry(kept._replace(note="first day"), mode="replace")

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("comma")  # yesterday, with its note
            await pilot.pause()
            note = app.screen.query_one("#note", Input)
            note.focus()
            await pilot.pause()
            await pilot.press(*" more")
            await pilot.pause()
            assert note.value == "first day more"

    run(scenario)


def test_the_day_keys_show_in_todays_footer_at_80x24(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.pause()
            footer = screen_text(app).rstrip("\n").split("\n")[-1]
            assert ", . Day" in footer, footer
            for key in ("F1 Help", "F8 Export", "q Quit"):
                assert key in footer, footer
            assert footer.rstrip().endswith("palette"), footer
            title = str(app.screen.query_one("#day-title").render())
            await pilot.press("comma")
            await pilot.pause()
            assert str(app.screen.query_one("#day-title").render()) != title
            assert "2026-11-21" in str(app.screen.query_one("#day-title").render())
            await pilot.press("full_stop")
            await pilot.pause()
            assert str(app.screen.query_one("#day-title").render()) == title

    run(scenario)
