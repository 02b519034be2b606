"""The Photos view on 1,000 photos in a real terminal (tmux): opening it, and each step in compare
mode, with the thumbnails already cached (they are made once per photo and kept).

    python -m benchmarks.photos [--photos 1000] [--steps 20]

Each picture is a 1600x1200 JPEG of its own (noise and spots: no two alike, and not trivially
small once compressed), stored the way ``skinlog photo add`` stores it. Times are from the key
sent to the last change of the pane (see ``benchmarks/terminal.py``), so they carry a few
milliseconds of polling.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks.terminal import Pane, Server, _capture, _env

SEED = 12


def jpeg(n: int) -> bytes:
    from PIL import Image, ImageDraw

    rng = random.Random(SEED + n)
    image = Image.effect_noise((1600, 1200), 40).convert("RGB")
    tint = Image.new(
        "RGB", image.size, (rng.randrange(120, 230), rng.randrange(90, 180), rng.randrange(80, 160))
    )
    image = Image.blend(image, tint, 0.7)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randrange(3, 12)):
        x, y = rng.randrange(100, 1500), rng.randrange(100, 1100)
        draw.ellipse((x - 25, y - 25, x + 25, y + 25), fill=(250, 245, 230))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def build(path: Path, count: int, today: date) -> None:
    """A journal with ``count`` photos of the chin, one a day back from yesterday."""
    from skinlog.domain.photos import Photo, photo_id
    from skinlog.storage import Journal
    from skinlog.storage.photos import store_photo_bytes

    journal = Journal(path)
    with journal.transaction():
        for n in range(count):
            data = jpeg(n)
            sha = hashlib.sha256(data).hexdigest()
            day = today - timedelta(days=count - n)
            photo = Photo(
                photo_id(sha), day, ("chin",), "", "image/jpeg", 1600, 1200, len(data), sha,
                f"{day.isoformat()}T08:00:00+00:00",
            )  # fmt: skip
            store_photo_bytes(path, data, photo.file_name)
            journal.add_photo(photo)


def warm(path: Path) -> None:
    """Make every thumbnail and large copy, as browsing the view once would."""
    from skinlog.services.thumbnails import PREVIEW, THUMB, thumbnail
    from skinlog.storage import Journal
    from skinlog.storage.photos import photo_file

    for photo in Journal(path).photos():
        for box in (THUMB, PREVIEW):
            thumbnail(photo_file(path, photo), photo.sha256, box)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args(argv)
    skinlog = shutil.which("skinlog", path=os.path.dirname(sys.executable)) or "skinlog"
    today = date(2026, 11, 22)
    with tempfile.TemporaryDirectory(prefix="skinlog-photos-bench-") as work:
        home = Path(work) / "home"
        home.mkdir()
        os.environ["XDG_CACHE_HOME"] = str(home / ".cache")  # the pane's skinlog uses the same cache
        journal = Path(work) / "journal.json"
        build(journal, args.photos, today)
        warm(journal)
        env = {**_env(home), "SKINLOG_TODAY": today.isoformat(), "XDG_CACHE_HOME": str(home / ".cache")}
        with Server(), Pane([skinlog, "--db", str(journal)], env) as pane:
            pane.start("Today")
            opened = pane.key("F10", "photos, newest first")
            compare = pane.key("c", "Comparing")
            steps = []
            for k in range(args.steps):
                steps.append(pane.key("Left", f"{args.photos - k - 1}/{args.photos}"))
            print(_capture(pane.session).splitlines()[3])
    print(f"Photos view, {args.photos} photos, thumbnails cached: open {opened * 1000:.0f} ms")
    print(f"compare mode: open {compare * 1000:.0f} ms")
    print(
        f"compare step ({args.steps} keys): median {statistics.median(steps) * 1000:.0f} ms, "
        f"max {max(steps) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
