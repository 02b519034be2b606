"""First run, preferences across runs, NO_COLOR, and the header/footer at 80x24."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Footer, Header

from skinlog.services import preferences
from skinlog.tui.app import FULL_TABS_WIDTH
from skinlog.tui.screens.welcome import WelcomeScreen
from skinlog.tui.views import VIEWS
from tests.tui_helpers import demo_journal, open_app, run, screen_text


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "config" / "skinlog" / "preferences.json"


def test_no_journal_shows_the_welcome_with_where_it_lives(tmp_path):
    path = tmp_path / "new" / "journal.json"

    async def scenario():
        async with open_app(path, size=(80, 24), welcome=True) as (app, pilot):
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            text = str(app.screen.query_one("#welcome-text").render())
            assert str(path) in text
            assert "mirror" in text and "your own left side is on the left" in text
            assert "10+ lots" in text and "Try the demo" in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            assert not isinstance(app.screen, WelcomeScreen)
        assert not path.exists()  # nothing written by the welcome

    run(scenario)


def test_the_demo_choice_ends_this_run_asking_for_the_demo(tmp_path):
    async def scenario():
        async with open_app(tmp_path / "journal.json", welcome=True) as (app, pilot):
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            assert app.next_step == "demo"

    run(scenario)


def test_no_welcome_once_the_journal_exists(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, welcome=True) as (app, pilot):
            await pilot.pause()
            assert not isinstance(app.screen, WelcomeScreen)
            assert app.first_run is False

    run(scenario)


def test_theme_and_start_view_are_kept_across_two_runs(tmp_path, config):
    path = demo_journal(tmp_path)

    async def first():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert app.theme != "nord"
            app.theme = "nord"
            await pilot.pause()

    async def second():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert app.theme == "nord"
            assert app.current_mode == "history"

    run(first)
    assert json.loads(config.read_text())["theme"] == "nord"
    preferences.save({**preferences.load().values, "start_view": "history"})
    run(second)


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_text("{oops"),
        lambda p: p.write_bytes(b"x" * 1_000_000),
        lambda p: p.mkdir(),
        lambda p: p.symlink_to("/dev/zero"),
        lambda p: p.write_text(json.dumps({"theme": "no-such-theme", "start_view": "../etc"})),
    ],
)
def test_a_hostile_preferences_file_never_stops_the_app(tmp_path, config, make):
    config.parent.mkdir(parents=True)
    make(config)
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert app.current_mode == "today"
            assert app.theme in app.available_themes
            ignored = [n for n in app.notices if "Preferences in" in n]
            assert len(ignored) <= 1

    run(scenario)


def test_no_color_shows_the_focused_region_in_text(tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.pause()
            assert app.no_color
            text = screen_text(app)
            assert "▸ · ◂" in text  # the focused region, marked without colour
            assert "10+ lots" in text  # the legend

    run(scenario)


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_every_view_key_shows_at_every_view_and_no_stray_glyph(tmp_path, size):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size) as (app, pilot):
            for view in VIEWS:
                await pilot.press(view.key)
                await pilot.pause(0.1)
                header = app.screen.query_one(Header)
                text = screen_text(app)
                # where every title does not fit, the other views are named by their keys
                titled = size[0] - 2 >= FULL_TABS_WIDTH
                bar = text.split("\n")[0]
                for other in VIEWS:
                    named = f"{other.key_display} {other.title}" if titled else other.key_display
                    assert named in bar, (view.id, other.id)
                assert f"[{view.key_display} {view.title}]" in bar
                assert "highest: see a clinician" in text
                assert "clinici…" not in text
                for key in ("F1 Help", "F8 Export", "q Quit"):
                    assert key in text
                assert header.size.height == (2 if size[0] < 160 else 1)
                assert app.screen.query_one(Footer).region.right == size[0]
                # The footer's last line ends with the palette key and a blank: no stray glyph.
                footer_line = text.rstrip("\n").split("\n")[-1]
                assert footer_line.rstrip().endswith("palette"), footer_line

    run(scenario)


def test_help_says_where_files_live_and_how_the_map_reads(tmp_path, config):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f1")
            await pilot.pause(0.3)
            source = app.screen.text
            assert str(path) in source and str(config) in source
            assert "mirror" in source and "10+ lots" in source
            for view in VIEWS:
                assert view.title in source

    run(scenario)


def test_at_80x24_the_flags_stay_whole_in_the_header_with_unsaved_changes(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("3")  # an unsaved count on Today
            await pilot.pause()
            status = screen_text(app).split("\n")[1]
            assert "● unsaved changes" in status and "⚑ 2 flags · highest: see a clinician" in status
            assert "…" not in status and not status.startswith("skinlog")

    run(scenario)


def test_an_unknown_theme_or_start_view_is_said_once_with_what_is_used(tmp_path, config):
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"theme": "solarised", "start_view": "calender"}))
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert app.current_mode == "today" and app.theme in app.available_themes
            said = [n for n in app.notices if "Preferences in" in n]
            assert len(said) == 1, app.notices
            assert "theme 'solarised'" in said[0] and f"using '{app.theme}'" in said[0]
            assert "start view 'calender'" in said[0] and "using 'today'" in said[0]

    run(scenario)


def test_known_preferences_bring_no_notice(tmp_path, config):
    preferences.save({"theme": "nord", "start_view": "history"})
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.pause()
            assert not [n for n in app.notices if "Preferences" in n]

    run(scenario)
