"""The app's views, one row each: modes, keys, footer, command palette and help are built from it.

Adding a view is one row here plus its own module under ``screens/``, whose screen class says
its keys in ``HELP``; tests/test_registries.py fails while either is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from skinlog.tui.screens.base import JournalScreen


@dataclass(frozen=True)
class View:
    """One view: its mode name, the title in the footer, palette and help, its key, and its screen."""

    id: str
    title: str
    key: str
    screen: str
    """``module:Class``; the module is imported when the view is first opened, not at start-up."""

    @property
    def key_display(self) -> str:
        return self.key.upper()

    def screen_class(self) -> type[JournalScreen]:
        module, _, name = self.screen.partition(":")
        cls: type[JournalScreen] = getattr(import_module(module), name)
        return cls

    def make_screen(self) -> JournalScreen:
        screen = self.screen_class()()
        screen.app.style_as_current(screen)
        return screen

    def binding(self, show: bool = True) -> Binding:
        return Binding(self.key, f"view('{self.id}')", self.title, key_display=self.key_display, show=show)


VIEWS = (
    View("today", "Today", "f2", "skinlog.tui.screens.today:TodayScreen"),
    View("history", "History", "f3", "skinlog.tui.screens.history:HistoryScreen"),
    View("trends", "Trends", "f4", "skinlog.tui.screens.trends:TrendsScreen"),
    View("week", "Week", "f5", "skinlog.tui.screens.week:WeekScreen"),
    View("flags", "Flags", "f6", "skinlog.tui.screens.flags:FlagsScreen"),
    View("products", "Products", "f7", "skinlog.tui.screens.products:ProductsScreen"),
    View("calendar", "Calendar", "f9", "skinlog.tui.screens.calendar:CalendarScreen"),
    View("photos", "Photos", "f10", "skinlog.tui.screens.photos:PhotosScreen"),
    View("insights", "Insights", "f11", "skinlog.tui.screens.insights:InsightsScreen"),
)

BY_ID = {view.id: view for view in VIEWS}


def keys_shown(views: tuple[View, ...] = VIEWS) -> str:
    """The views' keys as the help writes them: ``F2 ... F7`` when they run on, else listed."""
    keys = [view.key_display for view in views]
    if keys[0][:1] == "F" and keys[0][1:].isdigit():
        start = int(keys[0][1:])
        if len(keys) > 2 and keys == [f"F{n}" for n in range(start, start + len(keys))]:
            return f"{keys[0]} ... {keys[-1]}"
    return ", ".join(keys)
