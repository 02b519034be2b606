"""Clinician exports: a versioned JSON document, a FHIR R4 Bundle and a one-page Markdown summary.

Each exporter takes an ``ExportData`` and returns the document (no printing, no files);
``write_export`` is the one place that writes one to disk.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from skinlog import __version__
from skinlog.domain.analysis import NOT_ENOUGH, reference_date, trend, week_start, weekly
from skinlog.domain.entry import SYMPTOMS, Entry
from skinlog.domain.flags import Flag, evaluate
from skinlog.domain.products import Product, product_use
from skinlog.domain.regions import BY_ID, REGION_IDS, REGIONS, SPEC, TEXT_ONLY, SnomedCode
from skinlog.domain.settings import effective
from skinlog.domain.words import (
    LEVEL_WORDS,
    NOTICE,
    advice_sentence,
    as_of_line,
    event_label,
    evidence_text,
    flag_heading,
    flag_name,
    label,
    plural,
    region_summary,
)
from skinlog.errors import UsageError, ValidationError

if TYPE_CHECKING:
    from skinlog.storage import Journal

FORMAT_NAME = "skinlog-export"
VERSION = 2  # 2 adds entry events and the journal id; import reads 1 and 2

# FHIR coding. No LOINC code exists for a milia count, so Observation.code carries a code of
# this project's own system next to the SNOMED CT concept for milia.
PROJECT_SYSTEM = "urn:skinlog:fhir:code"
EVENT_SYSTEM = "urn:skinlog:fhir:event"
PROCEDURE_SYSTEM = "urn:skinlog:fhir:procedure"
FLAG_SYSTEM = "urn:skinlog:fhir:flag"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
LATERALITY = (
    "product spec: the SNOMED CT laterality qualifiers named for HL7's "
    "observation-structureLaterality extension; not checked in a SNOMED CT browser"
)

# The SNOMED CT codes used besides each region's body site (which its row in
# ``skinlog.domain.regions`` carries), each with where it came from.
SNOMED_CODES: dict[str, SnomedCode] = {
    "milia": SnomedCode("254679001", "Milia", SPEC),
    "left": SnomedCode("7771000", "Left", LATERALITY),
    "right": SnomedCode("24028007", "Right", LATERALITY),
}


class ExportData(NamedTuple):
    """What an export covers: the entries in the period and everything needed to describe them.

    ``history`` is every entry up to the period's end: flags, the trend and the summary are
    worked out on it, as of ``as_of`` (``analysis.reference_date``), whatever ``since`` chose."""

    entries: list[Entry]
    products: list[Product]
    settings: dict[str, Any]  # as stored in the journal (only what the user set)
    today: date
    since: date | None
    until: date | None
    name: str | None
    journal_id: str = ""  # kept through export and import; FHIR ids are derived from it
    history: Sequence[Entry] = ()
    as_of: date | None = None
    flags: Sequence[Flag] = ()
    journal_path: str = ""  # where its photos are found (the visit report shows some)


MAX_PATIENT_NAME = 100


def patient_name(text: str, field: str = "the name") -> str:
    """The name to put on an export, checked like a note: printable text on one line, spaces
    collapsed, 1 to 100 characters. ``field`` is what a refusal calls it (``--name`` on the
    command line)."""
    if any(not ch.isprintable() for ch in text):
        raise ValidationError(f"{field} cannot contain control characters or line breaks")
    name = " ".join(text.split())
    if not 0 < len(name) <= MAX_PATIENT_NAME:
        raise ValidationError(f"{field} must be 1 to {MAX_PATIENT_NAME} characters (it has {len(name)})")
    return name


def gather(
    journal: Journal,
    today: date,
    since: date | None = None,
    until: date | None = None,
    name: str | None = None,
) -> ExportData:
    """Read what an export needs. A period that runs backwards or holds no entries is refused."""
    if since and until and since > until:
        raise UsageError(
            f"--since {since.isoformat()} is after --until {until.isoformat()}: the period runs backwards"
        )
    history = journal.entries(until=until)
    if until and not history and journal.count_entries():
        first = journal.entries()[0].date
        shown = f"from {since.isoformat()} to {until.isoformat()}" if since else f"up to {until.isoformat()}"
        raise UsageError(f"nothing was logged {shown} (your first entry is {first.isoformat()})")
    entries = history[bisect_left([e.date for e in history], since) :] if since else list(history)
    if (since or until) and not entries:
        shown = (
            f"from {since.isoformat() if since else 'the start'} to {until.isoformat() if until else 'today'}"
        )
        raise UsageError(f"nothing was logged {shown}: choose a period with entries")
    end = min(today, until) if until else today
    as_of = reference_date(history, end)
    products, settings = journal.products(), journal.settings()
    flags = evaluate(history, effective(settings), end, products)
    # A journal not yet written has no id: its export (of nothing) gets a fresh one.
    journal_id = journal.journal_id() or str(uuid.uuid4())
    return ExportData(
        entries,
        products,
        settings,
        today,
        since,
        until,
        name,
        journal_id=journal_id,
        history=history,
        as_of=as_of,
        flags=flags,
        journal_path=str(journal.path),
    )


def _generated_at() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _as_of(data: ExportData) -> date:
    """The reference date flags and trends are computed as of (see ``gather``)."""
    if data.as_of is not None:
        return data.as_of
    end = min(data.today, data.until) if data.until else data.today
    return reference_date(data.entries, end)


def _history(data: ExportData) -> Sequence[Entry]:
    return data.history or data.entries


def _flags(data: ExportData) -> Sequence[Flag]:
    if data.as_of is not None:
        return data.flags
    return evaluate(data.entries, effective(data.settings), _as_of(data), data.products)


def summary(data: ExportData) -> dict[str, Any]:
    """Where things stand, on the whole history up to the period's end, as of ``as_of``."""
    entries = _history(data)
    as_of = _as_of(data)
    stamp = {"as_of": as_of.isoformat(), "as_of_line": as_of_line(as_of, data.today, data.until)}
    if not entries:
        return {
            "days_logged": 0,
            "first_date": None,
            "last_date": None,
            "current_total": None,
            "peak_total": None,
            "peak_date": None,
            "trend": NOT_ENOUGH,
            **stamp,
        }
    peak = max(entries, key=lambda e: (e.total, e.date))
    t = trend(entries, as_of)
    return {
        "days_logged": len(entries),
        "first_date": entries[0].date.isoformat(),
        "last_date": entries[-1].date.isoformat(),
        "current_total": entries[-1].total,
        "peak_total": peak.total,
        "peak_date": peak.date.isoformat(),
        "trend": t.word,
        "trend_mean_before": None if t.before is None else round(t.before, 2),
        "trend_mean_after": None if t.after is None else round(t.after, 2),
        "trend_weeks": t.weeks,
        "trend_days_before": t.days_before,
        "trend_days_after": t.days_after,
        **stamp,
    }


