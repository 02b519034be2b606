"""Photos: add, list, show and remove them; ``check`` verifies the journal and every photo file."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from skinlog.cli.common import confirm, dump_json, emit, journal, parse_day, saved, width, write
from skinlog.errors import UsageError

if TYPE_CHECKING:
    from skinlog.domain.photos import Photo


def _regions(texts: list[str] | None) -> list[str]:
    from skinlog.domain.regions import resolve_region

    return list(dict.fromkeys(resolve_region(t) for t in texts or []))


def _summary(photo: Photo) -> str:
    from skinlog.domain.regions import BY_ID

    regions = ", ".join(BY_ID[r].short for r in photo.regions) or "no region"
    kind = photo.media_type.removeprefix("image/").upper()
    size = (
        f"{photo.size / 1024 / 1024:.1f} MB" if photo.size >= 1024 * 1024 else f"{photo.size // 1024 + 1} KB"
    )
    line = f"{photo.id}  {photo.day.isoformat()}  {regions}  {photo.width}x{photo.height} {kind} {size}"
    return line + (f"  {' '.join(photo.note.split())}" if photo.note else "")


def cmd_photo(args: argparse.Namespace) -> int:
    action = args.action
    if action == "add":
        return _add(args)
    if action == "list":
        return _list(args)
    if action == "show":
        return _show(args)
    if action == "remove":
        return _remove(args)
    if action == "prune":
        return _prune(args)
    raise UsageError("say what to do: photo add, list, show, remove or prune")


def _add(args: argparse.Namespace) -> int:
    from skinlog.services.photo_add import add_photos

    day = parse_day(args.date) if args.date is not None else None
    results = add_photos(journal(args), args.paths, day=day, regions=_regions(args.region), note=args.note)
    lines = []
    for result in results:
        if result.already:
            lines.append(f"Already in the journal: {_summary(result.photo)} (nothing added)")
        else:
            lines.append(f"Added {_summary(result.photo)}")
    if any(not r.already for r in results):
        lines.append("('skinlog undo' takes it back.)")
        saved("\n".join(lines))
    else:
        write("\n".join(lines))
    return 0


def _list(args: argparse.Namespace) -> int:
    from skinlog.services.photos import list_photos, photo_file

    regions = _regions([args.region] if args.region else [])
    since = parse_day(args.since) if args.since else None
    until = parse_day(args.until) if args.until else None
    opened = journal(args)
    photos = list_photos(opened, region=regions[0] if regions else None, since=since, until=until)
    if args.json:
        dump_json([{**p.to_dict(), "file": str(photo_file(opened.path, p))} for p in photos])
        return 0
    if not photos:
        write("No photos yet: add one with 'skinlog photo add PATH --region R'.")
        return 0
    columns = width()
    write("\n".join(_summary(p)[:columns] for p in photos))
    return 0


def _is_id(text: str) -> bool:
    return 4 <= len(text) <= 12 and all(c in "0123456789abcdef" for c in text.lower())


def _show(args: argparse.Namespace) -> int:
    from skinlog.services.photos import find_photo, photo_file, photos_on

    opened = journal(args)
    regions = _regions([args.region] if args.region else [])
    if _is_id(args.ref):
        photos = [find_photo(opened, args.ref)]
    else:
        try:
            day = parse_day(args.ref)
        except UsageError as exc:
            if not str(exc).startswith("cannot read the date"):
                raise
            raise UsageError(
                f"'{args.ref[:40]}' is neither a photo id nor a date (see 'skinlog photo list')"
            ) from None
        photos = photos_on(opened, day, region=regions[0] if regions else None)
        if not photos:
            write(f"No photos on {day.isoformat()}{' for that region' if regions else ''}.")
            return 1
    drawing = sys.stdout is not None and sys.stdout.isatty()
    for photo in photos:
        write(_summary(photo))
        if drawing:
            _draw(opened.path, photo)
        else:
            write(str(photo_file(opened.path, photo)))
    return 0


def _draw(journal_path: str, photo: Photo) -> None:
    """Draw a stored photo with half blocks, as large as the terminal allows."""
    import os

    from PIL import Image

    from skinlog.services.halfblock import ansi_lines, half_blocks
    from skinlog.services.photos import photo_file
    from skinlog.storage.photos import verify_photo

    wrong = verify_photo(journal_path, photo)
    if wrong is not None:
        write(f"  its file {wrong}: see 'skinlog check'")
        return
    size = os.get_terminal_size(sys.stdout.fileno())
    with Image.open(photo_file(journal_path, photo)) as image:
        image.load()
        cells = half_blocks(image, size.columns, max(4, size.lines - 3))
    emit("\n".join(ansi_lines(cells)))


def _remove(args: argparse.Namespace) -> int:
    from skinlog.services.photos import find_photo, remove_photo

    opened = journal(args)
    photo = find_photo(opened, args.ref)
    if not confirm(f"Remove the photo {_summary(photo)}?", args.yes):
        write("Nothing removed.")
        return 1
    removed = remove_photo(opened, photo.id)
    saved(f"Removed the photo {removed.id} ({removed.day.isoformat()}). ('skinlog undo' puts it back.)")
    return 0


def _prune(args: argparse.Namespace) -> int:
    from skinlog.services.photos import prune_photo_files, unused_photo_files

    opened = journal(args)
    unused = unused_photo_files(opened)
    if not unused:
        write("Every picture file is still needed (by the journal, its undo history or a backup).")
        return 0
    size = sum(p.stat().st_size for p in unused if p.exists())
    count = len(unused)
    question = (
        f"Delete {count} picture file{'s' if count != 1 else ''} ({size / 1024 / 1024:.1f} MB) that neither "
        "the journal, its undo history nor any backup refers to? This cannot be undone."
    )
    if not confirm(question, args.yes):
        write("Nothing deleted.")
        return 1
    deleted = prune_photo_files(opened, unused)
    saved(f"Deleted {len(deleted)} picture file{'s' if len(deleted) != 1 else ''}.")
    return 0


def configure_photo(photo: argparse.ArgumentParser) -> None:
    photo.description = (
        "Pictures of your skin, kept beside the journal with every piece of metadata removed "
        "(location, camera, times): only the pixels, the date, the regions and a note are kept."
    )
    sub = photo.add_subparsers(dest="action", metavar="ACTION")
    add = sub.add_parser(
        "add",
        help="add pictures (JPEG, PNG, WebP, HEIC)",
        description=(
            "Add pictures (JPEG, PNG, WebP, HEIC/HEIF; up to 50 MB each). Only the pixels are kept, "
            "turned upright: location, camera, serial numbers, times and every other piece of metadata "
            "are removed. All of them are one change, undone by 'skinlog undo'."
        ),
    )
    add.add_argument("paths", nargs="+", metavar="PATH")
    add.add_argument("--date", help="the day they show (default: when taken, else today)")
    add.add_argument("--region", action="append", metavar="R", help="a region they show (repeat for more)")
    add.add_argument("--note", default="", help="a few words about them")
    listing = sub.add_parser("list", help="list photos by date", description="List photos by date.")
    listing.add_argument("--region", metavar="R", help="only photos of this region")
    listing.add_argument("--since", metavar="D", help="from this date")
    listing.add_argument("--until", metavar="D", help="up to this date")
    listing.add_argument("--json", action="store_true", help="as JSON")
    show = sub.add_parser(
        "show",
        help="draw a photo in the terminal (its details only when not a terminal)",
        description="Draw a photo, or every photo of a day, in the terminal.",
    )
    show.add_argument("ref", metavar="ID|DATE")
    show.add_argument("--region", metavar="R", help="with a date: only photos of this region")
    remove = sub.add_parser(
        "remove", help="remove a photo (asks first; undoable)", description="Remove a photo from the journal."
    )
    remove.add_argument("ref", metavar="ID")
    remove.add_argument("--yes", action="store_true", help="do not ask")
    prune = sub.add_parser(
        "prune",
        help="delete picture files nothing refers to any more (asks first)",
        description=(
            "Delete the picture files that neither the journal, its undo history nor any kept backup "
            "refers to (photos removed long enough ago)."
        ),
    )
    prune.add_argument("--yes", action="store_true", help="do not ask")
    photo.set_defaults(func=cmd_photo, action=None)


def cmd_check(args: argparse.Namespace) -> int:
    from skinlog.services.photos import check_journal, photo_dir

    opened = journal(args)
    report = check_journal(opened)
    lines = [f"Problem: {p.detail}" for p in report.problems]
    if report.unreferenced:
        count = len(report.unreferenced)
        lines.append(
            f"{count} file{'s' if count != 1 else ''} in {photo_dir(opened.path)} "
            f"{'are' if count != 1 else 'is'} no longer in the journal (kept for undo and backups; "
            "'skinlog photo prune' deletes those nothing needs)."
        )
    if report.ok:
        lines.insert(
            0, f"The journal and its {report.photos} photo{'s' if report.photos != 1 else ''} are fine."
        )
    else:
        lines.append(
            f"{len(report.problems)} problem{'s' if len(report.problems) != 1 else ''} found; nothing was changed."
        )
    write("\n".join(lines))
    return 0 if report.ok else 1


def configure_check(check: argparse.ArgumentParser) -> None:
    check.description = (
        "Check the journal (every record) and every photo file against the size and hash the journal "
        "keeps for it. Lists what is wrong and exits 1 if anything is; never repairs."
    )
    check.set_defaults(func=cmd_check)
