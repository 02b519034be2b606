"""Making text from users and files inert before a terminal or document shows it."""

from __future__ import annotations

# Format characters that reorder or hide text (bidirectional overrides and isolates).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character written out as an escape (``\\x1b``, ``\\u202e``).

    An escape sequence in a product name, a settings key or an import file then shows as
    letters instead of retitling, clearing or recolouring the user's terminal.
    """
    if text.isprintable() and not _BIDI.intersection(text):
        return text
    out = []
    for ch in text:
        if (ch.isprintable() and ch not in _BIDI) or (keep_newlines and ch in "\n\t"):
            out.append(ch)
        else:
            out.append(_visible(ch))
    return "".join(out)
