"""The visit report: one printed page a dermatologist reads in a minute.

``render_report`` gathers what the page shows (``report_data``: plain data, no drawing), draws the
face map and the timeline as SVG (``skinlog.services.report_figures``, matplotlib) and typesets
the page with typst (``report.typ`` beside this file), offline with the fonts that come with the
packages. Both are imported only when a report is made: ``skinlog report`` and the PDF export.

The page is always one page: each section shows at most a few items (the rest is counted), and
if the page still runs over, it is typeset again with fewer (``BUDGETS``).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skinlog import __version__
from skinlog.domain.analysis import reference_date
from skinlog.domain.entry import SYMPTOMS, Entry
from skinlog.domain.flags import Flag
from skinlog.domain.photos import Photo
from skinlog.domain.products import Product, product_use
from skinlog.domain.regions import BY_ID, REGION_IDS
from skinlog.domain.words import (
    LEVEL_WORDS,
    NOTICE,
    advice_sentence,
    as_of_line,
    effect_line,
    event_label,
    evidence_text,
    flag_name,
    label,
    plural,
)
from skinlog.errors import SkinlogError, UsageError

if TYPE_CHECKING:
    from skinlog.domain.effects import Evaluation
    from skinlog.services.export import ExportData
    from skinlog.storage import Journal

PAPERS = {"a4": "a4", "letter": "us-letter"}
RECENT_DAYS = 28
TREATMENTS = frozenset({"retinoid", "aha", "bha"})
MISSING = (
    "the visit report needs typst and matplotlib, which are not installed: "
    "pip install 'skinlog[report]' (or: pip install typst matplotlib)"
)


class MissingReportTools(SkinlogError):
    """typst or matplotlib is not installed (the ``report`` extra)."""


@dataclass(frozen=True)
class Budget:
    """How much each section may show."""

    flags: int = 4
    evidence: int = 260  # characters of evidence and of advice per flag
    regions: int = 8
    products: int = 10
    lanes: int = 10
    effects: int = 3
    photos: int = 4
    photo_height: int = 36  # mm


BUDGETS: tuple[Budget, ...] = (
    Budget(),
    Budget(flags=3, evidence=180, regions=6, products=7, lanes=7, effects=2, photo_height=28),
    Budget(flags=2, evidence=120, regions=5, products=5, lanes=5, effects=1, photos=2, photo_height=24),
    Budget(flags=2, evidence=90, regions=4, products=3, lanes=3, effects=0, photos=0),
)


def _clip(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word to ``limit`` characters with an ellipsis."""
    one = " ".join(text.split())
    if len(one) <= limit:
        return one
    cut = one[: limit - 1].rsplit(" ", 1)[0] if " " in one[: limit - 1] else one[: limit - 1]
    return cut.rstrip(",;: ") + "…"


def _breakable(text: str, run: int = 12) -> str:
    """``text`` with a place to break (a zero-width space) in every ``run`` characters of a long
    word: a name typed without spaces still fits its column."""
    words = []
    for word in text.split(" "):
        if len(word) > run:
            word = "\u200b".join(word[i : i + run] for i in range(0, len(word), run))
        words.append(word)
    return " ".join(words)


def _mean(values: Sequence[int], days: int) -> float:
    return sum(values) / days if days else 0.0


def _period(data: ExportData) -> tuple[date, date]:
    entries = data.entries
    if not entries:
        return (data.since or data.today, data.until or data.today)
    return (data.since or entries[0].date, data.until or entries[-1].date)


def _recent(history: Sequence[Entry], as_of: date, start: date) -> list[Entry]:
    """The entries of the 4 weeks up to ``as_of`` (and within the period)."""
    first = max(as_of - timedelta(days=RECENT_DAYS - 1), start)
    return [e for e in history if first <= e.date <= as_of]


