"""The skinlog Textual app: the journal is passed in; screens only present what the core computes."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.notifications import Notify
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Input
from textual.widgets._header import HeaderTitle

from skinlog.domain.analysis import reference_date
from skinlog.domain.calendar import daily_totals
from skinlog.domain.dates import today as local_today
from skinlog.domain.entry import Entry
from skinlog.domain.flags import Flag, evaluate
from skinlog.domain.products import Product, days_used
from skinlog.domain.settings import effective
from skinlog.domain.text import inert
from skinlog.errors import DayExistsError, JournalError, SkinlogError, UnknownProductError
from skinlog.services import preferences
from skinlog.services.days import DayChangedError
from skinlog.services.status import Status, status_of
from skinlog.storage import Journal
from skinlog.tui.views import BY_ID, VIEWS

if TYPE_CHECKING:
    from skinlog.tui.screens.today import TodayScreen

T = TypeVar("T")

UNSAVED_MARK = "● unsaved changes"
DEMO_MARK = "demo journal (nothing is kept)"
FULL_TABS_WIDTH = sum(len(view.key_display) + len(view.title) + 3 for view in VIEWS)
"""The view bar with every title: each view as " F3 History " (the shown one as "[F2 Today]")."""
KEYS_TABS_WIDTH = sum(len(view.key_display) + 2 for view in VIEWS) + max(
    len(view.title) + 1 for view in VIEWS
)
"""The bar where that does not fit: the shown view with its title, the others by key (" F3 ")."""
TABS_WIDTH = FULL_TABS_WIDTH if FULL_TABS_WIDTH <= 78 else KEYS_TABS_WIDTH
"""The view bar's width in an 80-column terminal."""
ONE_LINE_WIDTH = FULL_TABS_WIDTH + 72
"""From this width the status fits beside the view bar; below it the header takes two lines."""
OUTSIDE_NOTICE = "The journal was changed outside the app; showing it as it is now."


def explain(exc: SkinlogError) -> str:
    """A refusal from the journal, with what to do about it in the app's terms (never CLI flags)."""
    message = inert(str(exc))
    if isinstance(exc, UnknownProductError):
        return f"{message}: it is not in your products (any more); untick it, or add it in Products (F7)"
    if isinstance(exc, DayExistsError):
        return f"{message}: press ctrl+s again to see it and choose what to keep"
    return message


class AfterInput(Message):
    """Runs ``callback`` once the keys pressed before it are handled (see ``after_input``)."""

    def __init__(self, callback: Callable[[], object], rounds: int) -> None:
        super().__init__()
        self.callback = callback
        self.rounds = rounds


