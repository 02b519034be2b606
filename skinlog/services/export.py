"""Clinician exports: a versioned JSON document, a FHIR R4 Bundle and a one-page Markdown summary.

Each exporter takes an ``ExportData`` and returns the document (no printing, no files);
``write_export`` is the one place that writes one to disk.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any, NamedTuple

from skinlog import __version__
from skinlog.domain.analysis import period_trend, weekly
from skinlog.domain.entry import Entry
from skinlog.domain.flags import LEVEL_WORDS, NOTICE, evaluate, evidence_text
from skinlog.domain.products import Product
from skinlog.domain.regions import BY_ID, REGION_IDS, REGIONS
from skinlog.domain.settings import effective
from skinlog.errors import ConflictError, JournalError, UsageError

FORMAT_NAME = "skinlog-export"
VERSION = 2  # 2 adds entry events and the journal id; import reads 1 and 2

# FHIR coding. No LOINC code exists for a milia count, so Observation.code carries a code of
# this project's own system next to the SNOMED CT concept for milia.
PROJECT_SYSTEM = "urn:skinlog:fhir:code"
EVENT_SYSTEM = "urn:skinlog:fhir:event"
PROCEDURE_SYSTEM = "urn:skinlog:fhir:procedure"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
LATERALITY_URL = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
SPEC = "product spec (codes found in public FHIR/DICOM mappings); not checked in a SNOMED CT browser"
DICOM = "DICOM PS3.16 body part to SNOMED CT mapping (public copies); not checked in a SNOMED CT browser"
LATERALITY = ("product spec: the SNOMED CT laterality qualifiers named for HL7's "
              "observation-structureLaterality extension; not checked in a SNOMED CT browser")

# The one table of SNOMED CT codes used, each with where it came from. Regions with no code of
# their own use the nearest confirmed parent (face); body regions carry text only.
SNOMED_CODES: dict[str, tuple[str, str, str]] = {
    "milia": ("254679001", "Milia", SPEC),
    "face": ("89545001", "Face structure", DICOM),
    "forehead": ("52795006", "Forehead structure", DICOM),
    "cheek": ("60819002", "Buccal region of face", DICOM),
    "nose": ("45206002", "Nasal structure", DICOM),
    "eyelid": ("80243003", "Eyelid structure", DICOM),
    "chin": ("30291003", "Chin structure", DICOM),
    "lip": ("48477009", "Lip structure", DICOM),
    "temporal_region": ("450721000", "Temporal region structure", SPEC),  # never 78277001 (brain)
    "left": ("7771000", "Left", LATERALITY),
    "right": ("24028007", "Right", LATERALITY),
}
# Each region's body site (a key of SNOMED_CODES, or None for text only) and side (the person's own).
REGION_SITE: dict[str, tuple[str | None, str | None]] = {
    "forehead": ("forehead", None),
    "temple_left": ("temporal_region", "left"),
    "temple_right": ("temporal_region", "right"),
    "eyelid_left": ("eyelid", "left"),
    "eyelid_right": ("eyelid", "right"),
    "under_eye_left": ("face", "left"),
    "under_eye_right": ("face", "right"),
    "nose": ("nose", None),
    "cheek_left": ("cheek", "left"),
    "cheek_right": ("cheek", "right"),
    "perioral": ("face", None),
    "chin": ("chin", None),
    "jaw_left": ("face", "left"),
    "jaw_right": ("face", "right"),
    "ear_left": ("face", "left"),
    "ear_right": ("face", "right"),
    "neck": (None, None),
    "trunk": (None, None),
    "limbs": (None, None),
    "genital": (None, None),
}


class ExportData(NamedTuple):
    """What an export covers: the entries in the period and everything needed to describe them."""

    entries: list[Entry]
    products: list[Product]
    settings: dict[str, Any]  # as stored in the journal (only what the user set)
    today: date
    since: date | None
    until: date | None
    name: str | None
    journal_id: str = ""  # kept through export and import; FHIR ids are derived from it


def gather(journal: Any, today: date, since: date | None = None, until: date | None = None,
           name: str | None = None) -> ExportData:
    if since and until and since > until:
        raise UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}")
    # A journal not yet written has no id: its export (of nothing) gets a fresh one.
    journal_id = journal.journal_id() or str(uuid.uuid4())
    return ExportData(journal.entries(since=since, until=until), journal.products(), journal.settings(),
                      today, since, until, name, journal_id)


def _generated_at() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _as_of(data: ExportData) -> date:
    """Flags and trends are as of the end of the period (today for an open-ended export)."""
    return min(data.today, data.until) if data.until else data.today


def _product_use(entries: Sequence[Entry]) -> dict[str, tuple[int, date, date]]:
    use: dict[str, tuple[int, date, date]] = {}
    for entry in entries:
        for name in entry.products:
            days, first, _ = use.get(name, (0, entry.date, entry.date))
            use[name] = (days + 1, first, entry.date)
    return use


def summary(data: ExportData) -> dict[str, Any]:
    entries = data.entries
    if not entries:
        return {"days_logged": 0, "first_date": None, "last_date": None, "current_total": None,
                "peak_total": None, "peak_date": None, "trend": "not enough entries"}
    peak = max(entries, key=lambda e: (e.total, e.date))
    before, after, word = period_trend(entries, _as_of(data))
    return {
        "days_logged": len(entries),
        "first_date": entries[0].date.isoformat(),
        "last_date": entries[-1].date.isoformat(),
        "current_total": entries[-1].total,
        "peak_total": peak.total,
        "peak_date": peak.date.isoformat(),
        "trend": word,
        "trend_mean_before": None if before is None else round(before, 2),
        "trend_mean_after": None if after is None else round(after, 2),
    }


def export_entry(entry: Entry) -> dict[str, Any]:
    """An entry as exported: the public shape plus its timestamps, so an import restores it exactly."""
    return {**entry.to_public(), "created": entry.created, "updated": entry.updated}


def export_json(data: ExportData) -> dict[str, Any]:
    """The clinician JSON document (see the shipped schema)."""
    entries = data.entries
    use = _product_use(entries)
    flags = evaluate(entries, effective(data.settings), _as_of(data), data.products)
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
                **p.to_dict(),
                "days_used": use.get(p.name, (0,))[0],
                "first_used": use[p.name][1].isoformat() if p.name in use else None,
                "last_used": use[p.name][2].isoformat() if p.name in use else None,
            }
            for p in data.products
        ],
        "settings": dict(data.settings),
        "entries": [export_entry(e) for e in entries],
        "weekly": [w.to_public() for w in weekly(entries)],
        "flags": [f.to_public() for f in flags],
        "summary": summary(data),
        "notice": NOTICE,
    }


def _coding(key: str) -> dict[str, str]:
    code, display, _source = SNOMED_CODES[key]
    return {"system": SNOMED, "code": code, "display": display}


def _body_site(region: str) -> dict[str, Any]:
    """The region as a CodeableConcept; lateral regions carry the laterality extension, so left
    and right differ by code and not only by their text."""
    site, side = REGION_SITE[region]
    concept: dict[str, Any] = {}
    if side:
        concept["extension"] = [{"url": LATERALITY_URL, "valueCodeableConcept": {"coding": [_coding(side)]}}]
    if site:
        concept["coding"] = [_coding(site)]
    concept["text"] = BY_ID[region].label
    return concept


# Every Observation is self-reported: the person counts and rates their own skin with the same
# few questions each day, which is what the HL7 "survey" category is for (assessment tools and
# questionnaires). "exam" would say a clinician examined the skin, which nobody did.
CATEGORY = [{
    "coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
        "code": "survey",
        "display": "Survey",
    }],
    "text": "Self-reported in the skinlog journal",
}]
# MedicationStatement.category for what the person says they used, over the counter included.
MEDICATION_CATEGORY = {
    "coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/medication-statement-category",
        "code": "patientspecified",
        "display": "Patient Specified",
    }],
}
SYMPTOM_TEXT = {"redness": "Redness", "itch": "Itch", "pain": "Pain"}


def _code(code: str, display: str, milia: bool = False) -> dict[str, Any]:
    coding = [{"system": PROJECT_SYSTEM, "code": code, "display": display}]
    if milia:
        coding.append(_coding("milia"))
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
        return {"resourceType": resource_type, "id": self.id(key),
                "identifier": [{"system": self.system, "value": key}]}


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
            obs.update(code=REGION_CODE, subject=patient, effectiveDateTime=day, performer=[patient],
                       valueQuantity=_count(count), bodySite=_body_site(region))
            regions.append(obs)
    total = ids.head("Observation", f"{day}/total")
    total.update(common)
    total.update(code=DAILY_CODE, subject=patient, effectiveDateTime=day, performer=[patient],
                 valueQuantity=_count(entry.total))
    if regions:
        total["hasMember"] = [{"reference": f"urn:uuid:{obs['id']}"} for obs in regions]
    if entry.note:
        total["note"] = [{"text": entry.note}]
    yield total
    yield from regions
    for name in SYMPTOM_TEXT:
        value = getattr(entry.symptoms, name)
        if value:
            obs = ids.head("Observation", f"{day}/symptom/{name}")
            obs.update(common)
            obs.update(code=SYMPTOM_CODES[name], subject=patient, effectiveDateTime=day, performer=[patient],
                       valueInteger=value)
            yield obs
    if entry.picked:
        obs = ids.head("Observation", f"{day}/picked")
        obs.update(common)
        obs.update(code=PICKED_CODE, subject=patient, effectiveDateTime=day, performer=[patient],
                   valueBoolean=True)
        yield obs
    for event in entry.events:
        obs = ids.head("Observation", f"{day}/event/{event}")
        obs.update(common)
        label = event.replace("_", " ").capitalize()
        obs.update(code=EVENT_CODE, subject=patient, effectiveDateTime=day, performer=[patient],
                   valueCodeableConcept={"coding": [{"system": EVENT_SYSTEM, "code": event, "display": label}],
                                         "text": label})
        yield obs
    if entry.procedure != "none":
        procedure = ids.head("Procedure", f"{day}/procedure")
        label = entry.procedure.replace("_", " ").capitalize()
        procedure.update(
            status="completed",
            code={"coding": [{"system": PROCEDURE_SYSTEM, "code": entry.procedure, "display": label}],
                  "text": label},
            subject=patient, performedDateTime=day, recorder=patient, asserter=patient,
        )
        yield procedure


def _medication_statements(data: ExportData, ids: _Ids, patient: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Each product used in the period, with its period of use (first to last day logged)."""
    entries = data.entries
    use = _product_use(entries)
    last_day = entries[-1].date if entries else None
    for product in data.products:
        if product.name not in use:
            continue
        days, first, last = use[product.name]
        statement = ids.head("MedicationStatement", f"product/{product.name}")
        heavy = ", heavy or occlusive" if product.heavy else ""
        statement.update(
            status="active" if last == last_day else "completed",
            category=MEDICATION_CATEGORY,
            medicationCodeableConcept={"text": product.name},
            subject=patient,
            effectivePeriod={"start": first.isoformat(), "end": last.isoformat()},
            informationSource=patient,
            note=[{"text": f"{product.category.replace('_', ' ')}{heavy}; used on {days} of "
                           f"{len(entries)} logged days"}],
        )
        yield statement


