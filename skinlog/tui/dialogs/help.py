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

MAP_FACTS = (
    "**The map** is your face as in a mirror: your own left side is on the left, and L and R "
    "always mean your left and your right. Each region shows its count; the shade repeats it "
    "(the legend under the map): · none, 1-2 few, 3-5 some, 6-9 many, 10+ lots. The region "
    "being edited is marked ▸ ◂. The header lists every view with its key (the one shown in "
    "brackets) and says how many flags are active and the highest level."
)


def files_text(journal: str, prefs: str) -> str:
    """Where skinlog keeps the person's files (Markdown, paths as code so nothing in them is markup)."""
    return (
        f"**Your files**: the journal is `{journal}` (choose another with `--db` or `$SKINLOG_DB`); "
        f"preferences (theme, start view) are in `{prefs}`. A theme picked in the palette "
        "(ctrl+p) is kept there for the next start; `NO_COLOR` turns colour off."
    )


def help_text(views: tuple[View, ...] = VIEWS, files: str = "") -> str:
    """The help as Markdown: the keys table, then a paragraph for each view with keys of its own,
    the map's facts and ``files`` (where the journal and preferences are). Imports every view's
    module (for its HELP)."""
    table = (
        "# skinlog keys\n\n| key | does |\n|---|---|\n"
        f"| {keys_shown(views)} | {', '.join(view.title for view in views)} |\n" + APP_KEYS
    )
    paragraphs = [table.rstrip("\n")]
    for view in views:
        if view.screen_class().HELP:
            paragraphs.append(f"**{view.title}**: {view.screen_class().HELP}")
    paragraphs.append(MAP_FACTS)
    if files:
        paragraphs.append(files)
    paragraphs.append(CLOSING)
    return "\n\n".join(paragraphs) + "\n"


class HelpScreen(ModalScreen[None]):
    """Every key in one place."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]
    """Escape, q, F1 or ? closes the help."""

    def __init__(self, files: str = "") -> None:
        super().__init__()
        self.files = files

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Markdown(help_text(files=self.files))
