"""What the form dialogs share: Enter or the first button submits, Escape or Cancel closes."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button

if TYPE_CHECKING:
    from skinlog.tui.app import SkinlogApp

ResultType = TypeVar("ResultType")


class FormDialog(ModalScreen[ResultType | None], Generic[ResultType]):
    """A form with its buttons (``#cancel`` closes it, any other submits); dismisses with what
    ``submit`` makes of it, or None when closed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    """Escape closes without doing anything."""

    FIRST: ClassVar[str]
    """The selector of the field that has the focus first."""

    app: SkinlogApp

    def on_mount(self) -> None:
        self.app.stop_blinking(self)
        self.query_one(self.FIRST).focus()

    def on_input_submitted(self) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def submit(self) -> None:
        """Check the form; dismiss with its result, or show what is wrong and stay open."""
        raise NotImplementedError
