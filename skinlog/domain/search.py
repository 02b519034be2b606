"""Finding entries: by words in the note, a product used, a region with bumps, or a flag's days."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from skinlog.domain.entry import Entry
from skinlog.domain.flags import Flag


class Filter(NamedTuple):
    """What History shows; an empty field does not filter."""

    text: str = ""
    """Words the note must contain, in any case and order."""
    product: str = ""
    """A product the day used (its catalogue name)."""
    region: str = ""
    """A region id the day counted bumps in."""
    flag: Flag | None = None
    """The flag whose days to show: from its start on, with bumps in one of its regions."""

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.product or self.region or self.flag)


def matches(entry: Entry, wanted: Filter) -> bool:
    """Does ``entry`` pass every part of the filter?"""
    words = wanted.text.casefold().split()
    if words:
        note = entry.note.casefold()
        if not all(word in note for word in words):
            return False
    if wanted.product and wanted.product not in entry.products:
        return False
    if wanted.region and not entry.counts.get(wanted.region):
        return False
    flag = wanted.flag
    if flag is not None:
        if entry.date < flag.since:
            return False
        if flag.regions and not any(entry.counts.get(region) for region in flag.regions):
            return False
    return True


def search(entries: Iterable[Entry], wanted: Filter) -> list[Entry]:
    """The entries that pass the filter, in the order given."""
    if not wanted.active:
        return list(entries)
    return [entry for entry in entries if matches(entry, wanted)]


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis when longer."""
    line = " ".join(text.split())
    if width <= 0:
        return ""
    return line if len(line) <= width else line[: max(width - 1, 0)].rstrip() + "…"
