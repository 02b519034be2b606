"""Every flag rule at its boundaries: fires and does not fire, with the right evidence."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from skinlog.domain import analysis, flags
from skinlog.domain.entry import make_entry
from skinlog.domain.products import STARTER_CATALOGUE, Product
from skinlog.domain.regions import REGION_IDS
from skinlog.domain.settings import effective
from tests.helpers import TODAY, daily, day, entry

DEFAULTS = effective({})


def run(entries, **overrides):
    return flags.evaluate(
        sorted(entries, key=lambda e: e.date), {**DEFAULTS, **overrides}, TODAY, STARTER_CATALOGUE
    )


def codes(entries, **overrides):
    return [f.code for f in run(entries, **overrides)]


def only(entries, code, **overrides):
    found = [f for f in run(entries, **overrides) if f.code == code]
    assert len(found) == 1, found
    return found[0]


# -- persistent


def test_persistent_fires_at_twelve_weeks_not_a_day_before():
    assert "persistent" not in codes(daily(82, 0, nose=2))  # 83 days
    flag = only(daily(83, 0, nose=2), "persistent")  # 84 days
    assert flag.level == "watch" and flag.regions == ("nose",) and flag.since == day(83)
    assert flag.evidence["days"] == 84 and flag.evidence["entries"] == 84
    assert flag.evidence["weeks"] == 12.0 and flag.evidence["mean_count"] == 2


def test_persistent_is_see_clinician_from_twenty_six_weeks():
    assert only(daily(180, 0, chin=1), "persistent").level == "watch"  # 181 days
    assert only(daily(181, 0, chin=1), "persistent").level == "see_clinician"  # 182 days


def test_gap_of_fourteen_days_does_not_break_the_run_but_fifteen_does():
    # 100 days spanned; a hole between day 60 and day 45 ago
    fourteen = daily(99, 60, nose=1) + daily(45, 0, nose=1)  # 14 days without an entry
    fifteen = daily(99, 61, nose=1) + daily(45, 0, nose=1)  # 15 days without an entry
    flag = only(fourteen, "persistent")
    assert flag.since == day(99) and flag.evidence["days"] == 100
    assert "persistent" not in codes(fifteen)


def test_a_day_without_bumps_breaks_the_run():
    entries = daily(99, 0, nose=1)
    entries[50] = make_entry(entries[50].date, {"chin": 1})
    assert "persistent" not in codes(entries)


def test_persistent_needs_bumps_in_the_latest_entry():
    assert "persistent" not in codes(daily(120, 1, nose=1) + [entry(0, chin=1)])
    assert "persistent" in codes(daily(120, 14, nose=1))


def test_a_journal_left_for_more_than_fourteen_days_is_read_as_of_its_last_entry():
    # the last entry 15 days ago: flags are what they were on that day, not "nothing"
    flag = only(daily(200, 15, nose=1), "persistent")
    assert flag.level == "see_clinician" and flag.evidence["days"] == 186
    assert analysis.reference_date(daily(200, 15, nose=1), TODAY) == day(15)
    assert analysis.reference_date(daily(200, 14, nose=1), TODAY) == TODAY
    assert analysis.reference_date([], TODAY) == TODAY


def test_the_stale_journal_from_the_issue_still_says_see_a_clinician():
    last = date(2026, 7, 9)
    entries = [make_entry(last - timedelta(days=n), {"under_eye_left": 2}) for n in range(189, -1, -1)]
    for today in (date(2026, 7, 10), date(2026, 11, 23)):
        found = flags.evaluate(entries, DEFAULTS, today, STARTER_CATALOGUE)
        assert [(f.code, f.level, f.regions) for f in found] == [
            ("persistent", "see_clinician", ("under_eye_left",))
        ], today
        assert found[0].evidence["weeks"] == 27.1


def test_persistence_window_is_the_users_setting():
    assert "persistent" in codes(daily(99, 0, nose=1))
    assert "persistent" not in codes(daily(99, 0, nose=1), persist_weeks=16)
    flag = only(daily(120, 0, nose=1), "persistent", persist_weeks=16)
    assert "16" in flag.advice and flag.evidence["setting_persist_weeks"] == 16


# -- spreading


def test_new_region_needs_three_baseline_entries():
    # baseline: 8 weeks before the last 14 days (days 14..69 ago); recent: days 0..13 ago
    recent = [entry(3, nose=1, cheek_left=2)]
    two = [entry(20, nose=1), entry(30, nose=1)]
    three = [*two, entry(40, nose=1)]
    assert "spreading" not in codes(two + recent)
    flag = only(three + recent, "spreading")
    assert flag.regions == ("cheek_left",) and flag.level == "watch" and flag.since == day(3)
    assert flag.evidence["new_regions"] == ["cheek_left"]
    assert flag.evidence["baseline_entries"] == 3 and flag.evidence["recent_entries"] == 1


BASELINE = [entry(20, nose=1), entry(30, nose=1), entry(40, nose=1)]


def test_a_new_region_on_one_entry_is_watch_on_two_see_a_clinician():
    one = [*BASELINE, entry(5, nose=1), entry(3, nose=1, cheek_left=1)]
    flag = only(one, "spreading")
    assert flag.level == "watch" and flag.evidence["entries_with_new_bumps"] == {"cheek_left": 1}
    assert "keep appearing" in flag.advice
    two = [*BASELINE, entry(5, nose=1, cheek_left=1), entry(3, nose=1, cheek_left=1)]
    flag = only(two, "spreading")
    assert flag.level == "see_clinician" and flag.evidence["entries_with_new_bumps"] == {"cheek_left": 2}
    three = [*BASELINE, entry(7, cheek_left=1), entry(5, nose=1, cheek_left=1), entry(3, cheek_left=1)]
    assert only(three, "spreading").level == "see_clinician"
    # the second sighting must fall in the last 14 days: one 14 days ago is in the baseline
    assert "spreading" not in codes([*BASELINE, entry(14, nose=1, cheek_left=1), entry(3, cheek_left=1)])
    assert (
        only([*BASELINE, entry(13, nose=1, cheek_left=1), entry(3, cheek_left=1)], "spreading").level
        == "see_clinician"
    )


def test_how_many_entries_confirm_a_new_region_is_a_setting():
    two = [*BASELINE, entry(5, nose=1, cheek_left=1), entry(3, nose=1, cheek_left=1)]
    assert only(two, "spreading", spread_confirm_entries=3).level == "watch"


def test_region_seen_in_the_baseline_is_not_new():
    assert "spreading" not in codes(
        [entry(20, cheek_left=1), entry(30, nose=1), entry(40, nose=1), entry(2, cheek_left=3)]
    )
    # ...but one seen only before the baseline window is new again
    assert "spreading" in codes(
        [
            entry(75, cheek_left=1),
            entry(20, nose=1),
            entry(30, nose=1),
            entry(40, nose=1),
            entry(2, cheek_left=3),
        ]
    )


def test_surge_in_the_mean_total_is_spreading():
    baseline = daily(60, 14, step=4, nose=4)  # mean 4
    assert "spreading" not in codes(baseline + daily(13, 0, nose=6))  # 1.5x but only +2
    flag = only(baseline + daily(13, 0, nose=7), "spreading")  # 1.75x and +3
    assert flag.level == "see_clinician"
    assert flag.evidence["recent_mean_total"] == 7 and flag.evidence["baseline_mean_total"] == 4
    assert "spreading" not in codes(daily(60, 14, step=4, nose=8) + daily(13, 0, nose=11))  # +3 but 1.375x


# -- cluster


def test_cluster_fires_at_ten_in_one_region():
    assert "cluster" not in codes([entry(0, cheek_right=9, nose=9)])
    flag = only([entry(0, cheek_right=10)], "cluster")
    assert flag.level == "see_clinician" and flag.regions == ("cheek_right",)
    assert flag.evidence["counts"] == {"cheek_right": 10}


def test_cluster_only_from_a_recent_latest_entry():
    assert "cluster" not in codes([entry(20, nose=12), entry(5, nose=1)])
    assert "cluster" in codes([entry(20, nose=12)])  # a journal left since: as of that entry
    assert "cluster" not in codes([entry(3, nose=12), entry(1, nose=2)])


# -- inflamed and picking


def test_inflamed_includes_itch_from_two():
    assert "inflamed" not in codes([entry(2, nose=1, itch=1)])
    flag = only([entry(2, nose=1, itch=2)], "inflamed")
    assert flag.evidence["max_itch"] == 2 and "itch" in flag.advice
    assert only([entry(2, nose=1, itch=3)], "inflamed").level == "see_clinician"
    assert "inflamed" not in codes([entry(2, itch=3)])  # itch without bumps


def test_inflamed_needs_redness_or_pain_two_with_bumps_lately():
    assert "inflamed" not in codes([entry(2, nose=1, redness=1, pain=1)])
    assert "inflamed" not in codes([entry(2, redness=3)])  # no bumps that day
    assert "inflamed" not in codes([entry(14, nose=2, redness=3), entry(0, nose=1)])
    flag = only([entry(13, nose=2, pain=2), entry(0, nose=1)], "inflamed")
    assert flag.level == "see_clinician" and flag.evidence["max_pain"] == 2
    assert flag.evidence["days"] == [day(13).isoformat()]


def test_picking_in_the_last_fourteen_days():
    assert "picking" not in codes([entry(14, nose=1, picked=True), entry(0, nose=1)])
    flag = only([entry(13, nose=1, picked=True), entry(5, nose=1, picked=True), entry(0, nose=1)], "picking")
    assert flag.level == "watch" and len(flag.evidence["days"]) == 2 and flag.since == day(13)


# -- heavy products near the eyes


def _eyes(first, last, count, products):
    return daily(first, last, products=products, under_eye_left=count)


LIGHT = ["Sunscreen SPF 30+"]


def test_heavy_cream_while_eye_area_rises():
    entries = _eyes(27, 14, 1, ["Eye cream"]) + _eyes(13, 0, 3, ["Eye cream"])
    flag = only(entries, "heavy_near_eyes")
    assert flag.evidence["products"] == ["Eye cream"] and flag.evidence["heavy_days"] == 28
    assert flag.evidence["eye_area_mean_before"] == 1 and flag.evidence["eye_area_mean_after"] == 3
    assert flag.level == "watch" and "non-comedogenic" in flag.advice


def test_heavy_counts_calendar_days_fourteen_of_twenty_eight():
    # heavy on 13, 14 and 15 of the last 28 days, 2 of them in the last 14, every day logged
    def journal(heavy_days):
        older = [
            entry(o, ["Occlusive cream"] if o >= 28 - (heavy_days - 2) else LIGHT, under_eye_left=1)
            for o in range(27, 13, -1)
        ]
        recent = [
            entry(o, ["Occlusive cream"] if o < 2 else LIGHT, under_eye_left=3) for o in range(13, -1, -1)
        ]
        return older + recent

    assert "heavy_near_eyes" not in codes(journal(13))
    assert only(journal(14), "heavy_near_eyes").evidence["heavy_days"] == 14
    assert only(journal(15), "heavy_near_eyes").evidence["heavy_days"] == 15


def test_heavy_days_are_calendar_days_not_a_share_of_logged_days():
    # logged every other day and heavy on all of them: 14 logged days of 28 is enough, 13 is not
    every_other = [
        entry(o, ["Occlusive cream"], under_eye_left=1 if o > 13 else 3) for o in range(27, -1, -2)
    ]
    assert len(every_other) == 14 and "heavy_near_eyes" in codes(every_other)
    assert "heavy_near_eyes" not in codes(every_other[1:])


def test_heavy_must_be_used_during_the_rise():
    stopped = _eyes(27, 14, 1, ["Eye cream"]) + _eyes(13, 0, 3, LIGHT)  # last used 14 days ago
    assert "heavy_near_eyes" not in codes(stopped)
    once = _eyes(27, 14, 1, ["Eye cream"]) + _eyes(13, 1, 3, LIGHT) + _eyes(0, 0, 3, ["Eye cream"])
    flag = only(once, "heavy_near_eyes")
    assert flag.evidence["heavy_days_last_14"] == 1 and flag.evidence["last_used"] == TODAY.isoformat()


def test_heavy_needs_the_eye_area_to_rise():
    same = _eyes(27, 0, 2, ["Eye cream"])
    assert "heavy_near_eyes" not in codes(same)
    falling = _eyes(27, 14, 3, ["Eye cream"]) + _eyes(13, 0, 1, ["Eye cream"])
    assert "heavy_near_eyes" not in codes(falling)
    just_above = (
        _eyes(27, 14, 2, ["Eye cream"]) + _eyes(13, 1, 2, ["Eye cream"]) + _eyes(0, 0, 3, ["Eye cream"])
    )
    assert "heavy_near_eyes" in codes(just_above)


def test_heavy_follows_each_products_own_mark():
    rise = [(o, 1 if o > 13 else 3) for o in range(27, -1, -1)]
    light_eye_cream = [Product("Eye cream", "eye_cream", heavy=False)]
    heavy_moisturizer = [Product("Rich moisturizer", "moisturizer", heavy=True)]
    entries = [entry(o, ["Eye cream"], under_eye_left=n) for o, n in rise]
    assert "heavy_near_eyes" not in [
        f.code for f in flags.evaluate(entries, DEFAULTS, TODAY, light_eye_cream)
    ]
    entries = [entry(o, ["Rich moisturizer"], under_eye_left=n) for o, n in rise]
    found = [
        f for f in flags.evaluate(entries, DEFAULTS, TODAY, heavy_moisturizer) if f.code == "heavy_near_eyes"
    ]
    assert found and found[0].evidence["products"] == ["Rich moisturizer"]
    assert "heavy_near_eyes" not in codes(entries)  # not in the catalogue: not heavy


# -- genital area and secondary triggers


def test_genital_area_bumps_are_pointed_out_for_a_check():
    assert "genital_area" not in codes([entry(2, nose=3)])
    assert "genital_area" not in codes([entry(14, genital=1), entry(0, nose=1)])  # not in the last 14 days
    flag = only([entry(13, genital=1), entry(0, nose=1)], "genital_area")
    assert flag.level == "watch" and flag.regions == ("genital",) and "look alike" in flag.advice


def _event(offset, events, **counts):
    base = entry(offset, **counts)
    return base._replace(events=tuple(events))


def test_secondary_trigger_names_the_event_and_its_date():
    entries = [_event(80, [], nose=1), _event(60, ["burn"], nose=1), _event(30, [], nose=1, cheek_left=2)]
    flag = only(entries, "secondary_trigger")
    assert flag.level == "info" and flag.regions == ("cheek_left",) and flag.since == day(60)
    assert f"burn on {day(60).isoformat()}" in flag.advice and "dermatologist" in flag.advice
    assert flag.evidence["first_bumps"] == {"cheek_left": day(30).isoformat()}


def test_secondary_trigger_covers_the_eight_weeks_after_the_event():
    def journal(gap):
        return [_event(100, [], nose=1), _event(90, ["steroid_cream"], nose=1), _event(90 - gap, [], chin=1)]

    assert "secondary_trigger" in codes(journal(55))
    assert "secondary_trigger" in codes(journal(56))
    assert "secondary_trigger" not in codes(journal(57))


def test_secondary_trigger_needs_a_region_that_had_no_bumps_before():
    entries = [_event(100, [], chin=1), _event(90, ["burn"], chin=1), _event(80, [], chin=3)]
    assert "secondary_trigger" not in codes(entries)


def test_an_event_logged_every_day_gives_one_flag():
    entries = [_event(o, ["steroid_cream"], nose=1 if o < 20 else 0) for o in range(40, 0, -1)]
    flag = only(entries, "secondary_trigger")
    assert flag.since == day(40)  # days 40..19 ago
    assert flag.evidence["events"] == [
        {"event": "steroid_cream", "first": day(40).isoformat(), "last": day(19).isoformat(), "days": 22}
    ]
    assert f"steroid cream from {day(40).isoformat()} to {day(19).isoformat()}" in flag.advice
    assert "in the 21 days after the steroid cream" in flag.advice


def test_events_before_the_same_regions_make_one_flag_naming_them_all():
    # a sunburn, bumps on the left cheek that same day, steroid cream two days later
    entries = [
        _event(80, [], nose=1),
        _event(70, [], nose=1),
        _event(30, ["sunburn"], nose=1, cheek_left=2),
        _event(28, ["steroid_cream"], nose=1, cheek_left=2),
        _event(20, [], nose=1, cheek_left=1),
    ]
    flag = only(entries, "secondary_trigger")
    assert flag.regions == ("cheek_left",) and flag.since == day(30)
    assert [e["event"] for e in flag.evidence["events"]] == ["sunburn"]  # the cream came after the bumps
    entries[2] = _event(30, ["sunburn", "steroid_cream"], nose=1, cheek_left=2)
    flag = only(entries, "secondary_trigger")
    assert [e["event"] for e in flag.evidence["events"]] == ["steroid_cream", "sunburn"]
    assert "on the day of the steroid cream and sunburn" in flag.advice
    assert "weeks after" not in flag.advice


def test_events_before_overlapping_regions_merge_and_onset_is_counted_in_days():
    entries = [
        _event(80, [], nose=1),
        _event(70, [], nose=1),
        _event(40, ["burn"], nose=1),
        _event(35, ["new_medicine"], nose=1),
        _event(33, [], nose=1, chin=1),
        _event(30, [], nose=1, chin=1, cheek_left=1),
    ]
    flag = only(entries, "secondary_trigger")
    assert flag.regions == ("cheek_left", "chin")
    assert [e["event"] for e in flag.evidence["events"]] == ["burn", "new_medicine"]
    assert (
        f"about the burn on {day(40).isoformat()} and the new medicine on {day(35).isoformat()}: bumps "
        "appeared on cheek L and chin in the 10 days after the burn"
    ) in flag.advice


def test_a_rise_in_the_daily_total_names_the_regions_that_rose_not_new_ones():
    baseline = [entry(o, nose=1, chin=1, cheek_left=1) for o in range(60, 14, -3)]
    recent = [entry(o, nose=1, chin=4, cheek_left=3) for o in range(13, -1, -2)]
    flag = only(baseline + recent, "spreading")
    assert flag.level == "see_clinician" and flag.evidence["sudden_rise"] is True
    assert flag.evidence["new_regions"] == []
    assert flag.regions == ("cheek_left", "chin")  # the nose stayed at 1 a day
    assert set(flag.evidence["rising_regions"]) == {"cheek_left", "chin"}
    text = flags.evidence_text(flag)
    assert text.startswith(
        "The daily total rose from 3 in the 8 weeks before to 8 in the last 14 days, on "
        "average; most on cheek L (1 → 3) and chin (1 → 4)"
    )
    assert "new" not in text.lower() and "none" not in text
    assert "mostly on cheek L and chin" in flag.advice


def test_flags_of_one_level_come_strongest_first():
    # two regions that stay: under the left eye 4 a day, the right eyelid 1 a day (and longer)
    entries = [entry(o, under_eye_left=4 if o < 100 else 0, eyelid_right=1) for o in range(120, -1, -1)]
    found = [f for f in run(entries) if f.code == "persistent"]
    assert [f.regions for f in found] == [("under_eye_left",), ("eyelid_right",)]


# -- not improving on a retinoid


def _treated(share_days: int, start_count: int, end_count: int):
    """84 days; the first ``share_days`` of every 10 carry a retinoid; counts fall linearly."""
    out = []
    for offset in range(83, -1, -1):
        count = round(start_count + (end_count - start_count) * (83 - offset) / 83)
        products = ["Adapalene"] if (83 - offset) % 10 < share_days else ["Sunscreen SPF 30+"]
        out.append(entry(offset, products, nose=count))
    return out


def test_not_improving_after_twelve_weeks_of_regular_retinoid():
    flag = only(_treated(6, 10, 9), "not_improving")
    assert flag.level == "info" and flag.evidence["products"] == ["Adapalene"]
    assert flag.evidence["share_of_days"] >= 0.6 and "extraction" in flag.advice


def test_a_quarter_fewer_bumps_counts_as_improving():
    assert "not_improving" not in codes(_treated(6, 12, 8))


def test_irregular_use_is_not_judged():
    assert "not_improving" not in codes(_treated(5, 10, 10))  # 50% of days


def test_fewer_than_twelve_weeks_logged_is_not_judged():
    assert "not_improving" not in codes(_treated(6, 10, 10)[20:])


# -- the whole set


def test_flags_are_sorted_most_serious_first():
    entries = daily(200, 0, nose=2)
    entries[-1] = entry(0, nose=2, picked=True, cheek_left=12)
    levels = [f.level for f in run(entries)]
    assert levels == sorted(levels, key=lambda lv: -flags.LEVELS.index(lv))
    assert flags.highest_level(run(entries)) == "see_clinician"


entry_strategy = st.builds(
    lambda offset, counts, red, pain, picked, products: entry(
        offset, products, redness=red, pain=pain, picked=picked, **counts
    ),
    st.integers(0, 400),
    st.dictionaries(st.sampled_from(REGION_IDS), st.integers(0, 500), max_size=6),
    st.integers(0, 3),
    st.integers(0, 3),
    st.booleans(),
    st.lists(st.sampled_from([p.name for p in STARTER_CATALOGUE] + ["Something else"]), max_size=4),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(entry_strategy, max_size=60, unique_by=lambda e: e.date))
def test_flags_never_raise_on_any_valid_journal(entries):
    entries = sorted(entries, key=lambda e: e.date)
    for flag in run(entries):
        assert flag.level in flags.LEVELS and flag.advice
        assert flag.since <= TODAY + timedelta(days=0)
        assert set(flag.regions) <= set(REGION_IDS)
