"""Photo files: the folder beside the journal that holds them, and writing one durably.

Each stored picture is one file, 0600, in a folder the journal owns (0700), named by the SHA-256
of its bytes (``Photo.file_name``). A file is written in full and made durable (temp file in the
same folder, fsync, link into place, fsync of the folder) before the journal refers to it, so
the journal never names a file that is not there. Files are never deleted when a photo is
removed: a removal can be undone, and backups keep referring to them (see ``unreferenced``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from skinlog.domain.photos import Photo
from skinlog.errors import JournalError, os_reason
from skinlog.storage.files import (
    PathLike,
    ensure_dir,
    journal_path,
    remove_stale_temp_files,
    write_new_file,
)


def photo_dir(journal: PathLike) -> Path:
    """The folder of a journal's photos: ``<journal file>.photos`` beside it (as its backups
    are ``<journal file>.backups``), so two journals in one folder never share pictures."""
    return Path(journal_path(journal) + ".photos")


def photo_file(journal: PathLike, photo: Photo) -> Path:
    """Where the picture of ``photo`` is stored."""
    return photo_dir(journal) / photo.file_name


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def store_photo_bytes(journal: PathLike, data: bytes, file_name: str) -> Path:
    """Write a picture's bytes as ``file_name`` in the journal's photo folder, durably, 0600.

    A file of that name already there (the same picture stored before) is kept when its bytes
    are the same; a file of that name with other bytes (damaged) is refused, never replaced.
    Call it before the journal refers to the file.
    """
    folder = photo_dir(journal)
    target = folder / file_name
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise JournalError(
            f"cannot keep photos in {folder}: it is a link or not a folder, which skinlog never writes "
            "through; nothing was changed"
        )
    try:
        ensure_dir(str(folder))
        os.chmod(folder, 0o700)
        remove_stale_temp_files(str(folder))
        if write_new_file(str(target), data):
            return target
        with open(target, "rb") as handle:
            same = handle.read(len(data) + 1) == data
    except OSError as exc:
        raise JournalError(
            f"cannot store the photo in {folder}: {os_reason(exc)}; nothing was changed"
        ) from None
    if not same:
        raise JournalError(
            f"{target} is there but does not hold the picture its name says (damaged?): "
            "see 'skinlog check'; nothing was changed"
        )
    return target


def verify_photo(journal: PathLike, photo: Photo) -> str | None:
    """What is wrong with a photo's file (missing, wrong size, altered), or None when it is fine."""
    path = photo_file(journal, photo)
    try:
        if path.is_symlink() or not path.is_file():
            return "missing" if not path.is_symlink() else "is a link, not a file"
        size = path.stat().st_size
        if size != photo.size:
            return f"wrong size ({size} bytes, {photo.size} recorded)"
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        return f"cannot be read ({os_reason(exc)})"
    if digest.hexdigest() != photo.sha256:
        return "altered (its bytes do not match its hash)"
    return None


def stored_files(journal: PathLike) -> list[Path]:
    """The picture files in a journal's photo folder (temp files left out)."""
    folder = photo_dir(journal)
    try:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        return []
    return [folder / n for n in names]
