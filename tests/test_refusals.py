"""More bad input that gets one line, and leaves the journal as it was."""

from __future__ import annotations

import json
import os

import pytest

from skinlog import storage
from skinlog.cli import main
from skinlog.domain.entry import make_entry
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY, PINNED_YESTERDAY

YESTERDAY = PINNED_YESTERDAY


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["list", "--since", "-1", "--until", "-5"], "the period runs backwards"),
        (["settings", "set", "persist_weeks", "١٢"], "must be a whole number"),
        (["settings", "set", "persist_weeks", "1_2"], "must be a whole number"),
        (["settings", "set", "persist_weeks", "9" * 5000], "must be a whole number"),
    ],
)
def test_more_refusals_are_one_short_line_and_change_nothing(tmp_path, capsys, argv, expected):
    path = tmp_path / "j.json"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}))
    before = path.read_bytes()
    assert main(["--db", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1 and len(err) < 300
    assert path.read_bytes() == before


def test_a_garbled_skinlog_today_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SKINLOG_TODAY", "garbage")
    assert main(["--db", str(tmp_path / "j.json"), "flags"]) == 2
    assert (
        capsys.readouterr().err.strip() == "skinlog: SKINLOG_TODAY must be a YYYY-MM-DD date, not 'garbage'"
    )


def test_restoring_over_a_folder_is_refused_and_the_folder_left_alone(tmp_path, capsys):
    path = tmp_path / "j.json"
    journal = Journal(path)
    journal.save_entry(make_entry(YESTERDAY, {"nose": 1}))
    journal.save_entry(make_entry(PINNED_TODAY, {"nose": 2}))
    backup = storage.list_backups(str(path))[0]
    os.rename(path, tmp_path / "moved.json")
    path.mkdir()
    (path / "inside").write_text("kept")
    assert main(["--db", str(path), "restore-backup", "--yes", backup]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert (path / "inside").read_text() == "kept"


def test_a_note_in_the_fhir_export_is_escaped_markdown(tmp_path, capsys):
    path = tmp_path / "j.json"
    note = "see [this](javascript:alert(1)) <b>now</b>\nsecond line"
    Journal(path).save_entry(make_entry(YESTERDAY, {"nose": 1}, note=note))
    out = tmp_path / "f.json"
    assert main(["--db", str(path), "export", "--format", "fhir", "-o", str(out)]) == 0
    texts = [n["text"] for e in json.loads(out.read_text())["entry"] for n in e["resource"].get("note", [])]
    assert texts == ["see \\[this\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;now&lt;/b&gt;\nsecond line"]
