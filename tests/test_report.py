"""The visit report: one page whatever the journal, what a clinician needs on it, privacy."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pypdf
import pytest

from skinlog.domain.entry import make_entry
from skinlog.domain.products import STARTER_CATALOGUE, Product
from skinlog.domain.regions import BY_ID
from skinlog.domain.words import NOTICE, flag_name
from skinlog.services.export import gather
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY, skinlog_argv

END = PINNED_TODAY - timedelta(days=1)


def pages_and_text(pdf: bytes | Path) -> tuple[int, str, tuple[float, float]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf))
    box = reader.pages[0].mediabox
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split()), (float(box.width), float(box.height))


def write_journal(path: Path, entries, products=STARTER_CATALOGUE) -> Path:
    Journal(path).replace_all(sorted(entries, key=lambda e: e.date), list(products), {})
    return path


def report(cli, db: Path, out: Path, *args: str) -> tuple[int, str, tuple[float, float]]:
    result = cli("report", "-o", str(out), *args, db=db)
    assert result.code == 0, result.err
    return pages_and_text(out)


def test_the_demo_report_is_one_page_with_what_a_clinician_needs(cli, demo, tmp_path):
    n, text, size = report(cli, demo, tmp_path / "visit.pdf")
    assert n == 1
    assert size == pytest.approx((595.28, 841.89), abs=0.5)  # A4
    data = gather(Journal(demo), PINNED_TODAY)
    first = data.entries[0].date.isoformat()
    assert f"Period {first} to {END.isoformat()}" in text
    assert f"as of today, {PINNED_TODAY.isoformat()}" in text
    assert data.flags, "the demo has active flags"
    for flag in data.flags:
        assert flag_name(flag.code) in text
    with_bumps = {r for e in data.entries for r, c in e.counts.items() if c}
    for region in with_bumps:
        assert BY_ID[region].label in text
    for product in {p for e in data.entries for p in e.products}:
        assert product in text
    assert "adherence" in text and "Photos" in text
    assert NOTICE in text
    assert "patient's LEFT" not in text  # the map's words are drawn; the note under it says it
    assert "their left is on your right" in text


def test_the_report_can_be_on_letter_paper(cli, demo, tmp_path):
    n, _, size = report(cli, demo, tmp_path / "visit.pdf", "--paper", "letter")
    assert n == 1 and size == pytest.approx((612, 792), abs=0.5)


def _century(path: Path) -> Path:
    entries = []
    start = END - timedelta(days=365 * 100)
    for i in range(0, 365 * 100, 1):
        day = start + timedelta(days=i)
        if i % 13 == 5:
            continue
        counts = {"nose": (i // 7) % 5, "under_eye_left": (i // 30) % 4}
        entries.append(make_entry(day, counts, ["Adapalene"] if (i // 400) % 2 else ["Eye cream"]))
    return write_journal(path, entries)


def _one_day(path: Path) -> Path:
    return write_journal(path, [make_entry(END, {"chin": 2})])


def _forty_products(path: Path) -> Path:
    products = [Product(f"Product number {i:02d} with a longer name", "other") for i in range(40)]
    entries = [
        make_entry(
            END - timedelta(days=d), {"cheek_left": d % 4}, [p.name for p in products[d % 40 : d % 40 + 3]]
        )
        for d in range(200)
    ]
    return write_journal(path, entries, products)


def _every_day_picked(path: Path) -> Path:
    entries = [
        make_entry(
            END - timedelta(days=d),
            {r: (d + i) % 6 for i, r in enumerate(BY_ID)},
            ["Adapalene", "Sunscreen SPF 30+"],
            symptoms={"redness": d % 4, "itch": 3, "pain": 1},
            picked=True,
            procedure="extraction" if d % 30 == 0 else "none",
            events=["burn", "sunburn", "steroid_cream"] if d % 10 == 0 else [],
            note=f"day {d}",
        )
        for d in range(150)
    ]
    return write_journal(path, entries)


def _long_unicode_names(path: Path) -> Path:
    names = [
        "Crème hydratante ultra-riche à l'huile d'argan et au beurre de karité 🌿 nuit",
        "Очень длинное название увлажняющего крема для кожи вокруг глаз и век",
        "Ελληνικό κρέμα ματιών με πολύ μακρύ όνομα που δεν χωράει πουθενά εδώ",
        "日本の長い名前の目元用クリーム、とても長い名前で表に収まらないかもしれません",
        "W" * 60,
    ]
    products = [Product(n[:60].strip(), "eye_cream", heavy=True) for n in names]
    entries = [
        make_entry(
            END - timedelta(days=d), {"eyelid_right": 3, "under_eye_left": 4}, [p.name for p in products]
        )
        for d in range(90)
    ]
    return write_journal(path, entries, products)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(_century, marks=pytest.mark.slow, id="100 years"),
        pytest.param(_one_day, id="one day"),
        pytest.param(_forty_products, id="40 products"),
        pytest.param(_every_day_picked, id="every day picked, all regions, events"),
        pytest.param(_long_unicode_names, id="long unicode names"),
    ],
)
def test_every_journal_gives_one_page(cli, tmp_path, build):
    db = build(tmp_path / "journal.json")
    n, text, _ = report(cli, db, tmp_path / "visit.pdf", "--name", "Zoë Ødegård-Łukasiewicz " * 4)
    assert n == 1
    assert "Zoë Ødegård-Łukasiewicz" in text
    assert NOTICE in text  # the footer is never pushed off


def test_the_same_journal_and_day_give_the_same_report(cli, demo, tmp_path):
    report(cli, demo, tmp_path / "a.pdf")
    report(cli, demo, tmp_path / "b.pdf")
    a, b = (tmp_path / "a.pdf").read_bytes(), (tmp_path / "b.pdf").read_bytes()
    assert pages_and_text(a)[1] == pages_and_text(b)[1]
    assert a == b


def test_a_name_only_with_name_and_the_file_is_private(cli, demo, tmp_path):
    _, text, _ = report(cli, demo, tmp_path / "plain.pdf")
    assert "Ada Example" not in text
    _, named, _ = report(cli, demo, tmp_path / "named.pdf", "--name", "Ada  Example")
    assert "Ada Example" in named
    for f in ("plain.pdf", "named.pdf"):
        assert stat.S_IMODE(os.stat(tmp_path / f).st_mode) == 0o600


def test_an_existing_file_is_replaced_only_with_force(cli, demo, tmp_path):
    out = tmp_path / "visit.pdf"
    out.write_bytes(b"mine")
    result = cli("report", "-o", str(out), db=demo)
    assert result.code != 0 and "--force" in result.err and len(result.err.strip().splitlines()) == 1
    assert out.read_bytes() == b"mine"
    assert cli("report", "-o", str(out), "--force", db=demo).code == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--since", "2026-13-40"], "2026-13-40"),
        (["--since", "2026-11-01", "--until", "2026-10-01"], "backwards"),
        (["--until", "1999-01-01"], "nothing was logged"),
        (["--paper", "a5"], "a5"),
        (["--name", "two\nlines"], "--name"),
    ],
)
def test_bad_input_is_one_clear_line_and_no_file(cli, demo, tmp_path, args, said):
    out = tmp_path / "visit.pdf"
    before = demo.read_bytes()
    result = cli("report", "-o", str(out), *args, db=demo)
    assert result.code in (1, 2)
    assert len(result.err.strip().splitlines()) == 1 and said in result.err
    assert not out.exists() and demo.read_bytes() == before


def test_the_report_is_never_written_over_the_journal(cli, demo):
    before = demo.read_bytes()
    result = cli("report", "-o", str(demo), "--force", db=demo)
    assert result.code != 0 and "journal itself" in result.err
    assert demo.read_bytes() == before


def test_without_typst_the_report_says_what_to_install(tmp_path, demo):
    probe = (
        "import sys; sys.modules['typst'] = None\n"
        "from skinlog.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    argv = skinlog_argv("--db", str(demo), "report", "-o", str(tmp_path / "v.pdf"))
    proc = subprocess.run(
        [sys.executable, "-c", probe, *argv[3:]], capture_output=True, text=True, timeout=60, env=os.environ
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "skinlog: the visit report needs typst and matplotlib, which are not installed: "
        "pip install 'skinlog[report]' (or: pip install typst matplotlib)"
    ]
    assert not (tmp_path / "v.pdf").exists()


def test_the_pdf_export_is_the_report(cli, demo, tmp_path):
    out = tmp_path / "export.pdf"
    assert cli("export", "--format", "pdf", "-o", str(out), db=demo).code == 0
    n, text, _ = pages_and_text(out)
    assert n == 1 and "visit report" in text
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_the_report_shows_the_earliest_and_latest_photos_of_the_most_affected_region(tmp_path):
    from skinlog.domain.photos import Photo
    from skinlog.services.report import choose_photos

    def photo(day: int, region: str) -> Photo:
        sha = f"{day:02d}{region[:4].encode().hex()}".ljust(64, "0")
        return Photo(
            sha[:12],
            date(2026, 1, day),
            (region,),
            "",
            "image/png",
            1,
            1,
            1,
            sha,
            "2026-01-01T00:00:00+00:00",
        )

    photos = [photo(d, "nose") for d in range(1, 8)] + [photo(9, "chin")]
    chosen = choose_photos(photos, ["nose", "chin"], date(2026, 1, 1), date(2026, 1, 31))
    assert [p.day.day for p in chosen] == [1, 2, 6, 7]
    assert [p.day.day for p in choose_photos(photos, ["forehead"], date(2026, 1, 1), date(2026, 1, 31))] == [
        1,
        2,
        7,
        9,
    ]
    assert choose_photos(photos, ["chin"], date(2026, 1, 1), date(2026, 1, 31))[0].day.day == 9


def test_the_apps_export_dialog_writes_the_report(tmp_path):
    from textual.widgets import Input

    from skinlog.services.formats import FORMATS
    from skinlog.tui.dialogs.export import ExportDialog
    from skinlog.tui.screens.today import TodayScreen
    from tests.tui_helpers import demo_journal, open_app, run

    path = demo_journal(tmp_path)
    target = tmp_path / "visit.pdf"

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, ExportDialog)
            await pilot.press(*["right"] * list(FORMATS).index("pdf"))
            field = app.screen.query_one("#path", Input)
            assert field.value.endswith(".pdf")
            field.value = str(target)
            await pilot.press("tab", "tab", "enter")
            for _ in range(100):  # the report takes a moment
                await pilot.pause(0.1)
                if isinstance(app.screen, TodayScreen):
                    break
            assert isinstance(app.screen, TodayScreen)

    run(scenario)
    n, text, _ = pages_and_text(target)
    assert n == 1 and "Photos" in text  # the dialog's report shows the journal's photos too
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_an_export_format_is_text_or_bytes_never_both():
    from skinlog.services.formats import FORMATS

    assert FORMATS["pdf"].binary and not FORMATS["pdf"].text
    assert FORMATS["csv"].text and not FORMATS["csv"].binary
    assert not [f.name for f in FORMATS.values() if f.text and f.binary]
