"""Products: archiving (history kept, no longer offered on Today), and product names given in part
on the command line (one product used and said, several refused, none answered with a guess)."""

from __future__ import annotations

import json

import orjson
import pytest
from textual.widgets import DataTable, SelectionList

from skinlog.domain.products import Product, match_product, offered, partial_matches
from skinlog.errors import AmbiguousProductError, UnknownProductError
from skinlog.storage import Journal
from skinlog.tui.screens.products import ProductsScreen
from skinlog.tui.screens.today import TodayScreen
from tests.tui_helpers import PINNED_TODAY, demo_journal, make_app, open_app, run, screen_text

DIFFERIN = "Differin (adapalene 0.1%)"
CATALOGUE = [
    Product("Adapalene", "retinoid"),
    Product(DIFFERIN, "retinoid"),
    Product("Glycolic acid", "aha"),
    Product("Lactic acid", "aha"),
    Product("Sunscreen SPF 30+", "sunscreen"),
    Product("Old balm", "occlusive", heavy=True, archived=True),
]


# -- the rules, on their own


@pytest.mark.parametrize(
    ("typed", "found", "partial"),
    [
        ("adapalene", "Adapalene", False),  # the whole name wins over a word of another name
        ("DIFFERIN (ADAPALENE 0.1%)", DIFFERIN, False),
        ("differin", DIFFERIN, True),  # the start of the name
        ("diff", DIFFERIN, True),
        ("  Differin   (adapalene", DIFFERIN, True),  # spacing as typed does not matter
        ("0.1%", DIFFERIN, True),  # a whole word inside the name
        ("glyc", "Glycolic acid", True),
        ("spf 30+", "Sunscreen SPF 30+", True),
        ("old", "Old balm", True),  # archived products are still found
    ],
)
def test_a_name_given_in_part_finds_one_product(typed, found, partial):
    assert match_product(CATALOGUE, typed) == (next(p for p in CATALOGUE if p.name == found), partial)


def test_part_of_a_word_inside_a_name_is_not_a_match():
    assert partial_matches(CATALOGUE, "dapalene") == []  # neither a start nor a whole word
    assert partial_matches(CATALOGUE, "alm") == []


def test_several_candidates_are_refused_and_listed():
    with pytest.raises(AmbiguousProductError) as refused:
        match_product(CATALOGUE, "acid")
    assert refused.value.candidates == ["Glycolic acid", "Lactic acid"]
    assert "'Glycolic acid', 'Lactic acid'" in str(refused.value)


@pytest.mark.parametrize(
    ("typed", "guess"), [("differn", DIFFERIN), ("adapalen", None), ("sunscren", "Sunscreen SPF 30+")]
)
def test_an_unknown_name_gets_the_closest_name_or_word(typed, guess):
    if guess is None:  # "adapalen" starts "Adapalene": found, not unknown
        assert match_product(CATALOGUE, typed)[0].name == "Adapalene"
        return
    with pytest.raises(UnknownProductError) as refused:
        match_product(CATALOGUE, typed)
    assert f"did you mean '{guess}'?" in str(refused.value)


def test_archived_products_are_offered_only_when_ticked():
    assert "Old balm" not in offered(CATALOGUE)
    assert offered(CATALOGUE, ["old BALM"])[-1] == "Old balm"
    assert offered(CATALOGUE)[:2] == ["Adapalene", DIFFERIN]  # catalogue order


def test_archived_is_stored_only_when_true():
    assert Product("A", "other").to_dict() == {"name": "A", "category": "other", "heavy": False}
    assert Product("A", "other", archived=True).to_dict()["archived"] is True
    assert Product.from_dict(Product("A", "other", archived=True).to_dict()).archived is True


# -- the journal file


def test_archive_and_unarchive_give_back_the_same_bytes(cli, journal_path):
    assert cli("add", "nose=1", "-p", "Retinol").code == 0

    def kept() -> dict:  # everything but the undo history, which records each change
        return {k: v for k, v in orjson.loads(journal_path.read_bytes()).items() if k != "undo"}

    before = kept()
    assert b"archived" not in orjson.dumps(before)
    assert cli("products", "archive", "Retinol").code == 0
    stored = orjson.loads(journal_path.read_bytes())["products"]
    assert [d for d in stored.values() if d["name"] == "Retinol"][0]["archived"] is True
    assert [d for d in stored.values() if d["name"] == "Adapalene"][0].keys() == {"name", "category", "heavy"}
    assert cli("products", "unarchive", "retinol").code == 0
    assert orjson.dumps(kept()) == orjson.dumps(before)


def test_a_journal_with_a_bad_archived_mark_is_refused_untouched(cli, journal_path):
    cli("add", "nose=1")
    data = orjson.loads(journal_path.read_bytes())
    data["products"]["1"]["archived"] = "yes"
    journal_path.write_bytes(orjson.dumps(data))
    before = journal_path.read_bytes()
    result = cli("list")
    assert result.code != 0 and "archived must be true or false" in result.err
    assert journal_path.read_bytes() == before


