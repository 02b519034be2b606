"""The effect estimates, validated on simulated journals with a known truth.

Each journal has a pre-existing straight-line trend, AR(1) day-to-day noise (whole-number counts,
never below zero), missed days, and a product used on ~90% of days from its start. The coverage
figures are printed (run with -s or -rA to see them)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest

from skinlog.domain.effects import MIN_DAYS, Series, evaluate_all, evaluate_change, find_changes
from skinlog.domain.entry import Entry
from skinlog.domain.products import Product
from skinlog.storage import Journal

CATALOGUE = [
    Product("Adapalene", "retinoid"),
    Product("Sunscreen", "sunscreen"),
    Product("Eye cream", "eye_cream", True),
]
FIRST = date(2025, 1, 1)
RUNS = 200


def simulate(
    rng: np.random.Generator,
    fall: float,
    *,
    days: int = 200,
    start: int = 100,
    level: float = 15.0,
    slope: float = -0.02,
    phi: float = 0.5,
    sd: float = 1.0,
    missed: float = 0.15,
    product: str = "Adapalene",
) -> list[Entry]:
    """A journal whose expected daily total follows ``level + slope * (day - start)`` and falls by
    ``fall`` (a share) over the 4 weeks after ``start``, staying there."""
    t = np.arange(days)
    trend = np.maximum(level + slope * (t - start), 0)
    mean = trend * (1 - fall * np.clip((t - start) / 28, 0, 1))
    shocks = rng.normal(0, sd, days)
    noise = np.zeros(days)
    noise[0] = shocks[0] / np.sqrt(1 - phi**2)
    for i in range(1, days):
        noise[i] = phi * noise[i - 1] + shocks[i]
    counts = np.maximum(np.round(mean + noise), 0).astype(int)
    logged = rng.random(days) >= missed
    logged[start] = True  # the first day of use is on record
    used = (t >= start) & ((rng.random(days) < 0.9) | (t == start))
    return [
        Entry(
            FIRST + timedelta(days=int(i)),
            {"nose": int(counts[i])} if counts[i] else {},
            (product,) if used[i] else (),
        )
        for i in range(days)
        if logged[i]
    ]


def started(entries: list[Entry], name: str = "Adapalene"):
    (ev,) = [
        e
        for e in evaluate_all(entries, CATALOGUE)
        if e.change.name == name and e.change.direction == "started"
    ]
    return ev


def report(name: str, figures: dict[str, float]) -> None:
    print(f"\n[effects simulation] {name}: " + ", ".join(f"{k} {v:.1%}" for k, v in figures.items()))


@pytest.mark.slow
def test_a_true_forty_percent_fall_after_a_retinoid_is_covered_and_called_a_fall():
    rng = np.random.default_rng(20261123)
    covered = fell = 0
    for _ in range(RUNS):
        ev = started(simulate(rng, 0.4))
        est = ev.total
        assert est is not None and est.percent_low is not None and est.percent_high is not None
        covered += est.percent_low <= -40 <= est.percent_high
        fell += ev.verdict == "fell"
    report("(a) 40% fall", {"interval covers -40%": covered / RUNS, "says it fell": fell / RUNS})
    assert covered / RUNS >= 0.90
    assert fell / RUNS >= 0.80


@pytest.mark.slow
def test_b_no_effect_on_a_decline_that_began_before_is_no_clear_change():
    rng = np.random.default_rng(20261124)
    quiet = covered = 0
    for _ in range(RUNS):
        ev = started(simulate(rng, 0.0, slope=-0.05))
        est = ev.total
        assert est is not None and est.percent_low is not None and est.percent_high is not None
        quiet += ev.verdict in ("no_clear_change", "trend_fell")
        covered += est.percent_low <= 0 <= est.percent_high
    report(
        "(b) no effect, earlier decline",
        {"no clear change or the trend": quiet / RUNS, "interval covers 0": covered / RUNS},
    )
    assert quiet / RUNS >= 0.90


def sunscreen_journal(seed: int) -> list[Entry]:
    """The misleading case: a steady decline from 20 to 1 bump a day over a year, with sunscreen
    used from halfway on."""
    rng = np.random.default_rng(seed)
    days = 365
    return simulate(
        rng, 0.0, days=days, start=days // 2, level=10.5, slope=-19 / (days - 1), product="Sunscreen"
    )


def test_c_sunscreen_on_a_steady_decline_is_never_called_helping():
    verdicts = []
    for seed in range(40):
        ev = started(sunscreen_journal(seed), "Sunscreen")
        assert ev.total is not None and ev.total.after < ev.total.before  # the raw means did fall
        verdicts.append(ev.verdict)
    report("(c) sunscreen on a decline", {"called a fall": verdicts.count("fell") / len(verdicts)})
    assert "fell" not in verdicts
    assert verdicts.count("trend_fell") >= 30


def test_c_sunscreen_through_a_real_journal_file_and_the_command(tmp_path, cli):
    path = tmp_path / "sunscreen.json"
    entries = sunscreen_journal(7)
    Journal(path).replace_all(entries, CATALOGUE, {})
    result = cli("effect", "sunscr", "--json", db=path)
    assert result.code == 0, result.err
    (ev,) = json.loads(result.out)["evaluations"]
    assert ev["name"] == "Sunscreen" and ev["verdict"] == "trend_fell"
    assert "no more than the trend before you started would predict" in ev["summary"]
    insights = json.loads(cli("insights", "--weeks", "60", "--json", db=path).out)["insights"]
    (sunscreen,) = [i for i in insights if i["product"] == "Sunscreen"]
    assert abs(sunscreen["difference"]) < 1  # same-day means alone differ by about 9.5
    text = " ".join(cli("insights", "--weeks", "60", db=path).out.split())
    assert "Days with Sunscreen had 0." in text and "averaged" not in text


def test_d_too_few_days_says_so_with_the_numbers():
    rng = np.random.default_rng(5)
    entries = simulate(rng, 0.4, days=140, start=100, missed=0.0)[: 100 + 28 + 9]  # 9 days in the window
    ev = started(entries)
    assert ev.verdict == "not_enough_data" and ev.total is None
    assert ev.days_after == 9 and ev.days_before >= MIN_DAYS
    from skinlog.domain.words import effect_line

    assert effect_line(ev).endswith("not enough data: needs at least 14 logged days in each window (has 9)")


def test_the_start_is_the_first_day_of_sustained_use_not_an_odd_try():
    entries = simulate(np.random.default_rng(3), 0.0, missed=0.0)
    tried = entries[20]._replace(products=("Adapalene",))  # once, weeks before
    entries[20] = tried
    (change,) = [c for c in find_changes(Series(entries), CATALOGUE) if c.name == "Adapalene"]
    assert change.day == FIRST + timedelta(days=100) and change.direction == "started"


def test_a_heavy_cream_stopped_is_a_stop_with_the_short_lag():
    entries = simulate(np.random.default_rng(4), 0.0, missed=0.0)
    entries = [
        e._replace(products=("Eye cream",) if e.date < FIRST + timedelta(days=90) else ()) for e in entries
    ]
    series = Series(entries)
    (change,) = find_changes(series, CATALOGUE)
    assert (change.name, change.direction, change.day) == ("Eye cream", "stopped", FIRST + timedelta(days=90))
    ev = evaluate_change(series, change)
    assert ev.lag is not None and (ev.lag.first, ev.lag.last) == (2, 8)
    assert ev.window[0] == change.day + timedelta(days=14)


def test_the_same_journal_gives_the_same_numbers():
    entries = simulate(np.random.default_rng(9), 0.4)
    assert started(entries).total == started(entries).total


def _line_and_noise(phi: float, level: float, slope: float) -> tuple[np.ndarray, ...]:
    from skinlog.domain.effects import estimate

    t_before, t_after = np.arange(-56.0, 0.0), np.arange(28.0, 84.0)
    noise = np.random.default_rng(1).normal(0, 1, 140)
    y_before = level + slope * t_before + noise[:56]
    y_after = level + slope * t_after + noise[56:112]
    est = estimate(t_before, y_before, t_after, y_after, np.random.default_rng(2), phi=phi)
    return est.low, est.high, est.percent_low, est.percent_high


def test_the_interval_widens_with_the_day_to_day_correlation():
    widths = [high - low for low, high, *_ in (_line_and_noise(phi, 15.0, 0.0) for phi in (0.0, 0.5, 0.8))]
    assert widths[0] < widths[1] < widths[2]
    assert widths[2] > 2.5 * widths[0]  # AR(1): the trend carried forward is far less sure


def test_no_percentage_interval_when_the_trend_may_predict_next_to_nothing():
    *_, low, high = _line_and_noise(0.5, 15.0, 0.0)
    assert low is not None and high is not None and low < 0 < high
    # A decline heading for zero in the window: the prediction's own interval reaches zero, where
    # a percentage has no bound.
    *_, low, high = _line_and_noise(0.7, 3.0, -0.04)
    assert low is None and high is None
