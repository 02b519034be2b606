"""The Photos view: the timeline by day, the region filter, a photo opened large, compare mode,
and the empty journal; pictures drawn with half blocks (the same cells everywhere)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from textual.widgets import Select, Static

from skinlog.domain.entry import make_entry
from skinlog.storage import Journal
from skinlog.storage.photos import photo_dir, photo_file
from skinlog.tui.images import renderer_name
from tests.helpers import PINNED_TODAY
from tests.photo_helpers import add_picture
from tests.tui_helpers import open_app, run, screen_text

D1 = PINNED_TODAY - timedelta(days=30)
D2 = PINNED_TODAY - timedelta(days=20)
D3 = PINNED_TODAY - timedelta(days=10)


@pytest.fixture(autouse=True)
def _half_blocks(monkeypatch):
    monkeypatch.setenv("SKINLOG_IMAGES", "halfblock")


def photo_journal(folder):
    """Three logged days with four photos: chin on D1 and D3, forehead on D2 and D3."""
    path = folder / "journal.json"
    journal = Journal(path)
    journal.save_entry(make_entry(D1, {"chin": 6, "nose": 1}))
    journal.save_entry(make_entry(D2, {"forehead": 2}))
    journal.save_entry(make_entry(D3, {"chin": 2, "forehead": 1}))
    add_picture(journal, D1, ("chin",), seed=1, note="First one, before the cream")
    add_picture(journal, D2, ("forehead",), seed=2)
    add_picture(journal, D3, ("chin",), seed=3, note="[bold]four weeks[/bold] in")
    add_picture(journal, D3, ("forehead",), seed=4)
    return path


def cards(app):
    from skinlog.tui.screens.photos import PhotoCard

    return list(app.screen.query(PhotoCard))


def test_the_timeline_shows_every_photo_by_day_newest_first(tmp_path):
    async def scenario():
        async with open_app(photo_journal(tmp_path), size=(120, 40)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            assert app.current_mode == "photos"
            text = screen_text(app)
            assert "4 photos, newest first" in text
            days = [line.strip() for line in text.splitlines() if " photo" in line and " · " in line]
            assert days[0].startswith(f"{D3.isoformat()} · forehead and chin · 2 photos · 3 bumps that day")
            assert days[1].startswith(f"{D2.isoformat()} · forehead · 1 photo · 2 bumps that day")
            assert days[2].startswith(f"{D1.isoformat()} · chin · 1 photo · 7 bumps that day")
            shown = cards(app)
            assert [card.photo.day for card in shown] == [D3, D3, D2, D1]
            assert app.screen.focused is shown[0]
            assert "▀" in text  # the pictures are drawn with half blocks

    run(scenario)


def test_filtering_by_region_keeps_that_regions_photos(tmp_path):
    async def scenario():
        async with open_app(photo_journal(tmp_path), size=(120, 40)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            await pilot.press("r")
            await pilot.pause()
            box = app.screen.query_one("#photos-region", Select)
            assert box.expanded
            box.value = "chin"
            await pilot.pause()
            assert [card.photo.regions for card in cards(app)] == [("chin",), ("chin",)]
            assert "2 of 4 photos show this region" in screen_text(app)
            await pilot.press("escape")  # the open list first
            await pilot.press("escape")
            await pilot.pause()
            assert len(cards(app)) == 4

    run(scenario)


def test_enter_opens_the_photo_large_with_its_day(tmp_path):
    from skinlog.tui.dialogs.photo import PhotoDialog

    async def scenario():
        async with open_app(photo_journal(tmp_path), size=(100, 32)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PhotoDialog)
            facts = str(app.screen.query_one("#photo-facts", Static).render())
            assert f"{D3.isoformat()} · forehead · 1 bump on forehead that day" in facts
            await pilot.press("escape", "right", "enter")  # the next photo: the day's first, of the chin
            await pilot.pause()
            facts = str(app.screen.query_one("#photo-facts", Static).render())
            assert f"{D3.isoformat()} · chin · 2 bumps on chin that day" in facts
            assert "2 photos that day" in facts
            assert "[bold]four weeks[/bold] in" in facts  # the note as typed, never markup
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "PhotosScreen"

    run(scenario)


def test_a_missing_photo_file_shows_a_placeholder_and_says_so(tmp_path):
    path = photo_journal(tmp_path)
    for photo in Journal(path).photos():
        if photo.day == D1:
            photo_file(path, photo).unlink()

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            assert "─ missing ─" in screen_text(app)

    run(scenario)


def test_the_empty_view_says_how_to_add_photos(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).save_entry(make_entry(D1, {"chin": 1}))

    async def scenario():
        async with open_app(path, size=(80, 24)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            text = " ".join(screen_text(app).split())
            assert "No photos yet" in text and "skinlog photo add PATH" in text and "Today" in text
            await pilot.press("c")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "PhotosScreen"  # nothing to compare

    run(scenario)


def test_compare_starts_with_the_earliest_and_latest_and_steps_each_side(tmp_path):
    from skinlog.tui.screens.compare import CompareScreen

    async def scenario():
        async with open_app(photo_journal(tmp_path), size=(120, 40)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CompareScreen)
            assert screen.compared == "forehead"  # on a tie, the first region in the regions' order

            def captions():
                return [str(c.render()) for c in screen.query(".compare-caption").results(Static)]

            assert captions() == [
                f"{D2.isoformat()} · 2 bumps that day · 1/2",
                f"{D3.isoformat()} · 1 bump that day · 2/2",
            ]
            await pilot.press("left")  # the right side, chosen at first, steps back
            await pilot.pause()
            assert captions()[1].startswith(D2.isoformat())
            await pilot.press("left")  # no earlier photo: stays
            await pilot.press("tab", "right")
            await pilot.pause()
            assert [c[:10] for c in captions()] == [D3.isoformat(), D2.isoformat()]
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.__class__.__name__ == "PhotosScreen"

    run(scenario)


def test_compare_follows_the_region_filter(tmp_path):
    from skinlog.tui.screens.compare import CompareScreen

    async def scenario():
        async with open_app(photo_journal(tmp_path), size=(120, 40)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            app.screen.query_one("#photos-region", Select).value = "chin"
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, CompareScreen) and app.screen.compared == "chin"
            assert [p.day for p in app.screen.photos] == [D1, D3]
            text = screen_text(app)
            assert f"{D1.isoformat()} · 6 bumps that day · 1/2" in text
            assert f"{D3.isoformat()} · 2 bumps that day · 2/2" in text

    run(scenario)


def test_stepping_through_many_photos_is_quick(tmp_path):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    for n in range(60):
        add_picture(journal, PINNED_TODAY - timedelta(days=n + 1), ("chin",), seed=n)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.press("f10")
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("left")  # the first step makes that photo's copy; later ones too
            start = time.perf_counter()
            for _ in range(20):
                await pilot.press("left")
            await pilot.pause()
            assert app.screen.at[1] == 59 - 21
            assert (time.perf_counter() - start) / 20 < 0.5  # generous: a loaded machine

    run(scenario)


def test_the_renderer_is_chosen_from_the_setting_then_the_terminal():
    assert renderer_name({"SKINLOG_IMAGES": "sixel"}) == "sixel"
    assert renderer_name({"SKINLOG_IMAGES": "bogus", "TERM": "xterm-kitty"}) == "kitty"
    assert renderer_name({"TERM": "xterm-kitty", "TMUX": "/tmp/x"}) == "halfblock"
    assert renderer_name({"TERM": "foot"}) == "sixel"
    assert renderer_name({"TERM_PROGRAM": "WezTerm", "TERM": "xterm-256color"}) == "sixel"
    assert renderer_name({"TERM": "xterm-256color"}) == "halfblock"


# -- Today: the day's photo count and attaching a picture


def test_today_attaches_a_picture_and_counts_the_days_photos(tmp_path):
    from skinlog.tui.dialogs.attach import AttachDialog
    from tests.photo_helpers import picture

    path = tmp_path / "journal.json"
    Journal(path).save_entry(make_entry(PINNED_TODAY, {"chin": 1}))
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "chin-week-4.png").write_bytes(picture(7))

    async def scenario():
        async with open_app(path, size=(100, 32)) as (app, pilot):
            title = app.screen.query_one("#day-title", Static)
            assert "photo" not in str(title.render())
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert isinstance(app.screen, AttachDialog)
            await pilot.press(*f"{tmp_path}/pics/chi", "tab")  # Tab completes the unique name
            box = app.screen.query_one("#photo-path")
            assert box.value == f"{tmp_path}/pics/chin-week-4.png"
            app.screen.query_one("#photo-regions").select("chin")
            app.screen.query_one("#photo-note").value = "after four weeks"
            await pilot.click("#attach")
            await pilot.pause()
            assert not isinstance(app.screen, AttachDialog)
            photos = Journal(path).photos()
            assert [(p.day, p.regions, p.note) for p in photos] == [
                (PINNED_TODAY, ("chin",), "after four weeks")
            ]
            assert "1 photo" in str(app.screen.query_one("#day-title", Static).render())
            assert any("Attached a photo" in notice for notice in app.notices)

    run(scenario)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("nowhere.png", "there is no file"),
        ("{folder}", "is a folder"),
        ("{folder}/notes.txt", ""),
        ("", "Type the path of a picture"),
    ],
    ids=["missing", "folder", "not a picture", "empty"],
)
def test_attaching_a_bad_path_says_so_in_the_dialog_and_changes_nothing(tmp_path, typed, said):
    from skinlog.tui.dialogs.attach import AttachDialog

    path = tmp_path / "journal.json"
    Journal(path).save_entry(make_entry(PINNED_TODAY, {"chin": 1}))
    folder = tmp_path / "pics"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a picture\n")
    before = path.read_bytes()

    async def scenario():
        async with open_app(path, size=(100, 32)) as (app, pilot):
            await pilot.press("ctrl+o")
            await pilot.pause()
            app.screen.query_one("#photo-path").value = typed.format(folder=folder)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, AttachDialog)  # still open, saying what is wrong
            error = str(app.screen.query_one("#dialog-error", Static).render())
            assert error and said in error
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, AttachDialog)

    run(scenario)
    assert path.read_bytes() == before
    assert not photo_dir(path).exists() or not any(photo_dir(path).iterdir())


def test_tab_completion_of_paths(tmp_path):
    from skinlog.tui.dialogs.attach import complete

    (tmp_path / "skin-a.jpg").write_bytes(b"")
    (tmp_path / "skin-b.jpg").write_bytes(b"")
    (tmp_path / "shots").mkdir()
    (tmp_path / ".hidden.jpg").write_bytes(b"")
    assert complete(f"{tmp_path}/sk") == (f"{tmp_path}/skin-", ["skin-a.jpg", "skin-b.jpg"])
    assert complete(f"{tmp_path}/sh") == (f"{tmp_path}/shots/", [])
    assert complete(f"{tmp_path}/zz") == (f"{tmp_path}/zz", [])
    assert complete(f"{tmp_path}/") == (f"{tmp_path}/s", ["shots", "skin-a.jpg", "skin-b.jpg"])
    assert complete(f"{tmp_path}/nowhere/x") == (f"{tmp_path}/nowhere/x", [])
