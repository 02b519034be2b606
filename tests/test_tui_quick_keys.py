"""Keys pressed quickly, the way a terminal sends them (tmux ``send-keys 2 C-s``): the key pressed
just before ctrl+s (or ctrl+q) is always part of what is saved, and ctrl+s on a day that did not
change saves nothing."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

from textual import events

from skinlog.storage import Journal
from skinlog.tui.widgets.face_map import FaceMap
from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text, wait_until

YESTERDAY = PINNED_TODAY - timedelta(days=1)
CHARACTERS = {"plus": "+", "minus": "-", "space": " ", "full_stop": ".", "comma": ","}


def stored(path):
    return {e.date: e for e in Journal(path).entries()}


async def press_at_once(app, pilot, *keys: str) -> None:
    """Send ``keys`` to the app one right after the other, with no pause for the app between
    them (``pilot.press`` waits for the app after each key, which hides the race)."""
    for key in keys:
        if len(key) == 1:
            character: str | None = key
        elif key in CHARACTERS:
            character = CHARACTERS[key]
        else:
            try:
                character = unicodedata.lookup(key.upper().replace("_", " "))
            except KeyError:
                character = None
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


def test_a_digit_pressed_right_before_ctrl_s_is_saved(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await press_at_once(app, pilot, "2", "ctrl+s")
            await wait_until(pilot, lambda: PINNED_TODAY in stored(path))
            assert stored(path)[PINNED_TODAY].counts == {"forehead": 2}
            assert "unsaved" not in screen_text(app)

    run(scenario)


def test_plus_and_minus_pressed_right_before_ctrl_s_are_saved(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await press_at_once(app, pilot, "plus", "plus", "plus", "ctrl+s")
            await wait_until(pilot, lambda: PINNED_TODAY in stored(path))
            assert stored(path)[PINNED_TODAY].counts == {"forehead": 3}
            await press_at_once(app, pilot, "minus", "ctrl+s")  # the day is saved: it asks first
            await wait_until(pilot, lambda: "Replace" in screen_text(app))
            text = screen_text(app)
            assert "total 3 → 2" in text
            assert "nothing: the same day" not in text
            await pilot.press("y")
            await wait_until(pilot, lambda: stored(path)[PINNED_TODAY].counts == {"forehead": 2})

    run(scenario)


def test_a_digit_on_a_saved_day_right_before_ctrl_s_is_in_the_question(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma")  # yesterday, saved in the demo
            before = stored(path)[YESTERDAY]
            assert app.screen.query_one(FaceMap).current == "forehead"
            await press_at_once(app, pilot, "5", "ctrl+s")
            await wait_until(pilot, lambda: "Replace" in screen_text(app))
            text = screen_text(app)
            assert "nothing: the same day" not in text
            assert f"forehead {before.count('forehead')} → 5" in text

    run(scenario)


def test_a_product_ticked_right_before_ctrl_s_is_saved(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("tab")
            assert app.focused.id == "products"
            first = str(app.focused.get_option_at_index(0).value)
            ticked = first in app.focused.selected
            await press_at_once(app, pilot, "space", "ctrl+s")
            await wait_until(pilot, lambda: PINNED_TODAY in stored(path))
            assert (first in stored(path)[PINNED_TODAY].products) is not ticked

    run(scenario)


def test_a_symptom_and_the_note_typed_right_before_ctrl_s_are_saved(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("tab", "tab")
            assert app.focused.id == "redness"
            await press_at_once(app, pilot, "right", "right", "ctrl+s")
            await wait_until(pilot, lambda: PINNED_TODAY in stored(path))
            assert stored(path)[PINNED_TODAY].symptoms.redness == 2
            await pilot.press(*["tab"] * 8)  # saving put focus back on the map
            assert app.focused.id == "note"
            await press_at_once(app, pilot, "o", "k", "ctrl+s")
            await wait_until(pilot, lambda: "Replace" in screen_text(app))
            await pilot.press("y")
            await wait_until(pilot, lambda: stored(path)[PINNED_TODAY].note == "ok")

    run(scenario)


def test_a_key_pressed_right_before_ctrl_q_is_asked_about(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await press_at_once(app, pilot, "plus", "ctrl+q")
            await wait_until(pilot, lambda: "Unsaved changes" in screen_text(app))
            assert app.is_running

    run(scenario)


def test_ctrl_s_on_an_unchanged_saved_day_saves_nothing_and_says_so(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("comma")
            before = path.read_bytes()
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "Replace" not in screen_text(app)
            assert "No changes to save." in app.notices
            assert path.read_bytes() == before  # no write, so no undo step either (it is in the file)

    run(scenario)