def export_entry(entry: Entry) -> dict[str, Any]:
    """An entry as exported: the public shape plus its timestamps, so an import restores it exactly."""
    return {**entry.to_public(), "created": entry.created, "updated": entry.updated}


def export_json(data: ExportData) -> dict[str, Any]:
    """The clinician JSON document (see the shipped schema)."""
    entries = data.entries
    use = product_use(entries)
    flags = _flags(data)
    return {
        "format": FORMAT_NAME,
        "version": VERSION,
        "generated_at": _generated_at(),
        "app": {"name": "skinlog", "version": __version__},
        "journal_id": data.journal_id,
        "patient": {"name": data.name} if data.name else {},
        "period": {
            "start": (data.since or (entries[0].date if entries else None) or data.today).isoformat(),
            "end": (data.until or (entries[-1].date if entries else None) or data.today).isoformat(),
        },
        "regions": [{"id": r.id, "label": r.label, "group": r.group} for r in REGIONS],
        "products": [
            {
                **p.to_public(),
                "days_used": use[p.name].days if p.name in use else 0,
                "first_used": use[p.name].first.isoformat() if p.name in use else None,
                "last_used": use[p.name].last.isoformat() if p.name in use else None,
            }
            for p in data.products
        ],
        "settings": dict(data.settings),
        "entries": [export_entry(e) for e in entries],
        "weekly": [w.to_public() for w in weekly(entries)],
        "flags": [f.to_public() for f in flags],
        "summary": summary(data),
        "notice": NOTICE,
        "evaluations": [e.to_public() for e in evaluations(data)],
    }


def evaluations(data: ExportData) -> list[Any]:
    """Every treatment and procedure evaluated on the history up to the period's end (derived,
    like the flags: an import ignores them). Imports numpy, so only the formats that show them
    call this."""
    from skinlog.domain.effects import evaluate_all

    history = _history(data)
    return evaluate_all(history, data.products) if history else []


def _coding(site: SnomedCode) -> dict[str, str]:
    return {"system": SNOMED, "code": site.code, "display": site.display}


def _body_site(region_id: str) -> dict[str, Any]:
    """The region as a CodeableConcept; lateral regions carry the laterality extension, so left
    and right differ by code and not only by their text."""
    region = BY_ID[region_id]
    concept: dict[str, Any] = {}
    if region.side:
        laterality = {"coding": [_coding(SNOMED_CODES[region.side])]}
        concept["extension"] = [{"url": LATERALITY_URL, "valueCodeableConcept": laterality}]
    if region.site is not TEXT_ONLY:
        concept["coding"] = [_coding(region.site)]
    concept["text"] = region.label
    return concept


# Every Observation is self-reported: the person counts and rates their own skin with the same
# few questions each day, which is what the HL7 "survey" category is for (assessment tools and
# questionnaires). "exam" would say a clinician examined the skin, which nobody did.
CATEGORY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
                "display": "Survey",
            }
        ],
        "text": "Self-reported in the skinlog journal",
    }
]
# MedicationStatement.category for what the person says they used, over the counter included.
MEDICATION_CATEGORY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/medication-statement-category",
            "code": "patientspecified",
            "display": "Patient Specified",
        }
    ],
}
SYMPTOM_TEXT = {"redness": "Redness", "itch": "Itch", "pain": "Pain"}


