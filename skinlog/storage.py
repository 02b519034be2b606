"""The TinyDB journal on disk: atomic writes, a lock, schema versions and daily backups.

This is the only module that imports TinyDB. Every change runs inside ``Journal.transaction()``:
it takes an exclusive lock, reads the file once, lets any number of table operations run on
that copy, then writes the result once (temp file, fsync, rename, fsync of the folder).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any, Union

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from skinlog.domain.dates import latest_stored
from skinlog.domain.entry import Entry
from skinlog.domain.products import STARTER_CATALOGUE, Product, find_product
from skinlog.domain.validation import (
    CHECKS_VERSION,
    check_entries_table,
    check_products_table,
    check_settings_table,
)
from skinlog.errors import (
    ConflictError,
    DayExistsError,
    JournalCorruptError,
    JournalError,
    JournalTooNewError,
    NotFoundError,
    UnknownProductError,
    ValidationError,
    os_reason,
    suggest,
)
from skinlog.strictjson import DuplicateKeyError, loads_unique

PathLike = Union[str, "os.PathLike[str]"]

SCHEMA_VERSION = 2
KEEP_BACKUPS = 10
LOCK_TIMEOUT = 15.0
MAX_JOURNAL_BYTES = 256 * 1024 * 1024

META, ENTRIES, PRODUCTS, SETTINGS = "_meta", "entries", "products", "settings"
# Journal ids migrated from schema 1 are uuid5 names in this namespace.
JOURNAL_ID_NAMESPACE = "5b1c0f4e-8f3a-4c52-9d07-2f6a1e9c3b10"
# A journal id as str(uuid.UUID(...)) writes it; uuid itself is imported only to make one.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def _new_journal_id() -> str:
    import uuid

    return str(uuid.uuid4())


def _schema_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 adds entry events (optional, so entries need nothing) and the journal id, which
    ``load_journal_bytes`` gives a migrated journal (it needs the file's identity)."""
    return data


def _migrated_journal_id(data: dict[str, Any], path: str, stamp: object) -> str:
    """The id of a journal that had none (schema 1).

    It must be the same on every read until the next write stores it (two exports of an
    untouched schema-1 journal then agree), and differ between two people's journals even when
    their contents are the same (two new journals): it is derived from the content together
    with the file's path and identity (device, inode, modification time), which no read changes.
    """
    content = _dumps_sorted({k: v for k, v in data.items() if k != META})
    import hashlib
    import uuid

    seed = hashlib.sha256(content + f"|{path}|{stamp}".encode()).hexdigest()
    return str(uuid.uuid5(uuid.UUID(JOURNAL_ID_NAMESPACE), seed))


# Steps that bring a journal from schema N to N + 1; each takes and returns the raw tables.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _schema_1_to_2}


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


def _loads(raw: bytes) -> Any:
    return orjson.loads(raw)


def _dumps(data: Any) -> bytes:
    return orjson.dumps(data)


def _dumps_sorted(data: Any) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


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


def parse_journal_bytes(raw: bytes, path: str) -> dict[str, Any]:
    """Parse and fully check a journal file's bytes; raise a clear error for anything else."""
    return load_journal_bytes(raw, path)[0]


def _is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


