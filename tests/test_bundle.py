"""The bundle export (one zip for a visit) and importing it back: a byte-identical round trip of
the photos, the same bytes for the same journal, and every way a hostile zip is refused with the
journal and its photo folder unchanged."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from skinlog.services import bundle as bundle_module
from skinlog.services.bundle import DOCUMENTS, ZIP_TIME
from skinlog.storage import Journal
from skinlog.storage.photos import photo_dir
from tests.test_photos import picture, state

DEMO_PHOTOS = 4


def export_bundle(cli, db: Path, out: Path, *args: str) -> Path:
    result = cli("export", "--format", "bundle", "-o", str(out), *args, db=db)
    assert result.code == 0, result.err
    return out


@pytest.fixture
def good(cli, demo, tmp_path) -> Path:
    """The demo journal's bundle."""
    return export_bundle(cli, demo, tmp_path / "visit.zip")


@pytest.fixture
def target(cli, tmp_path) -> Path:
    """A journal in a folder of its own with a day and a photo already in it."""
    folder = tmp_path / "target"
    folder.mkdir()
    db = folder / "journal.json"
    assert cli("add", "--date", "2026-11-01", "nose=3", db=db).code == 0
    picture(colour=(7, 70, 140)).save(tmp_path / "mine.png")
    assert cli("photo", "add", str(tmp_path / "mine.png"), "--date", "2026-11-01", db=db).code == 0
    return db


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_zip(path: Path, content: dict[str, bytes], mode: int = stat.S_IFREG | 0o600) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.create_system = 3
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return path


def with_export(content: dict[str, bytes], change) -> dict[str, bytes]:
    """The bundle's members with its export.json changed by ``change(document)``."""
    document = json.loads(content["export.json"])
    change(document)
    return {**content, "export.json": json.dumps(document).encode()}


def refused(cli, db: Path, bundle: Path, *words: str, mode: str = "--replace") -> str:
    """Import ``bundle`` into ``db``: it must be refused in one line naming ``words``, with every
    file in the journal's folder (journal, backups, photo folder) as it was."""
    before = state(db.parent)
    result = cli("import", str(bundle), mode, db=db)
    assert result.code != 0, result.out
    assert len(result.err.strip().splitlines()) == 1, result.err
    for word in words:
        assert word in result.err, result.err
    assert "not changed" in result.err
    assert state(db.parent) == before
    return result.err


# -- writing


def test_a_bundle_holds_the_documents_and_every_photo_and_is_the_same_bytes_each_time(
    cli, demo, good, tmp_path
):
    content = members(good)
    names = list(content)
    assert names == sorted(names)
    photos = sorted(n for n in names if n.startswith("photos/"))
    assert len(photos) == DEMO_PHOTOS
    assert set(names) == {name for name, _fmt in DOCUMENTS} | set(photos)
    for name in photos:
        stored = photo_dir(demo) / name.removeprefix("photos/")
        assert content[name] == stored.read_bytes()
    assert json.loads(content["export.json"])["photos"] and content["summary.md"].startswith(b"# Milia")
    with zipfile.ZipFile(good) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_TIME}
        assert {stat.S_IMODE(info.external_attr >> 16) for info in archive.infolist()} == {0o600}
    again = export_bundle(cli, demo, tmp_path / "again.zip")
    assert again.read_bytes() == good.read_bytes()
    # the FHIR Bundle inside has a fixed stamp and id, and the JSON the same stamp
    fhir = json.loads(content["fhir.json"])
    assert fhir["timestamp"] == json.loads(content["export.json"])["generated_at"]


