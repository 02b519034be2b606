"""One photo opened large, with its date, regions, note and that day's counts."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from skinlog.domain.entry import Entry
from skinlog.domain.photos import Photo
from skinlog.domain.text import inert
from skinlog.domain.words import plural, region_labels
from skinlog.services.thumbnails import PREVIEW, thumbnail
from skinlog.tui.images import image_widget


def photo_facts(photo: Photo, entry: Entry | None, same_day: int) -> str:
    """The lines under a photo opened large (the note is the user's text: made inert)."""
    from skinlog.tui.screens.photos import day_counts

    where = region_labels(photo.regions) if photo.regions else "no region given"
    lines = [
        f"{photo.day.isoformat()} · {where} · {day_counts(entry, photo.regions)}",
        f"{plural(same_day, 'photo')} that day · {photo.width}x{photo.height} · id {photo.id}",
    ]
    if photo.note:
        lines.append(inert(" ".join(photo.note.split())))
    return "\n".join(lines)


class PhotoDialog(ModalScreen[None]):
    """A photo as large as the terminal allows; Escape (or Enter, or q) closes it."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", key_display="Esc")]
    """Escape, Enter or q closes the photo."""

    def __init__(self, photo: Photo, source: str, entry: Entry | None, same_day: int) -> None:
        super().__init__()
        self.photo = photo
        self.source = source
        self.entry = entry
        self.same_day = same_day

    def compose(self) -> ComposeResult:
        preview = thumbnail(Path(self.source), self.photo.sha256, PREVIEW)
        with Vertical(id="photo-dialog", classes="dialog"):
            with Container(id="photo-frame"):
                yield image_widget()(preview.open(), id="photo-large")
            facts = photo_facts(self.photo, self.entry, self.same_day)
            if not preview.ok:
                facts += "\nThe photo's file is missing or damaged: 'skinlog check' says more."
            yield Static(Text(facts), id="photo-facts")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
