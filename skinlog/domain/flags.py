"""The flag rules: patterns in the journal that deserve attention, with the numbers behind them.

Each rule is one row of ``RULES`` (its code, levels, the settings it reads, its check and the
strength of its evidence); the check is a small function of a ``Context`` returning ``Flag``
values and sees only the settings its row names. Thresholds come from the user's settings (see
``skinlog.domain.settings``); windows end on the reference date (``analysis.reference_date``:
today, or the last entry's date when logging stopped more than 14 days ago). The words of each
flag (name, evidence, advice) live in ``skinlog.domain.words``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from skinlog.domain.analysis import reference_date
from skinlog.domain.entry import Entry
from skinlog.domain.products import Product
from skinlog.domain.regions import EYE_AREA, REGION_IDS
from skinlog.domain.settings import SETTINGS
from skinlog.domain.words import LEVEL_WORDS, NOTICE, advice, evidence_text

__all__ = [
    "LEVELS",
    "LEVEL_WORDS",
    "NOTICE",
    "Flag",
    "by_importance",
    "evaluate",
    "evidence_text",
    "highest_level",
]

LEVELS = ("info", "watch", "see_clinician")
TREATMENT_CATEGORIES = frozenset({"retinoid", "aha"})
COMPARE_DAYS = 14  # the stretch at each end of a window that before/after means are taken over
TRIGGER_DAYS = 56  # the 8 weeks after a logged event in which new bumps count as following it


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


def _flag(code: str, level: str, regions: Sequence[str], since: date, evidence: dict[str, object]) -> Flag:
    return Flag(code, level, tuple(regions), since, evidence, advice(code, level, regions, evidence))


class Context:
    """What every rule looks at: entries oldest first (none after the reference date), settings,
    the reference date (``today`` in the rules) and the catalogue by casefolded name."""

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

    def reading(self, names: Sequence[str]) -> Context:
        """The same context with only the settings ``names``: a rule sees only those it reads."""
        narrowed = copy(self)
        narrowed.settings = {name: self.settings[name] for name in names if name in self.settings}
        return narrowed

    def since(self, first: date) -> Sequence[Entry]:
        """Entries from ``first`` to today (a binary search: a journal may be a century long)."""
        return self.entries[bisect_left(self.dates, first, 0, len(self.entries)) :]

    def category(self, name: str) -> str:
        product = self.catalogue.get(name.casefold())
        return product.category if product else "other"

    def heavy(self, name: str) -> bool:
        """The product's own heavy mark (which the user can change); unknown products are not."""
        product = self.catalogue.get(name.casefold())
        return bool(product and product.heavy)

    def days(self, name: str) -> int:
        return int(self.settings[name])


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _recent(ctx: Context) -> Sequence[Entry]:
    """Entries in the last ``recent_days`` days up to the reference date."""
    return ctx.since(ctx.today - timedelta(days=ctx.days("recent_days") - 1))


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
        flags.append(
            _flag(
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
            )
        )
    return flags


def spreading(ctx: Context) -> list[Flag]:
    """Bumps in the recent days on a region that had none in the baseline weeks before (the
    baseline needs ``baseline_min_entries`` entries): watch when seen on one recent entry,
    see_clinician when seen on ``spread_confirm_entries`` or more. Or a recent mean total at
    least ``spread_ratio`` times the baseline's and ``spread_min_increase`` bumps more:
    see_clinician."""
    s = ctx.settings
    recent_start = ctx.today - timedelta(days=ctx.days("recent_days") - 1)
    baseline_start = recent_start - timedelta(days=ctx.days("baseline_weeks") * 7)
    window = ctx.since(baseline_start)
    recent = [e for e in window if e.date >= recent_start]
    baseline = [e for e in window if e.date < recent_start]
    if not recent or len(baseline) < s["baseline_min_entries"]:
        return []
    seen_before = {r for e in baseline for r, n in e.counts.items() if n}
    seen_on = {r: sum(1 for e in recent if e.count(r)) for r in REGION_IDS if r not in seen_before}
    new = {r: n for r, n in seen_on.items() if n}
    recent_mean = _mean([e.total for e in recent]) or 0.0
    baseline_mean = _mean([e.total for e in baseline]) or 0.0
    surge = (
        recent_mean >= s["spread_ratio"] * baseline_mean
        and recent_mean - baseline_mean >= s["spread_min_increase"]
    )
    if not new and not surge:
        return []
    confirmed = any(n >= s["spread_confirm_entries"] for n in new.values())
    rising = _rising_regions(recent, baseline, s["spread_ratio"]) if surge else {}
    evidence: dict[str, object] = {
        "new_regions": list(new),
        "entries_with_new_bumps": new,
        "recent_mean_total": round(recent_mean, 2),
        "baseline_mean_total": round(baseline_mean, 2),
        "rising_regions": rising,
        "recent_entries": len(recent),
        "baseline_entries": len(baseline),
        "recent_days": ctx.days("recent_days"),
        "baseline_weeks": ctx.days("baseline_weeks"),
        "sudden_rise": surge,
    }
    firsts = [e.date for e in recent if any(e.count(r) for r in new)]
    if surge:
        firsts.append(next((e.date for e in recent if e.total > baseline_mean), recent[0].date))
    involved = set(new) | set(rising)
    risen = [r for r in REGION_IDS if r in involved]
    level = "see_clinician" if surge or confirmed else "watch"
    return [_flag("spreading", level, risen, min(firsts), evidence)]


