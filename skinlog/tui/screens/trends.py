"""Trends: the daily total and chosen regions as a terminal chart, over a chosen range."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, SelectionList, Static
from textual_plotext import PlotextPlot

from skinlog import charts
from skinlog.domain.analysis import RANGES, Series, chart_end, daily_series, default_range, range_start
from skinlog.domain.entry import Entry
from skinlog.domain.regions import REGIONS
from skinlog.tui.screens.base import JournalScreen
from skinlog.tui.widgets.product_picker import TickList

RANGE_NAMES = {"4w": "4 weeks", "12w": "12 weeks", "1y": "1 year", "all": "everything"}


class TrendsScreen(JournalScreen):
    """A textual-plotext chart; keys switch the range, the list picks regions."""

    HELP = (
        "Opens on the range you chose last; at first on 12 weeks, or on everything while the "
        "journal is younger than that. `1` 4 weeks, `2` 12 weeks, `3` a year, `4` everything "
        "(the choice is kept for next time); tick regions to add their lines."
    )

    BINDINGS = [
        Binding("1", "range('4w')", "4 weeks"),
        Binding("2", "range('12w')", "12 weeks"),
        Binding("3", "range('1y')", "1 year"),
        Binding("4", "range('all')", "All"),
    ]
    """1 to 4 choose 4 weeks, 12 weeks, a year or everything."""

    def __init__(self) -> None:
        super().__init__()
        # the range picked with 1-4 (now or, kept in the preferences, last time); else default_range
        self.chosen: str | None = None
        # series already worked out for the entries they came from (a new list when the journal changes)
        self._series: tuple[list[Entry] | None, dict[tuple[date, date, tuple[str, ...]], Series]] = (None, {})

    @property
    def span(self) -> str:
        """The range shown: the one picked, else the one that shows the journal's data."""
        if self.chosen is not None:
            return self.chosen
        return default_range(self.app.entries(), chart_end(self.app.entries(), self.app.today))

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="trends"):
            with Vertical(id="chart-pane"):
                yield Static(id="trends-title", classes="view-title")
                yield PlotextPlot(id="trend-plot")
                yield Static(id="trend-legend")
            with Vertical(id="region-pane"):
                yield Static("Add regions", classes="pane-title")
                yield TickList(*[(r.short, r.id) for r in REGIONS], id="regions")  # reads without colour
        yield Footer(compact=True)

    def on_mount(self) -> None:
        saved = self.app.prefs.get("trends_range")
        if saved in RANGES:
            self.chosen = saved
        self.query_one("#regions", SelectionList).highlighted = 0

    def on_resize(self) -> None:
        self.redraw()

    def action_range(self, span: str) -> None:
        if span in RANGES:
            self.chosen = span
            self.redraw()
            if self.app.prefs.get("trends_range") != span:
                self.app.remember("trends_range", span)

    def on_selection_list_selected_changed(self) -> None:
        self.redraw()

    def _series_of(self, entries: list[Entry], start: date, end: date, regions: list[str]) -> Series:
        """``daily_series``, kept while the app's entries stay the same list, so going back to a
        range is quick."""
        if self._series[0] is not entries:
            self._series = (entries, {})
        key = (start, end, tuple(regions))
        memo = self._series[1]
        if key not in memo:
            memo[key] = daily_series(entries, start, end, regions)
        return memo[key]

    def redraw(self) -> None:
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        entries = self.app.entries()
        title = self.query_one("#trends-title", Static)
        key = self.query_one("#trend-legend", Static)
        key.update("")
        if not entries:
            title.update("Nothing logged yet: the chart appears after the first entries.")
            plot.refresh()
            return
        end = chart_end(entries, self.app.today)
        span = self.chosen or default_range(entries, end)
        start = range_start(entries, end, span)
        regions = self.query_one("#regions", SelectionList).selected
        series = self._series_of(entries, start, end, regions)
        title.update(
            f"Bumps a day over {RANGE_NAMES[span]}: {start.isoformat()} to {end.isoformat()} "
            f"({len(series.dates)} days logged) · keys 1-4 change the range"
        )
        if series.dates:
            width = max(30, plot.size.width)
            charts.draw_daily(plt, series, width, max(8, plot.size.height), title=" ")
            # under the chart, never over its first points; markers as well as colours
            key.update(Text.from_ansi(charts.legend(series, width - 2, color=True)))
        plot.refresh()
