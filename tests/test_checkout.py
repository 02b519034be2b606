"""The suite tests the checkout: the code imported here and the skinlog that tests start in other
processes are the checkout's, not a copy installed earlier; and every test runs on the pinned day
in a cleared environment (tests/conftest.py)."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
from pathlib import Path

import skinlog
from skinlog.domain.dates import today
from tests.helpers import CHECKOUT, PINNED_TODAY, skinlog_argv, skinlog_loaded_from


def test_this_process_imports_the_checkouts_skinlog():
    assert Path(skinlog.__file__).resolve() == CHECKOUT / "skinlog" / "__init__.py"


def test_a_skinlog_started_in_another_folder_runs_the_checkouts_code(tmp_path):
    # another working folder: the checkout is found through PYTHONPATH, not by chance
    proc = subprocess.run(
        skinlog_argv("--version"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONVERBOSE": "1"},
        check=True,
    )
    assert proc.stdout.startswith("skinlog ")
    assert skinlog_loaded_from(proc.stderr) == {CHECKOUT}


def test_the_loaded_from_reader_tells_an_installed_copy_apart(tmp_path):
    """The check above can fail: an installed copy is reported as such."""
    installed = tmp_path / "site-packages"
    (installed / "skinlog").mkdir(parents=True)
    (installed / "skinlog" / "__init__.py").write_text("")
    proc = subprocess.run(
        [sys.executable, "-c", "import skinlog"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONVERBOSE": "1", "PYTHONPATH": str(installed)},
        check=True,
    )
    assert skinlog_loaded_from(proc.stderr) == {installed}


def test_today_is_pinned_here_and_in_other_processes(journal_path):
    assert today() == PINNED_TODAY
    added = subprocess.run(
        skinlog_argv("--db", str(journal_path), "add", "nose=1"), capture_output=True, text=True
    )
    assert added.returncode == 0, added.stderr
    shown = subprocess.run(
        skinlog_argv("--db", str(journal_path), "show", PINNED_TODAY.isoformat()),
        capture_output=True,
        text=True,
    )
    assert shown.returncode == 0, shown.stderr


def test_no_test_can_reach_the_real_home():
    from skinlog.storage import default_path

    home = Path(os.environ["HOME"])
    assert home != Path(pwd.getpwuid(os.getuid()).pw_dir)
    assert Path(default_path()).is_relative_to(home)
    assert Path(os.path.expanduser("~/.local/share")).is_relative_to(home)


def test_output_changing_variables_are_cleared():
    for name in ("NO_COLOR", "FORCE_COLOR", "TEXTUAL_THEME", "COLUMNS", "LINES", "SKINLOG_DB"):
        assert name not in os.environ


def test_textual_settings_read_at_import_are_its_defaults():
    """Textual reads TEXTUAL_THEME and its other settings when imported, before tests/conftest.py
    runs: they are read again without them (run the suite with TEXTUAL_THEME=nord to see)."""
    from textual import constants
    from textual.app import App

    assert constants.DEFAULT_THEME == "textual-dark" and constants.COLOR_SYSTEM == "auto"
    assert App.theme._default == "textual-dark"


def test_no_test_reads_the_real_clock():
    """Every test runs on the pinned day: one that reads the clock passes today and fails later."""
    here = Path(__file__).parent
    offenders = [
        f"{path.name}:{n}"
        for path in sorted(here.glob("*.py"))
        if path.name != Path(__file__).name
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "date.today()" in line or "datetime.now(" in line
    ]
    assert not offenders, f"use tests.helpers.PINNED_TODAY instead of the clock in {offenders}"
