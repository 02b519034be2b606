"""Shared fixtures. Every test runs with "today" pinned (``SKINLOG_TODAY``), without the
environment variables that change what skinlog, Textual or Rich print, with HOME and the XDG
folders in a fresh temporary folder (no test can reach a real journal), and with the checkout
first on PYTHONPATH, so a skinlog started in another process runs the code under test."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from skinlog.cli import main
from tests.helpers import CHECKOUT, PINNED_TODAY, skinlog_argv

# Read by skinlog (SKINLOG_DB, SKINLOG_TODAY, COLUMNS, NO_COLOR), Textual (TEXTUAL_THEME and the
# other TEXTUAL_* settings, ESCDELAY, TERM_PROGRAM, LC_TERMINAL) or Rich (colour, size, terminal).
CLEARED_PREFIXES = ("SKINLOG_", "TEXTUAL_")
CLEARED = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "COLUMNS",
    "LINES",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "ESCDELAY",
    "TERM_PROGRAM",
    "LC_TERMINAL",
    "PYTHONIOENCODING",
)
TERM = "xterm-256color"
XDG_FOLDERS = {
    "XDG_DATA_HOME": ".local/share",
    "XDG_CONFIG_HOME": ".config",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}


def _changes_output(name: str) -> bool:
    if name.startswith("TEXTUAL_SNAPSHOT_"):
        return False  # the snapshot plugin's own, set for the session
    return name in CLEARED or name.startswith(CLEARED_PREFIXES)


def _forget_settings_read_at_import() -> None:
    """Textual reads its TEXTUAL_* settings once, when it is imported, and the snapshot plugin
    imports it before this file: take them out of the environment and let Textual read its
    settings again. The app's default theme is copied into the App class at import, so it is
    set back too."""
    for name in [name for name in os.environ if _changes_output(name)]:
        del os.environ[name]
    constants = sys.modules.get("textual.constants")
    if constants is None:
        return
    importlib.reload(constants)
    textual_app = sys.modules.get("textual.app")
    if textual_app is not None:
        theme = textual_app.App.theme
        theme._default = constants.DEFAULT_THEME
        textual_app.App._default_theme = constants.DEFAULT_THEME


_forget_settings_read_at_import()


@pytest.fixture(autouse=True)
def _pinned_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in [name for name in os.environ if _changes_output(name)]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SKINLOG_TODAY", PINNED_TODAY.isoformat())
    monkeypatch.setenv("TERM", TERM)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for name, folder in XDG_FOLDERS.items():
        monkeypatch.setenv(name, str(home / folder))
    inherited = os.environ.get("PYTHONPATH")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(CHECKOUT), *([inherited] if inherited else [])]))


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


@pytest.fixture
def skinlog_cmd(journal_path: Path):
    """Run the checkout's skinlog as a separate process (``python -m skinlog``)."""

    def run(*args: str, db: Path | None = None, stdin: str | None = None, env: dict | None = None) -> Result:
        proc = subprocess.run(
            skinlog_argv("--db", str(db or journal_path), *args),
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=60,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def demo(cli, tmp_path: Path) -> Path:
    """The demo journal (seeded, ending the day before PINNED_TODAY) in a file of its own."""
    path = tmp_path / "demo.json"
    assert cli("demo", "--out", str(path)).code == 0
    return path
