"""The pinned date, how to run the checkout's skinlog in another process, and small builders for
hand-made journals."""

from __future__ import annotations

import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from skinlog.domain.entry import Entry, make_entry

CHECKOUT = Path(__file__).resolve().parent.parent

# "Today" for every test: tests/conftest.py puts it in SKINLOG_TODAY before each test, so the
# code under test (in this process and in the ones it starts) never reads the real clock. Not
# the day the suite was written on, so a test that still reads the clock fails on any other day.
PINNED_TODAY = date(2026, 11, 22)  # a Sunday; the app's tests pin the same day
PINNED_YESTERDAY = PINNED_TODAY - timedelta(days=1)
PINNED_TOMORROW = PINNED_TODAY + timedelta(days=1)


def skinlog_argv(*args: str) -> list[str]:
    """The command line that runs skinlog in another process: this interpreter and the
    checkout's code (tests/conftest.py puts the checkout first on PYTHONPATH), never a copy
    installed earlier."""
    return [sys.executable, "-m", "skinlog", *args]


_LOADED = re.compile(r"(\S*)/skinlog/__init__\.py\b")


def skinlog_loaded_from(verbose_stderr: str) -> set[Path]:
    """The folders a process started with ``PYTHONVERBOSE=1`` imported the skinlog package
    from, read from what Python reports about each import."""
    return {Path(folder or ".").resolve() for folder in _LOADED.findall(verbose_stderr)}


TODAY = date(2026, 6, 15)  # a Monday; the hand-made journals below pass it explicitly


def day(offset: int) -> date:
    """``offset`` days before TODAY."""
    return TODAY - timedelta(days=offset)


def entry(offset: int, products=(), **counts) -> Entry:
    symptoms = {k: counts.pop(k) for k in ("redness", "itch", "pain") if k in counts}
    picked = counts.pop("picked", False)
    return make_entry(day(offset), counts, products, symptoms=symptoms, picked=picked)


def daily(first: int, last: int, step: int = 1, products=(), **counts) -> list[Entry]:
    """Entries every ``step`` days from ``first`` days ago down to ``last`` days ago."""
    return [entry(o, products, **counts) for o in range(first, last - 1, -step)]


def read_terminal(leader: int) -> bytes:
    """Everything written to a pseudo-terminal until its other end is closed."""
    out = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # Linux says EIO once the other end is gone
            break
        if not chunk:
            break
        out += chunk
    return out
