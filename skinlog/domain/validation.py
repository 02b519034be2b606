"""The one definition of a valid journal's contents: every entry, key, product and setting.

Storage runs these on every journal it reads (and on every backup it trusts), so they are
written for speed: the common stored entry (counts, products, timestamps) is checked and built
on a short path; anything else goes through ``entry_from_doc`` with its full checks and messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from skinlog.domain.dates import EARLIEST
from skinlog.domain.entry import (
    EVENTS,
    MAX_COUNT,
    MAX_NOTE,
    MAX_PRODUCTS,
    PROCEDURES,
    SYMPTOMS,
    Entry,
    Symptoms,
    entry_from_doc,
)
from skinlog.domain.photos import Photo, sort_key
from skinlog.domain.products import CATEGORIES, Product, clean_name
from skinlog.domain.regions import REGION_IDS
from skinlog.domain.settings import SETTINGS, parse_setting
from skinlog.errors import ValidationError

# Raised whenever these rules change, so a journal marked as checked under older rules is
# checked again (see storage.schema.check_mark).
CHECKS_VERSION = 1

_REGIONS = frozenset(REGION_IDS)
# Every field a stored or exported entry may have.
ENTRY_KEYS = frozenset(
    {"date", "counts", "products", "symptoms", "picked", "procedure", "note", "events", "created", "updated"}
)
_PROCEDURES = frozenset(PROCEDURES)
_EVENTS = frozenset(EVENTS)
_SYMPTOM_NAMES = frozenset(SYMPTOMS)
_PRODUCT_KEYS = frozenset({"name", "category", "heavy", "archived"})
_EARLIEST = EARLIEST.toordinal()
_LATEST = date.max.toordinal()
_NO_SYMPTOMS = Symptoms()
_new_entry = tuple.__new__


def _key(key: object, what: str) -> int:
    """A table key: the decimal digits of a positive number, nothing else."""
    if type(key) is str and key.isdigit() and key.isascii() and key[0] != "0":
        return int(key)
    raise ValidationError(f"{what} is stored under the key '{key}', which is not a number")


def check_entries_table(
    table: Mapping[str, Any], products: set[str], latest: date | None = None
) -> dict[int, Entry]:
    """Every stored entry, checked and built; keyed by the date's ordinal (the table key).

    A date stored under another date's key (so one date could appear twice), a product that is
    not in the catalogue, or any bad value raises ``ValidationError`` naming the entry.
    """
    entries: dict[int, Entry] = {}
    last = latest.toordinal() if latest else _LATEST
    # Locals, not globals, in the loop: this runs for every day of every journal read.
    new, fromordinal, known = tuple.__new__, date.fromordinal, products.issuperset
    regions, keys, procedures, events = _REGIONS, ENTRY_KEYS, _PROCEDURES, _EVENTS
    symptom_names, no_symptoms = _SYMPTOM_NAMES, _NO_SYMPTOMS
    for key, doc in table.items():
        if type(key) is str and key.isdigit() and key.isascii() and key[0] != "0":
            ordinal = int(key)
        else:
            raise ValidationError(f"an entry is stored under the key '{key}', which is not a number")
        if not _EARLIEST <= ordinal <= last:
            if ordinal > last and ordinal <= _LATEST:
                raise ValidationError(
                    f"the entry stored for {date.fromordinal(ordinal).isoformat()} is in the future "
                    f"(today is {(latest or date.max) - timedelta(days=1)})"
                )
            raise ValidationError(f"an entry is stored under the key '{key}', outside 1900-9999")
        day = fromordinal(ordinal)
        entry = None
        if type(doc) is dict and doc.keys() <= keys:
            get = doc.get
            counts: Any = get("counts")  # raw JSON: the checks below find out what they are
            names: Any = get("products")
            created, updated = get("created", ""), get("updated", "")
            symptoms, picked, procedure = get("symptoms"), get("picked", False), get("procedure", "none")
            note, happened = get("note", ""), get("events", ())
            ok = (
                type(counts) is dict
                and counts.keys() <= regions
                and type(names) is list
                and len(names) <= MAX_PRODUCTS
                and type(created) is str
                and type(updated) is str
                and get("date") == day.isoformat()
                and (picked is True or picked is False)
                and type(procedure) is str
                and procedure in procedures
                and type(note) is str
                and (not note or _plain_note(note))
                and (type(happened) is tuple or (type(happened) is list and _known_events(happened, events)))
            )
            if ok:
                for value in counts.values():
                    if type(value) is not int or not 0 < value <= MAX_COUNT:
                        ok = False
                        break
            if ok and symptoms is not None:
                if type(symptoms) is dict and symptoms.keys() <= symptom_names:
                    levels = (symptoms.get("redness", 0), symptoms.get("itch", 0), symptoms.get("pain", 0))
                    ok = all(type(v) is int and 0 <= v <= 3 for v in levels)
                    symptoms = tuple.__new__(Symptoms, levels)
                else:
                    ok = False
            if ok:
                try:
                    ok = known(names) and len(set(names)) == len(names)
                except TypeError:  # an unhashable value in the list
                    ok = False
            if ok:
                entry = new(
                    Entry,
                    (
                        day,
                        dict(counts),
                        tuple(names),
                        symptoms or no_symptoms,
                        picked,
                        procedure,
                        note,
                        created,
                        updated,
                        tuple(happened),
                    ),
                )
        if entry is None:
            entry = _check_entry(doc, day, products)
        entries[ordinal] = entry
    return entries


def _plain_note(note: str) -> bool:
    return (
        len(note) <= MAX_NOTE
        and note == note.strip()
        and note.replace("\n", "").replace("\t", "").isprintable()
    )


def _known_events(happened: list[Any], events: frozenset[str]) -> bool:
    try:
        return bool(happened) and events.issuperset(happened) and len(set(happened)) == len(happened)
    except TypeError:
        return False


def _check_entry(doc: Any, day: date, products: set[str]) -> Entry:
    """The full checks, with their messages, for an entry off the short path."""
    where = f"the entry stored for {day.isoformat()}"
    if not isinstance(doc, Mapping):
        raise ValidationError(f"{where} is not an object")
    unknown = set(doc) - ENTRY_KEYS
    if unknown:
        raise ValidationError(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
    for stamp in ("created", "updated"):
        if not isinstance(doc.get(stamp, ""), str):
            raise ValidationError(f"{where}: {stamp} must be a time stamp in text")
    try:
        entry = entry_from_doc(doc)
    except ValidationError as exc:
        detail = str(exc).removeprefix(f"{doc.get('date')}: ")
        raise ValidationError(f"{where}: {detail}") from None
    if entry.date != day:
        raise ValidationError(f"{where} holds the date {entry.date.isoformat()}")
    # Stored values are kept as skinlog writes them: a note or procedure that only passes once
    # tidied (spaces around it, other letter case) was not written by skinlog.
    if doc.get("note", "") != entry.note or doc.get("procedure", "none") != entry.procedure:
        raise ValidationError(f"{where}: its note or procedure is not stored as skinlog writes it")
    if not isinstance(doc.get("products", []), list) or len(doc.get("products", [])) != len(entry.products):
        raise ValidationError(f"{where}: bad list of products")
    missing = [name for name in entry.products if name not in products]
    if missing:
        raise ValidationError(f"{where} uses '{missing[0]}', which is not in the product catalogue")
    return entry


def check_products_table(table: Mapping[str, Any]) -> list[Product]:
    """The catalogue: named, categorised, heavy and archived true/false, names unique ignoring case."""
    catalogue: list[Product] = []
    seen: set[str] = set()
    for key, doc in table.items():
        _key(key, "a product")
        if not isinstance(doc, Mapping) or not isinstance(doc.get("name"), str):
            raise ValidationError(f"the product stored under key {key} has no name")
        name = doc["name"]
        if set(doc) - _PRODUCT_KEYS:
            raise ValidationError(f"product '{name}' has unknown fields")
        try:
            tidy = clean_name(name)
        except ValidationError as exc:
            raise ValidationError(f"product '{name}': {exc}") from None
        if tidy != name:
            raise ValidationError(f"product name '{name}' has stray spaces")
        category, heavy = doc.get("category"), doc.get("heavy", False)
        if category not in CATEGORIES:
            raise ValidationError(f"product '{name}' has an unknown category '{category}'")
        if not isinstance(heavy, bool):
            raise ValidationError(f"product '{name}': heavy must be true or false")
        archived = doc.get("archived", False)
        if not isinstance(archived, bool):
            raise ValidationError(f"product '{name}': archived must be true or false")
        folded = name.casefold()
        if folded in seen:
            raise ValidationError(f"product '{name}' appears more than once")
        seen.add(folded)
        catalogue.append(Product(name, category, heavy, archived))
    return catalogue


def check_settings_table(table: Mapping[str, Any]) -> dict[str, float]:
    """Settings: one record (key 1) of known settings, each a number in its range."""
    if not table:
        return {}
    if set(table) != {"1"} or not isinstance(table["1"], Mapping):
        raise ValidationError("the settings are not stored as one record")
    settings: dict[str, float] = {}
    for key, value in table["1"].items():
        if key not in SETTINGS:
            raise ValidationError(f"unknown setting '{key}'")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(f"setting {key} must be a number")
        settings[key] = parse_setting(key, repr(value))[1]
    return settings


def check_photos_table(table: Mapping[str, Any], latest: date | None = None) -> list[Photo]:
    """Every photo record, checked and built, in the order they are listed (by day, then by when
    they were added). A record skinlog would not write, or two records of one picture (the same
    id), raise ``ValidationError`` naming the photo."""
    photos: list[Photo] = []
    seen: set[str] = set()
    for key, doc in table.items():
        _key(key, "a photo")
        photo = Photo.from_dict(doc, latest)
        if photo.id in seen:
            raise ValidationError(f"the photo {photo.id} is recorded twice")
        seen.add(photo.id)
        photos.append(photo)
    photos.sort(key=sort_key)
    return photos


# The tables whose records an undo record keeps as they were before its change.
UNDO_TABLES = ("entries", "products", "settings", "photos")
UNDO_KINDS = frozenset({"change", "undo", "redo"})
_UNDO_KEYS = frozenset({"kind", "what", "when", "before", "after", "undoes", "size"})
MAX_UNDO_RECORDS = (
    80  # the most skinlog keeps (20 changes and the undos made since): more was not written by it
)
MAX_UNDO_WHAT = 500


def _undo_time_ok(text: str) -> bool:
    """An undo record's time as skinlog writes it: ISO 8601 with its offset. (It is the clock's
    time, not the journal's day, so it is not held against the latest day a journal may hold.)"""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return False
    return when.tzinfo is not None and when.date() >= EARLIEST


