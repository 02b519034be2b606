"""Building the app the way users get it, on real journal files, with a pinned 'today'."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from skinlog.services.demo import write_demo
from skinlog.storage import Journal
from skinlog.tui.app import SkinlogApp

PINNED_TODAY = date(2026, 11, 22)


def demo_journal(folder: Path) -> Path:
    path = folder / "demo.json"
    write_demo(str(path), end=PINNED_TODAY - timedelta(days=1))
    return path


def make_app(path: Path, **options: Any) -> SkinlogApp:
    """The real app on ``path``; every notification it shows is kept in ``app.notices``."""
    options.setdefault("today", None if "clock" in options else PINNED_TODAY)
    app = SkinlogApp(Journal(path), blink=False, defer_status=False, **options)
    app.notices = []  # type: ignore[attr-defined]
    show = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        app.notices.append(str(message))  # type: ignore[attr-defined]
        show(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return app


def screen_text(app: SkinlogApp) -> str:
    """Everything on the screen now, as the person reads it (from the app's own screenshot)."""
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))).replace("\xa0", " ")


async def wait_until(pilot: Any, condition: Callable[[], object], timeout: float = 10.0) -> None:
    """Let the app run (its timers included) until ``condition()`` holds; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s")
        await pilot.pause(0.05)
    await pilot.pause()


def run(scenario) -> None:
    asyncio.run(scenario())