def fhir_resources(data: ExportData) -> Iterator[dict[str, Any]]:
    """The Bundle's resources in order, one at a time (a long journal never holds them all)."""
    ids = _Ids(data.journal_id)
    patient_resource = ids.head("Patient", "patient")
    if data.name:
        patient_resource["name"] = [{"text": data.name}]
    yield patient_resource
    patient = {"reference": f"urn:uuid:{patient_resource['id']}"}
    for entry in data.entries:
        yield from _day_resources(entry, ids, patient)
    yield from _medication_statements(data, ids, patient)


def _bundle_head() -> dict[str, Any]:
    return {"resourceType": "Bundle", "id": str(uuid.uuid4()), "type": "collection",
            "timestamp": _generated_at()}


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


def export_markdown(data: ExportData) -> str:
    """A one-page summary to print: period, where things stand, weekly chart, flags, products."""
    entries = data.entries
    info = summary(data)
    title = "Milia journal summary" + (f": {data.name}" if data.name else "")
    lines = [f"# {title}", ""]
    if not entries:
        return "\n".join([*lines, "Nothing was logged in this period.", "", f"_{NOTICE}_", ""])
    lines.append(f"Period {info['first_date']} to {info['last_date']} · {info['days_logged']} days logged · "
                 f"written {data.today.isoformat()} by skinlog {__version__}")
    lines += ["", "## Where things stand", ""]
    trend = info["trend"]
    if info.get("trend_mean_before") is not None and info.get("trend_mean_after") is not None:
        trend += f" ({info['trend_mean_before']:.1f} → {info['trend_mean_after']:.1f} bumps a day)"
    lines.append(f"Latest entry {info['last_date']}: {info['current_total']} bumps in all. "
                 f"Peak {info['peak_total']} on {info['peak_date']}. Last 4 weeks against the 4 before: {trend}.")
    recent_start = entries[-1].date - timedelta(days=27)
    recent = [e for e in entries if e.date >= recent_start]
    lines += ["", "| Region | Latest | Mean a day, last 4 weeks | Days with bumps (all) |", "|---|---:|---:|---:|"]
    for region in REGION_IDS:
        days = sum(1 for e in entries if e.count(region))
        if not days:
            continue
        mean = sum(e.count(region) for e in recent) / len(recent)
        lines.append(f"| {BY_ID[region].label} | {entries[-1].count(region)} | {mean:.1f} | {days} |")
    weeks = weekly(entries)[-26:]
    if weeks:
        means = [w.mean_total for w in weeks]
        peak = max(m for m in means if m is not None)
        lines += ["", "## Mean bumps a day, week by week", "", "```",
                  f"{sparkline(means)}  peak {peak:.1f}",
                  f"{weeks[0].start.isoformat()} … {weeks[-1].start.isoformat()} (weeks starting)", "```"]
    flags = evaluate(entries, effective(data.settings), _as_of(data), data.products)
    lines += ["", "## Flags", ""]
    if not flags:
        lines.append("No active flags.")
    for f in flags:
        where = ", ".join(BY_ID[r].label for r in f.regions) or "all regions"
        lines += [f"- **{LEVEL_WORDS[f.level]}** · {f.code} · {where} · since {f.since.isoformat()}  ",
                  f"  {f.advice}  ",
                  f"  _Evidence: {evidence_text(f.evidence)}._"]
    use = _product_use(entries)
    lines += ["", "## Products", "", "| Product | Category | Days used | First | Last |", "|---|---|---:|---|---|"]
    for p in sorted(data.products, key=lambda p: -use.get(p.name, (0,))[0]):
        if p.name in use:
            days, first, last = use[p.name]
            heavy = ", heavy" if p.heavy else ""
            lines.append(f"| {p.name} | {p.category.replace('_', ' ')}{heavy} | {days} | {first} | {last} |")
    events = [e for e in entries if e.procedure != "none" or e.picked]
    if events:
        lines += ["", "## Procedures and picking", ""]
        for e in events:
            what = [e.procedure.replace("_", " ")] if e.procedure != "none" else []
            what += ["picked or squeezed"] if e.picked else []
            lines.append(f"- {e.date.isoformat()}: {', '.join(what)}")
    lines += ["", f"_{NOTICE}_", ""]
    return "\n".join(lines)


