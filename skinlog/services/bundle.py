"""The bundle export: one zip for a visit, and importing one back.

A bundle holds the JSON export (``export.json``), the FHIR Bundle (``fhir.json``), the Markdown
one-pager (``summary.md``) and every photo of the period as ``photos/<sha256>.<ext>`` (the name
FHIR's Media.content.url gives it). The documents are listed in ``DOCUMENTS``, one row each, by
the export format that writes them: a new document (the PDF report) is one more row.

The same journal gives the same bytes: every member has a fixed time stamp and mode, members are
in name order, and the documents are stamped with the journal's last change instead of the clock.

Importing one trusts nothing in it: names, kinds, counts and sizes are checked, every member is
read through with its bytes counted as they come (never the sizes the zip claims), and every
photo must be the picture its record names: the same hash and byte size, and a whole picture
of the recorded kind and pixel size. Only then is anything written: the pictures first (durably,
into the photo folder), then the journal in one write.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, TYPE_CHECKING

from skinlog.domain.photos import MAX_PHOTO_BYTES, Photo
from skinlog.errors import JournalError, os_reason
from skinlog.services.importer import MAX_IMPORT_BYTES, ExportContent, ImportFailed, validate_export

if TYPE_CHECKING:
    from skinlog.services.export import ExportData
    from skinlog.storage import Journal

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("export.json", "json"),
    ("fhir.json", "fhir"),
    ("summary.md", "md"),
)
"""The bundle's documents: (member name, the export format that writes it, from ``formats``).
The visit report goes here as one more row once it is a format."""

EXPORT_MEMBER = "export.json"  # the document an import restores the journal from
PHOTO_FOLDER = "photos/"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: fixed, so the bytes are too

# What an import reads at most. Photos are at most MAX_PHOTO_BYTES each (as ``photo add`` keeps
# them) and documents at most what a JSON export may be; the whole at most MAX_BUNDLE_BYTES.
MAX_MEMBERS = 10_000
MAX_DOCUMENT_BYTES = MAX_IMPORT_BYTES
MAX_BUNDLE_BYTES = 8 * 1024**3
# A member that unpacks to more than MAX_RATIO times its packed size (past a first megabyte) is
# a zip bomb: JSON exports pack 25 to 90 times (a long journal of empty days), pictures hardly at
# all, and deflate packs at most about 1030 times.
MAX_RATIO = 400
RATIO_FREE_BYTES = 1024 * 1024
_BLOCK = 1 << 20


# -- writing


def photo_member(photo: Photo) -> str:
    return f"{PHOTO_FOLDER}{photo.file_name}"


def _missing(data: ExportData, photo: Photo) -> JournalError:
    from skinlog.storage.photos import photo_file

    return JournalError(
        f"the picture of photo {photo.id} ({photo_file(data.journal_path, photo)}) is missing or "
        "altered: see 'skinlog check'; nothing was written"
    )


def _picture(data: ExportData, photo: Photo) -> Callable[[], Iterable[bytes]]:
    """A photo's bytes, read (and checked again) when the zip gets to it: one picture in memory
    at a time."""
    from skinlog.storage.photos import read_photo

    def read() -> Iterable[bytes]:
        content = read_photo(data.journal_path, photo)
        if content is None:
            raise _missing(data, photo)
        return (content,)

    return read


def members(data: ExportData) -> list[tuple[str, Callable[[], Iterable[bytes]]]]:
    """The bundle's members (name, what makes its bytes), in name order. Every photo's file is
    checked against its record first: a missing or altered picture stops the export."""
    from functools import partial

    from skinlog.services.formats import get
    from skinlog.storage.photos import verify_photo

    listed = []
    for photo in data.photos:
        if verify_photo(data.journal_path, photo) is not None:
            raise _missing(data, photo)
        listed.append((photo_member(photo), _picture(data, photo)))
    listed += [(name, partial(get(fmt).chunks, data)) for name, fmt in DOCUMENTS]
    return sorted(listed, key=lambda member: member[0])


class _Sink(io.RawIOBase):
    """Where the zip is written: bytes collected until taken, so the bundle streams out."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        piece = bytes(b)  # type: ignore[call-overload]
        self.pieces.append(piece)
        return len(piece)

    def take(self) -> bytes:
        out = b"".join(self.pieces)
        self.pieces.clear()
        return out


