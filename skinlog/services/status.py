"""Where the habit stands: today logged or not, the streak, days since the last entry, the highest
active flag. One function (``status_of``) works it out for ``skinlog status`` and the app's header.

Reading the status never writes: no lock is taken, no backup made, no file or folder created.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from skinlog.domain.analysis import reference_date, streak
from skinlog.domain.entry import Entry
from skinlog.domain.flags import Flag, highest_level
from skinlog.domain.words import (
    LEVEL_WORDS,
    badge,
    flag_count,
    since_last_line,
    status_short,
    streak_line,
)


@dataclass(frozen=True)
class Status:
    """The habit as of ``today``. ``flags`` is None when they were not worked out (the app's
    header shows the streak before the flags are ready)."""

    today: date
    logged_today: bool
    streak: int  # days in a row up to today, or up to yesterday while today is not logged yet
    last_entry: date | None
    days_logged: int
    as_of: date
    flags: tuple[Flag, ...] | None = None
    path: str = ""
    exists: bool = True
    reminder: str = ""  # the line a reminder left when it could not show a notification

    @property
    def days_since(self) -> int | None:
        """Days from the last entry to today (0 when today is logged; None without entries)."""
        return None if self.last_entry is None else max(0, (self.today - self.last_entry).days)

    @property
    def highest(self) -> str | None:
        """The highest level among the active flags (``flags.LEVELS``), None without flags."""
        return highest_level(self.flags) if self.flags else None

    @property
    def streak_text(self) -> str:
        """The header's left part: "Logged 3 days in a row" or "Nothing logged today yet"."""
        return streak_line(self.logged_today, self.streak)

    @property
    def badge(self) -> str:
        """The header's flag badge (needs the flags)."""
        return badge(self.flags or (), self.as_of, self.today, days=self.days_logged)

    @property
    def header(self) -> str:
        """The app's status line: the streak, and the flag badge once the flags are known."""
        return f"{self.streak_text} · {'…' if self.flags is None else self.badge}"

    @property
    def short(self) -> str:
        """One line for a shell prompt; empty when there is nothing to say: no journal yet, or
        today is logged and no flag is active (and no reminder is waiting)."""
        if not self.exists:
            return ""
        line = status_short(self.logged_today, self.streak, self.days_since, self._flag_words())
        if self.reminder and not self.logged_today:
            return f"{self.reminder} · {line}" if line else self.reminder
        return line

    def _flag_words(self) -> str:
        return f"⚑ {flag_count(self.flags)}" if self.flags else ""

    def lines(self) -> list[str]:
        """What ``skinlog status`` prints."""
        if not self.exists:
            return [
                f"No journal at {self.path} yet (nothing was created). Start one with: skinlog add nose=2"
            ]
        today = "logged" if self.logged_today else "not logged yet"
        out = [
            f"Today ({self.today.isoformat()}): {today}",
            f"Streak: {self.streak} day{'s' if self.streak != 1 else ''} in a row"
            + ("" if self.logged_today or not self.streak else " (log today to keep it)"),
            f"Last entry: {since_last_line(self.last_entry, self.today).removeprefix('last entry ')}",
            f"Flags: {self.badge}",
        ]
        if self.reminder and not self.logged_today:
            out.append(f"Reminder: {self.reminder}")
        out.append(f"Journal: {self.path}")
        return out

    def to_public(self) -> dict[str, Any]:
        """``skinlog status --json``."""
        top = self.highest
        return {
            "today": self.today.isoformat(),
            "journal": self.path,
            "journal_exists": self.exists,
            "logged_today": self.logged_today,
            "streak": self.streak,
            "last_entry": self.last_entry.isoformat() if self.last_entry else None,
            "days_since_last_entry": self.days_since,
            "days_logged": self.days_logged,
            "flags_as_of": self.as_of.isoformat(),
            "active_flags": None if self.flags is None else len(self.flags),
            "highest_flag": top,
            "highest_flag_words": LEVEL_WORDS[top] if top else None,
            "top_flag": self.flags[0].code if self.flags else None,
            "reminder": self.reminder or None,
            "short": self.short,
        }


def status_of(
    entries: Sequence[Entry],
    today: date,
    flags: Sequence[Flag] | None = None,
    *,
    path: str = "",
    exists: bool = True,
    reminder: str = "",
) -> Status:
    """The status from the entries (oldest first) and,
    when known, the active flags. The one place the header and ``skinlog status`` get it from."""
    count, _ = streak(entries, today)  # days after today (a pinned clock) are passed over
    last = next((e.date for e in reversed(entries) if e.date <= today), None)
    return Status(
        today=today,
        logged_today=last == today,
        streak=count,
        last_entry=last,
        days_logged=len(entries),
        as_of=reference_date(entries, today),
        flags=None if flags is None else tuple(flags),
        path=path,
        exists=exists,
        reminder=reminder,
    )


def read_status(path: str, today: date) -> Status:
    """The status of the journal at ``path``, read without writing anything (a missing journal
    is reported as such and not created). A damaged journal raises its usual error."""
    from skinlog.domain.flags import evaluate
    from skinlog.domain.settings import effective
    from skinlog.services.reminder import pending_line
    from skinlog.storage import Journal, list_backups

    reminder = pending_line(path, today)
    if not os.path.lexists(path) and not list_backups(path):
        return status_of([], today, [], path=path, exists=False, reminder=reminder)
    journal = Journal(path)
    journal.storage.trust_unlocked_mark = True  # a read: the mark saves the full check (see storage)
    entries = journal.entries()
    flags = evaluate(entries, effective(journal.settings()), today, journal.products())
    return status_of(entries, today, flags, path=path, reminder=reminder)
