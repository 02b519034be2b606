"""Logging, listing, showing and deleting days from the command line."""

from __future__ import annotations

import json
from datetime import date, timedelta

from skinlog.domain.regions import REGION_IDS
from tests.helpers import PINNED_TODAY


def test_add_then_list_json_holds_exactly_that_day(cli):
    assert cli("add", "nose=2", "left-cheek=3", "-p", "retinol", "--redness", "1").code == 0
    listed = json.loads(cli("list", "--json").out)
    assert len(listed) == 1
    day = listed[0]
    assert day["date"] == PINNED_TODAY.isoformat()
    assert set(day["counts"]) == set(REGION_IDS)
    assert day["counts"]["nose"] == 2 and day["counts"]["cheek_left"] == 3
    assert sum(day["counts"].values()) == 5
    assert day["products"] == ["Retinol"]  # catalogue spelling
    assert day["symptoms"] == {"redness": 1, "itch": 0, "pain": 0}
    assert day["picked"] is False and day["procedure"] == "none" and day["note"] == ""
    assert set(day) == {"date", "counts", "products", "symptoms", "picked", "procedure", "events", "note"}


def test_region_spellings_all_resolve_to_the_same_region(cli):
    for n, spelling in enumerate(["cheek_left", "left-cheek", "cheek-l", "L_Cheek", "Left cheek"]):
        day = (PINNED_TODAY - timedelta(days=n)).isoformat()
        assert cli("add", "--date", day, f"{spelling}=1").code == 0
    listed = json.loads(cli("list", "--json").out)
    assert [d["counts"]["cheek_left"] for d in listed] == [1] * 5


def test_date_forms_log_the_right_days(cli):
    today = PINNED_TODAY
    for text, expected in [
        ("yesterday", today - timedelta(days=1)),
        ("-3", today - timedelta(days=3)),
        ("5d", today - timedelta(days=5)),
        ("2024-02-29", date(2024, 2, 29)),
        ("today", today),
    ]:
        result = cli("add", "--date", text, "nose=1")
        assert result.code == 0, result.err
        assert expected.isoformat() in result.out
    dates = [d["date"] for d in json.loads(cli("list", "--json").out)]
    assert dates == sorted(dates, reverse=True) and len(dates) == 5


def test_list_is_newest_first_and_filters_by_range_and_last(cli):
    for offset in range(10):
        cli("add", "--date", f"-{offset}", f"nose={offset}")
    today = PINNED_TODAY
    assert [d["counts"]["nose"] for d in json.loads(cli("list", "--last", "3", "--json").out)] == [0, 1, 2]
    since = (today - timedelta(days=4)).isoformat()
    until = (today - timedelta(days=2)).isoformat()
    ranged = json.loads(cli("list", "--since", since, "--until", until, "--json").out)
    assert [d["counts"]["nose"] for d in ranged] == [2, 3, 4]
    text = cli("list", "--last", "2").out
    assert today.isoformat() in text and "nose 1" in text


def test_existing_date_is_refused_without_replace_or_merge(cli, journal_path):
    cli("add", "nose=2", "-p", "Retinol")
    before = journal_path.read_bytes()
    refused = cli("add", "nose=5")
    assert refused.code == 1
    assert "--replace" in refused.err and "--merge" in refused.err
    assert journal_path.read_bytes() == before

    assert cli("add", "--merge", "chin=1", "-p", "Eye cream", "--note", "evening").code == 0
    merged = json.loads(cli("show", "today", "--json").out)
    assert merged["counts"]["nose"] == 2 and merged["counts"]["chin"] == 1
    assert merged["products"] == ["Retinol", "Eye cream"]
    assert merged["note"] == "evening"

    assert cli("add", "--replace", "forehead=4").code == 0
    replaced = json.loads(cli("show", "today", "--json").out)
    assert sum(replaced["counts"].values()) == 4 and replaced["products"] == []


def test_unknown_product_needs_new_product_category(cli, journal_path):
    refused = cli("add", "nose=1", "-p", "Retnol")
    assert refused.code == 1
    assert "did you mean 'Retinol'" in refused.err
    assert not journal_path.exists()
    added = cli("add", "nose=1", "-p", "CeraVe PM", "--new-product", "moisturizer")
    assert added.code == 0, added.err
    products = json.loads(cli("products", "list", "--json").out)
    assert {
        "name": "CeraVe PM",
        "category": "moisturizer",
        "heavy": False,
        "archived": False,
        "days_used": 1,
    } in products


def test_show_prints_a_readable_day(cli):
    cli("add", "under-eye-l=3", "nose=1", "--picked", "--procedure", "extraction", "--note", "derm visit")
    out = cli("show", "today").out
    assert "under-eye L" in out and "Left under-eye" not in out and "total 4" in out
    assert "Picked:    yes" in out and "extraction" in out and "derm visit" in out


def test_delete_with_yes_removes_the_day(cli):
    cli("add", "nose=1")
    cli("add", "--date", "yesterday", "nose=2")
    result = cli("delete", "today", "--yes")
    assert result.code == 0
    assert [d["counts"]["nose"] for d in json.loads(cli("list", "--json").out)] == [2]


def test_delete_refuses_without_yes_when_not_interactive(skinlog_cmd, journal_path):
    assert skinlog_cmd("add", "nose=1").code == 0
    before = journal_path.read_bytes()
    result = skinlog_cmd("delete", "today", stdin="y\n")
    assert result.code == 2
    assert "--yes" in result.err and len(result.err.strip().splitlines()) == 1
    assert journal_path.read_bytes() == before