def bundle_chunks(data: ExportData) -> Iterator[bytes]:
    """The bundle's bytes, a member at a time."""
    from skinlog.services.export import last_change

    data = data._replace(generated_at=last_change(data))
    listed = members(data)  # pictures checked before a byte is written
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        for name, content in listed:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.create_system = 3  # unix, so the mode below is read as one
            info.external_attr = (stat.S_IFREG | 0o600) << 16
            photo = name.startswith(PHOTO_FOLDER)
            info.compress_type = zipfile.ZIP_STORED if photo else zipfile.ZIP_DEFLATED
            archive.writestr(info, b"".join(content()))
            yield sink.take()
    yield sink.take()


# -- reading


@dataclass(frozen=True)
class Bundle:
    """A bundle checked all through: the export it holds, and where its pictures are."""

    path: str
    content: ExportContent
    pictures: dict[str, zipfile.ZipInfo]  # photo file name -> its member

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.pictures)


def _fail(path: str, message: str) -> ImportFailed:
    return ImportFailed(f"cannot import {path}: {message}; the journal and its photos were not changed")


def looks_like_bundle(path: str) -> bool:
    """A zip by its first bytes, or by its name (so a damaged one is refused as a bundle)."""
    if path.lower().endswith(".zip"):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _member_problem(info: zipfile.ZipInfo, expected: set[str]) -> str | None:
    name = info.filename
    parts = name.split("/")
    if name.startswith(("/", "\\")) or "\\" in name or ":" in parts[0] or ".." in parts or "" in parts:
        return f"the member '{name[:80]}' would be written outside the bundle's folder"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"the member '{name[:80]}' is a link"
    if info.flag_bits & 0x1:
        return f"the member '{name[:80]}' is encrypted"
    if name not in expected and not (name.startswith(PHOTO_FOLDER) and len(parts) == 2):
        return f"the member '{name[:80]}' is not part of a skinlog bundle"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, budget: list[int]) -> bytes:
    """A member's bytes, counted as they unpack: more than ``cap``, more than the bundle's
    ``budget`` left, or far more than it packs to, and reading stops."""
    pieces = []
    size = 0
    with archive.open(info) as handle:
        while True:
            piece = handle.read(_BLOCK)
            if not piece:
                break
            size += len(piece)
            budget[0] -= len(piece)
            if size > cap:
                raise ValueError(
                    f"the member '{info.filename[:80]}' unpacks to more than {cap // 1024**2} MB"
                )
            if budget[0] < 0:
                raise ValueError(f"it unpacks to more than {MAX_BUNDLE_BYTES // 1024**2} MB")
            if size > RATIO_FREE_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
                raise ValueError(
                    f"the member '{info.filename[:80]}' unpacks to over {MAX_RATIO} times its packed size "
                    "(a zip bomb?)"
                )
            pieces.append(piece)
    return b"".join(pieces)


def check_picture(photo: Photo, data: bytes) -> str | None:
    """What is wrong with ``data`` as the picture of ``photo`` (None when it is that picture):
    its size and hash, then decoded whole by Pillow, its kind and pixel size."""
    import warnings

    from PIL import Image

    from skinlog.services.photo_add import MAX_PIXELS
    from skinlog.storage.photos import sha256_hex

    if len(data) != photo.size:
        return f"is {len(data)} bytes, not the {photo.size} recorded"
    if sha256_hex(data) != photo.sha256:
        return "does not match its hash"
    kinds = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(kinds)) as image:
                kind, size = kinds.get(image.format or ""), image.size
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "has too many pixels"
    except Exception:  # noqa: BLE001 - whatever Pillow raises on bytes that are no whole picture
        return "is not a whole JPEG, PNG or WebP picture"
    if kind != photo.media_type:
        return f"is {kind or 'another kind of picture'}, not the {photo.media_type} recorded"
    if size != (photo.width, photo.height):
        return f"is {size[0]}x{size[1]} pixels, not the {photo.width}x{photo.height} recorded"
    return None