def _flag(f: Flag, limit: int) -> dict[str, str]:
    where = ", ".join(BY_ID[r].short for r in f.regions)
    return {
        "level": LEVEL_WORDS[f.level],
        "name": flag_name(f.code),
        "where": _clip(where, 60),
        "since": f"since {f.since.isoformat()}",
        "evidence": _clip(evidence_text(f), limit),
        "advice": _clip(advice_sentence(f), limit),
    }


def _ranked_regions(entries: Sequence[Entry], recent: Sequence[Entry]) -> list[str]:
    """Regions with bumps in the period, the most affected first (recent mean, then peak)."""
    peak: dict[str, int] = {}
    for e in entries:
        for r, n in e.counts.items():
            if n > peak.get(r, 0):
                peak[r] = n
    recent_sum = {r: sum(e.count(r) for e in recent) for r in peak}
    return sorted(peak, key=lambda r: (-recent_sum[r], -peak[r], REGION_IDS.index(r)))


def _category(product: Product | None) -> str:
    if product is None:
        return "not in catalogue"
    return label(product.category) + (", heavy" if product.heavy and product.category != "occlusive" else "")


def _dark(product: Product | None) -> bool:
    return bool(product and (product.category in TREATMENTS or product.heavy))


def report_data(
    data: ExportData,
    photos: Sequence[tuple[Photo, str]] = (),
    budget: Budget = BUDGETS[0],
    paper: str = "a4",
    evaluated: Sequence[Evaluation] | None = None,
) -> dict[str, Any]:
    """Everything the page says, as plain data (``data.json`` for the template), with the
    figures' inputs under ``"figures"``. ``photos`` are (photo, file) pairs already chosen;
    ``evaluated`` the treatment evaluations, when they were already worked out."""
    entries = data.entries
    history = data.history or entries
    start, end = _period(data)
    as_of = data.as_of or reference_date(history, min(data.today, data.until) if data.until else data.today)
    span = (end - start).days + 1
    recent = _recent(history, as_of, start)
    recent_days = (as_of - max(as_of - timedelta(days=RECENT_DAYS - 1), start)).days + 1
    stamp = as_of_line(as_of, data.today, data.until) or f"as of today, {as_of.isoformat()}"
    logged = (
        f"{plural(len(entries), 'day')} logged of {span} ({round(100 * len(entries) / span)}% adherence)"
        if entries
        else "nothing logged in this period"
    )
    # regions
    ranked = _ranked_regions(entries, recent)
    peaks: dict[str, tuple[int, date]] = {}
    for e in entries:
        for r, n in e.counts.items():
            if n > peaks.get(r, (0, e.date))[0]:
                peaks[r] = (n, e.date)
    cells = {
        r: (_mean([e.count(r) for e in recent], recent_days), peaks.get(r, (0, start))[0]) for r in REGION_IDS
    }
    weeks_label = f"{recent_days} days to {as_of.isoformat()}"
    regions = [
        {
            "label": BY_ID[r].label,
            "mean": f"{cells[r][0]:.1f}",
            "days": f"{sum(1 for e in recent if e.count(r))} of {len(recent)}",
            "peak": f"{peaks[r][0]} on {peaks[r][1].isoformat()}",
        }
        for r in ranked[: budget.regions]
    ]
    rest = ranked[budget.regions :]
    # products
    catalogue = {p.name: p for p in data.products}
    use = product_use(entries)
    ordered = sorted(use, key=lambda n: (not _dark(catalogue.get(n)), -use[n].days, n.casefold()))
    products = [
        {
            "name": _breakable(_clip(n, 40)),
            "category": _category(catalogue.get(n)),
            "days": str(use[n].days),
            "span": f"{use[n].first.isoformat()} – {use[n].last.isoformat()}",
        }
        for n in ordered[: budget.products]
    ]
    more_products = ordered[budget.products :]
    # effects (only those whose change falls in the period)
    effects: list[str] = []
    if budget.effects:
        from skinlog.services.export import evaluations

        every = evaluations(data) if evaluated is None else evaluated
        found = [ev for ev in every if start <= ev.change.day <= end]
        effects = [_clip(effect_line(ev), 230) for ev in found[-budget.effects :]]
    # symptoms
    symptoms = []
    for k in SYMPTOMS:
        strong = sum(1 for e in entries if getattr(e.symptoms, k) >= 2)
        some = sum(1 for e in entries if getattr(e.symptoms, k) >= 1)
        last = next((e.date.isoformat() for e in reversed(entries) if getattr(e.symptoms, k)), "–")
        symptoms.append(
            [
                k.capitalize(),
                str(some),
                str(strong),
                str(sum(1 for e in recent if getattr(e.symptoms, k))),
                last,
            ]
        )
    picked = [e for e in entries if e.picked]
    symptoms.append(
        [
            "Picked",
            str(len(picked)),
            "",
            str(sum(1 for e in recent if e.picked)),
            picked[-1].date.isoformat() if picked else "–",
        ]
    )
    history_lines = []
    procedures = [e for e in entries if e.procedure != "none"]
    history_lines.append(
        "Procedures: "
        + (
            "; ".join(f"{label(e.procedure)} {e.date.isoformat()}" for e in procedures[-4:])
            + (f" (and {len(procedures) - 4} earlier)" if len(procedures) > 4 else "")
            if procedures
            else "none logged."
        )
    )
    events = [(e.date, n) for e in entries for n in e.events]
    history_lines.append(
        "Events that can cause milia: "
        + (
            "; ".join(f"{event_label(n)} {d.isoformat()}" for d, n in events[-4:])
            + (f" (and {len(events) - 4} earlier)" if len(events) > 4 else "")
            if events
            else "none logged."
        )
    )
    # the timeline's inputs
    top_two = ranked[:2]
    lanes = [
        (
            f"{_clip(n, max(8, 29 - len(_category(catalogue.get(n)))))} · {_category(catalogue.get(n))}",
            n,
            _dark(catalogue.get(n)),
        )
        for n in ordered[: budget.lanes]
    ]
    markers = [("procedure", e.date, label(e.procedure)) for e in procedures] + [
        ("event", d, event_label(n)) for d, n in events
    ]
    flags = list(data.flags)
    flags_shown = flags[: budget.flags]
    return {
        "paper": PAPERS[paper],
        "title": "Milia journal · visit report",
        "name": _breakable(data.name) if data.name else None,
        "period": f"Period {start.isoformat()} to {end.isoformat()}",
        "logged": logged,
        "asof": f"Flags and trends {stamp}",
        "written": f"Written {data.today.isoformat()} by skinlog {__version__}",
        "map_note": (
            f"Seen from the front, as you face the patient: their left is on your right. "
            f"Shade and bold number: mean bumps a day over the last {recent_days} days "
            f"(to {as_of.isoformat()}); small number: the highest count in the period. "
            "The app's own map is a mirror (the patient's left on the left)."
        ),
        "flags_title": f"Flags ({len(flags)} active, as of {as_of.isoformat()})",
        "no_flags": f"No active flags as of {as_of.isoformat()}.",
        "flags": [_flag(f, budget.evidence) for f in flags_shown],
        "flags_more": (
            f"… and {plural(len(flags) - len(flags_shown), 'more flag')}: "
            + ", ".join(flag_name(f.code) for f in flags[len(flags_shown) :])
            if len(flags) > len(flags_shown)
            else ""
        ),
        "regions_title": "Regions with bumps in the period",
        "regions_head": ["Region", f"Mean/day ({recent_days} d)", "Days with bumps", "Peak (period)"],
        "regions": regions,
        "no_regions": "No bumps were logged in this period.",
        "regions_more": ("Also: " + ", ".join(BY_ID[r].label for r in rest) + ".") if rest else "",
        "timeline_title": "Over the period: bumps a day, products, procedures and events",
        "timeline_note": (
            "Solid bars: treatments (retinoids, acids) and heavy products; hatched: the others. "
            "Grey marks under the chart: days not logged (the line breaks there)."
        ),
        "products": products,
        "products_more": (
            f"… and {plural(len(more_products), 'more product')}: "
            + _clip(", ".join(more_products), 300 if budget.products >= 7 else 120)
            if more_products
            else ""
        ),
        "effects": effects,
        "effects_note": "Against the trend before each change; not proof of cause (skinlog effect --all).",
        "symptoms_title": f"Symptoms (0 to 3) and picking: days of {len(entries)} logged",
        "symptoms_head": [
            "",
            "any (≥ 1)",
            "strong (≥ 2)",
            f"last {recent_days} d",
            "Latest",
        ],
        "symptoms": symptoms,
        "history": history_lines,
        "photos_title": "Photos",
        "photos": [
            {
                "file": f"photo{i}.{Path(path).suffix.lstrip('.') or 'jpg'}",
                "caption": f"{p.day.isoformat()} · {', '.join(BY_ID[r].short for r in p.regions) or 'no region'}",
            }
            for i, (p, path) in enumerate(photos[: budget.photos])
        ],
        "photo_height": budget.photo_height,
        "notice": NOTICE,
        "figures": {
            "start": start,
            "end": end,
            "cells": cells,
            "weeks_label": weeks_label,
            "top": top_two,
            "lanes": lanes,
            "more_lanes": max(0, len(ordered) - budget.lanes),
            "markers": markers,
        },
    }