def _rising_regions(
    recent: Sequence[Entry], baseline: Sequence[Entry], ratio: float
) -> dict[str, dict[str, float]]:
    """The regions behind a rise in the daily total: recent mean at least ``ratio`` times the
    baseline's and half a bump a day more (or, if none is, the one that rose most)."""
    means = {}
    for r in REGION_IDS:
        before = sum(e.count(r) for e in baseline) / len(baseline)
        after = sum(e.count(r) for e in recent) / len(recent)
        if after > before:
            means[r] = (before, after)
    clear = [r for r, (b, a) in means.items() if a >= ratio * b and a - b >= 0.5]
    if not clear and means:
        clear = [max(means, key=lambda r: means[r][1] - means[r][0])]
    return {r: {"baseline_mean": round(means[r][0], 2), "recent_mean": round(means[r][1], 2)} for r in clear}


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
    evidence: dict[str, object] = {
        "date": latest.date.isoformat(),
        "counts": counts,
        "threshold": int(s["cluster_count"]),
    }
    return [_flag("cluster", "see_clinician", dense, latest.date, evidence)]


def inflamed(ctx: Context) -> list[Flag]:
    """Redness, itch or pain at ``symptom_level`` or more, logged together with bumps, lately."""
    level = ctx.settings["symptom_level"]
    days = [e for e in _recent(ctx) if e.total and max(e.symptoms) >= level]
    if not days:
        return []
    regions = [r for r in REGION_IDS if any(e.count(r) for e in days)]
    evidence: dict[str, object] = {
        "days": [e.date.isoformat() for e in days],
        "max_redness": max(e.symptoms.redness for e in days),
        "max_itch": max(e.symptoms.itch for e in days),
        "max_pain": max(e.symptoms.pain for e in days),
    }
    return [_flag("inflamed", "see_clinician", regions, days[0].date, evidence)]


def picking(ctx: Context) -> list[Flag]:
    """Picking or squeezing logged lately."""
    days = [e for e in _recent(ctx) if e.picked]
    if not days:
        return []
    return [_flag("picking", "watch", (), days[0].date, {"days": [e.date.isoformat() for e in days]})]


def _eye_area(entry: Entry) -> int:
    return sum(entry.count(r) for r in EYE_AREA)


def heavy_near_eyes(ctx: Context) -> list[Flag]:
    """Products marked heavy used on ``heavy_min_days`` or more of the last ``heavy_days``
    calendar days, including days in the last 14 (the rise), while the eye-area mean of the last
    14 days is above that of the 14 before."""
    s = ctx.settings
    span = ctx.days("heavy_days")
    start = ctx.today - timedelta(days=span - 1)
    window = ctx.since(start)
    used = [e for e in window if any(ctx.heavy(p) for p in e.products)]
    if len(used) < s["heavy_min_days"]:
        return []
    split = ctx.today - timedelta(days=COMPARE_DAYS - 1)
    if used[-1].date < split:
        return []  # not used while the bumps rose
    after = [_eye_area(e) for e in ctx.since(split)]
    before = [_eye_area(e) for e in ctx.since(split - timedelta(days=COMPARE_DAYS)) if e.date < split]
    mean_before, mean_after = _mean(before), _mean(after)
    if mean_before is None or mean_after is None or mean_after <= mean_before:
        return []
    names = sorted({p for e in used for p in e.products if ctx.heavy(p)}, key=str.casefold)
    regions = [r for r in REGION_IDS if r in EYE_AREA and any(e.count(r) for e in window)]
    evidence: dict[str, object] = {
        "products": names,
        "heavy_days": len(used),
        "window_days": span,
        "heavy_days_last_14": sum(1 for e in used if e.date >= split),
        "last_used": used[-1].date.isoformat(),
        "eye_area_mean_before": round(mean_before, 2),
        "eye_area_mean_after": round(mean_after, 2),
    }
    return [_flag("heavy_near_eyes", "watch", regions, used[0].date, evidence)]


