"""The product picker on Today: ticked and unticked read apart without colour, Enter in the
filter ticks the top match, letters (m too) narrow the list, j and k move in it."""

from __future__ import annotations

import pytest

from skinlog.storage import Journal
from skinlog.tui.widgets.face_map import FaceMap
from skinlog.tui.widgets.product_picker import ProductPicker
from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text


def boxes(app) -> dict[str, str]:
    """Each product shown, with its line's tick box as drawn (text only, no colour)."""
    options = app.screen.query_one(ProductPicker).options
    found = {}
    for y in range(options.option_count):
        text = "".join(segment.text for segment in options.render_line(y))
        found[str(options.get_option_at_index(y).value)] = text[: text.index("▌") + 1].strip()
    return found


@pytest.mark.parametrize("no_color", [False, True])
def test_ticked_and_unticked_products_read_apart_without_colour(tmp_path, monkeypatch, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.pause()
            picker = app.screen.query_one(ProductPicker)
            ticked = set(picker.selected())
            assert ticked and set(picker.names) - ticked
            shown = boxes(app)
            for name in picker.names:
                box = shown[name]
                assert box == ("▐X▌" if name in ticked else "▐ ▌"), (name, box)

    run(scenario)


def test_enter_in_the_filter_ticks_the_only_match_and_the_hint_shows_while_typing(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            picker = app.screen.query_one(ProductPicker)
            assert "Retinol" not in picker.selected()
            await pilot.press("slash", "r", "e", "t", "i", "n", "o", "l")
            await pilot.pause()
            assert picker.shown() == ["Retinol"]
            assert "Enter: tick the top match" in screen_text(app)  # in sight at 80x24 too
            await pilot.press("enter")
            await pilot.pause()
            assert "Retinol" in picker.selected()
            assert app.focused is picker.options
            await pilot.press("escape", "ctrl+s")
            await pilot.pause()
            assert isinstance(app.focused, FaceMap)

    run(scenario)
    assert "Retinol" in {e.date: e for e in Journal(path).entries()}[PINNED_TODAY].products


def test_in_the_list_m_narrows_and_j_and_k_move(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            picker = app.screen.query_one(ProductPicker)
            await pilot.press("tab")
            options = picker.options
            assert app.focused is options and options.highlighted == 0
            await pilot.press("j", "j")
            assert app.focused is options and options.highlighted == 2
            await pilot.press("k")
            assert app.focused is options and options.highlighted == 1
            assert picker.filter == ""
            await pilot.press("m", "o")  # a name with "mo" in it: moisturizer
            await pilot.pause()
            assert picker.filter == "mo"
            assert picker.shown() and all("mo" in n.casefold() for n in picker.shown())
            await pilot.press("escape")
            assert isinstance(app.focused, FaceMap)

    run(scenario)


def test_events_not_ticked_show_an_empty_box_too(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            events = app.screen.query_one("#events")
            events.select("burn")
            await pilot.pause()
            drawn = {}
            for y in range(events.option_count):
                text = "".join(segment.text for segment in events.render_line(y))
                drawn[str(events.get_option_at_index(y).value)] = text[: text.index("▌") + 1].strip()
            assert drawn["burn"] == "▐X▌"
            assert {box for name, box in drawn.items() if name != "burn"} == {"▐ ▌"}

    run(scenario)
