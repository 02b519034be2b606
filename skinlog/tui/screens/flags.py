"""Flags: the active flags with level, evidence and advice, and the not-medical-advice notice."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from skinlog.domain.words import (
    NOTICE,
    evidence_text,
    flag_heading,
    flags_title,
    persistence_sentence,
)
from skinlog.tui.screens.base import JournalScreen


class FlagsScreen(JournalScreen):
    """Every active flag, most serious first."""

    HELP = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="flags")
        yield Footer(compact=True)

    def redraw(self) -> None:
        flags = self.app.flags()
        as_of, today = self.app.as_of(), self.app.today
        box = self.query_one("#flags", VerticalScroll)
        box.remove_children()
        weeks = int(self.app.settings()["persist_weeks"])
        widgets = [Static(Text(flags_title(flags, as_of, today)), classes="view-title")]
        for flag in flags:
            text = Text()
            text.append(flag_heading(flag), style="bold")
            text.append("\n" + flag.advice)
            text.append("\nEvidence: " + evidence_text(flag.evidence), style="dim")
            widgets.append(Static(text, classes=f"flag level-{flag.level}"))
        widgets.append(Static(persistence_sentence(weeks), classes="setting-note"))
        widgets.append(Static(NOTICE, classes="notice"))
        box.mount_all(widgets)
