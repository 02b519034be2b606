"""Reading the dates people type: ISO, today, yesterday, -3 and 3d."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

from skinlog.errors import ValidationError

EARLIEST = date(1900, 1, 1)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}\Z", re.ASCII)
_DAYS_AGO = re.compile(r"^(?:-(\d{1,5})|(\d{1,5})d)$")


def parse_iso(text: str) -> date:
    """A stored or imported date: exactly ``YYYY-MM-DD``, a real date, not before 1900.

    ``date.fromisoformat`` alone accepts other forms (``2026-W01-1``, ``20260101``) on Python
    3.11 and later but not on 3.10; every stored and imported date goes through this instead.
    """
    if not isinstance(text, str) or not _ISO.match(text):
        raise ValidationError(f"'{text}' is not a YYYY-MM-DD date")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"'{text}' is not a real calendar date") from None
    if value < EARLIEST:
        raise ValidationError(f"{text} is before 1900")
    return value


def latest_stored(now: date | None = None) -> date:
    """The latest date a journal or an import may hold: today, and one day of slack for a
    day logged in a time zone ahead of this machine's clock."""
    return (now or today()) + timedelta(days=1)


def today() -> date:
    """The local calendar date; ``SKINLOG_TODAY`` (ISO) pins it for tests and screenshots."""
    pinned = os.environ.get("SKINLOG_TODAY")
    if pinned:
        try:
            return parse_iso(pinned)
        except ValidationError:
            raise ValidationError(f"SKINLOG_TODAY must be a YYYY-MM-DD date, not '{pinned[:40]}'") from None
    return date.today()


def parse_date(text: str, *, now: date | None = None) -> date:
    """Parse a date the user typed; refuse future dates and dates before 1900."""
    now = now or today()
    raw = text.strip().lower()
    if raw == "today":
        return now
    if raw == "yesterday":
        return now - timedelta(days=1)
    match = _DAYS_AGO.match(raw)
    if match:
        days = int(match.group(1) or match.group(2))
        try:
            return check_date(now - timedelta(days=days), now=now)
        except OverflowError:
            raise ValidationError(f"'{text}' is too far back; dates start in 1900") from None
    if not _ISO.match(raw):
        if re.match(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$", raw):
            raise ValidationError(f"ambiguous date '{text}': write it as YYYY-MM-DD")
        raise ValidationError(f"cannot read the date '{text}': use YYYY-MM-DD, today, yesterday, -3 or 3d")
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"'{text}' is not a real calendar date") from None
    return check_date(value, now=now)


def check_date(value: date, *, now: date | None = None) -> date:
    now = now or today()
    if value > now:
        raise ValidationError(f"{value.isoformat()} is in the future; today is {now.isoformat()}")
    if value < EARLIEST:
        raise ValidationError(f"{value.isoformat()} is before 1900")
    return value
