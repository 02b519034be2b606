"""Photos: the journal's pictures as a timeline of thumbnails by day; filter by region, open one
large, or compare two of a region side by side (``c``)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from itertools import groupby

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Header, Select, Static

from skinlog.domain.entry import Entry
from skinlog.domain.photos import Photo
from skinlog.domain.regions import REGIONS
from skinlog.domain.text import inert
from skinlog.domain.words import plural, region_labels
from skinlog.services.photos import list_photos, photo_file
from skinlog.services.thumbnails import THUMB, thumbnail
from skinlog.tui.images import image_widget
from skinlog.tui.screens.base import JournalScreen

PAGE = 12
"""Photos drawn at a time, newest first (m for older)."""

EMPTY = (
    "No photos yet.\n\n"
    "Add one from the command line with  skinlog photo add PATH  (add --region and --date to say "
    "where and when), or in Today press  ctrl+o  to attach a picture to the day shown.\n\n"
    "Pictures stay on this computer, beside the journal, without their camera and place data."
)


def day_counts(entry: Entry | None, regions: tuple[str, ...]) -> str:
    """What the journal says about a photo's regions on its day: "3 bumps on chin that day"."""
    if entry is None:
        return "day not logged"
    if not regions:
        return f"{plural(entry.total, 'bump')} that day"
    count = sum(entry.count(region) for region in regions)
    return f"{plural(count, 'bump')} on {region_labels(regions)} that day"


def most_photographed(photos: list[Photo]) -> str | None:
    """The region in the most photos (the first in the regions' order on a tie)."""
    seen = Counter(region for photo in photos for region in photo.regions)
    if not seen:
        return None
    order = {region.id: n for n, region in enumerate(REGIONS)}
    return min(seen, key=lambda region: (-seen[region], order.get(region, 0)))


class PhotoCard(Widget, can_focus=True):
    """One photo in the timeline: its thumbnail, its regions under it; Enter opens it large.
    Two widgets a card (the card and its picture): a century of photos opens a page at a time."""

    def __init__(self, photo: Photo, source: str) -> None:
        super().__init__(classes="photo-card")
        self.photo = photo
        self.source = source

    def compose(self) -> ComposeResult:
        from pathlib import Path

        thumb = thumbnail(Path(self.source), self.photo.sha256, THUMB)
        yield image_widget()(thumb.open(), classes="photo-thumb")
        caption = region_labels(self.photo.regions) if self.photo.regions else "no region"
        if not thumb.ok:
            caption = "missing"
        self.border_subtitle = Text(inert(caption))


class PhotosScreen(JournalScreen):
    """The photos, newest day first, each day under a heading with its regions and counts."""

    HELP = (
        "Arrows or Tab move between photos; Enter opens one large with its date, regions, note and "
        "that day's counts. `r` filters by a region; `c` compares two photos of the region side by "
        "side; `m` shows older photos; Escape clears the filter."
    )

    BINDINGS = [
        Binding("enter", "open", "Open", key_display="Enter"),
        Binding("c", "compare", "Compare"),
        Binding("r", "pick_region", "Region"),
        Binding("m", "more", "Older"),
        Binding("escape", "clear", "Clear", key_display="Esc", show=False),
        Binding("right,down", "app.focus_next", "Next", show=False),
        Binding("left,up", "app.focus_previous", "Previous", show=False),
    ]
    """Enter opens the photo; c compares; r filters by region; m loads older; Escape clears;
    arrows move between photos."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = PAGE
        self.matched: list[Photo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="photos-top"):
            yield Static(id="photos-title", classes="view-title")
            yield Select[str](
                [(region.label, region.id) for region in REGIONS],
                prompt="r: any region",
                id="photos-region",
                compact=True,
            )
        yield VerticalScroll(id="photos-timeline", can_focus=False)
        yield Footer(compact=True)

    # -- drawing

    def chosen_region(self) -> str | None:
        chosen = self.query_one("#photos-region", Select).value
        return chosen if isinstance(chosen, str) else None

    def redraw(self) -> None:
        journal = self.app.journal
        self.matched = list_photos(journal, region=self.chosen_region())
        total = len(journal.photos()) if self.chosen_region() else len(self.matched)
        timeline = self.query_one("#photos-timeline", VerticalScroll)
        timeline.remove_children()
        newest = self.matched[::-1][: self.shown]
        widgets: list[Widget] = []
        if not total:
            widgets.append(Static(EMPTY, classes="photos-empty", markup=False))
        elif not newest:
            widgets.append(
                Static(
                    "No photos of this region. Escape shows them all.", classes="photos-empty", markup=False
                )
            )
        for day, group in groupby(newest, key=lambda photo: photo.day):
            photos = list(group)
            widgets.append(Static(Text(self._heading(day, photos)), classes="photo-day"))
            cards = [PhotoCard(photo, str(photo_file(journal.path, photo))) for photo in photos]
            widgets.append(Horizontal(*cards, classes="photo-row"))
        timeline.mount_all(widgets)
        self._title(total)
        self.refresh_bindings()
        self.call_after_refresh(self._focus_first)

    def _heading(self, day: date, photos: list[Photo]) -> str:
        regions = tuple(dict.fromkeys(region for photo in photos for region in photo.regions))
        entry = self.app.journal.entry(day)
        where = region_labels(regions) if regions else "no region"
        return f"{day.isoformat()} · {where} · {plural(len(photos), 'photo')} · {day_counts(entry, ())}"

    def _title(self, total: int) -> None:
        found = len(self.matched)
        if not total:
            text = "Photos of your skin, by day"
        elif self.chosen_region():
            text = f"{found} of {plural(total, 'photo')} show this region, newest first"
        else:
            text = f"{plural(total, 'photo')}, newest first"
        if found > self.shown:
            text += f" (the newest {self.shown}; m for older)"
        self.query_one("#photos-title", Static).update(Text(text))

    def _focus_first(self) -> None:
        if not isinstance(self.focused, PhotoCard):
            cards = self.query(PhotoCard)
            if cards:
                cards.first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "more":
            return self.shown < len(self.matched)
        if action in ("open", "compare"):
            return bool(self.matched)
        return True

    # -- keys

    def on_select_changed(self, _event: Select.Changed) -> None:
        self.shown = PAGE
        self.redraw()

    def action_pick_region(self) -> None:
        box = self.query_one("#photos-region", Select)
        box.focus()
        box.expanded = True

    def action_clear(self) -> None:
        box = self.query_one("#photos-region", Select)
        if not box.is_blank():
            with self.prevent(Select.Changed):
                box.clear()
            self.shown = PAGE
            self.redraw()

    def action_more(self) -> None:
        self.shown += PAGE
        self.redraw()

    def action_open(self) -> None:
        card = self.focused
        if not isinstance(card, PhotoCard):
            return
        from skinlog.tui.dialogs.photo import PhotoDialog

        photo = card.photo
        self.app.push_screen(
            PhotoDialog(photo, card.source, self.app.journal.entry(photo.day), self._same_day(photo))
        )

    def _same_day(self, photo: Photo) -> int:
        return sum(1 for other in self.app.journal.photos() if other.day == photo.day)

    def action_compare(self) -> None:
        from skinlog.tui.screens.compare import CompareScreen

        photos = self.app.journal.photos()
        region = self.chosen_region() or most_photographed(photos)
        if region is None:
            self.notify("None of the photos names a region to compare.", markup=False)
            return
        chosen = [photo for photo in photos if region in photo.regions]
        self.app.push_screen(CompareScreen(region, chosen))
