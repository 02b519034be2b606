"""Fuzzing import with mutated real exports: a refusal is a SkinlogError and leaves the journal
byte for byte as it was; an accepted file gives a journal that loads and whose own export
imports back to the same content."""

from __future__ import annotations

import copy
import json
import os
import random
import re
import shutil
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skinlog.domain.entry import EVENTS, PROCEDURES, make_entry
from skinlog.domain.products import CATEGORIES, Product
from skinlog.domain.regions import REGION_IDS
from skinlog.errors import SkinlogError
from skinlog.services.export import gather, render
from skinlog.services.importer import apply_import, plan_import, read_export
from skinlog.storage import Journal

TODAY = date(2026, 6, 15)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
DEEP = "@nested-"


def _base_journal(seed: int) -> tuple[list[Any], list[Product], dict[str, Any]]:
    """A small journal of the kind people keep, different for each seed."""
    rng = random.Random(seed)
    products = [
        Product(name, rng.choice(CATEGORIES), rng.random() < 0.3)
        for name in rng.sample(
            [
                "Retinol",
                "Adapalene",
                "Shea balm",
                "Crème riche",
                "SPF 50",
                "Eye gel",
                "Glycolic 7%",
                "Cleanser",
            ],
            rng.randint(0, 5),
        )
    ]
    days = sorted(rng.sample(range(0, 300), rng.randint(0, 9)), reverse=True)
    entries = []
    for offset in days:
        counts = {
            r: rng.randint(0, 500 if rng.random() < 0.1 else 6)
            for r in rng.sample(REGION_IDS, rng.randint(0, 5))
        }
        entries.append(
            make_entry(
                TODAY - timedelta(days=offset),
                counts,
                rng.sample([p.name for p in products], rng.randint(0, len(products))),
                symptoms={"redness": rng.randint(0, 3), "itch": rng.randint(0, 3)},
                picked=rng.random() < 0.2,
                procedure=rng.choice(PROCEDURES),
                note=rng.choice(["", "itchy after the sauna", "ligne 1\nligne 2", "ça va mieux — 良い"]),
                events=rng.sample(EVENTS, rng.randint(0, 2)),
            )
        )
    chosen = {"persist_weeks": 16, "cluster_count": 12} if seed % 2 else {}
    return entries, products, chosen


def _export(journal_path: Path) -> bytes:
    return render("json", gather(Journal(journal_path), TODAY))


@pytest.fixture(scope="module")
def bases() -> list[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="skinlog-fuzz-bases-"))
    try:
        docs = []
        for seed in range(6):
            path = folder / f"base{seed}.json"
            Journal(path).replace_all(*_base_journal(seed))
            docs.append(json.loads(_export(path)))
        return docs
    finally:
        shutil.rmtree(folder)


# -- mutations

STRANGE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "2026-W01-1",
        "20260101",
        "1899-12-31",
        "1900-01-01",
        "2026-02-30",
        "2999-01-01",
        "\u001b]0;pwned\u0007",
        "\u202eevil",
        "[/]",
        "[b]x[/b]",
        "nose",
        "NOSE",
        "Retinol",
        "retinol",
        "x" * 1001,
        "none",
        "other",
        "aha",
        "skinlog-export",
        "\x00",
        "\ud800",
        "a\nb",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 600),
    st.sampled_from([2**63, -(2**63) - 1, 10**30, 10**400]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1.5, -0.0, 1e308, 3.0]),
    STRANGE_TEXT,
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.one_of(STRANGE_TEXT, st.text(max_size=6)), inner, max_size=3)
    ),
    max_leaves=6,
)


