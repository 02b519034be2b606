"""A question with a few answers, each on its own key: save / discard / cancel and the like."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

CANCEL = "cancel"


class AskDialog(ModalScreen[str]):
    """Dismisses with the value of the answer chosen (a key, a click, or Enter on a button);
    Escape answers ``cancel``. The question is shown as it is, never read as markup."""

    def __init__(self, title: str, question: str, answers: Sequence[tuple[str, str, str]]) -> None:
        """``answers``: (keys, label, value) for each button, left to right, keys separated by
        commas (the first is shown); the last button has the focus, so it should be the answer
        that changes nothing."""
        super().__init__()
        self.title_text = title
        self.question = question
        self.answers = list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.question, id="question", markup=False)
            with Horizontal(classes="buttons"):
                for keys, label, value in self.answers:
                    first = keys.split(",")[0]
                    yield Button(
                        f"{label} ({'Esc' if first == 'escape' else first})",
                        id=f"answer-{value}",
                        variant="primary" if value == CANCEL else "default",
                        compact=True,
                    )

    def on_mount(self) -> None:
        self.query(Button).last().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(str(event.button.id).removeprefix("answer-"))

    def on_key(self, event: events.Key) -> None:
        for keys, _label, value in self.answers:
            if event.key in keys.split(","):
                event.stop()
                self.dismiss(value)
                return
        if event.key == "escape":
            event.stop()
            self.dismiss(CANCEL)
