"""How every view looks on the demo journal, at 80x24 and 120x40 (pytest-textual-snapshot).

Update after a deliberate change with `python -m pytest tests/test_snapshots.py --snapshot-update`,
and look at the report first.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest

from skinlog.domain.entry import make_entry
from skinlog.storage import Journal
from skinlog.tui.views import VIEWS, View
from tests.tui_helpers import PINNED_TODAY, demo_journal, make_app

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.id)
def test_view_appearance(snap_compare, tmp_path, view: View, size):
    app = make_app(demo_journal(tmp_path))

    async def open_view(pilot):
        await pilot.press(view.key)
        await pilot.app.workers.wait_for_complete()  # a view that works things out in a thread
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(app, run_before=open_view, terminal_size=size)


def test_today_with_counts_typed(snap_compare, tmp_path):
    app = make_app(demo_journal(tmp_path))
    assert snap_compare(
        app, press=["3", "down", "plus", "plus", "down", "right", "1", "2"], terminal_size=(100, 32)
    )


def test_export_dialog(snap_compare, tmp_path):
    app = make_app(demo_journal(tmp_path))
    assert snap_compare(app, press=["f8"], terminal_size=(80, 24))


def test_export_dialog_with_the_bundle_chosen(snap_compare, tmp_path):
    """The bundle is the table's last format: one step back from the first; the file name follows."""
    app = make_app(demo_journal(tmp_path))
    assert snap_compare(app, press=["f8", "left"], terminal_size=(120, 40))


@pytest.mark.parametrize("size", [(100, 32), *SIZES], ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, monkeypatch, size):
    # The help shows where the journal and the preferences are: paths that are the same on
    # every run (one folder per size, as the sizes may run at once).
    folder = Path(tempfile.gettempdir()) / f"skinlog-help-{size[0]}x{size[1]}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))
    try:
        assert snap_compare(make_app(demo_journal(folder)), press=["f1"], terminal_size=size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_damaged_journal_screen(snap_compare, tmp_path):
    # The message names the journal's real path: one that is the same on every run.
    folder = Path(tempfile.gettempdir()) / "skinlog-snapshot"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        (folder / "journal.json").write_text('{"_meta": {"1": {"schema_version": 1}}, "entries": {')
        assert snap_compare(make_app(folder / "journal.json"), terminal_size=(80, 24))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_unsaved_changes_question(snap_compare, tmp_path):
    app = make_app(demo_journal(tmp_path))
    assert snap_compare(app, press=["plus", "plus", "q"], terminal_size=(80, 24))


def test_day_changed_elsewhere_question(snap_compare, tmp_path):
    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)

    async def change_it_elsewhere_then_save(pilot):
        await pilot.press("comma", "plus")
        Journal(path).save_entry(
            make_entry(yesterday, {"chin": 6}, ["Retinol"], note="from the shell"), mode="replace"
        )
        await pilot.press("ctrl+s")

    assert snap_compare(make_app(path), run_before=change_it_elsewhere_then_save, terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_run_welcome(snap_compare, monkeypatch, size):
    # Fixed paths (never created), so the screen is the same on every machine.
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/you/.config")
    app = make_app(Path("/home/you/.local/share/skinlog/journal.json"), welcome=True)
    assert snap_compare(app, terminal_size=size)


def photo_demo(folder: Path) -> Path:
    """The demo journal with five drawn pictures of the forehead and chin (half blocks)."""
    from tests.photo_helpers import add_picture

    path = demo_journal(folder)
    journal = Journal(path)
    for n, days_ago in enumerate((40, 30, 20, 10, 3)):
        regions = ("forehead",) if n % 2 else ("forehead", "chin")
        add_picture(journal, PINNED_TODAY - timedelta(days=days_ago), regions, seed=n + 3, note=f"week {n}")
    return path


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_photos_timeline(snap_compare, monkeypatch, tmp_path, size):
    monkeypatch.setenv("SKINLOG_IMAGES", "halfblock")
    assert snap_compare(make_app(photo_demo(tmp_path)), press=["f10"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_photos_compare(snap_compare, monkeypatch, tmp_path, size):
    monkeypatch.setenv("SKINLOG_IMAGES", "halfblock")
    app = make_app(photo_demo(tmp_path))
    assert snap_compare(app, press=["f10", "c", "left", "tab"], terminal_size=size)


def test_photo_opened_large(snap_compare, monkeypatch, tmp_path):
    monkeypatch.setenv("SKINLOG_IMAGES", "halfblock")
    assert snap_compare(make_app(photo_demo(tmp_path)), press=["f10", "enter"], terminal_size=(100, 32))
