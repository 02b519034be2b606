"""Files the user names: `export -o` and `demo --out` replace only a regular file, and only with
--force; anything else (a folder, a link, a device, a pipe, a socket) is left exactly as it is."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from skinlog.errors import ConflictError
from skinlog.services import files

YESTERDAY_ARGS = ["add", "--date", "-1", "nose=2"]


def _make(kind: str, path: Path, tmp_path: Path) -> object:
    """Create ``kind`` at ``path``; return a fingerprint to compare after the command."""
    if kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("keep me")
        return sorted(os.listdir(path))
    if kind in ("symlink to a file", "dangling symlink"):
        target = tmp_path / "real.txt"
        if kind == "symlink to a file":
            target.write_text("the real file")
        path.symlink_to(target)
        return (os.readlink(path), target.read_text() if target.exists() else None)
    if kind == "named pipe":
        os.mkfifo(path)
        return stat.S_IFMT(os.lstat(path).st_mode)
    if kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
        return stat.S_IFMT(os.lstat(path).st_mode)
    if kind == "device":
        try:  # the same device as /dev/full, made here so a failing test cannot damage /dev/full
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 7))
        except (PermissionError, OSError):
            pytest.skip("cannot create a device node here (needs root)")
        return (stat.S_IFMT(os.lstat(path).st_mode), os.lstat(path).st_rdev)
    raise AssertionError(kind)


def _fingerprint(kind: str, path: Path, tmp_path: Path) -> object:
    if kind == "folder":
        return sorted(os.listdir(path))
    if kind in ("symlink to a file", "dangling symlink"):
        target = tmp_path / "real.txt"
        return (os.readlink(path), target.read_text() if target.exists() else None)
    if kind == "device":
        return (stat.S_IFMT(os.lstat(path).st_mode), os.lstat(path).st_rdev)
    return stat.S_IFMT(os.lstat(path).st_mode)


KINDS = ["folder", "symlink to a file", "dangling symlink", "named pipe", "socket", "device"]


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("command", ["export", "demo"])
def test_only_a_regular_file_is_ever_replaced(cli, tmp_path, kind, command, force):
    path = tmp_path / "out.json"
    before = _make(kind, path, tmp_path)
    cli(*YESTERDAY_ARGS)
    argv = ["export", "-o", str(path)] if command == "export" else ["demo", "--out", str(path)]
    result = cli(*argv, *(["--force"] if force else []))
    assert result.code in (1, 2)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"skinlog: {path} is ")
    if kind != "folder":
        assert "not a regular file" in lines[0] and "left as it is" in lines[0]
    assert _fingerprint(kind, path, tmp_path) == before
    assert os.path.lexists(path)
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


@pytest.mark.parametrize("command", ["export", "demo"])
def test_an_existing_file_needs_force_and_is_then_replaced_whole(cli, tmp_path, command):
    path = tmp_path / "out.json"
    path.write_text("an older file")
    path.chmod(0o644)
    cli(*YESTERDAY_ARGS)
    argv = ["export", "-o", str(path)] if command == "export" else ["demo", "--out", str(path)]
    refused = cli(*argv)
    assert refused.code == 1 and "already exists: add --force" in refused.err
    assert path.read_text() == "an older file"
    assert cli(*argv, "--force").code == 0
    info = os.lstat(path)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600
    assert path.read_bytes().startswith(b"{")
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


def test_a_new_file_is_created_readable_only_by_you(cli, tmp_path):
    cli(*YESTERDAY_ARGS)
    path = tmp_path / "new.json"
    assert cli("export", "-o", str(path)).code == 0
    assert stat.S_IMODE(os.lstat(path).st_mode) == 0o600


def test_a_file_that_appears_during_the_write_is_not_overwritten(tmp_path, monkeypatch):
    path = tmp_path / "out.json"
    real_check = files.check_target

    def check_then_someone_writes(target: str, force: bool) -> None:
        real_check(target, force)
        path.write_text("written by someone else meanwhile")

    monkeypatch.setattr(files, "check_target", check_then_someone_writes)
    with pytest.raises(ConflictError, match="already exists"):
        files.write_new_file(str(path), b"{}\n")
    assert path.read_text() == "written by someone else meanwhile"
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


def test_a_symlink_swapped_in_during_a_forced_write_is_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "out.json"
    path.write_text("old")
    victim = tmp_path / "victim.txt"
    victim.write_text("must not change")
    calls = []
    real_check = files.check_target

    def swap_on_second_check(target: str, force: bool) -> None:
        calls.append(target)
        if len(calls) == 2:
            path.unlink()
            path.symlink_to(victim)
        real_check(target, force)

    monkeypatch.setattr(files, "check_target", swap_on_second_check)
    with pytest.raises(ConflictError, match="symbolic link"):
        files.write_new_file(str(path), b"{}\n", force=True)
    assert path.is_symlink() and victim.read_text() == "must not change"


SPECIAL = ["named pipe", "socket", "device"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["add", "nose=1"],
        ["products", "add", "X", "--category", "other"],
        ["settings", "set", "persist_weeks", "20"],
        ["import", "EXPORT"],
        ["restore-backup", "BACKUP", "--yes"],
    ],
    ids=["list", "add", "products-add", "settings-set", "import", "restore"],
)
def test_a_journal_path_that_is_a_device_pipe_or_socket_is_refused(cli, tmp_path, kind, argv):
    # Reading /dev/zero as a journal never ends; writing would replace /dev/null with a plain file.
    good = tmp_path / "good.json"
    assert cli(*YESTERDAY_ARGS, db=good).code == 0
    export = tmp_path / "export.json"
    assert cli("export", "-o", str(export), db=good).code == 0
    argv = [str(export) if a == "EXPORT" else str(good) if a == "BACKUP" else a for a in argv]
    path = tmp_path / "special"
    before = _make(kind, path, tmp_path)
    result = cli(*argv, db=path)
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "not a regular file" in lines[0] and "cannot be the journal" in lines[0]
    assert _fingerprint(kind, path, tmp_path) == before
    assert [n for n in os.listdir(tmp_path) if "special" in n] == ["special"]  # no lock, temp file or copy


@pytest.mark.parametrize("kind", SPECIAL)
def test_a_backup_that_is_a_device_pipe_or_socket_is_refused(cli, journal_path, tmp_path, kind):
    assert cli(*YESTERDAY_ARGS).code == 0
    before_journal = journal_path.read_bytes()
    path = tmp_path / "backup"
    before = _make(kind, path, tmp_path)
    result = cli("restore-backup", str(path), "--yes")
    assert (
        result.code == 1 and "cannot be a backup" in result.err and len(result.err.strip().splitlines()) == 1
    )
    assert journal_path.read_bytes() == before_journal
    assert _fingerprint(kind, path, tmp_path) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "-o", "JOURNAL", "--force"],
        ["export", "--format", "md", "-o", "JOURNAL", "--force"],
        ["demo", "--out", "JOURNAL", "--force"],
        ["export", "-o", "HARDLINK", "--force"],
    ],
    ids=["export", "export md", "demo", "export to a hard link"],
)
def test_an_output_file_is_never_the_journal_itself(cli, journal_path, tmp_path, argv):
    assert cli(*YESTERDAY_ARGS).code == 0
    os.link(journal_path, tmp_path / "hardlink.json")
    before = journal_path.read_bytes()
    argv = [
        str(journal_path) if a == "JOURNAL" else str(tmp_path / "hardlink.json") if a == "HARDLINK" else a
        for a in argv
    ]
    result = cli(*argv)
    assert result.code == 1 and "is the journal itself" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert journal_path.read_bytes() == before
