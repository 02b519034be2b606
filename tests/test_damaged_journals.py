"""One definition of a valid journal: every read and write command refuses a damaged one alike,
leaves it byte for byte as it was, and never turns it into a backup."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skinlog import storage
from skinlog.cli import main
from skinlog.domain.entry import make_entry
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY

TODAY = PINNED_TODAY
FIRST = TODAY - timedelta(days=3)


def good_journal(path: Path) -> dict[str, Any]:
    """A small valid journal: three days, products, a symptom, a note, a setting."""
    journal = Journal(path)
    journal.save_entry(make_entry(FIRST, {"nose": 2, "cheek_left": 1}, ["Adapalene", "Eye cream"]))
    journal.save_entry(
        make_entry(
            FIRST + timedelta(days=1),
            {"nose": 1},
            ["Adapalene"],
            symptoms={"redness": 2},
            note="after the trip",
        )
    )
    journal.save_entry(make_entry(FIRST + timedelta(days=2), {}, [], picked=True))
    journal.set_setting("persist_weeks", 10)
    return json.loads(path.read_bytes())


def _entry(data: dict[str, Any], n: int = 0) -> dict[str, Any]:
    return data["entries"][sorted(data["entries"])[n]]


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target: Any = data
        for step in path[:-1]:
            target = target[step] if not callable(step) else step(target)
        target[path[-1]] = value

    return change


def _in_entry(field: str, value: Any, n: int = 0) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _entry(data, n)[field] = value

    return change


def _drop_entry_field(field: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del _entry(data)[field]

    return change


def _rekey(new_key: str) -> Callable[[dict[str, Any]], None]:
    """Move the first entry to another key (its date moves with it when the key is a real day)."""

    def change(data: dict[str, Any]) -> None:
        old = sorted(data["entries"])[0]
        doc = data["entries"].pop(old)
        if new_key.isdigit() and 0 < int(new_key) <= date.max.toordinal():
            doc["date"] = date.fromordinal(int(new_key)).isoformat()
        data["entries"][new_key] = doc

    return change


def _same_date_twice(data: dict[str, Any]) -> None:
    first, second = sorted(data["entries"])[:2]
    data["entries"][second] = copy.deepcopy(data["entries"][first])


def _product(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        doc = data["products"]["1"]
        if value is _DELETE:
            del doc[field]
        else:
            doc[field] = value

    return change


_DELETE = object()


def _duplicate_product(data: dict[str, Any]) -> None:
    data["products"]["99"] = {
        "name": data["products"]["1"]["name"].upper(),
        "category": "other",
        "heavy": False,
    }


def _settings(value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["settings"] = value

    return change


# Each: a change to the tables of a good journal that makes it damaged.
MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "count is a string": lambda d: _entry(d)["counts"].update(nose="3"),
    "count is negative": lambda d: _entry(d)["counts"].update(nose=-1),
    "count above 500": lambda d: _entry(d)["counts"].update(nose=501),
    "count is a fraction": lambda d: _entry(d)["counts"].update(nose=1.5),
    "count is true": lambda d: _entry(d)["counts"].update(nose=True),
    "count is null": lambda d: _entry(d)["counts"].update(nose=None),
    "unknown region": lambda d: _entry(d)["counts"].update(left_elbow=2),
    "counts is a list": _in_entry("counts", [1, 2]),
    "date does not match its key": _in_entry("date", (FIRST - timedelta(days=40)).isoformat()),
    "date in week form": _in_entry("date", FIRST.strftime("%G-W%V-%u")),
    "date without dashes": _in_entry("date", FIRST.strftime("%Y%m%d")),
    "date missing": _drop_entry_field("date"),
    "date is a number": _in_entry("date", 20260101),
    "key is not a number": _rekey("monday"),
    "key with a leading zero": lambda d: _rekey("0" + sorted(d["entries"])[0])(d),
    "key before 1900": _rekey(str(date(1899, 12, 31).toordinal())),
    "key is negative": _rekey("-5"),
    "same date under two keys": _same_date_twice,
    "products is text": _in_entry("products", "Adapalene"),
    "product not in the catalogue": _in_entry("products", ["Mystery serum"]),
    "product listed twice": _in_entry("products", ["Adapalene", "Adapalene"]),
    "51 products on a day": _in_entry("products", [f"P{n}" for n in range(51)]),
    "product is a number": _in_entry("products", [7]),
    "symptom out of range": _in_entry("symptoms", {"redness": 4, "itch": 0, "pain": 0}),
    "symptom is text": _in_entry("symptoms", {"redness": "2"}),
    "unknown symptom": _in_entry("symptoms", {"burning": 1}),
    "picked is text": _in_entry("picked", "yes"),
    "unknown procedure": _in_entry("procedure", "microneedling"),
    "note with an escape sequence": _in_entry("note", "ok\x1b]0;pwned\x07"),
    "note too long": _in_entry("note", "x" * 1001),
    "unknown event": _in_entry("events", ["tattoo"]),
    "unknown entry field": _in_entry("mood", "fine"),
    "entry is a list": lambda d: d["entries"].update({sorted(d["entries"])[0]: [1, 2]}),
    "created is a number": _in_entry("created", 5),
    "product without a name": _product("name", _DELETE),
    "product name is a number": _product("name", 3),
    "product name with stray spaces": _product("name", " Retinol "),
    "product name with a control character": _product("name", "Reti\x07nol"),
    "product with an unknown category": _product("category", "serum"),
    "product heavy is text": _product("heavy", "yes"),
    "product with an unknown field": _product("price", 3),
    "same product twice ignoring case": _duplicate_product,
    "product key is not a number": lambda d: d["products"].update(x=d["products"].pop("1")),
    "unknown setting": _settings({"1": {"\x1b]0;pwned\x07": 1}}),
    "setting out of range": _settings({"1": {"persist_weeks": 0}}),
    "setting is text": _settings({"1": {"persist_weeks": "12"}}),
    "settings in two records": _settings({"1": {}, "2": {"persist_weeks": 3}}),
    "no schema version": lambda d: d["_meta"]["1"].pop("schema_version"),
    "schema version is text": lambda d: d["_meta"]["1"].update(schema_version="1"),
    "entries table is a list": lambda d: d.update(entries=[]),
    "journal id is not a UUID": lambda d: d["_meta"]["1"].update(journal_id="\x1b[2Jnot-an-id"),
    "no journal id in schema 2": lambda d: d["_meta"]["1"].pop("journal_id"),
    "a second meta record": lambda d: d["_meta"].update({"2": {"schema_version": 99}}),
    "unknown meta field": lambda d: d["_meta"]["1"].update(owner="x"),
    "unknown table": lambda d: d.update(junk_table={"1": {}}),
    "entry far in the future": _rekey(str(date(9999, 12, 31).toordinal())),
    "entry next year": _rekey(str((TODAY + timedelta(days=370)).toordinal())),
    "meta says another program": lambda d: d["_meta"]["1"].update(app=["x"] * 3),
    "note with spaces around it": _in_entry("note", "   x" + " " * 5000),
    "procedure not as stored": _in_entry("procedure", " LASER "),
}

# Damage that is not a change of values but of the file's bytes.
RAW_DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "cut short": lambda raw: raw[: len(raw) // 2],
    "duplicate key in an entry": lambda raw: raw.replace(b'"counts":', b'"counts":{"nose":9},"counts":', 1),
    "duplicate entry key": lambda raw: raw.replace(
        b'"entries":{',
        b'"entries":{"'
        + str(FIRST.toordinal()).encode()
        + b'":{"date":"'
        + FIRST.isoformat().encode()
        + b'","counts":{},"products":[]},',
        1,
    ),
    "trailing garbage": lambda raw: raw + b"}}",
    "not an object": lambda raw: b"[" + raw + b"]",
    "an empty object": lambda raw: b"{}",
}

READS = [
    ["list"],
    ["list", "--json"],
    ["show", FIRST.isoformat()],
    ["week"],
    ["flags"],
    ["insights"],
    ["products"],
    ["settings"],
    ["export"],
    ["export", "--format", "fhir"],
    ["export", "--format", "md"],
]
WRITES = [
    ["add", "nose=1"],
    ["add", "--date", FIRST.isoformat(), "--replace", "chin=2"],
    ["add", "--date", FIRST.isoformat(), "--merge", "chin=2"],
    ["delete", "--yes", FIRST.isoformat()],
    ["settings", "set", "persist_weeks", "16"],
    ["settings", "reset", "persist_weeks"],
    ["products", "add", "Cream X", "--category", "other"],
    ["products", "rename", "Adapalene", "Differin"],
]


def damaged_bytes(path: Path, case: str) -> bytes:
    data = good_journal(path)
    if case in MUTATIONS:
        MUTATIONS[case](data)
        return orjson.dumps(data)
    return RAW_DAMAGE[case](path.read_bytes())


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (journal, lock aside) with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def test_the_corpus_has_at_least_forty_kinds_of_damage():
    assert len(MUTATIONS) + len(RAW_DAMAGE) >= 40


@pytest.mark.parametrize("case", [*MUTATIONS, *RAW_DAMAGE])
def test_every_command_refuses_a_damaged_journal_and_leaves_it_byte_identical(tmp_path, capsys, case):
    path = tmp_path / "journal.json"
    raw = damaged_bytes(path, case)
    path.write_bytes(raw)
    before = snapshot(tmp_path)
    for argv in READS + WRITES:
        code = main(["--db", str(path), *argv])
        out, err = capsys.readouterr()
        assert code == 1, (case, argv, out, err)
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("skinlog: "), (case, argv, err)
        assert "\x1b" not in err and "\x07" not in err
        assert str(path) in err and "nothing was changed" in err
        assert snapshot(tmp_path) == before, (case, argv)


def test_a_damaged_journal_names_the_newest_good_backup_and_restore_puts_it_back(tmp_path, capsys):
    path = tmp_path / "journal.json"
    good_journal(path)
    good = path.read_bytes()
    folder = Path(storage.backup_dir(str(path)))
    for old in folder.iterdir():
        old.unlink()
    (folder / "2001-01-01.json").write_bytes(good)
    (folder / "2001-01-02.json").write_bytes(damaged_bytes(tmp_path / "other.json", "count is a string"))
    path.write_bytes(damaged_bytes(tmp_path / "third.json", "count is a string"))
    assert main(["--db", str(path), "add", "nose=1"]) == 1
    err = capsys.readouterr().err
    assert "2001-01-01.json" in err and "restore-backup" in err
    assert main(["--db", str(path), "restore-backup", "--yes"]) == 0
    assert path.read_bytes() == good
    assert main(["--db", str(path), "add", "nose=1"]) == 0


def test_rotation_never_deletes_the_newest_good_backup(tmp_path):
    path = tmp_path / "journal.json"
    good_journal(path)
    folder = Path(storage.backup_dir(str(path)))
    for old in folder.iterdir():
        old.unlink()
    bad = damaged_bytes(tmp_path / "other.json", "count is a string")
    # Ten damaged backups dated after today (a clock that was wrong), and one good one before.
    for n in range(1, 11):
        (folder / f"{PINNED_TODAY.year + 1}-01-{n:02d}.json").write_bytes(bad)
    (folder / "2001-01-01.json").write_bytes(path.read_bytes())
    assert main(["--db", str(path), "add", "nose=1"]) == 0
    names = sorted(os.listdir(folder))
    # Ten damaged ones sort as newer, but the one just made (the newest good one) is kept.
    assert storage.newest_good_backup(str(path)) == str(folder / f"{PINNED_TODAY.isoformat()}.json")
    assert len(names) == storage.KEEP_BACKUPS + 1


def test_backups_are_only_made_from_journals_that_pass_every_check(tmp_path):
    path = tmp_path / "journal.json"
    good_journal(path)
    for backup in storage.list_backups(str(path)):
        storage.parse_journal_bytes(Path(backup).read_bytes(), backup)  # raises if not good


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    case=st.sampled_from([*MUTATIONS, *RAW_DAMAGE]),
    argv=st.sampled_from(WRITES),
    backups=st.integers(min_value=0, max_value=3),
)
def test_any_write_on_a_damaged_journal_leaves_journal_and_backups_unchanged(
    tmp_path_factory, case, argv, backups
):
    folder = tmp_path_factory.mktemp("j")
    path = folder / "journal.json"
    raw = damaged_bytes(path, case)
    good = path.read_bytes()
    backup_folder = Path(storage.backup_dir(str(path)))
    backup_folder.mkdir(exist_ok=True)
    for n in range(backups):
        (backup_folder / f"2001-01-{n + 1:02d}.json").write_bytes(good)
    path.write_bytes(raw)
    before = snapshot(folder)
    assert main(["--db", str(path), *argv]) == 1
    assert snapshot(folder) == before
