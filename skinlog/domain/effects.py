"""Is it working? Before/after evaluations of treatments and procedures, adjusted for the trend.

A treatment's change day is found from the journal (or set by the person); the mean daily total
in a response window after a lag that suits the product's category is compared with what the
straight-line trend of the weeks before the change predicts for that window (an interrupted time
series), with a 95% interval that allows for the day-to-day correlation (AR(1), estimated from
the whole journal) in both the window's mean and the trend carried forward: a parametric bootstrap
from the exact variances under that correlation, with Student's t for the estimated noise. Checked
out of sample by benchmarks/effects_study.py. Imports numpy: only the commands that evaluate
import this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from skinlog.domain.entry import Entry
from skinlog.domain.products import Product, default_heavy

Floats = npt.NDArray[np.float64]

SUSTAINED_DAYS = 28
SUSTAINED_SHARE = 0.6
"""A start: the first day of use after which the product is used on >= 60% of logged days over 4 weeks."""
STOPPED_SHARE = 0.2
"""A stop: the first day without it after which it is used on at most 20% of logged days over 4 weeks."""
SUSTAINED_MIN_LOGGED = 7
BASELINE_DAYS = 56
MIN_DAYS = 14
"""Logged days each window needs for an estimate."""
REPS = 1000
MAX_EVALUATED = 100
"""The most recent changes evaluated; a journal with more (a procedure logged every day for
years) would otherwise take minutes to export. Older ones still count as other changes nearby."""
SEED = 13
CONFOUND_BEFORE = 28
"""Another change this many days before the start, or later up to the window's end, is named."""
MISSED_SHARE = 0.2
"""Missed days are named when at least this share of the windows' days was not logged."""
TREND_SHARE = 0.1
"""A raw before/after change this big that the trend explains is said as such."""
MIN_EXPECTED = 0.5
"""Below this many bumps a day expected, a percentage means little: none is given."""


@dataclass(frozen=True)
class Lag:
    """When a change is expected to show: the response window runs from week ``first`` to week
    ``last`` after the change day. ``kind`` names the row (for the words and the JSON)."""

    kind: str
    first: int
    last: int


# One row per kind of change. Retinoids and acids act on turnover slowly; taking a heavy cream
# away (or swapping to a light eye cream) should show sooner.
LAGS: dict[str, Lag] = {
    lag.kind: lag
    for lag in (
        Lag("retinoid_or_acid", 4, 12),
        Lag("heavy_stopped", 2, 8),
        Lag("light_eye_cream", 2, 8),
        Lag("other", 4, 12),
    )
}
PROCEDURE_WEEKS = 4
"""A procedure: the 4 weeks after against the 4 weeks before, in the regions it was done on."""


def lag_for(category: str, heavy: bool, direction: str) -> Lag:
    """The response window for a product of ``category`` that was started or stopped."""
    if category in ("retinoid", "aha", "bha") and direction == "started":
        return LAGS["retinoid_or_acid"]
    if heavy and direction == "stopped":
        return LAGS["heavy_stopped"]
    if category == "eye_cream" and not heavy and direction == "started":
        return LAGS["light_eye_cream"]
    return LAGS["other"]


@dataclass(frozen=True)
class Change:
    """A dated change to evaluate: a product ``started`` or ``stopped``, or a ``procedure``."""

    name: str
    direction: str  # started | stopped | procedure
    category: str
    day: date
    heavy: bool = False
    user_set: bool = False

    @property
    def is_procedure(self) -> bool:
        return self.direction == "procedure"


