"""The face map: regions laid out roughly where they are on a face, each with its count."""

from __future__ import annotations

import time

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from skinlog.domain.entry import MAX_COUNT
from skinlog.domain.regions import BY_ID, REGION_IDS, REGIONS


def _layout() -> tuple[tuple[str | None, ...], ...]:
    rows = 1 + max(r.cell[0] for r in REGIONS)
    columns = 1 + max(r.cell[1] for r in REGIONS)
    slots: list[list[str | None]] = [[None] * columns for _ in range(rows)]
    for region in REGIONS:
        row, col = region.cell
        slots[row][col] = region.id
    return tuple(tuple(row) for row in slots)


# Rows of the map, top to bottom, built from each region's cell (seen as in a mirror: your left is
# on the left). Each slot is a region id or None for a gap the width of one cell.
LAYOUT: tuple[tuple[str | None, ...], ...] = _layout()
POSITION: dict[str, tuple[int, int]] = {
    region: (row, col) for row, slots in enumerate(LAYOUT) for col, region in enumerate(slots) if region
}
DIGIT_WINDOW = 1.2  # seconds in which digits typed one after another make one number


def size_class(count: int) -> str:
    """How a count is coloured: none, few, some, many or lots."""
    if count == 0:
        return "none"
    if count <= 2:
        return "few"
    if count <= 5:
        return "some"
    if count <= 9:
        return "many"
    return "lots"


def neighbour(region: str, direction: str) -> str:
    """The region the arrow key ``direction`` (up, down, left, right) moves to from ``region``."""
    row, col = POSITION[region]
    if direction in ("left", "right"):
        step = -1 if direction == "left" else 1
        candidates = [(c, r) for r, (rr, c) in POSITION.items() if rr == row and (c - col) * step > 0]
        return min(candidates, key=lambda cr: abs(cr[0] - col))[1] if candidates else region
    step = -1 if direction == "up" else 1
    target = row + step
    while 0 <= target < len(LAYOUT):
        nearest = [(abs(c - col), c, r) for r, (rr, c) in POSITION.items() if rr == target]
        if nearest:
            return min(nearest)[2]
        target += step
    return region


CELL = 11  # columns per region
CLASSES = ("none", "few", "some", "many", "lots")
LEGEND = (
    ("none", "· none"),
    ("few", "1-2 few"),
    ("some", "3-5 some"),
    ("many", "6-9 many"),
    ("lots", "10+ lots"),
)
"""The legend under the map: each shade with the counts it stands for (the count is always shown
in the region too, so nothing is told by colour alone)."""
MIRROR = "your face, as in a mirror"


def legend_text(styles: dict[str, str] | None = None) -> Text:
    """ "· none  1-2 few  3-5 some  6-9 many  10+ lots", each part in its shade when ``styles``
    (class -> Rich style) are given."""
    text = Text()
    for n, (name, words) in enumerate(LEGEND):
        if n:
            text.append("  ")
        text.append(words, (styles or {}).get(name, ""))
    return text


