"""A year in pixels: one cell a day, weeks as columns, weekdays as rows, coloured and marked by total."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from skinlog.domain import calendar as cal

COLOURS: tuple[str, ...] = ("#3fa34d", "#e6c229", "#f17105", "#d11149", "#8f0d3a")
"""One colour a legend step (LEVELS), green for a clear day to deep red; the marks differ too."""
GAP_STYLE = Style(color="grey50")
FUTURE = " "
LABEL_WIDTH = 4  # "Mon " before each row


def level_style(step: int, plain: bool = False) -> Style:
    """A legend step's colour; ``plain`` (NO_COLOR) leaves the marks in the text's own colour, so
    the denser mark reads as more (greys made from the colours would darken the worst days)."""
    if plain:
        return Style(dim=True) if step < 0 else Style()
    return GAP_STYLE if step < 0 else Style(color=COLOURS[step])


def cell_width(width: int, weeks: int) -> int:
    """Characters a cell gets in ``width`` columns: 1 (its mark) up to 3 (the mark twice and a gap)."""
    return max(1, min(3, (width - LABEL_WIDTH) // weeks))


def legend(plain: bool = False) -> Text:
    """What the marks and colours mean, gap first."""
    text = Text()
    text.append(cal.GAP.mark, level_style(-1, plain))
    text.append(f" {cal.GAP.label}  ")
    for n, step in enumerate(cal.LEVELS):
        text.append(step.mark * 2, level_style(n, plain))
        text.append(f" {step.label}  ")
    return text


def line_of(row: int, height: int) -> int:
    """The line a weekday's cells are on, in a grid ``height`` lines high (months first)."""
    return 1 + row * (2 if height >= 1 + 7 * 2 - 1 else 1)


class YearGrid(Widget, can_focus=True):
    """The grid of one year; arrows move the focused day (up/down a day, left/right a week)."""

    BINDINGS = [
        Binding("up", "move(0, -1)", "Day before", show=False),
        Binding("down", "move(0, 1)", "Day after", show=False),
        Binding("left", "move(-1, 0)", "Week before", show=False),
        Binding("right", "move(1, 0)", "Week after", show=False),
        Binding("home", "edge(-1)", "First day", show=False),
        Binding("end", "edge(1)", "Last day", show=False),
    ]

    focused_day: reactive[date] = reactive(date(2000, 1, 1), layout=False)

    class Moved(Message):
        """The focused day changed."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.totals: Mapping[int, int] = {}
        self.today = date.today()

    def show(self, totals: Mapping[int, int], day: date, today: date) -> None:
        self.totals = totals
        self.today = today
        self.focused_day = min(day, today)
        self.refresh()

    def watch_focused_day(self, day: date) -> None:
        self.post_message(self.Moved(day))

    @property
    def year(self) -> int:
        return self.focused_day.year

    def action_move(self, columns: int, rows: int) -> None:
        target = cal.move(self.focused_day, columns, rows)
        if target > self.today:
            target = self.today
        if target.year < 1:
            return
        self.focused_day = target

    def action_edge(self, way: int) -> None:
        year = self.year
        self.focused_day = min(date(year, 1, 1) if way < 0 else date(year, 12, 31), self.today)

    def render(self) -> Text:
        year = self.year
        weeks = cal.week_count(year)
        width = cell_width(self.size.width, weeks)
        text = Text(no_wrap=True, overflow="crop")
        # month names over the week each starts in, when there is room
        months = [" "] * (weeks * width + 3)
        free = 0
        for column, name in cal.month_starts(year):
            at = column * width
            if at >= free:
                months[at : at + len(name)] = list(name)
                free = at + len(name) + 1
        text.append(" " * LABEL_WIDTH + "".join(months).rstrip() + "\n", "bold")
        focused = self.focused_day
        spaced = line_of(1, self.size.height) == 3  # a blank line between weekdays when there is room
        for row, weekday in enumerate(cal.WEEKDAYS):
            if spaced and row:
                text.append("\n")
            text.append(f"{weekday} " if row % 2 == 0 or width > 1 else " " * LABEL_WIDTH, "dim")
            self._week_row(text, year, weeks, width, row, focused)
            text.append("\n")
        return text

    def _week_row(self, text: Text, year: int, weeks: int, width: int, row: int, focused: date) -> None:
        """One weekday's cells across the year."""
        for column in range(weeks):
            day = cal.day_at(year, column, row)
            if day is None or day > self.today:
                text.append(FUTURE * width)
                continue
            total = self.totals.get(day.toordinal())
            step = cal.level(total)
            mark = cal.mark(total)
            cell = mark if width == 1 else mark * (width - 1) + " "
            plain = self.app.no_color
            style = level_style(step, plain)
            if day == focused:
                style = style + Style(reverse=True, bold=True)
                if width == 1 and not self.has_focus:
                    style = level_style(step, plain) + Style(underline=True)
            text.append(cell, style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
