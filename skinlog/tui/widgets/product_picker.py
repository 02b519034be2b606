"""The products of a day: a list to tick, in catalogue order, narrowed by typing.

The list keeps what is ticked while it is narrowed: ``ticked`` is every ticked name, shown or
not. Typing a letter or digit while the list has focus (or `/`) opens the filter line above it
(j and k move in the list, as the arrows do); Enter ticks the top match, Down goes back to the
list, Escape clears the filter (the screen then moves focus on).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.strip import Strip
from textual.widgets import Input, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton

from skinlog.domain.text import inert

HINT = "Enter: tick the top match · Down: the list · Esc: clear"


class TickList(SelectionList[str]):
    """A list to tick where an unticked line shows an empty box, not a dimmed X, so it reads
    without colour (``NO_COLOR``) too; j and k move like the arrows."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        index = self.scroll_offset.y + y
        if not 0 <= index < self.option_count:
            return line
        if self.get_option_at_index(index).value in self.selected:
            return line
        segments = list(line)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(" " * len(segments[1].text), segments[1].style, segments[1].control)
        return Strip(segments, line.cell_length)


class ProductPicker(Vertical):
    """A filter line (shown while it is used) over a SelectionList with the id ``products``."""

    DEFAULT_CSS = """
    ProductPicker { height: auto; }
    ProductPicker #product-filter { display: none; border: none; height: 1; padding: 0 1; }
    ProductPicker #filter-hint { display: none; height: 1; padding: 0 1; color: $text-muted; }
    ProductPicker.-filtering #product-filter, ProductPicker.-filtering #filter-hint { display: block; }
    """
    """The filter line and its hint take no room until the filter is used."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.names: list[str] = []
        self.ticked: dict[str, None] = {}  # in the order ticked: an entry keeps its products' order

    def compose(self) -> ComposeResult:
        # select_on_focus off: the letter that opened the filter must not be replaced by the next
        yield Input(
            id="product-filter",
            placeholder="type part of a name",
            select_on_focus=False,
        )
        yield Static(HINT, id="filter-hint", markup=False)  # in sight while typing
        yield TickList(id="products")

    @property
    def options(self) -> SelectionList[str]:
        return self.query_one("#products", SelectionList)

    @property
    def filter_field(self) -> Input:
        return self.query_one("#product-filter", Input)

    @property
    def filter(self) -> str:
        return self.filter_field.value

    def selected(self) -> list[str]:
        """The ticked names: those the form was filled with in their order, then any ticked since.

        Read from the list itself for the names it shows (a tick's message may still be on its
        way when ctrl+s reads the form), from ``ticked`` for those the filter hides."""
        options = self.options
        shown = {str(options.get_option_at_index(n).value) for n in range(options.option_count)}
        now = set(options.selected)
        names = [name for name in self.ticked if name not in shown or name in now]
        return names + [name for name in options.selected if name not in self.ticked]

    def set_products(self, names: Iterable[str], ticked: Iterable[str], highlighted: int | None = 0) -> None:
        """Offer ``names`` (in this order) with ``ticked`` ticked; the filter stays as it is."""
        self.names = list(dict.fromkeys(names))
        offered = set(self.names)
        self.ticked = {name: None for name in ticked if name in offered}
        self._show(highlighted)

    def shown(self) -> list[str]:
        """The names the filter lets through, in the list's order."""
        wanted = self.filter.casefold().split()
        return [name for name in self.names if all(word in name.casefold() for word in wanted)]

    def _show(self, highlighted: int | None = 0) -> None:
        options = self.options
        names = self.shown()
        options.clear_options()
        # a product's name is the user's text: shown as it is, never read as markup
        options.add_options([(Text(inert(name)), name, name in self.ticked) for name in names])
        options.highlighted = min(highlighted or 0, len(names) - 1) if names else None

    def clear_filter(self) -> None:
        """Show every product again and put the filter line away."""
        field = self.filter_field
        if field.value:
            field.value = ""  # Input.Changed shows the whole list
        self.remove_class("-filtering")

    def start_filter(self, typed: str = "") -> None:
        """Open the filter line with ``typed`` in it and give it focus."""
        field = self.filter_field
        self.add_class("-filtering")
        field.value = field.value + typed
        field.cursor_position = len(field.value)
        field.focus()
        # shown only now: once laid out, bring it and its hint into sight (narrow screens scroll)
        self.call_after_refresh(self.scroll_visible, animate=False)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        if event.selection_list is not self.options:
            return
        options = self.options
        selected = set(options.selected)
        for index in range(options.option_count):
            name = str(options.get_option_at_index(index).value)
            if name in selected:
                self.ticked.setdefault(name)
            else:
                self.ticked.pop(name, None)
        # the message goes on to the screen, which reads ``ticked``

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.filter_field:
            event.stop()  # the filter is not one of the day's values
            self._show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self.filter_field:
            event.stop()
            self.tick_top()

    def tick_top(self) -> None:
        """Tick the top match of the filter (the only one, or the first) and go to the list, on
        it; with no match, only go to the list."""
        options = self.options
        if options.option_count:
            options.highlighted = 0
            name = str(options.get_option_at_index(0).value)
            if name not in options.selected:
                options.select(name)
        options.focus()

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        if not self.filter and not self.filter_field.has_focus:
            self.remove_class("-filtering")

    def on_key(self, event: events.Key) -> None:
        field = self.filter_field
        if field.has_focus:
            if event.key == "down":
                event.stop()
                self.options.focus()
            return
        if event.key == "slash":
            event.stop()
            self.start_filter()
        elif event.character and event.character.isalnum() and event.key not in ("j", "k"):
            # letters (m too) and digits narrow the list; j and k move in it; other keys (space
            # ticks, , and . change the day, Escape goes back to the map) keep their meaning
            event.stop()
            self.start_filter(event.character)
