"""Import of a skinlog export: lossless round trips, merge/replace/dry-run, and bad files refused."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from skinlog.services.export import gather, render
from skinlog.services.importer import apply_import, plan_import, read_export
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY
from tests.strategies import journals, write_journal


def snapshot(path):
    journal = Journal(path)
    return journal.entries(), sorted(journal.products()), journal.settings()


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(journals())
def test_export_then_import_into_an_empty_journal_restores_it_exactly(tmp_path_factory, journal):
    folder = tmp_path_factory.mktemp("rt")
    source = write_journal(folder / "source.json", journal)
    export_file = folder / "export.json"
    export_file.write_bytes(render("json", gather(Journal(source), PINNED_TODAY)))
    target = Journal(folder / "restored.json")
    apply_import(target, plan_import(target, read_export(str(export_file), PINNED_TODAY), "new"))
    assert snapshot(folder / "restored.json") == snapshot(source)
    entries, products, stored_settings = journal
    assert snapshot(folder / "restored.json") == (entries, sorted(products), stored_settings)


@pytest.fixture
def demo_export(cli, tmp_path):
    demo = tmp_path / "demo.json"
    cli("demo", "--out", str(demo))
    out = tmp_path / "export.json"
    assert cli("export", "-o", str(out), db=demo).code == 0
    return out


def test_import_through_the_cli_restores_and_reports(cli, demo_export, tmp_path):
    target = tmp_path / "restored.json"
    dry = cli("import", str(demo_export), "--dry-run", db=target)
    assert dry.code == 0 and "266 days new" in dry.out and "Nothing was changed" in dry.out
    assert not target.exists()
    done = cli("import", str(demo_export), db=target)
    assert done.code == 0 and "266 days new" in done.out
    assert snapshot(target) == snapshot(tmp_path / "demo.json")
    again = cli("import", str(demo_export), db=target)
    assert again.code == 1 and "--merge" in again.err and "--replace" in again.err


def test_merge_adds_missing_days_and_keeps_the_journals_own(cli, demo_export, tmp_path):
    target = tmp_path / "mine.json"
    yesterday = (PINNED_TODAY - timedelta(days=1)).isoformat()
    cli("add", "--date", yesterday, "nose=40", db=target)
    cli("add", "nose=1", "-p", "Retinol", db=target)
    result = cli("import", str(demo_export), "--merge", db=target)
    assert result.code == 0
    assert (
        "265 days new" in result.out
        and f"1 day different from the journal's, which are kept (first {yesterday})" in result.out
    )
    entries = {e.date.isoformat(): e for e in Journal(target).entries()}
    assert len(entries) == 267
    assert entries[yesterday].count("nose") == 40  # the journal's own day is kept
    assert entries[PINNED_TODAY.isoformat()].products == ("Retinol",)


def test_replace_makes_the_journal_exactly_the_export(cli, demo_export, tmp_path):
    target = tmp_path / "mine.json"
    cli("add", "--date", "2001-01-01", "chin=3", db=target)
    cli("settings", "set", "persist_weeks", "20", db=target)
    result = cli("import", str(demo_export), "--replace", db=target)
    assert result.code == 0
    assert snapshot(target) == snapshot(tmp_path / "demo.json")


def _export_doc(demo_export):
    return json.loads(demo_export.read_bytes())


def _mutations():
    def entries(doc, fn):
        fn(doc["entries"])
        return doc

    return {
        "not json": lambda doc: b"this is not json {",
        "a json list": lambda doc: [1, 2, 3],
        "another app's json": lambda doc: {"format": "other-app", "version": 1},
        "newer version": lambda doc: {**doc, "version": 3},
        "version as text": lambda doc: {**doc, "version": "1"},
        "truncated": lambda doc: json.dumps(doc).encode()[:-300],
        "negative count": lambda doc: entries(doc, lambda es: es[0]["counts"].update(nose=-1)),
        "count too big": lambda doc: entries(doc, lambda es: es[0]["counts"].update(nose=501)),
        "count as text": lambda doc: entries(doc, lambda es: es[0]["counts"].update(nose="3")),
        "fractional count": lambda doc: entries(doc, lambda es: es[0]["counts"].update(nose=1.5)),
        "unknown region": lambda doc: entries(doc, lambda es: es[0]["counts"].update(elbow=2)),
        "duplicate dates": lambda doc: entries(doc, lambda es: es.append(dict(es[0]))),
        "future date": lambda doc: entries(doc, lambda es: es[-1].update(date="2999-01-01")),
        "impossible date": lambda doc: entries(doc, lambda es: es[0].update(date="2023-02-30")),
        "symptom out of range": lambda doc: entries(doc, lambda es: es[0]["symptoms"].update(pain=9)),
        "unknown procedure": lambda doc: entries(doc, lambda es: es[0].update(procedure="surgery")),
        "note too long": lambda doc: entries(doc, lambda es: es[0].update(note="x" * 1001)),
        "unknown entry field": lambda doc: entries(doc, lambda es: es[0].update(mood="good")),
        "product not listed": lambda doc: entries(doc, lambda es: es[0].update(products=["Mystery balm"])),
        "entries not a list": lambda doc: {**doc, "entries": {"a": 1}},
        "bad product category": lambda doc: {
            **doc,
            "products": [{"name": "X", "category": "serum", "heavy": False}],
        },
        "bad setting": lambda doc: {**doc, "settings": {"persist_weeks": 0}},
        "unknown setting": lambda doc: {**doc, "settings": {"bogus": 3}},
        "json bomb of deep nesting": lambda doc: (
            b'{"format": "skinlog-export", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        ),
    }


MUTATIONS = _mutations()


@pytest.mark.parametrize("case", list(MUTATIONS))
def test_bad_import_files_are_refused_and_the_journal_is_unchanged(cli, demo_export, tmp_path, case):
    target = tmp_path / "mine.json"
    cli("add", "nose=2", db=target)
    before = target.read_bytes()
    bad = MUTATIONS[case](_export_doc(demo_export))
    bad_file = tmp_path / "bad.json"
    bad_file.write_bytes(bad if isinstance(bad, bytes) else json.dumps(bad).encode())
    for mode in ([], ["--merge"], ["--replace"]):
        result = cli("import", str(bad_file), *mode, db=target)
        assert result.code == 1, (case, result.out)
        lines = result.err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"skinlog: cannot import {bad_file}")
        assert "the journal was not changed" in lines[0]
        assert target.read_bytes() == before


def test_a_file_over_the_cap_is_refused_before_it_is_read(cli, tmp_path):
    from skinlog.services.importer import MAX_IMPORT_BYTES

    target = tmp_path / "mine.json"
    cli("add", "nose=2", db=target)
    before = target.read_bytes()
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)  # sparse: no disk space used
    result = cli("import", str(huge), db=target)
    assert result.code == 1 and f"at most {MAX_IMPORT_BYTES // 1024 // 1024} MB)" in result.err
    assert "too large" in result.err and len(result.err.splitlines()) == 1
    assert target.read_bytes() == before


def test_a_sixty_megabyte_file_is_not_refused_for_its_size(cli, tmp_path):
    # A 100-year journal's export is about 56 MB: the size alone must never stop its round trip.
    huge = tmp_path / "sixty.json"
    with open(huge, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)
    result = cli("import", str(huge), db=tmp_path / "j.json")
    assert result.code == 1 and "too large" not in result.err and "not valid JSON" in result.err


def test_a_missing_file_is_one_clear_line(cli, tmp_path):
    result = cli("import", str(tmp_path / "nowhere.json"), db=tmp_path / "j.json")
    assert result.code == 1 and "no such file" in result.err and len(result.err.splitlines()) == 1


def test_large_imports_report_progress(cli, tmp_path):
    from tests.strategies import write_journal as write

    source = tmp_path / "big.json"
    start = PINNED_TODAY - timedelta(days=2000)
    from skinlog.domain.entry import make_entry

    write(source, ([make_entry(start + timedelta(days=n), {"nose": n % 7}) for n in range(2000)], [], {}))
    out = tmp_path / "big-export.json"
    assert cli("export", "-o", str(out), db=source).code == 0
    seen = []
    content = read_export(str(out), PINNED_TODAY, progress=lambda done, total: seen.append((done, total)))
    assert len(content.entries) == 2000
    assert seen[-1] == (2000, 2000) and len(seen) >= 10
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_merge_of_an_export_naming_a_product_in_another_case_keeps_the_journals_spelling(tmp_path, capsys):
    from skinlog.cli import main

    source, target = tmp_path / "source.json", tmp_path / "target.json"
    assert main(["--db", str(source), "products", "add", "RETINOL CREAM", "--category", "retinoid"]) == 0
    assert main(["--db", str(source), "add", "--date", "2024-03-01", "nose=1", "-p", "RETINOL CREAM"]) == 0
    assert main(["--db", str(target), "products", "add", "Retinol cream", "--category", "retinoid"]) == 0
    assert main(["--db", str(target), "add", "--date", "2024-03-02", "chin=1"]) == 0
    export = tmp_path / "e.json"
    assert main(["--db", str(source), "export", "-o", str(export)]) == 0
    capsys.readouterr()
    assert main(["--db", str(target), "import", str(export), "--merge", "--dry-run"]) == 0
    assert main(["--db", str(target), "import", str(export), "--merge"]) == 0
    journal = Journal(target)
    assert journal.entry(date(2024, 3, 1)).products == ("Retinol cream",)
    assert [p.name for p in journal.products()].count("Retinol cream") == 1
    assert "RETINOL CREAM" not in [p.name for p in journal.products()]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["settings"].update({"persist_weeks": 5, "PERSIST_WEEKS": 7}),
        lambda d: d["products"][0].update(price=3),
        lambda d: d["entries"][0].update(created=5),
    ],
)
def test_import_refuses_what_a_journal_would_refuse(tmp_path, capsys, change):
    from skinlog.cli import main

    source, target = tmp_path / "source.json", tmp_path / "target.json"
    assert main(["--db", str(source), "add", "--date", "2024-03-01", "nose=1", "-p", "Retinol"]) == 0
    export = tmp_path / "e.json"
    assert main(["--db", str(source), "export", "-o", str(export)]) == 0
    document = json.loads(export.read_text())
    change(document)
    export.write_text(json.dumps(document))
    capsys.readouterr()
    assert main(["--db", str(target), "import", str(export)]) != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not target.exists()