EXPORTERS: dict[str, Callable[[ExportData], Any]] = {
    "json": export_json,
    "fhir": export_fhir,
    "md": export_markdown,
}
EXTENSIONS = {"json": "json", "fhir": "fhir.json", "md": "md"}


def render_chunks(fmt: str, data: ExportData) -> Iterator[bytes]:
    """The export as the bytes of a file, in pieces: FHIR is built and written a resource at a
    time, so a century of entries never sits in memory as one document."""
    import orjson

    if fmt not in EXPORTERS:
        raise UsageError(f"unknown export format '{fmt}'; choose one of: {', '.join(EXPORTERS)}")
    if fmt == "fhir":
        yield from _fhir_chunks(data)
        return
    document = EXPORTERS[fmt](data)
    if isinstance(document, str):
        yield document.encode()
    else:
        yield orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def render(fmt: str, data: ExportData) -> bytes:
    """The export as the bytes of a file."""
    return b"".join(render_chunks(fmt, data))


def write_export(path: str, payload: bytes | Iterable[bytes], force: bool = False) -> None:
    """Write an export file readable only by you; an existing file needs ``force``."""
    from skinlog.storage import atomic_write

    target = os.path.abspath(os.path.expanduser(path))
    if os.path.isdir(target):
        raise UsageError(f"{path} is a folder: give a file name")
    if os.path.exists(target) and not force:
        raise ConflictError(f"{path} already exists: add --force to replace it")
    if not os.path.isdir(os.path.dirname(target)):
        raise JournalError(f"cannot write {path}: the folder {os.path.dirname(target)} does not exist")
    try:
        if isinstance(payload, bytes):
            atomic_write(target, payload)
        else:
            _atomic_write_chunks(target, payload)
    except OSError as exc:
        raise JournalError(f"cannot write {path}: {exc.strerror or exc}") from None


def _atomic_write_chunks(path: str, chunks: Iterable[bytes]) -> None:
    """``storage.atomic_write`` for a payload that comes in pieces: temp file in the same folder,
    fsync, rename, fsync of the folder; a failure leaves the old file and no temp file."""
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            for chunk in chunks:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def schema() -> dict[str, Any]:
    """The JSON Schema of the JSON export (versions 1 and 2), shipped with the package."""
    import json
    from importlib.resources import files

    return json.loads(files("skinlog").joinpath("schema/export.schema.json").read_text())
