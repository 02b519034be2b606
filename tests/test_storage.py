"""The journal file: permissions, backups, damaged and newer journals, migrations, restore."""

from __future__ import annotations

import json
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from skinlog import storage
from skinlog.cli import main
from skinlog.domain.entry import make_entry
from skinlog.errors import ConflictError, JournalCorruptError, JournalError, JournalTooNewError
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_journal_folder_backups_and_lock_are_private(tmp_path):
    path = tmp_path / "deep" / "skinlog" / "journal.json"
    old_umask = os.umask(0o022)
    try:
        journal = Journal(path)
        journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=1), {"nose": 1}))
        journal.save_entry(make_entry(PINNED_TODAY, {"nose": 2}))  # second write: makes a backup
    finally:
        os.umask(old_umask)
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
    backups = storage.list_backups(str(path))
    assert len(backups) == 1
    assert _mode(backups[0]) == 0o600 and _mode(os.path.dirname(backups[0])) == 0o700
    assert _mode(str(path) + ".lock") == 0o600
    assert sorted(os.listdir(path.parent)) == ["journal.json", "journal.json.backups", "journal.json.lock"]


def test_an_existing_world_readable_journal_becomes_private_on_write(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).save_entry(make_entry(PINNED_TODAY - timedelta(days=1), {"nose": 1}))
    os.chmod(path, 0o644)
    Journal(path).save_entry(make_entry(PINNED_TODAY, {"nose": 1}))
    assert _mode(path) == 0o600


def test_default_location_follows_xdg_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("SKINLOG_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert storage.default_path() == str(tmp_path / "xdg" / "skinlog" / "journal.json")
    import platformdirs

    assert storage.default_path() == os.path.join(
        platformdirs.user_data_dir("skinlog", appauthor=False), "journal.json"
    )
    monkeypatch.setenv("SKINLOG_DB", str(tmp_path / "mine.json"))
    assert storage.default_path() == str(tmp_path / "mine.json")


def test_skinlog_db_environment_variable_is_used(monkeypatch, tmp_path, capsys):
    target = tmp_path / "env.json"
    monkeypatch.setenv("SKINLOG_DB", str(target))
    assert main(["add", "nose=3"]) == 0
    assert json.loads(target.read_text())["entries"]


def test_backups_keep_one_copy_per_day_and_at_most_ten(tmp_path, monkeypatch):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    start = date(2026, 1, 1)
    for n in range(14):
        monkeypatch.setenv("SKINLOG_TODAY", (start + timedelta(days=n)).isoformat())
        for k in range(2):  # two changes a day: only the first makes a backup
            journal.save_entry(make_entry(date(2025, 1, 1) + timedelta(days=2 * n + k), {"nose": n}))
    backups = [os.path.basename(b) for b in storage.list_backups(str(path))]
    assert len(backups) == 10
    assert backups[0] == "2026-01-14.json" and backups[-1] == "2026-01-05.json"
    # each backup is the journal as it was before that day's first change
    newest = json.loads(Path(storage.list_backups(str(path))[0]).read_bytes())
    assert len(newest["entries"]) == 26


def _damaged_journal_with_backup(tmp_path):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=2), {"nose": 1}))
    journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=1), {"chin": 2}))
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])  # cut short, as by a failing disk or editor
    return path, good


def test_damaged_journal_error_names_file_and_newest_good_backup(tmp_path, capsys):
    path, _ = _damaged_journal_with_backup(tmp_path)
    damaged = path.read_bytes()
    assert main(["--db", str(path), "add", "nose=1"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert str(path) in err and storage.list_backups(str(path))[0] in err
    assert "restore-backup" in err
    assert path.read_bytes() == damaged


def test_restore_backup_puts_the_backup_back_and_keeps_the_damaged_file(tmp_path, capsys):
    path, _ = _damaged_journal_with_backup(tmp_path)
    damaged = path.read_bytes()
    assert main(["--db", str(path), "restore-backup", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Restored" in out
    kept = [p for p in os.listdir(tmp_path) if ".replaced-" in p]
    assert len(kept) == 1 and (tmp_path / kept[0]).read_bytes() == damaged
    assert main(["--db", str(path), "list", "--json"]) == 0
    restored = json.loads(capsys.readouterr().out)
    assert [e["counts"]["nose"] for e in restored] == [1]  # the state before today's first change
    assert _mode(path) == 0o600


def test_restore_backup_asks_first_and_refuses_a_damaged_backup(tmp_path, capsys):
    path, _ = _damaged_journal_with_backup(tmp_path)
    damaged = path.read_bytes()
    assert main(["--db", str(path), "restore-backup"]) == 2  # no terminal, no --yes
    bad_backup = tmp_path / "bad.json"
    bad_backup.write_text("{not json")
    assert main(["--db", str(path), "restore-backup", str(bad_backup), "--yes"]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert path.read_bytes() == damaged


def test_newer_schema_is_refused_with_an_upgrade_hint(tmp_path):
    path = tmp_path / "journal.json"
    path.write_text(json.dumps({"_meta": {"1": {"schema_version": storage.SCHEMA_VERSION + 1}}}))
    with pytest.raises(JournalTooNewError, match="upgrade skinlog"):
        Journal(path).entries()


def test_migration_hook_upgrades_an_older_journal_on_read(tmp_path, monkeypatch):
    path = tmp_path / "journal.json"
    old = {"_meta": {"1": {"schema_version": 1}}, "entries": {}, "legacy": {"1": {"x": 1}}}
    path.write_text(json.dumps(old))

    def one_to_two(data):
        data.pop("legacy")
        data["settings"] = {"1": {"persist_weeks": 12}}
        return data

    monkeypatch.setattr(storage.schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(storage.MIGRATIONS, 1, one_to_two)
    journal = Journal(path)
    assert journal.settings() == {"persist_weeks": 12}
    journal.save_entry(make_entry(PINNED_TODAY, {"nose": 1}))
    on_disk = json.loads(path.read_text())
    assert on_disk["_meta"]["1"]["schema_version"] == 2 and "legacy" not in on_disk


def test_a_failed_change_writes_nothing(tmp_path):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    journal.save_entry(make_entry(PINNED_TODAY, {"nose": 1}))
    before = path.read_bytes()
    with pytest.raises(ConflictError), journal.transaction():
        journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=1), {"nose": 4}))
        journal.save_entry(make_entry(PINNED_TODAY, {"nose": 9}))  # refused: the whole change goes
    assert path.read_bytes() == before
    assert [e.count("nose") for e in Journal(path).entries()] == [1]


def test_no_temporary_files_are_left_behind(tmp_path):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    for n in range(5):
        journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=n), {"nose": n}))
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_corrupt_error_without_backups_says_so(tmp_path):
    path = tmp_path / "journal.json"
    path.write_text('{"_meta": ')
    with pytest.raises(JournalCorruptError, match="no good backup"):
        Journal(path).entries()


