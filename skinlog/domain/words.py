"""The words people read: flag headings, evidence, advice, the as-of line, region summaries,
product use and counts. The command line, the app and the exported documents all use these, so
they cannot drift apart."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from skinlog.domain.regions import BY_ID, REGION_IDS

if TYPE_CHECKING:
    from skinlog.domain.entry import Entry
    from skinlog.domain.flags import Flag

LEVEL_WORDS = {"see_clinician": "see a clinician", "watch": "watch", "info": "info"}
NOTICE = (
    "skinlog is a journal, not a doctor: flags point out patterns worth asking about, "
    "they are not a diagnosis or medical advice."
)
FLAG_NAMES = {
    "persistent": "bumps that stay",
    "spreading": "spreading",
    "cluster": "a cluster",
    "inflamed": "red, itchy or sore",
    "picking": "picking",
    "heavy_near_eyes": "heavy products near the eyes",
    "genital_area": "genital area",
    "secondary_trigger": "after a skin event",
    "not_improving": "not improving on treatment",
}
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
    return and_list([BY_ID[r].label for r in regions])


def region_summary(counts: Mapping[str, int], empty: str = "clear") -> str:
    """ "nose 2, cheek L 3" in face order, or ``empty`` for a day without bumps."""
    parts = [f"{BY_ID[r].short} {counts[r]}" for r in REGION_IDS if counts.get(r)]
    return ", ".join(parts) if parts else empty


def label(name: str) -> str:
    """A stored id (category, procedure, event) as words."""
    return EVENT_WORDS.get(name) or name.replace("_", " ")


# -- product use


class ProductUse(NamedTuple):
    """How many logged days a product was used on, and the first and last of them."""

    days: int
    first: date
    last: date


def product_use(entries: Iterable[Entry]) -> dict[str, ProductUse]:
    """Days each product was used, by name as logged (entries oldest first)."""
    use: dict[str, ProductUse] = {}
    for entry in entries:
        for name in entry.products:
            found = use.get(name)
            use[name] = ProductUse(found.days + 1, found.first, entry.date) if found else \
                ProductUse(1, entry.date, entry.date)
    return use


def days_used(entries: Iterable[Entry]) -> dict[str, int]:
    return {name: u.days for name, u in product_use(entries).items()}


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
    """ "[SEE A CLINICIAN] bumps that stay (persistent) · Left under-eye · since 2026-01-02"."""
    labels = ", ".join(BY_ID[r].label for r in flag.regions)
    where = f" · {labels}" if labels else ""
    name = FLAG_NAMES.get(flag.code, flag.code)
    named = name if name == flag.code else f"{name} ({flag.code})"
    return f"[{LEVEL_WORDS[flag.level].upper()}] {named}{where} · since {flag.since.isoformat()}"


def flags_title(flags: Sequence[Flag], as_of: date, today: date) -> str:
    """ "2 active flags (highest: see a clinician), as of your last entry on ..."."""
    from skinlog.domain.flags import highest_level

    stamp = as_of_line(as_of, today)
    if not flags:
        return "No active flags" + (f", {stamp}." if stamp else ".")
    top = LEVEL_WORDS[highest_level(flags) or "info"]
    head = f"{plural(len(flags), 'active flag')} (highest: {top})"
    return head + (f", {stamp}" if stamp else "")


def badge(flags: Sequence[Flag], as_of: date, today: date) -> str:
    """The app's status badge: "⚑ 2 flags: see a clinician (as of 2026-07-09)"."""
    from skinlog.domain.flags import highest_level

    stamp = f" (as of {as_of.isoformat()})" if as_of < today else ""
    if not flags:
        return "no flags" + stamp
    return f"⚑ {plural(len(flags), 'flag')}: {LEVEL_WORDS[highest_level(flags) or 'info']}{stamp}"


def _short(value: object) -> str:
    """A region id by its short label, an event id in words; anything else (a product name) as is."""
    text = str(value)
    return BY_ID[text].short if text in BY_ID else EVENT_WORDS.get(text, text)


