"""Clinician exports: a versioned JSON document, a FHIR R4 Bundle and a one-page Markdown summary.

Each exporter takes an ``ExportData`` and returns the document (no printing, no files);
``write_export`` is the one place that writes one to disk.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any, NamedTuple

from skinlog import __version__
from skinlog.domain.analysis import period_trend, weekly
from skinlog.domain.entry import Entry
from skinlog.domain.flags import LEVEL_WORDS, NOTICE, evaluate, evidence_text
from skinlog.domain.products import Product
from skinlog.domain.regions import BY_ID, REGION_IDS, REGIONS
from skinlog.domain.settings import effective
from skinlog.errors import UsageError

FORMAT_NAME = "skinlog-export"
VERSION = 1

# FHIR coding. No LOINC code exists for a milia count, so Observation.code carries a code of
# this project's own system next to the SNOMED CT concept for milia.
PROJECT_SYSTEM = "urn:skinlog:fhir:code"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
SPEC = "product spec (codes found in public FHIR/DICOM mappings); not checked in a SNOMED CT browser"
DICOM = "DICOM PS3.16 body part to SNOMED CT mapping (public copies); not checked in a SNOMED CT browser"

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
}
REGION_SITE: dict[str, str | None] = {
    "forehead": "forehead",
    "temple_left": "temporal_region",
    "temple_right": "temporal_region",
    "eyelid_left": "eyelid",
    "eyelid_right": "eyelid",
    "under_eye_left": "face",
    "under_eye_right": "face",
    "nose": "nose",
    "cheek_left": "cheek",
    "cheek_right": "cheek",
    "perioral": "face",
    "chin": "chin",
    "jaw_left": "face",
    "jaw_right": "face",
    "ear_left": "face",
    "ear_right": "face",
    "neck": None,
    "trunk": None,
    "limbs": None,
    "genital": None,
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


def gather(journal: Any, today: date, since: date | None = None, until: date | None = None,
           name: str | None = None) -> ExportData:
    if since and until and since > until:
        raise UsageError(f"--since {since.isoformat()} is after --until {until.isoformat()}")
    return ExportData(journal.entries(since=since, until=until), journal.products(), journal.settings(),
                      today, since, until, name)


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
    site = REGION_SITE[region]
    label = BY_ID[region].label
    return {"coding": [_coding(site)], "text": label} if site else {"text": label}


def _observation_note(entry: Entry) -> str:
    parts = [f"Products: {', '.join(entry.products)}" if entry.products else "Products: none"]
    s = entry.symptoms
    if any(s):
        parts.append(f"redness {s.redness}/3, itch {s.itch}/3, pain {s.pain}/3")
    if entry.picked:
        parts.append("picked or squeezed")
    if entry.procedure != "none":
        parts.append(f"procedure: {entry.procedure.replace('_', ' ')}")
    return "; ".join(parts)


def export_fhir(data: ExportData) -> dict[str, Any]:
    """A FHIR R4 Bundle (collection): a Patient and one Observation per region per day with bumps."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "urn:skinlog")
    patient_id = str(uuid.uuid4())
    patient: dict[str, Any] = {"resourceType": "Patient", "id": patient_id}
    if data.name:
        patient["name"] = [{"text": data.name}]
    resources: list[dict[str, Any]] = [patient]
    code = {
        "coding": [
            {"system": PROJECT_SYSTEM, "code": "milia-count", "display": "Milia count in one body region"},
            _coding("milia"),
        ],
        "text": "Milia count",
    }
    subject = {"reference": f"urn:uuid:{patient_id}"}
    for entry in data.entries:
        note = [{"text": _observation_note(entry)}]
        for region in REGION_IDS:
            count = entry.count(region)
            if not count:
                continue
            resources.append({
                "resourceType": "Observation",
                "id": str(uuid.uuid5(namespace, f"{patient_id}/{entry.date.isoformat()}/{region}")),
                "status": "final",
                "code": code,
                "subject": subject,
                "effectiveDateTime": entry.date.isoformat(),
                "valueQuantity": {"value": count, "unit": "count", "system": UCUM, "code": "{count}"},
                "bodySite": _body_site(region),
                "note": note,
            })
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": _generated_at(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


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


def render(fmt: str, data: ExportData) -> bytes:
    """The export as the bytes of a file."""
    import orjson

    if fmt not in EXPORTERS:
        raise UsageError(f"unknown export format '{fmt}'; choose one of: {', '.join(EXPORTERS)}")
    document = EXPORTERS[fmt](data)
    if isinstance(document, str):
        return document.encode()
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def write_export(path: str, payload: bytes, force: bool = False) -> None:
    """Write an export file readable only by you. An existing file needs ``force``, and only a
    regular file is ever replaced (see ``skinlog.services.files``)."""
    from skinlog.services.files import write_new_file

    write_new_file(path, payload, force)


def schema() -> dict[str, Any]:
    """The JSON Schema of the JSON export, shipped with the package."""
    import json
    from importlib.resources import files

    return json.loads(files("skinlog").joinpath("schema/export-v1.schema.json").read_text())
