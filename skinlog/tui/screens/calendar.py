"""Calendar: a year in pixels, one cell a day, coloured and marked by the day's total."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer, Header, Static

from skinlog.domain import calendar as cal
from skinlog.domain.entry import Entry
from skinlog.domain.words import plural, region_summary
from skinlog.tui.screens.base import JournalScreen
from skinlog.tui.widgets.year_grid import YearGrid, legend


class CalendarScreen(JournalScreen):
    """One year of daily totals; starts on today's year with today focused."""

    HELP = (
        "One cell a day, weeks as columns and weekdays as rows; its mark and colour show the day's "
        "total (see the legend; `·` is a day with no entry, `○` a day logged with no bumps). "
        "Arrows move a day (up, down) or a week (left, right); `[` and `]` change the year; "
        "Enter opens the day in Today."
    )

    BINDINGS = [
        Binding("enter,o", "open", "Open day", key_display="Enter"),
        Binding("left_square_bracket", "year(-1)", "Prev year", key_display="["),
        Binding("right_square_bracket", "year(1)", "Next year", key_display="]"),
    ]
    """Enter opens the focused day in Today; [ and ] show the year before or after."""

    def __init__(self) -> None:
        super().__init__()
        self.by_day: dict[int, Entry] = {}
        self.totals: dict[int, int] = {}
        self.first_year = 1
        self.placed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="calendar-title", classes="view-title")
        yield YearGrid(id="year-grid")
        yield Static(id="calendar-day")
        yield Static(legend(self.app.no_color), id="calendar-legend")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(YearGrid).focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height >= 34, "-tall")  # a blank line between weekdays

    def redraw(self) -> None:
        """Totals by day, worked out once from the entries; a year change only looks them up."""
        entries = self.app.entries()
        self.by_day = {entry.date.toordinal(): entry for entry in entries}
        self.totals = self.app.derived("daily_totals", cal.daily_totals)
        today = self.app.today
        self.first_year = min(entries[0].date.year, today.year) if entries else today.year
        grid = self.query_one(YearGrid)
        # the first drawing shows today; a later one (the journal changed) keeps the place
        day = grid.focused_day if self.placed else today
        self.placed = True
        grid.show(self.totals, day, today)
        self._describe(grid.focused_day)

    def on_year_grid_moved(self, event: YearGrid.Moved) -> None:
        self._describe(event.day)

    def _describe(self, day: date) -> None:
        year = day.year
        summary = cal.year_summary(self.totals, year)
        title = f"{year} · {plural(summary.days, 'day')} logged"
        if summary.highest is not None:
            title += f" · highest daily total {summary.highest}"
        self.query_one("#calendar-title", Static).update(Text(title + " · [ ] change the year"))
        entry = self.by_day.get(day.toordinal())
        line = Text()
        line.append(f"{cal.WEEKDAYS[day.weekday()]} {day.isoformat()}", "bold")
        if entry is None:
            line.append(" · no entry")
        else:
            line.append(f" · total {entry.total}", "bold")
            line.append(f" · {region_summary(entry.counts, empty='no bumps')}")
        self.query_one("#calendar-day", Static).update(line)

    def action_year(self, step: int) -> None:
        grid = self.query_one(YearGrid)
        year = grid.year + step
        today = self.app.today
        if year > today.year:
            self.notify("That year has not happened yet.", severity="warning")
            return
        if year < self.first_year:
            self.notify(f"Nothing was logged before {self.first_year}.", severity="warning")
            return
        grid.focused_day = min(cal.same_day_in(grid.focused_day, year), today)
        grid.refresh()

    def action_open(self) -> None:
        self.app.open_day(self.query_one(YearGrid).focused_day)