def read_bundle(path: str, today: date) -> Bundle:
    """Open and check a bundle all through (see the module's rules); any problem raises
    ImportFailed in one line, before anything is written."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "it is not a regular file")
        if info.st_size > MAX_BUNDLE_BYTES:
            raise _fail(path, f"the file is too large (at most {MAX_BUNDLE_BYTES // 1024**2} MB)")
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise _fail(path, os_reason(exc)) from None
    with handle:
        return _read_open_bundle(path, handle, today)


def _read_open_bundle(path: str, handle: IO[bytes], today: date) -> Bundle:
    import orjson

    from skinlog.strictjson import DuplicateKeyError, loads_unique

    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise _fail(path, "it is not a zip file (a skinlog bundle is one), or it is damaged") from None
    with archive:
        listed = archive.infolist()
        if len(listed) > MAX_MEMBERS:
            raise _fail(path, f"it has {len(listed)} members, more than the {MAX_MEMBERS} a bundle may have")
        expected = {name for name, _fmt in DOCUMENTS}
        seen: set[str] = set()
        for member in listed:
            problem = _member_problem(member, expected)
            if problem is None and member.filename in seen:
                problem = f"the member '{member.filename[:80]}' is in it twice"
            if problem:
                raise _fail(path, problem)
            seen.add(member.filename)
        if EXPORT_MEMBER not in seen:
            raise _fail(path, f"it holds no {EXPORT_MEMBER}, so it is not a skinlog bundle")
        budget = [MAX_BUNDLE_BYTES]
        try:
            raw = _read_member(archive, archive.getinfo(EXPORT_MEMBER), MAX_DOCUMENT_BYTES, budget)
            try:
                document = loads_unique(raw, options=(orjson.OPT_INDENT_2,))
            except (DuplicateKeyError, RecursionError, ValueError):
                raise _fail(path, f"its {EXPORT_MEMBER} is not a valid export") from None
            from skinlog.errors import ValidationError

            try:
                content = validate_export(document, today)
            except ValidationError as exc:
                raise _fail(path, f"its {EXPORT_MEMBER}: {exc}") from None
            records = {photo_member(p): p for p in content.photos}
            pictures = {}
            for member in listed:
                name = member.filename
                if name == EXPORT_MEMBER:
                    continue
                if name.startswith(PHOTO_FOLDER):
                    photo = records.get(name)
                    if photo is None:
                        raise _fail(path, f"the picture '{name[:80]}' is not one its export lists")
                    data = _read_member(archive, member, MAX_PHOTO_BYTES, budget)
                    wrong = check_picture(photo, data)
                    if wrong:
                        raise _fail(path, f"the picture of photo {photo.id} ({name}) {wrong}")
                    pictures[photo.file_name] = member
                else:
                    _read_member(archive, member, MAX_DOCUMENT_BYTES, budget)  # read through: whole and small
            missing = [p for name, p in records.items() if name not in seen]
            if missing:
                raise _fail(
                    path, f"the picture of photo {missing[0].id} ({photo_member(missing[0])}) is missing"
                )
        except ValueError as exc:
            raise _fail(path, str(exc)) from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
            raise _fail(path, f"it is damaged ({str(exc)[:100] or type(exc).__name__})") from None
        except Exception as exc:  # noqa: BLE001 - zlib and zipfile raise more kinds on damaged data
            if isinstance(exc, ImportFailed):
                raise
            raise _fail(path, f"it is damaged ({type(exc).__name__})") from None
    return Bundle(path, content, pictures)


def store_pictures(journal: Journal, bundle: Bundle, photos: Iterable[Photo]) -> None:
    """Write the pictures of ``photos`` from the bundle into the journal's photo folder, durably,
    each checked against its hash again as it is read (the zip may have changed since it was
    checked). Call it under the journal's lock, before the journal refers to them."""
    from skinlog.storage.photos import sha256_hex, store_photo_bytes

    wanted = [p for p in photos if p.file_name in bundle.pictures]
    if not wanted:
        return
    try:
        with open(bundle.path, "rb") as handle, zipfile.ZipFile(handle) as archive:
            for photo in wanted:
                budget = [MAX_BUNDLE_BYTES]
                data = _read_member(archive, bundle.pictures[photo.file_name], MAX_PHOTO_BYTES, budget)
                if len(data) != photo.size or sha256_hex(data) != photo.sha256:
                    raise _fail(bundle.path, f"the picture of photo {photo.id} changed while it was imported")
                store_photo_bytes(journal.path, data, photo.file_name)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise _fail(
            bundle.path, f"it could not be read again ({os_reason(exc) if isinstance(exc, OSError) else exc})"
        ) from None


__all__ = [
    "DOCUMENTS",
    "Bundle",
    "bundle_chunks",
    "check_picture",
    "looks_like_bundle",
    "members",
    "read_bundle",
    "store_pictures",
]
