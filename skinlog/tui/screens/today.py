"""Today: log a day's counts on the face map, with products, symptoms, picking, procedure, note."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.screen import Screen
from textual.validation import Length
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static

from skinlog.domain.entry import MAX_NOTE, PROCEDURES, SYMPTOMS, Entry, make_entry
from skinlog.domain.words import region_summary
from skinlog.errors import SkinlogError
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.widgets.choice import Choice
from skinlog.tui.widgets.face_map import FaceMap

if TYPE_CHECKING:
    from skinlog.tui.app import SkinlogApp


class TodayScreen(Screen[None]):
    """Log or edit one day."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("comma", "shift_day(-1)", "Day before", show=False),
        Binding("full_stop", "shift_day(1)", "Day after", show=False),
    ]
    """ctrl+s saves; , and . move to the day before or after."""

    app: SkinlogApp

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.existing: Entry | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="today"):
            with Vertical(id="map-pane"):
                yield Static(id="day-title")
                yield FaceMap(id="face-map")
                yield Static(id="last-entry")
            with VerticalScroll(id="form", can_focus=False):
                yield Label("Products used")
                yield SelectionList[str](id="products")
                yield Label("Symptoms (0 none to 3 strong)")
                with Vertical(id="symptoms"):
                    for name in SYMPTOMS:
                        yield Choice(name.ljust(7), [(str(n), n) for n in range(4)], 0, id=name)
                yield Choice("Picked or squeezed", [("no", False), ("yes", True)], False, id="picked")
                yield Choice("Procedure", [(p.replace("_", " "), p) for p in PROCEDURES], "none", id="procedure")
                yield Label("Note")
                yield Input(id="note", placeholder="anything notable",
                            validators=[Length(maximum=MAX_NOTE,
                                               failure_description=f"the note can have at most {MAX_NOTE} characters")])
                yield Static("", id="form-error", classes="error")
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if not self.app.journal_ok:
            return  # the app shows the journal's error over this screen
        self.load_day(self.app.today)
        self.query_one(FaceMap).focus()
        self.app.stop_blinking(self)

    def focus_map(self) -> None:
        self.query_one(FaceMap).focus()

    def on_resize(self) -> None:
        # Under 100 columns the form goes below the map and the whole view scrolls.
        self.set_class(self.size.width < 100, "-narrow")

    def load_day(self, day: date) -> None:
        """Fill the form from the day's entry, or start it from the last entry's products."""
        journal = self.app.journal
        self.day = day
        self.existing = journal.entry(day)
        before = journal.entries(until=day - timedelta(days=1), last=1)
        previous = before[-1] if before else None
        source = self.existing
        self.query_one(FaceMap).set_counts(dict(source.counts) if source else {})
        chosen = list(source.products if source else (previous.products if previous else ()))
        products = self.query_one("#products", SelectionList)
        products.clear_options()
        catalogue = [p.name for p in journal.products()]
        # what was used last time first: most days start from the same routine
        names = chosen + [n for n in catalogue if n not in chosen]
        products.add_options([(name, name, name in chosen) for name in names])
        products.highlighted = 0 if names else None  # so space ticks the first one straight away
        for name in SYMPTOMS:
            self.query_one(f"#{name}", Choice).value = getattr(source.symptoms, name) if source else 0
        self.query_one("#picked", Choice).value = source.picked if source else False
        self.query_one("#procedure", Choice).value = source.procedure if source else "none"
        self.query_one("#note", Input).value = source.note if source else ""
        self.query_one("#form-error", Static).update("")
        self.query_one("#last-entry", Static).update(
            f"Last entry {previous.date.isoformat()}: {region_summary(previous.counts, empty='no bumps')} (total {previous.total})"
            if previous else "No earlier entry yet."
        )
        self._update_title()

    def _update_title(self) -> None:
        assert self.day is not None
        when = "Today" if self.day == self.app.today else self.day.strftime("%A")
        state = "editing the saved entry" if self.existing else "not saved yet"
        total = self.query_one(FaceMap).total
        self.query_one("#day-title", Static).update(
            f"{when}, {self.day.isoformat()} · total {total} · {state}"
        )

    def on_face_map_changed(self, _event: FaceMap.Changed) -> None:
        self._update_title()

    def action_shift_day(self, step: int) -> None:
        assert self.day is not None
        target = self.day + timedelta(days=step)
        if target > self.app.today:
            self.notify("That day has not happened yet.", severity="warning")
            return
        self.load_day(target)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()

    def _collect(self) -> Entry:
        """The form as an entry; raises SkinlogError with a message to show."""
        symptoms = {name: self.query_one(f"#{name}", Choice).value for name in SYMPTOMS}
        procedure = self.query_one("#procedure", Choice).value
        assert self.day is not None
        return make_entry(
            self.day,
            self.query_one(FaceMap).counts,
            self.query_one("#products", SelectionList).selected,
            symptoms=symptoms,
            picked=self.query_one("#picked", Choice).value,
            procedure=str(procedure),
            note=self.query_one("#note", Input).value,
        )

    def action_save(self) -> None:
        error = self.query_one("#form-error", Static)
        try:
            entry = self._collect()
        except SkinlogError as exc:
            error.update(str(exc))
            self.notify(str(exc), title="Not saved", severity="error")
            return
        error.update("")
        existing = self.app.journal.entry(entry.date)
        if existing is None:
            self._write(entry, "new")
            return
        question = (
            f"{entry.date.isoformat()} already has an entry (total {existing.total}: "
            f"{region_summary(existing.counts, empty='no bumps')}).\nReplace it with this one (total {entry.total})?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(entry, "replace")
            else:
                self.notify("Nothing was changed.")

        self.app.push_screen(ConfirmDialog(question, yes="Replace"), answered)

    def _write(self, entry: Entry, mode: str) -> None:
        refused = self.app.change_journal(
            lambda: self.app.journal.save_entry(entry, mode=mode),
            f"Saved {entry.date.isoformat()}: total {entry.total}.", title="Saved", error_title="Not saved",
        )
        if refused:
            self.query_one("#form-error", Static).update(refused)
        else:
            self.load_day(entry.date)
