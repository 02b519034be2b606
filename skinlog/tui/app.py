"""The skinlog Textual app: the journal is passed in; screens only present what the core computes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from skinlog.domain.analysis import reference_date, streak
from skinlog.domain.dates import today as local_today
from skinlog.domain.entry import Entry
from skinlog.domain.flags import Flag, evaluate
from skinlog.domain.settings import effective
from skinlog.domain.words import badge as flag_badge
from skinlog.errors import SkinlogError
from skinlog.storage import Journal

VIEWS = ("today", "history", "trends", "week", "flags", "products")
VIEW_TITLES = {"today": "Today", "history": "History", "trends": "Trends", "week": "Week",
               "flags": "Flags", "products": "Products"}


def _lazy(view: str) -> Callable[[], Screen[Any]]:
    """A factory for a view's screen that imports its module only when the view is first opened."""

    def make() -> Screen[Any]:
        module = import_module(f"skinlog.tui.screens.{view}")
        return getattr(module, f"{view.capitalize()}Screen")()

    return make


class SkinlogApp(App[None]):
    """Log today on a face map; see history, trends, weeks, flags and products."""

    CSS_PATH = "skinlog.tcss"
    TITLE = "skinlog"
    # The app starts in Today; the other views are built the first time they are opened.
    DEFAULT_MODE = "today"
    MODES = {view: _lazy(view) for view in VIEWS}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="F1"),
        Binding("f2", "view('today')", "Today", key_display="F2"),
        Binding("f3", "view('history')", "History", key_display="F3"),
        Binding("f4", "view('trends')", "Trends", key_display="F4"),
        Binding("f5", "view('week')", "Week", key_display="F5"),
        Binding("f6", "view('flags')", "Flags", key_display="F6"),
        Binding("f7", "view('products')", "Products", key_display="F7"),
        Binding("f8", "export", "Export", key_display="F8"),
        Binding("q", "quit", "Quit"),
    ]
    """F1 help, F2-F7 the views, F8 export, q quits (when not typing)."""

    def __init__(
        self, journal: Journal, *, today: date | None = None, blink: bool = True, defer_status: bool = True
    ) -> None:
        super().__init__()
        self.journal = journal
        self.defer_status = defer_status
        self._generation = 0  # bumped by every write, so a late background result is dropped
        self.today = today or local_today()
        self.blink = blink
        self.journal_ok = False
        self._entries: list[Entry] | None = None
        self._flags: list[Flag] | None = None
        self._fresh: set[str] = set()
        self.error = ""
        try:
            journal.check_readable()
            self.journal_ok = True
        except SkinlogError as exc:
            self.error = str(exc)  # shown instead of the views; the journal is never written

    # -- start

    def on_mount(self) -> None:
        if not self.journal_ok:
            from skinlog.tui.dialogs.error import JournalErrorScreen

            self.push_screen(JournalErrorScreen(self.error))
            return
        self.sub_title = self._streak_text()
        # The flag badge needs the whole journal: work it out once the first screen is up.
        if self.defer_status:
            self.set_timer(0.3, self._start_status_worker)
        else:
            self.update_status()

    def _start_status_worker(self) -> None:
        generation = self._generation
        self.run_worker(lambda: self._status_in_thread(generation), thread=True, group="status",
                        exclusive=True, exit_on_error=False)

    def _status_in_thread(self, generation: int) -> None:
        try:
            journal = Journal(self.journal.path)  # its own copy: nothing shared with the UI thread
            entries = journal.entries()
            flags = evaluate(entries, effective(journal.settings()), self.today, journal.products())
        except SkinlogError:
            return
        self.call_from_thread(self._status_ready, generation, entries, flags)

    def _status_ready(self, generation: int, entries: list[Entry], flags: list[Flag]) -> None:
        if generation == self._generation:
            self._entries, self._flags = entries, flags
            self.update_status()

    def stop_blinking(self, screen: Screen[Any]) -> None:
        """Steady cursors (for snapshots and screenshots) when the app was made with blink=False."""
        if not self.blink:
            for field in screen.query(Input):
                field.cursor_blink = False

    # -- data for the screens (cached until the journal changes)

    def entries(self) -> list[Entry]:
        if self._entries is None:
            self._entries = self.journal.entries()
        return self._entries

    def settings(self) -> dict[str, float]:
        return effective(self.journal.settings())

    def flags(self) -> list[Flag]:
        if self._flags is None:
            self._flags = evaluate(self.entries(), self.settings(), self.today, self.journal.products())
        return self._flags

    def journal_changed(self) -> None:
        """Called after every write: views reload when next shown."""
        self._generation += 1
        self._entries = None
        self._flags = None
        self._fresh.clear()
        self.update_status()

    def change_journal(self, change: Callable[[], object], done: str, *, title: str | None = None,
                       error_title: str | None = None) -> str | None:
        """Make one change to the journal. On success the views are marked stale and ``done`` is
        shown; a refusal is shown instead. Returns the refusal's message, or None."""
        try:
            change()
        except SkinlogError as exc:
            self.notify(str(exc), title=error_title or "", severity="error")
            return str(exc)
        self.journal_changed()
        self.notify(done, title=title or "")
        return None

    def stale(self, view: str) -> bool:
        return view not in self._fresh

    def mark_fresh(self, view: str) -> None:
        self._fresh.add(view)

    # -- the status line: streak and flag badge

    def _streak_text(self) -> str:
        recent = self.journal.entries(since=self.today - timedelta(days=400))
        if not recent or recent[-1].date != self.today:
            return "Nothing logged today yet"
        count, _ = streak(recent, self.today)
        return f"Logged {count} day{'s' if count != 1 else ''} in a row"

    def as_of(self) -> date:
        """The date flags and trends are computed as of (see ``analysis.reference_date``)."""
        return reference_date(self.entries(), self.today)

    def badge(self) -> str:
        return flag_badge(self.flags(), self.as_of(), self.today)

    def update_status(self) -> None:
        if self.journal_ok:
            self.sub_title = f"{self._streak_text()} · {self.badge()}"

    # -- navigation

    def action_view(self, view: str) -> None:
        if self.journal_ok and view in VIEWS:
            self.switch_mode(view)

    def action_export(self) -> None:
        if not self.journal_ok:
            return
        from skinlog.tui.dialogs.export import ExportDialog

        def done(path: str | None) -> None:
            if path:
                self.notify(f"Wrote {path} (readable only by you).", title="Exported")

        self.push_screen(ExportDialog(), done)

    def action_help(self) -> None:
        from skinlog.tui.dialogs.help import HelpScreen

        self.push_screen(HelpScreen())

    def open_day(self, day: date) -> None:
        """Show a day in the Today form to edit it."""
        from skinlog.tui.screens.today import TodayScreen

        self.switch_mode("today")
        screen = self.screen
        if isinstance(screen, TodayScreen):
            screen.load_day(day)
            screen.focus_map()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.journal_ok:
            return
        for number, view in enumerate(VIEWS, 2):
            yield SystemCommand(f"Go to {VIEW_TITLES[view]}", f"Show the {VIEW_TITLES[view]} view (F{number})",
                                lambda view=view: self.action_view(view))
        yield SystemCommand("Save this day", "Save the day in the Today view (ctrl+s)", self._save_from_palette)
        yield SystemCommand("Add a product", "Add a product to the catalogue", self._add_product_from_palette)
        yield SystemCommand("Export for a clinician", "Write JSON, FHIR or a one-page summary (F8)",
                            self.action_export)
        yield SystemCommand("Keys and help", "Every key, view by view (F1)", self.action_help)

    def _save_from_palette(self) -> None:
        from skinlog.tui.screens.today import TodayScreen

        self.switch_mode("today")
        if isinstance(self.screen, TodayScreen):
            self.screen.action_save()

    def _add_product_from_palette(self) -> None:
        from skinlog.tui.screens.products import ProductsScreen

        self.switch_mode("products")
        if isinstance(self.screen, ProductsScreen):
            self.screen.action_add()


def run_app(path: str) -> int:
    """Open the app on the journal at ``path``; returns the exit code."""
    app = SkinlogApp(Journal(path))
    app.run()
    return 0 if app.journal_ok else 1