def genital_area(ctx: Context) -> list[Flag]:
    """Bumps logged in the genital area lately: other conditions look alike there."""
    days = [e for e in _recent(ctx) if e.count("genital")]
    if not days:
        return []
    evidence: dict[str, object] = {
        "days": [e.date.isoformat() for e in days],
        "max_count": max(e.count("genital") for e in days),
    }
    return [_flag("genital_area", "watch", ("genital",), days[0].date, evidence)]


def secondary_trigger(ctx: Context) -> list[Flag]:
    """A region whose first bumps ever came in the 8 weeks after a logged event (burn,
    blistering, steroid cream, ...). Events that point at overlapping regions make one info flag
    naming them all, each with the first and last date it was logged before those bumps."""
    first_bump: dict[str, date] = {}
    for entry in ctx.entries:
        for region, count in entry.counts.items():
            if count and region not in first_bump:
                first_bump[region] = entry.date
    if not first_bump:
        return []
    found: dict[str, tuple[list[date], set[str]]] = {}
    for entry in ctx.entries:
        if not entry.events:
            continue
        end = entry.date + timedelta(days=TRIGGER_DAYS)
        followed = {r for r, first in first_bump.items() if entry.date <= first <= end}
        for event in entry.events if followed else ():
            dates, regions = found.setdefault(event, ([], set()))
            dates.append(entry.date)
            regions |= followed
    # Events whose regions overlap become one flag (a region is named by one flag only).
    groups: list[tuple[list[str], set[str]]] = []
    for event in sorted(found, key=lambda e: found[e][0][0]):
        regions = set(found[event][1])
        events = [event]
        for group in [g for g in groups if g[1] & regions]:
            groups.remove(group)
            events = group[0] + events
            regions |= group[1]
        groups.append((events, regions))
    flags = []
    for events, regions in groups:
        events.sort(key=lambda e: (found[e][0][0], e))
        ordered = [r for r in REGION_IDS if r in regions]
        evidence: dict[str, object] = {
            "events": [
                {
                    "event": e,
                    "first": found[e][0][0].isoformat(),
                    "last": found[e][0][-1].isoformat(),
                    "days": len(found[e][0]),
                }
                for e in events
            ],
            "first_bumps": {r: first_bump[r].isoformat() for r in ordered},
        }
        flags.append(_flag("secondary_trigger", "info", ordered, found[events[0]][0][0], evidence))
    return flags


def not_improving(ctx: Context) -> list[Flag]:
    """A retinoid or AHA on at least ``treatment_share`` of logged days over the last
    ``treatment_weeks`` weeks (the journal covering the whole stretch), and the mean total of the
    last fortnight not at least ``improvement_drop`` below that of the first fortnight."""
    s = ctx.settings
    start = ctx.today - timedelta(days=ctx.days("treatment_weeks") * 7 - 1)
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
    evidence: dict[str, object] = {
        "products": names,
        "share_of_days": round(share, 2),
        "weeks": ctx.days("treatment_weeks"),
        "first_fortnight_mean": round(first, 2),
        "last_fortnight_mean": round(last, 2),
        "change_percent": round(100 * (last - first) / first, 1),
        "needed_drop_percent": round(100 * s["improvement_drop"]),
    }
    regions = [r for r in REGION_IDS if any(e.count(r) for e in window[-COMPARE_DAYS:])]
    return [_flag("not_improving", "info", regions, start, evidence)]


@dataclass(frozen=True)
class Rule:
    """One flag rule: its code, the levels its flags can have, the settings it reads (their
    defaults, ranges and help are in ``skinlog.domain.settings``), the check that finds its flags
    and how strong a flag's evidence is, to rank flags of one rule (the larger, the stronger)."""

    code: str
    levels: tuple[str, ...]
    reads: tuple[str, ...]
    check: Callable[[Context], list[Flag]]
    strength: Callable[[Mapping[str, object]], tuple[float, ...]]

    @property
    def defaults(self) -> dict[str, float]:
        return {name: SETTINGS[name].default for name in self.reads}


