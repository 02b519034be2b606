"""The photo record: stored as skinlog writes it, checked on every read, a schema-4 table, undoable."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from skinlog import storage
from skinlog.domain.photos import Photo
from skinlog.errors import JournalCorruptError, JournalTooNewError, NotFoundError, UsageError
from skinlog.services.photos import find_photo, list_photos, photos_on, remove_photo
from skinlog.storage import Journal
from skinlog.storage.photos import photo_dir, photo_file, sha256_hex, store_photo_bytes
from skinlog.storage.undo import describe_restore
from tests.helpers import PINNED_TODAY


def make_photo(seed: bytes, day: date = PINNED_TODAY, regions=("forehead",), note="") -> Photo:
    sha = sha256_hex(seed)
    return Photo(
        sha[:12], day, tuple(regions), note, "image/png", 4, 3, len(seed), sha, "2026-11-20T09:00:00+00:00"
    )


def stored(journal: Journal, seed: bytes, **kw) -> Photo:
    photo = make_photo(seed, **kw)
    store_photo_bytes(journal.path, seed, photo.file_name)
    assert journal.add_photo(photo)
    return photo


def test_a_record_round_trips_and_names_its_file(tmp_path):
    photo = make_photo(b"abc", regions=("forehead", "nose"), note="after\nthe peel")
    assert Photo.from_dict(photo.to_dict()) == photo
    assert photo.file_name == photo.sha256 + ".png"
    assert photo_file(tmp_path / "j.json", photo) == tmp_path / "j.json.photos" / photo.file_name


def test_photos_are_listed_by_day_then_added_and_filtered(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    late = stored(journal, b"1", day=PINNED_TODAY, regions=("nose",))
    early = stored(journal, b"2", day=PINNED_TODAY - timedelta(days=9))
    assert list_photos(journal) == [early, late]
    assert list_photos(journal, region="nose") == [late]
    assert list_photos(journal, since=PINNED_TODAY - timedelta(days=1)) == [late]
    assert list_photos(journal, until=PINNED_TODAY - timedelta(days=1)) == [early]
    assert photos_on(journal, early.day) == [early]
    assert find_photo(journal, late.id[:5]) == late
    with pytest.raises(NotFoundError):
        find_photo(journal, "ffff0000")
    with pytest.raises(UsageError):
        find_photo(journal, "zz")


def test_the_same_picture_is_recorded_once(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    photo = stored(journal, b"same")
    before = journal.path and (tmp_path / "journal.json").read_bytes()
    assert journal.add_photo(photo) is False
    assert (tmp_path / "journal.json").read_bytes() == before


def test_the_folder_and_files_are_private(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    photo = stored(journal, b"private")
    assert photo_dir(journal.path).stat().st_mode & 0o777 == 0o700
    assert photo_file(journal.path, photo).stat().st_mode & 0o777 == 0o600


def test_add_and_remove_are_undone_and_redone(tmp_path):
    journal = Journal(tmp_path / "journal.json")
    photo = stored(journal, b"undo me")
    assert journal.changes()[0].title == f"added photo {photo.id} ({photo.day.isoformat()})"
    assert describe_restore(journal.changes()[0].before) == "removes 1 photo added"
    journal.undo()
    assert list_photos(journal) == []
    journal.undo(redo=True)
    assert list_photos(journal) == [photo]
    remove_photo(journal, photo.id)
    assert list_photos(journal) == []
    assert photo_file(journal.path, photo).exists()  # the file stays: the removal can be undone
    [change] = [c for c in journal.changes() if c.live][:1]
    assert describe_restore(change.before) == f"restores the photo {photo.id} of {photo.day.isoformat()}"
    journal.undo()
    assert list_photos(journal) == [photo]


def test_a_schema_3_journal_is_read_and_written_as_schema_4(tmp_path):
    path = tmp_path / "journal.json"
    journal = Journal(path)
    stored(journal, b"x")
    data = json.loads(path.read_text())
    del data["photos"]
    for record in data["undo"].values():
        record["before"].pop("photos", None)
    data["_meta"]["1"]["schema_version"] = 3
    path.write_text(json.dumps(data))
    assert list_photos(Journal(path)) == []
    stored(Journal(path), b"y")
    assert json.loads(path.read_text())["_meta"]["1"]["schema_version"] == storage.SCHEMA_VERSION == 4


def test_skinlog_of_schema_3_refuses_a_journal_with_photos(tmp_path, monkeypatch):
    path = tmp_path / "journal.json"
    stored(Journal(path), b"x")
    raw = path.read_bytes()
    monkeypatch.setattr(storage.schema, "SCHEMA_VERSION", 3)
    with pytest.raises(JournalTooNewError, match="newer skinlog"):
        Journal(path).entries()
    assert path.read_bytes() == raw


def _first(data):
    return next(iter(data["photos"].values()))


DAMAGE = {
    "unknown field": lambda d: _first(d).update(exif="x"),
    "missing field": lambda d: _first(d).pop("note"),
    "id not from the hash": lambda d: _first(d).update(id="0" * 12),
    "hash not hex": lambda d: _first(d).update(sha256="Z" * 64),
    "unknown media type": lambda d: _first(d).update(media_type="image/gif"),
    "unknown region": lambda d: _first(d).update(regions=["elbow-x"]),
    "region twice": lambda d: _first(d).update(regions=["nose", "nose"]),
    "future date": lambda d: _first(d).update(date=(PINNED_TODAY + timedelta(days=5)).isoformat()),
    "bad date": lambda d: _first(d).update(date="2026-02-30"),
    "note with an escape": lambda d: _first(d).update(note="a\x1b[2Jb"),
    "size zero": lambda d: _first(d).update(size=0),
    "width is text": lambda d: _first(d).update(width="4"),
    "added without offset": lambda d: _first(d).update(added_at="2026-11-20T09:00:00"),
    "key not a number": lambda d: d["photos"].update(x=d["photos"].pop("1")),
    "recorded twice": lambda d: d["photos"].update({"2": dict(_first(d))}),
    "table is a list": lambda d: d.update(photos=[]),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_photo_record_is_refused_on_read_and_never_written_over(tmp_path, name):
    path = tmp_path / "journal.json"
    stored(Journal(path), b"x")
    data = json.loads(path.read_text())
    DAMAGE[name](data)
    path.write_text(json.dumps(data))
    raw = path.read_bytes()
    with pytest.raises(JournalCorruptError):
        Journal(path).photos()
    with pytest.raises(JournalCorruptError):
        stored(Journal(path), b"y")
    assert path.read_bytes() == raw


def test_two_pictures_with_one_id_are_refused_never_mixed_up(tmp_path):
    from dataclasses import replace

    from skinlog.errors import ConflictError

    journal = Journal(tmp_path / "journal.json")
    photo = stored(journal, b"first")
    raw = (tmp_path / "journal.json").read_bytes()
    twin = replace(photo, sha256=photo.id + "0" * 52)  # the same first 12 characters, other bytes
    with pytest.raises(ConflictError, match="already has the id"):
        journal.add_photo(twin)
    assert (tmp_path / "journal.json").read_bytes() == raw
