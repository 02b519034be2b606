"""History: every entry, newest first; open one to edit or delete it."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from skinlog.domain.text import inert
from skinlog.domain.words import region_summary
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.screens.base import JournalScreen

PAGE = 200


class HistoryScreen(JournalScreen):
    """A table of entries, loaded a page at a time."""

    HELP = "Enter opens a day to edit; `d` deletes it (after asking); `m` loads older entries."

    BINDINGS = [
        Binding("o", "open", "Open / edit", key_display="Enter"),
        Binding("d,delete", "delete", "Delete"),
        Binding("m", "more", "Older"),
    ]
    """Enter (or o) opens the day in Today; d deletes it after asking; m loads older entries."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = PAGE

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-title", classes="view-title")
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("date", key="date", width=10)
        table.add_column("total", key="total", width=5)
        table.add_column("regions", key="regions")
        table.add_column("products", key="products")
        table.add_column("", key="marks")

    def redraw(self) -> None:
        journal = self.app.journal
        entries = journal.entries(last=self.shown)
        total = journal.count_entries()
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for e in reversed(entries):
            marks = " ".join(
                m
                for m in (
                    "picked" if e.picked else "",
                    e.procedure.replace("_", " ") if e.procedure != "none" else "",
                    ", ".join(event.replace("_", " ") for event in e.events),
                    "note" if e.note else "",
                )
                if m
            )
            # product names are the user's text: shown as they are, never read as markup
            table.add_row(
                e.date.isoformat(),
                str(e.total),
                region_summary(e.counts, empty="no bumps"),
                Text(inert(", ".join(e.products))),
                marks,
                key=e.date.isoformat(),
            )
        more = f" (showing the newest {len(entries)}; m for older)" if len(entries) < total else ""
        self.query_one("#history-title", Static).update(f"{total} entries, newest first{more}")
        if entries:
            table.move_cursor(row=min(row, len(entries) - 1))

    def _selected_day(self) -> date | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return date.fromisoformat(str(key)) if key else None

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        day = self._selected_day()
        if day:
            self.app.open_day(day)

    def action_more(self) -> None:
        self.shown += PAGE
        self.reload()

    def action_delete(self) -> None:
        self.app.check_outside()  # ask about the day as it is on disk now
        day = self._selected_day()
        if day is None or not self.app.journal_ok:
            return
        entry = self.app.journal.entry(day)
        if entry is None:
            self.notify(f"{day.isoformat()} is no longer in the journal.", markup=False)
            self.reload()
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            from skinlog.tui.app import DayChangedError, write_day

            try:
                deleted = self.app.change_journal(
                    lambda: write_day(self.app.journal, day, entry, None),
                    f"Deleted {day.isoformat()}.",
                    error_title="Not deleted",
                )
            except DayChangedError:
                self.app.check_outside()
                self.notify(
                    f"{day.isoformat()} was changed outside the app while you were deciding; "
                    "nothing was deleted. Here it is as it is now.",
                    title="Not deleted",
                    severity="warning",
                    markup=False,
                )
                deleted = None
            if deleted is None:
                self.reload()

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the entry for {day.isoformat()} (total {entry.total})?\nctrl+z undoes it.",
                yes="Delete",
            ),
            answered,
        )
