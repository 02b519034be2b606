"""``skinlog report``: the one-page visit report, as a PDF to print or hand over."""

from __future__ import annotations

import argparse
import os
import sys

from skinlog.cli.common import journal, parse_day
from skinlog.domain.text import inert


def cmd_report(args: argparse.Namespace) -> int:
    from skinlog.cli.data import _refuse_the_journal
    from skinlog.domain.dates import today
    from skinlog.services.export import patient_name
    from skinlog.services.report import render_report

    since = parse_day(args.since) if args.since else None
    until = parse_day(args.until) if args.until else None
    name = patient_name(args.name, "--name") if args.name is not None else None
    out = os.path.expanduser(args.output)
    _refuse_the_journal(out, args.db_path)
    render_report(
        journal(args), today(), since, until, name, paper=args.paper, out_path=out, force=args.force
    )
    print(f"Wrote the visit report to {inert(args.output)}.", file=sys.stderr)
    return 0


def configure_report(report: argparse.ArgumentParser) -> None:
    report.add_argument("-o", "--output", required=True, metavar="PATH", help="the PDF file to write")
    report.add_argument("--since", metavar="DATE", help="first day of the period (default: the first entry)")
    report.add_argument("--until", metavar="DATE", help="last day of the period (default: the last entry)")
    report.add_argument("--name", help="a name to put on the page (nothing personal is included otherwise)")
    report.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4)")
    report.add_argument("--force", action="store_true", help="replace an existing file")
    report.set_defaults(func=cmd_report)
