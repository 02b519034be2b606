"""The app's flag badge and Flags view say the reference date; the Products view edits a product."""

from __future__ import annotations

from datetime import date

from textual.widgets import Checkbox, DataTable, Input, Select, Static

from skinlog.storage import Journal
from skinlog.tui.dialogs.product_form import ProductDialog
from skinlog.tui.screens.products import ProductsScreen
from tests.test_as_of import write_stale_journal
from tests.tui_helpers import demo_journal, open_app, run


def test_a_stale_journal_shows_its_flags_as_of_the_last_entry(tmp_path):
    path = write_stale_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path, today=date(2026, 11, 23)) as (app, pilot):
            await pilot.pause()
            assert app.sub_title.endswith("⚑ 1 flag · see a clinician (as of 2026-07-09)")
            await pilot.press("f6")
            await pilot.pause()
            text = " ".join(str(w.render()) for w in app.screen.query(Static))
            assert (
                "1 active flag · see a clinician, as of your last entry on 2026-07-09, 137 days ago" in text
            )
            assert "[SEE A CLINICIAN] bumps that stay · under-eye L" in text and "(persistent)" not in text

    run(scenario)


def test_a_current_journal_badge_has_no_date(tmp_path):
    path = write_stale_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path, today=date(2026, 7, 20)) as (app, pilot):
            await pilot.pause()
            assert app.sub_title.endswith("⚑ 1 flag · see a clinician")

    run(scenario)


def test_edit_a_product_from_the_products_view(tmp_path):
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f7")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=table.get_row_index("Eye cream"))
            await pilot.press("e")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ProductDialog)
            assert dialog.query_one("#name", Input).value == "Eye cream"
            assert dialog.query_one("#category", Select).value == "eye_cream"
            assert dialog.query_one("#heavy", Checkbox).value is True
            dialog.query_one("#name", Input).value = "Rich eye cream"
            dialog.query_one("#heavy", Checkbox).value = False
            await pilot.click("#save")
            await pilot.pause()
            assert isinstance(app.screen, ProductsScreen)
            assert "Rich eye cream" in [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            # The cursor stays on the product just edited, so the next key acts on it.
            assert str(table.get_row_at(table.cursor_row)[0]) == "Rich eye cream"

    run(scenario)
    products = {p.name: p for p in Journal(path).products()}
    assert "Eye cream" not in products
    assert products["Rich eye cream"].heavy is False and products["Rich eye cream"].category == "eye_cream"
    assert any("Rich eye cream" in e.products for e in Journal(path).entries())  # history follows


def test_escape_leaves_the_product_as_it_was(tmp_path):
    path = demo_journal(tmp_path)
    before = path.read_bytes()

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f7")
            await pilot.pause()
            await pilot.press("enter")  # enter on a row edits it too
            await pilot.pause()
            assert isinstance(app.screen, ProductDialog)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ProductsScreen)

    run(scenario)
    assert path.read_bytes() == before


def test_a_product_name_too_long_is_refused_in_the_dialog_not_cut(tmp_path):
    path = demo_journal(tmp_path)
    before = path.read_bytes()

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f7")
            await pilot.pause()
            await pilot.press("a")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, ProductDialog)
            dialog.query_one("#name", Input).insert_text_at_cursor("L" * 5000)  # as a paste does
            await pilot.click("#save")
            await pilot.pause()
            assert app.screen is dialog  # still open, saying why
            assert "too long (5000 characters; at most 60)" in str(dialog.query_one("#dialog-error").render())

    run(scenario)
    assert path.read_bytes() == before
