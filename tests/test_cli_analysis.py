"""week, flags, insights, plot and settings from the command line, on the demo journal's story."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from skinlog.domain.flags import NOTICE
from skinlog.services.demo import DAYS, MISSED_WEEK
from tests.helpers import PINNED_TODAY, PINNED_YESTERDAY


@pytest.fixture
def on_demo(cli, demo):
    """Run a command on the demo journal (tests/conftest.py), which ends on PINNED_YESTERDAY."""
    return lambda *args: cli(*args, db=demo)


def demo_days_logged(monday):
    """Days the demo journal holds in the week from ``monday``: its story, counted again here."""
    first = PINNED_YESTERDAY - timedelta(days=DAYS - 1)
    missed = {first + timedelta(days=n) for n in MISSED_WEEK}
    week = (monday + timedelta(days=n) for n in range(7))
    return sum(first <= day <= PINNED_YESTERDAY and day not in missed for day in week)


def test_demo_flags_tell_the_story(on_demo):
    report = json.loads(on_demo("flags", "--json").out)
    assert report["as_of"] == report["today"] and report["as_of_line"] == ""
    flags = report["flags"]
    assert all(set(f) == {"code", "level", "regions", "since", "evidence", "advice"} for f in flags)
    by_code = {f["code"]: f for f in flags}
    persistent = by_code["persistent"]
    assert persistent["regions"] == ["under_eye_left"] and persistent["level"] == "see_clinician"
    assert persistent["evidence"]["weeks"] >= 26
    assert by_code["spreading"]["regions"] == ["cheek_left"]
    assert by_code["spreading"]["level"] == "see_clinician"  # new bumps there on 10 recent entries
    assert "not_improving" not in by_code and "heavy_near_eyes" not in by_code


def test_flags_text_has_level_evidence_setting_and_notice(on_demo):
    out = on_demo("flags").out
    assert "[SEE A CLINICIAN] bumps that stay · under-eye L" in out and "(persistent)" not in out
    assert "Evidence:" in out and "[SEE A CLINICIAN] spreading · cheek L" in out
    assert "persistence window is 12 weeks: your setting" in out
    assert " ".join(out.split()).endswith(NOTICE)
    assert all(len(line) <= 80 for line in out.splitlines())


def test_strict_exits_three_on_see_clinician(on_demo, cli):
    assert on_demo("flags", "--strict").code == 3
    assert cli("flags", "--strict").code == 0  # an empty journal has nothing to flag
    cli("add", "nose=1")
    result = cli("flags", "--strict")
    assert result.code == 0 and "No active flags" in result.out


def test_week_shows_improvement_after_the_retinoid(on_demo):
    report = json.loads(on_demo("week", "--weeks", "30", "--json").out)
    weeks = [w for w in report["weeks"] if w["mean_total"] is not None]
    recent, older = weeks[:4], weeks[-8:-4]  # newest first
    assert sum(w["mean_total"] for w in recent) < 0.6 * sum(w["mean_total"] for w in older)
    assert report["four_week_trend"]["trend"] == "improving"
    # PINNED_TODAY is a Sunday: this week has six logged days, enough to compare with last week
    assert report["comparison"]["label"] == "this week vs last"
    this_monday = PINNED_TODAY - timedelta(days=PINNED_TODAY.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(30)]
    assert [w["start"] for w in report["weeks"]] == [m.isoformat() for m in mondays]
    assert [w["days_logged"] for w in report["weeks"]] == [demo_days_logged(m) for m in mondays]
    # the missed week falls across two weeks: 2 and 5 days logged; this week has 6 (no today yet)
    assert sorted(w["days_logged"] for w in report["weeks"] if w["days_logged"] < 7) == [2, 5, 6]


def test_week_text_reads_in_eighty_columns(on_demo):
    out = on_demo("week").out
    lines = out.splitlines()
    assert lines[1].startswith("week") and len(lines) >= 12
    assert all(len(line) <= 80 for line in lines)
    assert "↓" in out and "Last 4 weeks vs the 4 before: improving" in out
    assert "Best day" in out and "Moved most" in out


def test_insights_show_association_wording(on_demo):
    data = json.loads(on_demo("insights", "--json").out)
    by_name = {i["product"]: i for i in data["insights"]}
    # the retinoid is used on most days of a falling stretch: against the trend its days differ little
    assert -1 < by_name["Adapalene"]["difference"] < 0
    assert all(i["days_with"] >= 3 and i["days_without"] >= 3 for i in data["insights"])
    text = on_demo("insights").out
    assert "not causes" in text and "Days with Adapalene had 0.3 fewer bumps" in text
    assert "skinlog effect --all" in text


def test_settings_set_changes_flags_and_bad_values_are_refused(cli, journal_path):
    cli("add", "nose=1")
    assert cli("settings", "set", "persist_weeks", "16").code == 0
    assert json.loads(cli("settings", "--json").out)["persist_weeks"]["value"] == 16
    before = journal_path.read_bytes()
    for argv, fragment in [
        (["settings", "set", "persist_wekes", "16"], "did you mean 'persist_weeks'"),
        (["settings", "set", "persist_weeks", "sixteen"], "whole number"),
        (["settings", "set", "persist_weeks", "0"], "from 1 to 520"),
        (["settings", "set", "spread_ratio", "0.5"], "from 1 to 10"),
    ]:
        result = cli(*argv)
        assert result.code == 2 and fragment in result.err and len(result.err.splitlines()) == 1
    assert journal_path.read_bytes() == before
    assert cli("settings", "reset", "persist_weeks").code == 0
    assert json.loads(cli("settings", "--json").out)["persist_weeks"]["value"] == 12


@pytest.mark.parametrize(("width", "height"), [(40, 10), (200, 60)])
def test_plot_renders_with_first_and_last_date_labels(on_demo, width, height):
    end = PINNED_YESTERDAY
    for span, days in [("4w", 28), ("12w", 84), ("1y", 365)]:
        result = on_demo("plot", "--range", span, "--width", str(width), "--height", str(height))
        assert result.code == 0, result.err
        lines = result.out.splitlines()
        assert len(lines) <= height + 1 and max(len(line) for line in lines) <= width
        assert (end - timedelta(days=days - 1)).isoformat() in result.out
        assert end.isoformat() in result.out
        assert "\x1b[" not in result.out  # no colour codes when not a terminal


def test_plot_regions_and_weekly(on_demo):
    out = on_demo("plot", "--region", "left-cheek", "--width", "100", "--height", "20").out
    assert "cheek L" in out and "total" in out
    weekly = on_demo("plot", "--weekly", "--range", "all", "--width", "100", "--height", "20")
    assert weekly.code == 0 and "by week" in weekly.out


def test_plot_bad_input(on_demo):
    assert on_demo("plot", "--range", "2w").code == 2
    assert on_demo("plot", "--region", "elbow").code == 2
    assert on_demo("plot", "--width", "5").code == 2


def test_analysis_commands_on_an_empty_journal(cli):
    for command in (["week"], ["flags"], ["insights"], ["plot", "--width", "60", "--height", "15"]):
        result = cli(*command)
        assert result.code == 0 and result.out.strip()
