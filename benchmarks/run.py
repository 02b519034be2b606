"""skinlog's performance suite: prints a table of timings against the budgets in DESIGN.md.

Usage: python benchmarks/run.py [--runs N] [SECTION ...]   (sections: cli, analysis, load, tui, export, terminal, effects, photos, report; default: all)

This machine's speed drifts from run to run, so the cases take turns and both the median and
the best run are shown; the best is the steadier figure for comparing two programs.
Whole-process timings run the installed ``skinlog`` of a venv built here from this checkout
(a normal, non-editable install, as a user has it), and jrnl from its own venv. Everything it
builds lives in benchmarks/.work/ (ignored by git).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
TEN_YEARS = 3650


def venv(name: str, *packages: str) -> Path:
    """A venv under .work with ``packages`` installed; returns its bin folder."""
    folder = WORK / name
    bin_dir = folder / "bin"
    if not (bin_dir / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    marker = folder / ".installed"
    wanted = " ".join(packages)
    if not marker.exists() or marker.read_text() != wanted:
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *packages], check=True)
        marker.write_text(wanted)
    if name == "skinlog":  # always this checkout's code, as a normal (non-editable) install
        subprocess.run([str(bin_dir / "pip"), "install", "-q", *packages], check=True)
        subprocess.run(
            [str(bin_dir / "pip"), "install", "-q", "--force-reinstall", "--no-deps", *packages], check=True
        )
    return bin_dir


def timed_round_robin(cases: list[tuple], runs: int) -> list[list[float]]:
    """Wall times of whole processes. Each case is (cmd, before, env); the cases take turns
    run by run, so a noisy moment on the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in cases]
    for _ in range(runs):
        for slot, (cmd, before, env) in enumerate(cases):
            if before:
                before()
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            times[slot].append(time.perf_counter() - start)
    return times


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f} {min(values) * 1000:8.1f}"


def build_ten_year_journal(path: Path) -> None:
    """3,650 days of realistic entries, written with skinlog's own storage."""
    sys.path.insert(0, str(ROOT))
    import random

    from skinlog.domain.entry import make_entry
    from skinlog.domain.products import STARTER_CATALOGUE
    from skinlog.storage import Journal

    rng = random.Random(10)
    end = date.today() - timedelta(days=1)
    entries = []
    for n in range(TEN_YEARS):
        day = end - timedelta(days=n)
        counts = {r: rng.randint(0, 6) for r in ("under_eye_left", "under_eye_right", "eyelid_left", "nose")}
        if rng.random() < 0.3:
            counts["cheek_left"] = rng.randint(1, 4)
        products = ["Gentle cleanser", "Sunscreen SPF 30+", rng.choice(["Adapalene", "Eye cream", "Retinol"])]
        entries.append(make_entry(day, counts, products, note="felt fine" if n % 10 == 0 else ""))
    if path.exists():
        path.unlink()
    Journal(path).replace_all(entries, list(STARTER_CATALOGUE), {})


def jrnl_setup(base: Path) -> dict[str, str]:
    """A jrnl config and a 3,650-entry plain-text jrnl journal; returns the env to run jrnl in."""
    config_home = base / "jrnl-config"
    (config_home / "jrnl").mkdir(parents=True, exist_ok=True)
    journal = base / "jrnl-journal.txt"
    (config_home / "jrnl" / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\nversion: v4.0\n"
    )
    lines = []
    start = date.today() - timedelta(days=TEN_YEARS + 1)
    for n in range(TEN_YEARS):
        lines.append(f"[{start + timedelta(days=n)} 09:00] nose 2, under-eye 3 @retinol\nfelt fine\n")
    journal.write_text("\n".join(lines))
    return {**os.environ, "XDG_CONFIG_HOME": str(config_home), "NO_COLOR": "1"}


