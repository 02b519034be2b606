"""What every command shares: opening the journal, printing output and errors, exit codes."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from skinlog.domain.text import inert
from skinlog.errors import SkinlogError, UsageError, os_reason

if TYPE_CHECKING:
    import argparse

    from skinlog.storage import Journal


def journal(args: argparse.Namespace) -> Journal:
    """The journal the command works on; waiting for another skinlog's lock is said on stderr."""
    from skinlog.storage import Journal

    opened = Journal(args.db_path)
    opened.on_wait = say_waiting
    return opened


def say_waiting(pid: int | None) -> None:
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


def cli_hint(exc: SkinlogError, command: str | None = None) -> str:
    """What to do about an error, in this interface's terms (``command``: the one that ran)."""
    from skinlog.errors import DayExistsError, JournalCorruptError, NotFoundError, UnknownProductError

    if isinstance(exc, JournalCorruptError) and exc.backup:
        return " (put it back with 'skinlog restore-backup')"

    if isinstance(exc, DayExistsError):
        return ": add --replace to overwrite it or --merge to combine"
    if isinstance(exc, NotFoundError) and command == "products":
        return "; see 'skinlog products' for the names"  # set or rename: only 'add' takes --new-product
    if isinstance(exc, UnknownProductError) and command == "effect":
        return "; see 'skinlog products' for the names, or 'skinlog effect --all' for every treatment"
    if isinstance(exc, UnknownProductError):
        return ": add it with --new-product CATEGORY or 'skinlog products add'"
    return ""


def emit(text: str) -> None:
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


def write(text: str) -> None:
    """Print lines that may quote user or file text: control characters come out inert."""
    emit(inert(text, keep_newlines=True))


def saved(text: str) -> None:
    """Confirm a change that is already saved: if that cannot be printed, say it was saved."""
    try:
        write(text)
    except OutputError as exc:
        raise UnconfirmedError(
            f"the change was saved, but its confirmation could not be printed: {exc.reason}"
        ) from None


# C1 controls and bidirectional formatting characters: valid inside JSON strings, but a terminal
# may act on them. Written as \u escapes the JSON means exactly the same.
_JSON_UNSAFE = "[\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def safe_json(text: str) -> str:
    if text.isascii():
        return text
    import re

    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)


def dump_json(value: Any) -> None:
    import orjson

    emit(safe_json(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()))


def width() -> int:
    """The terminal's width in columns (at least 40; 80 or $COLUMNS when not a terminal)."""
    try:
        return max(40, os.get_terminal_size(sys.stdout.fileno()).columns)
    except (OSError, ValueError, AttributeError):  # not a terminal, or no stdout at all
        columns = os.environ.get("COLUMNS", "").strip()
        return max(40, min(int(columns), 1000)) if columns.isdigit() and columns.isascii() else 80


def fit(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def parse_day(text: str) -> date:
    from skinlog.domain.dates import parse_date

    return parse_date(text)


def confirm(question: str, yes: bool) -> bool:
    """Ask on the terminal (``yes``: the person already said yes with --yes)."""
    if yes:
        return True
    if sys.stdin is None or not sys.stdin.isatty():
        raise UsageError("not asking without a terminal: add --yes to confirm")
    try:
        answer = input(f"{inert(question, keep_newlines=True)} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")
