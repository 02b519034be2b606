"""Flags: the active flags with level, evidence and advice, and the not-medical-advice notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from skinlog.domain.flags import LEVEL_WORDS, NOTICE, evidence_text, highest_level
from skinlog.domain.regions import BY_ID

if TYPE_CHECKING:
    from skinlog.tui.app import SkinlogApp

class FlagsScreen(Screen[None]):
    """Every active flag, most serious first."""

    app: SkinlogApp

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(id="flags")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        if self.app.stale("flags"):
            self.reload()

    def reload(self) -> None:
        flags = self.app.flags()
        box = self.query_one("#flags", VerticalScroll)
        box.remove_children()
        weeks = int(self.app.settings()["persist_weeks"])
        title = "No active flags." if not flags else (
            f"{len(flags)} active flag{'s' if len(flags) != 1 else ''}, "
            f"highest: {LEVEL_WORDS[highest_level(flags) or 'info']}")
        widgets = [Static(title, classes="view-title")]
        for flag in flags:
            where = ", ".join(BY_ID[r].label for r in flag.regions) or "all regions"
            widgets.append(Static(
                f"[b]{LEVEL_WORDS[flag.level].upper()}[/b] · {flag.code} · {escape(where)} · since {flag.since.isoformat()}\n"
                f"{escape(flag.advice)}\n[dim]Evidence: {escape(evidence_text(flag.evidence))}[/dim]",
                classes=f"flag level-{flag.level}",
            ))
        widgets.append(Static(
            f"Your persistence window is {weeks} weeks: your own setting, not a medical rule "
            "(change it with: skinlog settings set persist_weeks N).", classes="setting-note"))
        widgets.append(Static(NOTICE, id="notice"))
        box.mount_all(widgets)
        self.app.mark_fresh("flags")
