"""The installed skinlog command in a real terminal (tmux): type a day, save, quit, check."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from datetime import date

import pytest

from tests.conftest import skinlog_command

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: list[str], env: dict[str, str], size=(100, 32)) -> None:
        self.name = f"skinlog-{uuid.uuid4().hex[:8]}"
        self.socket = f"skinlog-test-{os.getpid()}"
        exports = " ".join(f"{k}={v}" for k, v in env.items())
        subprocess.run(
            ["tmux", "-L", self.socket, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y", str(size[1]),
             # a moment's pause: the window takes its size just after it starts
             f"sleep 1; env {exports} {' '.join(command)}; sleep 5"],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "-L", self.socket, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.15)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.socket, "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

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
    before = json.loads(subprocess.run([command, "--db", str(journal), "list", "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    term = Terminal([command, "--db", str(journal)], {"TERM": "xterm-256color", "COLORTERM": "truecolor"})
    try:
        shown = term.wait_for("flags: see a clinician")
        assert "under-eye L" in shown and "forehead" in shown and "cheek R" in shown  # the face map
        assert "flags: see a clinician" in shown
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
    after = json.loads(subprocess.run([command, "--db", str(journal), "list", "--json"],
                                      capture_output=True, text=True, check=True).stdout)
    assert len(after) == len(before) + 1
    today = after[0]
    assert today["date"] == date.today().isoformat()
    assert {k: v for k, v in today["counts"].items() if v} == {"forehead": 3, "eyelid_left": 2, "nose": 4}
    assert today["products"] == before[0]["products"]  # the form starts from the last entry's routine