def choose_photos(photos: Sequence[Photo], ranked: Sequence[str], since: date, until: date) -> list[Photo]:
    """Up to four photos of the period: the earliest two and the latest two of the most affected
    region that has photos (or of any region, when none has)."""
    shown = [p for p in photos if since <= p.day <= until]
    for region in ranked:
        of = [p for p in shown if region in p.regions]
        if of:
            shown = of
            break
    return list(shown) if len(shown) <= 4 else [*shown[:2], *shown[-2:]]


def _import_tools() -> tuple[Any, Any]:
    try:
        import typst

        from skinlog.services import report_figures
    except ImportError:
        raise MissingReportTools(MISSING) from None
    return typst, report_figures


def _figures(fig: dict[str, Any], entries: Sequence[Entry], figures: Any) -> dict[str, bytes]:
    start, end = fig["start"], fig["end"]
    cells = {r: figures.RegionCell(m, p) for r, (m, p) in fig["cells"].items()}
    in_period = [e for e in entries if start <= e.date <= end]
    totals = {e.date: e.total for e in in_period}
    regions = [(BY_ID[r].short, {e.date: e.count(r) for e in in_period}) for r in fig["top"]]
    used: dict[str, list[date]] = {}
    for e in in_period:
        for n in e.products:
            used.setdefault(n, []).append(e.date)
    lanes = [figures.Lane(text, used.get(n, []), dark) for text, n, dark in fig["lanes"]]
    markers = [figures.Marker(d, kind, text) for kind, d, text in fig["markers"]]
    timeline = figures.Timeline(start, end, totals, regions, lanes, fig["more_lanes"], markers)
    return {
        "face.svg": figures.face_map(cells, fig["weeks_label"]),
        "timeline.svg": figures.timeline(timeline),
    }