def section_cli(runs: int) -> list[tuple[str, list[float], str]]:
    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    jr = venv("jrnl", "jrnl")
    base = WORK / "ten-years.json"
    build_ten_year_journal(base)
    db = WORK / "bench.json"
    backups = Path(str(db) + ".backups")

    def fresh_journal() -> None:
        # The journal as skinlog last wrote it, with its lock file (which carries the check mark
        # of that write): the everyday case of one change after another.
        shutil.copyfile(base, db)
        shutil.copyfile(f"{base}.lock", f"{db}.lock")

    def journal_changed_elsewhere() -> None:
        # The same bytes, but no mark: as after another program wrote the journal (full check).
        fresh_journal_with_todays_backup()
        Path(f"{db}.lock").write_text("")

    def fresh_journal_with_todays_backup() -> None:
        fresh_journal()
        backups.mkdir(exist_ok=True)
        shutil.copyfile(base, backups / f"{date.today().isoformat()}.json")

    def fresh_journal_no_backup() -> None:
        fresh_journal()
        shutil.rmtree(backups, ignore_errors=True)

    jenv = jrnl_setup(WORK)
    jrnl_journal = WORK / "jrnl-journal.txt"
    jrnl_base = jrnl_journal.read_bytes()

    def fresh_jrnl() -> None:
        jrnl_journal.write_bytes(jrnl_base)

    add = [str(sk / "skinlog"), "--db", str(db), "add", "nose=1", "under-eye-l=2", "-p", "Adapalene"]
    cases = [
        ("python -c 'import tinydb'", [str(sk / "python"), "-c", "import tinydb"], None, None, "baseline"),
        ("skinlog add (10-year journal)", add, fresh_journal_with_todays_backup, None, "<= 2x baseline"),
        ("skinlog add, first change of the day", add, fresh_journal_no_backup, None, "(+ daily backup)"),
        (
            "skinlog add, journal written by another program",
            add,
            journal_changed_elsewhere,
            None,
            "(checks every entry)",
        ),
        (
            "skinlog list --last 7",
            [str(sk / "skinlog"), "--db", str(base), "list", "--last", "7"],
            None,
            None,
            "",
        ),
        (
            "skinlog status --short (10-year journal)",
            [str(sk / "skinlog"), "--db", str(db), "status", "--short"],
            fresh_journal,
            None,
            "<= 1.5x baseline",
        ),
        (
            "skinlog status --short, written by another program",
            [str(sk / "skinlog"), "--db", str(db), "status", "--short"],
            journal_changed_elsewhere,
            None,
            "(checks every entry)",
        ),
        (
            "jrnl add (3,650-entry journal)",
            [str(jr / "jrnl"), "nose 2 under-eye 3"],
            fresh_jrnl,
            jenv,
            "skinlog add <= 1/5",
        ),
    ]
    times = timed_round_robin([(cmd, before, env) for _, cmd, before, env, _ in cases], runs)
    return [(label, t, target) for (label, *_, target), t in zip(cases, times)]


def synthetic_entries(count: int) -> list:
    """``count`` consecutive days ending yesterday, with products and the odd symptom."""
    sys.path.insert(0, str(ROOT))
    import random

    from skinlog.domain.entry import make_entry

    rng = random.Random(count)
    end = date.today() - timedelta(days=1)
    products = ["Adapalene", "Eye cream", "Sunscreen SPF 30+", "Light moisturizer", "Glycolic acid"]
    out = []
    for n in range(count - 1, -1, -1):
        counts = {r: rng.randint(0, 6) for r in ("under_eye_left", "under_eye_right", "eyelid_left", "nose")}
        out.append(
            make_entry(
                end - timedelta(days=n),
                counts,
                rng.sample(products, 3),
                symptoms={"redness": rng.choice((0, 0, 0, 1, 2))},
                picked=rng.random() < 0.01,
            )
        )
    return out


