"""The tables that drive skinlog are complete: everything built from them lists every row."""

from __future__ import annotations

from datetime import date

import pytest
from textual.binding import Binding

from skinlog.cli import main
from skinlog.services.demo import write_demo
from skinlog.services.export import ExportData, gather, render
from skinlog.services.formats import FORMATS, file_name
from skinlog.storage import Journal


@pytest.fixture
def demo_data(tmp_path) -> ExportData:
    write_demo(str(tmp_path / "journal.json"), date(2026, 11, 23))
    return gather(Journal(tmp_path / "journal.json"), date(2026, 11, 23))


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_export_format_renders_the_demo_journal(demo_data: ExportData, name: str) -> None:
    assert render(name, demo_data).strip()


def test_export_formats_have_their_own_file_names() -> None:
    names = {file_name(f, "2026-11-23") for f in FORMATS}
    assert len(names) == len(FORMATS)


def test_the_command_line_offers_every_export_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    shown = capsys.readouterr().out
    assert f"{{{','.join(FORMATS)}}}" in shown


def test_an_unknown_format_is_refused_with_the_choices(demo_data: ExportData) -> None:
    from skinlog.errors import UsageError

    with pytest.raises(UsageError, match=", ".join(FORMATS)):
        render("pdf-but-not-yet", demo_data)


# -- the app's views (skinlog/tui/views.py): keys, footer, palette and help come from that table


def view_ids() -> list[str]:
    from skinlog.tui.views import VIEWS

    return [view.id for view in VIEWS]


def test_every_view_has_its_own_key() -> None:
    from skinlog.tui.app import SkinlogApp
    from skinlog.tui.views import VIEWS

    keys = [view.key for view in VIEWS]
    others = [
        key
        for binding in SkinlogApp.BINDINGS
        if isinstance(binding, Binding) and not binding.action.startswith("view(")
        for key in binding.key.split(",")
    ]
    assert len(set(keys)) == len(keys) and not set(keys) & set(others)
    assert len(set(view_ids())) == len(VIEWS)


def test_every_view_is_a_journal_view_that_says_its_keys() -> None:
    """A view draws itself through JournalScreen (so it follows the journal) and declares its own
    HELP; every key it shows in its footer is in that text."""
    from skinlog.tui.screens.base import JournalScreen
    from skinlog.tui.views import VIEWS

    for view in VIEWS:
        cls = view.screen_class()
        assert issubclass(cls, JournalScreen), view.id
        assert "HELP" in vars(cls), f"{cls.__name__} says nothing for the help screen (HELP)"
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show:
                shown = binding.key_display or binding.key.split(",")[0]
                assert f"`{shown}`" in cls.HELP or (len(shown) > 1 and shown in cls.HELP), (view.id, shown)


def test_the_help_screen_lists_every_view_with_its_keys() -> None:
    from skinlog.tui.dialogs.help import help_text
    from skinlog.tui.views import VIEWS, keys_shown

    text = help_text()
    row = f"| {keys_shown()} | {', '.join(view.title for view in VIEWS)} |"
    assert row in text.splitlines()
    for view in VIEWS:
        if view.screen_class().HELP:
            assert f"**{view.title}**: {view.screen_class().HELP}" in text


def test_the_help_writes_keys_that_run_on_as_a_span() -> None:
    from skinlog.tui.views import VIEWS, View, keys_shown

    assert keys_shown(VIEWS[:3]) == "F2 ... F4"
    extra = View("notes", "Notes", "f9", "skinlog.tui.screens.flags:FlagsScreen")
    assert keys_shown((*VIEWS[:3], extra)) == "F2, F3, F4, F9"


@pytest.mark.parametrize("view_id", view_ids())
def test_every_view_opens_on_its_key_from_the_footer_and_the_palette(tmp_path, view_id: str) -> None:
    from textual.widgets import Markdown

    from skinlog.tui.dialogs.help import HelpScreen
    from skinlog.tui.views import BY_ID, keys_shown
    from tests.tui_helpers import demo_journal, open_app, run, screen_text

    view = BY_ID[view_id]
    others = [v for v in BY_ID.values() if v is not view]

    async def scenario() -> None:
        async with open_app(demo_journal(tmp_path), size=(160, 40)) as (app, pilot):
            await pilot.press(others[0].key)  # start from another view
            await pilot.pause()
            await pilot.press(view.key)
            await pilot.pause()
            assert app.current_mode == view.id and isinstance(app.screen, view.screen_class())
            footer = screen_text(app).splitlines()[-1]
            assert f"{view.key_display} {view.title}" in footer
            await pilot.press(others[0].key)
            await pilot.pause()
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            command = commands[f"Go to {view.title}"]
            assert command.help == f"Show the {view.title} view ({view.key_display})"
            command.callback()
            await pilot.pause()
            assert app.current_mode == view.id and isinstance(app.screen, view.screen_class())
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            shown = app.screen.query_one(Markdown).source.splitlines()
            assert any(line.startswith(f"| {keys_shown()} |") and view.title in line for line in shown)

    run(scenario)
