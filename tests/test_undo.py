"""Undo: every kind of change undone on real journal files, undo of undo, the kept history, stale
and damaged records, exports without the history, the CLI's question and ctrl+z in the app."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from skinlog.errors import ConflictError, JournalCorruptError
from skinlog.storage import SCHEMA_VERSION, Journal
from skinlog.storage import undo as undo_module

DAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("SKINLOG_TODAY", "2026-11-22")


def on_disk(path) -> dict:
    return json.loads(Path(path).read_text())


def state(path) -> dict:
    """What a person sees of the journal: its tables (an empty one as none) without the undo
    history and the meta."""
    data = on_disk(path)
    return {k: v for k, v in data.items() if k in ("entries", "products", "settings") and v}


def undo(cli, path, *more):
    result = cli("undo", "--yes", *more, db=path)
    assert result.code == 0, result.err
    return result


@pytest.fixture
def started(cli, journal_path):
    """A journal with two days logged."""
    assert cli("add", "--date", "2026-11-19", "nose=1", "-p", "Retinol").code == 0
    assert cli("add", "--date", "2026-11-20", "nose=2", "chin=1", "--note", "first").code == 0
    return journal_path


# -- each kind of change


CHANGES = {
    "save a new day": (("add", "--date", "2026-11-21", "forehead=4"), "saved 2026-11-21"),
    "replace a day": (("add", "--date", "2026-11-20", "--replace", "nose=7"), "saved 2026-11-20"),
    "merge into a day": (("add", "--date", "2026-11-20", "--merge", "chin=5"), "merged into 2026-11-20"),
    "delete a day": (("delete", "2026-11-19", "--yes"), "deleted 2026-11-19"),
    "add a product": (("products", "add", "Azelaic gel", "--category", "other"), "added product Azelaic gel"),
    "rename a product": (("products", "rename", "Retinol", "Retinal"), "renamed product Retinol to Retinal"),
    "change a product": (("products", "set", "Retinol", "--heavy"), "changed product Retinol"),
    "a setting": (("settings", "set", "persist_weeks", "9"), "set persist_weeks to"),
    "a reset setting": (("settings", "reset", "persist_weeks"), None),
    "a day with a new product": (
        ("add", "--date", "2026-11-21", "nose=1", "-p", "Tea tree", "--new-product", "other"),
        "added product Tea tree; saved 2026-11-21",
    ),
}


@pytest.mark.parametrize("name", CHANGES)
def test_each_kind_of_change_is_undone_and_redone(cli, started, name):
    args, words = CHANGES[name]
    if name == "a reset setting":
        assert cli("settings", "set", "persist_weeks", "9").code == 0
        words = "reset persist_weeks to 12"
    before = state(started)
    assert cli(*args).code == 0
    after = state(started)
    assert after != before
    shown = cli("undo", "--list")
    assert words in shown.out.splitlines()[0]
    done = undo(cli, started)
    assert done.out.startswith("Undone: ") and words in done.out
    assert state(started) == before
    undo(cli, started, "--redo")
    assert state(started) == after  # undoing the undo puts the change back


@pytest.mark.parametrize("mode", ["--replace", "--merge"])
def test_an_import_is_undone(cli, started, tmp_path, mode):
    other = tmp_path / "other.json"
    assert cli("add", "--date", "2026-10-01", "cheek-l=3", db=other).code == 0
    assert cli("add", "--date", "2026-10-02", "cheek-l=1", db=other).code == 0
    export = tmp_path / "export.json"
    assert cli("export", "-o", str(export), db=other).code == 0
    before = state(started)
    assert cli("import", str(export), mode).code == 0
    assert state(started) != before
    assert "imported 2 days" in cli("undo", "--list").out.splitlines()[0]
    undo(cli, started)
    assert state(started) == before


def test_the_first_save_undone_leaves_the_starter_catalogue(cli, journal_path):
    assert cli("add", "nose=1").code == 0
    products = state(journal_path)["products"]
    undo(cli, journal_path)
    assert state(journal_path) == {"products": products}
    assert Journal(journal_path).entries() == []


def test_undo_walks_back_one_change_at_a_time_and_redo_forward(cli, started):
    states = [state(started)]
    for n in (3, 4, 5):
        assert cli("add", "--date", "2026-11-21", "--replace", f"nose={n}").code == 0
        states.append(state(started))
    for expected in reversed(states[:-1]):
        undo(cli, started)
        assert state(started) == expected
    for expected in states[1:]:
        undo(cli, started, "--redo")
        assert state(started) == expected
    assert cli("undo", "--redo", "--yes").code == 1  # nothing left to redo


def test_a_new_change_after_an_undo_leaves_nothing_to_redo(cli, started):
    undo(cli, started)
    assert cli("add", "--date", "2026-11-21", "nose=1").code == 0
    result = cli("undo", "--redo", "--yes")
    assert result.code == 1 and "Nothing to redo" in result.out


def test_nothing_to_undo_in_a_new_journal(cli, journal_path):
    result = cli("undo", "--yes")
    assert result.code == 1 and "Nothing to undo" in result.out
    assert not journal_path.exists()


# -- the history kept


def test_21_changes_keep_the_newest_20(cli, journal_path):
    for n in range(21):
        assert cli("add", "--date", (DAY - timedelta(days=n)).isoformat(), "nose=1").code == 0
    history = on_disk(journal_path)["undo"]
    assert len(history) == undo_module.KEEP == 20
    assert sorted(map(int, history)) == list(range(2, 22))
    listed = cli("undo", "--list").out.splitlines()
    assert len(listed) == 20 and listed[-1].endswith(f"saved {(DAY - timedelta(days=1)).isoformat()}")
    for _ in range(20):  # the undos are kept too, without pushing the changes out
        undo(cli, journal_path)
    assert [e.date for e in Journal(journal_path).entries()] == [DAY]  # the first change is gone
    result = cli("undo", "--yes")
    assert result.code == 1 and "Nothing to undo" in result.out


def test_a_change_too_large_to_keep_is_listed_and_refused(cli, started, monkeypatch, capsys):
    monkeypatch.setattr(undo_module, "MAX_RECORD_BYTES", 100)
    assert cli("add", "--date", "2026-11-20", "--replace", "nose=9", "--note", "x" * 200).code == 0
    assert "(too large to undo)" in cli("undo", "--list").out.splitlines()[0]
    before = on_disk(started)
    result = cli("undo", "--yes")
    assert result.code != 0 and "too much to be kept for undo" in result.err
    assert on_disk(started) == before


def test_the_history_stays_under_its_byte_cap(cli, started, monkeypatch):
    monkeypatch.setattr(undo_module, "MAX_TOTAL_BYTES", 700)
    for n in range(4):
        assert cli("add", "--date", "2026-11-20", "--replace", f"nose={n + 1}", "--note", "y" * 150).code == 0
    history = on_disk(started)["undo"]
    kept = [history[k]["size"] for k in sorted(history, key=int) if history[k]["before"] is not None]
    assert 0 < sum(kept) <= 700 and len(kept) < len(history)


def test_undo_refuses_when_the_day_was_changed_since(cli, started):
    assert cli("add", "--date", "2026-11-20", "--replace", "nose=7").code == 0
    data = on_disk(started)  # changed by hand (a valid journal still, but not by skinlog)
    key = str(DAY.toordinal())
    data["entries"][key]["counts"] = {"nose": 8}
    started.write_text(json.dumps(data))
    before = started.read_bytes()
    result = cli("undo", "--yes")
    assert result.code != 0 and "was changed again since" in result.err
    assert started.read_bytes() == before
    assert Journal(started).entry(DAY).counts == {"nose": 8}


def test_an_undo_shown_then_overtaken_is_not_applied(cli, started):
    journal = Journal(started)
    shown = journal.next_undo()
    assert shown is not None
    assert cli("add", "--date", "2026-11-21", "nose=1").code == 0  # another process, meanwhile
    with pytest.raises(ConflictError):
        Journal(started).undo(expected=shown.id)
    assert Journal(started).entry(date(2026, 11, 21)) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda h: h["1"].pop("what"),
        lambda h: h["1"].update(kind="rewind"),
        lambda h: h["1"].update(before=[1]),
        lambda h: h["1"].update(before={"passwords": {}}),
        lambda h: h.update({"x": {}}),
        lambda h: h["2"].update(undoes=7),
        lambda h: h["1"].update(when="not a date"),
        lambda h: h["1"].update(when="2026-13-45T99:99:99+00:00"),
        lambda h: h["1"].update(when="2026-11-20T10:00:00"),  # no offset: not as skinlog writes it
        lambda h: h.update({str(n): {**h["1"]} for n in range(3, 200)}),  # more than skinlog keeps
    ],
)
def test_a_damaged_undo_history_is_refused_like_other_damage(cli, started, damage):
    data = on_disk(started)
    damage(data["undo"])
    started.write_text(json.dumps(data))
    before = started.read_bytes()
    with pytest.raises(JournalCorruptError, match="undo (record|history)"):
        Journal(started).entries()
    result = cli("add", "--date", "2026-11-21", "nose=1")
    assert result.code != 0 and "undo " in result.err and "restore-backup" in result.err
    assert started.read_bytes() == before


def test_undoing_the_undo_table_of_another_journal_never_happens(cli, started, tmp_path):
    """Exports leave the history out, backups keep it, an import brings none of the source's."""
    export = tmp_path / "out.json"
    assert cli("export", "-o", str(export)).code == 0
    text = export.read_text()
    assert '"undo"' not in text and "saved 2026-11-19" not in text
    assert cli("add", "--date", "2026-11-21", "nose=1").code == 0  # the first write today: a backup
    backup = next((started.parent / "journal.json.backups").iterdir())
    assert on_disk(backup)["undo"]  # a backup is a copy of the file, history and all
    fresh = tmp_path / "fresh.json"
    assert cli("import", str(export), db=fresh).code == 0
    history = on_disk(fresh)["undo"]
    assert [r["what"] for r in history.values()] == ["imported 2 days"]


