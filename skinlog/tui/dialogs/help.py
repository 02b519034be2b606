"""The help screen: every key, view by view, built from the views' table and their own HELP.

Sections with headings, in one column that scrolls on a small terminal (80x24) and in two
columns side by side from ``TWO_COLUMNS`` columns (the keys, the map and the files on the left;
the views on the right)."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from skinlog.tui.views import VIEWS, View

TWO_COLUMNS = 110
"""Terminal columns from which the help shows two columns."""

APP_KEYS: tuple[tuple[str, str], ...] = (
    ("F1 or ?", "this help (Escape closes it)"),
    ("F8", "export for a clinician (JSON, FHIR or a one-page summary)"),
    ("ctrl+p", "command palette (views, save, themes...)"),
    ("ctrl+z", "undo the newest change (and say what it was)"),
    ("ctrl+y", "redo: put back what ctrl+z undid"),
    ("q", "quit (when not typing; asks about unsaved changes)"),
)

CLOSING = "skinlog is a journal, not a doctor: nothing it shows is medical advice."

MAP_FACTS = (
    "The map is your face as in a mirror: your own left side is on the left, and L and R "
    "always mean your left and your right. Each region shows its count; the shade repeats it "
    "(the legend under the map): · none, 1-2 few, 3-5 some, 6-9 many, 10+ lots. The region "
    "being edited is marked ▸ ◂. The header lists every view with its key (the one shown in "
    "brackets) and says how many flags are active and the highest level."
)


def files_text(journal: str, prefs: str) -> str:
    """Where skinlog keeps the person's files (plain text: `code` spans are shown as keys)."""
    return (
        f"The journal is `{journal}` (choose another with `--db` or `$SKINLOG_DB`); "
        f"preferences (theme, start view) are in `{prefs}`. A theme picked in the palette "
        "(ctrl+p) is kept there for the next start; `NO_COLOR` turns colour off."
    )


def key_rows(views: tuple[View, ...] = VIEWS) -> list[tuple[str, str]]:
    """The keys that work everywhere, as (key, what it does): a row for each view's key first."""
    return [(view.key_display, f"the {view.title} view") for view in views] + list(APP_KEYS)


def sections(
    views: tuple[View, ...] = VIEWS, files: str = ""
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The help's (heading, text) sections: the left column (the map, the files, the closing
    words; the keys table goes above them) and the right one (each view with keys of its own).
    Imports every view's module (for its HELP)."""
    left = [("The map", MAP_FACTS)]
    if files:
        left.append(("Your files", files))
    left.append(("", CLOSING))
    right = [(view.title, view.screen_class().HELP) for view in views if view.screen_class().HELP]
    return left, right


def help_text(views: tuple[View, ...] = VIEWS, files: str = "") -> str:
    """The whole help as plain text, in the order a one-column help shows it."""
    left, right = sections(views, files)
    keys = "\n".join(f"{key:<14}{does}" for key, does in key_rows(views))
    parts = ["Keys everywhere\n" + keys]
    for heading, text in [*right, *left]:
        flat = " ".join(text.split())
        parts.append(f"{heading}\n{flat}" if heading else flat)
    return "\n\n".join(parts) + "\n"


def styled(text: str) -> Text:
    """``text`` with its `code` and **strong** spans in bold and everything else as it is."""
    shown = Text()
    for n, piece in enumerate(re.split(r"`([^`]*)`|\*\*([^*]*)\*\*", " ".join(text.split()))):
        if piece:
            shown.append(piece, style="bold" if n % 3 else "")
    return shown


def keys_table(views: tuple[View, ...] = VIEWS) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1, 0, 0), expand=True)
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for key, does in key_rows(views):
        table.add_row(key, does)
    return table


class HelpScreen(ModalScreen[None]):
    """Every key in one place, in sections that scroll."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]
    """Escape, q, F1 or ? closes the help."""

    HORIZONTAL_BREAKPOINTS = [(0, "-one-column"), (TWO_COLUMNS, "-two-columns")]

    def __init__(self, files: str = "") -> None:
        super().__init__()
        self.files = files
        self.text = help_text(files=files)  # what the help says, as plain text

    def compose(self) -> ComposeResult:
        left, right = sections(files=self.files)
        with VerticalScroll(id="help", classes="dialog"):
            yield Static("skinlog help  ·  ↑ ↓ PgUp PgDn scroll  ·  Escape closes", id="help-title")
            with Horizontal(id="help-columns"):
                with Vertical(classes="help-column", id="help-left"):
                    yield Static("Keys everywhere", classes="help-heading")
                    yield Static(keys_table(), id="help-keys")
                    for heading, text in left:
                        if heading:
                            yield Static(heading, classes="help-heading")
                        yield Static(styled(text), classes="help-text")
                with Vertical(classes="help-column", id="help-views"):
                    for heading, text in right:
                        yield Static(heading, classes="help-heading")
                        yield Static(styled(text), classes="help-text")

    def on_mount(self) -> None:
        self.query_one("#help", VerticalScroll).focus()
