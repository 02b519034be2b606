"""The CSV export: a row a logged day that spreadsheets open as it is, and never as formulas."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

import pytest

from skinlog.domain.entry import make_entry
from skinlog.domain.products import STARTER_CATALOGUE, Product
from skinlog.domain.regions import REGIONS
from skinlog.services.csv_export import COLUMNS, neutralise
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY

END = PINNED_TODAY - timedelta(days=1)


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_demo_round_trips_through_the_csv_module(cli, demo, tmp_path):
    out = tmp_path / "days.csv"
    assert cli("export", "--format", "csv", "-o", str(out), db=demo).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"date,") and b"\r\n" in raw  # RFC 4180 line ends
    rows = read_csv(raw.decode())
    days = json.loads(cli("list", "--json", db=demo).out)
    days.reverse()  # list is newest first; the CSV oldest first
    assert len(rows) == len(days) > 200
    assert list(rows[0]) == list(COLUMNS)
    assert [r.short for r in REGIONS] == list(COLUMNS[1 : len(REGIONS) + 1])
    for row, day in zip(rows, days):
        assert row["date"] == day["date"]
        for region in REGIONS:
            assert row[region.short] == str(day["counts"][region.id])
        assert row["total"] == str(sum(day["counts"].values()))
        assert row["products"].split("; ") == day["products"] if day["products"] else row["products"] == ""
        assert row["note"] == day["note"]
        assert row["picked"] == ("yes" if day["picked"] else "no")
        assert [row[k] for k in ("redness", "itch", "pain")] == [
            str(day["symptoms"][k]) for k in ("redness", "itch", "pain")
        ]


def test_quotes_commas_and_line_breaks_come_back_as_typed(tmp_path, cli):
    db = tmp_path / "j.json"
    note = 'said "it stings", then\nleft it; a, b'
    Journal(db).replace_all(
        [make_entry(END, {"nose": 2}, ["Adapalene"], note=note)], list(STARTER_CATALOGUE), {}
    )
    result = cli("export", "--format", "csv", db=db)
    assert result.code == 0
    (row,) = read_csv(result.out)
    assert row["note"] == note and row["nose"] == "2"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-3", "'-3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("fine = ok", "fine = ok"),
        ("", ""),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_neutralised(typed, written):
    assert neutralise(typed) == written


def test_notes_and_product_names_from_the_journal_are_never_formulas(tmp_path, cli):
    db = tmp_path / "j.json"
    products = [*STARTER_CATALOGUE, Product("=cmd|' /C calc'!A0", "other"), Product("@risky", "other")]
    entries = [
        make_entry(END - timedelta(days=2), {"chin": 1}, ["=cmd|' /C calc'!A0"], note="=1+1"),
        make_entry(END - timedelta(days=1), {"chin": 0}, ["@risky"], note="-2 bumps less"),
        make_entry(END, {"chin": 3}, [], note="+ better"),
    ]
    Journal(db).replace_all(entries, products, {})
    result = cli("export", "--format", "csv", db=db)
    assert result.code == 0
    rows = read_csv(result.out)
    cells = [value for row in rows for value in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert [r["note"] for r in rows] == ["'=1+1", "'-2 bumps less", "'+ better"]
    assert [r["products"] for r in rows] == ["'=cmd|' /C calc'!A0", "'@risky", ""]
    # the counts are stored as plain whole numbers: never negative, so never given a quote
    assert [r["chin"] for r in rows] == ["1", "0", "3"] and [r["total"] for r in rows] == ["1", "0", "3"]


def test_a_period_gives_only_its_days(cli, demo):
    result = cli("export", "--format", "csv", "--since", "2026-11-01", "--until", "2026-11-10", db=demo)
    assert result.code == 0
    dates = [r["date"] for r in read_csv(result.out)]
    assert dates and dates[0] >= "2026-11-01" and dates[-1] <= "2026-11-10"