def load_journal_bytes(
    raw: bytes, path: str, stamp: object = None, check_entries: bool = True
) -> tuple[dict[str, Any], dict[int, Entry] | None]:
    """Parse a journal file's bytes and check all of it (the one definition of a valid journal).

    Returns the raw tables and every entry, built once, keyed by the date's ordinal. Anything
    that is not a valid journal raises ``JournalCorruptError`` (or ``JournalTooNewError``).
    ``check_entries=False`` is only for bytes that carry skinlog's check mark (``check_mark``):
    their entries and keys were checked when they were written, and are built when asked for.
    """
    try:
        data = loads_unique(raw) if check_entries else orjson.loads(raw)
    except DuplicateKeyError as exc:
        raise JournalCorruptError(f"the journal {path} is damaged: {exc}") from None
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        raise JournalCorruptError(
            f"cannot read the journal {path}: it is not valid JSON (damaged or cut short)"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get(META), dict):
        raise JournalCorruptError(f"{path} is not a skinlog journal")
    meta = data[META].get("1")
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise JournalCorruptError(f"{path} is not a skinlog journal (no schema version)")
    if version > SCHEMA_VERSION:
        raise JournalTooNewError(
            f"{path} was written by a newer skinlog (journal schema {str(version)[:12]}; this version "
            f"reads up to {SCHEMA_VERSION}): upgrade skinlog to open it; nothing was changed"
        )
    migrated = version < 2
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data[META]["1"]["schema_version"] = version
    if migrated and "journal_id" not in data[META]["1"]:
        data[META]["1"]["journal_id"] = _migrated_journal_id(data, path, stamp)
    damaged = f"the journal {path} is damaged"
    unknown = set(data) - {META, ENTRIES, PRODUCTS, SETTINGS}
    if unknown:
        raise JournalCorruptError(f"{damaged}: it has a table skinlog does not know ('{sorted(unknown)[0]}')")
    for table in (ENTRIES, PRODUCTS, SETTINGS):
        if not isinstance(data.get(table, {}), dict):
            raise JournalCorruptError(f"{path} is not a skinlog journal (bad '{table}' table)")
    if set(data[META]) != {"1"} or set(data[META]["1"]) - {"schema_version", "app", "journal_id"}:
        raise JournalCorruptError(f"{damaged}: its '_meta' record has fields skinlog does not know")
    if data[META]["1"].get("app", "skinlog") != "skinlog":
        raise JournalCorruptError(f"{damaged}: its '_meta' record does not say it was written by skinlog")
    if not _is_uuid(data[META]["1"].get("journal_id")):
        raise JournalCorruptError(f"{damaged}: its journal id is missing or not a UUID")
    latest = latest_stored()  # outside the try: a bad SKINLOG_TODAY is not the journal's damage
    try:
        catalogue = check_products_table(data.get(PRODUCTS, {}))
        check_settings_table(data.get(SETTINGS, {}))
        entries = (
            check_entries_table(data.get(ENTRIES, {}), {p.name for p in catalogue}, latest)
            if check_entries
            else None
        )
    except ValidationError as exc:
        raise JournalCorruptError(f"the journal {path} is damaged: {exc}") from None
    return data, entries


