"""A journal entry (one per calendar date) and the rules every value must follow."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from skinlog.domain.dates import parse_iso
from skinlog.domain.regions import BY_ID, REGION_IDS
from skinlog.errors import ValidationError

MAX_COUNT = 500
MAX_NOTE = 1000
MAX_PRODUCTS = 50
SYMPTOMS: tuple[str, ...] = ("redness", "itch", "pain")
PROCEDURES: tuple[str, ...] = (
    "none",
    "extraction",
    "cryotherapy",
    "laser",
    "electrodesiccation",
    "chemical_peel",
    "other",
)
# What can cause secondary milia, logged on the day it happened (journal schema 2).
EVENTS: tuple[str, ...] = (
    "steroid_cream",
    "burn",
    "blistering",
    "sunburn",
    "dermabrasion",
    "laser_or_peel",
    "new_medicine",
    "radiation",
    "other",
)


def check_count(region_id: str, value: object) -> int:
    """A count is a whole number 0..500."""
    label = BY_ID[region_id].short if region_id in BY_ID else region_id
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str):
            text = value.strip()
            if text.isdigit() and text.isascii():
                value = int(text)
            else:
                raise ValidationError(
                    f"count for {label} must be a whole number from 0 to {MAX_COUNT}, not '{value}'"
                )
        else:
            raise ValidationError(
                f"count for {label} must be a whole number from 0 to {MAX_COUNT}, not {value!r}"
            )
    if not 0 <= value <= MAX_COUNT:
        raise ValidationError(f"count for {label} must be from 0 to {MAX_COUNT}, not {value}")
    return value


def check_symptom(name: str, value: object) -> int:
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 3:
        raise ValidationError(f"{name} must be 0 (none) to 3 (strong), not '{value}'")
    return value


def check_procedure(value: str) -> str:
    procedure = value.strip().lower().replace("-", "_").replace(" ", "_")
    if procedure not in PROCEDURES:
        from skinlog.errors import suggest

        raise ValidationError(
            f"unknown procedure '{value}'{suggest(procedure, list(PROCEDURES))}; "
            f"choose one of: {', '.join(PROCEDURES)}"
        )
    return procedure


def check_event(value: str) -> str:
    event = value.strip().lower().replace("-", "_").replace(" ", "_")
    if event not in EVENTS:
        from skinlog.errors import suggest

        raise ValidationError(
            f"unknown event '{value}'{suggest(event, list(EVENTS))}; choose one of: {', '.join(EVENTS)}"
        )
    return event


def check_note(value: str) -> str:
    note = value.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(f"note is too long ({len(note)} characters; at most {MAX_NOTE})")
    if any(not (ch.isprintable() or ch in "\n\t") for ch in note):
        raise ValidationError("note cannot contain control characters")
    return note


class Symptoms(NamedTuple):
    """How strong redness, itch and pain were, 0 (none) to 3 (strong)."""

    redness: int = 0
    itch: int = 0
    pain: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"redness": self.redness, "itch": self.itch, "pain": self.pain}


class Entry(NamedTuple):
    """One day's full count: regions not in ``counts`` had no bumps."""

    date: date
    counts: Mapping[str, int] = {}  # never mutated
    products: tuple[str, ...] = ()
    symptoms: Symptoms = Symptoms()
    picked: bool = False
    procedure: str = "none"
    note: str = ""
    created: str = ""
    updated: str = ""
    events: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, region_id: str) -> int:
        return self.counts.get(region_id, 0)

    def all_counts(self) -> dict[str, int]:
        """Every region in the fixed order, zeros included."""
        return {rid: self.counts.get(rid, 0) for rid in REGION_IDS}

    def to_doc(self) -> dict[str, object]:
        """The shape stored on disk: only regions with bumps, and no field left at its default
        (a ten-year journal then parses and writes in about half the time)."""
        doc: dict[str, object] = {
            "date": self.date.isoformat(),
            "counts": {rid: n for rid, n in self.all_counts().items() if n},
            "products": list(self.products),
        }
        if any(self.symptoms):
            doc["symptoms"] = self.symptoms.to_dict()
        if self.picked:
            doc["picked"] = True
        if self.procedure != "none":
            doc["procedure"] = self.procedure
        if self.note:
            doc["note"] = self.note
        if self.events:
            doc["events"] = list(self.events)
        doc["created"] = self.created
        doc["updated"] = self.updated
        return doc

    def to_public(self) -> dict[str, object]:
        """The stable ``--json`` shape: every region, zeros included."""
        return {
            "date": self.date.isoformat(),
            "counts": self.all_counts(),
            "products": list(self.products),
            "symptoms": self.symptoms.to_dict(),
            "picked": self.picked,
            "procedure": self.procedure,
            "events": list(self.events),
            "note": self.note,
        }


_NO_SYMPTOMS = Symptoms()