def test_products_add_and_rename_keep_history(cli):
    assert cli("products", "add", "Night balm", "--category", "occlusive").code == 0
    cli("add", "--date", "-1", "nose=1", "-p", "night balm")
    cli("add", "nose=1", "-p", "Night balm", "-p", "Retinol")
    assert cli("products", "rename", "night balm", "Rich balm").code == 0
    listed = json.loads(cli("list", "--json").out)
    assert [d["products"] for d in listed] == [["Rich balm", "Retinol"], ["Rich balm"]]
    catalogue = {p["name"]: p for p in json.loads(cli("products", "--json").out)}
    assert "Night balm" not in catalogue
    assert catalogue["Rich balm"]["heavy"] is True and catalogue["Rich balm"]["days_used"] == 2
    clash = cli("products", "rename", "Rich balm", "retinol")
    assert clash.code == 1 and "already" in clash.err


def test_starter_catalogue_is_there_before_the_first_entry(cli, journal_path):
    products = {p["name"]: p["category"] for p in json.loads(cli("products", "--json").out)}
    assert products["Adapalene"] == "retinoid"
    assert products["Salicylic acid"] == "bha"
    assert products["Eye cream"] == "eye_cream"
    assert not journal_path.exists(), "listing must not create the journal"


def test_regions_lists_all_twenty(cli):
    regions = json.loads(cli("regions", "--json").out)
    assert [r["id"] for r in regions] == list(REGION_IDS) and len(regions) == 20
    assert "left-cheek" in cli("regions").out


def test_empty_journal_list_says_how_to_start(cli):
    result = cli("list")
    assert result.code == 0 and "skinlog add" in result.out
    assert json.loads(cli("list", "--json").out) == []


def test_demo_journal_tells_the_story(cli, tmp_path):
    out = tmp_path / "demo.json"
    assert cli("demo", "--out", str(out)).code == 0
    entries = json.loads(cli("list", "--json", db=out).out)
    dates = [date.fromisoformat(e["date"]) for e in entries]
    assert dates[0] == PINNED_TODAY - timedelta(days=1)
    assert 240 <= len(entries) <= 273 and (dates[0] - dates[-1]).days >= 260
    gaps = [(a - b).days for a, b in zip(dates, dates[1:])]
    assert max(gaps) == 8  # the missed week
    assert sum(e["picked"] for e in entries) == 1
    assert [e["procedure"] for e in entries].count("extraction") == 1
    assert all(e["counts"]["under_eye_left"] > 0 for e in entries)  # eye-area milia persist
    assert any("Eye cream" in e["products"] for e in entries[-30:])
    assert not any("Eye cream" in e["products"] for e in entries[:30])
    first_month = sum(sum(e["counts"].values()) for e in entries[-30:])
    last_month = sum(sum(e["counts"].values()) for e in entries[:30])
    assert last_month < first_month * 0.75  # improvement on the retinoid
    refused = cli("demo", "--out", str(out))
    assert refused.code == 1 and "--force" in refused.err


def test_demo_flag_never_touches_the_users_journal(skinlog_cmd, journal_path):
    skinlog_cmd("add", "nose=1")
    before = journal_path.read_bytes()
    result = skinlog_cmd("--demo", "add", "--replace", "--date", "yesterday", "nose=9")
    assert result.code == 2 and "not allowed with argument" in result.err  # --db and --demo clash
    import os
    import subprocess

    from tests.helpers import skinlog_argv

    env = {**os.environ, "SKINLOG_DB": str(journal_path)}
    proc = subprocess.run(
        skinlog_argv("--demo", "add", "--replace", "--date", "yesterday", "nose=9"),
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    listed = subprocess.run(skinlog_argv("--demo", "list", "--json"), capture_output=True, text=True, env=env)
    assert len(json.loads(listed.stdout)) > 200
    assert journal_path.read_bytes() == before


def test_version_and_help(skinlog_cmd):
    assert skinlog_cmd("--version").out.startswith("skinlog ")
    helped = skinlog_cmd("add", "--help")
    assert helped.code == 0 and "REGION=N" in helped.out


# -- add --same


def test_add_same_starts_from_the_last_entry_and_given_values_win(cli):
    assert cli("add", "--date", "2026-03-01", "nose=2", "chin=3", "-p", "retinol", "--note", "x").code == 0
    result = cli("add", "--same", "--date", "2026-03-04", "chin=0", "forehead=1")
    assert result.code == 0, result.err
    day = json.loads(cli("show", "2026-03-04", "--json").out)
    counts = {region: n for region, n in day["counts"].items() if n}
    assert counts == {"nose": 2, "forehead": 1}  # chin=0 clears the copied count
    assert day["products"] == ["Retinol"] and day["note"] == ""  # counts and products only
    assert cli("add", "--same", "--date", "2026-03-05", "-p", "adapalene").code == 0
    day = json.loads(cli("show", "2026-03-05", "--json").out)
    assert day["products"] == ["Adapalene"]  # products given replace the last entry's
    assert {region: n for region, n in day["counts"].items() if n} == {"nose": 2, "forehead": 1}


def test_add_same_with_no_earlier_entry_is_refused_and_writes_nothing(cli, journal_path):
    assert cli("add", "--date", "2026-03-05", "nose=1").code == 0
    before = journal_path.read_bytes()
    result = cli("add", "--same", "--date", "2026-03-05")
    assert result.code != 0 and result.out == ""
    assert "there is no entry before 2026-03-05 to start from" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert journal_path.read_bytes() == before


def test_add_same_on_a_new_journal_creates_no_file(cli, journal_path):
    result = cli("add", "--same", "nose=1")
    assert result.code != 0 and "no entry before" in result.err
    assert not journal_path.exists()
