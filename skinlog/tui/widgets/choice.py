"""A value picked from a short list: lighter than a drop-down, and it cannot hold a wrong value.

The widget is as wide as its longest option, so every value shows in full with both arrows and
the arrows do not move as the value changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

T = TypeVar("T")


class Choice(Widget, Generic[T], can_focus=True):
    """Shows ``label ◂ value ▸``; left/right (or space) step through the options, a digit or the
    first letter of an option jumps to it, a click steps forward."""

    DEFAULT_CSS = """
    Choice { height: 1; width: auto; padding: 0 1; }
    Choice:focus { background: $accent; color: $background; text-style: bold; }
    """
    """One line; highlighted when it has focus."""

    BINDINGS = [
        Binding("left,h", "step(-1)", "Previous", show=False),
        Binding("right,l,space", "step(1)", "Next", show=False),
    ]
    """Left and right (or h, l and space) step through the options."""

    index: reactive[int] = reactive(0)

    class Changed(Message):
        """The value changed."""

        def __init__(self, choice: Choice[Any], value: Any) -> None:
            super().__init__()
            self.choice = choice
            self.value = value

        @property
        def control(self) -> Choice[Any]:
            return self.choice

    def __init__(
        self, label: str, options: Sequence[tuple[str, T]], value: T, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.label = label
        self.options = list(options)
        self.value = value

    @property
    def value(self) -> T:
        return self.options[self.index][1]

    @value.setter
    def value(self, value: T) -> None:
        values = [v for _, v in self.options]
        self.index = values.index(value) if value in values else 0

    def render(self) -> Text:
        shown = self.options[self.index][0].ljust(self._widest())
        return Text.assemble((f"{self.label} " if self.label else ""), "◂ ", (shown, "bold"), " ▸")

    def _widest(self) -> int:
        return max(len(shown) for shown, _ in self.options)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """The label, the arrows and the longest option: the same width whatever is shown."""
        return len(f"{self.label} " if self.label else "") + len("◂  ▸") + self._widest()

    def watch_index(self, _old: int, _new: int) -> None:
        if self.is_mounted:
            self.post_message(self.Changed(self, self.value))

    def action_step(self, step: int) -> None:
        self.index = (self.index + step) % len(self.options)

    def on_click(self) -> None:
        self.focus()
        self.action_step(1)

    def on_key(self, event: events.Key) -> None:
        if not event.character or not event.character.isalnum():
            return
        typed = event.character.lower()
        for n, (shown, _) in enumerate(self.options):
            if shown.lower().startswith(typed):
                event.stop()
                self.index = n
                return
