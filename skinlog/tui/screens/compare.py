"""Two photos of one region side by side, each stepping through time on its own."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from skinlog.domain.photos import Photo
from skinlog.domain.words import plural, region_labels
from skinlog.services.photos import photo_file
from skinlog.services.thumbnails import PREVIEW, thumbnail
from skinlog.tui.images import image_widget

if TYPE_CHECKING:
    from skinlog.tui.app import SkinlogApp


class CompareScreen(Screen[None]):
    """The earliest and the latest photo of a region at first; left and right step the chosen
    side back and forward in time, Tab chooses the other side, Escape goes back to Photos."""

    BINDINGS = [
        Binding("left", "step(-1)", "Earlier", key_display="←"),
        Binding("right", "step(1)", "Later", key_display="→"),
        Binding("tab", "switch", "Other side", key_display="Tab", priority=True),
        Binding("escape,c", "app.pop_screen", "Back", key_display="Esc"),
    ]
    """left and right step the chosen side through time; Tab chooses the other side; Escape or c
    goes back to the timeline."""

    app: SkinlogApp

    def __init__(self, region: str, photos: list[Photo]) -> None:
        super().__init__()
        self.compared = region
        self.photos = photos  # the region's photos, oldest first
        self.at = [0, len(photos) - 1]
        self.side = 1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="compare-title", classes="view-title")
        with Horizontal(id="compare"):
            for side in (0, 1):
                with Vertical(classes="compare-side", id=f"compare-{side}"):
                    yield Static(classes="compare-caption")
                    with Container(classes="compare-frame"):
                        yield image_widget()(None, classes="compare-image")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        name = region_labels((self.compared,))
        self.query_one("#compare-title", Static).update(
            Text(f"Comparing {plural(len(self.photos), 'photo')} of {name}, oldest to newest")
        )
        for side in (0, 1):
            self._show(side)
        self._mark()

    def _show(self, side: int) -> None:
        photo = self.photos[self.at[side]]
        pane = self.query_one(f"#compare-{side}", Vertical)
        entry = self.app.journal.entry(photo.day)
        if entry is None:
            count = "day not logged"
        else:
            count = f"{plural(entry.count(self.compared), 'bump')} that day"
        preview = thumbnail(Path(photo_file(self.app.journal.path, photo)), photo.sha256, PREVIEW)
        caption = f"{photo.day.isoformat()} · {count} · {self.at[side] + 1}/{len(self.photos)}"
        if not preview.ok:
            caption += " · file missing or damaged"
        pane.query_one(".compare-caption", Static).update(Text(caption))
        image: Any = pane.query_one(".compare-image")
        image.image = preview.open()

    def _mark(self) -> None:
        for side in (0, 1):
            self.query_one(f"#compare-{side}", Vertical).set_class(side == self.side, "-chosen")

    def action_step(self, by: int) -> None:
        moved = min(max(self.at[self.side] + by, 0), len(self.photos) - 1)
        if moved != self.at[self.side]:
            self.at[self.side] = moved
            self._show(self.side)

    def action_switch(self) -> None:
        self.side = 1 - self.side
        self._mark()
