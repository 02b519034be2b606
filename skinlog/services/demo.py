"""A realistic, seeded nine-month demo journal ending yesterday."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from skinlog.domain.entry import Entry, make_entry
from skinlog.domain.products import STARTER_CATALOGUE

DAYS = 273
SEED = 20261122

# The story, by day number from the first entry.
EYE_CREAM_DROPPED = 100
RETINOID_STARTED = 110
MISSED_WEEK = range(150, 157)
PICKING_DAY = 60
EXTRACTION_DAY = 200
CHEEK_FIRST = (78, 190)  # the left cheek gets bumps, then clears with the retinoid
CHEEK_RETURNS = DAYS - 10  # ... and a few come back in the last ten days

NOTES = {
    0: "Started logging. Small white bumps under both eyes for months already.",
    CHEEK_FIRST[0]: "First ones on the left cheek, never had them there before.",
    PICKING_DAY: "Picked at two under the left eye; they went red.",
    EYE_CREAM_DROPPED: "Stopped the rich eye cream.",
    RETINOID_STARTED: "Started adapalene at night.",
    MISSED_WEEK.stop: "Back from a week away; did not log.",
    EXTRACTION_DAY: "Dermatologist extracted the eyelid ones.",
    CHEEK_RETURNS: "A couple of new ones on the left cheek again.",
}


def demo_entries(end: date, seed: int = SEED) -> list[Entry]:
    """The demo story as entries, the last one on ``end``."""
    rng = random.Random(seed)
    start = end - timedelta(days=DAYS - 1)
    entries = []
    for day in range(DAYS):
        if day in MISSED_WEEK:
            continue
        # Eye-area load rises under the heavy cream, then falls slowly on the retinoid.
        if day < RETINOID_STARTED:
            load = 1.0 + day / 200
        else:
            load = max(0.25, 1.55 - (day - RETINOID_STARTED) / 120)

        def bumps(base: float, load: float = load) -> int:
            return max(0, round(base * load + rng.randint(-1, 1)))

        counts = {
            "under_eye_left": max(1, bumps(5)),
            "under_eye_right": bumps(3),
            "eyelid_left": bumps(3) if day < EXTRACTION_DAY else rng.choice((0, 0, 0, 1)),
            "eyelid_right": bumps(1.5),
            "nose": rng.choice((0, 0, 0, 1)),
        }
        if CHEEK_FIRST[0] <= day < CHEEK_FIRST[1]:
            counts["cheek_left"] = max(0, round(3 * load) + rng.randint(-1, 1))
        if day >= CHEEK_RETURNS:
            counts["cheek_left"] = rng.randint(1, 3)

        products = ["Gentle cleanser", "Sunscreen SPF 30+"]
        if day < EYE_CREAM_DROPPED:
            products += ["Eye cream", "Occlusive cream"] if day % 3 == 0 else ["Eye cream"]
        else:
            products.append("Light moisturizer")
        if day >= RETINOID_STARTED and rng.random() < 0.86:
            products.append("Adapalene")
        if day % 9 == 4:
            products.append("Glycolic acid")

        picked = day == PICKING_DAY
        entries.append(
            make_entry(
                start + timedelta(days=day),
                counts,
                products,
                symptoms={"redness": 2 if picked else 0, "itch": 1 if rng.random() < 0.05 else 0},
                picked=picked,
                procedure="extraction" if day == EXTRACTION_DAY else "none",
                note=NOTES.get(day, ""),
            )
        )
    return entries


def write_demo(path: str, end: date) -> int:
    """Write the demo journal to ``path`` (a new file); returns the number of entries."""
    from skinlog.storage import Journal

    entries = demo_entries(end)
    journal = Journal(path)
    journal.replace_all(entries, list(STARTER_CATALOGUE), {})
    return len(entries)


def demo_journal_bytes(end: date) -> tuple[int, bytes]:
    """The demo journal file's bytes (built in a private temporary folder) and its entry count."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="skinlog-demo-") as folder:
        path = os.path.join(folder, "journal.json")
        count = write_demo(path, end)
        with open(path, "rb") as handle:
            return count, handle.read()


@contextmanager
def throwaway_demo() -> Iterator[str]:
    """The path of a fresh demo journal (ending yesterday) in a private temporary folder, which
    is removed with everything in it when the block ends: ``skinlog --demo`` and the welcome's
    demo both use it."""
    import os
    import shutil
    import tempfile
    from datetime import timedelta

    from skinlog.domain.dates import today

    folder = tempfile.mkdtemp(prefix="skinlog-demo-")
    try:
        path = os.path.join(folder, "journal.json")
        write_demo(path, end=today() - timedelta(days=1))
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)
