"""Use cases both interfaces call: saving a day with new products, days used, the export's name."""

from __future__ import annotations

import json
from datetime import date

import pytest

from skinlog.domain.dates import today
from skinlog.domain.entry import make_entry
from skinlog.domain.products import Product, days_used, find_product, product_use
from skinlog.errors import DayExistsError, UnknownProductError, ValidationError
from skinlog.services.days import add_missing_products, save_day
from skinlog.services.export import export_json, gather, patient_name
from skinlog.storage import Journal

DAY = date(2026, 3, 2)


def test_saving_a_day_with_a_new_product_adds_it_once_in_the_category_given(tmp_path):
    journal = Journal(tmp_path / "j.json")
    entry = make_entry(DAY, {"nose": 2}, ["Rich balm", "rich balm", "Retinol"])
    outcome, saved = save_day(journal, entry, new_category="occlusive")

    assert outcome == "added" and saved.total == 2
    assert saved.products == ("Rich balm", "Retinol")
    balms = [p for p in journal.products() if p.name.casefold() == "rich balm"]
    assert balms == [Product("Rich balm", "occlusive", heavy=True)]
    assert len(journal.products()) == len(Journal(tmp_path / "j.json").products())


def test_saving_a_day_with_an_unknown_product_and_no_category_changes_nothing(tmp_path):
    path = tmp_path / "j.json"
    journal = Journal(path)
    save_day(journal, make_entry(DAY, {"nose": 1}, ["Retinol"]))
    before = path.read_bytes()

    with pytest.raises(UnknownProductError):
        save_day(journal, make_entry(date(2026, 3, 3), {"nose": 1}, ["Mystery cream"]))
    assert path.read_bytes() == before
    assert find_product(journal.products(), "Mystery cream") is None


def test_a_refused_day_adds_no_product_either(tmp_path):
    journal = Journal(tmp_path / "j.json")
    save_day(journal, make_entry(DAY, {"nose": 1}))

    with pytest.raises(DayExistsError):
        save_day(journal, make_entry(DAY, {"chin": 1}, ["New gel"]), new_category="other")
    assert find_product(journal.products(), "New gel") is None


def test_merging_keeps_what_was_not_given_and_names_the_outcome(tmp_path):
    journal = Journal(tmp_path / "j.json")
    save_day(journal, make_entry(DAY, {"nose": 1, "chin": 2}, ["Retinol"]))
    outcome, saved = save_day(
        journal, make_entry(DAY, {"nose": 4}, ["Gel"]), mode="merge", given={"nose"}, new_category="other"
    )
    assert outcome == "merged"
    assert saved.counts == {"nose": 4, "chin": 2} and saved.products == ("Retinol", "Gel")


def test_missing_products_are_added_once_and_known_ones_are_left_alone(tmp_path):
    journal = Journal(tmp_path / "j.json")
    added = add_missing_products(journal, ["retinol", "Night oil", "NIGHT OIL"], "occlusive")
    assert added == [Product("Night oil", "occlusive", heavy=True)]
    assert find_product(journal.products(), "Retinol") == Product("Retinol", "retinoid")
    assert add_missing_products(journal, ["night oil"], "other") == []


def test_days_used_are_counted_the_same_by_export_the_command_line_and_the_domain(tmp_path, cli):
    path = tmp_path / "j.json"
    journal = Journal(path)
    for day, products in ((1, ["Retinol"]), (2, ["Retinol", "Eye cream"]), (4, ["Retinol"])):
        save_day(journal, make_entry(date(2026, 3, day), {"nose": 1}, products))

    counted = days_used(journal.entries())
    assert counted == {"Retinol": 3, "Eye cream": 1}
    use = product_use(journal.entries())
    assert use["Retinol"].first == date(2026, 3, 1) and use["Retinol"].last == date(2026, 3, 4)

    exported = {
        p["name"]: p["days_used"] for p in export_json(gather(journal, today(), name=None))["products"]
    }
    result = cli("products", "--json", db=path)
    assert result.code == 0
    listed = {p["name"]: p["days_used"] for p in json.loads(result.out)}
    expected = {p.name: counted.get(p.name, 0) for p in journal.products()}
    assert exported == listed == expected
    assert expected["Retinol"] == 3 and expected["Sunscreen SPF 30+"] == 0


def test_a_patient_name_is_tidied_to_one_line_of_words():
    assert patient_name("  Ada   Lovelace ") == "Ada Lovelace"
    assert patient_name("x" * 100) == "x" * 100


@pytest.mark.parametrize(
    "text, message",
    [
        ("Ada\nLovelace", "--name cannot contain control characters or line breaks"),
        ("Ada\x1b[2J", "--name cannot contain control characters or line breaks"),
        ("   ", "--name must be 1 to 100 characters (it has 0)"),
        ("x" * 101, "--name must be 1 to 100 characters (it has 101)"),
    ],
)
def test_a_patient_name_that_cannot_go_on_an_export_is_refused_in_the_callers_words(text, message):
    with pytest.raises(ValidationError) as caught:
        patient_name(text, "--name")
    assert str(caught.value) == message


def test_add_with_a_new_product_named_twice_adds_it_once(cli):
    result = cli(
        "add",
        "--date",
        "2026-03-02",
        "nose=1",
        "-p",
        "Night oil",
        "-p",
        "night oil",
        "--new-product",
        "occlusive",
    )
    assert result.code == 0, result.err
    listed = json.loads(cli("products", "--json").out)
    assert [p for p in listed if p["name"].casefold() == "night oil"] == [
        {"name": "Night oil", "category": "occlusive", "heavy": True, "archived": False, "days_used": 1}
    ]
