"""The first run: where the journal will live, how the map reads, and the demo to try first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from skinlog.services.preferences import preferences_path
from skinlog.tui.widgets.face_map import legend_text

MAP_FACTS = (
    "The map is your face as in a mirror: your own left side is on the left; "
    "L and R always mean your left and your right."
)
COLOUR_FACTS = "Each region shows its count; the shade repeats it:"
EARLY_FACTS = (
    "Flags look for patterns over days and weeks: in your first days they rest on little, "
    "and the header says how many days they are based on."
)


def welcome_text(journal_path: str) -> Text:
    """The welcome's words (plain text: the path is shown as it is, never as markup)."""
    text = Text()
    text.append("Welcome to skinlog", style="bold")
    text.append(": a private journal for milia, one face map a day.\n\n")
    text.append("Your journal will be kept in (nothing is written until you save a day)\n")
    text.append(f"  {journal_path}\n", style="bold")
    text.append(f"and your preferences in\n  {preferences_path()}\n\n")
    text.append(MAP_FACTS + "\n")
    text.append(COLOUR_FACTS + "\n  ")
    text.append_text(legend_text())
    text.append("\n\n" + EARLY_FACTS + "\n\n")
    text.append("Or try the demo: a made-up journal, thrown away when you quit. F1: every key.")
    return text


class WelcomeScreen(ModalScreen[str]):
    """Shown when the journal does not exist yet; dismissed with "start" or "demo"."""

    BINDINGS = [
        Binding("enter,s", "choose('start')", "Start logging"),
        Binding("d", "choose('demo')", "Try the demo"),
        Binding("escape", "choose('start')", "Close", show=False),
    ]
    """Enter or s starts logging; d opens a throwaway demo journal instead; Escape closes."""

    def __init__(self, journal_path: str) -> None:
        super().__init__()
        self.journal_path = journal_path

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome", classes="dialog"):
            yield Static(welcome_text(self.journal_path), id="welcome-text")
            with Horizontal(classes="buttons"):
                yield Button("Try the demo (d)", id="demo")
                yield Button("Start logging (Enter)", id="start", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "start")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
