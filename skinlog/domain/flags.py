"""The flag rules: patterns in the journal that deserve attention, with the numbers behind them.

Each rule is a small function of a ``Context`` returning ``Flag`` values. Thresholds come from
the user's settings (see ``skinlog.domain.settings``); windows end on ``today``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from skinlog.domain.entry import Entry
from skinlog.domain.products import Product
from skinlog.domain.regions import BY_ID, EYE_AREA, REGION_IDS

LEVELS = ("info", "watch", "see_clinician")
LEVEL_WORDS = {"see_clinician": "see a clinician", "watch": "watch", "info": "info"}
NOTICE = (
    "skinlog is a journal, not a doctor: flags point out patterns worth asking about, "
    "they are not a diagnosis or medical advice."
)
HEAVY_CATEGORIES = frozenset({"occlusive", "eye_cream"})
TREATMENT_CATEGORIES = frozenset({"retinoid", "aha"})
COMPARE_DAYS = 14  # the stretch at each end of a window that before/after means are taken over


class Flag(NamedTuple):
    """One active flag."""

    code: str
    level: str
    regions: tuple[str, ...]
    since: date
    evidence: dict[str, object]
    advice: str

    def to_public(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "regions": list(self.regions),
            "since": self.since.isoformat(),
            "evidence": self.evidence,
            "advice": self.advice,
        }


class Context:
    """What every rule looks at: entries oldest first (none after today), settings, today and
    the catalogue by casefolded name."""

    def __init__(
        self,
        entries: Sequence[Entry],
        settings: Mapping[str, float],
        today: date,
        catalogue: Mapping[str, Product],
    ) -> None:
        self.dates = [e.date for e in entries]
        self.entries = entries[: bisect_right(self.dates, today)]
        self.settings = settings
        self.today = today
        self.catalogue = catalogue

    def since(self, first: date) -> Sequence[Entry]:
        """Entries from ``first`` to today (a binary search: a journal may be a century long)."""
        return self.entries[bisect_left(self.dates, first, 0, len(self.entries)):]

    def category(self, name: str) -> str:
        product = self.catalogue.get(name.casefold())
        return product.category if product else "other"


def _labels(regions: Sequence[str]) -> str:
    names = [BY_ID[r].label for r in regions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def persistent(ctx: Context) -> list[Flag]:
    """A region with bumps in every entry of an unbroken run (gaps of up to ``gap_days`` days
    without an entry do not break it) lasting ``persist_weeks`` weeks or more, up to the latest
    entry. From ``persist_clinician_weeks`` the level is see_clinician."""
    entries, s = ctx.entries, ctx.settings
    if not entries or (ctx.today - entries[-1].date).days > s["gap_days"]:
        return []
    latest = entries[-1]
    flags = []
    for region in REGION_IDS:
        if not latest.count(region):
            continue
        first = latest
        counted = 1
        total = latest.count(region)
        for entry in reversed(entries[:-1]):
            if (first.date - entry.date).days - 1 > s["gap_days"] or not entry.count(region):
                break
            first = entry
            counted += 1
            total += entry.count(region)
        days = (latest.date - first.date).days + 1
        if days < s["persist_weeks"] * 7:
            continue
        serious = days >= s["persist_clinician_weeks"] * 7
        label = BY_ID[region].label
        weeks = days // 7
        advice = (
            f"{label} has had bumps in every entry for {weeks} weeks (you asked to be told after "
            f"{int(s['persist_weeks'])}). Milia often clear by themselves within months; "
        )
        advice += (
            "ones that stay this long are worth showing to a dermatologist, who can remove them safely."
            if serious
            else "if these stay, a dermatologist can remove them safely."
        )
        flags.append(
            Flag(
                "persistent",
                "see_clinician" if serious else "watch",
                (region,),
                first.date,
                {
                    "days": days,
                    "weeks": round(days / 7, 1),
                    "entries": counted,
                    "mean_count": round(total / counted, 2),
                    "latest_count": latest.count(region),
                    "setting_persist_weeks": int(s["persist_weeks"]),
                },
                advice,
            )
        )
    return flags


def spreading(ctx: Context) -> list[Flag]:
    """Bumps in the recent days on a region that had none in the baseline weeks before (the
    baseline needs ``baseline_min_entries`` entries), or a recent mean total at least
    ``spread_ratio`` times the baseline's and ``spread_min_increase`` bumps more."""
    s = ctx.settings
    recent_start = ctx.today - timedelta(days=int(s["recent_days"]) - 1)
    baseline_start = recent_start - timedelta(days=int(s["baseline_weeks"]) * 7)
    window = ctx.since(baseline_start)
    recent = [e for e in window if e.date >= recent_start]
    baseline = [e for e in window if e.date < recent_start]
    if not recent or len(baseline) < s["baseline_min_entries"]:
        return []
    seen_before = {r for e in baseline for r in e.counts}
    new = [r for r in REGION_IDS if r not in seen_before and any(e.count(r) for e in recent)]
    recent_mean = _mean([e.total for e in recent]) or 0.0
    baseline_mean = _mean([e.total for e in baseline]) or 0.0
    surge = recent_mean >= s["spread_ratio"] * baseline_mean and recent_mean - baseline_mean >= s["spread_min_increase"]
    if not new and not surge:
        return []
    evidence: dict[str, object] = {
        "new_regions": new,
        "recent_mean_total": round(recent_mean, 2),
        "baseline_mean_total": round(baseline_mean, 2),
        "recent_entries": len(recent),
        "baseline_entries": len(baseline),
        "baseline_weeks": int(s["baseline_weeks"]),
    }
    if new:
        first_new = min(e.date for e in recent if any(e.count(r) for r in new))
        advice = (
            f"New bumps on the {_labels(new).lower()}, which had none in the "
            f"{int(s['baseline_weeks'])} weeks before. "
        )
    else:
        first_new = recent[0].date
        advice = ""
    if surge:
        advice += (
            f"The daily total rose from {baseline_mean:.1f} to {recent_mean:.1f} on average. "
            "A sudden crop of new bumps deserves a dermatologist's look."
        )
    else:
        advice += "Keep logging; if new ones keep appearing, show them to a dermatologist."
    risen = new or [r for r in REGION_IDS if any(e.count(r) for e in recent)]
    return [Flag("spreading", "see_clinician" if surge else "watch", tuple(risen), first_new, evidence, advice)]


