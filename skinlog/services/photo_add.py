"""Adding pictures to the journal: read, check, strip of all metadata, store, record.

This is the one module that reads pictures with Pillow (imported here, when a picture is read,
never by the commands that do not add photos). What is stored is the picture's pixels, turned
upright by its EXIF orientation and re-encoded with nothing else: no EXIF (so no GPS position,
camera make and model, serial numbers or time stamps), no XMP, no ICC profile (a picture with
one is converted to sRGB first), no PNG text chunks. JPEG stays JPEG, PNG stays PNG, WebP stays
WebP; HEIC/HEIF (what phones write) is stored as JPEG.

Every picture given is read, checked and encoded before anything is written: one bad picture
and nothing changes. Then, under the journal's lock, each file is written durably into the photo
folder and the records are added in one journal write (one undoable change), so the journal never
refers to a file that is not there.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from skinlog.domain.dates import check_date, today
from skinlog.domain.photos import MAX_PHOTO_BYTES, MAX_PHOTO_NOTE, MAX_SIDE, Photo, photo_id, plain_note
from skinlog.domain.text import inert
from skinlog.errors import ValidationError, os_reason
from skinlog.storage.photos import sha256_hex, store_photo_bytes

if TYPE_CHECKING:
    from PIL import Image

    from skinlog.storage import Journal

__all__ = ["Added", "PhotoError", "StrippedPicture", "add_photos", "read_picture", "strip_picture"]

JPEG_QUALITY = 92
# The most pixels a picture may have (Pillow refuses twice this outright, and warns above it):
# about 4.5 times a 12-megapixel phone photo, far below what would exhaust memory.
MAX_PIXELS = 60_000_000
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1")
_DATE_TIME_ORIGINAL = 0x9003
_EXIF_IFD = 0x8769
_ORIENTATION = 0x0112


class PhotoError(ValidationError):
    """A picture that cannot be added (exit 2): not a picture, damaged, too large, unreadable."""


@dataclass(frozen=True)
class StrippedPicture:
    """A picture ready to store: its new bytes, their kind and size, and the date it was taken
    (EXIF DateTimeOriginal) if it said one."""

    data: bytes
    media_type: str
    width: int
    height: int
    taken: date | None


@dataclass(frozen=True)
class Added:
    """One picture ``add_photos`` handled: its record, and whether the journal already had it."""

    source: str
    photo: Photo
    already: bool


def shown(path: str) -> str:
    """A path as an error message shows it: control characters (new lines, escapes) escaped."""
    return inert(path)


def read_picture(path: str) -> bytes:
    """The bytes of the file at ``path``: a regular file of at most ``MAX_PHOTO_BYTES``.

    A folder, device, pipe, link loop, missing or unreadable file, or one too large, raises
    ``PhotoError`` naming the path (escaped).
    """
    where = shown(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PhotoError(f"{where} is a loop of links; nothing was added") from None
        if exc.errno == errno.ENOENT:
            raise PhotoError(f"there is no file {where}; nothing was added") from None
        raise PhotoError(f"cannot read {where}: {os_reason(exc)}; nothing was added") from None
    if stat.S_ISDIR(st.st_mode):
        raise PhotoError(f"{where} is a folder, not a picture; nothing was added")
    if not stat.S_ISREG(st.st_mode):
        raise PhotoError(f"{where} is not a regular file (a device, pipe or socket); nothing was added")
    if st.st_size > MAX_PHOTO_BYTES:
        raise PhotoError(
            f"{where} is {st.st_size / 1024 / 1024:.0f} MB; skinlog keeps pictures of up to "
            f"{MAX_PHOTO_BYTES // 1024 // 1024} MB; nothing was added"
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise PhotoError(f"{where} is not a regular file; nothing was added")
            raw = handle.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise PhotoError(f"cannot read {where}: {os_reason(exc)}; nothing was added") from None
    if len(raw) > MAX_PHOTO_BYTES:
        raise PhotoError(
            f"{where} grew past {MAX_PHOTO_BYTES // 1024 // 1024} MB while read; nothing was added"
        )
    return raw


def _is_heif(raw: bytes) -> bool:
    return raw[4:8] == b"ftyp" and (raw[8:12] in _HEIF_BRANDS or any(b in raw[16:64] for b in _HEIF_BRANDS))


def _open_heif_support(where: str) -> None:
    try:
        import pillow_heif
    except ImportError:
        raise PhotoError(
            f"{where} is a HEIC/HEIF picture, which this installation cannot read (pillow-heif is not "
            "installed); convert it to JPEG first; nothing was added"
        ) from None
    pillow_heif.register_heif_opener()


def strip_picture(raw: bytes, name: str = "the picture") -> StrippedPicture:
    """Decode ``raw``, apply its EXIF orientation, and re-encode its pixels with no metadata.

    Anything that is not a whole JPEG, PNG, WebP or HEIC/HEIF picture of at most ``MAX_PIXELS``
    pixels raises ``PhotoError`` naming ``name`` (escaped).
    """
    import warnings

    from PIL import Image, ImageOps, UnidentifiedImageError

    where = shown(name)
    heif = _is_heif(raw)
    if heif:
        _open_heif_support(where)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    formats = ["JPEG", "PNG", "WEBP"] + (["HEIF"] if heif else [])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(raw), formats=formats)
            kind = image.format or ""
            taken = _taken(image)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(
            f"{where} has too many pixels (more than {MAX_PIXELS // 1_000_000} million); nothing was added"
        ) from None
    except UnidentifiedImageError:
        raise PhotoError(
            f"{where} is not a JPEG, PNG, WebP or HEIC picture (or is damaged); nothing was added"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        detail = "cut short" if "truncated" in str(exc) or isinstance(exc, EOFError) else "damaged"
        raise PhotoError(f"{where} cannot be read: the picture is {detail}; nothing was added") from None
    if image.width > MAX_SIDE or image.height > MAX_SIDE:
        raise PhotoError(f"{where} is wider or taller than {MAX_SIDE} pixels; nothing was added")
    try:
        if image.getexif().get(_ORIENTATION, 1) != 1:  # upright already: no copy of the pixels
            image = ImageOps.exif_transpose(image)
        image = _to_srgb(image)
        target = "JPEG" if kind not in ("PNG", "WEBP") else kind
        data = _encode(image, target, lossless=kind == "WEBP" and b"VP8L" in raw[12:4096])
    except (OSError, ValueError) as exc:
        raise PhotoError(f"{where} cannot be stored: {exc}; nothing was added") from None
    media = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[target]
    return StrippedPicture(data, media, image.width, image.height, taken)


def _taken(image: Image.Image) -> date | None:
    """The date EXIF DateTimeOriginal gives ("2026:11:20 09:41:00"), if it gives a real one."""
    try:
        text = image.getexif().get_ifd(_EXIF_IFD).get(_DATE_TIME_ORIGINAL)
    except Exception:  # damaged EXIF: no date from it (the pixels may still be fine)
        return None
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return datetime.strptime(text[:10], "%Y:%m:%d").date()
    except ValueError:
        return None


def _to_srgb(image: Image.Image) -> Image.Image:
    """The picture's colours in sRGB, without its ICC profile (which can carry text)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unusable profile: the pixels as they are, profile dropped on encoding
    return converted if converted is not None else image


