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


def _write_file(path: str, text: str) -> None:
    from skinlog.storage import fsync_dir, write_temp

    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    os.replace(write_temp(path, text.encode()), path)
    fsync_dir(folder)


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


# -- the schedulers


def _run(command: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    import subprocess

    try:
        return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "it did not answer in 30 s"
        return subprocess.CompletedProcess(command, 127, "", reason)


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
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%") + '"'


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


def _crontab() -> list[str]:
    """The user's crontab lines (none when there is no crontab yet)."""
    done = _run(["crontab", "-l"])
    if done.returncode != 0:
        if "no crontab" in done.stderr.lower():
            return []
        raise SchedulerError(f"cannot read your crontab: {done.stderr.strip() or 'crontab -l failed'}")
    return done.stdout.splitlines()


def _set_crontab(lines: list[str]) -> None:
    done = _run(["crontab", "-"], stdin="".join(line + "\n" for line in lines))
    if done.returncode != 0:
        raise SchedulerError(f"cannot write your crontab: {done.stderr.strip() or 'crontab - failed'}")


def _cron_line(hour: int, minute: int, command: list[str]) -> str:
    import shlex

    return f"{minute} {hour} * * * {shlex.join(command).replace('%', chr(92) + '%')} {CRON_MARK}"


def _plist(hour: int, minute: int, command: list[str]) -> bytes:
    import plistlib

    return plistlib.dumps(
        {
            "Label": LABEL,
            "ProgramArguments": command,
            "StartCalendarInterval": {"Hour": hour, "Minute": minute},
        }
    )


def install(at: str, journal: str, via: str | None = None) -> Installed:
    """Install the reminder (replacing any installed before, by any scheduler)."""
    hour, minute = parse_time(at)
    if via is not None and via not in SCHEDULERS:
        raise UsageError(f"--via takes one of {', '.join(SCHEDULERS)}, not '{via[:20]}'")
    if via is None:
        via = available()
        if via is None:
            raise SchedulerError(
                "no scheduler found: neither 'systemctl --user' nor 'crontab' works here; nothing was installed"
            )
    else:
        _check_usable(via)
    command = fire_command(journal)
    for other in status():
        if other.via != via:
            _uninstall(other.via)
    if via == "systemd":
        service, timer = _systemd_texts(hour, minute, command)
        service_path, timer_path = systemd_files()
        _write_file(service_path, service)
        _write_file(timer_path, timer)
        for step in (["daemon-reload"], ["enable", "--now", f"{UNIT}.timer"]):
            done = _run(["systemctl", "--user", *step])
            if done.returncode != 0:
                _uninstall("systemd")
                raise SchedulerError(
                    f"systemctl --user {' '.join(step)} failed: {done.stderr.strip()[:200]}; nothing was installed"
                )
        where: tuple[str, ...] = (service_path, timer_path)
    elif via == "cron":
        line = _cron_line(hour, minute, command)
        _set_crontab([kept for kept in _crontab() if CRON_MARK not in kept] + [line])
        where = ("crontab: " + line,)
    else:
        path = launchd_file()
        if os.path.exists(path):
            _run(["launchctl", "unload", path])
        _write_file(path, _plist(hour, minute, command).decode())
        done = _run(["launchctl", "load", "-w", path])
        if done.returncode != 0:
            _remove(path)
            raise SchedulerError(f"launchctl load failed: {done.stderr.strip()[:200]}; nothing was installed")
        where = (path,)
    return Installed(via, f"{hour:02d}:{minute:02d}", where)


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
            lines = [line for line in _crontab() if CRON_MARK in line]
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
        lines = _crontab()
        kept = [line for line in lines if CRON_MARK not in line]
        if len(kept) != len(lines):
            _set_crontab(kept)
            removed = ["crontab: " + line for line in lines if CRON_MARK in line]
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
    _write_file(path, f"{today.isoformat()}\t{journal}\n")
    return "pending"