@dataclass(frozen=True)
class Estimate:
    """Mean bumps a day before and after, what the trend before predicts for the window after,
    the change against that prediction with its 95% interval, and the same as a percentage of the
    prediction (None when too few bumps were expected for a percentage to mean anything)."""

    before: float
    after: float
    expected: float
    change: float
    low: float
    high: float
    percent: float | None
    percent_low: float | None
    percent_high: float | None
    slope: float
    """The trend before the change, in bumps a day per week."""

    def to_public(self) -> dict[str, object]:
        def r(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {
            "mean_before": r(self.before),
            "mean_after": r(self.after),
            "expected_after": r(self.expected),
            "change": r(self.change),
            "interval": [r(self.low), r(self.high)],
            "percent": r(self.percent),
            "percent_interval": [r(self.percent_low), r(self.percent_high)],
            "trend_before_per_week": r(self.slope),
        }


@dataclass(frozen=True)
class Evaluation:
    """One change, evaluated. ``verdict`` is a code (``VERDICTS``); the words are in ``words``."""

    change: Change
    lag: Lag | None
    baseline: tuple[date, date]
    window: tuple[date, date]
    days_before: int
    days_after: int
    verdict: str
    total: Estimate | None
    regions: tuple[str, ...]
    in_regions: Estimate | None
    others: tuple[Change, ...]
    """Other products started or stopped, and procedures, in the same weeks."""
    events: tuple[tuple[date, str], ...]
    missed: int
    span: int
    came_back: tuple[float, float] | None = None
    """A procedure: mean bumps a day in its regions in the first and the last week after it,
    when they rose again."""

    @property
    def missed_share(self) -> float:
        return self.missed / self.span if self.span else 0.0

    def to_public(self) -> dict[str, object]:
        from skinlog.domain.words import effect_line

        return {
            "name": self.change.name,
            "change": self.change.direction,
            "category": self.change.category,
            "day": self.change.day.isoformat(),
            "start_set_by_you": self.change.user_set,
            "lag_weeks": [self.lag.first, self.lag.last] if self.lag else None,
            "baseline": [d.isoformat() for d in self.baseline],
            "window": [d.isoformat() for d in self.window],
            "days_before": self.days_before,
            "days_after": self.days_after,
            "verdict": self.verdict,
            "summary": effect_line(self),
            "total": self.total.to_public() if self.total else None,
            "regions": list(self.regions),
            "in_regions": self.in_regions.to_public() if self.in_regions else None,
            "other_changes": [
                {"name": o.name, "change": o.direction, "day": o.day.isoformat()} for o in self.others
            ],
            "events": [{"day": d.isoformat(), "event": e} for d, e in self.events],
            "missed_days": self.missed,
            "window_days": self.span,
            "came_back": list(self.came_back) if self.came_back else None,
        }


VERDICTS = ("fell", "rose", "trend_fell", "trend_rose", "no_clear_change", "not_enough_data")


# -- the journal as arrays


class Series:
    """The journal as one row per calendar day from the first entry to the last: logged or not,
    the daily total, and per product whether it was used (NaN total on a day not logged)."""

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: e.date)
        self.first = self.entries[0].date if self.entries else date.min
        n = (self.entries[-1].date - self.first).days + 1 if self.entries else 0
        self.index = np.array([(e.date - self.first).days for e in self.entries], dtype=np.int64)
        self.logged = np.zeros(n, dtype=bool)
        self.logged[self.index] = True
        self.total = np.full(n, np.nan)
        self.total[self.index] = [e.total for e in self.entries]
        self.phi = day_to_day(self.total)
        self._use: dict[str, npt.NDArray[np.bool_]] = {}
        self._names: dict[str, str] = {}
        for i, entry in zip(self.index, self.entries):
            for name in entry.products:
                key = name.casefold()
                if key not in self._use:
                    self._use[key] = np.zeros(n, dtype=bool)
                    self._names[key] = name
                self._use[key][i] = True

    def __len__(self) -> int:
        return len(self.logged)

    def day(self, i: int) -> date:
        return self.first + timedelta(days=int(i))

    def at(self, day: date) -> int:
        return (day - self.first).days

    def used(self, name: str) -> npt.NDArray[np.bool_] | None:
        return self._use.get(name.casefold())

    def names(self) -> list[str]:
        return list(self._names.values())

    def regions_total(self, regions: Iterable[str]) -> Floats:
        wanted = tuple(regions)
        values = np.full(len(self), np.nan)
        values[self.index] = [sum(e.counts.get(r, 0) for r in wanted) for e in self.entries]
        return values


def _window_sums(values: npt.NDArray[np.bool_], width: int) -> npt.NDArray[np.int64]:
    """For each day i, how many of days i .. i+width-1 are true (shorter at the end)."""
    padded = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    ends = np.minimum(np.arange(len(values)) + width, len(values))
    return padded[ends] - padded[: len(values)]


def sustained_start(series: Series, used: npt.NDArray[np.bool_]) -> int | None:
    """The first day of sustained use (None if there is none, or if it was already in use on the
    journal's first day, which is no start)."""
    logged = _window_sums(series.logged, SUSTAINED_DAYS)
    use = _window_sums(used, SUSTAINED_DAYS)
    ok = used & (logged >= SUSTAINED_MIN_LOGGED) & (use >= SUSTAINED_SHARE * logged)
    found = np.flatnonzero(ok)
    if not len(found) or found[0] == 0:
        return None
    return int(found[0])


