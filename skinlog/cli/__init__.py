"""The command line: ``main(argv) -> exit code``. Draws nothing itself, so imports no Textual/plotext.

The parser is in ``parser``; each group of commands has its own module (``days``, ``catalogue``,
``analysis``, ``data``, ``app``), imported only when one of its commands runs; what they share
(output, errors, the journal) is in ``common``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from skinlog.domain.text import inert
from skinlog.errors import SkinlogError, UsageError, os_reason

if TYPE_CHECKING:
    import argparse

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, and turn skinlog's errors into one stderr line and an exit code."""
    import gc

    # A command is short-lived and makes few reference cycles; without the cyclic collector
    # parsing a large journal (tens of thousands of small objects) is noticeably faster. The
    # app is not short-lived: it switches the collector back on for as long as it runs.
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


def _run(args: argparse.Namespace) -> int:
    if args.command is None:
        from skinlog.cli.app import run

        args.func = run
    if args.demo:
        from skinlog.services.demo import throwaway_demo

        with throwaway_demo() as args.db_path:
            return int(args.func(args))
    from skinlog.storage import default_path, journal_path

    if args.db is not None and not args.db.strip():
        raise UsageError("--db needs a file name")
    args.db_path = journal_path(args.db or default_path())
    return int(args.func(args))


def _main(argv: Sequence[str] | None) -> int:
    from skinlog.cli.common import OutputError, cli_hint
    from skinlog.cli.parser import build_parser, command_in

    command = None
    if argv is None and "_ARGCOMPLETE" in os.environ:  # the shell asks for completions (TAB)
        from skinlog.cli.completion import complete

        return complete()
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        command = command_in(argv)
        args = build_parser(only=command).parse_args(argv)
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
        print(f"skinlog: {inert(str(exc))}{cli_hint(exc, command)}", file=sys.stderr)
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
