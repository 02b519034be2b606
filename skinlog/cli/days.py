"""Logging days: add, list, show and delete."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from skinlog.cli.common import confirm, dump_json, fit, journal, parse_day, saved, width, write
from skinlog.errors import UsageError, ValidationError

if TYPE_CHECKING:
    from skinlog.domain.entry import Entry
    from skinlog.storage import Journal

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
            raise ValidationError(f"{BY_ID[region_id].short} is given more than once")
        counts[region_id] = check_count(region_id, value)
    return counts


def cmd_add(args: argparse.Namespace) -> int:
    from skinlog.cli.catalogue import resolve_day_products
    from skinlog.domain.entry import make_entry
    from skinlog.domain.products import check_category
    from skinlog.services.days import same_as_last, save_day

    day = parse_day(args.date)
    counts = _parse_counts(args.counts)
    if not counts and args.mode != "merge" and not args.same:
        raise UsageError("give at least one REGION=COUNT (a clear day is, for example, nose=0)")
    category = check_category(args.new_product) if args.new_product else None
    opened = journal(args)
    # one transaction: the journal is read once, under the lock, and the day checked against it
    with opened.transaction():
        names = resolve_day_products(opened.products(), args.products, allow_new=category is not None)
        if args.same:
            # the last entry's counts and products, with the ones given here over them
            _, counts, names = same_as_last(opened, day, counts, names or None)
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
        # with --same, every region of the day it starts from counts as given
        given = set(counts) | set(symptoms) | ({"procedure"} if args.procedure else set())
        outcome, now = save_day(opened, entry, mode=args.mode, given=given, new_category=category)
    from skinlog.domain.words import region_summary

    saved(f"{outcome.capitalize()} {day.isoformat()}: total {now.total} ({region_summary(now.counts)})")
    return 0


def configure_add(add: argparse.ArgumentParser) -> None:
    add.description = "Log a day. Regions not given count 0 (with --same: what the last entry had)."
    add.add_argument("counts", nargs="*", metavar="REGION=N", help="e.g. nose=2 left-cheek=3 under-eye-l=1")
    add.add_argument("--date", default="today", help="YYYY-MM-DD, today, yesterday, -3 or 3d (default today)")
    add.add_argument(
        "--same",
        action="store_true",
        help="start from the last entry before the day (its counts and products); "
        "REGION=N and -p given here replace its values",
    )
    add.add_argument(
        "-p",
        "--product",
        dest="products",
        action="append",
        default=[],
        metavar="NAME",
        help="a product used that day (repeat for more); the start of its name or a whole word of it "
        "is enough when only one product fits",
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


# -- list


def _entry_line(entry: Entry, columns: int) -> str:
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
    column = _regions_width(columns)
    regions = fit(region_summary(entry.counts), column)
    return fit(f"{entry.date.isoformat()}  {entry.total:>5}  {regions:<{column}}  {tail}", columns)


def _regions_width(columns: int) -> int:
    """Regions get a bit more than half of what is left after the date and total."""
    return max(18, (columns - 19) * 3 // 5)


def cmd_list(args: argparse.Namespace) -> int:
    since = parse_day(args.since) if args.since else None
    until = parse_day(args.until) if args.until else None
    if since and until and since > until:
        raise ValidationError(
            f"--since {since.isoformat()} is after --until {until.isoformat()}: the period runs backwards"
        )
    if args.last is not None and args.last < 1:
        raise ValidationError("--last must be 1 or more")
    entries = journal(args).entries(since=since, until=until, last=args.last)
    if args.json:
        dump_json([e.to_public() for e in reversed(entries)])
        return 0
    if not entries:
        write("No entries yet. Log a day with, for example: skinlog add nose=2 under-eye-l=3")
        return 0
    columns = width()
    lines = [fit(f"{'date':<10}  {'total':>5}  {'regions':<{_regions_width(columns)}}  products", columns)]
    lines += [_entry_line(e, columns) for e in reversed(entries)]
    write("\n".join(lines))
    return 0


def configure_list(lst: argparse.ArgumentParser) -> None:
    lst.add_argument("--since", metavar="DATE")
    lst.add_argument("--until", metavar="DATE")
    lst.add_argument("--last", type=int, metavar="N", help="only the last N entries")
    lst.add_argument("--json", action="store_true", help="print a JSON array")
    lst.set_defaults(func=cmd_list)


# -- show and delete


def _require_entry(journal: Journal, day: date) -> Entry:
    from skinlog.errors import NotFoundError

    entry = journal.entry(day)
    if entry is None:
        raise NotFoundError(f"there is no entry on {day.isoformat()}")
    return entry


def cmd_show(args: argparse.Namespace) -> int:
    from skinlog.domain.regions import BY_ID, REGION_IDS

    entry = _require_entry(journal(args), parse_day(args.date))
    if args.json:
        dump_json(entry.to_public())
        return 0
    lines = [f"{entry.date.isoformat()} ({entry.date.strftime('%A')})  total {entry.total}"]
    for region_id in REGION_IDS:
        if entry.count(region_id):
            lines.append(f"  {BY_ID[region_id].short:<14}{entry.count(region_id):>4}")
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
    write("\n".join(lines))
    return 0


def configure_show(show: argparse.ArgumentParser) -> None:
    show.add_argument("date")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)


def cmd_delete(args: argparse.Namespace) -> int:
    day = parse_day(args.date)
    opened = journal(args)
    entry = _require_entry(opened, day)
    if not confirm(f"Delete the entry for {day.isoformat()} (total {entry.total})?", args.yes):
        write("Nothing deleted.")
        return 1
    opened.delete_entry(day)
    saved(f"Deleted {day.isoformat()}.")
    return 0


def configure_delete(delete: argparse.ArgumentParser) -> None:
    delete.add_argument("date")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(func=cmd_delete)
