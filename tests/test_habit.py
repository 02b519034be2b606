"""Keeping the habit: ``skinlog status`` (never writes), the reminder, shell completion."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from skinlog.domain.entry import make_entry
from skinlog.services.status import status_of
from skinlog.storage import Journal
from tests.helpers import PINNED_TODAY


def listing(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"" for p in sorted(folder.rglob("*"))
    }


def log_days(path: Path, last_offset: int, days: int, **counts: int) -> None:
    first = PINNED_TODAY - timedelta(days=last_offset)
    entries = [make_entry(first - timedelta(days=n), counts or {"nose": 1}, []) for n in range(days)]
    Journal(path).replace_all(sorted(entries, key=lambda e: e.date), [], {})


# -- status


def test_status_on_a_missing_journal_says_so_and_creates_nothing(cli, journal_path: Path) -> None:
    done = cli("status")
    assert done.code == 0
    assert "No journal at" in done.out and "nothing was created" in done.out
    assert not journal_path.parent.exists()
    assert cli("status", "--short").out == ""
    data = json.loads(cli("status", "--json").out)
    assert data["journal_exists"] is False and data["streak"] == 0
    assert not journal_path.parent.exists()


def test_status_fresh_journal_logged_today(cli, journal_path: Path) -> None:
    log_days(journal_path, 0, 5)
    done = cli("status")
    assert "Today (2026-11-22): logged" in done.out
    assert "Streak: 5 days in a row" in done.out
    assert "Last entry: today" in done.out
    assert f"Journal: {journal_path}" in done.out
    assert cli("status", "--short").out == ""  # logged and no flags: nothing to say
    data = json.loads(cli("status", "--json").out)
    assert data["logged_today"] is True and data["streak"] == 5 and data["days_since_last_entry"] == 0
    assert data["highest_flag"] is None and data["short"] == ""


def test_status_not_yet_today_keeps_the_streak(cli, journal_path: Path) -> None:
    log_days(journal_path, 1, 3)
    short = cli("status", "--short").out
    assert short == "skinlog: not logged today (streak 3, log today to keep it)\n"
    assert "Last entry: yesterday" in cli("status").out


def test_status_stale_journal(cli, journal_path: Path) -> None:
    log_days(journal_path, 20, 10)
    data = json.loads(cli("status", "--json").out)
    assert data["logged_today"] is False and data["streak"] == 0
    assert data["days_since_last_entry"] == 20
    assert data["last_entry"] == (PINNED_TODAY - timedelta(days=20)).isoformat()
    assert data["flags_as_of"] == data["last_entry"]  # flags as of the last entry when stale
    assert "not logged today (last entry 20 days ago)" in cli("status", "--short").out
    assert "Last entry: 20 days ago" in cli("status").out


def test_status_flagged_journal(cli, demo: Path) -> None:
    data = json.loads(cli("status", "--json", db=demo).out)
    assert data["active_flags"] and data["highest_flag"] in ("info", "watch", "see_clinician")
    assert "⚑" in data["short"]
    text = cli("status", db=demo).out
    assert "Flags: ⚑" in text


def test_status_never_writes(cli, demo: Path, tmp_path: Path) -> None:
    folder = demo.parent
    before = listing(folder)
    for args in (("status",), ("status", "--short"), ("status", "--json")):
        assert cli(*args, db=demo).code == 0
    assert listing(folder) == before


def test_status_header_and_command_agree(demo: Path) -> None:
    from skinlog.domain.flags import evaluate
    from skinlog.domain.settings import effective
    from skinlog.services.status import read_status

    journal = Journal(demo)
    entries = journal.entries()
    flags = evaluate(entries, effective(journal.settings()), PINNED_TODAY, journal.products())
    shown = status_of(entries, PINNED_TODAY, flags)
    read = read_status(str(demo), PINNED_TODAY)
    assert shown.header == read.header and shown.short == read.short
    assert shown.header.startswith(("Logged", "Nothing logged today yet"))


def test_status_on_a_damaged_journal_is_one_line(cli, journal_path: Path) -> None:
    journal_path.parent.mkdir()
    journal_path.write_text("{not json")
    done = cli("status", "--short")
    assert done.code != 0 and done.err.count("\n") == 1 and "not valid JSON" in done.err


# -- the reminder: fake systemctl, crontab and notify-send that record their calls


def fake(bin_dir: Path, name: str, body: str = "") -> None:
    script = bin_dir / name
    script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{bin_dir}/calls"\n{body}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))  # only the fakes: no real scheduler is reachable
    return bin_dir


def calls(bin_dir: Path) -> list[str]:
    path = bin_dir / "calls"
    return path.read_text().splitlines() if path.exists() else []


def test_remind_systemd_install_status_uninstall(cli, fakes: Path, journal_path: Path) -> None:
    fake(fakes, "systemctl")
    units = Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"
    done = cli("remind", "install", "--at", "21:30")
    assert done.code == 0, done.err
    assert "(systemd)" in done.out
    timer = (units / "skinlog-remind.timer").read_text()
    service = (units / "skinlog-remind.service").read_text()
    assert "OnCalendar=*-*-* 21:30:00" in timer
    assert '"remind" "fire"' in service and str(journal_path) in service
    assert "systemctl --user enable --now skinlog-remind.timer" in calls(fakes)
    first = listing(units)
    assert cli("remind", "install", "--at", "21:30").code == 0  # idempotent
    assert listing(units) == first
    assert "at 21:30" in cli("remind", "status").out
    done = cli("remind", "uninstall")
    assert done.code == 0 and "skinlog-remind.timer" in done.out
    assert listing(units) == {}
    assert "systemctl --user disable --now skinlog-remind.timer" in calls(fakes)
    assert "No reminder installed" in cli("remind", "status").out


CRONTAB = """#!/bin/sh
echo "crontab $*" >> "{d}/calls"
if [ "$1" = "-l" ]; then
  if [ -f "{d}/tab" ]; then /bin/cat "{d}/tab"; else echo "no crontab for you" >&2; exit 1; fi
