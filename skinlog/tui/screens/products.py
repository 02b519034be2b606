"""Products: the catalogue with categories and days used; add, edit, rename and archive."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static
from textual.widgets.data_table import RowDoesNotExist

from skinlog.domain.products import Product, days_used, find_product
from skinlog.domain.text import inert
from skinlog.tui.dialogs.product_form import ProductDialog
from skinlog.tui.screens.base import JournalScreen


class ProductsScreen(JournalScreen):
    """The catalogue."""

    HELP = """\
`a` adds a product; `e` or Enter edits the selected one (name, category, heavy);
`r` renames it (past entries follow); `x` archives it, or brings an archived one back.
Archived products are listed last, dimmed and marked "archived": Today no longer offers them
for new days, and every day that used one keeps it."""

    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("r", "rename", "Rename"),
        Binding("x", "archive", "Archive"),
    ]
    """a adds a product; e (or enter) edits the selected one's name, category and heavy mark; r renames
    it everywhere; x archives it (or unarchives an archived one)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Your products (heavy: thick or occlusive; archived: not offered on Today)",
            classes="view-title",
        )
        yield DataTable(id="products", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in ("name", "category", "heavy", "days used"):
            table.add_column(label, key=label)

    def redraw(self, select: str | None = None) -> None:
        """Fill the table again, keeping the cursor on the same product (or on ``select``)."""
        used = self.app.derived("days_used", days_used)
        table = self.query_one(DataTable)
        if select is None and table.row_count:
            select = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        table.clear()
        for p in sorted(
            self.app.journal.products(), key=lambda p: (p.archived, p.category, p.name.casefold())
        ):
            # archived: dimmed, and said in words too (not by the shade alone)
            style = "dim" if p.archived else ""
            name = Text(inert(p.name), style=style)
            if p.archived:
                name.append(" · archived", style="dim italic")
            table.add_row(
                name,
                Text(p.category.replace("_", " "), style=style),
                Text("yes" if p.heavy else "no", style=style),
                Text(str(used.get(p.name, 0)), style=style),
                key=p.name,
            )
        if select is not None:
            try:
                table.move_cursor(row=table.get_row_index(select))
            except RowDoesNotExist:  # the product is gone
                pass

    def _show(self, name: str) -> None:
        """The catalogue as it is after a change made here, the cursor on ``name``."""
        self.redraw(select=name)
        self.app.mark_fresh(self)

    def _selected(self) -> Product | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        name = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return find_product(self.app.journal.products(), str(name))

    def action_add(self) -> None:
        def added(product: Product | None) -> None:
            if (
                product is not None
                and self.app.change_journal(
                    lambda: self.app.journal.add_product(product), f"Added {product.name}."
                )
                is None
            ):
                self._show(product.name)

        self.app.push_screen(ProductDialog(), added)

    def action_rename(self) -> None:
        current = self._selected()
        if current is None:
            return

        def renamed(product: Product | None) -> None:
            if product is None or product.name == current.name:
                return
            if (
                self.app.change_journal(
                    lambda: self.app.journal.rename_product(current.name, product.name),
                    f"Renamed to {product.name}; past entries follow.",
                    renamed=(current.name, product.name),
                )
                is None
            ):
                self._show(product.name)

        self.app.push_screen(ProductDialog(rename=current), renamed)

    def action_archive(self) -> None:
        """Archive the selected product, or bring an archived one back."""
        current = self._selected()
        if current is None:
            return
        archive = not current.archived
        done = (
            f"Archived {current.name}: Today no longer offers it; its past days stay."
            if archive
            else f"{current.name} is offered on Today again."
        )
        if (
            self.app.change_journal(
                lambda: self.app.journal.set_product(current.name, archived=archive), done
            )
            is None
        ):
            self._show(current.name)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        current = self._selected()
        if current is None:
            return
        journal = self.app.journal

        def change(product: Product) -> None:
            with journal.transaction():
                if product.name != current.name:
                    journal.rename_product(current.name, product.name)
                journal.set_product(product.name, category=product.category, heavy=product.heavy)

        def edited(product: Product | None) -> None:
            if product is None or product == current:
                return
            renamed = (current.name, product.name) if product.name != current.name else None
            if (
                self.app.change_journal(lambda: change(product), f"Saved {product.name}.", renamed=renamed)
                is None
            ):
                self._show(product.name)

        self.app.push_screen(ProductDialog(edit=current), edited)
