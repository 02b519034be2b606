"""The face and body regions a count is logged for, and the spellings people type for them."""

from __future__ import annotations

from typing import NamedTuple

from skinlog.errors import ValidationError, suggest


class Region(NamedTuple):
    """One place on the body a count is logged for. Left/right are the person's own."""

    id: str
    label: str
    short: str
    group: str  # "face", "eye area" or "body"


REGIONS: tuple[Region, ...] = (
    Region("forehead", "Forehead", "forehead", "face"),
    Region("temple_left", "Left temple", "temple L", "face"),
    Region("temple_right", "Right temple", "temple R", "face"),
    Region("eyelid_left", "Left upper eyelid", "eyelid L", "eye area"),
    Region("eyelid_right", "Right upper eyelid", "eyelid R", "eye area"),
    Region("under_eye_left", "Left under-eye", "under-eye L", "eye area"),
    Region("under_eye_right", "Right under-eye", "under-eye R", "eye area"),
    Region("nose", "Nose", "nose", "face"),
    Region("cheek_left", "Left cheek", "cheek L", "face"),
    Region("cheek_right", "Right cheek", "cheek R", "face"),
    Region("perioral", "Around the lips", "lips", "face"),
    Region("chin", "Chin", "chin", "face"),
    Region("jaw_left", "Left jawline", "jaw L", "face"),
    Region("jaw_right", "Right jawline", "jaw R", "face"),
    Region("ear_left", "Around the left ear", "ear L", "face"),
    Region("ear_right", "Around the right ear", "ear R", "face"),
    Region("neck", "Neck", "neck", "body"),
    Region("trunk", "Chest and back", "chest/back", "body"),
    Region("limbs", "Arms and legs", "arms/legs", "body"),
    Region("genital", "Genital area", "genital", "body"),
)

REGION_IDS: tuple[str, ...] = tuple(r.id for r in REGIONS)
BY_ID: dict[str, Region] = {r.id: r for r in REGIONS}
EYE_AREA: frozenset[str] = frozenset(r.id for r in REGIONS if r.group == "eye area")

_EXTRA_ALIASES = {
    "lips": "perioral",
    "mouth": "perioral",
    "aroundthelips": "perioral",
    "chest": "trunk",
    "back": "trunk",
    "chestandback": "trunk",
    "arms": "limbs",
    "legs": "limbs",
    "armsandlegs": "limbs",
    "genitals": "genital",
    "genitalarea": "genital",
}


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for region in REGIONS:
        table[_key(region.id)] = region.id
        table[_key(region.label)] = region.id
        for side in ("left", "right"):
            suffix = "_" + side
            if region.id.endswith(suffix):
                base = region.id[: -len(suffix)]
                for word in (side, side[0]):
                    table[_key(base + word)] = region.id
                    table[_key(word + base)] = region.id
                if base == "eyelid":
                    table[_key("upper eyelid" + side)] = region.id
                if base == "jaw":
                    table[_key("jawline" + side)] = region.id
                    table[_key(side + "jawline")] = region.id
    for alias, region_id in _EXTRA_ALIASES.items():
        table[alias] = region_id
    return table


ALIASES: dict[str, str] = _aliases()


def resolve_region(text: str) -> str:
    """Turn what a person typed (``left-cheek``, ``cheek_l``, ``Nose``) into a region id."""
    region_id = ALIASES.get(_key(text))
    if region_id is None:
        hint = suggest(text.replace("-", "_"), list(REGION_IDS))
        raise ValidationError(f"unknown region '{text}'{hint}; 'skinlog regions' lists them")
    return region_id


def region_examples(region_id: str) -> list[str]:
    """A few of the spellings accepted for a region, for the regions listing."""
    region = BY_ID[region_id]
    examples = [region.id]
    if region.id.endswith(("_left", "_right")):
        base, side = region.id.rsplit("_", 1)
        examples += [f"{side}-{base.replace('_', '-')}", f"{base.replace('_', '-')}-{side[0]}"]
    return examples
