"""Writing files the user names (exports, the demo journal): regular files only, never clobbered.

A path that exists and is not a regular file (a folder, a symbolic link, a device such as
/dev/full, a named pipe, a socket) is refused and left as it is, with or without ``force``: it is
looked at with ``lstat``, so a link is never followed. Without ``force`` an existing file is never
replaced, even one that appears while the new file is being written (it is put in place with
``link``, which fails instead of overwriting). Either way the new file is written in full to a
temporary file in the same folder (0600) and moved into place, so a crash leaves the old file or
the new one, never half of one.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable

from skinlog.errors import ConflictError, JournalError, UsageError, os_reason

_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
}


def _existing(target: str) -> os.stat_result | None:
    try:
        return os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise JournalError(f"cannot write {target}: {os_reason(exc)}") from None


def check_target(path: str, force: bool) -> None:
    """Refuse ``path`` now if writing it would replace anything but a regular file (or, without
    ``force``, anything at all)."""
    target = os.path.abspath(os.path.expanduser(path))
    found = _existing(target)
    if found is not None:
        if stat.S_ISDIR(found.st_mode):
            raise UsageError(f"{path} is a folder: give a file name")
        if not stat.S_ISREG(found.st_mode):
            kind = _KINDS.get(stat.S_IFMT(found.st_mode), "not a regular file")
            raise ConflictError(
                f"{path} is {kind}, not a regular file: skinlog only replaces regular "
                "files, so it was left as it is; choose another name"
            )
        if not force:
            raise ConflictError(f"{path} already exists: add --force to replace it")
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise JournalError(f"cannot write {path}: the folder {folder} does not exist")


def write_new_file(path: str, payload: bytes | Iterable[bytes], force: bool = False) -> None:
    """Write ``payload`` (bytes, or pieces of them) to ``path`` readable only by you (see the
    module's rules)."""
    from skinlog.storage import fsync_dir, remove_stale_temp_files, write_temp

    check_target(path, force)
    target = os.path.abspath(os.path.expanduser(path))
    folder, name = os.path.split(target)
    remove_stale_temp_files(folder, name)  # left by a write of this file that was killed
    try:
        tmp = write_temp(target, payload)
    except OSError as exc:
        raise JournalError(f"cannot write {path}: {os_reason(exc)}") from None
    try:
        if force:
            check_target(path, force)  # it may have changed while the file was written
            os.replace(tmp, target)
        else:
            _link_new(tmp, target, path)
    except OSError as exc:
        raise JournalError(f"cannot write {path}: {os_reason(exc)}") from None
    finally:
        try:
            os.unlink(tmp)  # still there unless it was renamed into place
        except OSError:
            pass
    try:
        fsync_dir(folder)
    except OSError:
        pass  # the file is complete; only the folder's own record may lag behind


def _link_new(tmp: str, target: str, path: str) -> None:
    """Put ``tmp`` in place at ``target`` only if nothing is there."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise ConflictError(f"{path} already exists: add --force to replace it") from None
    except OSError:
        # A file system without hard links: check again, then rename (a far smaller window).
        if os.path.lexists(target):
            raise ConflictError(f"{path} already exists: add --force to replace it") from None
        os.replace(tmp, target)
