"""The thresholds behind the flags and insights: user settings with sensible defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from skinlog.errors import ValidationError, suggest


class Setting(NamedTuple):
    """One setting: its default, allowed range and what it means."""

    default: float
    low: float
    high: float
    integer: bool
    help: str


# Each setting is read by flag rules (``flags.RULES`` names which) or by the product insights
# (``insights.SETTINGS_READ``); tests check that nothing reads a setting missing here and that
# nothing here goes unread.
SETTINGS: dict[str, Setting] = {
    "persist_weeks": Setting(12, 1, 520, True, "flag a region with bumps in every entry for this many weeks"),
    "persist_clinician_weeks": Setting(
        26, 1, 520, True, "...and suggest a dermatologist from this many weeks"
    ),
    "gap_days": Setting(14, 0, 90, True, "days without entries that do not break a run of bumps"),
    "recent_days": Setting(
        14, 1, 90, True, "what counts as recent for spreading, inflammation, picking and the genital area"
    ),
    "baseline_weeks": Setting(
        8, 1, 52, True, "the weeks before the recent days that spreading compares with"
    ),
    "baseline_min_entries": Setting(3, 1, 60, True, "entries the baseline needs before spreading is judged"),
    "spread_ratio": Setting(
        1.5, 1.0, 10.0, False, "recent mean total against the baseline mean that counts as spreading"
    ),
    "spread_min_increase": Setting(3, 1, 100, False, "and at least this many more bumps a day on average"),
    "spread_confirm_entries": Setting(
        2, 1, 14, True, "recent entries with bumps on a new region that make spreading see-a-clinician"
    ),
    "cluster_count": Setting(
        10, 2, 500, True, "bumps in one region in the latest entry that count as a cluster"
    ),
    "symptom_level": Setting(
        2, 1, 3, True, "redness, itch or pain from this level, with bumps, counts as inflamed"
    ),
    "heavy_days": Setting(28, 15, 180, True, "calendar days looked at for heavy products near the eyes"),
    "heavy_min_days": Setting(14, 1, 180, True, "days in that window with a product marked heavy that count"),
    "treatment_weeks": Setting(12, 2, 104, True, "weeks of retinoid or acid use before judging it"),
    "treatment_share": Setting(
        0.6, 0.1, 1.0, False, "share of logged days with a retinoid or acid that counts as regular use"
    ),
    "improvement_drop": Setting(0.25, 0.05, 0.95, False, "fall in the total that counts as improvement"),
    "insight_weeks": Setting(26, 1, 1040, True, "window for product insights"),
    "insight_min_days": Setting(3, 1, 60, True, "logged days needed with and without a product"),
}


def effective(stored: Mapping[str, object]) -> dict[str, float]:
    """Defaults overlaid with the user's valid stored values (unknown keys are ignored)."""
    values = {key: s.default for key, s in SETTINGS.items()}
    for key, value in stored.items():
        if key in SETTINGS and isinstance(value, (int, float)) and not isinstance(value, bool):
            values[key] = value
    return values


def parse_setting(key: str, text: str) -> tuple[str, float]:
    """Check a ``settings set KEY VALUE`` and return the typed value."""
    name = key.strip().lower().replace("-", "_")
    if name not in SETTINGS:
        raise ValidationError(
            f"unknown setting '{key}'{suggest(name, list(SETTINGS))}; 'skinlog settings' lists them"
        )
    setting = SETTINGS[name]
    shown = text if len(text) <= 40 else text[:39] + "…"
    try:
        if not text.strip().isascii() or "_" in text:
            raise ValueError(text)  # int() and float() also read other scripts' digits and 1_000
        value: float = int(text) if setting.integer else float(text)
    except ValueError:
        kind = "a whole number" if setting.integer else "a number"
        raise ValidationError(f"{name} must be {kind}, not '{shown}'") from None
    if not setting.low <= value <= setting.high:
        low, high = _show(setting.low, setting.integer), _show(setting.high, setting.integer)
        raise ValidationError(f"{name} must be from {low} to {high}, not {shown}")
    return name, value


def _show(value: float, integer: bool) -> str:
    return str(int(value)) if integer else f"{value:g}"