def evidence_text(evidence: Mapping[str, object]) -> str:
    """Evidence numbers as one readable line (region ids shown by their short labels)."""

    def shown(value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            if len(value) > 6:
                value = [*value[:2], "…", *value[-2:]]
            return ", ".join(_short(v) for v in value) or "none"
        if isinstance(value, dict):
            return ", ".join(f"{_short(k)} {v}" for k, v in value.items())
        return _short(value)

    return ", ".join(f"{key.replace('_', ' ')} {shown(value)}" for key, value in evidence.items())


def persistence_sentence(weeks: int) -> str:
    return (f"Your persistence window is {weeks} weeks: your setting, not a medical rule "
            "(change it with: skinlog settings set persist_weeks N).")


# -- advice: one function per flag code, from the flag's regions and evidence


def _int(value: object) -> int:
    return int(value) if isinstance(value, (int, float)) else 0


def _persistent(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    text = (f"{region_labels(regions)} has had bumps in every entry for {_int(ev['days']) // 7} weeks "
            f"(you asked to be told after {ev['setting_persist_weeks']}). Milia often clear by themselves "
            "within months; ")
    if level == "see_clinician":
        return text + "ones that stay this long are worth showing to a dermatologist, who can remove them safely."
    return text + "if these stay, a dermatologist can remove them safely."


def _spreading(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    found = ev.get("new_regions")
    new = [str(r) for r in found] if isinstance(found, list) else []
    text = ""
    if new:
        text = (f"New bumps on the {region_labels(new).lower()}, which had none in the "
                f"{ev['baseline_weeks']} weeks before. ")
    if ev.get("sudden_rise"):
        return text + (f"The daily total rose from {ev['baseline_mean_total']:.1f} to {ev['recent_mean_total']:.1f} "
                       "on average. A sudden crop of new bumps deserves a dermatologist's look.")
    if level == "see_clinician":
        return text + "They came back on more than one entry: new spots that keep appearing are worth showing " \
                      "to a dermatologist."
    return text + "Keep logging; if new ones keep appearing, show them to a dermatologist."


def _cluster(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    counts = ev["counts"]
    top = max(counts.values()) if isinstance(counts, dict) else 0
    return (f"{plural(top, 'bump')} on the {region_labels(regions).lower()} in the latest entry. Milia packed "
            "closely together, above all on a raised or red patch, should be checked by a dermatologist.")


def _inflamed(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    return ("Bumps logged with redness, itch or pain. Milia are normally neither red, itchy nor sore, so this "
            "pattern deserves a dermatologist's look.")


def _picking(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    days = ev["days"]
    n = len(days) if isinstance(days, list) else 0
    return (f"Picking logged on {plural(n, 'recent day')}. Milia have no opening, so squeezing rarely works "
            "and can leave scars or an infection; leave removal to a professional.")


def _heavy(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    products = [str(p) for p in ev["products"]] if isinstance(ev["products"], list) else []
    return (f"{and_list(products)}, marked heavy, used on {ev['heavy_days']} of the last {ev['window_days']} days "
            "while bumps around the eyes rose. Rich creams around the eyes go with milia for some people; "
            "a lighter, non-comedogenic formula may be worth a try.")


def _genital(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    return ("Bumps logged in the genital area: have them checked by a clinician, because other conditions "
            "look alike there and need a different treatment.")


def _secondary(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    event = label(str(ev["event"]))
    when = str(ev["first_event"])
    if ev.get("last_event") and ev["last_event"] != ev["first_event"]:
        when = f"{when} (logged until {ev['last_event']})"
    return (f"Tell your dermatologist about the {event} on {when}: bumps appeared on the "
            f"{region_labels(regions).lower()} in the weeks after it. Milia that follow skin damage or steroid "
            "creams are called secondary milia.")


def _not_improving(regions: Sequence[str], ev: Mapping[str, object], level: str) -> str:
    products = [str(p) for p in ev["products"]] if isinstance(ev["products"], list) else []
    share = ev["share_of_days"]
    percent = round(100 * share) if isinstance(share, (int, float)) else share
    return (f"{and_list(products)} on {percent}% of days for {ev['weeks']} weeks, and the total has not fallen "
            f"by {ev['needed_drop_percent']}%. These help keep new milia away but seldom clear existing ones; "
            "ask a dermatologist about professional extraction.")


ADVICE = {
    "persistent": _persistent,
    "spreading": _spreading,
    "cluster": _cluster,
    "inflamed": _inflamed,
    "picking": _picking,
    "heavy_near_eyes": _heavy,
    "genital_area": _genital,
    "secondary_trigger": _secondary,
    "not_improving": _not_improving,
}


def advice(code: str, level: str, regions: Sequence[str], evidence: Mapping[str, object]) -> str:
    """The plain advice for a flag, written from its evidence."""
    return ADVICE[code](regions, evidence, level)
