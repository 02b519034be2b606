"""The words people read: flag headings, evidence, advice, the as-of line, region summaries
and counts. The command line, the app and the exported documents all use these, so
they cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from skinlog.domain.regions import BY_ID, REGION_IDS

if TYPE_CHECKING:
    from skinlog.domain.effects import Change, Estimate, Evaluation
    from skinlog.domain.flags import Flag

LEVEL_WORDS = {"see_clinician": "see a clinician", "watch": "watch", "info": "info"}
NOTICE = (
    "skinlog is a journal, not a doctor: flags point out patterns worth asking about, "
    "they are not a diagnosis or medical advice."
)
EVENT_WORDS = {
    "steroid_cream": "steroid cream",
    "burn": "burn",
    "blistering": "blistering",
    "sunburn": "sunburn",
    "dermabrasion": "dermabrasion",
    "laser_or_peel": "laser or peel",
    "new_medicine": "new medicine",
    "radiation": "radiation",
    "other": "other skin event",
}


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 bump", "2 bumps", "0 days" (``many`` for irregular plurals)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def and_list(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def region_labels(regions: Iterable[str]) -> str:
    """ "under-eye L, nose and lips": a region's one name, the short name the map, lists and the
    CLI use, in sentences too (the spelled-out label is only in `skinlog regions` and FHIR)."""
    return and_list([BY_ID[r].short for r in regions])


def region_summary(counts: Mapping[str, int], empty: str = "clear") -> str:
    """ "nose 2, cheek L 3" in face order, or ``empty`` for a day without bumps."""
    parts = [f"{BY_ID[r].short} {counts[r]}" for r in REGION_IDS if counts.get(r)]
    return ", ".join(parts) if parts else empty


def label(name: str) -> str:
    """A stored id (category, procedure) as words; events have their own words (``event_label``)."""
    return name.replace("_", " ")


def event_label(name: str) -> str:
    """An event id as words ("other" is "other skin event")."""
    return EVENT_WORDS.get(name) or label(name)


# -- the reference date


def as_of_line(as_of: date, today: date, until: date | None = None) -> str:
    """What a reader needs when flags and trends are not as of today; empty when they are.
    ``until`` is the end an export's period was given, if any."""
    if as_of >= today:
        return ""
    ago = plural((today - as_of).days, "day")
    if until is not None and as_of == until:
        return f"as of {as_of.isoformat()}, the end of the period, {ago} ago"
    where = " in the period" if until is not None else ""
    return f"as of your last entry{where} on {as_of.isoformat()}, {ago} ago"


# -- flags


def flag_heading(flag: Flag) -> str:
    """ "[SEE A CLINICIAN] bumps that stay · under-eye L · since 2026-01-02"."""
    labels = ", ".join(BY_ID[r].short for r in flag.regions)
    where = f" · {labels}" if labels else ""
    return (
        f"[{LEVEL_WORDS[flag.level].upper()}] {flag_name(flag.code)}{where} · since {flag.since.isoformat()}"
    )


FEW_DAYS = 7
"""Below this many days logged, the badge says how many days its flags rest on."""


def flag_count(flags: Sequence[Flag], noun: str = "flag") -> str:
    """ "2 flags · highest: see a clinician", "1 flag · watch": the number of flags and the
    highest level, worded so that the level is never read as every flag's."""
    from skinlog.domain.flags import highest_level

    top = LEVEL_WORDS[highest_level(flags) or "info"]
    if len(flags) == 1:
        return f"1 {noun} · {top}"
    return f"{plural(len(flags), noun)} · highest: {top}"


def flags_title(flags: Sequence[Flag], as_of: date, today: date) -> str:
    """ "2 active flags · highest: see a clinician, as of your last entry on ..."."""
    stamp = as_of_line(as_of, today)
    if not flags:
        return "No active flags" + (f", {stamp}." if stamp else ".")
    head = flag_count(flags, "active flag")
    return head + (f", {stamp}" if stamp else "")


