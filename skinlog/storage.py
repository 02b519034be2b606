"""The TinyDB journal on disk: atomic writes, a lock, schema versions and daily backups.

This is the only module that imports TinyDB. Every change runs inside ``Journal.transaction()``:
it takes an exclusive lock, reads the file once, lets any number of table operations run on
that copy, then writes the result once (temp file, fsync, rename, fsync of the folder).
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any, Union

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from skinlog.domain.entry import Entry, entry_from_doc
from skinlog.domain.products import STARTER_CATALOGUE, Product, find_product
from skinlog.errors import (
    ConflictError,
    DayExistsError,
    JournalCorruptError,
    JournalError,
    JournalTooNewError,
    NotFoundError,
    UnknownProductError,
    ValidationError,
    suggest,
)

PathLike = Union[str, "os.PathLike[str]"]

SCHEMA_VERSION = 1
KEEP_BACKUPS = 10
LOCK_TIMEOUT = 15.0
MAX_JOURNAL_BYTES = 256 * 1024 * 1024

# Steps that bring a journal from schema N to N + 1; each takes and returns the raw tables.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

META, ENTRIES, PRODUCTS, SETTINGS = "_meta", "entries", "products", "settings"


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


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _fsync_dir(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file, 0600."""
    folder, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(folder)


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
        raise JournalError(f"cannot create the folder {folder}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)


def parse_journal_bytes(raw: bytes, path: str) -> dict[str, Any]:
    """Parse and check a journal file's bytes; raise a clear error for anything else."""
    try:
        data = _loads(raw)
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        raise JournalCorruptError(
            f"cannot read the journal {path}: it is not valid JSON (damaged or cut short)"
        ) from None
    if not isinstance(data, dict) or (data and not isinstance(data.get(META), dict)):
        raise JournalCorruptError(f"{path} is not a skinlog journal")
    if not data:
        return data
    meta = data[META].get("1")
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise JournalCorruptError(f"{path} is not a skinlog journal (no schema version)")
    if version > SCHEMA_VERSION:
        raise JournalTooNewError(
            f"{path} was written by a newer skinlog (journal schema {version}; this version "
            f"reads up to {SCHEMA_VERSION}): upgrade skinlog to open it"
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data[META]["1"]["schema_version"] = version
    for table in (ENTRIES, PRODUCTS, SETTINGS):
        if not isinstance(data.get(table, {}), dict):
            raise JournalCorruptError(f"{path} is not a skinlog journal (bad '{table}' table)")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage that keeps one parsed copy per transaction and writes atomically."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._data: dict[str, Any] | None = None
        self._raw: bytes | None = None
        self._loaded = False
        self._batch = 0
        self._dirty = False

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self._load()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self._loaded = True
        self._dirty = True
        if not self._batch:
            self.flush()

    def close(self) -> None:
        pass

    # -- our own protocol, used by Journal.transaction()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > MAX_JOURNAL_BYTES:
                    raise JournalError(f"{self.path} is too large to be a skinlog journal")
                raw = handle.read()
        except FileNotFoundError:
            self._data, self._raw = None, None
        except IsADirectoryError:
            raise JournalError(f"{self.path} is a folder, not a journal file") from None
        except OSError as exc:
            raise JournalError(f"cannot read the journal {self.path}: {_reason(exc)}") from None
        else:
            if not raw.strip():
                if list_backups(self.path):
                    raise JournalCorruptError(f"the journal {self.path} is empty")
                self._data, self._raw = None, None
            else:
                self._data, self._raw = parse_journal_bytes(raw, self.path), raw
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
        data.setdefault(META, {"1": {"schema_version": SCHEMA_VERSION, "app": "skinlog"}})
        ensure_dir(os.path.dirname(os.path.abspath(self.path)))
        try:
            if self._raw is not None:
                make_daily_backup(self.path, self._raw)
            payload = _dumps(data)
            atomic_write(self.path, payload)
        except OSError as exc:
            self._loaded = False
            raise JournalError(f"cannot write the journal {self.path}: {_reason(exc)}") from None
        self._raw = payload
        self._dirty = False


# -- backups


def backup_dir(path: str) -> str:
    return path + ".backups"


def list_backups(path: str) -> list[str]:
    """Backups of a journal, newest first."""
    folder = backup_dir(path)
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".json") and not n.startswith(".")]
    except OSError:
        return []
    return [os.path.join(folder, n) for n in sorted(names, reverse=True)]


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def newest_good_backup(path: str) -> str | None:
    for candidate in list_backups(path):
        try:
            parse_journal_bytes(_read_bytes(candidate), candidate)
        except (JournalError, OSError):
            continue
        return candidate
    return None