# -- the CLI


def test_products_lists_archived_ones_apart_and_json_carries_the_mark(cli, journal_path):
    cli("add", "nose=1", "-p", "Retinol")
    result = cli("products", "archive", "Retinol")
    assert result.code == 0 and result.out.startswith("Archived Retinol")
    out = cli("products").out
    active, _, archived = out.partition("Archived (")
    assert "Retinol" not in active and "Adapalene" in active
    assert "Retinol" in archived and archived.splitlines()[-1].split()[-1] == "1"  # its day still counts
    listed = {p["name"]: p for p in json.loads(cli("products", "--json").out)}
    assert listed["Retinol"]["archived"] is True and listed["Retinol"]["days_used"] == 1
    assert listed["Adapalene"]["archived"] is False
    again = cli("products", "archive", "Retinol")
    assert again.code == 0 and "already archived" in again.out


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["products", "archive", "Retinl"], 1, "did you mean 'Retinol'?"),
        (["products", "unarchive", "nothing like it"], 1, "unknown product 'nothing like it'"),
        (["products", "archive", "acid"], 2, "'Glycolic acid', 'Lactic acid', 'Salicylic acid'"),
        (["products", "rename", "acid", "Acid"], 2, "could be any of 3 products"),
        (["products", "set", "cream", "--light"], 2, "'Occlusive cream', 'Eye cream'"),
        (["add", "--date", "yesterday", "nose=1", "-p", "acid"], 2, "give more of the name"),
        # never a new product from a name that fits existing ones
        (["add", "--date", "yesterday", "nose=1", "-p", "acid", "--new-product", "aha"], 2, "'Lactic acid'"),
        (["add", "--date", "yesterday", "nose=1", "-p", "retinl"], 1, "did you mean 'Retinol'?"),
    ],
)
def test_refusals_say_why_and_leave_the_journal_as_it_was(cli, journal_path, args, code, said):
    cli("add", "nose=1", "-p", "Retinol")
    before = journal_path.read_bytes()
    result = cli(*args)
    assert (result.code, result.out) == (code, "")
    assert said in result.err and len(result.err.splitlines()) == 1
    assert journal_path.read_bytes() == before


def test_add_uses_the_one_product_a_partial_name_fits_and_says_so(cli, journal_path):
    cli("products", "add", DIFFERIN, "--category", "retinoid")
    result = cli("add", "nose=1", "-p", "differin", "--new-product", "other")
    assert result.code == 0
    assert result.err == f"skinlog: 'differin' is taken as '{DIFFERIN}'\n"
    journal = Journal(journal_path)
    assert [e.products for e in journal.entries()] == [(DIFFERIN,)]
    assert "differin" not in [p.name for p in journal.products()]  # nothing new was added


def test_a_new_name_that_fits_nothing_is_still_added_with_new_product(cli, journal_path):
    result = cli("add", "nose=1", "-p", "CeraVe PM", "--new-product", "moisturizer")
    assert result.code == 0 and result.err == ""
    assert "CeraVe PM" in [p.name for p in Journal(journal_path).products()]


def test_an_archived_product_is_logged_with_a_line_saying_so(cli, journal_path):
    cli("products", "archive", "Retinol")
    result = cli("add", "nose=1", "-p", "retinol")
    assert result.code == 0 and result.out.startswith("Added")
    assert result.err.count("\n") == 1 and "Retinol is archived; logged anyway" in result.err
    assert [e.products for e in Journal(journal_path).entries()] == [("Retinol",)]


def test_rename_and_set_take_a_partial_name(cli, journal_path):
    cli("add", "nose=1", "-p", "Sunscreen SPF 30+")
    renamed = cli("products", "rename", "sunscreen", "Daily SPF")
    assert renamed.code == 0 and "Renamed Sunscreen SPF 30+ to Daily SPF" in renamed.out
    assert "'sunscreen' is taken as 'Sunscreen SPF 30+'" in renamed.err
    changed = cli("products", "set", "daily", "--category", "moisturizer", "--heavy")
    assert changed.code == 0 and changed.out == "Daily SPF is now moisturizer, heavy.\n"
    journal = Journal(journal_path)
    assert [e.products for e in journal.entries()] == [("Daily SPF",)]
    assert Product("Daily SPF", "moisturizer", True) in journal.products()


# -- exports keep archived products and their history


def test_export_carries_the_mark_and_import_reads_it(cli, journal_path, tmp_path):
    cli("add", "nose=1", "-p", "Eye cream")
    cli("products", "archive", "Eye cream")
    out = tmp_path / "export.json"
    assert cli("export", "-o", str(out)).code == 0
    document = json.loads(out.read_bytes())
    eye = next(p for p in document["products"] if p["name"] == "Eye cream")
    assert eye["archived"] is True and eye["days_used"] == 1
    assert next(p for p in document["products"] if p["name"] == "Retinol")["archived"] is False
    target = tmp_path / "restored.json"
    assert cli("import", str(out), db=target).code == 0
    assert Product("Eye cream", "eye_cream", True, True) in Journal(target).products()
    assert Journal(target).entries()[0].products == ("Eye cream",)
    assert target.read_bytes().count(b'"archived"') == 1  # stored only for the archived one


