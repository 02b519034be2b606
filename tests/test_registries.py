"""The tables that drive skinlog are complete: everything built from them lists every row."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

import pytest
from textual.binding import Binding

from skinlog.cli import main
from skinlog.domain.entry import EVENTS, PROCEDURES, SYMPTOMS
from skinlog.domain.flags import LEVELS, RULES
from skinlog.domain.insights import SETTINGS_READ
from skinlog.domain.products import CATEGORIES
from skinlog.domain.regions import (
    GROUPS,
    REGION_IDS,
    REGIONS,
    TEXT_ONLY,
    SnomedCode,
    region_examples,
    resolve_region,
)
from skinlog.domain.settings import SETTINGS
from skinlog.services.demo import write_demo
from skinlog.services.export import SNOMED_CODES, ExportData, gather, render, schema
from skinlog.services.formats import FORMATS, file_name
from skinlog.storage import Journal


@pytest.fixture
def demo_data(tmp_path) -> ExportData:
    write_demo(str(tmp_path / "journal.json"), date(2026, 11, 23))
    return gather(Journal(tmp_path / "journal.json"), date(2026, 11, 23))


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_export_format_renders_the_demo_journal(demo_data: ExportData, name: str) -> None:
    assert render(name, demo_data).strip()


def test_export_formats_have_their_own_file_names() -> None:
    names = {file_name(f, "2026-11-23") for f in FORMATS}
    assert len(names) == len(FORMATS)


def test_the_command_line_offers_every_export_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    shown = capsys.readouterr().out
    assert f"{{{','.join(FORMATS)}}}" in shown


def test_an_unknown_format_is_refused_with_the_choices(demo_data: ExportData) -> None:
    from skinlog.errors import UsageError

    with pytest.raises(UsageError, match=", ".join(FORMATS)):
        render("pdf-but-not-yet", demo_data)


# -- regions: one row each in skinlog.domain.regions, with its map cell and FHIR body site


def test_every_region_is_on_the_face_map_once_and_nothing_else_is() -> None:
    from skinlog.tui.widgets.face_map import LAYOUT

    drawn = [slot for row in LAYOUT for slot in row if slot is not None]
    assert sorted(drawn) == sorted(REGION_IDS)


def test_no_two_regions_share_a_map_cell() -> None:
    cells = [r.cell for r in REGIONS]
    assert len(set(cells)) == len(cells), [r.id for r in REGIONS if cells.count(r.cell) > 1]
    assert all(row >= 0 and col >= 0 for row, col in cells)


def test_every_region_has_a_fhir_body_site_or_is_marked_text_only() -> None:
    for region in REGIONS:
        site = region.site
        assert site is TEXT_ONLY or (isinstance(site, SnomedCode) and site.code.isdigit() and site.source), (
            region.id
        )


def test_lateral_regions_say_their_side_and_others_none() -> None:
    for region in REGIONS:
        side = region.id.rsplit("_", 1)[-1] if region.id.endswith(("_left", "_right")) else None
        assert region.side == side, region.id
        if side:
            assert region.side in SNOMED_CODES  # the laterality a FHIR export codes it with


def test_every_region_is_in_a_known_group() -> None:
    assert {r.group for r in REGIONS} == set(GROUPS)


def test_every_region_answers_to_its_id_label_and_aliases() -> None:
    for region in REGIONS:
        for spelling in (region.id, region.label, *region.aliases, *region_examples(region.id)):
            assert resolve_region(spelling) == region.id, spelling


# -- the JSON Schema of the export lists exactly what the tables hold


def _lists(node: object, path: str = "") -> Iterator[tuple[str, list[object]]]:
    """Every list of values in the schema: enums, required names and the names of properties."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("enum", "required") and isinstance(value, list):
                yield f"{path}/{key}", value
            elif key == "properties" and isinstance(value, dict):
                yield f"{path}/properties", list(value)
            yield from _lists(value, f"{path}/{key}")
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _lists(value, f"{path}/{n}")


REGION_LISTS = {
    "/properties/regions/items/properties/id/enum",
    "/$defs/entry/properties/counts/properties",
    "/$defs/entry/properties/counts/required",
    "/$defs/week/properties/region_mean/propertyNames/enum",
    "/$defs/week/properties/region_max/propertyNames/enum",
    "/$defs/flag/properties/regions/items/enum",
}


def test_every_region_list_of_the_schema_is_the_regions_table_in_order() -> None:
    """Found by looking: any list in the schema that names a region must name them all."""
    found = {path: values for path, values in _lists(schema()) if set(values) & set(REGION_IDS)}
    assert set(found) == REGION_LISTS
    for path, values in found.items():
        assert values == list(REGION_IDS), f"{path} in skinlog/schema/export.schema.json"


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/properties/regions/items/properties/group/enum", GROUPS),
        ("/properties/products/items/properties/category/enum", CATEGORIES),
        ("/$defs/entry/properties/procedure/enum", PROCEDURES),
        ("/$defs/entry/properties/events/items/enum", EVENTS),
        ("/$defs/entry/properties/symptoms/properties", SYMPTOMS),
        ("/$defs/entry/properties/symptoms/required", SYMPTOMS),
        ("/$defs/flag/properties/code/enum", tuple(RULES)),
        ("/$defs/flag/properties/level/enum", LEVELS),
    ],
)
def test_the_schema_enum_is_the_domain_table(path: str, table: Sequence[str]) -> None:
    lists = dict(_lists(schema()))
    assert lists.get(path) == list(table), f"{path} in skinlog/schema/export.schema.json"


