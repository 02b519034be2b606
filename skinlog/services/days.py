"""Saving a day: the entry and, when asked, the products it names that the catalogue lacks."""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import TYPE_CHECKING

from skinlog.domain.entry import Entry
from skinlog.domain.products import Product, default_heavy, find_product

if TYPE_CHECKING:
    from skinlog.storage import Journal


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
    mode: str = "new",
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
