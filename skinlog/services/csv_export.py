"""The CSV export: one row a logged day, for spreadsheets.

RFC 4180 (the ``csv`` module: commas, double quotes doubled, CRLF line ends). A spreadsheet runs
a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as
a formula, so any such cell from the journal's text is written with a ``'`` in front: a note or
product name is shown as typed, never run. Counts and symptoms are whole numbers from 0 up, so
they never need it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from skinlog.domain.entry import SYMPTOMS, Entry
from skinlog.domain.regions import REGIONS

if TYPE_CHECKING:
    from skinlog.services.export import ExportData

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
JOIN = "; "
COLUMNS: tuple[str, ...] = (
    "date",
    *(r.short for r in REGIONS),
    "total",
    *SYMPTOMS,
    "picked",
    "procedure",
    "events",
    "products",
    "note",
)
"""The header: the regions by their names, in the regions table's order."""

ROWS_A_CHUNK = 500


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet will show and never run as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def row(entry: Entry) -> list[str]:
    """An entry's cells, in ``COLUMNS`` order."""
    counts = [str(entry.count(r.id)) for r in REGIONS]
    symptoms = [str(getattr(entry.symptoms, k)) for k in SYMPTOMS]
    text = [
        "yes" if entry.picked else "no",
        "" if entry.procedure == "none" else entry.procedure,
        JOIN.join(entry.events),
        JOIN.join(entry.products),
        entry.note,
    ]
    return [entry.date.isoformat(), *counts, str(entry.total), *symptoms, *(neutralise(t) for t in text)]


def csv_rows(entries: Sequence[Entry]) -> Iterator[bytes]:
    """The header and a row for each entry, as UTF-8 bytes, some hundreds of rows at a time."""
    buf = io.StringIO(newline="")
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(COLUMNS)
    for i, entry in enumerate(entries, 1):
        out.writerow(row(entry))
        if i % ROWS_A_CHUNK == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def csv_chunks(data: ExportData) -> Iterator[bytes]:
    """The CSV export of the period's entries, oldest first."""
    return csv_rows(data.entries)
