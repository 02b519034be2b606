"""What every view shares: it is drawn from the journal, and drawn again once the journal changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen

if TYPE_CHECKING:
    from skinlog.tui.app import SkinlogApp


class JournalScreen(Screen[None]):
    """A view of the journal; ``redraw`` is the one hook a view fills in.

    The view is drawn when it is mounted (after its own ``on_mount``, if it has one: Textual calls
    a subclass's handler first, then this one) and drawn again when it is shown after the journal
    changed or the date moved on; the app asks the view on screen to ``reload`` at once.
    """

    HELP: ClassVar[str] = ""
    """The view's own keys for the help screen (Markdown, after the view's title in bold); every
    view says it, empty when it has none."""

    app: SkinlogApp

    def on_mount(self) -> None:
        if self.app.journal_ok and not self.app.is_fresh(self):
            self.reload()

    def on_screen_resume(self) -> None:
        if self.app.stale(self):
            self.reload()

    def reload(self) -> None:
        """Show the journal as it is now."""
        self.redraw()
        self.app.mark_fresh(self)
        self.call_after_refresh(self.app.settle_memory)

    def redraw(self) -> None:
        """Draw the view from the app's data (``app.entries()``, ``app.flags()``, the journal)."""
        raise NotImplementedError
