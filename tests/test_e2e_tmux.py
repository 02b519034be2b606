"""The installed skinlog command in a real terminal (tmux): type a day, save, quit, check; and a
second process changing the journal while the app is open.

The command is the installed console script, started as a person starts it; the session gets the
checkout first on PYTHONPATH, so the script runs the code under test even when the installed copy
is older (the first thing each test checks)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.helpers import CHECKOUT, PINNED_TODAY, PINNED_YESTERDAY, skinlog_argv, skinlog_loaded_from

pytestmark = [
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)"),
    pytest.mark.slow,
]


def installed_skinlog() -> str:
    """The installed console script next to this interpreter, checked to run the checkout's code
    in the environment the terminal gets."""
    candidate = Path(sys.executable).parent / "skinlog"
    found = str(candidate) if candidate.exists() else shutil.which("skinlog")
    if not found:
        pytest.fail("the skinlog command is not installed in this environment")
    probe = subprocess.run(
        [found, "--version"],
        capture_output=True,
        text=True,
        env={**terminal_env(), "PYTHONVERBOSE": "1"},
        check=True,
    )
    loaded = skinlog_loaded_from(probe.stderr)
    if loaded != {CHECKOUT}:
        pytest.fail(
            f"the installed command {found} imported skinlog from {sorted(map(str, loaded))}, "
            f"not from the checkout {CHECKOUT}: it would test another copy of the code"
        )
    return found


def terminal_env() -> dict[str, str]:
    """What the tmux session's command gets: the pinned day, the temporary HOME and the checkout
    first on the path (set for every test by tests/conftest.py), and a colour terminal."""
    kept = ("PYTHONPATH", "SKINLOG_TODAY", "HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")
    return {
        **{name: os.environ[name] for name in kept if name in os.environ},
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: list[str], env: dict[str, str], size=(100, 32)) -> None:
        self.name = f"skinlog-{uuid.uuid4().hex[:8]}"
        self.socket = f"skinlog-test-{os.getpid()}"
        exports = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
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
                f"sleep 1; env {exports} {shlex.join(command)}; sleep 5",
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
    command = installed_skinlog()
    subprocess.run(skinlog_argv("demo", "--out", str(journal)), check=True, capture_output=True)
    before = json.loads(
        subprocess.run(
            skinlog_argv("--db", str(journal), "list", "--json"), capture_output=True, text=True, check=True
        ).stdout
    )
    term = Terminal([command, "--db", str(journal)], terminal_env())
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
        assert "┤" in chart and PINNED_TODAY.isoformat() in chart  # axis and the last date label
        term.keys("q")
        time.sleep(1)
    finally:
        term.close()
    after = json.loads(
        subprocess.run(
            skinlog_argv("--db", str(journal), "list", "--json"), capture_output=True, text=True, check=True
        ).stdout
    )
    assert len(after) == len(before) + 1
    today = after[0]
    assert today["date"] == PINNED_TODAY.isoformat()
    assert {k: v for k, v in today["counts"].items() if v} == {"forehead": 3, "eyelid_left": 2, "nose": 4}
    assert today["products"] == before[0]["products"]  # the form starts from the last entry's routine


def test_a_day_changed_from_another_terminal_is_shown_and_never_discarded(tmp_path):
    """The app open on a day; a second process replaces that day; the app shows it, asks before
    saving over it, and a save made after seeing it builds on the shell's entry."""
    journal = tmp_path / "journal.json"
    command = installed_skinlog()
    subprocess.run(skinlog_argv("demo", "--out", str(journal)), check=True, capture_output=True)
    yesterday = PINNED_YESTERDAY.isoformat()
    term = Terminal([command, "--db", str(journal)], terminal_env())
    try:
        term.wait_for("highest: see a clinician")
        term.keys(",", "+")  # yesterday, which has an entry; forehead + 1, not saved
        term.wait_for("● unsaved changes")
        subprocess.run(
            skinlog_argv(
                "--db",
                str(journal),
                "add",
                "--date",
                yesterday,
                "--replace",
                "chin=6",
                "--note",
                "from the shell",
            ),
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
            skinlog_argv("--db", str(journal), "show", yesterday, "--json"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert {k: v for k, v in after["counts"].items() if v} == {"chin": 6, "forehead": 1}
    assert after["note"] == "from the shell"


def test_visit_every_view_then_log_a_day_with_keys_alone(tmp_path):
    from skinlog.tui.views import VIEWS

    journal = tmp_path / "journal.json"
    subprocess.run(skinlog_argv("demo", "--out", str(journal)), check=True, capture_output=True)
    term = Terminal([installed_skinlog(), "--db", str(journal)], terminal_env(), size=(80, 24))
    try:
        term.wait_for("highest: see a clinician")
        for view in [*VIEWS[1:], VIEWS[0]]:  # every other view, then back to Today
            term.keys(view.key_display)
            term.wait_for(f"[{view.key_display} {view.title}]")  # at 80 columns only it has its title
        term.keys("2", "Down", "+")  # forehead 2, then one on the left eyelid: focus is on the map
        term.wait_for("total 3")
        term.keys("C-s")
        term.wait_for("Logged")
        term.keys("q")
        time.sleep(1)
    finally:
        term.close()
    saved = json.loads(
        subprocess.run(
            skinlog_argv("--db", str(journal), "show", PINNED_TODAY.isoformat(), "--json"),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert {k: v for k, v in saved["counts"].items() if v} == {"forehead": 2, "eyelid_left": 1}


def test_the_photos_view_and_compare_mode_in_a_real_terminal(tmp_path):
    journal = tmp_path / "journal.json"
    subprocess.run(skinlog_argv("demo", "--out", str(journal)), check=True, capture_output=True)
    term = Terminal([installed_skinlog(), "--db", str(journal)], terminal_env(), size=(80, 24))
    try:
        term.wait_for("highest: see a clinician")
        term.keys("F10")
        shown = term.wait_for("photos, newest first")
        assert "[F10 Photos]" in shown and "▀" in shown  # pictures drawn with half blocks inside tmux
        assert "bumps that day" in shown
        term.keys("Enter")
        term.wait_for("photo that day")
        term.keys("Enter")  # closes it (so does Escape, which tmux may run into the next key)
        deadline = time.monotonic() + 20
        while "photo that day" in term.screen() and time.monotonic() < deadline:
            time.sleep(0.2)
        term.keys("c")
        shown = term.wait_for("Comparing")
        latest = [line for line in shown.splitlines() if "that day ·" in line]
        assert latest, shown
        term.keys("Left")
        stepped = term.wait_for("3/4")  # the right side stepped back from the newest of four
        assert "1/4" in stepped
        term.keys("c")  # back to the timeline
        term.wait_for("photos, newest first")
        term.keys("q")
        time.sleep(1)
    finally:
        term.close()
