"""The evaluations where people meet them outside the app: the effect command's refusals, the JSON
export's derived section (never read back), and the one-pager's top lines."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from skinlog.domain.entry import Entry, make_entry
from skinlog.domain.products import Product
from skinlog.storage import Journal

CATALOGUE = [Product("Adapalene", "retinoid"), Product("Sunscreen", "sunscreen")]
FIRST = date(2026, 3, 1)


def clear_effect(days: int = 200, start: int = 100) -> list[Entry]:
    """A flat 16 bumps a day (small day-to-day noise) that halves over the 4 weeks after
    Adapalene starts on day ``start``, with sunscreen every day throughout."""
    rng = random.Random(3)
    entries = []
    for i in range(days):
        fall = 0.5 * min(max((i - start) / 28, 0), 1)
        count = max(0, round(16 * (1 - fall) + rng.uniform(-1.5, 1.5)))
        products = ("Sunscreen", "Adapalene") if i >= start else ("Sunscreen",)
        entries.append(Entry(FIRST + timedelta(days=i), {"nose": count} if count else {}, products))
    return entries


def write_journal(path, entries=None):
    Journal(path).replace_all(clear_effect() if entries is None else entries, CATALOGUE, {})
    return path


def test_effect_on_an_unknown_product_says_how_to_find_one_not_how_to_add_one(tmp_path, cli):
    path = write_journal(tmp_path / "j.json")
    before = path.read_bytes()
    result = cli("effect", "nosuch", db=path)
    assert result.code != 0 and result.out == ""
    assert len(result.err.strip().splitlines()) == 1
    assert "--new-product" not in result.err and "products add" not in result.err
    assert "no product named 'nosuch'" in result.err and "'skinlog products' lists them" in result.err
    assert path.read_bytes() == before
    # logging a day still offers to add the product: the hint is the effect command's own
    added = cli("add", "nose=1", "-p", "nosuch", db=path)
    assert added.code != 0 and "--new-product" in added.err


def _export(cli, path, out):
    result = cli("export", "-o", str(out), db=path)
    assert result.code == 0, result.err
    return json.loads(out.read_text())


def _journal_state(path):
    journal = Journal(path)
    return journal.entries(), journal.products(), journal.settings()


def test_import_ignores_the_evaluations_of_an_export(tmp_path, cli):
    source = write_journal(tmp_path / "source.json")
    exported = _export(cli, source, tmp_path / "export.json")
    (adapalene,) = [e for e in exported["evaluations"] if e["name"] == "Adapalene"]
    assert adapalene["verdict"] == "fell"  # the section is there, and says something

    # a round trip gives the same journal
    restored = tmp_path / "restored.json"
    assert cli("import", "--replace", str(tmp_path / "export.json"), db=restored).code == 0
    assert _journal_state(restored) == _journal_state(source)

    # an export whose evaluations were tampered with gives that same journal, and the evaluations
    # worked out afterwards come from the entries, not from the file
    tampered = dict(exported)
    tampered["evaluations"] = [
        {**e, "verdict": "rose", "summary": "Adapalene: rose by 900%", "day": "1999-01-01"}
        for e in exported["evaluations"]
    ] + [{"name": "Made up", "verdict": "fell"}]
    (tmp_path / "tampered.json").write_text(json.dumps(tampered))
    other = tmp_path / "other.json"
    result = cli("import", "--replace", str(tmp_path / "tampered.json"), db=other)
    assert result.code == 0, result.err
    assert _journal_state(other) == _journal_state(source)
    again = _export(cli, other, tmp_path / "again.json")
    assert again["evaluations"] == exported["evaluations"]

    # and a tampered section does not stop a merge either, nor change what is there
    merged_before = restored.read_bytes()
    result = cli("import", "--merge", str(tmp_path / "tampered.json"), db=restored)
    assert result.code == 0, result.err
    assert _journal_state(restored) == _journal_state(source)
    assert json.loads(restored.read_bytes()) == json.loads(merged_before)


def test_the_one_pager_gives_the_effect_of_a_clear_change_in_plain_words(tmp_path, cli):
    path = write_journal(tmp_path / "j.json")
    result = cli("export", "--format", "md", db=path)
    assert result.code == 0, result.err
    text = result.out
    assert "## Is it working?" in text
    section = text.split("## Is it working?", 1)[1]
    bullets = []
    for line in section.splitlines()[1:]:
        if not line.startswith(("- ", "  ")):
            break
        bullets.append(line)
    top = " ".join(" ".join(bullets).split())  # the section's bullets, unwrapped
    assert top.startswith("- Adapalene \\(retinoid\\), started 2026-06-09: fell by ")  # Markdown-escaped
    assert "more than the trend before you started would predict" in top
    # sunscreen was used from the first day: no start, so no line for it
    assert "Sunscreen" not in top
    percent = int(top.split("fell by ", 1)[1].split("%", 1)[0])
    assert 35 <= percent <= 60  # the truth is a fall by half
    assert "not proof of cause" in section and "`skinlog effect --all`" in section


def test_a_journal_of_daily_procedures_evaluates_only_the_most_recent_changes(tmp_path):
    # A procedure logged every other day for years is a change every other day: an export
    # evaluates the most recent MAX_EVALUATED of them, not thousands (minutes of work).
    from skinlog.domain.effects import MAX_EVALUATED, Series, evaluate_all, find_changes

    end = date(2026, 11, 20)
    entries = [
        make_entry(end - timedelta(days=n), {"nose": 3 + n % 4}, procedure="extraction" if n % 2 else "none")
        for n in range(2 * MAX_EVALUATED + 120)
    ][::-1]
    changes = find_changes(Series(entries), CATALOGUE)
    assert len(changes) > MAX_EVALUATED
    found = evaluate_all(entries, CATALOGUE)
    assert len(found) == MAX_EVALUATED
    assert [e.change.day for e in found] == [c.day for c in changes[-MAX_EVALUATED:]]
