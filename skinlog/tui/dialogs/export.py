"""Export for a clinician: pick a format and a file; the export service does the rest."""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from skinlog.domain.text import inert
from skinlog.errors import SkinlogError
from skinlog.services.export import gather, patient_name, render, write_export
from skinlog.services.formats import DEFAULT, FORMATS, file_name
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.dialogs.form import FormDialog
from skinlog.tui.widgets.choice import Choice

CHOICES = [(f.label, f.name) for f in FORMATS.values()]


class ExportDialog(FormDialog[str]):
    """Dismisses with the path written, or None (nothing was written)."""

    FIRST = "#format"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static("Export for a clinician", classes="dialog-title")
            yield Choice("Format", CHOICES, DEFAULT, id="format")
            yield Label("File")
            yield Input(self._default_path(DEFAULT), id="path")
            yield Label("Name to put on it (optional)")
            yield Input(id="name", placeholder="nothing personal is included otherwise", max_length=100)
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Export", id="export", variant="primary")
                yield Button("Cancel", id="cancel")

    def _default_path(self, fmt: str) -> str:
        day = self.app.today.isoformat()
        return os.path.join("~", file_name(fmt, day))

    def on_choice_changed(self, event: Choice.Changed) -> None:
        path = self.query_one("#path", Input)
        if path.value in {self._default_path(f) for f in FORMATS}:  # not edited by hand
            path.value = self._default_path(str(event.value))

    def submit(self, force: bool = False) -> None:
        app = self.app
        fmt = str(self.query_one("#format", Choice).value)
        path = self.query_one("#path", Input).value.strip()
        error = self.query_one("#dialog-error", Static)
        given = self.query_one("#name", Input).value
        try:
            name = patient_name(given, "The name") if given.strip() else None
        except SkinlogError as exc:
            error.update(inert(str(exc)))
            return
        if not path:
            error.update("Give a file to write.")
            return
        if not force and os.path.exists(os.path.expanduser(path)):

            def answered(yes: bool | None) -> None:
                if yes:
                    self.submit(force=True)

            app.push_screen(
                ConfirmDialog(f"{inert(path)} already exists. Replace it?", yes="Replace"), answered
            )
            return
        app.check_outside()  # export the journal as it is on disk now
        if not app.journal_ok:
            error.update("The journal cannot be read now; nothing was exported.")
            return
        try:
            payload = render(fmt, gather(app.journal, app.today, name=name))
            write_export(path, payload, force=force)
        except SkinlogError as exc:
            error.update(inert(str(exc)))
            return
        self.dismiss(path)
