"""The command line: ``main(argv) -> exit code``. Draws nothing, so imports no Textual/plotext."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from skinlog import __version__
from skinlog.domain.text import inert
from skinlog.errors import SkinlogError, UsageError, ValidationError, os_reason

PROG = "skinlog"
# More weeks than lie between 1900 and the year 2100: a window that reaches before every possible
# entry, and far from the date arithmetic's limits.
MAX_WEEKS = 10_000


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file is None or file is sys.stdout):  # --help, --version
            _emit(message)  # a failed write becomes one line instead of being dropped
        else:
            super()._print_message(message, file)


def _journal(args: argparse.Namespace) -> Any:
    from skinlog.storage import Journal

    journal = Journal(args.db_path)
    journal.on_wait = _say_waiting
    return journal


def _say_waiting(pid: int | None) -> None:
    who = f" (pid {pid})" if pid else ""
    print(
        f"skinlog: waiting for another skinlog{who} to finish writing the journal...",
        file=sys.stderr,
        flush=True,
    )


class OutputError(SkinlogError):
    """Standard output could not take what a command printed (a full disk, a closed stream)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"cannot write the output: {reason}")
        self.reason = reason


class UnconfirmedError(SkinlogError):
    """A change was saved, but its confirmation could not be printed (exit 4)."""

    exit_code = 4


def _emit(text: str) -> None:
    """Write and flush ``text`` to stdout; a failure becomes one line (a broken pipe stays quiet)."""
    out = sys.stdout
    try:
        if out is None:
            raise OSError(9, "standard output is closed")
        text = text if text.endswith("\n") else text + "\n"
        try:
            out.write(text)
        except UnicodeEncodeError:  # a terminal that cannot show some letters: escape just those
            out.flush()
            out.buffer.write(text.encode(out.encoding or "utf-8", "backslashreplace"))
        out.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(os_reason(exc)) from None


def _write(text: str) -> None:
    """Print lines that may quote user or file text: control characters come out inert."""
    _emit(inert(text, keep_newlines=True))


def _saved(text: str) -> None:
    """Confirm a change that is already saved: if that cannot be printed, say it was saved."""
    try:
        _write(text)
    except OutputError as exc:
        raise UnconfirmedError(
            f"the change was saved, but its confirmation could not be printed: {exc.reason}"
        ) from None


# C1 controls and bidirectional formatting characters: valid inside JSON strings, but a terminal
# may act on them. Written as \u escapes the JSON means exactly the same.
_JSON_UNSAFE = "[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def _safe_json(text: str) -> str:
    if text.isascii():
        return text
    import re

    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)


def _dump_json(value: Any) -> None:
    import orjson

    _emit(_safe_json(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()))


def _width() -> int:
    try:
        return max(40, os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError, AttributeError):  # not a terminal, or no stdout at all
        columns = os.environ.get("COLUMNS", "").strip()
        return max(40, min(int(columns), 1000)) if columns.isdigit() and columns.isascii() else 80


def _fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _parse_day(text: str) -> date:
    from skinlog.domain.dates import parse_date

    return parse_date(text)


# -- add


def _parse_counts(items: list[str]) -> dict[str, int]:
    from skinlog.domain.entry import check_count
    from skinlog.domain.regions import BY_ID, resolve_region

    counts: dict[str, int] = {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"'{item}' is not REGION=COUNT (for example nose=2 or left-cheek=3)")
        name, _, value = item.partition("=")
        region_id = resolve_region(name)
        if region_id in counts:
            raise ValidationError(f"{BY_ID[region_id].label} is given more than once")
        counts[region_id] = check_count(region_id, value)
    return counts


def cmd_add(args: argparse.Namespace) -> int:
    from skinlog.domain.entry import make_entry
    from skinlog.domain.products import Product, check_category, clean_name, default_heavy

    day = _parse_day(args.date)
    counts = _parse_counts(args.counts)
    if not counts and args.mode != "merge":
        raise UsageError("give at least one REGION=COUNT (a clear day is, for example, nose=0)")
    names = [clean_name(p) for p in args.products]
    symptoms = {k: getattr(args, k) for k in ("redness", "itch", "pain") if getattr(args, k) is not None}
    entry = make_entry(
        day,
        counts,
        names,
        symptoms=symptoms,
        picked=args.picked,
        procedure=args.procedure or "none",
        note=args.note or "",
        events=args.events,
    )
    given = set(counts) | set(symptoms) | ({"procedure"} if args.procedure else set())
    category = check_category(args.new_product) if args.new_product else None
    journal = _journal(args)
    with journal.transaction():
        if category:
            from skinlog.domain.products import find_product

            catalogue = journal.products()
            for name in names:
                if find_product(catalogue, name) is None:
                    journal.add_product(Product(name, category, default_heavy(category)))
        outcome = journal.save_entry(entry, mode=args.mode, given=given)
        saved = journal.entry(day)
    from skinlog.domain.words import region_summary

    _saved(f"{outcome.capitalize()} {day.isoformat()}: total {saved.total} ({region_summary(saved.counts)})")
    return 0


