"""History: every entry, newest first; search notes, filter, and open a day to edit or delete it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.events import DescendantFocus, Resize
from textual.widgets import DataTable, Footer, Header, Input, Select, Static

from skinlog.domain.entry import Entry
from skinlog.domain.flags import Flag
from skinlog.domain.regions import REGIONS
from skinlog.domain.search import Filter, matches, shorten
from skinlog.domain.text import inert
from skinlog.domain.words import event_label, flag_name, label, plural, region_labels, region_summary
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.screens.base import JournalScreen

PAGE = 200
"""Rows built at a time: a century of entries is shown a page at a time (m for older)."""

FIXED = {"date": 10, "total": 5, "picked": 6}
"""Columns of a set width (characters, without the gap after each)."""
FLEXIBLE = (
    ("note", 3, 10),
    ("regions", 3, 10),
    ("products", 2, 8),
    ("procedure", 1, 9),
    ("events", 2, 6),
)
"""Columns sharing the rest of the width: name, share of what is left over, least width."""
ORDER = ("date", "total", "note", "regions", "products", "picked", "procedure", "events")
USERS_TEXT = frozenset({"note", "products"})


def column_widths(width: int, natural: Mapping[str, int] | None = None) -> dict[str, int]:
    """Each column's text width for a table ``width`` characters wide (one character of gap after
    each column and two for the scroll bar). The flexible columns get their least width, then
    share what is left by their shares, none wider than its longest text (``natural``; the header
    counts); the note takes what nobody else needs. Narrower than the least widths, the table
    scrolls sideways."""
    room = width - 2 - len(ORDER) - sum(FIXED.values())
    natural = natural or {}
    widths = dict(FIXED)
    for name, _, least in FLEXIBLE:
        widths[name] = least
    spare = room - sum(least for _, _, least in FLEXIBLE)
    while spare > 0:
        hungry = [(name, share) for name, share, _ in FLEXIBLE if widths[name] < natural.get(name, room)]
        if not hungry:
            break
        shares = sum(share for _, share in hungry)
        given = 0
        for name, share in hungry:
            give = min(max(1, spare * share // shares), natural.get(name, room) - widths[name], spare - given)
            widths[name] += give
            given += give
        spare -= given
    if spare > 0:
        widths["note"] += spare
    return widths


def flag_choice(flag: Flag) -> str:
    where = f" · {region_labels(flag.regions)}" if flag.regions else ""
    return f"{flag_name(flag.code)}{where}"


class HistoryScreen(JournalScreen):
    """A table of entries, newest first, a page at a time, with a search box and filters."""

    HELP = (
        "Enter opens a day in Today to edit; `d` deletes it (after asking); `m` loads older entries. "
        "`/` searches the notes as you type (Enter goes back to the table); `p`, `r` and `f` filter "
        "by a product, a region with bumps, or a flag's days; Escape clears the search and filters."
    )

    BINDINGS = [
        Binding("o", "open", "Open", key_display="Enter"),
        Binding("d,delete", "delete", "Delete"),
        Binding("m", "more", "Older"),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("p", "pick('product')", "Product", show=False),
        Binding("r", "pick('region')", "Region", show=False),
        Binding("f", "pick('flag')", "Flag", show=False),
        Binding("escape", "clear", "Clear", key_display="Esc", show=False),
    ]
    """Enter (or o) opens the day in Today; d deletes it after asking; m loads older entries;
    / searches notes; p, r, f filter (their boxes say so); Escape clears."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = PAGE
        self.flags: list[Flag] = []
        self.flags_shown = False
        self.widths: dict[str, int] = {}
        self.natural: dict[str, int] = {}
        self.matched: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="history-title", classes="view-title")
        with Horizontal(id="history-filters"):
            yield Input(
                placeholder="/ search notes", id="history-search", compact=True, select_on_focus=False
            )
            yield Select[str]([], prompt="p: any product", id="filter-product", compact=True)
            yield Select[str](
                [(region.short, region.id) for region in REGIONS],
                prompt="r: any region",
                id="filter-region",
                compact=True,
            )
            yield Select[str]([], prompt="f: any flag", id="filter-flag", compact=True)
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()

    # -- what is asked for

    def wanted(self) -> Filter:
        def value(name: str) -> str:
            chosen = self.query_one(f"#filter-{name}", Select).value
            return chosen if isinstance(chosen, str) else ""

        flag = value("flag")
        return Filter(
            text=self.query_one("#history-search", Input).value,
            product=value("product"),
            region=value("region"),
            flag=self.flags[int(flag)] if flag.isdigit() and int(flag) < len(self.flags) else None,
        )

    def _set_options(self) -> None:
        products = self.query_one("#filter-product", Select)
        names = [(inert(p.name), p.name) for p in self.app.journal.products()]
        if names != getattr(products, "_skinlog_options", None):
            products.set_options(names)
            products._skinlog_options = names  # type: ignore[attr-defined]
        if self.flags_shown:
            self._set_flag_options()

    def _set_flag_options(self) -> None:
        """The flags to filter by. Working them out reads the whole journal, so it waits until the
        flag box is first used (on a century of entries that is most of a second)."""
        self.flags_shown = True
        flags = self.app.flags()
        if flags != self.flags:
            self.flags = list(flags)
            self.query_one("#filter-flag", Select).set_options(
                [(flag_choice(flag), str(n)) for n, flag in enumerate(self.flags)]
            )

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if getattr(event.widget, "id", None) == "filter-flag" and not self.flags_shown:
            self._set_flag_options()

    # -- drawing

    def redraw(self) -> None:
        self._set_options()
        self._fill()

    def _fill(self) -> None:
        """The rows that match, newest first, the first ``shown`` of them."""
        entries = self.app.entries()
        wanted = self.wanted()
        if wanted.active:
            self.matched = [e for e in reversed(entries) if matches(e, wanted)]
        else:
            self.matched = entries[::-1]
        table = self.query_one(DataTable)
        row = table.cursor_row
        page = [(e, self._texts(e)) for e in self.matched[: self.shown]]
        natural = {name: len(name) for name in ORDER}
        for _, texts in page:
            for name, text in zip(ORDER, texts):
                natural[name] = max(natural[name], len(text))
        self.natural = natural
        self.widths = column_widths(table.size.width or self.size.width, natural)
        table.clear(columns=True)
        for name in ORDER:
            table.add_column(name, key=name, width=self.widths[name] + 1)
        for e, texts in page:
            table.add_row(*self._cells(texts), key=e.date.isoformat())
        self._title(len(entries), wanted.active)
        if self.matched:
            table.move_cursor(row=min(row, min(len(self.matched), self.shown) - 1))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """ "Older" is offered only while there are older entries to load."""
        if action == "more":
            return self.shown < len(self.matched)
        return True

    @staticmethod
    def _texts(e: Entry) -> list[str]:
        """A row's texts in full, one line each."""
        return [
            e.date.isoformat(),
            str(e.total),
            " ".join(e.note.split()),
            region_summary(e.counts, empty="no bumps"),
            ", ".join(e.products),
            "yes" if e.picked else "",
            label(e.procedure) if e.procedure != "none" else "",
            ", ".join(event_label(event) for event in e.events),
        ]

    def _cells(self, texts: list[str]) -> list[str | Text]:
        # notes and product names are the user's text: shown as they are, never read as markup;
        # the rest is the app's own words
        return [
            Text(inert(shorten(text, self.widths[name])))
            if name in USERS_TEXT
            else shorten(text, self.widths[name])
            for name, text in zip(ORDER, texts)
        ]

    def _title(self, total: int, filtered: bool) -> None:
        found = len(self.matched)
        if filtered:
            text = f"{found} of {plural(total, 'entry', 'entries')} match, newest first"
        else:
            text = f"{plural(total, 'entry', 'entries')}, newest first"
        if found > self.shown:
            text += f" (showing the newest {self.shown}; m for older)"
        if filtered and not found:
            text += " · Escape clears the search and filters"
        self.query_one("#history-title", Static).update(Text(text))

    def on_resize(self, _event: Resize) -> None:
        self.call_after_refresh(self._refit)

    def _refit(self) -> None:
        """Columns for the new width, once the table has it."""
        if self.widths and column_widths(self.query_one(DataTable).size.width, self.natural) != self.widths:
            self._fill()

    # -- searching and filtering

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "history-search":
            self.shown = PAGE
            self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "history-search":
            self.query_one(DataTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.shown = PAGE
        self._fill()
        self.query_one(DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_pick(self, name: str) -> None:
        box = self.query_one(f"#filter-{name}", Select)
        if name == "flag" and not self.flags_shown:
            self._set_flag_options()
        box.focus()
        box.expanded = True

    def action_clear(self) -> None:
        search = self.query_one("#history-search", Input)
        boxes = [self.query_one(f"#filter-{name}", Select) for name in ("product", "region", "flag")]
        changed = bool(search.value) or any(not box.is_blank() for box in boxes)
        with self.prevent(Input.Changed, Select.Changed):
            search.value = ""
            for box in boxes:
                box.clear()
        self.query_one(DataTable).focus()
        if changed:
            self.shown = PAGE
            self._fill()

    # -- the selected day

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
        self._fill()

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
            from skinlog.services.days import DayChangedError, write_day

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
