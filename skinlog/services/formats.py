"""Every export format in one table: the CLI's choices, the app's export dialog and file names come from it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from skinlog.errors import UsageError

if TYPE_CHECKING:
    from skinlog.services.export import ExportData


@dataclass(frozen=True)
class ExportFormat:
    """One export format. ``writer`` names the function that turns gathered data into the file's
    bytes, in pieces (``"module:function"``); it is imported only when something is exported, so
    listing the formats costs nothing on the command line."""

    name: str
    label: str
    summary: str
    extension: str
    writer: str
    text: bool = False
    """Text for people (shown on a terminal with control characters escaped), not JSON."""
    binary: bool = False
    """Bytes that are neither text for people nor JSON (a zip, a PDF): written as they are to a file
    or a pipe, never to a terminal."""

    def chunks(self, data: ExportData) -> Iterator[bytes]:
        """The file's bytes, a piece at a time."""
        module, function = self.writer.split(":")
        write: Callable[[ExportData], Iterator[bytes]] = getattr(import_module(module), function)
        return write(data)


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "json",
            "JSON (for skinlog and apps)",
            "versioned, imports back",
            "json",
            "skinlog.services.export:json_chunks",
        ),
        ExportFormat(
            "fhir",
            "FHIR R4 bundle",
            "an R4 Bundle for health records",
            "fhir.json",
            "skinlog.services.export:fhir_chunks",
        ),
        ExportFormat(
            "md",
            "Markdown one-pager",
            "a one-page summary",
            "md",
            "skinlog.services.export:markdown_chunks",
            text=True,
        ),
        ExportFormat(
            "csv",
            "CSV (for spreadsheets)",
            "a row a day, for spreadsheets",
            "csv",
            "skinlog.services.csv_export:csv_chunks",
            text=True,
        ),
        ExportFormat(
            "pdf",
            "PDF visit report (one page)",
            "the one-page visit report, as skinlog report makes it",
            "pdf",
            "skinlog.services.report:pdf_chunks",
            binary=True,
        ),
        ExportFormat(
            "bundle",
            "Visit bundle (zip with photos)",
            "one zip: JSON, FHIR, Markdown and the photos",
            "zip",
            "skinlog.services.bundle:bundle_chunks",
            binary=True,
        ),
    )
}
"""The export formats by name; the first is the default."""

DEFAULT = next(iter(FORMATS))


def get(name: str) -> ExportFormat:
    """The format called ``name``, or a UsageError listing the choices."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(f"unknown export format '{name}'; choose one of: {', '.join(FORMATS)}") from None


def file_name(name: str, day: str) -> str:
    """The file name an export of ``day`` gets by default."""
    return f"skinlog-export-{day}.{get(name).extension}"


def choices_help() -> str:
    """The formats in words, for the command line's help."""
    words = [f"{f.name} ({f.summary}{', default' if f.name == DEFAULT else ''})" for f in FORMATS.values()]
    return ", ".join(words[:-1]) + " or " + words[-1]
