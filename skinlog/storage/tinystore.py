"""The TinyDB storage of a journal: one parsed, checked copy, read and changed in one place."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from tinydb.storages import Storage

from skinlog.domain.dates import latest_stored
from skinlog.domain.entry import Entry
from skinlog.domain.validation import check_entries_table
from skinlog.errors import JournalCorruptError, JournalError, ValidationError, os_reason
from skinlog.storage.backups import list_backups, make_daily_backup
from skinlog.storage.files import (
    FileStamp,
    atomic_write,
    ensure_dir,
    file_stamp,
    read_regular_file,
    refuse_special_file,
    remove_stale_temp_files,
)
from skinlog.storage.lock import HeldLock, exclusive_lock, peek_check_mark
from skinlog.storage.schema import (
    ENTRIES,
    META,
    PRODUCTS,
    Tables,
    check_mark,
    dumps,
    load_journal_bytes,
    new_meta,
)
from skinlog.storage.undo import UNDO, UNDO_TABLES, Images, add_record, changed_images

Record = dict[str, Any]


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class AtomicJSONStorage(Storage):
    """TinyDB storage that keeps one parsed, fully checked copy of a journal and writes atomically.

    Everything read comes from that copy (``records``, ``entries``, ``entry_at``, and TinyDB's
    ``read``), and every change goes into it (``put`` for some records, ``write`` for the whole
    journal), which keeps the entries built from it in step: there is no second view that could
    disagree with what is written. Changes run inside ``transaction()``.

    Outside a transaction a read notices when the file was replaced since it was loaded (by
    this or any other process) and loads it again, so a long-lived reader (the app) never works
    from a stale copy without knowing it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: Tables | None = None
        self._raw: bytes | None = None
        self._entries: dict[int, Entry] | None = None
        self._stamp: FileStamp | None = None
        self._loaded = False
        self._depth = 0  # how many transactions are open (nested ones join the outermost)
        self._dirty = False
        self._lock: HeldLock | None = None  # held during a transaction
        # A reader that never writes (``skinlog status``) may trust the check mark in the lock
        # file without holding the lock: the mark is of the bytes read, or the file is checked.
        self.trust_unlocked_mark = False
        self._reset_change()

    def _reset_change(self) -> None:
        """Forget what the transaction changed (kept for its undo record)."""
        self._before: Images = {}  # the records changed, as they were when the transaction began
        self._whole: set[str] = set()  # tables replaced whole by ``write``
        self._what: list[str] = []
        self._said: tuple[str, str, int | None] | None = None  # set by ``describe(final=True)``

    # -- transactions

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self, on_wait: Callable[[int | None], None] | None = None) -> Iterator[None]:
        """Hold the journal's lock, read the file afresh under it, let any number of changes
        run on that copy, then write once (temp file, fsync, rename, fsync of the folder).

        Nested calls join the outer one, which does the write. When the block raises (or the
        write fails) nothing is written and the copy in memory is dropped, so the next read
        loads the file as it is. ``on_wait`` is told the holder's pid if the lock is busy.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        refuse_special_file(self.path, "the journal")  # before a lock file is made beside it
        with exclusive_lock(self.path, on_wait=on_wait) as lock:
            self._lock = lock
            self._depth = 1
            self._loaded = False  # read afresh under the lock
            self._dirty = False
            self._reset_change()
            ok = False
            try:
                yield
                if self._dirty:
                    self._flush()
                ok = True
            finally:
                self._depth = 0
                self._lock = None
                self._dirty = False
                self._reset_change()
                if not ok:
                    self._loaded = False

    # -- reads: all from the one copy

    def read(self) -> Tables | None:
        """The whole journal (None when there is no file yet); TinyDB's protocol.

        The tables returned are the copy itself: change them only through ``put`` or ``write``.
        """
        if not self._loaded or (not self._depth and file_stamp(self.path) != self._stamp):
            self._load()
        return self._data

    def records(self, table: str) -> Mapping[str, Record]:
        """One table's records by key, read-only (empty when there is no file or no such table)."""
        return MappingProxyType((self.read() or {}).get(table, {}))

    def entries(self) -> dict[int, Entry]:
        """Every entry by date ordinal, built once per load and kept in step by every change."""
        data = self.read()
        if self._entries is None:
            self._entries = self._check((data or {}).get(ENTRIES, {}))
        return self._entries

    def entry_at(self, ordinal: int) -> Entry | None:
        """One day's entry. When the entries were not built (a journal that carries the check
        mark of skinlog's last write), only that day is built: the rest was checked before."""
        data = self.read()
        if self._entries is not None:
            return self._entries.get(ordinal)
        doc = (data or {}).get(ENTRIES, {}).get(str(ordinal))
        return None if doc is None else self._check({str(ordinal): doc})[ordinal]

    # -- changes: all into the one copy, written when the transaction ends

    def describe(
        self, what: str, kind: str = "change", undoes: int | None = None, final: bool = False
    ) -> None:
        """Say what the transaction's change is, for its undo record. The descriptions of the
        changes made in one transaction are joined; a ``final`` one replaces them all."""
        self._require_transaction()
        if final:
            self._said = (what, kind, undoes)
        elif what not in self._what:
            self._what.append(what)

    def put(self, table: str, records: Mapping[str, Record | None], track: bool = True) -> None:
        """Set records of one table by key; a record given as None is removed.

        Records of the entries, products and settings are kept as they were for the change's
        undo record (``track=False``: not, for what a new journal starts with)."""
        self._require_transaction()
        data = self.read()
        if data is None:
            data = self._data = {}
        if track and table in UNDO_TABLES:
            before = self._before.setdefault(table, {})
            current = data.get(table, {})
            for key in records:
                if key not in before:
                    before[key] = current.get(key)
        built: dict[int, Entry] = {}
        if table == ENTRIES and self._entries is not None:
            built = self._check({k: doc for k, doc in records.items() if doc is not None})
        stored = data.setdefault(table, {})
        for key, doc in records.items():
            if doc is None:
                stored.pop(key, None)
            else:
                stored[key] = doc
        if table == ENTRIES and self._entries is not None:
            for key, doc in records.items():
                if doc is None:
                    self._entries.pop(int(key), None)
            self._entries.update(built)
        self._dirty = True

    def write(self, data: Tables) -> None:
        """The whole journal becomes ``data``; TinyDB's protocol. Outside a transaction this runs
        in one of its own."""
        if not self._depth:
            with self.transaction():
                self.write(data)
            return
        old = self.read() or {}  # the file being replaced must be a valid journal: it becomes the backup
        for table in UNDO_TABLES:
            before = self._before.setdefault(table, {})
            for key, doc in old.get(table, {}).items():
                before.setdefault(key, doc)
            self._whole.add(table)
        data.setdefault(UNDO, old.get(UNDO, {}))
        self._data = data
        self._entries = None  # built from the new tables when next asked for
        self._dirty = True

    def close(self) -> None:
        pass

    def _require_transaction(self) -> None:
        if not self._depth:
            raise RuntimeError("a journal is changed only inside transaction()")

    def _check(self, docs: dict[str, Any]) -> dict[int, Entry]:
        """Build (and check) entries of the tables as they are now."""
        names = {str(d.get("name")) for d in (self._data or {}).get(PRODUCTS, {}).values()}
        latest = latest_stored()  # outside the try: a bad SKINLOG_TODAY is not the journal's damage
        try:
            return check_entries_table(docs, names, latest)
        except ValidationError as exc:
            raise JournalCorruptError(f"the journal {self.path} is damaged: {exc}") from None

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
                if self._lock is not None:
                    marked = self._lock.previous_check == check_mark(raw)
                else:
                    marked = self.trust_unlocked_mark and peek_check_mark(self.path) == check_mark(raw)
                self._data, self._entries = load_journal_bytes(
                    raw, self.path, stamp, check_entries=not marked
                )
                self._raw = raw
            self._stamp = stamp
        self._loaded = True

    def _record_change(self, data: Tables) -> None:
        """Add the undo record of the change about to be written (none if nothing it keeps changed)."""
        for table in self._whole:
            before = self._before.setdefault(table, {})
            for key in data.get(table, {}):
                before.setdefault(key, None)
        before = changed_images(self._before, data)
        if not before:
            return
        what, kind, undoes = self._said or ("; ".join(self._what) or "changed the journal", "change", None)
        add_record(data, before, what, _now(), kind, undoes)

    def _flush(self) -> None:
        assert self._data is not None
        data = self._data
        data.setdefault(META, {"1": new_meta()})
        self._record_change(data)
        folder = os.path.dirname(self.path)
        ensure_dir(folder)
        if self._raw is not None:
            # Only a journal that passed every check when it was read gets here: the backup is good.
            make_daily_backup(self.path, self._raw)
        payload = dumps(data)
        remove_stale_temp_files(folder, os.path.basename(self.path))
        try:
            atomic_write(self.path, payload)
        except OSError as exc:
            raise JournalError(f"cannot write the journal {self.path}: {os_reason(exc)}") from None
        self._raw = payload
        self._stamp = file_stamp(self.path)
        self._dirty = False
        if self._lock is not None:
            self._lock.record(check_mark(payload))
