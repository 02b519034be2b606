"""One name per region: every name the app or the CLI shows for a region leads back to it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from skinlog.domain.regions import ALIASES, REGIONS, _key, region_examples, resolve_region, shown_names, typed
from skinlog.domain.words import region_labels, region_summary
from skinlog.errors import ValidationError
from tests.helpers import PINNED_TODAY
from tests.tui_helpers import demo_journal, open_app, run, screen_text

# The names the app and the CLI showed before the names were made one, and the ids of stored data.
OLD_SPELLINGS = {
    "perioral": "perioral",
    "mouth": "perioral",
    "trunk": "trunk",
    "chest": "trunk",
    "back": "trunk",
    "limbs": "limbs",
    "arms": "limbs",
    "legs": "limbs",
    "jaw-l": "jaw_left",
    "jaw-right": "jaw_right",
    "jawline left": "jaw_left",
    "upper eyelid right": "eyelid_right",
    "genitals": "genital",
}


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.id)
def test_every_name_shown_for_a_region_resolves_back_to_it(region) -> None:
    names = shown_names(region.id)
    assert region.short in names and region.label in names and region.id in names
    for name in names:
        assert resolve_region(name) == region.id, name
        assert resolve_region(name.upper()) == region.id, name
        assert resolve_region(name.replace(" ", "-")) == region.id, name


def test_no_two_regions_share_a_name() -> None:
    owner: dict[str, str] = {}
    for region in REGIONS:
        for name in {_key(n) for n in shown_names(region.id)} | {_key(a) for a in region.aliases}:
            assert owner.setdefault(name, region.id) == region.id, (name, owner[name], region.id)
    assert len({r.short for r in REGIONS}) == len(REGIONS)
    assert len({r.label.casefold() for r in REGIONS}) == len(REGIONS)


@pytest.mark.parametrize("spelling, region_id", OLD_SPELLINGS.items())
def test_old_spellings_are_still_accepted(spelling: str, region_id: str) -> None:
    assert resolve_region(spelling) == region_id


def test_short_and_full_name_are_the_same_name() -> None:
    # "lips" and "Around the lips": the short name's words are in the full one.
    for region in REGIONS:
        words = region.short.replace("/", " ").replace(" L", " left").replace(" R", " right").lower()
        for word in words.split():
            assert word in region.label.lower().replace("-", " ").split() or word in region.label.lower(), (
                region.id,
                word,
            )


def test_an_unknown_region_suggests_a_name_not_an_id() -> None:
    with pytest.raises(ValidationError) as caught:
        resolve_region("lipz")
    assert "did you mean 'lips'?" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        resolve_region("chest/bak")
    assert "did you mean 'chest/back'?" in str(caught.value)


def test_every_alias_is_listed_or_is_a_name_in_another_order() -> None:
    for region in REGIONS:
        listed = {_key(n) for n in shown_names(region.id)}
        for alias in region.aliases:
            words = sorted(alias.lower().split())
            assert _key(alias) in listed or words == sorted(region.label.lower().split()), alias
    assert set(ALIASES.values()) == {r.id for r in REGIONS}


# -- the CLI shows the app's names, and takes them back


def test_the_regions_listing_leads_with_the_names_the_app_shows(cli) -> None:
    out = cli("regions").out
    lines = out.splitlines()
    for region in REGIONS:
        row = next(line for line in lines if line.startswith(f"  {region.short} "))
        assert region.label in row
        for example in region_examples(region.id):
            assert example in row
    assert max(len(line) for line in lines) <= 80
    assert not any(line.startswith("  perioral") or line.startswith("  trunk") for line in lines)


def test_the_regions_json_keeps_ids_and_adds_the_name(cli) -> None:
    rows = json.loads(cli("regions", "--json").out)
    assert [(r["id"], r["name"], r["label"]) for r in rows] == [(r.id, r.short, r.label) for r in REGIONS]


@pytest.mark.parametrize("region", REGIONS, ids=lambda r: r.id)
def test_the_cli_takes_every_shown_name(cli, region) -> None:
    for n, name in enumerate(shown_names(region.id)):
        result = cli("add", f"{name}={n + 1}", "--date", f"2026-01-{n + 1:02d}")
        assert result.code == 0, (name, result.err)
    shown = cli("show", "2026-01-01").out
    assert region.short in shown and (region.label == region.short or region.label not in shown)


def test_app_names_typed_on_the_cli(cli) -> None:
    result = cli("add", "lips=2", "chest/back=1", "arms/legs=3", "jaw L=1", "--date", "2026-01-05")
    assert result.code == 0, result.err
    shown = cli("show", "2026-01-05").out
    assert "lips" in shown and "chest/back" in shown and "arms/legs" in shown and "jaw L" in shown


def test_sentences_and_summaries_use_the_names() -> None:
    assert region_summary({"perioral": 2, "trunk": 1}) == "lips 2, chest/back 1"
    assert region_labels(["perioral", "limbs"]) == "lips and arms/legs"


def test_the_map_and_the_trends_list_show_the_same_names(tmp_path) -> None:
    path = demo_journal(tmp_path)

    async def scenario():
        async with open_app(path, size=(120, 40)) as (app, pilot):
            await pilot.pause()
            today = screen_text(app)
            await pilot.press("f4")
            await pilot.pause()
            trends = screen_text(app)
        for region in REGIONS:
            assert region.short in today, region.short  # the face map
            assert region.short in trends, region.short  # the list of regions to add
        assert "perioral" not in today + trends and "trunk" not in today + trends

    run(scenario)


# -- one name on every screen and in every listing: the short name, never the spelled-out label

FLAG_NAMES = ("genital area",)  # a flag's own name, not a region's


def spelled_out_names(text: str) -> list[str]:
    """The regions' spelled-out labels found in ``text`` (any case, across line breaks)."""
    flat = " ".join(text.split()).casefold()
    for name in FLAG_NAMES:
        flat = flat.replace(name, "")
    return [
        r.label for r in REGIONS if r.label.casefold() != r.short.casefold() and r.label.casefold() in flat
    ]


