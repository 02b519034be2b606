"""Keeping the habit: ``status`` (for a prompt; never writes) and the opt-in daily ``remind``er."""

from __future__ import annotations

import argparse

from skinlog.cli.common import dump_json, emit, write


def cmd_status(args: argparse.Namespace) -> int:
    from skinlog.domain.dates import today
    from skinlog.services.status import read_status

    status = read_status(args.db_path, today())
    if args.json:
        dump_json(status.to_public())
    elif args.short:
        line = status.short
        if line:
            write(line)
    else:
        write("\n".join(status.lines()))
    return 0


def configure_status(status: argparse.ArgumentParser) -> None:
    shape = status.add_mutually_exclusive_group()
    shape.add_argument(
        "--short",
        action="store_true",
        help="one line for a shell prompt; nothing when today is logged and no flag is active",
    )
    shape.add_argument("--json", action="store_true")
    status.set_defaults(func=cmd_status)


def cmd_remind_install(args: argparse.Namespace) -> int:
    from skinlog.services.reminder import install

    done = install(args.at, args.db_path, args.via)
    write(f"Reminder installed ({done.via}): every day at {done.at}, when nothing is logged yet.")
    write("\n".join(f"  {where}" for where in done.where))
    return 0


def cmd_remind_status(args: argparse.Namespace) -> int:
    from skinlog.services.reminder import status

    found = status()
    if not found:
        emit("No reminder installed. Add one with: skinlog remind install --at 21:00")
        return 0
    for item in found:
        write(f"Reminder ({item.via}) at {item.at or '?'}:")
        write("\n".join(f"  {where}" for where in item.where))
    return 0


def cmd_remind_uninstall(args: argparse.Namespace) -> int:
    from skinlog.services.reminder import uninstall

    removed = uninstall()
    if not removed:
        emit("No reminder was installed; nothing was changed.")
        return 0
    write("Removed:\n" + "\n".join(f"  {where}" for where in removed))
    return 0


def cmd_remind_fire(args: argparse.Namespace) -> int:
    from skinlog.domain.dates import today
    from skinlog.services.reminder import fire
    from skinlog.services.status import read_status

    day = today()
    fire(args.db_path, day, read_status(args.db_path, day).logged_today)
    return 0


def configure_remind(remind: argparse.ArgumentParser) -> None:
    from skinlog.services.reminder import SCHEDULERS

    sub = remind.add_subparsers(dest="remind_command", metavar="ACTION", required=True)
    install = sub.add_parser("install", help="remind me every day at a time, when nothing is logged yet")
    install.add_argument("--at", required=True, metavar="HH:MM", help="the time of day, e.g. 21:00")
    install.add_argument(
        "--via",
        metavar="SCHEDULER",
        help=f"{', '.join(SCHEDULERS)} (default: launchd on macOS, else systemd if it works, else cron)",
    )
    install.set_defaults(func=cmd_remind_install)
    sub.add_parser("status", help="show the reminder installed").set_defaults(func=cmd_remind_status)
    sub.add_parser("uninstall", help="remove what install wrote").set_defaults(func=cmd_remind_uninstall)
    sub.add_parser("fire", help="what the timer runs: remind now if today is not logged").set_defaults(
        func=cmd_remind_fire
    )
