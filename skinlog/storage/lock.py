"""The journal's lock file: one writer at a time across processes, with the holder's pid and check mark."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from skinlog.errors import JournalError, os_reason
from skinlog.storage.files import ensure_dir

LOCK_TIMEOUT = 15.0
LOCK_NOTICE_AFTER = 0.5


def _lock_holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").split("\n")[0].strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextmanager
def exclusive_lock(
    path: str, timeout: float = LOCK_TIMEOUT, on_wait: Callable[[int | None], None] | None = None
) -> Iterator[HeldLock]:
    """An inter-process lock on ``<journal>.lock`` (advisory, released when the process dies).

    The holder writes its pid in the lock file; a process that has waited for half a second
    calls ``on_wait(pid)`` once, so an interface can say what it is waiting for.
    """
    folder = os.path.dirname(os.path.abspath(path))
    ensure_dir(folder)
    lock_file = path + ".lock"
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except PermissionError as exc:
        if os.path.exists(lock_file):
            raise JournalError(
                f"cannot open the lock file {lock_file}: {os_reason(exc)} (it should be readable "
                "and writable by you)"
            ) from None
        raise JournalError(f"cannot write in {folder}: {os_reason(exc)}") from None
    except OSError as exc:
        reason = (
            "it is a link, which skinlog never follows there" if exc.errno == errno.ELOOP else os_reason(exc)
        )
        raise JournalError(f"cannot open the lock file {lock_file}: {reason}; nothing was changed") from None
    lock_stat = os.fstat(fd)
    if not stat.S_ISREG(lock_stat.st_mode) or lock_stat.st_nlink > 1:
        os.close(fd)
        raise JournalError(
            f"the lock file {lock_file} is not a plain file of its own (a device, pipe or hard link); "
            "nothing was changed"
        )
    try:
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                waited = time.monotonic() - start
                if waited > timeout:
                    holder = _lock_holder(fd)
                    who = f" (pid {holder})" if holder else ""
                    raise JournalError(
                        f"the journal {path} is busy: another skinlog{who} has been writing it for "
                        f"{timeout:g} s; nothing was changed"
                    ) from None
                if not told and waited >= LOCK_NOTICE_AFTER:
                    told = True
                    if on_wait is not None:
                        on_wait(_lock_holder(fd))
                time.sleep(0.005)
        lock = HeldLock(fd)
        lock.record(lock.previous_check)
        yield lock
    finally:
        os.close(fd)  # closing releases the lock


def peek_check_mark(path: str) -> str:
    """The check mark in ``<journal>.lock`` read without taking the lock (and without creating
    the file): "" when there is none. Safe for a read: the mark is compared with the bytes read,
    so a mark that changed meanwhile only means a full check."""
    try:
        fd = os.open(path + ".lock", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        lines = os.pread(fd, 256, 0).decode("ascii", "replace").splitlines()
    except OSError:
        return ""
    finally:
        os.close(fd)
    return lines[1] if len(lines) > 1 else ""


class HeldLock:
    """The lock file while this process holds it: the holder's pid (for messages to others) and
    the check mark of the journal's last write (see ``schema.check_mark``)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        try:
            lines = os.pread(fd, 256, 0).decode("ascii", "replace").splitlines()
        except OSError:
            lines = []
        self.previous_check = lines[1] if len(lines) > 1 else ""

    def record(self, check: str) -> None:
        try:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, f"{os.getpid()}\n{check}\n".encode(), 0)
        except OSError:
            pass  # the record only saves time and names the holder in messages
