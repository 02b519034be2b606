"""Thumbnails: made once, kept privately in the user's cache folder, never beside the journal;
a picture that cannot be shown gets a placeholder."""

from __future__ import annotations

import hashlib
import io
import os
import stat
from pathlib import Path

from PIL import Image

from skinlog.services import thumbnails
from skinlog.services.thumbnails import PREVIEW, THUMB, cache_dir, thumbnail


def stored_picture(
    folder: Path, size: tuple[int, int] = (800, 600), colour=(200, 40, 40)
) -> tuple[Path, str]:
    """A JPEG saved the way the journal stores photos: named by the SHA-256 of its bytes."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{sha}.jpg"
    path.write_bytes(data)
    return path, sha


def test_a_thumbnail_is_made_once_and_kept_in_the_private_cache(tmp_path):
    journal_folder = tmp_path / "data"
    source, sha = stored_picture(journal_folder / "journal.photos")
    before = sorted(p.name for p in journal_folder.rglob("*"))
    thumb = thumbnail(source, sha)
    assert thumb.ok and thumb.path == cache_dir() / f"{sha}-{THUMB[0]}x{THUMB[1]}.png"
    assert cache_dir() == Path(os.environ["XDG_CACHE_HOME"]) / "skinlog" / "thumbs"
    image = thumb.open()
    assert image.size == (192, 144) and image.getpixel((10, 10))[0] > 150
    assert stat.S_IMODE(thumb.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir().stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_dir().parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in journal_folder.rglob("*")) == before  # nothing beside the journal
    assert not [p for p in cache_dir().iterdir() if p.name.startswith(".")]  # no temp file left
    # the second time it comes from the cache: the source is not read again
    source.unlink()
    again = thumbnail(source, sha)
    assert again.ok and again.path == thumb.path


def test_each_box_has_its_own_copy(tmp_path):
    source, sha = stored_picture(tmp_path, (2000, 1000))
    small, large = thumbnail(source, sha, THUMB), thumbnail(source, sha, PREVIEW)
    assert small.path != large.path
    assert small.open().size == (192, 96) and large.open().size == (768, 384)


def test_the_cache_follows_xdg_cache_home_and_defaults_to_dot_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c" / "skinlog" / "thumbs"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "skinlog" / "thumbs"


def bad_pictures(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    good, sha = stored_picture(tmp_path / "good")
    truncated_data = good.read_bytes()[:300]
    truncated = tmp_path / "truncated.jpg"
    truncated.write_bytes(truncated_data)
    text = tmp_path / "text.jpg"
    text.write_bytes(b"not a picture at all")
    altered = tmp_path / "altered.jpg"
    altered.write_bytes(good.read_bytes()[:-2] + b"\0\0")
    return {
        "missing": (tmp_path / "gone.jpg", sha),
        "truncated (hash of what is there)": (truncated, hashlib.sha256(truncated_data).hexdigest()),
        "not a picture (hash of what is there)": (text, hashlib.sha256(b"not a picture at all").hexdigest()),
        "altered since stored": (altered, sha),
        "a folder": (tmp_path, sha),
        "not a hash": (good, "../../etc/passwd"),
    }


def test_a_picture_that_cannot_be_shown_gets_a_placeholder(tmp_path):
    for name, (path, sha) in bad_pictures(tmp_path).items():
        thumb = thumbnail(path, sha)
        assert not thumb.ok, name
        assert thumb.open().size == (192, 192), name
    assert sorted(p.name for p in cache_dir().iterdir()) == ["missing-192x192.png"]


def test_an_unwritable_cache_still_gives_the_thumbnail(tmp_path, monkeypatch):
    source, sha = stored_picture(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where the folder would be
    thumb = thumbnail(source, sha)
    assert thumb.ok and thumb.path is None and thumb.open().size == (192, 144)
    assert not thumbnail(tmp_path / "gone.jpg", sha).ok


def test_a_decompression_bomb_is_a_placeholder(tmp_path, monkeypatch):
    source, sha = stored_picture(tmp_path, (400, 400))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # Pillow refuses more than twice this
    assert not thumbnails.thumbnail(source, sha).ok
