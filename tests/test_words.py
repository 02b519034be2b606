"""The shared words: one table of flag names and advice matching the rules, counts that read
right, and the as-of line."""

from __future__ import annotations

from datetime import date

from skinlog.domain import words
from skinlog.domain.entry import EVENTS, make_entry
from skinlog.domain.flags import RULES
from skinlog.services.export import schema


def test_every_rule_has_a_name_advice_and_a_place_in_the_export_schema():
    codes = set(RULES)
    assert codes == set(words.FLAG_NAMES) == set(words.ADVICE)
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
    assert words.as_of_line(date(2026, 7, 9), today, until=date(2026, 7, 9)) == \
        "as of 2026-07-09, the end of the period, 137 days ago"


def test_region_summary_and_product_use():
    assert words.region_summary({"cheek_left": 3, "nose": 2}) == "nose 2, cheek L 3"
    assert words.region_summary({}) == "clear" and words.region_summary({}, empty="no bumps") == "no bumps"
    entries = [make_entry(date(2026, 1, d), {"nose": 1}, names) for d, names in
               ((1, ["A"]), (2, ["A", "B"]), (5, ["A"]))]
    use = words.product_use(entries)
    assert use["A"] == (3, date(2026, 1, 1), date(2026, 1, 5)) and use["B"].days == 1
    assert words.days_used(entries) == {"A": 3, "B": 1}
