"""No command: open the app on the journal."""

from __future__ import annotations

import argparse
import sys

from skinlog.errors import UsageError


def run(args: argparse.Namespace) -> int:
    """Start the app on ``args.db_path``; refused without a terminal."""
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
        return run_app(args.db_path, demo=bool(getattr(args, "demo", False)))
    finally:
        if not collecting:
            gc.disable()