def cluster(ctx: Context) -> list[Flag]:
    """One region with ``cluster_count`` or more bumps in the latest entry (if it is recent)."""
    s = ctx.settings
    if not ctx.entries:
        return []
    latest = ctx.entries[-1]
    if (ctx.today - latest.date).days >= s["recent_days"]:
        return []
    dense = [r for r in REGION_IDS if latest.count(r) >= s["cluster_count"]]
    if not dense:
        return []
    counts = {r: latest.count(r) for r in dense}
    return [
        Flag(
            "cluster",
            "see_clinician",
            tuple(dense),
            latest.date,
            {"date": latest.date.isoformat(), "counts": counts, "threshold": int(s["cluster_count"])},
            f"{max(counts.values())} bumps on the {_labels(dense).lower()} in the latest entry. Milia packed "
            "closely together, above all on a raised or red patch, should be checked by a dermatologist.",
        )
    ]


def _recent(ctx: Context) -> Sequence[Entry]:
    return ctx.since(ctx.today - timedelta(days=int(ctx.settings["recent_days"]) - 1))


def inflamed(ctx: Context) -> list[Flag]:
    """Redness or pain at ``symptom_level`` or more, logged together with bumps, lately."""
    level = ctx.settings["symptom_level"]
    days = [e for e in _recent(ctx) if e.total and (e.symptoms.redness >= level or e.symptoms.pain >= level)]
    if not days:
        return []
    regions = tuple(r for r in REGION_IDS if any(e.count(r) for e in days))
    return [
        Flag(
            "inflamed",
            "see_clinician",
            regions,
            days[0].date,
            {
                "days": [e.date.isoformat() for e in days],
                "max_redness": max(e.symptoms.redness for e in days),
                "max_pain": max(e.symptoms.pain for e in days),
            },
            "Bumps logged with redness or pain. Milia are normally neither red nor sore, so this "
            "pattern deserves a dermatologist's look.",
        )
    ]


def picking(ctx: Context) -> list[Flag]:
    """Picking or squeezing logged lately."""
    days = [e for e in _recent(ctx) if e.picked]
    if not days:
        return []
    return [
        Flag(
            "picking",
            "watch",
            (),
            days[0].date,
            {"days": [e.date.isoformat() for e in days]},
            f"Picking logged on {len(days)} recent day{'s' if len(days) > 1 else ''}. Milia have no "
            "opening, so squeezing rarely works and can leave scars or an infection; leave removal "
            "to a professional.",
        )
    ]


