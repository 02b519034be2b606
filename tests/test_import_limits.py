"""Import's limits agree with the journal's: size cap, dates, products a day, duplicate keys, speed."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from skinlog.domain.entry import MAX_PRODUCTS, make_entry
from skinlog.domain.products import Product
from skinlog.domain.regions import REGION_IDS
from skinlog.services.export import gather, render
from skinlog.services.importer import (
    EXPORT_BYTES_PER_DAY,
    EXPORT_GROWTH,
    MAX_DAYS,
    MAX_IMPORT_BYTES,
    ImportFailed,
    plan_import,
    read_export,
)
from skinlog.storage import MAX_JOURNAL_BYTES, Journal
from tests.helpers import read_terminal

TODAY = date(2026, 6, 15)


def _short_names(n: int) -> list[str]:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    names = []
    for i in range(n):
        word = ""
        while True:
            word = digits[i % 36] + word
            i //= 36
            if not i:
                break
        names.append(word)
    return names


def _journal_and_export(path: Path, entries, products) -> tuple[int, int]:
    Journal(path).replace_all(entries, products, {})
    return os.path.getsize(path), len(render("json", gather(Journal(path), TODAY)))


def _span(entries) -> int:
    return (entries[-1].date - entries[0].date).days + 1 if entries else 0


def test_the_import_cap_is_derived_from_the_journals_own_cap():
    assert MAX_IMPORT_BYTES >= EXPORT_GROWTH * MAX_JOURNAL_BYTES + EXPORT_BYTES_PER_DAY * MAX_DAYS
    assert (
        date(2052, 12, 31) - date(1900, 1, 1)
    ).days < MAX_DAYS  # every day a journal can hold for years yet


def test_exports_stay_within_the_figures_behind_the_import_cap(tmp_path):
    """export bytes <= fixed part + EXPORT_GROWTH x journal bytes + EXPORT_BYTES_PER_DAY x days spanned,
    for the journals that stretch each term most; the fixed part is under the cap's 1 MB slack."""
    _, fixed = _journal_and_export(tmp_path / "empty.json", [], [])
    assert fixed < 1024 * 1024
    names = _short_names(3000)
    full_day = dict.fromkeys(REGION_IDS, 500)
    cases = {
        # empty days: the most export per day
        "empty days": ([make_entry(TODAY - timedelta(days=n), {}, []) for n in range(800, -1, -1)], []),
        # two days a century apart: the longest weekly summary for the fewest bytes
        "a century apart": ([make_entry(date(1900, 1, 1), {}, []), make_entry(TODAY, {}, [])], []),
        # products with one- and two-letter names: the most export per journal byte
        "short product names": ([], [Product(n, "aha") for n in names]),
        # the fullest days a journal can hold
        "full days": (
            [
                make_entry(
                    TODAY - timedelta(days=n),
                    full_day,
                    names[:MAX_PRODUCTS],
                    symptoms={"redness": 3, "itch": 3, "pain": 3},
                    picked=True,
                    procedure="chemical_peel",
                    note="n" * 1000,
                )
                for n in range(60, -1, -1)
            ],
            [Product(n, "aha") for n in names[:MAX_PRODUCTS]],
        ),
    }
    for case, (entries, products) in cases.items():
        journal, export = _journal_and_export(tmp_path / "j.json", entries, products)
        bound = fixed + EXPORT_GROWTH * journal + EXPORT_BYTES_PER_DAY * _span(entries)
        assert export <= bound, (case, journal, export, bound)
    # a product's own growth (one-letter names, one-digit ids: the worst case) stays under the factor
    empty_journal, _ = _journal_and_export(tmp_path / "empty.json", [], [])
    journal, export = _journal_and_export(tmp_path / "j.json", [], [Product(n, "aha") for n in names[:9]])
    assert (export - fixed) / (journal - empty_journal) < EXPORT_GROWTH


def _snapshot(path):
    journal = Journal(path)
    return journal.entries(), sorted(journal.products()), journal.settings()


@pytest.mark.slow
def test_a_hundred_year_journal_with_an_export_over_50_mb_round_trips(cli, tmp_path, monkeypatch):
    products = [Product(f"Product number {i}", "moisturizer") for i in range(12)]
    names = [p.name for p in products]
    entries = [
        make_entry(
            TODAY - timedelta(days=n),
            {"nose": n % 5, "under_eye_left": n % 7},
            names,
            note=f"day {n}: " + "a steady note " * 20,
        )
        for n in range(36_500 - 1, -1, -1)
    ]
    source = tmp_path / "century.json"
    Journal(source).replace_all(entries, products, {"persist_weeks": 16})
    export = tmp_path / "century-export.json"
    monkeypatch.setenv("SKINLOG_TODAY", TODAY.isoformat())
    assert cli("export", "-o", str(export), db=source).code == 0
    assert os.path.getsize(export) > 50 * 1024 * 1024  # refused by the old 50 MB cap
    target = tmp_path / "restored.json"
    result = cli("import", str(export), db=target)
    assert result.code == 0, result.err
    assert _snapshot(target) == _snapshot(source)


