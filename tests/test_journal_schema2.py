"""Journal schema 2: the migration of a real schema-1 file, the journal id through export and
import (versions 1 and 2), and events logged with ``skinlog add --event``."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest

from skinlog.storage import Journal

SCHEMA_1 = Path(__file__).parent / "data" / "journal-schema1.json"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("SKINLOG_TODAY", "2025-03-10")


@pytest.fixture
def old(tmp_path):
    """A copy of the committed schema-1 journal (written by skinlog before schema 2)."""
    path = tmp_path / "old.json"
    shutil.copyfile(SCHEMA_1, path)
    return path


def on_disk(path):
    return json.loads(Path(path).read_text())


def test_the_committed_file_is_a_schema_1_journal():
    meta = on_disk(SCHEMA_1)["_meta"]["1"]
    assert meta["schema_version"] == 1 and "journal_id" not in meta


def test_a_schema_1_journal_reads_lists_and_exports_without_being_written(cli, old):
    before = old.read_bytes()
    journal = Journal(old)
    assert [e.date.isoformat() for e in journal.entries()] == [
        "2025-03-01",
        "2025-03-02",
        "2025-03-04",
        "2025-03-05",
        "2025-03-06",
    ]
    assert journal.entry(journal.entries()[0].date).note == "first day logged"
    assert journal.settings() == {"persist_weeks": 20}
    assert journal.entries()[-1].events == ()
    listed = cli("list", db=old)
    assert listed.code == 0 and "2025-03-04      0  clear" in listed.out
    shown = cli("show", "2025-03-02", db=old)
    assert "Events:    none" in shown.out and "Picked:    yes" in shown.out
    first, second = (json.loads(cli("export", db=old).out) for _ in range(2))
    assert first["version"] == 2 and first["journal_id"] == second["journal_id"]
    assert uuid.UUID(first["journal_id"]).version == 5
    assert len(first["entries"]) == 5 and all(e["events"] == [] for e in first["entries"])
    assert old.read_bytes() == before  # reading never writes


def test_two_fhir_exports_of_an_untouched_schema_1_journal_share_their_ids(cli, old):
    first, second = (json.loads(cli("export", "--format", "fhir", db=old).out) for _ in range(2))
    ids = [[e["resource"]["id"] for e in bundle["entry"]] for bundle in (first, second)]
    assert ids[0] == ids[1] and len(ids[0]) > 5


def test_the_first_write_stores_schema_2_and_the_same_journal_id(cli, old):
    migrated_id = Journal(old).journal_id()
    assert cli("add", "--date", "2025-03-07", "nose=1", "--event", "sunburn", db=old).code == 0
    meta = on_disk(old)["_meta"]["1"]
    assert meta["schema_version"] >= 2 and meta["journal_id"] == migrated_id
    assert Journal(old).journal_id() == migrated_id
    assert [e.date.isoformat() for e in Journal(old).entries()][-1] == "2025-03-07"
    backup = on_disk(next((old.parent / "old.json.backups").iterdir()))
    assert backup == on_disk(SCHEMA_1)  # the state before the upgrade is kept as it was


def test_different_schema_1_journals_get_different_ids(tmp_path, old):
    other = tmp_path / "other.json"
    data = on_disk(SCHEMA_1)
    data["entries"][next(iter(data["entries"]))]["created"] = "2025-03-01T08:00:01+00:00"
    other.write_text(json.dumps(data))
    assert Journal(other).journal_id() != Journal(old).journal_id()


def test_a_new_journal_gets_a_random_id_that_it_keeps(cli, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert Journal(a).journal_id() is None  # nothing written yet
    for path in (a, b):
        assert cli("add", "nose=1", db=path).code == 0
    first = Journal(a).journal_id()
    assert uuid.UUID(first).version == 4 and first != Journal(b).journal_id()
    assert cli("add", "--date", "2025-03-01", "nose=2", db=a).code == 0
    assert Journal(a).journal_id() == first == on_disk(a)["_meta"]["1"]["journal_id"]


# -- import of versions 1 and 2


def export_file(cli, db, tmp_path, name="export.json"):
    out = tmp_path / name
    assert cli("export", "-o", str(out), db=db).code == 0
    return out


def test_importing_a_version_2_export_keeps_the_journal_id(cli, old, tmp_path):
    source_id = Journal(old).journal_id()
    out = export_file(cli, old, tmp_path)
    restored = tmp_path / "restored.json"
    assert cli("import", str(out), db=restored).code == 0
    assert Journal(restored).journal_id() == source_id
    assert Journal(restored).entries() == Journal(old).entries()
    # so the restored journal's FHIR export files as the same person and the same resources
    ids = [
        [e["resource"]["id"] for e in json.loads(cli("export", "--format", "fhir", db=db).out)["entry"]]
        for db in (old, restored)
    ]
    assert ids[0] == ids[1]


def test_replace_takes_the_exports_id_and_merge_keeps_the_journals_own(cli, old, tmp_path):
    out = export_file(cli, old, tmp_path)
    source_id = Journal(old).journal_id()
    mine = tmp_path / "mine.json"
    assert cli("add", "--date", "2024-12-01", "chin=2", db=mine).code == 0
    own_id = Journal(mine).journal_id()
    assert cli("import", str(out), "--merge", db=mine).code == 0
    assert Journal(mine).journal_id() == own_id and len(Journal(mine).entries()) == 6
    assert cli("import", str(out), "--replace", db=mine).code == 0
    assert Journal(mine).journal_id() == source_id and len(Journal(mine).entries()) == 5


def test_a_version_1_export_still_imports(cli, old, tmp_path):
    document = json.loads(export_file(cli, old, tmp_path).read_text())
    document["version"] = 1
    del document["journal_id"]
    for entry in document["entries"]:
        del entry["events"]
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps(document))
    restored = tmp_path / "restored.json"
    result = cli("import", str(v1), db=restored)
    assert result.code == 0, result.err
    assert Journal(restored).entries() == Journal(old).entries()
    assert uuid.UUID(Journal(restored).journal_id()).version == 4  # a journal of its own


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=1) or d.pop("journal_id"), "events, which need export version 2"),
        (lambda d: d.pop("journal_id"), "the export has no journal id"),
        (lambda d: d.update(journal_id="12345"), "is not a UUID"),
        (lambda d: d.update(journal_id=str(uuid.uuid4()).upper()), "not a UUID in its usual form"),
        (lambda d: d.update(version=1, entries=[]), "a version 1 export cannot carry a journal id"),
        (lambda d: d.update(version=3), "newer skinlog"),
    ],
)
def test_a_bad_version_or_journal_id_is_refused_and_nothing_changes(cli, old, tmp_path, change, message):
    assert cli("add", "--date", "2025-03-07", "nose=1", "--event", "burn", db=old).code == 0
    document = json.loads(export_file(cli, old, tmp_path).read_text())
    change(document)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    target = tmp_path / "target.json"
    assert cli("add", "chin=1", db=target).code == 0
    before = target.read_bytes()
    result = cli("import", str(bad), "--replace", db=target)
    assert result.code != 0 and message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert target.read_bytes() == before


# -- add --event


def test_add_event_is_stored_shown_listed_and_exported(cli, journal_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    result = cli(
        "add", "--date", "2025-03-09", "cheek-l=2", "--event", "steroid_cream", "--event", "new medicine"
    )
    assert result.code == 0, result.err
    (entry,) = Journal(journal_path).entries()
    assert entry.events == ("steroid_cream", "new_medicine")
    assert "Events:    steroid cream, new medicine" in cli("show", "2025-03-09").out
    assert "[steroid cream, new medicine]" in cli("list").out
    assert json.loads(cli("show", "2025-03-09", "--json").out)["events"] == ["steroid_cream", "new_medicine"]
    assert json.loads(cli("export").out)["entries"][0]["events"] == ["steroid_cream", "new_medicine"]
    assert cli("add", "--date", "2025-03-09", "--merge", "--event", "burn").code == 0
    assert Journal(journal_path).entries()[0].events == ("steroid_cream", "new_medicine", "burn")


def test_an_unknown_event_gets_one_line_with_a_suggestion_and_changes_nothing(cli, journal_path):
    assert cli("add", "--date", "2025-03-08", "nose=1").code == 0
    before = journal_path.read_bytes()
    result = cli("add", "--date", "2025-03-09", "nose=1", "--event", "sunbrun")
    assert result.code != 0
    assert result.err.strip().splitlines() == [result.err.strip()]
    assert "unknown event 'sunbrun'" in result.err and "did you mean 'sunburn'" in result.err
    assert journal_path.read_bytes() == before


def test_add_help_names_every_event():
    import argparse

    from skinlog.cli.days import configure_add
    from skinlog.domain.entry import EVENTS

    parser = argparse.ArgumentParser()
    configure_add(parser)
    text = " ".join(parser.format_help().split())
    assert all(event in text for event in EVENTS)