def sustained_stop(series: Series, used: npt.NDArray[np.bool_]) -> int | None:
    """The first logged day without the product after a sustained spell of it, from which it is
    used on at most a fifth of the logged days over 4 weeks."""
    logged = _window_sums(series.logged, SUSTAINED_DAYS)
    use = _window_sums(used, SUSTAINED_DAYS)
    spell = used & (logged >= SUSTAINED_MIN_LOGGED) & (use >= SUSTAINED_SHARE * logged)
    begun = np.flatnonzero(spell)
    if not len(begun):
        return None
    after = np.arange(len(used)) > begun[0]
    ok = after & series.logged & ~used & (logged >= SUSTAINED_MIN_LOGGED) & (use <= STOPPED_SHARE * logged)
    found = np.flatnonzero(ok)
    return int(found[0]) if len(found) else None


def find_changes(series: Series, catalogue: Sequence[Product]) -> list[Change]:
    """Every change the journal shows: each product's sustained start (for a heavy product, its
    stop), and each procedure, by day."""
    by_name = {p.name.casefold(): p for p in catalogue}
    found: list[Change] = []
    for name in series.names():
        used = series.used(name)
        assert used is not None
        product = by_name.get(name.casefold())
        category = product.category if product else "other"
        heavy = product.heavy if product else default_heavy(category)
        start = sustained_start(series, used)
        if start is not None:
            found.append(Change(name, "started", category, series.day(start), heavy))
        if heavy:
            stop = sustained_stop(series, used)
            if stop is not None:
                found.append(Change(name, "stopped", category, series.day(stop), heavy))
    for entry in series.entries:
        if entry.procedure != "none":
            found.append(Change(entry.procedure, "procedure", entry.procedure, entry.date))
    return sorted(found, key=lambda c: (c.day, c.name.casefold()))


def user_change(series: Series, product: Product, day: date) -> Change:
    """A change on the day the person gives: a stop when the product was used more in the 4 weeks
    before that day than in the 4 weeks from it, else a start."""
    used = series.used(product.name)
    direction = "started"
    if used is not None and len(series):
        i = series.at(day)
        lo, hi = max(0, i - SUSTAINED_DAYS), min(len(series), max(0, i + SUSTAINED_DAYS))
        before = float(used[lo : max(lo, i)].mean()) if i > lo else 0.0
        after = float(used[max(0, i) : hi].mean()) if hi > max(0, i) else 0.0
        if before > after:
            direction = "stopped"
    return Change(product.name, direction, product.category, day, product.heavy, user_set=True)


# -- the estimate


def day_to_day(values: Floats) -> float:
    """The lag-one correlation of a journal's day-to-day noise, from the whole journal: read off
    the changes between consecutive logged days (which slow trends and the odd step barely touch,
    unlike the residuals of a few weeks). For AR(1) noise with correlation ``phi`` consecutive
    changes correlate at -(1 - phi) / 2."""
    diff = np.diff(values)
    pairs = ~np.isnan(diff[1:]) & ~np.isnan(diff[:-1])
    if pairs.sum() < 10:
        return 0.5
    a, b = diff[1:][pairs], diff[:-1][pairs]
    a, b = a - a.mean(), b - b.mean()
    scale = float(np.sqrt((a @ a) * (b @ b)))
    rho = float(a @ b) / scale if scale else -0.5
    return min(max(1 + 2 * rho, 0.0), 0.9)


def _correlation(t: Floats, phi: float) -> Floats:
    """AR(1) correlation between the logged days ``t`` (calendar days, so missed days count)."""
    return np.asarray(phi ** np.abs(t[:, None] - t[None, :]), dtype=np.float64)


def _noise(design: Floats, y: Floats, corr: Floats) -> tuple[float, float]:
    """The variance of the day-to-day noise around the straight line fitted to ``y``, and the
    degrees of freedom of that estimate. With AR(1) noise the residuals' expected sum of squares
    is variance * trace((I - H) R) (H the fit's hat matrix, R the correlation), so dividing by
    that trace is unbiased; Satterthwaite's trace(M)^2 / trace(M^2) gives the freedom."""
    residual_maker = np.eye(len(y)) - design @ np.linalg.pinv(design)
    resid = residual_maker @ y
    m = residual_maker @ corr
    trace = float(np.trace(m))
    if trace <= 1e-9:
        return 0.0, 1.0
    return float(resid @ resid) / trace, max(1.0, trace**2 / float(np.trace(m @ m)))