class AtomicJSONStorage(Storage):
    """TinyDB storage that keeps one parsed, fully checked copy and writes atomically.

    Outside a transaction a read notices when the file was replaced since it was loaded (by
    this or any other process) and loads it again, so a long-lived reader (the app) never works
    from a stale copy without knowing it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: dict[str, Any] | None = None
        self._raw: bytes | None = None
        self._entries: dict[int, Entry] | None = None
        self._stamp: tuple[int, int, int, int] | None = None
        self._loaded = False
        self._batch = 0
        self._dirty = False
        self.lock: HeldLock | None = None  # held during a transaction

    def read(self) -> dict[str, Any] | None:
        if not self._loaded or (not self._batch and file_stamp(self.path) != self._stamp):
            self._load()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self._entries = None  # rebuilt from the changed tables when next asked for
        self._loaded = True
        self._dirty = True
        if not self._batch:
            self.flush()

    def close(self) -> None:
        pass

    def entries(self) -> dict[int, Entry]:
        """Every entry by date ordinal, built once per load (or once after a change)."""
        data = self.read()
        if self._entries is None:
            self._entries = self._check((data or {}).get(ENTRIES, {}))
        return self._entries

    def entry_at(self, ordinal: int) -> Entry | None:
        """One day's entry. Right after a change only that day is built again: the rest of the
        journal was checked when it was read, and changes go through checked values."""
        data = self.read()
        if self._entries is not None:
            return self._entries.get(ordinal)
        doc = (data or {}).get(ENTRIES, {}).get(str(ordinal))
        return None if doc is None else self._check({str(ordinal): doc})[ordinal]

    def _check(self, docs: dict[str, Any]) -> dict[int, Entry]:
        """Build (and check) entries of the tables as they are now."""
        names = {str(d.get("name")) for d in (self._data or {}).get(PRODUCTS, {}).values()}
        latest = latest_stored()  # outside the try: a bad SKINLOG_TODAY is not the journal's damage
        try:
            return check_entries_table(docs, names, latest)
        except ValidationError as exc:
            raise JournalCorruptError(f"the journal {self.path} is damaged: {exc}") from None

    # -- our own protocol, used by Journal.transaction()

    def _load(self) -> None:
        self._loaded = False
        self._entries = None
        try:
            raw, st = read_regular_file(self.path, "the journal")
        except FileNotFoundError:
            if list_backups(self.path):
                raise JournalCorruptError(
                    f"the journal {self.path} is missing but its backups are there (moved, or lost in a crash)"
                ) from None
            self._data, self._raw, self._stamp = None, None, None
        else:
            stamp = (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)
            if not raw.strip():
                if list_backups(self.path):
                    raise JournalCorruptError(f"the journal {self.path} is empty")
                self._data, self._raw = None, None
            else:
                marked = self.lock is not None and self.lock.previous_check == check_mark(raw)
                self._data, self._entries = load_journal_bytes(
                    raw, self.path, stamp, check_entries=not marked
                )
                self._raw = raw
            self._stamp = stamp
        self._loaded = True

    def begin(self) -> None:
        if not self._batch:
            self._loaded = False  # read afresh under the lock
            self._dirty = False
        self._batch += 1

    def end(self, ok: bool) -> None:
        self._batch -= 1
        if self._batch:
            return
        if ok and self._dirty:
            self.flush()
        elif not ok:
            self._loaded = False
        self._dirty = False

    def flush(self) -> None:
        assert self._data is not None
        data = self._data
        data.setdefault(
            META, {"1": {"schema_version": SCHEMA_VERSION, "app": "skinlog", "journal_id": _new_journal_id()}}
        )
        folder = os.path.dirname(self.path)
        ensure_dir(folder)
        if self._raw is not None:
            # Only a journal that passed every check when it was read gets here: the backup is good.
            make_daily_backup(self.path, self._raw)
        payload = _dumps(data)
        remove_stale_temp_files(folder, os.path.basename(self.path))
        try:
            atomic_write(self.path, payload)
        except OSError as exc:
            self._loaded = False
            raise JournalError(f"cannot write the journal {self.path}: {os_reason(exc)}") from None
        self._raw = payload
        self._stamp = file_stamp(self.path)
        self._dirty = False
        if self.lock is not None:
            self.lock.record(check_mark(payload))


def file_stamp(path: str) -> tuple[int, int, int, int] | None:
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


# -- backups


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
    target = os.path.join(folder, f"{date.today().isoformat()}.json")
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


def describe_file(path: str) -> str:
    """What a journal or backup file holds, in a few words: "3 entries, the last on 2026-11-20"
    or why it cannot be used."""
    try:
        data, entries = load_journal_bytes(read_regular_file(path, "a journal")[0], path)
    except FileNotFoundError:
        return "no file"
    except JournalError:
        return "damaged, fails the checks"
    if not entries:
        return "no entries"
    last = date.fromordinal(max(entries)).isoformat()
    count = len(entries)
    return f"{count} {'entry' if count == 1 else 'entries'}, the last on {last}"


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


# -- the lock

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


class HeldLock:
    """The lock file while this process holds it: the holder's pid (for messages to others) and
    the check mark of the journal's last write (see ``check_mark``)."""

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