def _pages(pdf: bytes) -> int:
    """Pages in a PDF typst wrote (its page tree is one /Pages object with the count)."""
    found = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf) or re.search(
        rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf
    )
    return int(found.group(1)) if found else 0


def _photo_bytes(path: str) -> bytes | None:
    """A photo made small enough for a page (at most 900 pixels a side, JPEG); None when its
    file cannot be read."""
    try:
        from PIL import Image

        with Image.open(path) as img:
            img.thumbnail((900, 900))
            out = img.convert("RGB")
        import io

        buf = io.BytesIO()
        out.save(buf, format="JPEG", quality=82)
        return buf.getvalue()
    except Exception:  # a missing or damaged file leaves the photo out, not the report
        return None


def typeset(data: ExportData, photos: Sequence[tuple[Photo, str]] = (), paper: str = "a4") -> bytes:
    """The report as PDF bytes: one page, whatever the journal holds."""
    if paper not in PAPERS:
        raise UsageError(f"unknown paper '{paper}'; choose one of: {', '.join(PAPERS)}")
    typst, figures = _import_tools()
    import matplotlib

    template = (Path(__file__).with_name("report.typ")).read_bytes()
    fonts = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
    stamp = int(datetime(data.today.year, data.today.month, data.today.day, tzinfo=timezone.utc).timestamp())
    pictures: list[tuple[Photo, str, bytes]] = []
    for photo, path in photos:
        raw = _photo_bytes(path)
        if raw is not None:
            pictures.append((photo, path, raw))
    from skinlog.services.export import evaluations

    evaluated = evaluations(data)  # once, whichever budget the page ends up with
    drawn: dict[tuple[int, int], dict[str, bytes]] = {}
    pdf = b""
    # typst reads pictures from files (its in-memory files are text only): a private folder
    # that is removed afterwards
    with tempfile.TemporaryDirectory(prefix="skinlog-report-") as folder:
        root = Path(folder)
        for i, (_, _, raw) in enumerate(pictures):
            (root / f"photo{i}.jpg").write_bytes(raw)
        (root / "main.typ").write_bytes(template)
        for budget in BUDGETS:
            shown = [(p, f"{i}.jpg") for i, (p, _, _) in enumerate(pictures)]
            page = report_data(data, shown, budget, paper, evaluated)
            fig = page.pop("figures")
            key = (budget.lanes, len(fig["lanes"]))
            if key not in drawn:
                drawn[key] = _figures(fig, data.entries, figures)
            for file, content in {
                "data.json": json.dumps(page, ensure_ascii=False).encode(),
                **drawn[key],
            }.items():
                (root / file).write_bytes(content)
            try:
                pdf = typst.compile(
                    str(root / "main.typ"),
                    root=str(root),
                    format="pdf",
                    font_paths=[fonts],
                    ignore_system_fonts=True,
                    timestamp=stamp,
                )
            except Exception as exc:  # typst reports a template or font problem as its own error
                first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
                raise SkinlogError(f"the report could not be typeset: {first}") from None
            if _pages(pdf) == 1:
                return bytes(pdf)
    return bytes(pdf)  # the tightest budget; the tests hold that it is one page


