"""When stdout fails, and for numbers too big to use: one line on stderr, never a traceback.

These run the installed command in a separate process, with stdout on /dev/full (every write
fails with "no space left on device") or stderr on a pseudo-terminal.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from skinlog.storage import Journal
from tests.helpers import read_terminal

DAY = "2026-06-10"
TODAY = "2026-06-15"


def run(
    args: list[str], *, stdout=None, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "skinlog", *args],
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        input=stdin,
        text=True,
        env={**os.environ, "SKINLOG_TODAY": TODAY, **(env or {})},
        timeout=60,
    )


def run_full(args: list[str]) -> subprocess.CompletedProcess:
    with open("/dev/full", "w") as full:
        return run(args, stdout=full)


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "journal.json"
    done = run(["--db", str(path), "add", "--date", DAY, "nose=2", "-p", "Retinol"])
    assert done.returncode == 0, done.stderr
    return path


def _one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("skinlog: ")
    return lines[0]


READS = [
    ["list"],
    ["list", "--json"],
    ["show", DAY],
    ["show", DAY, "--json"],
    ["products"],
    ["regions"],
    ["week"],
    ["flags"],
    ["insights"],
    ["settings"],
    ["export"],
    ["export", "--format", "fhir"],
    ["export", "--format", "md"],
    ["export", "--schema"],
    ["plot", "--width", "60", "--height", "10"],
    ["import", "EXPORT", "--merge", "--dry-run"],
    ["restore-backup", "--list"],
    ["--help"],
    ["--version"],
    ["add", "--help"],
]


@pytest.mark.parametrize("argv", READS, ids=[" ".join(a) for a in READS])
def test_a_read_whose_output_cannot_be_written_says_so_in_one_line(seeded, tmp_path, argv):
    export = tmp_path / "export.json"
    assert run(["--db", str(seeded), "export", "-o", str(export)]).returncode == 0
    argv = [str(export) if a == "EXPORT" else a for a in argv]
    before = seeded.read_bytes()
    result = run_full(["--db", str(seeded), *argv])
    assert result.returncode == 1
    assert _one_line(result.stderr) == "skinlog: cannot write the output: no space left on device"
    assert seeded.read_bytes() == before


def _write_cases(tmp_path: Path, journal: Path) -> list[tuple[list[str], object]]:
    """(argv, a check that the change is in the journal) for every command that writes."""
    export = tmp_path / "export.json"
    assert run(["--db", str(journal), "export", "-o", str(export)]).returncode == 0
    j = lambda: Journal(journal)  # noqa: E731
    return [
        (["add", "chin=3"], lambda: j().entry(__import__("datetime").date(2026, 6, 15)).count("chin") == 3),
        (["add", "--date", DAY, "--replace", "nose=7"], lambda: j().entries()[-1].count("nose") == 7),
        (["delete", DAY, "--yes"], lambda: j().entries() == []),
        (
            ["products", "add", "Shea balm", "--category", "occlusive"],
            lambda: any(p.name == "Shea balm" for p in j().products()),
        ),
        (
            ["products", "rename", "Retinol", "Retinol 0.3%"],
            lambda: j().entries()[-1].products == ("Retinol 0.3%",),
        ),
        (["settings", "set", "persist_weeks", "20"], lambda: j().settings().get("persist_weeks") == 20),
        (["settings", "reset", "persist_weeks"], lambda: j().settings().get("persist_weeks", 12) == 12),
        (["import", str(export), "--replace"], lambda: len(j().entries()) == 1),
        (
            ["--db", str(tmp_path / "fresh.json"), "import", str(export)],
            lambda: len(Journal(tmp_path / "fresh.json").entries()) == 1,
        ),
        (
            ["demo", "--out", str(tmp_path / "demo.json")],
            lambda: len(Journal(tmp_path / "demo.json").entries()) > 200,
        ),
    ]


WRITES = [
    "add",
    "add --replace",
    "delete",
    "products add",
    "products rename",
    "settings set",
    "settings reset",
    "import --replace",
    "import into a new journal",
    "demo --out",
]


@pytest.mark.parametrize("case", range(len(WRITES)), ids=WRITES)
def test_a_saved_change_whose_confirmation_fails_exits_4_and_says_it_was_saved(seeded, tmp_path, case):
    argv, changed = _write_cases(tmp_path, seeded)[case]
    result = run_full(["--db", str(seeded), *argv])
    line = _one_line(result.stderr)
    assert result.returncode == 4, result.stderr
    assert line == (
        "skinlog: the change was saved, but its confirmation could not be printed: no space left on device"
    )
    assert changed()


def test_a_restore_whose_confirmation_fails_exits_4_and_the_backup_is_in_place(seeded, tmp_path):
    kept = tmp_path / "copy.json"
    kept.write_bytes(seeded.read_bytes())
    assert run(["--db", str(seeded), "add", "chin=1"]).returncode == 0
    result = run_full(["--db", str(seeded), "restore-backup", str(kept), "--yes"])
    assert result.returncode == 4 and "was saved" in _one_line(result.stderr)
    assert seeded.read_bytes() == kept.read_bytes()


def test_a_refused_change_with_stdout_full_still_exits_with_its_own_code(seeded):
    before = seeded.read_bytes()
    result = run_full(["--db", str(seeded), "add", "--date", DAY, "nose=1"])
    assert result.returncode == 1 and "already has an entry" in _one_line(result.stderr)
    assert seeded.read_bytes() == before


def test_scripts_can_tell_saved_from_failed_by_the_exit_code(seeded):
    saved = run_full(["--db", str(seeded), "add", "chin=1"])
    failed = run_full(["--db", str(seeded), "add", "chin=1"])
    assert (saved.returncode, failed.returncode) == (4, 1)


def test_a_missing_import_file_in_a_terminal_is_one_line(tmp_path):
    # With stderr on a terminal the progress line is considered, which once stat'ed the file first.
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "skinlog",
                "--db",
                str(tmp_path / "j.json"),
                "import",
                str(tmp_path / "missing.json"),
            ],
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=60,
            env={**os.environ, "SKINLOG_TODAY": TODAY},
        )
        os.close(follower)
        follower = -1
        err = read_terminal(leader)
    finally:
        if follower != -1:
            os.close(follower)
        os.close(leader)
    text = err.decode()
    assert proc.returncode == 1
    assert "Traceback" not in text and len(text.strip().splitlines()) == 1
    assert "cannot import" in text and "no such file" in text
    assert not (tmp_path / "j.json").exists()


HUGE = [
    (["insights", "--weeks", "1000000000"], 2, "--weeks must be 1 to 10000"),
    (["insights", "--weeks", str(10**30)], 2, "--weeks must be 1 to 10000"),
    (["week", "--weeks", str(10**12)], 2, "--weeks must be 1 to 10000"),
    (["week", "--weeks", "0"], 2, "--weeks must be 1 to 10000"),
    (["plot", "--width", str(10**30)], 2, "--width must be 20 to 1000"),
    (["plot", "--height", str(10**30)], 2, "--height 5 to 500"),
    (["add", "--date", "-" + "9" * 40, "nose=1"], 2, "cannot read the date"),
]


@pytest.mark.parametrize(
    ("argv", "code", "fragment"), HUGE, ids=[" ".join(a[:2]) + f" {i}" for i, (a, _, _) in enumerate(HUGE)]
)
def test_huge_numbers_get_one_line_not_an_overflow(seeded, argv, code, fragment):
    before = seeded.read_bytes()
    result = run(["--db", str(seeded), *argv])
    assert result.returncode == code
    assert fragment in _one_line(result.stderr)
    assert seeded.read_bytes() == before


def test_list_last_with_a_huge_number_lists_everything(seeded):
    result = run(["--db", str(seeded), "list", "--last", str(10**40), "--json"])
    assert result.returncode == 0, result.stderr
    assert [e["date"] for e in json.loads(result.stdout)] == [DAY]


def test_insights_accept_the_largest_window(seeded):
    result = run(["--db", str(seeded), "insights", "--weeks", "10000"])
    assert result.returncode == 0 and result.stderr == ""


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["list"], 1, "cannot write the output: standard output is closed"),
        (["list", "--json"], 1, "cannot write the output: standard output is closed"),
        (
            ["plot", "--width", "40", "--height", "10"],
            1,
            "cannot write the output: standard output is closed",
        ),
        (
            ["add", "chin=2"],
            4,
            "the change was saved, but its confirmation could not be printed: standard output is closed",
        ),
    ],
    ids=["list", "list --json", "plot", "add"],
)
def test_a_closed_stdout_is_one_line(seeded, argv, code, fragment):
    result = subprocess.run(
        [sys.executable, "-m", "skinlog", "--db", str(seeded), *argv],
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),
        env={**os.environ, "SKINLOG_TODAY": TODAY},
    )
    assert result.returncode == code
    assert _one_line(result.stderr) == f"skinlog: {fragment}"


def test_a_terminal_that_cannot_show_some_letters_gets_escapes_not_a_traceback(tmp_path):
    path = tmp_path / "journal.json"
    assert (
        run(
            ["--db", str(path), "add", "--date", DAY, "nose=1", "-p", "Crème 良い", "--new-product", "other"]
        ).returncode
        == 0
    )
    for argv in (["list"], ["products"], ["show", DAY]):
        result = run(["--db", str(path), *argv], env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 0, result.stderr
        assert "Cr\\xe8me \\u826f\\u3044" in result.stdout


def test_an_export_on_stdout_is_the_files_bytes(seeded, tmp_path):
    out = tmp_path / "e.md"
    assert run(["--db", str(seeded), "export", "--format", "md", "-o", str(out)]).returncode == 0
    shown = subprocess.run(
        [sys.executable, "-m", "skinlog", "--db", str(seeded), "export", "--format", "md"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "SKINLOG_TODAY": TODAY},
    )
    generated = [line for line in out.read_bytes().splitlines() if b"generated" in line.lower()]

    def strip(raw: bytes) -> list[bytes]:
        return [
            line for line in raw.splitlines() if line not in generated and b"generated" not in line.lower()
        ]

    assert strip(shown.stdout) == strip(out.read_bytes())