def check_mark(raw: bytes) -> str:
    """A mark of journal bytes that passed every check, kept in the lock file after each write.

    When the journal's bytes still carry the mark of skinlog's last write (same size and CRC-32,
    same rules), nobody changed the file since it was checked and written, so a change under the
    lock need not check every entry again (one day in a ten-year journal then costs a
    millisecond, not ten). Any other file, edited by hand, damaged, or written before the mark
    existed, is checked in full. The mark only ever saves work; it never lets a changed file by.
    """
    import zlib

    return f"{SCHEMA_VERSION}.{CHECKS_VERSION}:{len(raw)}:{zlib.crc32(raw):08x}"


# -- the journal


def _ordinal(day: date) -> int:
    return day.toordinal()


class Journal:
    """A person's journal file: entries (one per date), their products and settings."""

    def __init__(self, path: PathLike) -> None:
        # A link is followed once, here: the real file is read, locked, backed up and
        # replaced, and the link itself stays a link.
        self.path: str = journal_path(path)
        # Called once with the holder's pid when a change has waited half a second for the lock.
        self.on_wait: Callable[[int | None], None] | None = None
        self._storage: AtomicJSONStorage | None = None
        self._db = TinyDB(self.path, storage=self._make_storage)

    def _make_storage(self, path: str) -> AtomicJSONStorage:
        self._storage = AtomicJSONStorage(path)
        return self._storage

    @property
    def storage(self) -> AtomicJSONStorage:
        assert self._storage is not None
        return self._storage

    def stamp(self) -> tuple[int, int, int, int] | None:
        """The journal file's identity as it is on disk now (None when there is no file).

        Every write renames a new file into place, so any change made by any process (this
        one included) gives a different stamp; compare two stamps to see whether the journal
        changed since it was read.
        """
        return file_stamp(self.path)

    def check_readable(self) -> None:
        """Raise the journal's error now (damaged, too new...) rather than on first use."""
        try:
            self.storage.read()
        except JournalCorruptError as exc:
            raise with_backup_hint(exc, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[Journal]:
        """Lock, read once, apply changes, write once; nested calls join the outer one."""
        storage = self.storage
        if storage._batch:
            storage.begin()
            ok = False
            try:
                yield self
                ok = True
            finally:
                storage.end(ok)
            return
        refuse_special_file(self.path, "the journal")  # before a lock file is made beside it
        with exclusive_lock(self.path, on_wait=self.on_wait) as lock:
            storage.lock = lock
            storage.begin()
            ok = False
            try:
                self.check_readable()
                if storage.read() is None:
                    self._initialise()
                yield self
                ok = True
            finally:
                storage.end(ok)
                storage.lock = None
                self._db.clear_cache()

    def _initialise(self) -> None:
        """A new journal: the schema version, a journal id and the starter catalogue."""
        meta = {"schema_version": SCHEMA_VERSION, "app": "skinlog", "journal_id": _new_journal_id()}
        self._db.table(META).insert(Document(meta, doc_id=1))
        products = self._db.table(PRODUCTS)
        for number, product in enumerate(STARTER_CATALOGUE, 1):
            products.insert(Document(product.to_dict(), doc_id=number))

    def journal_id(self) -> str | None:
        """The journal's id (a UUID kept through export and import); None before the first write."""
        self.check_readable()
        data = self.storage.read()
        if not data:
            return None
        value = data[META].get("1", {}).get("journal_id")
        return str(value) if value else None

    def adopt_journal_id(self, journal_id: str) -> None:
        """Take the id of the journal an export came from (an import that replaces everything)."""
        with self.transaction():
            if not _is_uuid(journal_id):
                raise ValidationError(f"'{journal_id[:40]}' is not a journal id")
            self._db.table(META).update({"journal_id": journal_id}, doc_ids=[1])

    # -- entries

    def _entries_by_ordinal(self) -> dict[int, Entry]:
        self.check_readable()
        return self.storage.entries()

    def entries(
        self, since: date | None = None, until: date | None = None, last: int | None = None
    ) -> list[Entry]:
        """Entries oldest first, optionally within dates and only the last N of those."""
        by_ordinal = self._entries_by_ordinal()
        keys = sorted(by_ordinal)
        if since:
            keys = [k for k in keys if k >= _ordinal(since)]
        if until:
            keys = [k for k in keys if k <= _ordinal(until)]
        if last is not None:
            keys = keys[-last:] if last > 0 else []
        return [by_ordinal[k] for k in keys]

    def entry(self, day: date) -> Entry | None:
        self.check_readable()
        return self.storage.entry_at(_ordinal(day))

    def count_entries(self) -> int:
        return len(self._entries_by_ordinal())

    def save_entry(self, entry: Entry, mode: str = "new", given: set[str] | None = None) -> str:
        """Write a day. ``mode``: new (refuse an existing date), replace, or merge.

        Returns what happened: "added", "replaced" or "merged".
        """
        from skinlog.domain.entry import merge_entries

        with self.transaction():
            entry = self._with_catalogue_names(entry)
            table = self._db.table(ENTRIES)
            doc_id = _ordinal(entry.date)
            existing = self.entry(entry.date)
            stamp = _now()
            if existing is None:
                new = _stamped(entry, created=stamp, updated=stamp)
                table.insert(Document(new.to_doc(), doc_id=doc_id))
                return "added"
            if mode == "new":
                raise DayExistsError(f"{entry.date.isoformat()} already has an entry", entry.date)
            if mode == "merge":
                entry = merge_entries(existing, entry, given or set())
            new = _stamped(entry, created=existing.created or stamp, updated=stamp)
            doc = new.to_doc()

            def overwrite(stored: dict[str, Any]) -> None:
                stored.clear()
                stored.update(doc)

            table.update(overwrite, doc_ids=[doc_id])
            return "merged" if mode == "merge" else "replaced"

    def delete_entry(self, day: date) -> Entry:
        with self.transaction():
            existing = self.entry(day)
            if existing is None:
                raise NotFoundError(f"there is no entry on {day.isoformat()}")
            self._db.table(ENTRIES).remove(doc_ids=[_ordinal(day)])
            return existing

    def _with_catalogue_names(self, entry: Entry) -> Entry:
        return entry._replace(products=tuple(self.resolve_products(entry.products)))

    # -- products

    def products(self) -> list[Product]:
        self.check_readable()
        data = self.storage.read()
        if data is None:
            return list(STARTER_CATALOGUE)
        return [Product.from_dict(doc) for doc in data.get(PRODUCTS, {}).values()]

    def resolve_products(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Catalogue spellings for the names given; unknown names get a suggestion."""
        catalogue = self.products()
        resolved = []
        for name in names:
            product = find_product(catalogue, name)
            if product is None:
                hint = suggest(name, [p.name for p in catalogue])
                raise UnknownProductError(f"unknown product '{name}'{hint}", name)
            resolved.append(product.name)
        return list(dict.fromkeys(resolved))

    def add_product(self, product: Product) -> None:
        with self.transaction():
            if find_product(self.products(), product.name):
                raise ConflictError(f"a product called '{product.name}' is already in the catalogue")
            table = self._db.table(PRODUCTS)
            next_id = max((d.doc_id for d in table.all()), default=0) + 1
            table.insert(Document(product.to_dict(), doc_id=next_id))

    def rename_product(self, old: str, new: str) -> Product:
        """Rename in the catalogue and in every entry that used it, in one write."""
        with self.transaction():
            catalogue = self.products()
            current = find_product(catalogue, old)
            if current is None:
                hint = suggest(old, [p.name for p in catalogue])
                raise NotFoundError(f"unknown product '{old}'{hint}")
            clash = find_product(catalogue, new)
            if clash is not None and clash.name != current.name:
                raise ConflictError(f"a product called '{clash.name}' is already in the catalogue")

            def rename_doc(doc: dict[str, Any]) -> None:
                doc["name"] = new

            def rename_in_entry(doc: dict[str, Any]) -> None:
                doc["products"] = [new if p == current.name else p for p in doc["products"]]

            products = self._db.table(PRODUCTS)
            ids = [d.doc_id for d in products.all() if d["name"] == current.name]
            products.update(rename_doc, doc_ids=ids)
            entries = self._db.table(ENTRIES)
            using = [d.doc_id for d in entries.all() if current.name in d.get("products", [])]
            if using:
                entries.update(rename_in_entry, doc_ids=using)
            return Product(new, current.category, current.heavy)

    def set_product(self, name: str, category: str | None = None, heavy: bool | None = None) -> Product:
        """Change a product's category and/or heavy mark (found case-insensitively), in one write."""
        with self.transaction():
            catalogue = self.products()
            current = find_product(catalogue, name)
            if current is None:
                hint = suggest(name, [p.name for p in catalogue])
                raise UnknownProductError(f"unknown product '{name}'{hint}", name)
            changed = current._replace(
                category=current.category if category is None else category,
                heavy=current.heavy if heavy is None else heavy,
            )
            products = self._db.table(PRODUCTS)
            ids = [d.doc_id for d in products.all() if d["name"] == current.name]
            products.update({"category": changed.category, "heavy": changed.heavy}, doc_ids=ids)
            return changed

    # -- settings

    def settings(self) -> dict[str, Any]:
        self.check_readable()
        data = self.storage.read() or {}
        doc = data.get(SETTINGS, {}).get("1", {})
        return dict(doc) if isinstance(doc, dict) else {}

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            table = self._db.table(SETTINGS)
            if table.contains(doc_id=1):
                table.update({key: value}, doc_ids=[1])
            else:
                table.insert(Document({key: value}, doc_id=1))

    def replace_all(self, entries: list[Entry], products: list[Product], settings: dict[str, Any]) -> None:
        """Make the journal hold exactly these entries, products and settings (one write).

        What is written must itself be a valid journal: every product an entry names is in the
        catalogue, names are unique, settings known.
        """
        names = {p.name for p in products}
        for entry in entries:
            if not names.issuperset(entry.products):
                missing = next(n for n in entry.products if n not in names)
                raise ValidationError(
                    f"{entry.date.isoformat()} uses '{missing}', which is not among the products"
                )
        check_products_table({str(i): p.to_dict() for i, p in enumerate(products, 1)})
        check_settings_table({"1": dict(settings)} if settings else {})
        with self.transaction():
            data = self.storage.read() or {}
            data[ENTRIES] = {str(_ordinal(e.date)): e.to_doc() for e in entries}
            data[PRODUCTS] = {str(i): p.to_dict() for i, p in enumerate(products, 1)}
            data[SETTINGS] = {"1": dict(settings)} if settings else {}
            self.storage.write(data)
            for name in (ENTRIES, PRODUCTS, SETTINGS):
                self._db.table(name).clear_cache()


def _stamped(entry: Entry, created: str, updated: str) -> Entry:
    return entry._replace(created=created, updated=updated)


def with_backup_hint(error: JournalCorruptError, path: str) -> JournalCorruptError:
    """The same error, saying that nothing was changed and naming the newest good backup."""
    good = newest_good_backup(path)
    if good is None:
        return JournalCorruptError(f"{error}; nothing was changed and no good backup was found")
    return JournalCorruptError(f"{error}; nothing was changed. Newest good backup: {good}", backup=good)


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
            kept = _keep_aside(path)
        remove_stale_temp_files(os.path.dirname(path), os.path.basename(path))
        atomic_write(path, raw)
        return kept


def _keep_aside(path: str) -> str:
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
