"""Photos as both interfaces use them: listing, finding one by id or date, removing, checking.

Nothing here imports Pillow: adding a picture (which reads and re-encodes it) is in
``skinlog.services.photo_add``, loaded only by the commands that add photos.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from skinlog.domain.photos import ID_LENGTH, Photo
from skinlog.errors import NotFoundError, UsageError
from skinlog.storage.photos import photo_dir, photo_file, stored_files, verify_photo

if TYPE_CHECKING:
    from skinlog.storage import Journal

__all__ = [
    "CheckReport",
    "Problem",
    "check_journal",
    "find_photo",
    "list_photos",
    "photo_dir",
    "photo_file",
    "photos_on",
    "prune_photo_files",
    "remove_photo",
    "unused_photo_files",
]


def list_photos(
    journal: Journal, region: str | None = None, since: date | None = None, until: date | None = None
) -> list[Photo]:
    """The journal's photos by day (then by when they were added), optionally only those showing
    ``region`` (a region id) and those dated within ``since``..``until`` (both included)."""
    return [
        p
        for p in journal.photos()
        if (region is None or region in p.regions)
        and (since is None or p.day >= since)
        and (until is None or p.day <= until)
    ]


def find_photo(journal: Journal, ref: str) -> Photo:
    """The photo whose id is ``ref`` or starts with it (at least 4 characters, one match)."""
    wanted = ref.strip().lower()
    if len(wanted) < 4 or len(wanted) > ID_LENGTH or not all(c in "0123456789abcdef" for c in wanted):
        raise UsageError(f"'{ref[:40]}' is not a photo id (see 'skinlog photo list')")
    found = [p for p in journal.photos() if p.id.startswith(wanted)]
    if not found:
        raise NotFoundError(f"there is no photo {wanted} (see 'skinlog photo list')")
    if len(found) > 1:
        raise UsageError(f"'{wanted}' is the start of {len(found)} photo ids; give more of it")
    return found[0]


def photos_on(journal: Journal, day: date, region: str | None = None) -> list[Photo]:
    """The photos of one day (optionally showing ``region``), in the order they were added."""
    return list_photos(journal, region=region, since=day, until=day)


def remove_photo(journal: Journal, ref: str) -> Photo:
    """Take a photo out of the journal (one undoable change). Its file stays in the photo folder:
    the undo history and backups may still refer to it (``skinlog check`` lists files no longer
    referred to by the journal)."""
    with journal.transaction():
        photo = find_photo(journal, ref)
        return journal.remove_photo(photo.id)


@dataclass(frozen=True)
class Problem:
    """One thing ``skinlog check`` found wrong."""

    what: str  # "journal" or a photo id
    detail: str


@dataclass(frozen=True)
class CheckReport:
    photos: int  # photo records checked
    problems: tuple[Problem, ...]
    unreferenced: tuple[Path, ...]  # files in the photo folder the journal does not refer to

    @property
    def ok(self) -> bool:
        return not self.problems


def check_journal(journal: Journal) -> CheckReport:
    """Check the journal (every record, as every read does) and every photo file against its
    record: there, the size recorded, the hash recorded. Never changes anything."""
    from skinlog.errors import JournalError

    try:
        journal.check_readable()
        journal.entries()  # every entry built and checked, whatever the check mark says
        photos = journal.photos()
    except JournalError as exc:
        return CheckReport(0, (Problem("journal", str(exc)),), ())
    problems = []
    for photo in photos:
        wrong = verify_photo(journal.path, photo)
        if wrong is not None:
            problems.append(Problem(photo.id, f"{photo_file(journal.path, photo)} {wrong}"))
    named = {photo.file_name for photo in photos}
    unreferenced = tuple(p for p in stored_files(journal.path) if p.name not in named)
    return CheckReport(len(photos), tuple(problems), unreferenced)


def unused_photo_files(journal: Journal) -> list[Path]:
    """Picture files that neither the journal, its undo history nor any kept backup refers to."""
    if journal.stamp() is None:
        return []
    folder = photo_dir(journal.path)
    return [folder / name for name in journal.unused_photo_files()]


def prune_photo_files(journal: Journal, only: list[Path]) -> list[Path]:
    """Delete those of ``only`` that are still unused (checked again under the journal's lock)."""
    folder = photo_dir(journal.path)
    return [folder / name for name in journal.prune_photo_files({p.name for p in only})]
