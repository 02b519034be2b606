"""The shared words: one table of flag names and advice matching the rules, counts that read
right, and the as-of line."""

from __future__ import annotations

from datetime import date

from skinlog.domain import words
from skinlog.domain.entry import EVENTS, make_entry
from skinlog.domain.flags import RULES
from skinlog.domain.products import days_used, product_use
from skinlog.services.export import schema


def test_every_rule_has_a_name_advice_and_a_place_in_the_export_schema():
    codes = set(RULES)
    assert codes == set(words.FLAG_WORDS)
    assert codes == set(schema()["$defs"]["flag"]["properties"]["code"]["enum"])
    assert set(words.EVENT_WORDS) == set(EVENTS)


def test_counts_read_right():
    assert words.plural(1, "bump") == "1 bump"
    assert words.plural(0, "bump") == "0 bumps"
    assert words.plural(2, "day") == "2 days"
    assert words.and_list(["a", "b", "c"]) == "a, b and c"


def test_as_of_line_only_when_not_today():
    today = date(2026, 11, 23)
    assert words.as_of_line(today, today) == ""
    assert words.as_of_line(date(2026, 11, 22), today) == "as of your last entry on 2026-11-22, 1 day ago"
    assert (
        words.as_of_line(date(2026, 7, 9), today, until=date(2026, 7, 9))
        == "as of 2026-07-09, the end of the period, 137 days ago"
    )


def test_region_summary_and_product_use():
    assert words.region_summary({"cheek_left": 3, "nose": 2}) == "nose 2, cheek L 3"
    assert words.region_summary({}) == "clear" and words.region_summary({}, empty="no bumps") == "no bumps"
    entries = [
        make_entry(date(2026, 1, d), {"nose": 1}, names)
        for d, names in ((1, ["A"]), (2, ["A", "B"]), (5, ["A"]))
    ]
    use = product_use(entries)
    assert use["A"] == (3, date(2026, 1, 1), date(2026, 1, 5)) and use["B"].days == 1
    assert days_used(entries) == {"A": 3, "B": 1}


def test_evidence_reads_as_sentences_without_empty_or_zero_parts():
    inflamed = {"days": ["2026-11-19"], "max_redness": 0, "max_itch": 2, "max_pain": 0}
    assert words.evidence_text(inflamed) == "Itch up to 2 with bumps on 2026-11-19."
    heavy = {
        "products": ["Eye cream"],
        "heavy_days": 14,
        "window_days": 28,
        "heavy_days_last_14": 14,
        "last_used": "2026-11-20",
        "eye_area_mean_before": 1.0,
        "eye_area_mean_after": 2.357,
    }
    assert words.evidence_text(heavy) == (
        "Eye cream used on 14 of the last 28 days, 14 of them in the last 14 "
        "(the latest 2026-11-20); bumps around the eyes rose from 1 to 2.4 a day."
    )
    rise = {
        "new_regions": [],
        "entries_with_new_bumps": {},
        "recent_mean_total": 10.43,
        "baseline_mean_total": 4.0,
        "rising_regions": {"nose": {"baseline_mean": 1.0, "recent_mean": 5.14}},
        "recent_entries": 7,
        "baseline_entries": 20,
        "recent_days": 14,
        "baseline_weeks": 8,
        "sudden_rise": True,
    }
    text = words.evidence_text(rise)
    assert text == (
        "The daily total rose from 4 in the 8 weeks before to 10.4 in the last 14 days, on average; "
        "most on nose (1 → 5.1)."
    )
    new = {
        **rise,
        "new_regions": ["cheek_left"],
        "entries_with_new_bumps": {"cheek_left": 2},
        "rising_regions": {},
        "sudden_rise": False,
    }
    assert words.evidence_text(new) == (
        "New bumps on cheek L on 2 of the 7 entries in the last 14 days; "
        "none in the 20 entries of the 8 weeks before."
    )
    for text in (words.evidence_text(inflamed), words.evidence_text(heavy), words.evidence_text(rise)):
        assert " ," not in text and "none" not in text and "_" not in text and ".43" not in text


def test_evidence_of_every_rule_is_told_from_its_keys():
    from datetime import timedelta

    from skinlog.domain.flags import evaluate
    from skinlog.domain.products import STARTER_CATALOGUE
    from skinlog.domain.settings import effective

    today = date(2026, 6, 15)
    entries = []
    for n in range(120, -1, -1):
        recent = n < 10
        counts = {"nose": 2, "under_eye_left": 3 if recent else 1}
        if recent:
            counts |= {"cheek_left": 12, "genital": 1, "chin": 1}
        entry = make_entry(
            today - timedelta(days=n),
            counts,
            ["Eye cream", "Adapalene"] if n < 20 else ["Adapalene"],
            symptoms={"itch": 2 if recent else 0},
            picked=recent,
        )
        entries.append(entry._replace(events=("burn",)) if n == 12 else entry)
    found = {f.code: f for f in evaluate(entries, effective({}), today, STARTER_CATALOGUE)}
    assert set(found) >= {
        "persistent",
        "spreading",
        "cluster",
        "inflamed",
        "picking",
        "heavy_near_eyes",
        "genital_area",
        "secondary_trigger",
    }
    for f in found.values():
        assert (
            words.evidence_text(f.evidence)
            == words.evidence_text(f)
            == words.evidence_text(f.evidence, f.code)
        )
        assert "_" not in words.evidence_text(f), words.evidence_text(f)


def test_not_improving_evidence_says_which_way_the_total_went():
    ev = {
        "products": ["Adapalene"],
        "share_of_days": 0.8,
        "weeks": 12,
        "first_fortnight_mean": 10.0,
        "last_fortnight_mean": 9.0,
        "change_percent": -10.0,
        "needed_drop_percent": 25,
    }
    assert words.evidence_text(ev) == (
        "Adapalene on 80% of logged days for 12 weeks; the daily total went from 10 "
        "to 9 (down 10%; a fall of 25% was looked for)."
    )