def test_show_flags_and_history_filter_use_one_name_per_region(cli, demo, tmp_path) -> None:
    shown = ""
    for back in range(1, 15):
        out = cli("show", (PINNED_TODAY - timedelta(days=back)).isoformat(), db=demo).out
        shown += out.split("Note:")[0]  # a note is the person's own words, not skinlog's
    assert cli("add", *(f"{typed(r.short)}={n + 1}" for n, r in enumerate(REGIONS))).code == 0
    shown += cli("show", PINNED_TODAY.isoformat()).out
    flags = cli("flags", db=demo).out
    assert all(r.short in shown for r in REGIONS), shown
    assert "bumps that stay" in flags
    assert spelled_out_names(shown) == [] and spelled_out_names(flags) == []
    assert region_labels(["forehead", "temple_left", "perioral"]) == "forehead, temple L and lips"

    async def scenario():
        async with open_app(demo, size=(120, 40)) as (app, pilot):
            await pilot.press("f3")  # History
            await pilot.pause()
            from textual.widgets import Select

            app.screen._set_flag_options()  # as when the flag box is first focused
            await pilot.pause()
            options = [
                str(prompt) for prompt, _ in app.screen.query_one("#filter-region", Select)._options[1:]
            ]
            flag_options = [str(p) for p, _ in app.screen.query_one("#filter-flag", Select)._options[1:]]
            await pilot.press("f6")  # Flags
            await pilot.pause()
            flags_screen = screen_text(app)
        assert options == [r.short for r in REGIONS]
        assert all(resolve_region(name) for name in options)
        assert flag_options and spelled_out_names(" ".join(flag_options)) == []
        assert "bumps that stay" in flags_screen and spelled_out_names(flags_screen) == []

    run(scenario)