# -- the storage's transaction: one lock, one read, one write


def _journal_from_yesterday(tmp_path) -> tuple[Path, Journal]:
    """A journal whose last write was on an earlier day, so today's first change backs it up."""
    path = tmp_path / "journal.json"
    journal = Journal(path)
    journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=3), {"nose": 1}))
    return path, journal


def test_two_changes_in_one_transaction_make_one_write_and_one_backup(tmp_path):
    path, journal = _journal_from_yesterday(tmp_path)
    before = path.read_bytes()
    with journal.storage.transaction():
        journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=2), {"nose": 2}))
        assert path.read_bytes() == before  # nothing written until the transaction ends
        journal.set_setting("persist_weeks", 10)
        assert path.read_bytes() == before and not storage.list_backups(str(path))
    backups = storage.list_backups(str(path))
    assert len(backups) == 1 and Path(backups[0]).read_bytes() == before
    reread = Journal(path)
    assert [e.count("nose") for e in reread.entries()] == [1, 2]
    assert reread.settings() == {"persist_weeks": 10}


def test_an_exception_inside_a_transaction_leaves_the_file_and_the_reader_untouched(tmp_path):
    path, journal = _journal_from_yesterday(tmp_path)
    before = path.read_bytes()
    day = PINNED_TODAY - timedelta(days=1)
    with pytest.raises(RuntimeError, match="stop"), journal.storage.transaction():
        journal.save_entry(make_entry(day, {"chin": 2}))
        journal.delete_entry(PINNED_TODAY - timedelta(days=3))
        raise RuntimeError("stop")
    assert path.read_bytes() == before and not storage.list_backups(str(path))
    # the same journal reads the file again, not the changes made in memory before the failure
    assert journal.entry(day) is None
    assert [e.count("nose") for e in journal.entries()] == [1]


def test_a_change_whose_write_fails_is_not_shown_by_the_same_journal(tmp_path):
    path, journal = _journal_from_yesterday(tmp_path)
    Path(storage.backup_dir(str(path))).write_text("a file where the backups folder should be")
    day = PINNED_TODAY - timedelta(days=1)
    with pytest.raises(JournalError, match="cannot keep the daily backup"):
        journal.save_entry(make_entry(day, {"chin": 2}))
    assert journal.entry(day) is None and len(journal.entries()) == 1


def test_nested_transactions_join_the_outer_one(tmp_path):
    path, journal = _journal_from_yesterday(tmp_path)
    before = path.read_bytes()
    with journal.transaction():
        with journal.transaction():
            journal.save_entry(make_entry(PINNED_TODAY - timedelta(days=2), {"nose": 2}))
        assert journal.storage.in_transaction and path.read_bytes() == before
    assert not journal.storage.in_transaction
    assert len(Journal(path).entries()) == 2


def test_records_are_changed_only_inside_a_transaction(tmp_path):
    path, journal = _journal_from_yesterday(tmp_path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="inside transaction"):
        journal.storage.put("settings", {"1": {"persist_weeks": 10}})
    assert journal.settings() == {} and path.read_bytes() == before


def test_reads_inside_a_transaction_show_its_changes_and_match_what_is_written(tmp_path):
    path, journal = _journal_from_yesterday(tmp_path)
    first, second = PINNED_TODAY - timedelta(days=3), PINNED_TODAY - timedelta(days=2)
    with journal.transaction():
        assert [e.date for e in journal.entries()] == [first]  # the entries are built here
        journal.save_entry(make_entry(second, {"nose": 2}, products=["Eye cream"]))
        journal.delete_entry(first)
        journal.rename_product("Eye cream", "Night eye cream")
        seen = journal.entries()
        assert [e.date for e in seen] == [second] and seen[0].products == ("Night eye cream",)
        assert journal.entry(second) == seen[0] and journal.entry(first) is None
    assert Journal(path).entries() == seen


def test_a_day_after_the_last_a_journal_may_hold_is_refused_and_nothing_written(tmp_path):
    from skinlog.errors import ValidationError

    path = tmp_path / "journal.json"
    journal = Journal(path)
    journal.save_entry(make_entry(PINNED_TODAY, {"nose": 1}))
    before = path.read_bytes()
    with pytest.raises(ValidationError, match="in the future"):
        journal.save_entry(make_entry(PINNED_TODAY + timedelta(days=2), {"nose": 1}))
    assert path.read_bytes() == before
    assert [e.date for e in Journal(path).entries()] == [PINNED_TODAY]  # still readable