def _code(code: str, display: str, milia: bool = False) -> dict[str, Any]:
    coding = [{"system": PROJECT_SYSTEM, "code": code, "display": display}]
    if milia:
        coding.append(_coding(SNOMED_CODES["milia"]))
    return {"coding": coding, "text": display}


DAILY_CODE = _code("milia-count-total", "Milia count, all regions", milia=True)
REGION_CODE = _code("milia-count", "Milia count in one body region", milia=True)
PICKED_CODE = _code("picked", "Squeezed or picked at bumps")
EVENT_CODE = _code("secondary-milia-event", "Event that can cause secondary milia")
SYMPTOM_CODES = {k: _code(k, f"{v}, self-rated 0 (none) to 3 (strong)") for k, v in SYMPTOM_TEXT.items()}


def _count(value: int) -> dict[str, Any]:
    return {"value": value, "unit": "count", "system": UCUM, "code": "{count}"}


class _Ids:
    """Deterministic resource ids: uuid5 names in the journal id's namespace (as ``uuid.uuid5``
    computes them, without building a UUID object for each of a large journal's resources)."""

    def __init__(self, journal_id: str) -> None:
        self.namespace = uuid.UUID(journal_id).bytes
        self.system = f"urn:skinlog:journal:{uuid.UUID(journal_id)}"

    def id(self, key: str) -> str:
        digest = bytearray(hashlib.sha1(self.namespace + key.encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50
        digest[8] = (digest[8] & 0x3F) | 0x80
        h = digest.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def head(self, resource_type: str, key: str) -> dict[str, Any]:
        """A resource's first fields: type, id and its identifier in the journal's system."""
        return {
            "resourceType": resource_type,
            "id": self.id(key),
            "identifier": [{"system": self.system, "value": key}],
        }


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _day_resources(entry: Entry, ids: _Ids, patient: dict[str, str]) -> Iterator[dict[str, Any]]:
    """One logged day: the daily total (0 included) with its regions as members, then the
    symptoms, picking, events and procedure logged that day."""
    day = entry.date.isoformat()
    common = {"status": "final", "category": CATEGORY}
    regions = []
    for region in REGION_IDS:
        count = entry.counts.get(region)
        if count:
            obs = ids.head("Observation", f"{day}/region/{region}")
            obs.update(common)
            obs.update(
                code=REGION_CODE,
                subject=patient,
                effectiveDateTime=day,
                performer=[patient],
                valueQuantity=_count(count),
                bodySite=_body_site(region),
            )
            regions.append(obs)
    total = ids.head("Observation", f"{day}/total")
    total.update(common)
    total.update(
        code=DAILY_CODE,
        subject=patient,
        effectiveDateTime=day,
        performer=[patient],
        valueQuantity=_count(entry.total),
    )
    if regions:
        total["hasMember"] = [{"reference": f"urn:uuid:{obs['id']}"} for obs in regions]
    if entry.note:
        # Annotation.text is FHIR markdown: the note is escaped so a clinic's viewer shows it as typed.
        total["note"] = [{"text": "\n".join(md_text(line) for line in entry.note.split("\n"))}]
    yield total
    yield from regions
    for name in SYMPTOM_TEXT:
        value = getattr(entry.symptoms, name)
        if value:
            obs = ids.head("Observation", f"{day}/symptom/{name}")
            obs.update(common)
            obs.update(
                code=SYMPTOM_CODES[name],
                subject=patient,
                effectiveDateTime=day,
                performer=[patient],
                valueInteger=value,
            )
            yield obs
    if entry.picked:
        obs = ids.head("Observation", f"{day}/picked")
        obs.update(common)
        obs.update(
            code=PICKED_CODE, subject=patient, effectiveDateTime=day, performer=[patient], valueBoolean=True
        )
        yield obs
    for event in entry.events:
        obs = ids.head("Observation", f"{day}/event/{event}")
        obs.update(common)
        label = event.replace("_", " ").capitalize()
        obs.update(
            code=EVENT_CODE,
            subject=patient,
            effectiveDateTime=day,
            performer=[patient],
            valueCodeableConcept={
                "coding": [{"system": EVENT_SYSTEM, "code": event, "display": label}],
                "text": label,
            },
        )
        yield obs
    if entry.procedure != "none":
        procedure = ids.head("Procedure", f"{day}/procedure")
        label = entry.procedure.replace("_", " ").capitalize()
        procedure.update(
            status="completed",
            code={
                "coding": [{"system": PROCEDURE_SYSTEM, "code": entry.procedure, "display": label}],
                "text": label,
            },
            subject=patient,
            performedDateTime=day,
            recorder=patient,
            asserter=patient,
        )
        yield procedure


def _medication_statements(data: ExportData, ids: _Ids, patient: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Each product used in the period, with its period of use (first to last day logged)."""
    entries = data.entries
    use = product_use(entries)
    last_day = entries[-1].date if entries else None
    for product in data.products:
        if product.name not in use:
            continue
        days, first, last = use[product.name]
        statement = ids.head("MedicationStatement", f"product/{product.name}")
        heavy = ", heavy or occlusive" if product.heavy else ""
        statement.update(
            # archived: the person no longer uses it, whatever the last day logged
            status="active" if last == last_day and not product.archived else "completed",
            category=MEDICATION_CATEGORY,
            medicationCodeableConcept={"text": product.name},
            subject=patient,
            effectivePeriod={"start": first.isoformat(), "end": last.isoformat()},
            informationSource=patient,
            note=[
                {
                    "text": f"{product.category.replace('_', ' ')}{heavy}; used on {days} of "
                    f"{len(entries)} logged days{'; archived' if product.archived else ''}"
                }
            ],
        )
        yield statement


# Flag.category: skinlog's flags are patterns in what the person logged about their skin.
FLAG_CATEGORY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                "code": "clinical",
                "display": "Clinical",
            }
        ],
        "text": "Pattern in the self-reported skinlog journal (not a diagnosis)",
    }
]


def _flag_resources(data: ExportData, ids: _Ids, patient: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Each active flag as a Flag, active since the flag's start. The date the flags are as of
    goes in the code's text: Flag has no field for it, and ending the period would say the
    flag is over."""
    as_of = _as_of(data).isoformat()
    for f in _flags(data):
        resource = ids.head("Flag", f"flag/{f.code}/{'+'.join(f.regions)}")
        name = flag_name(f.code)
        resource.update(
            status="active",
            category=FLAG_CATEGORY,
            code={
                "coding": [{"system": FLAG_SYSTEM, "code": f.code, "display": name}],
                "text": f"{flag_heading(f)} · as of {as_of}",
            },
            subject=patient,
            period={"start": f.since.isoformat()},
        )
        yield resource


def fhir_resources(data: ExportData) -> Iterator[dict[str, Any]]:
    """The Bundle's resources in order, one at a time (a long journal never holds them all)."""
    ids = _Ids(data.journal_id)
    patient_resource = ids.head("Patient", "patient")
    if data.name:
        patient_resource["name"] = [{"text": data.name}]
    yield patient_resource
    patient = {"reference": f"urn:uuid:{patient_resource['id']}"}
    yield from _flag_resources(data, ids, patient)
    for entry in data.entries:
        yield from _day_resources(entry, ids, patient)
    yield from _medication_statements(data, ids, patient)


def _bundle_head() -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _generated_at(),
    }


def export_fhir(data: ExportData) -> dict[str, Any]:
    """A FHIR R4 Bundle (collection) of the period: see DESIGN.md, "Clinician export"."""
    return {**_bundle_head(), "entry": [_entry(r) for r in fhir_resources(data)]}


def _fhir_chunks(data: ExportData) -> Iterator[bytes]:
    """The Bundle as JSON, one entry to a line, built and written a piece at a time."""
    import orjson

    head = orjson.dumps(_bundle_head())
    yield head[:-1] + b',"entry":['
    separator = b"\n"
    for resource in fhir_resources(data):
        yield separator + orjson.dumps(_entry(resource))
        separator = b",\n"
    yield b"\n]}\n"


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[float | None]) -> str:
    top = max([v for v in values if v is not None] or [0]) or 1
    return "".join(" " if v is None else SPARKS[min(7, round(v / top * 7))] for v in values)


# -- the one-page Markdown summary

PAGE_WIDTH = 100  # no line is longer
RECENT_DAYS = 28  # "last 4 weeks", counted back from the reference date
PAGE_LINES = 60  # no page is longer: flags and products share what the other sections leave
# Caps that keep the other sections short, whatever the journal.
MAX_REGIONS, MAX_NOTES, MAX_RETINOIDS = 4, 2, 1
FLAG_LINES = 6  # at most this many lines of evidence and advice under one flag
PRODUCTS_KEPT = 4  # lines of the products table flags cannot take (unless flags would get less than one)
TREATMENTS = frozenset({"retinoid", "aha", "bha"})
_MD_SPECIAL = set("\\`*_[]()!|~")  # escaped wherever they are
_MD_LEADING = set("#-+=")  # escaped where a piece of user text starts: a line may start there
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_MD_PIECE = 40  # longest run of user text without a space, in characters of Markdown; longer runs are
# broken into pieces (a line break inside a paragraph reads as a space anyway)
_LINKABLE = re.compile(
    r"/{2,}|@|(?<=\S)\.(?=[^\W\d_]{2})|(?i:(?<=www)\.)"
)  # what GFM autolinks need: "//", "@", a dot before a name


def _unlinkable(plain: str) -> str:
    """Addresses kept readable but never turned into links, even by GFM autolinks (which read the
    text after escapes and entities are decoded): ``http:[//]evil[.]com``, ``a[@]evil[.]com``."""
    return _LINKABLE.sub(lambda m: f"[{m.group()}]", plain)


def _md_pieces(plain: str, run: int | None) -> list[str]:
    """Plain text (no whitespace) as Markdown, one string per character, in runs of at most
    ``run`` characters of Markdown (so that they wrap); each run's first character (where a
    wrapped line may start) escaped as a line start."""
    pieces: list[str] = []
    size = 0
    for ch in plain:
        piece = _MD_ENTITIES.get(ch) or (f"\\{ch}" if ch in _MD_SPECIAL else ch)
        if run and size and size + len(piece) + 1 > run:  # the room for a leading backslash
            pieces.append(" ")
            size = 0
        if not size and ch in _MD_LEADING:
            piece = f"\\{ch}"
        pieces.append(piece)
        size += len(piece)
    # a run of 1-9 digits and a dot ("12.") would start a numbered list
    start = 0
    for i, piece in enumerate([*pieces, " "]):
        if piece == " ":
            if re.fullmatch(r"\d{1,9}\.", "".join(pieces[start:i])):
                pieces[i - 1] = "\\."
            start = i + 1
    return pieces


def md_text(text: str, limit: int | None = None, width: int | None = None, wraps: bool = True) -> str:
    """User text made inert in Markdown, on one line: control characters written out, addresses
    made unlinkable, HTML characters as entities, Markdown punctuation (links, images, code,
    emphasis, table pipes) backslash-escaped, and every place a wrapped line may start (each
    word, and each piece of a long word when it ``wraps``) escaped as a line start (headings,
    lists, quotes, rules).
    It is then shortened to at most ``limit`` characters shown and ``width`` characters of
    Markdown, never inside an entity or an escape."""
    from skinlog.domain.text import inert

    pieces: list[str] = []
    for word in _unlinkable(inert(text)).split():
        pieces += [" "] if pieces else []
        pieces += _md_pieces(word, _MD_PIECE if wraps else None)
    shown = len(pieces) if limit is None else limit
    room = sum(map(len, pieces)) if width is None else width
    if len(pieces) <= shown and sum(map(len, pieces)) <= room:
        return "".join(pieces)
    kept: list[str] = []
    size = 0
    for piece in pieces:
        if len(kept) + 1 >= shown or size + len(piece) + 1 > room:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept).rstrip() + "…"