def _slots(node: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) in the document, depth first."""
    if isinstance(node, dict):
        for key in list(node):
            out.append((node, key))
            _slots(node[key], out)
    elif isinstance(node, list):
        for index in range(len(node)):
            out.append((node, index))
            _slots(node[index], out)
    return out


def _mutate_tree(draw: Any, doc: Any) -> None:
    slots = _slots(doc, [])
    if not slots:
        return
    container, key = slots[draw(st.integers(0, len(slots) - 1))]
    action = draw(
        st.sampled_from(
            [
                "replace",
                "replace",
                "delete",
                "add key",
                "as text",
                "nudge",
                "swap",
                "copy in list",
                "deep",
                "empty",
            ]
        )
    )
    value = container[key]
    if action == "replace":
        container[key] = draw(VALUES)
    elif action == "delete":
        del container[key]
    elif action == "add key":
        target = value if isinstance(value, dict) else container if isinstance(container, dict) else None
        if target is not None:
            target[draw(st.one_of(STRANGE_TEXT, st.text(max_size=6)))] = draw(VALUES)
    elif action == "as text":
        container[key] = json.dumps(value)
    elif action == "nudge" and isinstance(value, (int, float)) and not isinstance(value, bool):
        container[key] = value + draw(st.sampled_from([-1, 1, 500, 0.5]))
    elif action == "swap":
        other_container, other_key = slots[draw(st.integers(0, len(slots) - 1))]
        container[key] = copy.deepcopy(other_container[other_key])
    elif action == "copy in list" and isinstance(container, list):
        container.append(copy.deepcopy(value))
    elif action == "deep":  # built as text when encoding: deep Python objects would strain the stack here
        container[key] = f"{DEEP}{draw(st.sampled_from([10, 500, 1000, 1030, 5000]))}"
    elif action == "empty":
        container[key] = type(value)() if isinstance(value, (dict, list, str)) else None


def _encode(draw: Any, doc: Any) -> bytes:
    style = draw(st.sampled_from(["ours", "ours", "compact", "ascii"]))
    try:
        if style == "ours":
            raw = orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
        else:
            raw = json.dumps(doc, ensure_ascii=style == "ascii", separators=(",", ":")).encode(
                "utf-8", "surrogatepass"
            )
    except (TypeError, orjson.JSONEncodeError):  # numbers or text orjson will not write
        raw = json.dumps(doc, ensure_ascii=True).encode()
    return re.sub(
        rb'"' + DEEP.encode() + rb'(\d+)"', lambda m: b"[" * int(m.group(1)) + b"]" * int(m.group(1)), raw
    )


def _mutate_bytes(draw: Any, raw: bytes) -> bytes:
    action = draw(
        st.sampled_from(
            ["none"] * 8
            + ["truncate", "flip", "insert", "duplicate key", "duplicate key", "bom", "invalid utf-8"]
        )
    )
    if not raw or action == "none":
        return raw
    at = draw(st.integers(0, len(raw) - 1))
    if action == "truncate":
        return raw[:at]
    if action == "flip":
        return raw[:at] + bytes([raw[at] ^ (1 << draw(st.integers(0, 7)))]) + raw[at + 1 :]
    if action == "insert":
        return (
            raw[:at]
            + draw(st.sampled_from([b",", b"{", b"]", b'"', b"\\", b"\x1b", b"NaN", b"1e999"]))
            + raw[at:]
        )
    if action == "duplicate key":
        keys = [
            b'"date": ',
            b'"nose": ',
            b'"name": ',
            b'"format": ',
            b'"entries": ',
            b'"version": ',
            b'"persist_weeks": ',
            b'"products": ',
            b'"note": ',
        ]
        key = draw(st.sampled_from(keys))
        if key in raw:
            return raw.replace(
                key, key + draw(st.sampled_from([b"1, ", b'"x", ', b"null, ", b"[], "])) + key, 1
            )
        return raw
    if action == "bom":
        return b"\xef\xbb\xbf" + raw
    return raw[:at] + b"\xff\xfe" + raw[at:]


@st.composite
def mutated_exports(draw: Any, bases: list[dict[str, Any]]) -> bytes:
    doc = copy.deepcopy(bases[draw(st.integers(0, len(bases) - 1))])
    for _ in range(draw(st.integers(0, 3))):
        _mutate_tree(draw, doc)
    return _mutate_bytes(draw, _encode(draw, doc))


# -- the property


def _snapshot(path: Path) -> tuple[Any, ...]:
    journal = Journal(path)
    return journal.entries(), sorted(journal.products()), journal.settings()


class Scratch:
    """A folder for the examples, one fresh set of files each."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="skinlog-fuzz-"))
        self.count = 0
        seeded = self.folder / "seeded.json"
        Journal(seeded).replace_all(
            [make_entry(TODAY - timedelta(days=3), {"nose": 4}, ["Retinol"])],
            [Product("Retinol", "retinoid")],
            {"persist_weeks": 20},
        )
        self.seeded = seeded.read_bytes()

    def next(self) -> Path:
        self.count += 1
        here = self.folder / str(self.count)
        here.mkdir()
        return here


@pytest.fixture(scope="module")
def scratch():
    made = Scratch()
    yield made
    shutil.rmtree(made.folder, ignore_errors=True)


@pytest.mark.slow
def test_mutated_exports_are_refused_cleanly_or_round_trip(bases, scratch):
    outcomes = {"accepted": 0, "refused": 0}
    reasons: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=mutated_exports(bases), mode=st.sampled_from(["new", "merge", "replace"]))
    def check(data: bytes, mode: str) -> None:
        here = scratch.next()
        try:
            source = here / "import.json"
            source.write_bytes(data)
            target = here / "journal.json"
            if mode != "new":
                target.write_bytes(scratch.seeded)
            before = target.read_bytes() if target.exists() else None
            try:
                journal = Journal(target)
                with journal.transaction():
                    content = read_export(str(source), TODAY)
                    apply_import(journal, plan_import(journal, content, mode))
            except SkinlogError as exc:
                outcomes["refused"] += 1
                reasons[str(exc).split(": ", 1)[-1]] += 1
                after = target.read_bytes() if target.exists() else None
                assert after == before, "a refused import changed the journal"
                return
            outcomes["accepted"] += 1
            restored = _snapshot(target)  # loads, every entry valid
            again = here / "again.json"
            again.write_bytes(_export(target))
            fresh = Journal(here / "fresh.json")
            apply_import(fresh, plan_import(fresh, read_export(str(again), TODAY), "new"))
            assert _snapshot(here / "fresh.json") == restored
        finally:
            shutil.rmtree(here, ignore_errors=True)

    check()
    print(
        f"fuzzed imports: {outcomes}; most common refusals: "
        f"{[(r[:40], n) for r, n in reasons.most_common(12)]}"
    )
    seen = " | ".join(reasons)
    for kind in ("appears twice in one object", "not valid JSON (damaged", "nested too deeply"):
        assert kind in seen, f"no example reached: {kind}"
    assert outcomes["accepted"] + outcomes["refused"] >= EXAMPLES
    assert outcomes["accepted"] >= EXAMPLES // 10, outcomes  # the round trip was really exercised
    assert outcomes["refused"] >= EXAMPLES // 4, outcomes
