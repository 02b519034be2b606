"""One process: start, show the first screen (run_test + first pause), stop.

python benchmarks/first_screen.py minimal
python benchmarks/first_screen.py skinlog JOURNAL
python benchmarks/first_screen.py trends JOURNAL    (prints ms to switch to 1y and to all)
"""

from __future__ import annotations

import asyncio
import sys
import time


async def minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

    async with Minimal().run_test(size=(100, 32)) as pilot:
        await pilot.pause()


async def skinlog(path: str) -> None:
    from skinlog.tui.app import make_app

    async with make_app(path).run_test(size=(100, 32)) as pilot:
        await pilot.pause()


async def trends(path: str) -> None:
    from skinlog.tui.app import make_app

    async with make_app(path).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        timings = []
        for keys in (("f4",), ("3",), ("4",)):
            start = time.perf_counter()
            await pilot.press(*keys)
            await pilot.pause()
            timings.append((time.perf_counter() - start) * 1000)
        print(" ".join(f"{t:.1f}" for t in timings))


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "minimal":
        asyncio.run(minimal())
    elif kind == "skinlog":
        asyncio.run(skinlog(sys.argv[2]))
    else:
        asyncio.run(trends(sys.argv[2]))
