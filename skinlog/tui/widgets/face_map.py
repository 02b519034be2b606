"""The face map: regions laid out roughly where they are on a face, each with its count."""

from __future__ import annotations

import time

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from skinlog.domain.entry import MAX_COUNT
from skinlog.domain.regions import BY_ID, REGION_IDS

# Rows of the map, top to bottom, seen as in a mirror: your left is on the left.
# Each slot is a region id or None for a gap the width of one cell.
LAYOUT: tuple[tuple[str | None, ...], ...] = (
    (None, None, "forehead", None, None),
    ("temple_left", "eyelid_left", None, "eyelid_right", "temple_right"),
    ("ear_left", "under_eye_left", "nose", "under_eye_right", "ear_right"),
    (None, "cheek_left", "perioral", "cheek_right", None),
    ("jaw_left", None, "chin", None, "jaw_right"),
    ("neck", "trunk", None, "limbs", "genital"),
)
POSITION: dict[str, tuple[int, int]] = {
    region: (row, col) for row, slots in enumerate(LAYOUT) for col, region in enumerate(slots) if region
}
DIGIT_WINDOW = 1.2  # seconds in which digits typed one after another make one number


def size_class(count: int) -> str:
    """CSS class for a count's colour: none, few, some, many, lots."""
    if count == 0:
        return "count-none"
    if count <= 2:
        return "count-few"
    if count <= 5:
        return "count-some"
    if count <= 9:
        return "count-many"
    return "count-lots"


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
        candidates = [(abs(c - col), c, r) for r, (rr, c) in POSITION.items() if rr == target]
        if candidates:
            return min(candidates)[2]
        target += step
    return region


class RegionCell(Static):
    """One region: its short label over its count."""

    DEFAULT_CSS = """
    RegionCell { width: 11; height: 2; content-align: center middle; text-align: center; }
    """
    """Cells are sized here so the map keeps its shape whatever the app's stylesheet does."""

    def __init__(self, region: str) -> None:
        super().__init__(id=f"cell-{region}", classes="region-cell count-none")
        self.region_id = region
        self.bumps = 0

    def show(self, count: int, focused: bool) -> None:
        self.bumps = count
        self.set_classes(f"region-cell {size_class(count)}{' focused' if focused else ''}")
        self.update(f"{BY_ID[self.region_id].short}\n{count if count else '·'}")

    def on_click(self, event: events.Click) -> None:
        event.stop()
        face_map = self.query_ancestor(FaceMap)
        face_map.focus()
        face_map.current = self.region_id
        if event.button == 3 or event.shift:
            face_map.change(-1)
        else:
            face_map.change(+1)


class FaceMap(Widget, can_focus=True):
    """Counts for every region; arrows/hjkl move, +/- and digits change, clicks add one."""

    BINDINGS = [
        Binding("up,k", "move('up')", "Up", show=False),
        Binding("down,j", "move('down')", "Down", show=False),
        Binding("left,h", "move('left')", "Left", show=False),
        Binding("right,l", "move('right')", "Right", show=False),
        Binding("plus,equals_sign", "change(1)", "+1"),
        Binding("minus", "change(-1)", "-1"),
        Binding("delete,backspace", "clear", "Zero", show=False),
    ]
    """Arrow keys and vim keys move between regions; + and - change the focused count."""

    current: reactive[str] = reactive("forehead")

    class Changed(Message):
        """A count changed."""

        def __init__(self, face_map: FaceMap, region: str, count: int) -> None:
            super().__init__()
            self.face_map = face_map
            self.region_id = region
            self.bumps = count

        @property
        def control(self) -> FaceMap:
            return self.face_map

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counts: dict[str, int] = dict.fromkeys(REGION_IDS, 0)
        self._typed = ""
        self._typed_at = 0.0

    def compose(self) -> ComposeResult:
        for n, slots in enumerate(LAYOUT):
            with Horizontal(classes="map-row body-row" if n == len(LAYOUT) - 1 else "map-row"):
                for region in slots:
                    yield RegionCell(region) if region else Static(classes="map-gap")

    def on_mount(self) -> None:
        self._refresh_cells()

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = {r: int(counts.get(r, 0)) for r in REGION_IDS}
        self._typed = ""
        self._refresh_cells()

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def _refresh_cells(self) -> None:
        for cell in self.query(RegionCell):
            cell.show(self.counts[cell.region_id], cell.region_id == self.current and self.has_focus)

    def watch_current(self, _old: str, _new: str) -> None:
        self._typed = ""
        self._refresh_cells()

    def on_focus(self) -> None:
        self._refresh_cells()

    def on_blur(self) -> None:
        self._refresh_cells()

    def action_move(self, direction: str) -> None:
        self.current = neighbour(self.current, direction)

    def set_count(self, region: str, count: int) -> None:
        count = max(0, min(MAX_COUNT, count))
        self.counts[region] = count
        self._refresh_cells()
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
