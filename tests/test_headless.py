"""Commands that draw nothing never import Textual or plotext (start-up time)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from skinlog.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "plotext", "textual_plotext", "rich"))
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["add", "nose=1"],
        ["show", "today"],
        ["products"],
        ["regions"],
        ["week"],
        ["flags"],
        ["flags", "--json"],
        ["insights"],
        ["settings"],
        ["export"],
        ["export", "--format", "fhir"],
        ["export", "--format", "md"],
    ],
    ids=lambda a: " ".join(a),
)
def test_non_drawing_commands_import_no_textual_or_plotext(tmp_path, argv):
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
    assert report["code"] in (0, 1)
    assert report["heavy"] == []


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