def test_a_bundle_file_is_private_and_never_overwritten_without_force(cli, demo, good, tmp_path):
    assert stat.S_IMODE(os.stat(good).st_mode) == 0o600
    first = good.read_bytes()
    good.write_bytes(b"keep me")
    result = cli("export", "--format", "bundle", "-o", str(good), db=demo)
    assert result.code == 1 and "--force" in result.err and good.read_bytes() == b"keep me"
    export_bundle(cli, demo, good, "--force")
    assert good.read_bytes() == first
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def test_a_bundle_is_never_shown_on_a_terminal_but_goes_down_a_pipe(cli, demo, monkeypatch):
    import subprocess
    import sys

    from tests.helpers import skinlog_argv

    piped = subprocess.run(
        skinlog_argv("--db", str(demo), "export", "--format", "bundle"), capture_output=True, timeout=120
    )
    assert piped.returncode == 0, piped.stderr
    with zipfile.ZipFile(io.BytesIO(piped.stdout)) as archive:
        assert "export.json" in archive.namelist()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    shown = cli("export", "--format", "bundle", db=demo)
    assert shown.code == 2 and "-o FILE" in shown.err and shown.out == ""


def test_a_bundle_of_a_journal_whose_picture_is_gone_is_refused_and_nothing_written(cli, demo, tmp_path):
    next(photo_dir(demo).iterdir()).unlink()
    out = tmp_path / "visit.zip"
    result = cli("export", "--format", "bundle", "-o", str(out), db=demo)
    assert result.code != 0 and "skinlog check" in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".visit")]


def test_the_export_dialog_offers_every_format_of_the_table():
    from skinlog.services.formats import FORMATS
    from skinlog.tui.dialogs.export import CHOICES

    assert [name for _label, name in CHOICES] == list(FORMATS) and "bundle" in FORMATS


# -- the round trip


def test_export_bundle_then_import_into_a_new_journal_restores_it_all(cli, demo, good, tmp_path):
    new = tmp_path / "elsewhere" / "journal.json"
    result = cli("import", str(good), db=new)
    assert result.code == 0, result.err
    assert f"{DEMO_PHOTOS} photos" in result.err + result.out
    source, copy = Journal(demo), Journal(new)
    assert copy.photos() == source.photos()
    assert [e.to_public() for e in copy.entries()] == [e.to_public() for e in source.entries()]
    assert copy.journal_id() == source.journal_id()
    for photo in source.photos():
        original = photo_dir(demo) / photo.file_name
        restored = photo_dir(new) / photo.file_name
        assert restored.read_bytes() == original.read_bytes()
        assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    assert stat.S_IMODE(photo_dir(new).stat().st_mode) == 0o700
    check = cli("check", db=new)
    assert check.code == 0 and f"{DEMO_PHOTOS} photos are fine" in check.out
    # and it exports to the very same bundle
    assert export_bundle(cli, new, tmp_path / "again.zip").read_bytes() == good.read_bytes()


def test_merging_a_bundle_adds_its_photos_and_keeps_the_journals(cli, good, target):
    result = cli("import", str(good), "--merge", db=target)
    assert result.code == 0, result.err
    photos = Journal(target).photos()
    assert len(photos) == DEMO_PHOTOS + 1
    assert cli("check", db=target).code == 0


def test_replacing_with_a_bundle_makes_the_photos_exactly_the_bundles(cli, demo, good, target):
    assert cli("import", str(good), "--replace", db=target).code == 0
    assert Journal(target).photos() == Journal(demo).photos()
    assert cli("undo", "--yes", db=target).code == 0  # one undoable change: the photo it had is back
    assert len(Journal(target).photos()) == 1


# -- a JSON export lists photos but holds no pictures


def test_a_json_import_restores_photos_only_whose_pictures_are_beside_the_journal(cli, demo, tmp_path):
    export = tmp_path / "e.json"
    assert cli("export", "-o", str(export), db=demo).code == 0
    elsewhere = tmp_path / "new" / "journal.json"
    result = cli("import", str(export), db=elsewhere)
    assert result.code == 0, result.err
    said = result.err + result.out
    assert f"{DEMO_PHOTOS} photos left out" in said and "bundle" in said
    assert Journal(elsewhere).photos() == [] and cli("check", db=elsewhere).code == 0
    # the same journal again, whose folder has the pictures: they are restored
    assert cli("import", str(export), "--replace", db=demo).code == 0
    assert len(Journal(demo).photos()) == DEMO_PHOTOS


