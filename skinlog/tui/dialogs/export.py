"""Export for a clinician: pick a format and a file; the export service does the rest."""

from __future__ import annotations

import os
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from skinlog.domain.text import inert
from skinlog.errors import SkinlogError
from skinlog.services.export import gather, patient_name, render, write_export
from skinlog.services.formats import DEFAULT, FORMATS, file_name
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.widgets.choice import Choice

CHOICES = [(f.label, f.name) for f in FORMATS.values()]


class ExportDialog(ModalScreen["str | None"]):
    """Dismisses with the path written, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    """Escape closes without writing anything."""

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

    def on_mount(self) -> None:
        self.app.stop_blinking(self)  # type: ignore[attr-defined]
        self.query_one("#format", Choice).focus()

    def _default_path(self, fmt: str) -> str:
        day = self.app.today.isoformat()  # type: ignore[attr-defined]
        return os.path.join("~", file_name(fmt, day))

    def on_choice_changed(self, event: Choice.Changed) -> None:
        path = self.query_one("#path", Input)
        if path.value in {self._default_path(f) for f in FORMATS}:  # not edited by hand
            path.value = self._default_path(str(event.value))

    def on_input_submitted(self) -> None:
        self._export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "export":
            self._export()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _export(self, force: bool = False) -> None:
        app: Any = self.app
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
                    self._export(force=True)

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
