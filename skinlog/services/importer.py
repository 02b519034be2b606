"""Importing a skinlog JSON export: validate all of it first, then apply it in one write."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from skinlog.domain.dates import latest_stored
from skinlog.domain.entry import Entry, entry_from_doc
from skinlog.domain.photos import Photo
from skinlog.domain.products import Product
from skinlog.domain.regions import REGION_IDS
from skinlog.domain.validation import (
    ENTRY_KEYS,
    check_photos_table,
    check_products_table,
    check_settings_table,
)
from skinlog.errors import ConflictError, SkinlogError, ValidationError
from skinlog.services.export import FORMAT_NAME, VERSION
from skinlog.storage import MAX_JOURNAL_BYTES

if TYPE_CHECKING:
    from skinlog.storage import Journal

# The cap must let through the export of every journal skinlog accepts, or a round trip breaks.
# An export restates the journal indented, with all 20 regions of every day, each product's days
# and a weekly summary. Per byte of journal that is under 3.5 bytes (the worst case is a catalogue
# of products with one-letter names: about 151 bytes in the export for 48 in the journal; a growth
# of 4 leaves room for fields a later export version adds). Per calendar day it adds under 1 KB on
# top (about 820 bytes for a day with nothing in it, 240 bytes per week of summary), and entries
# fall between 1900 and today: under 56,000 days until 2053. tests/test_import_limits.py checks
# these figures against real exports and fails if an export outgrows them.
EXPORT_GROWTH = 4
EXPORT_BYTES_PER_DAY = 1024
MAX_DAYS = 56_000
MAX_IMPORT_BYTES = EXPORT_GROWTH * MAX_JOURNAL_BYTES + EXPORT_BYTES_PER_DAY * MAX_DAYS + 1024 * 1024
KNOWN_VERSIONS = (1, 2)
Progress = Callable[[int, int], None]


class ImportFailed(SkinlogError):
    """The file cannot be imported; the journal is left as it was."""


class ExportContent(NamedTuple):
    """A validated export: what an import can restore."""

    entries: list[Entry]
    products: list[Product]
    settings: dict[str, Any]
    journal_id: str | None = None  # version 2 carries the id of the journal it came from
    photos: tuple[Photo, ...] = ()  # version 2 lists the photos' records (the pictures are not in it)


class ImportPlan(NamedTuple):
    """What an import would do to the journal."""

    mode: str
    add: list[Entry]
    replace: list[Entry]
    unchanged: int
    conflicts: list[date]  # merge: days in both that differ (the journal's are kept)
    new_products: list[Product]
    content: ExportContent
    photos: tuple[Photo, ...] = ()  # the photos the journal records afterwards that it did not before
    photos_kept: tuple[Photo, ...] = ()  # new or replace: the export's photos the journal already had
    photos_skipped: tuple[Photo, ...] = ()  # listed, but no picture to restore them from

    @property
    def photo_records(self) -> list[Photo]:
        """new and replace: every photo the journal records afterwards."""
        return [*self.photos_kept, *self.photos]

    def describe(self) -> str:
        def days(n: int) -> str:
            return f"{n} day{'s' if n != 1 else ''}"

        parts = [f"{days(len(self.add))} new"]
        if self.replace:
            parts.append(f"{days(len(self.replace))} replaced")
        if self.unchanged:
            parts.append(f"{days(self.unchanged)} already the same")
        if self.conflicts:
            parts.append(
                f"{days(len(self.conflicts))} different from the journal's, which are kept "
                f"(first {self.conflicts[0].isoformat()})"
            )
        if self.new_products:
            parts.append(f"{len(self.new_products)} new product{'s' if len(self.new_products) != 1 else ''}")
        if self.photos:
            parts.append(f"{len(self.photos)} photo{'s' if len(self.photos) != 1 else ''}")
        if self.photos_skipped:
            n = len(self.photos_skipped)
            parts.append(
                f"{n} photo{'s' if n != 1 else ''} left out: a JSON export lists photos but holds no "
                "pictures (import the bundle export to restore them)"
            )
        return ", ".join(parts)


def _fail(path: str, message: str) -> ImportFailed:
    return ImportFailed(f"cannot import {path}: {message}; the journal was not changed")


def read_export(path: str, today: date, progress: Progress | None = None) -> ExportContent:
    """Read and fully validate an export file; any problem raises one clear error."""
    import orjson

    from skinlog.strictjson import DuplicateKeyError, loads_unique

    try:
        info = os.stat(path)
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):
            raise _fail(path, "it is not a regular file")  # a pipe or device could block or never end
        if size > MAX_IMPORT_BYTES:
            raise _fail(
                path,
                f"the file is too large ({size / 1024 / 1024:.1f} MB; at most "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB)",
            )
        with open(path, "rb") as handle:
            # read(n) sets aside n bytes first: ask for what the file holds, not for the cap.
            raw = handle.read(min(os.fstat(handle.fileno()).st_size, MAX_IMPORT_BYTES) + 1)
        if len(raw) > MAX_IMPORT_BYTES:
            raise _fail(path, f"the file is too large (more than {MAX_IMPORT_BYTES // 1024 // 1024} MB)")
    except OSError as exc:
        raise _fail(path, exc.strerror.lower() if exc.strerror else str(exc)) from None
    try:
        # Our own exports parse on the fast path; anything else is checked key by key.
        document = loads_unique(raw, options=(orjson.OPT_INDENT_2,))
    except DuplicateKeyError as exc:
        raise _fail(path, f"it is not a valid export ({exc})") from None
    except RecursionError:
        raise _fail(path, "it is not valid JSON (nested too deeply)") from None
    except ValueError as exc:
        deep = any(word in str(exc).lower() for word in ("recursion", "depth"))
        detail = "nested too deeply" if deep else "damaged or cut short"
        raise _fail(path, f"it is not valid JSON ({detail})") from None
    try:
        return validate_export(document, today, progress)
    except ValidationError as exc:
        raise _fail(path, str(exc)) from None


DERIVED = ("weekly", "flags", "summary", "evaluations")
"""Sections an export works out from the entries: an import reads none of them (it works them
out again from what it imports)."""


def validate_export(document: Any, today: date, progress: Progress | None = None) -> ExportContent:
    """Check every part of an export document; raise ValidationError naming the first problem."""
    latest = latest_stored(today)  # the same last date a journal may hold
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ValidationError("it is not a skinlog export")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationError("the export has no version")
    if version > VERSION:
        raise ValidationError(
            f"it was made by a newer skinlog (export version {version}; this one reads "
            f"up to {VERSION}): upgrade skinlog to import it"
        )
    if version not in KNOWN_VERSIONS:
        raise ValidationError(f"export version {version} is not one this skinlog knows")
    journal_id = _journal_id(document, version)
    products = _products(document.get("products", []))
    settings = _settings(document.get("settings", {}))
    raw_entries = document.get("entries")
    if not isinstance(raw_entries, list):
        raise ValidationError("the export has no list of entries")
    entries: list[Entry] = []
    seen: set[date] = set()
    names = {p.name for p in products}
    step = max(1, len(raw_entries) // 20)
    for n, raw in enumerate(raw_entries, 1):
        if not isinstance(raw, Mapping):
            raise ValidationError(f"entry {n} is not an object")
        unknown = set(raw) - ENTRY_KEYS
        if unknown:
            raise ValidationError(f"entry {n} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
        counts = raw.get("counts")
        if isinstance(counts, Mapping):
            stray = [r for r in counts if r not in REGION_IDS]
            if stray:
                raise ValidationError(f"entry {n} ({raw.get('date')}) has an unknown region '{stray[0]}'")
        entry = entry_from_doc(raw)
        if entry.events and version < 2:
            raise ValidationError(
                f"entry {n} ({entry.date.isoformat()}) has events, which need export version 2"
            )
        if entry.date in seen:
            raise ValidationError(f"{entry.date.isoformat()} appears more than once")
        if entry.date > latest:
            raise ValidationError(f"{entry.date.isoformat()} is in the future")
        missing = [p for p in entry.products if p not in names]
        if missing:
            raise ValidationError(
                f"{entry.date.isoformat()} uses '{missing[0]}', which is not in the export's products"
            )
        seen.add(entry.date)
        entries.append(entry)
        if progress and (n % step == 0 or n == len(raw_entries)):
            progress(n, len(raw_entries))
    entries.sort(key=lambda e: e.date)
    photos = _photos(document.get("photos", []), version, latest)
    return ExportContent(entries, products, settings, journal_id, tuple(photos))


def _photos(raw: Any, version: int, latest: date) -> list[Photo]:
    """The photos' records, held to the same rules as a journal's (``check_photos_table``)."""
    if version < 2 and raw:
        raise ValidationError("a version 1 export cannot list photos")
    if not isinstance(raw, list):
        raise ValidationError("photos must be a list")
    return check_photos_table({str(n): doc for n, doc in enumerate(raw, 1)}, latest)


def _journal_id(document: Mapping[str, Any], version: int) -> str | None:
    """Version 2 names the journal it came from; version 1 has no id."""
    import uuid

    raw = document.get("journal_id")
    if version < 2:
        if raw is not None:
            raise ValidationError("a version 1 export cannot carry a journal id")
        return None
    if not isinstance(raw, str):
        raise ValidationError("the export has no journal id")
    try:
        value = uuid.UUID(raw)
    except ValueError:
        raise ValidationError("the export's journal id is not a UUID") from None
    if str(value) != raw:
        raise ValidationError(
            "the export's journal id is not a UUID in its usual form (lower case, with dashes)"
        )
    return raw


# Fields an export adds to each product (derived from the entries; not imported).
_DERIVED_PRODUCT_FIELDS = ("days_used", "first_used", "last_used")


def _products(raw: Any) -> list[Product]:
    """The export's catalogue, held to the same rules as a journal's (``check_products_table``)."""
    if not isinstance(raw, list):
        raise ValidationError("products must be a list")
    table = {}
    for n, item in enumerate(raw, 1):
        if not isinstance(item, Mapping):
            raise ValidationError("every product needs a name")
        table[str(n)] = {k: v for k, v in item.items() if k not in _DERIVED_PRODUCT_FIELDS}
    return check_products_table(table)


def _settings(raw: Any) -> dict[str, Any]:
    """The export's settings, held to the same rules as a journal's (``check_settings_table``)."""
    if not isinstance(raw, Mapping):
        raise ValidationError("settings must be an object")
    return check_settings_table({"1": raw} if raw else {})


def plan_import(
    journal: Journal, content: ExportContent, mode: str, pictures: frozenset[str] = frozenset()
) -> ImportPlan:
    """What importing ``content`` in ``mode`` (new, merge or replace) would change.

    A photo is restored when its picture comes with the import (``pictures``: the file names a
    bundle holds, verified) or is already beside the journal, verified against its hash; the
    others are left out and said so (a JSON export holds no pictures)."""
    current = {e.date: e for e in journal.entries()}
    if mode == "new" and current:
        raise ConflictError(
            f"the journal already has {len(current)} entries: add --merge to add the export's other days, "
            "or --replace to make the journal exactly the export"
        )
    # A product the journal already has under another case ("RETINOL", "Retinol") keeps the
    # journal's spelling, in the catalogue and in the days that name it.
    spelling = {p.name.casefold(): p.name for p in journal.products()} if mode == "merge" else {}
    add, replace, conflicts, unchanged = [], [], [], 0
    for entry in content.entries:
        if spelling and entry.products:
            entry = entry._replace(products=tuple(spelling.get(n.casefold(), n) for n in entry.products))
        mine = current.get(entry.date)
        if mine is None:
            add.append(entry)
        elif mine.to_public() == entry.to_public():
            unchanged += 1
        elif mode == "replace":
            replace.append(entry)
        else:
            conflicts.append(entry.date)
    known = {p.name.casefold() for p in journal.products()}
    new_products = [p for p in content.products if p.name.casefold() not in known]
    photos, kept, skipped = _plan_photos(journal, content, mode, pictures)
    return ImportPlan(mode, add, replace, unchanged, conflicts, new_products, content, photos, kept, skipped)


def _plan_photos(
    journal: Journal, content: ExportContent, mode: str, pictures: frozenset[str]
) -> tuple[tuple[Photo, ...], tuple[Photo, ...], tuple[Photo, ...]]:
    """The export's photos the journal gets (new to it), keeps (it has them already: new and
    replace) and leaves out (no picture to restore them from)."""
    from skinlog.storage.photos import verify_photo

    mine = {p.id: p for p in journal.photos()}
    new, kept, skipped = [], [], []
    for photo in content.photos:
        if photo.id in mine and mine[photo.id].sha256 != photo.sha256:
            raise ConflictError(
                f"the journal has another picture with the id {photo.id}; nothing was imported"
            )
        if photo.id in mine and mode == "merge":
            continue  # the journal's record is kept, as its days are
        if photo.id in mine:  # new or replace: the export's record, of a picture the journal has
            kept.append(photo)
        elif photo.file_name in pictures or verify_photo(journal.path, photo) is None:
            new.append(photo)
        else:
            skipped.append(photo)
    return tuple(new), tuple(kept), tuple(skipped)


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def apply_import(journal: Journal, plan: ImportPlan) -> None:
    """Carry out a plan in one write."""
    content = plan.content
    if plan.mode in ("new", "replace"):
        # The journal becomes the export's: it takes its id too, so a clinic that filed the
        # FHIR export of the original sees the restored journal as the same person's.
        with journal.transaction(what=f"imported {_days(len(content.entries))}"):
            journal.replace_all(content.entries, content.products, content.settings, plan.photo_records)
            if content.journal_id:
                journal.adopt_journal_id(content.journal_id)
        return
    with journal.transaction(what=f"imported {_days(len(plan.add) + len(plan.replace))} (merged)"):
        entries = {e.date: e for e in journal.entries()}
        for entry in plan.add:
            entries[entry.date] = entry
        products = journal.products() + plan.new_products
        settings = {**content.settings, **journal.settings()}
        journal.replace_all(
            sorted(entries.values(), key=lambda e: e.date),
            products,
            settings,
            [*journal.photos(), *plan.photos],
        )
