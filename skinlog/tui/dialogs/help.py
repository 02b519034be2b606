"""The help screen: every key, view by view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# skinlog keys

| key | does |
|---|---|
| F2 ... F7 | Today, History, Trends, Week, Flags, Products |
| F1 or ? | this help |
| F8 | export for a clinician (JSON, FHIR or a one-page summary) |
| ctrl+p | command palette (views, save, themes...) |
| q | quit (when not typing; asks about unsaved changes) |

**Today**: arrows or h j k l move between regions; `+` and `-` change the count; digits type it
(`1` `2` makes 12); Delete sets 0; a click adds one, shift+click takes one away. Tab moves on to
the products (space ticks one), the symptoms, picking and procedure (left and right change them,
or type the number or first letter), the events and the note. `ctrl+s` saves the day, asking
first if the day already has an entry; `,` and `.` go to the day before and after. Left and right
on the map are your own left and right, as in a mirror.

**Unsaved changes** are marked in the title (● unsaved changes). Quitting, moving to another day
or opening another entry asks first: `s` save, `d` discard, Esc cancel. If the journal is changed
outside the app (another terminal, a sync), every view shows it as it is now; a day changed there
since you opened it is shown before you save over it: `o` overwrite with yours, `k` keep the
journal's, Esc cancel.

**History**: Enter opens a day to edit; `d` deletes it (after asking); `m` loads older entries.

**Trends**: `1` 4 weeks, `2` 12 weeks, `3` a year, `4` everything; tick regions to add their lines.

**Products**: `a` adds a product; `e` or Enter edits the selected one (name, category, heavy);
`r` renames it (past entries follow).

skinlog is a journal, not a doctor: nothing it shows is medical advice.
"""


class HelpScreen(ModalScreen[None]):
    """Every key in one place."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]
    """Escape, q, F1 or ? closes the help."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Markdown(HELP)
