"""One name per region: every name the app or the CLI shows for a region leads back to it."""

from __future__ import annotations

import json

import pytest

from skinlog.domain.regions import ALIASES, REGIONS, _key, region_examples, resolve_region, shown_names
from skinlog.domain.words import region_labels, region_summary
from skinlog.errors import ValidationError
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
    assert region.label in shown


def test_app_names_typed_on_the_cli(cli) -> None:
    result = cli("add", "lips=2", "chest/back=1", "arms/legs=3", "jaw L=1", "--date", "2026-01-05")
    assert result.code == 0, result.err
    shown = cli("show", "2026-01-05").out
    assert "Around the lips" in shown and "Chest and back" in shown and "Arms and legs" in shown


def test_sentences_and_summaries_use_the_names() -> None:
    assert region_summary({"perioral": 2, "trunk": 1}) == "lips 2, chest/back 1"
    assert region_labels(["perioral", "limbs"]) == "Around the lips and Arms and legs"


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
