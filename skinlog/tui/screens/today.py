"""Today: log a day's counts on the face map, with products, symptoms, picking, procedure,
events and note.

The form remembers the entry it was filled from (``loaded``) and its own values at that moment,
so it knows when it has unsaved edits (they are never dropped without asking) and when the day
on disk was changed elsewhere since (it is never overwritten without showing it and asking).
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical, VerticalScroll
from textual.validation import Length
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static

from skinlog.domain.entry import EVENTS, MAX_NOTE, PROCEDURES, SYMPTOMS, Entry, make_entry
from skinlog.domain.products import offered
from skinlog.domain.regions import BY_ID, REGION_IDS
from skinlog.domain.text import inert
from skinlog.domain.words import event_label, label, region_summary
from skinlog.errors import NotFoundError, SkinlogError
from skinlog.services.days import last_before, picker_products, same_as_last
from skinlog.tui.dialogs.ask import AskDialog
from skinlog.tui.dialogs.confirm import ConfirmDialog
from skinlog.tui.screens.base import JournalScreen
from skinlog.tui.widgets.choice import Choice
from skinlog.tui.widgets.face_map import FaceMap
from skinlog.tui.widgets.product_picker import ProductPicker, TickList

WIDE = 150  # columns from which the products get a column of their own, as tall as the screen
TALL = 40  # rows from which the events list shows every event (no scroll of its own)
NARROW = 100  # columns under which the form goes below the map and the whole view scrolls
NOTE_SHOWN = 60  # characters of a note quoted in a question
NOTE_DIFF = 24  # characters of each note quoted in a list of differences
DESCRIBE_WIDTH = 58  # the narrowest question's width


def describe(entry: Entry) -> str:
    """A saved or typed day in a few plain lines, for a question about it (inert text)."""
    lines = [f"total {entry.total}: {region_summary(entry.counts, empty='no bumps')}"]
    if entry.products:
        lines.append("products: " + ", ".join(entry.products))
    felt = [f"{name} {value}" for name, value in entry.symptoms.to_dict().items() if value]
    if felt:
        lines.append("symptoms: " + ", ".join(felt))
    if entry.picked:
        lines.append("picked or squeezed")
    if entry.procedure != "none":
        lines.append("procedure: " + entry.procedure.replace("_", " "))
    if entry.events:
        lines.append("events: " + ", ".join(e.replace("_", " ") for e in entry.events))
    if entry.note:
        lines.append(f"note: {_quote(entry.note, NOTE_SHOWN)}")
    return _indented(lines)


def _quote(note: str, width: int) -> str:
    note = " ".join(note.split())
    return f'"{note if len(note) <= width else note[: width - 1] + "…"}"' if note else "none"


def _indented(lines: list[str]) -> str:
    """``lines`` wrapped and indented; a no-break space (KEEP) holds words on one line, then shows
    as a space."""
    return "\n".join(
        inert(
            textwrap.fill(
                line, DESCRIBE_WIDTH, initial_indent="  ", subsequent_indent="    ", break_on_hyphens=False
            ).replace(KEEP, " "),
            keep_newlines=True,
        )
        for line in lines
    )


KEEP = "\xa0"


def _change(name: str, old: object, new: object) -> str:
    """ "nose 0 → 2", never cut across lines."""
    return KEEP.join(f"{name} {old} → {new}".split(" "))


def differences(old: Entry, new: Entry) -> str:
    """What differs between the day on disk (``old``) and the form's (``new``), a line a kind,
    each as "on disk → yours": counts by region, products, symptoms, picking, procedure, events,
    note (inert text)."""
    lines = []
    if old.counts != new.counts:
        regions = [
            _change(BY_ID[r].short, old.count(r), new.count(r))
            for r in REGION_IDS
            if old.count(r) != new.count(r)
        ]
        lines.append(_change("total", old.total, new.total) + ": " + ", ".join(regions))
    plus = [f"+{p}" for p in new.products if p not in old.products]
    minus = [f"−{p}" for p in old.products if p not in new.products]
    if plus or minus:
        lines.append("products: " + ", ".join(plus + minus))
    before, after = old.symptoms.to_dict(), new.symptoms.to_dict()
    felt = [_change(name, before[name], after[name]) for name in before if before[name] != after[name]]
    if felt:
        lines.append("symptoms: " + ", ".join(felt))
    if old.picked != new.picked:
        lines.append(f"picked: {'yes' if old.picked else 'no'} → {'yes' if new.picked else 'no'}")
    if old.procedure != new.procedure:
        lines.append(f"procedure: {label(old.procedure)} → {label(new.procedure)}")
    plus = [f"+{event_label(e)}" for e in new.events if e not in old.events]
    minus = [f"−{event_label(e)}" for e in old.events if e not in new.events]
    if plus or minus:
        lines.append("events: " + ", ".join(plus + minus))
    if old.note != new.note:
        lines.append(f"note: {_quote(old.note, NOTE_DIFF)} → {_quote(new.note, NOTE_DIFF)}")
    return _indented(lines or ["nothing: the same day"])


class TodayScreen(JournalScreen):
    """Log or edit one day."""

    HELP = """\