def pick_photos(journal: Journal, data: ExportData) -> list[tuple[Photo, str]]:
    """The photos the report shows, with their files."""
    from skinlog.services.photos import photo_file

    start, end = _period(data)
    history = data.history or data.entries
    as_of = data.as_of or data.today
    ranked = _ranked_regions(data.entries, _recent(history, as_of, start))
    chosen = choose_photos(journal.photos(), ranked, start, end)
    return [(p, str(photo_file(journal.path, p))) for p in chosen]


def render_report(
    journal: Journal,
    today: date,
    since: date | None = None,
    until: date | None = None,
    name: str | None = None,
    paper: str = "a4",
    out_path: str | None = None,
    force: bool = False,
) -> bytes:
    """The visit report of ``journal`` as PDF bytes; with ``out_path`` also written there (0600,
    an existing file only with ``force``)."""
    from skinlog.services.export import gather, write_export

    _import_tools()  # say what is missing before reading anything
    if out_path is not None:
        from skinlog.services.files import check_target

        check_target(out_path, force)
    data = gather(journal, today, since, until, name)
    pdf = typeset(data, pick_photos(journal, data), paper)
    if out_path is not None:
        write_export(out_path, pdf, force=force)
    return pdf


def pdf_chunks(data: ExportData) -> Iterator[bytes]:
    """The report as the export format ``pdf`` (the app's export dialog): A4, with the photos of
    the journal it was gathered from."""
    photos: list[tuple[Photo, str]] = []
    if data.journal_path:
        from skinlog.storage import Journal

        photos = pick_photos(Journal(data.journal_path), data)
    yield typeset(data, photos)