def _encode(image: Image.Image, kind: str, lossless: bool = False) -> bytes:
    """The pixels alone in ``kind``: no EXIF, XMP, ICC profile, comment or text chunk. A lossless
    WebP stays lossless."""
    image.info = {}  # nothing read from the source goes out with the pixels
    out = io.BytesIO()
    if kind == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)
    elif kind == "PNG":
        if image.mode not in ("L", "LA", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or image.mode == "P" else "RGB")
        image.save(out, "PNG")
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode or image.mode == "P" else "RGB")
        image.save(out, "WEBP", quality=JPEG_QUALITY, lossless=lossless, exif=b"", icc_profile=b"", xmp=b"")
    return out.getvalue()


def clean_note(note: str) -> str:
    tidy = note.strip()
    if not plain_note(tidy):
        if len(tidy) > MAX_PHOTO_NOTE:
            raise ValidationError(f"the note is longer than {MAX_PHOTO_NOTE} characters")
        raise ValidationError("the note has control characters (only new lines and tabs are kept)")
    return tidy


def add_photos(
    journal: Journal,
    paths: Sequence[str],
    day: date | None = None,
    regions: Sequence[str] = (),
    note: str = "",
) -> list[Added]:
    """Add the pictures at ``paths`` (see the module's words): each dated ``day``, else by its
    EXIF DateTimeOriginal, else today. ``regions`` are region ids. Returns what was added, in
    order; a picture the journal already has is reported as ``already`` and not added again.

    Nothing is written unless every picture can be added.
    """
    from skinlog.domain.regions import REGION_IDS

    tidy = clean_note(note)
    unknown = [r for r in regions if r not in REGION_IDS]
    if unknown:
        raise ValidationError(f"unknown region '{unknown[0]}'")
    now = today()
    if day is not None:
        check_date(day, now=now)
    journal.check_readable()  # a damaged journal is refused before any picture is read
    ready: list[tuple[str, StrippedPicture, date]] = []
    for path in paths:
        picture = strip_picture(read_picture(path), path)
        when = day or picture.taken or now
        if picture.taken is not None and day is None:
            try:
                check_date(when, now=now)
            except ValidationError as exc:
                raise PhotoError(
                    f"{shown(path)}: the date it was taken ({exc}); give the date with --date; nothing was added"
                ) from None
        ready.append((path, picture, when))
    added_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    region_ids = tuple(dict.fromkeys(regions))
    results: list[Added] = []
    with journal.transaction():
        known = {p.id: p for p in journal.photos()}
        new: list[tuple[Photo, bytes]] = []
        for path, picture, when in ready:
            sha = sha256_hex(picture.data)
            photo = Photo(
                photo_id(sha),
                when,
                region_ids,
                tidy,
                picture.media_type,
                picture.width,
                picture.height,
                len(picture.data),
                sha,
                added_at,
            )
            if photo.id in known and known[photo.id].sha256 == sha:  # the journal's record, as it is
                results.append(Added(path, known[photo.id], True))
                continue
            results.append(Added(path, photo, False))
            known[photo.id] = photo
            new.append((photo, picture.data))
        for photo, data in new:
            # Durable before the journal (written when the transaction ends) refers to it.
            store_photo_bytes(journal.path, data, photo.file_name)
        for photo, _data in new:
            journal.add_photo(photo)
    return results
