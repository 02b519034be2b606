"""The help screen: every key, view by view, built from the views' table and their own HELP."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from skinlog.tui.views import VIEWS, View, keys_shown

APP_KEYS = """\
| F1 or ? | this help |
| F8 | export for a clinician (JSON, FHIR or a one-page summary) |
| ctrl+p | command palette (views, save, themes...) |
| ctrl+z | undo the newest change (and say what it was) |
| ctrl+y | redo: put back what ctrl+z undid |
| q | quit (when not typing; asks about unsaved changes) |
"""

CLOSING = "skinlog is a journal, not a doctor: nothing it shows is medical advice."


def help_text(views: tuple[View, ...] = VIEWS) -> str:
    """The help as Markdown: the keys table, then a paragraph for each view with keys of its own.
    Imports every view's module (for its HELP)."""
    table = (
        "# skinlog keys\n\n| key | does |\n|---|---|\n"
        f"| {keys_shown(views)} | {', '.join(view.title for view in views)} |\n" + APP_KEYS
    )
    paragraphs = [table.rstrip("\n")]
    for view in views:
        if view.screen_class().HELP:
            paragraphs.append(f"**{view.title}**: {view.screen_class().HELP}")
    paragraphs.append(CLOSING)
    return "\n\n".join(paragraphs) + "\n"


class HelpScreen(ModalScreen[None]):
    """Every key in one place."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]
    """Escape, q, F1 or ? closes the help."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Markdown(help_text())
