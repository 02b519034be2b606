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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skinlog.domain.photos import EXTENSIONS, Photo
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


def read_photo(journal: PathLike, photo: Photo) -> bytes | None:
    """The bytes of a photo's file when they are the picture recorded (size and hash), else None
    (missing, a link, unreadable or altered: ``verify_photo`` says which)."""
    path = photo_file(journal, photo)
    try:
        if path.is_symlink() or not path.is_file():
            return None
        with open(path, "rb") as handle:
            data = handle.read(photo.size + 1)
    except OSError:
        return None
    if len(data) != photo.size or sha256_hex(data) != photo.sha256:
        return None
    return data


def stored_files(journal: PathLike) -> list[Path]:
    """The picture files in a journal's photo folder (temp files left out)."""
    folder = photo_dir(journal)
    try:
        names = sorted(n for n in os.listdir(folder) if not n.startswith("."))
    except OSError:
        return []
    return [folder / n for n in names]


def is_photo_file_name(name: str) -> bool:
    """A name skinlog gives a picture file (``<sha256>.<ext>``); nothing else is ever deleted."""
    stem, _, ext = name.partition(".")
    return ext in EXTENSIONS.values() and len(stem) == 64 and all(c in "0123456789abcdef" for c in stem)


def _names_in(tables: Mapping[str, Any]) -> set[str]:
    """The picture files a journal's tables refer to: its photos and those its undo history keeps."""
    records: list[Any] = list((tables.get("photos") or {}).values())
    for change in (tables.get("undo") or {}).values():
        before = change.get("before") if isinstance(change, dict) else None
        if isinstance(before, dict):
            records += list((before.get("photos") or {}).values())
    names = set()
    for doc in records:
        if (
            isinstance(doc, dict)
            and isinstance(doc.get("sha256"), str)
            and doc.get("media_type") in EXTENSIONS
        ):
            names.add(f"{doc['sha256']}.{EXTENSIONS[doc['media_type']]}")
    return names


def files_in_use(journal: PathLike, tables: Mapping[str, Any]) -> set[str]:
    """The names of every picture file the journal (``tables``, as read under its lock), its undo
    history or any of its kept backups refers to. A backup that cannot be read raises
    ``JournalError``: then nobody can say which files it needs, so none may be deleted."""
    import orjson

    from skinlog.storage.backups import list_backups
    from skinlog.storage.files import read_regular_file

    names = _names_in(tables)
    for backup in list_backups(journal_path(journal)):
        try:
            kept = orjson.loads(read_regular_file(backup, "a backup")[0])
        except (OSError, ValueError, JournalError):
            raise JournalError(
                f"the backup {backup} cannot be read, so skinlog cannot tell which pictures it needs; "
                "no picture was deleted"
            ) from None
        if isinstance(kept, dict):
            names |= _names_in(kept)
    return names


def delete_photo_files(journal: PathLike, names: set[str]) -> list[Path]:
    """Delete these files from the photo folder (the caller holds the journal's lock and has
    checked that nothing refers to them); returns the ones deleted."""
    folder = photo_dir(journal)
    deleted = []
    for name in sorted(names):
        path = folder / name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise JournalError(f"cannot delete {path}: {os_reason(exc)}") from None
        deleted.append(path)
    if deleted:
        from skinlog.storage.files import fsync_dir

        fsync_dir(str(folder))
    return deleted
