"""Undo: revert the newest change (or the newest undo), after saying what it reverts."""

from __future__ import annotations

import argparse

from skinlog.cli.common import confirm, journal, saved, write
from skinlog.errors import UsageError


def _when(stamp: str) -> str:
    """A stored UTC time stamp as local date and time, to the minute."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16]


def cmd_undo(args: argparse.Namespace) -> int:
    from skinlog.storage.undo import describe_restore

    opened = journal(args)
    if args.list:
        if args.redo:
            raise UsageError("--list shows every kept change; give it alone")
        kept = opened.changes()
        if not kept:
            write("No changes kept yet: every change made from now on can be undone.")
            return 0
        following = opened.next_undo()
        lines = []
        for change in kept:
            mark = "next" if following is not None and change.id == following.id else ""
            state = "" if change.live else "  (undone)"
            if change.before is None:
                state += "  (too large to undo)"
            lines.append(f"{mark:<5}{_when(change.when)}  {change.title}{state}")
        write("\n".join(lines))
        return 0
    word = "Redo" if args.redo else "Undo"
    target = opened.next_undo(redo=args.redo)
    if target is None:
        write(f"Nothing to {word.lower()}: no change kept {'was undone' if args.redo else 'is in effect'}.")
        return 1
    restores = "it cannot be undone" if target.before is None else describe_restore(target.before)
    question = f"{word}: {target.what} ({_when(target.when)}) — {restores}. {word} it?"
    if target.before is None:
        opened.undo(expected=target.id, redo=args.redo)  # raises, saying why
    if not confirm(question, args.yes):
        write(f"Nothing {'redone' if args.redo else 'undone'}.")
        return 1
    done = opened.undo(expected=target.id, redo=args.redo)
    if args.redo:
        saved(f"Redone: {done.what}. ('skinlog undo' undoes it again.)")
    else:
        saved(f"Undone: {done.what}. ('skinlog undo --redo' puts it back.)")
    return 0


def configure_undo(undo: argparse.ArgumentParser) -> None:
    undo.description = (
        "Undo the newest change still in effect (a save, delete, import, product or setting "
        "change), after saying what it reverts. An undo is itself a change: --redo undoes it."
    )
    undo.add_argument("--yes", action="store_true", help="do not ask")
    undo.add_argument("--redo", action="store_true", help="undo the newest undo instead")
    undo.add_argument("--list", action="store_true", help="list the kept changes, newest first")
    undo.set_defaults(func=cmd_undo)