def entry_from_doc(doc: Mapping[str, object]) -> Entry:
    """Build an entry from a stored or imported document, validating every value.

    Loading a journal runs this for every day, so the common case (values at their defaults,
    whole-number counts in range) takes the short paths; anything else gets the full checks
    and their messages.
    """
    if not isinstance(doc, Mapping):
        raise ValidationError("an entry must be a JSON object")
    raw_date = doc.get("date")
    if not isinstance(raw_date, str):
        raise ValidationError("an entry has no date")
    try:
        day = parse_iso(raw_date)
    except ValidationError as exc:
        raise ValidationError(f"entry date: {exc}") from None
    counts_raw = doc.get("counts", {})
    if not isinstance(counts_raw, Mapping):
        raise ValidationError(f"{raw_date}: counts must be an object of region: number")
    counts: dict[str, int] = {}
    for region_id, value in counts_raw.items():
        if region_id not in BY_ID:
            raise ValidationError(f"{raw_date}: unknown region '{region_id}'")
        if type(value) is not int or not 0 <= value <= MAX_COUNT:
            if isinstance(value, str):
                raise ValidationError(
                    f"{raw_date}: count for {BY_ID[region_id].short} must be a number, not text"
                )
            value = check_count(region_id, value)
        if value:
            counts[region_id] = value
    products = doc.get("products", [])
    if not isinstance(products, list) or not all(isinstance(p, str) for p in products):
        raise ValidationError(f"{raw_date}: products must be a list of names")
    if len(products) > MAX_PRODUCTS:
        raise ValidationError(f"{raw_date}: at most {MAX_PRODUCTS} products a day")
    if len(set(products)) != len(products):
        raise ValidationError(f"{raw_date}: a product is listed twice")
    symptoms_raw = doc.get("symptoms")
    if symptoms_raw is None:
        symptoms = _NO_SYMPTOMS
    else:
        if not isinstance(symptoms_raw, Mapping) or set(symptoms_raw) - set(SYMPTOMS):
            raise ValidationError(f"{raw_date}: symptoms must have only redness, itch and pain")
        for name, value in symptoms_raw.items():
            if isinstance(value, str):
                raise ValidationError(f"{raw_date}: {name} must be a number")
        symptoms = Symptoms(**{k: check_symptom(k, symptoms_raw.get(k, 0)) for k in SYMPTOMS})
    picked = doc.get("picked", False)
    if not isinstance(picked, bool):
        raise ValidationError(f"{raw_date}: picked must be true or false")
    procedure = doc.get("procedure", "none")
    note = doc.get("note", "")
    if not isinstance(procedure, str) or not isinstance(note, str):
        raise ValidationError(f"{raw_date}: procedure and note must be text")
    events_raw = doc.get("events")
    if events_raw is not None:
        if not isinstance(events_raw, list) or not all(isinstance(e, str) for e in events_raw):
            raise ValidationError(f"{raw_date}: events must be a list of names")
        events = tuple(check_event(e) for e in events_raw)
        if len(set(events)) != len(events):
            raise ValidationError(f"{raw_date}: an event is listed twice")
    else:
        events = ()
    created, updated = doc.get("created", ""), doc.get("updated", "")
    if not isinstance(created, str) or not isinstance(updated, str):
        raise ValidationError(f"{raw_date}: created and updated must be time stamps in text")
    return Entry(
        date=day,
        counts=counts,
        products=tuple(products),
        symptoms=symptoms,
        picked=picked,
        procedure=procedure if procedure == "none" else check_procedure(procedure),
        note=check_note(note) if note else "",
        created=created if isinstance(created, str) else "",
        updated=updated if isinstance(updated, str) else "",
        events=events,
    )


def make_entry(
    day: date,
    counts: Mapping[str, int],
    products: Iterable[str] = (),
    symptoms: Mapping[str, int] | None = None,
    picked: bool = False,
    procedure: str = "none",
    note: str = "",
    events: Iterable[str] = (),
) -> Entry:
    """Build a new entry from typed values, validating each."""
    symptoms = symptoms or {}
    products = _check_products(tuple(dict.fromkeys(products)))
    return Entry(
        date=day,
        counts={rid: n for rid, n in ((r, check_count(r, v)) for r, v in counts.items()) if n},
        products=products,
        symptoms=Symptoms(**{k: check_symptom(k, symptoms.get(k, 0)) for k in SYMPTOMS}),
        picked=picked,
        procedure=check_procedure(procedure),
        note=check_note(note),
        events=tuple(dict.fromkeys(check_event(e) for e in events)),
    )


def _check_products(products: tuple[str, ...]) -> tuple[str, ...]:
    if len(products) > MAX_PRODUCTS:
        raise ValidationError(f"at most {MAX_PRODUCTS} products a day ({len(products)} given)")
    return products


def merge_entries(old: Entry, new: Entry, given: Iterable[str]) -> Entry:
    """Merge what was given this time into an existing entry.

    Regions given replace their old counts, products are added, symptoms and procedure given
    replace the old ones, picking is kept if either says so, and a new note is appended.
    """
    given = set(given)
    counts = dict(old.counts)
    for region_id in given & set(REGION_IDS):
        counts.pop(region_id, None)
        if new.counts.get(region_id):
            counts[region_id] = new.counts[region_id]
    symptoms = old.symptoms
    for name in given & set(SYMPTOMS):
        symptoms = symptoms._replace(**{name: getattr(new.symptoms, name)})
    note = old.note
    if new.note:
        note = f"{old.note}\n{new.note}" if old.note else new.note
        note = check_note(note)
    return old._replace(
        counts=counts,
        products=_check_products(tuple(dict.fromkeys(old.products + new.products))),
        symptoms=symptoms,
        picked=old.picked or new.picked,
        procedure=new.procedure if "procedure" in given else old.procedure,
        note=note,
        events=tuple(dict.fromkeys(old.events + new.events)),
    )
