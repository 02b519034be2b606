"""Week: the week-by-week table with change arrows, this week against last, and weekly bars."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from skinlog import charts
from skinlog.domain.analysis import Week, change_arrow, recent_weeks, summary_lines, top_regions
from skinlog.domain.entry import Entry
from skinlog.domain.text import inert
from skinlog.tui.screens.base import JournalScreen

WEEKS = 12
COLUMNS = (
    ("week", 8),
    ("starts", 6),
    ("days", 4),
    ("mean", 5),
    ("max", 4),
    ("change", 7),
)
"""The fixed columns; the last one, "most bumps", takes the room left."""
FIXED = sum(width + 2 for _, width in COLUMNS) + 2  # each column has a cell of padding each side


def fit(parts: list[str], room: int) -> str:
    """``parts`` joined by commas, as many whole parts as fit in ``room``, then "…"."""
    text = ", ".join(parts)
    if room <= 0 or len(text) <= room:
        return text
    shown: list[str] = []
    for part in parts:
        if len(", ".join([*shown, part])) + len(", …") > room:
            break
        shown.append(part)
    return ", ".join([*shown, "…"]) if shown else text[: max(1, room - 1)] + "…"


class WeekScreen(JournalScreen):
    """The last twelve weeks."""

    HELP = ""

    def __init__(self) -> None:
        super().__init__()
        # the weeks shown, kept with the entries they came from (a new list when the journal changes)
        self._weeks: tuple[list[Entry] | None, list[Week]] = (None, [])

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="week"):
            yield DataTable(id="weeks", cursor_type="row", zebra_stripes=True)
            yield Static(id="week-summary")
            yield PlotextPlot(id="week-plot")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in (*COLUMNS, ("most bumps (mean a day)", None)):
            table.add_column(label, width=width)

    def on_resize(self) -> None:
        self.reload()

    def redraw(self) -> None:
        entries = self.app.entries()
        if self._weeks[0] is not entries:
            self._weeks = (entries, recent_weeks(entries, WEEKS))
        weeks = self._weeks[1]
        table = self.query_one(DataTable)
        table.clear()
        # the regions in whole short names, as many as fit beside the fixed columns (no sideways scroll)
        room = table.scrollable_content_region.width - FIXED if table.size.width else 0
        last = list(table.columns.values())[-1]
        # its width set, not worked out from the rows: a width from rows drawn before (at another
        # size) would stay
        last.auto_width = room <= 0
        last.width = max(room, len(str(last.label)))
        for w in reversed(weeks):
            table.add_row(
                w.iso,
                w.start.strftime("%b %d"),
                f"{w.days_logged}/7",
                "-" if w.mean_total is None else f"{w.mean_total:.1f}",
                "-" if w.max_total is None else str(w.max_total),
                change_arrow(w.change),
                fit(top_regions(w.region_mean).split(", "), room)
                if w.region_mean
                else ("clear" if w.days_logged else "nothing logged"),
            )
        self.query_one("#week-summary", Static).update(self._summary(entries))
        plot = self.query_one(PlotextPlot)
        plot.plt.clear_figure()
        means = {w.start: w.mean_total for w in weeks if w.mean_total is not None}
        if means:
            charts.draw_weekly(
                plot.plt, list(means), list(means.values()), max(30, plot.size.width), plot.size.height
            )
        plot.refresh()

    def _summary(self, entries: list[Entry]) -> str:
        if not entries:
            return "Nothing logged yet."
        lines = summary_lines(entries, self.app.today)
        return "\n".join(escape(inert(line)) for line in lines)  # product names are the user's text
