"""The person's preferences (theme, start view, default Trends range): a small JSON file in the
user config folder, written atomically and read defensively.

A preferences file is never trusted: a damaged, huge, hostile or special file (a folder, a
device, a link to ``/dev/zero``) is ignored with one notice, and skinlog starts on its defaults.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from skinlog.errors import echo
from skinlog.storage import fsync_dir, write_temp

FILE_NAME = "preferences.json"
MAX_BYTES = 16 * 1024
"""A preferences file is a few dozen bytes; anything larger is not one of ours."""
KEYS = ("theme", "start_view", "trends_range")
"""The preferences kept; anything else in the file is left out."""
MAX_VALUE = 64


def config_dir() -> str:
    """``$XDG_CONFIG_HOME/skinlog`` (default ``~/.config/skinlog``) on Linux and the BSDs, the
    platform's user config folder elsewhere."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        base = os.environ.get("XDG_CONFIG_HOME", "").strip()
        if not base or not os.path.isabs(base):  # the XDG rule: a relative value is ignored
            base = os.path.expanduser("~/.config")
        return os.path.join(base, "skinlog")
    import platformdirs

    return platformdirs.user_config_dir("skinlog", appauthor=False)


def preferences_path() -> str:
    return os.path.join(config_dir(), FILE_NAME)


@dataclass
class Preferences:
    """What was read (only known keys with short string values) and, when the file could not be
    used, the one notice to show."""

    values: dict[str, str] = field(default_factory=dict)
    notice: str = ""
    path: str = ""

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


def unknown_values(prefs: Preferences, known: Mapping[str, tuple[Collection[str], str]]) -> str:
    """One notice naming each value in the file that skinlog does not know and what it uses
    instead, or ''. ``known`` maps a key to the values it may take and the one used without it:
    "Preferences in …: theme 'solarised' is not one skinlog knows; using 'textual-dark'."."""
    said = [
        f"{key.replace('_', ' ')} '{echo(value)}' is not one skinlog knows; using '{used}'"
        for key, (allowed, used) in known.items()
        if (value := prefs.values.get(key)) is not None and value not in allowed
    ]
    return f"Preferences in {prefs.path or preferences_path()}: {'; '.join(said)}." if said else ""


def _ignored(path: str, why: str) -> Preferences:
    return Preferences({}, f"Preferences in {path} were ignored ({why}); using the defaults.", path)


def _read_bytes(path: str) -> bytes | None:
    """The file's bytes, or None when there is no file; OSError/ValueError for anything odd."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ValueError("it is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("it is not a regular file")
        if st.st_size > MAX_BYTES:
            raise ValueError("it is too large")
        data = os.read(fd, MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ValueError("it is too large")
        return data
    finally:
        os.close(fd)


def load(path: str | None = None) -> Preferences:
    """The preferences at ``path`` (default: ``preferences_path()``); never raises."""
    path = path or preferences_path()
    try:
        data = _read_bytes(path)
    except ValueError as exc:
        return _ignored(path, str(exc))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return Preferences({}, "", path)
        return _ignored(path, exc.strerror or "it cannot be read")
    if data is None:
        return Preferences({}, "", path)
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _ignored(path, "it is not JSON")
    if not isinstance(raw, dict):
        return _ignored(path, "it is not a JSON object")
    values: dict[str, str] = {}
    unusable: list[str] = []
    for key, value in raw.items():
        if key not in KEYS:
            continue  # not a preference skinlog keeps: left out
        if isinstance(value, str) and 0 < len(value) <= MAX_VALUE and value.isprintable():
            values[key] = value
        else:
            unusable.append(f"{key.replace('_', ' ')} {echo(json.dumps(value))}")
    notice = (
        f"Preferences in {path}: {', '.join(unusable)} {'is not a value' if len(unusable) == 1 else 'are not values'}"
        " skinlog can use; using the default."
        if unusable
        else ""
    )
    return Preferences(values, notice, path)


def save(values: dict[str, str], path: str | None = None) -> None:
    """Write ``values`` (known keys only) to ``path`` atomically: a temporary file, fsynced, then
    renamed over the old one; the folder is made (0700) when missing. Raises OSError."""
    # a link (preferences kept with the person's dotfiles) is written through to its target
    path = os.path.realpath(path or preferences_path())
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    kept = {key: values[key] for key in KEYS if key in values}
    data = (json.dumps(kept, indent=2, sort_keys=True) + "\n").encode("utf-8")
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)
