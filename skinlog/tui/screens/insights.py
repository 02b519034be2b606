"""Insights: is it working? Every treatment start or stop and every procedure, its verdict in plain
words, and a before/after chart of the one chosen.

The evaluations (numpy, a bootstrap for each) are worked out in a thread once the view is shown,
so it opens at once, saying it is working them out; ``skinlog.domain.effects`` is only imported
there (never by the first screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual_plotext import PlotextPlot

from skinlog import charts
from skinlog.domain.entry import Entry
from skinlog.domain.products import Product
from skinlog.domain.text import inert
from skinlog.domain.words import (
    EFFECT_CAVEAT,
    INSIGHTS_FAILED,
    INSIGHTS_NO_CHANGES,
    INSIGHTS_NOTHING_LOGGED,
    INSIGHTS_OTHERS,
    INSIGHTS_WORKING,
    insights_title,
)
from skinlog.tui.screens.base import JournalScreen

if TYPE_CHECKING:
    from skinlog.domain.effects import Evaluation


def _key(ev: Evaluation) -> str:
    c = ev.change
    return f"{c.direction}:{c.day.isoformat()}:{c.name}"


class InsightsScreen(JournalScreen):
    """The evaluations, listed; the chosen one's weeks before and after, charted."""

    HELP = (
        "Each treatment you started or stopped and each procedure, compared before and after "
        "against the trend of the weeks before it. `↑`/`↓` choose one: the chart shows its daily "
        "bumps, the start (┃), the response window after the lag (┆ ┆), the mean before (───) "
        "and after (═══), and the trend before carried on (···), which is what the change is "
        "measured against. Not proof of cause: other changes in the same weeks are named."
    )

    def __init__(self) -> None:
        super().__init__()
        self.evaluations: list[Evaluation] = []
        self.state = "working"
        """working | ready | empty | none | failed: what the view shows (for the tests, too)."""
        self._entries: list[Entry] = []
        self._token = 0  # bumped on every redraw: a late result for an older reading is dropped
        self._pending = False  # drawn ahead of time, not shown yet: work it out once shown
        self._chosen: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="insights-title", classes="view-title")
        yield OptionList(id="insights-list")
        with VerticalScroll(id="insights-detail"):
            yield Static(id="insights-words")
        yield PlotextPlot(id="insights-plot")
        yield Static(id="insights-legend")
        yield Footer(compact=True)

    # -- the evaluations, in a thread

    def redraw(self) -> None:
        self._token += 1
        self.evaluations = []
        self._entries = self.app.entries()
        self.query_one("#insights-list", OptionList).clear_options()
        self._show_words("")
        self._clear_chart()
        if not self._entries:
            self._set_state("empty", INSIGHTS_NOTHING_LOGGED)
            return
        self._set_state("working", INSIGHTS_WORKING)
        if self.is_current:
            self._start()
        else:  # made ahead of time: the work waits until the view is opened
            self._pending = True

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        if self._pending and self.is_current:  # (a view made ahead is told so too, unseen)
            self._pending = False
            self.call_after_refresh(self._start)  # the view on the terminal first

    def _start(self) -> None:
        self._pending = False
        token, entries = self._token, self._entries
        products = self.app.journal.products()
        self.run_worker(
            lambda: self._evaluate(token, entries, products),
            thread=True,
            group="insights",
            exclusive=True,
            exit_on_error=False,
        )

    def _evaluate(self, token: int, entries: list[Entry], products: list[Product]) -> None:
        try:
            from skinlog.domain.effects import evaluate_all

            found = evaluate_all(entries, products)
        except Exception as exc:  # shown in the view, never a crash of the app
            self.app.call_from_thread(self._failed, token, str(exc) or type(exc).__name__)
            return
        self.app.call_from_thread(self._ready, token, found)

    def _failed(self, token: int, reason: str) -> None:
        if token == self._token:
            self._set_state("failed", INSIGHTS_FAILED.format(reason=inert(reason)))

    def _ready(self, token: int, found: list[Evaluation]) -> None:
        if token != self._token or not self.is_attached:
            return
        self.evaluations = found
        if not found:
            self._set_state("none", INSIGHTS_NO_CHANGES)
            return
        from skinlog.domain.words import effect_line

        enough = sum(ev.verdict != "not_enough_data" for ev in found)
        self._set_state("ready", insights_title(len(found), enough))
        listing = self.query_one("#insights-list", OptionList)
        options = []
        for ev in found:
            line = effect_line(ev) + (f" · {INSIGHTS_OTHERS}" if ev.others else "")
            options.append(Option(Text(inert(line)), id=_key(ev)))
        listing.add_options(options)
        keys = [_key(ev) for ev in found]
        # the one chosen before, else the newest
        listing.highlighted = keys.index(self._chosen) if self._chosen in keys else len(found) - 1
        self._draw_chosen()
        # once the list has its new lines laid out (the next refresh, then its own), the chosen
        # one is brought into sight; earlier, there is nothing to scroll yet
        self.call_after_refresh(listing.call_after_refresh, listing.scroll_to_highlight)
        self.set_timer(0.2, listing.scroll_to_highlight)

    # -- drawing

    def _set_state(self, state: str, title: str) -> None:
        self.state = state
        self.set_class(state == "working", "-working")
        self.query_one("#insights-title", Static).update(Text(title))

    def _show_words(self, words: str) -> None:
        self.query_one("#insights-words", Static).update(Text(words))

    def _clear_chart(self) -> None:
        plot = self.query_one("#insights-plot", PlotextPlot)
        plot.plt.clear_figure()
        plot.refresh()
        self.query_one("#insights-legend", Static).update("")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self.state == "ready":
            self._chosen = event.option.id
            self._draw_chosen()

    def on_resize(self) -> None:
        if self.state == "ready":
            self._draw_chosen()

    def chosen(self) -> Evaluation | None:
        """The evaluation the list's cursor is on."""
        index = self.query_one("#insights-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.evaluations):
            return None
        return self.evaluations[index]

    def _draw_chosen(self) -> None:
        from skinlog.domain.words import effect_details

        ev = self.chosen()
        if ev is None:
            return
        self._show_words("\n".join([*(inert(line) for line in effect_details(ev)), EFFECT_CAVEAT]))
        plot = self.query_one("#insights-plot", PlotextPlot)
        plt = plot.plt
        plt.clear_figure()
        width = max(30, plot.size.width)
        charts.draw_effect(plt, ev, self._entries, width, max(8, plot.size.height))
        plot.refresh()
        legend = charts.effect_legend(ev, width - 2, color=True)
        self.query_one("#insights-legend", Static).update(Text.from_ansi(legend))
