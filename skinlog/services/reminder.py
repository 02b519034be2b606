"""The opt-in daily reminder: a user-level timer (systemd user timer, a crontab line, or a launchd
agent on macOS) that runs ``skinlog remind fire`` at a time of day. When nothing is logged for
today that shows a desktop notification, or, with no way to show one, leaves a line that
``skinlog status --short`` shows.

Only the user's own files are ever touched: ``$XDG_CONFIG_HOME/systemd/user/skinlog-remind.*``,
the user's crontab (the one line carrying ``CRON_MARK``), ``~/Library/LaunchAgents/<LABEL>.plist``
and the pending line in the user state folder. ``uninstall`` removes exactly those.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from skinlog.errors import SkinlogError, UsageError, os_reason

if TYPE_CHECKING:
    import subprocess

# ``pending_line`` runs on every ``skinlog status`` (a shell prompt): the modules that only
# installing or firing a reminder needs are imported there.

SCHEDULERS = ("systemd", "cron", "launchd")
UNIT = "skinlog-remind"
CRON_MARK = "# skinlog-remind (added by 'skinlog remind install'; remove with 'skinlog remind uninstall')"
LABEL = "org.skinlog.remind"
PENDING_FILE = "reminder-pending"
NOTIFY_TITLE = "skinlog"
NOTIFY_BODY = "Nothing logged today yet: 'skinlog add' or open skinlog to log today."
PENDING_WORDS = "⏰ reminder: nothing logged today yet"


class SchedulerError(SkinlogError):
    """No scheduler, or the scheduler refused: nothing was installed."""


@dataclass(frozen=True)
class Installed:
    """One reminder found installed: which scheduler, at what time, and the files or line."""

    via: str
    at: str
    where: tuple[str, ...]


# -- the time and the command


def parse_time(text: str) -> tuple[int, int]:
    """ "07:30" -> (7, 30); anything else is a one-line usage error."""
    import re

    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise UsageError(f"--at takes a time of day as HH:MM (00:00 to 23:59), not '{text[:20]}'")
    return int(match.group(1)), int(match.group(2))


def fire_command(journal: str) -> list[str]:
    """What the timer runs: this skinlog, on this journal."""
    return [sys.executable, "-m", "skinlog", "--db", journal, "remind", "fire"]


# Characters no scheduler line may carry: C0 and C1 controls (a newline starts a new crontab job
# or unit directive), DEL, and the Unicode line and paragraph separators.
CONTROLS = "[\x00-\x1f\x7f-\x9f\u2028\u2029]"


def check_command(command: list[str]) -> None:
    """Refuse a command that cannot go into a scheduler line as it is: a control character in
    the journal's path (or Python's), or bytes that are not UTF-8."""
    import re

    for arg in command:
        what = "the journal's path" if arg is not command[0] else "Python's path"
        bad = re.search(CONTROLS, arg)
        if bad:
            raise UsageError(
                f"{what} has a control character (U+{ord(bad.group()):04X}), which cannot go into "
                "a scheduler's line; move the journal (or use --db with a plain path); nothing was installed"
            )
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(
                f"{what} is not valid UTF-8 and cannot go into a scheduler's line; nothing was installed"
            ) from None


# -- where things live


def _xdg(variable: str, default: str) -> str:
    base = os.environ.get(variable, "").strip()
    return base if base and os.path.isabs(base) else os.path.expanduser(default)


def systemd_dir() -> str:
    return os.path.join(_xdg("XDG_CONFIG_HOME", "~/.config"), "systemd", "user")


def systemd_files() -> tuple[str, str]:
    folder = systemd_dir()
    return os.path.join(folder, f"{UNIT}.service"), os.path.join(folder, f"{UNIT}.timer")


def launchd_file() -> str:
    return os.path.expanduser(f"~/Library/LaunchAgents/{LABEL}.plist")


def pending_path() -> str:
    """The pending line's file: ``$XDG_STATE_HOME/skinlog/reminder-pending`` on Linux."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return os.path.join(_xdg("XDG_STATE_HOME", "~/.local/state"), "skinlog", PENDING_FILE)
    import platformdirs

    return os.path.join(platformdirs.user_state_dir("skinlog", appauthor=False), PENDING_FILE)


