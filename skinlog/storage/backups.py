"""Daily backups of a journal: making and rotating them, finding a good one, restoring it."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime

from skinlog.domain.dates import today as local_today
from skinlog.errors import JournalCorruptError, JournalError, NotFoundError, os_reason
from skinlog.storage.files import (
    atomic_write,
    ensure_dir,
    journal_path,
    read_regular_file,
    refuse_special_file,
    remove_stale_temp_files,
    write_new_file,
)
from skinlog.storage.lock import exclusive_lock
from skinlog.storage.schema import load_journal_bytes, parse_journal_bytes

KEEP_BACKUPS = 10


def backup_dir(path: str) -> str:
    return path + ".backups"


def list_backups(path: str) -> list[str]:
    """Backups of a journal, newest first (none when the backups folder is a link)."""
    folder = backup_dir(path)
    if os.path.islink(folder):
        return []
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".json") and not n.startswith(".")]
    except OSError:
        return []
    return [os.path.join(folder, n) for n in sorted(names, reverse=True)]


def _read_bytes(path: str) -> bytes:
    return read_regular_file(path, "a backup")[0]


def newest_good_backup(path: str) -> str | None:
    """The newest backup that passes every check a journal must pass."""
    for candidate in list_backups(path):
        try:
            parse_journal_bytes(_read_bytes(candidate), candidate)
        except (JournalError, OSError):
            continue
        return candidate
    return None


def make_daily_backup(path: str, raw: bytes) -> None:
    """Keep the state before the first change of each day; at most ``KEEP_BACKUPS`` of them.

    Callers pass only bytes that passed every check. Rotation never deletes the backup just
    made nor the newest good one, whatever the dates in the names say.
    """
    folder = backup_dir(path)
    if os.path.islink(folder) or (os.path.lexists(folder) and not os.path.isdir(folder)):
        raise JournalError(
            f"cannot keep the daily backup in {folder}: it is a link or not a folder, which skinlog never "
            "writes through; the journal was not changed"
        )
    target = os.path.join(folder, f"{local_today().isoformat()}.json")
    if os.path.exists(target):
        return
    try:
        ensure_dir(folder)
        remove_stale_temp_files(folder)
        write_new_file(target, raw)
    except (OSError, JournalError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise JournalError(
            f"cannot keep the daily backup in {folder} ({reason}), so the journal was not changed"
        ) from None
    backups = list_backups(path)
    if len(backups) <= KEEP_BACKUPS:
        return
    keep = {target, newest_good_backup(path)}
    for old in backups[KEEP_BACKUPS:]:
        if old in keep:
            continue
        try:
            os.unlink(old)
        except FileNotFoundError:
            pass


def with_backup_hint(error: JournalCorruptError, path: str) -> JournalCorruptError:
    """The same error, saying that nothing was changed and naming the newest good backup."""
    good = newest_good_backup(path)
    if good is None:
        return JournalCorruptError(f"{error}; nothing was changed and no good backup was found")
    return JournalCorruptError(f"{error}; nothing was changed. Newest good backup: {good}", backup=good)


def describe_file(path: str) -> str:
    """What a journal or backup file holds, in a few words: "3 entries, the last on 2026-11-20"
    or why it cannot be used."""
    try:
        _, entries = load_journal_bytes(read_regular_file(path, "a journal")[0], path)
    except FileNotFoundError:
        return "no file"
    except JournalError:
        return "damaged, fails the checks"
    if not entries:
        return "no entries"
    last = date.fromordinal(max(entries)).isoformat()
    count = len(entries)
    return f"{count} {'entry' if count == 1 else 'entries'}, the last on {last}"


def restore_backup(path: str, backup: str, on_wait: Callable[[int | None], None] | None = None) -> str | None:
    """Put ``backup`` in place of the journal; the replaced journal is kept aside, never deleted.

    Returns where the replaced journal was kept, if there was one. The backup must pass every
    check a journal must pass.
    """
    path = journal_path(path)
    try:
        raw = _read_bytes(backup)
    except OSError as exc:
        raise NotFoundError(f"cannot read the backup {backup}: {os_reason(exc)}") from None
    parse_journal_bytes(raw, backup)
    refuse_special_file(path, "the journal")
    if os.path.isdir(path):
        raise JournalError(f"{path} is a folder, not a journal file: move it away first; nothing was changed")
    with exclusive_lock(path, on_wait=on_wait):
        kept = None
        if os.path.exists(path):
            kept = keep_aside(path)
        remove_stale_temp_files(os.path.dirname(path), os.path.basename(path))
        atomic_write(path, raw)
        return kept


def keep_aside(path: str) -> str:
    """Give the journal a new, unused name (``.replaced-STAMP``, then ``-2``, ``-3``...)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        kept = f"{path}.replaced-{stamp}" + (f"-{n}" if n > 1 else "")
        try:
            os.link(path, kept)  # never replaces a file kept before
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: copy it aside instead
            if not write_new_file(kept, read_regular_file(path, "the journal")[0]):
                continue
        # The journal stays where it is until the backup is renamed over it.
        return kept
    raise JournalError(f"cannot find a free name to keep {path} aside")
