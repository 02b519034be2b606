"""The journal as files: export, import, demo and restore-backup."""

from __future__ import annotations

import argparse
import os
import sys

from skinlog.cli.common import OutputError, confirm, dump_json, journal, parse_day, safe_json, saved, write
from skinlog.domain.text import inert
from skinlog.errors import UsageError, os_reason


def _refuse_the_journal(out: str, journal_file: str) -> None:
    """An output file is never the journal itself, even with --force: that would lose the log."""
    from skinlog.errors import ConflictError
    from skinlog.storage import backup_dir

    target = os.path.realpath(out)
    if target == journal_file + ".lock" or os.path.dirname(target) == backup_dir(journal_file):
        raise ConflictError(
            f"{out} is the journal's lock file or one of its backups; choose another file "
            "(nothing was written)"
        )
    try:
        same = os.path.samefile(out, journal_file)
    except (OSError, ValueError):
        return
    if same:
        raise ConflictError(f"{out} is the journal itself; choose another file (nothing was written)")


# -- export


def cmd_export(args: argparse.Namespace) -> int:
    from skinlog.domain.dates import today
    from skinlog.services.export import gather, patient_name, render, render_chunks, schema, write_export
    from skinlog.services.formats import get

    if args.schema:
        dump_json(schema())
        return 0
    since = parse_day(args.since) if args.since else None
    until = parse_day(args.until) if args.until else None
    # --name is checked like a note: printable text on one line, 1 to 100 characters.
    name = patient_name(args.name, "--name") if args.name is not None else None
    if args.output != "-":
        _refuse_the_journal(os.path.expanduser(args.output), args.db_path)
    if args.output == "-" and get(args.format).binary and sys.stdout is not None and sys.stdout.isatty():
        raise UsageError(
            f"a {args.format} file is not for the terminal: write it with -o FILE (or send it to a pipe)"
        )
    data = gather(journal(args), today(), since, until, name)
    if args.output == "-":
        _emit_bytes(render(args.format, data), args.format)
        return 0
    # A file is written as it is made: a FHIR export of a long journal never sits whole in memory.
    write_export(args.output, render_chunks(args.format, data), force=args.force)
    print(f"Wrote the {args.format} export to {inert(args.output)}.", file=sys.stderr)
    return 0


def _binary(fmt: str) -> bool:
    from skinlog.services.formats import get

    return get(fmt).binary


def _emit_bytes(payload: bytes, fmt: str) -> None:
    """An export on stdout, as bytes. Control and bidirectional characters in a journal's text
    are written as escapes (``\\u...`` in JSON, which means the same; ``\\x..`` in Markdown): a
    terminal or pager shows them instead of obeying them. Without them, the bytes are the file's."""
    from skinlog.services.formats import get

    if get(fmt).binary:
        pass  # the bytes as they are (cmd_export refused a terminal before making them)
    elif get(fmt).text:  # CSV's CRLF line ends are kept; a lone CR is escaped like the rest
        lines = payload.decode().split("\r\n")
        payload = "\r\n".join(inert(line, keep_newlines=True) for line in lines).encode()
    elif not payload.isascii():
        payload = safe_json(payload.decode()).encode()
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


def configure_export(export: argparse.ArgumentParser) -> None:
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


# -- import


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

    from skinlog.services.bundle import looks_like_bundle, read_bundle, store_pictures

    bundle = None
    if looks_like_bundle(args.path):
        bundle = read_bundle(args.path, today())  # every member checked before anything is written
        content = bundle.content
    else:
        show = progress if sys.stderr.isatty() and _size(args.path) > 1_000_000 else None
        content = read_export(args.path, today(), show)
    pictures = bundle.names if bundle else frozenset()
    opened = journal(args)
    if args.dry_run:
        plan = plan_import(opened, content, args.mode, pictures)
        write(f"Would import from {args.path}: {plan.describe()}. Nothing was changed (--dry-run).")
        return 0
    with opened.transaction():  # plan and apply under one lock
        plan = plan_import(opened, content, args.mode, pictures)
        if bundle:
            store_pictures(opened, bundle, plan.photos)  # the files first, then the journal refers to them
        apply_import(opened, plan)
    saved(f"Imported {args.path}: {plan.describe()}.")
    return 0


def configure_import(imp: argparse.ArgumentParser) -> None:
    imp.add_argument(
        "path", help="a skinlog JSON export, or a bundle export (.zip), which restores the photos too"
    )
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


# -- demo and backups


def cmd_demo(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from skinlog.domain.dates import today
    from skinlog.services.demo import demo_entries, demo_journal_bytes, demo_photos, store_demo_photos
    from skinlog.services.files import check_target, write_new_file

    out = os.path.expanduser(args.out)
    _refuse_the_journal(out, args.db_path)
    check_target(out, force=args.force)  # refuse before building anything
    end = today() - timedelta(days=1)
    count, payload = demo_journal_bytes(end=end)
    store_demo_photos(out, demo_photos(demo_entries(end)))  # before the journal refers to them
    write_new_file(out, payload, force=args.force)
    saved(f"Wrote a demo journal of {count} days to {out}.")
    return 0


def configure_demo(demo: argparse.ArgumentParser) -> None:
    demo.add_argument("--out", required=True, metavar="PATH")
    demo.add_argument("--force", action="store_true", help="replace an existing file")
    demo.set_defaults(func=cmd_demo)


def cmd_restore_backup(args: argparse.Namespace) -> int:
    from skinlog.cli.common import say_waiting
    from skinlog.errors import NotFoundError
    from skinlog.storage import describe_file, list_backups, newest_good_backup, restore_backup

    path: str = args.db_path
    if args.list:
        backups = list_backups(path)
        if not backups:
            write(f"No backups of {path} yet.")
        for b in backups:
            write(f"{b}  ({describe_file(b)})")
        return 0
    backup = os.path.expanduser(args.backup) if args.backup else newest_good_backup(path)
    if backup is None:
        raise NotFoundError(f"no good backup of {path} was found")
    question = (
        f"The journal {path} holds: {describe_file(path)}.\nThe backup {backup} holds: "
        f"{describe_file(backup)}.\nChanges made after the backup are not in it (the journal is kept "
        "aside, not deleted). Replace the journal with the backup?"
    )
    if not confirm(question, args.yes):
        write("Nothing changed.")
        return 1
    kept = restore_backup(path, backup, on_wait=say_waiting)
    saved(f"Restored {backup}." + (f" The journal it replaced is kept as {kept}." if kept else ""))
    return 0


def configure_restore_backup(restore: argparse.ArgumentParser) -> None:
    restore.add_argument("backup", nargs="?", help="backup file (default: the newest good one)")
    restore.add_argument("--list", action="store_true", help="list the backups")
    restore.add_argument("--yes", action="store_true", help="do not ask")
    restore.set_defaults(func=cmd_restore_backup)
