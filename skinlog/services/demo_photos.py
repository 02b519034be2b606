"""The demo journal's pictures: drawn, never photographed (a face outline and white dots, as many
as that day's count under the left eye), so the Photos view can be tried at once.

They are painted row by row into raw RGB and written as PNG with the standard library (zlib),
not Pillow: ``skinlog --demo`` builds them before its first screen, which must stay fast and
must not import Pillow. The bytes are the same on every run for the same counts.
"""

from __future__ import annotations

import math
import struct
import zlib

WIDTH, HEIGHT = 320, 400
BACKGROUND = bytes((46, 52, 64))
OUTLINE = bytes((120, 84, 66))
SKIN = bytes((226, 186, 160))
FEATURE = bytes((92, 64, 56))
DOT = bytes((252, 252, 248))
MAX_DOTS = 14

Canvas = list[bytearray]


def _canvas() -> Canvas:
    return [bytearray(BACKGROUND * WIDTH) for _ in range(HEIGHT)]


def _ellipse(canvas: Canvas, cx: float, cy: float, rx: float, ry: float, colour: bytes) -> None:
    """A filled ellipse, one span per row."""
    for y in range(max(0, math.floor(cy - ry)), min(HEIGHT, math.ceil(cy + ry) + 1)):
        t = (y - cy) / ry
        if abs(t) > 1:
            continue
        half = rx * math.sqrt(1 - t * t)
        left, right = max(0, round(cx - half)), min(WIDTH, round(cx + half) + 1)
        if right > left:
            canvas[y][left * 3 : right * 3] = colour * (right - left)


def _png(canvas: Canvas) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + bytes(row) for row in canvas)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def face_picture(dots: int, seed: int = 0) -> bytes:
    """A drawn face (not anyone's) with ``dots`` white dots under its left eye, which is on the
    viewer's right in a photo; the dots' places follow ``seed``."""
    canvas = _canvas()
    cx, cy = WIDTH / 2, HEIGHT / 2 + 10
    _ellipse(canvas, cx, cy, 124, 164, OUTLINE)
    _ellipse(canvas, cx, cy, 118, 158, SKIN)
    for side in (-1, 1):
        _ellipse(canvas, cx + side * 50, cy - 40, 26, 7, FEATURE)  # eyes
        _ellipse(canvas, cx + side * 50, cy - 62, 30, 4, FEATURE)  # brows
    _ellipse(canvas, cx, cy + 8, 8, 26, OUTLINE)  # nose
    _ellipse(canvas, cx, cy + 72, 40, 7, FEATURE)  # mouth
    state = seed * 2654435761 % 2**32 or 1
    for n in range(min(dots, MAX_DOTS)):
        state = (state * 1103515245 + 12345) % 2**31
        dx = (state >> 8) % 76
        dy = (state >> 16) % 34
        _ellipse(canvas, cx + 22 + dx, cy - 24 + dy + (n % 2), 4.2, 4.2, DOT)
    return _png(canvas)