def in_process(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def section_analysis(runs: int) -> list[tuple[str, list[float], str]]:
    from skinlog.domain.analysis import compare_weeks, weekly
    from skinlog.domain.flags import evaluate
    from skinlog.domain.insights import product_insights
    from skinlog.domain.products import STARTER_CATALOGUE
    from skinlog.domain.settings import effective

    settings = effective({})
    today = date.today()

    def everything(entries):
        return lambda: (
            weekly(entries),
            compare_weeks(entries, today),
            evaluate(entries, settings, today, STARTER_CATALOGUE),
            product_insights(entries, today, 26),
        )

    rows = []
    for label, count, target in (
        ("10 years (3,650 entries)", 3650, ""),
        ("100 years (36,500 entries)", 36500, "< 500 ms; <= 12x the 10-year figure"),
    ):
        entries = synthetic_entries(count)
        rows.append((f"weekly + flags + insights, {label}", in_process(everything(entries), runs), target))
    ratio = statistics.median(rows[1][1]) / statistics.median(rows[0][1])
    rows.append((f"growth from 3,650 to 36,500 entries: {ratio:.1f}x (linear: 10x; target <= 12x)", [], ""))
    return rows


def section_load(runs: int) -> list[tuple[str, list[float], str]]:
    """Reading a journal file as every command does: parse it and check every entry, product and
    setting (``Journal(path).entries()`` on a new Journal, so nothing is cached; the cyclic GC
    off, as in the command line)."""
    import gc
    import tempfile

    sys.path.insert(0, str(ROOT))
    from skinlog.domain.products import STARTER_CATALOGUE
    from skinlog.storage import Journal

    rows = []
    folder = Path(tempfile.mkdtemp(prefix="skinlog-bench-"))
    try:
        for label, count, target in (
            ("3,650 entries", 3650, ""),
            ("36,500 entries", 36500, "<= entries() before full checks (~140 ms)"),
        ):
            path = folder / f"{count}.json"
            Journal(path).replace_all(synthetic_entries(count), list(STARTER_CATALOGUE), {})
            gc.disable()
            try:
                values = in_process(lambda path=path: Journal(path).entries(), runs)
            finally:
                gc.enable()
            rows.append((f"load and check a journal of {label}", values, target))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def section_tui(runs: int) -> list[tuple[str, list[float], str]]:
    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    base = WORK / "ten-years.json"
    build_ten_year_journal(base)
    script = str(ROOT / "benchmarks" / "first_screen.py")
    py = str(sk / "python")
    minimal, ours = timed_round_robin(
        [([py, script, "minimal"], None, None), ([py, script, "skinlog", str(base)], None, None)], runs
    )
    switches: list[list[float]] = [[], [], []]
    for _ in range(max(3, runs // 3)):
        out = subprocess.run(
            [py, script, "trends", str(base)], check=True, capture_output=True, text=True
        ).stdout
        for slot, value in enumerate(out.split()):
            switches[slot].append(float(value) / 1000)
    ratio = statistics.median(ours) / statistics.median(minimal)
    best = min(ours) / min(minimal)
    return [
        ("minimal Textual app (Header, empty DataTable, Footer)", minimal, "baseline"),
        ("skinlog first screen, 10-year journal", ours, "<= 1.5x baseline"),
        (f"first screen ratio: median {ratio:.2f}x, best {best:.2f}x (target <= 1.5x)", [], ""),
        ("switch to Trends (12 weeks), in-process", switches[0], ""),
        ("Trends: switch to 1 year", switches[1], ""),
        ("Trends: switch to everything (3,650 days)", switches[2], ""),
    ]


def section_export(runs: int) -> list[tuple[str, list[float], str]]:
    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    base = WORK / "ten-years.json"
    build_ten_year_journal(base)
    cmd = str(sk / "skinlog")
    exported = WORK / "export.json"
    fhir = WORK / "export.fhir.json"
    target = WORK / "imported.json"

    def empty_target() -> None:
        for leftover in (target, Path(str(target) + ".lock")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(str(target) + ".backups", ignore_errors=True)

    subprocess.run([cmd, "--db", str(base), "export", "-o", str(exported), "--force"], check=True)
    times = timed_round_robin(
        [
            ([cmd, "--db", str(base), "export", "-o", str(exported), "--force"], None, None),
            ([cmd, "--db", str(base), "export", "--format", "fhir", "-o", str(fhir), "--force"], None, None),
            ([cmd, "--db", str(target), "import", str(exported)], empty_target, None),
        ],
        runs,
    )

    def size(path: Path) -> str:
        n = path.stat().st_size
        return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"

    rows = [
        (f"export json, 10-year journal ({size(exported)})", times[0], "< 1000 ms"),
        (f"export fhir, 10-year journal ({size(fhir)})", times[1], "< 1000 ms"),
        ("import that json export into an empty journal", times[2], "< 1000 ms"),
    ]
    century = WORK / "hundred-years.json"
    build_century_journal(century)
    targets = {"json": "", "fhir": "< 2000 ms, < 250 MB", "md": ""}
    commands = {
        fmt: [
            cmd,
            "--db",
            str(century),
            "export",
            "--format",
            fmt,
            "-o",
            str(WORK / f"century.{fmt}"),
            "--force",
        ]
        for fmt in targets
    }
    century_times = timed_round_robin([(c, None, None) for c in commands.values()], max(3, runs // 3))
    for (fmt, command), values in zip(commands.items(), century_times):
        label = f"export {fmt}, 100 years ({size(WORK / f'century.{fmt}')}, peak {peak_mb(command):.0f} MB)"
        rows.append((label, values, targets[fmt]))
    return rows


def build_century_journal(path: Path) -> None:
    """36,500 days (``synthetic_entries``), written with skinlog's own storage."""
    from skinlog.domain.products import STARTER_CATALOGUE
    from skinlog.storage import Journal

    entries = synthetic_entries(36500)
    if path.exists():
        path.unlink()
    Journal(path).replace_all(entries, list(STARTER_CATALOGUE), {})


def peak_mb(command: list[str]) -> float:
    """The peak resident memory of one run of ``command``, in MB (from the kernel's own count)."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True)
    return int(out.stdout) / 1024  # ru_maxrss is in KiB on Linux


def section_terminal(runs: int) -> list[tuple[str, list[float], str]]:
    """What a person sees in tmux (benchmarks/terminal.py): first screen against a minimal app,
    and every view switch and Trends range change on a 100-year journal."""
    from terminal import Server, first_screens, key_times

    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    ten = WORK / "ten-years.json"
    build_ten_year_journal(ten)
    century = WORK / "century.json"
    build_century_journal(century)
    with Server():
        minimal, ours = first_screens(str(sk / "python"), str(sk / "skinlog"), ten, runs, WORK)
        keys = key_times(str(sk / "skinlog"), century, max(3, runs // 3), WORK)
    ratio = statistics.median(ours) / statistics.median(minimal)
    best = min(ours) / min(minimal)
    rows = [
        ("minimal Textual app (Header, Static, Footer), tmux", minimal, "baseline"),
        ("skinlog first screen, 10-year journal, tmux", ours, "<= 1.5x baseline"),
        (f"first screen ratio: median {ratio:.2f}x, best {best:.2f}x (target <= 1.5x)", [], ""),
    ]
    for label, values in keys.items():
        rows.append((f"100 years: {label}", values, "<= 150 ms"))
    return rows


def build_ten_year_treatments(path: Path) -> int:
    """3,650 days in which a product starts or stops every few months and a procedure is done
    every year: about 40 changes for ``skinlog effect --all`` to evaluate. Returns their number."""
    sys.path.insert(0, str(ROOT))
    import random

    from skinlog.domain.effects import Series, find_changes
    from skinlog.domain.entry import make_entry
    from skinlog.domain.products import STARTER_CATALOGUE
    from skinlog.storage import Journal

    rng = random.Random(11)
    names = [p.name for p in STARTER_CATALOGUE]
    end = date.today() - timedelta(days=1)
    entries = []
    for n in range(TEN_YEARS):
        if rng.random() < 0.1:
            continue  # missed days
        spell = n // 90
        products = [names[spell % len(names)], names[(spell + 3) % len(names)]]
        counts = {"under_eye_left": rng.randint(2, 6), "nose": rng.randint(0, 3)}
        procedure = "extraction" if n % 365 == 200 else "none"
        entries.append(
            make_entry(end - timedelta(days=TEN_YEARS - 1 - n), counts, products, procedure=procedure)
        )
    if path.exists():
        path.unlink()
    Journal(path).replace_all(entries, list(STARTER_CATALOGUE), {})
    return len(find_changes(Series(entries), STARTER_CATALOGUE))


def section_effects(runs: int) -> list[tuple[str, list[float], str]]:
    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    db = WORK / "ten-years-treatments.json"
    changes = build_ten_year_treatments(db)
    cases = [
        ("python -c 'import numpy'", [str(sk / "python"), "-c", "import numpy"], None, None, "(numpy alone)"),
        (
            f"skinlog effect --all (10-year journal, {changes} changes)",
            [str(sk / "skinlog"), "--db", str(db), "effect", "--all"],
            None,
            None,
            "< 1 s",
        ),
    ]
    times = timed_round_robin([(cmd, before, env) for _, cmd, before, env, _ in cases], runs)
    rows = [(label, t, target) for (label, *_, target), t in zip(cases, times)]
    if shutil.which("tmux"):  # the Insights view in a real terminal (benchmarks/terminal.py)
        from terminal import Server, insights_times

        with Server():
            opened = insights_times(str(sk / "skinlog"), db, max(3, runs // 3), WORK)
        targets = iter(("<= 300 ms", "(evaluated in a thread meanwhile)"))
        rows += [
            (f"tmux, 10-year journal: {label}", values, next(targets)) for label, values in opened.items()
        ]
    return rows


def twelve_megapixel_jpeg(path: Path, orientation: int) -> None:
    """A 4000x3000 JPEG with texture (so it encodes like a photo, about 5 MB) and camera EXIF."""
    from PIL import Image

    if path.exists():
        return
    image = Image.radial_gradient("L").resize((4000, 3000)).convert("RGB")
    image = Image.blend(image, Image.effect_noise((4000, 3000), 40).convert("RGB"), 0.3)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = "2026:11:01 10:00:00"
    image.save(path, quality=92, exif=exif)


def section_photos(runs: int) -> list[tuple[str, list[float], str]]:
    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    db = WORK / "photos.json"
    upright, turned = WORK / "12mp-upright.jpg", WORK / "12mp-turned.jpg"
    twelve_megapixel_jpeg(upright, 1)
    twelve_megapixel_jpeg(turned, 6)

    def empty_journal() -> None:
        for leftover in (db, Path(f"{db}.lock")):
            leftover.unlink(missing_ok=True)
        for folder in (Path(f"{db}.photos"), Path(f"{db}.backups")):
            shutil.rmtree(folder, ignore_errors=True)

    add = [str(sk / "skinlog"), "--db", str(db), "photo", "add"]
    cases = [
        ("skinlog photo add, 12 MP JPEG", [*add, str(upright)], empty_journal, None, "< 1000 ms"),
        (
            "skinlog photo add, 12 MP JPEG turned by EXIF",
            [*add, str(turned)],
            empty_journal,
            None,
            "< 1000 ms",
        ),
        (
            "skinlog photo list (1 photo)",
            [str(sk / "skinlog"), "--db", str(db), "photo", "list"],
            None,
            None,
            "",
        ),
    ]
    times = timed_round_robin([(cmd, before, env) for _, cmd, before, env, _ in cases], runs)
    return [(label, t, target) for (label, *_, target), t in zip(cases, times)]


def section_report(runs: int) -> list[tuple[str, list[float], str]]:
    """The visit report (typst and matplotlib, the report extra) and the CSV export."""
    import tomllib

    WORK.mkdir(parents=True, exist_ok=True)
    sk = venv("skinlog", str(ROOT))
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["report"]
    subprocess.run([str(sk / "pip"), "install", "-q", *extra], check=True)
    cmd = str(sk / "skinlog")
    ten = WORK / "ten-years-treatments.json"
    changes = build_ten_year_treatments(ten)
    century = WORK / "hundred-years.json"
    build_century_journal(century)
    demo = WORK / "demo.json"
    if not demo.exists():
        subprocess.run([cmd, "demo", "--out", str(demo)], check=True)

    def report(db: Path, name: str) -> list[str]:
        return [cmd, "--db", str(db), "report", "-o", str(WORK / name), "--force"]

    cases = [
        (
            "python -c 'import matplotlib.figure, typst'",
            [str(sk / "python"), "-c", "import matplotlib.figure, typst"],
            "(the two imports alone)",
        ),
        ("skinlog report, the demo (266 days, 4 photos)", report(demo, "demo.pdf"), ""),
        (f"skinlog report, 10-year journal ({changes} changes)", report(ten, "ten.pdf"), "< 3000 ms"),
        ("skinlog report, 100-year journal", report(century, "century.pdf"), ""),
        (
            "export csv, 10-year journal",
            [cmd, "--db", str(ten), "export", "--format", "csv", "-o", str(WORK / "ten.csv"), "--force"],
            "",
        ),
    ]
    times = timed_round_robin([(c, None, None) for _, c, _ in cases], runs)
    return [(label, t, target) for (label, _, target), t in zip(cases, times)]


SECTIONS = {
    "effects": section_effects,
    "cli": section_cli,
    "analysis": section_analysis,
    "load": section_load,
    "tui": section_tui,
    "export": section_export,
    "terminal": section_terminal,
    "photos": section_photos,
    "report": section_report,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        default=list(SECTIONS),
        help=f"one or more of: {', '.join(SECTIONS)}",
    )
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"skinlog benchmarks, {date.today()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for name in args.sections:
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}")
        rows = SECTIONS[name](args.runs)
        print(f"\n[{name}] median and best of {args.runs} runs, milliseconds")
        print(f"{'what':<56}{'median':>8} {'best':>8}  target")
        for label, values, target in rows:
            print(f"{label:<56}{ms(values)}  {target}" if values else label)
        if name == "cli":
            for stat in (statistics.median, min):
                base, add, jrnl = (stat(rows[i][1]) for i in (0, 1, -1))
                print(
                    f"{stat.__name__:>6}: skinlog add / import tinydb {add / base:.2f}x (target <= 2.00); "
                    f"skinlog add / jrnl add {add / jrnl:.2f} (target <= 0.20)"
                )
                status = stat(next(values for label, values, _ in rows if label.startswith("skinlog status")))
                print(
                    f"{stat.__name__:>6}: skinlog status --short / import tinydb {status / base:.2f}x (target <= 1.50)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
