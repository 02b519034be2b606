"""Bad input of every kind: exit 1 or 2, one clear line on stderr, the journal byte-for-byte unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from skinlog.cli import main
from tests.helpers import PINNED_TOMORROW, PINNED_YESTERDAY

TOMORROW = PINNED_TOMORROW.isoformat()
YESTERDAY = PINNED_YESTERDAY.isoformat()

# (case id, argv after --db, expected exit code, a fragment the message must contain)
COMMAND_CASES = [
    ("negative count", ["add", "--date", "-2", "nose=-1"], 2, "from 0 to 500"),
    ("huge count", ["add", "--date", "-2", "nose=501"], 2, "from 0 to 500"),
    ("giant count", ["add", "--date", "-2", "nose=99999999999999999999"], 2, "from 0 to 500"),
    ("fractional count", ["add", "--date", "-2", "nose=1.5"], 2, "whole number"),
    ("word count", ["add", "--date", "-2", "nose=many"], 2, "whole number"),
    ("empty count", ["add", "--date", "-2", "nose="], 2, "whole number"),
    ("no equals sign", ["add", "--date", "-2", "nose"], 2, "REGION=COUNT"),
    ("unknown region", ["add", "--date", "-2", "nsoe=1"], 2, "did you mean 'nose'"),
    ("unknown region no hint", ["add", "--date", "-2", "elbow=1"], 2, "unknown region"),
    ("region twice", ["add", "--date", "-2", "nose=1", "nose=2"], 2, "more than once"),
    ("nothing to log", ["add", "--date", "-2"], 2, "at least one"),
    ("unknown product", ["add", "--date", "-2", "nose=1", "-p", "Adaplene"], 1, "did you mean 'Adapalene'"),
    ("empty product", ["add", "--date", "-2", "nose=1", "-p", "  "], 2, "cannot be empty"),
    (
        "long product name",
        ["add", "--date", "-2", "nose=1", "-p", "x" * 61, "--new-product", "other"],
        2,
        "too long",
    ),
    (
        "bad new-product category",
        ["add", "--date", "-2", "nose=1", "-p", "Foo", "--new-product", "serum"],
        2,
        "unknown product category",
    ),
    ("future date", ["add", "--date", TOMORROW, "nose=1"], 2, "in the future"),
    ("before 1900", ["add", "--date", "1899-12-31", "nose=1"], 2, "before 1900"),
    ("impossible date", ["add", "--date", "2023-02-29", "nose=1"], 2, "not a real calendar date"),
    ("malformed date", ["add", "--date", "last tuesday", "nose=1"], 2, "cannot read the date"),
    ("ambiguous date", ["add", "--date", "03/04/2025", "nose=1"], 2, "ambiguous"),
    ("ambiguous dashed date", ["add", "--date", "04-03-2025", "nose=1"], 2, "ambiguous"),
    ("days ago too far", ["add", "--date", "-99999", "nose=1"], 2, "1900"),
    ("duplicate date", ["add", "--date", YESTERDAY, "nose=1"], 1, "already has an entry"),
    ("replace and merge", ["add", "--replace", "--merge", "nose=1"], 2, "not allowed with"),
    ("symptom too high", ["add", "--date", "-2", "nose=1", "--redness", "4"], 2, "redness must be 0"),
    ("symptom negative", ["add", "--date", "-2", "nose=1", "--pain", "-1"], 2, "pain must be 0"),
    ("symptom word", ["add", "--date", "-2", "nose=1", "--itch", "lots"], 2, "itch must be 0"),
    (
        "unknown procedure",
        ["add", "--date", "-2", "nose=1", "--procedure", "lazer"],
        2,
        "did you mean 'laser'",
    ),
    ("note too long", ["add", "--date", "-2", "nose=1", "--note", "x" * 1001], 2, "note is too long"),
    (
        "note control chars",
        ["add", "--date", "-2", "nose=1", "--note", "a\x1b[31mb"],
        2,
        "control characters",
    ),
    (
        "product name with a line break",
        ["add", "--date", "-2", "nose=1", "-p", "Cream\nNext", "--new-product", "retinoid"],
        2,
        "line breaks",
    ),
    ("rename to a name with a tab", ["products", "rename", "Retinol", "Ret\tinol"], 2, "line breaks"),
    ("unknown command", ["ad", "nose=1"], 2, "invalid choice"),
    ("unknown option", ["add", "--colour", "nose=1"], 2, "unrecognized arguments"),
    ("show missing day", ["show", "2020-01-01"], 1, "no entry on 2020-01-01"),
    ("delete missing day", ["delete", "2020-01-01", "--yes"], 1, "no entry on 2020-01-01"),
    ("list last zero", ["list", "--last", "0"], 2, "--last"),
    ("list last not a number", ["list", "--last", "x"], 2, "invalid int"),
    ("rename unknown product", ["products", "rename", "Nope", "Other"], 1, "unknown product"),
    ("rename onto existing", ["products", "rename", "Retinol", "adapalene"], 1, "already"),
    ("add existing product", ["products", "add", "retinol", "--category", "retinoid"], 1, "already"),
    ("product without category", ["products", "add", "Foo"], 2, "--category"),
    (
        "restore missing backup",
        ["restore-backup", "/nonexistent/backup.json", "--yes"],
        1,
        "cannot read the backup",
    ),
    ("insights weeks overflow", ["insights", "--weeks", "1000000000"], 2, "--weeks must be 1 to 10000"),
    ("week weeks overflow", ["week", "--weeks", str(10**12)], 2, "--weeks must be 1 to 10000"),
    ("export name with escape", ["export", "--name", "Jo\x1b]0;x\x07"], 2, "--name cannot contain control"),
    ("export name too long", ["export", "--name", "x" * 101], 2, "--name must be 1 to 100"),
    ("import missing file", ["import", "/nonexistent/export.json"], 1, "no such file"),
    ("import a folder", ["import", "/"], 1, "not a regular file"),
    ("demo onto a folder", ["demo", "--out", "/", "--force"], 2, "is a folder"),
]


def _seed(path: Path) -> None:
    assert main(["--db", str(path), "add", "--date", YESTERDAY, "nose=2", "-p", "Retinol"]) == 0


def _check_refused(code: int, err: str, expected_code: int, fragment: str) -> None:
    assert code == expected_code, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one stderr line, got: {err!r}"
    assert lines[0].startswith("skinlog: ")
    assert "Traceback" not in err
    assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    ("case", "argv", "expected", "fragment"), COMMAND_CASES, ids=[c[0] for c in COMMAND_CASES]
)
def test_bad_command_is_refused_and_journal_unchanged(journal_path, capsys, case, argv, expected, fragment):
    _seed(journal_path)
    before = journal_path.read_bytes()
    capsys.readouterr()
    code = main(["--db", str(journal_path), *argv])
    _check_refused(code, capsys.readouterr().err, expected, fragment)
    assert journal_path.read_bytes() == before


BAD_FILES = {
    "json that is a list": b"[1, 2, 3]",
    "json without skinlog meta": json.dumps({"_default": {"1": {"a": 1}}}).encode(),
    "truncated journal": None,  # filled from a real journal below
    "not json at all": b"\x00\x01binary\xff",
    "newer schema": json.dumps({"_meta": {"1": {"schema_version": 99}}, "entries": {}}).encode(),
    "entries not a table": json.dumps({"_meta": {"1": {"schema_version": 1}}, "entries": [1]}).encode(),
    "deeply nested": b"[" * 100000 + b"]" * 100000,
}

BAD_ENTRY_JOURNAL = json.dumps(
    {
        "_meta": {"1": {"schema_version": 1}},
        "entries": {"738977": {"date": "2024-04-01", "counts": {"nose": -4}, "products": []}},
    }
).encode()


@pytest.mark.parametrize("kind", list(BAD_FILES))
@pytest.mark.parametrize(
    "argv",
    [["list"], ["add", "nose=1"], ["products", "add", "X", "--category", "other"]],
    ids=["list", "add", "products-add"],
)
def test_unreadable_journal_is_never_overwritten(tmp_path, capsys, kind, argv):
    path = tmp_path / "journal.json"
    raw = BAD_FILES[kind]
    if raw is None:
        _seed(path)
        raw = path.read_bytes()[:-40]
        path.unlink()
    path.write_bytes(raw)
    capsys.readouterr()
    code = main(["--db", str(path), *argv])
    err = capsys.readouterr().err
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and str(path) in err
    assert path.read_bytes() == raw
    if kind == "newer schema":
        assert "newer skinlog" in err


@pytest.mark.parametrize("argv", [["list"], ["show", "2024-04-01"], ["list", "--json"]])
def test_a_damaged_entry_is_reported_not_rewritten(tmp_path, capsys, argv):
    path = tmp_path / "journal.json"
    path.write_bytes(BAD_ENTRY_JOURNAL)
    code = main(["--db", str(path), *argv])
    err = capsys.readouterr().err
    assert code == 1 and "is damaged" in err and "2024-04-01" in err and str(path) in err
    assert len(err.strip().splitlines()) == 1
    assert path.read_bytes() == BAD_ENTRY_JOURNAL


def test_adding_another_day_to_a_journal_with_a_damaged_entry_is_refused(tmp_path, capsys):
    path = tmp_path / "journal.json"
    path.write_bytes(BAD_ENTRY_JOURNAL)
    assert main(["--db", str(path), "add", "nose=1"]) == 1
    assert "is damaged" in capsys.readouterr().err
    assert path.read_bytes() == BAD_ENTRY_JOURNAL
    assert not os.path.exists(str(path) + ".backups")


def test_journal_that_is_a_folder_gets_a_clear_error(tmp_path, capsys):
    folder = tmp_path / "journal.json"
    folder.mkdir()
    assert main(["--db", str(folder), "list"]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_unwritable_location_gets_one_clear_line(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a plain file where a folder should be")
    code = main(["--db", str(blocker / "journal.json"), "add", "nose=1"])
    err = capsys.readouterr().err
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "cannot" in err and str(blocker) in err
    assert blocker.read_text() == "a plain file where a folder should be"


def test_read_only_folder_is_refused_without_damage(tmp_path, capsys):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "journal.json"
    _seed(path)
    before = path.read_bytes()
    folder.chmod(0o500)
    try:
        code = main(["--db", str(path), "add", "nose=1"])
    finally:
        folder.chmod(0o700)
    assert code == 1 and path.read_bytes() == before
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
