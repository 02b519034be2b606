"""The undo history kept in the journal file: one record per change, with the records it changed
as they were before it.

Every change to entries, products or settings (one outermost transaction) adds a record, in the
same write: what the change was in words, when, the before-image of exactly the records it
changed (``None`` for a record that did not exist), and a fingerprint of those records as the
change left them. Undoing puts the before-image back as a new change (kind "undo"), so an undo is
itself kept and can be undone ("redo"). The fingerprint lets an undo refuse when the records were
changed since by something that is still in effect.

The newest ``KEEP`` changes are kept, with the undos and redos made since (at most
``MAX_RECORDS`` records in all). A change whose before-image is larger than ``MAX_RECORD_BYTES``
(an import over a long journal, a rename used on thousands of days) is kept without it: it is
listed, and refuses to be undone, saying so. The before-images kept together stay under
``MAX_TOTAL_BYTES``, so the history never makes the file much larger than the journal itself.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import Any, NamedTuple

import orjson

from skinlog.domain.validation import MAX_UNDO_RECORDS, UNDO_TABLES

UNDO = "undo"
KEEP = 20
MAX_RECORDS = MAX_UNDO_RECORDS  # 4 * KEEP: the changes kept and the undos made since
MAX_RECORD_BYTES = 1 << 20  # about five years of days
MAX_TOTAL_BYTES = 2 << 20

# table -> record key -> the record as it was (None: it did not exist)
Images = dict[str, dict[str, Any]]


class Change(NamedTuple):
    """One kept change, as ``undo --list`` and the undo question show it."""

    id: int
    kind: str  # "change", "undo" (of change ``undoes``) or "redo" (an undo of an undo)
    what: str  # the change undone or redone for "undo" and "redo"
    when: str
    undoes: int | None
    before: Images | None  # None: too large to keep
    live: bool  # in effect (not undone by a later undo that is itself in effect)

    @property
    def title(self) -> str:
        """The change in words, as listed: "saved 2026-11-20", "undo of saved 2026-11-20"."""
        if self.kind == "undo":
            return f"undo of {self.what}"
        if self.kind == "redo":
            return f"redo of {self.what}"
        return self.what


def fingerprint(tables: Mapping[str, Mapping[str, Any]], images: Images) -> str:
    """The records named in ``images`` as they are in ``tables``, in a few characters."""
    now = {name: {key: tables.get(name, {}).get(key) for key in keys} for name, keys in images.items()}
    raw = orjson.dumps(now, option=orjson.OPT_SORT_KEYS)
    return f"{len(raw)}:{zlib.crc32(raw):08x}:{zlib.adler32(raw):08x}"


def changed_images(before: Images, tables: Mapping[str, Mapping[str, Any]]) -> Images:
    """``before`` without the records the change left as they were."""
    kept: Images = {}
    for name, records in before.items():
        table = tables.get(name, {})
        changed = {key: doc for key, doc in records.items() if table.get(key) != doc}
        if changed:
            kept[name] = changed
    return kept


def add_record(
    tables: dict[str, dict[str, Any]], before: Images, what: str, when: str, kind: str, undoes: int | None
) -> None:
    """Add the record of a change that left ``tables`` as they are; keep the newest ``KEEP``."""
    history = tables.setdefault(UNDO, {})
    raw = orjson.dumps(before)
    size = len(raw)
    record = {
        "kind": kind,
        "what": what[:500],
        "when": when,
        "before": before if size <= MAX_RECORD_BYTES else None,
        "after": fingerprint(tables, before),
        "undoes": undoes,
        "size": size,
    }
    number = max((int(key) for key in history), default=0) + 1
    history[str(number)] = record
    keys = sorted(history, key=int)
    # The newest KEEP changes are kept with the undos and redos made since (an undo does not
    # push a change out), but never more than MAX_RECORDS records.
    made = [key for key in keys if history[key]["kind"] == "change"]
    first = keys.index(made[-KEEP]) if len(made) >= KEEP else 0
    first = max(first, len(keys) - MAX_RECORDS)
    for key in keys[:first]:
        del history[key]
    total = 0
    for key in reversed(keys[first:]):
        kept = history[key]
        if kept["before"] is None:
            continue
        total += kept["size"]
        if total > MAX_TOTAL_BYTES:
            history[key] = {**kept, "before": None}


def changes(history: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    """The kept changes, newest first, each saying whether it is still in effect."""
    undone: set[int] = set()
    found: list[Change] = []
    for key in sorted(history, key=int, reverse=True):
        doc = history[key]
        number = int(key)
        live = number not in undone
        if live and doc["undoes"] is not None:
            undone.add(doc["undoes"])
        found.append(
            Change(number, doc["kind"], doc["what"], doc["when"], doc["undoes"], doc["before"], live)
        )
    return found


def next_undo(history: Mapping[str, Mapping[str, Any]]) -> Change | None:
    """The change an undo reverts: the newest change (or redo) still in effect."""
    return next((c for c in changes(history) if c.live and c.kind != "undo"), None)


def next_redo(history: Mapping[str, Mapping[str, Any]]) -> Change | None:
    """The undo a redo reverts: the newest undo in effect, unless a change was made after it."""
    for change in changes(history):
        if change.live and change.kind == "change":
            return None
        if change.live and change.kind == "undo":
            return change
    return None


def describe_restore(before: Images) -> str:
    """What putting ``before`` back does, in words: "restores 2026-11-20 as it was: nothing logged"."""
    from datetime import date

    parts: list[str] = []
    days = before.get("entries", {})
    if len(days) == 1:
        key, doc = next(iter(days.items()))
        day = date.fromordinal(int(key)).isoformat()
        if doc is None:
            parts.append(f"{day} as it was: nothing logged")
        else:
            total = sum(v for v in doc.get("counts", {}).values() if type(v) is int)
            parts.append(f"{day} as it was: total {total}")
    elif days:
        removed = sum(1 for doc in days.values() if doc is None)
        back = len(days) - removed
        said = []
        if back:
            said.append(f"{back} day{'s' if back != 1 else ''} as they were")
        if removed:
            said.append(f"removes {removed} day{'s' if removed != 1 else ''} logged since")
        parts.append(", ".join(said))
    products = before.get("products", {})
    if products:
        names = [str(doc["name"]) for doc in products.values() if doc is not None]
        gone = sum(1 for doc in products.values() if doc is None)
        if names:
            parts.append("the product" + ("s " if len(names) > 1 else " ") + ", ".join(names) + " as before")
        if gone:
            parts.append(f"removes {gone} product{'s' if gone != 1 else ''} added")
    photos = before.get("photos", {})
    if photos:
        kept = [doc for doc in photos.values() if doc is not None]
        added = len(photos) - len(kept)
        if len(kept) == 1:
            parts.append(f"the photo {kept[0].get('id')} of {kept[0].get('date')}")
        elif kept:
            parts.append(f"{len(kept)} photos")
        if added:
            parts.append(f"removes {added} photo{'s' if added != 1 else ''} added")
    if "settings" in before:
        parts.append("the settings as they were")
    if not parts:
        return "nothing to restore"
    first = parts[0]
    text = first if first.startswith("removes") else "restores " + first
    return "; ".join([text, *parts[1:]])


__all__ = ["KEEP", "UNDO", "UNDO_TABLES", "Change", "Images", "add_record", "changes", "describe_restore"]