arrows or h j k l move between regions; `+` and `-` change the count; digits type it
(`1` `2` makes 12); Delete sets 0; a click adds one, shift+click takes one away. Tab moves on to
the products (space ticks one, j and k move; typing a letter, or `/`, narrows the list to the
names that contain what you type, Enter ticks the top match), the symptoms, picking and procedure (left
and right change them, or type the number or first letter), the events and the note. `Esc`, or
`m` when you are not typing (nor in the product list), goes back to the map from anywhere; saving, changing the day and
coming back to Today put you on the map too. `ctrl+r` starts the day from the last entry before
it (its counts and products). `ctrl+s` saves the day, asking first if the day already has an
entry (a day that did not change is not saved again); `,` and `.` go to the day before and after. Left and right on the map are your own left
and right, as in a mirror. `ctrl+o` attaches a photo to the day (type its path; Tab completes
it); the day's title counts its photos.

**Unsaved changes** are marked in the title (● unsaved changes). Quitting, moving to another day
or opening another entry asks first: `s` save, `d` discard, Esc cancel. If the journal is changed
outside the app (another terminal, a sync), every view shows it as it is now; a day changed there
since you opened it is shown before you save over it: `o` overwrite with yours, `k` keep the
journal's, Esc cancel."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, show=False),  # the Save button says ctrl+s
        Binding("ctrl+r", "same_as_last", "Copy last"),
        Binding("comma", "shift_day(-1)", "Day", key_display=", ."),  # one footer key for both
        Binding("full_stop", "shift_day(1)", "Day after", show=False),
        Binding("escape,m", "focus_map", "Map", show=False),
        Binding("slash", "find_product", "Find a product", show=False),
        Binding("ctrl+o", "attach_photo", "Photo"),
    ]
    """ctrl+s saves; ctrl+r starts from the last entry; , and . move to the day before or after
    (asking first about unsaved edits); Esc or m goes back to the map (m only when not typing:
    a text field or the product filter takes it); / narrows the products."""

    def __init__(self) -> None:
        super().__init__()
        self.day: date | None = None
        self.loaded: Entry | None = None  # the day on disk when the form was filled
        self.changed_elsewhere = False  # the day on disk is no longer ``loaded`` (seen, kept edits)
        self._base: tuple[object, ...] | None = None  # the form's values when it was filled
        self._away = False  # another view was shown: coming back puts focus on the map

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="today"):
            with Vertical(id="map-pane"):
                yield Static(id="day-title", markup=False)
                yield FaceMap(id="face-map")
                yield Static(id="last-entry", markup=False)
            with VerticalScroll(id="form", can_focus=False):
                with Vertical(id="picker-pane"):
                    yield Label("Products used (type to narrow)", id="products-label")
                    yield ProductPicker(id="picker")
                with Vertical(id="details"):
                    yield Label("Symptoms (0 none to 3 strong)")
                    with Vertical(id="symptoms"):
                        for name in SYMPTOMS:
                            yield Choice(name.ljust(7), [(str(n), n) for n in range(4)], 0, id=name)
                    yield Choice("Picked or squeezed", [("no", False), ("yes", True)], False, id="picked")
                    yield Choice(
                        "Procedure", [(p.replace("_", " "), p) for p in PROCEDURES], "none", id="procedure"
                    )
                    yield Label("Events (what can bring on milia)")
                    # an event not ticked shows an empty box (readable without colour)
                    yield TickList(*[(e.replace("_", " "), e) for e in EVENTS], id="events")
                    yield Label("Note")
                    yield Input(
                        id="note",
                        placeholder="anything notable",
                        select_on_focus=False,  # Tab into a saved note must not let a key replace it
                        validators=[
                            Length(
                                maximum=MAX_NOTE,
                                failure_description=f"the note can have at most {MAX_NOTE} characters",
                            )
                        ],
                    )
        # outside the scrolling part: Save and what stops it stay in sight at any size
        with Horizontal(id="save-bar"):
            yield Static("", id="form-error", classes="error", markup=False)
            yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if not self.app.journal_ok:
            return  # the app shows the journal's error over this screen
        self.app.today_screen = self
        self.fill(self.app.today)  # the view is drawn: the base class's on_mount leaves it
        self.query_one(FaceMap).focus()
        self.app.stop_blinking(self)

    def focus_map(self) -> None:
        """Put focus on the face map (and the product filter away): after a save, a change of
        day or view, and on Esc or m, so keys meant for the map never edit a field."""
        self.query_one(ProductPicker).clear_filter()
        self.query_one(FaceMap).focus()

    def action_focus_map(self) -> None:
        self.focus_map()

    def action_find_product(self) -> None:
        self.query_one(ProductPicker).start_filter()

    def on_screen_suspend(self) -> None:
        # a dialog over this view keeps the current mode; another view changes it
        self._away = self.app.current_mode != "today"

    def on_screen_resume(self) -> None:
        if self._away:
            self._away = False
            self.focus_map()

    def on_resize(self) -> None:
        # Under NARROW columns the form goes below the map and the whole view scrolls; from WIDE
        # the products have a column as tall as the screen; in between the list grows with it.
        width, height = self.size
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        self.set_class(height >= TALL, "-tall")
        options = self.query_one(ProductPicker).options
        options.styles.max_height = None if width >= WIDE else max(5, height - (10 if width < NARROW else 8))

    # -- filling the form

    def fill(self, day: date) -> None:
        """Fill the form from the day's entry as it is on disk now, or start it from the last
        entry's products. Whatever the form held is replaced: callers ask first (leave_day)."""
        journal = self.app.journal
        self.day = day
        self.loaded = journal.entry(day)
        self.changed_elsewhere = False
        previous = self._previous()
        source = self.loaded
        self.query_one(FaceMap).set_counts(dict(source.counts) if source else {})
        # archived products are offered only when ticked on this day (a new day does not take
        # them from the last one); the list keeps catalogue order
        usable = set(offered(journal.products()))
        chosen = (
            list(source.products)
            if source
            else [n for n in previous.products if n in usable]
            if previous
            else []
        )
        self.query_one(ProductPicker).set_products(picker_products(journal.products(), chosen), chosen)
        for name in SYMPTOMS:
            self.query_one(f"#{name}", Choice).value = getattr(source.symptoms, name) if source else 0
        self.query_one("#picked", Choice).value = source.picked if source else False
        self.query_one("#procedure", Choice).value = source.procedure if source else "none"
        events = self.query_one("#events", SelectionList)
        events.deselect_all()
        for event in source.events if source else ():
            events.select(event)
        events.highlighted = 0
        self.query_one("#note", Input).value = source.note if source else ""
        self.query_one("#form-error", Static).update("")
        self._show_last_entry(previous)
        self._base = self._values()
        self.app.mark_fresh(self)
        self._edited()

    def _previous(self) -> Entry | None:
        """The last entry before the form's day."""
        assert self.day is not None
        return last_before(self.app.journal, self.day)

    def action_same_as_last(self) -> None:
        """Fill the map and the products from the last entry before this day (the other fields
        stay as they are); nothing is saved until ctrl+s."""
        assert self.day is not None
        try:
            last, counts, products = same_as_last(self.app.journal, self.day)
        except NotFoundError:
            self.notify(f"There is no entry before {self.day.isoformat()} to start from.", severity="warning")
            return
        self.query_one(FaceMap).set_counts(counts)
        catalogue = self.app.journal.products()
        self.query_one(ProductPicker).set_products(picker_products(catalogue, products), products)
        self._edited()
        self.focus_map()
        self.notify(f"Started from {last.date.isoformat()} (total {last.total}); ctrl+s saves.", markup=False)

    def _show_last_entry(self, previous: Entry | None) -> None:
        self.query_one("#last-entry", Static).update(
            f"Last entry {previous.date.isoformat()}: {region_summary(previous.counts, empty='no bumps')} (total {previous.total})"
            if previous
            else "No earlier entry yet."
        )

    def redraw(self) -> None:
        """A form without edits is filled again from disk (a day logged, changed or deleted
        elsewhere shows as it is); edits are kept, and the product list and the day's state
        follow the journal."""
        if self.day is None:
            return
        if not self.dirty:
            self.fill(self.day)
            return
        self.changed_elsewhere = self.app.journal.entry(self.day) != self.loaded
        self._refresh_products()
        self._show_last_entry(self._previous())
        self._edited()

    def _refresh_products(self, renamed: tuple[str, str] | None = None) -> None:
        """The catalogue as it is now, keeping what is ticked (under its new name if it was
        renamed in the app; a ticked name no longer in the catalogue stays, to be unticked)."""
        picker = self.query_one(ProductPicker)
        catalogue = self.app.journal.products()
        spelled = {p.name.casefold(): p.name for p in catalogue}

        def now(name: str) -> str:
            if renamed and name.casefold() == renamed[0].casefold():
                name = renamed[1]
            return spelled.get(name.casefold(), name)

        chosen = [now(name) for name in picker.selected()]
        picker.set_products(picker_products(catalogue, chosen), chosen, picker.options.highlighted)
        if renamed and self._base is not None:
            counts, ticked, *rest = self._base
            assert isinstance(ticked, frozenset)
            self._base = (counts, frozenset(now(n) for n in ticked), *rest)

    def after_app_change(self, in_step: bool, renamed: tuple[str, str] | None = None) -> None:
        """The app itself changed the journal (a save here, a delete in History, a rename in
        Products). ``in_step``: the form's day on disk was what the form was filled from just
        before that change, so the change moves the form's starting point along with it."""
        if self.day is None:
            return
        if not self.dirty:
            self.fill(self.day)
            return
        if renamed:
            self._refresh_products(renamed)
        if in_step:
            self.loaded = self.app.journal.entry(self.day)
        self.reload()

    def date_changed(self, before: date, now: date) -> None:
        """The clock passed midnight: a form showing the old today moves on, unless it holds edits."""
        if self.day == before and before != now:
            if not self.dirty:
                self.fill(now)
                self.notify(f"It is {now.isoformat()} now: Today shows the new day.", markup=False)
                return
            self.notify(
                f"It is {now.isoformat()} now. Your unsaved changes are kept for {before.isoformat()}: "
                "save them (ctrl+s), then press . for the new day.",
                title="A new day",
                severity="warning",
                timeout=30,
                markup=False,
            )
        self._update_title()

    # -- what the form holds

    def _values(self) -> tuple[object, ...]:
        """The form's values, to tell whether anything was edited since it was filled."""
        return (
            tuple(sorted((r, n) for r, n in self.query_one(FaceMap).counts.items() if n)),
            frozenset(self.query_one(ProductPicker).selected()),
            tuple(self.query_one(f"#{name}", Choice).value for name in SYMPTOMS),
            self.query_one("#picked", Choice).value,
            self.query_one("#procedure", Choice).value,
            frozenset(self.query_one("#events", SelectionList).selected),
            self.query_one("#note", Input).value,
        )

    @property
    def dirty(self) -> bool:
        """True when the form holds edits that are not in the journal."""
        return self._base is not None and self.is_mounted and self._values() != self._base

    def _edited(self) -> None:
        self._update_title()
        self.app.show_unsaved(self.dirty)

    def _update_title(self) -> None:
        if self.day is None:
            return
        when = "Today" if self.day == self.app.today else self.day.strftime("%a")
        if self.dirty:
            if self.changed_elsewhere:
                state = "● unsaved; changed elsewhere"
            else:
                state = "● unsaved changes" if self.loaded else "● not saved yet"
        else:
            state = "editing the saved entry" if self.loaded else "not saved yet"
        total = self.query_one(FaceMap).total
        photos = self.photo_count()
        shown = f" · {photos} photo{'s' if photos != 1 else ''}" if photos else ""
        self.query_one("#day-title", Static).update(
            f"{when}, {self.day.isoformat()} · total {total} · {state}{shown}"
        )

    def photo_count(self) -> int:
        """The number of photos of the day shown (read once per day and change of the journal)."""
        key = (self.day, self.app.journal)
        if getattr(self, "_photos_of", (None,))[0] != key:
            from skinlog.services.photos import photos_on

            count = len(photos_on(self.app.journal, self.day)) if self.day and self.app.journal_ok else 0
            self._photos_of = (key, count)
        return self._photos_of[1]

    def action_attach_photo(self) -> None:
        """ctrl+o: attach a picture to the day shown (a typed path; Tab completes it)."""
        if self.day is None or not self.app.journal_ok:
            return
        from skinlog.tui.dialogs.attach import AttachDialog

        def done(message: str | None) -> None:
            if message:
                self.notify(message, title="Photos", markup=False)
                self._update_title()

        self.app.push_screen(AttachDialog(self.day), done)

    def on_face_map_changed(self, _event: FaceMap.Changed) -> None:
        self._edited()

    def on_selection_list_selected_changed(
        self, _event: SelectionList.SelectedChanged
    ) -> None:  # products, events
        self._edited()

    def on_choice_changed(self, _event: Choice.Changed) -> None:
        self._edited()

    def on_input_changed(self, _event: Input.Changed) -> None:
        self._edited()

    # -- moving to another day: never drops edits without asking

    def leave_day(self, then: Callable[[], None], doing: str) -> None:
        """Run ``then`` (which replaces the form or ends the app) once the form's unsaved edits
        are saved or discarded; with edits, asks first: save / discard / cancel."""
        if not self.dirty:
            then()
            return
        assert self.day is not None
        question = (
            f"{self.day.isoformat()} has changes that are not saved "
            f"(total {self.query_one(FaceMap).total}).\nSave them before {doing}?"
        )
        if self.app.journal_ok:
            answers = [("s", "Save", "save"), ("d", "Discard", "discard"), ("escape,c", "Cancel", "cancel")]
        else:
            question = (
                f"{self.day.isoformat()} has changes that are not saved, and they cannot be "
                f"saved while the journal cannot be read.\nDiscard them and go on {doing}?"
            )
            answers = [("d", "Discard", "discard"), ("escape,c", "Cancel", "cancel")]

        def answered(answer: str | None) -> None:
            if answer == "save":
                self.save(then=then, ask_replace=False)
            elif answer == "discard":
                then()

        self.app.push_screen(AskDialog("Unsaved changes", question, answers), answered)

    def open(self, day: date) -> None:
        """Show ``day`` (from History); edits of another day are asked about first."""
        if day == self.day:
            self.focus_map()  # already here: the edits stay
            return

        def show() -> None:
            self.fill(day)
            self.focus_map()

        self.leave_day(show, f"opening {day.isoformat()}")

    def action_shift_day(self, step: int) -> None:
        assert self.day is not None
        target = self.day + timedelta(days=step)
        if target > self.app.today:
            self.notify("That day has not happened yet.", severity="warning")
            return

        def show() -> None:
            self.fill(target)
            self.focus_map()

        self.leave_day(show, f"going to {target.isoformat()}")

    # -- saving: shows what is on disk now and never overwrites a change made elsewhere unseen

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.save()

    def _collect(self) -> Entry:
        """The form as an entry; raises SkinlogError with a message to show."""
        symptoms = {name: self.query_one(f"#{name}", Choice).value for name in SYMPTOMS}
        procedure = self.query_one("#procedure", Choice).value
        assert self.day is not None
        return make_entry(
            self.day,
            self.query_one(FaceMap).counts,
            self.query_one(ProductPicker).selected(),
            symptoms=symptoms,
            picked=self.query_one("#picked", Choice).value,
            procedure=str(procedure),
            note=self.query_one("#note", Input).value,
            events=self.query_one("#events", SelectionList).selected,
        )

    def action_save(self) -> None:
        # ctrl+s runs at once: the form is read once the keys pressed before it are handled
        self.app.after_input(self.save)

    def save(self, then: Callable[[], None] | None = None, ask_replace: bool = True) -> None:
        """Save the form. A day that already has an entry is replaced after asking (unless the
        person already chose to save, ``ask_replace=False``); a day changed on disk since the
        form was filled is shown as it is now and the person chooses. ``then`` runs once saved."""
        changed = self.app.check_outside(announce=False)
        if not self.app.journal_ok:
            return
        error = self.query_one("#form-error", Static)
        try:
            entry = self._collect()
        except SkinlogError as exc:
            error.update(inert(str(exc)))
            self.notify(inert(str(exc)), title="Not saved", severity="error", markup=False)
            return
        error.update("")
        current = self.app.journal.entry(entry.date)
        if current is not None and current == self.loaded and not self.dirty:
            self.notify("No changes to save.", title="Saved")  # nothing written, no undo step
            self.focus_map()
            if then:
                then()
            return
        if current != self.loaded:
            self._ask_changed(entry, current, then)  # the question says what changed
            return
        if changed:
            self.app.announce_outside()
        if current is None or not ask_replace:
            self._write(entry, current, then)
            return
        question = (
            f"{entry.date.isoformat()} already has an entry:\n{describe(current)}\n"
            f"What replacing it changes (on disk → yours):\n{differences(current, entry)}\n"
            f"Replace it with this one (total {entry.total})?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(entry, current, then)
            else:
                self.notify("Nothing was changed.")

        self.app.push_screen(ConfirmDialog(question, yes="Replace"), answered)

    def _ask_changed(self, entry: Entry, current: Entry | None, then: Callable[[], None] | None) -> None:
        day = entry.date.isoformat()
        if current is None:
            what = f"{day} was deleted outside the app after this form was filled."
        else:
            done = "logged" if self.loaded is None else "changed"
            what = (
                f"{day} was {done} outside the app after this form was filled. The journal now has:\n"
                f"{describe(current)}\nWhat differs (on disk → yours, not saved):\n{differences(current, entry)}"
            )
        question = what if current is not None else f"{what}\nYours, not saved:\n{describe(entry)}"
        answers = [
            ("o", "Overwrite with mine", "overwrite"),
            ("k", "Keep the journal's", "keep"),
            ("escape,c", "Cancel", "cancel"),
        ]

        def answered(answer: str | None) -> None:
            if answer == "overwrite":
                self._write(entry, current, then)
            elif answer == "keep":
                self.fill(entry.date)
                self.notify(f"Kept {day} as the journal has it; your changes were dropped.", markup=False)
                if then:
                    then()
            else:
                self.notify("Nothing was saved; your changes are still in the form.")

        self.app.push_screen(AskDialog(f"{day} changed outside the app", question, answers), answered)

    def _write(self, entry: Entry, expected: Entry | None, then: Callable[[], None] | None) -> None:
        from skinlog.services.days import DayChangedError, write_day
        from skinlog.tui.app import explain

        try:
            refused = self.app.change_journal(
                lambda: write_day(self.app.journal, entry.date, expected, entry),
                f"Saved {entry.date.isoformat()}: total {entry.total}.",
                title="Saved",
                error_title="Not saved",
            )
        except DayChangedError as exc:  # changed again while the question was open
            self.app.check_outside()
            self._ask_changed(entry, exc.current, then)
            return
        if refused is not None:
            self.query_one("#form-error", Static).update(explain(refused))
            return
        self.fill(entry.date)
        self.focus_map()
        if then:
            then()