# -- duplicate keys


def _export_bytes(cli, tmp_path) -> bytes:
    cli("add", "--date", "-1", "nose=2", "-p", "Retinol")
    cli("settings", "set", "persist_weeks", "20")
    out = tmp_path / "export.json"
    assert cli("export", "-o", str(out)).code == 0
    return out.read_bytes()


DUPLICATES = {
    "top-level key": (
        b'"format": "skinlog-export",',
        b'"format": "skinlog-export", "format": "skinlog-export",',
    ),
    "entry date": (b'"date": "', b'"date": "2001-01-01", "date": "'),
    "region count": (b'"nose": 2', b'"nose": 9, "nose": 2'),
    "setting": (b'"persist_weeks": 20', b'"persist_weeks": 12, "persist_weeks": 20'),
    "product field": (b'"name": "Retinol"', b'"name": "Tretinoin", "name": "Retinol"'),
}


@pytest.mark.parametrize("case", list(DUPLICATES))
def test_duplicate_json_keys_are_refused_in_one_line(cli, tmp_path, case):
    raw = _export_bytes(cli, tmp_path)
    old, new = DUPLICATES[case]
    assert old in raw
    bad = tmp_path / "dup.json"
    bad.write_bytes(raw.replace(old, new, 1))
    target = tmp_path / "target.json"
    cli("add", "chin=1", db=target)
    before = target.read_bytes()
    for mode in ([], ["--merge"], ["--replace"], ["--replace", "--dry-run"]):
        result = cli("import", str(bad), *mode, db=target)
        assert result.code == 1
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and "appears twice in one object" in lines[0] and "not changed" in lines[0]
        assert target.read_bytes() == before


def test_an_export_reformatted_by_another_program_still_imports(cli, tmp_path):
    raw = _export_bytes(cli, tmp_path)
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(json.loads(raw), separators=(",", ":")))
    assert cli("import", str(compact), db=tmp_path / "target.json").code == 0
    assert _snapshot(tmp_path / "target.json") == _snapshot(tmp_path / "data" / "journal.json")


# -- dates: one strict parser, one earliest date


@pytest.mark.parametrize(
    "text",
    [
        "2026-W01-1",
        "20260101",
        "2026-1-1",
        "2026-01-01T00:00:00",
        " 2026-01-01",
        "2026-01-01 ",
        "1899-12-31",
        "0001-01-01",
        "２０２６-01-01",
        "2026-02-30",
    ],
)
def test_dates_that_are_not_strict_iso_from_1900_are_refused(cli, tmp_path, text):
    doc = json.loads(_export_bytes(cli, tmp_path))
    doc["entries"][0]["date"] = text
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    result = cli("import", str(bad), db=tmp_path / "target.json")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    assert "not a" in result.err or "before 1900" in result.err
    assert not (tmp_path / "target.json").exists()


def test_journal_and_import_agree_on_the_earliest_date(cli, tmp_path):
    assert cli("add", "--date", "1900-01-01", "nose=1").code == 0
    assert cli("add", "--date", "1899-12-31", "nose=1").code == 2
    out = tmp_path / "e.json"
    assert cli("export", "-o", str(out)).code == 0
    assert cli("import", str(out), db=tmp_path / "target.json").code == 0
    assert [e.date for e in Journal(tmp_path / "target.json").entries()] == [date(1900, 1, 1)]


# -- products a day


def _with_products(doc: dict, count: int) -> dict:
    names = [f"P{i}" for i in range(count)]
    doc["products"] = [{"name": n, "category": "other", "heavy": False} for n in names]
    doc["entries"][0]["products"] = names
    return doc


@pytest.mark.parametrize(("count", "accepted"), [(MAX_PRODUCTS, True), (MAX_PRODUCTS + 1, False)])
def test_import_holds_the_products_a_day_limit(cli, tmp_path, count, accepted):
    doc = _with_products(json.loads(_export_bytes(cli, tmp_path)), count)
    path = tmp_path / "many.json"
    path.write_text(json.dumps(doc))
    target = tmp_path / "target.json"
    result = cli("import", str(path), db=target)
    if accepted:
        assert result.code == 0 and len(Journal(target).entries()[0].products) == MAX_PRODUCTS
    else:
        assert result.code == 1 and f"at most {MAX_PRODUCTS} products a day" in result.err
        assert not target.exists()


