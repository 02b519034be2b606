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


def fake_crontab(bin_dir: Path, tab: bytes | None = None) -> Path:
    (bin_dir / "crontab").write_text(CRONTAB.format(d=bin_dir))
    (bin_dir / "crontab").chmod(0o755)
    if tab is not None:
        (bin_dir / "tab").write_bytes(tab)
    return bin_dir / "tab"


# systemctl that fails the step named in the file "fail" (e.g. "enable"), when there is one
SYSTEMCTL = 'if [ -f "{d}/fail" ] && read -r f < "{d}/fail" && [ "$f" = "$2" ]; then echo "Failed: $2" >&2; exit 1; fi'


def units_dir() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "systemd" / "user"


INJECTIONS = [
    "inj\n* * * * * touch /tmp/skinlog-pwned #",
    "inj\nExecStartPre=/bin/touch /tmp/skinlog-pwned\n",
    "cr\rreturn",
    "vt\x0bff\x0cfs\x1c",
    "tab\there",
    "nel\x85c1",
    "ls\u2028ps\u2029",
]


@pytest.mark.parametrize("via", ["cron", "systemd"])
@pytest.mark.parametrize("bad", INJECTIONS)
def test_remind_refuses_a_journal_path_with_control_characters(
    cli, fakes: Path, tmp_path: Path, via: str, bad: str
) -> None:
    fake(fakes, "systemctl")
    tab = fake_crontab(fakes, b"0 5 * * * backup.sh\n")
    before = listing(Path(os.environ["HOME"])), listing(Path(os.environ["XDG_CONFIG_HOME"]))
    done = cli("remind", "install", "--at", "07:30", "--via", via, db=tmp_path / f"x/{bad}/j.json")
    assert done.code == 2 and done.err.count("\n") == 1, done.err
    assert "control character" in done.err and "nothing was installed" in done.err
    assert tab.read_bytes() == b"0 5 * * * backup.sh\n"
    assert (listing(Path(os.environ["HOME"])), listing(Path(os.environ["XDG_CONFIG_HOME"]))) == before
    assert calls(fakes) == []


# Every character a shell, cron or systemd reads specially, in the journal's path
AWKWARD = 'it\'s 100% $HOME ${HOME} %% %h \\%x \\ "q" `id` $(id) ;#& <a>|*?~!=.json'


def cron_reads(command: str) -> str:
    """What cron (cronie, vixie) passes to the shell: a % not after a backslash ends the
    command, a backslash before a % is dropped."""
    out: list[str] = []
    escaped = False
    for ch in command:
        if escaped:
            escaped = False
            if ch == "%":
                out[-1] = "%"
                continue
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            break
        out.append(ch)
    return "".join(out)