def test_a_replacing_json_import_replaces_the_photo_records_too(cli, target, tmp_path):
    other = tmp_path / "other.json"
    assert cli("add", "--date", "2026-10-01", "chin=1", db=other).code == 0
    export = tmp_path / "other-export.json"
    assert cli("export", "-o", str(export), db=other).code == 0
    assert cli("import", str(export), "--replace", db=target).code == 0
    assert Journal(target).photos() == []  # the journal is exactly the export: no photo
    assert [e.date.isoformat() for e in Journal(target).entries()] == ["2026-10-01"]
    assert cli("check", db=target).code == 0


def test_a_record_cannot_be_written_for_a_picture_that_is_not_there(target, demo):
    from skinlog.errors import JournalError

    journal = Journal(target)
    with pytest.raises(JournalError, match="not in"):
        journal.replace_all(journal.entries(), journal.products(), {}, Journal(demo).photos())


# -- FHIR Media


def test_every_photo_is_a_valid_r4_media_with_its_hash_site_and_file(cli, demo):
    from fhir.resources.R4B.bundle import Bundle

    from tests.fhir_r4 import r4_errors

    result = cli("export", "--format", "fhir", db=demo)
    bundle = json.loads(result.out)
    assert r4_errors(bundle) == []
    Bundle.model_validate(bundle)
    media = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Media"]
    assert len(media) == DEMO_PHOTOS
    (patient,) = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"]
    by_date = {p.day.isoformat(): p for p in Journal(demo).photos()}
    for resource in media:
        photo = by_date[resource["createdDateTime"]]
        raw = (photo_dir(demo) / photo.file_name).read_bytes()
        assert resource["status"] == "completed"
        assert resource["type"]["coding"][0]["code"] == "image"
        assert resource["type"]["coding"][0]["system"] == "http://terminology.hl7.org/CodeSystem/media-type"
        assert resource["subject"] == {"reference": patient["fullUrl"]}
        content = resource["content"]
        assert content["url"] == f"photos/{photo.sha256}.png" and content["contentType"] == "image/png"
        assert content["size"] == len(raw)
        assert base64.b64decode(content["hash"]) == hashlib.sha1(raw).digest()
        site = resource["bodySite"]
        assert site["text"] == "Left under-eye"
        laterality = site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        assert laterality == "7771000"  # left, as the Observations say it
        assert (resource["width"], resource["height"]) == (photo.width, photo.height)
    broken = json.loads(result.out)
    del next(e for e in broken["entry"] if e["resource"]["resourceType"] == "Media")["resource"]["content"]
    assert r4_errors(broken)  # the check can fail


def test_a_media_of_several_regions_names_them_all():
    from skinlog.services.export import _photo_site

    both = _photo_site(["cheek_left", "cheek_right"])
    assert both["text"] == "Left cheek, Right cheek" and "extension" not in both  # two sides
    assert both["coding"][0]["code"] == "60819002"  # the cheek, on both sides
    left = _photo_site(["cheek_left", "under_eye_left"])
    assert left["coding"][0]["code"] == "89545001" and left["extension"]  # the face, on the left
    assert "coding" not in _photo_site(["nose", "trunk"])


# -- refusals: every one leaves the journal and its photos as they were


def photo_names(content: dict[str, bytes]) -> list[str]:
    return sorted(n for n in content if n.startswith("photos/"))


