"""History: its columns, searching notes, filtering, and opening a day in Today."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, Input, Select, Static

from skinlog.domain.entry import make_entry
from skinlog.domain.flags import Flag
from skinlog.domain.search import Filter, matches, search, shorten
from skinlog.storage import Journal
from skinlog.tui.screens.history import ORDER, HistoryScreen, column_widths
from skinlog.tui.screens.today import TodayScreen
from skinlog.tui.widgets.face_map import FaceMap
from tests.tui_helpers import demo_journal, open_app, run

D1 = date(2026, 11, 1)
D2 = date(2026, 11, 2)
D3 = date(2026, 11, 3)


def small_journal(path):
    journal = Journal(path)  # the starter catalogue: Retinol first, Eye cream among the others
    journal.save_entry(make_entry(D1, {"nose": 2}, ["Retinol"], note="Itchy after the sauna"))
    journal.save_entry(
        make_entry(D2, {"chin": 1}, ["Eye cream"], picked=True, procedure="cryotherapy", events=["sunburn"])
    )
    journal.save_entry(make_entry(D3, {"nose": 1, "chin": 4}, note="New cream: SAUNA again"))
    return path


# -- the pure part: search and shortening


def test_words_in_the_note_match_in_any_case_and_order():
    entries = [make_entry(D1, {}, note="Itchy after the sauna"), make_entry(D2, {}, note="calm day")]
    assert search(entries, Filter(text="SAUNA itchy")) == entries[:1]
    assert search(entries, Filter(text="sauna calm")) == []
    assert search(entries, Filter(text="  ")) == entries


def test_product_region_and_flag_filters():
    a = make_entry(D1, {"nose": 2}, ["Retinol"])
    b = make_entry(D2, {"chin": 1}, ["Eye cream"])
    c = make_entry(D3, {"nose": 0, "chin": 3})
    assert search([a, b, c], Filter(product="Retinol")) == [a]
    assert search([a, b, c], Filter(region="nose")) == [a]  # a zero count is no bumps there
    assert search([a, b, c], Filter(region="chin")) == [b, c]
    flag = Flag("persistent", "watch", ("chin",), D3, {}, "")
    assert search([a, b, c], Filter(flag=flag)) == [c]  # from its start, in its regions
    everywhere = Flag("picking", "watch", (), D2, {}, "")
    assert search([a, b, c], Filter(flag=everywhere)) == [b, c]
    assert not matches(c, Filter(product="Retinol", region="chin"))


def test_shorten_keeps_one_line_and_marks_the_cut():
    assert shorten("short", 10) == "short"
    assert shorten("one\ntwo  three", 20) == "one two three"
    assert shorten("a long note about the day", 10) == "a long no…"
    assert len(shorten("a long note about the day", 10)) == 10
    assert shorten("anything", 0) == ""


def test_columns_fit_the_width_and_every_header_fits_its_column():
    for width in (78, 98, 118, 198):
        widths = column_widths(width)
        assert sum(widths.values()) + len(ORDER) + 2 <= width or width < 80
        assert all(widths[name] >= len(name) for name in ORDER), (width, widths)
    assert column_widths(198)["note"] > column_widths(78)["note"]


def test_columns_take_no_more_than_their_longest_text_and_the_note_gets_the_rest():
    natural = {"note": 60, "regions": 30, "products": 20, "procedure": 9, "events": 6}
    widths = column_widths(160, natural)
    assert widths["regions"] == 30 and widths["products"] == 20 and widths["events"] == 6
    assert widths["note"] == 160 - 2 - len(ORDER) - sum(widths[n] for n in ORDER if n != "note")
    cramped = column_widths(100, natural)
    assert cramped["regions"] < 30 and cramped["note"] < 60
    assert sum(cramped.values()) + len(ORDER) + 2 == 100


# -- the view


def title(app) -> str:
    return str(app.screen.query_one("#history-title", Static).render())


def shown_days(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(n)[0]) for n in range(table.row_count)]


def test_every_column_has_a_header_and_the_note_picked_procedure_and_events_show(tmp_path):
    path = small_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path, size=(160, 30)) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert [str(c.label) for c in table.columns.values()] == list(ORDER)
            assert all(str(c.label).strip() for c in table.columns.values())
            newest, middle, oldest = (table.get_row_at(n) for n in range(3))
            assert str(newest[ORDER.index("note")]) == "New cream: SAUNA again"
            assert str(middle[ORDER.index("picked")]) == "yes"
            assert str(middle[ORDER.index("procedure")]) == "cryotherapy"
            assert str(middle[ORDER.index("events")]) == "sunburn"
            assert str(oldest[ORDER.index("picked")]) == ""
            assert title(app).startswith("3 entries,")

    run(scenario)


def test_one_entry_is_one_entry(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).save_entry(make_entry(D1, {"nose": 1}))

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            assert title(app).startswith("1 entry,")

    run(scenario)


def test_slash_searches_notes_as_you_type_and_escape_clears(tmp_path):
    path = small_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3", "slash")
            await pilot.pause()
            assert app.focused is app.screen.query_one("#history-search", Input)
            await pilot.press(*"sauna")
            await pilot.pause()
            assert shown_days(app) == [D3.isoformat(), D1.isoformat()]
            assert title(app).startswith("2 of 3 entries match")
            await pilot.press("space", *"itchy")
            await pilot.pause()
            assert shown_days(app) == [D1.isoformat()]
            await pilot.press("enter")  # back to the table
            assert isinstance(app.focused, DataTable)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query_one("#history-search", Input).value == ""
            assert len(shown_days(app)) == 3

    run(scenario)


def test_a_search_that_finds_nothing_says_how_to_clear_it(tmp_path):
    path = small_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3", "slash", *"zzz")
            await pilot.pause()
            assert shown_days(app) == []
            assert "0 of 3 entries match" in title(app) and "Escape clears" in title(app)
            await pilot.press("enter", "enter", "d")  # nothing selected: nothing opens, nothing asked
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)

    run(scenario)


def test_product_and_region_filters_from_their_keys(tmp_path):
    path = small_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3", "p")
            await pilot.pause()
            product = app.screen.query_one("#filter-product", Select)
            assert product.expanded
            await pilot.press("down", "down", "enter")  # "any product", then the first product
            await pilot.pause()
            assert product.value == "Retinol"
            assert shown_days(app) == [D1.isoformat()]
            await pilot.press("escape")
            await pilot.pause()
            assert product.is_blank() and len(shown_days(app)) == 3
            app.screen.query_one("#filter-region", Select).value = "chin"
            await pilot.pause()
            assert shown_days(app) == [D3.isoformat(), D2.isoformat()]

    run(scenario)


def test_flag_filter_shows_the_days_behind_a_flag(tmp_path):
    path = demo_journal(tmp_path)  # the demo journal raises flags

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, HistoryScreen) and not screen.flags  # worked out when first used
            await pilot.press("f")
            await pilot.pause()
            assert screen.query_one("#filter-flag", Select).expanded and screen.flags
            await pilot.press("escape")
            flag = screen.flags[1]  # spreading to the left cheek, in the last weeks
            assert flag.code == "spreading"
            screen.query_one("#filter-flag", Select).value = "1"
            await pilot.pause()
            wanted = Filter(flag=flag)
            expected = [e.date.isoformat() for e in reversed(Journal(path).entries()) if matches(e, wanted)]
            assert 0 < len(expected) < Journal(path).count_entries()
            assert shown_days(app)[:5] == expected[:5]
            assert f"{len(expected)} of" in title(app)

    run(scenario)


def test_enter_opens_the_selected_day_in_today_with_focus_on_the_map(tmp_path):
    path = small_journal(tmp_path / "journal.json")

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3", "slash", *"itchy", "enter", "enter")
            await pilot.pause()
            assert isinstance(app.screen, TodayScreen)
            assert app.screen.day == D1
            assert isinstance(app.focused, FaceMap)
            assert app.screen.query_one(FaceMap).counts.get("nose") == 2

    run(scenario)


def test_a_century_is_shown_a_page_at_a_time(tmp_path):
    from benchmarks.run import build_century_journal

    path = tmp_path / "century.json"
    build_century_journal(path)

    async def scenario():
        async with open_app(path) as (app, pilot):
            await pilot.press("f3")
            await pilot.pause()
            table = app.screen.query_one(DataTable)
            assert table.row_count == 200
            assert "36500 entries" in title(app) and "m for older" in title(app)
            await pilot.press("m")
            await pilot.pause()
            assert table.row_count == 400

    run(scenario)


def test_a_note_is_shown_as_typed_never_read_as_markup(tmp_path):
    path = tmp_path / "journal.json"
    Journal(path).save_entry(make_entry(D1, {"nose": 1}, note="[bold red]not bold[/] and [link=x]y"))

    async def scenario():
        async with open_app(path, size=(160, 30)) as (app, pilot):
            await pilot.press("f3", "slash", *"bold")
            await pilot.pause()
            note = app.screen.query_one(DataTable).get_row_at(0)[ORDER.index("note")]
            assert str(note) == "[bold red]not bold[/] and [link=x]y"

    run(scenario)
