"""A person's journal: entries, products and settings, read from and changed in its storage."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any, Literal

from skinlog.domain.dates import latest_stored
from skinlog.domain.entry import Entry
from skinlog.domain.photos import Photo
from skinlog.domain.products import STARTER_CATALOGUE, Product, find_product
from skinlog.domain.settings import SETTINGS as SETTING_RULES
from skinlog.domain.validation import (
    check_entries_table,
    check_photos_table,
    check_products_table,
    check_settings_table,
)
from skinlog.errors import (
    ConflictError,
    DayExistsError,
    JournalCorruptError,
    JournalError,
    NotFoundError,
    UnknownProductError,
    ValidationError,
    echo,
    suggest,
)
from skinlog.storage.backups import with_backup_hint
from skinlog.storage.files import FileStamp, PathLike, file_stamp, journal_path
from skinlog.storage.schema import ENTRIES, META, PHOTOS, PRODUCTS, SETTINGS, is_journal_id, new_meta
from skinlog.storage.tinystore import AtomicJSONStorage
from skinlog.storage.undo import UNDO, Change, Images, changes, fingerprint, next_redo, next_undo

SaveMode = Literal["new", "replace", "merge"]
"""How a day is saved: new (refuse a day that has an entry), replace it, or merge into it."""


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _key(day: date) -> str:
    """The key of a day's record in the entries table: its date's ordinal."""
    return str(day.toordinal())


def _stamped(entry: Entry, created: str, updated: str) -> Entry:
    return entry._replace(created=created, updated=updated)


class Journal:
    """A person's journal file: entries (one per date), their products and settings.

    Every change runs inside ``transaction()``: it takes an exclusive lock, reads the file once,
    lets any number of changes run on that copy, then writes the result once.
    """

    def __init__(self, path: PathLike) -> None:
        # A link is followed once, here: the real file is read, locked, backed up and
        # replaced, and the link itself stays a link.
        self.path: str = journal_path(path)
        # Called once with the holder's pid when a change has waited half a second for the lock.
        self.on_wait: Callable[[int | None], None] | None = None
        self.storage = AtomicJSONStorage(self.path)

    def stamp(self) -> FileStamp | None:
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
    def transaction(self, what: str | None = None) -> Iterator[Journal]:
        """Lock, read once, apply changes, write once; nested calls join the outer one.

        All the changes of the outermost transaction are one change in the undo history;
        ``what`` says what it was in words (otherwise the words of each change made are joined).
        """
        outermost = not self.storage.in_transaction
        with self.storage.transaction(on_wait=self.on_wait):
            if outermost:
                self.check_readable()
                if self.storage.read() is None:
                    self._initialise()
            if what is not None:
                self.storage.describe(what, final=True)
            yield self

    def _initialise(self) -> None:
        """A new journal: the schema version, a journal id and the starter catalogue."""
        self.storage.put(META, {"1": new_meta()})
        self.storage.put(
            PRODUCTS,
            {str(number): p.to_dict() for number, p in enumerate(STARTER_CATALOGUE, 1)},
            track=False,  # undoing the first day keeps the catalogue a journal starts with
        )

    def journal_id(self) -> str | None:
        """The journal's id (a UUID kept through export and import); None before the first write."""
        self.check_readable()
        value = self.storage.records(META).get("1", {}).get("journal_id")
        return str(value) if value else None

    def adopt_journal_id(self, journal_id: str) -> None:
        """Take the id of the journal an export came from (an import that replaces everything)."""
        with self.transaction():
            if not is_journal_id(journal_id):
                raise ValidationError(f"'{journal_id[:40]}' is not a journal id")
            meta = self.storage.records(META)["1"]
            self.storage.put(META, {"1": {**meta, "journal_id": journal_id}})

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
            keys = [k for k in keys if k >= since.toordinal()]
        if until:
            keys = [k for k in keys if k <= until.toordinal()]
        if last is not None:
            keys = keys[-last:] if last > 0 else []
        return [by_ordinal[k] for k in keys]

    def entry(self, day: date) -> Entry | None:
        self.check_readable()
        return self.storage.entry_at(day.toordinal())

    def count_entries(self) -> int:
        return len(self._entries_by_ordinal())

    def save_entry(self, entry: Entry, mode: SaveMode = "new", given: set[str] | None = None) -> str:
        """Write a day. ``mode``: new (refuse an existing date), replace, or merge. A day after
        the last one a journal may hold is refused, as the journal's own check would refuse it.

        Returns what happened: "added", "replaced" or "merged".
        """
        from skinlog.domain.entry import merge_entries

        if mode not in ("new", "replace", "merge"):
            raise ValueError(f"unknown save mode {mode!r}")
        if entry.date > latest_stored():
            raise ValidationError(f"{entry.date.isoformat()} is in the future; nothing was written")
        with self.transaction():
            entry = self._with_catalogue_names(entry)
            existing = self.entry(entry.date)
            stamp = _now()
            day = entry.date.isoformat()
            if existing is None or mode != "new":
                self.storage.describe({"merge": f"merged into {day}"}.get(mode, f"saved {day}"))
            if existing is None:
                new = _stamped(entry, created=stamp, updated=stamp)
                self.storage.put(ENTRIES, {_key(entry.date): new.to_doc()})
                return "added"
            if mode == "new":
                raise DayExistsError(f"{entry.date.isoformat()} already has an entry", entry.date)
            if mode == "merge":
                entry = merge_entries(existing, entry, given or set())
            new = _stamped(entry, created=existing.created or stamp, updated=stamp)
            self.storage.put(ENTRIES, {_key(entry.date): new.to_doc()})
            return "merged" if mode == "merge" else "replaced"

    def delete_entry(self, day: date) -> Entry:
        with self.transaction():
            existing = self.entry(day)
            if existing is None:
                raise NotFoundError(f"there is no entry on {day.isoformat()}")
            self.storage.describe(f"deleted {day.isoformat()}")
            self.storage.put(ENTRIES, {_key(day): None})
            return existing

    def _with_catalogue_names(self, entry: Entry) -> Entry:
        return entry._replace(products=tuple(self.resolve_products(entry.products)))

    # -- products

    def products(self) -> list[Product]:
        self.check_readable()
        if self.storage.read() is None:
            return list(STARTER_CATALOGUE)
        return [Product.from_dict(doc) for doc in self.storage.records(PRODUCTS).values()]

    def resolve_products(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Catalogue spellings for the names given; unknown names get a suggestion."""
        catalogue = self.products()
        resolved = []
        for name in names:
            product = find_product(catalogue, name)
            if product is None:
                hint = suggest(name, [p.name for p in catalogue])
                raise UnknownProductError(f"unknown product '{echo(name)}'{hint}", name)
            resolved.append(product.name)
        return list(dict.fromkeys(resolved))

    def add_product(self, product: Product) -> None:
        with self.transaction():
            if find_product(self.products(), product.name):
                raise ConflictError(f"a product called '{echo(product.name)}' is already in the catalogue")
            next_id = max((int(key) for key in self.storage.records(PRODUCTS)), default=0) + 1
            self.storage.describe(f"added product {product.name}")
            self.storage.put(PRODUCTS, {str(next_id): product.to_dict()})

    def rename_product(self, old: str, new: str) -> Product:
        """Rename in the catalogue and in every entry that used it, in one write."""
        with self.transaction():
            catalogue = self.products()
            current = find_product(catalogue, old)
            if current is None:
                hint = suggest(old, [p.name for p in catalogue])
                raise NotFoundError(f"unknown product '{echo(old)}'{hint}")
            clash = find_product(catalogue, new)
            if clash is not None and clash.name != current.name:
                raise ConflictError(f"a product called '{echo(clash.name)}' is already in the catalogue")
            self.storage.describe(f"renamed product {current.name} to {new}")
            products = self.storage.records(PRODUCTS)
            self.storage.put(
                PRODUCTS,
                {key: {**doc, "name": new} for key, doc in products.items() if doc["name"] == current.name},
            )
            using = {
                key: {**doc, "products": [new if p == current.name else p for p in doc["products"]]}
                for key, doc in self.storage.records(ENTRIES).items()
                if current.name in doc.get("products", [])
            }
            if using:
                self.storage.put(ENTRIES, using)
            return current._replace(name=new)

    def set_product(
        self, name: str, category: str | None = None, heavy: bool | None = None, archived: bool | None = None
    ) -> Product:
        """Change a product's category, heavy mark and/or archived mark (found case-insensitively),
        in one write."""
        with self.transaction():
            catalogue = self.products()
            current = find_product(catalogue, name)
            if current is None:
                hint = suggest(name, [p.name for p in catalogue])
                raise UnknownProductError(f"unknown product '{echo(name)}'{hint}", name)
            changed = current._replace(
                category=current.category if category is None else category,
                heavy=current.heavy if heavy is None else heavy,
                archived=current.archived if archived is None else archived,
            )
            self.storage.describe(f"changed product {current.name}")
            products = self.storage.records(PRODUCTS)
            self.storage.put(
                PRODUCTS,
                {key: changed.to_dict() for key, doc in products.items() if doc["name"] == current.name},
            )
            return changed

    # -- settings

    def settings(self) -> dict[str, Any]:
        self.check_readable()
        doc = self.storage.records(SETTINGS).get("1", {})
        return dict(doc) if isinstance(doc, dict) else {}

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            current = self.storage.records(SETTINGS).get("1", {})
            known = SETTING_RULES.get(key)
            default = known is not None and value == known.default
            self.storage.describe(f"reset {key} to {value}" if default else f"set {key} to {value}")
            self.storage.put(SETTINGS, {"1": {**current, key: value}})

    def replace_all(
        self,
        entries: list[Entry],
        products: list[Product],
        settings: dict[str, Any],
        photos: Sequence[Photo] = (),
    ) -> None:
        """Make the journal hold exactly these entries, products, settings and photo records (one
        write): photos it held that are not among ``photos`` are no longer recorded (their files
        stay, as after ``remove_photo``).

        What is written must itself be a valid journal: every product an entry names is in the
        catalogue, names are unique, settings known, and every photo's file is already in the
        photo folder at its recorded size (written before the journal refers to it).
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
        photo_table = {str(i): p.to_dict() for i, p in enumerate(photos, 1)}
        check_photos_table(photo_table, latest_stored())
        self._check_photo_files(photos)
        with self.transaction():
            data = dict(self.storage.read() or {})
            data[ENTRIES] = {_key(e.date): e.to_doc() for e in entries}
            data[PRODUCTS] = {str(i): p.to_dict() for i, p in enumerate(products, 1)}
            data[SETTINGS] = {"1": dict(settings)} if settings else {}
            data[PHOTOS] = photo_table
            self.storage.describe(
                f"replaced the journal with {len(entries)} day{'s' if len(entries) != 1 else ''}"
            )
            self.storage.write(data)

    # -- photos (the records; the files are in ``skinlog.storage.photos``)

    def _check_photo_files(self, photos: Sequence[Photo]) -> None:
        """Refuse to record photos whose files are not in the photo folder at their size."""
        from skinlog.storage.photos import photo_file

        for photo in photos:
            path = photo_file(self.path, photo)
            try:
                there = not path.is_symlink() and path.is_file() and path.stat().st_size == photo.size
            except OSError:
                there = False
            if not there:
                raise JournalError(
                    f"the picture of photo {photo.id} is not in {path.parent}; the journal was not changed"
                )

    def photos(self) -> list[Photo]:
        """Every photo record, by day, then by when it was added."""
        self.check_readable()
        try:
            return check_photos_table(self.storage.records(PHOTOS))
        except ValidationError as exc:  # checked when read: only a bug gets here
            raise JournalCorruptError(f"the journal {self.path} is damaged: {exc}") from None

    def add_photo(self, photo: Photo) -> bool:
        """Record a photo whose file is already stored (one change, undoable).

        Returns False, changing nothing, when the journal already records that picture. A day
        after the last one a journal may hold is refused, as the journal's own check would.
        """
        check_photos_table({"1": photo.to_dict()}, latest_stored())  # what is written is valid
        with self.transaction():
            records = self.storage.records(PHOTOS)
            same = [doc for doc in records.values() if doc["id"] == photo.id]
            if same and same[0]["sha256"] != photo.sha256:  # one in 2**48: refused, never mixed up
                raise ConflictError(f"another picture already has the id {photo.id}; nothing was added")
            if same:
                return False
            key = str(max((int(k) for k in records), default=0) + 1)
            self.storage.describe(f"added photo {photo.id} ({photo.day.isoformat()})")
            self.storage.put(PHOTOS, {key: photo.to_dict()})
            return True

    def remove_photo(self, photo_id: str) -> Photo:
        """Take a photo's record out of the journal (one change, undoable); its file stays."""
        with self.transaction():
            for key, doc in self.storage.records(PHOTOS).items():
                if doc["id"] == photo_id:
                    self.storage.describe(f"removed photo {photo_id} ({doc['date']})")
                    self.storage.put(PHOTOS, {key: None})
                    return Photo.from_dict(doc)
            raise NotFoundError(f"there is no photo {photo_id}")

    def prune_photo_files(self, only: set[str] | None = None) -> list[str]:
        """Delete the picture files (``only``: of these names) that neither the journal, its undo
        history nor any kept backup refers to, under the journal's lock; returns their names."""
        from skinlog.storage.photos import delete_photo_files

        if self.stamp() is None:  # no journal: nothing to make a lock and a new journal for
            return []
        with self.transaction():
            unused = set(self.unused_photo_files())
            if only is not None:
                unused &= only
            return [p.name for p in delete_photo_files(self.path, unused)]

    def unused_photo_files(self) -> list[str]:
        """The names of the picture files in the photo folder that neither the journal, its undo
        history nor any kept backup refers to."""
        from skinlog.storage.photos import files_in_use, is_photo_file_name, stored_files

        self.check_readable()
        used = files_in_use(self.path, self.storage.read() or {})
        return [p.name for p in stored_files(self.path) if p.name not in used and is_photo_file_name(p.name)]

    # -- undo

    def changes(self) -> list[Change]:
        """The changes kept for undo, newest first."""
        self.check_readable()
        return changes(self.storage.records(UNDO))

    def next_undo(self, redo: bool = False) -> Change | None:
        """The change ``undo`` would revert now (with ``redo``: the undo ``redo`` would revert)."""
        self.check_readable()
        history = self.storage.records(UNDO)
        return next_redo(history) if redo else next_undo(history)

    def undo(self, expected: int | None = None, redo: bool = False) -> Change:
        """Revert the newest change still in effect (``redo``: the newest undo), as a new change.

        Under the lock: refuses (nothing written) when there is nothing to undo, when the change
        is not the one the person was shown (``expected``), when it was too large to keep, or
        when the records it would put back were changed since by a change still in effect.
        Returns the change reverted.
        """
        with self.transaction():
            history = self.storage.records(UNDO)
            target = next_redo(history) if redo else next_undo(history)
            if target is None:
                raise NotFoundError(f"there is nothing to {'redo' if redo else 'undo'}")
            if expected is not None and target.id != expected:
                raise ConflictError("the journal was changed meanwhile; nothing was undone")
            if target.before is None:
                raise ConflictError(
                    f"'{target.title}' changed too much to be kept for undo; "
                    "a backup from before it can be put back instead"
                )
            tables = self.storage.read() or {}
            if fingerprint(tables, target.before) != history[str(target.id)]["after"]:
                raise ConflictError(
                    f"cannot undo '{target.title}': what it changed was changed again since; "
                    "nothing was undone"
                )
            self._restore(target.before)
            if target.kind == "undo":
                self.storage.describe(target.what, kind="redo", undoes=target.id, final=True)
            else:
                self.storage.describe(target.what, kind="undo", undoes=target.id, final=True)
            return target

    def _restore(self, before: Images) -> None:
        """Put records back as they were, then check the journal they make (nothing is written
        if that fails: the transaction raises)."""
        for table, records in before.items():
            self.storage.put(table, records)
        tables = self.storage.read() or {}
        try:
            catalogue = check_products_table(tables.get(PRODUCTS, {}))
            check_settings_table(tables.get(SETTINGS, {}))
            check_entries_table(tables.get(ENTRIES, {}), {p.name for p in catalogue}, latest_stored())
            check_photos_table(tables.get(PHOTOS, {}), latest_stored())
        except ValidationError as exc:
            raise ConflictError(
                f"undoing it would leave the journal inconsistent ({exc}); nothing was undone"
            ) from None
