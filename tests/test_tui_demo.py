"""The demo journal (``skinlog --demo``): it says it is the demo, and it reads the person's
preferences but never changes them."""

from __future__ import annotations

import json

import pytest

from skinlog.services import preferences
from tests.tui_helpers import demo_journal, open_app, run, screen_text


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "skinlog" / "preferences.json"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_the_demo_says_it_is_the_demo_and_nothing_is_kept(tmp_path, config, size):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=size, demo=True) as (app, pilot):
            await pilot.pause()
            assert "demo journal (nothing is kept)" in screen_text(app)
        async with open_app(path, size=size) as (app, pilot):  # the person's own journal
            await pilot.pause()
            assert "demo journal" not in screen_text(app)

    run(scenario)


def test_the_demo_reads_preferences_but_never_writes_them(tmp_path, config):
    path = demo_journal(tmp_path)
    preferences.save({"theme": "nord", "trends_range": "1y"})
    before = config.read_bytes()

    async def scenario():
        async with open_app(path, demo=True) as (app, pilot):
            await pilot.pause()
            assert app.theme == "nord"  # read
            await pilot.press("f4")
            await pilot.pause()
            assert app.screen.chosen == "1y"
            await pilot.press("4")  # another range
            await pilot.pause()
            assert app.screen.chosen == "all"
            app.theme = "gruvbox"  # another theme
            await pilot.pause()
            await pilot.press("f2", "f4")
            assert app.screen.chosen == "all"  # kept while the demo runs

    run(scenario)
    assert config.read_bytes() == before
    assert json.loads(before) == {"theme": "nord", "trends_range": "1y"}
