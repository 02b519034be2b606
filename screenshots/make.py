"""Write an SVG screenshot of every view of the real app on the demo journal, and the visit report.

    python screenshots/make.py [--size 100x32] [--png] [--report-only]

The demo journal ends the day before a fixed date, so the pictures do not change from day to day.
With --png (needs cairosvg) a PNG is written next to each SVG. The visit report's page is drawn
as report.png (with pypdfium2, from the test extra).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

PINNED_TODAY = date(2026, 11, 22)


def shots() -> list[tuple[str, str]]:
    """(name, key) of every view, then the help (the first-run welcome is taken apart). Today is taken after the other views: it types
    counts, and the other views would then show the title's unsaved-changes mark."""
    from skinlog.tui.views import VIEWS

    views = sorted(VIEWS, key=lambda view: view.id == "today")
    return [(view.id, view.key) for view in views] + [("help", "f1")]


async def shoot(size: tuple[int, int], out: Path, suffix: str) -> list[Path]:
    from skinlog.services.demo import write_demo
    from skinlog.tui.app import make_app

    written = []
    os.environ["SKINLOG_IMAGES"] = "halfblock"  # the same cells on every machine
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "journal.json")
        # preferences of the person running this (a remembered Trends range...) stay out of it
        os.environ.update(HOME=folder, XDG_CONFIG_HOME=os.path.join(folder, ".config"))
        write_demo(path, end=PINNED_TODAY - timedelta(days=1))
        app = make_app(path, today=PINNED_TODAY, blink=False, defer_status=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for name, key in shots():
                await pilot.press(key)
                await pilot.pause(0.3)
                await app.workers.wait_for_complete()  # a view that works things out in a thread
                await pilot.pause()
                if name == "today":
                    await pilot.press("right", "down", "3", "down", "plus", "plus")
                    await pilot.pause()
                target = out / f"{name}{suffix}.svg"
                target.write_text(app.export_screenshot(title=f"skinlog: {name}"))
                written.append(target)
                if name == "help":
                    await pilot.press("escape")
                if name == "photos":  # compare mode: the earliest and the latest of a region
                    await pilot.press("c")
                    await pilot.pause(0.3)
                    target = out / f"compare{suffix}.svg"
                    target.write_text(app.export_screenshot(title="skinlog: compare"))
                    written.append(target)
                    await pilot.press("escape")
        # the first run: the welcome shown while the journal does not exist yet (nothing is
        # written before a day is saved; the paths shown are those of a typical home folder)
        home = "/home/you"
        os.environ.update(HOME=home, XDG_CONFIG_HOME=f"{home}/.config")
        app = make_app(f"{home}/.local/share/skinlog/journal.json", today=PINNED_TODAY, blink=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.3)
            await pilot.wait_for_scheduled_animations()
            target = out / f"welcome{suffix}.svg"
            target.write_text(app.export_screenshot(title="skinlog: first run"))
            written.append(target)
    return written


def shoot_report(out: Path, suffix: str) -> Path:
    """The demo's visit report (``skinlog report``), its page drawn as a PNG."""
    import pypdfium2

    from skinlog.services.demo import write_demo
    from skinlog.services.report import render_report
    from skinlog.storage import Journal

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "journal.json")
        write_demo(path, end=PINNED_TODAY - timedelta(days=1))
        pdf = render_report(Journal(path), PINNED_TODAY)
    page = pypdfium2.PdfDocument(pdf)[0]
    target = out / f"report{suffix}.png"
    page.render(scale=150 / 72).to_pil().convert("L").save(target, optimize=True)  # 150 dpi
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100x32", help="terminal size, COLUMNSxROWS (default 100x32)")
    parser.add_argument("--out", default=str(HERE), help="folder (default: screenshots/)")
    parser.add_argument("--png", action="store_true", help="also write PNGs (needs cairosvg)")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. -80x24")
    parser.add_argument("--report-only", action="store_true", help="only the visit report's page")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    written = [] if args.report_only else asyncio.run(shoot((columns, rows), out, args.suffix))
    if args.png:
        import cairosvg

        for svg in written:
            cairosvg.svg2png(url=str(svg), write_to=str(svg.with_suffix(".png")))
    written.append(shoot_report(out, args.suffix))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