elif [ "$1" = "-" ]; then /bin/cat > "{d}/tab"; fi
"""


def test_remind_cron_when_systemd_does_not_work(cli, fakes: Path) -> None:
    fake(fakes, "systemctl", "exit 1")  # no user session
    (fakes / "crontab").write_text(CRONTAB.format(d=fakes))
    (fakes / "crontab").chmod(0o755)
    (fakes / "tab").write_text("0 5 * * * backup.sh\n")
    assert cli("remind", "install", "--at", "7:05").code == 0
    tab = (fakes / "tab").read_text().splitlines()
    assert tab[0] == "0 5 * * * backup.sh" and len(tab) == 2
    assert tab[1].startswith("5 7 * * * ") and "remind fire" in tab[1] and "# skinlog-remind" in tab[1]
    assert cli("remind", "install", "--at", "8:00").code == 0  # replaced, not added
    tab = (fakes / "tab").read_text().splitlines()
    assert len(tab) == 2 and tab[1].startswith("0 8 * * * ")
    assert "(cron) at 08:00" in cli("remind", "status").out
    assert cli("remind", "uninstall").code == 0
    assert (fakes / "tab").read_text() == "0 5 * * * backup.sh\n"  # exactly what was there


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--at", "25:00"), 2, "HH:MM"),
        (("--at", "9pm"), 2, "HH:MM"),
        (("--at", "21:00", "--via", "anacron"), 2, "--via takes one of"),
        (("--at", "21:00"), 1, "no scheduler found"),
        (("--at", "21:00", "--via", "launchd"), 1, "only on macOS"),
    ],
)
def test_remind_bad_input_is_one_line_and_writes_nothing(cli, fakes: Path, args, code, words) -> None:
    home = Path(os.environ["HOME"])
    config = Path(os.environ["XDG_CONFIG_HOME"])
    before = listing(home), listing(config)
    done = cli("remind", "install", *args)
    assert done.code == code and words in done.err and done.err.count("\n") == 1
    assert (listing(home), listing(config)) == before
    assert calls(fakes) == []


def test_remind_fire_notifies_or_leaves_a_line_for_status(cli, fakes: Path, journal_path: Path) -> None:
    log_days(journal_path, 1, 3)
    fake(fakes, "notify-send")
    assert cli("remind", "fire").code == 0
    assert calls(fakes) and calls(fakes)[0].startswith("notify-send ")
    assert "reminder" not in cli("status", "--short").out
    (fakes / "notify-send").unlink()  # no way to notify: the line is left for status --short
    assert cli("remind", "fire").code == 0
    assert cli("status", "--short").out.startswith("⏰ reminder: nothing logged today yet · ")
    assert "Reminder:" in cli("status").out
    log_days(journal_path, 0, 4)  # logged today: no reminder shown, none fired
    assert cli("status", "--short").out == ""
    fake(fakes, "notify-send")
    before = len(calls(fakes))
    assert cli("remind", "fire").code == 0
    assert len(calls(fakes)) == before


# -- completion


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(cli, shell: str) -> None:
    done = cli("completion", shell)
    assert done.code == 0 and "skinlog" in done.out and "_ARGCOMPLETE" in done.out


def test_completion_unknown_shell(cli) -> None:
    done = cli("completion", "tcshh")
    assert done.code == 2 and "invalid choice" in done.err


BASH = """
source <("$SKINLOG" completion bash)
try() {
  COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}
  read -ra COMP_WORDS <<< "$COMP_LINE"
  [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMPREPLY=()
  _python_argcomplete skinlog "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s|' "${COMPREPLY[@]}"; echo
}
"""


def bash_complete(tmp_path: Path, journal: Path, *lines: str) -> list[list[str]]:
    shim = tmp_path / "shim"
    shim.mkdir(exist_ok=True)
    exe = shim / "skinlog"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m skinlog "$@"\n')
    exe.chmod(0o755)
    script = BASH + "".join(f"try {json.dumps(line)}\n" for line in lines)
    done = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "PATH": f"{shim}:{os.environ['PATH']}",
            "SKINLOG": str(exe),
            "SKINLOG_DB": str(journal),
        },
    )
    assert done.returncode == 0, done.stderr
    return [line.rstrip("|").split("|") for line in done.stdout.splitlines()]


@pytest.mark.skipif(not os.path.exists("/bin/bash"), reason="needs bash")
def test_bash_completes_regions_products_dates_and_formats(cli, journal_path: Path, tmp_path: Path) -> None:
    assert cli("add", "nose=1", "-p", "Retinol").code == 0
    assert cli("products", "add", "Zinc paste", "--category", "other").code == 0
    before = listing(journal_path.parent)
    commands, regions, aliases, products, dates, formats = bash_complete(
        tmp_path,
        journal_path,
        "skinlog sta",
        "skinlog add under-eye",
        "skinlog add li",
        "skinlog add -p Zi",
        "skinlog add --date yes",
        "skinlog export --format ",
    )
    assert commands == ["status "]
    assert regions == ["under-eye-l=", "under-eye-r="]
    assert "lips=" in aliases
    assert products == ["Zinc\\ paste "]
    assert dates == ["yesterday "]
    from skinlog.services.formats import FORMATS

    assert formats == list(FORMATS)
    assert listing(journal_path.parent) == before  # completing read the journal, wrote nothing


PROBE = """
import json, sys
from skinlog.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "plotext", "textual_plotext", "rich", "argcomplete", "subprocess"))
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


@pytest.mark.parametrize("argv", [["status"], ["status", "--short"], ["status", "--json"], ["add", "nose=1"]])
def test_status_and_add_import_nothing_heavy(demo: Path, argv: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(demo), *argv], capture_output=True, text=True
    )
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    assert report == {"code": 0, "heavy": []}, proc.stderr
