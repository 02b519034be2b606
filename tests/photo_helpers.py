"""Photos for tests: deterministic pictures drawn with Pillow, stored through the journal's own
photo storage (the file first, then the record), as ``skinlog photo add`` stores them."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

from PIL import Image, ImageDraw

from skinlog.domain.photos import Photo, photo_id
from skinlog.storage import Journal
from skinlog.storage.photos import store_photo_bytes


def picture(seed: int, size: tuple[int, int] = (240, 180)) -> bytes:
    """A PNG that differs by ``seed``: a coloured background with a few round spots, the same
    bytes every time for the same seed."""
    width, height = size
    base = ((seed * 67) % 200 + 40, (seed * 31) % 160 + 60, (seed * 97) % 180 + 50)
    image = Image.new("RGB", size, base)
    draw = ImageDraw.Draw(image)
    for n in range(seed % 5 + 1):
        x = (seed * 53 + n * 71) % (width - 30) + 15
        y = (seed * 29 + n * 43) % (height - 30) + 15
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=(250, 245, 230), outline=(120, 60, 60))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def add_picture(
    journal: Path | Journal,
    day: date,
    regions: tuple[str, ...] = ("forehead",),
    *,
    seed: int = 1,
    note: str = "",
    size: tuple[int, int] = (240, 180),
    added_at: str | None = None,
) -> Photo:
    """Store a drawn picture for ``day`` and record it in the journal; returns its record."""
    journal = journal if isinstance(journal, Journal) else Journal(journal)
    data = picture(seed, size)
    sha = hashlib.sha256(data).hexdigest()
    photo = Photo(
        id=photo_id(sha),
        day=day,
        regions=regions,
        note=note,
        media_type="image/png",
        width=size[0],
        height=size[1],
        size=len(data),
        sha256=sha,
        added_at=added_at or f"{day.isoformat()}T08:{seed % 60:02d}:00+00:00",
    )
    store_photo_bytes(journal.path, data, photo.file_name)
    journal.add_photo(photo)
    return photo
