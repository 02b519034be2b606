"""Reading the journal back: week, flags, insights and plot."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from datetime import date
from typing import TYPE_CHECKING

from skinlog.cli.common import dump_json, emit, fit, journal, width, write
from skinlog.errors import ValidationError

if TYPE_CHECKING:
    from skinlog.domain.entry import Entry
    from skinlog.storage import Journal

# More weeks than lie between 1900 and the year 2100: a window that reaches before every possible
# entry, and far from the date arithmetic's limits.
MAX_WEEKS = 10_000


def _analysis_inputs(args: argparse.Namespace) -> tuple[Journal, list[Entry], dict[str, float], date]:
    from skinlog.domain.dates import today
    from skinlog.domain.settings import effective

    opened = journal(args)
    return opened, opened.entries(), effective(opened.settings()), today()


def _round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# -- week


def cmd_week(args: argparse.Namespace) -> int:
    from skinlog.domain.analysis import (
        change_arrow,
        compare_weeks,
        reference_date,
        summary_lines,
        top_regions,
        trend,
        weekly,
    )
    from skinlog.domain.words import as_of_line

    if not 1 <= args.weeks <= MAX_WEEKS:
        raise ValidationError(f"--weeks must be 1 to {MAX_WEEKS}")
    _, entries, _, today = _analysis_inputs(args)
    weeks = weekly(entries)[-args.weeks :]
    as_of = reference_date(entries, today)
    if args.json:
        comparison = compare_weeks(entries, as_of)
        four = trend(entries, as_of)
        dump_json(
            {
                "today": today.isoformat(),
                "as_of": as_of.isoformat(),
                "as_of_line": as_of_line(as_of, today),
                "weeks": [w.to_public() for w in reversed(weeks)],
                "comparison": comparison.to_public() if comparison else None,
                "four_week_trend": {
                    "before": _round2(four.before),
                    "after": _round2(four.after),
                    "trend": four.word,
                    "days_before": four.days_before,
                    "days_after": four.days_after,
                },
            }
        )
        return 0
    if not entries:
        write("No entries yet, so no weeks to show. Log a day with: skinlog add nose=2")
        return 0
    columns = width()
    lines = [
        "Week by week: mean bumps a day (arrow: change from the week before; ↓ is fewer)",
        f"{'week':<9} {'starts':<7}{'days':>5}{'mean':>6}{'max':>5}  {'change':<7} most bumps (mean a day)",
    ]
    for w in reversed(weeks):
        starts = w.start.strftime("%b %d")
        if not w.days_logged:
            lines.append(f"{w.iso:<9} {starts:<7}{'0/7':>5}{'-':>6}{'-':>5}  {'':<7} nothing logged")
            continue
        lines.append(
            fit(
                f"{w.iso:<9} {starts:<7}{w.days_logged:>3}/7{w.mean_total:>6.1f}{w.max_total:>5}  "
                f"{change_arrow(w.change):<7} {top_regions(w.region_mean) or 'clear'}",
                columns,
            )
        )
    lines.append("")
    lines += [fit(line, columns) for line in summary_lines(entries, today)]
    write("\n".join(lines))
    return 0


def configure_week(week: argparse.ArgumentParser) -> None:
    week.add_argument("--weeks", type=int, default=8, metavar="N", help="how many weeks to show (default 8)")
    week.add_argument("--json", action="store_true")
    week.set_defaults(func=cmd_week)


# -- flags


def cmd_flags(args: argparse.Namespace) -> int:
    from skinlog.domain.analysis import reference_date
    from skinlog.domain.flags import evaluate, highest_level
    from skinlog.domain.words import (
        NOTICE,
        as_of_line,
        evidence_text,
        flag_heading,
        flags_title,
        persistence_sentence,
    )

    opened, entries, settings, today = _analysis_inputs(args)
    flags = evaluate(entries, settings, today, opened.products())
    as_of = reference_date(entries, today)
    top = highest_level(flags)
    if args.json:
        dump_json(
            {
                "today": today.isoformat(),
                "as_of": as_of.isoformat(),
                "as_of_line": as_of_line(as_of, today),
                "flags": [f.to_public() for f in flags],
            }
        )
    else:
        columns = min(width(), 100)
        lines = textwrap.wrap(flags_title(flags, as_of, today), columns)
        for f in flags:
            lines += [""] + textwrap.wrap(flag_heading(f), columns, subsequent_indent="  ")
            lines += textwrap.wrap(f.advice, columns, initial_indent="  ", subsequent_indent="  ")
            lines += textwrap.wrap(
                "Evidence: " + evidence_text(f), columns, initial_indent="  ", subsequent_indent="    "
            )
        lines.append("")
        lines += textwrap.wrap(
            persistence_sentence(
                int(settings["persist_weeks"]), " (change it with: skinlog settings set persist_weeks N)"
            ),
            columns,
        )
        lines += textwrap.wrap(NOTICE, columns)
        write("\n".join(lines))
    if args.strict and top == "see_clinician":
        return 3
    return 0


def configure_flags(flags: argparse.ArgumentParser) -> None:
    flags.add_argument("--json", action="store_true", help="print JSON: the reference date and the flags")
    flags.add_argument("--strict", action="store_true", help="exit 3 when a flag says to see a clinician")
    flags.set_defaults(func=cmd_flags)


# -- insights


def cmd_insights(args: argparse.Namespace) -> int:
    from skinlog.domain.insights import CAVEAT, product_insights

    _, entries, settings, today = _analysis_inputs(args)
    weeks = args.weeks if args.weeks is not None else int(settings["insight_weeks"])
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError(f"--weeks must be 1 to {MAX_WEEKS}")
    minimum = int(settings["insight_min_days"])
    found = product_insights(entries, today, weeks, minimum)
    if args.json:
        dump_json({"weeks": weeks, "min_days": minimum, "insights": [i.to_public() for i in found]})
        return 0
    columns = min(width(), 100)
    if not found:
        write(
            f"Not enough logged days in the last {weeks} weeks to compare products: each needs at least "
            f"{minimum} days with it and {minimum} without."
        )
        return 0
    lines = [
        f"Products over the last {weeks} weeks: bumps a day against the trend of the weeks around",
        "each logged day (+ above it, - below), on days with and without each product",
        f"{'product':<24}{'days with':>10}{'without':>9}{'mean with':>11}{'without':>9}{'diff':>7}",
    ]
    for i in found:
        lines.append(
            f"{i.product[:23]:<24}{i.days_with:>10}{i.days_without:>9}{i.mean_with:>11.1f}"
            f"{i.mean_without:>9.1f}{i.difference:>+7.1f}"
        )
    lines.append("")
    for i in found:
        lines += textwrap.wrap(i.sentence(), columns)
    lines += [""] + textwrap.wrap(CAVEAT, columns)
    lines.append(f"Only products with at least {minimum} logged days with and without them are shown.")
    write("\n".join(lines))
    return 0


def configure_insights(insights: argparse.ArgumentParser) -> None:
    insights.add_argument(
        "--weeks", type=int, metavar="N", help="window in weeks (default: the insight_weeks setting)"
    )
    insights.add_argument("--json", action="store_true")
    insights.set_defaults(func=cmd_insights)


# -- plot


def cmd_plot(args: argparse.Namespace) -> int:
    from skinlog.domain.analysis import chart_end, daily_series, range_start, weekly_series
    from skinlog.domain.regions import resolve_region

    regions = [resolve_region(r) for r in args.region]
    on_terminal = sys.stdout is not None and sys.stdout.isatty()
    size = os.get_terminal_size(sys.stdout.fileno()) if on_terminal else None
    columns = args.width or (size.columns if size else 100)
    rows = args.height or (max(10, size.lines - 4) if size else 24)
    if not 20 <= columns <= 1000 or not 5 <= rows <= 500:
        raise ValidationError("--width must be 20 to 1000 and --height 5 to 500")
    _, entries, _, today = _analysis_inputs(args)
    if not entries:
        write("No entries yet, so nothing to plot. Log a day with: skinlog add nose=2")
        return 0
    end = chart_end(entries, today)
    start = range_start(entries, end, args.range)
    from skinlog import charts

    color = on_terminal and not os.environ.get("NO_COLOR")
    if args.weekly:
        mondays, means = weekly_series(entries, start, end)
        text = charts.weekly_text(mondays, means, columns, rows, color=color)
    else:
        series = daily_series(entries, start, end, regions)
        if not series.dates:
            write(f"Nothing logged between {start.isoformat()} and {end.isoformat()}.")
            return 0
        text = charts.daily_text(series, columns, rows, color=color)
    emit(text)  # the chart's own colour codes; it quotes no user text
    return 0


def configure_plot(plot: argparse.ArgumentParser) -> None:
    plot.add_argument("--range", choices=["4w", "12w", "1y", "all"], default="12w", help="default 12w")
    plot.add_argument(
        "--region", action="append", default=[], metavar="R", help="add a line for a region (repeat)"
    )
    plot.add_argument("--weekly", action="store_true", help="bars of the weekly mean instead of daily lines")
    plot.add_argument("--width", type=int, metavar="W", help="columns (default: the terminal's)")
    plot.add_argument("--height", type=int, metavar="H", help="rows (default: the terminal's)")
    plot.set_defaults(func=cmd_plot)
