"""Add a product to the catalogue, rename one, or edit one (name, category, heavy mark)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from skinlog.domain.products import CATEGORIES, Product, check_category, clean_name, default_heavy
from skinlog.errors import SkinlogError
from skinlog.tui.dialogs.form import FormDialog


class ProductDialog(FormDialog[Product]):
    """A name, a category and whether it is heavy, empty or (``edit``) filled in from a product;
    or just a new name when renaming."""

    FIRST = "#name"

    def __init__(self, rename: Product | None = None, edit: Product | None = None) -> None:
        super().__init__()
        self.rename = rename
        self.edit = edit

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            if self.rename:
                title = Text(f"Rename {self.rename.name}")
            elif self.edit:
                title = Text(f"Edit {self.edit.name}")
            else:
                title = Text("Add a product")
            yield Static(title, classes="dialog-title")  # Text: a name is the user's text
            yield Label("Name")
            current = self.rename or self.edit
            yield Input(value=current.name if current else "", id="name")  # too long: said on save
            if not self.rename:
                yield Label("Category")
                yield Select(
                    [(c.replace("_", " "), c) for c in CATEGORIES],
                    value=self.edit.category if self.edit else "other",
                    id="category",
                    allow_blank=False,
                )
                yield Checkbox(
                    "Heavy or occlusive formula", id="heavy", value=self.edit.heavy if self.edit else False
                )
            yield Static("", id="dialog-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            keep = self.edit is not None and event.value == self.edit.category
            heavy = self.edit.heavy if keep and self.edit else default_heavy(event.value)
            self.query_one("#heavy", Checkbox).value = heavy

    def submit(self) -> None:
        try:
            name = clean_name(self.query_one("#name", Input).value)
            if self.rename:
                self.dismiss(self.rename._replace(name=name))
                return
            category = check_category(str(self.query_one("#category", Select).value))
            heavy = self.query_one("#heavy", Checkbox).value
            # an edit keeps the archived mark: the Products view's own key changes it
            self.dismiss(Product(name, category, heavy, self.edit.archived if self.edit else False))
        except SkinlogError as exc:
            self.query_one("#dialog-error", Static).update(str(exc))