def heavy_near_eyes(ctx: Context) -> list[Flag]:
    """An occlusive or eye cream on at least ``heavy_share`` of the logged days in the last
    ``heavy_days`` days while the eye-area mean rose from the first fortnight to the last."""
    s = ctx.settings
    start = ctx.today - timedelta(days=int(s["heavy_days"]) - 1)
    window = ctx.since(start)
    if len(window) < 4:
        return []
    used = [e for e in window if any(ctx.category(p) in HEAVY_CATEGORIES for p in e.products)]
    if len(used) < s["heavy_share"] * len(window):
        return []
    split = ctx.today - timedelta(days=COMPARE_DAYS - 1)
    before = [sum(e.count(r) for r in EYE_AREA) for e in window if e.date < split]
    after = [sum(e.count(r) for r in EYE_AREA) for e in window if e.date >= split]
    mean_before, mean_after = _mean(before), _mean(after)
    if mean_before is None or mean_after is None or mean_after <= mean_before:
        return []
    names = sorted({p for e in used for p in e.products if ctx.category(p) in HEAVY_CATEGORIES})
    regions = tuple(r for r in REGION_IDS if r in EYE_AREA and any(e.count(r) for e in window))
    return [
        Flag(
            "heavy_near_eyes",
            "watch",
            regions,
            used[0].date,
            {
                "products": names,
                "days_used": len(used),
                "days_logged": len(window),
                "eye_area_mean_before": round(mean_before, 2),
                "eye_area_mean_after": round(mean_after, 2),
            },
            f"{', '.join(names)} used on {len(used)} of {len(window)} logged days while eye-area bumps "
            "rose. Rich creams around the eyes go with milia for some people; a lighter, "
            "non-comedogenic formula may be worth a try.",
        )
    ]


def not_improving(ctx: Context) -> list[Flag]:
    """A retinoid or AHA on at least ``treatment_share`` of logged days over the last
    ``treatment_weeks`` weeks (the journal covering the whole stretch), and the mean total of the
    last fortnight not at least ``improvement_drop`` below that of the first fortnight."""
    s = ctx.settings
    start = ctx.today - timedelta(days=int(s["treatment_weeks"]) * 7 - 1)
    window = ctx.since(start)
    if not window or (window[0].date - start).days >= COMPARE_DAYS:
        return []
    treated = [e for e in window if any(ctx.category(p) in TREATMENT_CATEGORIES for p in e.products)]
    share = len(treated) / len(window)
    if share < s["treatment_share"]:
        return []
    first = _mean([e.total for e in window if (e.date - start).days < COMPARE_DAYS])
    last = _mean([e.total for e in window if (ctx.today - e.date).days < COMPARE_DAYS])
    if not first or last is None or last <= first * (1 - s["improvement_drop"]):
        return []
    names = sorted({p for e in treated for p in e.products if ctx.category(p) in TREATMENT_CATEGORIES})
    return [
        Flag(
            "not_improving",
            "info",
            tuple(r for r in REGION_IDS if any(e.count(r) for e in window[-COMPARE_DAYS:])),
            start,
            {
                "products": names,
                "share_of_days": round(share, 2),
                "weeks": int(s["treatment_weeks"]),
                "first_fortnight_mean": round(first, 2),
                "last_fortnight_mean": round(last, 2),
                "change_percent": round(100 * (last - first) / first, 1),
            },
            f"{', '.join(names)} on {round(100 * share)}% of days for {int(s['treatment_weeks'])} weeks, "
            f"and the total has not fallen by {round(100 * s['improvement_drop'])}%. These help keep new "
            "milia away but seldom clear existing ones; ask a dermatologist about professional extraction.",
        )
    ]


RULES: tuple[Callable[[Context], list[Flag]], ...] = (
    persistent,
    spreading,
    cluster,
    inflamed,
    picking,
    heavy_near_eyes,
    not_improving,
)


def evaluate(
    entries: Sequence[Entry],
    settings: Mapping[str, float],
    today: date,
    catalogue: Sequence[Product] = (),
) -> list[Flag]:
    """Every active flag, most serious first."""
    ctx = Context(entries, settings, today, {p.name.casefold(): p for p in catalogue})
    flags = [flag for rule in RULES for flag in rule(ctx)]
    return sorted(flags, key=lambda f: (-LEVELS.index(f.level), f.since))


def evidence_text(evidence: Mapping[str, object]) -> str:
    """Evidence numbers as one readable line (region ids shown by their short labels)."""

    def shown(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(BY_ID[v].short if v in BY_ID else str(v) for v in value) or "none"
        if isinstance(value, dict):
            return ", ".join(f"{BY_ID[k].short if k in BY_ID else k} {v}" for k, v in value.items())
        return str(value)

    return ", ".join(f"{key.replace('_', ' ')} {shown(value)}" for key, value in evidence.items())


def highest_level(flags: Sequence[Flag]) -> str | None:
    return max((f.level for f in flags), key=LEVELS.index, default=None)