def badge(flags: Sequence[Flag], as_of: date, today: date, days: int | None = None) -> str:
    """The app's status badge: "⚑ 2 flags · highest: see a clinician (as of 2026-07-09)".
    ``days``, the number of days logged, adds "based on 3 days" while there are fewer than
    ``FEW_DAYS``: a newcomer's first day should not read like a verdict."""
    stamp = f" (as of {as_of.isoformat()})" if as_of < today else ""
    if not flags:
        return "no flags" + stamp
    based = f" · based on {plural(days, 'day')}" if days is not None and days < FEW_DAYS else ""
    return f"⚑ {flag_count(flags)}{based}{stamp}"


def _short(value: object) -> str:
    """A region id by its short label, an event id in words; anything else (a product name) as is."""
    text = str(value)
    return BY_ID[text].short if text in BY_ID else EVENT_WORDS.get(text, text)


def _num(value: object) -> str:
    """A number as people read it: whole numbers as such, others to one decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _names(value: object) -> list[str]:
    return [_short(v) for v in value] if isinstance(value, list) else []


def _days_span(value: object) -> str:
    """ "on 2026-11-19" or "on 3 days, the latest 2026-11-19"."""
    days = [str(d) for d in value] if isinstance(value, list) else []
    if not days:
        return ""
    if len(days) == 1:
        return f"on {days[0]}"
    return f"on {len(days)} days, the latest {days[-1]}"


def _ev_persistent(ev: Mapping[str, object]) -> str:
    text = f"Bumps on every one of {plural(_int(ev.get('entries')), 'entry', 'entries')}"
    text += f" over {_num(ev.get('weeks'))} weeks" if ev.get("weeks") else ""
    parts = []
    if ev.get("mean_count"):
        parts.append(f"{_num(ev['mean_count'])} a day on average")
    if ev.get("latest_count"):
        parts.append(f"{_num(ev['latest_count'])} in the latest entry")
    return text + (f"; {', '.join(parts)}." if parts else ".")


def _ev_spreading(ev: Mapping[str, object]) -> str:
    recent = plural(_int(ev.get("recent_entries")), "entry", "entries")
    days, weeks, before = (
        _int(ev.get("recent_days")) or 14,
        ev.get("baseline_weeks"),
        _int(ev.get("baseline_entries")),
    )
    sentences = []
    seen = ev.get("entries_with_new_bumps")
    if isinstance(seen, dict) and seen:
        where = and_list([f"{_short(r)} on {_int(n)}" for r, n in seen.items()])
        sentences.append(
            f"New bumps on {where} of the {recent} in the last {days} days; "
            f"none in the {plural(before, 'entry', 'entries')} of the {weeks} weeks before."
        )
    if ev.get("sudden_rise"):
        text = (
            f"The daily total rose from {_num(ev.get('baseline_mean_total'))} in the {weeks} weeks before to "
            f"{_num(ev.get('recent_mean_total'))} in the last {days} days, on average"
        )
        rising = ev.get("rising_regions")
        if isinstance(rising, dict) and rising:
            text += "; most on " + and_list(
                [
                    f"{_short(r)} ({_num(m.get('baseline_mean'))} → {_num(m.get('recent_mean'))})"
                    for r, m in rising.items()
                    if isinstance(m, dict)
                ]
            )
        sentences.append(text + ".")
    return " ".join(sentences) or f"{recent[:1].upper()}{recent[1:]} in the last {days} days."


def _ev_cluster(ev: Mapping[str, object]) -> str:
    counts = ev.get("counts")
    where = (
        and_list([f"{_int(n)} on {_short(r)}" for r, n in counts.items()]) if isinstance(counts, dict) else ""
    )
    return f"In the entry of {ev.get('date')}: {where} (a cluster is {ev.get('threshold')} or more)."


def _ev_inflamed(ev: Mapping[str, object]) -> str:
    parts = [
        f"{name} up to {_int(ev.get(f'max_{name}'))}"
        for name in ("redness", "itch", "pain")
        if _int(ev.get(f"max_{name}"))
    ]
    what = and_list(parts) or "redness, itch or pain"
    return f"{what[:1].upper()}{what[1:]} with bumps {_days_span(ev.get('days'))}."


def _ev_picking(ev: Mapping[str, object]) -> str:
    return f"Picking logged {_days_span(ev.get('days'))}."


def _ev_heavy(ev: Mapping[str, object]) -> str:
    names = and_list(_strings(ev.get("products")))
    recent = _int(ev.get("heavy_days_last_14"))
    text = f"{names or 'Heavy products'} used on {_int(ev.get('heavy_days'))} of the last {ev.get('window_days')} days"
    if recent:
        text += f", {recent} of them in the last 14"
    if ev.get("last_used"):
        text += f" (the latest {ev['last_used']})"
    return (
        text + f"; bumps around the eyes rose from {_num(ev.get('eye_area_mean_before'))} to "
        f"{_num(ev.get('eye_area_mean_after'))} a day."
    )


def _ev_genital(ev: Mapping[str, object]) -> str:
    top = _int(ev.get("max_count"))
    return f"Bumps in the genital area {_days_span(ev.get('days'))}" + (
        f", up to {top} a day." if top else "."
    )


def _ev_secondary(ev: Mapping[str, object]) -> str:
    events = _events(ev)
    said = and_list([f"{event_label(name)} {when}" for name, when in events])
    first = ev.get("first_bumps")
    bumps = and_list([f"{_short(r)} {d}" for r, d in first.items()]) if isinstance(first, dict) else ""
    return f"Logged: {said}. First bumps: {bumps}." if bumps else f"Logged: {said}."


def _ev_not_improving(ev: Mapping[str, object]) -> str:
    names = and_list(_strings(ev.get("products")))
    share = ev.get("share_of_days")
    percent = round(100 * share) if isinstance(share, (int, float)) else share
    change = ev.get("change_percent")
    moved = ""
    if isinstance(change, (int, float)) and change:
        moved = f"{'up' if change > 0 else 'down'} {_num(abs(change))}%; "
    return (
        f"{names} on {percent}% of logged days for {ev.get('weeks')} weeks; the daily total went from "
        f"{_num(ev.get('first_fortnight_mean'))} to {_num(ev.get('last_fortnight_mean'))} "
        f"({moved}a fall of {ev.get('needed_drop_percent')}% was looked for)."
    )


def _code_of(evidence: Mapping[str, object]) -> str | None:
    found = next((code for code, w in FLAG_WORDS.items() if w.key and w.key in evidence), None)
    return found or ("picking" if set(evidence) == {"days"} else None)


def evidence_text(evidence: Flag | Mapping[str, object], code: str | None = None) -> str:
    """A flag's evidence as plain sentences (given the flag, or its evidence and code; without a
    code it is told from the evidence's keys). Empty and zero parts are left out."""
    if isinstance(evidence, Mapping):
        ev = evidence
    else:
        code, ev = evidence.code, evidence.evidence
    code = code or _code_of(ev)
    if code in FLAG_WORDS:
        return FLAG_WORDS[code].evidence(ev)
    return (
        "; ".join(
            f"{key.replace('_', ' ')} {_num(value)}"
            for key, value in ev.items()
            if value not in (None, "", [], {}, 0, False)
        )
        + "."
    )


