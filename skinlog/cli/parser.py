"""The argument parser: one table of commands, each set up by its own module only when it runs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from skinlog import __version__
from skinlog.cli.common import emit
from skinlog.errors import UsageError

PROG = "skinlog"

# name: (one-line help, the module under skinlog.cli that sets it up and runs it). The module has
# configure_<name> (with _ for -), which adds the command's arguments and its function.
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("log a day's counts", "days"),
    "list": ("list entries, newest first", "days"),
    "show": ("show one day", "days"),
    "delete": ("delete one day (asks first)", "days"),
    "products": ("the product catalogue: list, add, rename, set, archive, unarchive", "catalogue"),
    "regions": ("the regions and how to spell them", "catalogue"),
    "week": ("week-by-week means, changes and this week against last", "analysis"),
    "flags": ("patterns that deserve attention, with their evidence", "analysis"),
    "effect": ("is it working? each treatment before and after, against the trend", "effects"),
    "insights": ("days with and without each product, once the trend is taken out", "analysis"),
    "plot": ("chart the daily or weekly totals in the terminal", "analysis"),
    "settings": ("the thresholds behind flags and insights", "catalogue"),
    "report": ("the one-page visit report for a clinician, as a PDF", "report"),
    "export": ("write the journal for a clinician, in the format --format names", "data"),
    "import": ("restore or merge a skinlog JSON export", "data"),
    "demo": ("write the demo journal to a file", "data"),
    "restore-backup": ("put a backup back in place of the journal", "data"),
    "photo": ("pictures of your skin: add, list, show, remove, prune", "photos"),
    "check": ("verify the journal and every photo file; never repairs", "photos"),
    "undo": ("undo the newest change (asks first); --list shows the kept changes", "undo"),
    "status": ("today logged?, the streak and the highest flag; --short for a prompt", "habit"),
    "remind": ("an opt-in daily reminder: install --at HH:MM, status, uninstall", "habit"),
    "completion": ("print the shell completion script: bash, zsh or fish", "completion"),
}


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so errors stay one line."""

    def error(self, message: str) -> Any:
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        if message and (file is None or file is sys.stdout):  # --help, --version
            emit(message)  # a failed write becomes one line instead of being dropped
        else:
            super()._print_message(message, file)


def command_in(argv: Sequence[str]) -> str | None:
    """The command word in ``argv`` (skipping global options), if it is one of ours."""
    args = iter(argv)
    for arg in args:
        if arg == "--db":
            next(args, None)
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def configure(name: str, parser: argparse.ArgumentParser) -> None:
    """Add the arguments of the command ``name`` to ``parser``, from the command's own module."""
    module = import_module(f"skinlog.cli.{COMMANDS[name][1]}")
    getattr(module, "configure_" + name.replace("-", "_"))(parser)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser. With ``only`` (a command known to be in argv) just that command is
    set up, and only its module is imported: building every command's parser costs more start-up
    time than logging a day. Without it every command is set up."""
    parser = _Parser(
        prog=PROG,
        description="A private journal for milia: log bumps per face region, see how they change.",
        epilog=(
            "The journal is kept in $SKINLOG_DB, else $XDG_DATA_HOME/skinlog/journal.json "
            "(usually ~/.local/share/skinlog/); preferences in $XDG_CONFIG_HOME/skinlog/ "
            "(usually ~/.config/skinlog/). Without a command, skinlog opens the app."
        ),
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
    for name, (help_text, _module) in COMMANDS.items():
        if only is None or name == only:
            configure(
                name,
                sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + "."),
            )
    return parser
