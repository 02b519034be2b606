"""The one exception hierarchy; every message is ready to show a person."""

from __future__ import annotations


class SkinlogError(Exception):
    """A problem the user can act on. ``exit_code`` is what the CLI returns."""

    exit_code = 1


class UsageError(SkinlogError):
    """The command or a value typed on it is not valid (exit 2)."""

    exit_code = 2


class ValidationError(UsageError):
    """A value (count, date, symptom, name...) is out of range or malformed."""


class NotFoundError(SkinlogError):
    """The thing asked for (entry, product, backup) does not exist."""


class ConflictError(SkinlogError):
    """The change would overwrite something without being told to."""


class DayExistsError(ConflictError):
    """A day already has an entry and the change did not say to replace or merge it."""

    def __init__(self, message: str, day: object) -> None:
        super().__init__(message)
        self.day = day


ECHO_LIMIT = 40
"""The most characters of something typed that an error message repeats back."""


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` as an error message repeats it: on one line and, when long, cut with an ellipsis
    (a 5,000-character product name is not printed back in full)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class UnknownProductError(NotFoundError):
    """A product name is not in the catalogue."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


class AmbiguousProductError(UsageError):
    """A partial product name fits more than one product in the catalogue."""

    def __init__(self, name: str, candidates: list[str]) -> None:
        shown = ", ".join(f"'{c}'" for c in candidates[:8]) + (", ..." if len(candidates) > 8 else "")
        super().__init__(
            f"'{echo(name)}' could be any of {len(candidates)} products: {shown}; give more of the name"
        )
        self.name = name
        self.candidates = candidates


class JournalError(SkinlogError):
    """The journal file cannot be read or written safely."""


class JournalCorruptError(JournalError):
    """The journal file exists but is not a valid journal; it is never overwritten.

    ``backup`` is the newest good backup, when one was found.
    """

    def __init__(self, message: str, backup: str | None = None) -> None:
        super().__init__(message)
        self.backup = backup


class JournalTooNewError(JournalError):
    """The journal was written by a newer skinlog."""


def os_reason(exc: OSError) -> str:
    """An OS error's reason in the words of a message ("no space left on device")."""
    return exc.strerror.lower() if exc.strerror else str(exc)


def suggest(word: str, choices: list[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(word.lower(), [c.lower() for c in choices], n=1, cutoff=0.6)
    if not close:
        return ""
    original = next(c for c in choices if c.lower() == close[0])
    return f" (did you mean '{original}'?)"
