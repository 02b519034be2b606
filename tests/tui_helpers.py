"""Building the app the way users get it, on real journal files, with a pinned 'today'."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from skinlog.services.demo import write_demo
from skinlog.storage import Journal
from skinlog.tui.app import SkinlogApp

PINNED_TODAY = date(2026, 11, 22)


def demo_journal(folder: Path) -> Path:
    path = folder / "demo.json"
    write_demo(str(path), end=PINNED_TODAY - timedelta(days=1))
    return path


def make_app(path: Path) -> SkinlogApp:
    return SkinlogApp(Journal(path), today=PINNED_TODAY, blink=False, defer_status=False)


def run(scenario) -> None:
    asyncio.run(scenario())
