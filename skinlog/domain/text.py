"""Making text from users and files inert before a terminal or document shows it."""

from __future__ import annotations


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written out as an escape (``\\x1b``, ``\\u202e``).

    An escape sequence in a product name, a settings key or an import file then shows as
    letters instead of retitling, clearing or recolouring the user's terminal. Python counts
    control, format (bidirectional overrides included) and separator characters other than the
    space as not printable, so one check in C clears the usual text.
    """
    plain = text.replace("\n", "").replace("\t", "") if keep_newlines else text
    if plain.isprintable():
        return text
    kept = "\n\t" if keep_newlines else ""
    return "".join(ch if ch.isprintable() or ch in kept else _visible(ch) for ch in text)