def test_add_merge_holds_the_products_a_day_limit(cli, journal_path):
    first = [x for i in range(30) for x in ("-p", f"A{i}")]
    more = [x for i in range(21) for x in ("-p", f"B{i}")]
    assert cli("add", "--date", "-1", "nose=1", *first, "--new-product", "other").code == 0
    before = journal_path.read_bytes()
    result = cli("add", "--date", "-1", "--merge", *more, "--new-product", "other")
    assert result.code == 2 and f"at most {MAX_PRODUCTS} products a day" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert journal_path.read_bytes() == before
    fits = [x for i in range(20) for x in ("-p", f"B{i}")]
    assert cli("add", "--date", "-1", "--merge", *fits, "--new-product", "other").code == 0
    assert len(Journal(journal_path).entries()[0].products) == MAX_PRODUCTS


def test_add_refuses_more_than_the_limit_at_once(cli, journal_path):
    many = [x for i in range(MAX_PRODUCTS + 1) for x in ("-p", f"C{i}")]
    result = cli("add", "nose=1", *many, "--new-product", "other")
    assert result.code == 2 and f"at most {MAX_PRODUCTS} products a day" in result.err
    assert not journal_path.exists()


# -- checking products is linear


def _big_catalogue_export(tmp_path: Path, products: int, days: int) -> Path:
    catalogue = [Product(f"Product {i:05d}", "other") for i in range(products)]
    entries = [
        make_entry(TODAY - timedelta(days=n), {"nose": 1}, [catalogue[n].name])
        for n in range(days - 1, -1, -1)
    ]
    source = tmp_path / "source.json"
    Journal(source).replace_all(entries, catalogue, {})
    out = tmp_path / "big.json"
    out.write_bytes(render("json", gather(Journal(source), TODAY)))
    return out


def test_forty_thousand_products_are_checked_in_under_two_seconds(tmp_path):
    export = _big_catalogue_export(tmp_path, 40_000, 10)
    started = time.perf_counter()
    content = read_export(str(export), TODAY)
    checked = time.perf_counter() - started
    assert len(content.products) == 40_000
    assert checked < 2.0, f"{checked:.2f} s"
    target = Journal(tmp_path / "target.json")
    target.replace_all([], content.products[::2], {})  # a journal that already has half of them
    started = time.perf_counter()
    plan = plan_import(target, content, "merge")
    assert time.perf_counter() - started < 2.0
    assert len(plan.new_products) == 20_000


def test_a_repeated_product_is_found_whatever_its_case(tmp_path):
    export = tmp_path / "e.json"
    doc = {
        "format": "skinlog-export",
        "version": 1,
        "entries": [],
        "settings": {},
        "products": [
            {"name": "Balm", "category": "other", "heavy": False},
            {"name": "BALM", "category": "other", "heavy": False},
        ],
    }
    export.write_text(json.dumps(doc))
    with pytest.raises(ImportFailed, match="'BALM' appears more than once"):
        read_export(str(export), TODAY)


def test_a_large_import_shows_progress_on_a_terminal(tmp_path):
    export = _big_catalogue_export(tmp_path, 40_000, 600)
    assert os.path.getsize(export) > 1_000_000
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "skinlog", "--db", str(tmp_path / "target.json"), "import", str(export)],
            stdout=subprocess.PIPE,
            stderr=follower,
            env={**os.environ, "SKINLOG_TODAY": TODAY.isoformat()},
        )
        os.close(follower)
        follower = -1
        err = read_terminal(leader)
        out, _ = proc.communicate(timeout=60)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0, err
    assert b"checking entries: 600 of 600" in err
    assert b"600 days new" in out and b"40000 new products" in out


@pytest.mark.parametrize("depth", [300, 1000, 1030, 100_000])
def test_deeply_nested_files_are_one_line(cli, tmp_path, depth):
    # orjson reads 1024 levels but writes only 255: the duplicate-key check must not trip over that.
    bad = tmp_path / "deep.json"
    bad.write_bytes(b'{"format": "skinlog-export", "version": 1, "x": ' + b"[" * depth + b"]" * depth + b"}")
    result = cli("import", str(bad), db=tmp_path / "target.json")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1 and "cannot import" in result.err
    if depth > 1024:
        assert "nested too deeply" in result.err
    assert not (tmp_path / "target.json").exists()


def test_a_small_import_does_not_set_aside_memory_for_the_cap(cli, tmp_path):
    raw = _export_bytes(cli, tmp_path)
    small = tmp_path / "small.json"
    small.write_bytes(raw)
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (800 * 2**20, 800 * 2**20))\n"
        "from skinlog.cli import main\n"
        f"sys.exit(main(['--db', {str(tmp_path / 'target.json')!r}, 'import', {str(small)!r}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Imported" in result.stdout
