"""The installed skinlog command in a real terminal (tmux): type a day, save, quit, check; and a
second process changing the journal while the app is open."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta

import pytest

from tests.conftest import skinlog_command

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"
)


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: list[str], env: dict[str, str], size=(100, 32)) -> None:
        self.name = f"skinlog-{uuid.uuid4().hex[:8]}"
        self.socket = f"skinlog-test-{os.getpid()}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        subprocess.run(
            [
                "tmux",
                "-L",
                self.socket,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                # a moment's pause: the window takes its size just after it starts
                f"sleep 1; env {exports} {' '.join(command)}; sleep 5",
            ],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_log_a_day_in_a_real_terminal_then_list_it(tmp_path):
    journal = tmp_path / "journal.json"
    command = skinlog_command()
    subprocess.run([command, "demo", "--out", str(journal)], check=True, capture_output=True)
    before = json.loads(
        subprocess.run(
            [command, "--db", str(journal), "list", "--json"], capture_output=True, text=True, check=True
        ).stdout
    )
    term = Terminal([command, "--db", str(journal)], {"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    try:
        shown = term.wait_for("highest: see a clinician")
        assert "under-eye L" in shown and "forehead" in shown and "cheek R" in shown  # the face map
        assert "highest: see a clinician" in shown
        term.keys("3", "Down", "+", "+", "Down", "Right", "4")  # forehead 3, left eyelid 2, nose 4
        term.wait_for("total 9")
        term.keys("C-s")
        term.wait_for("Logged")  # the streak replaces "Nothing logged today yet"
        term.keys("F4")
        chart = term.wait_for("Bumps a day over 12 weeks")
        assert "┤" in chart and date.today().isoformat() in chart  # axis and the last date label
        term.keys("q")
        time.sleep(1)
    finally:
        term.close()
    after = json.loads(
        subprocess.run(
            [command, "--db", str(journal), "list", "--json"], capture_output=True, text=True, check=True
        ).stdout
    )
    assert len(after) == len(before) + 1
    today = after[0]
    assert today["date"] == date.today().isoformat()
    assert {k: v for k, v in today["counts"].items() if v} == {"forehead": 3, "eyelid_left": 2, "nose": 4}
    assert today["products"] == before[0]["products"]  # the form starts from the last entry's routine


def test_a_day_changed_from_another_terminal_is_shown_and_never_discarded(tmp_path):
    """The app open on a day; a second process replaces that day; the app shows it, asks before
    saving over it, and a save made after seeing it builds on the shell's entry."""
    journal = tmp_path / "journal.json"
    command = skinlog_command()
    subprocess.run([command, "demo", "--out", str(journal)], check=True, capture_output=True)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    term = Terminal([command, "--db", str(journal)], {"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    try:
        term.wait_for("highest: see a clinician")
        term.keys(",", "+")  # yesterday, which has an entry; forehead + 1, not saved
        term.wait_for("● unsaved changes")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "skinlog",
                "--db",
                str(journal),
                "add",
                "--date",
                yesterday,
                "--replace",
                "chin=6",
                "--note",
                "from the shell",
            ],
            check=True,
            capture_output=True,
        )
        term.wait_for("changed elsewhere")  # noticed without a key press; the edit is kept
        term.keys("C-s")
        shown = term.wait_for("Overwrite with mine")
        assert "changed outside the app" in shown and "total 6: chin 6" in shown and "from the shell" in shown
        term.keys("k")  # keep the journal's: the form shows the shell's day
        term.wait_for(f"{yesterday} · total 6 · editing the saved entry")
        term.keys("+", "C-s")
        shown = term.wait_for("Replace (y)")
        assert "total 6: chin 6" in shown and "from the shell" in shown  # the day as it is on disk
        term.keys("y")
        term.wait_for(f"{yesterday} · total 7 · editing the saved entry")
        term.keys("q")  # nothing unsaved: no question
        time.sleep(1)
    finally:
        term.close()
    after = json.loads(
        subprocess.run(
            [command, "--db", str(journal), "show", yesterday, "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert {k: v for k, v in after["counts"].items() if v} == {"chin": 6, "forehead": 1}
    assert after["note"] == "from the shell"