def pending_line(journal: str, today: date) -> str:
    """The line a reminder left today for this journal ("" when none): read, never written."""
    try:
        with open(pending_path(), "rb") as handle:
            text = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    day, _, path = text.rstrip("\n").partition("\t")
    return PENDING_WORDS if day == today.isoformat() and path == journal else ""


def _write_file(path: str, data: bytes) -> None:
    from skinlog.storage import fsync_dir, write_temp

    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    os.replace(write_temp(path, data), path)
    fsync_dir(folder)


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


# -- the schedulers


def _run_bytes(command: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    import subprocess

    try:
        return subprocess.run(command, input=stdin, capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "it did not answer in 30 s"
        return subprocess.CompletedProcess(command, 127, b"", reason.encode())


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    import subprocess

    done = _run_bytes(command)
    out, err = (part.decode("utf-8", "replace") for part in (done.stdout, done.stderr))
    return subprocess.CompletedProcess(command, done.returncode, out, err)


def _which(name: str) -> str | None:
    import shutil

    return shutil.which(name)


def systemd_works() -> bool:
    return (
        _which("systemctl") is not None and _run(["systemctl", "--user", "show-environment"]).returncode == 0
    )


def cron_works() -> bool:
    return _which("crontab") is not None


def launchd_works() -> bool:
    return sys.platform == "darwin" and _which("launchctl") is not None


def available() -> str | None:
    """The scheduler to use when none is named: launchd on macOS, else a systemd user timer
    where ``systemctl --user`` works, else cron; None when there is none."""
    if sys.platform == "darwin":
        return "launchd" if launchd_works() else ("cron" if cron_works() else None)
    if systemd_works():
        return "systemd"
    return "cron" if cron_works() else None


def _check_usable(via: str) -> None:
    works = {"systemd": systemd_works, "cron": cron_works, "launchd": launchd_works}[via]
    if not works():
        why = {
            "systemd": "'systemctl --user' does not work here (no systemd user session)",
            "cron": "there is no 'crontab' command",
            "launchd": "launchd is only on macOS",
        }[via]
        raise SchedulerError(f"cannot use {via}: {why}; nothing was installed")


def _systemd_quote(arg: str) -> str:
    """One ExecStart argument: double-quoted with backslashes and quotes escaped, each % written
    %% (else a specifier) and each $ written $$ (else an environment variable)."""
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%").replace("$", "$$")
    return f'"{escaped}"'


def _systemd_texts(hour: int, minute: int, command: list[str]) -> tuple[str, str]:
    service = (
        "[Unit]\nDescription=skinlog: a reminder to log today\n\n"
        f"[Service]\nType=oneshot\nExecStart={' '.join(_systemd_quote(a) for a in command)}\n"
    )
    timer = (
        f"[Unit]\nDescription=skinlog: a reminder to log today, at {hour:02d}:{minute:02d}\n\n"
        f"[Timer]\nOnCalendar=*-*-* {hour:02d}:{minute:02d}:00\n\n"
        "[Install]\nWantedBy=timers.target\n"
    )
    return service, timer


# The crontab is read and written as bytes (undecodable ones kept through surrogateescape) and
# split on "\n" only: a "\r" (CRLF), a form feed or a Unicode separator is part of its line, and
# every line that is not the reminder's goes back exactly as it came, with its own ending.


def _crontab() -> str:
    """The user's crontab, as ``crontab -l`` gives it ("" when there is no crontab yet)."""
    done = _run_bytes(["crontab", "-l"])
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip()
        if "no crontab" in reason.lower():
            return ""
        raise SchedulerError(f"cannot read your crontab: {reason or 'crontab -l failed'}")
    return done.stdout.decode("utf-8", "surrogateescape")


def _cron_lines(text: str) -> list[str]:
    """The crontab's lines, each with its "\n" (the last one without, when the text has none)."""
    lines = [piece + "\n" for piece in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _is_ours(line: str) -> bool:
    return line.rstrip("\n").rstrip("\r").endswith(" " + CRON_MARK)


def _set_crontab(text: str) -> None:
    done = _run_bytes(["crontab", "-"], stdin=text.encode("utf-8", "surrogateescape"))
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip()
        raise SchedulerError(f"cannot write your crontab: {reason or 'crontab - failed'}")


def _with_cron_line(text: str, line: str) -> str:
    """``text`` with the reminder's line in place of the one there was (else added at the end):
    every other line is kept byte for byte, with its own ending."""
    kept: list[str] = []
    placed = False
    for old in _cron_lines(text):
        if not _is_ours(old):
            kept.append(old)
        elif not placed:
            kept.append(line + "\n")
            placed = True
    if not placed:
        # at the end; before a last line that has no newline, which is then left just as it was
        last = len(kept) - 1 if kept and not kept[-1].endswith("\n") else len(kept)
        kept.insert(last, line + "\n")
    return "".join(kept)


def _cron_quote(arg: str) -> str:
    """One argument of the shell line cron runs, quoted for the shell. Cron turns a % into a
    line break: each one is written \\% between two single-quoted parts, where cron drops the
    backslash, and a cron that does not leaves it to the shell, which reads \\% as % too."""
    import shlex

    quoted = shlex.quote(arg)
    if "%" not in arg:
        return quoted
    if not quoted.startswith("'"):
        quoted = f"'{arg}'"  # shlex leaves a % unquoted: this has no quote to escape
    return quoted.replace("%", "'\\%'")


def _cron_line(hour: int, minute: int, command: list[str]) -> str:
    return f"{minute} {hour} * * * {' '.join(_cron_quote(a) for a in command)} {CRON_MARK}"


def _plist(hour: int, minute: int, command: list[str]) -> bytes:
    import plistlib

    return plistlib.dumps(
        {
            "Label": LABEL,
            "ProgramArguments": command,
            "StartCalendarInterval": {"Hour": hour, "Minute": minute},
        }
    )


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _install_systemd(hour: int, minute: int, command: list[str]) -> tuple[str, ...]:
    """Write and enable the timer; on any failure the unit files are put back as they were."""
    service, timer = _systemd_texts(hour, minute, command)
    paths = systemd_files()
    before = {path: _read(path) for path in paths}
    try:
        _write_file(paths[0], service.encode())
        _write_file(paths[1], timer.encode())
        for step in (["daemon-reload"], ["enable", "--now", f"{UNIT}.timer"]):
            done = _run(["systemctl", "--user", *step])
            if done.returncode != 0:
                raise SchedulerError(
                    f"systemctl --user {' '.join(step)} failed: {done.stderr.strip()[:200]}; nothing was installed"
                )
    except BaseException:
        if all(old is None for old in before.values()):
            _uninstall("systemd")
        else:
            for path, old in before.items():
                if old is None:
                    _remove(path)
                else:
                    _write_file(path, old)
            _run(["systemctl", "--user", "daemon-reload"])
        raise
    return paths


def _install_launchd(hour: int, minute: int, command: list[str]) -> tuple[str, ...]:
    """Write and load the agent; on failure the agent there was is written and loaded again."""
    path = launchd_file()
    before = _read(path)
    if before is not None:
        _run(["launchctl", "unload", path])
    _write_file(path, _plist(hour, minute, command))
    done = _run(["launchctl", "load", "-w", path])
    if done.returncode != 0:
        if before is None:
            _remove(path)
        else:
            _write_file(path, before)
            _run(["launchctl", "load", "-w", path])
        raise SchedulerError(f"launchctl load failed: {done.stderr.strip()[:200]}; nothing was installed")
    return (path,)


def install(at: str, journal: str, via: str | None = None) -> Installed:
    """Install the reminder, replacing any installed before (by any scheduler) only once the new
    one is in place: when installing fails, the one before is left exactly as it was."""
    hour, minute = parse_time(at)
    if via is not None and via not in SCHEDULERS:
        raise UsageError(f"--via takes one of {', '.join(SCHEDULERS)}, not '{via[:20]}'")
    command = fire_command(journal)
    check_command(command)
    if via is None:
        via = available()
        if via is None:
            raise SchedulerError(
                "no scheduler found: neither 'systemctl --user' nor 'crontab' works here; nothing was installed"
            )
    else:
        _check_usable(via)
    before = status()
    try:
        if via == "systemd":
            where = _install_systemd(hour, minute, command)
        elif via == "cron":
            line = _cron_line(hour, minute, command)
            _set_crontab(_with_cron_line(_crontab(), line))
            where = ("crontab: " + line,)
        else:
            where = _install_launchd(hour, minute, command)
    except SchedulerError as exc:
        if before:
            raise SchedulerError(f"{exc} (the reminder you had is kept as it was)") from None
        raise
    at = f"{hour:02d}:{minute:02d}"
    for other in {found.via for found in before} - {via}:
        try:
            _uninstall(other)
        except SchedulerError as exc:
            raise SchedulerError(
                f"the reminder is installed ({via}, at {at}), but the one before ({other}) is still "
                f"there: {exc}; 'skinlog remind uninstall' removes both"
            ) from None
    return Installed(via, at, where)


def status() -> list[Installed]:
    """Every reminder installed (normally none or one)."""
    import re

    found = []
    service_path, timer_path = systemd_files()
    if os.path.exists(timer_path) or os.path.exists(service_path):
        at = ""
        try:
            with open(timer_path, encoding="utf-8") as handle:
                match = re.search(r"OnCalendar=\*-\*-\* (\d\d:\d\d)", handle.read())
                at = match.group(1) if match else ""
        except OSError:
            pass
        found.append(
            Installed("systemd", at, tuple(p for p in (service_path, timer_path) if os.path.exists(p)))
        )
    if cron_works():
        try:
            lines = [line.rstrip("\n") for line in _cron_lines(_crontab()) if _is_ours(line)]
        except SchedulerError:
            lines = []
        for line in lines:
            minute, hour = (line.split() + ["?", "?"])[:2]
            at = f"{int(hour):02d}:{int(minute):02d}" if hour.isdigit() and minute.isdigit() else ""
            found.append(Installed("cron", at, ("crontab: " + line,)))
    plist = launchd_file()
    if os.path.exists(plist):
        import plistlib

        at = ""
        try:
            with open(plist, "rb") as handle:
                when = plistlib.load(handle).get("StartCalendarInterval", {})
            at = f"{int(when['Hour']):02d}:{int(when['Minute']):02d}"
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        found.append(Installed("launchd", at, (plist,)))
    return found


def _uninstall(via: str) -> list[str]:
    removed = []
    if via == "systemd":
        service_path, timer_path = systemd_files()
        if _which("systemctl"):
            _run(["systemctl", "--user", "disable", "--now", f"{UNIT}.timer"])
        removed = [p for p in (timer_path, service_path) if _remove(p)]
        if removed and _which("systemctl"):
            _run(["systemctl", "--user", "daemon-reload"])
    elif via == "cron":
        lines = _cron_lines(_crontab())
        ours = [line for line in lines if _is_ours(line)]
        if ours:
            _set_crontab("".join(line for line in lines if not _is_ours(line)))
            removed = ["crontab: " + line.rstrip("\n") for line in ours]
    else:
        path = launchd_file()
        if os.path.exists(path):
            if _which("launchctl"):
                _run(["launchctl", "unload", "-w", path])
            if _remove(path):
                removed = [path]
    return removed


def uninstall() -> list[str]:
    """Remove every reminder installed, and the pending line; returns what was removed."""
    removed = []
    for found in status():
        removed += _uninstall(found.via)
    if _remove(pending_path()):
        removed.append(pending_path())
    return removed


# -- what the timer runs


def fire(journal: str, today: date, logged_today: bool) -> str:
    """Remind when today is not logged: a desktop notification, else the pending line.
    Returns what was done ("logged", "notified" or "pending")."""
    path = pending_path()
    if logged_today:
        _remove(path)
        return "logged"
    env = dict(os.environ)
    bus = f"/run/user/{os.getuid()}/bus" if hasattr(os, "getuid") else ""
    if not env.get("DBUS_SESSION_BUS_ADDRESS") and bus and os.path.exists(bus):
        env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"  # cron runs without the session's
    if sys.platform == "darwin":
        script = f'display notification "{NOTIFY_BODY}" with title "{NOTIFY_TITLE}"'
        command = ["osascript", "-e", script]
    else:
        command = ["notify-send", "--app-name=skinlog", NOTIFY_TITLE, NOTIFY_BODY]
    if _which(command[0]):
        import subprocess

        try:
            done = subprocess.run(command, env=env, capture_output=True, timeout=30, check=False)
            if done.returncode == 0:
                _remove(path)
                return "notified"
        except (OSError, subprocess.TimeoutExpired):
            pass
    _write_file(path, f"{today.isoformat()}\t{journal}\n".encode("utf-8", "surrogateescape"))
    return "pending"
