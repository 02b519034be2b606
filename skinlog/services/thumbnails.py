"""Small copies of the journal's photos for the app, made when first needed and kept in the user's
cache folder (never beside the journal): ``$XDG_CACHE_HOME/skinlog/thumbs/``, 0700, files 0600.

A copy is named by the picture's SHA-256 and the box it fits in, so an altered or replaced photo
never shows a stale copy. A photo file that is missing, unreadable, damaged or not the bytes the
journal names gets a drawn placeholder instead; nothing here raises for a bad picture.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from skinlog.storage.files import atomic_write, ensure_dir

if TYPE_CHECKING:
    from PIL import Image

# Pillow is imported by the functions that draw, not with this module: the views that show
# photos import it when they are first opened, and nothing else pays for it.

THUMB = (192, 192)
"""The box of the timeline's thumbnails, in pixels (enough for a card drawn with graphics)."""
PREVIEW = (768, 768)
"""The box of a photo opened large or compared."""
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_READ_LIMIT = 50 * 1024 * 1024 + 1  # a stored photo is at most 50 MB; more is damage, not read whole


@dataclass(frozen=True)
class Thumbnail:
    """A small copy ready to draw: its cached file (or, when the cache cannot be written, its PNG
    bytes), and whether it shows the photo (False: a placeholder)."""

    path: Path | None
    ok: bool
    data: bytes = b""

    def open(self) -> Image.Image:
        """The copy as a Pillow image, loaded (the file is closed again)."""
        from PIL import Image

        image: Image.Image = Image.open(self.path if self.path is not None else io.BytesIO(self.data))
        image.load()  # reads the pixels and closes the file
        return image


def cache_dir() -> Path:
    """The thumbnail cache: ``$XDG_CACHE_HOME/skinlog/thumbs`` (default ``~/.cache/skinlog/thumbs``)."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not base or not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "skinlog" / "thumbs"


def cached_path(sha256: str, box: tuple[int, int]) -> Path:
    """Where the copy of the picture with this hash, fitted in ``box``, is kept."""
    return cache_dir() / f"{sha256}-{box[0]}x{box[1]}.png"


def thumbnail(source: Path, sha256: str, box: tuple[int, int] = THUMB) -> Thumbnail:
    """The picture at ``source`` (stored under ``sha256``) fitted in ``box``: from the cache when
    it is there, else made now and kept; a placeholder when the picture cannot be shown."""
    if not _SHA256.match(sha256):
        return placeholder(box)
    cached = cached_path(sha256, box)
    if cached.is_file():
        return Thumbnail(cached, True)
    made = _make(source, sha256, box)
    if made is None:
        return placeholder(box)
    try:
        _keep(cached, made)
    except OSError:
        return Thumbnail(None, True, made)
    return Thumbnail(cached, True)


def placeholder(box: tuple[int, int] = THUMB) -> Thumbnail:
    """A grey square with a cross: the stand-in for a picture that cannot be shown."""
    path = cache_dir() / f"missing-{box[0]}x{box[1]}.png"
    if path.is_file():
        return Thumbnail(path, False)
    from PIL import Image, ImageDraw

    side = min(box)
    image = Image.new("RGB", (side, side), (70, 70, 70))
    draw = ImageDraw.Draw(image)
    edge = side // 4
    draw.line((edge, edge, side - edge, side - edge), fill=(170, 170, 170), width=max(1, side // 24))
    draw.line((edge, side - edge, side - edge, edge), fill=(170, 170, 170), width=max(1, side // 24))
    data = _png(image)
    try:
        _keep(path, data)
    except OSError:
        return Thumbnail(None, False, data)
    return Thumbnail(path, False)


def _make(source: Path, sha256: str, box: tuple[int, int]) -> bytes | None:
    """The fitted copy as PNG bytes, or None when the file is not the picture the journal names."""
    try:
        with open(source, "rb") as handle:
            data = handle.read(_READ_LIMIT)
    except OSError:
        return None
    if len(data) >= _READ_LIMIT or hashlib.sha256(data).hexdigest() != sha256:
        return None  # altered, replaced or truncated since it was stored
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.draft("RGB", box)  # JPEG: decode at a fraction of the size when it is large
            picture.thumbnail(box)
            image = picture.convert("RGB")
    except Exception:  # Pillow reports damage in many forms (OSError, ValueError, SyntaxError, bombs)
        return None
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _keep(path: Path, data: bytes) -> None:
    """Write a copy atomically, 0600, in the cache folder and the ``skinlog`` folder above it,
    both 0700 (``~/.cache`` itself is left as it is)."""
    folder = path.parent
    try:
        ensure_dir(str(folder))
    except Exception as exc:  # JournalError: the cache is only ever a help
        raise OSError(str(exc)) from None
    for part in (folder.parent, folder):
        if (part.stat().st_mode & 0o777) != 0o700:
            os.chmod(part, 0o700)
    atomic_write(str(path), data)
