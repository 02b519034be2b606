"""One reference date everywhere: a journal left alone for months is read as of its last entry,
and every command says so. Also: changing a product's category and heavy mark."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from skinlog.domain.entry import make_entry
from skinlog.storage import Journal

LAST = date(2026, 7, 9)
EXPORTED = "2026-11-23"  # 137 days after the last entry


def write_stale_journal(path):
    """190 days of bumps under the left eye, up to 2026-07-09."""
    journal = Journal(str(path))
    with journal.transaction():
        for n in range(189, -1, -1):
            journal.save_entry(make_entry(LAST - timedelta(days=n), {"under_eye_left": 2}))
    return path


@pytest.fixture
def stale(journal_path, monkeypatch):
    write_stale_journal(journal_path)
    monkeypatch.setenv("SKINLOG_TODAY", EXPORTED)
    return journal_path


def test_flags_of_a_stale_journal_are_those_of_its_last_entry(cli, stale):
    report = json.loads(cli("flags", "--json").out)
    assert report["today"] == EXPORTED and report["as_of"] == LAST.isoformat()
    assert report["as_of_line"] == "as of your last entry on 2026-07-09, 137 days ago"
    assert [(f["code"], f["level"]) for f in report["flags"]] == [("persistent", "see_clinician")]
    out = " ".join(cli("flags").out.split())
    assert out.startswith(
        "1 active flag · see a clinician, as of your last entry on 2026-07-09, 137 days ago"
    )
    assert "[SEE A CLINICIAN] bumps that stay · under-eye L · since 2026-01-01" in out
    assert "(persistent)" not in out
    assert (
        "Evidence: Bumps on every one of 190 entries over 27.1 weeks; 2 a day on average, 2 in the latest entry."
        in out
    )


def test_flags_on_a_current_journal_say_nothing_about_a_reference_date(cli, stale, monkeypatch):
    monkeypatch.setenv("SKINLOG_TODAY", "2026-07-23")  # 14 days after: still today
    report = json.loads(cli("flags", "--json").out)
    assert report["as_of"] == "2026-07-23" and report["as_of_line"] == ""
    assert "as of" not in cli("flags").out.splitlines()[0]
    monkeypatch.setenv("SKINLOG_TODAY", "2026-07-24")  # 15 days after: as of the last entry
    assert json.loads(cli("flags", "--json").out)["as_of"] == LAST.isoformat()


def test_week_of_a_stale_journal_states_the_reference_date(cli, stale):
    report = json.loads(cli("week", "--json").out)
    assert report["as_of"] == LAST.isoformat()
    assert report["four_week_trend"]["trend"] == "stable"  # 28 days a side, all 2 a day
    assert report["comparison"]["label"] == "this week vs last"
    out = cli("week").out
    assert (
        "As of your last entry on 2026-07-09, 137 days ago:\nThe week of 2026-07-06 vs the one before: stable"
        in out
    )
    assert "Last 4 weeks vs the 4 before: stable (2.0 → 2.0 a day" in out


# -- products set


def test_products_set_changes_category_and_heavy_mark(cli, journal_path):
    assert cli("add", "nose=1", "-p", "eye cream").code == 0
    result = cli("products", "set", "EYE CREAM", "--light")
    assert result.code == 0 and result.out == "Eye cream is now eye cream, not heavy.\n"
    result = cli("products", "set", "light moisturizer", "--category", "occlusive", "--heavy")
    assert result.code == 0
    listed = {p["name"]: p for p in json.loads(cli("products", "--json").out)}
    assert listed["Eye cream"]["heavy"] is False and listed["Eye cream"]["days_used"] == 1
    assert listed["Light moisturizer"] == {
        "name": "Light moisturizer",
        "category": "occlusive",
        "heavy": True,
        "archived": False,
        "days_used": 0,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["products", "set", "Nightcream", "--heavy"],
            "unknown product 'Nightcream'; see 'skinlog products'",
        ),
        (
            ["products", "rename", "Nightcream", "Night"],
            "unknown product 'Nightcream'; see 'skinlog products'",
        ),
        (["products", "set", "Eye cream", "--category", "balm"], "unknown product category 'balm'"),
        (["products", "set", "Eye cream"], "say what to change"),
        (["products", "set", "Eye cream", "--heavy", "--light"], "not allowed with argument"),
    ],
)
def test_products_set_refuses_bad_input_and_leaves_the_journal(cli, journal_path, args, message):
    assert cli("add", "nose=1").code == 0
    before = journal_path.read_bytes()
    result = cli(*args)
    assert result.code != 0 and result.out == ""
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert journal_path.read_bytes() == before


def test_only_add_suggests_new_product(cli):
    assert cli("add", "nose=1").code == 0
    for args in (["products", "set", "Nope", "--light"], ["products", "rename", "Nope", "Yes"]):
        err = cli(*args).err
        assert "--new-product" not in err and "see 'skinlog products'" in err
    err = cli("add", "nose=1", "--date", "yesterday", "-p", "Nope").err
    assert "add it with --new-product CATEGORY or 'skinlog products add'" in err


def test_products_text_shows_categories_in_words_and_json_keeps_codes(cli, capsys):
    from skinlog.domain.products import CATEGORIES

    assert cli("add", "nose=1", "-p", "eye cream").code == 0
    listed = cli("products").out
    assert "Eye cream                   eye cream    yes" in listed and "eye_cream" not in listed
    assert cli("products", "add", "Balm", "--category", "eye-cream").out == "Added Balm (eye cream, heavy).\n"
    assert {p["category"] for p in json.loads(cli("products", "--json").out)} >= {"eye_cream"}
    for command in ("add", "set"):
        result = cli("products", command, "--help")
        assert result.code == 0
        shown = " ".join(result.out.split())
        assert ", ".join(CATEGORIES) in shown, command


def test_a_heavy_mark_changes_the_flag(cli, journal_path, monkeypatch):
    monkeypatch.setenv("SKINLOG_TODAY", "2026-06-15")
    journal = Journal(str(journal_path))
    with journal.transaction():
        for n in range(27, -1, -1):
            day = date(2026, 6, 15) - timedelta(days=n)
            journal.save_entry(make_entry(day, {"under_eye_left": 1 if n > 13 else 3}, ["Eye cream"]))

    def codes():
        return [f["code"] for f in json.loads(cli("flags", "--json").out)["flags"]]

    assert "heavy_near_eyes" in codes()
    assert cli("products", "set", "eye cream", "--light").code == 0
    assert "heavy_near_eyes" not in codes()
