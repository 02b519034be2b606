"""Building the app the way users get it, on real journal files, with a pinned 'today'."""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from skinlog.services.demo import write_demo
from skinlog.tui import app as tui_app
from skinlog.tui.app import SkinlogApp
from tests.helpers import PINNED_TODAY


def demo_journal(folder: Path) -> Path:
    path = folder / "demo.json"
    write_demo(str(path), end=PINNED_TODAY - timedelta(days=1))
    return path


def make_app(path: Path, **options: Any) -> SkinlogApp:
    """The real app on ``path`` (from the app's own factory), dated PINNED_TODAY unless given a
    ``today`` or a ``clock``, with steady cursors, the status worked out at once and no first-run
    welcome (unless ``welcome=True``); every
    notification it shows is kept in ``app.notices``."""
    options.setdefault("today", None if "clock" in options else PINNED_TODAY)
    options.setdefault("blink", False)
    options.setdefault("defer_status", False)
    options.setdefault("welcome", False)  # the first-run welcome has its own tests
    app = tui_app.make_app(path, **options)
    app.notices = []  # type: ignore[attr-defined]
    show = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        app.notices.append(str(message))  # type: ignore[attr-defined]
        show(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return app


@asynccontextmanager
async def open_app(
    path: Path,
    *,
    size: tuple[int, int] = (100, 32),
    notifications: bool = False,
    stamp_every: float | None = None,
    clock_every: float | None = None,
    **options: Any,
) -> AsyncIterator[tuple[SkinlogApp, Pilot[None]]]:
    """Run ``make_app(path, **options)`` headless at ``size``; yields the app and its Pilot.
    ``stamp_every`` and ``clock_every`` make the app look at the file and the clock that often."""
    app = make_app(path, **options)
    if stamp_every is not None:
        app.STAMP_EVERY = stamp_every
    if clock_every is not None:
        app.CLOCK_EVERY = clock_every
    async with app.run_test(size=size, notifications=notifications) as pilot:
        yield app, pilot


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