def test_a_schema_2_journal_gets_its_history_with_the_first_write(cli, started):
    data = on_disk(started)
    del data["undo"]
    data["_meta"]["1"]["schema_version"] = 2
    started.write_text(json.dumps(data))
    assert cli("undo", "--list").out.startswith("No changes kept yet")
    assert cli("add", "--date", "2026-11-21", "nose=1").code == 0
    written = on_disk(started)
    assert written["_meta"]["1"]["schema_version"] == SCHEMA_VERSION and len(written["undo"]) == 1
    undo(cli, started)
    assert Journal(started).entry(date(2026, 11, 21)) is None


# -- the CLI's question


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_cli_says_what_it_reverts_and_asks(cli, started, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    before = started.read_bytes()
    result = cli("undo")
    assert result.code == 1 and "Nothing undone." in result.out
    assert "Undo: saved 2026-11-20 (" in result.out
    assert "restores 2026-11-20 as it was: nothing logged. Undo it? [y/N]" in result.out
    assert started.read_bytes() == before
    monkeypatch.setattr(sys, "stdin", Terminal("y\n"))
    result = cli("undo")
    assert result.code == 0 and "Undone: saved 2026-11-20." in result.out
    assert Journal(started).entry(DAY) is None


def test_the_cli_does_not_ask_without_a_terminal(skinlog_cmd, cli, started):
    before = started.read_bytes()
    result = skinlog_cmd("undo", stdin="y\n")
    assert result.code == 2 and result.err.count("\n") == 1 and "add --yes" in result.err
    assert started.read_bytes() == before


# -- ctrl+z in the app


def test_ctrl_z_undoes_a_delete_in_history_and_ctrl_y_puts_it_back(tmp_path):
    from textual.widgets import DataTable

    from skinlog.tui.dialogs.confirm import ConfirmDialog
    from tests.tui_helpers import PINNED_TODAY, demo_journal, open_app, run, screen_text

    path = demo_journal(tmp_path)
    yesterday = PINNED_TODAY - timedelta(days=1)
    original = Journal(path).entry(yesterday)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert "ctrl+z undoes it" in screen_text(app) and "cannot be undone" not in screen_text(app)
            await pilot.press("y")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert table.get_row_at(0)[0] != yesterday.isoformat()
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert Journal(path).entry(yesterday) == original
            assert app.notices[-1].startswith(f"Undone: deleted {yesterday.isoformat()}")
            assert app.screen.query_one(DataTable).get_row_at(0)[0] == yesterday.isoformat()
            await pilot.press("ctrl+y")
            await pilot.pause()
            assert Journal(path).entry(yesterday) is None
            assert app.screen.query_one(DataTable).get_row_at(0)[0] != yesterday.isoformat()

    run(scenario)


def test_an_undo_that_would_leave_the_journal_inconsistent_is_refused(cli, started):
    assert cli("products", "add", "Azelaic gel", "--category", "other").code == 0
    data = on_disk(started)  # a day using the new product, written by hand (not by skinlog)
    data["entries"][str(date(2026, 11, 21).toordinal())] = {
        "date": "2026-11-21",
        "counts": {"nose": 1},
        "products": ["Azelaic gel"],
    }
    started.write_text(json.dumps(data))
    before = started.read_bytes()
    result = cli("undo", "--yes")
    assert result.code != 0 and "inconsistent" in result.err and "Azelaic gel" in result.err
    assert started.read_bytes() == before


def test_undoing_and_redoing_over_and_over_keeps_the_history_bounded(cli, started):
    for _ in range(3 * undo_module.KEEP):
        undo(cli, started)
        undo(cli, started, "--redo")
    history = on_disk(started)["undo"]
    assert len(history) == undo_module.MAX_RECORDS
    assert Journal(started).entry(DAY) is not None  # the last redo put the day back
