"""A journal survives SIGKILL at any moment and two writers at once, losing nothing acknowledged."""

from __future__ import annotations

import json
import random
import shlex
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest

from skinlog.storage import Journal

WRITER = """
import sys
from datetime import date, timedelta
from skinlog.domain.entry import make_entry
import pytest

from skinlog.storage import Journal

journal = Journal(sys.argv[1])
print("ready", file=sys.stderr, flush=True)
first, step, count = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
for n in range(count):
    day = date(1900, 1, 1) + timedelta(days=first + n * step)
    journal.save_entry(make_entry(day, {"nose": n % 500, "chin": 1}, note="x" * (n % 7)))
    print(day.isoformat(), flush=True)
"""

KILLS = 40


def _collect(proc: subprocess.Popen, acked: list[str]) -> threading.Thread:
    def read() -> None:
        for line in proc.stdout:
            acked.append(line.strip())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_an_acknowledged_entry(tmp_path):
    path = tmp_path / "journal.json"
    rng = random.Random(7)
    acknowledged: set[str] = set()
    killed_mid_run = 0
    for round_no in range(KILLS):
        acked: list[str] = []
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(round_no * 700), "1", "700"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        reader = _collect(proc, acked)
        # the moment is random from when the writer has started, however slow the machine is
        assert proc.stderr.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.2))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
        reader.join(timeout=5)
        killed_mid_run += bool(acked)
        acknowledged.update(acked)
        if not acknowledged and not path.exists():
            continue  # killed before its first write (a loaded machine): nothing to lose yet
        # After every kill the journal opens, parses, and holds everything acknowledged so far.
        stored = {e.date.isoformat() for e in Journal(path).entries()}
        missing = acknowledged - stored
        assert not missing, f"round {round_no}: lost {sorted(missing)[:5]}"
        json.loads(path.read_bytes())
    assert killed_mid_run >= KILLS // 2, "most kills should land while entries are being written"


def test_two_processes_adding_at_once_lose_nothing(tmp_path):
    path = tmp_path / "journal.json"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(first), "2", "100"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for first in (0, 1)
    ]
    outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert len(outputs[0]) == len(outputs[1]) == 100
    stored = [e.date for e in Journal(path).entries()]
    assert len(stored) == 200
    assert stored == [date(1900, 1, 1) + timedelta(days=n) for n in range(200)]


def test_two_commands_merging_into_one_day_keep_every_change(tmp_path):
    from tests.helpers import skinlog_argv

    path = tmp_path / "journal.json"
    loop = (
        "for i in $(seq {first} 2 39); do {cmd} --db {db} add --date 2001-03-01 --merge {region}=1 "
        "-p P$i --new-product other >/dev/null || exit 1; done"
    )
    procs = [
        subprocess.Popen(
            ["bash", "-c", loop.format(first=first, cmd=shlex.join(skinlog_argv()), db=path, region=region)]
        )
        for first, region in ((0, "nose"), (1, "chin"))
    ]
    assert [p.wait(timeout=240) for p in procs] == [0, 0]
    (entry,) = Journal(path).entries()
    assert sorted(entry.products) == sorted(f"P{i}" for i in range(40))
    assert entry.counts == {"nose": 1, "chin": 1}
