"""Journal files on disk: where they live, reading only regular files, and durable atomic writes."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterable
from typing import Union

from skinlog.errors import JournalError, os_reason

PathLike = Union[str, "os.PathLike[str]"]
# A file's identity: device, inode, modification time (ns) and size.
FileStamp = tuple[int, int, int, int]

MAX_JOURNAL_BYTES = 256 * 1024 * 1024


def journal_path(path: PathLike) -> str:
    """The real file behind ``path``: links followed, ``~`` expanded, made absolute."""
    return os.path.realpath(os.path.expanduser(os.fspath(path)))


def default_path() -> str:
    """``SKINLOG_DB`` if set, else the platform's user data folder."""
    env = os.environ.get("SKINLOG_DB")
    if env:
        return os.path.expanduser(env)
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        # The same folder platformdirs gives on these systems, without its import cost.
        base = os.environ.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
        return os.path.join(base, "skinlog", "journal.json")
    import platformdirs

    return os.path.join(platformdirs.user_data_dir("skinlog", appauthor=False), "journal.json")


def fsync_dir(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(path: str, data: bytes | Iterable[bytes]) -> str:
    """Write ``data`` (bytes, or pieces of them) durably to ``.<name>.<pid>.tmp`` beside
    ``path``, 0600, and return the temp file's path; on failure nothing is left behind."""
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            for chunk in (data,) if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        _unlink_quietly(tmp)
        raise
    return tmp


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file, 0600."""
    tmp = write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink_quietly(tmp)
        raise
    fsync_dir(os.path.dirname(os.path.abspath(path)))


def write_new_file(path: str, data: bytes) -> bool:
    """Create ``path`` with ``data`` (0600, durable), never replacing a file already there.

    Returns False, writing nothing, when ``path`` exists.
    """
    tmp = write_temp(path, data)
    try:
        try:
            os.link(tmp, path)  # fails if the name is taken: exclusive, unlike a rename
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: check, then rename
            if os.path.lexists(path):
                return False
            os.replace(tmp, path)
    finally:
        _unlink_quietly(tmp)
    fsync_dir(os.path.dirname(os.path.abspath(path)))
    return True


def ensure_dir(folder: str) -> None:
    """Create ``folder`` (and parents) with 0700 for the folders we make."""
    folder = os.path.abspath(folder)
    if os.path.isdir(folder):
        return
    try:
        missing = []
        probe = folder
        while not os.path.lexists(probe):
            missing.append(probe)
            probe = os.path.dirname(probe)
        for part in reversed(missing):
            os.mkdir(part, 0o700)
            os.chmod(part, 0o700)
    except OSError as exc:
        raise JournalError(f"cannot create the folder {folder}: {os_reason(exc)}") from None


def file_stamp(path: str) -> FileStamp | None:
    """A file's identity as it is now: a rename over it, or any rewrite, changes it."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


def remove_stale_temp_files(folder: str, name: str = "") -> None:
    """Delete temp files (``.<name>.<pid>.tmp``) left by writers killed mid-write.

    A temp file is stale when the process that made it no longer exists; the caller holds the
    journal's lock, so no live skinlog is writing one. ``name`` limits it to one file's temps.
    """
    prefix = f".{name}." if name else "."
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for tmp in names:
        pid = tmp[:-4].rsplit(".", 1)[-1]
        if not pid.isdigit() or (int(pid) != os.getpid() and _alive(int(pid))):
            continue
        try:
            os.unlink(os.path.join(folder, tmp))
        except OSError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def refuse_special_file(path: str, what: str) -> None:
    """Raise if ``path`` exists and is a device, pipe or socket (a folder is told apart later)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise JournalError(
            f"{path} is not a regular file (a device, pipe or socket), so it cannot be {what}; "
            "nothing was read or written"
        )


def read_regular_file(path: str, what: str) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` if it is an ordinary file of at most ``MAX_JOURNAL_BYTES``.

    A device, pipe or socket is refused before anything is read from it (``/dev/zero`` would be
    read forever, a pipe would block), and so is a link put in place after the path was resolved.
    Raises ``FileNotFoundError`` when there is no file, ``JournalError`` for everything else.
    """
    refuse_special_file(path, what)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise JournalError(
                f"{path} is a link that cannot be followed (a loop of links, or one put in place "
                "while skinlog was reading); nothing was read"
            ) from None
        raise JournalError(f"cannot read {what} {path}: {os_reason(exc)}") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        if stat.S_ISDIR(st.st_mode):
            raise JournalError(f"{path} is a folder, not a journal file")
        raise JournalError(
            f"{path} is not a regular file (a device, pipe or socket), so it cannot be {what}; "
            "nothing was read or written"
        )
    with os.fdopen(fd, "rb") as handle:
        if st.st_size > MAX_JOURNAL_BYTES:
            raise JournalError(f"{path} is too large to be a skinlog journal")
        try:
            raw = handle.read(MAX_JOURNAL_BYTES + 1)
        except OSError as exc:
            raise JournalError(f"cannot read {what} {path}: {os_reason(exc)}") from None
    if len(raw) > MAX_JOURNAL_BYTES:
        raise JournalError(f"{path} is too large to be a skinlog journal")
    return raw, st
