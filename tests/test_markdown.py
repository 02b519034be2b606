"""The one-page Markdown summary and the export period: as of the last entry, whole history behind
flags and trend, at most 60 lines of 100 characters for any journal, user text escaped."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from markdown_it import MarkdownIt

from skinlog.domain.entry import EVENTS, PROCEDURES, make_entry
from skinlog.domain.products import STARTER_CATALOGUE, Product
from skinlog.domain.regions import REGION_IDS
from skinlog.services.export import gather, md_text, render
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY
from tests.test_as_of import EXPORTED, LAST, write_stale_journal

HOSTILE = [
    "A | B",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![img](http://e.x/a.png)",
    "`code` & *stars* _under_",
    "# heading",
    "- list",
    "> quote",
    "1. first",
]


def page(journal_path, today: date, since: date | None = None, until: date | None = None, name=None) -> str:
    return render("md", gather(Journal(str(journal_path)), today, since, until, name)).decode()


def html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def assert_one_page(text: str) -> None:
    lines = text.splitlines()
    assert len(lines) <= 60, f"{len(lines)} lines"
    too_long = [line for line in lines if len(line) > 100]
    assert not too_long, too_long
    assert "not a diagnosis or medical advice" in " ".join(text.split())


def assert_inert(text: str) -> None:
    rendered = html(text)
    assert "<script" not in rendered and "<a " not in rendered and "<img" not in rendered
    codes = re.findall(r"<code>(.*?)</code>", rendered)
    assert len([c for c in codes if not c.startswith("skinlog ")]) <= 1, codes  # the sparkline, commands
    assert "<h1>" in rendered and rendered.count("<h1>") == 1  # a name or note never makes a heading
    assert "\x1b" not in text
    for table in re.findall(r"<table>.*?</table>", rendered, flags=re.S):
        header = re.search(r"<tr>(.*?)</tr>", table, flags=re.S).group(1)
        width = header.count("<th")
        for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]:
            assert row.count("<td") == width, row


# -- the stale journal from the issue


@pytest.fixture
def stale(journal_path):
    return write_stale_journal(journal_path)


def test_stale_journal_export_shows_the_flag_as_of_the_last_entry(stale):
    text = page(stale, date.fromisoformat(EXPORTED))
    assert_one_page(text)
    assert (
        "Flags and trends are as of your last entry on 2026-07-09, 137 days ago, from all entries to then."
        in text
    )
    assert "**see a clinician**: bumps that stay · under-eye L · since 2026-01-01" in text
    assert "No active flags" not in text
    assert (
        "Trend, 4 weeks to 2026-07-09 vs the 4 before: stable, 2.0 → 2.0 a day (28 and 28 days logged)"
        in text
    )


def test_stale_journal_json_export_carries_the_flag_and_the_reference_date(stale):
    document = json.loads(render("json", gather(Journal(str(stale)), date.fromisoformat(EXPORTED))))
    assert [(f["code"], f["level"]) for f in document["flags"]] == [("persistent", "see_clinician")]
    assert document["summary"]["as_of"] == LAST.isoformat()
    assert document["summary"]["as_of_line"] == "as of your last entry on 2026-07-09, 137 days ago"
    assert document["summary"]["trend"] == "stable"


def test_since_chooses_the_entries_listed_not_what_flags_see(stale):
    today = date.fromisoformat(EXPORTED)
    data = gather(Journal(str(stale)), today, since=date(2026, 6, 1))
    assert data.entries[0].date == date(2026, 6, 1) and len(data.entries) == 39
    assert [(f.code, f.level, f.since) for f in data.flags] == [
        ("persistent", "see_clinician", date(2026, 1, 1))
    ]
    document = json.loads(render("json", data))
    assert len(document["entries"]) == 39 and document["summary"]["days_logged"] == 190
    assert document["flags"][0]["evidence"]["weeks"] == 27.1
    text = render("md", data).decode()
    assert (
        "Period 2026-06-01 to 2026-07-09: 39 days logged of 39 (100%); 190 in all since 2026-01-01." in text
    )
    assert "bumps that stay" in text


def test_until_ends_the_history_flags_are_computed_on(stale):
    data = gather(Journal(str(stale)), date.fromisoformat(EXPORTED), until=date(2026, 3, 31))
    assert data.as_of == date(2026, 3, 31) and data.entries[-1].date == date(2026, 3, 31)
    assert [(f.code, f.level) for f in data.flags] == [("persistent", "watch")]  # 13 weeks by then
    text = render("md", data).decode()
    assert "Flags and trends are as of 2026-03-31, the end of the period, 237 days ago" in text
    assert "**watch**: bumps that stay · under-eye L · since 2026-01-01" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--since", "2026-07-01", "--until", "2026-06-01"],
            "--since 2026-07-01 is after --until 2026-06-01",
        ),
        (["--until", "2025-12-01"], "nothing was logged up to 2025-12-01 (your first entry is 2026-01-01)"),
        (
            ["--since", "2025-10-01", "--until", "2025-10-31"],
            "nothing was logged from 2025-10-01 to 2025-10-31 (your first entry is 2026-01-01)",
        ),
        (["--since", "2026-08-01"], "nothing was logged from 2026-08-01 to today"),
    ],
)
def test_a_period_that_runs_backwards_or_is_empty_is_refused(cli, stale, monkeypatch, args, message):
    monkeypatch.setenv("SKINLOG_TODAY", EXPORTED)
    before = stale.read_bytes()
    for fmt in ("json", "md", "fhir"):
        result = cli("export", "--format", fmt, *args)
        assert result.code == 2 and result.out == ""
        assert message in result.err and len(result.err.strip().splitlines()) == 1
        assert ("runs backwards" in result.err) == message.startswith("--since 2026-07-01 is after")
    assert stale.read_bytes() == before


# -- one page, whatever the journal


def test_the_demo_fits_one_page(cli, tmp_path):
    path = tmp_path / "demo.json"
    assert cli("demo", "--out", str(path)).code == 0
    text = page(path, PINNED_TODAY)
    assert_one_page(text)
    assert_inert(text)
    for heading in (
        "## Flags",
        "## Where things stand",
        "## Regions with bumps in the period",
        "## Symptoms, picking, procedures and events",
        "## Products",
        "## Latest notes",
    ):
        assert heading in text
    assert "| Itch (0-3) |" in text and "| Picking |" in text
    assert "Adapalene from" in text and "(retinoid)" in text
    assert "1 bumps" not in text and "1 days " not in text


def _write(path, entries, products=STARTER_CATALOGUE, settings=None):
    Journal(str(path)).replace_all(entries, list(products), settings or {})
    return path


def test_every_day_picked_every_region_every_symptom_and_event(tmp_path):
    end = date(2026, 6, 14)
    entries = []
    for n in range(400):
        day = end - timedelta(days=n)
        entries.append(
            make_entry(
                day,
                {r: 1 + (n + i) % 12 for i, r in enumerate(REGION_IDS)},
                [],
                symptoms={"redness": n % 4, "itch": (n + 1) % 4, "pain": (n + 2) % 4},
                picked=True,
                procedure=PROCEDURES[1 + n % (len(PROCEDURES) - 1)],
                note=HOSTILE[n % len(HOSTILE)] * 20,
            )._replace(events=tuple(EVENTS))
        )
    entries.reverse()
    text = page(_write(tmp_path / "j.json", entries), end + timedelta(days=1))
    assert_one_page(text)
    assert_inert(text)
    assert "| Picking | 400 |" in text and "more flags in `skinlog flags`._" in text
    assert "JSON export" not in text
    shown = re.findall(r"^- \*\*[a-z ]+\*\*: ([a-z ,]+?) ·", text, flags=re.M)
    assert shown == ["bumps that stay", "a cluster", "red, itchy or sore"], shown  # one of each kind first


def test_twenty_hostile_products(tmp_path):
    products = [
        Product(f"{HOSTILE[i % len(HOSTILE)]} {i}", "occlusive" if i % 2 else "retinoid", i % 2 == 1)
        for i in range(20)
    ]
    end = date(2026, 6, 14)
    entries = [
        make_entry(
            end - timedelta(days=n),
            {"under_eye_left": 3},
            [p.name for i, p in enumerate(products) if n % (i + 1) == 0],
        )
        for n in range(99, -1, -1)
    ]
    text = page(_write(tmp_path / "j.json", entries, products), end, name="<b>Sam</b> | [me](x)")
    assert_one_page(text)
    assert_inert(text)
    assert re.search(r"^_… and \d+ more products in `skinlog products`._$", text, flags=re.M)
    assert "| A \\| B 0 | retinoid | 100 |" in text
    assert "| &lt;script&gt;alert\\(1\\)&lt;/script&gt; 1 | occlusive, heavy | 50 |" in text
    assert text.startswith("# Milia journal summary: &lt;b&gt;Sam&lt;/b&gt; \\| \\[me\\]\\(x\\)")


def test_a_hundred_years_of_entries(tmp_path):
    end = date(2026, 6, 14)
    entries = [
        make_entry(
            end - timedelta(days=n),
            {"nose": n % 5, "genital": 1 if n % 97 == 0 else 0},
            ["Retinol"] if n % 3 else [],
            picked=n % 50 == 0,
            note="a note" if n % 10 == 0 else "",
        )
        for n in range(36_500 - 1, -1, -1)
    ]
    text = page(_write(tmp_path / "j.json", entries), end)
    assert_one_page(text)
    assert "36500 days logged of 36500" in text
    assert "last 26 of 5215 weeks" in text


def test_a_single_entry(tmp_path):
    text = page(_write(tmp_path / "j.json", [make_entry(date(2026, 6, 14), {"nose": 1})]), date(2026, 6, 14))
    assert_one_page(text)
    assert "1 bump (nose 1)" in text and "not enough days" in text


def test_md_text_escapes_markdown_html_and_control_characters():
    assert md_text("A | B") == "A \\| B"
    assert md_text("<script>") == "&lt;script&gt;"
    assert md_text("[x](javascript:alert(1))") == "\\[x\\]\\(javascript:alert\\(1\\)\\)"
    assert md_text("# not a heading") == "\\# not a heading"
    assert md_text("- not a list") == "\\- not a list"
    assert md_text("`x` & y") == "\\`x\\` &amp; y"
    assert md_text("\x1b[2J") == "\\\\x1b\\[2J"
    assert md_text("a long name", 6) == "a lon…"


# -- what the page keeps when it is full


def _six_flags(path):
    """Logged up to 2026-11-19: four regions that stay (under the left eye 4.2 a day, the right
    eyelid 1 a day and longer), itch on the last day, picking four days before."""
    last = date(2026, 11, 19)
    entries = []
    for n in range((last - date(2026, 5, 1)).days + 1):
        day = date(2026, 5, 1) + timedelta(days=n)
        counts = {"eyelid_right": 1}
        if day >= date(2026, 5, 5):
            counts["nose"] = 2
        if day >= date(2026, 5, 8):
            counts["chin"] = 3
        if day >= date(2026, 5, 10):
            counts["under_eye_left"] = 5 if n % 5 == 0 else 4
        entries.append(
            make_entry(
                day, counts, [], symptoms={"itch": 2 if day == last else 0}, picked=day == date(2026, 11, 15)
            )
        )
    return _write(path, entries)


def flag_lines(text: str) -> list[str]:
    return re.findall(r"^- \*\*([a-z ]+)\*\*: ([a-z ,]+?) · (.*?) · since", text, flags=re.M)


def test_flags_come_by_level_then_by_strength_and_fill_the_page(tmp_path):
    text = page(_six_flags(tmp_path / "j.json"), date(2026, 12, 20))
    assert_one_page(text)
    assert flag_lines(text) == [
        ("see a clinician", "bumps that stay", "under-eye L"),
        ("see a clinician", "red, itchy or sore", "eyelid R, under-eye L, nose, chin"),
        ("see a clinician", "bumps that stay", "chin"),
        ("see a clinician", "bumps that stay", "nose"),
        ("see a clinician", "bumps that stay", "eyelid R"),
    ]
    assert "- **watch**: picking · since 2026-11-15" in text  # all six fit on the page
    assert "more flag" not in text and "JSON export" not in text
    assert (
        "Bumps on every one of 194 entries over 27.7 weeks; 4.2 a day on average, 4 in the latest entry."
        in text
    )
    assert "worth showing to a\n  dermatologist" in text  # the advice, after the evidence
    assert "setting persist weeks" not in text


def test_flags_that_do_not_fit_are_counted_and_pointed_to(tmp_path):
    path = _six_flags(tmp_path / "j.json")
    journal = Journal(str(path))
    entries = journal.entries()
    # notes and an event take lines the six flags needed
    extra = [
        e._replace(note="a note", events=("sunburn",) if e.date == date(2026, 11, 1) else ()) for e in entries
    ]
    _write(path, extra)
    text = page(path, date(2026, 12, 20))
    assert_one_page(text)
    lines = text.splitlines()
    more = [line for line in lines if line.startswith("_… and ")]
    assert more == ["_… and 1 more flag in `skinlog flags`._"]
    assert len(lines) >= 60 - 4  # the flag left out would not have fitted
    assert "under-eye L" in flag_lines(text)[0][2]


def test_more_line_never_takes_the_place_of_the_one_item_it_hides():
    from skinlog.services.export import _take

    items = [[f"item {n}"] for n in range(5)]
    more = lambda n: f"and {n} more"  # noqa: E731
    assert _take(items, 5, more) == [f"item {n}" for n in range(5)]
    assert _take(items, 4, more) == ["item 0", "item 1", "item 2", "and 2 more"]
    assert _take([["a", "a"], ["b"]], 3, more) == ["a", "a", "b"]
    assert _take([["a", "a"], ["b", "b"]], 3, more) == ["a", "a", "and 1 more"]


def test_the_demo_lists_treatments_and_heavy_products_first(cli, tmp_path):
    path = tmp_path / "demo.json"
    assert cli("demo", "--out", str(path)).code == 0
    text = page(path, PINNED_TODAY)
    rows = re.findall(r"^\| ([^|]+?) \| ([a-z ,]+) \| \d+ \|", text, flags=re.M)
    assert [name for name, _ in rows] == [
        "Adapalene",
        "Eye cream",
        "Occlusive cream",
        "Glycolic acid",
        "Gentle cleanser",
        "Sunscreen SPF 30+",
        "Light moisturizer",
    ]
    assert ("Eye cream", "eye cream, heavy") in rows and "more product" not in text


def test_long_sentences_wrap_instead_of_being_cut(tmp_path):
    name = "Adapalene gel 0.1 percent night"
    products = [Product(name, "retinoid")]
    end = date(2026, 6, 14)
    entries = [
        make_entry(end - timedelta(days=n), {r: 3 for r in REGION_IDS[:14]}, [name] if n < 30 else [])
        for n in range(80, -1, -1)
    ]
    text = page(_write(tmp_path / "j.json", entries, products), end)
    assert_one_page(text)
    joined = " ".join(text.split())
    assert "(retinoid): 42.0 a day in the 4 weeks before, 42.0 a day in the last 4." in joined
    assert "jaw L 3, jaw R 3)." in joined  # the latest entry's regions, all of them
    for line in text.splitlines():
        assert not re.search(r"\w…$", line), line  # nothing cut mid-word


def test_symptom_columns_count_the_same_days(tmp_path):
    # itch on 2026-06-05, before the period; the period is the 10 days after
    entries = [
        make_entry(date(2026, 6, d), {"nose": 1}, [], symptoms={"itch": 2 if d == 5 else 0})
        for d in range(1, 16)
    ]
    path = _write(tmp_path / "j.json", entries)
    text = page(path, date(2026, 6, 16), since=date(2026, 6, 6), until=date(2026, 6, 15))
    assert (
        "| Of the 10 days logged, days with | ≥ 1 | ≥ 2 | Of them, last 4 weeks (10): ≥ 1 | ≥ 2 | Latest |"
        in text
    )
    assert "| Itch (0-3) | 0 | 0 | 0 | 0 | - |" in text
    assert "| nose | 2026-06-06 | 2026-06-15 | 1 on 2026-06-06 | 1.0, 10 of 10 |" in text  # the same days
    text = page(path, date(2026, 6, 16), since=date(2026, 6, 1), until=date(2026, 6, 15))
    assert "| Itch (0-3) | 1 | 1 | 1 | 1 | 2026-06-05 |" in text


def test_a_full_page_still_shows_flags_and_products(tmp_path):
    products = [
        Product(f"{HOSTILE[i % len(HOSTILE)]} {i}", "retinoid" if i % 2 else "occlusive", i % 2 == 0)
        for i in range(20)
    ]
    end = date(2026, 6, 14)
    entries = []
    for n in range(400):
        entries.append(
            make_entry(
                end - timedelta(days=n),
                {r: 1 + (n + i) % 12 for i, r in enumerate(REGION_IDS)},
                [p.name for i, p in enumerate(products) if n % (i + 1) == 0],
                symptoms={"redness": n % 4, "itch": (n + 1) % 4, "pain": (n + 2) % 4},
                picked=True,
                procedure=PROCEDURES[1 + n % (len(PROCEDURES) - 1)],
                note=HOSTILE[n % len(HOSTILE)] * 20,
            )._replace(events=tuple(EVENTS))
        )
    entries.reverse()
    text = page(_write(tmp_path / "j.json", entries, products), end + timedelta(days=1), name="x" * 200)
    assert_one_page(text)
    assert_inert(text)
    flags = text.split("## Flags\n")[1].split("\n\n")[0].splitlines()
    products_part = text.split("## Products\n")[1].split("\n\n")[0].splitlines()
    assert flags[0].startswith("- **see a clinician**: ") and flags[-1].endswith(
        "more flags in `skinlog flags`._"
    )
    assert products_part[2].startswith("| ") and any(
        line.endswith("in `skinlog products`._") for line in products_part
    )


def test_the_as_of_line_wraps_rather_than_being_cut(stale):
    text = page(stale, date(2060, 1, 1), since=date(2026, 6, 1), until=date(2026, 8, 31))
    assert_one_page(text)
    assert (
        "Flags and trends are as of your last entry in the period on 2026-07-09, 12229 days ago, from all "
        "entries to then."
    ) in " ".join(text.split())
