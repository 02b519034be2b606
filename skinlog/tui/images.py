"""Pictures in the app, drawn by textual-image: Kitty graphics, Sixel or Unicode half blocks.

Imported only when a view that shows photos is first opened, so the first screen and the
commands that draw nothing never load Pillow or textual-image. ``SKINLOG_IMAGES`` picks the
way of drawing: ``auto`` (the default), ``kitty``, ``sixel``, ``halfblock`` or ``unicode``;
tests use ``halfblock``, which draws the same cells everywhere.

textual-image asks the terminal what it can do when it is imported, which only works before
Textual reads the keyboard; by the time a photo view opens Textual does, so skinlog never lets
it ask: ``auto`` decides from the environment (the terminal's name), and the cell size comes
from the terminal's window size call alone (10x20 pixels when the terminal does not say).
"""

from __future__ import annotations

import os
import sys
from typing import Any

RENDERERS = ("kitty", "sixel", "halfblock", "unicode")
SIXEL_TERMINALS = ("foot", "mlterm", "contour", "wezterm", "konsole")
"""Terminals (by $TERM or $TERM_PROGRAM) that draw Sixel graphics."""


def renderer_name(environ: Any = None) -> str:
    """The way pictures are drawn here: ``SKINLOG_IMAGES`` when it names one, else from the
    terminal's name: Kitty's own protocol in kitty, Sixel where the terminal is known to draw it,
    half blocks in any other terminal (tmux and screen included: they pass neither through
    reliably)."""
    env = os.environ if environ is None else environ
    chosen = env.get("SKINLOG_IMAGES", "auto").strip().lower()
    if chosen in RENDERERS:
        return chosen
    if env.get("TMUX") or env.get("STY"):
        return "halfblock"
    term = env.get("TERM", "").lower()
    program = env.get("TERM_PROGRAM", "").lower()
    if term == "xterm-kitty" or (env.get("KITTY_WINDOW_ID") and not program):
        return "kitty"
    if any(name in term or name in program for name in SIXEL_TERMINALS) or env.get("KONSOLE_VERSION"):
        return "sixel"
    return "halfblock"


def image_widget() -> type[Any]:
    """The textual-image widget class that draws the way ``renderer_name()`` says now."""
    return _load(renderer_name())


def _load(name: str) -> type[Any]:
    from textual_image import _terminal

    if not hasattr(_terminal.get_cell_size, "_result"):
        _terminal.get_cell_size._result = _cell_size()  # type: ignore[attr-defined]
    stdout = sys.__stdout__
    sys.__stdout__ = _NotATerminal()  # type: ignore[misc,assignment]  # it asks the terminal only when it is one
    try:
        from textual_image import widget
    finally:
        sys.__stdout__ = stdout  # type: ignore[misc]
    classes: dict[str, type[Any]] = {
        "kitty": widget.TGPImage,
        "sixel": widget.SixelImage,
        "halfblock": widget.HalfcellImage,
        "unicode": widget.UnicodeImage,
    }
    return classes[name]


class _NotATerminal:
    """What textual-image sees as standard output while it is imported: not a terminal."""

    @staticmethod
    def isatty() -> bool:
        return False


def _cell_size() -> Any:
    """The terminal's cell size in pixels from its window size (no question asked on the
    keyboard's line), else 10x20."""
    from textual_image._terminal import CellSize

    try:
        if sys.__stdout__ is not None and sys.__stdout__.isatty():
            from textual_image._posix import get_tiocgwinsz

            rows, columns, width, height = get_tiocgwinsz()
            if rows and columns and width and height:
                return CellSize(width // columns, height // rows)
    except (OSError, ImportError, ValueError):
        pass
    return CellSize(10, 20)