class FaceMap(Widget, can_focus=True):
    """Counts for every region; arrows/hjkl move, +/- and digits change, clicks add one.

    Drawn as one widget (a first screen with dozens of cell widgets starts noticeably slower);
    the colours come from the component classes below, so the app's stylesheet sets them.
    """

    COMPONENT_CLASSES = {f"face-map--{name}" for name in (*CLASSES, "focused")}
    DEFAULT_CSS = f"""
    FaceMap {{ width: {CELL * len(LAYOUT[0]) + 4}; height: auto; padding: 0 1; }}
    FaceMap > .face-map--none {{ color: $text-muted; }}
    FaceMap > .face-map--few {{ color: $success; }}
    FaceMap > .face-map--some {{ color: $warning; text-style: bold; }}
    FaceMap > .face-map--many {{ color: $warning; background: $warning 25%; text-style: bold; }}
    FaceMap > .face-map--lots {{ color: $error; background: $error 25%; text-style: bold; }}
    FaceMap > .face-map--focused {{ background: $accent; color: $background; text-style: bold; }}
    """
    """Colours by count (none, few, some, many, lots) and the focused region's highlight."""

    BINDINGS = [
        Binding("up,k", "move('up')", "Up", show=False),
        Binding("down,j", "move('down')", "Down", show=False),
        Binding("left,h", "move('left')", "Left", show=False),
        Binding("right,l", "move('right')", "Right", show=False),
        Binding("plus,equals_sign", "change(1)", "Count", key_display="+ -"),  # one footer key for both
        Binding("minus", "change(-1)", "Less", show=False),
        Binding("delete,backspace", "clear", "Zero", show=False),
    ]
    """Arrow keys and vim keys move between regions; + and - change the focused count."""

    current: reactive[str] = reactive("forehead")

    class Changed(Message):
        """A count changed."""

        def __init__(self, face_map: FaceMap, region: str, count: int) -> None:
            super().__init__()
            self.face_map = face_map
            self.region = region
            self.count = count

        @property
        def control(self) -> FaceMap:
            return self.face_map

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[str, int] = dict.fromkeys(REGION_IDS, 0)
        self._typed = ""
        self._typed_at = 0.0

    def on_mount(self) -> None:
        self.border_title = MIRROR
        styles = {name: str(self.get_component_rich_style(f"face-map--{name}")) for name in CLASSES}
        self.border_subtitle = Content.from_rich_text(legend_text(styles))

    def render(self) -> Text:
        lines: list[Text] = []
        for n, slots in enumerate(LAYOUT):
            if n == len(LAYOUT) - 1:
                lines.append(Text(""))  # the body row sits apart from the face
            labels, numbers = Text(), Text()
            for region in slots:
                if region is None:
                    labels.append(" " * CELL)
                    numbers.append(" " * CELL)
                    continue
                count = self.counts[region]
                focused = region == self.current and self.has_focus
                name = "focused" if focused else size_class(count)
                style = self.get_component_rich_style(f"face-map--{name}")
                labels.append(BY_ID[region].short.center(CELL), style)
                number = str(count if count else "·")
                # The focused region is marked in text as well as in colour (NO_COLOR, monochrome).
                numbers.append((f"▸ {number} ◂" if focused else number).center(CELL), style)
            lines += [labels, numbers]
        return Text("\n").join(lines)

    def region_at(self, x: int, y: int) -> str | None:
        """The region drawn at content offset (x, y), if any."""
        body = len(LAYOUT) - 1  # the body row sits one blank line below the face
        if 0 <= y < 2 * body:
            row = y // 2
        elif 2 * body < y <= 2 * body + 2:
            row = body
        else:
            return None
        col = x // CELL
        return LAYOUT[row][col] if 0 <= col < len(LAYOUT[row]) else None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        region = self.region_at(offset.x, offset.y) if offset else None
        if region is None:
            return
        self.focus()
        self.current = region
        self.change(-1 if event.button == 3 or event.shift else 1)

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = {r: int(counts.get(r, 0)) for r in REGION_IDS}
        self._typed = ""
        self.refresh()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def watch_current(self, _old: str, _new: str) -> None:
        self._typed = ""
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, direction: str) -> None:
        self.current = neighbour(self.current, direction)

    def set_count(self, region: str, count: int) -> None:
        count = max(0, min(MAX_COUNT, count))
        self.counts[region] = count
        self.refresh()
        self.post_message(self.Changed(self, region, count))

    def change(self, step: int) -> None:
        self._typed = ""
        self.set_count(self.current, self.counts[self.current] + step)

    def action_change(self, step: int) -> None:
        self.change(step)

    def action_clear(self) -> None:
        self._typed = ""
        self.set_count(self.current, 0)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            now = time.monotonic()
            if now - self._typed_at > DIGIT_WINDOW:
                self._typed = ""
            self._typed = (self._typed + event.character)[-3:]
            self._typed_at = now
            self.set_count(self.current, int(self._typed))
