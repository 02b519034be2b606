"""Logging a day: the entry and, when asked, the products it names that the catalogue lacks; the
last entry to start a day from; the products a day's form offers."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence, Set
from datetime import date, timedelta
from typing import TYPE_CHECKING

from skinlog.domain.entry import Entry
from skinlog.domain.products import Product, default_heavy, find_product
from skinlog.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from skinlog.storage import Journal, SaveMode


def add_missing_products(journal: Journal, names: Iterable[str], category: str) -> list[Product]:
    """Add each of ``names`` that the catalogue lacks to it, in ``category`` with that category's
    heavy mark; a name is added once however often (and in whatever case) it is given. Returns the
    products added."""
    added: list[Product] = []
    with journal.transaction():
        catalogue = journal.products()
        for name in names:
            if find_product(catalogue, name) is None:
                product = Product(name, category, default_heavy(category))
                journal.add_product(product)
                catalogue.append(product)
                added.append(product)
    return added


def save_day(
    journal: Journal,
    entry: Entry,
    mode: SaveMode = "new",
    given: Set[str] = frozenset(),
    new_category: str | None = None,
) -> tuple[str, Entry]:
    """Save ``entry`` (``mode``: new, replace or merge; ``given``: what a merge takes from it).

    With ``new_category``, products the entry names that the catalogue lacks are added first, in
    that category; without it the journal refuses them (UnknownProductError). All of it happens
    under the journal's lock. Returns what happened ("added", "replaced" or "merged") and the day
    as it is now saved.
    """
    with journal.transaction():
        if new_category is not None:
            add_missing_products(journal, entry.products, new_category)
        outcome = journal.save_entry(entry, mode=mode, given=set(given))
        saved = journal.entry(entry.date)
    assert saved is not None  # just written under the lock
    return outcome, saved


def last_before(journal: Journal, day: date) -> Entry | None:
    """The last entry before ``day``, or None when there is none."""
    before = journal.entries(until=day - timedelta(days=1), last=1)
    return before[-1] if before else None


def same_as_last(
    journal: Journal,
    day: date,
    counts: Mapping[str, int] | None = None,
    products: Sequence[str] | None = None,
) -> tuple[Entry, dict[str, int], list[str]]:
    """A day started from the last entry before it: that entry, and its counts and products with
    the ``counts`` given over them (a region given 0 is cleared) and the ``products`` given instead
    of its own (when given). Raises NotFoundError when there is no entry before ``day``."""
    last = last_before(journal, day)
    if last is None:
        raise NotFoundError(f"there is no entry before {day.isoformat()} to start from")
    merged = {region: n for region, n in last.counts.items() if n}
    for region, n in (counts or {}).items():
        if n:
            merged[region] = n
        else:
            merged.pop(region, None)
    return last, merged, list(last.products if products is None else products)


def picker_products(products: Sequence[Product], ticked: Collection[str]) -> list[str]:
    """The product names a day's form offers, in catalogue order (never reordered by what is
    ticked, so each keeps its place day after day): every product not archived, an archived one
    only when it is ticked, then any ticked name the catalogue no longer has, so it can be
    unticked."""
    from skinlog.domain.products import offered

    names = offered(products, ticked)
    known = {product.name.casefold() for product in products}
    return names + [name for name in dict.fromkeys(ticked) if name.casefold() not in known]


class DayChangedError(ConflictError):
    """The day on disk is no longer the one the person saw: nothing was written."""

    def __init__(self, day: date, current: Entry | None) -> None:
        super().__init__(f"{day.isoformat()} was changed outside the app")
        self.day = day
        self.current = current


def write_day(journal: Journal, day: date, expected: Entry | None, entry: Entry | None) -> None:
    """Save ``entry`` for ``day`` (or delete the day when ``entry`` is None), but only if the
    day on disk is still ``expected``; checked and written under the journal's lock, so a change
    made by another process in between is never overwritten unseen (DayChangedError instead)."""
    with journal.transaction():
        current = journal.entry(day)
        if current != expected:
            raise DayChangedError(day, current)
        if entry is None:
            if current is not None:
                journal.delete_entry(day)
        else:
            journal.save_entry(entry, mode="new" if current is None else "replace")