def _spread(variance: float, freedom: float, reps: int, width: int, rng: np.random.Generator) -> Floats:
    """``reps`` rows of ``width`` standard normals times a noise spread estimated with
    ``freedom`` degrees of freedom (one draw of that estimate a row): Student's t, scaled."""
    scale = np.sqrt(variance * freedom / rng.chisquare(freedom, reps))
    return np.asarray(rng.standard_normal((reps, width)) * scale[:, None])


def estimate(
    t_before: Floats,
    y_before: Floats,
    t_after: Floats,
    y_after: Floats,
    rng: np.random.Generator,
    reps: int = REPS,
    phi: float = 0.5,
) -> Estimate:
    """The change in the mean of ``y_after`` against the straight-line trend of ``y_before``
    (days ``t`` from the change) carried forward, never below zero.

    The interval accounts for both the noise in the window after and the uncertainty of the trend
    carried forward, with day-to-day correlation ``phi`` (AR(1), estimated from the whole
    journal): each window's noise variance comes from its residuals, the exact variance of the
    fitted line and of the window's mean follow from the correlation between the logged days, and
    ``reps`` draws from the resulting Student's t distributions give the 2.5% and 97.5% points
    (a parametric bootstrap, which also handles the floor at zero and the percentage)."""
    design = np.column_stack((np.ones_like(t_before), t_before))
    solve = np.linalg.pinv(design)
    coef = solve @ y_before
    corr_before = _correlation(t_before, phi)
    var_before, df_before = _noise(design, y_before, corr_before)
    coef_cov = solve @ corr_before @ solve.T
    after_design = np.column_stack((np.ones_like(t_after), t_after))
    corr_after = _correlation(t_after, phi)
    var_after, df_after = _noise(after_design, y_after, corr_after)
    mean_var = float(corr_after.mean())

    expected = float(np.clip(coef[0] + coef[1] * t_after, 0, None).mean())
    after = float(y_after.mean())
    change = after - expected

    root = np.linalg.cholesky(coef_cov + 1e-12 * np.eye(2))
    boot_coef = coef + _spread(var_before, df_before, reps, 2, rng) @ root.T
    boot_expected = np.clip(boot_coef[:, :1] + boot_coef[:, 1:] * t_after, 0, None).mean(axis=1)
    boot_after = after + _spread(var_after * mean_var, df_after, reps, 1, rng)[:, 0]
    boot_change = boot_after - boot_expected
    low, high = (float(v) for v in np.percentile(boot_change, [2.5, 97.5]))
    percent = percent_low = percent_high = None
    if expected >= MIN_EXPECTED:
        percent = 100 * change / expected
        if np.percentile(boot_expected, 2.5) >= MIN_EXPECTED:
            # Only when the prediction is clearly above zero is a percentage interval bounded.
            with np.errstate(divide="ignore", invalid="ignore"):  # a draw at zero: left to the tails
                ratio = 100 * boot_change / boot_expected
            percent_low, percent_high = (float(v) for v in np.percentile(ratio, [2.5, 97.5]))
    return Estimate(
        before=float(y_before.mean()),
        after=after,
        expected=expected,
        change=change,
        low=low,
        high=high,
        percent=percent,
        percent_low=percent_low,
        percent_high=percent_high,
        slope=float(coef[1]) * 7,
    )


def verdict_of(est: Estimate) -> str:
    """fell / rose (the interval is on one side of what the trend predicts), trend_fell /
    trend_rose (the raw means moved, but no more than the trend predicts), or no_clear_change."""
    if est.high < 0:
        return "fell"
    if est.low > 0:
        return "rose"
    if est.before > 0 and abs(est.after - est.before) >= TREND_SHARE * est.before and est.after >= 0:
        return "trend_fell" if est.after < est.before else "trend_rose"
    return "no_clear_change"


def _windows(change: Change) -> tuple[Lag | None, int, int, int, int]:
    """Offsets from the change day: baseline (first, last) and response window (first, last)."""
    if change.is_procedure:
        days = 7 * PROCEDURE_WEEKS
        return None, -days, -1, 1, days
    lag = lag_for(change.category, change.heavy, change.direction)
    return lag, -BASELINE_DAYS, -1, 7 * lag.first, 7 * lag.last - 1


def _rows(series: Series, values: Floats, lo: int, hi: int) -> tuple[Floats, Floats]:
    """Day offsets (from index ``lo``'s frame) and values of the logged days in [lo, hi]."""
    lo_c, hi_c = max(lo, 0), min(hi, len(series) - 1)
    if hi_c < lo_c:
        return np.empty(0), np.empty(0)
    part = values[lo_c : hi_c + 1]
    keep = ~np.isnan(part)
    return np.arange(lo_c, hi_c + 1, dtype=np.float64)[keep], part[keep]