def make_daily_backup(path: str, raw: bytes) -> None:
    """Keep the state before the first change of each day; at most ``KEEP_BACKUPS`` of them."""
    folder = backup_dir(path)
    target = os.path.join(folder, f"{date.today().isoformat()}.json")
    if os.path.exists(target):
        return
    ensure_dir(folder)
    atomic_write(target, raw)
    for old in list_backups(path)[KEEP_BACKUPS:]:
        try:
            os.unlink(old)
        except FileNotFoundError:
            pass


# -- the lock


@contextmanager
def exclusive_lock(path: str, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An inter-process lock on ``<journal>.lock`` (advisory, released when the process dies)."""
    folder = os.path.dirname(os.path.abspath(path))
    ensure_dir(folder)
    try:
        fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise JournalError(f"cannot write in {folder}: {_reason(exc)}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise JournalError(
                        f"the journal {path} is busy: another skinlog is still writing it"
                    ) from None
                time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # closing releases the lock


# -- the journal


def _ordinal(day: date) -> int:
    return day.toordinal()


class Journal:
    """A person's journal file: entries (one per date), their products and settings."""

    def __init__(self, path: PathLike) -> None:
        self.path: str = os.fspath(path)
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
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)

    def check_readable(self) -> None:
        """Raise the journal's error now (corrupt, too new...) rather than on first use."""
        try:
            self.storage.read()
        except JournalCorruptError as exc:
            raise JournalCorruptError(with_backup_hint(str(exc), self.path)) from None

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
        with exclusive_lock(self.path):
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
                self._db.clear_cache()

    def _initialise(self) -> None:
        """A new journal: the schema version and the starter catalogue."""
        meta = {"schema_version": SCHEMA_VERSION, "app": "skinlog"}
        self._db.table(META).insert(Document(meta, doc_id=1))
        products = self._db.table(PRODUCTS)
        for number, product in enumerate(STARTER_CATALOGUE, 1):
            products.insert(Document(product.to_dict(), doc_id=number))

    # -- entries

    def _entry_docs(self) -> dict[str, Any]:
        self.check_readable()
        data = self.storage.read() or {}
        table = data.get(ENTRIES, {})
        return table if isinstance(table, dict) else {}

    def entries(
        self, since: date | None = None, until: date | None = None, last: int | None = None
    ) -> list[Entry]:
        """Entries oldest first, optionally within dates and only the last N of those."""
        docs = self._entry_docs()
        keys = sorted(int(k) for k in docs)
        if since:
            keys = [k for k in keys if k >= _ordinal(since)]
        if until:
            keys = [k for k in keys if k <= _ordinal(until)]
        if last is not None:
            keys = keys[-last:] if last > 0 else []
        return [self._to_entry(docs[str(k)]) for k in keys]

    def _to_entry(self, doc: Mapping[str, Any]) -> Entry:
        try:
            return entry_from_doc(doc)
        except ValidationError as exc:
            raise JournalCorruptError(
                with_backup_hint(f"the journal {self.path} holds a bad entry: {exc}", self.path)
            ) from None

    def entry(self, day: date) -> Entry | None:
        doc = self._entry_docs().get(str(_ordinal(day)))
        return self._to_entry(doc) if doc is not None else None

    def count_entries(self) -> int:
        return len(self._entry_docs())

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

    def replace_all(
        self, entries: list[Entry], products: list[Product], settings: dict[str, Any]
    ) -> None:
        """Make the journal hold exactly these entries, products and settings (one write)."""
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


def with_backup_hint(message: str, path: str) -> str:
    good = newest_good_backup(path)
    if good is None:
        return f"{message}; nothing was changed and no good backup was found"
    return (
        f"{message}; nothing was changed. Newest good backup: {good} "
        "(put it back with 'skinlog restore-backup')"
    )


def restore_backup(path: str, backup: str) -> str | None:
    """Put ``backup`` in place of the journal; a damaged journal is kept aside, never deleted.

    Returns where the replaced journal was kept, if there was one.
    """
    try:
        raw = _read_bytes(backup)
    except OSError as exc:
        raise NotFoundError(f"cannot read the backup {backup}: {_reason(exc)}") from None
    parse_journal_bytes(raw, backup)
    with exclusive_lock(path):
        kept = None
        if os.path.exists(path):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept = f"{path}.replaced-{stamp}"
            os.replace(path, kept)
        atomic_write(path, raw)
        return kept
