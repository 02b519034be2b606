"""A photo in the journal: its record (what the journal keeps about one stored picture).

The picture itself is a file beside the journal named by the SHA-256 of its bytes (see
``skinlog.storage.photos``); the journal keeps only this record, which is checked on every read
like every other record (``skinlog.domain.validation.check_photos_table``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from skinlog.domain.dates import EARLIEST, parse_iso
from skinlog.domain.regions import REGION_IDS
from skinlog.errors import ValidationError

# What a stored picture may be, and the file name ending each is stored under.
EXTENSIONS: dict[str, str] = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
MEDIA_TYPES = tuple(EXTENSIONS)
MAX_PHOTO_BYTES = 50 * 1024 * 1024  # the largest file ``photo add`` reads, and so the largest stored
MAX_SIDE = 65_500  # no JPEG or WebP is wider or taller; PNG could be, but skinlog never stores one
MAX_PHOTO_NOTE = 500
ID_LENGTH = 12  # the first characters of the hash: short to type, and stable
PHOTO_KEYS = frozenset(
    {"id", "date", "regions", "note", "media_type", "width", "height", "size", "sha256", "added_at"}
)
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_REGIONS = frozenset(REGION_IDS)


def photo_id(sha256: str) -> str:
    """The id a picture with these stored bytes gets: the start of their hash."""
    return sha256[:ID_LENGTH]


@dataclass(frozen=True)
class Photo:
    """One stored picture: the day it shows, the regions it shows, a note, and its file's facts."""

    id: str
    day: date
    regions: tuple[str, ...]
    note: str
    media_type: str
    width: int
    height: int
    size: int  # bytes stored
    sha256: str
    added_at: str  # ISO 8601 with offset

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.media_type]

    @property
    def file_name(self) -> str:
        """The stored file's name in the journal's photo folder."""
        return f"{self.sha256}.{self.extension}"

    def to_dict(self) -> dict[str, Any]:
        """The record as the journal stores it."""
        return {
            "id": self.id,
            "date": self.day.isoformat(),
            "regions": list(self.regions),
            "note": self.note,
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "size": self.size,
            "sha256": self.sha256,
            "added_at": self.added_at,
        }

    @classmethod
    def from_dict(cls, doc: Any, latest: date | None = None) -> Photo:
        """A stored record, fully checked (``latest``: the last day a journal may hold).

        Anything skinlog would not have written raises ``ValidationError`` naming the photo.
        """
        if type(doc) is not dict:
            raise ValidationError("a photo record is not an object")
        raw_id = doc.get("id")
        where = f"the photo {raw_id[:ID_LENGTH]}" if isinstance(raw_id, str) else "a photo"
        if doc.keys() != PHOTO_KEYS:
            missing = sorted(PHOTO_KEYS - doc.keys())
            unknown = sorted(map(str, doc.keys() - PHOTO_KEYS))
            said = f"has unknown fields: {', '.join(unknown)}" if unknown else f"lacks {', '.join(missing)}"
            raise ValidationError(f"{where} {said}")
        sha, media = doc["sha256"], doc["media_type"]
        if type(sha) is not str or not _SHA256.match(sha):
            raise ValidationError(f"{where} has a bad hash")
        if raw_id != photo_id(sha):
            raise ValidationError(f"{where}: its id is not the start of its hash")
        if type(media) is not str or media not in EXTENSIONS:
            raise ValidationError(f"{where} is of a kind skinlog does not store")
        day = _day(doc["date"], where, latest)
        regions = doc["regions"]
        if (
            type(regions) is not list
            or not all(type(r) is str and r in _REGIONS for r in regions)
            or len(set(regions)) != len(regions)
        ):
            raise ValidationError(f"{where} names regions skinlog does not know (or one twice)")
        note = doc["note"]
        if type(note) is not str or not plain_note(note):
            raise ValidationError(f"{where}: its note is not stored as skinlog writes it")
        width, height, size = doc["width"], doc["height"], doc["size"]
        for value, top in ((width, MAX_SIDE), (height, MAX_SIDE), (size, MAX_PHOTO_BYTES)):
            if type(value) is not int or not 0 < value <= top:
                raise ValidationError(f"{where} has a bad width, height or size")
        added = doc["added_at"]
        if type(added) is not str or not _time_ok(added):
            raise ValidationError(f"{where} has a bad time it was added")
        return cls(raw_id, day, tuple(regions), note, media, width, height, size, sha, added)


def plain_note(note: str) -> bool:
    """A photo note as skinlog stores it: trimmed, at most ``MAX_PHOTO_NOTE`` characters, and no
    control characters other than new lines and tabs."""
    return (
        len(note) <= MAX_PHOTO_NOTE
        and note == note.strip()
        and note.replace("\n", "").replace("\t", "").isprintable()
    )


def _day(text: Any, where: str, latest: date | None) -> date:
    try:
        day = parse_iso(text)
    except ValidationError:
        raise ValidationError(f"{where} has a bad date") from None
    if latest is not None and day > latest:
        raise ValidationError(f"{where} is dated {day.isoformat()}, in the future")
    return day


def _time_ok(text: str) -> bool:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return False
    return when.tzinfo is not None and when.date() >= EARLIEST


def sort_key(photo: Photo) -> tuple[date, str, str]:
    """Photos in the order they are listed: by day, then by when they were added."""
    return (photo.day, photo.added_at, photo.id)