def _events(ev: Mapping[str, object]) -> list[tuple[str, str]]:
    """A secondary_trigger flag's events as (event, "on D" or "from D to E"), oldest first."""
    found = ev.get("events")
    out = []
    if isinstance(found, list):
        for item in found:
            if isinstance(item, dict):
                first, last = item.get("first"), item.get("last")
                out.append(
                    (str(item.get("event")), f"on {first}" if first == last else f"from {first} to {last}")
                )
    elif ev.get("event"):  # exports written before flags were merged
        first, last = ev.get("first_event"), ev.get("last_event") or ev.get("first_event")
        out.append((str(ev["event"]), f"on {first}" if first == last else f"from {first} to {last}"))
    return out


def persistence_sentence(weeks: int, how_to_change: str = "") -> str:
    """The persistence window, said to be the user's setting; each interface says how to change it."""
    return f"Your persistence window is {weeks} weeks: your setting, not a medical rule{how_to_change}."


# -- advice: one function per flag code, from the flag's regions and evidence


def _int(value: object) -> int:
    return int(value) if isinstance(value, (int, float)) else 0


def _persistent(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    text = (
        f"{region_labels(regions)} has had bumps in every entry for {_int(ev['days']) // 7} weeks "
        f"(your persistence window is {ev['setting_persist_weeks']} weeks). Milia often clear by themselves "
        "within months; "
    )
    if level == "see_clinician":
        return (
            text
            + "ones that stay this long are worth showing to a dermatologist, who can remove them safely."
        )
    return text + "if these stay, a dermatologist can remove them safely."


def _spreading(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    found = ev.get("new_regions")
    new = [str(r) for r in found] if isinstance(found, list) else []
    text = ""
    if new:
        text = (
            f"New bumps on {region_labels(new)}, which had none in the {ev['baseline_weeks']} weeks before. "
        )
    if ev.get("sudden_rise"):
        rising = ev.get("rising_regions")
        most = f", mostly on {region_labels(list(rising))}" if isinstance(rising, dict) and rising else ""
        return text + (
            f"The daily total rose from {_num(ev['baseline_mean_total'])} to "
            f"{_num(ev['recent_mean_total'])} on average{most}. A sudden crop of new bumps deserves "
            "a dermatologist's look."
        )
    if level == "see_clinician":
        return (
            text + "They came back on more than one entry: new spots that keep appearing are worth showing "
            "to a dermatologist."
        )
    return text + "Keep logging; if new ones keep appearing, show them to a dermatologist."


def _cluster(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    counts = ev["counts"]
    top = max(counts.values()) if isinstance(counts, dict) else 0
    return (
        f"{plural(top, 'bump')} on {region_labels(regions)} in the latest entry. Milia packed "
        "closely together, above all on a raised or red patch, should be checked by a dermatologist."
    )


def _inflamed(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    return (
        "Bumps logged with redness, itch or pain. Milia are normally neither red, itchy nor sore, so this "
        "pattern deserves a dermatologist's look."
    )


def _picking(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    days = ev["days"]
    n = len(days) if isinstance(days, list) else 0
    return (
        f"Picking logged on {plural(n, 'recent day')}. Milia have no opening, so squeezing rarely works "
        "and can leave scars or an infection; leave removal to a professional."
    )


def _heavy(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    products = [str(p) for p in ev["products"]] if isinstance(ev["products"], list) else []
    return (
        f"{and_list(products)}, marked heavy, used on {ev['heavy_days']} of the last {ev['window_days']} days "
        "while bumps around the eyes rose. Rich creams around the eyes go with milia for some people; "
        "a lighter, non-comedogenic formula may be worth a try."
    )


def _genital(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    return (
        "Bumps logged in the genital area: have them checked by a clinician, because other conditions "
        "look alike there and need a different treatment."
    )


def _secondary(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    events = _events(ev)
    said = and_list([f"the {event_label(name)} {when}" for name, when in events])
    first = ev.get("first_bumps")
    bumps = sorted(date.fromisoformat(str(d)) for d in first.values()) if isinstance(first, dict) else []
    starts = _event_starts(ev)
    when = ""
    if bumps and starts:
        start = min(starts.values())
        gap = (bumps[-1] - start).days
        opening = and_list([event_label(n) for n, d in starts.items() if d == start])
        if gap <= 0:
            when = f" on the day of the {opening}"
        elif gap == 1:
            when = (
                f" on the day of the {opening} or the day after"
                if bumps[0] == start
                else f" the day after the {opening}"
            )
        else:
            when = f" in the {gap} days after the {opening}"
    return (
        f"Tell your dermatologist about {said}: bumps appeared on "
        f"{region_labels(regions)}{when}. Milia that follow skin damage or steroid "
        "creams are called secondary milia."
    )


def _event_starts(ev: Mapping[str, object]) -> dict[str, date]:
    found = ev.get("events")
    if isinstance(found, list):
        return {
            str(i.get("event")): date.fromisoformat(str(i.get("first"))) for i in found if isinstance(i, dict)
        }
    if ev.get("event") and ev.get("first_event"):
        return {str(ev["event"]): date.fromisoformat(str(ev["first_event"]))}
    return {}


def _not_improving(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    products = [str(p) for p in ev["products"]] if isinstance(ev["products"], list) else []
    share = ev["share_of_days"]
    percent = round(100 * share) if isinstance(share, (int, float)) else share
    return (
        f"{and_list(products)} on {percent}% of days for {ev['weeks']} weeks, and the total has not fallen "
        f"by {ev['needed_drop_percent']}%. These help keep new milia away but seldom clear existing ones; "
        "ask a dermatologist about professional extraction."
    )


class FlagWords(NamedTuple):
    """The words of one flag rule: its name, its evidence as sentences, its advice, and an evidence
    key only this rule's flags have (to tell the rule from evidence alone), if there is one."""

    name: str
    evidence: Callable[[Mapping[str, object]], str]
    advice: Callable[[Sequence[str], Mapping[str, object], str], str]
    key: str | None


# One row per flag code of ``skinlog.domain.flags.RULES``.
FLAG_WORDS: dict[str, FlagWords] = {
    "persistent": FlagWords("bumps that stay", _ev_persistent, _persistent, "setting_persist_weeks"),
    "spreading": FlagWords("spreading", _ev_spreading, _spreading, "baseline_mean_total"),
    "cluster": FlagWords("a cluster", _ev_cluster, _cluster, "threshold"),
    "inflamed": FlagWords("red, itchy or sore", _ev_inflamed, _inflamed, "max_redness"),
    "picking": FlagWords("picking", _ev_picking, _picking, None),  # its evidence is only "days"
    "heavy_near_eyes": FlagWords("heavy products near the eyes", _ev_heavy, _heavy, "heavy_days"),
    "genital_area": FlagWords("genital area", _ev_genital, _genital, "max_count"),
    "secondary_trigger": FlagWords("after a skin event", _ev_secondary, _secondary, "first_bumps"),
    "not_improving": FlagWords(
        "not improving on treatment", _ev_not_improving, _not_improving, "share_of_days"
    ),
}


def flag_name(code: str) -> str:
    """A flag code as words ("bumps that stay"); a code this version does not know, as is."""
    return FLAG_WORDS[code].name if code in FLAG_WORDS else code.replace("_", " ")


def advice_sentence(flag: Flag) -> str:
    """The advice itself, without what it says about the evidence (for pages that show the
    evidence next to it): the last sentence, or all of it where the first sentence is the advice."""
    if flag.code == "secondary_trigger":
        return flag.advice
    import re

    return re.split(r"(?<=[.!?])\s+", flag.advice.strip())[-1]


def advice(code: str, level: str, regions: Sequence[str], evidence: Mapping[str, object]) -> str:
    """The plain advice for a flag, written from its evidence."""
    return FLAG_WORDS[code].advice(regions, evidence, level)


# -- effects: is it working?

EFFECT_CAVEAT = (
    "These compare your own log before and after a change, against the trend of the weeks before "
    "it. They cannot show that the change caused what followed: other things change in the same "
    "weeks, and milia come and go slowly."
)
_BEFORE_WORDS = {"started": "before you started", "stopped": "before you stopped"}


def _pct(value: float | None) -> str:
    return f"{abs(value or 0):.0f}%"


def _bumps(value: float) -> str:
    return f"{abs(value):.1f}"


def effect_title(change: Change) -> str:
    """ "Adapalene (retinoid), started 2026-03-04", "extraction on 2026-06-11"."""
    if change.is_procedure:
        return f"{label(change.name).capitalize()} on {change.day.isoformat()}"
    kind = label(change.category) + (", heavy" if change.heavy and change.category != "occlusive" else "")
    who = " (the day you set)" if change.user_set else ""
    return f"{change.name} ({kind}), {change.direction} {change.day.isoformat()}{who}"


def not_enough_words(days_before: int, days_after: int, minimum: int) -> str:
    return f"not enough data: needs at least {minimum} logged days in each window (has {min(days_before, days_after)})"


def verdict_words(
    verdict: str, est: Estimate | None, change: Change, minimum: int, days: tuple[int, int]
) -> str:
    """The finding in plain words, never causal: "fell by 45% (interval 30% to 58%), more than
    the trend before you started would predict", "no clear change", "not enough data: ..."."""
    if verdict == "not_enough_data" or est is None:
        return not_enough_words(days[0], days[1], minimum)
    trend = "the trend " + (
        f"before the {label(change.name)}" if change.is_procedure else _BEFORE_WORDS[change.direction]
    )
    if verdict in ("fell", "rose"):
        if est.percent is not None and est.percent_low is not None and est.percent_high is not None:
            low, high = sorted((abs(est.percent_low), abs(est.percent_high)))
            size = f"{_pct(est.percent)} (interval {low:.0f}% to {high:.0f}%)"
        else:
            low, high = sorted((abs(est.low), abs(est.high)))
            size = f"{_bumps(est.change)} bumps a day (interval {low:.1f} to {high:.1f})"
        return f"{verdict} by {size}, more than {trend} would predict"
    if verdict == "trend_fell":
        return f"fell, but no more than {trend} would predict"
    if verdict == "trend_rose":
        return f"rose, but no more than {trend} would predict"
    return "no clear change"


def effect_line(ev: Evaluation) -> str:
    """The top line: what changed, when, and the verdict on the daily total."""
    from skinlog.domain.effects import MIN_DAYS

    verdict = verdict_words(ev.verdict, ev.total, ev.change, MIN_DAYS, (ev.days_before, ev.days_after))
    return f"{effect_title(ev.change)}: {verdict}"


def effect_details(ev: Evaluation) -> list[str]:
    """The lines under the top line: the means, the regions, and what else was going on."""
    from skinlog.domain.effects import MIN_DAYS

    c = ev.change
    if c.is_procedure:
        windows = "the 4 weeks after against the 4 weeks before"
    else:
        assert ev.lag is not None
        windows = f"weeks {ev.lag.first} to {ev.lag.last} after against the weeks before"
    lines = [
        f"Compared: {windows} ({ev.window[0].isoformat()} to {ev.window[1].isoformat()} against "
        f"{ev.baseline[0].isoformat()} to {ev.baseline[1].isoformat()}; "
        f"{ev.days_after} and {ev.days_before} logged days)."
    ]
    where = f" in {region_labels(ev.regions)}" if c.is_procedure and ev.regions else ""
    if ev.total is not None:
        t = ev.total
        lines.append(
            f"Bumps a day{where}: {t.before:.1f} before, {t.after:.1f} after; "
            f"the trend before predicted {t.expected:.1f}."
        )
    same = (
        ev.total is not None
        and ev.in_regions is not None
        and round(ev.in_regions.after, 1) == round(ev.total.after, 1)
    )
    if ev.in_regions is not None and ev.regions and not same:
        verdict = verdict_words(
            _region_verdict(ev), ev.in_regions, c, MIN_DAYS, (ev.days_before, ev.days_after)
        )
        lines.append(f"In the regions that had bumps at the start ({region_labels(ev.regions)}): {verdict}.")
    if ev.came_back is not None:
        first, last = ev.came_back
        lines.append(
            f"Bumps came back in those regions: {first:.1f} a day in the first week after, "
            f"{last:.1f} in the last."
        )
    if ev.others:
        said = [
            f"{label(o.name)} on {o.day.isoformat()}"
            if o.is_procedure
            else f"{o.name} {o.direction} {o.day.isoformat()}"
            for o in ev.others
        ]
        lines.append(f"Also changed in the same weeks: {and_list(said)}.")
    if ev.events:
        lines.append(
            "Skin events logged in these weeks: "
            + and_list([f"{event_label(e)} on {d.isoformat()}" for d, e in ev.events])
            + "."
        )
    from skinlog.domain.effects import MISSED_SHARE

    if ev.span and ev.missed_share >= MISSED_SHARE:
        lines.append(f"Many days were not logged: {ev.missed} of {ev.span} ({ev.missed_share:.0%}).")
    return lines


def _region_verdict(ev: Evaluation) -> str:
    from skinlog.domain.effects import verdict_of

    return verdict_of(ev.in_regions) if ev.in_regions else "not_enough_data"


def no_start_words(name: str) -> str:
    return (
        f"{name}: no start found (used on at least 60% of logged days over 4 weeks, after the "
        f"journal's first day); set one with --start DATE"
    )


# -- the habit: the app's header streak and `skinlog status`


def streak_line(logged_today: bool, streak: int) -> str:
    """The header's streak: "Logged 3 days in a row", or "Nothing logged today yet"."""
    if not logged_today:
        return "Nothing logged today yet"
    return f"Logged {plural(streak, 'day')} in a row"


def since_last_line(last: date | None, today: date) -> str:
    """ "last entry today", "last entry yesterday", "last entry 5 days ago (2026-11-18)"."""
    if last is None:
        return "no entries yet"
    days = (today - last).days
    if days <= 0:
        return "last entry today"
    if days == 1:
        return "last entry yesterday"
    return f"last entry {plural(days, 'day')} ago ({last.isoformat()})"


def status_short(logged_today: bool, streak: int, days_since: int | None, flag_words: str) -> str:
    """The one line of ``skinlog status --short`` (empty when today is logged and no flag is
    active: nothing to say in a prompt)."""
    parts = []
    if not logged_today:
        if days_since is None:
            parts.append("skinlog: nothing logged yet")
        elif streak:
            parts.append(f"skinlog: not logged today (streak {streak}, log today to keep it)")
        else:
            parts.append(f"skinlog: not logged today (last entry {plural(days_since, 'day')} ago)")
    if flag_words:
        parts.append(flag_words if parts else f"skinlog: {flag_words}")
    return " · ".join(parts)


# -- the Insights view

INSIGHTS_WORKING = "Working it out… (each treatment's weeks before and after, against the trend)"
INSIGHTS_NOTHING_LOGGED = (
    "Nothing logged yet. Insights compares the weeks before a change with the weeks after it: "
    "it needs a product you start (used on most days for 4 weeks), a heavy cream you stop, or a "
    "procedure, with at least 14 logged days before it and 14 in the weeks after."
)
INSIGHTS_NO_CHANGES = (
    "No treatment starts or stops and no procedures in the journal yet. A product counts as "
    "started once you use it on at least 60% of logged days over 4 weeks (after the journal's "
    "first day); a heavy cream counts as stopped once you mostly leave it out for 4 weeks. Each "
    "change then needs at least 14 logged days before it and 14 in the weeks after."
)
INSIGHTS_OTHERS = "other changes in the same weeks"
INSIGHTS_FAILED = "Could not work the evaluations out: {reason}"


def insights_title(count: int, enough: int) -> str:
    """The Insights view's top line, once the evaluations are in."""
    return f"Is it working? {plural(count, 'change')}, {enough} with enough data · ↑↓ choose one"
