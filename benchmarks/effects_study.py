"""An out-of-sample check of the effect estimates (skinlog/domain/effects.py).

The simulation tests (tests/test_effects_simulation.py) hold the estimator to a few fixed cases.
This study draws journals from a different generator and over a grid of settings: day-to-day
correlation, noise, level, missed days, the trend before the start, the true effect, and whole
counts drawn around the mean (Poisson, negative binomial). For each setting it reports how often
the 95% interval covers the true percentage change and how often each verdict is given. A second
part looks at declines that are not straight lines (the sunscreen case: nothing changes at the
start), where a "fell" is a false finding.

Usage: python benchmarks/effects_study.py [--runs N] [--part grid|curves|all]   (seeded; prints
Markdown tables)
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from skinlog.domain.effects import Change, Series, evaluate_change  # noqa: E402
from skinlog.domain.entry import Entry  # noqa: E402

FIRST = date(2024, 3, 1)
START = 120
DAYS = START + 84
"""56 baseline days (and some before), the start, and the retinoid window (weeks 4 to 12)."""
RAMP = 28
"""The true effect builds up over the 4 weeks after the start (the window begins after it)."""


@dataclass(frozen=True)
class Setting:
    phi: float = 0.5
    sd: float = 2.0
    level: float = 15.0
    missed: float = 0.15
    trend: str = "falling"  # none | falling | rising: -/+ 25% of the level over 100 days
    effect: float = -0.4
    counts: str = "rounded"  # rounded (normal noise, rounded, floored at 0) | poisson | negbin

    def label(self) -> str:
        return (
            f"{self.counts} phi={self.phi} sd={self.sd} level={self.level:g} missed={self.missed:.0%} "
            f"trend={self.trend} effect={self.effect:+.0%}"
        )


def _ar1(rng: np.random.Generator, phi: float, sd: float, n: int) -> np.ndarray:
    """Stationary AR(1) noise with marginal standard deviation ``sd``."""
    shocks = rng.normal(0, sd * np.sqrt(1 - phi**2), n)
    out = np.empty(n)
    out[0] = rng.normal(0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + shocks[i]
    return out


def _expected_rounded(mean: np.ndarray, sd: float) -> np.ndarray:
    """E[max(round(m + sd Z), 0)] for Z standard normal, by quadrature (the floor at zero makes
    the expected count differ from ``m`` near zero)."""
    z = np.linspace(-6, 6, 241)
    w = np.exp(-(z**2) / 2)
    w /= w.sum()
    return (np.maximum(np.round(mean[:, None] + sd * z[None, :]), 0) * w).sum(axis=1)


def journal(rng: np.random.Generator, s: Setting) -> tuple[list[Entry], float, float]:
    """A journal and the true change in the window: as a percentage of what the trend would
    give, and in bumps a day."""
    t = np.arange(DAYS) - START
    slope = {"none": 0.0, "falling": -0.0025, "rising": 0.0025}[s.trend] * s.level
    base = s.level + slope * t
    mean = base * (1 + s.effect * np.clip(t / RAMP, 0, 1))
    window = (t >= 28) & (t <= 83)
    if s.counts == "rounded":
        noise = _ar1(rng, s.phi, s.sd, DAYS)
        counts = np.maximum(np.round(mean + noise), 0)
        after, expected = (
            _expected_rounded(mean[window], s.sd).mean(),
            _expected_rounded(base[window], s.sd).mean(),
        )
        truth, bumps = after / expected - 1, after - expected
    else:
        # A correlated multiplicative wobble (log-normal AR(1), sd of the log ~ sd / level) around
        # the mean, then whole counts drawn around it.
        wobble = _ar1(rng, s.phi, s.sd / s.level, DAYS)
        rate = mean * np.exp(wobble - (s.sd / s.level) ** 2 / 2)
        if s.counts == "poisson":
            counts = rng.poisson(rate)
        else:  # negative binomial, variance rate + rate^2 / 5
            counts = rng.poisson(rng.gamma(5.0, rate / 5.0))
        truth, bumps = s.effect, float((mean[window] - base[window]).mean())
    logged = rng.random(DAYS) >= s.missed
    entries = [
        Entry(FIRST + timedelta(days=int(i)), {"nose": int(counts[i])} if counts[i] else {}, ())
        for i in range(DAYS)
        if logged[i]
    ]
    return entries, 100 * float(truth), float(bumps)


def run_setting(s: Setting, runs: int, seed: int) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    change = Change("Adapalene", "started", "retinoid", FIRST + timedelta(days=START))
    covered = covered_bumps = fell = quiet = trend = rose = nopct = 0
    widths = []
    for r in range(runs):
        entries, truth, bumps = journal(rng, s)
        ev = evaluate_change(Series(entries), change, seed=r)
        est = ev.total
        assert est is not None
        covered_bumps += est.low <= bumps <= est.high
        if est.percent_low is None or est.percent_high is None:
            nopct += 1  # no percentage interval (the trend could predict next to nothing)
        else:
            covered += est.percent_low <= truth <= est.percent_high
            widths.append(est.percent_high - est.percent_low)
        fell += ev.verdict == "fell"
        rose += ev.verdict == "rose"
        trend += ev.verdict in ("trend_fell", "trend_rose")
        quiet += ev.verdict == "no_clear_change"
    return {
        "cover": covered / (runs - nopct) if runs > nopct else float("nan"),
        "cover bumps": covered_bumps / runs,
        "fell": fell / runs,
        "no clear": quiet / runs,
        "trend": trend / runs,
        "rose": rose / runs,
        "width": float(np.median(widths)) if widths else float("nan"),
        "no pct": nopct / runs,
    }


def grid() -> list[Setting]:
    """One factor at a time around a base setting, for each way of drawing counts, plus the
    harder corners (high correlation with missed days, low level with counts)."""
    base = Setting()
    out: list[Setting] = []
    for counts in ("rounded", "poisson", "negbin"):
        b = replace(base, counts=counts)
        variants = (
            [replace(b, phi=p) for p in (0.0, 0.3, 0.5, 0.7)]
            + [replace(b, sd=v) for v in (1.0, 4.0)]
            + [replace(b, level=v) for v in (5.0, 40.0)]
            + [replace(b, missed=v) for v in (0.0, 0.35)]
            + [replace(b, trend=v) for v in ("none", "rising")]
            + [replace(b, effect=v) for v in (0.0, -0.2, -0.6)]
            + [replace(b, phi=0.7, missed=0.35), replace(b, level=5.0, phi=0.7, trend="none")]
        )
        for v in variants:
            if v not in out:
                out.append(v)
    return out


def curves(seeds: int) -> list[tuple[str, dict[str, float]]]:
    """Declines with nothing happening at the start: the sunscreen case (20 to 1 over a year,
    started halfway) as a straight line, steeper, as an exponential decay, and as one that
    levels off; each with AR(1) noise (phi 0.5) and 15% missed days. A "fell" is false."""
    days = 365
    t = np.arange(days)
    shapes = {
        "straight 20 -> 1": 20 - 19 * t / (days - 1),
        "straight 30 -> 1": 30 - 29 * t / (days - 1),
        "exponential 20 -> 1": 20 * (1 / 20) ** (t / (days - 1)),
        "exponential 40 -> 2 (faster at first)": 40 * (1 / 20) ** (t / (days - 1)),
        "levels off (20 -> 4 by halfway, then 4 -> 2)": np.where(
            t < days // 2, 20 - 16 * t / (days // 2), 4 - 2 * (t - days // 2) / (days - days // 2)
        ),
        "quadratic, slowing (20 -> 1)": 1 + 19 * (1 - t / (days - 1)) ** 2,
        "quadratic, speeding up (20 -> 1)": 20 - 19 * (t / (days - 1)) ** 2,
    }
    start = days // 2
    change = Change("Sunscreen", "started", "sunscreen", FIRST + timedelta(days=start))
    rows = []
    for name, mean in shapes.items():
        for counts in ("rounded", "poisson"):
            tally = {"fell": 0, "trend_fell": 0, "no_clear_change": 0, "rose": 0, "trend_rose": 0}
            for seed in range(seeds):
                rng = np.random.default_rng([seed, 99])
                noise = _ar1(rng, 0.5, 1.0, days)
                if counts == "rounded":
                    values = np.maximum(np.round(mean + noise), 0)
                else:
                    values = rng.poisson(mean * np.exp(0.1 * noise - 0.005))
                logged = rng.random(days) >= 0.15
                entries = [
                    Entry(FIRST + timedelta(days=int(i)), {"nose": int(values[i])} if values[i] else {}, ())
                    for i in range(days)
                    if logged[i]
                ]
                ev = evaluate_change(Series(entries), change, seed=seed)
                tally[ev.verdict] = tally.get(ev.verdict, 0) + 1
            rows.append((f"{name}, {counts}", {k: v / seeds for k, v in tally.items()}))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--part", choices=("grid", "curves", "all"), default="all")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.part in ("grid", "all"):
        print(f"Coverage of the 95% interval and verdicts, {args.runs} journals a setting\n")
        print(
            "| counts | phi | sd | level | missed | trend before | true effect | covers % (when given) | covers bumps | fell | trend | no clear | rose | no % | median width |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for i, s in enumerate(grid()):
            f = run_setting(s, args.runs, seed=1000 + i)
            print(
                f"| {s.counts} | {s.phi} | {s.sd:g} | {s.level:g} | {s.missed:.0%} | {s.trend} | "
                f"{s.effect:+.0%} | {f['cover']:.1%} | {f['cover bumps']:.1%} | {f['fell']:.0%} | {f['trend']:.0%} | "
                f"{f['no clear']:.0%} | {f['rose']:.0%} | {f['no pct']:.0%} | {f['width']:.0f} pts |",
                flush=True,
            )
    if args.part in ("curves", "all"):
        seeds = max(args.runs // 2, 20)
        print(f"\nDeclines with no change at the start (sunscreen case), {seeds} journals each\n")
        print("| decline | fell (false) | trend fell | no clear | rose (false) | trend rose |")
        print("|---|---|---|---|---|---|")
        for name, f in curves(seeds):
            print(
                f"| {name} | {f['fell']:.0%} | {f['trend_fell']:.0%} | {f['no_clear_change']:.0%} | "
                f"{f['rose']:.0%} | {f['trend_rose']:.0%} |",
                flush=True,
            )
    print(f"\n({time.perf_counter() - began:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
