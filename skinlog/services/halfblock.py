"""Drawing a picture with Unicode half blocks: each character cell shows two pixels, one above
the other ("▀" in the upper pixel's colour on the lower pixel's colour), in 24-bit colour.

Pillow is imported only by the functions that take a picture; nothing here imports Textual, so
both the command line and the app can use it (the app can turn ``half_blocks`` cells into its
own styled text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

RGB = tuple[int, int, int]
Cell = tuple[RGB, RGB]  # (upper pixel, lower pixel)
UPPER_HALF = "\u2580"

__all__ = ["UPPER_HALF", "Cell", "ansi_lines", "fit_cells", "half_blocks"]


def fit_cells(width: int, height: int, columns: int, rows: int) -> tuple[int, int]:
    """The most columns and rows (each row two pixels high) a ``width`` x ``height`` picture can
    fill within ``columns`` x ``rows`` keeping its shape (a cell is about twice as high as wide,
    so a half block is about square). At least 1 x 1."""
    columns, rows = max(1, columns), max(1, rows)
    scale = min(columns / width, 2 * rows / height)
    return max(1, min(columns, round(width * scale))), max(1, min(rows, round(height * scale / 2)))


def half_blocks(image: Image.Image, columns: int, rows: int) -> list[list[Cell]]:
    """The picture fitted into ``columns`` x ``rows`` cells (shape kept), as rows of cells, each
    the colours of its upper and lower pixel. Transparent parts are shown on black."""
    from PIL import Image as PILImage

    cols, lines = fit_cells(image.width, image.height, columns, rows)
    if image.mode != "RGB":
        base = PILImage.new("RGB", image.size)
        rgba = image.convert("RGBA")
        base.paste(rgba, mask=rgba.getchannel("A"))
        image = base
    small = image.resize((cols, lines * 2), PILImage.Resampling.BOX)
    raw = small.tobytes()
    stride = cols * 3

    def pixel(x: int, y: int) -> RGB:
        at = y * stride + x * 3
        return (raw[at], raw[at + 1], raw[at + 2])

    return [[(pixel(x, 2 * y), pixel(x, 2 * y + 1)) for x in range(cols)] for y in range(lines)]


def ansi_lines(cells: list[list[Cell]]) -> list[str]:
    """Cells as terminal lines: truecolour escape sequences and upper half blocks, each line
    ending with the colours reset."""
    lines = []
    for row in cells:
        parts = []
        for (r1, g1, b1), (r2, g2, b2) in row:
            parts.append(f"\x1b[38;2;{r1};{g1};{b1};48;2;{r2};{g2};{b2}m{UPPER_HALF}")
        lines.append("".join(parts) + "\x1b[0m")
    return lines