def _fit(line: str, width: int = PAGE_WIDTH) -> str:
    """``line`` shortened to ``width`` characters, never inside an entity or after a lone backslash."""
    if len(line) <= width:
        return line
    cut = line[: width - 1]
    amp = cut.rfind("&")
    if amp >= 0 and ";" not in cut[amp:]:
        cut = cut[:amp]
    if (len(cut) - len(cut.rstrip("\\"))) % 2:
        cut = cut[:-1]
    return cut + "…"


def _wrap(text: str, indent: str = "", first: str = "", lines: int = 2) -> list[str]:
    """``text`` wrapped to the page at its spaces, at most ``lines`` lines (the last one shortened)."""
    import textwrap

    wrapped = [
        _fit(line)
        for line in textwrap.wrap(
            text,
            PAGE_WIDTH,
            initial_indent=first,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    ]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], _fit(wrapped[lines - 1] + " …")]
    return wrapped


def _say(
    parts: Sequence[str], end: str = ".", first: str = "", indent: str = "  ", lines: int = 2, cut: str = " …"
) -> list[str]:
    """Whole clauses (``parts`` joined as they are, then ``end``) wrapped onto at most ``lines``
    lines; clauses that do not fit are left out from the end (``cut`` says so), never cut
    mid-word."""
    import textwrap

    for keep in range(len(parts), 0, -1):
        text = "".join(parts[:keep]).rstrip() + (end if keep == len(parts) else cut)
        wrapped = textwrap.wrap(
            text,
            PAGE_WIDTH,
            initial_indent=first,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if len(wrapped) <= lines and all(len(line) <= PAGE_WIDTH for line in wrapped):
            return wrapped
    return _wrap("".join(parts) + end, indent, first, lines=lines)


def _sentences(text: str) -> list[str]:
    """``text`` as clauses for ``_say``: each sentence with the space that follows it."""
    return [part + " " for part in re.split(r"(?<=[.!?])\s+", text.strip()) if part]


def _recent(history: Sequence[Entry], as_of: date) -> Sequence[Entry]:
    start = as_of - timedelta(days=RECENT_DAYS - 1)
    return [e for e in history[-RECENT_DAYS:] if start <= e.date <= as_of]


def _take(items: Sequence[list[str]], budget: int, more: Callable[[int], str]) -> list[str]:
    """Items (each a few lines) in order while they fit in ``budget`` lines, then one line
    saying how many more there are. That line never takes the place of the one item it would
    stand for: if that item fits there, it is shown instead."""
    lines: list[str] = []
    for i, item in enumerate(items):
        left = len(items) - i
        room = budget - len(lines)
        if len(item) <= room - (1 if left > 1 else 0):
            lines += item
            continue
        return [*lines, _fit(more(left))] if room >= 1 else lines
    return lines


def _md_flag(f: Flag) -> list[str]:
    """A flag: its heading, then its evidence and advice as whole sentences."""
    where = [f"{', ' if i else ' · '}{BY_ID[r].short}" for i, r in enumerate(f.regions)]
    name = flag_name(f.code)
    since = f" · since {f.since.isoformat()}"
    head = _say([f"- **{LEVEL_WORDS[f.level]}**: {name}", *where], end=since, cut=", …" + since)
    sentences = [*_sentences(evidence_text(f)), *_sentences(advice_sentence(f))]
    clauses = [md_text(c) + " " for c in sentences]
    return [*head, *_say(clauses, end="", first="  ", indent="  ", lines=FLAG_LINES, cut="")]


def _md_flags(data: ExportData, as_of: date, budget: int) -> list[str]:
    flags = list(_flags(data))
    if not flags:
        return [f"No active flags, as of {as_of.isoformat()}."]
    return _take(
        [_md_flag(f) for f in flags],
        budget,
        lambda n: f"_… and {plural(n, 'more flag')} in `skinlog flags`._",
    )


def _md_standing(data: ExportData, history: Sequence[Entry], as_of: date) -> list[str]:
    latest = history[-1]
    peak = max(history, key=lambda e: (e.total, e.date))
    t = trend(history, as_of)
    means = f", {t.before:.1f} → {t.after:.1f} a day" if t.before is not None and t.after is not None else ""
    regions = region_summary(dict(latest.counts)).split(", ")
    lines = [
        *_say(
            [
                f"- Latest entry {latest.date.isoformat()}: {plural(latest.total, 'bump')} ({regions[0]}",
                *(f", {r}" for r in regions[1:]),
            ],
            end=").",
            cut=", …).",
        ),
        f"- Peak: {plural(peak.total, 'bump')} on {peak.date.isoformat()}.",
        *_say(
            [
                f"- Trend, 4 weeks to {as_of.isoformat()} vs the 4 before: {t.word}{means}",
                f" ({t.days_before} and {t.days_after} days logged)",
            ]
        ),
    ]
    last_monday = week_start(min(history[-1].date, as_of))
    total_weeks = (last_monday - week_start(history[0].date)).days // 7 + 1
    first_monday = last_monday - timedelta(weeks=25)
    shown = [w for w in weekly([e for e in history[-26 * 7 :] if e.date >= first_monday]) if w.start <= as_of]
    if shown:
        means_w = [w.mean_total for w in shown]
        top = max((m for m in means_w if m is not None), default=0.0)
        part = (
            f"last {len(shown)} of {total_weeks} weeks"
            if len(shown) < total_weeks
            else plural(len(shown), "week")
        )
        lines.append(
            _fit(
                f"- Weekly means, {part} from {shown[0].start.isoformat()}: `{sparkline(means_w)}` "
                f"highest {top:.1f}"
            )
        )
    return lines


def _md_regions(entries: Sequence[Entry], recent: Sequence[Entry]) -> list[str]:
    first: dict[str, date] = {}
    last: dict[str, date] = {}
    peak: dict[str, tuple[int, date]] = {}
    for e in entries:
        for r, n in e.counts.items():
            if not n:
                continue
            first.setdefault(r, e.date)
            last[r] = e.date
            if n > peak.get(r, (0, e.date))[0]:
                peak[r] = (n, e.date)
    if not first:
        return ["No bumps were logged in this period."]
    ordered = sorted(first, key=lambda r: (-peak[r][0], REGION_IDS.index(r)))
    lines = [
        "| Region | First bumps | Last bumps | Peak | Last 4 weeks: mean a day, days with bumps |",
        "|---|---|---|---|---|",
    ]
    for r in ordered[:MAX_REGIONS]:
        days = sum(1 for e in recent if e.count(r))
        mean = sum(e.count(r) for e in recent) / len(recent) if recent else 0.0
        lines.append(
            f"| {BY_ID[r].label} | {first[r].isoformat()} | {last[r].isoformat()} | "
            f"{peak[r][0]} on {peak[r][1].isoformat()} | {mean:.1f}, {days} of {len(recent)} |"
        )
    rest = ordered[MAX_REGIONS:]
    if rest:
        lines += _say(
            ["_Also: ", *(f"{', ' if i else ''}{BY_ID[r].short}" for i, r in enumerate(rest))],
            end="._",
            cut=", …_",
        )
    return lines


def _md_symptoms(entries: Sequence[Entry], recent: Sequence[Entry]) -> list[str]:
    """Symptom and picking days, all counted on the period's entries: all of them, and those of
    them in its last 4 weeks (``recent``)."""
    lines = [
        f"| Of the {plural(len(entries), 'day')} logged, days with | ≥ 1 | ≥ 2 | "
        f"Of them, last 4 weeks ({len(recent)}): ≥ 1 | ≥ 2 | Latest |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for k in SYMPTOMS:

        def days(group: Sequence[Entry], level: int, k: str = k) -> int:
            return sum(1 for e in group if getattr(e.symptoms, k) >= level)

        last_day = next((e.date.isoformat() for e in reversed(entries) if getattr(e.symptoms, k)), "-")
        lines.append(
            f"| {k.capitalize()} (0-3) | {days(entries, 1)} | {days(entries, 2)} | {days(recent, 1)} | "
            f"{days(recent, 2)} | {last_day} |"
        )
    picked = [e for e in entries if e.picked]
    lines.append(
        f"| Picking | {len(picked)} | | {sum(1 for e in recent if e.picked)} | | "
        f"{picked[-1].date.isoformat() if picked else '-'} |"
    )
    procedures = [e for e in entries if e.procedure != "none"]
    if procedures:
        kinds = _count_kinds(e.procedure for e in procedures)
        lines += _say(
            [
                f"- Procedures: {plural(len(procedures), 'day')}, latest {procedures[-1].procedure.replace('_', ' ')} "
                f"on {procedures[-1].date.isoformat()}",
                *(f"{'; ' if i else ' ('}{k}" for i, k in enumerate(kinds.split(", "))),
            ],
            end=").",
            cut=" …).",
        )
    else:
        lines.append("- Procedures: none.")
    events = [(e.date, name) for e in entries for name in e.events]
    if events:
        latest: dict[str, date] = {}
        counts: dict[str, int] = {}
        for day, name in events:
            latest[name] = day
            counts[name] = counts.get(name, 0) + 1
        parts = [
            f"{event_label(n)} {counts[n]}, {latest[n].isoformat()}"
            for n in sorted(latest, key=lambda n: latest[n], reverse=True)
        ]
        lines += _say(
            [
                "- Events that can cause milia (days, latest): ",
                *(f"{'; ' if i else ''}{p}" for i, p in enumerate(parts)),
            ],
            cut="; …",
        )
    else:
        lines.append("- Events that can cause milia (burns, steroid creams, ...): none logged.")
    return lines


def _count_kinds(names: Any) -> str:
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return ", ".join(f"{n.replace('_', ' ')} {c}" for n, c in sorted(counts.items(), key=lambda kv: -kv[1]))


def _md_products(
    data: ExportData, history: Sequence[Entry], as_of: date
) -> tuple[list[str], list[list[str]], list[str]]:
    """The products table: its head, a row for each product used (retinoids, acids and heavy
    ones first, then by days used), and the lines after it."""
    use = product_use(data.entries)
    if not use:
        return ["No products logged in this period."], [], []
    catalogue = {p.name: p for p in data.products}

    def first(name: str) -> bool:
        p = catalogue.get(name)
        return bool(p and (p.category in TREATMENTS or p.heavy))

    ordered = sorted(use, key=lambda n: (not first(n), -use[n].days, n.casefold()))
    head = ["| Product | Category | Days used | First | Last |", "|---|---|---:|---|---|"]
    rows = []
    for name in ordered:
        p = catalogue.get(name)
        kind = (
            (label(p.category) + (", heavy" if p.heavy else "") + (", archived" if p.archived else ""))
            if p
            else "not in the catalogue"
        )
        u = use[name]
        rest = f" | {kind} | {u.days} | {u.first.isoformat()} | {u.last.isoformat()} |"
        rows.append([f"| {md_text(name, 30, PAGE_WIDTH - 2 - len(rest), wraps=False)}{rest}"])
    after = []
    retinoids = [n for n in ordered if catalogue.get(n) and catalogue[n].category == "retinoid"]
    for name in retinoids[:MAX_RETINOIDS]:
        start = product_use(history)[name].first
        before = trend(history, start - timedelta(days=1), weeks=4)
        after += _say(
            [
                f"- {md_text(name, 30, 40)} from {start.isoformat()} (retinoid): ",
                f"{_mean_text(before.after)} in the 4 weeks before",
                f", {_mean_text(trend(history, as_of).after)} in the last 4",
            ]
        )
    return head, rows, after


MD_EFFECTS = 3
"""Evaluations the one-pager shows (the newest): their top lines only."""


def _md_effects(data: ExportData) -> list[str]:
    from skinlog.domain.words import effect_line

    found = evaluations(data)[-MD_EFFECTS:]
    if not found:
        return []
    lines = ["", "## Is it working?"]
    for ev in found:
        lines += _wrap(md_text(effect_line(ev)), "  ", "- ")
    lines += _wrap("Before and after, against the trend before; not proof of cause (`skinlog effect --all`).")
    return lines


def _mean_text(value: float | None) -> str:
    return "nothing logged" if value is None else f"{value:.1f} a day"


def _md_notes(entries: Sequence[Entry]) -> list[str]:
    noted = [e for e in entries if e.note.strip()][-MAX_NOTES:]
    return [
        f"- {e.date.isoformat()}: {md_text(e.note, 80, PAGE_WIDTH - 14, wraps=False)}"
        for e in reversed(noted)
    ]


def export_markdown(data: ExportData) -> str:
    """A one-page summary to print (at most 60 lines of at most 100 characters, whatever the
    journal): the reference date, days logged, flags with evidence, where things stand and the
    trend, regions over time, symptoms, picking, procedures and events, products, the latest
    notes, and the not-medical-advice line. User text is escaped."""
    entries = data.entries
    history = _history(data)
    as_of = _as_of(data)
    title = "# Milia journal summary"
    title += f": {md_text(data.name, 60, PAGE_WIDTH - len(title) - 2, wraps=False)}" if data.name else ""
    lines = [title, f"Written {data.today.isoformat()} by skinlog {__version__}."]
    if not entries:
        return "\n".join([*lines, "", "Nothing was logged in this period.", "", f"_{NOTICE}_", ""])
    stamp = as_of_line(as_of, data.today, data.until)
    lines += _say(
        [
            f"Flags and trends are {stamp or 'as of today, ' + as_of.isoformat()}",
            ", from all entries to then",
        ],
        indent="",
    )
    start, end = data.since or entries[0].date, data.until or entries[-1].date
    span = (end - start).days + 1
    lines += _say(
        [
            f"Period {start.isoformat()} to {end.isoformat()}: {plural(len(entries), 'day')} logged "
            f"of {span} ({round(100 * len(entries) / span)}%)",
            *(
                [f"; {len(history)} in all since {history[0].date.isoformat()}"]
                if len(history) > len(entries)
                else []
            ),
        ],
        indent="",
    )
    recent = [e for e in _recent(history, as_of) if e.date >= start]  # the period's last 4 weeks
    middle = ["", "## Where things stand", *_md_standing(data, history, as_of)]
    middle += ["", "## Regions with bumps in the period", *_md_regions(entries, recent)]
    middle += ["", "## Symptoms, picking, procedures and events", *_md_symptoms(entries, recent)]
    head, rows, after = _md_products(data, history, as_of)
    notes = _md_notes(entries)
    tail = ["", "## Latest notes", *notes] if notes else []
    notice = ["", *_wrap(f"_{NOTICE}_", lines=3)]
    tail += notice
    # Flags and products share the lines the rest leaves; flags first, but never all of them.
    left = PAGE_LINES - len(lines) - len(middle) - len(tail) - len(head) - len(after) - 4
    flags = _md_flags(
        data, as_of, max(left - min(len(rows), PRODUCTS_KEPT), min(left - bool(rows), FLAG_LINES + 2))
    )
    flags = flags[: max(left, 0)]  # "No active flags" too
    products = _take(
        rows, left - len(flags), lambda n: f"_… and {plural(n, 'more product')} in `skinlog products`._"
    )
    effects = _md_effects(data)
    if left - len(flags) - len(products) < len(effects):
        effects = []  # only in the lines flags and products leave
    lines += ["", "## Flags", *flags, *middle, "", "## Products", *head, *products, *after, *effects, *tail]
    return "\n".join(_one_page(lines, len(notice))) + "\n"


def _one_page(lines: list[str], kept: int) -> list[str]:
    """The page's lines, at most ``PAGE_LINES`` of at most ``PAGE_WIDTH`` characters whatever the
    sections above asked for: if they ask for more, the lines before the last ``kept`` (the
    notice) are cut and say so."""
    lines = [_fit(line) for line in lines]
    if len(lines) <= PAGE_LINES:
        return lines
    return [
        *lines[: PAGE_LINES - kept - 1],
        "_… cut to one page: `skinlog export --format json` has it all._",
        *lines[-kept:],
    ]


def json_chunks(data: ExportData) -> Iterator[bytes]:
    """The JSON export as the bytes of a file."""
    import orjson

    yield orjson.dumps(export_json(data), option=orjson.OPT_INDENT_2) + b"\n"


def fhir_chunks(data: ExportData) -> Iterator[bytes]:
    """The FHIR bundle, built and written a resource at a time, so a century of entries never
    sits in memory as one document."""
    return _fhir_chunks(data)


def markdown_chunks(data: ExportData) -> Iterator[bytes]:
    """The Markdown one-pager as the bytes of a file."""
    yield export_markdown(data).encode()


def render_chunks(fmt: str, data: ExportData) -> Iterator[bytes]:
    """The export in format ``fmt`` as the bytes of a file, in pieces."""
    from skinlog.services.formats import get

    return get(fmt).chunks(data)


def render(fmt: str, data: ExportData) -> bytes:
    """The export as the bytes of a file."""
    return b"".join(render_chunks(fmt, data))


def write_export(path: str, payload: bytes | Iterable[bytes], force: bool = False) -> None:
    """Write an export file readable only by you. An existing file needs ``force``, and only a
    regular file is ever replaced (see ``skinlog.services.files``)."""
    from skinlog.services.files import write_new_file

    write_new_file(path, payload, force)


def schema() -> dict[str, Any]:
    """The JSON Schema of the JSON export (versions 1 and 2), shipped with the package."""
    import json
    from importlib.resources import files

    loaded: dict[str, Any] = json.loads(files("skinlog").joinpath("schema/export.schema.json").read_text())
    return loaded
