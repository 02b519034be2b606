"""photo add killed at any moment never leaves the journal naming a missing file; two processes
adding photos at once both land."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image

from skinlog.services.photos import check_journal, list_photos
from skinlog.storage import Journal

ADDER = """
import sys
from skinlog.services.photo_add import add_photos
from skinlog.storage import Journal

journal = Journal(sys.argv[1])
print("ready", file=sys.stderr, flush=True)
for path in sys.argv[2:]:
    [added] = add_photos(journal, [path])
    print(added.photo.id, flush=True)
"""


def pictures(folder, first: int, count: int, size=(320, 240)) -> list[str]:
    paths = []
    for n in range(first, first + count):
        path = folder / f"p{n}.jpg"
        image = Image.new("RGB", size, (40, 80, 120))
        image.paste((255, 255, 255), (n % 300, n // 300, n % 300 + 8, n // 300 + 8))  # a dot where n says
        image.save(path, quality=90)
        paths.append(str(path))
    return paths


@pytest.mark.slow
def test_sigkill_during_photo_add_never_leaves_a_dangling_reference(tmp_path):
    path = tmp_path / "journal.json"
    rng = random.Random(12)
    acknowledged: set[str] = set()
    for round_no in range(12):
        sources = pictures(tmp_path, round_no * 40, 40)
        proc = subprocess.Popen(
            [sys.executable, "-c", ADDER, str(path), *sources],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acknowledged.update(out.split())
        if not path.exists():
            continue
        journal = Journal(path)
        report = check_journal(journal)
        assert report.ok, f"round {round_no}: {report.problems[:3]}"  # every record's file is there, whole
        assert acknowledged <= {p.id for p in list_photos(journal)}
    assert acknowledged, "some photos should have been added before the kills"


def test_two_processes_adding_photos_at_once_both_land(tmp_path):
    path = tmp_path / "journal.json"
    batches = [pictures(tmp_path, 0, 12), pictures(tmp_path, 100, 12)]
    procs = [
        subprocess.Popen([sys.executable, "-c", ADDER, str(path), *batch], stdout=subprocess.PIPE, text=True)
        for batch in batches
    ]
    outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    journal = Journal(path)
    assert {p.id for p in list_photos(journal)} == set(outputs[0]) | set(outputs[1])
    assert len(list_photos(journal)) == 24 and check_journal(journal).ok