def _number(evidence: Mapping[str, object], key: str) -> float:
    value = evidence.get(key)
    if isinstance(value, (list, dict)):
        return float(len(value))
    return float(value) if isinstance(value, (int, float)) else 0.0


def _largest_count(evidence: Mapping[str, object]) -> tuple[float, ...]:
    counts = evidence.get("counts")
    return (float(max(counts.values())) if isinstance(counts, dict) and counts else 0.0,)


# The rules by flag code (the order is the order of the checks; flags are sorted afterwards).
RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "persistent",
            ("watch", "see_clinician"),
            ("persist_weeks", "persist_clinician_weeks", "gap_days"),
            persistent,
            lambda ev: (_number(ev, "mean_count"), _number(ev, "days")),
        ),
        Rule(
            "spreading",
            ("watch", "see_clinician"),
            (
                "recent_days",
                "baseline_weeks",
                "baseline_min_entries",
                "spread_ratio",
                "spread_min_increase",
                "spread_confirm_entries",
            ),
            spreading,
            lambda ev: (_number(ev, "recent_mean_total") - _number(ev, "baseline_mean_total"),),
        ),
        Rule("cluster", ("see_clinician",), ("recent_days", "cluster_count"), cluster, _largest_count),
        Rule(
            "inflamed",
            ("see_clinician",),
            ("recent_days", "symptom_level"),
            inflamed,
            lambda ev: (_number(ev, "days"),),
        ),
        Rule("picking", ("watch",), ("recent_days",), picking, lambda ev: (_number(ev, "days"),)),
        Rule(
            "heavy_near_eyes",
            ("watch",),
            ("heavy_days", "heavy_min_days"),
            heavy_near_eyes,
            lambda ev: (_number(ev, "heavy_days"),),
        ),
        Rule(
            "genital_area",
            ("watch",),
            ("recent_days",),
            genital_area,
            lambda ev: (_number(ev, "max_count"), _number(ev, "days")),
        ),
        Rule(
            "secondary_trigger",
            ("info",),
            (),
            secondary_trigger,
            lambda ev: (_number(ev, "first_bumps"),),
        ),
        Rule(
            "not_improving",
            ("info",),
            ("treatment_weeks", "treatment_share", "improvement_drop"),
            not_improving,
            lambda ev: (_number(ev, "share_of_days"),),
        ),
    )
}


def evaluate(
    entries: Sequence[Entry],
    settings: Mapping[str, float],
    today: date,
    catalogue: Sequence[Product] = (),
) -> list[Flag]:
    """Every active flag as of ``reference_date(entries, today)``, most important first (see
    ``by_importance``). The whole history up to that date is looked at (entries oldest first)."""
    as_of = reference_date(entries, today)
    ctx = Context(entries, settings, as_of, {p.name.casefold(): p for p in catalogue})
    return by_importance([flag for rule in RULES.values() for flag in rule.check(ctx.reading(rule.reads))])


def strength(flag: Flag) -> tuple[float, ...]:
    return RULES[flag.code].strength(flag.evidence) if flag.code in RULES else ()


def by_importance(flags: Sequence[Flag]) -> list[Flag]:
    """Most serious level first; within a level the strongest flag of each rule (in rule order),
    then each rule's second strongest, and so on: ten regions that stay cannot push a cluster
    out of a short list, and a region at 4 bumps a day comes before one at 1."""
    order = list(RULES)
    ranked = sorted(flags, key=lambda f: (f.code, [-x for x in strength(f)], f.since, f.regions))
    rank: dict[int, int] = {}
    seen: dict[tuple[str, str], int] = {}
    for f in ranked:
        key = (f.level, f.code)
        rank[id(f)] = seen.get(key, 0)
        seen[key] = rank[id(f)] + 1
    return sorted(
        ranked,
        key=lambda f: (
            -LEVELS.index(f.level),
            rank[id(f)],
            order.index(f.code) if f.code in order else len(order),
        ),
    )


def highest_level(flags: Sequence[Flag]) -> str | None:
    return max((f.level for f in flags), key=LEVELS.index, default=None)
