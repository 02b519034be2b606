"""Bad input to photo add: one clear line on stderr, exit 1 or 2, and the journal, its backups and
the photo folder exactly as they were."""

from __future__ import annotations

import io
import os
import struct
import zlib
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import PINNED_TODAY
from tests.test_photos import camera_exif, picture, state


@pytest.fixture
def started(cli, journal_path: Path, tmp_path: Path) -> Path:
    """A journal that already has a photo (so there is a photo folder to keep unchanged)."""
    first = tmp_path / "first.png"
    picture(colour=(7, 7, 7)).save(first)
    assert cli("photo", "add", str(first), "--region", "nose").code == 0
    return journal_path.parent


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("L", (8, 8)).save(out, "PNG")
    raw = bytearray(out.getvalue())
    ihdr = bytes(raw[12:16]) + struct.pack(">II", width, height) + bytes(raw[24:29])
    raw[16:24] = struct.pack(">II", width, height)
    raw[29:33] = struct.pack(">I", zlib.crc32(ihdr))
    return bytes(raw)


def _not_an_image(folder: Path) -> list[str]:
    path = folder / "notes.jpg"
    path.write_text("these are my notes, not a picture\n")
    return [str(path)]


def _truncated(folder: Path) -> list[str]:
    out = io.BytesIO()
    picture(size=(400, 300)).save(out, "JPEG", quality=95)
    path = folder / "cut.jpg"
    path.write_bytes(out.getvalue()[: len(out.getvalue()) // 2])
    return [str(path)]


def _bomb(folder: Path) -> list[str]:
    path = folder / "bomb.png"
    path.write_bytes(png_claiming(30_000, 30_000))
    return [str(path)]


def _just_over_the_pixel_limit(folder: Path) -> list[str]:
    path = folder / "big.png"
    path.write_bytes(png_claiming(10_000, 6_100))  # 61 million: Pillow only warns; skinlog refuses
    return [str(path)]


def _huge_file(folder: Path) -> list[str]:
    path = folder / "huge.jpg"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: takes no space
    return [str(path)]


def _folder(folder: Path) -> list[str]:
    (folder / "pictures.jpg").mkdir()
    return [str(folder / "pictures.jpg")]


def _link_loop(folder: Path) -> list[str]:
    os.symlink(folder / "b.jpg", folder / "a.jpg")
    os.symlink(folder / "a.jpg", folder / "b.jpg")
    return [str(folder / "a.jpg")]


def _missing(folder: Path) -> list[str]:
    return [str(folder / "nowhere.jpg")]


def _escapes_in_name(folder: Path) -> list[str]:
    path = folder / "evil\n\x1b[31mname\x07.jpg"
    path.write_text("not a picture")
    return [str(path)]


def _one_good_one_bad(folder: Path) -> list[str]:
    good = folder / "good.png"
    picture(colour=(50, 60, 70)).save(good)
    return [str(good), *_not_an_image(folder)]


def _taken_in_the_future(folder: Path) -> list[str]:
    path = folder / "future.jpg"
    picture().save(path, exif=camera_exif(taken=PINNED_TODAY + timedelta(days=30)))
    return [str(path)]


def _a_gif(folder: Path) -> list[str]:
    path = folder / "anim.gif"
    picture().save(path, "GIF")
    return [str(path)]


def _good(folder: Path) -> list[str]:
    path = folder / "fine.png"
    picture(colour=(90, 90, 90)).save(path)
    return [str(path)]


CASES = {
    "not an image": (_not_an_image, [], "not a JPEG, PNG, WebP or HEIC picture"),
    "a GIF": (_a_gif, [], "not a JPEG, PNG, WebP or HEIC picture"),
    "truncated": (_truncated, [], "cut short"),
    "decompression bomb": (_bomb, [], "too many pixels"),
    "just over the pixel limit": (_just_over_the_pixel_limit, [], "too many pixels"),
    "200 MB file": (_huge_file, [], "up to 50 MB"),
    "a folder": (_folder, [], "is a folder"),
    "a loop of links": (_link_loop, [], "loop of links"),
    "missing": (_missing, [], "there is no file"),
    "escapes in the name": (_escapes_in_name, [], "evil\\x0a\\x1b[31mname\\x07.jpg"),
    "one good one bad": (_one_good_one_bad, [], "notes.jpg"),
    "taken in the future": (_taken_in_the_future, [], "give the date with --date"),
    "a future date": (_good, ["--date", (PINNED_TODAY + timedelta(days=1)).isoformat()], "in the future"),
    "an unknown region": (_good, ["--region", "elbowz"], "unknown region 'elbowz'"),
    "a note with escapes": (_good, ["--note", "hi\x1b]0;x\x07"], "control characters"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_changes_nothing(cli, started, tmp_path, name):
    make, options, said = CASES[name]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    paths = make(inputs)
    before = state(started)
    result = cli("photo", "add", *paths, *options)
    assert result.code in (1, 2)
    assert result.out == ""
    assert result.err.startswith("skinlog: ") and result.err.count("\n") == 1, result.err
    assert said in result.err
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert state(started) == before


def test_an_unreadable_file_changes_nothing(cli, started, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "secret.jpg"
    picture().save(path)
    path.chmod(0)
    before = state(started)
    result = cli("photo", "add", str(path))
    assert result.code in (1, 2) and "permission denied" in result.err.lower()
    assert state(started) == before


def test_a_good_picture_does_change_the_folder(cli, started, tmp_path):
    """The case the tests above are measured against: a good picture changes both."""
    before = state(started)
    assert cli("photo", "add", *_good(tmp_path)).code == 0
    after = state(started)
    assert after != before and len(after) == len(before) + 2  # a new picture, a daily backup


def test_heic_without_pillow_heif_is_one_line_naming_the_format(cli, started, tmp_path, monkeypatch):
    import sys

    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    source = tmp_path / "IMG_2.HEIC"
    picture().save(source, "HEIF")
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # as if it were not installed
    before = state(started)
    result = cli("photo", "add", str(source))
    assert result.code == 2 and result.err.count("\n") == 1
    assert "HEIC/HEIF" in result.err and "pillow-heif is not installed" in result.err
    assert state(started) == before