def check_undo_table(table: Mapping[str, Any]) -> None:
    """The undo history's shape: numbered records, each saying what its change was, when, and
    the records it changed as they were before it (or None when the change was too large to
    keep). The records kept are checked again, in full, before an undo writes them back."""
    if len(table) > MAX_UNDO_RECORDS:
        raise ValidationError("the undo history holds more changes than skinlog keeps")
    for key, doc in table.items():
        _key(key, "an undo record")
        where = f"the undo record {key}"
        if type(doc) is not dict or doc.keys() != _UNDO_KEYS:
            raise ValidationError(f"{where} does not have the fields skinlog writes")
        what, undoes, size = doc["what"], doc["undoes"], doc["size"]
        if doc["kind"] not in UNDO_KINDS:
            raise ValidationError(f"{where} is of an unknown kind")
        if type(what) is not str or not 0 < len(what) <= MAX_UNDO_WHAT or not what.isprintable():
            raise ValidationError(f"{where} does not say what its change was")
        if type(doc["when"]) is not str or type(doc["after"]) is not str or not _undo_time_ok(doc["when"]):
            raise ValidationError(f"{where} has a bad time stamp or fingerprint")
        if undoes is not None and (type(undoes) is not int or not 0 < undoes < int(key)):
            raise ValidationError(f"{where} names a change it undoes that cannot be")
        if type(size) is not int or size < 0:
            raise ValidationError(f"{where} has a bad size")
        before = doc["before"]
        if before is None:
            continue
        if type(before) is not dict or not before.keys() <= set(UNDO_TABLES):
            raise ValidationError(f"{where} keeps records of a table skinlog does not know")
        for name, records in before.items():
            if type(records) is not dict:
                raise ValidationError(f"{where} keeps its {name} in a bad shape")
            for record_key, record in records.items():
                _key(record_key, f"a record kept by {where}")
                if record is not None and type(record) is not dict:
                    raise ValidationError(f"{where} keeps a record that is not an object")
