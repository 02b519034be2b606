"""Text from users and files never reaches the terminal raw: escapes are shown, not obeyed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ESC_TITLE = "\u001b]0;pwned\u0007"  # would retitle the terminal
CLEAR = "\u001b[2J"  # would clear the screen
BIDI = "\u202e"  # would reverse the text that follows
CSI8 = "\u009b"  # the one-byte form of ESC [ on some terminals

HOSTILE_NAME = "Balm" + CSI8 + "31m" + BIDI + ESC_TITLE
RAW = (ESC_TITLE, CLEAR, "\u001b", "\u0007", BIDI, CSI8)


def _assert_inert(text: str) -> None:
    for bad in RAW:
        assert bad not in text, repr(text)


def _export_doc(cli, tmp_path: Path) -> dict:
    cli("add", "--date", "-1", "nose=2", "-p", "Retinol")
    out = tmp_path / "export.json"
    assert cli("export", "-o", str(out)).code == 0
    return json.loads(out.read_bytes())


@pytest.mark.parametrize(
    "where", ["settings key", "entry field", "region", "product name", "category", "date"]
)
def test_import_errors_quoting_the_file_are_inert(cli, tmp_path, where):
    doc = _export_doc(cli, tmp_path)
    if where == "settings key":
        doc["settings"] = {ESC_TITLE + CLEAR: 3}
    elif where == "entry field":
        doc["entries"][0][ESC_TITLE] = 1
    elif where == "region":
        doc["entries"][0]["counts"][ESC_TITLE] = 1
    elif where == "product name":
        doc["products"][0]["name"] = "Balm" + ESC_TITLE
    elif where == "category":
        doc["products"][0]["category"] = ESC_TITLE
    else:
        doc["entries"][0]["date"] = ESC_TITLE
    bad = tmp_path / f"bad{BIDI}.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False))
    target = tmp_path / "target.json"
    result = cli("import", str(bad), db=target)
    assert result.code in (1, 2)
    assert len(result.err.strip().splitlines()) == 1 and "cannot import" in result.err
    _assert_inert(result.err + result.out)
    assert "\\x1b" in result.err or "\\u202e" in result.err
    assert not target.exists()


def test_a_settings_key_typed_on_the_command_line_is_inert(cli):
    result = cli("settings", "set", ESC_TITLE, "3")
    assert result.code == 2 and "\\x1b]0;pwned\\x07" in result.err
    _assert_inert(result.err)


def test_a_product_name_typed_on_the_command_line_is_inert(cli):
    result = cli("add", "nose=1", "-p", "Balm" + CLEAR)
    assert result.code == 2
    _assert_inert(result.err)
    result = cli("products", "rename", "Retinol" + BIDI, "X")
    assert result.code in (1, 2)
    _assert_inert(result.err)


def _hand_written_journal(path: Path, name: str, note: str) -> None:
    """A journal edited by hand (or by another program) holding hostile text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "_meta": {"1": {"schema_version": 1}},
                "entries": {
                    "739777": {"date": "2026-06-10", "counts": {"nose": 2}, "products": [name], "note": note}
                },
                "products": {"1": {"name": name, "category": "other", "heavy": False}},
                "settings": {},
            },
            ensure_ascii=False,
        )
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["show", "2026-06-10"],
        ["products"],
        ["list", "--json"],
        ["show", "2026-06-10", "--json"],
        ["products", "--json"],
        ["week"],
        ["insights", "--weeks", "10000"],
        ["export", "--format", "md"],
    ],
)
@pytest.mark.parametrize("hostile", ["name", "note"])
def test_hostile_text_in_a_journal_never_reaches_stdout_raw(cli, journal_path, argv, hostile):
    # The journal may be refused as invalid (then the message is inert) or shown (then the text is).
    if hostile == "name":
        _hand_written_journal(journal_path, HOSTILE_NAME, "line one\nline two")
    else:
        _hand_written_journal(journal_path, "Balm", "line one\n" + ESC_TITLE + CLEAR)
    result = cli(*argv)
    _assert_inert(result.out + result.err)
    if result.code == 0 and "--json" in argv and hostile == "name":
        assert HOSTILE_NAME in _strings(json.loads(result.out))  # the JSON still means the same text


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for item in value for s in _strings(item)] if isinstance(value, list) else []


def test_a_note_keeps_its_line_breaks_when_shown(cli):
    assert cli("add", "--date", "-1", "nose=1", "--note", "first line\nsecond line").code == 0
    out = cli("show", "-1").out
    assert "first line\n" in out and "second line" in out


NAMES = [
    ("escape", "Jane" + ESC_TITLE, "control characters"),
    ("bell", "Jane\u0007", "control characters"),
    ("line break", "Jane\nDoe", "line breaks"),
    ("tab", "Jane\tDoe", "line breaks"),
    ("bidi", "Jane" + BIDI + "eoD", "control characters"),
    ("empty", "   ", "1 to 100 characters"),
    ("too long", "x" * 101, "1 to 100 characters"),
]


@pytest.mark.parametrize(("case", "name", "fragment"), NAMES, ids=[n[0] for n in NAMES])
def test_export_name_is_checked_like_a_note(cli, tmp_path, case, name, fragment):
    cli("add", "--date", "-1", "nose=1")
    out = tmp_path / "e.json"
    result = cli("export", "--format", "fhir", "--name", name, "-o", str(out))
    assert result.code == 2 and not out.exists()
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and "--name" in lines[0] and fragment in lines[0]
    _assert_inert(result.err)


def test_a_hundred_character_name_is_accepted(cli, tmp_path):
    cli("add", "--date", "-1", "nose=1")
    out = tmp_path / "e.json"
    assert cli("export", "--name", "A" * 100, "-o", str(out)).code == 0
    assert "A" * 100 in out.read_text()