def test_markdown_and_fhir_keep_an_archived_products_history(cli, journal_path, tmp_path):
    cli("add", "nose=1", "-p", "Eye cream")
    cli("products", "archive", "Eye cream")
    md = tmp_path / "report.md"
    assert cli("export", "--format", "md", "-o", str(md)).code == 0
    row = next(line for line in md.read_text().splitlines() if line.startswith("| Eye cream"))
    assert "archived" in row and "| 1 |" in row
    fhir = tmp_path / "fhir.json"
    assert cli("export", "--format", "fhir", "-o", str(fhir)).code == 0
    statements = [
        e["resource"]
        for e in json.loads(fhir.read_bytes())["entry"]
        if e["resource"]["resourceType"] == "MedicationStatement"
    ]
    eye = next(s for s in statements if s["medicationCodeableConcept"]["text"] == "Eye cream")
    assert eye["status"] == "completed" and "archived" in eye["note"][0]["text"]


# -- the app


def test_archive_in_the_app_and_today_stops_offering_it(tmp_path):
    path = demo_journal(tmp_path)  # yesterday used Gentle cleanser, sunscreen and moisturizer

    async def scenario():
        async with open_app(path, size=(100, 32)) as (app, pilot):
            picker = app.screen.query_one("#products", SelectionList)
            assert "Gentle cleanser" in picker.selected  # a new day starts from yesterday's
            await pilot.press("f7")
            await pilot.pause()
            assert isinstance(app.screen, ProductsScreen)
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("Gentle cleanser"))
            await pilot.press("x")
            await pilot.pause()
            assert any("Archived Gentle cleanser" in n for n in app.notices)
            last = table.get_row_at(table.row_count - 1)  # archived ones come last, said in words
            assert str(last[0]) == "Gentle cleanser · archived" and "dim" in str(last[0].style)
            assert str(table.get_row_at(table.cursor_row)[0]).startswith("Gentle cleanser")
            await pilot.press("f2")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            names = [str(picker.get_option_at_index(i).value) for i in range(picker.option_count)]
            assert "Gentle cleanser" not in names and "Gentle cleanser" not in picker.selected
            assert "Sunscreen SPF 30+" in picker.selected
            await pilot.press("comma")  # yesterday, which used it: still there, ticked
            await pilot.pause()
            assert "Gentle cleanser" in picker.selected
            await pilot.press("f7")
            await pilot.pause()
            await pilot.press("x")  # the cursor is still on it: bring it back
            await pilot.pause()
            assert "offered on Today again" in app.notices[-1]
            assert "· archived" not in screen_text(app)

    run(scenario)
    assert Product("Gentle cleanser", "cleanser") in Journal(path).products()
    assert PINNED_TODAY not in {e.date for e in Journal(path).entries()}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_products_view_with_an_archived_product(snap_compare, tmp_path, size):
    path = demo_journal(tmp_path)
    Journal(path).set_product("Eye cream", archived=True)
    assert snap_compare(make_app(path), press=["f7"], terminal_size=size)


def test_the_start_of_a_later_word_is_asked_about_never_taken(cli, journal_path):
    assert cli("add", "--date", "yesterday", "nose=1").code == 0
    before = journal_path.read_bytes()
    result = cli("add", "nose=1", "-p", "moist")
    assert result.code != 0 and "did you mean 'Light moisturizer'?" in result.err
    assert journal_path.read_bytes() == before


# -- a very long product name is never printed back in full

LONG = "x" * 5000


@pytest.mark.parametrize(
    "args",
    [
        ("products", "archive", LONG),
        ("products", "unarchive", LONG),
        ("products", "set", LONG, "--heavy"),
        ("products", "rename", LONG, "New name"),
        ("products", "rename", "Retinol", LONG),
        ("products", "add", LONG, "--category", "other"),
        ("add", "nose=1", "-p", LONG),
        ("add", "nose=1", "-p", LONG[:55]),  # short enough to be a name, still unknown
    ],
    ids=lambda a: " ".join(w[:12] for w in a),
)
def test_every_product_name_error_is_one_short_line(cli, args) -> None:
    cli("add", "chin=1", "--date", "2026-01-01")
    before = cli("products", "--json").out
    result = cli(*args)
    assert result.code != 0 and result.out == ""
    assert result.err.count("\n") == 1 and len(result.err) <= 160, result.err[:200]
    assert "xxxxxxxxxx" in result.err or "too long" in result.err
    assert cli("products", "--json").out == before


def test_a_long_name_fitting_several_products_is_shortened_too(cli) -> None:
    for n in range(2):
        assert cli("products", "add", f"{LONG[:50]} {n}", "--category", "other").code == 0
    result = cli("products", "archive", LONG[:50])
    assert result.code == 2 and "could be any of 2 products" in result.err
    assert f"'{LONG[:50]}'" not in result.err  # echoed shortened; the candidates are listed in full
