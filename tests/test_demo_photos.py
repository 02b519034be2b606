"""The demo journal's drawn pictures: valid, the same on every run, dots following the counts."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from skinlog.services.demo import demo_entries, demo_photos
from skinlog.services.demo_photos import DOT, face_picture
from skinlog.services.photos import check_journal, list_photos
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY
from tests.tui_helpers import demo_journal


def white_pixels(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as image:
        raw = image.convert("RGB").tobytes()
    return sum(1 for at in range(0, len(raw), 3) if raw[at : at + 3] == DOT)


def test_the_demo_has_pictures_that_check_out(tmp_path):
    journal = Journal(demo_journal(tmp_path))
    photos = list_photos(journal)
    assert len(photos) == 4 and check_journal(journal).ok
    assert photos[-1].day == PINNED_TODAY - timedelta(days=1)
    assert all(p.regions == ("under_eye_left",) and p.media_type == "image/png" for p in photos)


def test_the_pictures_are_the_same_on_every_run_and_their_dots_follow_the_counts():
    end = PINNED_TODAY - timedelta(days=1)
    first, second = demo_photos(demo_entries(end)), demo_photos(demo_entries(end))
    assert [data for _, data in first] == [data for _, data in second]
    with Image.open(io.BytesIO(first[0][1])) as image:
        assert image.size == (320, 400) and image.format == "PNG"
    assert white_pixels(face_picture(0)) == 0
    assert white_pixels(face_picture(2, seed=5)) < white_pixels(face_picture(8, seed=5))


def test_demo_out_writes_the_pictures_beside_the_file(cli, tmp_path):
    out = tmp_path / "demo.json"
    assert cli("demo", "--out", str(out)).code == 0
    assert cli("check", db=out).code == 0
    assert len(list((tmp_path / "demo.json.photos").iterdir())) == 4