def test_a_photo_that_does_not_match_its_hash_is_refused(cli, good, target, tmp_path):
    content = members(good)
    name = photo_names(content)[0]
    altered = bytearray(content[name])
    altered[len(altered) // 2] ^= 0xFF  # one byte inside the pixels: same size, another hash
    bad = write_zip(tmp_path / "bad.zip", {**content, name: bytes(altered)})
    refused(cli, target, bad, "does not match its hash")


def test_a_photo_missing_from_the_zip_is_refused(cli, good, target, tmp_path):
    content = members(good)
    del content[photo_names(content)[0]]
    refused(cli, target, write_zip(tmp_path / "bad.zip", content), "missing")


def test_a_picture_its_export_does_not_list_is_refused(cli, good, target, tmp_path):
    content = members(good)
    name = photo_names(content)[0]
    bad = with_export(content, lambda d: d.update(photos=[p for p in d["photos"] if p["sha256"] not in name]))
    refused(cli, target, write_zip(tmp_path / "bad.zip", bad), "not one its export lists")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda p: p.update(width=p["width"] + 1), "pixels"),
        (lambda p: p.update(size=p["size"] + 1), "bytes"),
    ],
)
def test_a_picture_of_another_pixel_or_byte_size_than_recorded_is_refused(
    cli, good, target, tmp_path, change, words
):
    content = members(good)
    bad = with_export(content, lambda d: change(d["photos"][0]))
    refused(cli, target, write_zip(tmp_path / "bad.zip", bad), words)


def test_a_picture_of_another_kind_than_recorded_is_refused(cli, good, target, tmp_path):
    """The hash matches, but the record says JPEG and the bytes are a PNG."""
    content = members(good)
    name = photo_names(content)[0]
    data = content.pop(name)
    content[name.replace(".png", ".jpg")] = data

    def to_jpeg(document):
        record = next(p for p in document["photos"] if p["sha256"] in name)
        record["media_type"] = "image/jpeg"

    refused(
        cli, target, write_zip(tmp_path / "bad.zip", with_export(content, to_jpeg)), "image/png", "image/jpeg"
    )


def test_a_picture_that_is_no_picture_is_refused(cli, target, tmp_path):
    """A record and a file whose hash and size agree, but the bytes are no image."""
    data = b"not a picture at all" * 10
    sha = hashlib.sha256(data).hexdigest()
    record = {
        "id": sha[:12],
        "date": "2026-11-01",
        "regions": ["nose"],
        "note": "",
        "media_type": "image/png",
        "width": 10,
        "height": 10,
        "size": len(data),
        "sha256": sha,
        "added_at": "2026-11-01T08:00:00+00:00",
    }
    export = tmp_path / "e.json"
    assert cli("export", "-o", str(export), db=target).code == 0
    document = json.loads(export.read_bytes())
    document["photos"] = [record]
    bad = write_zip(
        tmp_path / "bad.zip", {"export.json": json.dumps(document).encode(), f"photos/{sha}.png": data}
    )
    refused(cli, target, bad, "not a whole JPEG, PNG or WebP")


@pytest.mark.parametrize(
    "name",
    ["../escape.png", "/etc/escape", "photos/../../escape.png", "photos/x/../../../e", "C:/x", "a\\..\\b"],
)
def test_a_member_escaping_the_folder_is_refused(cli, good, target, tmp_path, name):
    content = members(good)
    refused(cli, target, write_zip(tmp_path / "bad.zip", {**content, name: b"x"}), "outside")
    assert not (tmp_path / "escape.png").exists()


def test_a_link_inside_the_zip_is_refused(cli, good, target, tmp_path):
    content = members(good)
    bad = tmp_path / "bad.zip"
    write_zip(bad, content)
    with zipfile.ZipFile(bad, "a") as archive:
        info = zipfile.ZipInfo("photos/link", ZIP_TIME)
        info.create_system = 3
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    refused(cli, target, bad, "is a link")


def test_unknown_members_and_a_member_twice_are_refused(cli, good, target, tmp_path):
    content = members(good)
    refused(
        cli,
        target,
        write_zip(tmp_path / "a.zip", {**content, "run.sh": b"x"}),
        "not part of a skinlog bundle",
    )
    twice = tmp_path / "b.zip"
    write_zip(twice, content)
    with zipfile.ZipFile(twice, "a") as archive, pytest.warns(UserWarning):
        archive.writestr("summary.md", b"again")
    refused(cli, target, twice, "twice")


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_is_unpacked(cli, good, target, tmp_path):
    content = members(good)
    bad = write_zip(tmp_path / "bomb.zip", {**content, "summary.md": bytes(200 * 1024 * 1024)})
    assert bad.stat().st_size < 1024 * 1024
    refused(cli, target, bad, "zip bomb")