def shell_words(command: str) -> list[str]:
    done = subprocess.run(
        ["/bin/sh", "-c", f'set -- {command}\nprintf "%s\\0" "$@"'], capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.decode().split("\0")[:-1]


@pytest.mark.skipif(not os.path.exists("/bin/sh"), reason="needs /bin/sh")
def test_remind_cron_line_gives_back_the_exact_command(cli, fakes: Path, tmp_path: Path) -> None:
    from skinlog.services.reminder import CRON_MARK, fire_command

    journal = tmp_path / "a b" / AWKWARD
    tab = fake_crontab(fakes)
    assert cli("remind", "install", "--at", "07:30", "--via", "cron", db=journal).code == 0
    (line,) = tab.read_text().splitlines()
    assert line.startswith("30 7 * * * ") and line.endswith(" " + CRON_MARK)
    command = line[len("30 7 * * * ") : -len(" " + CRON_MARK)]
    wanted = fire_command(str(journal))
    assert shell_words(cron_reads(command)) == wanted  # a cron that reads % (cronie, vixie)
    assert shell_words(command) == wanted  # and one that does not
    assert cli("remind", "uninstall").code == 0
    assert tab.read_text() == ""


def systemd_reads(exec_start: str) -> list[str]:
    """ExecStart's arguments as systemd reads them: %% is the only specifier, then each word
    is double-quoted with backslash escapes, and $$ is the only dollar left for the environment."""
    import re

    assert re.fullmatch(r"(?:[^%]|%%)*", exec_start), exec_start
    line = exec_start.replace("%%", "%")
    words = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
    assert " ".join(f'"{w}"' for w in words) == line
    words = [re.sub(r"\\(.)", r"\1", w) for w in words]
    assert all(re.fullmatch(r"(?:[^$]|\$\$)*", w) for w in words), words
    return [w.replace("$$", "$") for w in words]


def test_remind_systemd_unit_gives_back_the_exact_command(cli, fakes: Path, tmp_path: Path) -> None:
    from skinlog.services.reminder import fire_command

    fake(fakes, "systemctl")
    journal = tmp_path / "a b" / AWKWARD
    assert cli("remind", "install", "--at", "07:30", "--via", "systemd", db=journal).code == 0
    service = (units_dir() / "skinlog-remind.service").read_text().splitlines()
    keys = [line.split("=", 1)[0] for line in service if "=" in line]
    assert keys == ["Description", "Type", "ExecStart"]
    (exec_start,) = [line[len("ExecStart=") :] for line in service if line.startswith("ExecStart=")]
    assert systemd_reads(exec_start) == fire_command(str(journal))


def test_remind_launchd_plist_keeps_the_command_as_an_array() -> None:
    import plistlib

    from skinlog.services.reminder import _plist

    command = ["/usr/bin/python3", "-m", "skinlog", "--db", "/a/<b> & ]]> 'c' \"d\" $e %f.json"]
    assert plistlib.loads(_plist(7, 30, command))["ProgramArguments"] == command


def test_remind_failed_systemd_install_keeps_the_cron_reminder(cli, fakes: Path) -> None:
    fake(fakes, "systemctl", SYSTEMCTL.format(d=fakes))
    tab = fake_crontab(fakes, b"0 5 * * * backup.sh\n")
    assert cli("remind", "install", "--at", "07:30", "--via", "cron").code == 0
    installed = tab.read_bytes()
    assert b"30 7 * * * " in installed
    (fakes / "fail").write_text("enable\n")
    done = cli("remind", "install", "--at", "08:00")  # systemd works, so it is the default
    assert done.code == 1 and done.err.count("\n") == 1
    assert tab.read_bytes() == installed
    assert listing(units_dir()) == {}
    assert "enable --now skinlog-remind.timer failed" in done.err and "kept as it was" in done.err
    assert "(cron) at 07:30" in cli("remind", "status").out


@pytest.mark.parametrize("step", ["daemon-reload", "enable"])
def test_remind_failed_systemd_reinstall_keeps_the_one_before(cli, fakes: Path, step: str) -> None:
    fake(fakes, "systemctl", SYSTEMCTL.format(d=fakes))
    assert cli("remind", "install", "--at", "21:30").code == 0
    before = listing(units_dir())
    assert len(before) == 2
    (fakes / "fail").write_text(step + "\n")
    made = len(calls(fakes))
    done = cli("remind", "install", "--at", "08:00")
    assert listing(units_dir()) == before
    assert done.code == 1 and f"systemctl --user {step}" in done.err and "kept as it was" in done.err
    assert not [c for c in calls(fakes)[made:] if "disable" in c]
    assert "(systemd) at 21:30" in cli("remind", "status").out


def test_remind_failed_cron_install_keeps_the_systemd_reminder(cli, fakes: Path) -> None:
    fake(fakes, "systemctl")
    assert cli("remind", "install", "--at", "21:30").code == 0
    before = listing(units_dir())
    fake(fakes, "crontab", 'if [ "$1" = "-" ]; then echo "crontab: disk full" >&2; exit 1; fi; exit 0')
    done = cli("remind", "install", "--at", "08:00", "--via", "cron")
    assert listing(units_dir()) == before
    assert done.code == 1 and "disk full" in done.err and "kept as it was" in done.err
    assert not [c for c in calls(fakes) if "disable" in c]


def test_remind_replacing_systemd_by_cron_removes_the_units_after(cli, fakes: Path) -> None:
    fake(fakes, "systemctl")
    assert cli("remind", "install", "--at", "21:30").code == 0
    tab = fake_crontab(fakes)
    assert cli("remind", "install", "--at", "08:00", "--via", "cron").code == 0
    assert listing(units_dir()) == {}
    assert tab.read_text().startswith("0 8 * * * ")
    found = cli("remind", "status").out
    assert "(cron) at 08:00" in found and "Reminder (systemd)" not in found


def test_remind_keeps_every_other_crontab_line_byte_for_byte(cli, fakes: Path) -> None:
    others = (
        b"0 5 * * * backup.sh\r\n"
        b"# a note\x0bwith a vertical tab\n"
        b"10 1 * * * job \xc2\x85 one \xe2\x80\xa8 two\x0c three \x1c\x1d\x1e\n"
        b"\xff\xfe not utf-8\n"
        b"30 2 * * * last-without-newline"
    )
    tab = fake_crontab(fakes, others)
    assert cli("remind", "install", "--at", "07:30", "--via", "cron").code == 0
    lines = tab.read_bytes().split(b"\n")
    ours = [line for line in lines if b"skinlog-remind" in line]
    assert len(ours) == 1 and ours[0].startswith(b"30 7 * * * ")
    assert tab.read_bytes().replace(ours[0] + b"\n", b"") == others
    assert "(cron) at 07:30" in cli("remind", "status").out
    assert cli("remind", "install", "--at", "08:15", "--via", "cron").code == 0  # replaced in place
    assert tab.read_bytes().count(b"skinlog-remind") == 1 and b"15 8 * * * " in tab.read_bytes()
    assert cli("remind", "uninstall").code == 0
    assert tab.read_bytes() == others


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
