"""The journal's schema: parsing and checking its bytes, schema versions, migrations, the check mark."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from skinlog.domain.dates import latest_stored
from skinlog.domain.entry import Entry
from skinlog.domain.validation import (
    CHECKS_VERSION,
    check_entries_table,
    check_photos_table,
    check_products_table,
    check_settings_table,
    check_undo_table,
)
from skinlog.errors import JournalCorruptError, JournalTooNewError, ValidationError
from skinlog.storage.undo import UNDO
from skinlog.strictjson import DuplicateKeyError, loads_unique

SCHEMA_VERSION = 4

META, ENTRIES, PRODUCTS, SETTINGS, PHOTOS = "_meta", "entries", "products", "settings", "photos"
TABLES = (META, ENTRIES, PRODUCTS, SETTINGS, UNDO, PHOTOS)
# The whole journal as TinyDB keeps it: table name -> record key (a number as text) -> record.
Tables = dict[str, dict[str, Any]]
# Journal ids migrated from schema 1 are uuid5 names in this namespace.
JOURNAL_ID_NAMESPACE = "5b1c0f4e-8f3a-4c52-9d07-2f6a1e9c3b10"
# A journal id as str(uuid.UUID(...)) writes it; uuid itself is imported only to make one.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def new_journal_id() -> str:
    import uuid

    return str(uuid.uuid4())


def new_meta() -> dict[str, Any]:
    """The ``_meta`` record of a journal written for the first time."""
    return {"schema_version": SCHEMA_VERSION, "app": "skinlog", "journal_id": new_journal_id()}


def is_journal_id(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def dumps(data: Tables) -> bytes:
    """A journal's bytes as written to disk."""
    return orjson.dumps(data)


def _schema_1_to_2(data: Tables) -> Tables:
    """Schema 2 adds entry events (optional, so entries need nothing) and the journal id, which
    ``load_journal_bytes`` gives a migrated journal (it needs the file's identity)."""
    return data


def _migrated_journal_id(data: Tables, path: str, stamp: object) -> str:
    """The id of a journal that had none (schema 1).

    It must be the same on every read until the next write stores it (two exports of an
    untouched schema-1 journal then agree), and differ between two people's journals even when
    their contents are the same (two new journals): it is derived from the content together
    with the file's path and identity (device, inode, modification time), which no read changes.
    """
    content = orjson.dumps({k: v for k, v in data.items() if k != META}, option=orjson.OPT_SORT_KEYS)
    import hashlib
    import uuid

    seed = hashlib.sha256(content + f"|{path}|{stamp}".encode()).hexdigest()
    return str(uuid.uuid5(uuid.UUID(JOURNAL_ID_NAMESPACE), seed))


def _schema_2_to_3(data: Tables) -> Tables:
    """Schema 3 adds the undo history (a table of its own, which skinlog before schema 3 would
    refuse as unknown: hence the new version). A journal without it has no changes to undo."""
    return data


def _schema_3_to_4(data: Tables) -> Tables:
    """Schema 4 adds photos (a table of their own, and undo records that keep photo records,
    both of which skinlog before schema 4 would refuse: hence the new version). A journal
    without the table has no photos."""
    return data


# Steps that bring a journal from schema N to N + 1; each takes and returns the raw tables.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: _schema_1_to_2, 2: _schema_2_to_3, 3: _schema_3_to_4}


def parse_journal_bytes(raw: bytes, path: str) -> Tables:
    """Parse and fully check a journal file's bytes; raise a clear error for anything else."""
    return load_journal_bytes(raw, path)[0]


def load_journal_bytes(
    raw: bytes, path: str, stamp: object = None, check_entries: bool = True
) -> tuple[Tables, dict[int, Entry] | None]:
    """Parse a journal file's bytes and check all of it (the one definition of a valid journal).

    Returns the raw tables and every entry, built once, keyed by the date's ordinal. Anything
    that is not a valid journal raises ``JournalCorruptError`` (or ``JournalTooNewError``).
    ``check_entries=False`` is only for bytes that carry skinlog's check mark (``check_mark``):
    their entries, keys and undo history were checked when they were written, and entries are
    built when asked for.
    """
    try:
        data = loads_unique(raw) if check_entries else orjson.loads(raw)
    except DuplicateKeyError as exc:
        raise JournalCorruptError(f"the journal {path} is damaged: {exc}") from None
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        raise JournalCorruptError(
            f"cannot read the journal {path}: it is not valid JSON (damaged or cut short)"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get(META), dict):
        raise JournalCorruptError(f"{path} is not a skinlog journal")
    meta = data[META].get("1")
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise JournalCorruptError(f"{path} is not a skinlog journal (no schema version)")
    if version > SCHEMA_VERSION:
        raise JournalTooNewError(
            f"{path} was written by a newer skinlog (journal schema {str(version)[:12]}; this version "
            f"reads up to {SCHEMA_VERSION}): upgrade skinlog to open it; nothing was changed"
        )
    migrated = version < 2
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data[META]["1"]["schema_version"] = version
    if migrated and "journal_id" not in data[META]["1"]:
        data[META]["1"]["journal_id"] = _migrated_journal_id(data, path, stamp)
    damaged = f"the journal {path} is damaged"
    unknown = set(data) - set(TABLES)
    if unknown:
        raise JournalCorruptError(f"{damaged}: it has a table skinlog does not know ('{sorted(unknown)[0]}')")
    for table in (ENTRIES, PRODUCTS, SETTINGS, UNDO, PHOTOS):
        if not isinstance(data.get(table, {}), dict):
            raise JournalCorruptError(f"{path} is not a skinlog journal (bad '{table}' table)")
    if set(data[META]) != {"1"} or set(data[META]["1"]) - {"schema_version", "app", "journal_id"}:
        raise JournalCorruptError(f"{damaged}: its '_meta' record has fields skinlog does not know")
    if data[META]["1"].get("app", "skinlog") != "skinlog":
        raise JournalCorruptError(f"{damaged}: its '_meta' record does not say it was written by skinlog")
    if not is_journal_id(data[META]["1"].get("journal_id")):
        raise JournalCorruptError(f"{damaged}: its journal id is missing or not a UUID")
    latest = latest_stored()  # outside the try: a bad SKINLOG_TODAY is not the journal's damage
    try:
        catalogue = check_products_table(data.get(PRODUCTS, {}))
        check_settings_table(data.get(SETTINGS, {}))
        check_photos_table(data.get(PHOTOS, {}), latest)  # few and cheap: checked on every read
        if check_entries:  # the undo history holds past entries: checked (or trusted) with them
            check_undo_table(data.get(UNDO, {}))
        entries = (
            check_entries_table(data.get(ENTRIES, {}), {p.name for p in catalogue}, latest)
            if check_entries
            else None
        )
    except ValidationError as exc:
        raise JournalCorruptError(f"the journal {path} is damaged: {exc}") from None
    return data, entries


def check_mark(raw: bytes) -> str:
    """A mark of journal bytes that passed every check, kept in the lock file after each write.

    When the journal's bytes still carry the mark of skinlog's last write (same size and CRC-32,
    same rules), nobody changed the file since it was checked and written, so a change under the
    lock need not check every entry again (one day in a ten-year journal then costs a
    millisecond, not ten). Any other file, edited by hand, damaged, or written before the mark
    existed, is checked in full. The mark only ever saves work; it never lets a changed file by.
    """
    import zlib

    return f"{SCHEMA_VERSION}.{CHECKS_VERSION}:{len(raw)}:{zlib.crc32(raw):08x}"
