"""Commands that draw nothing never import Textual, plotext, Pillow or textual-image (start-up time);
the app imports Pillow and textual-image only when a view that shows photos opens."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from skinlog.cli import main
code = main(sys.argv[1:])
heavy = sorted(
    m for m in sys.modules
    if m.split(".")[0]
    in ("textual", "plotext", "textual_plotext", "rich", "PIL", "pillow_heif", "textual_image", "typst", "matplotlib")
)
numeric = sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "scipy") or m == "skinlog.domain.effects")
print(json.dumps({"code": code, "heavy": heavy, "numeric": numeric}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["list"], 0),
        (["list", "--json"], 0),
        (["add", "nose=1"], 0),
        (["show", "yesterday"], 0),
        (["show", "today"], 1),  # nothing logged today: the refusal imports nothing heavy either
        (["products"], 0),
        (["regions"], 0),
        (["week"], 0),
        (["flags"], 0),
        (["flags", "--json"], 0),
        (["insights"], 0),
        (["effect", "--all"], 0),
        (["effect", "--all", "--json"], 0),
        (["settings"], 0),
        (["export"], 0),
        (["export", "--format", "fhir"], 0),
        (["export", "--format", "md"], 0),
        (["export", "--format", "csv"], 0),
        (["photo", "list"], 0),
        (["photo", "list", "--json"], 0),
        (["photo", "remove", "abcdef", "--yes"], 1),  # no such photo
        (["check"], 0),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else str(a),
)
def test_non_drawing_commands_import_no_textual_or_plotext(tmp_path, argv, code):
    db = tmp_path / "journal.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), "add", "--date", "-1", "chin=1"],
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), *argv], capture_output=True, text=True
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == code, proc.stderr
    assert report["heavy"] == []
    # the effect estimates' numerics: only the commands that show evaluations load them
    evaluates = argv[0] in ("effect",) or argv[:1] == ["export"] and argv[-1] not in ("fhir", "csv")
    assert bool(report["numeric"]) == evaluates, report["numeric"]


def test_plot_is_the_command_that_imports_plotext(tmp_path):
    db = tmp_path / "journal.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), "add", "chin=1"], check=True, capture_output=True
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), "plot", "--width", "60", "--height", "12"],
        capture_output=True,
        text=True,
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert "plotext" in report["heavy"] and not any(m.startswith("textual") for m in report["heavy"])


FIRST_SCREEN = """
import asyncio, json, sys
from pathlib import Path
from skinlog.tui.app import make_app

def pictures():
    return sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("PIL", "textual_image")})

async def main():
    app = make_app(Path(sys.argv[1]), blink=False, welcome=False)
    seen = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)  # the first screen, its status and the idle warm-up
        seen["first"] = pictures()
        await pilot.press("f3")
        await pilot.pause()
        seen["history"] = pictures()
        await pilot.press("f10")
        await pilot.pause()
        seen["photos"] = pictures()
    print(json.dumps(seen), file=sys.stderr)

asyncio.run(main())
"""


def test_the_app_imports_pillow_and_textual_image_only_when_photos_open(tmp_path):
    db = tmp_path / "journal.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), "add", "--date", "-1", "chin=1"],
        check=True,
        capture_output=True,
    )
    from tests.helpers import PINNED_TODAY
    from tests.photo_helpers import add_picture

    add_picture(db, PINNED_TODAY, ("chin",))
    proc = subprocess.run([sys.executable, "-c", FIRST_SCREEN, str(db)], capture_output=True, text=True)
    seen = json.loads(proc.stderr.strip().splitlines()[-1])
    assert seen == {"first": [], "history": [], "photos": ["PIL", "textual_image"]}


APP_PROBE = """
import asyncio, json, sys
from skinlog.services.demo import throwaway_demo
from skinlog.tui.app import make_app

async def first_screen(path):
    app = make_app(path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()

with throwaway_demo() as path:
    asyncio.run(first_screen(path))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("PIL", "pillow_heif", "typst", "matplotlib"))), file=sys.stderr)
"""


def test_the_demo_and_the_apps_first_screen_import_no_pillow_typst_or_matplotlib(tmp_path):
    proc = subprocess.run([sys.executable, "-c", APP_PROBE], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == []


INSIGHTS_PROBE = """
import asyncio, json, sys
from skinlog.services.demo import throwaway_demo
from skinlog.tui.app import make_app

def numeric():
    return sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "scipy") or m == "skinlog.domain.effects")

async def run(path):
    app = make_app(path)
    seen = {}
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        seen["first screen"] = numeric()
        for _ in range(600):  # the other views are made in idle moments meanwhile
            if "insights" in app._screen_stacks:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.5)
        seen["views made ahead"] = numeric()
        seen["made"] = sorted(app._screen_stacks)
        await pilot.press("f11")
        for _ in range(600):
            if app.screen.state != "working":
                break
            await pilot.pause(0.05)
        seen["insights"] = numeric()
        seen["state"] = app.screen.state
    return seen

with throwaway_demo() as path:
    print(json.dumps(asyncio.run(run(path))), file=sys.stderr)
"""


def test_numpy_waits_until_the_insights_view_is_opened():
    proc = subprocess.run([sys.executable, "-c", INSIGHTS_PROBE], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stderr.strip().splitlines()[-1])
    assert seen["first screen"] == []
    assert "insights" in seen["made"]  # made ahead of time, yet nothing evaluated
    # (numpy itself may be there by then: the Photos view made ahead loads the picture drawing,
    # which imports it for Sixel; the evaluations must wait for the view to open)
    assert "skinlog.domain.effects" not in seen["views made ahead"]
    assert seen["state"] == "ready"
    assert "numpy" in seen["insights"] and "skinlog.domain.effects" in seen["insights"]


def test_report_is_the_command_that_imports_typst_and_matplotlib(tmp_path):
    db = tmp_path / "journal.json"
    subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), "add", "--date", "-1", "chin=1"],
        check=True,
        capture_output=True,
    )
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db), "report", "-o", str(tmp_path / "v.pdf")],
        capture_output=True,
        text=True,
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report["code"] == 0, proc.stderr
    tops = {m.split(".")[0] for m in report["heavy"]}
    assert {"typst", "matplotlib"} <= tops and not tops & {"textual", "plotext", "rich"}
