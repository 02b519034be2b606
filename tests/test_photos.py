"""photo add / list / show / remove and skinlog check, on real pictures made with Pillow."""

from __future__ import annotations

import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from skinlog.storage.photos import photo_dir
from tests.helpers import PINNED_TODAY

GPS_IFD, EXIF_IFD = 0x8825, 0x8769
ORIENTATION, MAKE, MODEL, SOFTWARE, DATE_TIME = 0x0112, 0x010F, 0x0110, 0x0131, 0x0132
DATE_TIME_ORIGINAL, BODY_SERIAL = 0x9003, 0xA431
TAKEN = PINNED_TODAY - timedelta(days=12)


def picture(size=(64, 48), colour=(200, 120, 90)) -> Image.Image:
    """A picture with a marker in its top-left corner, so turning it can be seen."""
    image = Image.new("RGB", size, colour)
    image.paste((0, 0, 255), (0, 0, size[0] // 4, size[1] // 4))
    return image


def camera_exif(orientation: int = 6, taken=TAKEN) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[MAKE], exif[MODEL], exif[SOFTWARE] = "PhoneMaker", "Model X-SECRET", "firmware 1.2"
    exif[DATE_TIME] = "2026:11:01 08:00:00"
    details = exif.get_ifd(EXIF_IFD)
    details[DATE_TIME_ORIGINAL] = taken.strftime("%Y:%m:%d 09:41:00")
    details[BODY_SERIAL] = "SN-123456789"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 22.0, 7.5), "E", (4.0, 53.0, 1.2)
    return exif


def write_jpeg(path: Path, **kw) -> Path:
    picture().save(path, "JPEG", exif=camera_exif(**kw), quality=95, comment=b"secret comment")
    return path


def state(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (the journal, backups and photo folder) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(journal_path: Path) -> Path:
    journal_path.parent.mkdir(parents=True, exist_ok=True)
    return journal_path.parent


def stored_files(journal_path: Path) -> list[Path]:
    folder = photo_dir(journal_path)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_jpeg_is_stored_upright_dated_when_taken_and_without_any_metadata(cli, journal_path, tmp_path):
    source = write_jpeg(tmp_path / "IMG_0001.jpg")
    result = cli(
        "photo", "add", str(source), "--region", "forehead", "--region", "cheek-l", "--note", "after"
    )
    assert result.code == 0, result.err
    [listed] = json.loads(cli("photo", "list", "--json").out)
    assert listed["date"] == TAKEN.isoformat()  # EXIF DateTimeOriginal
    assert listed["regions"] == ["forehead", "cheek_left"] and listed["note"] == "after"
    [file] = stored_files(journal_path)
    raw = file.read_bytes()
    assert file.name == listed["sha256"] + ".jpg" and listed["size"] == len(raw)
    for secret in (b"PhoneMaker", b"SECRET", b"SN-123456789", b"firmware", b"2026:1", b"secret comment"):
        assert secret not in raw
    assert b"Exif" not in raw and b"http://ns.adobe.com/xap" not in raw
    with Image.open(file) as stored:
        assert stored.format == "JPEG" and not stored.getexif() and "icc_profile" not in stored.info
        assert not stored.applist or all(marker != "APP1" for marker, _ in stored.applist)
        # orientation 6: the picture was turned a quarter clockwise, so 64x48 becomes 48x64 and
        # the marker (top left) is now at the top right
        assert stored.size == (48, 64) == (listed["width"], listed["height"])
        assert stored.convert("RGB").getpixel((44, 2))[2] > 200
        assert stored.convert("RGB").getpixel((2, 2))[2] < 150
    assert file.stat().st_mode & 0o777 == 0o600 and file.parent.stat().st_mode & 0o777 == 0o700


def test_png_and_webp_stay_what_they_are_and_lose_their_text(cli, journal_path, tmp_path):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Jane Secret")
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS secret</x:xmpmeta>")
    png = tmp_path / "a.png"
    picture(colour=(1, 2, 3)).save(png, pnginfo=text, exif=camera_exif())
    webp = tmp_path / "b.webp"
    picture(colour=(9, 9, 9)).save(
        webp, exif=camera_exif(orientation=1), xmp=b"<x>Jane Secret</x>", lossless=True
    )
    assert cli("photo", "add", str(png), str(webp), "--date", "2026-11-01").code == 0
    kinds = {p.suffix: p.read_bytes() for p in stored_files(journal_path)}
    assert set(kinds) == {".png", ".webp"}
    for raw in kinds.values():
        assert b"Jane Secret" not in raw and b"PhoneMaker" not in raw and b"GPS secret" not in raw
        assert b"eXIf" not in raw and b"tEXt" not in raw and b"iTXt" not in raw and b"EXIF" not in raw
    with Image.open(io.BytesIO(kinds[".png"])) as stored:
        assert stored.format == "PNG" and stored.size == (48, 64) and not stored.text
    with Image.open(io.BytesIO(kinds[".webp"])) as stored:
        assert stored.format == "WEBP" and stored.size == (64, 48)
        # a lossless WebP stays lossless: the very same pixels
        assert not ImageChops.difference(stored.convert("RGB"), picture(colour=(9, 9, 9))).getbbox()


def test_heic_is_stored_as_jpeg(cli, journal_path, tmp_path):
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    source = tmp_path / "IMG_1.HEIC"
    picture().save(source, "HEIF", exif=camera_exif(orientation=1))
    result = cli("photo", "add", str(source), "--date", "2026-11-02")
    assert result.code == 0, result.err
    [file] = stored_files(journal_path)
    assert file.suffix == ".jpg" and b"PhoneMaker" not in file.read_bytes()


def test_the_date_given_wins_and_without_exif_it_is_today(cli, tmp_path):
    write_jpeg(tmp_path / "a.jpg")
    picture(colour=(5, 5, 5)).save(tmp_path / "b.jpg")
    assert cli("photo", "add", str(tmp_path / "a.jpg"), "--date", "2026-10-01").code == 0
    assert cli("photo", "add", str(tmp_path / "b.jpg")).code == 0
    dates = [p["date"] for p in json.loads(cli("photo", "list", "--json").out)]
    assert dates == ["2026-10-01", PINNED_TODAY.isoformat()]


def test_the_same_picture_twice_is_stored_once_and_says_so(cli, data, journal_path, tmp_path):
    source = write_jpeg(tmp_path / "a.jpg")
    assert cli("photo", "add", str(source)).code == 0
    before = state(data)
    again = cli("photo", "add", str(source), "--region", "nose")
    assert again.code == 0 and again.out.startswith("Already in the journal")
    assert state(data) == before


def test_add_is_one_undoable_change(cli, data, journal_path, tmp_path):
    write_jpeg(tmp_path / "a.jpg")
    picture(colour=(5, 5, 5)).save(tmp_path / "b.png")
    assert cli("photo", "add", str(tmp_path / "a.jpg"), str(tmp_path / "b.png")).code == 0
    assert cli("undo", "--yes").code == 0
    assert json.loads(cli("photo", "list", "--json").out) == []
    assert cli("undo", "--redo", "--yes").code == 0
    assert len(json.loads(cli("photo", "list", "--json").out)) == 2


def test_list_filters_and_remove_asks_and_is_undoable(cli, journal_path, tmp_path):
    write_jpeg(tmp_path / "a.jpg")
    picture(colour=(5, 5, 5)).save(tmp_path / "b.png")
    cli("photo", "add", str(tmp_path / "a.jpg"), "--region", "nose")
    cli("photo", "add", str(tmp_path / "b.png"), "--region", "chin", "--date", "2026-11-20")
    assert [p["regions"] for p in json.loads(cli("photo", "list", "--json", "--region", "nose").out)] == [
        ["nose"]
    ]
    assert len(json.loads(cli("photo", "list", "--json", "--since", "2026-11-15").out)) == 1
    assert len(json.loads(cli("photo", "list", "--json", "--until", "2026-11-15").out)) == 1
    listed = cli("photo", "list").out.splitlines()
    assert len(listed) == 2 and "nose" in listed[0] and "chin" in listed[1]
    photo_id = listed[1].split()[0]
    assert cli("photo", "remove", photo_id).code == 2  # no terminal and no --yes: not asked, not removed
    assert cli("photo", "remove", photo_id[:6], "--yes").code == 0
    assert len(cli("photo", "list").out.splitlines()) == 1
    assert len(stored_files(journal_path)) == 2  # the file stays for undo
    assert cli("undo", "--yes").code == 0
    assert len(cli("photo", "list").out.splitlines()) == 2


def test_show_prints_details_when_not_a_terminal(cli, tmp_path):
    write_jpeg(tmp_path / "a.jpg")
    cli("photo", "add", str(tmp_path / "a.jpg"), "--region", "nose")
    by_date = cli("photo", "show", TAKEN.isoformat())
    assert by_date.code == 0 and "\x1b" not in by_date.out and "▀" not in by_date.out
    first, path = by_date.out.splitlines()
    assert TAKEN.isoformat() in first and path.endswith(".jpg")
    assert cli("photo", "show", first.split()[0]).out == by_date.out
    assert cli("photo", "show", TAKEN.isoformat(), "--region", "chin").code == 1


def test_half_blocks_fit_the_terminal_and_keep_colours():
    from skinlog.services.halfblock import UPPER_HALF, ansi_lines, fit_cells, half_blocks

    image = Image.new("RGB", (40, 40), (255, 0, 0))
    image.paste((0, 0, 255), (0, 20, 40, 40))
    cells = half_blocks(image, 10, 100)
    assert len(cells) == 5 and len(cells[0]) == 10  # square picture: 10 columns, 5 rows of two pixels
    assert cells[0][0] == ((255, 0, 0), (255, 0, 0)) and cells[-1][0] == ((0, 0, 255), (0, 0, 255))
    line = ansi_lines(cells)[0]
    assert line.count(UPPER_HALF) == 10 and "38;2;255;0;0;48;2;255;0;0m" in line
    assert fit_cells(4000, 3000, 80, 24) == (64, 24)
    assert fit_cells(3000, 4000, 80, 24) == (36, 24)


def test_show_draws_half_blocks_on_a_terminal(journal_path, tmp_path, cli):
    import pty
    import subprocess

    from tests.helpers import read_terminal, skinlog_argv

    write_jpeg(tmp_path / "a.jpg")
    cli("photo", "add", str(tmp_path / "a.jpg"))
    leader, follower = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 20, 40, 0, 0))
    proc = subprocess.Popen(
        skinlog_argv("--db", str(journal_path), "photo", "show", TAKEN.isoformat()),
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    out = read_terminal(leader).decode()
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    rows = [line for line in out.splitlines() if "▀" in line]
    assert len(rows) == 17 and all(line.count("▀") <= 40 for line in rows)  # 20 lines less 3
    assert "38;2;" in rows[0] and "48;2;" in rows[0]


def test_check_finds_missing_altered_and_resized_files(cli, data, journal_path, tmp_path):
    for n, colour in enumerate([(1, 1, 1), (2, 2, 2), (3, 3, 3)]):
        picture(colour=colour).save(tmp_path / f"{n}.png")
        cli("photo", "add", str(tmp_path / f"{n}.png"))
    ok = cli("check")
    assert ok.code == 0 and "3 photos are fine" in ok.out
    first, second, third = stored_files(journal_path)
    first.unlink()
    raw = bytearray(second.read_bytes())
    raw[-20] ^= 0xFF
    second.write_bytes(bytes(raw))
    third.write_bytes(third.read_bytes() + b"x")
    before = state(data)
    result = cli("check")
    assert result.code == 1
    problems = [line for line in result.out.splitlines() if line.startswith("Problem:")]
    assert len(problems) == 3
    text = "\n".join(problems)
    assert "missing" in text and "altered" in text and "wrong size" in text
    assert state(data) == before  # never repairs


def test_check_reports_a_damaged_journal(cli, journal_path, data):
    journal_path.write_text("{not json")
    result = cli("check")
    assert result.code == 1 and "not valid JSON" in result.out


def test_prune_deletes_only_files_nothing_refers_to(cli, journal_path, tmp_path):
    import shutil

    picture(colour=(1, 1, 1)).save(tmp_path / "a.png")
    picture(colour=(2, 2, 2)).save(tmp_path / "b.png")
    cli("photo", "add", str(tmp_path / "a.png"))
    cli("photo", "add", str(tmp_path / "b.png"))
    first = json.loads(cli("photo", "list", "--json").out)[0]
    folder = photo_dir(journal_path)
    removed = folder / f"{first['sha256']}.png"
    assert cli("photo", "remove", first["id"], "--yes").code == 0
    stray = folder / ("ab" * 32 + ".jpg")
    stray.write_bytes(b"left by a crash between the file and the journal")
    other = folder / "notes.txt"
    other.write_text("not skinlog's")
    assert cli("photo", "prune").code == 2  # not on a terminal, no --yes: asks nothing, deletes nothing
    assert stray.exists()
    result = cli("photo", "prune", "--yes")
    assert result.code == 0 and "Deleted 1 picture file" in result.out
    assert not stray.exists() and other.exists()
    assert removed.exists()  # the undo history and today's backup still refer to it
    assert "still needed" in cli("photo", "prune", "--yes").out
    # a damaged backup: nobody can say what it needs, so nothing is deleted
    backups = Path(f"{journal_path}.backups")
    [backup] = backups.iterdir()
    backup.write_text("{damaged")
    refused = cli("photo", "prune", "--yes")
    assert refused.code == 1 and "cannot be read" in refused.err
    # with no backups, and the removal pushed out of the undo history, it can go
    shutil.rmtree(backups)
    for n in range(21):
        assert (
            cli("add", "--date", (PINNED_TODAY - timedelta(days=n)).isoformat(), "nose=1", "--replace").code
            == 0
        )
    shutil.rmtree(backups)
    assert cli("photo", "prune", "--yes").code == 0
    assert not removed.exists() and len(stored_files(journal_path)) == 2  # b.png and notes.txt
    assert cli("check").code == 0


def test_show_of_something_that_is_neither_an_id_nor_a_date_is_one_line(cli):
    result = cli("photo", "show", "zz\x1b[2J")
    assert result.code == 2 and result.err.count("\n") == 1 and "\x1b" not in result.err
    assert "neither a photo id nor a date" in result.err
    assert "in the future" in cli("photo", "show", "2099-01-01").err