def test_a_member_whose_header_understates_its_size_is_refused(cli, good, target, tmp_path):
    """The sizes a zip claims are never trusted: the local header and the directory both say
    1,000 bytes for 5 MB of zeros."""
    content = members(good)
    bad = write_zip(tmp_path / "liar.zip", {**content, "summary.md": bytes(5 * 1024 * 1024)})
    raw = bytearray(bad.read_bytes())
    with zipfile.ZipFile(bad) as archive:
        info = archive.getinfo("summary.md")
    real = info.file_size.to_bytes(4, "little")
    count = 0
    for offset in range(len(raw) - 4):
        if raw[offset : offset + 4] == real:
            raw[offset : offset + 4] = (1000).to_bytes(4, "little")
            count += 1
    assert count == 2  # local header and central directory
    bad.write_bytes(bytes(raw))
    refused(cli, target, bad, "damaged")


def test_members_over_their_cap_and_a_bundle_over_the_total_are_refused(
    cli, good, target, tmp_path, monkeypatch
):
    monkeypatch.setattr(bundle_module, "MAX_DOCUMENT_BYTES", 100_000)
    refused(cli, target, good, "unpacks to more than")
    monkeypatch.setattr(bundle_module, "MAX_DOCUMENT_BYTES", 1 << 30)
    monkeypatch.setattr(bundle_module, "MAX_BUNDLE_BYTES", 1_000_000)
    refused(cli, target, good, "it unpacks to more than")


def test_too_many_members_are_refused(cli, good, target, tmp_path):
    content = members(good)
    many = {**content, **{f"photos/{n}.png": b"" for n in range(bundle_module.MAX_MEMBERS)}}
    refused(cli, target, write_zip(tmp_path / "many.zip", many), "members")


@pytest.mark.parametrize("data", [b"just some text\n", b"PK\x03\x04 cut short", b""])
def test_a_file_that_is_not_a_zip_is_refused(cli, target, tmp_path, data):
    bad = tmp_path / "visit.zip"
    bad.write_bytes(data)
    refused(cli, target, bad, "not a zip")


def test_a_bundle_without_its_export_or_with_a_bad_one_is_refused(cli, good, target, tmp_path):
    content = members(good)
    del content["export.json"]
    refused(cli, target, write_zip(tmp_path / "a.zip", content), "export.json")
    content = members(good)
    refused(
        cli, target, write_zip(tmp_path / "b.zip", {**content, "export.json": b"{"}), "not a valid export"
    )


def test_an_import_refused_by_its_mode_writes_no_picture(cli, good, target):
    """Without --merge or --replace a journal with entries refuses: not one picture is written."""
    before = state(target.parent)
    result = cli("import", str(good), db=target)
    assert result.code != 0 and "--merge" in result.err
    assert state(target.parent) == before


def test_a_dry_run_of_a_bundle_says_what_it_would_do_and_changes_nothing(cli, good, target):
    before = state(target.parent)
    result = cli("import", str(good), "--replace", "--dry-run", db=target)
    assert result.code == 0 and f"{DEMO_PHOTOS} photos" in result.out
    assert state(target.parent) == before


def test_pictures_are_checked_as_whole_images(tmp_path):
    """check_picture decodes the picture: a PNG cut short is refused even with its hash right."""
    from skinlog.domain.photos import Photo
    from skinlog.services.bundle import check_picture

    raw = io.BytesIO()
    Image.new("RGB", (40, 30), (9, 9, 9)).save(raw, "PNG")
    whole = raw.getvalue()
    for data, ok in ((whole, True), (whole[:-30], False)):
        sha = hashlib.sha256(data).hexdigest()
        photo = Photo(sha[:12], date(2026, 1, 1), (), "", "image/png", 40, 30, len(data), sha, "x")
        assert (check_picture(photo, data) is None) is ok
