"""The journal's files: links written through, the lock and its messages, temp files of killed
writers, files kept aside, and a long-lived reader that sees changes made by other processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest

from skinlog import storage
from skinlog.cli import main
from skinlog.domain.entry import make_entry
from skinlog.errors import JournalError
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY, PINNED_YESTERDAY

YESTERDAY = PINNED_YESTERDAY


def _skinlog(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "skinlog", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def _two_days_and_a_backup(path: Path) -> None:
    """Yesterday, then today: the second change keeps today's backup of the first."""
    journal = Journal(path)
    journal.save_entry(make_entry(YESTERDAY, {"nose": 1}))
    journal.save_entry(make_entry(PINNED_TODAY, {"nose": 2}))


def _hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process that takes the journal's lock (writing its pid, as skinlog does), says
    "held", and keeps it for ``seconds``."""
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import fcntl, os, time
        fd = os.open({str(path) + ".lock"!r}, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0); os.pwrite(fd, str(os.getpid()).encode(), 0)
        print("held", flush=True)
        time.sleep({seconds})
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_a_linked_journal_is_written_through_and_the_link_stays_a_link(tmp_path, capsys):
    real = tmp_path / "real" / "j.json"
    real.parent.mkdir()
    Journal(real).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    link_dir = tmp_path / "link"
    link_dir.mkdir()
    link = link_dir / "j.json"
    link.symlink_to(Path("..") / "real" / "j.json")

    assert main(["--db", str(link), "add", "chin=2"]) == 0
    assert main(["--db", str(link), "add", "--date", YESTERDAY.isoformat(), "--merge", "forehead=3"]) == 0
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "real", "j.json")
    days = {e.date: e for e in Journal(real).entries()}
    assert days[PINNED_TODAY].counts == {"chin": 2}
    assert days[YESTERDAY].counts == {"nose": 1, "forehead": 3}
    # Lock and backups sit beside the real file, nothing beside the link.
    assert sorted(os.listdir(link_dir)) == ["j.json"]
    assert (real.parent / "j.json.lock").exists() and (real.parent / "j.json.backups").is_dir()
    capsys.readouterr()
    assert main(["--db", str(link), "restore-backup", "--yes"]) == 0
    assert link.is_symlink()


def test_a_held_lock_says_who_it_waits_for_then_goes_ahead(tmp_path):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    holder = _hold_lock(path, 1.5)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = _skinlog("--db", str(path), "add", "chin=1")
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=10)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"skinlog: waiting for another skinlog (pid {holder.pid}) to finish writing the journal..."
    ]
    assert waited >= 1.0
    assert Journal(path).entry(PINNED_TODAY) is not None


def test_a_lock_held_too_long_is_one_line_naming_the_holder(tmp_path, monkeypatch, capsys):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    before = path.read_bytes()
    monkeypatch.setattr(storage.lock, "LOCK_TIMEOUT", 0.8)
    holder = _hold_lock(path, 5)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        journal = Journal(path)
        with pytest.raises(JournalError, match=f"busy: another skinlog \\(pid {holder.pid}\\)"):
            with storage.exclusive_lock(journal.path, timeout=0.8):
                pass
    finally:
        holder.kill()
        holder.wait()
    assert path.read_bytes() == before


def test_temp_files_of_killed_writers_are_removed_on_the_next_write(tmp_path):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".j.json.{dead_pid}.tmp"
    stale.write_bytes(b"half a journal")
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = tmp_path / f".j.json.{sleeper.pid}.tmp"
        live.write_bytes(b"being written")
        backups = Path(storage.backup_dir(str(path)))
        stale_backup = backups / f".{PINNED_TODAY.isoformat()}.json.{dead_pid}.tmp"
        backups.mkdir(exist_ok=True)
        stale_backup.write_bytes(b"half a backup")
        assert main(["--db", str(path), "add", "chin=1"]) == 0
        assert not stale.exists() and not stale_backup.exists()
        assert live.exists()  # its writer is still running
    finally:
        sleeper.kill()
        sleeper.wait()


def test_two_restores_in_the_same_second_keep_both_replaced_journals(tmp_path, capsys):
    path = tmp_path / "j.json"
    _two_days_and_a_backup(path)
    backup = storage.list_backups(str(path))[0]
    first = path.read_bytes()
    assert main(["--db", str(path), "restore-backup", "--yes"]) == 0
    path.write_bytes(b"damaged twice")
    assert main(["--db", str(path), "restore-backup", "--yes", backup]) == 0
    kept = sorted(p for p in os.listdir(tmp_path) if ".replaced-" in p)
    assert len(kept) == 2
    contents = {(tmp_path / k).read_bytes() for k in kept}
    assert contents == {first, b"damaged twice"}


def test_a_long_lived_reader_sees_changes_made_by_another_process(tmp_path):
    path = tmp_path / "j.json"
    reader = Journal(path)
    reader.save_entry(make_entry(YESTERDAY, {"nose": 1}))
    stamp = reader.stamp()
    assert [e.date for e in reader.entries()] == [YESTERDAY]
    result = _skinlog(
        "--db",
        str(path),
        "add",
        "--date",
        YESTERDAY.isoformat(),
        "--replace",
        "chin=4",
        "--note",
        "from the shell",
    )
    assert result.returncode == 0, result.stderr
    assert reader.stamp() != stamp
    assert reader.entry(YESTERDAY).note == "from the shell"
    assert reader.entry(YESTERDAY).counts == {"chin": 4}


def test_a_backups_folder_that_cannot_be_written_is_named_and_the_journal_is_unchanged(tmp_path, capsys):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    before = path.read_bytes()
    Path(storage.backup_dir(str(path))).write_text("a file where the backups folder should be")
    assert main(["--db", str(path), "add", "chin=1"]) == 1
    err = capsys.readouterr().err
    assert "cannot keep the daily backup in" in err and "j.json.backups" in err
    assert "the journal was not changed" in err
    assert path.read_bytes() == before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="switches to an unprivileged user"
)
def test_a_lock_file_that_cannot_be_opened_is_named_as_such(tmp_path):
    """Run as another user (root reads any file): a lock file with mode 000 in a writable folder."""
    folder = Path("/tmp") / f"skinlog-lock-{os.getpid()}"
    folder.mkdir(mode=0o777, exist_ok=True)
    os.chmod(folder, 0o777)
    try:
        path = folder / "j.json"
        Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
        os.chmod(path, 0o666)
        lock = Path(str(path) + ".lock")
        os.chmod(lock, 0o000)
        code = (
            f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r}); "
            f"from skinlog.cli import main; sys.exit(main(['--db', {str(path)!r}, 'add', 'chin=1']))"
        )
        try:
            result = subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                timeout=60,
                user=65534,
                group=65534,
                cwd="/",
            )
        except PermissionError:
            pytest.skip("this interpreter cannot be run by an unprivileged user here")
        if "Permission denied" in result.stderr and "skinlog: " not in result.stderr:
            pytest.skip("this interpreter's files are not readable by an unprivileged user here")
        assert result.returncode == 1
        assert f"cannot open the lock file {lock}: permission denied" in result.stderr
        assert "cannot write in" not in result.stderr
    finally:
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def test_a_lock_path_that_is_not_a_file_is_named_as_such(tmp_path, capsys):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    before = path.read_bytes()
    lock = Path(str(path) + ".lock")
    lock.unlink()
    lock.mkdir()
    assert main(["--db", str(path), "add", "chin=1"]) == 1
    err = capsys.readouterr().err
    assert f"cannot open the lock file {lock}: is a directory" in err
    assert path.read_bytes() == before


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_journal_path_that_is_a_pipe_or_device_is_refused_without_reading_or_replacing_it(tmp_path, kind):
    path = tmp_path / "journal.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o666 | __import__("stat").S_IFCHR, os.makedev(1, 5))  # like /dev/zero
    journal = Journal(path)
    for attempt in (journal.entries, lambda: journal.save_entry(make_entry(YESTERDAY, {"nose": 1}))):
        with pytest.raises(JournalError, match="is not a regular file"):
            attempt()
    st = os.lstat(path)
    assert not __import__("stat").S_ISREG(st.st_mode)  # still the pipe or device it was


def test_a_lock_file_that_is_a_link_is_never_followed(tmp_path, capsys):
    precious = tmp_path / "precious.txt"
    precious.write_text("important\n")
    path = tmp_path / "journal.json"
    Path(str(path) + ".lock").symlink_to(precious)
    assert main(["--db", str(path), "add", "nose=1"]) == 1
    assert "lock file" in capsys.readouterr().err
    assert precious.read_text() == "important\n"
    assert not path.exists()


def test_two_schema_1_journals_with_the_same_content_get_different_ids(tmp_path):
    content = json.dumps(
        {
            "_meta": {"1": {"schema_version": 1, "app": "skinlog"}},
            "products": {"1": {"name": "Retinol", "category": "retinoid", "heavy": False}},
        }
    )
    alice, bob = tmp_path / "alice.json", tmp_path / "bob.json"
    alice.write_text(content)
    bob.write_text(content)
    ids = {Journal(alice).journal_id(), Journal(bob).journal_id()}
    assert len(ids) == 2
    assert Journal(alice).journal_id() == Journal(alice).journal_id()  # stable until written


def test_restore_backup_list_says_what_each_backup_holds(tmp_path, capsys):
    path = tmp_path / "j.json"
    _two_days_and_a_backup(path)
    capsys.readouterr()
    assert main(["--db", str(path), "restore-backup", "--list"]) == 0
    assert f"(1 entry, the last on {YESTERDAY.isoformat()})" in capsys.readouterr().out


def test_a_product_in_the_other_category_is_not_called_a_skin_event(tmp_path, capsys):
    assert (
        main(["--db", str(tmp_path / "j.json"), "products", "add", "Azelaic acid", "--category", "other"])
        == 0
    )
    assert capsys.readouterr().out == "Added Azelaic acid (other).\n"


def test_a_backups_folder_that_is_a_link_is_never_written_through(tmp_path, capsys):
    victim = tmp_path / "victim"
    victim.mkdir()
    for n in range(1, 16):
        (victim / f"2020-01-{n:02d}.json").write_text('{"precious": 1}')
    real = tmp_path / "real"
    real.mkdir()
    path = real / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    before = path.read_bytes()
    Path(storage.backup_dir(str(path))).symlink_to(victim)
    assert main(["--db", str(path), "add", "chin=1"]) == 1
    assert "is a link or not a folder" in capsys.readouterr().err
    assert sorted(os.listdir(victim)) == [f"2020-01-{n:02d}.json" for n in range(1, 16)]
    assert path.read_bytes() == before


def test_a_missing_journal_whose_backups_remain_is_not_silently_started_afresh(tmp_path, capsys):
    path = tmp_path / "j.json"
    _two_days_and_a_backup(path)
    path.unlink()
    capsys.readouterr()
    assert main(["--db", str(path), "add", "chin=1"]) == 1
    err = capsys.readouterr().err
    assert "is missing but its backups are there" in err and "restore-backup" in err
    assert not path.exists()
    assert main(["--db", str(path), "restore-backup", "--yes"]) == 0
    assert Journal(path).entry(YESTERDAY) is not None


def test_restore_never_leaves_the_journal_missing(tmp_path):
    """The journal is kept aside by a second name (a hard link) and replaced by a rename."""
    path = tmp_path / "j.json"
    _two_days_and_a_backup(path)
    before = path.read_bytes()
    kept = storage.backups.keep_aside(str(path))
    assert path.read_bytes() == before and Path(kept).read_bytes() == before


def test_a_lock_file_with_another_name_for_it_is_never_truncated(tmp_path, capsys):
    precious = tmp_path / "precious.txt"
    precious.write_text("my precious data\n")
    path = tmp_path / "j.json"
    os.link(precious, str(path) + ".lock")
    assert main(["--db", str(path), "add", "nose=1"]) == 1
    assert "hard link" in capsys.readouterr().err
    assert precious.read_text() == "my precious data\n"


def test_an_export_never_replaces_the_lock_file_or_a_backup(tmp_path, capsys):
    path = tmp_path / "j.json"
    _two_days_and_a_backup(path)
    lock = str(path) + ".lock"
    backup = storage.list_backups(str(path))[0]
    for target in (lock, backup):
        before = Path(target).read_bytes()
        assert main(["--db", str(path), "export", "-o", target, "--force"]) == 1
        assert "lock file or one of its backups" in capsys.readouterr().err
        assert Path(target).read_bytes() == before


def test_a_file_with_more_values_than_any_journal_is_refused_before_parsing(tmp_path, monkeypatch, capsys):
    from skinlog import strictjson

    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    monkeypatch.setattr(strictjson, "MAX_VALUES", 3)
    assert main(["--db", str(path), "list"]) == 1
    assert "skinlog: " in capsys.readouterr().err


def test_temp_files_of_a_killed_export_are_removed_by_the_next_export(tmp_path):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    dead = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        ).stdout
    )
    stale = tmp_path / f".out.json.{dead}.tmp"
    stale.write_bytes(b"half an export")
    assert main(["--db", str(path), "export", "-o", str(tmp_path / "out.json")]) == 0
    assert not stale.exists()


@pytest.mark.parametrize(
    "env, argv",
    [({"COLUMNS": "abc"}, ["list"]), ({"COLUMNS": "0"}, ["flags"]), ({}, ["--db", "", "add", "nose=1"])],
)
def test_odd_environment_and_arguments_get_one_line_or_work(tmp_path, env, argv):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    full = argv if argv[0] == "--db" else ["--db", str(path), *argv]
    result = _skinlog(*full, env=env)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 2) and len(result.stderr.strip().splitlines()) <= 1


def test_a_same_size_edit_after_skinlog_wrote_the_journal_is_still_caught_by_the_next_write(tmp_path, capsys):
    """The check mark in the lock file spares a full re-check only for bytes skinlog wrote."""
    path = tmp_path / "j.json"
    journal = Journal(path)
    journal.save_entry(make_entry(YESTERDAY - timedelta(days=1), {"nose": 1}))
    journal.save_entry(make_entry(YESTERDAY, {"nose": 2}))
    assert "\n" in Path(str(path) + ".lock").read_text().strip()  # pid, then the mark
    raw = path.read_bytes()
    day = (YESTERDAY - timedelta(days=1)).isoformat()
    moved = (YESTERDAY - timedelta(days=2)).isoformat()
    damaged = raw.replace(f'"date":"{day}"'.encode(), f'"date":"{moved}"'.encode())
    assert len(damaged) == len(raw) and damaged != raw
    path.write_bytes(damaged)
    capsys.readouterr()
    assert main(["--db", str(path), "add", "chin=1"]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert path.read_bytes() == damaged