# -- flag rules: one row each in skinlog.domain.flags.RULES


def test_every_rule_is_filed_under_its_own_code() -> None:
    assert all(code == rule.code for code, rule in RULES.items())


def test_every_setting_a_rule_reads_is_in_the_settings_table() -> None:
    for rule in RULES.values():
        assert set(rule.reads) <= set(SETTINGS), rule.code
        assert rule.defaults == {name: SETTINGS[name].default for name in rule.reads}


def test_every_setting_is_read_by_a_rule_or_the_insights() -> None:
    read = {name for rule in RULES.values() for name in rule.reads} | set(SETTINGS_READ)
    assert set(SETTINGS) == read


def test_every_rule_raises_known_levels_only() -> None:
    for rule in RULES.values():
        assert rule.levels and set(rule.levels) <= set(LEVELS), rule.code


# -- the app's views (skinlog/tui/views.py): keys, footer, palette and help come from that table


def view_ids() -> list[str]:
    from skinlog.tui.views import VIEWS

    return [view.id for view in VIEWS]


def test_every_view_has_its_own_key() -> None:
    from skinlog.tui.app import SkinlogApp
    from skinlog.tui.views import VIEWS

    keys = [view.key for view in VIEWS]
    others = [
        key
        for binding in SkinlogApp.BINDINGS
        if isinstance(binding, Binding) and not binding.action.startswith("view(")
        for key in binding.key.split(",")
    ]
    assert len(set(keys)) == len(keys) and not set(keys) & set(others)
    assert len(set(view_ids())) == len(VIEWS)


def test_every_view_is_a_journal_view_that_says_its_keys() -> None:
    """A view draws itself through JournalScreen (so it follows the journal) and declares its own
    HELP; every key it shows in its footer is in that text."""
    from skinlog.tui.screens.base import JournalScreen
    from skinlog.tui.views import VIEWS

    for view in VIEWS:
        cls = view.screen_class()
        assert issubclass(cls, JournalScreen), view.id
        assert "HELP" in vars(cls), f"{cls.__name__} says nothing for the help screen (HELP)"
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.show:
                shown = binding.key_display or binding.key.split(",")[0]
                said = [f"`{part}`" in cls.HELP for part in shown.split(" ")]  # ", ." is two keys
                assert all(said) or (len(shown) > 1 and shown in cls.HELP), (view.id, shown)


def test_the_help_screen_lists_every_view_with_its_keys() -> None:
    from skinlog.tui.dialogs.help import help_text
    from skinlog.tui.views import VIEWS

    text = help_text()
    for view in VIEWS:
        assert f"{view.key_display:<14}the {view.title} view" in text.splitlines()
        if view.screen_class().HELP:
            assert f"{view.title}\n{' '.join(view.screen_class().HELP.split())}" in text


def test_the_help_writes_keys_that_run_on_as_a_span() -> None:
    from skinlog.tui.views import VIEWS, View, keys_shown

    assert keys_shown(VIEWS[:3]) == "F2 ... F4"
    extra = View("notes", "Notes", "f9", "skinlog.tui.screens.flags:FlagsScreen")
    assert keys_shown((*VIEWS[:3], extra)) == "F2, F3, F4, F9"


@pytest.mark.parametrize("view_id", view_ids())
def test_every_view_opens_on_its_key_from_the_footer_and_the_palette(tmp_path, view_id: str) -> None:
    from skinlog.tui.dialogs.help import HelpScreen
    from skinlog.tui.views import BY_ID
    from tests.tui_helpers import demo_journal, open_app, run, screen_text

    view = BY_ID[view_id]
    others = [v for v in BY_ID.values() if v is not view]

    async def scenario() -> None:
        async with open_app(demo_journal(tmp_path), size=(160, 40)) as (app, pilot):
            await pilot.press(others[0].key)  # start from another view
            await pilot.pause()
            await pilot.press(view.key)
            await pilot.pause()
            assert app.current_mode == view.id and isinstance(app.screen, view.screen_class())
            header = screen_text(app).splitlines()[0]  # the view bar
            assert f"[{view.key_display} {view.title}]" in header
            assert all(f"{other.key_display} {other.title}" in header for other in others)
            await pilot.press(others[0].key)
            await pilot.pause()
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            command = commands[f"Go to {view.title}"]
            assert command.help == f"Show the {view.title} view ({view.key_display})"
            command.callback()
            await pilot.pause()
            assert app.current_mode == view.id and isinstance(app.screen, view.screen_class())
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            assert f"{view.key_display:<14}the {view.title} view" in app.screen.text.splitlines()
            assert f"{view.key_display} " in screen_text(app) and f"the {view.title} view" in screen_text(app)

    run(scenario)


def test_the_view_bar_fits_an_80_column_terminal() -> None:
    from skinlog.tui.app import TABS_WIDTH

    assert TABS_WIDTH <= 78, (
        f"the header's view bar needs {TABS_WIDTH} columns; at 80 it has 78: shorten a title "
        "in skinlog/tui/views.py or let the bar show keys only"
    )
