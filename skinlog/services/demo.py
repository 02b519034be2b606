"""A realistic, seeded nine-month demo journal ending yesterday."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TYPE_CHECKING

from skinlog.domain.entry import Entry, make_entry
from skinlog.domain.products import STARTER_CATALOGUE

if TYPE_CHECKING:
    from skinlog.domain.photos import Photo

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


# The days (by day number) the demo has a picture of, each with its note.
PHOTO_DAYS = {
    0: "The first day of the log.",
    EYE_CREAM_DROPPED: "The day I stopped the rich eye cream.",
    RETINOID_STARTED + 60: "Two months of adapalene.",
    DAYS - 1: "",
}


def demo_photos(entries: list[Entry]) -> list[tuple[Photo, bytes]]:
    """The demo's drawn pictures of the left under-eye area, each with its record: as many
    white dots as that day's count there. Their bytes are the same on every run."""
    from skinlog.domain.photos import Photo, photo_id
    from skinlog.services.demo_photos import HEIGHT, WIDTH, face_picture
    from skinlog.storage.photos import sha256_hex

    start = entries[-1].date - timedelta(days=DAYS - 1)
    by_date = {e.date: e for e in entries}
    photos = []
    for number, note in PHOTO_DAYS.items():
        day = start + timedelta(days=number)
        entry = by_date.get(day)
        if entry is None:
            continue
        data = face_picture(entry.counts.get("under_eye_left", 0), seed=number)
        sha = sha256_hex(data)
        added = f"{day.isoformat()}T08:30:00+00:00"
        region = ("under_eye_left",)
        photos.append(
            (Photo(photo_id(sha), day, region, note, "image/png", WIDTH, HEIGHT, len(data), sha, added), data)
        )
    return photos


def store_demo_photos(path: str, photos: list[tuple[Photo, bytes]]) -> None:
    """Write the demo's pictures into the photo folder of the journal at ``path``."""
    from skinlog.storage.photos import store_photo_bytes

    for photo, data in photos:
        store_photo_bytes(path, data, photo.file_name)


def write_demo(path: str, end: date) -> int:
    """Write the demo journal, with its pictures, to ``path`` (a new file); returns the number
    of entries."""
    from skinlog.storage import Journal

    entries = demo_entries(end)
    journal = Journal(path)
    photos = demo_photos(entries)
    store_demo_photos(journal.path, photos)  # the files first: the journal then refers to them
    with journal.transaction(what=f"replaced the journal with {len(entries)} days"):
        journal.replace_all(entries, list(STARTER_CATALOGUE), {})
        for photo, _data in photos:
            journal.add_photo(photo)
    return len(entries)


def demo_journal_bytes(end: date) -> tuple[int, bytes]:
    """The demo journal file's bytes (built in a private temporary folder) and its entry count.
    Its pictures are ``demo_photos(demo_entries(end))``: ``store_demo_photos`` writes them beside
    wherever the bytes are put."""
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
