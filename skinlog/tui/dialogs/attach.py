"""Attach a picture to the day shown in Today: a typed path (Tab completes it), regions, a note."""

from __future__ import annotations

import os
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static

from skinlog.domain.regions import REGIONS
from skinlog.domain.text import inert
from skinlog.errors import SkinlogError
from skinlog.tui.dialogs.form import FormDialog

LISTED = 8
"""At most this many names are listed when Tab finds several."""


def complete(typed: str) -> tuple[str, list[str]]:
    """Tab on a typed path: the path completed as far as every match agrees (a folder gets its
    ``/``), and the names that still match when there are several."""
    expanded = os.path.expanduser(typed)
    folder, start = os.path.split(expanded)
    try:
        names = sorted(n for n in os.listdir(folder or ".") if n.startswith(start))
    except OSError:
        return typed, []
    if not start.startswith("."):
        names = [n for n in names if not n.startswith(".")]
    if not names:
        return typed, []
    common = os.path.commonprefix(names)
    done = typed[: len(typed) - len(start)] + common
    if len(names) == 1 and os.path.isdir(os.path.join(folder or ".", common)):
        done += os.sep
    return done, names if len(names) > 1 else []


class AttachDialog(FormDialog[str]):
    """A picture's path, the regions it shows and a note; adding it is the add command's own
    work (checked, stripped of its metadata, stored). Dismisses with what was done, or None;
    a path that cannot be added is said in the dialog and nothing is changed."""

    FIRST = "#photo-path"
    BINDINGS = [Binding("tab", "complete", "Complete", show=False, priority=True)]
    """Tab completes the path while it has the focus (elsewhere it moves on as usual)."""

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog attach-dialog"):
            yield Static(f"Attach a photo to {self.day.isoformat()}", classes="dialog-title")
            yield Label("Picture (JPEG, PNG, WebP or HEIC; Tab completes the path)")
            yield Input(id="photo-path", placeholder="~/Pictures/skin.jpg")
            yield Static("", id="path-choices", markup=False)
            yield Label("Regions it shows (space ticks)")
            yield SelectionList[str](*[(r.label, r.id) for r in REGIONS], id="photo-regions")
            yield Label("Note (optional)")
            yield Input(id="photo-note", max_length=500)
            yield Static("", id="dialog-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Attach", id="attach", variant="primary")
                yield Button("Cancel", id="cancel")

    def action_complete(self) -> None:
        box = self.query_one("#photo-path", Input)
        if self.focused is not box:
            self.focus_next()
            return
        done, names = complete(box.value)
        box.value = done
        box.cursor_position = len(done)
        shown = ", ".join(names[:LISTED]) + (
            f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
        )
        self.query_one("#path-choices", Static).update(Text(inert(shown)))

    def submit(self) -> None:
        from skinlog.services.photo_add import add_photos

        typed = self.query_one("#photo-path", Input).value.strip()
        error = self.query_one("#dialog-error", Static)
        if not typed:
            error.update("Type the path of a picture.")
            return
        regions = list(self.query_one("#photo-regions", SelectionList).selected)
        note = self.query_one("#photo-note", Input).value
        self.app.check_outside()
        if not self.app.journal_ok:
            error.update("The journal cannot be read now; nothing was added.")
            return
        try:
            added = add_photos(self.app.journal, [os.path.expanduser(typed)], self.day, regions, note)
        except SkinlogError as exc:
            error.update(Text(inert(str(exc))))
            return
        self.app.journal_changed()
        photo = added[0].photo
        if added[0].already:
            self.dismiss(f"That picture is already in the journal ({photo.day.isoformat()}).")
        else:
            self.dismiss(f"Attached a photo to {photo.day.isoformat()} (id {photo.id}).")
