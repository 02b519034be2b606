"""What a person sees in a real terminal: first screen and key-to-settled-screen times in tmux.

Pilot timings were found 2-3x off what a terminal shows, so this runs the installed ``skinlog``
inside a tmux pane and polls ``tmux capture-pane``. A screen has *settled* when it shows the text
expected and has not changed for ``QUIET`` seconds; the time reported is from the moment the key
was sent (or the process started) to the last change before the quiet spell. Polling costs a few
milliseconds a look, so figures carry that much uncertainty.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

QUIET = 0.35  # seconds without a change that count as settled
LIMIT = 20.0  # seconds before a screen that never shows its text is an error
SIZE = ("100", "32")
SOCKET = f"skinlog-bench-{os.getpid()}"  # a tmux server of its own, kept up by one idle session


def tmux(*args: str, check: bool = True) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=check).stdout


class Server:
    """The benchmark's own tmux server, for the length of a ``with`` block."""

    def __enter__(self) -> Server:
        if not shutil.which("tmux"):
            raise RuntimeError("tmux is needed for the terminal benchmarks (apt-get install -y tmux)")
        tmux("new-session", "-d", "-s", "keeper", "sleep", "100000")
        return self

    def __exit__(self, *_: object) -> None:
        tmux("kill-server", check=False)


MINIMAL_APP = """\
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Minimal(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("minimal app ready")
        yield Footer()


Minimal().run()
"""


def _capture(session: str) -> str:
    return tmux("capture-pane", "-p", "-t", session, check=False)


def _settle(session: str, start: float, expect: str, before: str | None = None) -> float:
    """Seconds from ``start`` to the last change of the pane once it shows ``expect`` (and differs
    from ``before``, the screen before the key)."""
    last_text = _capture(session)
    last_change = time.perf_counter() if last_text != before else start
    while True:
        now = time.perf_counter()
        if now - start > LIMIT:
            raise RuntimeError(f"the screen never showed {expect!r}:\n{last_text}")
        text = _capture(session)
        if text != last_text:
            last_text, last_change = text, now
        elif expect in text and text != before and now - last_change >= QUIET:
            return last_change - start
        time.sleep(0.004)


class Pane:
    """One tmux session running ``command`` at SIZE, closed on exit."""

    def __init__(self, command: Sequence[str], env: dict[str, str]) -> None:
        self.session = f"skinlog-bench-{os.getpid()}-{time.monotonic_ns()}"
        self.command = command
        self.env = env

    def start(self, expect: str) -> float:
        exports = [f"{k}={v}" for k, v in self.env.items()]
        start = time.perf_counter()
        tmux(
            "new-session",
            "-d",
            "-s",
            self.session,
            "-x",
            SIZE[0],
            "-y",
            SIZE[1],
            "env",
            *exports,
            *self.command,
        )
        return _settle(self.session, start, expect)

    def key(self, key: str, expect: str) -> float:
        before = _capture(self.session)
        start = time.perf_counter()
        tmux("send-keys", "-t", self.session, key)
        return _settle(self.session, start, expect, before)

    def key_shown_then_settled(self, key: str, shown: str, settled: str) -> tuple[float, float]:
        """Seconds from sending ``key`` until the pane first shows ``shown``, and until it has
        settled showing ``settled`` (a view that works something out after it is up)."""
        before = _capture(self.session)
        start = time.perf_counter()
        tmux("send-keys", "-t", self.session, key)
        while True:
            now = time.perf_counter()
            if now - start > LIMIT:
                raise RuntimeError(f"the screen never showed {shown!r}")
            text = _capture(self.session)
            if shown in text and text != before:
                up = now - start
                break
            time.sleep(0.004)
        return up, _settle(self.session, start, settled, before)

    def close(self) -> None:
        tmux("kill-session", "-t", self.session, check=False)

    def __enter__(self) -> Pane:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _env(home: Path) -> dict[str, str]:
    return {"HOME": str(home), "TERM": "xterm-256color", "XDG_CONFIG_HOME": str(home / ".config")}


# Each step: the key, the text that shows the view has arrived, and a label.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("F3", "History", "F3 History"),
    ("F4", "Trends", "F4 Trends"),
    ("3", "Trends", "Trends: 1 year"),
    ("4", "Trends", "Trends: everything"),
    ("2", "Trends", "Trends: 12 weeks"),
    ("F5", "Week", "F5 Week"),
    ("F6", "Flags", "F6 Flags"),
    ("F7", "Products", "F7 Products"),
    ("F9", "days logged", "F9 Calendar"),
    ("[", "days logged", "Calendar: year before"),
    ("]", "days logged", "Calendar: year after"),
    ("F2", "Today", "F2 Today"),
)


READING = 2.0
"""Seconds between the first screen and the first key: a person reads the screen first (the app
uses them to make the views; the row pressed "the moment the first screen is up" shows a key
that does not wait)."""


def first_screens(
    python: str, skinlog: str, journal: Path, runs: int, work: Path
) -> tuple[list[float], list[float]]:
    """First-screen times of a minimal Textual app and of skinlog on ``journal``, taking turns."""
    script = work / "minimal_app.py"
    script.write_text(MINIMAL_APP)
    home = work / "home"
    home.mkdir(exist_ok=True)
    minimal: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        with Pane([python, str(script)], _env(home)) as pane:
            minimal.append(pane.start("minimal app ready"))
        with Pane([skinlog, "--db", str(journal)], _env(home)) as pane:
            ours.append(pane.start("Today"))
    return minimal, ours


def key_times(skinlog: str, journal: Path, runs: int, work: Path) -> dict[str, list[float]]:
    """Key-to-settled-screen times of each step in STEPS on ``journal``: a first pass opens each
    view for the first time, a second pass comes back to it."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        with Pane([skinlog, "--db", str(journal)], _env(home)) as pane:
            pane.start("Today")
            times.setdefault("F3 History, the moment the first screen is up", []).append(
                pane.key("F3", "History")
            )
        with Pane([skinlog, "--db", str(journal)], _env(home)) as pane:
            pane.start("Today")
            time.sleep(READING)
            for visit in ("first", "again"):
                for key, expect, label in STEPS:
                    times.setdefault(f"{label} ({visit})", []).append(pane.key(key, expect))
    return times


def insights_times(skinlog: str, journal: Path, runs: int, work: Path) -> dict[str, list[float]]:
    """F11 to the Insights view on screen (saying it is working the evaluations out) and to its
    verdicts listed and charted, a person having read the first screen for READING seconds."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    times: dict[str, list[float]] = {}
    for _ in range(runs):
        with Pane([skinlog, "--db", str(journal)], _env(home)) as pane:
            pane.start("Today")
            time.sleep(READING)
            up, listed = pane.key_shown_then_settled("F11", "[F11 Insights]", "with enough data")
            times.setdefault("F11 Insights: the view up", []).append(up)
            times.setdefault("F11 Insights: the verdicts listed and charted", []).append(listed)
    return times