class SkinlogApp(App[None]):
    """Log today on a face map; see history, trends, weeks, flags and products.

    The app shows the journal as it is on disk: it remembers the file's stamp when it reads it,
    compares it before each view refresh and each save and every ``STAMP_EVERY`` seconds, and on
    a change made by another process drops what it holds and shows the journal again. Its date
    comes from ``clock`` and follows it past midnight.
    """

    CSS_PATH = "skinlog.tcss"
    TITLE = "skinlog"
    # The app starts in the first view; the others are built (and imported) when first opened.
    DEFAULT_MODE = VIEWS[0].id
    HORIZONTAL_BREAKPOINTS = [(0, "-header-2"), (ONE_LINE_WIDTH, "-header-1")]
    """Screens narrower than ONE_LINE_WIDTH get a two-line header (the stylesheet sets it)."""
    MODES = {view.id: view.make_screen for view in VIEWS}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="F1"),
        *(view.binding(show=False) for view in VIEWS),
        Binding("f8", "export", "Export", key_display="F8"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y", "undo(True)", "Redo", show=False),
        Binding("q", "quit", "Quit"),
    ]
    """F1 help, then each view's key (views.py; shown in the header's view bar, not the footer),
    F8 export, q quits (when not typing; asks about unsaved edits)."""

    MAX_NOTICES = 2
    """Notices shown at once: a new one replaces an older one of its kind (its title) and then the
    oldest, so they never pile up; a dialog opening clears them, so none covers it."""

    STAMP_EVERY = 1.5  # seconds between looks at the journal file (one os.stat each)
    CLOCK_EVERY = 30.0  # seconds between looks at the clock

    def __init__(
        self,
        journal: Journal,
        *,
        today: date | None = None,
        clock: Callable[[], date] | None = None,
        blink: bool = True,
        defer_status: bool = True,
        prefs: preferences.Preferences | None = None,
        welcome: bool = True,
        demo: bool = False,
    ) -> None:
        """``clock`` gives the local date (default: the system's); ``today`` alone pins the date;
        ``prefs`` are the preferences read at start-up (default: read from the config folder);
        ``demo``: the journal is the throwaway demo, so preferences are read but never written
        and the header says so."""
        self.demo = demo
        self.prefs = prefs if prefs is not None else preferences.load()
        start = self.prefs.get("start_view")
        if start in BY_ID:
            self.DEFAULT_MODE = start  # type: ignore[misc]
        super().__init__()
        self.first_run = welcome and not os.path.lexists(journal.path)
        self.next_step = ""  # "demo" when the welcome screen asked for the demo journal
        self._theme_ready = False
        if clock is None:
            clock = local_today if today is None else (lambda: today)
        self.clock = clock
        self.today = today if today is not None else clock()
        self.journal = journal
        self.defer_status = defer_status
        self._generation = 0  # bumped whenever the journal changes, so a late background result is dropped
        self.blink = blink
        self.journal_ok = False
        self._entries: list[Entry] | None = None
        self._flags: list[Flag] | None = None
        self._derived: dict[str, object] = {}  # see derived()
        self._status_pending = False  # the badge is worked out once the first screen is up
        self._warmed = False
        self._css_current = -1  # the CSS update count at the last refresh_css (none yet)
        self._fresh: set[Screen[Any]] = set()  # the views drawn since the journal last changed
        self.today_screen: TodayScreen | None = None
        self._lost: Screen[Any] | None = None  # the error shown when the journal became unreadable
        self.error = ""
        self._stamp = journal.stamp()  # taken before the first read: a change after it is seen later
        try:
            journal.check_readable()
            self.journal_ok = True
        except SkinlogError as exc:
            self.error = str(exc)  # shown instead of the views; the journal is never written

    # -- notices

    def _on_notify(self, event: Notify) -> None:
        """Show a notice in place of an older one of the same kind (same title; the untitled
        ones are one kind), keeping at most ``MAX_NOTICES``."""
        title = event.notification.title
        shown = list(self._notifications)
        others = [n for n in shown if n.title != title]
        for notice in [n for n in shown if n.title == title] + others[
            : max(0, len(others) + 1 - self.MAX_NOTICES)
        ]:
            self._unnotify(notice, refresh=False)
        super()._on_notify(event)

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """A dialog opening clears the notices, so that none is drawn over it."""
        if isinstance(screen, ModalScreen):
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    # -- start

    def on_mount(self) -> None:
        theme = self.prefs.get("theme")
        if theme in self.available_themes:
            self.theme = theme
        self._theme_ready = True
        unknown = preferences.unknown_values(
            self.prefs,
            {
                "theme": (self.available_themes, self.theme),
                "start_view": (BY_ID, self.DEFAULT_MODE),
            },
        )
        for notice in (self.prefs.notice, unknown):
            if notice:
                self.notify(notice, title="Preferences", severity="warning", markup=False)
        if not self.journal_ok:
            from skinlog.tui.dialogs.error import JournalErrorScreen

            self.push_screen(JournalErrorScreen(self.error))
            return
        if self.first_run:
            from skinlog.tui.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen(self.journal.path), self._welcome_done)
        self.sub_title = self._streak_text()
        self.call_after_refresh(self.settle_memory)
        self.set_interval(self.STAMP_EVERY, self.check_outside, name="journal stamp")
        self.set_interval(self.CLOCK_EVERY, self.check_clock, name="clock")
        # The flag badge needs the whole journal: work it out once the first screen is up
        # (on_ready), then get the other views ready in idle moments (_warm_up).
        if self.defer_status:
            self._status_pending = True
        else:
            self.update_status()

    def refresh_css(self, animate: bool = True) -> None:
        super().refresh_css(animate)
        self._css_current = self._css_update_count

    def style_as_current(self, screen: Screen[Any]) -> None:
        """Mark a view's new screen as styled by the stylesheet as it is now, which is true: it
        is styled when it mounts. Textual otherwise parses every stylesheet again from scratch
        and restyles the whole app the first time each view opens (80-130 ms on each first
        opening, the largest part of it); after a theme change the stylesheet is refreshed
        first, so the mark is only given while it is current."""
        if self._css_current == self._css_update_count:
            screen._css_update_count = self._css_update_count

    def on_ready(self) -> None:
        """The first screen is on the terminal."""
        if self._status_pending:
            self._status_pending = False
            self._start_status_worker()

    def on_unmount(self) -> None:
        gc.unfreeze()  # what the app kept is garbage now: the collector may look at it again

    @staticmethod
    def settle_memory() -> None:
        """Tell the garbage collector that what is alive now (the journal read, the views built)
        is long-lived, so it stops going through it again: with a century of entries each full
        collection took 200-500 ms, in the middle of a key. Called once a view is drawn; the
        young garbage is collected first, and ``on_unmount`` hands everything back."""
        gc.collect(1)
        gc.freeze()

    def _warm_up(self) -> None:
        """Once the first screen is up, do in idle moments, a small step at a time, what every
        view's first opening would otherwise do while the person waits: import its module (and
        plotext) and add the stylesheets of the widgets it uses, parsed once at the end,
        view by view in the order of the view bar; then make each view (``_build_views``)."""
        import sys

        from textual.widget import Widget

        def widgets_in(module_name: str) -> list[type[Widget]]:
            module = sys.modules.get(module_name)
            found = vars(module).values() if module is not None else ()
            return [cls for cls in found if isinstance(cls, type) and issubclass(cls, Widget)]

        seen: set[type[Widget]] = set()
        steps: list[Callable[[], object]] = []

        def prepare(view_module: str) -> None:
            # the view's widgets, and the parts they are made of (the widgets their modules use)
            for cls in widgets_in(view_module):
                for part in [cls, *widgets_in(cls.__module__)]:
                    if part not in seen:
                        seen.add(part)
                        steps.append(partial(self._add_default_css, part))

        for view in VIEWS[1:]:
            steps.append(view.screen_class)
            steps.append(partial(prepare, view.screen.partition(":")[0]))

        def step() -> None:
            if steps:
                steps.pop(0)()
                self.set_timer(0.005, step)
            else:  # every view's widgets are in the stylesheet now
                self._parse_stylesheet()
                self.set_timer(self.BUILD_GAP, partial(self._build_views, [view.id for view in VIEWS]))

        step()

    BUILD_GAP = 0.05
    """Seconds between two views made ahead of time (keys pressed meanwhile are handled first)."""

    def _build_views(self, views: list[str]) -> None:
        """Make the views not opened yet, one at a time in idle moments, as Textual makes a view
        when it first opens (composed, drawn from the journal and laid out at the terminal's
        size, but not shown): opening one then only shows it. Waits while a dialog is open."""
        while views and views[0] in self._screen_stacks:
            views.pop(0)
        if not views or not self.journal_ok or not self.is_running:
            return
        if len(self.screen_stack) > 1:  # a dialog (or the welcome) is up: come back later
            self.set_timer(0.5, partial(self._build_views, views))
            return
        view = views.pop(0)
        self._init_mode(view)
        self.set_timer(self.BUILD_GAP, partial(self._draw_ahead, view, views))

    def _draw_ahead(self, view: str, views: list[str]) -> None:
        """Draw a view made ahead of time once, off screen: its widgets keep what they drew (a
        table's rendered rows, a chart's canvas), so showing it later draws little."""
        screen = self._screen_stacks.get(view, [None])[0]
        if screen is not None and screen is not self.screen and screen.is_attached:
            try:
                screen._compositor.render_full_update()
            except Exception:  # only ever a head start: it is drawn in full when shown
                pass
        self.set_timer(self.BUILD_GAP, partial(self._build_views, views))

    def _add_default_css(self, cls: type[Any]) -> None:
        """Add a widget class's default CSS to the stylesheet, as Textual does when the first
        widget of the class is mounted (rules for widgets not on screen change nothing)."""
        try:
            blank: Any = object.__new__(cls)  # only its class is looked at
            for read_from, css, tie_breaker, scope in blank._get_default_css():
                self.stylesheet.add_source(css, read_from, True, tie_breaker, scope)
        except Exception:  # only ever a head start: the view adds it itself when it opens
            pass

    def _parse_stylesheet(self) -> None:
        """Parse the stylesheet with every view's widgets in it, now rather than when a view
        first opens (each source's rules are cached, so this parses only what is new)."""
        if self.stylesheet._parse_cache.maxsize < 4 * len(self.stylesheet.source):
            # Textual keeps 64 parsed sources: with more, each parse would miss every one
            self.stylesheet._parse_cache.maxsize = 4 * len(self.stylesheet.source)
        try:
            self.stylesheet.parse()
        except Exception:  # the view's own opening parses again and reports it
            pass

    def _welcome_done(self, choice: str | None) -> None:
        if choice == "demo":
            self.next_step = "demo"
            self.exit()

    # -- preferences

    def watch_theme(self, theme: str) -> None:
        """A theme chosen (in the palette) is remembered for the next start."""
        if self._theme_ready and self.prefs.get("theme") != theme:
            self.remember("theme", theme)

    def remember(self, key: str, value: str) -> None:
        """Keep one preference; a failure to write it is said once, inline, and changes nothing else.
        In the demo it is kept only while the app runs: the person's own preferences stay."""
        values = {**self.prefs.values, key: value}
        if self.demo:
            self.prefs.values = values
            return
        try:
            preferences.save(values, self.prefs.path or None)
        except OSError as exc:
            self.notify(
                f"Could not keep the preference in {self.prefs.path}: {exc.strerror or exc}",
                title="Preferences",
                severity="warning",
                markup=False,
            )
            return
        self.prefs.values = values

    # -- the header: the view bar and the status

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: every view with its key (the one shown marked), then the status (unsaved
        edits, streak, flag badge) on the right, or on a second line when the terminal is narrow."""
        current = self.current_mode
        total = self.size.width - 2
        titled = total >= FULL_TABS_WIDTH  # else the other views by their keys only
        tabs: list[Content | tuple[str, str] | str] = []
        for view in VIEWS:
            if view.id == current:
                tabs.append((f"[{view.key_display} {view.title}]", "reverse bold"))
            else:
                tabs.append(
                    Content.assemble(" ", (view.key_display, "bold"), f" {view.title} " if titled else " ")
                )
        unsaved = title.removeprefix(self.TITLE).strip()
        if self.demo:
            unsaved = " · ".join(part for part in (DEMO_MARK, unsaved) if part)
        status = " · ".join(part for part in (unsaved, sub_title) if part)
        bar = Content.assemble(*tabs)
        room = total - FULL_TABS_WIDTH - 2 if self.size.width >= ONE_LINE_WIDTH else total
        if len(status) > room and " · " in sub_title:
            # short of room, the streak goes before the flags do: the flag badge matters more
            status = " · ".join(part for part in (unsaved, sub_title.split(" · ", 1)[1]) if part)
        if self.size.width >= ONE_LINE_WIDTH:
            return Content.assemble(bar, " " * max(2, total - FULL_TABS_WIDTH - len(status)), status)
        return Content.assemble(bar, "\n", (status or self.TITLE))

    def refresh_header(self) -> None:
        """Draw the shown view's header again (after a resize or a change of view)."""
        if not self.screen_stack:
            return
        for screen in self.screen_stack:
            for header in screen.query(Header):
                content = self.format_title(self.title, self.sub_title)
                for part in header.query(HeaderTitle):
                    part.update(content)

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_header)

    def switch_mode(self, mode: str) -> Any:
        done = super().switch_mode(mode)
        self.call_after_refresh(self.refresh_header)
        return done

    def _start_status_worker(self) -> None:
        generation = self._generation
        # What the first screen read already is handed over (entries are never changed in
        # place; a newer reading of the journal makes a new list): reading and checking the
        # whole file again in the thread took as long as the first screen's own reading.
        read = None
        if self._entries is not None:
            read = (self._entries, self.settings(), self.journal.products())
        self.run_worker(
            lambda: self._status_in_thread(generation, read),
            thread=True,
            group="status",
            exclusive=True,
            exit_on_error=False,
        )

    def _status_in_thread(
        self, generation: int, read: tuple[list[Entry], dict[str, float], list[Product]] | None
    ) -> None:
        try:
            if read is None:
                journal = Journal(self.journal.path)  # its own copy: nothing shared with the UI thread
                read = (journal.entries(), effective(journal.settings()), journal.products())
            entries, settings, products = read
            flags = evaluate(entries, settings, self.today, products)
            derived = {key: compute(entries) for key, compute in self.DERIVED.items()}
        except SkinlogError:
            return
        self.call_from_thread(self._status_ready, generation, entries, flags, derived)

    def _status_ready(
        self, generation: int, entries: list[Entry], flags: list[Flag], derived: dict[str, object]
    ) -> None:
        if generation == self._generation and self.journal_ok:
            self._entries, self._flags = entries, flags
            self._derived = {**derived, **self._derived}
            self.update_status()
            if not self._warmed:
                self._warmed = True
                self.set_timer(0.1, self._warm_up)
            self.call_after_refresh(self.settle_memory)

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

    DERIVED: dict[str, Callable[[list[Entry]], object]] = {
        "days_used": days_used,
        "daily_totals": daily_totals,
    }
    """What views work out from all the entries, worked out with the flags in the background
    after the first screen (see ``derived``)."""

    def derived(self, key: str, compute: Callable[[list[Entry]], T]) -> T:
        """``compute(self.entries())``, worked out once per reading of the journal and shared by
        the views (dropped when the journal changes)."""
        if key not in self._derived:
            self._derived[key] = compute(self.entries())
        return cast(T, self._derived[key])

    def settings(self) -> dict[str, float]:
        return effective(self.journal.settings())

    def flags(self) -> list[Flag]:
        if self._flags is None:
            self._flags = evaluate(self.entries(), self.settings(), self.today, self.journal.products())
        return self._flags

    def _forget(self, stamp: tuple[int, int, int, int] | None) -> None:
        """Drop everything read from the journal; the next reads come from the file as it is
        now. The stamp is taken before that read, so a change made after it is still noticed."""
        self._stamp = stamp
        self.journal = Journal(self.journal.path)
        self._generation += 1
        self._entries = None
        self._flags = None
        self._derived = {}
        self._fresh.clear()

    def journal_changed(self) -> None:
        """Called after every write the app makes: views reload when next shown."""
        self._forget(self.journal.stamp())
        self.update_status()

    def check_outside(self, announce: bool = True) -> bool:
        """Has another process changed the journal since the app read it? One os.stat when it
        has not; when it has, the app forgets what it read, shows the journal as it is now and
        says so (unless ``announce`` is False: the caller says it its own way). A form with
        unsaved edits keeps them. Returns True on a change."""
        if not self.journal_ok and self._lost is None:
            return False
        stamp = self.journal.stamp()
        if stamp == self._stamp:
            return False
        self._forget(stamp)
        try:
            self.journal.check_readable()
        except SkinlogError as exc:
            self._journal_lost(str(exc))
            return True
        back = self._lost is not None
        if back:
            self._journal_back()
        if announce or back:
            self.announce_outside(back)
        self.refresh_status()
        self._reload_shown_view()
        return True

    def announce_outside(self, back: bool = False) -> None:
        """Say that the journal was changed elsewhere (or mended: ``back``) and is shown as it is now."""
        notice = "The journal can be read again; showing it as it is now." if back else OUTSIDE_NOTICE
        form = self.today_screen
        if (
            form is not None
            and form.day is not None
            and form.dirty
            and self.journal.entry(form.day) != form.loaded
        ):
            notice += (
                f" Your unsaved changes to {form.day.isoformat()} are kept; saving shows "
                "that day as it is now first."
            )
        self.notify(notice, title="Changed elsewhere", markup=False)

    def _journal_lost(self, message: str) -> None:
        """The journal was changed elsewhere into something skinlog cannot read: nothing more is
        read or written, the error is shown, and the app comes back if the file is mended."""
        from skinlog.tui.dialogs.error import JournalErrorScreen

        self.error = (
            "The journal was changed outside the app and cannot be read now. Nothing "
            "more will be written to it; this screen goes away once it can be read again.\n\n" + message
        )
        self.journal_ok = False
        if self._lost is None:
            self._lost = JournalErrorScreen(self.error)
            self.push_screen(self._lost)
        else:
            self._lost.show(self.error)  # type: ignore[attr-defined]

    def _journal_back(self) -> None:
        lost, self._lost = self._lost, None
        self.journal_ok = True
        self.error = ""
        if lost is not None and lost in self.screen_stack:
            while len(self.screen_stack) > 1 and self.screen_stack[-1] is not lost:
                self.pop_screen()  # a dialog opened over the error
            if len(self.screen_stack) > 1:
                self.pop_screen()

    def _reload_shown_view(self) -> None:
        """Reload the view on screen (under any dialog); the others reload when next shown."""
        if not self.journal_ok or not self.screen_stack:
            return
        view = self.screen_stack[0]
        reload = getattr(view, "reload", None)
        if callable(reload) and view.is_mounted:
            reload()

    def change_journal(
        self,
        change: Callable[[], object],
        done: str,
        *,
        title: str | None = None,
        error_title: str | None = None,
        renamed: tuple[str, str] | None = None,
    ) -> SkinlogError | None:
        """Make one change to the journal. On success the views are marked stale, the Today
        form follows (``renamed``: a product renamed, old and new name) and ``done`` is shown; a
        refusal is shown instead, in the app's terms. Returns the refusal, or None.
        DayChangedError is raised to the caller, which shows the day as it is now."""
        self.check_outside()
        if not self.journal_ok:
            return JournalError("the journal cannot be read now; nothing was written")
        form = self.today_screen
        in_step = form is not None and form.day is not None and self.journal.entry(form.day) == form.loaded
        try:
            change()
        except DayChangedError:
            raise
        except SkinlogError as exc:
            self.notify(explain(exc), title=error_title or "", severity="error", markup=False)
            return exc
        self.journal_changed()
        if form is not None:
            form.after_app_change(in_step, renamed)
        self.notify(inert(done), title=title or "", markup=False)
        return None

    def stale(self, view: Screen[Any]) -> bool:
        """Should ``view`` reload before it is shown? Looks at the journal file first."""
        self.check_outside()
        return self.journal_ok and view not in self._fresh

    def is_fresh(self, view: Screen[Any]) -> bool:
        """Was ``view`` drawn since the journal last changed (as far as the app knows)?"""
        return view in self._fresh

    def mark_fresh(self, view: Screen[Any]) -> None:
        self._fresh.add(view)

    # -- the date, following the clock

    def check_clock(self) -> None:
        """Past midnight the app's date moves on: flags and charts follow it, and Today moves to
        the new day if it showed the old one without unsaved edits."""
        now = self.clock()
        if now == self.today:
            return
        before, self.today = self.today, now
        if not self.journal_ok:
            return
        self._flags = None
        self._fresh.clear()
        self.update_status()
        if self.today_screen is not None:
            self.today_screen.date_changed(before, now)
        if self.screen_stack and self.screen_stack[0] is not self.today_screen:
            self._reload_shown_view()

    # -- unsaved edits

    def show_unsaved(self, dirty: bool) -> None:
        """The title marks unsaved edits in the Today form, whichever view is shown."""
        self.title = f"{self.TITLE} {UNSAVED_MARK}" if dirty else self.TITLE

    def after_input(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once every key pressed before now has done what it does.

        A priority key (ctrl+s, ctrl+q) runs at once, while a key pressed just before it is still
        on its way through the focused widget and up to the app (where the widgets' own key
        bindings run), and a binding's action may post the change to its widget (a list's
        tick): a form read at once would miss it. This message takes the same way, twice, so it
        arrives after both."""
        self._after_input(AfterInput(callback, 2))

    def _after_input(self, message: AfterInput) -> None:
        target = self.focused or (self.screen if self.screen_stack else None)
        if target is None:
            message.callback()
        else:
            target.post_message(message)

    def on_after_input(self, message: AfterInput) -> None:
        message.stop()
        if message.rounds > 1:
            self._after_input(AfterInput(message.callback, message.rounds - 1))
        else:
            message.callback()

    async def action_quit(self) -> None:
        """Quit; with unsaved edits asks first (save / discard / cancel), once the keys pressed
        before are in the form."""
        self.after_input(self._quit)

    def _quit(self) -> None:
        form = self.today_screen
        if form is None or not form.dirty:
            self.exit()
            return
        from skinlog.tui.dialogs.ask import AskDialog

        if isinstance(self.screen, AskDialog):
            return  # already asking
        if self.journal_ok:
            self.switch_mode("today")  # the question is about this form: show it
        form.leave_day(self.exit, "quitting")

    # -- the status line: streak and flag badge

    def status(self, with_flags: bool = True) -> Status:
        """Where the habit stands (``services.status``: the same as ``skinlog status``); without
        the flags when they are not worked out yet (before the first screen)."""
        return status_of(self.entries(), self.today, self.flags() if with_flags else None)

    def _streak_text(self) -> str:
        return status_of(self.journal.entries(), self.today).streak_text

    def as_of(self) -> date:
        """The date flags and trends are computed as of (see ``analysis.reference_date``)."""
        return reference_date(self.entries(), self.today)

    def badge(self) -> str:
        return self.status().badge

    def update_status(self) -> None:
        if self.journal_ok:
            self.sub_title = self.status().header
        self.call_after_refresh(self.refresh_header)

    def refresh_status(self) -> None:
        """The status line after a change made elsewhere: in the background for a large journal."""
        if not self.journal_ok:
            return
        if self.defer_status:
            self.sub_title = status_of(self.journal.entries(), self.today).header  # flags to come
            self._start_status_worker()
        else:
            self.update_status()

    # -- navigation

    def action_view(self, view: str) -> None:
        if self.journal_ok and view in BY_ID:
            if view == self.current_mode:  # its key again: back to where the view starts
                home = getattr(self.screen, "focus_map", None)
                if callable(home):
                    home()
            self.switch_mode(view)

    def action_export(self) -> None:
        if not self.journal_ok:
            return
        from skinlog.tui.dialogs.export import ExportDialog

        def done(path: str | None) -> None:
            if path:
                self.notify(f"Wrote {inert(path)} (readable only by you).", title="Exported", markup=False)

        self.push_screen(ExportDialog(), done)

    def action_undo(self, redo: bool = False) -> None:
        """ctrl+z: undo the newest change at once and say what it was (ctrl+y puts it back)."""
        from skinlog.storage.undo import describe_restore

        self.check_outside()
        if not self.journal_ok:
            return
        target = self.journal.next_undo(redo=redo)
        if target is None:
            self.notify(f"Nothing to {'redo' if redo else 'undo'}.", markup=False)
            return
        if redo:
            done = f"Redone: {target.what}. ctrl+z undoes it again."
        else:
            restores = "" if target.before is None else f" ({describe_restore(target.before)})"
            done = f"Undone: {target.what}{restores}. ctrl+y puts it back."
        failed = self.change_journal(
            lambda: self.journal.undo(expected=target.id, redo=redo),
            done,
            title="Redone" if redo else "Undone",
            error_title="Not redone" if redo else "Not undone",
        )
        if failed is None:
            self._reload_shown_view()

    def action_help(self) -> None:
        from skinlog.tui.dialogs.help import HelpScreen, files_text

        prefs = self.prefs.path or preferences.preferences_path()
        self.push_screen(HelpScreen(files_text(self.journal.path, prefs)))

    def open_day(self, day: date) -> None:
        """Show a day in the Today form to edit it (asking first about edits of another day)."""
        from skinlog.tui.screens.today import TodayScreen

        self.switch_mode("today")
        screen = self.screen
        if isinstance(screen, TodayScreen):
            screen.open(day)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.journal_ok:
            return
        for view in VIEWS:
            yield SystemCommand(
                f"Go to {view.title}",
                f"Show the {view.title} view ({view.key_display})",
                lambda view=view.id: self.action_view(view),
            )
        yield SystemCommand(
            "Save this day", "Save the day in the Today view (ctrl+s)", self._save_from_palette
        )
        yield SystemCommand("Add a product", "Add a product to the catalogue", self._add_product_from_palette)
        yield SystemCommand(
            "Export for a clinician", "Write JSON, FHIR or a one-page summary (F8)", self.action_export
        )
        yield SystemCommand("Keys and help", "Every key, view by view (F1)", self.action_help)
        yield SystemCommand(
            "About skinlog", "Where the journal and the preferences are kept", self.action_about
        )

    def action_about(self) -> None:
        self.notify(
            f"Journal: {self.journal.path}\nPreferences: {self.prefs.path or preferences.preferences_path()}",
            title="Where skinlog keeps your files",
            timeout=10,
            markup=False,
        )

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


def make_app(
    journal: Journal | str | os.PathLike[str],
    *,
    today: date | None = None,
    clock: Callable[[], date] | None = None,
    blink: bool = True,
    defer_status: bool = True,
    welcome: bool = True,
    demo: bool = False,
) -> SkinlogApp:
    """The app on a journal (or the journal file at a path): the one way the command line,
    the tests, the screenshots and the benchmarks build it. ``today`` pins the date and
    ``clock`` gives it (default: the system's); ``blink=False`` keeps cursors steady and
    ``defer_status=False`` works out the flag badge before the first screen rather than after;
    ``welcome=False`` skips the first-run welcome shown when the journal does not exist yet;
    ``demo=True`` for the throwaway demo journal (preferences are not written; the header says so)."""
    if not isinstance(journal, Journal):
        journal = Journal(journal)
    return SkinlogApp(
        journal,
        today=today,
        clock=clock,
        blink=blink,
        defer_status=defer_status,
        welcome=welcome,
        demo=demo,
    )


def run_app(path: str, demo: bool = False) -> int:
    """Open the app on the journal at ``path`` (``demo``: the throwaway demo journal); returns the
    exit code. When the welcome screen of a first run asks for the demo, the app opens again on a
    throwaway demo journal."""
    app = make_app(path, demo=demo, welcome=not demo)
    app.run()
    if app.next_step == "demo":
        return run_demo()
    return 0 if app.journal_ok else 1


def run_demo() -> int:
    """The app on a fresh copy of the demo journal in a private temporary folder, removed after."""
    from skinlog.services.demo import throwaway_demo

    with throwaway_demo() as path:
        app = make_app(path, demo=True, welcome=False)
        app.run()
        return 0 if app.journal_ok else 1
