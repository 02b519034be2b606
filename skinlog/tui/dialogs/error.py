"""Shown instead of the app when the journal cannot be opened safely."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static


class JournalErrorScreen(Screen[None]):
    """The same message the command line gives; the journal is left alone."""

    BINDINGS = [Binding("q,escape", "app.quit", "Quit")]
    """q or Escape quits."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="journal-error", classes="dialog"):
            yield Static("skinlog cannot open this journal", classes="dialog-title")
            yield Static(self.message, id="error-message")
            yield Static("Press q to quit.")
        yield Footer()