def _regions_at(series: Series, day: int, days: int) -> tuple[str, ...]:
    """Regions with bumps on a logged day in the ``days`` days up to ``day`` (face order)."""
    from skinlog.domain.regions import REGION_IDS

    seen: set[str] = set()
    for i, entry in zip(series.index, series.entries):
        if day - days < i <= day:
            seen.update(r for r, n in entry.counts.items() if n)
    return tuple(r for r in REGION_IDS if r in seen)


def evaluate_change(
    series: Series, change: Change, changes: Sequence[Change] = (), seed: int = SEED, reps: int = REPS
) -> Evaluation:
    """Evaluate one change (``changes``: every change found, to name the others in its weeks)."""
    lag, b_lo, b_hi, r_lo, r_hi = _windows(change)
    at = series.at(change.day) if len(series) else 0
    baseline = (change.day + timedelta(days=b_lo), change.day + timedelta(days=b_hi))
    window = (change.day + timedelta(days=r_lo), change.day + timedelta(days=r_hi))
    if change.is_procedure:
        regions = _regions_at(series, at, 7)
    else:
        regions = _regions_at(series, at - 1, MIN_DAYS)
    main = series.regions_total(regions) if change.is_procedure and regions else series.total
    t_before, y_before = _rows(series, main, at + b_lo, at + b_hi)
    t_after, y_after = _rows(series, main, at + r_lo, at + r_hi)
    if len(series) and baseline[0] < series.first:
        baseline = (series.first, baseline[1])  # up to 8 weeks: the journal may begin later
    span_lo = max(at + b_lo, 0)
    span_hi = min(at + r_hi, len(series) - 1)
    span = max(0, span_hi - span_lo + 1)
    missed = int(span - series.logged[span_lo : span_hi + 1].sum()) if span else 0
    others = tuple(
        c
        for c in changes
        if c != change
        and change.day - timedelta(days=CONFOUND_BEFORE) <= c.day <= window[1]
        and not (c.name.casefold() == change.name.casefold() and c.direction == change.direction)
    )
    events = tuple(
        (e.date, ev) for e in series.entries if baseline[0] <= e.date <= window[1] for ev in e.events
    )
    enough = len(t_before) >= MIN_DAYS and len(t_after) >= MIN_DAYS
    total = in_regions = None
    came_back = None
    verdict = "not_enough_data"
    if enough:
        rng = np.random.default_rng([seed, change.day.toordinal()])
        total = estimate(t_before - at, y_before, t_after - at, y_after, rng, reps, series.phi)
        verdict = verdict_of(total)
        if regions and not change.is_procedure:
            values = series.regions_total(regions)
            tb, yb = _rows(series, values, at + b_lo, at + b_hi)
            ta, ya = _rows(series, values, at + r_lo, at + r_hi)
            in_regions = estimate(tb - at, yb, ta - at, ya, rng, reps, series.phi)
        if change.is_procedure:
            first = y_after[t_after - at <= 7]
            last = y_after[t_after - at > r_hi - 7]
            if len(first) and len(last) and last.mean() >= first.mean() + 1:
                came_back = (round(float(first.mean()), 1), round(float(last.mean()), 1))
    return Evaluation(
        change=change,
        lag=lag,
        baseline=baseline,
        window=window,
        days_before=len(t_before),
        days_after=len(t_after),
        verdict=verdict,
        total=total,
        regions=regions,
        in_regions=in_regions,
        others=others,
        events=events,
        missed=missed,
        span=span,
        came_back=came_back,
    )


def evaluate_all(
    entries: Sequence[Entry],
    catalogue: Sequence[Product],
    starts: Mapping[str, date] | None = None,
    seed: int = SEED,
    reps: int = REPS,
) -> list[Evaluation]:
    """Every change in the journal (the ``MAX_EVALUATED`` most recent), evaluated; ``starts`` are
    days the person set (by product name), which replace what the journal shows for those
    products."""
    series = Series(entries)
    changes = find_changes(series, catalogue)
    if starts:
        by_name = {p.name.casefold(): p for p in catalogue}
        for name, day in starts.items():
            product = by_name.get(name.casefold()) or Product(name, "other")
            changes = [c for c in changes if c.name.casefold() != name.casefold()]
            changes.append(user_change(series, product, day))
        changes.sort(key=lambda c: (c.day, c.name.casefold()))
    return [evaluate_change(series, c, changes, seed, reps) for c in changes[-MAX_EVALUATED:]]
