"""Shown instead of the app when the journal cannot be opened safely."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from skinlog.domain.text import inert


class JournalErrorScreen(Screen[None]):
    """The same message the command line gives; the journal is left alone.

    The message quotes a path and file text: it is shown as it is, never read as markup, with
    control characters written out."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit")]
    """q or Escape quits."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="journal-error", classes="dialog"):
            yield Static("skinlog cannot open this journal", classes="dialog-title")
            yield Static(inert(self.message, keep_newlines=True), id="error-message", markup=False)
            yield Static("Press q to quit.")
        yield Footer()

    def show(self, message: str) -> None:
        """Show another message (the journal is still unreadable, differently)."""
        self.message = message
        if self.is_mounted:
            self.query_one("#error-message", Static).update(inert(message, keep_newlines=True))