# -- list / show / delete


def _entry_line(entry: Any, width: int) -> str:
    from skinlog.domain.words import region_summary

    extras = []
    if entry.picked:
        extras.append("picked")
    if entry.procedure != "none":
        extras.append(entry.procedure.replace("_", " "))
    extras += [event.replace("_", " ") for event in entry.events]
    if entry.note:
        extras.append("note")
    products = ", ".join(entry.products) or "-"
    tail = products + ("  [" + ", ".join(extras) + "]" if extras else "")
    column = _regions_width(width)
    regions = _fit(region_summary(entry.counts), column)
    return _fit(f"{entry.date.isoformat()}  {entry.total:>5}  {regions:<{column}}  {tail}", width)


def _regions_width(width: int) -> int:
    """Regions get a bit more than half of what is left after the date and total."""
    return max(18, (width - 19) * 3 // 5)


def cmd_list(args: argparse.Namespace) -> int:
    since = _parse_day(args.since) if args.since else None
    until = _parse_day(args.until) if args.until else None
    if since and until and since > until:
        raise ValidationError(
            f"--since {since.isoformat()} is after --until {until.isoformat()}: the period runs backwards"
        )
    if args.last is not None and args.last < 1:
        raise ValidationError("--last must be 1 or more")
    entries = _journal(args).entries(since=since, until=until, last=args.last)
    if args.json:
        _dump_json([e.to_public() for e in reversed(entries)])
        return 0
    if not entries:
        _write("No entries yet. Log a day with, for example: skinlog add nose=2 under-eye-l=3")
        return 0
    width = _width()
    lines = [_fit(f"{'date':<10}  {'total':>5}  {'regions':<{_regions_width(width)}}  products", width)]
    lines += [_entry_line(e, width) for e in reversed(entries)]
    _write("\n".join(lines))
    return 0


def _require_entry(journal: Any, day: date) -> Any:
    from skinlog.errors import NotFoundError

    entry = journal.entry(day)
    if entry is None:
        raise NotFoundError(f"there is no entry on {day.isoformat()}")
    return entry


def cmd_show(args: argparse.Namespace) -> int:
    from skinlog.domain.regions import BY_ID, REGION_IDS

    entry = _require_entry(_journal(args), _parse_day(args.date))
    if args.json:
        _dump_json(entry.to_public())
        return 0
    lines = [f"{entry.date.isoformat()} ({entry.date.strftime('%A')})  total {entry.total}"]
    for region_id in REGION_IDS:
        if entry.count(region_id):
            lines.append(f"  {BY_ID[region_id].label:<24}{entry.count(region_id):>4}")
    if not entry.counts:
        lines.append("  no bumps logged")
    s = entry.symptoms
    lines.append(f"Products:  {', '.join(entry.products) or 'none'}")
    lines.append(f"Symptoms:  redness {s.redness}, itch {s.itch}, pain {s.pain} (0-3)")
    lines.append(f"Picked:    {'yes' if entry.picked else 'no'}")
    lines.append(f"Procedure: {entry.procedure.replace('_', ' ')}")
    lines.append(f"Events:    {', '.join(e.replace('_', ' ') for e in entry.events) or 'none'}")
    if entry.note:
        lines.append("Note:      " + entry.note.replace("\n", "\n           "))
    _write("\n".join(lines))
    return 0


def _confirm(question: str, yes: bool) -> bool:

    if yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError("not asking without a terminal: add --yes to confirm")
    try:
        answer = input(f"{inert(question, keep_newlines=True)} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def cmd_delete(args: argparse.Namespace) -> int:
    day = _parse_day(args.date)
    journal = _journal(args)
    entry = _require_entry(journal, day)
    if not _confirm(f"Delete the entry for {day.isoformat()} (total {entry.total})?", args.yes):
        _write("Nothing deleted.")
        return 1
    journal.delete_entry(day)
    _saved(f"Deleted {day.isoformat()}.")
    return 0


# -- products and regions


def cmd_products(args: argparse.Namespace) -> int:
    from skinlog.domain.products import Product, check_category, clean_name, default_heavy
    from skinlog.domain.words import label

    journal = _journal(args)
    action = args.action or "list"
    if action == "add":
        category = check_category(args.category)
        heavy = default_heavy(category) if args.heavy is None else args.heavy
        product = Product(clean_name(args.name), category, heavy)
        journal.add_product(product)
        _saved(f"Added {product.name} ({label(product.category)}{', heavy' if heavy else ''}).")
        return 0
    if action == "rename":
        renamed = journal.rename_product(args.old, clean_name(args.new))
        _saved(f"Renamed to {renamed.name}; past entries now use the new name.")
        return 0
    if action == "set":
        if args.category is None and args.heavy is None:
            raise UsageError("say what to change: --category C, --heavy or --light")
        category = check_category(args.category) if args.category is not None else None
        changed = journal.set_product(args.name, category=category, heavy=args.heavy)
        _saved(
            f"{changed.name} is now {label(changed.category)}, {'heavy' if changed.heavy else 'not heavy'}."
        )
        return 0
    from skinlog.domain.products import days_used

    products = journal.products()
    used = days_used(journal.entries())
    if args.json:
        _dump_json([{**p.to_dict(), "days_used": used.get(p.name, 0)} for p in products])
        return 0
    lines = [f"{'name':<28}{'category':<13}{'heavy':<7}days used"]
    for p in sorted(products, key=lambda p: (p.category, p.name.casefold())):
        lines.append(
            f"{p.name:<28}{label(p.category):<13}{'yes' if p.heavy else 'no':<7}{used.get(p.name, 0)}"
        )
    _write("\n".join(lines))
    return 0


def cmd_regions(args: argparse.Namespace) -> int:
    from skinlog.domain.regions import REGIONS, region_examples

    if args.json:
        _dump_json([{"id": r.id, "label": r.label, "group": r.group} for r in REGIONS])
        return 0
    lines = [f"{'id':<17}{'label':<22}{'group':<10}also accepted"]
    for r in REGIONS:
        lines.append(f"{r.id:<17}{r.label:<22}{r.group:<10}{', '.join(region_examples(r.id)[1:])}")
    lines.append("Left and right are your own left and right.")
    _write("\n".join(lines))
    return 0


# -- analysis: week, flags, insights, plot, settings


def _analysis_inputs(args: argparse.Namespace) -> tuple[Any, list[Any], dict[str, float], date]:
    from skinlog.domain.dates import today
    from skinlog.domain.settings import effective

    journal = _journal(args)
    return journal, journal.entries(), effective(journal.settings()), today()


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
        _dump_json(
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
        _write("No entries yet, so no weeks to show. Log a day with: skinlog add nose=2")
        return 0
    width = _width()
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
            _fit(
                f"{w.iso:<9} {starts:<7}{w.days_logged:>3}/7{w.mean_total:>6.1f}{w.max_total:>5}  "
                f"{change_arrow(w.change):<7} {top_regions(w.region_mean) or 'clear'}",
                width,
            )
        )
    lines.append("")
    lines += [_fit(line, width) for line in summary_lines(entries, today)]
    _write("\n".join(lines))
    return 0


def _round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def cmd_flags(args: argparse.Namespace) -> int:
    import textwrap

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

    journal, entries, settings, today = _analysis_inputs(args)
    flags = evaluate(entries, settings, today, journal.products())
    as_of = reference_date(entries, today)
    top = highest_level(flags)
    if args.json:
        _dump_json(
            {
                "today": today.isoformat(),
                "as_of": as_of.isoformat(),
                "as_of_line": as_of_line(as_of, today),
                "flags": [f.to_public() for f in flags],
            }
        )
    else:
        width = min(_width(), 100)
        lines = textwrap.wrap(flags_title(flags, as_of, today), width)
        for f in flags:
            lines += [""] + textwrap.wrap(flag_heading(f), width, subsequent_indent="  ")
            lines += textwrap.wrap(f.advice, width, initial_indent="  ", subsequent_indent="  ")
            lines += textwrap.wrap(
                "Evidence: " + evidence_text(f), width, initial_indent="  ", subsequent_indent="    "
            )
        lines.append("")
        lines += textwrap.wrap(
            persistence_sentence(
                int(settings["persist_weeks"]), " (change it with: skinlog settings set persist_weeks N)"
            ),
            width,
        )
        lines += textwrap.wrap(NOTICE, width)
        _write("\n".join(lines))
    if args.strict and top == "see_clinician":
        return 3
    return 0


def cmd_insights(args: argparse.Namespace) -> int:
    import textwrap

    from skinlog.domain.insights import CAVEAT, product_insights

    _, entries, settings, today = _analysis_inputs(args)
    weeks = args.weeks if args.weeks is not None else int(settings["insight_weeks"])
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError(f"--weeks must be 1 to {MAX_WEEKS}")
    minimum = int(settings["insight_min_days"])
    found = product_insights(entries, today, weeks, minimum)
    if args.json:
        _dump_json({"weeks": weeks, "min_days": minimum, "insights": [i.to_public() for i in found]})
        return 0
    width = min(_width(), 100)
    if not found:
        _write(
            f"Not enough logged days in the last {weeks} weeks to compare products: each needs at least "
            f"{minimum} days with it and {minimum} without."
        )
        return 0
    lines = [
        f"Products over the last {weeks} weeks: mean bumps a day on logged days with and without each",
        f"{'product':<24}{'days with':>10}{'without':>9}{'mean with':>11}{'without':>9}{'diff':>7}",
    ]
    for i in found:
        lines.append(
            f"{i.product[:23]:<24}{i.days_with:>10}{i.days_without:>9}{i.mean_with:>11.1f}"
            f"{i.mean_without:>9.1f}{i.difference:>+7.1f}"
        )
    lines.append("")
    for i in found:
        lines += textwrap.wrap(i.sentence(), width)
    lines += [""] + textwrap.wrap(CAVEAT, width)
    lines.append(f"Only products with at least {minimum} logged days with and without them are shown.")
    _write("\n".join(lines))
    return 0


def cmd_plot(args: argparse.Namespace) -> int:

    from skinlog.domain.analysis import chart_end, daily_series, range_start, weekly_series
    from skinlog.domain.regions import resolve_region

    regions = [resolve_region(r) for r in args.region]
    on_terminal = sys.stdout is not None and sys.stdout.isatty()
    size = os.get_terminal_size(sys.stdout.fileno()) if on_terminal else None
    width = args.width or (size.columns if size else 100)
    height = args.height or (max(10, size.lines - 4) if size else 24)
    if not 20 <= width <= 1000 or not 5 <= height <= 500:
        raise ValidationError("--width must be 20 to 1000 and --height 5 to 500")
    _, entries, _, today = _analysis_inputs(args)
    if not entries:
        _write("No entries yet, so nothing to plot. Log a day with: skinlog add nose=2")
        return 0
    end = chart_end(entries, today)
    start = range_start(entries, end, args.range)
    import plotext as plt

    from skinlog import charts

    plt.clear_figure()
    plt.limitsize(False, False)  # the size asked for, even when it is not the terminal's
    plt.plotsize(width, height)
    if args.weekly:
        mondays, means = weekly_series(entries, start, end)
        charts.draw_weekly(plt, mondays, means, width)
    else:
        series = daily_series(entries, start, end, regions)
        if not series.dates:
            _write(f"Nothing logged between {start.isoformat()} and {end.isoformat()}.")
            return 0
        charts.draw_daily(plt, series, width)
    text = plt.build()
    if not on_terminal or os.environ.get("NO_COLOR"):
        text = plt.uncolorize(text)
    _emit(text)  # the chart's own colour codes; it quotes no user text
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    from skinlog.domain.settings import SETTINGS, effective, parse_setting

    journal = _journal(args)
    action = args.action or "list"
    if action == "set":
        key, value = parse_setting(args.key, args.value)
        journal.set_setting(key, value)
        _saved(f"{key} is now {value:g}.")
        return 0
    if action == "reset":
        key, _ = parse_setting(args.key, str(SETTINGS[args.key].default) if args.key in SETTINGS else "0")
        journal.set_setting(key, SETTINGS[key].default)
        _saved(f"{key} is back to its default, {SETTINGS[key].default:g}.")
        return 0
    values = effective(journal.settings())
    if args.json:
        _dump_json(
            {
                k: {"value": v, "default": SETTINGS[k].default, "help": SETTINGS[k].help}
                for k, v in values.items()
            }
        )
        return 0
    lines = [f"{'setting':<25}{'value':>7}{'default':>9}  meaning"]
    for key, value in values.items():
        s = SETTINGS[key]
        mark = " *" if value != s.default else "  "
        lines.append(_fit(f"{key:<25}{value:>7g}{s.default:>9g}{mark}{s.help}", _width()))
    lines.append("* changed by you. Change one with: skinlog settings set KEY VALUE")
    _write("\n".join(lines))
    return 0


# -- export and import


def cmd_export(args: argparse.Namespace) -> int:
    from skinlog.domain.dates import today
    from skinlog.services.export import gather, render, render_chunks, schema, write_export

    if args.schema:
        _dump_json(schema())
        return 0
    since = _parse_day(args.since) if args.since else None
    until = _parse_day(args.until) if args.until else None
    name = _export_name(args.name) if args.name is not None else None
    if args.output != "-":
        _refuse_the_journal(os.path.expanduser(args.output), args.db_path)
    data = gather(_journal(args), today(), since, until, name)
    if args.output == "-":
        _emit_bytes(render(args.format, data), args.format)
        return 0
    # A file is written as it is made: a FHIR export of a long journal never sits whole in memory.
    write_export(args.output, render_chunks(args.format, data), force=args.force)
    print(f"Wrote the {args.format} export to {inert(args.output)}.", file=sys.stderr)
    return 0


def _export_name(text: str) -> str:
    """``--name`` is checked like a note: printable text on one line, 1 to 100 characters."""
    if any(not ch.isprintable() for ch in text):
        raise ValidationError("--name cannot contain control characters or line breaks")
    name = " ".join(text.split())
    if not 0 < len(name) <= 100:
        raise ValidationError(f"--name must be 1 to 100 characters (it has {len(name)})")
    return name


def _emit_bytes(payload: bytes, fmt: str) -> None:
    """An export on stdout, as bytes. Control and bidirectional characters in a journal's text
    are written as escapes (``\\u...`` in JSON, which means the same; ``\\x..`` in Markdown): a
    terminal or pager shows them instead of obeying them. Without them, the bytes are the file's."""
    if fmt == "md":
        payload = inert(payload.decode(), keep_newlines=True).encode()
    elif not payload.isascii():
        payload = _safe_json(payload.decode()).encode()
    try:
        if sys.stdout is None:
            raise OSError(9, "standard output is closed")
        sys.stdout.flush()
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(os_reason(exc)) from None


def _refuse_the_journal(out: str, journal: str) -> None:
    """An output file is never the journal itself, even with --force: that would lose the log."""
    from skinlog.errors import ConflictError
    from skinlog.storage import backup_dir

    target = os.path.realpath(out)
    if target == journal + ".lock" or os.path.dirname(target) == backup_dir(journal):
        raise ConflictError(
            f"{out} is the journal's lock file or one of its backups; choose another file "
            "(nothing was written)"
        )
    try:
        same = os.path.samefile(out, journal)
    except (OSError, ValueError):
        return
    if same:
        raise ConflictError(f"{out} is the journal itself; choose another file (nothing was written)")


def _size(path: str) -> int:
    """The file's size, or 0 when it cannot be read (reading it then says why, in one line)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def cmd_import(args: argparse.Namespace) -> int:
    from skinlog.domain.dates import today
    from skinlog.services.importer import apply_import, plan_import, read_export

    def progress(done: int, total: int) -> None:
        sys.stderr.write(f"\rchecking entries: {done:,} of {total:,}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    show = progress if sys.stderr.isatty() and _size(args.path) > 1_000_000 else None
    content = read_export(args.path, today(), show)
    journal = _journal(args)
    if args.dry_run:
        plan = plan_import(journal, content, args.mode)
        _write(f"Would import from {args.path}: {plan.describe()}. Nothing was changed (--dry-run).")
        return 0
    with journal.transaction():  # plan and apply under one lock
        plan = plan_import(journal, content, args.mode)
        apply_import(journal, plan)
    _saved(f"Imported {args.path}: {plan.describe()}.")
    return 0


# -- demo and backups


def cmd_demo(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from skinlog.domain.dates import today
    from skinlog.services.demo import demo_journal_bytes
    from skinlog.services.files import check_target, write_new_file

    out = os.path.expanduser(args.out)
    _refuse_the_journal(out, args.db_path)
    check_target(out, force=args.force)  # refuse before building anything
    count, payload = demo_journal_bytes(end=today() - timedelta(days=1))
    write_new_file(out, payload, force=args.force)
    _saved(f"Wrote a demo journal of {count} days to {out}.")
    return 0


def cmd_restore_backup(args: argparse.Namespace) -> int:
    from skinlog.errors import NotFoundError
    from skinlog.storage import describe_file, list_backups, newest_good_backup, restore_backup

    path: str = args.db_path
    if args.list:
        backups = list_backups(path)
        if not backups:
            _write(f"No backups of {path} yet.")
        for b in backups:
            _write(f"{b}  ({describe_file(b)})")
        return 0
    backup = os.path.expanduser(args.backup) if args.backup else newest_good_backup(path)
    if backup is None:
        raise NotFoundError(f"no good backup of {path} was found")
    question = (
        f"The journal {path} holds: {describe_file(path)}.\nThe backup {backup} holds: "
        f"{describe_file(backup)}.\nChanges made after the backup are not in it (the journal is kept "
        "aside, not deleted). Replace the journal with the backup?"
    )
    if not _confirm(question, args.yes):
        _write("Nothing changed.")
        return 1
    kept = restore_backup(path, backup, on_wait=_say_waiting)
    _saved(f"Restored {backup}." + (f" The journal it replaced is kept as {kept}." if kept else ""))
    return 0


# -- the parser


def _configure_add(add: argparse.ArgumentParser) -> None:
    add.description = "Log a day. Regions not given count 0."
    add.add_argument("counts", nargs="*", metavar="REGION=N", help="e.g. nose=2 left-cheek=3 under-eye-l=1")
    add.add_argument("--date", default="today", help="YYYY-MM-DD, today, yesterday, -3 or 3d (default today)")
    add.add_argument(
        "-p",
        "--product",
        dest="products",
        action="append",
        default=[],
        metavar="NAME",
        help="a product used that day (repeat for more)",
    )
    add.add_argument(
        "--new-product", metavar="CATEGORY", help="add products not yet in the catalogue, in this category"
    )
    for name in ("redness", "itch", "pain"):
        add.add_argument(f"--{name}", metavar="0-3", help=f"{name}, 0 (none) to 3 (strong)")
    add.add_argument("--picked", action="store_true", help="you squeezed or picked at bumps")
    add.add_argument(
        "--procedure", help="none, extraction, cryotherapy, laser, electrodesiccation, chemical_peel, other"
    )
    add.add_argument(
        "--event",
        dest="events",
        action="append",
        default=[],
        metavar="EVENT",
        help="something that can cause secondary milia happened (repeat for more): "
        "steroid_cream, burn, blistering, sunburn, dermabrasion, laser_or_peel, "
        "new_medicine, radiation, other",
    )
    add.add_argument("--note", help="a short note (up to 1000 characters)")
    mode = add.add_mutually_exclusive_group()
    mode.add_argument(
        "--replace", dest="mode", action="store_const", const="replace", help="overwrite the day's entry"
    )
    mode.add_argument(
        "--merge", dest="mode", action="store_const", const="merge", help="combine with the day's entry"
    )
    add.set_defaults(func=cmd_add, mode="new")


def _configure_list(lst: argparse.ArgumentParser) -> None:
    lst.add_argument("--since", metavar="DATE")
    lst.add_argument("--until", metavar="DATE")
    lst.add_argument("--last", type=int, metavar="N", help="only the last N entries")
    lst.add_argument("--json", action="store_true", help="print a JSON array")
    lst.set_defaults(func=cmd_list)


def _configure_show(show: argparse.ArgumentParser) -> None:
    show.add_argument("date")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)


def _configure_delete(delete: argparse.ArgumentParser) -> None:
    delete.add_argument("date")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(func=cmd_delete)


def _configure_products(products: argparse.ArgumentParser) -> None:
    from skinlog.domain.products import CATEGORIES

    products.add_argument("--json", action="store_true")
    psub = products.add_subparsers(dest="action", metavar="ACTION")
    psub.add_parser("list", help="list the catalogue").add_argument("--json", action="store_true")
    padd = psub.add_parser("add", help="add a product")
    padd.add_argument("name")
    padd.add_argument("--category", required=True, help=", ".join(CATEGORIES))
    heavy = padd.add_mutually_exclusive_group()
    heavy.add_argument(
        "--heavy", dest="heavy", action="store_true", default=None, help="a thick or occlusive formula"
    )
    heavy.add_argument("--light", dest="heavy", action="store_false", help="not heavy")
    pren = psub.add_parser("rename", help="rename a product everywhere")
    pren.add_argument("old")
    pren.add_argument("new")
    pset = psub.add_parser("set", help="change a product's category or heavy mark")
    pset.add_argument("name")
    pset.add_argument("--category", help="the new category: " + ", ".join(CATEGORIES))
    sheavy = pset.add_mutually_exclusive_group()
    sheavy.add_argument(
        "--heavy",
        dest="heavy",
        action="store_true",
        default=None,
        help="a thick or occlusive formula (counts for heavy near the eyes)",
    )
    sheavy.add_argument("--light", dest="heavy", action="store_false", help="not heavy")
    products.set_defaults(func=cmd_products)


def _configure_regions(regions: argparse.ArgumentParser) -> None:
    regions.add_argument("--json", action="store_true")
    regions.set_defaults(func=cmd_regions)


def _configure_demo(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--out", required=True, metavar="PATH")
    demo.add_argument("--force", action="store_true", help="replace an existing file")
    demo.set_defaults(func=cmd_demo)


def _configure_restore(restore: argparse.ArgumentParser) -> None:
    restore.add_argument("backup", nargs="?", help="backup file (default: the newest good one)")
    restore.add_argument("--list", action="store_true", help="list the backups")
    restore.add_argument("--yes", action="store_true", help="do not ask")
    restore.set_defaults(func=cmd_restore_backup)


def _configure_week(week: argparse.ArgumentParser) -> None:
    week.add_argument("--weeks", type=int, default=8, metavar="N", help="how many weeks to show (default 8)")
    week.add_argument("--json", action="store_true")
    week.set_defaults(func=cmd_week)


def _configure_flags(flags: argparse.ArgumentParser) -> None:
    flags.add_argument("--json", action="store_true", help="print JSON: the reference date and the flags")
    flags.add_argument("--strict", action="store_true", help="exit 3 when a flag says to see a clinician")
    flags.set_defaults(func=cmd_flags)


def _configure_insights(insights: argparse.ArgumentParser) -> None:
    insights.add_argument(
        "--weeks", type=int, metavar="N", help="window in weeks (default: the insight_weeks setting)"
    )
    insights.add_argument("--json", action="store_true")
    insights.set_defaults(func=cmd_insights)


def _configure_plot(plot: argparse.ArgumentParser) -> None:
    plot.add_argument("--range", choices=["4w", "12w", "1y", "all"], default="12w", help="default 12w")
    plot.add_argument(
        "--region", action="append", default=[], metavar="R", help="add a line for a region (repeat)"
    )
    plot.add_argument("--weekly", action="store_true", help="bars of the weekly mean instead of daily lines")
    plot.add_argument("--width", type=int, metavar="W", help="columns (default: the terminal's)")
    plot.add_argument("--height", type=int, metavar="H", help="rows (default: the terminal's)")
    plot.set_defaults(func=cmd_plot)


def _configure_settings(settings: argparse.ArgumentParser) -> None:
    settings.add_argument("--json", action="store_true")
    ssub = settings.add_subparsers(dest="action", metavar="ACTION")
    ssub.add_parser("list", help="show every setting").add_argument("--json", action="store_true")
    sset = ssub.add_parser("set", help="change a setting")
    sset.add_argument("key")
    sset.add_argument("value")
    sreset = ssub.add_parser("reset", help="put a setting back to its default")
    sreset.add_argument("key")
    settings.set_defaults(func=cmd_settings)


def _configure_export(export: argparse.ArgumentParser) -> None:
    from skinlog.services.formats import DEFAULT as DEFAULT_FORMAT
    from skinlog.services.formats import FORMATS, choices_help

    export.add_argument(
        "--format",
        choices=list(FORMATS),
        default=DEFAULT_FORMAT,
        help=choices_help(),
    )
    export.add_argument("--since", metavar="DATE")
    export.add_argument("--until", metavar="DATE")
    export.add_argument(
        "-o", "--output", default="-", metavar="PATH", help="file to write, or - for the screen (default)"
    )
    export.add_argument("--force", action="store_true", help="replace an existing file")
    export.add_argument("--name", help="a name to put on the export (nothing personal is included otherwise)")
    export.add_argument("--schema", action="store_true", help="print the JSON Schema of the json format")
    export.set_defaults(func=cmd_export)


def _configure_import(imp: argparse.ArgumentParser) -> None:
    imp.add_argument("path", help="a skinlog JSON export")
    mode = imp.add_mutually_exclusive_group()
    mode.add_argument(
        "--merge",
        dest="mode",
        action="store_const",
        const="merge",
        help="add the export's days the journal does not have",
    )
    mode.add_argument(
        "--replace",
        dest="mode",
        action="store_const",
        const="replace",
        help="make the journal exactly the export",
    )
    imp.add_argument("--dry-run", action="store_true", help="only say what would change")
    imp.set_defaults(func=cmd_import, mode="new")


# name: (one-line help, the function that adds its arguments)
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "add": ("log a day's counts", _configure_add),
    "list": ("list entries, newest first", _configure_list),
    "show": ("show one day", _configure_show),
    "delete": ("delete one day (asks first)", _configure_delete),
    "products": ("the product catalogue: list, add, rename, set", _configure_products),
    "regions": ("the regions and how to spell them", _configure_regions),
    "week": ("week-by-week means, changes and this week against last", _configure_week),
    "flags": ("patterns that deserve attention, with their evidence", _configure_flags),
    "insights": ("how days with each product compare with days without", _configure_insights),
    "plot": ("chart the daily or weekly totals in the terminal", _configure_plot),
    "settings": ("the thresholds behind flags and insights", _configure_settings),
    "export": ("write the journal for a clinician: json, fhir or md", _configure_export),
    "import": ("restore or merge a skinlog JSON export", _configure_import),
    "demo": ("write the demo journal to a file", _configure_demo),
    "restore-backup": ("put a backup back in place of the journal", _configure_restore),
}


def _command_in(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (skipping global options), if it is one of ours."""
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser. With ``only`` (a command known to be in argv) just that command is
    set up: building every command's parser costs more start-up time than logging a day."""
    parser = _Parser(
        prog=PROG,
        description="A private journal for milia: log bumps per face region, see how they change.",
    )
    parser.add_argument("--version", action="version", version=f"skinlog {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db", metavar="PATH", help="journal file (default: $SKINLOG_DB or the user data folder)"
    )
    where.add_argument(
        "--demo", action="store_true", help="use a fresh copy of the demo journal (nothing is kept)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (help_text, configure) in COMMANDS.items():
        if only is None or name == only:
            configure(
                sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
            )
    return parser


def _tui(args: argparse.Namespace) -> int:
    """No command: open the app on the journal."""
    if sys.stdin is None or sys.stdout is None or not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("the app needs a terminal; for scripts use a command such as 'skinlog list'")
    import gc

    from skinlog.tui.app import run_app

    # The app runs for as long as the person keeps it open and makes reference cycles all the
    # time (widgets, messages, timers): it needs the cyclic collector that main() switches off
    # for short commands. The caller's setting comes back when the app ends.
    collecting = gc.isenabled()
    gc.enable()
    try:
        return run_app(args.db_path)
    finally:
        if not collecting:
            gc.disable()


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        args.func = _tui
    if args.demo:
        import shutil
        import tempfile
        from datetime import timedelta

        from skinlog.domain.dates import today
        from skinlog.services.demo import write_demo

        folder = tempfile.mkdtemp(prefix="skinlog-demo-")
        try:
            args.db_path = os.path.join(folder, "journal.json")
            write_demo(args.db_path, end=today() - timedelta(days=1))
            return int(args.func(args))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    from skinlog.storage import default_path, journal_path

    if args.db is not None and not args.db.strip():
        raise UsageError("--db needs a file name")
    args.db_path = journal_path(args.db or default_path())
    return int(args.func(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, and turn skinlog's errors into one stderr line and an exit code."""
    import gc

    # A command is short-lived and makes few reference cycles; without the cyclic collector
    # parsing a large journal (tens of thousands of small objects) is noticeably faster. The
    # app is not short-lived: _tui switches the collector back on for as long as it runs.
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = _main(argv)
    finally:
        if collecting:
            gc.enable()
    if argv is None:
        # Run as the ``skinlog`` command: everything is written and fsynced by now, so skip the
        # interpreter's teardown (freeing a large journal object by object costs several ms).
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, AttributeError):  # already reported, or nowhere to report it
            pass
        os._exit(code)
    return code


def _cli_hint(exc: SkinlogError, argv: Sequence[str] = ()) -> str:
    """What to do about an error, in this interface's terms (``argv`` tells which command)."""
    from skinlog.errors import DayExistsError, JournalCorruptError, NotFoundError, UnknownProductError

    if isinstance(exc, JournalCorruptError) and exc.backup:
        return " (put it back with 'skinlog restore-backup')"

    if isinstance(exc, DayExistsError):
        return ": add --replace to overwrite it or --merge to combine"
    if isinstance(exc, NotFoundError) and _command_in(argv) == "products":
        return "; see 'skinlog products' for the names"  # set or rename: only 'add' takes --new-product
    if isinstance(exc, UnknownProductError):
        return ": add it with --new-product CATEGORY or 'skinlog products add'"
    return ""


def _main(argv: Sequence[str] | None) -> int:

    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        args = build_parser(only=_command_in(argv)).parse_args(argv)
        return _run(args)
    except SystemExit as exc:  # --help and --version print, then exit through argparse
        try:
            if sys.stdout is not None:
                sys.stdout.flush()
        except OSError as err:
            print(f"skinlog: {OutputError(os_reason(err))}", file=sys.stderr)
            return 1
        return exc.code if isinstance(exc.code, int) else 0
    except SkinlogError as exc:
        print(f"skinlog: {inert(str(exc))}{_cli_hint(exc, argv or ())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("skinlog: interrupted; nothing more was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    sys.exit(main())
