"""The face and body regions a count is logged for: one row per region with everything about it
(its words, the spellings people type, its side, its cell on the face map and its body site in a
FHIR export)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Literal

from skinlog.errors import ValidationError, suggest

GROUPS: tuple[str, ...] = ("face", "eye area", "body")

# Where each SNOMED CT code came from; none was checked in a SNOMED CT browser.
SPEC = "product spec (codes found in public FHIR/DICOM mappings); not checked in a SNOMED CT browser"
DICOM = "DICOM PS3.16 body part to SNOMED CT mapping (public copies); not checked in a SNOMED CT browser"


@dataclass(frozen=True)
class SnomedCode:
    """A SNOMED CT concept (here mostly a body structure), with where its code came from."""

    code: str
    display: str
    source: str


class TextOnly(Enum):
    """A region with no body structure code: a FHIR export names it in words only."""

    TEXT_ONLY = "text only"


TEXT_ONLY = TextOnly.TEXT_ONLY

# Regions with no code of their own use the nearest confirmed parent (face).
FACE = SnomedCode("89545001", "Face structure", DICOM)
FOREHEAD = SnomedCode("52795006", "Forehead structure", DICOM)
CHEEK = SnomedCode("60819002", "Buccal region of face", DICOM)
NOSE = SnomedCode("45206002", "Nasal structure", DICOM)
EYELID = SnomedCode("80243003", "Eyelid structure", DICOM)
CHIN = SnomedCode("30291003", "Chin structure", DICOM)
LIP = SnomedCode("48477009", "Lip structure", DICOM)
TEMPORAL_REGION = SnomedCode("450721000", "Temporal region structure", SPEC)  # never 78277001 (brain)


@dataclass(frozen=True)
class Region:
    """One place on the body a count is logged for. Left/right are the person's own.

    A region has one name, shown everywhere (face map, lists, Trends, the CLI, exports):
    ``short`` where space is tight ("cheek L") and ``label``, the same name spelled out for
    sentences ("Left cheek"). ``id`` is the key in journal files and exports (stored data, never
    renamed). ``cell`` is its (row, column) on the face map, seen as in a mirror (your left on
    the left); ``site`` its body structure in a FHIR export (the side goes with it as
    laterality) or ``TEXT_ONLY``; ``aliases`` older or other spellings people type, accepted on
    top of the id, the two names and the sided forms (``cheek-l``, ``left-cheek``)."""

    id: str
    label: str
    short: str
    group: str  # one of GROUPS
    side: Literal["left", "right"] | None
    cell: tuple[int, int]
    site: SnomedCode | TextOnly
    aliases: tuple[str, ...] = ()


REGIONS: tuple[Region, ...] = (
    Region("forehead", "Forehead", "forehead", "face", None, (0, 2), FOREHEAD),
    Region("temple_left", "Left temple", "temple L", "face", "left", (1, 0), TEMPORAL_REGION),
    Region("temple_right", "Right temple", "temple R", "face", "right", (1, 4), TEMPORAL_REGION),
    Region(
        "eyelid_left",
        "Left upper eyelid",
        "eyelid L",
        "eye area",
        "left",
        (1, 1),
        EYELID,
        ("upper eyelid left",),
    ),
    Region(
        "eyelid_right",
        "Right upper eyelid",
        "eyelid R",
        "eye area",
        "right",
        (1, 3),
        EYELID,
        ("upper eyelid right",),
    ),
    Region("under_eye_left", "Left under-eye", "under-eye L", "eye area", "left", (2, 1), FACE),
    Region("under_eye_right", "Right under-eye", "under-eye R", "eye area", "right", (2, 3), FACE),
    Region("nose", "Nose", "nose", "face", None, (2, 2), NOSE),
    Region("cheek_left", "Left cheek", "cheek L", "face", "left", (3, 1), CHEEK),
    Region("cheek_right", "Right cheek", "cheek R", "face", "right", (3, 3), CHEEK),
    Region("perioral", "Around the lips", "lips", "face", None, (3, 2), FACE, ("mouth", "around the mouth")),
    Region("chin", "Chin", "chin", "face", None, (4, 2), CHIN),
    Region("jaw_left", "Left jawline", "jaw L", "face", "left", (4, 0), FACE, ("jawline left",)),
    Region("jaw_right", "Right jawline", "jaw R", "face", "right", (4, 4), FACE, ("jawline right",)),
    Region("ear_left", "Around the left ear", "ear L", "face", "left", (2, 0), FACE),
    Region("ear_right", "Around the right ear", "ear R", "face", "right", (2, 4), FACE),
    Region("neck", "Neck", "neck", "body", None, (5, 0), TEXT_ONLY),
    Region(
        "trunk", "Chest and back", "chest/back", "body", None, (5, 1), TEXT_ONLY, ("chest", "back", "trunk")
    ),
    Region("limbs", "Arms and legs", "arms/legs", "body", None, (5, 3), TEXT_ONLY, ("arms", "legs", "limbs")),
    Region("genital", "Genital area", "genital", "body", None, (5, 4), TEXT_ONLY, ("genitals",)),
)

REGION_IDS: tuple[str, ...] = tuple(r.id for r in REGIONS)
BY_ID: dict[str, Region] = {r.id: r for r in REGIONS}
EYE_AREA: frozenset[str] = frozenset(r.id for r in REGIONS if r.group == "eye area")


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for region in REGIONS:
        table[_key(region.id)] = region.id
        table[_key(region.label)] = region.id
        table[_key(region.short)] = region.id
        if region.side:
            base = region.id.removesuffix("_" + region.side)
            for word in (region.side, region.side[0]):
                table[_key(base + word)] = region.id
                table[_key(word + base)] = region.id
        for alias in region.aliases:
            table[_key(alias)] = region.id
    return table


ALIASES: dict[str, str] = _aliases()


def typed(name: str) -> str:
    """A region's name as it is easiest to type on a command line: "cheek L" -> "cheek-l"."""
    return name.lower().replace(" ", "-")


def resolve_region(text: str) -> str:
    """Turn what a person typed (``left-cheek``, ``cheek_l``, ``Nose``, ``lips``) into a region id."""
    region_id = ALIASES.get(_key(text))
    if region_id is None:
        names = {typed(r.short): r.id for r in REGIONS}
        hint = suggest(text.replace("_", "-"), list(names))
        raise ValidationError(f"unknown region '{text}'{hint}; 'skinlog regions' lists them")
    return region_id


def region_examples(region_id: str) -> list[str]:
    """Other spellings accepted for a region beyond its two names, for the regions listing:
    the short name as typed on a command line, the sided form, the aliases (less the label's
    words in another order) and, last, the id used in stored data."""
    region = BY_ID[region_id]
    examples = [typed(region.short)] if typed(region.short) != region.short else []
    if region.side:
        base = region.id.removesuffix("_" + region.side).replace("_", "-")
        examples.append(f"{region.side}-{base}")
    words = sorted(region.label.lower().split())  # "upper eyelid left" is the label reordered: not listed
    examples += [typed(a) for a in region.aliases if sorted(a.lower().split()) != words]
    examples.append(region.id)  # what exports and `regions --json` call it
    seen: set[str] = set()
    unique = []
    for example in examples:
        if _key(example) not in seen:
            seen.add(_key(example))
            unique.append(example)
    return [e for e in unique if e != region.short]


def shown_names(region_id: str) -> list[str]:
    """Every name a region is shown by anywhere (its two names and the regions listing's
    spellings); each is accepted by ``resolve_region``."""
    region = BY_ID[region_id]
    return [region.short, region.label, *region_examples(region_id)]
