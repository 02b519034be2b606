"""Shared fixtures: a journal path in tmp_path, and ways to run the CLI in and out of process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from skinlog.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _private_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test reads and writes preferences in a folder of its own, never the user's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.json"


@pytest.fixture
def cli(journal_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run ``main([...])`` on the test journal; returns code, stdout and stderr."""

    def run(*args: str, db: Path | None = None) -> Result:
        code = main(["--db", str(db or journal_path), *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def skinlog_command() -> str:
    """The installed console script next to this interpreter."""
    candidate = Path(sys.executable).parent / "skinlog"
    found = str(candidate) if candidate.exists() else shutil.which("skinlog")
    if not found:
        pytest.fail("the skinlog command is not installed in this environment")
    return found


@pytest.fixture
def skinlog_cmd(journal_path: Path):
    """Run the installed ``skinlog`` command as a separate process."""

    def run(*args: str, db: Path | None = None, stdin: str | None = None, env: dict | None = None) -> Result:
        proc = subprocess.run(
            [skinlog_command(), "--db", str(db or journal_path), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
